-- 0006_listing_url_key: listings are looked up by an 8-byte hash of their canonical URL instead
-- of a UNIQUE index over the URL text. URLs arrive in random order, so every insert into the
-- text index (about 90 bytes an entry) touched a different page, and each batch rewrote most of
-- that index into the WAL; the hash index is a fifth of its size. `url_key` is
-- store::url_key(url) (xxh3, as a signed 64-bit integer), written by the binary: the writer looks
-- a URL up by (url_key, url) before it inserts, inside its write transaction, so a URL is still
-- stored once. SQLite cannot drop a table constraint, so the table is rebuilt; the binary fills
-- `url_key` for existing rows right after this file (store::migrate).
-- Also dropped: indexes no query needs. `jobs_status` (three values; every status filter
-- scans anyway) and `job_sources_source_run` (expiry reads a source's listings through the
-- (source, external_id) index).
CREATE TABLE job_sources_new (
    id              INTEGER PRIMARY KEY,
    job_id          INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    source          TEXT    NOT NULL,
    url             TEXT    NOT NULL,                -- canonical URL, unique (see url_key)
    url_key         INTEGER NOT NULL DEFAULT 0,      -- store::url_key(url)
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
INSERT INTO job_sources_new (id, job_id, source, url, external_id, raw, first_seen_at,
        last_seen_at, last_seen_run, active, inactive_reason, merge_reason, content_hash)
    SELECT id, job_id, source, url, external_id, raw, first_seen_at, last_seen_at,
        last_seen_run, active, inactive_reason, merge_reason, content_hash
    FROM job_sources ORDER BY id;
DROP TABLE job_sources;
ALTER TABLE job_sources_new RENAME TO job_sources;
CREATE INDEX job_sources_job ON job_sources (job_id, source);
DROP INDEX IF EXISTS jobs_status;
CREATE INDEX job_sources_url ON job_sources (url_key);
