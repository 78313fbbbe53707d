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
import { Store } from '../store/sqlite.ts';
import { pipelineVersion } from '../version.ts';
import { collectInputs, UsageError } from './inputs.ts';

export const AUDIT_HELP = `audit options:
  --json                 write the JSON document (schema.md) to standard output
  --out DIR              also write the outputs into DIR: values.csv, reports.csv, findings.csv,
                         codebook.csv, reports.jsonl, datapackage.json, audit.xlsx, index.html
                         and reports/<document>.json (all at once, or none if the run fails)
  --fail-on LEVEL        error (default) | warning | never: exit 1 when a document has a finding
                         (or cannot be read) at or above LEVEL
  --store PATH           the SQLite store (default .ogi/store.sqlite): documents already audited by
                         this version (same bytes) are not read again; a killed run resumes
  --no-store             keep nothing: every document is read, nothing is kept but the outputs
  --workers N            worker threads reading documents (default: one per core); 0 reads
                         them in this thread, without the limits below
  --timeout SECONDS      time limit per document (default 120): past it the document gets
                         the error timeout and its worker is replaced
  --concurrency N        files read from disk at once (default 2)
  --verbose              list info findings in the summary too
`;

export const DEFAULT_STORE = join('.ogi', 'store.sqlite');

type FailOn = 'error' | 'warning' | 'never';

export function failsOn(r: Report, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return r.errors.length > 0 || r.findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
}

function positiveInteger(value: string, name: string, zero = false): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < (zero ? 0 : 1)) throw new UsageError(`${name} must be ${zero ? '0 or ' : ''}a positive integer`);
  return x;
}

export async function runAudit(argv: string[], version: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      'fail-on': { type: 'string', default: 'error' },
      store: { type: 'string', default: DEFAULT_STORE },
      'no-store': { type: 'boolean', default: false },
      concurrency: { type: 'string', default: String(DEFAULTS.readConcurrency) },
      workers: { type: 'string', default: String(availableParallelism()) },
      timeout: { type: 'string', default: String(DEFAULTS.timeoutMs / 1000) },
      verbose: { type: 'boolean', default: false },
    },
  });
  const failOn = values['fail-on'] as FailOn;
  if (!['error', 'warning', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or never, not ${failOn}`);
  const readConcurrency = positiveInteger(values.concurrency, '--concurrency');
  const workers = positiveInteger(values.workers, '--workers', true);
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  if (positionals.length === 0) throw new UsageError('name at least one file or folder to audit');
  const files = await collectInputs(positionals);
  if (files.length === 0) throw new UsageError(`no .pdf, .docx or .html files in ${positionals.join(', ')}`);

  const started = performance.now();
  // --no-store still streams through a store, a temporary one on disk: memory stays flat however big the batch.
  const scratch = values['no-store'] ? mkdtempSync(join(tmpdir(), 'ogi-store-')) : undefined;
  const store = new Store(scratch ? join(scratch, 'store.sqlite') : resolve(values.store), pipelineVersion());
  try {
    const progress = new ProgressBar(files.length);
    const { runId } = await auditRun(files, store, {
      inputs: positionals,
      workers,
      timeoutMs: timeout * 1000,
      readConcurrency,
      onProgress: (done, _total, unreadable, reused) => progress.update(done, unreadable, reused),
    });
    progress.clear();

    // One pass over the run's documents in input order feeds every output.
    const tally = new BatchTally();
    const totals = new SummaryTotals();
    const write = (text: string) => process.stdout.write(text);
    const json = values.json ? new JsonDocumentWriter({ name: 'ogi-audit', version }, write) : undefined;
    const out = values.out ? new OutputSet({ dir: values.out, tool: { name: 'ogi-audit', version } }) : undefined;
    let failed = false;
    try {
      for await (const doc of store.runDocuments(runId)) {
        const r = doc.report;
        tally.add(r, doc.outcome === 'reused');
        failed ||= failsOn(r, failOn);
        out?.add(r);
        if (json) json.add(r);
        else {
          write(documentBlock(r, { verbose: values.verbose }));
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
    process.stderr.write(tally.text(performance.now() - started));
    return failed ? 1 : 0;
  } finally {
    await store.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
