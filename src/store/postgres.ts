/**
 * The store on PostgreSQL, shared by workers on many machines: the tables of the SQLite store
 * (src/store/pg-migrations.ts) and the same answers, method by method (src/store/sqlite.ts is the
 * reference). A document's source, file, report, findings and run line are one transaction, as on
 * SQLite; what SQLite gets from its single writer (no two transactions at once) is had here from row
 * locks, ON CONFLICT and a retry on deadlock.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import { agencyKey } from '../audit/crossYear.ts';
import type { Finding, Report } from '../report/schema.ts';
import { checkSha256, sha256Of } from './blobs.ts';
import { PgCatalogue } from './pg-catalogue.ts';
import { PG_MIGRATIONS } from './pg-migrations.ts';
import { type AuditStore, type BlobStore, type FileStat, type RunDocument, type RunInfo, type SeriesEntry, TRANSIENT_ERRORS, fileKey } from './store.ts';
import { processAlive } from '../proc.ts';

type Row = Record<string, unknown>;
type Db = pg.Pool | pg.PoolClient;

const SQL = {
  openRuns: "SELECT id, pid FROM runs WHERE status = 'running' AND host = $1",
  markRun: "UPDATE runs SET status = 'interrupted' WHERE id = $1 AND status = 'running'",
  beginRun: "INSERT INTO runs (started_at, status, pipeline, pid, host, inputs) VALUES ($1, 'running', $2, $3, $4, $5) RETURNING id",
  endRun: "UPDATE runs SET finished_at = $1, status = 'done' WHERE id = $2",
  run: `SELECT r.id, r.status, r.pipeline, r.inputs, r.started_at,
          (SELECT count(*) FROM run_documents d WHERE d.run_id = r.id) AS documents
        FROM runs r`,
  knownFile: `SELECT f.sha256 FROM files f JOIN reports r ON r.sha256 = f.sha256 AND r.pipeline = $1
              WHERE f.path = $2 AND f.size = $3 AND f.mtime_ms = $4`,
  hasReport: 'SELECT 1 FROM reports WHERE sha256 = $1 AND pipeline = $2',
  putSource: `INSERT INTO sources (sha256, bytes, format, first_seen) VALUES ($1, $2, $3, $4)
              ON CONFLICT (sha256) DO UPDATE SET format = coalesce(sources.format, excluded.format)`,
  putFile: `INSERT INTO files (path, size, mtime_ms, sha256) VALUES ($1, $2, $3, $4)
            ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, sha256 = excluded.sha256`,
  // Never replaced: a second save of the same bytes by the same pipeline changes nothing (and keeps
  // the cross-year findings a replacement would cascade away).
  putReport: `INSERT INTO reports (sha256, pipeline, path, agency, agency_key, year, template, error_code, report, created_at)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (sha256, pipeline) DO NOTHING`,
  // Two workers replacing the same report's cross-year findings take turns on its row.
  lockReport: 'SELECT 1 FROM reports WHERE sha256 = $1 AND pipeline = $2 FOR NO KEY UPDATE',
  dropFindings: 'DELETE FROM findings WHERE sha256 = $1 AND pipeline = $2 AND scope = $3',
  // All of a report's findings in one statement: a round trip each would add up on a remote server.
  putFindings: `INSERT INTO findings (sha256, pipeline, scope, seq, rule, severity, message, related_sha256, finding)
                SELECT $1, $2, $3, t.seq, t.rule, t.severity, t.message, t.related, t.finding
                FROM unnest($4::integer[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                  AS t (seq, rule, severity, message, related, finding)`,
  putRunDocument: `INSERT INTO run_documents (run_id, seq, path, sha256, outcome, error_code, report)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   ON CONFLICT (run_id, seq) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256,
                     outcome = excluded.outcome, error_code = excluded.error_code, report = excluded.report`,
  // A report and its findings (document, then cross-year) in one statement, so one snapshot: the
  // findings come as one JSON array text, parsed once.
  report: `SELECT r.report, ${findingsOf('r')} AS findings FROM reports r WHERE r.sha256 = $1 AND r.pipeline = $2`,
  // A page of a run with the reports its own pipeline made, in one round trip.
  runDocuments: `SELECT d.seq, d.path, d.sha256, d.outcome, d.report AS failed, r.report, ${findingsOf('r')} AS findings
                 FROM run_documents d
                 LEFT JOIN reports r ON d.report IS NULL AND r.sha256 = d.sha256
                   AND r.pipeline = coalesce((SELECT pipeline FROM runs WHERE id = $1), $2)
                 WHERE d.run_id = $1 AND d.seq > $3 ORDER BY d.seq LIMIT $4`,
  runBodies: `SELECT DISTINCT r.agency_key FROM run_documents d JOIN reports r ON r.sha256 = d.sha256 AND r.pipeline = $1
              WHERE d.run_id = $2 AND r.agency_key IS NOT NULL AND r.year IS NOT NULL AND r.error_code IS NULL ORDER BY 1`,
  // Only bytes that some file holds now (a corrected report replaces the old one at its path),
  // named as the given run named them, else by their file. Grouping by the whole key of reports
  // lets r.year stand ungrouped, as SQLite's bare column does.
  series: `SELECT sha256, year, path FROM (
             SELECT r.sha256, r.year, coalesce(
               (SELECT d.path FROM run_documents d WHERE d.run_id = $1 AND d.sha256 = r.sha256 ORDER BY d.seq LIMIT 1),
               min(f.path)) AS path
             FROM reports r JOIN files f ON f.sha256 = r.sha256
             WHERE r.pipeline = $2 AND r.agency_key = $3 AND r.year IS NOT NULL AND r.error_code IS NULL
             GROUP BY r.sha256, r.pipeline
           ) s ORDER BY year, path, sha256`,
};

function findingsOf(r: string): string {
  return `(SELECT coalesce('[' || string_agg(f.finding, ',' ORDER BY f.scope = 'cross-year', f.seq) || ']', '[]')
           FROM findings f WHERE f.sha256 = ${r}.sha256 AND f.pipeline = ${r}.pipeline)`;
}

/** Deadlock, serialization failure: nothing was written, the transaction can simply run again. */
const RETRY = new Set(['40P01', '40001']);

