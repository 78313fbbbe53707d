/**
 * word/document.xml to blocks in one streaming pass: paragraphs and tables in body order, through
 * content controls and tracked insertions (deletions dropped), one branch of alternate content,
 * text boxes once (after the paragraph anchoring them).
 */
import { type Block, type SourceCell, buildGrid, paragraph } from '../model.ts';
import type { Numbering } from './numbering.ts';
import { type SaxHandler, attr, decodeEntities, saxParse } from './sax.ts';

/** A finished table before expansion. */
interface TableData {
  cells: SourceCell[];
}

/** Where finished paragraphs and tables go: the body, a table cell, or a text box (replayed later). */
interface Sink {
  para(text: string): void;
  table(t: TableData): void;
}

interface Para {
  text: string;
  numId?: string;
  ilvl?: number;
  pStyle?: string;
  /** Text boxes anchored in this paragraph: emitted right after it. */
  deferred: ((s: Sink) => void)[];
}

interface Table {
  cells: SourceCell[];
  gridCols: number;
  row: number;
  col: number;
  rowDeleted: boolean;
  /** Column -> cell whose vertical merge (w:vMerge restart) the next row may continue. */
  open: Map<number, SourceCell>;
  prev?: SourceCell;
  cell?: { span: number; vMerge?: string; hMerge?: string; lines: string[] };
}

/** Subtrees that hold nothing to read (properties of content controls, deleted text, sections). */
const SKIP = new Set(['w:del', 'w:moveFrom', 'w:sdtPr', 'w:sdtEndPr', 'w:sectPr', 'w:tblPr', 'w:instrText', 'w:delText']);

const isOn = (attrs: string) => !/^(?:0|false|off)$/i.test(attr(attrs, 'w:val') ?? 'true');
const int = (attrs: string, d: number) => {
  const v = parseInt(attr(attrs, 'w:val') ?? '', 10);
  return Number.isFinite(v) ? v : d;
};

export class BodyReader implements SaxHandler {
  readonly blocks: Block[] = [];
  private stack: string[] = [];
  private skipAt = -1;
  private alt: { taken: boolean }[] = [];
  private paras: Para[] = [];
  private runs: boolean[] = []; // hidden (w:vanish) flag per open run
  private tables: Table[] = [];
  private sinks: Sink[];
  private tableCount = 0;

  constructor(private numbering: Numbering) {
    this.sinks = [
      {
        para: (t) => {
          const p = paragraph(t);
          if (p.text) this.blocks.push(p);
        },
        table: (t) => this.blocks.push(buildGrid(t.cells, this.tableCount++)),
      },
    ];
  }

  read(xml: string): void {
    saxParse(xml, this);
  }

  private get sink(): Sink {
    return this.sinks[this.sinks.length - 1];
  }

  open(name: string, attrs: string): void {
    const parent = this.stack[this.stack.length - 1];
    this.stack.push(name);
    if (this.skipAt !== -1) return;
    if (name === 'w:del' && parent === 'w:trPr') {
      const t = this.tables[this.tables.length - 1];
      if (t) t.rowDeleted = true; // a row deleted with tracked changes
      return;
    }
    if (SKIP.has(name)) return void (this.skipAt = this.stack.length);
    const para = this.paras[this.paras.length - 1];
    const table = this.tables[this.tables.length - 1];
    switch (name) {
      case 'mc:AlternateContent':
        this.alt.push({ taken: false });
        break;
      case 'mc:Choice': case 'mc:Fallback': {
        const a = this.alt[this.alt.length - 1];
        if (!a || a.taken) this.skipAt = this.stack.length; // read one branch, never both
        else a.taken = true;
        break;
      }
      case 'w:p':
        this.paras.push({ text: '', deferred: [] });
        break;
      case 'w:r':
        this.runs.push(false);
        break;
      case 'w:vanish':
        if (parent === 'w:rPr' && this.stack[this.stack.length - 3] === 'w:r' && isOn(attrs)) this.runs[this.runs.length - 1] = true;
        break;
      case 'w:pStyle':
        if (para && parent === 'w:pPr') para.pStyle = attr(attrs, 'w:val');
        break;
      case 'w:numId':
        if (para && parent === 'w:numPr') para.numId = attr(attrs, 'w:val');
        break;
      case 'w:ilvl':
        if (para && parent === 'w:numPr') para.ilvl = int(attrs, 0);
        break;
      case 'w:tab': case 'w:ptab': case 'w:br': case 'w:cr': case 'w:noBreakHyphen':
        if (para && parent === 'w:r' && !this.runs[this.runs.length - 1]) {
          para.text += name === 'w:br' || name === 'w:cr' ? '\n' : name === 'w:noBreakHyphen' ? '-' : ' ';
        }
        break;
      case 'w:txbxContent':
        this.sinks.push(collector());
        break;
      case 'w:tbl':
        this.tables.push({ cells: [], gridCols: 0, row: -1, col: 0, rowDeleted: false, open: new Map() });
        break;
      case 'w:gridCol':
        if (table && parent === 'w:tblGrid') table.gridCols++;
        break;
      case 'w:tr':
        if (table) Object.assign(table, { row: table.row + 1, col: 0, rowDeleted: false, prev: undefined });
        break;
      case 'w:gridBefore':
        if (table && parent === 'w:trPr') table.col += Math.max(0, int(attrs, 0));
        break;
      case 'w:tc':
        if (table) {
          const cell = { span: 1, lines: [] as string[] };
          table.cell = cell;
          this.sinks.push({
            para: (t) => {
              if (/\S/.test(t)) cell.lines.push(t);
            },
            table: (t) => cell.lines.push(...flatten(t)),
          });
        }
        break;
      case 'w:gridSpan':
        if (table?.cell && parent === 'w:tcPr') table.cell.span = Math.max(1, int(attrs, 1));
        break;
      case 'w:vMerge':
        if (table?.cell && parent === 'w:tcPr') table.cell.vMerge = attr(attrs, 'w:val') === 'restart' ? 'restart' : 'continue';
        break;
      case 'w:hMerge':
        if (table?.cell && parent === 'w:tcPr') table.cell.hMerge = attr(attrs, 'w:val') === 'continue' ? 'continue' : 'restart';
        break;
    }
  }

