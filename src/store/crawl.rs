//! Crawl history: one `crawl_runs` row per scrape, one `crawl_log` row per source in it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, now_text, ts_text};

/// What one source did in one crawl run (a `crawl_log` row).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceRunLog {
    /// Source name.
    pub source: String,
    /// `ok`, `empty`, `blocked`, `error`, `suspect`, `interrupted` or `skipped`.
    pub status: String,
    /// When the source started.
    pub started_at: DateTime<Utc>,
    /// Wall time spent on the source.
    pub duration_ms: u64,
    /// Pages fetched (including retries that succeeded).
    pub pages_fetched: u64,
    /// Count of responses per HTTP status code.
    pub http_status: BTreeMap<u16, u64>,
    /// Retried requests.
    pub retries: u64,
    /// URLs skipped because robots.txt disallows them.
    pub robots_denied: u64,
    /// Pages recognised as bot-challenge or block pages.
    pub blocked_pages: u64,
    /// Raw records the source produced.
    pub items_found: u64,
    /// Records that created a new job.
    pub items_new: u64,
    /// Records whose listing changed.
    pub items_updated: u64,
    /// Records seen before, unchanged.
    pub items_unchanged: u64,
    /// Records merged into an existing job by the fuzzy matcher.
    pub items_merged: u64,
    /// Records rejected as invalid.
    pub items_rejected: u64,
    /// Listings expired after this run.
    pub items_expired: u64,
    /// Error text for `error` / `blocked`.
    pub error: Option<String>,
    /// Free-form note (e.g. why a source was skipped).
    pub note: Option<String>,
}

/// One crawl run (a `crawl_runs` row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    /// Run id.
    pub id: i64,
    /// What started it (`cli`, `daemon`, `demo`, …).
    pub trigger: String,
    /// Start time (RFC 3339).
    pub started_at: String,
    /// End time, `None` while running or if the process died.
    pub finished_at: Option<String>,
    /// `running` or the final status given to [`Store::finish_run`].
    pub status: String,
}

impl Store {
    /// Starts a crawl run and returns its id.
    pub fn begin_run(&self, trigger: &str) -> anyhow::Result<i64> {
        self.conn.execute(
            "INSERT INTO crawl_runs (trigger, started_at, status) VALUES (?1, ?2, 'running')",
            params![trigger, now_text()],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records what one source did in run `run_id`.
    pub fn record_source(&self, run_id: i64, log: &SourceRunLog) -> anyhow::Result<()> {
        let http_status = serde_json::to_string(&log.http_status)?;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        self.conn.execute(
            "INSERT INTO crawl_log (run_id, source, status, started_at, duration_ms, pages_fetched,
                http_status, retries, robots_denied, blocked_pages, items_found, items_new,
                items_updated, items_unchanged, items_merged, items_rejected, items_expired,
                error, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19)",
            params![
                run_id,
                log.source,
                log.status,
                ts_text(log.started_at),
                n(log.duration_ms),
                n(log.pages_fetched),
                http_status,
                n(log.retries),
                n(log.robots_denied),
                n(log.blocked_pages),
                n(log.items_found),
                n(log.items_new),
                n(log.items_updated),
                n(log.items_unchanged),
                n(log.items_merged),
                n(log.items_rejected),
                n(log.items_expired),
                log.error,
                log.note,
            ],
        )?;
        Ok(())
    }

    /// Marks run `run_id` finished with `status`.
    pub fn finish_run(&self, run_id: i64, status: &str) -> anyhow::Result<()> {
        let n = self.conn.execute(
            "UPDATE crawl_runs SET finished_at = ?2, status = ?3 WHERE id = ?1",
            params![run_id, now_text(), status],
        )?;
        anyhow::ensure!(n == 1, "crawl run {run_id} does not exist");
        Ok(())
    }

    /// The most recent `limit` runs, newest first.
    pub fn runs(&self, limit: usize) -> anyhow::Result<Vec<RunSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, trigger, started_at, finished_at, status FROM crawl_runs
             ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(RunSummary {
                id: r.get(0)?,
                trigger: r.get(1)?,
                started_at: r.get(2)?,
                finished_at: r.get(3)?,
                status: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The per-source rows of run `run_id`, in the order they were recorded.
    pub fn run_sources(&self, run_id: i64) -> anyhow::Result<Vec<SourceRunLog>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT source, status, started_at, duration_ms, pages_fetched, http_status, retries,
                robots_denied, blocked_pages, items_found, items_new, items_updated,
                items_unchanged, items_merged, items_rejected, items_expired, error, note
             FROM crawl_log WHERE run_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([run_id], row_to_log)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The latest crawl-log row of `source`, if it ever ran.
    pub fn last_source_log(&self, source: &str) -> anyhow::Result<Option<SourceRunLog>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT source, status, started_at, duration_ms, pages_fetched, http_status, retries,
                robots_denied, blocked_pages, items_found, items_new, items_updated,
                items_unchanged, items_merged, items_rejected, items_expired, error, note
             FROM crawl_log WHERE source = ?1 ORDER BY started_at DESC, id DESC LIMIT 1",
        )?;
        Ok(stmt.query_row([source], row_to_log).optional()?)
    }
}

fn row_to_log(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceRunLog> {
    let u = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)?.max(0) as u64) };
    let started: String = r.get(2)?;
    let http: String = r.get(5)?;
    Ok(SourceRunLog {
        source: r.get(0)?,
        status: r.get(1)?,
        started_at: DateTime::parse_from_rfc3339(&started)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default(),
        duration_ms: u(3)?,
        pages_fetched: u(4)?,
        http_status: serde_json::from_str(&http).unwrap_or_default(),
        retries: u(6)?,
        robots_denied: u(7)?,
        blocked_pages: u(8)?,
        items_found: u(9)?,
        items_new: u(10)?,
        items_updated: u(11)?,
        items_unchanged: u(12)?,
        items_merged: u(13)?,
        items_rejected: u(14)?,
        items_expired: u(15)?,
        error: r.get(16)?,
        note: r.get(17)?,
    })
}
