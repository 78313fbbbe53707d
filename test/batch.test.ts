/**
 * The batch engine (src/batch): documents in a pool of worker threads, each under a time and a memory
 * limit. Poisoned documents come from the worker's TEST-ONLY hook OGI_TEST_POISON (src/batch/worker.ts).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditBatch } from '../src/batch/pool.ts';
import { batchSummary } from '../src/batch/progress.ts';
import { auditFile } from '../src/pipeline.ts';
import type { Report } from '../src/report/schema.ts';
import { FIXTURES } from './helpers/truth.ts';
import { ogi } from './helpers/ogi.ts';

const SEED = join(FIXTURES, 'seed');
const FILES = readdirSync(SEED)
  .filter((f) => !f.endsWith('.json'))
  .sort()
  .map((f) => join(SEED, f));

const HANG = 'seed-dash.pdf';
const OOM = 'seed-changed.docx';
const CRASH = 'seed-gbk.html';
const POISONED = new Map([[HANG, 'timeout'], [OOM, 'out-of-memory'], [CRASH, 'internal-error']]);
const name = (r: Report): string => r.source.path.split('/').pop()!;

let inProcess: Promise<Report[]> | undefined;
const expected = (): Promise<Report[]> => (inProcess ??= Promise.all(FILES.map((f) => auditFile(f))));

async function withPoison<T>(spec: string, run: () => Promise<T>): Promise<T> {
  process.env.OGI_TEST_POISON = spec;
  try {
    return await run();
  } finally {
    delete process.env.OGI_TEST_POISON;
  }
}

test('the pool gives the reports the pipeline gives in-process, in input order', async () => {
  const reports = await auditBatch(FILES, { workers: 2, inProcessUpTo: 0 });
  assert.deepEqual(reports.map((r) => r.source.path), FILES);
  assert.deepEqual(reports, await expected());
});

test('a hanging, an exploding and a crashing document: each gets its error, every other document its result', async () => {
  const done: string[] = [];
  const started = Date.now();
  const reports = await withPoison(`${HANG}:hang,${OOM}:oom,${CRASH}:crash`, () =>
    auditBatch(FILES, { workers: 2, timeoutMs: 8000, maxMemoryMb: 64, inProcessUpTo: 0, onDocument: (r) => done.push(name(r)) }),
  );
  assert.ok(Date.now() - started < 30_000, 'the limits are enforced');
  assert.equal(done.length, FILES.length, 'every document is reported once');
  const want = await expected();
  assert.deepEqual(reports.map((r) => r.source.path), FILES);
  for (const [i, r] of reports.entries()) {
    const code = POISONED.get(name(r));
    if (!code) {
      assert.deepEqual(r, want[i], `${name(r)} is unaffected`);
      continue;
    }
    assert.deepEqual(r.errors.map((e) => e.code), [code], name(r));
    assert.equal(r.source.sha256, want[i].source.sha256);
    assert.equal(r.source.bytes, want[i].source.bytes);
  }
  const summary = batchSummary(reports, 5000);
  assert.match(summary, new RegExp(`^ogi: ${FILES.length} documents in 5\\.0 s`));
  assert.match(summary, /3 unreadable \(internal-error 1, out-of-memory 1, timeout 1\)/);
  assert.match(summary, /findings by rule: values\.blankAsZero \d+/);
});

test('ogi audit --timeout: a hanging document times out, standard output as without the pool', async () => {
  const run = (args: string[], env: NodeJS.ProcessEnv) => ogi(['audit', ...args], { env, timeoutMs: 60_000 });
  const files = FILES.filter((f) => f.endsWith('.html') || f.endsWith(HANG));
  const env = { ...process.env, OGI_TEST_POISON: `${HANG}:hang` };
  const [pool, plain] = await Promise.all([
    run([...files, '--json', '--workers', '2', '--timeout', '3'], env),
    run([...files, '--json', '--workers', '0'], env),
  ]);
  assert.equal(pool.code, 1);
  const doc = JSON.parse(pool.stdout) as { reports: Report[] };
  const byName = new Map(doc.reports.map((r) => [name(r), r]));
  assert.deepEqual(byName.get(HANG)!.errors.map((e) => e.code), ['timeout']);
  const same = (d: { reports: Report[] }) => d.reports.filter((r) => name(r) !== HANG);
  assert.deepEqual(same(doc), same(JSON.parse(plain.stdout)), 'the other documents as read in-process');
  assert.match(pool.stderr, /unreadable \(timeout 1\)/);
  assert.doesNotMatch(pool.stderr, /\r/, 'no progress bar on a pipe');
});
