/**
 * The store behind one interface, two implementations: embedded SQLite (`src/store/sqlite.ts`, the
 * default: one file, one machine) and PostgreSQL (`src/store/postgres.ts`: shared by workers on many
 * machines). Both hold the same tables (runs, sources, files, reports, findings, run_documents, the
 * crawl catalogue, blobs) and give the same answers; everything above them (audit runs, cross-year
 * checks, outputs, export, crawl) sees only this interface.
 */
import { resolve } from 'node:path';
import type { Finding, Report } from '../report/schema.ts';

export interface FileStat {
  size: number;
  mtimeMs: number;
}

/** One document of a run, as the run saw it. */
export interface RunDocument {
  seq: number;
  path: string;
  outcome: 'audited' | 'reused' | 'failed';
  report: Report;
}

/** A stored report's place in a body's series of years. */
export interface SeriesEntry {
  sha256: string;
  path: string;
  year: number;
}

export interface RunInfo {
  id: number;
  status: 'running' | 'done' | 'interrupted';
  pipeline: string;
  inputs: string[];
  startedAt: string;
  documents: number;
}

/** Errors of the moment, not of the document: a later run tries the document again. */
export const TRANSIENT_ERRORS = new Set(['timeout', 'out-of-memory', 'internal-error', 'read-failed']);

export interface AuditStore {
  /** The pipeline version reports are made and looked up by (src/version.ts). */
  readonly pipeline: string;
  /** Where it is: a file path, or the database URL without its password. */
  readonly location: string;

  /** Starts a run; runs left `running` by a process that is gone are marked `interrupted`. */
  beginRun(inputs: string[]): Promise<number>;
  endRun(runId: number): Promise<void>;
  /** A run (the latest when `id` is not given), or undefined. */
  run(id?: number): Promise<RunInfo | undefined>;

  /** The hash of a file already done by this pipeline, when the file at `path` has not changed since. */
  knownFile(path: string, stat: FileStat): Promise<string | undefined>;
  /** True when this pipeline has made a report of these bytes (documents that failed for a transient reason have none). */
  hasReport(sha256: string): Promise<boolean>;
  /** Records a document of a run that needed no reading: its stored report stands. */
  reuse(runId: number, seq: number, path: string, sha256: string, stat?: FileStat): Promise<void>;
  /**
   * Stores a document's report and findings and its line in the run, all or nothing. `where`: where
   * its bytes are (an absolute path or a URL) when `path` is relative to another machine's folder
   * (a worker saving for an enqueuer); default: `path` resolved here.
   */
  save(runId: number, seq: number, path: string, report: Report, stat?: FileStat, where?: string): Promise<void>;
  /** Replaces a report's cross-year findings (the rest of its findings stay). */
  setCrossYear(sha256: string, findings: { finding: Finding; relatedSha256: string }[]): Promise<void>;

  /** A stored report (of this pipeline, or of `pipeline`) with all its findings; `path` names where it is now. */
  report(sha256: string, path?: string, pipeline?: string): Promise<Report | undefined>;
  /** The documents of a run in input order, a page at a time, with the reports the run's own pipeline made. */
  runDocuments(runId: number, page?: number): AsyncGenerator<RunDocument>;
  /** The bodies (agency keys) that a run read reports of. */
  runBodies(runId: number): Promise<string[]>;
  /** Every stored report of one body that a file holds now, by year; paths as run `runId` gave them. */
  series(agencyKey: string, runId?: number): Promise<SeriesEntry[]>;

  close(): Promise<void>;
}

/** Raw documents by content: a folder on one machine, a PostgreSQL table (or a shared folder) for many. */
export interface BlobStore {
  /** Stores the bytes (once) and returns their SHA-256. */
  put(bytes: Uint8Array): Promise<string>;
  get(sha256: string): Promise<Buffer | undefined>;
  has(sha256: string): Promise<boolean>;
}

/** Where a document lives, as the files table keys it: a file by its absolute path, a crawled document by its URL. */
export const fileKey = (path: string): string => (/^https?:\/\//i.test(path) ? path : resolve(path));
