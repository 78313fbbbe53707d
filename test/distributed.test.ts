/**
 * The distributed audit (src/distributed, issue 7) against real services: an enqueuer and `ogi
 * worker` processes over BullMQ (Redis) with PostgreSQL as the shared store. A batch of a few
 * hundred documents (the committed sample, copied under several names and made distinct by trailing
 * comments) gives the same bytes as a local run, with a worker killed by SIGKILL half-way; poisoned
 * documents end in the dead-letter queue after their attempts; SIGTERM stops an idle worker cleanly;
 * an unreachable service is a clear error in seconds.
 *
 * Needs OGI_TEST_PG_URL and OGI_TEST_REDIS_URL (`eval "$(scripts/test-services.sh start)"`); skipped
 * without them, unless OGI_REQUIRE_SERVICES=1 (CI), where their absence fails. Each test has its own
 * PostgreSQL schema and its own queue prefix; everything is removed in `after`.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { auditQueueName, DEAD_QUEUE } from '../src/distributed/connect.ts';
import { pipelineVersion } from '../src/version.ts';
import { OGI } from './helpers/ogi.ts';

const PG_URL = process.env.OGI_TEST_PG_URL;
const REDIS_URL = process.env.OGI_TEST_REDIS_URL;
const REQUIRED = process.env.OGI_REQUIRE_SERVICES === '1';
const MISSING = !PG_URL || !REDIS_URL;
const skip = MISSING ? 'needs OGI_TEST_PG_URL and OGI_TEST_REDIS_URL (eval "$(scripts/test-services.sh start)")' : false;
const SAMPLE = new URL('../bench/sample/', import.meta.url).pathname;
/** The queue the workers of this code serve (its pipeline version's). */
const AUDIT_QUEUE = auditQueueName(pipelineVersion());

const children = new Set<ChildProcess>();
const schemas: string[] = [];
const prefixes: string[] = [];
const temps: string[] = [];
let admin: pg.Client | undefined;
let redis: Redis | undefined;

const temp = (name: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `ogi-dist-${name}-`));
  temps.push(dir);
  return dir;
};

/** A schema of its own in the test database, and a URL whose connections use it. */
async function database(name: string): Promise<{ url: string; schema: string }> {
  const schema = `ogi_dist_${process.pid}_${name}`;
  await admin!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  schemas.push(schema);
  const url = new URL(PG_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), schema };
}

const queues: { queue: Queue; connection: Redis }[] = [];
/** A BullMQ queue of a test's prefix, to look at its jobs (closed in `after`). */
function queue(name: string, pfx: string): Queue {
  const connection = redis!.duplicate({ maxRetriesPerRequest: null });
  const q = new Queue(name, { connection, prefix: pfx });
  queues.push({ queue: q, connection });
  return q;
}

/** Documents with their line in the runs of a schema. */
const lines = async (schema: string): Promise<number> => Number((await admin!.query(`SELECT count(*) AS n FROM ${schema}.run_documents`)).rows[0].n);

function prefix(name: string): string {
  const p = `ogitest-${process.pid}-${name}`;
  prefixes.push(p);
  return p;
}

before(async () => {
  if (MISSING) return;
  admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  redis = new Redis(REDIS_URL!, { maxRetriesPerRequest: 3, connectTimeout: 5000 });
});

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const q of queues) {
    await q.queue.close().catch(() => undefined);
    q.connection.disconnect();
  }
  for (const s of schemas) await admin?.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
  await admin?.end();
  for (const p of prefixes) {
    for (let cursor = '0'; ; ) {
      const [next, keys] = await redis!.scan(cursor, 'MATCH', `${p}:*`, 'COUNT', 1000);
      if (keys.length) await redis!.del(...keys);
      if ((cursor = next) === '0') break;
    }
  }
  redis?.disconnect();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number>;
}

