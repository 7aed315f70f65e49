-- 0005_match_keys: the fuzzy matcher's candidate index. Each canonical job is filed under a few
-- keys, hash(company key, seniority words, title token) for its rarest-looking title tokens (see
-- store::blocking), with its posting day (days from 0001-01-01, 0 = undated) and country (a
-- number, 0 = unknown), so a new listing reads a few neighbouring rows however many jobs a
-- company advertises, instead of scanning the company's whole block. `info` packs the cheapest
-- remaining vetoes (rank, employment type, first source) so most rows are ruled out unread.
-- Rows of existing jobs are written by the binary right after this file (store::migrate).
CREATE TABLE match_keys (
    bucket INTEGER NOT NULL,                 -- day / 16: recent postings insert near each other
    key    INTEGER NOT NULL,
    cc     INTEGER NOT NULL,                 -- country as a number, 0 = unknown
    day    INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    info   INTEGER NOT NULL,
    PRIMARY KEY (bucket, key, day, cc, job_id)
) WITHOUT ROWID;
-- The old company-wide blocking index is no longer read; every insert paid for it.
DROP INDEX IF EXISTS jobs_block;
