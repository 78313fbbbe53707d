/** HTML tables to expanded grids: row groups, rowspan/colspan (clamped), Word-pasted spacer rows. */
import { buildGrid, type SourceCell, type TableBlock } from '../model.ts';
import { type DomNode, elementsOf, isSkipped, tagName, textLines, visibleElements } from './dom.ts';

const MAX_SPAN = 1000;

interface Row {
  cells: DomNode[];
  /** Index (among all rows) one past the last row of this row's group (thead/tbody/tfoot). */
  groupEnd: number;
}

/** The rows of a table (not of tables nested in it), in source order, with their row groups. */
/**
 * An element misplaced among a table's rows that wraps rows itself (<table><font><tr>…): an HTML5
 * parser moves the wrapper out and keeps its rows in the table; so do we, by looking through it.
 */
function wrapsRows(el: DomNode): boolean {
  for (const c of elementsOf(el)) {
    const name = tagName(c);
    if (name === 'tr' || name === 'tbody' || name === 'thead' || name === 'tfoot') return true;
    if (name !== 'table' && !TABLE_CONTENT.has(name) && wrapsRows(c)) return true;
  }
  return false;
}

/** The children of a table part, with row wrappers looked through. */
function* structureChildren(el: DomNode): Generator<DomNode> {
  for (const c of elementsOf(el)) {
    const name = tagName(c);
    if (!TABLE_STRUCTURE.has(name) && !TABLE_CONTENT.has(name) && !isSkipped(c) && wrapsRows(c)) yield* structureChildren(c);
    else yield c;
  }
}

function tableRows(table: DomNode): Row[] {
  const groups: DomNode[][] = [];
  let loose: DomNode[] | undefined; // <tr> directly under <table> (htmlparser2 does not add <tbody>)
  for (const c of structureChildren(table)) {
    if (isSkipped(c)) continue;
    const name = tagName(c);
    if (name === 'tr') {
      if (!loose) groups.push((loose = []));
      if (!isWordSpacerRow(c)) loose.push(c);
    } else if (name === 'thead' || name === 'tbody' || name === 'tfoot') {
      loose = undefined;
      groups.push([...structureChildren(c)].filter((r) => tagName(r) === 'tr' && !isSkipped(r) && !isWordSpacerRow(r)));
    }
  }
  const rows: Row[] = [];
  for (const g of groups) {
    const end = rows.length + g.length;
    for (const tr of g) {
      rows.push({ cells: [...elementsOf(tr)].filter((c) => (tagName(c) === 'td' || tagName(c) === 'th') && !isSkipped(c)), groupEnd: end });
    }
  }
  return rows;
}

/** Word's `<![if !supportMisalignedColumns]>` row of empty width-setting cells: not content. */
function isWordSpacerRow(tr: DomNode): boolean {
  const sibs = tr.parent?.children ?? [];
  for (let i = sibs.indexOf(tr) - 1; i >= 0; i--) {
    const s = sibs[i];
    if (s.type === 'text' && !/\S/.test(s.data ?? '')) continue;
    // parse5 makes the conditional a comment, htmlparser2 a directive ("![if …]")
    return (s.type === 'comment' || s.type === 'directive') && /^!?\[if !supportMisalignedColumns\]/i.test(s.data ?? '');
  }
  return false;
}

function spanAttr(el: DomNode, name: string): number | undefined {
  const v = el.attribs?.[name];
  if (v === undefined) return undefined;
  const n = parseInt(v, 10);
  return Number.isFinite(n) ? n : undefined;
}

export function tableCaption(table: DomNode): string | undefined {
  for (const c of elementsOf(table)) {
    if (tagName(c) === 'caption' && !isSkipped(c)) return textLines(c).join('\n') || undefined;
  }
  return undefined;
}

const TABLE_STRUCTURE = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr']);
/** What belongs inside a table's structure: anything else there is misplaced content. */
const TABLE_CONTENT = new Set(['td', 'th', 'caption', 'col', 'colgroup']);

