/**
 * One crawl: from each start page (a column's list page) follow its pagination within the site,
 * pick the links that look like annual reports, fetch the report pages and their attachments.
 * Every fetch is checked against robots.txt, spaced per host, conditional on what the catalogue
 * already holds, and recorded; bytes go to the blob store. What the crawl returns is the list of
 * documents to audit, each named by its URL.
 */
import pLimit from 'p-limit';
import { decodeHtml } from '../extract/encoding.ts';
import type { CrawlCatalogue, FetchOutcome, UrlRole } from '../store/catalogue.ts';
import type { BlobStore } from '../store/store.ts';
import type { StartSpec } from './config.ts';
import { HostScheduler } from './hosts.ts';
import { fetchUrl, sniffKind } from './http.ts';
import { discoverLinks, guessYearAndBody } from './links.ts';
import type { Logger } from './log.ts';
import { Robots } from './robots.ts';

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

export interface CrawledDocument {
  url: string;
  sha256: string;
  outcome: FetchOutcome;
  /** The charset its HTTP response named: the audit's encoding ladder starts there. */
  charset?: string;
}

export interface CrawlTally {
  lists: number;
  reports: Record<'new' | 'changed' | 'unchanged', number>;
  attachments: Record<'new' | 'changed' | 'unchanged', number>;
  /** Documents found that the audit cannot read (legacy .doc/.wps, images, …). */
  notAuditable: number;
  failed: Record<string, number>;
  bytes: number;
}

interface Fetched {
  bytes: Buffer;
  sha256: string;
  kind: string;
  charset?: string;
  url: string;
  outcome: FetchOutcome;
}

/** Same site: the same host, or hosts under one registered domain (xx.gov.cn counts as a suffix). */
export function sameSite(a: string, b: string): boolean {
  const ha = new URL(a).hostname;
  const hb = new URL(b).hostname;
  if (ha === hb) return true;
  if (/^[\d.]+$|:/.test(ha) || /^[\d.]+$|:/.test(hb)) return false;
  const site = (h: string) => h.split('.').slice(/\.(gov|edu|org|com|net)\.cn$/.test(h) ? -3 : -2).join('.');
  return site(ha) === site(hb);
}

const AUDITABLE = new Set(['html', 'pdf', 'docx']);
/** A site asking for more than a minute between requests is skipped, not crawled for days under the lock. */
const MAX_CRAWL_DELAY_MS = 60_000;

export class Crawler {
  readonly #catalogue: CrawlCatalogue;
  readonly #blobs: BlobStore;
  readonly #o: CrawlOptions;
  readonly #hosts: HostScheduler;
  readonly #robots: Robots;
  readonly #visited = new Set<string>();
  readonly #documents = new Map<string, CrawledDocument>();
  #crawlId = 0;
  readonly tally: CrawlTally = { lists: 0, reports: { new: 0, changed: 0, unchanged: 0 }, attachments: { new: 0, changed: 0, unchanged: 0 }, notAuditable: 0, failed: {}, bytes: 0 };

  constructor(catalogue: CrawlCatalogue, blobs: BlobStore, options: CrawlOptions) {
    this.#catalogue = catalogue;
    this.#blobs = blobs;
    this.#o = options;
    this.#hosts = new HostScheduler({ delayMs: options.delayMs });
    this.#robots = new Robots(this.#fetchOptions());
  }

