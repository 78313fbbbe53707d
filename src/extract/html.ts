/**
 * HTML reader: decode (see encoding.ts), parse with cheerio (htmlparser2), find the report's content
 * element inside the CMS page, and emit its paragraphs and tables in document order.
 */
import { load } from 'cheerio';
import { DocumentError } from '../errors.ts';
import { type Block, type DocumentModel, type Reader, type TableBlock, paragraph } from './model.ts';
import { decodeHtml } from './encoding.ts';
import { BLOCK, type DomNode, LineBuilder, isSkipped, tagName, textLines } from './html/dom.ts';
import { type Stat, analysePage, containerLabel, findTitleBefore, isChromeElement, isChromeLine } from './html/content.ts';
import { readTable, strayTableText, tableCaption } from './html/table.ts';

/** NUL bytes, or many C0 control bytes, in the first 8 KB: not a text file (UTF-16 has its BOM). */
function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return false;
  const n = Math.min(bytes.length, 8192);
  let ctl = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) ctl++;
  }
  return ctl > n * 0.02;
}

/** Share of control and replacement characters in decoded text (random bytes decode to many). */
function garbageShare(text: string): number {
  const sample = text.slice(0, 8192);
  if (!sample.length) return 0;
  const bad = sample.match(/[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f\ufffd]/g)?.length ?? 0;
  return bad / sample.length;
}

/** `<title>` without the site and column names CMSs append ("…报告_政府信息公开年报_某某管委会"). */
export function cutTitleSuffix(title: string): string {
  const s = title.replace(/\s+/g, ' ').trim();
  const parts = s
    .split(/\s*(?:[_|｜]|\s[-—–]\s|(?<!\d)[-—–]+(?!\d))\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length <= 1) return s;
  return parts.find((p) => /报告|年报/.test(p)) ?? parts.reduce((a, b) => (b.length > a.length ? b : a));
}

function findChild(n: DomNode | undefined, name: string): DomNode | undefined {
  return n?.children?.find((c) => c.type === 'tag' && tagName(c) === name);
}

