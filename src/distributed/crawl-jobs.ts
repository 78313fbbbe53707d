/**
 * The jobs of a distributed crawl, on one BullMQ queue (`crawl`, with the audit queue's prefix):
 *
 * - `crawl`: the crawl itself, a parent job. Added by `ogi crawl --redis` or fired by a job
 *   scheduler (`--every`), with the start pages and the crawl's settings. Its first run begins the
 *   crawl in the catalogue and adds a `list` job per start page as its children; it then waits for
 *   its children without holding a worker (BullMQ's waiting-children).
 * - `list`, `report`, `attachment`: one URL each (steps.ts). A URL job adds the jobs it discovers as
 *   further children of the same crawl job, so the crawl job is released only when every URL is
 *   done. The job id is the crawl id and (the hash of) the URL, and a URL is claimed in Redis once
 *   per crawl: a URL linked from ten pages is one job.
 */
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { StartSpec } from '../crawl/config.ts';
import type { CrawlOptions } from '../crawl/crawler.ts';
import type { AttachmentTask, ListTask, ReportTask } from '../crawl/steps.ts';
import type { CrawlState } from './crawl-state.ts';

export const CRAWL_QUEUE = 'crawl';

/** A start page as it travels in a job: its rules as the sources of sites.yaml's (case-insensitive) regexes. */
export interface StartData {
  url: string;
  name?: string;
  include?: string[];
  exclude?: string[];
  pagination?: string[];
  delayMs?: number;
  maxPages?: number;
  maxDepth?: number;
}

/** The crawl-wide settings of `ogi crawl` (CrawlOptions without what is the worker's own). */
export type CrawlSettings = Omit<CrawlOptions, 'allowHosts' | 'hostsAtOnce' | 'log'> & {
  /** host[:port] allowed although private or loopback, added to the worker's own list. */
  allowHosts: string[];
};

export interface CrawlRequest {
  /** Names the start pages: one crawl of them at a time, one job scheduler for them. */
  key: string;
  starts: StartData[];
  settings: CrawlSettings;
}

/** The crawl job's data: the request, then what each of its runs has done (so a run after a crash goes on from there). */
export interface CrawlJobData extends CrawlRequest {
  step?: 'crawling' | 'auditing' | 'finishing' | 'done';
  crawlId?: number;
  startedAt?: string;
  /** The audit run of the crawl's documents, and how many it has. */
  runId?: number;
  total?: number;
  summary?: CrawlJobSummary;
}

/** The summary of `ogi crawl` (src/cli/crawl.ts's CrawlSummary) and the job that ran the crawl. */
export interface CrawlJobSummary {
  crawl: number;
  job: string;
  [k: string]: unknown;
}

export type CrawlJobResult = { summary: CrawlJobSummary } | { skipped: true; runningJob: string };

export type UrlJobData = { crawlId: number; start: number } & (
  | { role: 'list'; task: ListTask }
  | { role: 'report'; task: ReportTask }
  | { role: 'attachment'; task: AttachmentTask }
);

/** The key of a set of start pages: the same pages (in any order) give the same key, whatever the settings. */
export function crawlKey(urls: string[]): string {
  return `crawl-${createHash('sha256').update(JSON.stringify([...new Set(urls)].sort())).digest('hex').slice(0, 16)}`;
}

export function crawlRequest(starts: StartSpec[], settings: CrawlSettings): CrawlRequest {
  const sources = (list?: RegExp[]) => (list?.length ? list.map((r) => r.source) : undefined);
  return {
    key: crawlKey(starts.map((s) => s.url)),
    starts: starts.map((s) => ({
      url: s.url,
      name: s.name,
      include: sources(s.rules.include),
      exclude: sources(s.rules.exclude),
      pagination: sources(s.rules.pagination),
      delayMs: s.delayMs,
      maxPages: s.maxPages,
      maxDepth: s.maxDepth,
    })),
    settings,
  };
}

export function startSpec(s: StartData): StartSpec {
  const regexps = (list?: string[]) => list?.map((x) => new RegExp(x, 'i'));
  return { url: s.url, name: s.name, rules: { include: regexps(s.include), exclude: regexps(s.exclude), pagination: regexps(s.pagination) }, delayMs: s.delayMs, maxPages: s.maxPages, maxDepth: s.maxDepth };
}

export const urlJobId = (crawlId: number, url: string): string => `c${crawlId}-${createHash('sha256').update(url).digest('hex').slice(0, 32)}`;

/** The options of a crawl job (added by hand or by a scheduler). */
export const CRAWL_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { age: 30 * 86_400, count: 10_000 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

/**
 * Adds URL jobs as children of the crawl job `parent` (its id and its queue's qualified name),
 * leaving out URLs the crawl has already claimed; claims the rest once added. A URL job that ends
 * in failure (every attempt) does not keep its crawl waiting (ignoreDependencyOnFailure).
 */
export async function addUrlJobs(queue: Queue, state: CrawlState, parent: { id: string; queue: string }, jobs: UrlJobData[]): Promise<number> {
  if (!jobs.length) return 0;
  const crawlId = jobs[0].crawlId;
  const fresh = new Set(await state.unclaimed(crawlId, jobs.map((j) => j.task.url)));
  const adding = jobs.filter((j) => fresh.delete(j.task.url));
  if (!adding.length) return 0;
  await queue.addBulk(
    adding.map((data) => ({
      name: data.role,
      data,
      opts: {
        jobId: urlJobId(crawlId, data.task.url),
        parent,
        attempts: 3,
        backoff: { type: 'exponential', delay: 2000 },
        ignoreDependencyOnFailure: true,
        removeOnComplete: true,
        removeOnFail: { age: 7 * 86_400 },
      },
    })),
  );
  await state.claim(crawlId, adding.map((j) => j.task.url));
  return adding.length;
}
