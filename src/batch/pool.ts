/**
 * The batch engine: many documents over a pool of worker threads (piscina), each document under a
 * time limit and a memory limit. A worker that exceeds one is replaced, the document gets an error
 * (`timeout`, `out-of-memory`, or `internal-error` when the worker dies), and the batch goes on:
 * one poisoned document never costs another document its result. Files are read here, at most
 * `readConcurrency` at once (p-limit), and their bytes go to the workers; reports come back by
 * structured clone, in input order.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import pLimit from 'p-limit';
import { Piscina } from 'piscina';
import { errorReport, type Report, type Source } from '../report/schema.ts';
import type { WorkerTask } from './worker.ts';

export interface BatchOptions {
  /** Worker threads (default `os.availableParallelism()`); 0 reads every document in this thread, with no limits. */
  workers?: number;
  /** Per-document time limit in milliseconds, counted from when the document starts in its worker (default 120 s). */
  timeoutMs?: number;
  /** Per-worker V8 old-generation limit in MB (default 512: a report never needs half of it). */
  maxMemoryMb?: number;
  /** Files read from disk at once (default 2). */
  readConcurrency?: number;
  /** Batches of at most this many documents run in this thread: a pool's start-up costs more than it saves (default 2; 0 never). */
  inProcessUpTo?: number;
  /** Called once per finished document, in completion order. */
  onDocument?: (report: Report, done: number, total: number) => void;
}

export const DEFAULTS = { timeoutMs: 120_000, maxMemoryMb: 512, readConcurrency: 2, inProcessUpTo: 2 } as const;

const WORKER = new URL('./worker.ts', import.meta.url);
/**
 * Workers compile the TypeScript sources with ts-hooks.mjs (by absolute URL, whatever the current
 * directory): tsx's `--import` does not reach a worker's loader on Node 20.
 */
const WORKER_EXEC_ARGV = ['--experimental-loader', new URL('./ts-hooks.mjs', import.meta.url).href, '--disable-warning=ExperimentalWarning'];

