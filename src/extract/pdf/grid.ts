/**
 * Ruled tables of one page: ruling segments → connected clusters (one per table) → grid pivots →
 * cells (a cell spans two slots where the border between them is not drawn) → text placed by the
 * centre of each run.
 */
import type { PageCell, PageTable, Rect, Segment, TextRun } from './geometry.ts';
import { containsPoint } from './geometry.ts';
import { groupLines } from './text.ts';

/** Lines meet, and positions are the same pivot, within this many points. */
const SNAP = 2.5;
/** A drawing with more lines or slots than this (a chart, a hatched map) is not a report table. */
const MAX_SEGMENTS = 4000;
const MAX_SLOTS = 40000;

/** Union-find over segment indices. */
function makeSets(n: number): { find: (i: number) => number; union: (a: number, b: number) => void } {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  return { find, union: (a, b) => void (parent[find(a)] = find(b)) };
}

/** Groups of segments that touch each other: each group is one table (or frame, or underline). */
export function clusterSegments(segments: readonly Segment[]): Segment[][] {
  const hs = segments.filter((s) => s.horizontal).sort((a, b) => a.at - b.at);
  const vs = segments.filter((s) => !s.horizontal);
  const all = [...hs, ...vs];
  const sets = makeSets(all.length);
  for (let j = 0; j < vs.length; j++) {
    const v = vs[j];
    // First horizontal at or below v.from - SNAP, by binary search; then walk while above v.to + SNAP.
    let lo = 0;
    let hi = hs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hs[mid].at < v.from - SNAP) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < hs.length && hs[i].at <= v.to + SNAP; i++) {
      const h = hs[i];
      if (v.at >= h.from - SNAP && v.at <= h.to + SNAP) sets.union(i, hs.length + j);
    }
  }
  const groups = new Map<number, Segment[]>();
  all.forEach((s, i) => {
    const root = sets.find(i);
    const g = groups.get(root);
    if (g) g.push(s);
    else groups.set(root, [s]);
  });
  return [...groups.values()];
}

/** Sorted positions merged where they lie within SNAP of each other (chained), as their means. */
function pivots(values: number[]): number[] {
  values.sort((a, b) => a - b);
  const out: number[] = [];
  let sum = 0;
  let n = 0;
  let last = -Infinity;
  for (const v of values) {
    if (n > 0 && v - last > SNAP) {
      out.push(sum / n);
      sum = 0;
      n = 0;
    }
    sum += v;
    n++;
    last = v;
  }
  if (n > 0) out.push(sum / n);
  return out;
}

