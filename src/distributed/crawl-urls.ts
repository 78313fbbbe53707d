/**
 * A URL job of a distributed crawl: one step of steps.ts (a list page, a report page or an
 * attachment) with the crawl's robots.txt from Redis, its host reserved in Redis, its bytes counted
 * in Redis; the jobs it discovers are added as children of the crawl job; its outcome is recorded
 * for the crawl's tally. When its host is not free the job is moved to delayed until its slot and
 * the worker takes another job.
 */
import { DelayedError, Job, type Queue } from 'bullmq';
import { ROBOTS_AGENT, Robots } from '../crawl/robots.ts';
import { crawlAttachment, crawlList, crawlReport, type StepContext, type UrlOutcome } from '../crawl/steps.ts';
import type { Logger } from '../crawl/log.ts';
import type { CrawlCatalogue } from '../store/catalogue.ts';
import type { BlobStore } from '../store/store.ts';
import { addUrlJobs, type CrawlJobData, type CrawlRequest, startSpec, type UrlJobData } from './crawl-jobs.ts';
import { type CrawlState, HostBusy, type RedisPoliteness } from './crawl-state.ts';

export interface UrlJobEnv {
  queue: Queue;
  state: CrawlState;
  catalogue: CrawlCatalogue;
  blobs: BlobStore;
  /** The worker's own allowed hosts (a crawl adds its own). */
  allowHosts: ReadonlySet<string>;
  log: Logger;
}

interface CrawlContext {
  request: CrawlRequest;
  step: StepContext;
  politeness: RedisPoliteness;
  /** Hosts whose Crawl-delay this worker has written to Redis for this crawl. */
  delaysNoted: Set<string>;
}

/** The contexts of the last few crawls this worker has served (a worker serves crawls one after another). */
const KEEP = 16;

export class UrlJobs {
  readonly #env: UrlJobEnv;
  readonly #contexts = new Map<number, Promise<CrawlContext>>();

  constructor(env: UrlJobEnv) {
    this.#env = env;
  }

  /** The crawl's settings, read once from its crawl job; its robots.txt, politeness and byte cap. */
  #context(crawlId: number, parentId: string): Promise<CrawlContext> {
    let context = this.#contexts.get(crawlId);
    if (!context) {
      context = this.#load(crawlId, parentId);
      context.catch(() => this.#contexts.delete(crawlId));
      this.#contexts.set(crawlId, context);
      if (this.#contexts.size > KEEP) this.#contexts.delete(this.#contexts.keys().next().value!);
    }
    return context;
  }

  async #load(crawlId: number, parentId: string): Promise<CrawlContext> {
    const env = this.#env;
    const parent = (await Job.fromId(env.queue, parentId)) as Job<CrawlJobData> | undefined;
    if (!parent) throw new Error(`the crawl job ${parentId} of crawl ${crawlId} is gone`);
    const request: CrawlRequest = { key: parent.data.key, starts: parent.data.starts, settings: parent.data.settings };
    const s = request.settings;
    const options = {
      allowHosts: new Set([...env.allowHosts, ...s.allowHosts]),
      delayMs: s.delayMs,
      maxFileBytes: s.maxFileBytes,
      timeoutMs: s.timeoutMs,
      retries: s.retries,
      backoffMs: s.backoffMs,
      userAgent: s.userAgent,
      log: env.log,
    };
    const robots = new Robots(
      { allowHosts: options.allowHosts, maxBytes: s.maxFileBytes, timeoutMs: s.timeoutMs, retries: s.retries, backoffMs: Math.max(s.backoffMs ?? 1000, s.delayMs), userAgent: s.userAgent },
      ROBOTS_AGENT,
      undefined,
      env.state.robotsCache(crawlId),
    );
    const politeness = env.state.politeness(s.delayMs);
    const step: StepContext = {
      crawlId,
      catalogue: env.catalogue,
      blobs: env.blobs,
      options,
      robots,
      hosts: politeness,
      bytes: { over: () => env.state.bytesOver(crawlId, s.maxBytes), add: (n) => env.state.addBytes(crawlId, n) },
    };
    return { request, step, politeness, delaysNoted: new Set() };
  }

