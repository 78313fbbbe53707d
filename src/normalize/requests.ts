/** 表三: find its rows by their labels (over page breaks and broken tables) and read 7 columns. */
import type { TableBlock } from '../extract/model.ts';
import { REQUEST_COLUMNS, type RequestGroup } from '../report/paths.ts';
import type { ValueCell } from '../report/schema.ts';
import { GROUP_PATTERNS, LEAF_PATTERNS, REQUEST_COLUMN_PATTERNS, TOP_ROW_PATTERNS, matchFirst } from './labels.ts';
import { isValueText, missing, readSlot, rowCells } from './grid.ts';

export interface RequestsReading {
  values: Record<string, ValueCell>;
  /** Row keys in the order found. */
  rows: string[];
  otherHandling?: 'itemized' | 'unitemized';
  tables: number[];
  notes: string[];
}

/** A header row names at least two applicant columns (or is the 申请人情况 row). */
function isHeaderRow(table: TableBlock, r: number): boolean {
  const keys = rowCells(table, r).map((s) => s.key);
  return keys.some((k) => /申请人情况|勾稽关系/.test(k)) || keys.filter((k) => matchFirst(REQUEST_COLUMN_PATTERNS, k)).length >= 2;
}

/**
 * The header blocks of a table and the grid column of each of the 7 value columns under each.
 * A table printed in two parts (or two tables whose rulings touch) repeats its header, sometimes
 * with other column positions: each part is read by its own header.
 */
/** Grid column of each of the 7 value columns; undefined where the table does not show it. */
type Columns = (number | undefined)[];

function headerBlocks(table: TableBlock): { start: number; end: number; columns?: Columns }[] {
  const blocks: { start: number; end: number; columns?: Columns }[] = [];
  for (let r = 0; r < table.grid.length; r++) {
    if (!isHeaderRow(table, r)) continue;
    const last = blocks[blocks.length - 1];
    if (last && last.end === r - 1) last.end = r;
    else blocks.push({ start: r, end: r });
  }
  for (const block of blocks) {
    const found = new Map<string, number>();
    for (let r = block.start; r <= block.end; r++) {
      for (const s of rowCells(table, r)) {
        const k = matchFirst(REQUEST_COLUMN_PATTERNS, s.key);
        if (k && !found.has(k)) found.set(k, s.c);
      }
    }
    const columns = REQUEST_COLUMNS.map((c) => found.get(c.key));
    const shown = columns.filter((c) => c !== undefined);
    // A table cut off at the page edge names only some columns: read those, the rest are missing
    // (guessing "the last seven" there would read labels as numbers).
    if (shown.length >= 3 && new Set(shown).size === shown.length) block.columns = columns;
  }
  return blocks;
}

function lastColumns(width: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => width - n + i);
}

/** The canonical row a label belongs to; `carried` is the group of the row above (a vertical
 * group label can be lost where a table breaks across pages). */
export function classifyRequestRow(labels: string[], carried: RequestGroup | undefined): { key: string; group?: RequestGroup } | undefined {
  const groupAt = labels.findIndex((l) => matchFirst(GROUP_PATTERNS, l));
  let group = groupAt >= 0 ? matchFirst(GROUP_PATTERNS, labels[groupAt]) : undefined;
  const rest = labels.filter((_, i) => i !== groupAt);
  if (!group) {
    for (const l of labels) {
      const top = matchFirst(TOP_ROW_PATTERNS, l);
      if (top) return { key: top };
    }
    const numbered = labels.some((l) => /^\d+\./.test(l));
    if (!carried || !numbered) return undefined;
    group = carried;
  }
  for (const l of rest) {
    const leaf = matchFirst(LEAF_PATTERNS[group], l);
    if (leaf) return { key: `${group}.${leaf}`, group };
  }
  if (groupAt < 0) {
    // The carried group was wrong (the next group's label was lost at a page break): a leaf that
    // belongs to exactly one group decides.
    const hits = GROUP_PATTERNS.flatMap(([g]) => rest.flatMap((l) => (matchFirst(LEAF_PATTERNS[g], l) ? [{ g, leaf: matchFirst(LEAF_PATTERNS[g], l)! }] : [])));
    if (hits.length === 1) return { key: `${hits[0].g}.${hits[0].leaf}`, group: hits[0].g };
  }
  // The group given as one row (2019 template, or a collapsed group).
  if (groupAt >= 0 && rest.every((l) => !/^\d+\./.test(l))) return { key: `${group}.unitemized`, group };
  return undefined;
}

