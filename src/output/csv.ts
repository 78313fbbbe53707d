/** CSV as Excel on Chinese Windows opens it: UTF-8 with BOM, CRLF, text that would run as a formula guarded. */
import { stringify } from 'csv-stringify/sync';

/** A text cell Excel would run as a formula gets a leading apostrophe; plain numbers stay as they are. */
export function guardCell(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (/^[=@\t\r]/.test(v)) return `'${v}`;
  if (/^[+-]/.test(v) && !/^[+-]?\d+(\.\d+)?$/.test(v) && !/^[-+]+$/.test(v)) return `'${v}`;
  return v;
}

/** CSV text of rows, CRLF-terminated, cells guarded; `header` adds the BOM and the header row. */
export function csvRows(rows: unknown[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  if (all.length === 0) return '';
  // A lone \n or \r in a cell (a <br> in a table cell) must be quoted too: csv-stringify quotes
  // only cells holding the record delimiter, \r\n.
  return stringify(all.map((r) => r.map(guardCell)), { bom: Boolean(header), record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}
