/**
 * The store's tables, one migration per schema version (PRAGMA user_version counts them). Append,
 * never edit: a store made by an older ogi-audit is brought up to date by the ones it has not run.
 */
export const MIGRATIONS: string[] = [
  `
  -- A run of ogi audit: its inputs, the pipeline version it ran, whether it finished.
  CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted')),
    pipeline    TEXT NOT NULL,
    pid         INTEGER,
    host        TEXT,
    inputs      TEXT NOT NULL            -- JSON array of the paths named
  );

  -- A document by content: the same bytes under two names are one source.
  CREATE TABLE sources (
    sha256     TEXT PRIMARY KEY,
    bytes      INTEGER NOT NULL,
    format     TEXT,                     -- pdf | docx | html, null when unreadable
    first_seen TEXT NOT NULL
  );

  -- Where a source was last seen on disk: an unchanged file (size, mtime) is not even read again.
  CREATE TABLE files (
    path     TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    sha256   TEXT NOT NULL REFERENCES sources
  );

  -- What one pipeline version made of one source (findings apart). report is the Report as JSON.
  CREATE TABLE reports (
    sha256     TEXT NOT NULL REFERENCES sources,
    pipeline   TEXT NOT NULL,
    path       TEXT NOT NULL,
    agency     TEXT,
    agency_key TEXT,                     -- agencyKey(agency): one body whatever the spelling
    year       INTEGER,
    template   TEXT,
    error_code TEXT,                     -- the document could not be read (a lasting reason)
    report     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (sha256, pipeline)
  );
  CREATE INDEX reports_body ON reports (pipeline, agency_key, year);

  -- Findings of a report: its own (scope document) and against other years (scope cross-year).
  CREATE TABLE findings (
    sha256         TEXT NOT NULL,
    pipeline       TEXT NOT NULL,
    scope          TEXT NOT NULL CHECK (scope IN ('document', 'cross-year')),
    seq            INTEGER NOT NULL,
    rule           TEXT NOT NULL,
    severity       TEXT NOT NULL,
    message        TEXT NOT NULL,
    related_sha256 TEXT,                 -- the other document of a cross-year finding
    finding        TEXT NOT NULL,        -- the Finding as JSON
    PRIMARY KEY (sha256, pipeline, scope, seq),
    FOREIGN KEY (sha256, pipeline) REFERENCES reports ON DELETE CASCADE
  );
  CREATE INDEX findings_rule ON findings (pipeline, rule);

  -- The documents of a run in input order. report holds the error report of a document that failed
  -- for a passing reason (time, memory, a crashed worker, an unreadable file), kept nowhere else.
  CREATE TABLE run_documents (
    run_id     INTEGER NOT NULL REFERENCES runs,
    seq        INTEGER NOT NULL,
    path       TEXT NOT NULL,
    sha256     TEXT,
    outcome    TEXT NOT NULL CHECK (outcome IN ('audited', 'reused', 'failed')),
    error_code TEXT,
    report     TEXT,
    PRIMARY KEY (run_id, seq)
  );
  `,
  `
  -- Cross-year series look up a run's document by its bytes and a file by its bytes: without these,
  -- each lookup scans the whole run (a 10,000-document re-run spent half a minute there).
  CREATE INDEX run_documents_sha ON run_documents (run_id, sha256);
  CREATE INDEX files_sha ON files (sha256);
  `,
  `
  -- ogi crawl: every URL seen (list pages, report pages, attachments) with its latest fetch, and a
  -- line per fetch of each crawl run. Raw bytes are blobs on disk named by their SHA-256.
  CREATE TABLE crawl_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted')),
    start_urls  TEXT NOT NULL,           -- JSON array
    audit_run   INTEGER REFERENCES runs, -- the audit run of what this crawl found new or changed
    summary     TEXT                     -- JSON, when done
  );
  CREATE TABLE crawl_urls (
    url           TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('list', 'report', 'attachment')),
    referrer      TEXT,                  -- the page that first linked it
    link_text     TEXT,
    first_seen    TEXT NOT NULL,
    fetched_at    TEXT,
    status        INTEGER,               -- HTTP status of the latest fetch
    outcome       TEXT,                  -- new | changed | unchanged | failed | skipped
    reason        TEXT,                  -- why it failed or was skipped
    sha256        TEXT,
    etag          TEXT,
    last_modified TEXT,
    content_type  TEXT,
    kind          TEXT,                  -- sniffed: html, pdf, docx, doc, wps, other
    title         TEXT,
    body          TEXT,                  -- guessed 发布机关
    year          INTEGER                -- guessed year reported on
  );
  CREATE TABLE crawl_fetches (
    crawl_id   INTEGER NOT NULL REFERENCES crawl_runs,
    seq        INTEGER NOT NULL,
    url        TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    status     INTEGER,
    outcome    TEXT NOT NULL,
    reason     TEXT,
    sha256     TEXT,
    bytes      INTEGER,
    PRIMARY KEY (crawl_id, seq)
  );
  `,
];