const CJK_END = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$/;
const CJK_START = /^[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** A heading's lines as one line: a title broken over lines with <br> rejoins without spaces between CJK. */
function lineText(el: DomNode): string {
  return textLines(el)
    .map((l) => l.trim())
    .reduce((acc, l) => (!acc ? l : CJK_END.test(acc) && CJK_START.test(l) ? acc + l : `${acc} ${l}`), '');
}

export const readHtml: Reader = async (bytes, options) => {
  const what = options?.name ? `${options.name}: ` : '';
  if (bytes.length === 0) throw new DocumentError('empty', `${what}the file is empty`);
  if (looksBinary(bytes)) throw new DocumentError('unsupported-format', `${what}binary data, not an HTML page`);
  const decoded = decodeHtml(bytes, options?.httpCharset);
  if (!decoded.text.trim()) throw new DocumentError('empty', `${what}the page holds no text`);
  if (garbageShare(decoded.text) > 0.05) throw new DocumentError('unsupported-format', `${what}not text: not an HTML page`);

  const notes: string[] = [];
  if (decoded.note) notes.push(`encoding: ${decoded.note}`);
  else if (decoded.encoding !== 'utf-8') notes.push(`encoding: ${decoded.encoding} (${decoded.how})`);

  // htmlparser2 (HTML mode), not parse5: three times faster on Word-pasted pages, and what we read
  // from the tree came out the same on every HTML document we have; the one tree-building rule it
  // lacks that matters here, text between table rows, is handled in tableBlocks (strayTableText).
  const $ = load(decoded.text, { xml: { xmlMode: false, decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true } });
  const root = $.root()[0] as unknown as DomNode;
  const html = findChild(root, 'html');
  const body = findChild(html, 'body') ?? html ?? root;

  const metadata: Record<string, string> = {};
  $('meta[name]').each((_, el) => {
    const name = $(el).attr('name')?.trim();
    const content = $(el).attr('content')?.trim();
    if (name && content && !(name in metadata)) metadata[name] = content;
  });
  const pageTitle = $('title').first().text().trim();
  const titleGuess = metadata.ArticleTitle || (pageTitle ? cutTitleSuffix(pageTitle) : undefined);

  const { stats, dataTables, container } = analysePage(root, body);
  if (container !== body) notes.push(`content: ${containerLabel(container)}`);
  const cs = stats.get(container)!;
  const isInside = (el: DomNode) => {
    const s = stats.get(el);
    return !!s && s.start >= cs.start && s.end <= cs.end;
  };

  // Outside the container: the title heading, and tables of numbers the scoring left out.
  const outside: { pos: number; blocks: (index: number) => Block[] }[] = [];
  const heading = container === body ? undefined : findTitleBefore(container, titleGuess, lineText);
  if (heading) {
    const raw = lineText(heading);
    outside.push({ pos: stats.get(heading)!.start, blocks: () => [paragraph(raw)] });
  }
  for (const t of dataTables) {
    if (isInside(t) || !isNumericTable(readTable(t, 0, []))) continue;
    outside.push({ pos: stats.get(t)!.start, blocks: (i) => tableBlocks(t, i, notes) });
    notes.push(`table outside the content element kept: ${containerLabel(t)}`);
  }
  outside.sort((a, b) => a.pos - b.pos);

  const blocks: Block[] = [];
  const nTables = () => blocks.filter((b) => b.kind === 'table').length;
  for (const o of outside) if (o.pos < cs.start) blocks.push(...o.blocks(nTables()));
  const before = blocks.length;
  emitContainer(container, stats, dataTables, blocks, notes);
  // the content may repeat its title heading as its first line
  const [prev, next] = [blocks[before - 1], blocks[before]];
  if (heading && prev?.kind === 'paragraph' && next?.kind === 'paragraph' && prev.text === next.text) blocks.splice(before - 1, 1);
  for (const o of outside) if (o.pos >= cs.end) blocks.push(...o.blocks(nTables()));
  if (!blocks.length) throw new DocumentError('empty', `${what}the page holds no text`);

  const title =
    metadata.ArticleTitle ||
    (heading ? lineText(heading) : undefined) ||
    firstH1(container) ||
    (pageTitle ? cutTitleSuffix(pageTitle) : undefined);
  const model: DocumentModel = { format: 'html', metadata, blocks, notes };
  if (title) model.title = title.replace(/\s+/g, ' ').trim();
  return model;
};

function firstH1(container: DomNode): string | undefined {
  const queue = [container]; // breadth first: the shallowest h1
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i];
    if (n.type !== 'tag' || isSkipped(n)) continue;
    if (tagName(n) === 'h1') {
      const t = lineText(n);
      if (t) return t;
    }
    for (const c of n.children ?? []) if (c.type === 'tag') queue.push(c);
  }
  return undefined;
}

/** At least five cells that are plain numbers: a report table, whatever the page layout. */
function isNumericTable(t: TableBlock): boolean {
  let n = 0;
  for (const row of t.grid) for (const c of row) if (!c.merged && /^[-+]?\d[\d,.]*%?$/.test(c.text)) n++;
  return n >= 5;
}

function tableBlocks(table: DomNode, index: number, notes: string[]): Block[] {
  const caption = tableCaption(table);
  const out: Block[] = strayTableText(table).map((t) => paragraph(t));
  if (caption) out.push(paragraph(caption));
  out.push(readTable(table, index, notes));
  return out;
}

/** Walk the container: inline text gathers into lines, blocks and <br> end them, data tables become grids. */
function emitContainer(container: DomNode, stats: Map<DomNode, Stat>, dataTables: Set<DomNode>, blocks: Block[], notes: string[]): void {
  const b = new LineBuilder();
  let tableIndex = blocks.filter((x) => x.kind === 'table').length;
  const flush = () => {
    const line = b.flush();
    if (line !== undefined && !isChromeLine(line)) {
      const p = paragraph(line);
      if (p.text) blocks.push(p);
    }
  };
  const walk = (n: DomNode): void => {
    for (const c of n.children ?? []) {
      if (c.type === 'text') {
        b.text(c.data ?? '');
        continue;
      }
      if (c.type !== 'tag' || isSkipped(c)) continue;
      const name = tagName(c);
      if (name === 'br') {
        flush();
        continue;
      }
      if (dataTables.has(c)) {
        flush();
        blocks.push(...tableBlocks(c, tableIndex++, notes));
        continue;
      }
      if (isChromeElement(c, stats, dataTables)) continue;
      const block = BLOCK.has(name);
      if (block) flush();
      walk(c);
      if (block) flush();
    }
  };
  walk(container);
  flush();
}
