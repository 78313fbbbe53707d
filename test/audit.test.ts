/** The rules on reports built in the test, so each relation can be broken on purpose. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../src/audit/index.ts';
import { templatePaths } from '../src/report/paths.ts';
import type { Report, ValueCell } from '../src/report/schema.ts';

/** A consistent 2021 report: 10 received, 2 carried over, 9 granted, 1 withheld (processInfo), 2 carried forward. */
function report(overrides: Record<string, Partial<ValueCell>> = {}): Report {
  const values: Record<string, ValueCell> = {};
  for (const p of templatePaths('2021')) values[p.path] = { value: 0, raw: '0', kind: 'number' };
  const set = (row: string, np: number, commercial = 0) => {
    values[`requests.${row}.naturalPerson`] = { value: np, raw: String(np), kind: 'number' };
    values[`requests.${row}.commercial`] = { value: commercial, raw: String(commercial), kind: 'number' };
    values[`requests.${row}.total`] = { value: np + commercial, raw: String(np + commercial), kind: 'number' };
  };
  set('received', 9, 1);
  set('carriedOver', 2);
  set('granted', 8, 1);
  set('withheld.processInfo', 1);
  set('resultsTotal', 9, 1);
  set('carriedForward', 2);
  for (const [k, v] of [['upheld', 1], ['pending', 1], ['total', 2]] as const) values[`reviewLitigation.review.${k}`] = { value: v, raw: String(v), kind: 'number' };
  for (const [path, o] of Object.entries(overrides)) values[path] = { ...values[path], ...o };
  return {
    source: { path: 'x.html', format: 'html', sha256: '', bytes: 0 },
    meta: { template: '2021', otherHandling: 'itemized' },
    values,
    narrative: [],
    findings: [],
    errors: [],
  };
}

const bySeverity = (r: Report, s: string) => audit(r).filter((f) => f.severity === s);

test('a consistent report has no error or warning', () => {
  const r = report();
  assert.deepEqual(bySeverity(r, 'error'), []);
  assert.deepEqual(bySeverity(r, 'warning'), []);
});

test('a changed cell breaks H2 and H3 and both name it, with expected and actual', () => {
  const f = audit(report({ 'requests.granted.naturalPerson': { value: 11, raw: '11' } }));
  const h3 = f.find((x) => x.rule === 'requests.rowTotal');
  const h2 = f.find((x) => x.rule === 'requests.resultsSum');
  assert.ok(h3 && h3.paths.includes('requests.granted.naturalPerson'));
  assert.equal(h3.expected, 12);
  assert.equal(h3.actual, 9);
  assert.ok(h2 && h2.paths.includes('requests.granted.naturalPerson') && h2.paths.includes('requests.resultsTotal.naturalPerson'));
  assert.equal(f.filter((x) => x.rule === 'requests.columnBalance').length, 0, 'H1 does not involve 予以公开');
});

test('H1 is checked on its own: carried forward changed', () => {
  const f = audit(report({ 'requests.carriedForward.total': { value: 5, raw: '5' } }));
  const h1 = f.filter((x) => x.rule === 'requests.columnBalance');
  assert.equal(h1.length, 1);
  assert.deepEqual([h1[0].expected, h1[0].actual], [12, 15]);
});

test('H4: a 表四 group that does not add up is an error', () => {
  const f = audit(report({ 'reviewLitigation.review.total': { value: 3, raw: '3' } }));
  assert.equal(f.filter((x) => x.rule === 'reviewLitigation.groupSum' && x.severity === 'error').length, 1);
});

test('H5: negative or fractional counts are errors; a negative 2019 本年增/减 is not', () => {
  const f = audit(report({ 'active.rules.issued': { value: -1, raw: '-1' }, 'active.licensing.decisions': { value: 2.5, raw: '2.5' } }));
  assert.deepEqual(f.filter((x) => x.rule === 'values.nonNegativeInteger').map((x) => x.paths[0]).sort(), ['active.licensing.decisions', 'active.rules.issued']);
  const r = report();
  r.meta.template = '2019';
  r.values = { 'active.licensing.change': { value: -18, raw: '-18', kind: 'number' } };
  assert.deepEqual(audit(r).filter((x) => x.rule === 'values.nonNegativeInteger'), []);
});

test('blank 总计 cells that leave relations open are one warning for the table, not errors', () => {
  const blank = { value: 0, raw: '', kind: 'blank' as const };
  const f = audit(report({ 'requests.granted.total': blank, 'requests.withheld.processInfo.total': blank }));
  assert.deepEqual(f.filter((x) => x.severity === 'error'), []);
  const w = f.filter((x) => x.rule === 'tables.incomplete');
  assert.equal(w.length, 1);
  assert.deepEqual(w[0].paths, ['requests.granted.total', 'requests.withheld.processInfo.total']);
  assert.ok(f.some((x) => x.rule === 'values.blankAsZero' && x.severity === 'info'));
});

test('an explicit 0 total against filled applicant cells is an error', () => {
  const f = audit(report({ 'requests.granted.total': { value: 0, raw: '0', kind: 'number' } }));
  assert.ok(f.some((x) => x.rule === 'requests.rowTotal' && x.severity === 'error' && x.paths[0] === 'requests.granted.total'));
});

test('a blank on the side that is already too large cannot help: still an error', () => {
  const f = audit(report({ 'requests.granted.commercial': { value: 0, raw: '', kind: 'blank' }, 'requests.granted.total': { value: 5, raw: '5' } }));
  assert.ok(f.some((x) => x.rule === 'requests.rowTotal' && x.severity === 'error'));
});

test('an unreadable cell is an error and its relations are not judged on a guess', () => {
  const f = audit(report({ 'requests.granted.naturalPerson': { value: null, raw: '8?', kind: 'illegible' } }));
  assert.ok(f.some((x) => x.rule === 'values.illegible' && x.paths[0] === 'requests.granted.naturalPerson'));
  assert.equal(f.filter((x) => x.rule === 'requests.rowTotal').length, 0);
});

test('narrative counts: a match is silent, a difference is a warning naming the cells', () => {
  const r = report();
  r.narrative = [
    { path: 'requests.received.total', value: 10, text: '共受理政府信息公开申请10件' },
    { path: 'requests.received.total', value: 12, text: '收到申请12件（含上年结转）' },
    { path: 'requests.withheld.total', value: 1, text: '不予公开1件' },
    { path: 'reviewLitigation.review.total', value: 3, text: '行政复议3件' },
    { path: 'narrative.activeItems.total', value: 10, text: '公开信息10条', parts: [3, 4] },
  ];
  const w = audit(r).filter((x) => x.severity === 'warning');
  assert.deepEqual(w.map((x) => [x.rule, x.paths[0], x.expected, x.actual]), [
    ['narrative.vsTable', 'reviewLitigation.review.total', 2, 3],
    ['narrative.partsSum', 'narrative.activeItems.total', 7, 10],
  ]);
});

test('a missing table is its own finding, never a crash', () => {
  const r = report();
  for (const p of Object.keys(r.values)) if (p.startsWith('reviewLitigation.')) r.values[p] = { value: null, raw: '', kind: 'missing' };
  const f = audit(r);
  assert.ok(f.some((x) => x.rule === 'tables.missing' && /表四/.test(x.message)));
});
