/**
 * The batch engine: many documents over a pool of worker threads (piscina), each document under a
 * time limit and a memory limit. A worker that exceeds one is replaced, the document gets an error
 * (`timeout`, `out-of-memory`, or `internal-error` when the worker dies), and the batch goes on:
 * one poisoned document never costs another document its result. Files are read here, at most
 * `readConcurrency` at once (p-limit), and their bytes go to the workers; reports come back by
 * structured clone, in input order.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import pLimit from 'p-limit';
import { Piscina } from 'piscina';
import { auditFile, errorReport } from '../pipeline.ts';
import type { Report, Source } from '../report/schema.ts';
import type { WorkerTask } from './worker.ts';

export interface BatchOptions {
  /** Worker threads (default `os.availableParallelism()`); 0 reads every document in this thread, with no limits. */
  workers?: number;
  /** Per-document time limit in milliseconds, counted from when the document starts in its worker (default 120 s). */
  timeoutMs?: number;
  /** Per-worker V8 old-generation limit in MB (default 1024). */
  maxMemoryMb?: number;
  /** Files read from disk at once (default 2). */
  readConcurrency?: number;
  /** Batches of at most this many documents run in this thread: a pool's start-up costs more than it saves (default 2; 0 never). */
  inProcessUpTo?: number;
  /** Called once per finished document, in completion order. */
  onDocument?: (report: Report, done: number, total: number) => void;
}

export const DEFAULTS = { timeoutMs: 120_000, maxMemoryMb: 1024, readConcurrency: 2, inProcessUpTo: 2 } as const;

const WORKER = new URL('./worker.ts', import.meta.url);
/**
 * Workers compile the TypeScript sources with ts-hooks.mjs (by absolute URL, whatever the current
 * directory): tsx's `--import` does not reach a worker's loader on Node 20.
 */
const WORKER_EXEC_ARGV = ['--experimental-loader', new URL('./ts-hooks.mjs', import.meta.url).href, '--disable-warning=ExperimentalWarning'];

function failed(path: string, bytes: Uint8Array | undefined, code: string, message: string): Report {
  const source: Source = {
    path,
    format: null,
    sha256: bytes ? createHash('sha256').update(bytes).digest('hex') : '',
    bytes: bytes?.byteLength ?? 0,
  };
  return errorReport(source, code, message);
}

async function readBytes(path: string): Promise<Uint8Array | Report> {
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    return failed(path, undefined, 'read-failed', `cannot read the file: ${(e as Error).message}`);
  }
}

/** A pool of workers running the pipeline; `close()` when done. */
export class AuditPool {
  readonly workers: number;
  readonly timeoutMs: number;
  readonly maxMemoryMb: number;
  readonly #pool: Piscina<WorkerTask, Report>;

  constructor(options: Pick<BatchOptions, 'workers' | 'timeoutMs' | 'maxMemoryMb'> = {}) {
    this.workers = Math.max(1, options.workers ?? availableParallelism());
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.maxMemoryMb = options.maxMemoryMb ?? DEFAULTS.maxMemoryMb;
    this.#pool = new Piscina<WorkerTask, Report>({
      filename: WORKER.href,
      minThreads: this.workers,
      maxThreads: this.workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      maxQueue: 'auto',
      execArgv: WORKER_EXEC_ARGV,
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb },
    });
    // A worker that dies is replaced by piscina; its task's promise carries the error.
    this.#pool.on('error', () => {});
  }

  /** One document's report; never rejects. */
  async audit(path: string, bytes: Uint8Array): Promise<Report> {
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
      return await this.#pool.run({ path, bytes, port: port2 }, { transferList: [port2], signal: abort.signal });
    } catch (e) {
      const err = e as Error & { code?: string };
      if (timedOut) return failed(path, bytes, 'timeout', `reading took longer than ${this.timeoutMs / 1000} s: stopped, the worker replaced`);
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY')
        return failed(path, bytes, 'out-of-memory', `reading needed more than ${this.maxMemoryMb} MB: stopped, the worker replaced`);
      return failed(path, bytes, 'internal-error', `the worker reading this document stopped: ${err.message ?? String(e)}`);
    } finally {
      if (timer) clearTimeout(timer);
      port1.close();
    }
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

/** Every document's report, in input order. Never rejects for a bad document. */
export async function auditBatch(paths: string[], options: BatchOptions = {}): Promise<Report[]> {
  const total = paths.length;
  let done = 0;
  const finish = (r: Report): Report => {
    done++;
    options.onDocument?.(r, done, total);
    return r;
  };
  const reads = pLimit(options.readConcurrency ?? DEFAULTS.readConcurrency);
  const workers = options.workers ?? availableParallelism();
  const upTo = options.inProcessUpTo ?? DEFAULTS.inProcessUpTo;
  if (workers === 0 || total <= upTo) {
    return Promise.all(paths.map((p) => reads(async () => finish(await auditFile(p)))));
  }
  const pool = new AuditPool({ ...options, workers });
  try {
    // Documents in flight (read and queued or running): enough to keep every worker busy while
    // the next files are read, few enough to bound the bytes held.
    const inFlight = pLimit(pool.workers * 2);
    return await Promise.all(
      paths.map((p) =>
        inFlight(async () => {
          const bytes = await reads(() => readBytes(p));
          return finish(bytes instanceof Uint8Array ? await pool.audit(p, bytes) : bytes);
        }),
      ),
    );
  } finally {
    await pool.close();
  }
}