  /** Runs one URL job; moves it to delayed (DelayedError) when its host is not free yet. */
  async process(job: Job<UrlJobData>, token: string | undefined): Promise<string> {
    const d = job.data;
    const env = this.#env;
    const parent = job.parent?.id ? { id: job.parent.id, queue: job.parent.queueKey } : undefined;
    if (!parent) throw new Error(`URL job ${job.id} has no crawl job`);
    try {
      const c = await this.#context(d.crawlId, parent.id);
      const outcome = await this.#step(c, d, parent);
      if (!outcome) return 'beyond-max-pages';
      await env.state.record(d.crawlId, outcome);
      await this.#noteCrawlDelay(c, d.task.url);
      return outcome.reason ?? outcome.outcome;
    } catch (e) {
      if (e instanceof HostBusy) {
        await job.moveToDelayed(Date.now() + e.waitMs, token);
        throw new DelayedError();
      }
      // The last attempt: the URL fails, the crawl goes on (as a start failing in one process does).
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const error = (e as Error)?.message ?? String(e);
        env.log.log('error', 'URL failed', { crawl: d.crawlId, url: d.task.url, error });
        await env.state.record(d.crawlId, { url: d.task.url, role: d.role, outcome: 'failed', reason: 'crawl-error' });
        return 'crawl-error';
      }
      throw e;
    }
  }

  async #step(c: CrawlContext, d: UrlJobData, parent: { id: string; queue: string }): Promise<UrlOutcome | undefined> {
    const { queue, state } = this.#env;
    const start = c.request.starts[d.start];
    const spec = startSpec(start);
    // robots.txt as the crawl's first reader fetched it: no request, no wait for the host.
    await c.step.robots.prime(d.task.url);
    const child = <R extends UrlJobData['role']>(role: R, task: Extract<UrlJobData, { role: R }>['task']) => ({ crawlId: d.crawlId, start: d.start, role, task }) as UrlJobData;
    switch (d.role) {
      case 'list': {
        const maxPages = start.maxPages ?? c.request.settings.maxPages;
        const maxDepth = start.maxDepth ?? c.request.settings.maxDepth;
        if ((await state.pageRank(d.crawlId, d.start, d.task.url)) > maxPages) return undefined;
        const found = await crawlList(c.step, d.task, spec);
        // Where a redirected list page really is counts as seen: its own pager links back to it.
        if (found.pageUrl && found.pageUrl !== d.task.url) await state.claim(d.crawlId, [found.pageUrl]);
        const next = d.task.depth + 1 <= maxDepth ? found.pagination : [];
        await addUrlJobs(queue, state, parent, [
          ...next.map((url) => child('list', { url, depth: d.task.depth + 1, referrer: d.task.url })),
          ...found.reports.map((r) => child('report', r)),
        ]);
        return found.outcome;
      }
      case 'report': {
        const found = await crawlReport(c.step, d.task, spec);
        await addUrlJobs(queue, state, parent, found.attachments.map((a) => child('attachment', a)));
        return found.outcome;
      }
      case 'attachment':
        return crawlAttachment(c.step, d.task, spec);
    }
  }

  /** A Crawl-delay this worker has learnt goes to the host's record in Redis: every crawl's next request waits it. */
  async #noteCrawlDelay(c: CrawlContext, url: string): Promise<void> {
    if (!c.step.robots.isLoaded(url)) return;
    const host = new URL(url).hostname;
    if (c.delaysNoted.has(host)) return;
    c.delaysNoted.add(host);
    const ms = await c.step.robots.crawlDelayMs(url);
    if (ms) await c.politeness.setCrawlDelay(url, ms);
  }
}
