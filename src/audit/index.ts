/** The rule catalogue and the audit of one report. */
import type { Finding, Report } from '../report/schema.ts';
import type { Rule } from './rule.ts';
import { narrativeVsTable, partsSum } from './rules/narrative.ts';
import { blankAsZero, columnBalance, groupSum, incomplete, resultsSum, rowTotal } from './rules/tables.ts';
import { illegible, missingTable, nonNegativeInteger } from './rules/values.ts';

export type { Rule } from './rule.ts';

export const RULES: Rule[] = [
  columnBalance,
  resultsSum,
  rowTotal,
  groupSum,
  nonNegativeInteger,
  illegible,
  incomplete,
  missingTable,
  narrativeVsTable,
  partsSum,
  blankAsZero,
];

const RANK = { error: 0, warning: 1, info: 2 } as const;

export function audit(report: Report, rules: Rule[] = RULES): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) out.push(...rule.check(report));
  // Stable order: severity, then catalogue order (sort is stable).
  return out.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}
