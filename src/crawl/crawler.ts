/**
 * One crawl in one process: from each start page (a column's list page) follow its pagination
 * within the site, pick the links that look like annual reports, fetch the report pages and their
 * attachments. Each URL is one step of steps.ts (robots, politeness per host, conditional GET,
 * blobs, catalogue); this class orders the steps and keeps the tally. What the crawl returns is the
 * list of documents to audit, each named by its URL. Across workers, src/distributed/crawl.ts runs
 * the same steps as BullMQ jobs.
 */
import pLimit from 'p-limit';
import type { CrawlCatalogue } from '../store/catalogue.ts';
import type { BlobStore } from '../store/store.ts';
import type { StartSpec } from './config.ts';
import { HostScheduler } from './hosts.ts';
import type { Logger } from './log.ts';
import { Robots } from './robots.ts';
import {
  addToTally, crawlAttachment, crawlList, crawlReport, type CrawledDocument, type CrawlTally, emptyTally, type ReportTask, type StepContext, type UrlOutcome,
} from './steps.ts';

export { type CrawledDocument, type CrawlTally } from './steps.ts';

export interface CrawlOptions {
  /** host:port or host allowed although its address is private or loopback. */
  allowHosts: Set<string>;
  delayMs: number;
  maxPages: number;
  maxDepth: number;
  /** All bytes fetched by the crawl. */
  maxBytes: number;
  /** One response. */
  maxFileBytes: number;
  timeoutMs: number;
  retries: number;
  backoffMs?: number;
  userAgent?: string;
  /** Hosts crawled at once (each host still gets one connection at a time). */
  hostsAtOnce: number;
  log: Logger;
}

export class Crawler {
  readonly #catalogue: CrawlCatalogue;
  readonly #blobs: BlobStore;
  readonly #o: CrawlOptions;
  readonly #hosts: HostScheduler;
  readonly #robots: Robots;
  readonly #visited = new Set<string>();
  readonly #documents = new Map<string, CrawledDocument>();
  readonly tally: CrawlTally = emptyTally();

  constructor(catalogue: CrawlCatalogue, blobs: BlobStore, options: CrawlOptions) {
    this.#catalogue = catalogue;
    this.#blobs = blobs;
    this.#o = options;
    this.#hosts = new HostScheduler({ delayMs: options.delayMs });
    const o = options;
    this.#robots = new Robots({ allowHosts: o.allowHosts, maxBytes: o.maxFileBytes, timeoutMs: o.timeoutMs, retries: o.retries, backoffMs: Math.max(o.backoffMs ?? 1000, o.delayMs), userAgent: o.userAgent });
  }

  /** Crawls every start page; returns the auditable documents found (new, changed and unchanged), in crawl order. */
  async run(crawlId: number, starts: StartSpec[]): Promise<CrawledDocument[]> {
    const ctx: StepContext = {
      crawlId,
      catalogue: this.#catalogue,
      blobs: this.#blobs,
      options: this.#o,
      robots: this.#robots,
      hosts: this.#hosts,
      bytes: { over: () => this.tally.bytes >= this.#o.maxBytes, add: (n) => void (this.tally.bytes += n) },
    };
    const limit = pLimit(Math.max(1, this.#o.hostsAtOnce));
    // One start failing (a full disk, say) ends that start, not the others still running.
    const settled = await Promise.allSettled(starts.map((s) => limit(() => this.#start(ctx, s))));
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      this.tally.failed['crawl-error'] = (this.tally.failed['crawl-error'] ?? 0) + 1;
      this.#o.log.log('error', 'start failed', { url: starts[i].url, error: (r.reason as Error)?.message ?? String(r.reason) });
    });
    if (settled.every((r) => r.status === 'rejected') && settled.length) throw (settled[0] as PromiseRejectedResult).reason;
    return [...this.#documents.values()];
  }

  #count(o: UrlOutcome): void {
    addToTally(this.tally, o);
    if (o.document) this.#documents.set(o.url, o.document);
  }

  async #start(ctx: StepContext, spec: StartSpec): Promise<void> {
    const maxPages = spec.maxPages ?? this.#o.maxPages;
    const maxDepth = spec.maxDepth ?? this.#o.maxDepth;
    const lists: { url: string; depth: number; referrer?: string }[] = [{ url: spec.url, depth: 0 }];
    const queued = new Set([spec.url]);
    const reports: ReportTask[] = [];
    for (let pages = 0; lists.length && pages < maxPages; pages++) {
      const list = lists.shift()!;
      this.#visited.add(list.url);
      const found = await crawlList(ctx, list, spec);
      this.#count(found.outcome);
      if (!found.pageUrl) continue;
      queued.add(found.pageUrl);
      for (const next of found.pagination) {
        if (queued.has(next) || list.depth + 1 > maxDepth) continue;
        queued.add(next);
        lists.push({ url: next, depth: list.depth + 1, referrer: list.url });
      }
      reports.push(...found.reports);
    }
    for (const r of reports) {
      if (this.#visited.has(r.url)) continue;
      this.#visited.add(r.url);
      const found = await crawlReport(ctx, r, spec);
      this.#count(found.outcome);
      for (const a of found.attachments) {
        if (this.#visited.has(a.url)) continue;
        this.#visited.add(a.url);
        this.#count(await crawlAttachment(ctx, a, spec));
      }
    }
  }
}
