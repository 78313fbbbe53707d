/**
 * Crawling across workers (issue 7): a crawl is a BullMQ parent job whose children are its URL
 * jobs (crawl-jobs.ts, crawl-urls.ts, crawl-parent.ts); politeness per host holds across every
 * worker through a reservation in Redis (crawl-state.ts); scheduled crawls are BullMQ job
 * schedulers, so one firing is one job, taken by one worker, however many run.
 *
 * `startCrawlWorker` is what `ogi worker` runs beside its audit worker; `enqueueCrawl`,
 * `scheduleCrawl` and `followCrawl` are what `ogi crawl --redis` does (src/cli/crawl-distributed.ts).
 */
import { hostname } from 'node:os';
import { type Job, type Queue, Worker } from 'bullmq';
import { createLogger, type Logger } from '../crawl/log.ts';
import type { CrawlCatalogue } from '../store/catalogue.ts';
import { pipelineVersion } from '../version.ts';
import { auditQueueName, connectServices, DEAD_QUEUE, ServiceError, type Services } from './connect.ts';
import { CRAWL_JOB_OPTIONS, CRAWL_QUEUE, type CrawlJobData, type CrawlJobResult, type CrawlRequest, type UrlJobData } from './crawl-jobs.ts';
import { processCrawlJob } from './crawl-parent.ts';
import { CrawlState } from './crawl-state.ts';
import { UrlJobs } from './crawl-urls.ts';

export { CRAWL_QUEUE, crawlKey, crawlRequest, type CrawlJobData, type CrawlJobResult, type CrawlRequest, type CrawlSettings } from './crawl-jobs.ts';

export interface CrawlWorkerOptions {
  /** Connections to share (an `ogi worker` already has them); else these are opened and closed here. */
  services?: Services;
  redisUrl?: string;
  db?: string;
  blobsDir?: string;
  prefix?: string;
  /** Crawl jobs (URLs) at once. Each holds at most one connection to one host. */
  concurrency: number;
  /** host[:port] fetched although private or loopback (each crawl may add its own). */
  allowHosts?: Iterable<string>;
  logger?: Logger;
  /** Job lock (default 30 s): a worker that dies frees its jobs about this long after. */
  lockMs?: number;
  stalledMs?: number;
  maxStalled?: number;
  /** Tries per audit job of a crawl before its dead letter (default 3), and the first retry's delay (default 10 s). */
  auditAttempts?: number;
  auditBackoffMs?: number;
}

export interface CrawlWorker {
  readonly worker: Worker;
  /** Finishes the jobs in hand (or hands them back), takes no new one, closes what it opened. */
  close(): Promise<void>;
}

/** The catalogue of a store that has one for many workers (PostgreSQL), or a ServiceError. */
export function crawlCatalogue(services: Services): CrawlCatalogue & { interrupt?(crawlId: number): Promise<void> } {
  const store = services.store as Services['store'] & { catalogue?: () => CrawlCatalogue };
  if (typeof store.catalogue !== 'function') throw new ServiceError(`crawling across workers needs the PostgreSQL store (--db postgres://…), not ${store.location}`);
  return store.catalogue();
}

export async function startCrawlWorker(o: CrawlWorkerOptions): Promise<CrawlWorker> {
  const log = o.logger ?? createLogger();
  const pipeline = pipelineVersion();
  const own = !o.services;
  if (own && (!o.redisUrl || !o.db)) throw new ServiceError('startCrawlWorker needs services, or redisUrl and db');
  const services = o.services ?? (await connectServices({ redisUrl: o.redisUrl!, db: o.db!, blobsDir: o.blobsDir, prefix: o.prefix, pipeline }));
  try {
    const catalogue = crawlCatalogue(services);
    const queue = services.queue(CRAWL_QUEUE);
    const state = new CrawlState(services.redis, services.prefix);
    const urls = new UrlJobs({ queue, state, catalogue, blobs: services.blobs, allowHosts: new Set(o.allowHosts ?? []), log });
    const env = {
      queue,
      audits: services.queue(auditQueueName(pipeline)),
      dead: services.queue(DEAD_QUEUE),
      state,
      catalogue,
      store: services.store,
      log,
      auditAttempts: o.auditAttempts ?? 3,
      auditBackoffMs: o.auditBackoffMs ?? 10_000,
    };
    const worker = new Worker<CrawlJobData | UrlJobData, CrawlJobResult | string>(
      CRAWL_QUEUE,
      async (job, token) => (job.name === 'crawl' ? processCrawlJob(job as Job<CrawlJobData>, token, env) : urls.process(job as Job<UrlJobData>, token)),
      {
        connection: services.redis,
        prefix: services.prefix,
        concurrency: o.concurrency,
        lockDuration: o.lockMs ?? 30_000,
        stalledInterval: o.stalledMs ?? o.lockMs ?? 30_000,
        maxStalledCount: o.maxStalled ?? 2,
        name: `${hostname()}:${process.pid}:crawl`,
      },
    );
    worker.on('error', (e) => log.log('error', 'crawl queue error', { error: e.message }));
    worker.on('failed', (job, e) => {
      if (job?.name === 'crawl') log.log('warn', 'crawl job attempt failed', { job: job.id, crawl: (job.data as CrawlJobData).crawlId, attempt: job.attemptsMade, error: e.message });
    });
    await worker.waitUntilReady();
    log.log('info', 'ogi crawl worker ready', { queue: CRAWL_QUEUE, prefix: services.prefix, concurrency: o.concurrency, audits: env.audits.name, pid: process.pid });
    return {
      worker,
      async close() {
        await worker.close();
        if (own) await services.close();
      },
    };
  } catch (e) {
    if (own) await services.close();
    throw e;
  }
}

