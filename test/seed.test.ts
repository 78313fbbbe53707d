/** The seed report (hand-made truth) rendered as HTML, DOCX and PDF, and its variants. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditFile } from '../src/pipeline.ts';
import { expectationFailures, FIXTURES, valueMismatches, type Truth } from './helpers/truth.ts';

const SEED = join(FIXTURES, 'seed');
const files = readdirSync(SEED);
const variants = files.filter((f) => f.endsWith('.truth.json')).map((f) => f.replace(/\.truth\.json$/, ''));

test('every seed variant is rendered in the formats it promises', () => {
  assert.ok(variants.includes('seed') && variants.includes('seed-changed') && variants.includes('seed-blank'));
  for (const ext of ['html', 'docx', 'pdf']) assert.ok(files.includes(`seed.${ext}`), `seed.${ext}`);
});

for (const variant of variants) {
  const truth = JSON.parse(readFileSync(join(SEED, `${variant}.truth.json`), 'utf8')) as Truth;
  for (const doc of files.filter((f) => f.startsWith(`${variant}.`) && /\.(html|docx|pdf)$/.test(f))) {
    test(`${doc}: every value, the meta and the expected findings`, async () => {
      const report = await auditFile(join(SEED, doc));
      assert.deepEqual(report.errors, []);
      assert.deepEqual(valueMismatches(report, truth), []);
      assert.deepEqual(expectationFailures(report, truth), []);
    });
    test(`${doc}: every count the text states is read, with its sentence`, async () => {
      const report = await auditFile(join(SEED, doc));
      for (const want of truth.narrative ?? []) {
        if (want.path === 'narrative.activeItems.parts') {
          const total = report.narrative.find((c) => c.path === 'narrative.activeItems.total');
          assert.deepEqual(total?.parts, want.value, 'parts of 主动公开 total');
          continue;
        }
        const got = report.narrative.find((c) => c.path === want.path && c.value === want.value);
        assert.ok(got, `claim ${want.path} = ${want.value} (${want.text}) not read; read: ${report.narrative.map((c) => `${c.path}=${c.value}`).join(', ')}`);
        assert.ok(got.text.replace(/\s/g, '').includes(want.text.replace(/[，,\s]/g, '').slice(0, 6)), `${got.text} should quote ${want.text}`);
      }
    });
  }
}
