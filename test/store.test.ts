/**
 * The store (src/store): a batch with corrupt files killed with SIGKILL mid-run and restarted loses
 * nothing and duplicates nothing; a re-run reads nothing; cross-year checks reach stored years.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { auditBodiesAcrossYears } from '../src/batch/run.ts';
import { auditBytes } from '../src/pipeline.ts';
import type { Report } from '../src/report/schema.ts';
import { Store, storedReportCount } from '../src/store/sqlite.ts';
import { OGI, ogi } from './helpers/ogi.ts';

const SAMPLE = new URL('../bench/sample/', import.meta.url).pathname;
const seed = readFileSync(new URL('../fixtures/seed/seed.html', import.meta.url), 'utf8');

/** The committed sample (38 reports in three formats) and four files that cannot be read. */
function batchWithCorruptFiles(): { dir: string; count: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-store-batch-'));
  const docs = readdirSync(SAMPLE).filter((f) => !f.endsWith('.json'));
  for (const f of docs) copyFileSync(join(SAMPLE, f), join(dir, f));
  const pdf = readFileSync(join(SAMPLE, docs.find((f) => f.endsWith('.pdf'))!));
  writeFileSync(join(dir, 'zz-truncated.pdf'), pdf.subarray(0, pdf.length >> 1));
  writeFileSync(join(dir, 'zz-not-a-zip.docx'), 'not a zip archive\n');
  writeFileSync(join(dir, 'zz-empty.html'), '');
  writeFileSync(join(dir, 'zz-random.pdf'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 7) % 256)));
  return { dir, count: docs.length + 4 };
}


/** Starts `ogi audit`, waits until the store holds at least `atLeast` reports, and kills it with SIGKILL. */
async function killMidRun(args: string[], storePath: string, atLeast: number): Promise<void> {
  const child = spawn(process.execPath, [OGI, 'audit', ...args], { stdio: 'ignore', cwd: tmpdir() });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  try {
    for (;;) {
      assert.ok(Date.now() < deadline, 'the run stores reports as it goes');
      assert.equal(child.exitCode, null, 'the run is still going when killed');
      if (existsSync(storePath) && storedReportCount(storePath) >= atLeast) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

const reusedCount = (stderr: string): number => Number(/; (\d+) already in the store/.exec(stderr)?.[1] ?? 0);

test('a batch killed with SIGKILL resumes without loss or duplication, and a re-run reads nothing', async () => {
  const { dir, count } = batchWithCorruptFiles();
  const store = join(mkdtempSync(join(tmpdir(), 'ogi-store-')), 'store.sqlite');
  const args = [dir, '--json', '--fail-on', 'never', '--workers', '2'];
  const reference = await ogi(['audit', ...args, '--no-store']);
  assert.equal(reference.code, 0, reference.stderr);
  const want = JSON.parse(reference.stdout);
  assert.equal(want.reports.length, count);
  assert.equal(want.reports.filter((r: Report) => r.errors.length).length, 4, 'the corrupt files are reported, not lost');

  await killMidRun([...args, '--store', store], store, 8);
  const before = storedReportCount(store);
  assert.ok(before >= 8 && before < count, `killed mid-run with ${before} of ${count} stored`);

  const resumed = await ogi(['audit', ...args, '--store', store]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(JSON.parse(resumed.stdout), want, 'every document as a run that was never killed gives it');
  assert.equal(reusedCount(resumed.stderr), before, 'what was stored before the kill is not read again');

  const db = new Database(store, { readonly: true });
  const one = (sql: string) => db.prepare(sql).get() as Record<string, number | string>;
  assert.equal(one('SELECT count(*) AS n FROM reports').n, count, 'one report per document, none twice');
  assert.equal(one('SELECT count(DISTINCT sha256) AS n FROM reports').n, count);
  const findings = want.reports.reduce((s: number, r: Report) => s + r.findings.length, 0);
  assert.equal(one('SELECT count(*) AS n FROM findings').n, findings, 'every finding once');
  assert.deepEqual(db.prepare('SELECT status FROM runs ORDER BY id').all().map((r) => (r as { status: string }).status), ['interrupted', 'done']);
  db.close();

  const again = await ogi(['audit', ...args, '--store', store]);
  assert.equal(again.stdout, resumed.stdout, 'the same output, byte for byte');
  assert.equal(reusedCount(again.stderr), count, 'a re-run reuses every document');
});

test('--no-store keeps nothing; without --store the store is .ogi/store.sqlite in the working folder', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ogi-cwd-'));
  const file = new URL('../fixtures/seed/seed.html', import.meta.url).pathname;
  await ogi(['audit', file, '--no-store'], { cwd });
  assert.equal(existsSync(join(cwd, '.ogi')), false);
  const first = await ogi(['audit', file], { cwd });
  assert.equal(first.code, 0);
  assert.equal(storedReportCount(join(cwd, '.ogi', 'store.sqlite')), 1);
  assert.equal(reusedCount((await ogi(['audit', file], { cwd })).stderr), 1);
});

test('a store made by a newer ogi-audit is refused, not damaged', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ogi-store-')), 'store.sqlite');
  void new Store(path, 'test').close();
  const db = new Database(path);
  db.pragma('user_version = 99');
  db.close();
  assert.throws(() => new Store(path, 'test'), /made by a newer ogi-audit/);
});

const asYear = (year: number) => new TextEncoder().encode(seed.replaceAll('2023', String(year)));
const edit = (r: Report, path: string, value: number) => (r.values[path] = { ...r.values[path], value, raw: String(value) });

test('cross-year checks reach years stored by earlier runs, both ways', async () => {
  const store = new Store(':memory:', 'test');
  const [y2022, y2023, y2024] = await Promise.all([2022, 2023, 2024].map((y) => auditBytes(asYear(y), `r${y}.html`)));
  // 2022 says 3 applications go on to 2023; 2023 says none came over; 2024's 表三 differs from 2023's.
  edit(y2022, 'requests.carriedForward.naturalPerson', 3);
  edit(y2022, 'requests.carriedForward.total', 3);
  edit(y2024, 'requests.granted.naturalPerson', 99);
  const run = async (reports: Report[]) => {
    const id = await store.beginRun(reports.map((r) => r.source.path));
    for (const [i, r] of reports.entries()) await store.save(id, i, r.source.path, structuredClone(r));
    await auditBodiesAcrossYears(store, await store.runBodies(id), id);
    await store.endRun(id);
    return id;
  };
  const crossYear = async (r: Report) =>
    (await store.report(r.source.sha256))!.findings.filter((f) => f.rule.startsWith('crossYear.')).map((f) => [f.rule, f.paths[0], f.expected, f.actual, f.related]);

  await run([y2024]);
  assert.deepEqual(await crossYear(y2024), []);
  // A later run brings 2023: its findings against nothing before it, and 2024's against it.
  await run([y2023]);
  assert.deepEqual(await crossYear(y2023), []);
  assert.deepEqual(await crossYear(y2024), [], '2024 and 2023 agree (carried over 0 = carried forward 0), tables differ');
  const third = await run([y2022]);
  assert.deepEqual(await crossYear(y2023), [
    ['crossYear.carriedOver', 'requests.carriedOver.naturalPerson', 3, 0, 'r2022.html'],
    ['crossYear.carriedOver', 'requests.carriedOver.total', 3, 0, 'r2022.html'],
  ]);
  // The run's own outputs list its documents; the findings land on the stored 2023 report.
  const paths: string[] = [];
  for await (const d of store.runDocuments(third)) paths.push(d.path);
  assert.deepEqual(paths, ['r2022.html']);
  await store.close();
});

test('the same bytes under two names: each document’s error names its own file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-same-'));
  writeFileSync(join(dir, 'a.html'), '');
  writeFileSync(join(dir, 'b.html'), '');
  const { stdout } = await ogi(['audit', dir, '--json', '--fail-on', 'never', '--workers', '0']);
  const reports = JSON.parse(stdout).reports as Report[];
  assert.deepEqual(
    reports.map((r) => [r.source.path.endsWith('a.html'), r.errors[0].code, r.errors[0].message.startsWith(`${r.source.path}: `)]),
    [[true, 'empty', true], [false, 'empty', true]],
  );
});

