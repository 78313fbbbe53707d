/** Findings between years of one body, on the later report, naming the earlier one. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { agencyKey, auditAcrossYears } from '../src/audit/crossYear.ts';
import { auditBytes, auditFile } from '../src/pipeline.ts';
import type { Report } from '../src/report/schema.ts';
import { CORPUS, corpusPresent } from './helpers/truth.ts';

const seed = readFileSync(new URL('../fixtures/seed/seed.html', import.meta.url), 'utf8');
const asYear = (year: number) => new TextEncoder().encode(seed.replaceAll('2023', String(year)));

test('agency names are one body whatever their spacing, brackets or 人民政府/政府', () => {
  assert.equal(agencyKey('淮安市 人民政府'), agencyKey('淮安市政府'));
  assert.equal(agencyKey('平潭综合实验区（管委会）'), agencyKey('平潭综合实验区管委会'));
  assert.notEqual(agencyKey('淮安市人民政府办公室'), agencyKey('淮安市人民政府'));
});

test('a series of one body: carried over against last year’s carried forward, copied tables', async () => {
  const [y2022, y2023, y2024] = await Promise.all([2022, 2023, 2024].map((y) => auditBytes(asYear(y), `r${y}.html`)));
  // 2022 says 3 applications go on to 2023, which says none came over.
  const edit = (r: Report, path: string, value: number) => (r.values[path] = { ...r.values[path], value, raw: String(value) });
  edit(y2022, 'requests.carriedForward.naturalPerson', 3);
  edit(y2022, 'requests.carriedForward.total', 3);
  auditAcrossYears([y2024, y2022, y2023]);
  const rules = (r: Report) => r.findings.filter((f) => f.rule.startsWith('crossYear.'));
  assert.deepEqual(rules(y2022), [], 'the earliest year has nothing to compare with');
  assert.deepEqual(rules(y2023).map((f) => [f.rule, f.paths[0], f.expected, f.actual, f.related, f.severity]), [
    ['crossYear.carriedOver', 'requests.carriedOver.naturalPerson', 3, 0, 'r2022.html', 'warning'],
    ['crossYear.carriedOver', 'requests.carriedOver.total', 3, 0, 'r2022.html', 'warning'],
  ]);
  // 2024's 表三 is 2023's to the last cell.
  assert.deepEqual(rules(y2024).map((f) => [f.rule, f.related]), [['crossYear.copiedTables', 'r2023.html']]);
});

test('different bodies and years that are not consecutive are not compared', async () => {
  const a = await auditBytes(asYear(2021), 'a.html');
  const b = await auditBytes(asYear(2023), 'b.html');
  const other = await auditBytes(new TextEncoder().encode(seed.replaceAll('杭州市公安局拱墅区分局', '杭州市公安局西湖区分局').replaceAll('2023', '2022')), 'c.html');
  auditAcrossYears([a, b, other]);
  for (const r of [a, b, other]) assert.deepEqual(r.findings.filter((f) => f.rule.startsWith('crossYear.')), []);
});

/**
 * A real series: 平潭综合实验区 2022 (the HTML report in ../shared/corpus) after its 2021 report, whose
 * numbers were read by hand from the corpus's text copy (text/pingtan-2021.txt): 四、结转下年度继续办理
 * 1 (自然人 1), 行政规范性文件 本年制发 69 / 本年废止 3 / 现行有效 665, 规章 0 / 0 / 0. The two agree —
 * 2022 carries over 1 and 665 + 88 − 55 = 698 in force — so nothing may be flagged; one changed
 * 2021 number must be.
 */
test('a real series, 平潭综合实验区 2021 → 2022: consistent, so no finding; a changed year before, a finding', async (t) => {
  if (!corpusPresent) return t.skip(`../shared/corpus not found at ${CORPUS}`);
  const cell = (value: number) => ({ value, raw: String(value), kind: 'number' as const });
  const year2021 = (carried: number, inForce: number): Report => {
    const values: Report['values'] = {};
    for (const c of ['naturalPerson', 'commercial', 'research', 'nonprofit', 'legalService', 'otherOrg', 'total'])
      values[`requests.carriedForward.${c}`] = cell(c === 'naturalPerson' || c === 'total' ? carried : 0);
    Object.assign(values, {
      'active.rules.issued': cell(0), 'active.rules.repealed': cell(0), 'active.rules.inForce': cell(0),
      'active.normativeDocs.issued': cell(69), 'active.normativeDocs.repealed': cell(3), 'active.normativeDocs.inForce': cell(inForce),
    });
    return { source: { path: 'pingtan-2021', format: 'html', sha256: 'x', bytes: 0 }, meta: { agency: '平潭综合实验区', year: 2021, template: '2021' }, values, narrative: [], findings: [], errors: [] };
  };
  const crossYear = async (earlier: Report) => {
    const later = await auditFile(join(CORPUS, 'pingtan-2022.html'));
    auditAcrossYears([earlier, later]);
    return later.findings.filter((f) => f.rule.startsWith('crossYear.')).map((f) => [f.rule, f.paths[0], f.expected, f.actual]);
  };
  assert.deepEqual(await crossYear(year2021(1, 665)), []);
  assert.deepEqual(await crossYear(year2021(2, 660)), [
    ['crossYear.carriedOver', 'requests.carriedOver.naturalPerson', 2, 1],
    ['crossYear.carriedOver', 'requests.carriedOver.total', 2, 1],
    ['crossYear.inForce', 'active.normativeDocs.inForce', 693, 698],
  ]);
});

test('2019 表二 chains: 上一年项目数量 carries last year’s count plus its change; 对外公开总数量 grows by what is published', async (t) => {
  if (!corpusPresent) return t.skip(`../shared/corpus not found at ${CORPUS}`);
  // The real 2019 report of 上海市人民政府办公厅, and a 2020 report made from it by hand: every chain
  // kept (规章 524 + 13 = 537, 规范性文件 368 + 20 = 388, 行政许可 0 + 0 = 0) except two.
  const y2019 = await auditFile(join(CORPUS, 'shanghai-office-2019.html'));
  const y2020: Report = structuredClone(y2019);
  y2020.meta.year = 2020;
  y2020.source.path = 'shanghai-office-2020';
  const set = (path: string, value: number) => (y2020.values[path] = { ...y2020.values[path], value, raw: String(value) });
  set('active.rules.published', 13);
  set('active.rules.totalPublic', 537);
  set('active.normativeDocs.published', 20);
  set('active.normativeDocs.totalPublic', 390); // 368 + 20 = 388
  set('active.penalty.previous', 5); // 2019: 0 + 0
  auditAcrossYears([y2019, y2020]);
  const chains = y2020.findings.filter((f) => f.rule === 'crossYear.projectCount' || f.rule === 'crossYear.publicTotal');
  assert.deepEqual(chains.map((f) => [f.rule, f.paths[0], f.expected, f.actual, f.severity]), [
    ['crossYear.publicTotal', 'active.normativeDocs.totalPublic', 388, 390, 'info'],
    ['crossYear.projectCount', 'active.penalty.previous', 0, 5, 'info'],
  ]);
  assert.ok(chains.every((f) => f.related === y2019.source.path));
});
