/** Counts stated in the text against the tables, and stated totals against their listed parts. */
import { APPLICANT_COLUMNS, DERIVED_PATHS, REVIEW_COLUMNS } from '../../report/paths.ts';
import type { Finding, Report } from '../../report/schema.ts';
import { finding, type Rule } from '../rule.ts';
import { fmt } from './tables.ts';

/**
 * The value a table gives for a path. A 总计 cell left blank in a row whose other cells are
 * filled is an omission, not a zero: the row's sum stands for it (the incompleteness is reported
 * by tables.incomplete, once).
 */
export function tableValue(report: Report, path: string): number | undefined {
  if (DERIVED_PATHS[path]) {
    const terms = cellsOf(report, path);
    return terms.length ? sumOf(report, terms) : undefined;
  }
  const v = report.values[path];
  if (!v || v.value === null) return undefined;
  if (v.kind === 'blank' && path.endsWith('.total')) {
    const row = path.slice(0, -'.total'.length);
    const parts = path.startsWith('requests.')
      ? APPLICANT_COLUMNS.map((c) => report.values[`${row}.${c}`])
      : REVIEW_COLUMNS.filter((c) => c.key !== 'total').map((c) => report.values[`${row}.${c.key}`]);
    if (parts.every((p) => p && p.value !== null) && parts.some((p) => p!.kind === 'number')) {
      return parts.reduce((s, p) => s + (p!.value ?? 0), 0);
    }
  }
  return v.value;
}

/** The cells a path stands for (a derived sum names its terms). */
export function cellsOf(report: Report, path: string): string[] {
  const derived = DERIVED_PATHS[path];
  return derived ? derived.of((p) => report.values[p] !== undefined) : [path];
}

/** Other readings format.md allows, each a set of cells whose sum the claim may mean. */
function alternatives(path: string): string[][] {
  // 收到申请75件 sometimes means 一 + 二 (new this year plus carried over).
  const received = /^requests\.received\.(\w+)$/.exec(path);
  if (received) return [[path, `requests.carriedOver.${received[1]}`]];
  // 2019: 主动公开规章13件 may count the 新制作 or the 新公开 column.
  const published = /^active\.(rules|normativeDocs)\.published$/.exec(path);
  if (published) return [[`active.${published[1]}.made`]];
  return [];
}

function sumOf(report: Report, paths: string[]): number | undefined {
  let s = 0;
  for (const p of paths) {
    const v = tableValue(report, p);
    if (v === undefined) return undefined;
    s += v;
  }
  return s;
}

function describe(path: string): string {
  return DERIVED_PATHS[path]?.zh ?? path;
}

export const narrativeVsTable: Rule = {
  id: 'narrative.vsTable',
  zh: '正文所述数字与表格不一致',
  en: 'a count stated in the text differs from the table',
  severity: 'warning',
  category: 'narrative',
  check(report) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const claim of report.narrative) {
      if (claim.path.startsWith('narrative.') || claim.approximate) continue;
      const key = `${claim.path}=${claim.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const actual = tableValue(report, claim.path);
      if (actual === undefined || actual === claim.value) continue;
      if (alternatives(claim.path).some((alt) => sumOf(report, alt) === claim.value)) continue;
      const cells = cellsOf(report, claim.path);
      const blankTotals = cells.some((p) => report.values[p]?.kind === 'blank' && tableValue(report, p) !== 0);
      out.push(
        finding(report, narrativeVsTable, {
          message: `正文称 ${describe(claim.path)} 为 ${fmt(claim.value)}，表中为 ${fmt(actual)}${blankTotals ? '（总计栏空白，按该行各栏之和计）' : ''}：“${claim.text.slice(0, 80)}”`,
          paths: cells,
          expected: actual,
          actual: claim.value,
          text: claim.text,
        }),
      );
    }
    return out;
  },
};

export const partsSum: Rule = {
  id: 'narrative.partsSum',
  zh: '正文所述总数与其所列分项之和不一致',
  en: 'a total stated in the text differs from the sum of the parts it lists',
  severity: 'warning',
  category: 'narrative',
  check(report) {
    return report.narrative
      .filter((c) => c.parts && c.parts.length > 1)
      .filter((c) => c.parts!.reduce((s, x) => s + x, 0) !== c.value)
      .map((c) => {
        const sum = c.parts!.reduce((s, x) => s + x, 0);
        return finding(report, partsSum, {
          message: `正文称共 ${c.value}，所列分项 ${c.parts!.join('+')} = ${sum}：“${c.text.slice(0, 80)}”`,
          paths: [c.path],
          expected: sum,
          actual: c.value,
          text: c.text,
        });
      });
  },
};
