// A DocModel as an A4 .docx in the official layout: 公文-like margins, body in a serif CJK face,
// tables at 10.5 pt, and a centred "-N-" page number in the footer as WPS writes it.
import {
  AlignmentType, Document, Footer, LineRuleType, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell,
  TableLayoutType, TableRow, TextRun, VerticalAlignTable, WidthType,
} from 'docx';
import JSZip from 'jszip';
import type { Cell, DocModel, TableModel } from './model.ts';

// Fonts that fonts-noto-cjk installs, so LibreOffice lays out what the .docx names.
const SERIF = 'Noto Serif CJK SC';
const SANS = 'Noto Sans CJK SC';
const PAGE = { width: 11906, height: 16838 }; // A4 in twips
const MARGIN = { top: 1984, bottom: 1701, left: 1587, right: 1474, footer: 992 };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const LANDSCAPE_TEXT_WIDTH = PAGE.height - MARGIN.left - MARGIN.right;

function twips(widths: number[], textWidth: number): number[] {
  const sum = widths.reduce((a, b) => a + b, 0);
  const out = widths.map((w) => Math.floor((w / sum) * textWidth));
  out[out.length - 1] += textWidth - out.reduce((a, b) => a + b, 0);
  return out;
}

function cell(c: Cell, inHead: boolean, widths: number[], col: number): TableCell {
  const span = c.colSpan ?? 1;
  const centred = inHead || c.value || (c.rowSpan ?? 1) > 1 || span >= 4;
  return new TableCell({
    // A line break inside a cell (a wrapped or vertical label) is a paragraph of its own.
    children: c.text.split('\n').map((line) => new Paragraph({
      alignment: centred ? AlignmentType.CENTER : AlignmentType.LEFT,
      children: line ? [new TextRun({ text: line, size: 21 })] : [],
    })),
    rowSpan: c.rowSpan,
    columnSpan: c.colSpan,
    verticalAlign: VerticalAlignTable.CENTER,
    width: { size: widths.slice(col, col + span).reduce((a, b) => a + b, 0), type: WidthType.DXA },
    margins: { left: 60, right: 60, top: 20, bottom: 20 },
  });
}

/** Grid column of each cell, skipping slots that rowspans from rows above still occupy. */
function table(t: TableModel, textWidth: number): Table {
  const widths = twips(t.widths, textWidth);
  const busy: number[] = Array(widths.length).fill(0);
  const rows = t.rows.map((r, i) => {
    const cells: TableCell[] = [];
    let col = 0;
    for (const c of r) {
      while (busy[col] > 0) col++;
      cells.push(cell(c, i < t.headRows, widths, col));
      for (let k = 0; k < (c.colSpan ?? 1); k++) busy[col + k] = c.rowSpan ?? 1;
      col += c.colSpan ?? 1;
    }
    for (let k = 0; k < busy.length; k++) busy[k] = Math.max(0, busy[k] - 1);
    // Rows stay whole and the header stays with the first data row, as Word/WPS users set them,
    // so a long table breaks between data rows with the page footer in between.
    return new TableRow({ children: cells, cantSplit: true, keepNext: i < t.headRows });
  });
  return new Table({
    rows, columnWidths: widths, layout: TableLayoutType.FIXED,
    width: { size: textWidth, type: WidthType.DXA },
  });
}

const body = (text: string, font = SERIF, indent = true): Paragraph => new Paragraph({
  spacing: { line: 560, lineRule: LineRuleType.EXACT },
  indent: indent ? { firstLine: 640 } : undefined,
  children: [new TextRun({ text, font, size: 32 })],
});

export interface DocxOptions {
  /** A4 landscape pages (wide tables as some reports print them) */
  landscape?: boolean;
}

export async function renderDocx(doc: DocModel, opts: DocxOptions = {}): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'title') {
      for (const line of b.lines) {
        children.push(new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { line: 700, lineRule: LineRuleType.EXACT },
          children: [new TextRun({ text: line, font: SERIF, size: 44, bold: true })],
        }));
      }
      children.push(body(''));
    } else if (b.kind === 'heading') children.push(body(b.text, SANS));
    else if (b.kind === 'subheading') children.push(new Paragraph({
      spacing: { line: 560, lineRule: LineRuleType.EXACT }, indent: { firstLine: 640 },
      children: [new TextRun({ text: b.text, font: SERIF, size: 32, bold: true })],
    }));
    else if (b.kind === 'paragraph') children.push(body(b.text));
    else children.push(table(b.table, opts.landscape ? LANDSCAPE_TEXT_WIDTH : TEXT_WIDTH), new Paragraph({ children: [] }));
  }
  const footer = new Footer({
    children: [new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ children: ['-', PageNumber.CURRENT, '-'], font: SERIF, size: 28 })],
    })],
  });
  const document = new Document({
    title: doc.title,
    creator: 'ogi-audit fixtures',
    styles: { default: { document: { run: { font: SERIF, size: 21 } } } },
    sections: [{
      properties: {
        page: {
          size: opts.landscape ? { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.LANDSCAPE } : PAGE,
          margin: { top: MARGIN.top, bottom: MARGIN.bottom, left: MARGIN.left, right: MARGIN.right, footer: MARGIN.footer },
        },
      },
      footers: { default: footer },
      children,
    }],
  });
  return normaliseZip(await Packer.toBuffer(document));
}

/** Same input, same bytes: drop the creation/modification stamps and zip with a fixed entry date. */
export async function normaliseZip(buf: Buffer): Promise<Buffer> {
  const src = await JSZip.loadAsync(buf);
  const out = new JSZip();
  // jszip writes the DOS timestamp from the UTC fields, so a UTC date is TZ-proof.
  const date = new Date(Date.UTC(2024, 0, 1));
  for (const name of Object.keys(src.files).sort(contentTypesFirst)) {
    const f = src.files[name];
    if (f.dir) continue;
    let data: string | Uint8Array = await f.async('uint8array');
    if (name === 'docProps/core.xml') {
      data = new TextDecoder().decode(data).replace(/<dcterms:(created|modified)[^>]*>[^<]*<\/dcterms:\1>/g, '');
    }
    out.file(name, data, { date, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

// Readers sniff [Content_Types].xml as the first entry; keep it there, the rest sorted.
function contentTypesFirst(a: string, b: string): number {
  if (a === '[Content_Types].xml') return -1;
  if (b === '[Content_Types].xml') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
