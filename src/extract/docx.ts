/**
 * DOCX reader: word/document.xml read directly (jszip + cheerio's XML parser). mammoth was 10× slower
 * and heavier on large reports and drops auto-numbered heading numbers, which we rebuild.
 */
import { DocumentError } from '../errors.ts';
import type { DocumentModel, Reader } from './model.ts';
import { BodyReader } from './docx/body.ts';
import { Numbering } from './docx/numbering.ts';
import { child, parseXml, textOf } from './docx/xml.ts';
import { isCfb, isZip, openZip, readPart, rejectCfb } from './docx/zip.ts';

const SMALL_PART = 20 * 1024 * 1024;

/** The main document part named by _rels/.rels (usually word/document.xml; some tools use document2.xml). */
async function mainPartName(zip: Awaited<ReturnType<typeof openZip>>, what: string): Promise<string> {
  const rels = await readPart(zip, '_rels/.rels', what, SMALL_PART);
  const m = rels && /<Relationship\b[^>]*Type="[^"]*\/officeDocument"[^>]*>/i.exec(rels);
  const target = m && /Target="([^"]+)"/i.exec(m[0])?.[1];
  return target ? target.replace(/^\//, '') : 'word/document.xml';
}

function partDir(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? '' : name.slice(0, i + 1);
}

/** A dc:title worth showing: not empty, not a placeholder, without "Microsoft Word - " and extensions. */
function meaningfulTitle(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const s = t
    .replace(/^Microsoft Word\s*-\s*/i, '')
    .replace(/\.(?:docx?|wps|wpt|dotx?)$/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (s.length < 4 || /^(?:无标题|新建|文档\d*$|document\d*$|untitled|标题$|title$|1$)/i.test(s)) return undefined;
  return s;
}

async function readCore(zip: Awaited<ReturnType<typeof openZip>>, what: string): Promise<Record<string, string>> {
  const xml = await readPart(zip, 'docProps/core.xml', what, SMALL_PART);
  const out: Record<string, string> = {};
  if (!xml) return out;
  const props = child(parseXml(xml), 'cp:coreProperties');
  const names: [string, string][] = [
    ['dc:title', 'title'], ['dc:subject', 'subject'], ['dc:creator', 'creator'], ['cp:lastModifiedBy', 'lastModifiedBy'],
    ['dcterms:created', 'created'], ['dcterms:modified', 'modified'], ['cp:keywords', 'keywords'], ['dc:description', 'description'],
  ];
  for (const [tag, key] of names) {
    const v = textOf(child(props, tag)).trim();
    if (v) out[key] = v;
  }
  return out;
}

export const readDocx: Reader = async (bytes, options) => {
  const what = options?.name ? `${options.name}: ` : '';
  if (bytes.length === 0) throw new DocumentError('empty', `${what}the file is empty`);
  if (isCfb(bytes)) rejectCfb(bytes, what);
  if (!isZip(bytes)) throw new DocumentError('unsupported-format', `${what}not a DOCX file (no zip container)`);

  const zip = await openZip(bytes, what);
  const main = await mainPartName(zip, what);
  const xml = await readPart(zip, main, what);
  if (xml === undefined || !/<(?:\w+:)?document\b/.test(xml.slice(0, 4096))) {
    throw new DocumentError('unsupported-format', `${what}a zip file, but not a Word document (no ${main})`);
  }
  const dir = partDir(main);
  const [numberingXml, stylesXml] = await Promise.all([
    readPart(zip, `${dir}numbering.xml`, what, SMALL_PART),
    readPart(zip, `${dir}styles.xml`, what, SMALL_PART),
  ]);
  const numbering = new Numbering(numberingXml ? parseXml(numberingXml) : undefined, stylesXml ? parseXml(stylesXml) : undefined);
  const reader = new BodyReader(numbering);
  reader.read(xml);
  if (!reader.blocks.length) throw new DocumentError('empty', `${what}the Word document holds no text`);

  const metadata = await readCore(zip, what);
  const notes: string[] = [];
  if (main !== 'word/document.xml') notes.push(`main part: ${main}`);
  const model: DocumentModel = { format: 'docx', metadata, blocks: reader.blocks, notes };
  // A placeholder core title ("Microsoft Word - 文档1") is common: fall back to an early heading naming the report
  const title =
    meaningfulTitle(metadata.title) ??
    reader.blocks
      .slice(0, 6)
      .flatMap((b) => (b.kind === 'paragraph' && b.text.length <= 80 && /报告|年报/.test(b.text) ? [b.text] : []))[0];
  if (title) model.title = title;
  return model;
};
