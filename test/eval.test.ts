/** The accuracy measurement on the committed sample (bench/sample/): every value, every injected error, no false alarm. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../bench/eval/evaluate.ts';

const SAMPLE = fileURLToPath(new URL('../bench/sample/', import.meta.url));

test('eval on the committed sample: 100% values right, 100% injected errors flagged, 0 false alarms', async () => {
  const r = await evaluate(SAMPLE, null);
  const t = r.total;
  const why = r.failures.map((f) => `${f.document}\n  ${f.problems.slice(0, 8).join('\n  ')}`).join('\n');
  assert.ok(t.documents >= 30, `the sample has ${t.documents} documents`);
  assert.ok(t.injected > 0, 'the sample injects errors');
  assert.equal(t.valuesRight, t.values, `values right ${t.valuesRight}/${t.values}\n${why}`);
  assert.equal(t.flagged, t.injected, `injected errors flagged ${t.flagged}/${t.injected}\n${why}`);
  assert.equal(t.falseAlarms, 0, `false alarms ${t.falseAlarms}\n${why}`);
  assert.equal(t.documentErrors, 0, `document errors ${t.documentErrors}\n${why}`);
});
