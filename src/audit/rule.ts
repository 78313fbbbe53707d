/** A rule is data: an id, titles, a severity, a category, and one function. */
import type { Finding, Report, Severity, ValueCell } from '../report/schema.ts';

export type Category = 'row-sum' | 'column-total' | 'balance' | 'value' | 'completeness' | 'narrative' | 'cross-year';

export interface Rule {
  id: string;
  /** H1…H5 where format.md names the relation. */
  relation?: string;
  zh: string;
  en: string;
  severity: Severity;
  category: Category;
  /** Never throws on missing data: a missing table or row is its own finding. */
  check(report: Report): Finding[];
}

/** Where each path's cell is in the document, for a finding. */
export function locate(report: Report, paths: string[]): NonNullable<Finding['cells']> {
  return paths.map((path) => {
    const v: ValueCell | undefined = report.values[path];
    const loc: NonNullable<Finding['cells']>[number] = { path };
    if (!v) return loc;
    loc.raw = v.raw;
    for (const k of ['page', 'table', 'row', 'col'] as const) if (v[k] !== undefined) loc[k] = v[k];
    return loc;
  });
}

export function finding(report: Report, rule: Rule, f: Omit<Finding, 'rule' | 'severity' | 'cells'> & { severity?: Severity }): Finding {
  return { rule: rule.id, severity: f.severity ?? rule.severity, ...f, cells: locate(report, f.paths) };
}

/** Where a cell is, in words: 第4页 表3 第7行第5列. */
export function where(report: Report, path: string): string {
  const v = report.values[path];
  if (!v || v.table === undefined) return '';
  const page = v.page !== undefined ? `第${v.page}页 ` : '';
  return `${page}表格${v.table + 1} 第${(v.row ?? 0) + 1}行第${(v.col ?? 0) + 1}列`;
}
