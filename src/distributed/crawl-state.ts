/**
 * What the workers of a distributed crawl share in Redis, beside BullMQ's own keys:
 *
 * - per host (all crawls): who holds its one connection, when its last request started or ended,
 *   its robots.txt Crawl-delay, and how far ahead start slots are booked. `reserve` is one Lua
 *   script, so two workers never both get the host; a worker that is refused is told how long to
 *   wait and puts its job back as delayed (no worker sleeps holding a job). Times are Redis's
 *   clock (TIME), one clock for every machine.
 * - per crawl: the outcome of each URL (the tally and the documents to audit are read from them at
 *   the end, so a job run twice counts once), the bytes fetched (the --max-bytes cap), the list
 *   pages taken per start (--max-pages), the URLs already claimed by a job, and robots.txt as
 *   fetched once for the whole crawl.
 * - per crawl key (its start URLs): the job of the crawl now running, so crawls of the same
 *   starts never overlap (a schedule firing while the last crawl still runs is skipped).
 */
import type { Redis } from 'ioredis';
import type { FetchResult } from '../crawl/http.ts';
import type { RobotsCache } from '../crawl/robots.ts';
import { addToTally, type CrawledDocument, type CrawlTally, emptyTally, type Politeness, type UrlOutcome } from '../crawl/steps.ts';
import { HostScheduler } from '../crawl/hosts.ts';

/** A host is not free yet: the job is to be tried again in `waitMs`. */
export class HostBusy extends Error {
  constructor(readonly host: string, readonly waitMs: number) {
    super(`${host} is busy for ${waitMs} ms`);
  }
}

const NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";
const DAY = 86_400_000;

/** KEYS[1] host; ARGV token, gap ms, lease ms. Returns 0 (the host is yours) or ms to wait. */
const RESERVE = `${NOW}
local h = redis.call('HMGET', KEYS[1], 'holder', 'until', 'last', 'booked', 'avg', 'cd')
local gap = tonumber(ARGV[2])
local cd = tonumber(h[6]) or 0
if cd > gap then gap = cd end
local last = tonumber(h[3]) or 0
local avg = tonumber(h[5]) or 0
local busy = h[1] and (tonumber(h[2]) or 0) > now
redis.call('PEXPIRE', KEYS[1], ${DAY})
if not busy and now >= last + gap then
  redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'until', now + tonumber(ARGV[3]), 'last', now)
  return 0
end
local slot = last + gap
if busy then slot = math.max(now + math.max(gap, 50), last + avg + gap) end
local booked = tonumber(h[4]) or 0
if booked > now and booked + gap + avg > slot then slot = booked + gap + avg end
redis.call('HSET', KEYS[1], 'booked', slot)
return math.max(1, slot - now)`;

/** KEYS[1] host; ARGV token, lease ms. */
const EXTEND = `${NOW}
if redis.call('HGET', KEYS[1], 'holder') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'until', now + tonumber(ARGV[2]))
return 1`;

/** KEYS[1] host; ARGV token. The gap now runs from the end of the request. */
const RELEASE = `${NOW}
local h = redis.call('HMGET', KEYS[1], 'holder', 'last', 'avg')
if h[1] ~= ARGV[1] then return 0 end
local took = now - (tonumber(h[2]) or now)
local avg = tonumber(h[3])
if avg then avg = math.floor(avg * 0.7 + took * 0.3) else avg = took end
redis.call('HSET', KEYS[1], 'last', now, 'avg', avg)
redis.call('HDEL', KEYS[1], 'holder', 'until')
return 1`;

/** KEYS[1] pages hash; ARGV field of this URL, counter field. The URL's rank among the start's list pages (the same on a second run). */
const PAGE_RANK = `local r = redis.call('HGET', KEYS[1], ARGV[1])
if r then return tonumber(r) end
r = redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
redis.call('HSET', KEYS[1], ARGV[1], r)
redis.call('PEXPIRE', KEYS[1], ${7 * DAY})
return r`;

