/**
 * The neutral document model between src/extract (file formats) and src/normalize (templates):
 * ordered blocks of paragraph text and table grids with merged cells expanded. Like mammoth's
 * document model or a unified tree, it knows nothing of the report schema.
 */

export type Format = 'pdf' | 'docx' | 'html';

/** One slot of an expanded table grid. */
export interface Cell {
  /** The cell's text exactly as the document gives it; lines of wrapped text joined with '\n'. */
  raw: string;
  /** `cleanText(raw)`: NFKC (Kangxi radicals → CJK, full-width → ASCII), spaces collapsed, lines kept. */
  text: string;
  /** Grid position of the cell that owns this slot (top-left slot of a merged region). */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** True for every slot of a merged region except its top-left one. */
  merged: boolean;
  /** 1-based page the owning cell's text is on (PDF only). */
  page?: number;
}

export interface TableBlock {
  kind: 'table';
  /** 0-based index among the document's tables, in reading order. */
  index: number;
  /** Expanded grid: grid[r][c]; every row has the same number of slots. */
  grid: Cell[][];
  /** Pages the table is on (PDF only); a table continued over pages is one block. */
  pages?: number[];
}

export interface ParagraphBlock {
  kind: 'paragraph';
  /** `cleanText(raw)`. */
  text: string;
  raw: string;
  page?: number;
}

export type Block = TableBlock | ParagraphBlock;

export interface DocumentModel {
  format: Format;
  /** Title from the container: HTML <title> or ArticleTitle meta, DOCX core title, PDF Info Title. */
  title?: string;
  /** Named metadata found in the container (HTML meta names such as ArticleTitle, PubDate). */
  metadata: Record<string, string>;
  blocks: Block[];
  /** Number of pages (PDF only). */
  pageCount?: number;
  /** Things the reader noticed and worked around (e.g. "clamped rowspan=500 to 40"). */
  notes: string[];
}

/** File name endings a folder walk picks up. */
export const SUPPORTED_EXTENSIONS = ['.pdf', '.docx', '.htm', '.html', '.shtml', '.xhtml'];

const SPACES = /[ \t\u00a0\u2000-\u200b\u3000\ufeff]+/g;

/**
 * CJK Radicals Supplement forms that fonts (Chromium's embedded Noto, some WPS fonts) map whole
 * characters to, so pdf.js emits ⺠ for 民 and ⻢ for 马. NFKC maps the Kangxi radicals block but
 * not this one: these are the supplement forms that stand for a whole ideograph.
 */
const RADICAL_SUPPLEMENT: Record<string, string> = {
  '⺌': '小', '⺎': '兀', '⺒': '巳', '⺓': '幺', '⺗': '心', '⺜': '日', '⺝': '月', '⺟': '母', '⺠': '民',
  '⺩': '王', '⺼': '月', '⻁': '虎', '⻄': '西', '⻅': '见', '⻆': '角', '⻉': '贝', '⻊': '足', '⻋': '车',
  '⻑': '長', '⻓': '长', '⻔': '门', '⻗': '雨', '⻘': '青', '⻙': '韦', '⻚': '页', '⻛': '风', '⻜': '飞',
  '⻝': '食', '⻡': '首', '⻢': '马', '⻣': '骨', '⻤': '鬼', '⻥': '鱼', '⻦': '鸟', '⻧': '卤', '⻨': '麦',
  '⻩': '黄', '⻪': '黾', '⻬': '齐', '⻮': '齿', '⻰': '龙', '⻳': '龟',
};
const RADICAL_FORMS = new RegExp(`[${Object.keys(RADICAL_SUPPLEMENT).join('')}]`, 'gu');

/** NFKC (Kangxi radicals, full-width forms) plus the radical-supplement forms above. */
export function foldCompatibility(text: string): string {
  return text.normalize('NFKC').replace(RADICAL_FORMS, (c) => RADICAL_SUPPLEMENT[c]);
}

/** Text as the normaliser matches it: NFKC, horizontal whitespace collapsed, lines trimmed. */
export function cleanText(raw: string): string {
  return foldCompatibility(raw)
    .replace(/\r\n?/g, '\n')
    .replace(SPACES, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
}

/** A paragraph block from raw text. */
export function paragraph(raw: string, page?: number): ParagraphBlock {
  return page === undefined
    ? { kind: 'paragraph', raw, text: cleanText(raw) }
    : { kind: 'paragraph', raw, text: cleanText(raw), page };
}

/** One cell as a reader sees it before expansion: its place, its spans and its raw text. */
export interface SourceCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  raw: string;
  page?: number;
}

/**
 * Expand positioned cells into a full grid. Slots no cell covers become empty cells of their own;
 * where two cells claim a slot the first one keeps it.
 */
export function buildGrid(cells: SourceCell[], index: number, pages?: number[]): TableBlock {
  let nRows = 0;
  let nCols = 0;
  for (const c of cells) {
    nRows = Math.max(nRows, c.row + c.rowSpan);
    nCols = Math.max(nCols, c.col + c.colSpan);
  }
  const grid: (Cell | undefined)[][] = Array.from({ length: nRows }, () => new Array(nCols).fill(undefined));
  for (const c of cells) {
    const text = cleanText(c.raw);
    for (let r = c.row; r < c.row + c.rowSpan; r++) {
      for (let k = c.col; k < c.col + c.colSpan; k++) {
        if (grid[r][k]) continue;
        const slot: Cell = {
          raw: c.raw,
          text,
          row: c.row,
          col: c.col,
          rowSpan: c.rowSpan,
          colSpan: c.colSpan,
          merged: r !== c.row || k !== c.col,
        };
        if (c.page !== undefined) slot.page = c.page;
        grid[r][k] = slot;
      }
    }
  }
  const full: Cell[][] = grid.map((row, r) =>
    row.map((slot, k) => slot ?? { raw: '', text: '', row: r, col: k, rowSpan: 1, colSpan: 1, merged: false }),
  );
  const block: TableBlock = { kind: 'table', index, grid: full };
  if (pages) block.pages = pages;
  return block;
}

/** A reader turns one file's bytes into the document model, or throws a DocumentError. */
export interface ReadOptions {
  /** File name, for messages only: readers sniff content, never trust the extension. */
  name?: string;
  /** Charset from an HTTP Content-Type header, when the bytes came over HTTP. */
  httpCharset?: string;
}
export type Reader = (bytes: Uint8Array, options?: ReadOptions) => Promise<DocumentModel>;
