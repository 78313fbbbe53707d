/**
 * Tables drawn without ruling lines: consecutive lines whose text stands in the same columns
 * (separated by wide gaps) become a table, rows by line and columns by the gaps.
 */
import type { Line, PageCell, PageTable, TextRun } from './geometry.ts';
import { joinRuns } from './text.ts';

/** A gap this many glyph heights wide separates two columns. */
const COLUMN_GAP = 1.5;
const MIN_ROWS = 3;
/** Rows of one table are at most this many glyph heights apart (baseline to baseline). */
const MAX_PITCH = 2.6;

interface Chunk {
  x0: number;
  x1: number;
  runs: TextRun[];
}

function chunksOf(line: Line): Chunk[] {
  const out: Chunk[] = [];
  for (const run of line.runs) {
    const last = out.at(-1);
    if (last && run.x0 - last.x1 < COLUMN_GAP * Math.min(run.size, line.size)) {
      last.runs.push(run);
      last.x1 = Math.max(last.x1, run.x1);
    } else {
      out.push({ x0: run.x0, x1: run.x1, runs: [run] });
    }
  }
  return out;
}

/** Column bands: the merged x-extents of the chunks of the rows with the most columns. */
function bandsOf(rows: readonly Chunk[][]): { x0: number; x1: number }[] {
  const most = Math.max(...rows.map((r) => r.length));
  const spans = rows
    .filter((r) => r.length >= most - 1 && r.length >= 2)
    .flat()
    .map((c) => ({ x0: c.x0, x1: c.x1 }))
    .sort((a, b) => a.x0 - b.x0);
  const bands: { x0: number; x1: number }[] = [];
  for (const s of spans) {
    const last = bands.at(-1);
    if (last && s.x0 <= last.x1) last.x1 = Math.max(last.x1, s.x1);
    else bands.push({ ...s });
  }
  return bands;
}

function toTable(lines: readonly Line[], rows: readonly Chunk[][], page: number): PageTable | undefined {
  const bands = bandsOf(rows);
  if (bands.length < 2) return undefined;
  const xs = [bands[0].x0];
  for (let k = 1; k < bands.length; k++) xs.push((bands[k - 1].x1 + bands[k].x0) / 2);
  xs.push(bands.at(-1)!.x1);
  xs[0] = Math.min(xs[0], ...lines.map((l) => l.x0));
  xs[xs.length - 1] = Math.max(xs.at(-1)!, ...lines.map((l) => l.x1));

  const cells: PageCell[] = [];
  let straddling = 0;
  let textChars = 0;
  rows.forEach((chunks, row) => {
    const byCol = new Map<number, PageCell>();
    for (const ch of chunks) {
      let first = -1;
      let last = -1;
      bands.forEach((b, k) => {
        if (Math.min(b.x1, ch.x1) - Math.max(b.x0, ch.x0) > 0) {
          if (first < 0) first = k;
          last = k;
        }
      });
      if (first < 0) first = last = nearestBand(bands, (ch.x0 + ch.x1) / 2);
      if (last > first) straddling++;
      const raw = joinRuns(ch.runs);
      textChars += raw.length;
      const cell = byCol.get(first);
      if (cell) cell.lines[0] += ' ' + raw;
      else {
        const c: PageCell = { row, rowSpan: 1, col: first, colSpan: last - first + 1, lines: [raw], page };
        byCol.set(first, c);
        cells.push(c);
      }
    }
  });
  // Prose in columns (or a spanning heading on every line) is not a table.
  if (straddling > rows.length / 2) return undefined;
  if (textChars / Math.max(1, cells.length) > 40) return undefined;
  const bbox = {
    x0: xs[0],
    y0: Math.min(...lines.map((l) => l.y0)),
    x1: xs.at(-1)!,
    y1: Math.max(...lines.map((l) => l.y1)),
  };
  return { page, bbox, xs, rowCount: rows.length, cells };
}

function nearestBand(bands: readonly { x0: number; x1: number }[], x: number): number {
  let best = 0;
  let bestD = Infinity;
  bands.forEach((b, k) => {
    const d = x < b.x0 ? b.x0 - x : x > b.x1 ? x - b.x1 : 0;
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  });
  return best;
}

/** Split a page's free lines (top to bottom) into borderless tables and the lines left over. */
export function borderlessTables(lines: readonly Line[], page: number): { tables: PageTable[]; lines: Line[] } {
  const tables: PageTable[] = [];
  const rest: Line[] = [];
  const chunked = lines.map((l) => chunksOf(l));
  let i = 0;
  while (i < lines.length) {
    if (chunked[i].length < 2) {
      rest.push(lines[i]);
      i++;
      continue;
    }
    let j = i + 1;
    while (
      j < lines.length &&
      chunked[j].length >= 2 &&
      lines[j].y0 - lines[j - 1].y0 <= MAX_PITCH * Math.max(lines[j].size, lines[j - 1].size)
    ) {
      j++;
    }
    const table = j - i >= MIN_ROWS ? toTable(lines.slice(i, j), chunked.slice(i, j), page) : undefined;
    if (table) tables.push(table);
    else rest.push(...lines.slice(i, j));
    i = j;
  }
  return { tables, lines: rest };
}
