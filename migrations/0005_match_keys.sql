-- 0005_match_keys: the fuzzy matcher files each canonical job under a few keys (hash of company
-- key + seniority words + title token, see store::blocking) and its country instead of scanning
-- the whole company's block, so a lookup reads a few rows however many jobs a company
-- advertises. `day` is the
-- posting day counted from 0001-01-01 (0 = undated); `info` packs the cheapest vetoes (country,
-- seniority words, rank, employment type, first source) so most rows are ruled out unread.
-- Rows of existing jobs are written by the binary right after this file (store::migrate).
CREATE TABLE match_keys (
    key    INTEGER NOT NULL,
    cc     INTEGER NOT NULL,                 -- country as a number, 0 = unknown
    day    INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    info   INTEGER NOT NULL,
    PRIMARY KEY (key, cc, day, job_id)
) WITHOUT ROWID;
-- The old company-wide blocking index is no longer read; every insert paid for it.
DROP INDEX IF EXISTS jobs_block;
