/**
 * Checks between years of the same body (format.md "Across years"): near-hard relations, so
 * warnings (mergers and scope changes break them), each on the later report, naming both.
 */
import { ACTIVE_2019, REQUEST_COLUMNS } from '../report/paths.ts';
import type { Finding, Report } from '../report/schema.ts';
import { locate } from './rule.ts';

export const CROSS_YEAR_RULES = [
  { id: 'crossYear.carriedOver', zh: '本年“上年结转”应等于上一年度报告的“结转下年度继续办理”', en: 'carried over (Y) = carried forward (Y−1), per column', severity: 'warning' as const },
  { id: 'crossYear.inForce', zh: '现行有效件数应约等于上年现行有效 + 本年制发 − 本年废止', en: '2021 表二: in force (Y) ≈ in force (Y−1) + issued (Y) − repealed (Y)', severity: 'info' as const },
  { id: 'crossYear.projectCount', zh: '本年“上一年项目数量”应等于上一年度报告的“上一年项目数量”加“本年增/减”', en: '2019 表二: previous (Y) = previous (Y−1) + change (Y−1)', severity: 'info' as const },
  { id: 'crossYear.publicTotal', zh: '“对外公开总数量”应约等于上一年度的总数加本年新公开数量', en: '2019 表二: total public (Y) ≈ total public (Y−1) + published (Y)', severity: 'info' as const },
  { id: 'crossYear.copiedTables', zh: '表三与另一年度的报告完全相同（疑似照抄）', en: '表三 identical to another year’s report (copied tables)', severity: 'warning' as const },
];

/** One name for one body: no spaces or brackets, 人民政府 and 政府 alike. */
export function agencyKey(agency: string): string {
  return agency
    .normalize('NFKC')
    .replace(/[\s()（）【】[\]]/gu, '')
    .replace(/人民政府/gu, '政府');
}

const value = (r: Report, p: string) => r.values[p]?.value ?? null;

function finding(later: Report, earlier: Report, rule: (typeof CROSS_YEAR_RULES)[number], f: Omit<Finding, 'rule' | 'severity' | 'cells' | 'related'>): Finding {
  return { rule: rule.id, severity: rule.severity, ...f, related: earlier.source.path, cells: locate(later, f.paths) };
}

/** The findings on `later` from comparing it with the report of the year before, `earlier`. */
export function crossYearFindings(earlier: Report, later: Report): Finding[] {
  const out: Finding[] = [];
  const [carried, inForce, projectCount, publicTotal, copied] = CROSS_YEAR_RULES;
  const y0 = earlier.meta.year!;
  for (const c of REQUEST_COLUMNS) {
    const now = value(later, `requests.carriedOver.${c.key}`);
    const before = value(earlier, `requests.carriedForward.${c.key}`);
    if (now === null || before === null || now === before) continue;
    out.push(
      finding(later, earlier, carried, {
        message: `表三 ${c.zh}列：本年“上年结转” ${now}，而 ${y0} 年度报告（${earlier.source.path}）“结转下年度继续办理” 为 ${before}`,
        paths: [`requests.carriedOver.${c.key}`],
        expected: before,
        actual: now,
      }),
    );
  }
  if (later.meta.template === '2021' && earlier.meta.template === '2021') {
    for (const row of ['rules', 'normativeDocs']) {
      const [prev, issued, repealed, now] = [value(earlier, `active.${row}.inForce`), value(later, `active.${row}.issued`), value(later, `active.${row}.repealed`), value(later, `active.${row}.inForce`)];
      if ([prev, issued, repealed, now].some((x) => x === null)) continue;
      const expected = prev! + issued! - repealed!;
      if (expected === now) continue;
      out.push(
        finding(later, earlier, inForce, {
          message: `表二 ${row === 'rules' ? '规章' : '行政规范性文件'}：上年现行有效 ${prev} + 本年制发 ${issued} − 本年废止 ${repealed} = ${expected}，本年现行有效为 ${now}`,
          paths: [`active.${row}.inForce`, `active.${row}.issued`, `active.${row}.repealed`],
          expected,
          actual: now,
        }),
      );
    }
  }
  if (later.meta.template === '2019' && earlier.meta.template === '2019') {
    for (const row of ACTIVE_2019) {
      const zh = row.zh;
      if (row.columns.some((c) => c.key === 'previous')) {
        const [prev, change, now] = [value(earlier, `active.${row.key}.previous`), value(earlier, `active.${row.key}.change`), value(later, `active.${row.key}.previous`)];
        if (prev === null || change === null || now === null || prev + change === now) continue;
        out.push(
          finding(later, earlier, projectCount, {
            message: `表二 ${zh}：${y0} 年度上一年项目数量 ${prev} + 本年增/减 ${change} = ${prev + change}，本年“上一年项目数量”为 ${now}`,
            paths: [`active.${row.key}.previous`],
            expected: prev + change,
            actual: now,
          }),
        );
      } else {
        const [prev, published, now] = [value(earlier, `active.${row.key}.totalPublic`), value(later, `active.${row.key}.published`), value(later, `active.${row.key}.totalPublic`)];
        if (prev === null || published === null || now === null || prev + published === now) continue;
        out.push(
          finding(later, earlier, publicTotal, {
            message: `表二 ${zh}：上年对外公开总数量 ${prev} + 本年新公开 ${published} = ${prev + published}，本年对外公开总数量为 ${now}`,
            paths: [`active.${row.key}.totalPublic`, `active.${row.key}.published`],
            expected: prev + published,
            actual: now,
          }),
        );
      }
    }
  }
  const cells = Object.keys(later.values).filter((p) => p.startsWith('requests.'));
  const same = cells.length > 0 && cells.every((p) => value(later, p) === value(earlier, p));
  const nonTrivial = cells.some((p) => (value(later, p) ?? 0) !== 0);
  if (same && nonTrivial) {
    out.push(finding(later, earlier, copied, { message: `表三 的全部数字与 ${y0} 年度报告（${earlier.source.path}）相同`, paths: ['requests.received.total'] }));
  }
  return out;
}

/** Adds cross-year findings to the later report of every consecutive pair of one body's years. */
export function auditAcrossYears(reports: Report[]): void {
  const bodies = new Map<string, Report[]>();
  for (const r of reports) {
    if (r.errors.length || !r.meta.agency || r.meta.year === undefined) continue;
    const key = agencyKey(r.meta.agency);
    bodies.set(key, [...(bodies.get(key) ?? []), r]);
  }
  for (const series of bodies.values()) {
    const byYear = new Map<number, Report>();
    // Two documents for one year (全真版 and 文字版) are compared with neighbours through the first.
    for (const r of series) if (!byYear.has(r.meta.year!)) byYear.set(r.meta.year!, r);
    for (const [year, later] of byYear) {
      const earlier = byYear.get(year - 1);
      if (earlier) later.findings.push(...crossYearFindings(earlier, later));
    }
  }
}