/** `ogi …` as a process (killed in `after` if still running). */
function start(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Proc {
  const child = spawn(process.execPath, ['--single-threaded', OGI, ...args], { cwd: options.cwd, env: { ...process.env, OGI_TEST_POISON: '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  // Decoded as a stream: a character split across two chunks stays whole.
  child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  const exit = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1))));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms / 1000} s`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `ogi worker`, once it says it is ready. */
async function worker(db: string, pfx: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Proc & { name: string }> {
  const w = start(['worker', '--redis', REDIS_URL!, '--db', db, '--prefix', pfx, '--concurrency', '1', ...extra], { cwd: temp('worker'), env: { OGI_WORKER_LOCK_MS: '2000', ...env } });
  await within(
    Promise.race([until(() => w.stderr().includes('"ogi worker ready"'), 60_000, 'worker ready'), w.exit.then((c) => Promise.reject(new Error(`worker exited ${c}: ${w.stderr()}`)))]),
    61_000,
    'worker start',
  );
  return { ...w, name: `${hostname()}:${w.child.pid}` };
}

/** Every file under `dir` (relative path → bytes). */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.set(relative(dir, join(d, e.name)), readFileSync(join(d, e.name)));
    }
  };
  walk(dir);
  return out;
}

function assertSameFiles(actual: string, expected: string, what: string): void {
  const a = files(actual);
  const e = files(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort(), `${what}: the same files`);
  for (const [name, bytes] of e) assert.ok(a.get(name)!.equals(bytes), `${what}: ${name} byte-identical`);
}

/** The same bytes; else which documents differ, and where (a 300-document JSON diff says nothing). */
function sameJson(actual: string, expected: string): void {
  if (actual === expected) return;
  const a = JSON.parse(actual).reports as Record<string, unknown>[];
  const e = JSON.parse(expected).reports as Record<string, unknown>[];
  const diffs: string[] = [];
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (JSON.stringify(a[i]) === JSON.stringify(e[i])) continue;
    const keys = Object.keys(e[i] ?? a[i]).filter((k) => JSON.stringify(a[i]?.[k]) !== JSON.stringify(e[i]?.[k]));
    diffs.push(`#${i} ${(e[i] as { source: { path: string } }).source.path}: ${keys.map((k) => `${k}: ${JSON.stringify(a[i]?.[k]).slice(0, 400)} ≠ ${JSON.stringify(e[i]?.[k]).slice(0, 400)}`).join('; ')}`);
  }
  assert.fail(`--json differs from the local run's in ${diffs.length} document(s):\n${diffs.slice(0, 5).join('\n')}`);
}

const sample = (ext: string): string[] => readdirSync(SAMPLE).filter((f) => f.endsWith(ext)).sort();

/**
 * A batch under `<work>/docs`: the sample's HTML and DOCX, each also under a second name; every HTML
 * in 14 variants and every DOCX in 3, made distinct by a trailing comment (readers ignore it), 20 of
 * them twice; 3 PDFs, one twice; two files no reader can read.
 */
function bigBatch(work: string): { documents: number; distinct: number } {
  const docs = join(work, 'docs');
  const dirs = ['a', 'b', 'c', 'd', 'p', 'x'].map((d) => (mkdirSync(join(docs, d), { recursive: true }), join(docs, d)));
  const [a, b, c, d, p, x] = dirs;
  let documents = 0;
  const copy = (src: string, dest: string, trailer?: string) => {
    copyFileSync(src, dest);
    if (trailer !== undefined) appendFileSync(dest, trailer);
    documents++;
  };
  const originals = [...sample('.html'), ...sample('.docx')];
  for (const f of originals) copy(join(SAMPLE, f), join(a, f));
  for (const f of originals) copy(join(SAMPLE, f), join(b, `copy-${f}`));
  const variants: string[] = [];
  for (const f of sample('.html')) for (let i = 0; i < 14; i++) variants.push(join(c, `v${i}-${f}`)), copy(join(SAMPLE, f), variants.at(-1)!, `\n<!-- variant ${i} -->\n`);
  for (const f of sample('.docx')) for (let i = 0; i < 3; i++) variants.push(join(c, `v${i}-${f}`)), copy(join(SAMPLE, f), variants.at(-1)!, `ogi variant ${i}`);
  for (const v of variants.slice(0, 20)) copy(v, join(d, `again-${v.split('/').at(-1)}`));
  const pdfs = sample('.pdf').slice(0, 3);
  for (const f of pdfs) copy(join(SAMPLE, f), join(p, f));
  copy(join(SAMPLE, pdfs[0]), join(p, `zz-copy-${pdfs[0]}`));
  writeFileSync(join(x, 'not-a-zip.docx'), 'not a zip archive\n');
  writeFileSync(join(x, 'empty.html'), '');
  documents += 2;
  return { documents, distinct: originals.length + variants.length + pdfs.length + 2 };
}

const one = async (sql: string, params: unknown[] = []): Promise<Record<string, unknown>> => (await admin!.query(sql, params)).rows[0];

if (MISSING && REQUIRED) {
  test('services for the distributed tests', () => {
    assert.fail('OGI_REQUIRE_SERVICES=1 but OGI_TEST_PG_URL or OGI_TEST_REDIS_URL is not set: start them with scripts/test-services.sh');
  });
}

