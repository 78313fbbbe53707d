/** `ogi audit`: documents → store → summary, JSON, output files; exit 0 clean, 1 findings at or above --fail-on. */
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULTS } from '../batch/pool.ts';
import { BatchTally, ProgressBar } from '../batch/progress.ts';
import { auditRun } from '../batch/run.ts';
import { JsonDocumentWriter } from '../output/json.ts';
import { OutputSet } from '../output/outputs.ts';
import { documentBlock, SummaryTotals } from '../output/summary.ts';
import type { Report } from '../report/schema.ts';
import { isDatabaseUrl } from '../store/open.ts';
import { Store } from '../store/sqlite.ts';
import type { AuditStore } from '../store/store.ts';
import { pipelineVersion } from '../version.ts';
import { collectInputs, UsageError } from './inputs.ts';

export const AUDIT_HELP = `audit options:
  --json                 write the JSON document (schema.md) to standard output
  --out DIR              also write the outputs into DIR: values.csv, reports.csv, findings.csv,
                         codebook.csv, reports.jsonl, datapackage.json, audit.xlsx, index.html
                         and reports/<document>.json (renamed into place when all are written)
  --fail-on LEVEL        error (default) | warning | never: exit 1 when a document has a finding
                         (or cannot be read) at or above LEVEL
  --store PATH           the SQLite store (default .ogi/store.sqlite): documents already audited by
                         this version (same bytes) are not read again; a killed run resumes
  --db URL               the store in PostgreSQL (postgres://…) instead
  --no-store             keep nothing: every document is read, nothing is kept but the outputs
  --workers N            worker threads reading documents (default: one per core); 0 reads
                         them in this thread, without the limits below
  --timeout SECONDS      time limit per document (default 120): past it the document gets
                         the error timeout and its worker is replaced
  --concurrency N        files read from disk at once (default 2)
  --verbose              list info findings in the summary too
distributed (ogi worker processes read the documents; see docs/deploy.md):
  --redis URL            enqueue one job per distinct document on BullMQ at redis://…, with
                         --db postgres://… as the shared store, follow the run until every
                         document is done, then print what a local run prints
  --detach               only enqueue: print the run number and return; the workers finish the
                         run, and ogi export --db URL --run N writes its outputs
  --blobs DIR            documents' bytes in a folder every worker shares (default: in the database)
  --prefix NAME          the queues' key prefix in Redis (default ogi): one per database
  --attempts N           tries per document before it goes to the dead-letter queue (default 3)
  --backoff SECONDS      wait before the first retry, doubled for each next one (default 10)
`;

export const DEFAULT_STORE = join('.ogi', 'store.sqlite');

type FailOn = 'error' | 'warning' | 'never';

export function failsOn(r: Report, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return r.errors.length > 0 || r.findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
}

export function positiveInteger(value: string, name: string, zero = false): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < (zero ? 0 : 1)) throw new UsageError(`${name} must be ${zero ? '0 or ' : ''}a positive integer`);
  return x;
}

export interface RunOutputOptions {
  json: boolean;
  out?: string;
  failOn: FailOn;
  verbose: boolean;
  version: string;
  /** performance.now() when the command started: the closing line's time. */
  started: number;
}

/**
 * What `ogi audit` prints and writes for a finished run, local or distributed: one pass over the
 * run's documents in input order (from the store) feeds the summary or the JSON document, the
 * output files and the closing paragraph on standard error. Returns the exit status (0, or 1 by
 * --fail-on).
 */
export async function writeRunOutputs(store: AuditStore, runId: number, o: RunOutputOptions): Promise<number> {
  const tally = new BatchTally();
  const totals = new SummaryTotals();
  const write = (text: string) => process.stdout.write(text);
  const json = o.json ? new JsonDocumentWriter({ name: 'ogi-audit', version: o.version }, write) : undefined;
  const out = o.out ? new OutputSet({ dir: o.out, tool: { name: 'ogi-audit', version: o.version } }) : undefined;
  let failed = false;
  try {
    for await (const doc of store.runDocuments(runId)) {
      const r = doc.report;
      tally.add(r, doc.outcome === 'reused');
      failed ||= failsOn(r, o.failOn);
      out?.add(r);
      if (json) json.add(r);
      else {
        write(documentBlock(r, { verbose: o.verbose }));
        totals.add(r);
      }
    }
    await out?.commit();
  } catch (e) {
    out?.abort();
    throw e;
  }
  if (json) json.end();
  else write(totals.text());
  process.stderr.write(tally.text(performance.now() - o.started));
  return failed ? 1 : 0;
}

