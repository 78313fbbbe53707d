/** Reading rows of an expanded grid: which slots are distinct cells, which are labels, which values. */
import type { Cell, TableBlock } from '../extract/model.ts';
import type { ValueCell } from '../report/schema.ts';
import type { ValueType } from '../report/paths.ts';
import { parseNumber } from './numbers.ts';
import { labelKey } from './text.ts';

export interface Slot {
  cell: Cell;
  /** Column of the slot in the grid. */
  c: number;
  key: string;
}

/** The slots of row r that start a cell in that row, left to right (merged copies dropped). */
export function ownSlots(table: TableBlock, r: number): Slot[] {
  const out: Slot[] = [];
  const row = table.grid[r];
  for (let c = 0; c < row.length; c++) {
    const cell = row[c];
    if (cell.row !== r && cell.rowSpan > 1) continue; // continuation of a vertical merge
    if (cell.col !== c) continue; // continuation of a horizontal merge
    out.push({ cell, c, key: labelKey(cell.text) });
  }
  return out;
}

/** Distinct cells of row r left to right, vertical merges from above included (label context). */
export function rowCells(table: TableBlock, r: number): Slot[] {
  const out: Slot[] = [];
  const row = table.grid[r];
  for (let c = 0; c < row.length; c++) {
    const cell = row[c];
    // Slots of one merged cell are next to each other within a row.
    const previous = out[out.length - 1]?.cell;
    if (previous && previous.row === cell.row && previous.col === cell.col) continue;
    out.push({ cell, c, key: labelKey(cell.text) });
  }
  return out;
}

export function isValueText(text: string): boolean {
  return parseNumber(text, 'amount').kind !== 'illegible';
}

/** A value read from one grid slot, with its provenance. */
export function readSlot(table: TableBlock, r: number, c: number, type: ValueType): ValueCell {
  const cell = table.grid[r]?.[c];
  if (!cell) return { value: null, raw: '', kind: 'missing', table: table.index, row: r, col: c };
  // A slot that continues a merge from another row or column does not hold this row's number.
  const own = cell.row === r || cell.rowSpan === 1;
  const raw = own ? cell.raw : '';
  const parsed = parseNumber(raw, type);
  const v: ValueCell = { value: parsed.value, raw, kind: parsed.kind, table: table.index, row: r, col: c };
  if (parsed.note) v.note = parsed.note;
  if (cell.page !== undefined) v.page = cell.page;
  if (parsed.kind === 'number' && type !== 'amount' && parsed.value !== null && !Number.isInteger(parsed.value)) {
    v.note = [v.note, 'not an integer'].filter(Boolean).join(' ');
  }
  return v;
}

export function missing(): ValueCell {
  return { value: null, raw: '', kind: 'missing' };
}
