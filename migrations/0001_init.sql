-- 0001_init: canonical jobs, per-source listings, crawl runs and log, rejects, full-text index.
-- Timestamps are RFC 3339 UTC text ("2026-11-21T11:13:27Z"), so they sort and compare as text.
-- Migrations are append-only: change the schema in a new numbered file, never here.

CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    company         TEXT,
    company_key     TEXT,
    location        TEXT,
    country_code    TEXT,
    operation_type  TEXT,
    category        TEXT,
    senior          INTEGER,
    aircraft_types  TEXT    NOT NULL DEFAULT '[]',  -- JSON array of strings
    licences        TEXT    NOT NULL DEFAULT '[]',  -- JSON array of strings
    employment_type TEXT,
    salary_min      REAL,
    salary_max      REAL,
    salary_currency TEXT,
    salary_period   TEXT,
    salary_text     TEXT,
    posted_date     TEXT,                            -- YYYY-MM-DD
    closing_date    TEXT,                            -- YYYY-MM-DD
    description     TEXT,
    department      TEXT,
    apply_url       TEXT,
    status          TEXT    NOT NULL DEFAULT 'active',  -- active | expired | filled
    first_seen_at   TEXT    NOT NULL,
    last_seen_at    TEXT    NOT NULL,
    block_key       TEXT,                            -- dedup blocking key; NULL = never fuzzy-merged
    match_features  TEXT,                            -- JSON of dedup::MatchFeatures
    content_hash    TEXT    NOT NULL
);
CREATE INDEX jobs_block ON jobs (block_key, posted_date);
CREATE INDEX jobs_first_seen ON jobs (first_seen_at);
CREATE INDEX jobs_status ON jobs (status);
CREATE INDEX jobs_country ON jobs (country_code);

CREATE TABLE job_sources (
    id              INTEGER PRIMARY KEY,
    job_id          INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    source          TEXT    NOT NULL,
    url             TEXT    NOT NULL UNIQUE,         -- canonical URL
    external_id     TEXT,
    raw             TEXT    NOT NULL,                -- the raw record as JSON, verbatim
    first_seen_at   TEXT    NOT NULL,
    last_seen_at    TEXT    NOT NULL,
    last_seen_run   INTEGER,                         -- crawl_runs.id of the last run that saw it
    active          INTEGER NOT NULL DEFAULT 1,
    inactive_reason TEXT,
    merge_reason    TEXT,                            -- why the fuzzy matcher merged it, if it did
    content_hash    TEXT    NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX job_sources_job ON job_sources (job_id, source);
CREATE INDEX job_sources_source_run ON job_sources (source, last_seen_run);

CREATE TABLE crawl_runs (
    id          INTEGER PRIMARY KEY,
    trigger     TEXT NOT NULL,                       -- cli | daemon | demo | timer | ingest …
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'running'
);

CREATE TABLE crawl_log (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES crawl_runs (id) ON DELETE CASCADE,
    source          TEXT    NOT NULL,
    status          TEXT    NOT NULL,                -- ok|empty|blocked|error|suspect|interrupted|skipped
    started_at      TEXT    NOT NULL,
    duration_ms     INTEGER NOT NULL DEFAULT 0,
    pages_fetched   INTEGER NOT NULL DEFAULT 0,
    http_status     TEXT    NOT NULL DEFAULT '{}',   -- JSON object: status code -> count
    retries         INTEGER NOT NULL DEFAULT 0,
    robots_denied   INTEGER NOT NULL DEFAULT 0,
    blocked_pages   INTEGER NOT NULL DEFAULT 0,
    items_found     INTEGER NOT NULL DEFAULT 0,
    items_new       INTEGER NOT NULL DEFAULT 0,
    items_updated   INTEGER NOT NULL DEFAULT 0,
    items_unchanged INTEGER NOT NULL DEFAULT 0,
    items_merged    INTEGER NOT NULL DEFAULT 0,
    items_rejected  INTEGER NOT NULL DEFAULT 0,
    items_expired   INTEGER NOT NULL DEFAULT 0,
    error           TEXT,
    note            TEXT
);
CREATE INDEX crawl_log_run ON crawl_log (run_id);
CREATE INDEX crawl_log_source ON crawl_log (source, started_at);

CREATE TABLE rejects (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER REFERENCES crawl_runs (id) ON DELETE SET NULL,
    source     TEXT,
    origin     TEXT    NOT NULL,                     -- "file.jsonl:17" or a page URL
    line       INTEGER,
    reason     TEXT    NOT NULL,
    raw        TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX rejects_run ON rejects (run_id);

-- Full-text index over the canonical jobs, kept in sync by triggers (external content table).
CREATE VIRTUAL TABLE jobs_fts USING fts5 (
    title, company, location, description,
    content = 'jobs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO jobs_fts (rowid, title, company, location, description)
    VALUES (new.id, new.title, new.company, new.location, new.description);
END;
CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description)
    VALUES ('delete', old.id, old.title, old.company, old.location, old.description);
END;
-- Only text changes touch the index: last-seen updates on every crawl must stay cheap.
CREATE TRIGGER jobs_fts_update AFTER UPDATE OF title, company, location, description ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description)
    VALUES ('delete', old.id, old.title, old.company, old.location, old.description);
    INSERT INTO jobs_fts (rowid, title, company, location, description)
    VALUES (new.id, new.title, new.company, new.location, new.description);
END;
