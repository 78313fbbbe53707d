/** `ogi`: the command line. Exit 0 clean, 1 findings at or above --fail-on, 2 the command could not run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { CROSS_YEAR_RULES, auditAcrossYears } from '../audit/crossYear.ts';
import { RULES } from '../audit/index.ts';
import { findingsCsv, valuesCsv } from '../output/csv.ts';
import { reportFileName, writeAtomic } from '../output/files.ts';
import { reportJson } from '../output/json.ts';
import { summary } from '../output/summary.ts';
import { auditBatch, DEFAULTS } from '../batch/pool.ts';
import { batchSummary, ProgressBar } from '../batch/progress.ts';
import type { Report } from '../report/schema.ts';
import { collectInputs, UsageError } from './inputs.ts';

const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

const HELP = `ogi — 政府信息公开工作年度报告 audit

Usage:
  ogi audit <files or folders…> [options]   read every .pdf, .docx, .htm/.html and audit it
  ogi rules [--json]                         print the rule catalogue
  ogi --version | --help

audit options:
  --json                 write the JSON document (schema.md) to standard output
  --out DIR              also write one JSON per document, findings.csv and values.csv into DIR
  --fail-on LEVEL        error (default) | warning | never: exit 1 when a document has a finding
                         (or cannot be read) at or above LEVEL
  --workers N            worker threads reading documents (default: one per core); 0 reads
                         them in this thread, without the limits below
  --timeout SECONDS      time limit per document (default 120): past it the document gets
                         the error timeout and its worker is replaced
  --concurrency N        files read from disk at once (default 2)
  --verbose              list info findings in the summary too
`;

type FailOn = 'error' | 'warning' | 'never';

export function exitCode(reports: Report[], failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const bad = reports.some(
    (r) => r.errors.length > 0 || r.findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning')),
  );
  return bad ? 1 : 0;
}

async function runAudit(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      'fail-on': { type: 'string', default: 'error' },
      concurrency: { type: 'string', default: String(DEFAULTS.readConcurrency) },
      workers: { type: 'string', default: String(availableParallelism()) },
      timeout: { type: 'string', default: String(DEFAULTS.timeoutMs / 1000) },
      verbose: { type: 'boolean', default: false },
    },
  });
  const failOn = values['fail-on'] as FailOn;
  if (!['error', 'warning', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or never, not ${failOn}`);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a positive integer');
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--workers must be 0 or a positive integer');
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  if (positionals.length === 0) throw new UsageError('name at least one file or folder to audit');
  const files = await collectInputs(positionals);
  if (files.length === 0) throw new UsageError(`no .pdf, .docx or .html files in ${positionals.join(', ')}`);

  const started = performance.now();
  const progress = new ProgressBar(files.length);
  let unreadable = 0;
  const reports = await auditBatch(files, {
    workers,
    timeoutMs: timeout * 1000,
    readConcurrency: concurrency,
    onDocument: (r, done) => {
      if (r.errors.length) unreadable++;
      progress.update(done, unreadable);
    },
  });
  progress.clear();
  auditAcrossYears(reports);

  if (values.out) {
    const dir = values.out;
    for (const r of reports) await writeAtomic(join(dir, 'reports', reportFileName(r.source.path, r.source.sha256)), JSON.stringify(reportJson(r), null, 2) + '\n');
    await writeAtomic(join(dir, 'findings.csv'), findingsCsv(reports));
    await writeAtomic(join(dir, 'values.csv'), valuesCsv(reports));
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ tool: { name: 'ogi-audit', version: VERSION }, reports: reports.map(reportJson) }, null, 2) + '\n');
  } else {
    process.stdout.write(summary(reports, { verbose: values.verbose }));
  }
  process.stderr.write(batchSummary(reports, performance.now() - started));
  return exitCode(reports, failOn);
}

function runRules(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
  if (values.json) {
    const rules = [
      ...RULES.map(({ id, relation, zh, en, severity, category }) => ({ id, relation, zh, en, severity, category })),
      ...CROSS_YEAR_RULES.map((r) => ({ ...r, category: 'cross-year' })),
    ];
    process.stdout.write(JSON.stringify(rules, null, 2) + '\n');
    return 0;
  }
  const all: { id: string; severity: string; relation?: string; zh: string; en: string }[] = [...RULES, ...CROSS_YEAR_RULES];
  const lines = all.map((r) => `${r.id.padEnd(28)} ${r.severity.padEnd(8)} ${(r.relation ?? '').padEnd(3)} ${r.zh}\n${''.padEnd(41)}${r.en}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'audit':
        return await runAudit(rest);
      case 'rules':
        return runRules(rest);
      case '--version':
      case '-v':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`ogi: ${(e as Error).message}\n\n${HELP}`);
      return 2;
    }
    process.stderr.write(`ogi: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}
