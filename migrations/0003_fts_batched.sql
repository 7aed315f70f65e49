-- 0003_fts_batched: the full-text index is maintained by the writer once per batch instead of
-- by per-row triggers. FTS5 flushes its pending terms at every statement savepoint, so a trigger
-- wrote one tiny index segment per job (slow, and a database several times larger). The writer
-- (store::upsert) now deletes an indexed job's old text before changing it and indexes every
-- new or changed job in one statement at commit. Deleting a job still updates the index.
DROP TRIGGER IF EXISTS jobs_fts_insert;
DROP TRIGGER IF EXISTS jobs_fts_update;
-- Rebuild once so databases written before this migration start from a compact index.
INSERT INTO jobs_fts (jobs_fts) VALUES ('rebuild');
INSERT INTO jobs_fts (jobs_fts) VALUES ('optimize');
