/**
 * The crawl catalogue on PostgreSQL (tables crawl_runs, crawl_urls, crawl_fetches of
 * pg-migrations.ts), over the pool of a PgStore: the same answers as the SQLite Catalogue
 * (catalogue.ts is the reference), written by many workers at once. A crawl's fetch lines are
 * numbered 1, 2, 3… whoever writes them: the next number is taken under a transaction-scoped
 * advisory lock on the crawl, so two workers never take the same one.
 */
import type pg from 'pg';
import { type CatalogueEntry, catalogueEntry, type CrawlCatalogue, type FetchOutcome, type FetchRecord, type UrlRole } from './catalogue.ts';

type Row = Record<string, unknown>;
const now = (): string => new Date().toISOString();
const opt = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (v as T));

/** The advisory lock class of crawl fetch numbering (the crawl id is the other key). */
const FETCH_SEQ_LOCK = 0x6f676901;

const SQL = {
  begin: "INSERT INTO crawl_runs (started_at, status, start_urls) VALUES ($1, 'running', $2) RETURNING id",
  end: 'UPDATE crawl_runs SET finished_at = $1, status = $2, audit_run = $3, summary = $4 WHERE id = $5',
  interrupt: "UPDATE crawl_runs SET status = 'interrupted', finished_at = coalesce(finished_at, $1) WHERE id = $2 AND status = 'running'",
  get: 'SELECT * FROM crawl_urls WHERE url = $1',
  // As on SQLite: a URL keeps the role it was first seen with unless that was 'list'.
  seen: `INSERT INTO crawl_urls (url, role, referrer, link_text, first_seen) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (url) DO UPDATE SET role = CASE WHEN crawl_urls.role = 'list' THEN excluded.role ELSE crawl_urls.role END,
           link_text = coalesce(crawl_urls.link_text, excluded.link_text)`,
  fetched: `UPDATE crawl_urls SET fetched_at = $1, status = $2, outcome = $3, reason = $4,
              sha256 = coalesce($5, sha256), etag = coalesce($6, etag), last_modified = coalesce($7, last_modified),
              content_type = coalesce($8, content_type), kind = coalesce($9, kind)
            WHERE url = $10`,
  lockSeq: 'SELECT pg_advisory_xact_lock($1::integer, $2::integer)',
  log: `INSERT INTO crawl_fetches (crawl_id, seq, url, fetched_at, status, outcome, reason, sha256, bytes)
        SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM crawl_fetches WHERE crawl_id = $1`,
  describe: 'UPDATE crawl_urls SET title = coalesce($1, title), body = coalesce($2, body), year = coalesce($3, year) WHERE url = $4',
  all: 'SELECT * FROM crawl_urls ORDER BY url',
  fetches: 'SELECT url, status, outcome, reason FROM crawl_fetches WHERE crawl_id = $1 ORDER BY seq',
};


export class PgCatalogue implements CrawlCatalogue {
  readonly #pool: pg.Pool;

  /** Over the pool of a PgStore whose tables are migrated (PgStore.catalogue()); closing it leaves the pool to the store. */
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /**
   * Starts a crawl. Unlike SQLite's, it marks no other crawl interrupted: crawls of other workers and
   * machines share these tables, and only the one that runs a crawl can tell it is gone
   * (`interrupt`).
   */
  async begin(startUrls: string[]): Promise<number> {
    const { rows } = await this.#pool.query(SQL.begin, [now(), JSON.stringify(startUrls)]);
    return Number(rows[0].id);
  }

  async end(crawlId: number, summary: unknown, auditRun?: number): Promise<void> {
    await this.#pool.query(SQL.end, [now(), 'done', auditRun ?? null, JSON.stringify(summary), crawlId]);
  }

  /** A crawl whose runner is known to be gone (its job failed or vanished): marked interrupted if still running. */
  async interrupt(crawlId: number): Promise<void> {
    await this.#pool.query(SQL.interrupt, [now(), crawlId]);
  }

  async get(url: string): Promise<CatalogueEntry | undefined> {
    const row = (await this.#pool.query(SQL.get, [url])).rows[0] as Row | undefined;
    return row && catalogueEntry(row);
  }

  async seen(url: string, role: UrlRole, referrer?: string, linkText?: string): Promise<void> {
    await this.#pool.query(SQL.seen, [url, role, referrer ?? null, linkText || null, now()]);
  }

  /** The latest fetch of a URL, and its line in the crawl (numbered under the crawl's lock); a failure keeps the last good hash and validators. */
  async fetched(crawlId: number, url: string, f: FetchRecord): Promise<void> {
    const at = now();
    const c = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      await c.query(SQL.fetched, [at, f.status ?? null, f.outcome, f.reason ?? null, f.sha256 ?? null, f.etag ?? null, f.lastModified ?? null, f.contentType ?? null, f.kind ?? null, url]);
      // Crawl ids beyond 2^31 wrap onto others' locks: they only wait for each other, never clash.
      await c.query(SQL.lockSeq, [FETCH_SEQ_LOCK, crawlId % 2 ** 31]);
      await c.query(SQL.log, [crawlId, url, at, f.status ?? null, f.outcome, f.reason ?? null, f.sha256 ?? null, f.bytes ?? null]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw e;
    } finally {
      c.release(broken);
    }
  }

  async describe(url: string, d: { title?: string; body?: string; year?: number }): Promise<void> {
    await this.#pool.query(SQL.describe, [d.title ?? null, d.body ?? null, d.year ?? null, url]);
  }

  async entries(): Promise<CatalogueEntry[]> {
    return (await this.#pool.query(SQL.all)).rows.map(catalogueEntry);
  }

  async fetches(crawlId: number): Promise<{ url: string; status?: number; outcome: FetchOutcome; reason?: string }[]> {
    return (await this.#pool.query(SQL.fetches, [crawlId])).rows.map((r: Row) => ({ url: r.url as string, status: opt(r.status), outcome: r.outcome as FetchOutcome, reason: opt(r.reason) }));
  }

  /** The pool is the store's: nothing to close here. */
  async close(): Promise<void> {}
}