export class PgStore implements AuditStore {
  readonly pipeline: string;
  readonly location: string;
  readonly #pool: pg.Pool;
  #closed = false;

  private constructor(pool: pg.Pool, location: string, pipeline: string) {
    this.#pool = pool;
    this.location = location;
    this.pipeline = pipeline;
  }

  /** Connects to the database at `url` and brings its tables up to date (once, however many open it at once). */
  static async open(url: string, pipeline: string): Promise<PgStore> {
    const location = redact(url);
    const pool = new pg.Pool({ connectionString: url, application_name: 'ogi-audit' });
    // A connection that breaks while idle (server restart, network) is dropped by the pool and the
    // next query opens another; unhandled, the event would end the process.
    pool.on('error', () => undefined);
    try {
      await migrate(pool, location);
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PgStore(pool, location, pipeline);
  }

  /** Raw documents in the same database (table blobs), over the same connections. */
  blobs(): PgBlobs {
    return new PgBlobs(this.#pool);
  }

  /** The crawl catalogue in the same database, over the same connections (closed with the store). */
  catalogue(): PgCatalogue {
    return new PgCatalogue(this.#pool);
  }

  async beginRun(inputs: string[]): Promise<number> {
    // Runs of other machines are theirs to judge: only a process of this host can be seen gone.
    const host = hostname();
    for (const r of (await this.#pool.query(SQL.openRuns, [host])).rows) {
      if (!processAlive(Number(r.pid))) await this.#pool.query(SQL.markRun, [r.id]);
    }
    const { rows } = await this.#pool.query(SQL.beginRun, [now(), this.pipeline, process.pid, host, JSON.stringify(inputs)]);
    return Number(rows[0].id);
  }

  async endRun(runId: number): Promise<void> {
    await this.#pool.query(SQL.endRun, [now(), runId]);
  }

  async run(id?: number): Promise<RunInfo | undefined> {
    const { rows } = id === undefined ? await this.#pool.query(`${SQL.run} ORDER BY r.id DESC LIMIT 1`) : await this.#pool.query(`${SQL.run} WHERE r.id = $1`, [id]);
    const row = rows[0] as Row | undefined;
    if (!row) return undefined;
    return { id: Number(row.id), status: row.status as RunInfo['status'], pipeline: row.pipeline as string, inputs: JSON.parse(row.inputs as string) as string[], startedAt: row.started_at as string, documents: Number(row.documents) };
  }

  async knownFile(path: string, stat: FileStat): Promise<string | undefined> {
    const { rows } = await this.#pool.query(SQL.knownFile, [this.pipeline, fileKey(path), stat.size, stat.mtimeMs]);
    return rows[0]?.sha256 as string | undefined;
  }

  async hasReport(sha256: string): Promise<boolean> {
    return ((await this.#pool.query(SQL.hasReport, [sha256, this.pipeline])).rowCount ?? 0) > 0;
  }

  async reuse(runId: number, seq: number, path: string, sha256: string, stat?: FileStat): Promise<void> {
    await this.#tx(async (c) => {
      // Without a stat the file row stays as it was (as on SQLite): nothing new is known of the file.
      if (stat) await c.query(SQL.putFile, [fileKey(path), stat.size, stat.mtimeMs, sha256]);
      await c.query(SQL.putRunDocument, [runId, seq, path, sha256, 'reused', null, null]);
    });
  }

  async save(runId: number, seq: number, path: string, report: Report, stat?: FileStat, where?: string): Promise<void> {
    const sha = report.source.sha256;
    const error = report.errors[0]?.code ?? null;
    if (!sha || (error !== null && TRANSIENT_ERRORS.has(error))) {
      // Not kept as the document's result: the run remembers the failure, a later run retries.
      await this.#pool.query(SQL.putRunDocument, [runId, seq, path, sha || null, 'failed', error, JSON.stringify(report)]);
      return;
    }
    const { findings, ...rest } = report;
    const m = report.meta;
    await this.#tx(async (c) => {
      await c.query(SQL.putSource, [sha, report.source.bytes, report.source.format, now()]);
      // Without a stat (a caller that read no file) the row never matches knownFile, but it says
      // where these bytes are now.
      await c.query(SQL.putFile, [fileKey(where ?? path), stat?.size ?? -1, stat?.mtimeMs ?? -1, sha]);
      const agency = m.agency === undefined ? null : plain(m.agency);
      const added = await c.query(SQL.putReport, [sha, this.pipeline, path, agency, m.agency ? plain(agencyKey(m.agency)) : null, m.year ?? null, m.template ?? null, error, JSON.stringify(rest), now()]);
      if (added.rowCount) await this.#putFindings(c, sha, 'document', findings);
      await c.query(SQL.putRunDocument, [runId, seq, path, sha, 'audited', error, null]);
    });
  }

  async setCrossYear(sha256: string, findings: { finding: Finding; relatedSha256: string }[]): Promise<void> {
    await this.#tx(async (c) => {
      await c.query(SQL.lockReport, [sha256, this.pipeline]);
      await this.#putFindings(c, sha256, 'cross-year', findings.map((x) => x.finding), findings.map((x) => x.relatedSha256));
    });
  }

