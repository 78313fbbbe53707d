/**
 * PDF reader: pdf.js text and drawing operators → ruled (or borderless) tables with merged cells,
 * joined over page breaks, and paragraphs in reading order, without page furniture.
 */
import type { PDFDocumentProxy } from './pdf/pdfjs.ts';
import { DocumentError } from '../errors.ts';
import type { DocumentModel, Reader } from './model.ts';
import { borderlessTables } from './pdf/borderless.ts';
import { furnitureLines } from './pdf/furniture.ts';
import { assembleBlocks, type PageLayout } from './pdf/layout.ts';
import { looksTruncated, openPdf, pdfError, sniffPdf } from './pdf/load.ts';
import { readPage, type PageContent } from './pdf/page.ts';

/** A page that takes longer than this is a pathological file, not a slow one (pages take ~50 ms). */
const PAGE_TIME_LIMIT_MS = 20_000;

/** Reject with a DocumentError when `work` has not settled in time; destroy() then stops pdf.js. */
function withinTime<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DocumentError('corrupt', `${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** Fewer visible characters than this in the whole file (page numbers aside) means no text layer. */
const MIN_TEXT_CHARS = 20;
/** A page with fewer characters than this is image-only (a scan, or a photo). */
const MIN_PAGE_CHARS = 5;

const INFO_FIELDS = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer', 'CreationDate', 'ModDate'];

async function readMetadata(doc: PDFDocumentProxy): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const meta = await doc.getMetadata().catch(() => undefined);
  const info = (meta?.info ?? {}) as Record<string, unknown>;
  for (const key of INFO_FIELDS) {
    const v = info[key];
    if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
  }
  return out;
}

/** A title worth showing: not empty and not a file name the PDF printer wrote in. */
function meaningfulTitle(title: string | undefined): string | undefined {
  if (!title) return undefined;
  const t = title.replace(/\s+/g, ' ').trim();
  if (t === '' || /^(?:microsoft\s+(?:word|excel|powerpoint)\s*-|untitled$|无标题|(?:文档|document|新建)\s*\d*$)/i.test(t)) {
    return undefined;
  }
  if (/\.(?:docx?|wps|xlsx?|pdf|txt|rtf|html?)$/i.test(t)) return undefined;
  return t;
}

function visibleChars(s: string): number {
  return s.replace(/\s+/g, '').length;
}

export const readPdf: Reader = async (bytes, options = {}) => {
  const name = options.name;
  const label = name ? `${name}: ` : '';
  sniffPdf(bytes, name);
  const truncated = looksTruncated(bytes);
  const { doc, destroy } = await openPdf(bytes, name);
  try {
    const contents: PageContent[] = [];
    const notes: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      try {
        contents.push(await withinTime(readPage(doc, n), PAGE_TIME_LIMIT_MS, `${label}page ${n}`));
      } catch (e) {
        // One broken page in a whole file is read around; in a cut file it is the cut.
        if (truncated || e instanceof DocumentError) throw e;
        notes.push(`page ${n} could not be read: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (contents.length === 0) throw new DocumentError('corrupt', `${label}no page of the PDF could be read`);
    const metadata = await readMetadata(doc);
    if (truncated) notes.push('no %%EOF at the end of the file: it may be cut short');

    for (const c of contents) {
      if (c.hiddenChars > 0) notes.push(`page ${c.page}: ${c.hiddenChars} character(s) off the page edge not read`);
    }
    const furniture = furnitureLines(contents);
    const pages: PageLayout[] = contents.map((c) => {
      const body = c.lines.filter((l) => !furniture.has(l));
      const borderless = borderlessTables(body, c.page);
      if (borderless.tables.length > 0) notes.push(`page ${c.page}: table without ruling lines read from text positions`);
      return {
        page: c.page,
        width: c.width,
        tables: [...c.tables, ...borderless.tables],
        lines: borderless.lines,
      };
    });

    const perPage = pages.map(
      (p) =>
        p.lines.reduce((n, l) => n + visibleChars(l.raw), 0) +
        p.tables.reduce((n, t) => n + t.cells.reduce((m, c) => m + visibleChars(c.lines.join('')), 0), 0),
    );
    const total = perPage.reduce((a, b) => a + b, 0);
    const imageOnly = pages.filter((_, i) => perPage[i] < MIN_PAGE_CHARS).map((p) => p.page);
    const anyTable = pages.some((p) => p.tables.length > 0);
    // No text at all, or text on a cover page only while most pages (where the tables must be)
    // have none: the report is in images.
    if (total < MIN_TEXT_CHARS || (!anyTable && contents.length >= 2 && imageOnly.length * 2 >= contents.length)) {
      // A cut file whose text we never reached is a truncation, not a scan.
      if (truncated) throw new DocumentError('truncated', `${label}PDF is cut short (no %%EOF)`);
      const where = total < MIN_TEXT_CHARS ? '' : ` on pages ${imageOnly.join(', ')}`;
      throw new DocumentError('scanned-pdf', `${label}no text layer${where}: scanned or image-only PDF, needs OCR`);
    }
    if (imageOnly.length > 0) notes.push(`no text on page(s) ${imageOnly.join(', ')}: scanned or image-only`);

    const model: DocumentModel = {
      format: 'pdf',
      metadata,
      blocks: assembleBlocks(pages),
      pageCount: doc.numPages,
      notes,
    };
    const title = meaningfulTitle(metadata.Title);
    if (title) model.title = title;
    return model;
  } catch (e) {
    throw pdfError(e, truncated, name);
  } finally {
    await destroy();
  }
};
