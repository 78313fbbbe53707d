/** `ogi crawl`: fetch what sites publish, catalogue it, audit what is new or changed into the store. */
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { auditRun } from '../batch/run.ts';
import { DirBlobs } from '../store/blobs.ts';
import { readConfig, type StartSpec, startSpecs, type SitesConfig } from '../crawl/config.ts';
import { Crawler, type CrawlTally } from '../crawl/crawler.ts';
import { createLogger, type Logger } from '../crawl/log.ts';
import { schedule, withLock } from '../crawl/schedule.ts';
import { Catalogue, type CrawlCatalogue } from '../store/catalogue.ts';
import { Store } from '../store/sqlite.ts';
import type { AuditStore } from '../store/store.ts';
import { pipelineVersion } from '../version.ts';
import { DEFAULT_STORE } from './audit.ts';
import { UsageError } from './inputs.ts';

export const CRAWL_HELP = `crawl options:
  --config FILE          sites.yaml: per-site start URLs, link patterns (include, exclude,
                         pagination) and limits, and allowHosts
  --store PATH           the store the catalogue and the audits go to (default .ogi/store.sqlite)
  --blobs DIR            where fetched bytes are kept by hash (default: blobs/ beside the store)
  --allow-host HOST:PORT fetch from this host although its address is private or loopback
                         (repeatable; intranets, tests)
  --delay SECONDS        between two requests to one host (default 1; robots.txt Crawl-delay wins)
  --max-pages N          list pages per start URL, pagination included (default 50)
  --max-depth N          pagination hops from the start page (default 50)
  --max-bytes SIZE       all bytes one crawl fetches (default 2G)
  --max-file-bytes SIZE  one response (default 50M)
  --timeout SECONDS      one response, redirects and retries apart (default 60)
  --retries N            on 5xx, 429 and time-outs, with backoff (default 2; none on 4xx)
  --hosts N              hosts crawled at once (default 4; one connection per host)
  --workers N            worker threads auditing what was fetched (default: one per core)
  --every "CRON"         keep running and crawl on this schedule ("0 3 * * *": 03:00 daily)
  --json-logs            log JSON lines (the default when standard error is not a terminal)
across workers (ogi worker runs the crawl; --store, --blobs, --hosts and --workers are theirs):
  --redis URL --db URL   enqueue the crawl on BullMQ (redis://…) for workers sharing the
                         PostgreSQL store (postgres://…), and follow it to its summary
  --prefix NAME          the queues' key prefix in Redis (default ogi)
  --detach               enqueue and exit (the job id is printed)
  --every "CRON"         with --redis: a job scheduler in Redis, then exit; one crawl per
                         firing whichever worker takes it (a firing while the last crawl of
                         the same start pages runs is skipped)
  --unschedule           with --redis: remove the schedule of these start pages
`;

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i;

export function size(value: string, name: string): number {
  const m = SIZE.exec(value.trim());
  if (!m) throw new UsageError(`${name} must be a size such as 500K, 50M or 2G`);
  return Math.round(Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2].toLowerCase() || ' '));
}

export function count(value: string, name: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer of at least ${min}`);
  return n;
}

export function seconds(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a number of seconds`);
  return n * 1000;
}

/** `--allow-host` as fetchUrl compares it: host[:port], lower case, no scheme, path or trailing dot. */
export function allowHost(entry: string): string {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(\[[^\]]+\]|[^/:]+)(?::(\d+))?\/?$/i.exec(entry.trim());
  if (!m) throw new UsageError(`--allow-host: not a host or host:port: ${entry}`);
  const host = m[1].toLowerCase().replace(/\.$/, '');
  return m[2] ? `${host}:${m[2]}` : host;
}

