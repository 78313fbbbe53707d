/**
 * The crawl's per-URL steps, each callable on its own: fetch one list page (→ its pagination and
 * report links), fetch one report page (→ its attachments), fetch one attachment. Every fetch is
 * checked against robots.txt, waits its turn at its host, is conditional on what the catalogue
 * already holds, and is recorded; the bytes go to the blob store. A step returns what it found and
 * what its fetch came to (`UrlOutcome`); the caller keeps the tally and decides what to fetch next:
 * the local `Crawler` in one process (crawler.ts), or one BullMQ job per URL across workers
 * (src/distributed/crawl.ts), whose `Politeness` may throw instead of waiting.
 */
import { decodeHtml } from '../extract/encoding.ts';
import type { CrawlCatalogue, FetchOutcome, UrlRole } from '../store/catalogue.ts';
import type { BlobStore } from '../store/store.ts';
import type { SiteRules } from './config.ts';
import { fetchUrl, type FetchSuccess, sniffKind } from './http.ts';
import { discoverLinks, guessYearAndBody, sameSite } from './links.ts';
import type { Logger } from './log.ts';
import type { Robots } from './robots.ts';

/** How each request is made (the fetch part of CrawlOptions). */
export interface FetchSettings {
  /** host:port or host allowed although its address is private or loopback. */
  allowHosts: ReadonlySet<string>;
  delayMs: number;
  /** One response. */
  maxFileBytes: number;
  timeoutMs: number;
  retries: number;
  backoffMs?: number;
  userAgent?: string;
  log: Logger;
}

/** Where requests wait their turn at a host (HostScheduler in one process; a Redis reservation across workers). */
export interface Politeness {
  run<T>(url: string, task: () => Promise<T>, options?: { delayMs?: number }): Promise<T>;
}

/** The crawl's byte cap: bytes fetched so far, across whatever runs the crawl. */
export interface ByteBudget {
  over(): boolean | Promise<boolean>;
  add(bytes: number): void | Promise<void>;
}

export interface StepContext {
  crawlId: number;
  catalogue: CrawlCatalogue;
  blobs: BlobStore;
  options: FetchSettings;
  robots: Robots;
  hosts: Politeness;
  bytes: ByteBudget;
}

/** A start page's rules and limits, as far as one step needs them. */
export interface StepSpec {
  rules: SiteRules;
  delayMs?: number;
}

export interface CrawledDocument {
  url: string;
  sha256: string;
  outcome: FetchOutcome;
  /** The charset its HTTP response named: the audit's encoding ladder starts there. */
  charset?: string;
  /** Its size, when this crawl had its bytes in hand. */
  size?: number;
}