/** Adds one crawl; returns its job. */
export async function enqueueCrawl(queue: Queue, request: CrawlRequest): Promise<Job<CrawlJobData>> {
  return (await queue.add('crawl', request, CRAWL_JOB_OPTIONS)) as Job<CrawlJobData>;
}

/**
 * The crawl of these start pages on a cron pattern (or every N ms), kept in Redis: whichever worker
 * takes a firing runs that crawl. Upserted under the crawl's key: naming the same start pages again
 * replaces the schedule. Returns the scheduler id and its next firing.
 */
export async function scheduleCrawl(queue: Queue, request: CrawlRequest, repeat: { pattern: string } | { every: number }): Promise<{ id: string; next?: Date }> {
  const job = await queue.upsertJobScheduler(request.key, repeat, { name: 'crawl', data: request, opts: CRAWL_JOB_OPTIONS });
  const next = job?.opts.delay !== undefined ? new Date(job.timestamp + job.opts.delay) : undefined;
  return { id: request.key, next };
}

export async function unscheduleCrawl(queue: Queue, key: string): Promise<boolean> {
  return queue.removeJobScheduler(key);
}

export interface FollowCrawlOptions {
  /** The audit queue the crawl's documents go to: a warning when no worker serves it. */
  audits?: Queue;
  pollMs?: number;
  /** Called once the crawl has its id in the catalogue. */
  onStarted?: (crawlId: number) => void;
  /** URLs done so far. */
  onProgress?: (urls: number) => void;
  warn?: (line: string) => void;
  /** Gives up after this long (default: never). */
  timeoutMs?: number;
}

/** Waits for a crawl job to end: its result (summary, or skipped), or an Error with its failure. */
export async function followCrawl(queue: Queue, state: CrawlState, jobId: string, o: FollowCrawlOptions = {}): Promise<CrawlJobResult> {
  const pollMs = o.pollMs ?? 500;
  const deadline = o.timeoutMs === undefined ? Infinity : Date.now() + o.timeoutMs;
  let started = false;
  let warned = false;
  let auditAsked = false;
  for (let polls = 0; Date.now() < deadline; polls++) {
    const job = (await queue.getJob(jobId)) as Job<CrawlJobData, CrawlJobResult> | undefined;
    if (!job) throw new Error(`the crawl job ${jobId} is gone from the queue ${queue.name}`);
    const state_ = await job.getState();
    if (state_ === 'completed') return job.returnvalue;
    if (state_ === 'failed') throw new Error(`the crawl failed: ${job.failedReason}`);
    if (!started && job.data.crawlId !== undefined) {
      started = true;
      o.onStarted?.(job.data.crawlId);
    }
    if (o.onProgress && started && job.data.step === 'crawling') o.onProgress(await state.urlsDone(job.data.crawlId!));
    // Whether anyone serves the queue the crawl waits on: asked once early, and once it waits for its audit.
    let waitingOn: Queue | undefined;
    if (polls === 10 && state_ === 'waiting') waitingOn = queue;
    else if (job.data.step === 'auditing' && !auditAsked) {
      auditAsked = true;
      waitingOn = o.audits;
    }
    if (waitingOn && !warned && (await waitingOn.getWorkersCount()) === 0) {
      warned = true;
      o.warn?.(`no ogi worker serves the queue ${waitingOn.name} (prefix ${waitingOn.opts.prefix ?? 'bull'}): start one of this version with ogi worker --redis URL --db URL; waiting`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`the crawl job ${jobId} did not end within ${Math.round((o.timeoutMs ?? 0) / 1000)} s`);
}
