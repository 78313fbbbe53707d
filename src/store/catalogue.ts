/**
 * The crawl catalogue in the store: every URL seen with its latest fetch (status, hash, validators,
 * title, guessed body and year, the page that linked it), and a line per fetch of each crawl.
 * It has its own connection to the store's file (WAL lets the audit's connection write alongside).
 */
import Database from 'better-sqlite3';

export type UrlRole = 'list' | 'report' | 'attachment';
export type FetchOutcome = 'new' | 'changed' | 'unchanged' | 'failed' | 'skipped';

export interface CatalogueEntry {
  url: string;
  role: UrlRole;
  referrer?: string;
  linkText?: string;
  fetchedAt?: string;
  status?: number;
  outcome?: FetchOutcome;
  reason?: string;
  sha256?: string;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  kind?: string;
  title?: string;
  body?: string;
  year?: number;
}

export interface FetchRecord {
  status?: number;
  outcome: FetchOutcome;
  reason?: string;
  sha256?: string;
  bytes?: number;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  kind?: string;
}

/** The crawl catalogue, on SQLite (here) or PostgreSQL (pg-catalogue.ts). */
export interface CrawlCatalogue {
  /**
   * Starts a crawl. SQLite: crawls left running (the lock says none is running now) are marked
   * interrupted. PostgreSQL: none is (other workers' crawls run alongside).
   */
  begin(startUrls: string[]): Promise<number>;
  end(crawlId: number, summary: unknown, auditRun?: number): Promise<void>;
  get(url: string): Promise<CatalogueEntry | undefined>;
  seen(url: string, role: UrlRole, referrer?: string, linkText?: string): Promise<void>;
  /** The latest fetch of a URL, and its line in the crawl; a failure keeps the last good hash and validators. */
  fetched(crawlId: number, url: string, f: FetchRecord): Promise<void>;
  describe(url: string, d: { title?: string; body?: string; year?: number }): Promise<void>;
  close(): Promise<void>;
}

type Row = Record<string, unknown>;
const now = (): string => new Date().toISOString();
const opt = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (v as T));

/** A crawl_urls row (either store's) as an entry. */
export function catalogueEntry(r: Record<string, unknown>): CatalogueEntry {
  return {
    url: r.url as string,
    role: r.role as UrlRole,
    referrer: opt(r.referrer),
    linkText: opt(r.link_text),
    fetchedAt: opt(r.fetched_at),
    status: opt(r.status),
    outcome: opt(r.outcome),
    reason: opt(r.reason),
    sha256: opt(r.sha256),
    etag: opt(r.etag),
    lastModified: opt(r.last_modified),
    contentType: opt(r.content_type),
    kind: opt(r.kind),
    title: opt(r.title),
    body: opt(r.body),
    year: opt(r.year),
  };
}

export class Catalogue implements CrawlCatalogue {
  readonly #db: Database.Database;
  readonly #q: Record<string, Database.Statement>;
  #seq = 0;

  /** Opens the catalogue of a store that `Store` has already created and migrated. */
  constructor(path: string) {
    this.#db = new Database(path, { fileMustExist: path !== ':memory:' });
    this.#db.pragma('busy_timeout = 10000');
    const sql = {
      begin: "INSERT INTO crawl_runs (started_at, status, start_urls) VALUES (?, 'running', ?)",
      end: 'UPDATE crawl_runs SET finished_at = ?, status = ?, audit_run = ?, summary = ? WHERE id = ?',
      get: 'SELECT * FROM crawl_urls WHERE url = ?',
      // A URL keeps the role and referrer it was first seen with, unless it is seen as a report
      // after being seen as an attachment (or the reverse): the later, more specific role wins.
      seen: `INSERT INTO crawl_urls (url, role, referrer, link_text, first_seen) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (url) DO UPDATE SET role = CASE WHEN crawl_urls.role = 'list' THEN excluded.role ELSE crawl_urls.role END,
               link_text = coalesce(crawl_urls.link_text, excluded.link_text)`,
      fetched: `UPDATE crawl_urls SET fetched_at = ?, status = ?, outcome = ?, reason = ?,
                  sha256 = coalesce(?, sha256), etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),
                  content_type = coalesce(?, content_type), kind = coalesce(?, kind)
                WHERE url = ?`,
      describe: 'UPDATE crawl_urls SET title = coalesce(?, title), body = coalesce(?, body), year = coalesce(?, year) WHERE url = ?',
      log: `INSERT INTO crawl_fetches (crawl_id, seq, url, fetched_at, status, outcome, reason, sha256, bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      all: 'SELECT * FROM crawl_urls ORDER BY url',
      fetches: 'SELECT url, status, outcome, reason FROM crawl_fetches WHERE crawl_id = ? ORDER BY seq',
      markInterrupted: "UPDATE crawl_runs SET status = 'interrupted' WHERE status = 'running'",
    };
    this.#q = Object.fromEntries(Object.entries(sql).map(([k, v]) => [k, this.#db.prepare(v)]));
  }

  /** Starts a crawl; crawls left running (the lock says none is running now) are marked interrupted. */
  async begin(startUrls: string[]): Promise<number> {
    this.#q.markInterrupted.run();
    this.#seq = 0;
    return Number(this.#q.begin.run(now(), JSON.stringify(startUrls)).lastInsertRowid);
  }

  async end(crawlId: number, summary: unknown, auditRun?: number): Promise<void> {
    this.#q.end.run(now(), 'done', auditRun ?? null, JSON.stringify(summary), crawlId);
  }

  async get(url: string): Promise<CatalogueEntry | undefined> {
    const row = this.#q.get.get(url) as Row | undefined;
    return row && catalogueEntry(row);
  }

  async seen(url: string, role: UrlRole, referrer?: string, linkText?: string): Promise<void> {
    this.#q.seen.run(url, role, referrer ?? null, linkText || null, now());
  }

  /** The latest fetch of a URL, and its line in the crawl; a failure keeps the last good hash and validators. */
  async fetched(crawlId: number, url: string, f: FetchRecord): Promise<void> {
    const at = now();
    this.#db.transaction(() => {
      this.#q.fetched.run(at, f.status ?? null, f.outcome, f.reason ?? null, f.sha256 ?? null, f.etag ?? null, f.lastModified ?? null, f.contentType ?? null, f.kind ?? null, url);
      this.#q.log.run(crawlId, ++this.#seq, url, at, f.status ?? null, f.outcome, f.reason ?? null, f.sha256 ?? null, f.bytes ?? null);
    })();
  }

  async describe(url: string, d: { title?: string; body?: string; year?: number }): Promise<void> {
    this.#q.describe.run(d.title ?? null, d.body ?? null, d.year ?? null, url);
  }

  entries(): CatalogueEntry[] {
    return (this.#q.all.all() as Row[]).map(catalogueEntry);
  }

  fetches(crawlId: number): { url: string; status?: number; outcome: FetchOutcome; reason?: string }[] {
    return (this.#q.fetches.all(crawlId) as Row[]).map((r) => ({ url: r.url as string, status: opt(r.status), outcome: r.outcome as FetchOutcome, reason: opt(r.reason) }));
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
