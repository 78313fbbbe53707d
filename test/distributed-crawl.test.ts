/**
 * The crawl across workers (src/distributed/crawl*.ts, issue 7) against real services: two worker
 * processes (the audit and the crawl worker of test/helpers/crawl-worker.ts, as `ogi worker` runs
 * them) crawl the fixture site of test/helpers/site.ts, enqueued by `ogi crawl --redis`. Compared
 * with a local crawl of a second copy of the site: the same URLs fetched, the same catalogue (here
 * in PostgreSQL), the same summary; every request to the site's host spaced by the robots
 * Crawl-delay across both workers (the server's arrival log); the redirect to 127.0.0.2 refused
 * without a connection; a second crawl fetching only what changed; a job scheduler firing every
 * second, crawls that never overlap and one crawl per firing.
 *
 * Needs OGI_TEST_PG_URL and OGI_TEST_REDIS_URL (`eval "$(scripts/test-services.sh start)"`); skipped
 * without them, unless OGI_REQUIRE_SERVICES=1 (CI), where their absence fails. Its own PostgreSQL
 * schema and queue prefix, removed in `after`. Traffic goes to loopback only.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CRAWL_QUEUE, crawlKey, type CrawlJobResult } from '../src/distributed/crawl-jobs.ts';
import { CrawlState, HostBusy } from '../src/distributed/crawl-state.ts';
import { PgStore } from '../src/store/postgres.ts';
import { ogi, type OgiResult } from './helpers/ogi.ts';
import { CRAWL_DELAY_S, FixtureSite, type Hit } from './helpers/site.ts';

const PG_URL = process.env.OGI_TEST_PG_URL;
const REDIS_URL = process.env.OGI_TEST_REDIS_URL;
const REQUIRED = process.env.OGI_REQUIRE_SERVICES === '1';
const MISSING = !PG_URL || !REDIS_URL;
const skip = MISSING ? 'needs OGI_TEST_PG_URL and OGI_TEST_REDIS_URL (eval "$(scripts/test-services.sh start)")' : false;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER = fileURLToPath(new URL('./helpers/crawl-worker.ts', import.meta.url));

const local = new FixtureSite();
const site = new FixtureSite();
const work = mkdtempSync(join(tmpdir(), 'ogi-dcrawl-'));
const schema = `ogi_dcrawl_${process.pid}`;
const pfx = `ogitest-${process.pid}-crawl`;
let db = '';
let admin: pg.Client | undefined;
let redis: Redis | undefined;
let queue: Queue | undefined;
let queueConnection: Redis | undefined;
const workers: { child: ChildProcess; stderr: () => string }[] = [];

let localRun: OgiResult;
let first: OgiResult;
let firstHits = 0;
let second: OgiResult;

interface Event {
  event: string;
  [k: string]: unknown;
}
const events = (r: OgiResult): Event[] => r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event);
/** The summary a crawl ended with (its log line without time, level and event). */
const done = (r: OgiResult): Record<string, unknown> => {
  const e = events(r).find((x) => x.event === 'crawl done');
  assert.ok(e, `no crawl done in: ${r.stderr}`);
  const { time: _time, level: _level, event: _event, ...summary } = e;
  return summary;
};
const crawlArgs = ['--delay', '0', '--timeout', '1.5', '--retries', '1', '--max-file-bytes', '1M', '--json-logs'];
const distributed = (starts: string[], extra: string[] = []) =>
  ogi(['crawl', ...starts, '--redis', REDIS_URL!, '--db', db, '--prefix', pfx, '--allow-host', `127.0.0.1:${site.port}`, ...crawlArgs, ...extra], { cwd: work, timeoutMs: 150_000 });

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A worker process: the audit worker and the crawl worker, as `ogi worker` runs them; resolved once both are ready. */
async function startWorker(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, REDIS_URL!, db, pfx, `127.0.0.1:${site.port}`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  workers.push({ child, stderr: () => stderr });
  await until(() => {
    if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}: ${stderr}`);
    return stderr.includes('"ogi crawl worker ready"') && stderr.includes('"ogi worker ready"');
  }, 60_000, 'worker ready');
}

before(async () => {
  if (MISSING) return;
  await Promise.all([local.start(), site.start()]);
  admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  db = url.toString();
  redis = new Redis(REDIS_URL!, { maxRetriesPerRequest: 3, connectTimeout: 5000 });
  queueConnection = redis.duplicate({ maxRetriesPerRequest: null });
  queue = new Queue(CRAWL_QUEUE, { connection: queueConnection, prefix: pfx });
  await Promise.all([startWorker(), startWorker()]);
  // The local crawl of the other copy of the site runs meanwhile: what the distributed one must match.
  const localCrawl = ogi(['crawl', ...local.starts, '--store', join(work, 'local.sqlite'), '--allow-host', `127.0.0.1:${local.port}`, ...crawlArgs, '--workers', '1'], { cwd: work, timeoutMs: 150_000 });
  first = await distributed(site.starts);
  firstHits = site.hits.length;
  localRun = await localCrawl;
  // Between crawls one report is republished with a change; nothing else changes.
  site.changing = Buffer.concat([site.changing, Buffer.from('\n<!-- 更正 -->\n')]);
  second = await distributed(site.starts);
});

after(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
  await Promise.race([Promise.all(workers.map((w) => (w.child.exitCode === null ? new Promise((r) => w.child.once('exit', r)) : undefined))), new Promise((r) => setTimeout(r, 15_000))]);
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await queue?.close().catch(() => undefined);
  queueConnection?.disconnect();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await admin?.end();
  if (redis) {
    for (let cursor = '0', rounds = 0; rounds < 10_000; rounds++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${pfx}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      if ((cursor = next) === '0') break;
    }
    redis.disconnect();
  }
  if (!MISSING) await Promise.all([local.stop(), site.stop()]);
  rmSync(work, { recursive: true, force: true });
});

const rows = async (sql: string, params: unknown[] = []) => (await admin!.query(sql.replaceAll('$S.', `${schema}.`), params)).rows as Record<string, unknown>[];
const pathOf = (url: unknown, origin: string) => (typeof url === 'string' ? url.replace(origin, '') : url);

test('services for the distributed crawl tests', { skip: !MISSING || !REQUIRED }, () => {
  assert.fail('OGI_REQUIRE_SERVICES=1 but OGI_TEST_PG_URL or OGI_TEST_REDIS_URL is not set: start them with scripts/test-services.sh');
});

test('two workers crawl what the local crawl crawls: the same URLs, catalogue and summary', { skip }, async (t) => {
  assert.equal(localRun.code, 0, localRun.stderr);
  assert.equal(first.code, 0, first.stderr);
  const { crawl, auditRun, job, ...got } = done(first);
  const { crawl: _crawl, auditRun: localAuditRun, ...want } = done(localRun);
  assert.deepEqual(got, want, 'the same summary as the local crawl');
  assert.ok(typeof job === 'string' && typeof crawl === 'number' && typeof auditRun === 'number');

  const paths = (hits: Hit[]) => [...new Set(hits.map((h) => h.path))].sort();
  assert.deepEqual(paths(site.requested(0).slice(0, firstHits)), paths(local.requested(0)), 'the same URLs requested');

  // The catalogue, in PostgreSQL, as the local crawl's in SQLite (URLs on each site's own origin).
  const columns = 'url, role, referrer, link_text, status, outcome, reason, sha256, kind, title, body, year';
  const pgUrls = (await rows(`SELECT ${columns} FROM $S.crawl_urls ORDER BY url`)).map((r) => ({ ...r, url: pathOf(r.url, site.origin), referrer: pathOf(r.referrer, site.origin) }));
  const sqlite = new Database(join(work, 'local.sqlite'), { readonly: true });
  try {
    const localUrls = (sqlite.prepare(`SELECT ${columns} FROM crawl_urls ORDER BY url`).all() as Record<string, unknown>[]).map((r) => ({ ...r, url: pathOf(r.url, local.origin), referrer: pathOf(r.referrer, local.origin) }));
    // Both after the first crawl only: the local store has one crawl; PostgreSQL's rows now show the second.
    const byUrl = (list: Record<string, unknown>[]) => new Map(list.map((r) => [r.url as string, r]));
    const a = byUrl(pgUrls);
    const b = byUrl(localUrls);
    assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), 'the same URLs catalogued');
    const republished = '/col/nb/202403/t20240308_1.htm';
    for (const [url, r] of b) {
      const { outcome, status: _s, sha256, ...rest } = a.get(url)!;
      const { outcome: lo, status: _ls, sha256: lsha, ...lrest } = r;
      assert.deepEqual(rest, lrest, url);
      // The page republished before the second crawl changed; everything else answered 304 or failed as before.
      if (url === republished) {
        assert.equal(outcome, 'changed');
        assert.notEqual(sha256, lsha);
      } else {
        assert.equal(sha256, lsha, url);
        assert.equal(outcome, lo === 'failed' || lo === 'skipped' ? lo : 'unchanged', url);
      }
    }
    // The audit run: the same documents with the same contents, and the same reports of them.
    const localDocs = sqlite
      .prepare('SELECT d.path, d.sha256, r.report, (SELECT group_concat(rule, \',\') FROM (SELECT rule FROM findings f WHERE f.sha256 = d.sha256 ORDER BY scope, seq)) AS rules FROM run_documents d JOIN reports r ON r.sha256 = d.sha256 WHERE d.run_id = ? ORDER BY d.path')
      .all(localAuditRun) as Record<string, unknown>[];
    const pgDocs = await rows("SELECT d.path, d.sha256, r.report, (SELECT string_agg(f.rule, ',' ORDER BY f.scope, f.seq) FROM $S.findings f WHERE f.sha256 = d.sha256) AS rules FROM $S.run_documents d JOIN $S.reports r ON r.sha256 = d.sha256 WHERE d.run_id = $1 ORDER BY d.path", [auditRun]);
    const brief = (d: Record<string, unknown>, origin: string) => {
      const r = JSON.parse(d.report as string) as { meta: unknown; values: unknown; errors: { code: string }[] };
      return { path: (d.path as string).replace(origin, ''), sha: d.sha256, meta: r.meta, values: r.values, errors: r.errors.map((e) => e.code), rules: d.rules ?? '' };
    };
    assert.equal(pgDocs.length, (done(localRun).reports as Record<string, number>).new + (done(localRun).attachments as Record<string, number>).new);
    assert.deepEqual(pgDocs.map((d) => brief(d, site.origin)), localDocs.map((d) => brief(d, local.origin)));
  } finally {
    sqlite.close();
  }

  const [run] = await rows('SELECT status, audit_run, summary FROM $S.crawl_runs WHERE id = $1', [crawl]);
  assert.equal(run.status, 'done');
  assert.equal(Number(run.audit_run), auditRun);
  assert.deepEqual(JSON.parse(run.summary as string), done(first), 'the summary in the catalogue');
  const [fetches] = await rows('SELECT count(*) AS n, count(DISTINCT seq) AS seqs, min(seq) AS lo, max(seq) AS hi FROM $S.crawl_fetches WHERE crawl_id = $1', [crawl]);
  assert.deepEqual([fetches.seqs, fetches.lo, fetches.hi].map(Number), [Number(fetches.n), 1, Number(fetches.n)], 'fetch lines numbered 1…n across both workers');
  // Both workers fetched pages, and jobs whose host was busy went back to the queue as delayed.
  for (const [i, w] of workers.entries()) assert.ok(w.stderr().includes('"event":"fetched"'), `worker ${i + 1} fetched pages`);
  const stream = await redis!.xrange(`${pfx}:${CRAWL_QUEUE}:events`, '-', '+');
  const delayed = stream.filter(([, f]) => f[1] === 'delayed' && f[3]?.startsWith('c')).length;
  assert.ok(delayed > 0, 'URL jobs were moved to delayed while their host was busy');
  const fetchedBy = workers.map((w) => w.stderr().split('\n').filter((l) => l.includes('"event":"fetched"')).length);
  t.diagnostic(`two crawls: fetches logged per worker ${fetchedBy.join(' + ')}; URL jobs moved to delayed (host busy) ${delayed} times; ${site.hits.length} requests, the closest two ${Math.min(...site.hits.slice(1).map((h, i) => h.at - site.hits[i].at))} ms apart`);
});

test('robots.txt: one fetch per crawl, the disallowed path never requested, every request spaced by its Crawl-delay across both workers', { skip }, () => {
  const hits = site.requested(0).slice(0, firstHits);
  assert.equal(hits.filter((h) => h.path === '/robots.txt').length, 1, 'robots.txt read once for the crawl, shared by the workers');
  assert.ok(!hits.some((h) => h.path.startsWith('/private/')));
  // Gaps between request arrivals as the server logged them (both crawls so far).
  const all = site.requested(0);
  const tooClose = all.slice(1).map((h, i) => [h.at - all[i].at, all[i].path, h.path]).filter(([g]) => (g as number) < CRAWL_DELAY_S * 1000 - 50);
  assert.deepEqual(tooClose, [], 'no two requests closer than the crawl delay');
});

test('the redirect to a loopback address that is not allowed is refused without a connection', { skip }, async () => {
  assert.equal(site.forbiddenConnections, 0);
  const [row] = await rows('SELECT outcome, reason FROM $S.crawl_urls WHERE url = $1', [`${site.origin}/go/2020.htm`]);
  // After the second crawl too: it failed again the same way.
  assert.deepEqual(row, { outcome: 'failed', reason: 'refused-address' });
});

test('a second crawl fetches only what changed, and audits only that', { skip }, () => {
  assert.equal(second.code, 0, second.stderr);
  const hits = site.requested(firstHits);
  const full = hits.filter((h) => h.status === 200).map((h) => h.path);
  assert.deepEqual(full.filter((p) => p !== '/robots.txt' && p !== '/att/big.pdf'), ['/col/nb/202403/t20240308_1.htm'], 'everything else answered 304 or failed as before');
  assert.ok(hits.filter((h) => h.status === 304).length >= 10);
  const d = done(second);
  assert.deepEqual(d.reports, { new: 0, changed: 1, unchanged: (done(first).reports as { new: number }).new - 1 });
  assert.equal(d.audited, 1);
  assert.equal(d.reused, (done(first).audited as number) - 1);
  assert.equal((d.failed as Record<string, number>)['refused-address'], 1);
});

test('a job scheduler fires every second: one crawl per firing at most, never two at once, with two workers', { skip, timeout: 180_000 }, async (t) => {
  const start = `${site.origin}/hanweb/col/col123/index.html?uid=1&pageNum=1`;
  const key = crawlKey([start]);
  const scheduled = await distributed([start], ['--every', '* * * * * *']);
  assert.equal(scheduled.code, 0, scheduled.stderr);
  assert.equal(events(scheduled).find((e) => e.event === 'crawl scheduled')?.schedule, key);
  const crawlsOf = async () => rows(`SELECT id, started_at, finished_at, status, summary FROM $S.crawl_runs WHERE start_urls = $1 ORDER BY started_at`, [JSON.stringify([start])]);
  await until(async () => (await crawlsOf()).filter((r) => r.status === 'done').length >= 3, 90_000, 'three scheduled crawls');
  const removed = await distributed([start], ['--unschedule']);
  assert.equal(removed.code, 0, removed.stderr);
  const firings = async () => ((await queue!.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed', 'waiting-children'], 0, 10_000)) as Job[]).filter((j) => j?.id?.startsWith(`repeat:${key}:`));
  await until(async () => {
    const jobs = await firings();
    return (await Promise.all(jobs.map((j) => j.getState()))).every((s) => s === 'completed' || s === 'failed');
  }, 60_000, 'the last firing finished');

  const jobs = await firings();
  const results = jobs.map((j) => [j.id!, j.returnvalue as CrawlJobResult, j.failedReason] as const);
  assert.deepEqual(results.filter(([, , failed]) => failed), [], 'no firing failed');
  const ran = results.filter(([, r]) => 'summary' in r).map(([id, r]) => [id, (r as { summary: { crawl: number } }).summary.crawl] as const);
  const skipped = results.filter(([, r]) => 'skipped' in r);
  const crawls = await crawlsOf();
  assert.equal(crawls.length, ran.length, 'one crawl per firing that ran, no more');
  assert.deepEqual(crawls.map((c) => Number(c.id)).sort(), ran.map(([, c]) => c).sort());
  assert.deepEqual(crawls.map((c) => JSON.parse(c.summary as string).job).sort(), ran.map(([id]) => id).sort(), 'each crawl names the firing that ran it');
  assert.equal(ran.length + skipped.length, jobs.length, 'every firing ran once or was skipped');
  for (let i = 1; i < crawls.length; i++) assert.ok((crawls[i - 1].finished_at as string) <= (crawls[i].started_at as string), `crawl ${crawls[i].id} starts after crawl ${crawls[i - 1].id} ended`);
  for (const c of crawls) assert.deepEqual(JSON.parse(c.summary as string).reports, { new: 0, changed: 0, unchanged: 2 });
  // Still polite across every crawl of the file.
  const all = site.requested(0);
  assert.deepEqual(all.slice(1).filter((h, i) => h.at - all[i].at < CRAWL_DELAY_S * 1000 - 50), []);
  assert.equal(await queue!.getJobSchedulersCount(), 0, 'the schedule is gone');
  t.diagnostic(`${jobs.length} firings: ${ran.length} crawls, ${skipped.length} skipped while the previous crawl ran`);
});

test('the catalogue on PostgreSQL: fetch lines numbered once across two connections, and begin() leaves other crawls running', { skip }, async () => {
  const [a, b] = await Promise.all([PgStore.open(db, 'test'), PgStore.open(db, 'test')]);
  try {
    const [ca, cb] = [a.catalogue(), b.catalogue()];
    const crawl = await ca.begin(['http://example.test/']);
    const other = await cb.begin(['http://example.test/other']);
    const urls = Array.from({ length: 40 }, (_, i) => `http://example.test/${i}`);
    await Promise.all(urls.map((u, i) => (i % 2 ? ca : cb).seen(u, 'report')));
    await Promise.all(urls.map((u, i) => (i % 2 ? cb : ca).fetched(crawl, u, { outcome: 'new', status: 200, sha256: 'a'.repeat(64), bytes: i })));
    assert.deepEqual((await ca.fetches(crawl)).length, 40);
    const [n] = await rows('SELECT count(*) AS n, count(DISTINCT seq) AS seqs, min(seq) AS lo, max(seq) AS hi FROM $S.crawl_fetches WHERE crawl_id = $1', [crawl]);
    assert.deepEqual([n.n, n.seqs, n.lo, n.hi].map(Number), [40, 40, 1, 40]);
    const status = async (id: number) => (await rows('SELECT status FROM $S.crawl_runs WHERE id = $1', [id]))[0].status;
    assert.equal(await status(crawl), 'running', "a crawl begun elsewhere is not marked interrupted");
    await ca.end(crawl, { ok: true });
    await cb.interrupt(other);
    assert.deepEqual([await status(crawl), await status(other)], ['done', 'interrupted']);
    assert.equal((await cb.get(urls[3]))?.outcome, 'new');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('a host reservation in Redis: two workers on their own connections, one request at a time, each the delay after the last', { skip }, async () => {
  const conns = [redis!.duplicate(), redis!.duplicate()];
  try {
    const gap = 150;
    const starts: { worker: number; at: number }[] = [];
    const url = 'http://reservation.test/x';
    let inFlight = 0;
    const work = async (worker: number) => {
      const polite = new CrawlState(conns[worker], `${pfx}-reserve`).politeness(gap);
      for (let done = 0, tries = 0; done < 6 && tries < 500; tries++) {
        try {
          await polite.run(url, async () => {
            assert.equal(++inFlight, 1, 'one request at a time');
            starts.push({ worker, at: Date.now() });
            await new Promise((r) => setTimeout(r, 20));
            inFlight--;
          });
          done++;
        } catch (e) {
          if (!(e instanceof HostBusy)) throw e;
          // What a job does: back to the queue until its slot (here: wait for it).
          await new Promise((r) => setTimeout(r, e.waitMs));
        }
      }
    };
    await Promise.all([work(0), work(1)]);
    assert.equal(starts.length, 12);
    assert.ok(starts.some((s) => s.worker === 0) && starts.some((s) => s.worker === 1));
    // From the end of one (20 ms after its start) to the start of the next: at least the gap.
    const close = starts.slice(1).filter((s, i) => s.at - starts[i].at < gap + 20 - 5);
    assert.deepEqual(close, []);
  } finally {
    for (const c of conns) c.disconnect();
  }
});
