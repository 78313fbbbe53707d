/** 表四: one data row of 15 numbers under the 行政复议 / 行政诉讼 header. */
import type { TableBlock } from '../extract/model.ts';
import { REVIEW_COLUMNS, REVIEW_GROUPS } from '../report/paths.ts';
import type { ValueCell } from '../report/schema.ts';
import { isValueText, missing, ownSlots, readSlot, rowCells } from './grid.ts';

const WIDTH = REVIEW_GROUPS.length * REVIEW_COLUMNS.length;

export interface ReviewReading {
  values: Record<string, ValueCell>;
  table?: number;
}

function isHeaderTable(table: TableBlock): boolean {
  let review = false;
  let suit = false;
  for (let r = 0; r < Math.min(table.grid.length, 4); r++) {
    for (const s of ownSlots(table, r)) {
      if (/行政复议/.test(s.key)) review = true;
      if (/行政诉讼/.test(s.key)) suit = true;
    }
  }
  return review && suit;
}

/** The first row after the header whose last 15 distinct cells are all values. */
function dataRow(table: TableBlock, from: number): { r: number; columns: number[] } | undefined {
  for (let r = from; r < table.grid.length; r++) {
    const cells = rowCells(table, r).filter((s) => s.cell.row === r || s.cell.rowSpan === 1);
    if (cells.length < WIDTH) continue;
    const last = cells.slice(-WIDTH);
    if (last.every((s) => isValueText(s.cell.text)) && last.some((s) => s.key !== '')) return { r, columns: last.map((s) => s.c) };
    if (last.every((s) => s.key === '') && cells.length === WIDTH) return { r, columns: last.map((s) => s.c) };
  }
  return undefined;
}

export function readReview(tables: TableBlock[]): ReviewReading {
  const values: Record<string, ValueCell> = {};
  for (let i = 0; i < tables.length; i++) {
    if (!isHeaderTable(tables[i])) continue;
    // The data row may have gone to the next table where a page break split 表四.
    const own = dataRow(tables[i], 1);
    const next = !own && tables[i + 1] ? dataRow(tables[i + 1], 0) : undefined;
    const found = own ?? next;
    if (!found) continue;
    const table = own ? tables[i] : tables[i + 1];
    let k = 0;
    for (const g of REVIEW_GROUPS) {
      for (const c of REVIEW_COLUMNS) values[`reviewLitigation.${g.key}.${c.key}`] = readSlot(table, found.r, found.columns[k++], 'count');
    }
    return { values, table: table.index };
  }
  for (const g of REVIEW_GROUPS) for (const c of REVIEW_COLUMNS) values[`reviewLitigation.${g.key}.${c.key}`] = missing();
  return { values };
}