/** The start URLs named and those of --config, each with its site's rules; usage errors for bad ones. */
export function crawlStarts(urls: string[], configPath?: string): { config: SitesConfig; starts: StartSpec[] } {
  let config: SitesConfig = { sites: [] };
  if (configPath) {
    try {
      config = readConfig(configPath);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  for (const url of urls) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`not an http(s) URL: ${url}`);
  }
  const starts = startSpecs(urls, config);
  if (starts.length === 0) throw new UsageError('name at least one start URL (a list page of reports), or sites in --config');
  return { config, starts };
}

export interface CrawlSummary extends CrawlTally {
  crawl: number;
  auditRun?: number;
  audited: number;
  reused: number;
  findings: { error: number; warning: number; info: number };
  /** New or changed documents the audit could not read (a report page that only links its PDF: no-report-tables). */
  unreadable: Record<string, number>;
}

export function summaryText(s: CrawlSummary): string {
  const kinds = (r: CrawlTally['reports']) => `新 ${r.new}，更新 ${r.changed}，未变 ${r.unchanged}`;
  const failed = Object.entries(s.failed).sort(([a], [b]) => (a < b ? -1 : 1));
  return [
    `抓取完成：列表页 ${s.lists} 页；报告 ${s.reports.new + s.reports.changed + s.reports.unchanged} 份（${kinds(s.reports)}）；附件 ${s.attachments.new + s.attachments.changed + s.attachments.unchanged} 个（${kinds(s.attachments)}）${s.notAuditable ? `；无法审核的格式 ${s.notAuditable} 个` : ''}`,
    `审核：读取 ${s.audited} 份，沿用 ${s.reused} 份；新问题：错误 ${s.findings.error} 条，警告 ${s.findings.warning} 条，提示 ${s.findings.info} 条${Object.keys(s.unreadable).length ? `；无法读取 ${Object.entries(s.unreadable).map(([c, n]) => `${c} ${n}`).join('，')}` : ''}`,
    failed.length ? `抓取失败或跳过 ${failed.reduce((n, [, c]) => n + c, 0)} 次：${failed.map(([r, c]) => `${r} ${c}`).join('，')}` : '抓取失败 0 次',
  ].join('\n') + '\n';
}

/** The options a crawl takes wherever it runs (one process, or workers). */
export const CRAWL_LIMITS = {
  'allow-host': { type: 'string', multiple: true, default: [] as string[] },
  delay: { type: 'string', default: '1' },
  'max-pages': { type: 'string', default: '50' },
  'max-depth': { type: 'string', default: '50' },
  'max-bytes': { type: 'string', default: '2G' },
  'max-file-bytes': { type: 'string', default: '50M' },
  timeout: { type: 'string', default: '60' },
  retries: { type: 'string', default: '2' },
} as const;

/** The limits of CRAWL_LIMITS as numbers, checked; usage errors name the option. */
export function crawlLimits(values: { delay: string; 'max-pages': string; 'max-depth': string; 'max-bytes': string; 'max-file-bytes': string; timeout: string; retries: string }, version: string) {
  return {
    delayMs: seconds(values.delay, '--delay'),
    maxPages: count(values['max-pages'], '--max-pages'),
    maxDepth: count(values['max-depth'], '--max-depth', 0),
    maxBytes: size(values['max-bytes'], '--max-bytes'),
    maxFileBytes: size(values['max-file-bytes'], '--max-file-bytes'),
    timeoutMs: seconds(values.timeout, '--timeout') || 60_000,
    retries: count(values.retries, '--retries', 0),
    userAgent: `ogi-audit/${version} (+https://github.com/ogi-audit)`,
  };
}