/**
 * Text (or elements holding text) written between a table's rows or cells rather than inside a cell. An HTML5 parser moves
 * it out, before the table ("foster parenting"); the parser we use keeps it in place, so it is
 * collected here and the reader puts it before the table, as a browser shows it.
 */
export function strayTableText(table: DomNode): string[] {
  const lines: string[] = [];
  const walk = (n: DomNode): void => {
    for (const c of n.children ?? []) {
      if (c.type === 'text') {
        const t = (c.data ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
        if (t) lines.push(t);
      } else if (c.type === 'tag' && !isSkipped(c)) {
        if (TABLE_STRUCTURE.has(tagName(c)) || wrapsRows(c)) walk(c);
        else if (!TABLE_CONTENT.has(tagName(c))) lines.push(...textLines(c));
      }
    }
  };
  walk(table);
  return lines;
}

/** Number of visible cells of the table itself, and whether it holds another table. */
export function tableShape(table: DomNode): { cells: number; nested: boolean } {
  let cells = 0;
  for (const r of tableRows(table)) cells += r.cells.length;
  let nested = false;
  for (const el of visibleElements(table)) {
    if (el !== table && tagName(el) === 'table') {
      nested = true;
      break;
    }
  }
  return { cells, nested };
}

/**
 * Place the cells of an HTML table on a grid (the HTML table model: each cell goes to the first free
 * slot of its row) and expand it. `rowspan="0"` spans to the end of the row group; spans past the
 * group end or past the table's width are clamped and noted.
 */
export function readTable(table: DomNode, index: number, notes: string[]): TableBlock {
  const rows = tableRows(table);
  const raw = rows.map((r) =>
    r.cells.map((el) => {
      let cs = spanAttr(el, 'colspan') ?? 1;
      if (cs < 1) cs = 1; // colspan="0" is 1 in HTML
      if (cs > MAX_SPAN) {
        notes.push(`table ${index}: clamped colspan=${cs} to ${MAX_SPAN}`);
        cs = MAX_SPAN;
      }
      return { el, cs, rs: spanAttr(el, 'rowspan') ?? 1 };
    }),
  );
  // The table's real width: the widest row not blown up by an absurd colspan.
  const mostCells = Math.max(0, ...raw.map((r) => r.length));
  const sums = raw.map((r) => r.reduce((s, c) => s + c.cs, 0));
  const sane = sums.filter((s) => s <= Math.max(2 * mostCells, mostCells + 10));
  const width = Math.max(mostCells, ...sane);

  const occupied: boolean[][] = rows.map(() => []);
  const cells: SourceCell[] = [];
  rows.forEach((row, r) => {
    let col = 0;
    for (const { el, cs: cs0, rs: rs0 } of raw[r]) {
      while (occupied[r][col]) col++;
      const remainingRows = row.groupEnd - r;
      let rs = rs0 <= 0 ? (rs0 === 0 ? remainingRows : 1) : rs0;
      if (rs > remainingRows) {
        notes.push(`table ${index}: clamped rowspan=${rs0} at row ${r} to ${remainingRows} (end of row group)`);
        rs = remainingRows;
      } else if (rs0 === 0 && rs > 1) {
        notes.push(`table ${index}: rowspan=0 at row ${r} spans the ${rs} rows to the end of its row group`);
      }
      let cs = cs0;
      if (col + cs > width && cs > 1) {
        const clamped = Math.max(1, width - col);
        notes.push(`table ${index}: clamped colspan=${cs} at row ${r} to ${clamped} (table width ${width})`);
        cs = clamped;
      }
      for (let rr = r; rr < r + rs; rr++) for (let k = col; k < col + cs; k++) occupied[rr][k] = true;
      cells.push({ row: r, col, rowSpan: rs, colSpan: cs, raw: textLines(el).join('\n') });
      col += cs;
    }
  });
  return buildGrid(cells, index);
}