/** What one URL's fetch came to, for the crawl's tally. */
export interface UrlOutcome {
  url: string;
  role: UrlRole;
  outcome: FetchOutcome;
  /** Why it failed or was skipped. */
  reason?: string;
  kind?: string;
  /** The document it gives the crawl's audit: what was fetched, or (after a failure) the last good copy, when auditable. */
  document?: CrawledDocument;
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

export const emptyTally = (): CrawlTally => ({ lists: 0, reports: { new: 0, changed: 0, unchanged: 0 }, attachments: { new: 0, changed: 0, unchanged: 0 }, notAuditable: 0, failed: {}, bytes: 0 });

/** Counts one URL's outcome (bytes are counted by the ByteBudget as they arrive). */
export function addToTally(tally: CrawlTally, o: UrlOutcome): void {
  if (o.reason) tally.failed[o.reason] = (tally.failed[o.reason] ?? 0) + 1;
  else if (o.role === 'list') tally.lists++;
  else if (o.outcome === 'new' || o.outcome === 'changed' || o.outcome === 'unchanged') {
    (o.role === 'report' ? tally.reports : tally.attachments)[o.outcome]++;
    if (!o.document) tally.notAuditable++;
  }
}

export const AUDITABLE = new Set(['html', 'pdf', 'docx']);
/** A site asking for more than a minute between requests is skipped, not crawled for days. */
export const MAX_CRAWL_DELAY_MS = 60_000;

export interface ListTask {
  url: string;
  depth: number;
  referrer?: string;
}

export interface ReportTask {
  url: string;
  text: string;
  referrer: string;
  year?: number;
  body?: string;
}

export interface AttachmentTask {
  url: string;
  text: string;
  /** The report page that links it. */
  referrer: string;
  title?: string;
  body?: string;
  year?: number;
}

export interface ListResult {
  outcome: UrlOutcome;
  /** Where the page really is, when it was read as a list (a start URL may redirect). */
  pageUrl?: string;
  /** Further list pages on the page's own origin (depth and duplicates are the caller's). */
  pagination: string[];
  reports: ReportTask[];
}

/** A list page: its pagination on the same origin, and the report links on the same site (or included by the rules). */
export async function crawlList(ctx: StepContext, task: ListTask, spec: StepSpec): Promise<ListResult> {
  await ctx.catalogue.seen(task.url, 'list', task.referrer);
  const { fetched: page, outcome } = await fetchOne(ctx, task.url, 'list', spec.delayMs);
  const none: ListResult = { outcome, pagination: [], reports: [] };
  if (!page) return none;
  // Hanweb's dataproxy.jsp answers are XML records of <li><a> items: read like a list page.
  if (page.kind !== 'html' && !/<(datastore|recordset|record)[\s>]/i.test(page.bytes.subarray(0, 65536).toString('latin1'))) return none;
  const found = discoverLinks(decodeHtml(page.bytes, page.charset).text, page.url, spec.rules);
  // Judged against where the page really is: a start URL that redirects (http → https, a new
  // host) keeps its pagination and reports.
  const origin = new URL(page.url).origin;
  return {
    outcome,
    pageUrl: page.url,
    pagination: found.pagination.filter((next) => new URL(next).origin === origin),
    reports: found.reports
      .filter((link) => sameSite(link.url, page.url) || spec.rules.include?.some((r) => r.test(link.url) || r.test(link.text)))
      .map((link) => ({ url: link.url, text: link.text, referrer: task.url, year: link.year, body: link.body })),
  };
}

/** A report page: catalogued with its guessed body and year; its attachments on the same site. */
export async function crawlReport(ctx: StepContext, r: ReportTask, spec: StepSpec): Promise<{ outcome: UrlOutcome; attachments: AttachmentTask[] }> {
  await ctx.catalogue.seen(r.url, 'report', r.referrer, r.text);
  await ctx.catalogue.describe(r.url, { year: r.year, body: r.body });
  const { fetched: doc, outcome } = await fetchOne(ctx, r.url, 'report', spec.delayMs);
  if (!doc || doc.kind !== 'html') return { outcome, attachments: [] };
  // A report page: its title names the body and year; its attachments are the report too.
  const found = discoverLinks(decodeHtml(doc.bytes, doc.charset).text, doc.url, spec.rules);
  const guess = found.title ? guessYearAndBody(found.title) : {};
  await ctx.catalogue.describe(r.url, { title: found.title, body: guess.body, year: guess.year });
  const attachments = found.attachments
    .filter((a) => sameSite(a.url, doc.url))
    .map((a) => ({ url: a.url, text: a.text, referrer: r.url, title: found.title, body: guess.body ?? r.body, year: guess.year ?? r.year }));
  return { outcome, attachments };
}

/** An attachment of a report page. */
export async function crawlAttachment(ctx: StepContext, a: AttachmentTask, spec: StepSpec): Promise<UrlOutcome> {
  await ctx.catalogue.seen(a.url, 'attachment', a.referrer, a.text);
  await ctx.catalogue.describe(a.url, { title: a.title, body: a.body, year: a.year });
  return (await fetchOne(ctx, a.url, 'attachment', spec.delayMs)).outcome;
}

interface Fetched {
  bytes: Buffer;
  sha256: string;
  kind: string;
  charset?: string;
  url: string;
}

function fetchSettings(o: FetchSettings) {
  // A retry waits at least the politeness delay too.
  return { allowHosts: o.allowHosts, maxBytes: o.maxFileBytes, timeoutMs: o.timeoutMs, retries: o.retries, backoffMs: Math.max(o.backoffMs ?? 1000, o.delayMs), userAgent: o.userAgent };
}

/** One fetch, robots and politeness first; recorded in the catalogue; the bytes (from the blob store on 304). */
async function fetchOne(ctx: StepContext, url: string, role: UrlRole, delayMs?: number): Promise<{ fetched?: Fetched; outcome: UrlOutcome }> {
  const { catalogue, robots, hosts, options: o } = ctx;
  const before = await catalogue.get(url);
  const fail = async (reason: string, status?: number, outcome: FetchOutcome = 'failed') => {
    await catalogue.fetched(ctx.crawlId, url, { outcome, reason, status });
    o.log.log('warn', 'fetch failed', { url, reason, status });
    // What the site published before still stands for this crawl's audit run.
    const document = role !== 'list' && before?.sha256 && AUDITABLE.has(before.kind ?? '') ? { url, sha256: before.sha256, outcome: 'unchanged' as const, charset: charsetOf(before.contentType) } : undefined;
    return { outcome: { url, role, outcome, reason, ...(document ? { document } : {}) } };
  };
  if (await ctx.bytes.over()) return fail('crawl-byte-limit', undefined, 'skipped');
  // robots.txt is fetched in a slot of its host, like any request (not from inside a page's
  // slot: a redirect to another origin of the same host would wait for itself).
  if (!robots.isLoaded(url)) await hosts.run(url, () => robots.allowed(url));
  if (!(await robots.allowed(url))) return fail((await robots.refusal(url)) ?? 'robots', undefined, 'skipped');
  const crawlDelay = (await robots.crawlDelayMs(url)) ?? 0;
  if (crawlDelay > MAX_CRAWL_DELAY_MS) return fail('crawl-delay-too-long', undefined, 'skipped');
  const delay = Math.max(delayMs ?? o.delayMs, crawlDelay);
  const settings = fetchSettings(o);
  // A 304 whose bytes were missing, recorded by a run of this step that stopped short of the
  // unconditional fetch (a worker whose host was busy): that fetch now, without validators.
  const conditional = before?.reason !== 'blob-missing';
  // robots is checked again on every redirect hop.
  const res = await hosts.run(url, () => fetchUrl(url, { ...settings, backoffMs: Math.max(settings.backoffMs, delay), robots, ...(conditional ? { etag: before?.etag, lastModified: before?.lastModified } : {}) }), { delayMs: delay });
  if (!res.ok) return fail(res.reason, res.status);
  if (!res.notModified) return keep(ctx, url, role, res, before);
  const bytes = before?.sha256 ? await ctx.blobs.get(before.sha256) : undefined;
  // A 304 for bytes we no longer hold: fetch them again, unconditionally.
  if (!bytes) {
    await catalogue.fetched(ctx.crawlId, url, { outcome: 'failed', reason: 'blob-missing' });
    const again = await hosts.run(url, () => fetchUrl(url, { ...settings, robots }), { delayMs: delay });
    if (!again.ok || again.notModified) return fail(again.ok ? 'blob-missing' : again.reason, again.status);
    return keep(ctx, url, role, again, before);
  }
  const sha = before!.sha256!;
  const kind = before?.kind ?? sniffKind(bytes, before?.contentType);
  const charset = charsetOf(before?.contentType);
  await catalogue.fetched(ctx.crawlId, url, { outcome: 'unchanged', status: res.status, sha256: sha, etag: res.etag, lastModified: res.lastModified, kind });
  return { fetched: { bytes, sha256: sha, kind, url: res.url, charset }, outcome: outcomeOf(url, role, 'unchanged', sha, kind, charset, bytes.length) };
}

async function keep(ctx: StepContext, url: string, role: UrlRole, res: FetchSuccess, before?: { sha256?: string }): Promise<{ fetched: Fetched; outcome: UrlOutcome }> {
  const sha = await ctx.blobs.put(res.bytes);
  const kind = sniffKind(res.bytes, res.contentType);
  const outcome: FetchOutcome = !before?.sha256 ? 'new' : before.sha256 === sha ? 'unchanged' : 'changed';
  await ctx.bytes.add(res.bytes.length);
  // The charset is kept with the type: a later 304 decodes the stored bytes the same way.
  const contentType = res.contentType && res.charset ? `${res.contentType}; charset=${res.charset}` : res.contentType;
  await ctx.catalogue.fetched(ctx.crawlId, url, { outcome, status: res.status, sha256: sha, bytes: res.bytes.length, etag: res.etag, lastModified: res.lastModified, contentType, kind });
  ctx.options.log.log('info', 'fetched', { url, status: res.status, outcome, kind, bytes: res.bytes.length });
  return { fetched: { bytes: res.bytes, sha256: sha, kind, charset: res.charset, url: res.url ?? url }, outcome: outcomeOf(url, role, outcome, sha, kind, res.charset, res.bytes.length) };
}

function outcomeOf(url: string, role: UrlRole, outcome: FetchOutcome, sha256: string, kind: string, charset: string | undefined, size: number): UrlOutcome {
  const document = role !== 'list' && AUDITABLE.has(kind) ? { url, sha256, outcome, size, ...(charset ? { charset } : {}) } : undefined;
  return { url, role, outcome, kind, ...(document ? { document } : {}) };
}

export function charsetOf(contentType?: string): string | undefined {
  return contentType?.match(/charset=["']?([\w-]+)/i)?.[1];
}