  close(name: string): void {
    this.stack.pop();
    if (this.skipAt !== -1) {
      if (this.stack.length < this.skipAt) this.skipAt = -1;
      return;
    }
    switch (name) {
      case 'mc:AlternateContent':
        this.alt.pop();
        break;
      case 'w:r':
        this.runs.pop();
        break;
      case 'w:p': {
        const p = this.paras.pop();
        if (!p) break;
        const label = this.numbering.next(p);
        const sink = this.sink;
        if (label !== undefined || /\S/.test(p.text)) sink.para((label ?? '') + p.text);
        for (const replay of p.deferred) replay(sink);
        break;
      }
      case 'w:txbxContent': {
        const box = this.sinks.pop() as ReturnType<typeof collector>;
        const host = this.paras[this.paras.length - 1];
        if (host) host.deferred.push(box.replay);
        else box.replay(this.sink);
        break;
      }
      case 'w:tc':
        this.closeCell();
        break;
      case 'w:tr': {
        const t = this.tables[this.tables.length - 1];
        if (t?.rowDeleted) t.row--;
        break;
      }
      case 'w:tbl': {
        const t = this.tables.pop();
        if (!t) break;
        // keep the declared grid width even when trailing columns are empty (w:gridAfter)
        const width = t.cells.reduce((w, c) => Math.max(w, c.col + c.colSpan), 0);
        if (t.gridCols > width && t.cells.length) t.cells.push({ row: 0, col: t.gridCols - 1, rowSpan: 1, colSpan: 1, raw: '' });
        if (t.cells.length) this.sink.table({ cells: t.cells });
        break;
      }
    }
  }

  text(data: string, cdata: boolean): void {
    if (this.skipAt !== -1) return;
    const top = this.stack[this.stack.length - 1];
    if (top !== 'w:t' && top !== 'm:t') return;
    const para = this.paras[this.paras.length - 1];
    if (para && !this.runs[this.runs.length - 1]) para.text += cdata ? data : decodeEntities(data);
  }

  /**
   * Grid placement: w:gridSpan widens a cell; w:vMerge "restart" opens a vertical merge that the
   * "continue" cells below it in the same column extend.
   */
  private closeCell(): void {
    this.sinks.pop();
    const t = this.tables[this.tables.length - 1];
    const c = t?.cell;
    if (!t || !c) return;
    t.cell = undefined;
    if (t.rowDeleted) return;
    const raw = c.lines.join('\n');
    const owner = t.open.get(t.col);
    if (c.vMerge === 'continue' && owner) {
      owner.rowSpan = t.row - owner.row + 1;
      if (raw) owner.raw = owner.raw ? `${owner.raw}\n${raw}` : raw;
    } else if (c.hMerge === 'continue' && t.prev) {
      t.prev.colSpan += c.span; // legacy horizontal merge
      if (raw) t.prev.raw = t.prev.raw ? `${t.prev.raw}\n${raw}` : raw;
    } else {
      const cell: SourceCell = { row: t.row, col: t.col, rowSpan: 1, colSpan: c.span, raw };
      t.cells.push(cell);
      for (let k = t.col; k < t.col + c.span; k++) t.open.delete(k);
      if (c.vMerge === 'restart') t.open.set(t.col, cell);
      t.prev = cell;
    }
    t.col += c.span;
  }
}

/** A text box's content, collected to be replayed after its anchoring paragraph. */
function collector(): Sink & { replay: (s: Sink) => void } {
  const items: ((s: Sink) => void)[] = [];
  return {
    para: (t) => items.push((s) => s.para(t)),
    table: (t) => items.push((s) => s.table(t)),
    replay: (s) => items.forEach((f) => f(s)),
  };
}

/** A table nested in a cell becomes lines of that cell: one line per row, cells separated by spaces. */
function flatten(t: TableData): string[] {
  const rows = new Map<number, SourceCell[]>();
  for (const c of t.cells) rows.set(c.row, [...(rows.get(c.row) ?? []), c]);
  return [...rows.keys()]
    .sort((a, b) => a - b)
    .map((r) => rows.get(r)!.sort((a, b) => a.col - b.col).map((c) => c.raw.replace(/\n/g, ' ')).filter((s) => /\S/.test(s)).join(' '))
    .filter((s) => s !== '');
}