function indexOfPivot(ps: readonly number[], v: number): number {
  let best = -1;
  let bestD = SNAP + 1e-6;
  for (let i = 0; i < ps.length; i++) {
    const d = Math.abs(ps[i] - v);
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/** Index i such that ps[i] <= v < ps[i+1], clamped to the slots. */
function slotOf(ps: readonly number[], v: number): number {
  let lo = 0;
  let hi = ps.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ps[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

interface Grid {
  xs: number[];
  ys: number[];
  cells: GridCell[];
  /** owner[r * cols + c] = index into cells. */
  owner: Int32Array;
}

/** Is a border drawn along most of the slot [from, to] by one of these segments? */
function drawn(segs: readonly Segment[] | undefined, from: number, to: number): boolean {
  if (!segs) return false;
  const need = 0.5 * (to - from);
  for (const s of segs) if (Math.min(s.to, to) - Math.max(s.from, from) >= need) return true;
  return false;
}

function cellsOf(xs: number[], ys: number[], hs: readonly Segment[], vs: readonly Segment[]): Grid {
  const C = xs.length - 1;
  const R = ys.length - 1;
  const vAt: Segment[][] = xs.map(() => []);
  const hAt: Segment[][] = ys.map(() => []);
  for (const v of vs) {
    const k = indexOfPivot(xs, v.at);
    if (k >= 0) vAt[k].push(v);
  }
  for (const h of hs) {
    const k = indexOfPivot(ys, h.at);
    if (k >= 0) hAt[k].push(h);
  }
  const vEdge = (k: number, r: number) => k === 0 || k === C || drawn(vAt[k], ys[r], ys[r + 1]);
  const hEdge = (r: number, c: number) => r === 0 || r === R || drawn(hAt[r], xs[c], xs[c + 1]);
  const owner = new Int32Array(R * C).fill(-1);
  const cells: GridCell[] = [];
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      if (owner[r * C + c] >= 0) continue;
      let colSpan = 1;
      while (c + colSpan < C && !vEdge(c + colSpan, r) && owner[r * C + c + colSpan] < 0) colSpan++;
      let rowSpan = 1;
      grow: while (r + rowSpan < R) {
        for (let k = c; k < c + colSpan; k++) {
          if (hEdge(r + rowSpan, k) || owner[(r + rowSpan) * C + k] >= 0) break grow;
        }
        rowSpan++;
      }
      const id = cells.length;
      cells.push({ row: r, col: c, rowSpan, colSpan });
      for (let rr = r; rr < r + rowSpan; rr++) for (let k = c; k < c + colSpan; k++) owner[rr * C + k] = id;
    }
  }
  return { xs, ys, cells, owner };
}

/** How far short of a crossing line a border may stop and still meet it (stroke joins overlap). */
const REACH = 0.8;

/**
 * A border runs from a crossing line (or the table's edge) to another, reaching it. A line that
 * stops short of the cell's sides at either end is an underline or a strike-through in the cell
 * (LibreOffice insets them ~1.5pt) and must not cut the cell in two.
 */
function anchoredOnly(own: readonly Segment[], crossing: readonly Segment[], lo: number, hi: number): Segment[] {
  const crosses = (s: Segment, c: Segment) => c.from - SNAP <= s.at && s.at <= c.to + SNAP;
  // Reaching any of the crossing line's ink counts: its stroke width, or the inner line of a double
  // border (LibreOffice starts cell borders at the inner line of a table's frame).
  const startMeets = (s: Segment) =>
    s.from - lo <= REACH ||
    crossing.some((c) => crosses(s, c) && s.from <= (c.hi ?? c.at) + REACH && s.from >= (c.lo ?? c.at) - SNAP);
  const endMeets = (s: Segment) =>
    hi - s.to <= REACH ||
    crossing.some((c) => crosses(s, c) && s.to >= (c.lo ?? c.at) - REACH && s.to <= (c.hi ?? c.at) + SNAP);
  return own.filter((s) => startMeets(s) && endMeets(s));
}

/** The grid of one cluster, with pivots that no cell boundary uses removed; undefined if degenerate. */
export function gridOf(cluster: readonly Segment[]): Grid | undefined {
  const allH = cluster.filter((s) => s.horizontal);
  const allV = cluster.filter((s) => !s.horizontal);
  const x0 = Math.min(...allH.map((s) => s.from), ...allV.map((s) => s.at));
  const x1 = Math.max(...allH.map((s) => s.to), ...allV.map((s) => s.at));
  const y0 = Math.min(...allV.map((s) => s.from), ...allH.map((s) => s.at));
  const y1 = Math.max(...allV.map((s) => s.to), ...allH.map((s) => s.at));
  const hs = anchoredOnly(allH, allV, x0, x1);
  const vs = anchoredOnly(allV, allH, y0, y1);
  if (hs.length === 0 || vs.length === 0) return undefined;
  let xs = pivots([...vs.map((s) => s.at), ...hs.flatMap((s) => [s.from, s.to])]);
  let ys = pivots([...hs.map((s) => s.at), ...vs.flatMap((s) => [s.from, s.to])]);
  if (xs.length < 2 || ys.length < 2 || (xs.length - 1) * (ys.length - 1) > MAX_SLOTS) return undefined;
  for (let pass = 0; pass < 3; pass++) {
    const grid = cellsOf(xs, ys, hs, vs);
    const colStarts = new Set(grid.cells.map((c) => c.col));
    const rowStarts = new Set(grid.cells.map((c) => c.row));
    const keepX = xs.filter((_, k) => k === 0 || k === xs.length - 1 || colStarts.has(k));
    const keepY = ys.filter((_, k) => k === 0 || k === ys.length - 1 || rowStarts.has(k));
    if (keepX.length === xs.length && keepY.length === ys.length) return grid;
    xs = keepX;
    ys = keepY;
  }
  return cellsOf(xs, ys, hs, vs);
}

/**
 * Long prose in cells, or text in a single column of a two-column frame, means a framed paragraph
 * rather than a table. A grid of three or more columns is a table even with one column filled:
 * the last row of a table carried onto the next page often has only its label.
 */
function looksLikeTable(cells: readonly PageCell[], columns: number): boolean {
  const filledCols = new Set<number>();
  let total = 0;
  let prose = 0;
  for (const c of cells) {
    const len = c.lines.join('').replace(/\s+/g, '').length;
    if (len === 0) continue;
    filledCols.add(c.col);
    total += len;
    if (len >= 60) prose += len;
  }
  if (total === 0 || (filledCols.size < 2 && columns < 3)) return false;
  return prose <= 0.5 * total;
}

/**
 * Tables drawn with ruling lines on one page. Inner tables claim their text first, so a frame
 * around a table never swallows it; text of rejected candidates stays free.
 */
export function ruledTables(
  segments: readonly Segment[],
  runs: readonly TextRun[],
  page: number,
): { tables: PageTable[]; free: TextRun[] } {
  const candidates: { grid: Grid; bbox: Rect }[] = [];
  if (segments.length > 5 * MAX_SEGMENTS) return { tables: [], free: runs.slice() };
  for (const cluster of clusterSegments(segments)) {
    if (cluster.length > MAX_SEGMENTS) continue;
    const grid = gridOf(cluster);
    if (!grid || grid.xs.length < 3) continue;
    const bbox = { x0: grid.xs[0], y0: grid.ys[0], x1: grid.xs.at(-1)!, y1: grid.ys.at(-1)! };
    candidates.push({ grid, bbox });
  }
  candidates.sort((a, b) => area(a.bbox) - area(b.bbox));

  let free = runs.slice();
  const tables: PageTable[] = [];
  for (const { grid, bbox } of candidates) {
    const C = grid.xs.length - 1;
    const outside: TextRun[] = [];
    const perCell: TextRun[][] = grid.cells.map(() => []);
    for (const run of free) {
      const cx = (run.x0 + run.x1) / 2;
      const cy = (run.y0 + run.y1) / 2;
      if (!containsPoint(bbox, cx, cy)) {
        outside.push(run);
        continue;
      }
      const r = slotOf(grid.ys, cy);
      const c = slotOf(grid.xs, cx);
      perCell[grid.owner[r * C + c]].push(run);
    }
    const cells: PageCell[] = grid.cells.map((g, i) => ({
      ...g,
      lines: groupLines(perCell[i], page).map((l) => l.raw),
      page,
    }));
    if (!looksLikeTable(cells, C)) continue;
    tables.push({ page, bbox, xs: grid.xs, rowCount: grid.ys.length - 1, cells });
    free = outside;
  }
  tables.sort((a, b) => a.bbox.y0 - b.bbox.y0);
  return { tables, free };
}

function area(r: Rect): number {
  return (r.x1 - r.x0) * (r.y1 - r.y0);
}
