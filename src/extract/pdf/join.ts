/**
 * Tables continued over pages: the halves become one table on the union of their column
 * boundaries, and cells cut by the page break (a vertical merge, or a label wrapped across the
 * break) become one cell again.
 */
import { buildGrid, cleanText, type SourceCell, type TableBlock } from '../model.ts';
import type { PageCell, PageTable } from './geometry.ts';

/** Column boundaries of two halves are the same boundary within this many points. */
const COLUMN_SLACK = 4;

export interface TableDraft {
  pages: number[];
  xs: number[];
  rowCount: number;
  cells: PageCell[];
}

export function draftOf(t: PageTable): TableDraft {
  return { pages: [t.page], xs: t.xs.slice(), rowCount: t.rowCount, cells: t.cells.map((c) => ({ ...c })) };
}

function near(xs: readonly number[], x: number): boolean {
  return xs.some((v) => Math.abs(v - x) <= COLUMN_SLACK);
}

/**
 * Same outer edges, and one half's column boundaries all found in the other's: a continuation may
 * drop inner boundaries (表二's 2-column blocks under its 4-column first block) but never add a
 * boundary the other half lacks on both sides.
 */
export function sameColumns(a: readonly number[], b: readonly number[]): boolean {
  if (Math.abs(a[0] - b[0]) > COLUMN_SLACK) return false;
  if (Math.abs(a.at(-1)! - b.at(-1)!) > COLUMN_SLACK) return false;
  return b.every((x) => near(a, x)) || a.every((x) => near(b, x));
}

function unionPivots(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (const x of [...a, ...b].sort((p, q) => p - q)) {
    if (out.length > 0 && x - out.at(-1)! <= COLUMN_SLACK) continue;
    out.push(x);
  }
  return out;
}

function nearestIndex(xs: readonly number[], x: number): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
  return best;
}

function remap(cells: readonly PageCell[], from: readonly number[], to: readonly number[], rowOffset: number): PageCell[] {
  return cells.map((c) => {
    const col = nearestIndex(to, from[c.col]);
    const end = nearestIndex(to, from[c.col + c.colSpan]);
    return { ...c, row: c.row + rowOffset, col, colSpan: Math.max(1, end - col) };
  });
}

const text = (c: PageCell): string => cleanText(c.lines.join('\n'));
/** Starts like an item of a numbered list: 一、 （二） 3. 4、 第五条 (but not 第三方). */
const ENUMERATED = /^(?:[（(][一二三四五六七八九十百\d]+[）)]|[一二三四五六七八九十百]+[、.．]|\d+[、.．]|第[一二三四五六七八九十百\d]+[条项章节款部])/;
const NUMERIC = /^[-+]?[\d,.%\s]+$|^[-—–/／]$/;

/** Text that goes on from the cell above: not empty, not a number, not the next item of a list. */
function continues(c: PageCell): boolean {
  const t = text(c);
  return t !== '' && !NUMERIC.test(t) && !ENUMERATED.test(t);
}

/**
 * How many first rows of the continuation repeat the table's own first rows (Word and WPS repeat
 * header rows on every page when asked to): those rows are dropped.
 */
function repeatedHeaderRows(upper: readonly PageCell[], lower: readonly PageCell[]): number {
  const signature = (cells: readonly PageCell[], k: number): string | undefined => {
    const inside = cells.filter((c) => c.row < k);
    if (inside.some((c) => c.row + c.rowSpan > k)) return undefined;
    if (!inside.some((c) => text(c) !== '')) return undefined;
    return inside
      .map((c) => `${c.row},${c.col},${c.rowSpan},${c.colSpan}:${text(c)}`)
      .sort()
      .join('|');
  };
  for (let k = 4; k >= 1; k--) {
    const sig = signature(upper, k);
    if (sig !== undefined && sig === signature(lower, k)) return k;
  }
  return 0;
}

/** Append `b` (the next page's table) below `a`. */
export function joinTables(a: TableDraft, b: PageTable): TableDraft {
  const xs = unionPivots(a.xs, b.xs);
  const upper = remap(a.cells, a.xs, xs, 0);
  const repeated = repeatedHeaderRows(upper, remap(b.cells, b.xs, xs, 0));
  const lowerAtZero = remap(
    b.cells.filter((c) => c.row >= repeated),
    b.xs,
    xs,
    -repeated,
  );
  const lowerRows = b.rowCount - repeated;
  const bottom = upper.filter((c) => c.row + c.rowSpan === a.rowCount);
  const top = lowerAtZero.filter((c) => c.row === 0);
  const partner = new Map<PageCell, PageCell>();
  for (const t of top) {
    const u = bottom.find((c) => c.col === t.col && c.colSpan === t.colSpan);
    if (u) partner.set(t, u);
  }
  const columns = xs.length - 1;

  // A row cut in two by the page break: every cell of the first row goes on from its cell above
  // (its text wraps on, or it is empty), and the row is not just empty.
  const pairs = [...partner];
  const rowSplit =
    top.length > 0 &&
    partner.size === top.length &&
    partner.size === bottom.length &&
    pairs.every(([t, u]) => text(t) === '' || text(u) === '' || continues(t)) &&
    (pairs.some(([t, u]) => text(u) !== '' && continues(t)) || top.every((t) => text(t) === ''));

  const rowOffset = rowSplit ? a.rowCount - 1 : a.rowCount;
  const absorbed = new Set<PageCell>();
  for (const [t, u] of pairs) {
    if (rowSplit) {
      u.lines = [...u.lines, ...t.lines];
      u.rowSpan += t.rowSpan - 1;
      absorbed.add(t);
      continue;
    }
    if (t.colSpan >= columns) continue;
    const verticalMerge = t.rowSpan > 1 || u.rowSpan > 1;
    // An empty first cell under a merged cell is that merge continued; a wrapped group label
    // ("（四）无" / "法提供") is one label.
    const emptyContinuation = text(t) === '' && text(u) !== '' && verticalMerge;
    const wrappedLabel = text(u) !== '' && continues(t) && verticalMerge && !NUMERIC.test(text(u));
    if (emptyContinuation || wrappedLabel) {
      u.lines = [...u.lines, ...t.lines];
      u.rowSpan += t.rowSpan;
      absorbed.add(t);
    }
  }
  const lower = lowerAtZero
    .filter((c) => !absorbed.has(c))
    .map((c) => ({ ...c, row: c.row + rowOffset }));
  return {
    pages: [...a.pages, b.page],
    xs,
    rowCount: rowOffset + lowerRows,
    cells: [...upper, ...lower],
  };
}

export function toTableBlock(d: TableDraft, index: number): TableBlock {
  const cells: SourceCell[] = d.cells.map((c) => ({
    row: c.row,
    col: c.col,
    rowSpan: c.rowSpan,
    colSpan: c.colSpan,
    raw: c.lines.join('\n'),
    page: c.page,
  }));
  const block = buildGrid(cells, index, [...new Set(d.pages)]);
  // Slots no cell covers (a borderless row with a gap) are on the page of their row.
  for (const row of block.grid) {
    const page = row.find((c) => c.page !== undefined)?.page ?? d.pages[0];
    for (const slot of row) slot.page ??= page;
  }
  return block;
}
