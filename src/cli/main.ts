/** `ogi`: the command line. Exit 0 clean, 1 findings at or above --fail-on, 2 the command could not run. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CROSS_YEAR_RULES } from '../audit/crossYear.ts';
import { RULES } from '../audit/index.ts';
import { AUDIT_HELP, runAudit } from './audit.ts';
import { CRAWL_HELP, runCrawl } from './crawl.ts';
import { EXPORT_HELP, runExport } from './export.ts';
import { UsageError } from './inputs.ts';
import { runWorkerCommand, WORKER_HELP } from './worker.ts';

const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

const HELP = `ogi — 政府信息公开工作年度报告 audit

Usage:
  ogi audit <files or folders…> [options]   read every .pdf, .docx, .htm/.html and audit it
  ogi audit <files or folders…> --redis URL --db URL [--detach]
                                             the same, read by ogi worker processes (BullMQ, PostgreSQL)
  ogi worker --redis URL --db URL [--concurrency N]
                                             take the audit and crawl jobs distributed runs enqueue
  ogi export --out DIR [--store PATH | --db URL] [--run ID]
                                             write a stored run's outputs again, reading no document
  ogi crawl <start URLs…> [--config sites.yaml] [--every "0 3 * * *"] [options]
                                             fetch the reports sites publish, audit what is new or changed
  ogi rules [--json]                         print the rule catalogue
  ogi --version | --help

${AUDIT_HELP}
${WORKER_HELP}
${EXPORT_HELP}
${CRAWL_HELP}`;

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
        return await runAudit(rest, VERSION);
      case 'crawl':
        return await runCrawl(rest, VERSION);
      case 'export':
        return await runExport(rest, VERSION);
      case 'worker':
        return await runWorkerCommand(rest);
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
    // A service that cannot be reached (src/distributed/connect.ts): its message says it all.
    if ((e as Error).name === 'ServiceError') {
      process.stderr.write(`ogi: ${(e as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`ogi: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}