function failed(path: string, file: { bytes?: Uint8Array; sha256?: string } | undefined, code: string, message: string): Report {
  const bytes = file?.bytes;
  const source: Source = {
    path,
    format: null,
    sha256: file?.sha256 ?? (bytes ? sha256(bytes) : ''),
    bytes: bytes?.byteLength ?? 0,
  };
  return errorReport(source, code, message);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A file's size and modification time, read from the open file before its bytes. */
export interface FileStat {
  size: number;
  mtimeMs: number;
}

interface FileRead {
  bytes: Uint8Array;
  sha256: string;
  stat: FileStat;
}

/** Reads a file, or its error report; `known` (by size and time) can say the read is not needed. */
async function readDocument(path: string, name: string, known?: (stat: FileStat) => Promise<string | undefined> | string | undefined): Promise<FileRead | Report | { reused: string; stat: FileStat }> {
  let handle;
  try {
    handle = await open(path, 'r');
    const s = await handle.stat();
    const stat = { size: s.size, mtimeMs: s.mtimeMs };
    const reused = await known?.(stat);
    if (reused) return { reused, stat };
    const buf = await handle.readFile();
    // A plain Uint8Array view, not a Buffer: readers (pdf.js) may refuse Buffers or slice them.
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    return { bytes, sha256: sha256(bytes), stat };
  } catch (e) {
    return failed(name, undefined, 'read-failed', `cannot read the file: ${(e as Error).message}`);
  } finally {
    await handle?.close();
  }
}

/** A pool of workers running the pipeline; `close()` when done. */
export class AuditPool {
  readonly workers: number;
  readonly timeoutMs: number;
  readonly maxMemoryMb: number;
  readonly #pool: Piscina<WorkerTask, string>;

  constructor(options: Pick<BatchOptions, 'workers' | 'timeoutMs' | 'maxMemoryMb'> = {}) {
    this.workers = Math.max(1, options.workers ?? availableParallelism());
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.maxMemoryMb = options.maxMemoryMb ?? DEFAULTS.maxMemoryMb;
    this.#pool = new Piscina<WorkerTask, string>({
      filename: WORKER.href,
      minThreads: this.workers,
      maxThreads: this.workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      maxQueue: 'auto',
      execArgv: WORKER_EXEC_ARGV,
      // A 16 MB young generation (V8's default grows to ~48 MB a worker): measured 60 MB less peak
      // memory for two workers at about the same speed.
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb, maxYoungGenerationSizeMb: 16 },
    });
    // A worker that dies is replaced by piscina; its task's promise carries the error.
    this.#pool.on('error', () => {});
  }

  /** One document's report; never rejects. */
  async audit(path: string, bytes: Uint8Array, hash?: string, httpCharset?: string): Promise<Report> {
    const abort = new AbortController();
    const { port1, port2 } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    port1.once('message', () => {
      timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
      }, this.timeoutMs);
    });
    try {
      // The report comes back as JSON text: cheaper to send across threads than the object graph.
      return JSON.parse(await this.#pool.run({ path, bytes, sha256: hash, httpCharset, port: port2 }, { transferList: [port2], signal: abort.signal })) as Report;
    } catch (e) {
      const err = e as Error & { code?: string };
      if (timedOut) return failed(path, { bytes, sha256: hash }, 'timeout', `reading took longer than ${this.timeoutMs / 1000} s: stopped, the worker replaced`);
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY')
        return failed(path, { bytes, sha256: hash }, 'out-of-memory', `reading needed more than ${this.maxMemoryMb} MB: stopped, the worker replaced`);
      return failed(path, { bytes, sha256: hash }, 'internal-error', `the worker reading this document stopped: ${err.message ?? String(e)}`);
    } finally {
      if (timer) clearTimeout(timer);
      port1.close();
    }
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

/** The pipeline in this thread, loaded only when a batch reads here: pooled runs keep this thread light. */
async function inProcess(bytes: Uint8Array, path: string, sha256: string, httpCharset?: string): Promise<Report> {
  const { auditBytes } = await import('../pipeline.ts');
  return auditBytes(bytes, path, { sha256, httpCharset });
}

/** What became of one document of a batch. */
export type Outcome =
  | { kind: 'audited'; index: number; path: string; report: Report; stat?: FileStat }
  /** Already done (a store said so): not read again. */
  | { kind: 'reused'; index: number; path: string; sha256: string; stat: FileStat };

export interface EachOptions extends BatchOptions {
  /** Before a file is read: the hash of its stored report when this file (path, size, time) is known done. */
  knownFile?: (path: string, stat: FileStat) => Promise<string | undefined> | string | undefined;
  /** After a file is read: true when a report for these bytes is already done. */
  knownHash?: (sha256: string) => Promise<boolean> | boolean;
  /**
   * What each document is called in reports and the store when that is not where its bytes are
   * (a crawled document: read from its blob, named by its URL). Default: its path.
   */
  names?: string[];
  /** The charset each document's HTTP response named (crawled pages), where there was one. */
  httpCharsets?: (string | undefined)[];
  /** Called once per document, in completion order; the batch keeps nothing after it returns. */
  onOutcome: (outcome: Outcome, done: number, total: number) => Promise<void> | void;
}

/**
 * Every document through the pipeline, each outcome handed to `onOutcome` as it comes and then
 * dropped: memory stays flat however many documents there are. Never rejects for a bad document.
 */
export async function auditEach(paths: string[], options: EachOptions): Promise<void> {
  const total = paths.length;
  let done = 0;
  // The first failure of onOutcome (the store's disk full, say) stops the batch: nothing more is
  // read, what is in flight finishes, the pool is closed, and the failure is thrown.
  let failure: { error: unknown } | undefined;
  const emit = async (o: Outcome): Promise<void> => {
    if (failure) return;
    done++;
    await options.onOutcome(o, done, total);
  };
  const reads = pLimit(options.readConcurrency ?? DEFAULTS.readConcurrency);
  const workers = options.workers ?? availableParallelism();
  const upTo = options.inProcessUpTo ?? DEFAULTS.inProcessUpTo;
  const pooled = !(workers === 0 || total <= upTo);
  // Started with the first document that needs reading: a re-run that reuses everything starts none.
  let pool: AuditPool | undefined;
  // Documents in flight (read and queued or running): enough to keep every worker busy while the
  // next files are read, few enough to bound the bytes held.
  const inFlight = pLimit(pooled ? Math.max(1, workers) * 2 : 1);
  const one = async (file: string, index: number): Promise<void> => {
    if (failure) return;
    const path = options.names?.[index] ?? file;
    const read = await reads(() => readDocument(file, path, options.knownFile && ((stat) => options.knownFile!(path, stat))));
    if ('errors' in read) return emit({ kind: 'audited', index, path, report: read });
    if ('reused' in read) return emit({ kind: 'reused', index, path, sha256: read.reused, stat: read.stat });
    if (await options.knownHash?.(read.sha256)) return emit({ kind: 'reused', index, path, sha256: read.sha256, stat: read.stat });
    if (pooled) pool ??= new AuditPool({ ...options, workers });
    const charset = options.httpCharsets?.[index];
    const report = pool ? await pool.audit(path, read.bytes, read.sha256, charset) : await inProcess(read.bytes, path, read.sha256, charset);
    await emit({ kind: 'audited', index, path, report, stat: read.stat });
  };
  const guarded = async (path: string, index: number): Promise<void> => {
    try {
      await one(path, index);
    } catch (error) {
      failure ??= { error };
      inFlight.clearQueue();
    }
  };
  try {
    await Promise.all(paths.map((p, i) => inFlight(() => guarded(p, i))));
  } finally {
    await pool?.close();
  }
  if (failure) throw failure.error;
}

/** Every document's report, in input order, all held in memory (use `auditEach` for big batches). */
export async function auditBatch(paths: string[], options: BatchOptions = {}): Promise<Report[]> {
  const reports: Report[] = new Array(paths.length);
  await auditEach(paths, {
    ...options,
    onOutcome: (o, done, total) => {
      if (o.kind !== 'audited') return;
      reports[o.index] = o.report;
      options.onDocument?.(o.report, done, total);
    },
  });
  return reports;
}