test('an enqueuer and two workers give what a local run gives, with a worker killed by SIGKILL half-way', { skip, timeout: 600_000 }, async (t) => {
  const work = temp('big');
  const { documents, distinct } = bigBatch(work);
  const db = await database('big');
  const pfx = prefix('big');
  const common = ['docs', '--json', '--fail-on', 'never'];

  let t0 = performance.now();
  const local = start(['audit', ...common, '--store', join(work, 'local.sqlite'), '--out', 'out-local', '--workers', '2'], { cwd: work });
  assert.equal(await within(local.exit, 300_000, 'local run'), 0, local.stderr());
  const localSeconds = (performance.now() - t0) / 1000;
  const want = JSON.parse(local.stdout());
  assert.equal(want.reports.length, documents);

  const [w1, w2] = await Promise.all([worker(db.url, pfx), worker(db.url, pfx)]);
  const audits = queue(AUDIT_QUEUE, pfx);
  t0 = performance.now();
  const enqueuer = start(['audit', ...common, '--redis', REDIS_URL!, '--db', db.url, '--prefix', pfx, '--out', 'out-dist'], { cwd: work });
  // Killed once a quarter of the batch is done and it holds a job: that job's lock expires, w2 takes it.
  let held: string[] = [];
  await until(
    async () => {
      if (enqueuer.child.exitCode !== null) throw new Error(`the enqueuer ended before the kill: ${enqueuer.stderr()}`);
      if ((await lines(db.schema)) < documents / 4) return false;
      held = (await audits.getActive()).filter((j) => j.processedBy === w1.name).map((j) => j.id!);
      return held.length > 0;
    },
    240_000,
    'a quarter of the batch done, and a job in the hands of the first worker',
  );
  w1.child.kill('SIGKILL');
  const killedAt = await lines(db.schema);
  assert.equal(await within(enqueuer.exit, 300_000, 'the distributed run'), 0, enqueuer.stderr());
  const distSeconds = (performance.now() - t0) / 1000;
  t.diagnostic(`${documents} documents (${distinct} distinct): local ${localSeconds.toFixed(1)} s, distributed ${distSeconds.toFixed(1)} s; worker 1 killed at ${killedAt} done, holding ${held.join(', ')}`);

  sameJson(enqueuer.stdout(), local.stdout());
  assertSameFiles(join(work, 'out-dist'), join(work, 'out-local'), '--out');

  const s = db.schema;
  const run = Number((await one(`SELECT max(id) AS id FROM ${s}.runs`)).id);
  const exported = start(['export', '--db', db.url, '--run', String(run), '--out', 'out-export'], { cwd: work });
  assert.equal(await within(exported.exit, 120_000, 'export'), 0, exported.stderr());
  assertSameFiles(join(work, 'out-export'), join(work, 'out-local'), 'ogi export --db');

  assert.equal((await one(`SELECT status FROM ${s}.runs WHERE id = $1`, [run])).status, 'done');
  const rows = await one(`SELECT count(*) AS n, count(DISTINCT seq) AS seqs, min(seq) AS lo, max(seq) AS hi FROM ${s}.run_documents WHERE run_id = $1`, [run]);
  assert.deepEqual([Number(rows.n), Number(rows.seqs), Number(rows.lo), Number(rows.hi)], [documents, documents, 0, documents - 1], 'a line per input, none lost, none twice');
  assert.equal(Number((await one(`SELECT count(*) AS n FROM ${s}.reports`)).n), distinct, 'one report per content');
  const findings = new Map<string, number>(want.reports.map((r: { source: { sha256: string }; findings: unknown[] }) => [r.source.sha256, r.findings.length]));
  const stored = Number((await one(`SELECT count(*) AS n FROM ${s}.findings`)).n);
  assert.equal(stored, [...findings.values()].reduce((x, y) => x + y, 0), 'every finding once');

  // Every job done once (the killed worker's jobs by the other worker, after their locks expired), none dead.
  const counts = await audits.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
  assert.deepEqual(counts, { completed: distinct, failed: 0, waiting: 0, active: 0, delayed: 0 }, 'a job per content');
  for (const id of held) {
    const job = (await audits.getJob(id))!;
    assert.equal(await job.getState(), 'completed');
    assert.equal(job.processedBy, w2.name, `${id}: finished by the worker that lived`);
    assert.ok(job.stalledCounter >= 1, `${id}: taken back as stalled`);
  }
  assert.equal(await queue(DEAD_QUEUE, pfx).count(), 0, 'no dead letter');
  w2.child.kill('SIGTERM');
  assert.equal(await within(w2.exit, 30_000, 'worker 2 stops'), 0);
});