test('a corrected report replaces the old one at its path in cross-year checks', async () => {
  const store = new Store(':memory:', 'test');
  const [y2022, y2023] = await Promise.all([2022, 2023].map((y) => auditBytes(asYear(y), `r${y}.html`)));
  const wrong = structuredClone(y2022);
  edit(wrong, 'requests.carriedForward.naturalPerson', 3);
  edit(wrong, 'requests.carriedForward.total', 3);
  wrong.source.sha256 = 'f'.repeat(64); // other bytes, same file
  const run = async (reports: Report[]) => {
    const id = await store.beginRun([]);
    for (const [i, r] of reports.entries()) await store.save(id, i, r.source.path, structuredClone(r));
    await auditBodiesAcrossYears(store, await store.runBodies(id), id);
    await store.endRun(id);
  };
  const crossYear = async () => (await store.report(y2023.source.sha256))!.findings.filter((f) => f.rule === 'crossYear.carriedOver').length;
  await run([wrong, y2023]);
  assert.equal(await crossYear(), 2, 'the published 2022 says 3 carried forward, 2023 none carried over');
  await run([y2022]); // the body publishes a corrected 2022 at the same address
  assert.equal(await crossYear(), 0, 'the corrected 2022 agrees with 2023; the old version no longer counts');
  await store.close();
});

test('a worker saving for an enqueuer records where the bytes are, not its own folder', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ogi-where-')), 'store.sqlite');
  const store = new Store(path, 'test');
  const report = await auditBytes(asYear(2023), 'reports/r2023.html');
  const run = await store.beginRun(['reports']);
  await store.save(run, 0, 'reports/r2023.html', report, undefined, '/srv/enqueuer/reports/r2023.html');
  await store.close();
  const db = new Database(path, { readonly: true });
  assert.deepEqual(db.prepare('SELECT path FROM files').all(), [{ path: '/srv/enqueuer/reports/r2023.html' }]);
  db.close();
});