export async function runCrawl(argv: string[], version: string): Promise<number> {
  if (argv.some((a) => a === '--redis' || a.startsWith('--redis='))) {
    const { runCrawlDistributed } = await import('./crawl-distributed.ts');
    return runCrawlDistributed(argv, version);
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      store: { type: 'string', default: DEFAULT_STORE },
      blobs: { type: 'string' },
      ...CRAWL_LIMITS,
      hosts: { type: 'string', default: '4' },
      workers: { type: 'string', default: String(availableParallelism()) },
      every: { type: 'string' },
      'json-logs': { type: 'boolean' },
    },
  });
  const { config, starts } = crawlStarts(positionals, values.config);
  const storePath = resolve(values.store);
  const log = createLogger({ json: values['json-logs'] });
  const options = {
    allowHosts: new Set([...(config.allowHosts ?? []), ...values['allow-host']].map(allowHost)),
    ...crawlLimits(values, version),
    hostsAtOnce: count(values.hosts, '--hosts'),
    log,
  };
  const workers = count(values.workers, '--workers', 0);
  const blobs = new DirBlobs(values.blobs ? resolve(values.blobs) : join(dirname(storePath), 'blobs'));
  const lock = `${storePath}.crawl.lock`;

  const once = async (): Promise<void> => {
    const store = new Store(storePath, pipelineVersion());
    const catalogue = new Catalogue(storePath);
    try {
      const summary = await crawlOnce(store, catalogue, blobs, starts.map((s) => s), { ...options, workers }, log);
      if (values['json-logs'] ?? !process.stderr.isTTY) log.log('info', 'crawl done', { ...summary });
      else process.stderr.write(summaryText(summary));
    } finally {
      await catalogue.close();
      await store.close();
    }
  };

  if (!values.every) {
    if (!(await withLock(lock, once))) {
      process.stderr.write(`ogi crawl: another crawl of ${values.store} is running (lock ${lock})\n`);
      return 2;
    }
    return 0;
  }
  let cron;
  try {
    cron = schedule(values.every, lock, once, log);
  } catch (e) {
    throw new UsageError(`--every: ${(e as Error).message}`);
  }
  // Until stopped: SIGINT/SIGTERM end the schedule and let a running crawl finish.
  await new Promise<void>((done) => {
    const stop = () => {
      cron.stop();
      log.log('info', 'schedule stopped');
      const wait = setInterval(() => {
        if (!cron.isBusy()) {
          clearInterval(wait);
          done();
        }
      }, 200);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** One crawl and the audit of what it found, into the store; the summary. */
export async function crawlOnce(
  store: AuditStore,
  catalogue: CrawlCatalogue,
  blobs: DirBlobs,
  starts: ReturnType<typeof startSpecs>,
  options: ConstructorParameters<typeof Crawler>[2] & { workers: number },
  log: Logger,
): Promise<CrawlSummary> {
  const crawlId = await catalogue.begin(starts.map((s) => s.url));
  log.log('info', 'crawl started', { crawl: crawlId, starts: starts.map((s) => s.url) });
  const crawler = new Crawler(catalogue, blobs, options);
  const documents = await crawler.run(crawlId, starts);
  const summary: CrawlSummary = { crawl: crawlId, ...crawler.tally, audited: 0, reused: 0, findings: { error: 0, warning: 0, info: 0 }, unreadable: {} };
  if (documents.length) {
    // Every document the sites publish now goes into the run (unchanged ones are reused, not read),
    // so the run is the catalogue's current state: `ogi export` writes it.
    const run = await auditRun(
      documents.map((d) => blobs.path(d.sha256)),
      store,
      { names: documents.map((d) => d.url), httpCharsets: documents.map((d) => d.charset), inputs: starts.map((s) => s.url), workers: options.workers },
    );
    summary.auditRun = run.runId;
    summary.audited = run.audited;
    summary.reused = run.reused;
    for await (const doc of store.runDocuments(run.runId)) {
      const fresh = documents[doc.seq].outcome !== 'unchanged';
      if (!fresh) continue;
      for (const f of doc.report.findings) summary.findings[f.severity]++;
      for (const e of doc.report.errors) summary.unreadable[e.code] = (summary.unreadable[e.code] ?? 0) + 1;
    }
  }
  await catalogue.end(crawlId, summary, summary.auditRun);
  return summary;
}