test('poisoned documents end in the dead-letter queue after their attempts, and a detached run still ends', { skip, timeout: 300_000 }, async (t) => {
  const work = temp('poison');
  const docs = join(work, 'docs');
  mkdirSync(docs);
  const html = sample('.html');
  for (const f of html.slice(0, 6)) copyFileSync(join(SAMPLE, f), join(docs, f));
  // Distinct contents whose names the test hook poisons: one hangs its thread (past --timeout), one
  // ends it. The hang's second copy is poisoned by name too, as a local run reads each copy itself.
  for (const [name, i] of [['poison-hang.html', 1], ['poison-hang-again.html', 1], ['poison-crash.html', 2]] as const) {
    copyFileSync(join(SAMPLE, html[0]), join(docs, name));
    appendFileSync(join(docs, name), `\n<!-- poisoned ${i} -->\n`);
  }
  const documents = 9;
  const env = { OGI_TEST_POISON: 'poison-hang:hang,poison-crash:crash' };
  const db = await database('poison');
  const pfx = prefix('poison');

  const local = start(['audit', 'docs', '--store', join(work, 'local.sqlite'), '--out', 'out-local', '--workers', '2', '--timeout', '2'], { cwd: work, env });
  assert.equal(await within(local.exit, 120_000, 'local run'), 1, 'a document that cannot be read fails the run');

  const workers = await Promise.all([worker(db.url, pfx, ['--timeout', '2'], env), worker(db.url, pfx, ['--timeout', '2'], env)]);
  const t0 = performance.now();
  const enqueuer = start(['audit', 'docs', '--redis', REDIS_URL!, '--db', db.url, '--prefix', pfx, '--detach', '--json', '--attempts', '2', '--backoff', '0.2'], { cwd: work });
  assert.equal(await within(enqueuer.exit, 60_000, 'enqueue'), 0, enqueuer.stderr());
  const queued = JSON.parse(enqueuer.stdout());
  assert.equal(queued.documents, documents);
  assert.equal(queued.jobs, documents - 1, 'the two copies of one content are one job');
  assert.match(queued.export, new RegExp(`^ogi export --db postgres://.* --run ${queued.run} --out DIR$`));

  // The workers end the detached run: cross-year checks, then 'done'.
  const status = async () => (await one(`SELECT status FROM ${db.schema}.runs WHERE id = $1`, [queued.run])).status;
  await until(async () => (await status()) === 'done', 120_000, 'the workers end the run');
  t.diagnostic(`detached run of ${documents} documents with two poisoned contents (2 attempts each): done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const dead = await queue(DEAD_QUEUE, pfx).getJobs(['waiting', 'prioritized', 'delayed']);
  const letters = dead.map((j) => ({ first: j.data.docs[0].name, docs: j.data.docs.length, code: j.data.error.code, attempts: j.data.attempts })).sort((a, b) => (a.first < b.first ? -1 : 1));
  assert.deepEqual(letters, [
    { first: 'docs/poison-crash.html', docs: 1, code: 'internal-error', attempts: 2 },
    { first: 'docs/poison-hang-again.html', docs: 2, code: 'timeout', attempts: 2 },
  ]);
  const audits = queue(AUDIT_QUEUE, pfx);
  assert.deepEqual(await audits.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed'), { completed: documents - 3, failed: 2, waiting: 0, active: 0, delayed: 0 }, 'no retry loop');
  for (const j of await audits.getFailed()) assert.equal(j.attemptsMade, 2, `${j.id}: tried twice, not more`);

  const rows = (await admin!.query(`SELECT seq, path, outcome, error_code FROM ${db.schema}.run_documents WHERE run_id = $1 ORDER BY seq`, [queued.run])).rows;
  assert.equal(rows.length, documents);
  assert.deepEqual(rows.filter((r) => r.outcome === 'failed').map((r) => [r.path, r.error_code]), [
    ['docs/poison-crash.html', 'internal-error'],
    ['docs/poison-hang-again.html', 'timeout'],
    ['docs/poison-hang.html', 'timeout'],
  ]);

  const exported = start(['export', '--db', db.url, '--run', String(queued.run), '--out', 'out-export'], { cwd: work });
  assert.equal(await within(exported.exit, 60_000, 'export'), 0, exported.stderr());
  assert.doesNotMatch(exported.stderr(), /still running|interrupted/);
  assertSameFiles(join(work, 'out-export'), join(work, 'out-local'), 'the detached run exported, against the local run');

  for (const w of workers) w.child.kill('SIGTERM');
  assert.deepEqual(await Promise.all(workers.map((w) => within(w.exit, 30_000, 'workers stop'))), [0, 0]);
  assert.match(workers.map((w) => w.stderr()).join(''), /"dead letter"/);
});

test('SIGTERM stops an idle worker with status 0; unreachable Redis or PostgreSQL is a clear error in seconds', { skip, timeout: 120_000 }, async () => {
  const db = await database('signals');
  const w = await worker(db.url, prefix('signals'));
  const t0 = performance.now();
  w.child.kill('SIGTERM');
  assert.equal(await within(w.exit, 20_000, 'SIGTERM'), 0, w.stderr());
  assert.ok(performance.now() - t0 < 10_000, 'an idle worker stops at once');
  assert.match(w.stderr(), /"ogi worker stopped"/);

  // Loopback ports where nothing listens: refused at once, tried a few times, then given up.
  const cwd = temp('unreachable');
  const noRedis = start(['worker', '--redis', 'redis://127.0.0.1:1', '--db', db.url], { cwd });
  const noDb = start(['audit', SAMPLE, '--redis', REDIS_URL!, '--db', 'postgres://ogi@127.0.0.1:1/ogi'], { cwd });
  assert.deepEqual(await Promise.all([within(noRedis.exit, 60_000, 'no Redis'), within(noDb.exit, 60_000, 'no PostgreSQL')]), [2, 2]);
  assert.match(noRedis.stderr(), /^ogi: cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/? \(\d+ attempts\): .*ECONNREFUSED/);
  assert.match(noDb.stderr(), /^ogi: cannot open PostgreSQL at postgres:\/\/ogi@127\.0\.0\.1:1\/ogi \(\d+ attempts\): .*ECONNREFUSED/);
  const usage = start(['audit', SAMPLE, '--redis', REDIS_URL!, '--workers', '2', '--db', db.url], { cwd });
  assert.equal(await within(usage.exit, 30_000, 'usage'), 2);
  assert.match(usage.stderr(), /--workers is the workers' own with --redis/);
});

test('a document whose workers all die goes to the dead-letter queue once BullMQ gives it up, and the run completes', { skip, timeout: 240_000 }, async (t) => {
  const work = temp('stalls');
  const docs = join(work, 'docs');
  mkdirSync(docs);
  const html = sample('.html');
  for (const f of html.slice(0, 3)) copyFileSync(join(SAMPLE, f), join(docs, f));
  copyFileSync(join(SAMPLE, html[0]), join(docs, 'poison-hang.html'));
  appendFileSync(join(docs, 'poison-hang.html'), '\n<!-- poisoned -->\n');
  const db = await database('stalls');
  const pfx = prefix('stalls');
  // Each worker hangs on the poisoned document well past the lock, and is killed while it does: a
  // job may lose its worker once (OGI_WORKER_MAX_STALLED=1); the second time BullMQ fails it itself.
  const env = { OGI_TEST_POISON: 'poison-hang:hang', OGI_WORKER_MAX_STALLED: '1' };
  const audits = queue(AUDIT_QUEUE, pfx);
  const t0 = performance.now();
  let w = await worker(db.url, pfx, ['--timeout', '120'], env);
  const enqueuer = start(['audit', 'docs', '--redis', REDIS_URL!, '--db', db.url, '--prefix', pfx, '--json'], { cwd: work });
  const holds = async (name: string) => (await audits.getActive()).some((j) => j.processedBy === name && j.data.docs[0].name === 'docs/poison-hang.html');
  for (let kill = 1; kill <= 2; kill++) {
    const name = w.name;
    await until(() => holds(name), 60_000, `worker ${kill} takes the poisoned document`);
    w.child.kill('SIGKILL');
    await w.exit;
    w = await worker(db.url, pfx, ['--timeout', '120'], env);
  }
  assert.equal(await within(enqueuer.exit, 120_000, 'the run'), 1, 'a document that could not be read: exit 1');
  t.diagnostic(`two workers killed on the poisoned document; the run completed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const out = JSON.parse(enqueuer.stdout());
  assert.deepEqual(out.reports.map((r: { errors: { code: string }[] }) => r.errors[0]?.code ?? null), [null, null, null, 'internal-error']);
  assert.match(out.reports[3].errors[0].message, /every worker that took this document died \(job stalled more than allowable limit\)/);
  const letters = await queue(DEAD_QUEUE, pfx).getJobs(['waiting']);
  assert.deepEqual(letters.map((j) => [j.data.docs[0].name, j.data.error.code]), [['docs/poison-hang.html', 'internal-error']]);
  const [failed] = await audits.getFailed();
  assert.equal(failed.stalledCounter, 2);
  w.child.kill('SIGTERM');
  assert.equal(await within(w.exit, 30_000, 'the last worker stops'), 0);
});
