/** Every real document in ../shared/corpus against its hand-checked truth. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditFile } from '../src/pipeline.ts';
import { CORPUS, corpusPresent, expectationFailures, valueMismatches, type Truth } from './helpers/truth.ts';

const documents = corpusPresent
  ? readdirSync(CORPUS)
      .filter((f) => f.endsWith('.truth.json'))
      .map((t) => {
        const stem = t.replace(/\.truth\.json$/, '');
        const doc = readdirSync(CORPUS).find((f) => f.startsWith(`${stem}.`) && !f.endsWith('.truth.json'))!;
        return { doc, truth: JSON.parse(readFileSync(join(CORPUS, t), 'utf8')) as Truth };
      })
  : [];

test('the real corpus is there', (t) => {
  if (!corpusPresent) return t.skip(`../shared/corpus not found at ${CORPUS}`);
  assert.ok(documents.length >= 5, `expected at least 5 truth files, found ${documents.length}`);
});

for (const { doc, truth } of documents) {
  test(`real document ${doc}: every value right`, async () => {
    const report = await auditFile(join(CORPUS, doc));
    assert.deepEqual(report.errors, []);
    assert.deepEqual(valueMismatches(report, truth), []);
  });
  test(`real document ${doc}: its inconsistencies flagged at the right paths, nothing else`, async () => {
    const report = await auditFile(join(CORPUS, doc));
    assert.deepEqual(expectationFailures(report, truth), []);
  });
}

test('a list page that is not a report is a clear document error', async (t) => {
  if (!corpusPresent) return t.skip('../shared/corpus not found');
  const report = await auditFile(join(CORPUS, 'pingtan-list-index.html'));
  assert.equal(report.errors.length, 1);
  assert.equal(report.errors[0].code, 'no-report-tables');
  assert.deepEqual(report.findings, []);
});