const MIN_ROWS = 3;

export function readRequests(tables: TableBlock[]): RequestsReading {
  const out: RequestsReading = { values: {}, rows: [], tables: [], notes: [] };
  let previous: { width: number; columns: Columns } | undefined;
  let carried: RequestGroup | undefined;
  for (const table of tables) {
    const width = table.grid[0]?.length ?? 0;
    if (width < 8) {
      previous = undefined;
      continue;
    }
    const blocks = headerBlocks(table);
    const header = blocks.find((b) => b.columns);
    const continuing = !header && previous && previous.width === width;
    let columns: Columns = continuing ? previous!.columns : lastColumns(width, REQUEST_COLUMNS.length);
    const matched: { r: number; key: string; columns: Columns }[] = [];
    for (let r = 0; r < table.grid.length; r++) {
      const block = blocks.find((b) => b.start <= r && r <= b.end);
      if (block) {
        if (block.columns) columns = block.columns;
        r = block.end;
        continue;
      }
      const shown = columns.filter((c): c is number => c !== undefined);
      const firstValue = Math.min(...shown);
      const cells = rowCells(table, r);
      const labels = cells.filter((s) => s.c < firstValue && s.key !== '').map((s) => s.key);
      if (labels.length === 0) continue;
      const valueLike = shown.filter((c) => isValueText(table.grid[r][c].text)).length;
      if (valueLike < shown.length - 1) continue;
      const hit = classifyRequestRow(labels, carried);
      if (!hit) continue;
      carried = hit.group;
      matched.push({ r, key: hit.key, columns });
    }
    // A table is 表三 (or its continuation) only if enough of its rows are 表三 rows.
    if (matched.length < MIN_ROWS && !(continuing && matched.length > 0)) {
      if (!continuing) previous = undefined;
      continue;
    }
    out.tables.push(table.index);
    previous = { width, columns };
    for (const { r, key, columns } of matched) {
      if (out.rows.includes(key)) {
        out.notes.push(`表三 row ${key} appears again in table ${table.index} row ${r}; the first one is kept`);
        continue;
      }
      out.rows.push(key);
      REQUEST_COLUMNS.forEach((col, i) => {
        const c = columns[i];
        out.values[`requests.${key}.${col.key}`] = c === undefined ? missing() : readSlot(table, r, c, 'count');
      });
    }
  }
  // A group label on a row of its own above its itemised rows is a heading (no numbers) or a
  // subtotal, not a collapsed group: counting it as a leaf would count the group twice.
  for (const key of out.rows.filter((k) => k.endsWith('.unitemized'))) {
    const group = key.split('.')[0];
    if (!out.rows.some((k) => k.startsWith(`${group}.`) && k !== key)) continue;
    const cells = REQUEST_COLUMNS.map((c) => out.values[`requests.${key}.${c.key}`]);
    if (!cells.every((v) => v.kind === 'blank')) out.notes.push(`表三 ${group}: a subtotal row above its items is left out of the sums`);
    out.rows = out.rows.filter((k) => k !== key);
    for (const c of REQUEST_COLUMNS) delete out.values[`requests.${key}.${c.key}`];
  }
  const itemized = out.rows.some((k) => k.startsWith('otherHandling.') && !k.endsWith('unitemized'));
  if (itemized) out.otherHandling = 'itemized';
  else if (out.rows.includes('otherHandling.unitemized')) out.otherHandling = 'unitemized';
  return out;
}