export async function runAudit(argv: string[], version: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      'fail-on': { type: 'string', default: 'error' },
      store: { type: 'string' },
      db: { type: 'string' },
      'no-store': { type: 'boolean', default: false },
      concurrency: { type: 'string', default: String(DEFAULTS.readConcurrency) },
      workers: { type: 'string' },
      timeout: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      redis: { type: 'string' },
      detach: { type: 'boolean', default: false },
      blobs: { type: 'string' },
      prefix: { type: 'string' },
      attempts: { type: 'string' },
      backoff: { type: 'string' },
    },
  });
  const failOn = values['fail-on'] as FailOn;
  if (!['error', 'warning', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or never, not ${failOn}`);
  const readConcurrency = positiveInteger(values.concurrency, '--concurrency');
  if (values.store !== undefined && values.db !== undefined) throw new UsageError('--store and --db name the same thing: give one');
  if (values['no-store'] && (values.store ?? values.db) !== undefined) throw new UsageError('--no-store keeps nothing: it takes no --store or --db');
  const location = values.db ?? values.store;
  if (values.db !== undefined && !isDatabaseUrl(values.db)) throw new UsageError(`--db takes a postgres:// URL (a SQLite file is --store PATH), not ${values.db}`);
  const distributedOnly = (['detach', 'blobs', 'prefix', 'attempts', 'backoff'] as const).filter((k) => values[k] !== undefined && values[k] !== false);
  if (!values.redis && distributedOnly.length) throw new UsageError(`--${distributedOnly[0]} needs --redis URL (a distributed run)`);
  if (positionals.length === 0) throw new UsageError('name at least one file or folder to audit');
  const started = performance.now();
  const output: RunOutputOptions = { json: values.json, out: values.out, failOn, verbose: values.verbose, version, started };

  if (values.redis) {
    if (values.workers !== undefined || values.timeout !== undefined)
      throw new UsageError(`--${values.workers !== undefined ? 'workers' : 'timeout'} is the workers' own with --redis: ogi worker --concurrency N --timeout SECONDS`);
    if (values['no-store'] || location === undefined) throw new UsageError('--redis needs the shared store: --db postgres://…');
    if (values.detach && values.out !== undefined) throw new UsageError('--detach returns before the run is done: write its outputs later with ogi export --db URL --run N --out DIR');
    const files = await inputFiles(positionals);
    const { runDistributed } = await import('../distributed/audit.ts');
    return runDistributed(files, {
      inputs: positionals,
      redisUrl: values.redis,
      db: location,
      blobsDir: values.blobs,
      prefix: values.prefix,
      detach: values.detach,
      attempts: values.attempts === undefined ? 3 : positiveInteger(values.attempts, '--attempts'),
      backoffMs: values.backoff === undefined ? 10_000 : seconds(values.backoff, '--backoff', true),
      readConcurrency,
      output,
      writeRunOutputs,
    });
  }

  const workers = positiveInteger(values.workers ?? String(availableParallelism()), '--workers', true);
  const timeout = seconds(values.timeout ?? String(DEFAULTS.timeoutMs / 1000), '--timeout');
  const files = await inputFiles(positionals);

  // --no-store still streams through a store, a temporary one on disk: memory stays flat however big the batch.
  const scratch = values['no-store'] ? mkdtempSync(join(tmpdir(), 'ogi-store-')) : undefined;
  let store: AuditStore;
  if (location !== undefined && isDatabaseUrl(location)) {
    const { connectStore } = await import('../distributed/connect.ts');
    store = await connectStore(location, pipelineVersion());
  } else store = new Store(scratch ? join(scratch, 'store.sqlite') : resolve(location ?? DEFAULT_STORE), pipelineVersion());
  try {
    const progress = new ProgressBar(files.length);
    const { runId } = await auditRun(files, store, {
      inputs: positionals,
      workers,
      timeoutMs: timeout,
      readConcurrency,
      onProgress: (done, _total, unreadable, reused) => progress.update(done, unreadable, reused),
    });
    progress.clear();
    return await writeRunOutputs(store, runId, output);
  } finally {
    await store.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function inputFiles(positionals: string[]): Promise<string[]> {
  const files = await collectInputs(positionals);
  if (files.length === 0) throw new UsageError(`no .pdf, .docx or .html files in ${positionals.join(', ')}`);
  return files;
}

/** A positive number of seconds (or zero, where allowed), in milliseconds. */
function seconds(value: string, name: string, zero = false): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x < 0 || (x === 0 && !zero)) throw new UsageError(`${name} must be a positive number of seconds`);
  return x * 1000;
}
