/**
 * robots.txt, read once per origin per run and obeyed (RFC 9309), with the same network rules as
 * every other fetch. What an origin's robots.txt could not tell us is decided cautiously: a server
 * error or no answer means "stay away for this run", a missing file means "everything allowed".
 */
import robotsParser from 'robots-parser';
import { fetchUrl, type FetchOptions, type FetchResult } from './http.ts';

/** The product token our group is looked up by in robots.txt (`User-agent: ogi-audit`). */
export const ROBOTS_AGENT = 'ogi-audit';

/** RFC 9309 asks crawlers to read at least 500 KiB; the rest of a longer file is ignored. */
const MAX_ROBOTS_BYTES = 500 * 1024;

/** The parts of robots-parser's Robots used here. */
interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
}
// robots-parser is CommonJS (`module.exports = function`), but its typings declare an ES default
// export, which TypeScript's nodenext resolution then places at `.default`: the cast says what Node loads.
const parseRobots = robotsParser as unknown as (url: string, contents: string) => Robot;

/**
 * Where robots.txt answers are shared beyond this object (Redis, for the workers of one crawl): read
 * before fetching, written after. Only what fetchUrl answered is kept; it is parsed by each reader.
 */
export interface RobotsCache {
  get(robotsUrl: string): Promise<FetchResult | undefined>;
  set(robotsUrl: string, result: FetchResult): Promise<void>;
}

/** What one origin's robots.txt means for this run. */
type Policy =
  | { kind: 'rules'; robot: Robot }
  | { kind: 'allow-all'; why: string }
  | { kind: 'disallow-all'; why: string; refused?: 'refused-address' | 'refused-scheme' };

export class Robots {
  /** Promises, so that concurrent questions about one origin share one fetch. */
  private readonly policies = new Map<string, Promise<Policy>>();

  /**
   * `fetchOptions`: how robots.txt is fetched (allowHosts, timeoutMs, retries, userAgent…), as for
   * pages; the size cap, redirects and validators are set here. `agent`: the product token matched
   * against User-agent lines.
   */
  constructor(
    private readonly fetchOptions: FetchOptions = {},
    private readonly agent: string = ROBOTS_AGENT,
    /** Wraps the fetch of robots.txt: the crawler passes its host scheduler, so that fetch keeps the delay too. */
    private readonly around: <T>(url: string, task: () => Promise<T>) => Promise<T> = (_url, task) => task(),
    /** Answers shared with other readers of the same crawl (none: each origin is fetched here). */
    private readonly cache?: RobotsCache,
  ) {}

  /**
   * Takes the origin's robots.txt from the cache when it is there (nothing is fetched); true when
   * the origin's policy is known here now.
   */
  async prime(url: string): Promise<boolean> {
    if (this.isLoaded(url) || !this.cache || !/^https?:/i.test(url)) return this.isLoaded(url);
    const origin = new URL(url).origin;
    const cached = await this.cache.get(`${origin}/robots.txt`);
    if (cached && !this.policies.has(origin)) this.policies.set(origin, Promise.resolve(policyOf(`${origin}/robots.txt`, cached)));
    return this.isLoaded(url);
  }

  /** Whether robots.txt lets us fetch `url`. Not an http(s) URL: false. */
  async allowed(url: string): Promise<boolean> {
    const policy = await this.policyFor(url);
    if (!policy) return false;
    if (policy.kind !== 'rules') return policy.kind === 'allow-all';
    // isAllowed is undefined only for a URL of another origin, which policyFor rules out.
    return policy.robot.isAllowed(url, this.agent) !== false;
  }

  /** True once robots.txt of the origin of `url` is being or has been fetched (no fetch will start). */
  isLoaded(url: string): boolean {
    try {
      return this.policies.has(new URL(url).origin);
    } catch {
      return true;
    }
  }

  /**
   * Why `url` may not be fetched when the reason is not robots.txt itself: its origin's address or
   * scheme was refused while fetching robots.txt (the page would be refused for the same reason).
   */
  async refusal(url: string): Promise<'refused-address' | 'refused-scheme' | undefined> {
    const policy = await this.policyFor(url);
    return policy?.kind === 'disallow-all' ? policy.refused : undefined;
  }

  /** The Crawl-delay for our group (or `*`) in milliseconds, when robots.txt gives one. */
  async crawlDelayMs(url: string): Promise<number | undefined> {
    const policy = await this.policyFor(url);
    if (policy?.kind !== 'rules') return undefined;
    const seconds = policy.robot.getCrawlDelay(this.agent);
    return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  }

  /** The Sitemap: URLs robots.txt lists (link discovery may start from them). */
  async sitemaps(url: string): Promise<string[]> {
    const policy = await this.policyFor(url);
    return policy?.kind === 'rules' ? policy.robot.getSitemaps() : [];
  }

  /** Why an origin is wholly allowed or disallowed (no rules read), for the crawl log. */
  async explain(url: string): Promise<string | undefined> {
    const policy = await this.policyFor(url);
    return policy && policy.kind !== 'rules' ? `${policy.kind}: ${policy.why}` : undefined;
  }

  private policyFor(url: string): Promise<Policy> | undefined {
    let origin: string;
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
      origin = parsed.origin;
    } catch {
      return undefined;
    }
    let policy = this.policies.get(origin);
    if (!policy) {
      policy = this.load(`${origin}/robots.txt`);
      this.policies.set(origin, policy);
    }
    return policy;
  }

  private async load(robotsUrl: string): Promise<Policy> {
    // Cache failures are not the site's: fetched here then, as without a cache.
    const cached = await this.cache?.get(robotsUrl).catch(() => undefined);
    if (cached) return policyOf(robotsUrl, cached);
    const result = await this.around(robotsUrl, () => fetchUrl(robotsUrl, {
      ...this.fetchOptions,
      maxBytes: MAX_ROBOTS_BYTES,
      truncate: true,
      maxRedirects: 5,
      etag: undefined,
      lastModified: undefined,
      robots: undefined,
    }));
    await this.cache?.set(robotsUrl, result).catch(() => undefined);
    return policyOf(robotsUrl, result);
  }
}

/** RFC 9309 §2.3.1: how the outcome of fetching robots.txt decides what may be crawled. */
function policyOf(robotsUrl: string, result: FetchResult): Policy {
  if (result.ok) {
    const text = result.bytes.toString('utf8').replace(/^\uFEFF/, '');
    // Rules apply to the origin asked about, even when robots.txt was redirected elsewhere.
    return { kind: 'rules', robot: parseRobots(robotsUrl, text) };
  }
  const { reason, status } = result;
  // More than five redirects: the file may be taken as unavailable, i.e. no restrictions.
  if (reason === 'too-many-redirects') return { kind: 'allow-all', why: 'robots.txt redirects too often' };
  if (reason === 'http-4xx' && status !== undefined) {
    // 401 and 403 are "unavailable" for the RFC too, but a site that refuses us its robots.txt
    // is not inviting us in; 429 says the server is overloaded, like a 5xx.
    if (status === 401 || status === 403 || status === 429) return { kind: 'disallow-all', why: `robots.txt answered HTTP ${status}` };
    return { kind: 'allow-all', why: `no robots.txt (HTTP ${status})` };
  }
  // 5xx, timeout, network error, refused address: unreachable, so complete disallow for this run.
  const refused = reason === 'refused-address' || reason === 'refused-scheme' ? reason : undefined;
  return { kind: 'disallow-all', why: `robots.txt unreachable (${reason}: ${result.message})`, ...(refused ? { refused } : {}) };
}
