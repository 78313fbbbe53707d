/**
 * The store contract (src/store/store.ts): one suite of behaviours run against every implementation,
 * embedded SQLite and PostgreSQL (when OGI_TEST_PG_URL is set), so that both give the same answers;
 * and the blob stores (a folder, a PostgreSQL table). Each test has a database of its own: a temporary
 * SQLite file, or a fresh PostgreSQL schema dropped afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { auditBytes } from '../src/pipeline.ts';
import { crossYearFindings, agencyKey } from '../src/audit/crossYear.ts';
import { errorReport, type Finding, type Report } from '../src/report/schema.ts';
import { DirBlobs } from '../src/store/blobs.ts';
import { MIGRATIONS } from '../src/store/migrations.ts';
import { openStore } from '../src/store/open.ts';
import { PG_MIGRATIONS } from '../src/store/pg-migrations.ts';
import { PgStore } from '../src/store/postgres.ts';
import { Store } from '../src/store/sqlite.ts';
import type { AuditStore, BlobStore, RunDocument } from '../src/store/store.ts';
import { SAMPLE_DIR, sampleReports } from './helpers/sample-reports.ts';

type Row = Record<string, unknown>;

/** A fresh database for one test, the stores opened on it, and a way to look inside. */
interface Db {
  location: string;
  open(pipeline?: string): Promise<AuditStore>;
  /** Rows of SQL that both databases run (`?` placeholders). */
  query(sql: string, ...params: unknown[]): Promise<Row[]>;
  /** Marks the database as made by a newer ogi-audit. */
  makeNewer(): Promise<void>;
  /** The schema version, and how many migrations are recorded as applied. */
  schema(): Promise<{ version: number; applied: number }>;
  dispose(): Promise<void>;
}

interface Backend {
  name: string;
  skip: string | false;
  migrations: number;
  fresh(): Promise<Db>;
}

const PIPELINE = 'contract-test';
const PG_URL = process.env.OGI_TEST_PG_URL;
const NO_PG = 'OGI_TEST_PG_URL is not set: `eval "$(scripts/test-services.sh start)"` to test the PostgreSQL store';

/** Every store opened on a database, closed when the test is done with it (close twice is harmless). */
function opener(location: string) {
  const stores: Promise<AuditStore>[] = [];
  const open = (pipeline = PIPELINE) => stores[stores.push(openStore(location, pipeline)) - 1];
  const closeAll = () => Promise.all(stores.map((s) => s.then((x) => x.close()).catch(() => undefined)));
  return { open, closeAll };
}

const sqlite: Backend = {
  name: 'SQLite',
  // Until the store is asynchronous (the AuditStore interface), the suite cannot run on it.
  skip: Object.prototype.toString.call(Store.prototype.runDocuments) === '[object AsyncGeneratorFunction]' ? false : 'the SQLite store does not implement AuditStore yet',
  migrations: MIGRATIONS.length,
  async fresh() {
    const location = join(mkdtempSync(join(tmpdir(), 'ogi-contract-')), 'store.sqlite');
    const stores = opener(location);
    let db: Database.Database | undefined;
    const peek = () => (db ??= new Database(location, { fileMustExist: true, timeout: 10_000 }));
    return {
      location,
      open: stores.open,
      query: async (sql, ...params) => {
        const statement = peek().prepare(sql);
        return statement.reader ? (statement.all(...params) as Row[]) : (statement.run(...params), []);
      },
      makeNewer: async () => void peek().pragma('user_version = 99'),
      schema: async () => ((v) => ({ version: v, applied: v }))(peek().pragma('user_version', { simple: true }) as number),
      dispose: async () => void (await stores.closeAll(), db?.close(), rmSync(dirname(location), { recursive: true, force: true })),
    };
  },
};

let admin: pg.Pool | undefined;
after(() => admin?.end());

/** A new, empty schema of the test database, reached by a URL that makes it the search path. */
async function pgSchema(): Promise<{ schema: string; location: string; drop(): Promise<void> }> {
  admin ??= new pg.Pool({ connectionString: PG_URL, max: 2 });
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { schema, location: url.toString(), drop: async () => void (await admin!.query(`DROP SCHEMA ${schema} CASCADE`)) };
}

