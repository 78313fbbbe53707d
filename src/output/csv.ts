/** findings.csv and values.csv: UTF-8 with BOM and CRLF, so Excel on Chinese Windows opens them. */
import { stringify } from 'csv-stringify/sync';
import type { Report } from '../report/schema.ts';

/** A text cell Excel would run as a formula gets a leading apostrophe; plain numbers stay as they are. */
export function guardCell(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (/^[=@\t\r]/.test(v)) return `'${v}`;
  if (/^[+-]/.test(v) && !/^[+-]?\d+(\.\d+)?$/.test(v) && !/^[-+]+$/.test(v)) return `'${v}`;
  return v;
}

export const VALUES_HEADER = ['document', 'agency', 'year', 'template', 'path', 'value', 'raw', 'kind', 'page'];
export const FINDINGS_HEADER = ['document', 'agency', 'year', 'rule', 'severity', 'message', 'paths', 'expected', 'actual', 'pages'];

/** CSV text of rows, CRLF-terminated, cells guarded; `header` adds the BOM and the header row. */
export function csvRows(rows: unknown[][], header?: string[]): string {
  const all = header ? [header, ...rows] : rows;
  if (all.length === 0) return '';
  return stringify(all.map((r) => r.map(guardCell)), { bom: Boolean(header), record_delimiter: 'windows' });
}

export function valueRows(r: Report): unknown[][] {
  return Object.entries(r.values).map(([path, v]) => [r.source.path, r.meta.agency ?? '', r.meta.year ?? '', r.meta.template ?? '', path, v.value ?? '', v.raw, v.kind, v.page ?? '']);
}

export function findingRows(r: Report): unknown[][] {
  const rows: unknown[][] = [];
  for (const e of r.errors) rows.push([r.source.path, r.meta.agency ?? '', r.meta.year ?? '', `document.${e.code}`, 'error', e.message, '', '', '', '']);
  for (const f of r.findings) {
    const pages = [...new Set((f.cells ?? []).map((c) => c.page).filter((p) => p !== undefined))].join(';');
    rows.push([r.source.path, r.meta.agency ?? '', r.meta.year ?? '', f.rule, f.severity, f.message, f.paths.join(';'), f.expected ?? '', f.actual ?? '', pages]);
  }
  return rows;
}