/** KEYS[1] lock; ARGV expected holder, new holder. */
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0`;
/** KEYS[1] lock; ARGV holder. */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const SCRIPTS = { ogiReserve: RESERVE, ogiExtend: EXTEND, ogiRelease: RELEASE, ogiPageRank: PAGE_RANK, ogiTakeOver: TAKE_OVER, ogiUnlock: UNLOCK };
type Scripted = Redis & Record<keyof typeof SCRIPTS, (key: string, ...args: (string | number)[]) => Promise<number>>;

/** Crawl state older than this is dropped by Redis (a crawl that never finished). */
const STATE_TTL_MS = 7 * DAY;

export class CrawlState {
  readonly #redis: Scripted;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    for (const [name, lua] of Object.entries(SCRIPTS)) if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    this.#redis = redis as Scripted;
    this.#prefix = prefix;
  }

  #key(crawlId: number, what: string): string {
    return `${this.#prefix}:ogi-crawl:${crawlId}:${what}`;
  }

  /** Politeness across workers for one crawl's requests (`delayMs`: its configured delay). */
  politeness(delayMs: number, leaseMs = 30_000): RedisPoliteness {
    return new RedisPoliteness(this.#redis, this.#prefix, delayMs, leaseMs);
  }

  robotsCache(crawlId: number): RobotsCache {
    const key = this.#key(crawlId, 'robots');
    return {
      get: async (robotsUrl) => {
        const text = await this.#redis.hget(key, robotsUrl);
        if (!text) return undefined;
        const r = JSON.parse(text) as FetchResult & { bytes?: string };
        return r.ok ? { ...r, bytes: Buffer.from(r.bytes as unknown as string, 'base64') } : r;
      },
      set: async (robotsUrl, result) => {
        const stored = result.ok ? { ...result, bytes: result.bytes.toString('base64') } : result;
        await this.#redis.multi().hsetnx(key, robotsUrl, JSON.stringify(stored)).pexpire(key, STATE_TTL_MS).exec();
      },
    };
  }

  /** Of these URLs, those no job of the crawl has claimed yet; they are claimed by `claim` once their jobs are added. */
  async unclaimed(crawlId: number, urls: string[]): Promise<string[]> {
    const distinct = [...new Set(urls)];
    if (!distinct.length) return [];
    // One SISMEMBER each in a pipeline (SMISMEMBER would need Redis 6.2).
    const key = this.#key(crawlId, 'claimed');
    const seen = (await distinct.reduce((p, url) => p.sismember(key, url), this.#redis.pipeline()).exec()) ?? [];
    return distinct.filter((_, i) => {
      const [error, member] = seen[i] ?? [new Error('no answer')];
      if (error) throw error;
      return member === 0;
    });
  }

  async claim(crawlId: number, urls: string[]): Promise<void> {
    if (!urls.length) return;
    const key = this.#key(crawlId, 'claimed');
    await this.#redis.multi().sadd(key, ...urls).pexpire(key, STATE_TTL_MS).exec();
  }

  /** The rank of a list page among those of its start (1 for the first taken), the same each time it is asked. */
  async pageRank(crawlId: number, start: number, url: string): Promise<number> {
    return Number(await this.#redis.ogiPageRank(this.#key(crawlId, 'pages'), `${start} ${url}`, `#${start}`));
  }

  async record(crawlId: number, o: UrlOutcome): Promise<void> {
    const key = this.#key(crawlId, 'outcomes');
    await this.#redis.multi().hset(key, o.url, JSON.stringify(o)).pexpire(key, STATE_TTL_MS).exec();
  }

  async bytesOver(crawlId: number, max: number): Promise<boolean> {
    return Number((await this.#redis.get(this.#key(crawlId, 'bytes'))) ?? 0) >= max;
  }

  async addBytes(crawlId: number, n: number): Promise<void> {
    const key = this.#key(crawlId, 'bytes');
    await this.#redis.multi().incrby(key, n).pexpire(key, STATE_TTL_MS).exec();
  }

  async urlsDone(crawlId: number): Promise<number> {
    return this.#redis.hlen(this.#key(crawlId, 'outcomes'));
  }

  /** Every URL's outcome, a page at a time. */
  async *outcomes(crawlId: number): AsyncGenerator<UrlOutcome> {
    const key = this.#key(crawlId, 'outcomes');
    // HSCAN may return a field twice; each URL counts once.
    const seen = new Set<string>();
    for (let cursor = '0', first = true; first || cursor !== '0'; first = false) {
      const [next, flat] = await this.#redis.hscan(key, cursor, 'COUNT', 500);
      cursor = next;
      for (let i = 0; i < flat.length; i += 2) {
        if (seen.has(flat[i])) continue;
        seen.add(flat[i]);
        yield JSON.parse(flat[i + 1]) as UrlOutcome;
      }
    }
  }

  /** The tally and the documents to audit (ordered by URL: the audit run's order). */
  async results(crawlId: number): Promise<{ tally: CrawlTally; documents: CrawledDocument[] }> {
    const tally = emptyTally();
    const documents: CrawledDocument[] = [];
    for await (const o of this.outcomes(crawlId)) {
      addToTally(tally, o);
      if (o.document) documents.push(o.document);
    }
    tally.bytes = Number((await this.#redis.get(this.#key(crawlId, 'bytes'))) ?? 0);
    documents.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
    return { tally, documents };
  }

  async drop(crawlId: number): Promise<void> {
    await this.#redis.del(...['robots', 'claimed', 'pages', 'outcomes', 'bytes'].map((w) => this.#key(crawlId, w)));
  }

  /**
   * Takes the lock of a crawl key for `holder` (a job id): true, or the job that holds it. A holder
   * that `isGone` (its job finished, failed or vanished without releasing) is replaced.
   */
  async lock(key: string, holder: string, isGone: (holder: string) => Promise<boolean>): Promise<true | string> {
    const k = `${this.#prefix}:ogi-crawl-lock:${key}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.#redis.set(k, holder, 'NX')) return true;
      const current = await this.#redis.get(k);
      if (current === null) continue;
      if (current === holder) return true;
      if (!(await isGone(current))) return current;
      if (await this.#redis.ogiTakeOver(k, current, holder)) return true;
    }
    return (await this.#redis.get(k)) ?? 'unknown';
  }

  async unlock(key: string, holder: string): Promise<void> {
    await this.#redis.ogiUnlock(`${this.#prefix}:ogi-crawl-lock:${key}`, holder);
  }
}

let tokens = 0;

/**
 * One connection per host across every worker, and at least the delay (the configured one, or the
 * host's Crawl-delay when longer) from the end of one request to the start of the next. A host that
 * is not free throws HostBusy instead of waiting; its lease is renewed while the request runs, and
 * lapses (30 s) if the worker dies.
 */
export class RedisPoliteness implements Politeness {
  constructor(
    private readonly redis: Scripted,
    private readonly prefix: string,
    private readonly delayMs: number,
    private readonly leaseMs: number,
  ) {}

  #key(url: string): string {
    return `${this.prefix}:ogi-host:${HostScheduler.hostOf(url)}`;
  }

  async run<T>(url: string, task: () => Promise<T>, options: { delayMs?: number } = {}): Promise<T> {
    const key = this.#key(url);
    const token = `${process.pid}-${++tokens}-${Math.random().toString(36).slice(2)}`;
    const gap = Math.max(0, options.delayMs ?? this.delayMs);
    const wait = Number(await this.redis.ogiReserve(key, token, gap, this.leaseMs));
    if (wait > 0) throw new HostBusy(HostScheduler.hostOf(url), wait);
    const renew = setInterval(() => void this.redis.ogiExtend(key, token, this.leaseMs).catch(() => undefined), Math.max(1000, this.leaseMs / 3));
    try {
      return await task();
    } finally {
      clearInterval(renew);
      await this.redis.ogiRelease(key, token).catch(() => undefined);
    }
  }

  /** The host's robots.txt Crawl-delay, for every crawl's next reservation (its own robots.txt fetch included). */
  async setCrawlDelay(url: string, ms: number): Promise<void> {
    const key = this.#key(url);
    await this.redis.multi().hset(key, 'cd', ms).pexpire(key, DAY).exec();
  }
}