const postgres: Backend = {
  name: 'PostgreSQL',
  skip: PG_URL ? false : NO_PG,
  migrations: PG_MIGRATIONS.length,
  async fresh() {
    const { location, drop } = await pgSchema();
    const stores = opener(location);
    const peek = new pg.Pool({ connectionString: location, max: 2 });
    const query = async (sql: string, ...params: unknown[]) => {
      let n = 0;
      return (await peek.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as Row[];
    };
    return {
      location,
      open: stores.open,
      query,
      makeNewer: async () => void (await query("INSERT INTO schema_version (version, applied_at) VALUES (99, 'test')")),
      schema: async () => {
        const [r] = await query('SELECT count(*) AS n, max(version) AS v FROM schema_version');
        return { version: Number(r.v), applied: Number(r.n) };
      },
      dispose: async () => void (await stores.closeAll(), await peek.end(), await drop()),
    };
  },
};

if (!PG_URL && process.env.OGI_REQUIRE_SERVICES === '1') {
  test('PostgreSQL is there to test (OGI_REQUIRE_SERVICES=1)', () => assert.fail(NO_PG));
}

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const count = async (db: Db, sql: string, ...params: unknown[]) => Number(Object.values((await db.query(sql, ...params))[0])[0]);
const byName = async (name: string) => (await sampleReports()).find((r) => r.source.path.endsWith(name))!;
const seed = readFileSync(new URL('../fixtures/seed/seed.html', import.meta.url), 'utf8');
const asYear = (year: number, extra = '') => auditBytes(new TextEncoder().encode(seed.replaceAll('2023', String(year)) + extra), `r${year}.html`);
const stat = (r: Report, mtimeMs = 1_712_345_678_901.125) => ({ size: r.source.bytes, mtimeMs });
/** A pid that was alive a moment ago and is not now. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

for (const backend of [sqlite, postgres]) {
  describe(`the store contract: ${backend.name}`, { skip: backend.skip }, () => {
    const withDb = (name: string, fn: (db: Db) => Promise<void>) =>
      test(name, async () => {
        const db = await backend.fresh();
        try {
          await fn(db);
        } finally {
          await db.dispose();
        }
      });

    withDb('save then report: every report comes back equal, findings and all; runs are recorded', async (db) => {
      const reports = await sampleReports();
      const store = await db.open();
      const run = await store.beginRun(reports.map((r) => r.source.path));
      for (const [i, r] of reports.entries()) await store.save(run, i, r.source.path, structuredClone(r), stat(r));
      await store.endRun(run);
      for (const r of reports) {
        assert.deepEqual(await store.report(r.source.sha256), json(r), r.source.path);
        assert.equal(await store.hasReport(r.source.sha256), true);
        assert.equal(await store.report(r.source.sha256, undefined, 'another-pipeline'), undefined);
      }
      assert.equal(await store.report('0'.repeat(64)), undefined);
      const docs = await all(store.runDocuments(run));
      assert.deepEqual(docs.map((d) => [d.seq, d.path, d.outcome]), reports.map((r, i) => [i, r.source.path, 'audited']));
      assert.deepEqual(docs.map((d) => d.report), reports.map(json));
      const info = { id: run, status: 'done', pipeline: PIPELINE, inputs: reports.map((r) => r.source.path), documents: reports.length };
      assert.deepEqual({ ...(await store.run(run)), startedAt: undefined }, { ...info, startedAt: undefined });
      assert.equal((await store.run())?.id, run, 'the latest run');
      assert.equal(await store.run(run + 1000), undefined);
      assert.equal(await count(db, 'SELECT count(*) FROM findings'), reports.reduce((n, r) => n + r.findings.length, 0));
    });

    withDb('the same bytes saved twice are stored once, and saving again keeps their cross-year findings', async (db) => {
      const r = await byName('00005-pdf-chromium-zero-rows-cell.pdf');
      assert.ok(r.findings.length > 0);
      const store = await db.open();
      const run = await store.beginRun(['a.pdf', 'copy/a.pdf']);
      await store.save(run, 0, 'a.pdf', structuredClone(r));
      await store.save(run, 1, 'copy/a.pdf', { ...structuredClone(r), source: { ...r.source, path: 'copy/a.pdf' } });
      assert.equal((await store.report(r.source.sha256))!.source.path, r.source.path, 'the first save stands');
      const cross: Finding = { rule: 'crossYear.copiedTables', severity: 'warning', message: '表三与 2024 年度报告完全相同', paths: ['requests'], related: 'b.pdf' };
      await store.setCrossYear(r.source.sha256, [{ finding: cross, relatedSha256: 'f'.repeat(64) }]);
      const again = await store.beginRun(['a.pdf']);
      await store.save(again, 0, 'a.pdf', structuredClone(r));
      for (const table of ['sources', 'reports']) assert.equal(await count(db, `SELECT count(*) FROM ${table}`), 1, table);
      assert.equal(await count(db, "SELECT count(*) FROM findings WHERE scope = 'document'"), r.findings.length);
      assert.deepEqual((await store.report(r.source.sha256))!.findings, [...json(r.findings), cross], 'never replaced: the cross-year finding stays');
      const docs = await all(store.runDocuments(run));
      assert.deepEqual(docs.map((d) => [d.path, d.report.source.path]), [['a.pdf', 'a.pdf'], ['copy/a.pdf', 'copy/a.pdf']]);
    });

    withDb('workers saving the same documents at once store each once; cross-year findings set at once stay whole', async (db) => {
      const reports = await sampleReports();
      const workers = await Promise.all([db.open(), db.open(), db.open()]);
      const runs = await Promise.all(workers.map((w) => w.beginRun(['batch'])));
      await Promise.all(workers.flatMap((w, k) => reports.map((r, i) => w.save(runs[k], i, r.source.path, structuredClone(r), stat(r)))));
      assert.equal(await count(db, 'SELECT count(*) FROM reports'), new Set(reports.map((r) => r.source.sha256)).size);
      assert.equal(await count(db, 'SELECT count(*) FROM findings'), reports.reduce((n, r) => n + r.findings.length, 0));
      assert.equal(await count(db, 'SELECT count(*) FROM run_documents'), 3 * reports.length);
      const target = reports[0].source.sha256;
      const cross = (n: number) => Array.from({ length: n }, (_, i) => ({ finding: { rule: 'crossYear.carriedOver', severity: 'warning' as const, message: `${n}-${i}`, paths: [] }, relatedSha256: reports[1].source.sha256 }));
      await Promise.all([3, 5, 4, 5, 3].map((n, k) => workers[k % 3].setCrossYear(target, cross(n))));
      const messages = (await workers[0].report(target))!.findings.slice(reports[0].findings.length).map((f) => f.message);
      assert.ok([3, 4, 5].some((n) => JSON.stringify(messages) === JSON.stringify(cross(n).map((x) => x.finding.message))), `one whole set, not a mix: ${messages}`);
    });

    withDb('a transient failure is kept with its run only, and the next run tries the document again', async (db) => {
      const r = await byName('00000-html-plain-base.html');
      const timeout = errorReport({ ...r.source }, 'timeout', `${r.source.path}: reading took longer than 120 s`);
      const unreadable = errorReport({ path: 'gone.pdf', format: null, sha256: '', bytes: 0 }, 'read-failed', 'gone.pdf: ENOENT');
      const store = await db.open();
      const first = await store.beginRun([r.source.path, 'gone.pdf']);
      await store.save(first, 0, r.source.path, structuredClone(timeout), stat(r));
      await store.save(first, 1, 'gone.pdf', structuredClone(unreadable));
      assert.equal(await store.hasReport(r.source.sha256), false);
      assert.equal(await store.report(r.source.sha256), undefined);
      assert.equal(await store.knownFile(r.source.path, stat(r)), undefined, 'a retry is not skipped as unchanged');
      for (const table of ['sources', 'files', 'reports']) assert.equal(await count(db, `SELECT count(*) FROM ${table}`), 0, table);
      const failed = await all(store.runDocuments(first));
      assert.deepEqual(failed.map((d) => [d.seq, d.outcome, d.report]), [[0, 'failed', json(timeout)], [1, 'failed', json(unreadable)]]);
      assert.deepEqual((await db.query('SELECT sha256, error_code FROM run_documents ORDER BY seq')).map((x) => [x.sha256, x.error_code]), [[r.source.sha256, 'timeout'], [null, 'read-failed']]);

      const second = await store.beginRun([r.source.path]);
      await store.save(second, 0, r.source.path, structuredClone(r), stat(r));
      assert.equal(await store.hasReport(r.source.sha256), true);
      assert.deepEqual((await all(store.runDocuments(second))).map((d) => d.report), [json(r)]);
      assert.equal((await all(store.runDocuments(first)))[0].outcome, 'failed', 'the first run stays as it was');
    });

    withDb('knownFile: an unchanged file by its absolute path, a crawled document by its URL, for this pipeline only', async (db) => {
      const [html, pdf] = [await byName('00000-html-plain-base.html'), await byName('00020-pdf-chromium-template-2019.pdf')];
      const url = 'https://www.example.gov.cn/zwgk/zfxxgknb/2019.pdf';
      const store = await db.open();
      const run = await store.beginRun(['bench/sample/x.html', url]);
      await store.save(run, 0, 'bench/sample/x.html', structuredClone(html), stat(html));
      await store.save(run, 1, url, structuredClone(pdf), stat(pdf));
      const sha = html.source.sha256;
      assert.equal(await store.knownFile('bench/sample/x.html', stat(html)), sha);
      assert.equal(await store.knownFile(resolve('bench/sample/x.html'), stat(html)), sha, 'by its absolute path');
      assert.equal(await store.knownFile('bench/sample/x.html', stat(html, 1)), undefined, 'touched');
      assert.equal(await store.knownFile('bench/sample/x.html', { ...stat(html), size: 1 }), undefined, 'resized');
      assert.equal(await store.knownFile('bench/sample/y.html', stat(html)), undefined, 'another file');
      assert.equal(await store.knownFile(url, stat(pdf)), pdf.source.sha256, 'by its URL');
      assert.deepEqual((await db.query('SELECT path FROM files WHERE sha256 = ?', pdf.source.sha256)).map((x) => x.path), [url], 'the URL itself, not a path');
      // Reused under a new name: that file is known from then on.
      const next = await store.beginRun(['moved/x.html']);
      await store.reuse(next, 0, 'moved/x.html', sha, stat(html, 5));
      assert.equal(await store.knownFile('moved/x.html', stat(html, 5)), sha);
      // Saved without a stat: it says where the bytes are, but never matches a file's stat.
      await store.save(next, 1, 'nostat.html', structuredClone(html));
      assert.equal(await store.knownFile('nostat.html', stat(html)), undefined);
      const other = await db.open('another-pipeline');
      assert.equal(await other.knownFile('bench/sample/x.html', stat(html)), undefined, 'a report by another pipeline is no reason to skip');
    });

    withDb('runDocuments: input order page by page; a run made by an older pipeline reads as it was made', async (db) => {
      const [a, b, broken] = [await byName('00001-html-word-cms-template-2019-cell.html'), await byName('shanghai-office-2019.html').catch(() => undefined), await byName('truncated.pdf')];
      const second = b ?? (await byName('00007-html-word-cms-fee-decimals-narrative.html'));
      const timeout = errorReport({ ...second.source, path: 'slow.pdf' }, 'timeout', 'slow.pdf: too slow');
      const old = await db.open('old-pipeline');
      const run = await old.beginRun(['0', '1', '2', '3', '4']);
      // Workers finish in any order; the run lists its documents in input order.
      await old.save(run, 3, second.source.path, structuredClone(second));
      await old.save(run, 0, a.source.path, structuredClone(a));
      await old.save(run, 4, broken.source.path, structuredClone(broken));
      await old.reuse(run, 1, 'copy-of-a.html', a.source.sha256);
      await old.save(run, 2, 'slow.pdf', structuredClone(timeout));
      const want = [
        [0, a.source.path, 'audited', json(a)],
        [1, 'copy-of-a.html', 'reused', { ...json(a), source: { ...json(a).source, path: 'copy-of-a.html' } }],
        [2, 'slow.pdf', 'failed', json(timeout)],
        [3, second.source.path, 'audited', json(second)],
        [4, broken.source.path, 'audited', json(broken)],
      ];
      const rows = (docs: RunDocument[]) => docs.map((d) => [d.seq, d.path, d.outcome, d.report]);
      for (const page of [2, 1, 5, 200]) assert.deepEqual(rows(await all(old.runDocuments(run, page))), want, `pages of ${page}`);
      // Stopping early leaves nothing open (the store still closes below).
      for await (const d of old.runDocuments(run, 2)) if (d.seq === 2) break;

      const current = await db.open('new-pipeline');
      assert.equal(await current.hasReport(a.source.sha256), false);
      assert.equal(await current.report(a.source.sha256), undefined);
      assert.deepEqual(await current.report(a.source.sha256, undefined, 'old-pipeline'), json(a));
      assert.deepEqual(rows(await all(current.runDocuments(run, 2))), want, "the run's own pipeline's reports");
      assert.equal((await current.run(run))?.pipeline, 'old-pipeline');
      assert.deepEqual(await all(current.runDocuments(run + 1000)), []);
    });

    withDb('series, runBodies and setCrossYear: a body across years and runs, only bytes a file holds now', async (db) => {
      const [y2022, y2023] = await Promise.all([asYear(2022), asYear(2023)]);
      // 2022 says 3 applications go on to 2023, 2023 says none came over: a real cross-year finding.
      for (const p of ['requests.carriedForward.naturalPerson', 'requests.carriedForward.total']) y2022.values[p] = { ...y2022.values[p], value: 3, raw: '3' };
      const key = agencyKey(y2022.meta.agency!);
      const store = await db.open();
      const first = await store.beginRun(['a/r2022.html', 'broken.pdf']);
      await store.save(first, 0, 'a/r2022.html', structuredClone(y2022));
      await store.save(first, 1, 'broken.pdf', structuredClone(await byName('truncated.pdf')));
      const second = await store.beginRun(['b/r2023.html']);
      await store.save(second, 0, 'b/r2023.html', structuredClone(y2023));
      assert.deepEqual(await store.runBodies(first), [key], 'unreadable documents belong to no body');
      assert.deepEqual(await store.runBodies(second), [key]);
      const [s22, s23] = [y2022.source.sha256, y2023.source.sha256];
      assert.deepEqual(await store.series(key, second), [
        { sha256: s22, path: resolve('a/r2022.html'), year: 2022 },
        { sha256: s23, path: 'b/r2023.html', year: 2023 },
      ]);
      assert.deepEqual((await store.series(key, first)).map((e) => e.path), ['a/r2022.html', resolve('b/r2023.html')]);
      assert.deepEqual((await store.series(key)).map((e) => e.path), [resolve('a/r2022.html'), resolve('b/r2023.html')]);
      assert.deepEqual(await store.series('nobody'), []);

      const cross = crossYearFindings(y2022, y2023);
      assert.ok(cross.length > 0);
      await store.setCrossYear(s23, cross.map((finding) => ({ finding, relatedSha256: s22 })));
      assert.deepEqual((await store.report(s23))!.findings, json([...y2023.findings, ...cross]), 'document findings first, then cross-year');
      assert.deepEqual((await db.query("SELECT DISTINCT related_sha256 FROM findings WHERE scope = 'cross-year'")).map((x) => x.related_sha256), [s22]);
      await store.setCrossYear(s23, cross.slice(0, 1).map((finding) => ({ finding, relatedSha256: s22 })));
      await store.setCrossYear(s23, []);
      assert.deepEqual((await store.report(s23))!.findings, json(y2023.findings), 'the document findings stay');

      // A corrected 2022 report replaces the old one at its path; the 2023 bytes also sit in a copy.
      const corrected = await asYear(2022, '\n<!-- corrected -->\n');
      const third = await store.beginRun(['a/r2022.html', 'c/copy.html']);
      await store.save(third, 0, 'a/r2022.html', structuredClone(corrected));
      await store.reuse(third, 1, 'c/copy.html', s23, stat(y2023));
      assert.deepEqual(await store.series(key, third), [
        { sha256: corrected.source.sha256, path: 'a/r2022.html', year: 2022 },
        { sha256: s23, path: 'c/copy.html', year: 2023 },
      ]);
      assert.deepEqual((await store.series(key)).map((e) => e.path), [resolve('a/r2022.html'), resolve('b/r2023.html')], 'by its first file');
      assert.ok(await store.report(s22), 'the old report is kept, only out of the series');
    });

    withDb('an error message names the file the bytes were read under', async (db) => {
      const broken = await byName('truncated.pdf');
      assert.match(broken.errors[0].message, /^broken\/truncated\.pdf: /);
      const store = await db.open();
      const run = await store.beginRun([broken.source.path]);
      await store.save(run, 0, broken.source.path, structuredClone(broken));
      const elsewhere = (await store.report(broken.source.sha256, 'other/name.pdf'))!;
      assert.equal(elsewhere.source.path, 'other/name.pdf');
      assert.equal(elsewhere.errors[0].message, `other/name.pdf: ${broken.errors[0].message.slice('broken/truncated.pdf: '.length)}`);
      assert.deepEqual(await store.report(broken.source.sha256), json(broken));
      assert.deepEqual(await store.report(broken.source.sha256, broken.source.path), json(broken));
      const next = await store.beginRun(['other/name.pdf']);
      await store.reuse(next, 0, 'other/name.pdf', broken.source.sha256);
      assert.deepEqual((await all(store.runDocuments(next)))[0].report, elsewhere);
    });

    withDb('text as a PDF may give it (NUL, lone surrogates) comes back exactly', async (db) => {
      const r = structuredClone(await byName('00001-html-word-cms-template-2019-cell.html'));
      r.meta.agency = `${r.meta.agency}\0`;
      r.findings[0].message += '\0\ud800';
      const store = await db.open();
      const run = await store.beginRun([r.source.path]);
      await store.save(run, 0, r.source.path, structuredClone(r));
      assert.deepEqual(await store.report(r.source.sha256), json(r));
      assert.equal((await store.runBodies(run)).length, 1);
    });

    withDb('beginRun marks runs of gone processes of this host interrupted, and nobody else’s', async (db) => {
      const store = await db.open();
      const [gone, elsewhere, living] = [await store.beginRun(['a']), await store.beginRun(['b']), await store.beginRun(['c'])];
      const pid = deadPid();
      await db.query('UPDATE runs SET pid = ? WHERE id = ?', pid, gone);
      await db.query('UPDATE runs SET pid = ?, host = ? WHERE id = ?', pid, `not-${hostname()}`, elsewhere);
      const next = await store.beginRun(['d']);
      await store.endRun(next);
      const status = async (id: number) => (await store.run(id))?.status;
      assert.deepEqual([await status(gone), await status(elsewhere), await status(living), await status(next)], ['interrupted', 'running', 'running', 'done']);
    });

    withDb('stores opening the same empty database at once all succeed, and it is migrated once', async (db) => {
      const stores = await Promise.all([db.open(), db.open(), db.open()]);
      assert.deepEqual(await db.schema(), { version: backend.migrations, applied: backend.migrations });
      const run = await stores[0].beginRun(['x']);
      assert.equal((await stores[2].run())?.id, run);
    });

    withDb('a database made by a newer ogi-audit is refused, not changed', async (db) => {
      await (await db.open()).close();
      await db.makeNewer();
      await assert.rejects(db.open(), /made by a newer ogi-audit \(schema 99\)/);
      assert.equal((await db.schema()).version, 99);
    });
  });
}

describe('PostgreSQL: the same tables as SQLite, and what only it has', { skip: PG_URL ? false : NO_PG }, () => {
  test('every SQLite table with the same columns, every index on the same columns, plus blobs', async () => {
    const lite = new Database(':memory:');
    for (const m of MIGRATIONS) lite.exec(m);
    const liteTables = (lite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Row[]).map((r) => r.name as string);
    const liteColumns = Object.fromEntries(liteTables.map((t) => [t, (lite.pragma(`table_info(${t})`) as Row[]).map((c) => c.name)]));
    const liteIndexes = (lite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as Row[]).map((r) => [r.name, (lite.pragma(`index_info(${r.name as string})`) as Row[]).map((c) => c.name).join(', ')]);
    lite.close();

    const { schema, location, drop } = await pgSchema();
    const store = await PgStore.open(location, PIPELINE);
    try {
      const q = async (sql: string) => (await admin!.query(sql, [schema])).rows as Row[];
      const columns = await q('SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position');
      const pgColumns: Record<string, unknown[]> = {};
      for (const r of columns) (pgColumns[r.t as string] ??= []).push(r.c);
      assert.deepEqual(Object.keys(pgColumns).sort(), [...liteTables, 'blobs', 'schema_version'].sort());
      for (const t of liteTables) assert.deepEqual(pgColumns[t], liteColumns[t], t);
      assert.deepEqual(pgColumns.blobs, ['sha256', 'bytes', 'size', 'created_at']);
      const indexes = await q("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname NOT LIKE '%_pkey' ORDER BY indexname");
      assert.deepEqual(indexes.map((r) => [r.indexname, /\((.*)\)$/.exec(r.indexdef as string)![1]]), liteIndexes);
      // What is sorted sorts bytewise, as on SQLite, whatever the database's locale.
      const bytewise = (await q("SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = $1 AND collation_name = 'C'")).map((r) => r.c);
      for (const c of ['files.path', 'run_documents.path', 'reports.agency_key', 'crawl_urls.url']) assert.ok(bytewise.includes(c), c);
    } finally {
      await store.close();
      await drop();
    }
  });

  test('location is the URL without its password; openStore chooses by the location', async () => {
    const { location, drop } = await pgSchema();
    const url = new URL(location);
    url.password = 'not-to-be-shown';
    const store = await openStore(url.toString(), PIPELINE);
    try {
      assert.ok(store instanceof PgStore);
      assert.doesNotMatch(store.location, /not-to-be-shown/);
      assert.equal(store.location, location);
    } finally {
      await store.close();
      await drop();
    }
    const path = join(mkdtempSync(join(tmpdir(), 'ogi-contract-')), 'store.sqlite');
    const local = await openStore(path, PIPELINE);
    assert.ok(local instanceof Store);
    await local.close();
    rmSync(dirname(path), { recursive: true, force: true });
  });
});

const blobBackends: { name: string; skip: string | false; fresh(): Promise<{ blobs: BlobStore; stored(): Promise<number>; dispose(): Promise<void> }> }[] = [
  {
    name: 'a folder (DirBlobs)',
    skip: false,
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'ogi-blobs-'));
      const stored = async () => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
      return { blobs: new DirBlobs(dir), stored, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL (PgBlobs)',
    skip: PG_URL ? false : NO_PG,
    async fresh() {
      const { schema, location, drop } = await pgSchema();
      const store = await PgStore.open(location, PIPELINE);
      const stored = async () => Number((await admin!.query(`SELECT count(*) AS n FROM ${schema}.blobs`)).rows[0].n);
      return { blobs: store.blobs(), stored, dispose: async () => (await store.close(), await drop()) };
    },
  },
];

for (const backend of blobBackends) {
  describe(`blobs: ${backend.name}`, { skip: backend.skip }, () => {
    test('put, get, has; the same bytes stored once, even put at once', async () => {
      const { blobs, stored, dispose } = await backend.fresh();
      try {
        const pdf = readFileSync(join(SAMPLE_DIR, '00005-pdf-chromium-zero-rows-cell.pdf'));
        const [sha, ...again] = await Promise.all([blobs.put(pdf), blobs.put(new Uint8Array(pdf)), blobs.put(pdf)]);
        assert.match(sha, /^[0-9a-f]{64}$/);
        assert.deepEqual(again, [sha, sha]);
        assert.equal(await blobs.put(pdf), sha);
        assert.equal(await blobs.has(sha), true);
        assert.deepEqual(await blobs.get(sha), pdf);
        // A view into a larger buffer stores only its own bytes.
        const big = randomBytes(1 << 20);
        const view = new Uint8Array(big.buffer, big.byteOffset + 10, 1000);
        const viewSha = await blobs.put(view);
        assert.deepEqual(await blobs.get(viewSha), Buffer.from(view));
        assert.equal(await blobs.get(await blobs.put(new Uint8Array())).then((b) => b?.length), 0);
        assert.equal(await stored(), 3);
        const absent = 'e'.repeat(64);
        assert.equal(await blobs.has(absent), false);
        assert.equal(await blobs.get(absent), undefined);
        await assert.rejects(blobs.get('../../etc/passwd'), /not a SHA-256/);
      } finally {
        await dispose();
      }
    });
  });
}