  async #putFindings(c: Db, sha: string, scope: 'document' | 'cross-year', findings: Finding[], related?: (string | null)[]): Promise<void> {
    await c.query(SQL.dropFindings, [sha, this.pipeline, scope]);
    if (findings.length === 0) return;
    await c.query(SQL.putFindings, [
      sha,
      this.pipeline,
      scope,
      findings.map((_, i) => i),
      findings.map((f) => f.rule),
      findings.map((f) => f.severity),
      findings.map((f) => plain(f.message)),
      findings.map((_, i) => related?.[i] ?? null),
      findings.map((f) => JSON.stringify(f)),
    ]);
  }

  async report(sha256: string, path?: string, pipeline = this.pipeline): Promise<Report | undefined> {
    const row = (await this.#pool.query(SQL.report, [sha256, pipeline])).rows[0] as Row | undefined;
    return row && stored(row, path);
  }

  /** A page at a time (one query each, no connection held between pages): a big run is never all in memory. */
  async *runDocuments(runId: number, page = 200): AsyncGenerator<RunDocument> {
    for (let after = -1; ; ) {
      const { rows } = await this.#pool.query(SQL.runDocuments, [runId, this.pipeline, after, page]);
      for (const r of rows as Row[]) {
        const path = r.path as string;
        let report: Report | undefined;
        if (r.failed) report = JSON.parse(r.failed as string) as Report;
        else if (r.report) report = stored(r, path);
        if (!report) throw new Error(`the store lost the report of ${path} (${r.sha256})`);
        yield { seq: Number(r.seq), path, outcome: r.outcome as RunDocument['outcome'], report };
      }
      if (rows.length < page) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }

  async runBodies(runId: number): Promise<string[]> {
    return (await this.#pool.query(SQL.runBodies, [this.pipeline, runId])).rows.map((r) => r.agency_key as string);
  }

  async series(agencyKey: string, runId = -1): Promise<SeriesEntry[]> {
    const { rows } = await this.#pool.query(SQL.series, [runId, this.pipeline, agencyKey]);
    return rows.map((r) => ({ sha256: r.sha256 as string, path: r.path as string, year: Number(r.year) }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  /** Runs `work` in a transaction on one connection; again (a few times) when the server chose it as a deadlock's victim. */
  async #tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.#pool.connect();
      let broken: Error | undefined;
      try {
        await c.query('BEGIN');
        const out = await work(c);
        await c.query('COMMIT');
        return out;
      } catch (e) {
        // A connection that cannot even roll back is not given back to the pool.
        await c.query('ROLLBACK').catch((r: Error) => (broken = r));
        if (!broken && attempt < 4 && RETRY.has((e as { code?: string }).code ?? '')) continue;
        throw e;
      } finally {
        c.release(broken);
      }
    }
  }
}

/** A stored report with its findings; `path` names where the bytes are now (see SQLite's `report`). */
function stored(row: Row, path?: string): Report {
  const report = JSON.parse(row.report as string) as Report;
  report.findings = JSON.parse(row.findings as string) as Finding[];
  if (path !== undefined && path !== report.source.path) {
    // Error messages name the document they were made for: these bytes read under another name.
    const before = `${report.source.path}: `;
    for (const e of report.errors) if (e.message.startsWith(before)) e.message = `${path}: ${e.message.slice(before.length)}`;
    report.source.path = path;
  }
  return report;
}

/** Raw documents by content in the table blobs, shared by every worker of the database. */
export class PgBlobs implements BlobStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async put(bytes: Uint8Array): Promise<string> {
    const sha = sha256Of(bytes);
    // Asked first: a re-crawl puts the same bytes again and again, and megabytes sent only to be
    // discarded by ON CONFLICT would be the costly part. Two puts at once still store one row.
    if (!(await this.has(sha))) {
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      await this.#pool.query('INSERT INTO blobs (sha256, bytes, size, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING', [sha, data, data.length, now()]);
    }
    return sha;
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    const { rows } = await this.#pool.query('SELECT bytes FROM blobs WHERE sha256 = $1', [checkSha256(sha256)]);
    return rows[0]?.bytes as Buffer | undefined;
  }

  async has(sha256: string): Promise<boolean> {
    return ((await this.#pool.query('SELECT 1 FROM blobs WHERE sha256 = $1', [checkSha256(sha256)])).rowCount ?? 0) > 0;
  }
}

/**
 * Brings the schema up to date: each migration in its own transaction under an advisory lock, so
 * workers starting at once migrate once (the others wait, then find it done). The lock is per
 * schema: stores in separate schemas of one database do not wait for each other.
 */
async function migrate(pool: pg.Pool, location: string): Promise<void> {
  const known = PG_MIGRATIONS.length;
  const newer = (v: number) => new Error(`the store ${location} was made by a newer ogi-audit (schema ${v}); this one knows ${known}`);
  // Up to date already (every start but the first): no lock, and no CREATE right needed.
  const current = await schemaVersion(pool);
  if (current > known) throw newer(current);
  if (current === known) return;
  const c = await pool.connect();
  try {
    for (;;) {
      await c.query('BEGIN');
      try {
        await c.query("SELECT pg_advisory_xact_lock(hashtext('ogi-audit schema ' || coalesce(current_schema(), '')))");
        await c.query('CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at text NOT NULL)');
        const v = await schemaVersion(c);
        if (v > known) throw newer(v);
        if (v < known) {
          await c.query(PG_MIGRATIONS[v]);
          await c.query('INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)', [v + 1, now()]);
        }
        await c.query('COMMIT');
        if (v + 1 >= known) return;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    }
  } finally {
    c.release();
  }
}

async function schemaVersion(db: Db): Promise<number> {
  const { rows } = await db.query("SELECT to_regclass('schema_version') IS NOT NULL AS made");
  if (!rows[0].made) return 0;
  return Number((await db.query('SELECT coalesce(max(version), 0) AS v FROM schema_version')).rows[0].v);
}

const now = (): string => new Date().toISOString();

/**
 * PostgreSQL text cannot hold NUL, which text pulled out of a PDF may: the columns kept for queries
 * drop it, the JSON (where it is escaped) keeps the document's text exactly.
 */
const plain = (s: string): string => s.replaceAll('\0', '');


/** The URL without its password (in the authority or as a parameter), for messages and `location`. */
export function redact(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'postgres://(an unreadable URL)';
  }
  u.password = '';
  for (const key of [...u.searchParams.keys()]) if (/password/i.test(key)) u.searchParams.delete(key);
  return u.toString();
}

