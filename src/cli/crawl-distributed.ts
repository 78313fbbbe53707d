/**
 * `ogi crawl <start URLs…> --redis URL --db URL`: the crawl as one BullMQ job that `ogi worker`
 * processes run (src/distributed/crawl.ts). Followed to its summary (the same lines as a local
 * crawl) unless --detach; with --every, a job scheduler in Redis instead, and exit: the schedule
 * lives in Redis, the workers run its crawls.
 */
import { parseArgs } from 'node:util';
import { Cron } from 'croner';
import { createLogger } from '../crawl/log.ts';
import { auditQueueName, connectServices } from '../distributed/connect.ts';
import { CrawlState } from '../distributed/crawl-state.ts';
import { CRAWL_QUEUE, crawlRequest, enqueueCrawl, followCrawl, scheduleCrawl, unscheduleCrawl } from '../distributed/crawl.ts';
import { isDatabaseUrl } from '../store/open.ts';
import { pipelineVersion } from '../version.ts';
import { allowHost, CRAWL_LIMITS, crawlLimits, crawlStarts, type CrawlSummary, summaryText } from './crawl.ts';
import { UsageError } from './inputs.ts';

export async function runCrawlDistributed(argv: string[], version: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      redis: { type: 'string' },
      db: { type: 'string' },
      prefix: { type: 'string' },
      detach: { type: 'boolean', default: false },
      every: { type: 'string' },
      unschedule: { type: 'boolean', default: false },
      config: { type: 'string' },
      ...CRAWL_LIMITS,
      'json-logs': { type: 'boolean' },
      // The workers' (ogi worker): refused here with a word on where they go.
      store: { type: 'string' },
      blobs: { type: 'string' },
      hosts: { type: 'string' },
      workers: { type: 'string' },
    },
  });
  for (const k of ['store', 'blobs', 'hosts', 'workers'] as const) {
    if (values[k] !== undefined) throw new UsageError(`--${k} is for a local crawl; across workers it is each worker's (ogi worker)`);
  }
  if (!values.db || !isDatabaseUrl(values.db)) throw new UsageError('ogi crawl --redis needs the shared store: --db postgres://…');
  const { config, starts } = crawlStarts(positionals, values.config);
  if (values.every) {
    try {
      new Cron(values.every, { paused: true }).stop();
    } catch (e) {
      throw new UsageError(`--every: ${(e as Error).message}`);
    }
  }
  const request = crawlRequest(starts, {
    allowHosts: [...new Set([...(config.allowHosts ?? []), ...values['allow-host']].map(allowHost))],
    ...crawlLimits(values, version),
  });
  const json = values['json-logs'] ?? !process.stderr.isTTY;
  const log = createLogger({ json });
  const services = await connectServices({ redisUrl: values.redis!, db: values.db, prefix: values.prefix, pipeline: pipelineVersion() });
  try {
    const queue = services.queue(CRAWL_QUEUE);
    if (values.unschedule) {
      const removed = await unscheduleCrawl(queue, request.key);
      log.log(removed ? 'info' : 'warn', removed ? 'schedule removed' : 'no schedule of these start pages', { schedule: request.key });
      return removed ? 0 : 1;
    }
    if (values.every) {
      const { id, next } = await scheduleCrawl(queue, request, { pattern: values.every });
      log.log('info', 'crawl scheduled', { schedule: id, every: values.every, next: next?.toISOString(), queue: queue.name, prefix: services.prefix });
      return 0;
    }
    const job = await enqueueCrawl(queue, request);
    log.log('info', 'crawl queued', { job: job.id, queue: queue.name, prefix: services.prefix, starts: starts.map((s) => s.url) });
    if (values.detach) {
      if (!json) process.stdout.write(`${job.id}\n`);
      return 0;
    }
    const result = await followCrawl(queue, new CrawlState(services.redis, services.prefix), job.id!, {
      audits: services.queue(auditQueueName(pipelineVersion())),
      onStarted: (crawl) => log.log('info', 'crawl started', { crawl, job: job.id }),
      warn: (line) => log.log('warn', line),
    });
    if ('skipped' in result) {
      process.stderr.write(`ogi crawl: another crawl of these start pages is running (job ${result.runningJob})\n`);
      return 2;
    }
    if (json) log.log('info', 'crawl done', { ...result.summary });
    else process.stderr.write(summaryText(result.summary as unknown as CrawlSummary));
    return 0;
  } finally {
    await services.close();
  }
}
