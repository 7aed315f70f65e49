-- 0004_candidate_lookup: the fuzzy matcher's candidate lookup reads one index range and nothing
-- else. Each job row carries the sources listing it (`source_set`, "\x1fa\x1fb\x1f"; the
-- same-source rule) and the signature of its cheap vetoes (`match_sig`,
-- dedup::MatchFeatures::veto_signature), and the blocking index covers both, so candidates are
-- filtered without a query per candidate. Full match features are read only for the few
-- candidates actually compared. An empty `match_sig` (jobs stored before this) filters nothing.
ALTER TABLE jobs ADD COLUMN source_set TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN match_sig TEXT NOT NULL DEFAULT '';
UPDATE jobs SET source_set = coalesce(
    (SELECT char(31) || group_concat(source, char(31)) || char(31)
     FROM job_sources WHERE job_id = jobs.id), '');
DROP INDEX IF EXISTS jobs_block;
CREATE INDEX jobs_block ON jobs (block_key, posted_date, source_set, match_sig);