  #fetchOptions() {
    const o = this.#o;
    // A retry waits at least the politeness delay too.
    return { allowHosts: o.allowHosts, maxBytes: o.maxFileBytes, timeoutMs: o.timeoutMs, retries: o.retries, backoffMs: Math.max(o.backoffMs ?? 1000, o.delayMs), userAgent: o.userAgent };
  }

  /** Crawls every start page; returns the auditable documents found (new, changed and unchanged), in crawl order. */
  async run(crawlId: number, starts: StartSpec[]): Promise<CrawledDocument[]> {
    this.#crawlId = crawlId;
    const limit = pLimit(Math.max(1, this.#o.hostsAtOnce));
    // One start failing (a full disk, say) ends that start, not the others still running.
    const settled = await Promise.allSettled(starts.map((s) => limit(() => this.#start(s))));
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      this.tally.failed['crawl-error'] = (this.tally.failed['crawl-error'] ?? 0) + 1;
      this.#o.log.log('error', 'start failed', { url: starts[i].url, error: (r.reason as Error)?.message ?? String(r.reason) });
    });
    if (settled.every((r) => r.status === 'rejected') && settled.length) throw (settled[0] as PromiseRejectedResult).reason;
    return [...this.#documents.values()];
  }

  async #start(spec: StartSpec): Promise<void> {
    const maxPages = spec.maxPages ?? this.#o.maxPages;
    const maxDepth = spec.maxDepth ?? this.#o.maxDepth;
    const lists: { url: string; depth: number; referrer?: string }[] = [{ url: spec.url, depth: 0 }];
    const queued = new Set([spec.url]);
    const reports: { url: string; text: string; referrer: string; attachment: boolean; year?: number; body?: string }[] = [];
    for (let pages = 0; lists.length && pages < maxPages; pages++) {
      const list = lists.shift()!;
      await this.#catalogue.seen(list.url, 'list', list.referrer);
      const page = await this.#fetch(list.url, 'list', spec.delayMs);
      if (!page) continue;
      this.tally.lists++;
      // Hanweb's dataproxy.jsp answers are XML records of <li><a> items: read like a list page.
      if (page.kind !== 'html' && !/<(datastore|recordset|record)[\s>]/i.test(page.bytes.subarray(0, 65536).toString('latin1'))) continue;
      queued.add(page.url);
      const found = discoverLinks(decodeHtml(page.bytes, page.charset).text, page.url, spec.rules);
      // Judged against where the page really is: a start URL that redirects (http → https, a new
      // host) keeps its pagination and reports.
      for (const next of found.pagination) {
        if (queued.has(next) || list.depth + 1 > maxDepth || new URL(next).origin !== new URL(page.url).origin) continue;
        queued.add(next);
        lists.push({ url: next, depth: list.depth + 1, referrer: list.url });
      }
      for (const link of found.reports) {
        if (!sameSite(link.url, page.url) && !spec.rules.include?.some((r) => r.test(link.url) || r.test(link.text))) continue;
        reports.push({ url: link.url, text: link.text, referrer: list.url, attachment: link.kind === 'attachment', year: link.year, body: link.body });
      }
    }
    for (const r of reports) {
      if (this.#visited.has(r.url)) continue;
      await this.#catalogue.seen(r.url, 'report', r.referrer, r.text);
      await this.#catalogue.describe(r.url, { year: r.year, body: r.body });
      const doc = await this.#fetch(r.url, 'report', spec.delayMs);
      if (!doc || doc.kind !== 'html') continue;
      // A report page: its title names the body and year; its attachments are the report too.
      const found = discoverLinks(decodeHtml(doc.bytes, doc.charset).text, doc.url, spec.rules);
      const guess = found.title ? guessYearAndBody(found.title) : {};
      await this.#catalogue.describe(r.url, { title: found.title, body: guess.body, year: guess.year });
      for (const a of found.attachments) {
        if (this.#visited.has(a.url) || !sameSite(a.url, doc.url)) continue;
        await this.#catalogue.seen(a.url, 'attachment', r.url, a.text);
        await this.#catalogue.describe(a.url, { title: found.title, body: guess.body ?? r.body, year: guess.year ?? r.year });
        await this.#fetch(a.url, 'attachment', spec.delayMs);
      }
    }
  }

  /** One fetch, robots and politeness first; recorded in the catalogue; the bytes (from the blob store on 304). */
  async #fetch(url: string, role: UrlRole, delayMs?: number): Promise<Fetched | undefined> {
    this.#visited.add(url);
    const before = await this.#catalogue.get(url);
    const fail = async (reason: string, status?: number, outcome: FetchOutcome = 'failed'): Promise<undefined> => {
      await this.#catalogue.fetched(this.#crawlId, url, { outcome, reason, status });
      this.tally.failed[reason] = (this.tally.failed[reason] ?? 0) + 1;
      this.#o.log.log('warn', 'fetch failed', { url, reason, status });
      // What the site published before still stands for this crawl's audit run.
      if (role !== 'list' && before?.sha256 && AUDITABLE.has(before.kind ?? '')) this.#documents.set(url, { url, sha256: before.sha256, outcome: 'unchanged', charset: charsetOf(before.contentType) });
      return undefined;
    };
    if (this.tally.bytes >= this.#o.maxBytes) return fail('crawl-byte-limit', undefined, 'skipped');
    // robots.txt is fetched in a slot of its host, like any request (not from inside a page's
    // slot: a redirect to another origin of the same host would wait for itself).
    if (!this.#robots.isLoaded(url)) await this.#hosts.run(url, () => this.#robots.allowed(url));
    if (!(await this.#robots.allowed(url))) return fail((await this.#robots.refusal(url)) ?? 'robots', undefined, 'skipped');
    const crawlDelay = (await this.#robots.crawlDelayMs(url)) ?? 0;
    if (crawlDelay > MAX_CRAWL_DELAY_MS) return fail('crawl-delay-too-long', undefined, 'skipped');
    const delay = Math.max(delayMs ?? this.#o.delayMs, crawlDelay);
    // robots is checked again on every redirect hop.
    const res = await this.#hosts.run(url, () => fetchUrl(url, { ...this.#fetchOptions(), backoffMs: Math.max(this.#fetchOptions().backoffMs, delay), robots: this.#robots, etag: before?.etag, lastModified: before?.lastModified }), { delayMs: delay });
    if (!res.ok) return fail(res.reason, res.status);
    let bytes: Buffer | undefined;
    let sha: string;
    if (res.notModified) {
      bytes = before?.sha256 ? await this.#blobs.get(before.sha256) : undefined;
      // A 304 for bytes we no longer hold: fetch them again, unconditionally.
      if (!bytes) {
        await this.#catalogue.fetched(this.#crawlId, url, { outcome: 'failed', reason: 'blob-missing' });
        const again = await this.#hosts.run(url, () => fetchUrl(url, { ...this.#fetchOptions(), robots: this.#robots }), { delayMs: delay });
        if (!again.ok || again.notModified) return fail(again.ok ? 'blob-missing' : again.reason, again.status);
        return this.#keep(url, role, again, before);
      }
      sha = before!.sha256!;
      const kind = before?.kind ?? sniffKind(bytes, before?.contentType);
      await this.#catalogue.fetched(this.#crawlId, url, { outcome: 'unchanged', status: res.status, sha256: sha, etag: res.etag, lastModified: res.lastModified, kind });
      this.#count(url, role, 'unchanged', sha, kind, charsetOf(before?.contentType));
      return { bytes, sha256: sha, kind, url: res.url, outcome: 'unchanged', charset: charsetOf(before?.contentType) };
    }
    return this.#keep(url, role, res, before);
  }

  async #keep(url: string, role: UrlRole, res: { url?: string; status: number; bytes: Buffer; contentType?: string; charset?: string; etag?: string; lastModified?: string }, before?: { sha256?: string }): Promise<Fetched> {
    const sha = await this.#blobs.put(res.bytes);
    const kind = sniffKind(res.bytes, res.contentType);
    const outcome: FetchOutcome = !before?.sha256 ? 'new' : before.sha256 === sha ? 'unchanged' : 'changed';
    this.tally.bytes += res.bytes.length;
    // The charset is kept with the type: a later 304 decodes the stored bytes the same way.
    const contentType = res.contentType && res.charset ? `${res.contentType}; charset=${res.charset}` : res.contentType;
    await this.#catalogue.fetched(this.#crawlId, url, { outcome, status: res.status, sha256: sha, bytes: res.bytes.length, etag: res.etag, lastModified: res.lastModified, contentType, kind });
    this.#o.log.log('info', 'fetched', { url, status: res.status, outcome, kind, bytes: res.bytes.length });
    this.#count(url, role, outcome, sha, kind, res.charset);
    return { bytes: res.bytes, sha256: sha, kind, charset: res.charset, url: res.url ?? url, outcome };
  }

  #count(url: string, role: UrlRole, outcome: FetchOutcome, sha256: string, kind: string, charset?: string): void {
    if (role === 'list') return;
    if (outcome === 'new' || outcome === 'changed' || outcome === 'unchanged') (role === 'report' ? this.tally.reports : this.tally.attachments)[outcome]++;
    if (AUDITABLE.has(kind)) this.#documents.set(url, { url, sha256, outcome, charset });
    else this.tally.notAuditable++;
  }
}

function charsetOf(contentType?: string): string | undefined {
  return contentType?.match(/charset=["']?([\w-]+)/i)?.[1];
}
