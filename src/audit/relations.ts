/**
 * The hard relations of format.md as data (H1–H4), and how blank cells are judged in them:
 * a relation that fails with blanks read as 0 but could hold if the blanks on the short side
 * were filled in is incomplete (a warning, once per table), not inconsistent (an error).
 */
import { APPLICANT_COLUMNS, REQUEST_COLUMNS, REQUEST_GROUPS, REVIEW_COLUMNS, REVIEW_GROUPS, REQUEST_ROWS } from '../report/paths.ts';
import type { Report } from '../report/schema.ts';

export interface Relation {
  relation: 'H1' | 'H2' | 'H3' | 'H4';
  table: '表三' | '表四';
  /** What is summed, and what it must equal. */
  parts: string[];
  totals: string[];
  /** Human words for the two sides and the place. */
  zh: string;
}

const colZh = (k: string) => REQUEST_COLUMNS.find((c) => c.key === k)!.zh;

/** The leaf result rows of this report's 表三, in table order (a group given as one row is one leaf). */
export function leafRows(report: Report): string[] {
  const keys: string[] = [];
  const present = (k: string) => report.values[`requests.${k}.total`] !== undefined;
  for (const r of REQUEST_ROWS) {
    if (!r.leaf) continue;
    const collapsed = r.group ? `${r.group}.unitemized` : undefined;
    if (collapsed && !keys.includes(collapsed) && present(collapsed)) keys.push(collapsed);
    if (present(r.key)) keys.push(r.key);
  }
  return keys;
}

export function relations(report: Report): Relation[] {
  const out: Relation[] = [];
  const leaves = leafRows(report);
  for (const c of REQUEST_COLUMNS) {
    out.push({
      relation: 'H1',
      table: '表三',
      parts: [`requests.received.${c.key}`, `requests.carriedOver.${c.key}`],
      totals: [`requests.resultsTotal.${c.key}`, `requests.carriedForward.${c.key}`],
      zh: `表三 ${colZh(c.key)}列：一、本年新收 + 二、上年结转 应等于 （七）总计 + 四、结转下年度继续办理`,
    });
  }
  for (const c of REQUEST_COLUMNS) {
    out.push({
      relation: 'H2',
      table: '表三',
      parts: leaves.map((k) => `requests.${k}.${c.key}`),
      totals: [`requests.resultsTotal.${c.key}`],
      zh: `表三 ${colZh(c.key)}列：各项办理结果之和 应等于 （七）总计`,
    });
  }
  const rows = ['received', 'carriedOver', ...leaves, 'resultsTotal', 'carriedForward'];
  for (const k of rows) {
    const zh = REQUEST_ROWS.find((r) => r.key === k)?.zh ?? REQUEST_GROUPS.find((g) => k === `${g.key}.unitemized`)?.zh ?? k;
    out.push({
      relation: 'H3',
      table: '表三',
      parts: APPLICANT_COLUMNS.map((c) => `requests.${k}.${c}`),
      totals: [`requests.${k}.total`],
      zh: `表三 “${zh}”行：自然人与五类法人或其他组织之和 应等于 总计`,
    });
  }
  for (const g of REVIEW_GROUPS) {
    out.push({
      relation: 'H4',
      table: '表四',
      parts: REVIEW_COLUMNS.filter((c) => c.key !== 'total').map((c) => `reviewLitigation.${g.key}.${c.key}`),
      totals: [`reviewLitigation.${g.key}.total`],
      zh: `表四 ${g.zh}：结果维持 + 结果纠正 + 其他结果 + 尚未审结 应等于 总计`,
    });
  }
  return out;
}

export type Verdict =
  | { kind: 'holds' | 'unknown' }
  | { kind: 'fails'; parts: number; totals: number }
  /** Fails with blanks as 0, but the blanks on the short side could make it hold. */
  | { kind: 'incomplete'; parts: number; totals: number; blanks: string[] };

export function judge(report: Report, rel: Relation): Verdict {
  const sum = (paths: string[]) => {
    let s = 0;
    for (const p of paths) {
      const v = report.values[p]?.value;
      if (v === null || v === undefined) return null;
      s += v;
    }
    return s;
  };
  const parts = sum(rel.parts);
  const totals = sum(rel.totals);
  if (parts === null || totals === null) return { kind: 'unknown' };
  if (Math.abs(parts - totals) < 1e-9) return { kind: 'holds' };
  const short = parts < totals ? rel.parts : rel.totals;
  const blanks = short.filter((p) => report.values[p]?.kind === 'blank');
  return blanks.length > 0 ? { kind: 'incomplete', parts, totals, blanks } : { kind: 'fails', parts, totals };
}
