/**
 * The store: embedded SQLite (better-sqlite3), one file, default `.ogi/store.sqlite`. It holds the
 * documents seen (by content hash), where they were seen on disk, the report each pipeline version
 * made of them, their findings, and the runs. A document's report, findings and its line in its run
 * are written in one transaction, so a process killed at any point leaves each document either
 * wholly stored or not at all: a restarted run re-reads what is missing and nothing else.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { agencyKey } from '../audit/crossYear.ts';
import type { Finding, Report } from '../report/schema.ts';
import { type AuditStore, type FileStat, type RunDocument, type RunInfo, type SeriesEntry, TRANSIENT_ERRORS, fileKey } from './store.ts';
import { MIGRATIONS } from './migrations.ts';
import { processAlive } from '../proc.ts';

export type { FileStat, RunDocument, RunInfo, SeriesEntry } from './store.ts';

type Row = Record<string, unknown>;

export class Store implements AuditStore {
  readonly path: string;
  readonly pipeline: string;
  readonly location: string;
  readonly #db: Database.Database;
  readonly #q: Record<string, Database.Statement>;

  /** Opens (creating and migrating) the store at `path`; `':memory:'` for one that lives as long as the process. */
  constructor(path: string, pipeline: string) {
    this.path = path;
    this.location = path;
    this.pipeline = pipeline;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    // WAL: a commit is in the log before the call returns, so SIGKILL loses no committed document;
    // readers (ogi export, a second run) do not block the writer.
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('busy_timeout = 10000');
    this.#migrate();
    const sql = {
      beginRun: 'INSERT INTO runs (started_at, status, pipeline, pid, host, inputs) VALUES (?, ?, ?, ?, ?, ?)',
      endRun: 'UPDATE runs SET finished_at = ?, status = ? WHERE id = ?',
      openRuns: "SELECT id, pid, host FROM runs WHERE status = 'running'",
      markRun: 'UPDATE runs SET status = ? WHERE id = ?',
      knownFile: `SELECT f.sha256 FROM files f JOIN reports r ON r.sha256 = f.sha256 AND r.pipeline = ?
                  WHERE f.path = ? AND f.size = ? AND f.mtime_ms = ?`,
      hasReport: 'SELECT 1 FROM reports WHERE sha256 = ? AND pipeline = ?',
      putSource: 'INSERT INTO sources (sha256, bytes, format, first_seen) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET format = coalesce(sources.format, excluded.format)',
      putFile: 'INSERT INTO files (path, size, mtime_ms, sha256) VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, sha256 = excluded.sha256',
      // Same bytes, same pipeline: the same report. A second save (two copies in one run, two runs at
      // once) changes nothing, and never deletes the row (REPLACE would, and its findings with it).
      putReport: `INSERT INTO reports (sha256, pipeline, path, agency, agency_key, year, template, error_code, report, created_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256, pipeline) DO NOTHING`,
      dropFindings: 'DELETE FROM findings WHERE sha256 = ? AND pipeline = ? AND scope = ?',
      putFinding: `INSERT INTO findings (sha256, pipeline, scope, seq, rule, severity, message, related_sha256, finding)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      putRunDocument: `INSERT OR REPLACE INTO run_documents (run_id, seq, path, sha256, outcome, error_code, report)
                       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      report: 'SELECT report FROM reports WHERE sha256 = ? AND pipeline = ?',
      findings: "SELECT finding FROM findings WHERE sha256 = ? AND pipeline = ? ORDER BY scope = 'cross-year', seq",
      runDocuments: 'SELECT seq, path, sha256, outcome, report FROM run_documents WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      runPipeline: 'SELECT pipeline FROM runs WHERE id = ?',
      lastRun: `${RUN_INFO} ORDER BY r.id DESC LIMIT 1`,
      runById: `${RUN_INFO} WHERE r.id = ?`,
      runBodies: `SELECT DISTINCT r.agency_key FROM run_documents d JOIN reports r ON r.sha256 = d.sha256 AND r.pipeline = ?
                  WHERE d.run_id = ? AND r.agency_key IS NOT NULL AND r.year IS NOT NULL AND r.error_code IS NULL ORDER BY 1`,
      // Only bytes that some file holds now (a corrected report replaces the old one at its path),
      // named as the given run named them, else by their file.
      series: `SELECT r.sha256, r.year, coalesce(
                 (SELECT d.path FROM run_documents d WHERE d.run_id = ? AND d.sha256 = r.sha256 ORDER BY d.seq LIMIT 1),
                 min(f.path)) AS path
               FROM reports r JOIN files f ON f.sha256 = r.sha256
               WHERE r.pipeline = ? AND r.agency_key = ? AND r.year IS NOT NULL AND r.error_code IS NULL
               GROUP BY r.sha256 ORDER BY r.year, path, r.sha256`,
    };
    this.#q = Object.fromEntries(Object.entries(sql).map(([k, v]) => [k, this.#db.prepare(v)]));
  }

  #migrate(): void {
    const version = this.#db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) throw new Error(`the store ${this.path} was made by a newer ogi-audit (schema ${version}); this one knows ${MIGRATIONS.length}`);
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.#db.transaction(() => {
        // Another process may have migrated between the read above and this write lock.
        if ((this.#db.pragma('user_version', { simple: true }) as number) > v) return;
        this.#db.exec(MIGRATIONS[v]);
        this.#db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  }

  /** Starts a run; runs left `running` by a process that is gone are marked `interrupted`. */
  async beginRun(inputs: string[]): Promise<number> {
    const host = hostname();
    for (const r of this.#q.openRuns.all() as Row[]) {
      if (r.host === host && !processAlive(Number(r.pid))) this.#q.markRun.run('interrupted', r.id);
    }
    return Number(this.#q.beginRun.run(now(), 'running', this.pipeline, process.pid, host, JSON.stringify(inputs)).lastInsertRowid);
  }

  async endRun(runId: number): Promise<void> {
    this.#q.endRun.run(now(), 'done', runId);
  }

  /** The hash of a file already done by this pipeline, when the file at `path` has not changed since. */
  async knownFile(path: string, stat: FileStat): Promise<string | undefined> {
    return (this.#q.knownFile.get(this.pipeline, fileKey(path), stat.size, stat.mtimeMs) as Row | undefined)?.sha256 as string | undefined;
  }

  /** True when this pipeline has made a report of these bytes (documents that failed for a transient reason have none). */
  async hasReport(sha256: string): Promise<boolean> {
    return this.#q.hasReport.get(sha256, this.pipeline) !== undefined;
  }

  /** Records a document of a run that needed no reading: its stored report stands. */
  async reuse(runId: number, seq: number, path: string, sha256: string, stat?: FileStat): Promise<void> {
    this.#db.transaction(() => {
      if (stat) this.#q.putFile.run(fileKey(path), stat.size, stat.mtimeMs, sha256);
      this.#q.putRunDocument.run(runId, seq, path, sha256, 'reused', null, null);
    })();
  }

  /** Stores a document's report and findings and its line in the run, all or nothing. */
  async save(runId: number, seq: number, path: string, report: Report, stat?: FileStat, where?: string): Promise<void> {
    const sha = report.source.sha256;
    const error = report.errors[0]?.code ?? null;
    this.#db.transaction(() => {
      if (!sha || (error !== null && TRANSIENT_ERRORS.has(error))) {
        // Not kept as the document's result: the run remembers the failure, a later run retries.
        this.#q.putRunDocument.run(runId, seq, path, sha || null, 'failed', error, JSON.stringify(report));
        return;
      }
      const { findings, ...rest } = report;
      this.#q.putSource.run(sha, report.source.bytes, report.source.format, now());
      // Without a stat (a caller that read no file) the row never matches knownFile, but it says
      // where these bytes are now.
      this.#q.putFile.run(fileKey(where ?? path), stat?.size ?? -1, stat?.mtimeMs ?? -1, sha);
      const m = report.meta;
      const added = this.#q.putReport.run(sha, this.pipeline, path, m.agency ?? null, m.agency ? agencyKey(m.agency) : null, m.year ?? null, m.template ?? null, error, JSON.stringify(rest), now());
      if (added.changes > 0) this.#putFindings(sha, 'document', findings);
      this.#q.putRunDocument.run(runId, seq, path, sha, 'audited', error, null);
    })();
  }

  #putFindings(sha: string, scope: 'document' | 'cross-year', findings: Finding[], related?: (f: Finding) => string | null): void {
    this.#q.dropFindings.run(sha, this.pipeline, scope);
    findings.forEach((f, i) => this.#q.putFinding.run(sha, this.pipeline, scope, i, f.rule, f.severity, f.message, related?.(f) ?? null, JSON.stringify(f)));
  }

  /** Replaces a report's cross-year findings (the rest of its findings stay). */
  async setCrossYear(sha256: string, findings: { finding: Finding; relatedSha256: string }[]): Promise<void> {
    const related = new Map(findings.map((x) => [x.finding, x.relatedSha256]));
    this.#db.transaction(() => this.#putFindings(sha256, 'cross-year', findings.map((x) => x.finding), (f) => related.get(f) ?? null))();
  }

  /** A stored report with all its findings (document, then cross-year); `path` names where it is now. */
  async report(sha256: string, path?: string, pipeline = this.pipeline): Promise<Report | undefined> {
    return this.#report(sha256, path, pipeline);
  }

  #report(sha256: string, path: string | undefined, pipeline: string): Report | undefined {
    const row = this.#q.report.get(sha256, pipeline) as Row | undefined;
    if (!row) return undefined;
    const report = JSON.parse(row.report as string) as Report;
    report.findings = (this.#q.findings.all(sha256, pipeline) as Row[]).map((f) => JSON.parse(f.finding as string) as Finding);
    if (path !== undefined && path !== report.source.path) {
      // Error messages name the document they were made for: these bytes read under another name.
      const before = `${report.source.path}: `;
      for (const e of report.errors) if (e.message.startsWith(before)) e.message = `${path}: ${e.message.slice(before.length)}`;
      report.source.path = path;
    }
    return report;
  }

  /** The documents of a run in input order, read a page at a time so a big run is never all in memory. */
  async *runDocuments(runId: number, page = 200): AsyncGenerator<RunDocument> {
    // The reports the run's own pipeline made: a run of an older version exports as it was made.
    const pipeline = ((this.#q.runPipeline.get(runId) as Row | undefined)?.pipeline as string | undefined) ?? this.pipeline;
    for (let after = -1; ; ) {
      const rows = this.#q.runDocuments.all(runId, after, page) as Row[];
      for (const r of rows) {
        const path = r.path as string;
        const report = r.report ? (JSON.parse(r.report as string) as Report) : this.#report(r.sha256 as string, path, pipeline);
        if (!report) throw new Error(`the store lost the report of ${path} (${r.sha256})`);
        yield { seq: Number(r.seq), path, outcome: r.outcome as RunDocument['outcome'], report };
      }
      if (rows.length < page) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }

  /** The bodies (agency keys) that a run read reports of. */
  async runBodies(runId: number): Promise<string[]> {
    return (this.#q.runBodies.all(this.pipeline, runId) as Row[]).map((r) => r.agency_key as string);
  }

  /** Every stored report of one body that a file holds now, by year; paths as run `runId` gave them. */
  async series(agencyKey: string, runId = -1): Promise<SeriesEntry[]> {
    return (this.#q.series.all(runId, this.pipeline, agencyKey) as Row[]).map((r) => ({ sha256: r.sha256 as string, path: r.path as string, year: Number(r.year) }));
  }



  async run(id?: number): Promise<RunInfo | undefined> {
    const row = (id === undefined ? this.#q.lastRun.get() : this.#q.runById.get(id)) as Row | undefined;
    return row && runInfo(row);
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

const now = (): string => new Date().toISOString();



/**
 * Reports in the store at `path`, read without opening it for writing (another process may be
 * writing it): 0 when it does not exist yet or its tables are still being made.
 */
export function storedReportCount(path: string): number {
  if (!existsSync(path)) return 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return Number((db.prepare('SELECT count(*) AS n FROM reports').get() as Row).n);
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}

const RUN_INFO = `SELECT r.id, r.status, r.pipeline, r.inputs, r.started_at,
                    (SELECT count(*) FROM run_documents d WHERE d.run_id = r.id) AS documents
                  FROM runs r`;

function runInfo(row: Row): RunInfo {
  return { id: Number(row.id), status: row.status as RunInfo['status'], pipeline: row.pipeline as string, inputs: JSON.parse(row.inputs as string) as string[], startedAt: row.started_at as string, documents: Number(row.documents) };
}
