//! Crawl history for `aeroscrap runs`: one line per run, and one run in detail.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension as _, params};
use serde::Serialize;

use crate::store::{RunSummary, SourceRunLog, Store};

/// How many distinct error texts `runs show` lists.
pub const TOP_ERRORS: usize = 5;

/// One run in the `aeroscrap runs` list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunLine {
    /// Run id.
    pub id: i64,
    /// What started it (`cli`, `daemon`, `demo`, …).
    pub trigger: String,
    /// Start time (RFC 3339).
    pub started_at: String,
    /// End time, `None` while running or if the process died.
    pub finished_at: Option<String>,
    /// Wall time in seconds, when finished.
    pub duration_s: Option<i64>,
    /// Final status (`ok`, `partial`, `interrupted`, `running`, `abandoned`, …).
    pub status: String,
    /// Sources in the run.
    pub sources: u64,
    /// Sources per status, e.g. `{"ok": 7, "suspect": 1}`.
    pub source_status: BTreeMap<String, u64>,
    /// Items found over all sources.
    pub items_found: u64,
    /// New jobs.
    pub items_new: u64,
    /// Changed listings.
    pub items_updated: u64,
    /// Listings expired after the run.
    pub items_expired: u64,
    /// Records rejected.
    pub items_rejected: u64,
}

/// One run in detail (`aeroscrap runs show ID`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunDetail {
    /// The run's line.
    #[serde(flatten)]
    pub run: RunLine,
    /// Per-source rows, in the order they were recorded.
    pub per_source: Vec<SourceRunLog>,
    /// HTTP status counts over all sources.
    pub http_status: BTreeMap<u16, u64>,
    /// Retries over all sources.
    pub retries: u64,
    /// The most frequent error texts (first line), with how many sources had them.
    pub top_errors: Vec<(String, u64)>,
}

fn duration_s(started: &str, finished: Option<&str>) -> Option<i64> {
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    Some((parse(finished?)? - parse(started)?).num_seconds())
}

fn line_from(conn: &Connection, run: RunSummary) -> rusqlite::Result<RunLine> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, count(*), sum(items_found), sum(items_new), sum(items_updated),
                sum(items_expired), sum(items_rejected)
         FROM crawl_log WHERE run_id = ?1 GROUP BY status ORDER BY status",
    )?;
    let mut line = RunLine {
        duration_s: duration_s(&run.started_at, run.finished_at.as_deref()),
        id: run.id,
        trigger: run.trigger,
        started_at: run.started_at,
        finished_at: run.finished_at,
        status: run.status,
        sources: 0,
        source_status: BTreeMap::new(),
        items_found: 0,
        items_new: 0,
        items_updated: 0,
        items_expired: 0,
        items_rejected: 0,
    };
    let rows = stmt.query_map([line.id], |r| {
        let n = |i: usize| -> rusqlite::Result<u64> {
            Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0).max(0) as u64)
        };
        Ok((
            r.get::<_, String>(0)?,
            n(1)?,
            [n(2)?, n(3)?, n(4)?, n(5)?, n(6)?],
        ))
    })?;
    for row in rows {
        let (status, count, [found, new, updated, expired, rejected]) = row?;
        line.sources += count;
        line.source_status.insert(status, count);
        line.items_found += found;
        line.items_new += new;
        line.items_updated += updated;
        line.items_expired += expired;
        line.items_rejected += rejected;
    }
    Ok(line)
}

/// The last `last` runs, newest first; only runs that included `source` when given.
pub fn list_runs(store: &Store, source: Option<&str>, last: usize) -> anyhow::Result<Vec<RunLine>> {
    let conn = store.conn();
    let mut stmt = conn.prepare_cached(
        "SELECT id, trigger, started_at, finished_at, status FROM crawl_runs r
         WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM crawl_log l WHERE l.run_id = r.id AND l.source = ?1)
         ORDER BY id DESC LIMIT ?2",
    )?;
    let runs: Vec<RunSummary> = stmt
        .query_map(params![source, last as i64], |r| {
            Ok(RunSummary {
                id: r.get(0)?,
                trigger: r.get(1)?,
                started_at: r.get(2)?,
                finished_at: r.get(3)?,
                status: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(runs
        .into_iter()
        .map(|r| line_from(conn, r))
        .collect::<Result<_, _>>()?)
}

/// One run with its per-source rows, or `None` if there is no run `id`.
pub fn show_run(store: &Store, id: i64) -> anyhow::Result<Option<RunDetail>> {
    let conn = store.conn();
    let run = conn
        .prepare_cached(
            "SELECT id, trigger, started_at, finished_at, status FROM crawl_runs WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(RunSummary {
                id: r.get(0)?,
                trigger: r.get(1)?,
                started_at: r.get(2)?,
                finished_at: r.get(3)?,
                status: r.get(4)?,
            })
        })
        .optional()?;
    let Some(run) = run else { return Ok(None) };
    let line = line_from(conn, run)?;
    let per_source = store.run_sources(id)?;
    let mut http_status = BTreeMap::new();
    let mut retries = 0;
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    for s in &per_source {
        for (code, n) in &s.http_status {
            *http_status.entry(*code).or_insert(0) += n;
        }
        retries += s.retries;
        if let Some(first) = s.error.as_deref().and_then(|e| e.lines().next()) {
            *errors.entry(first.to_string()).or_insert(0) += 1;
        }
    }
    let mut top_errors: Vec<(String, u64)> = errors.into_iter().collect();
    top_errors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top_errors.truncate(TOP_ERRORS);
    Ok(Some(RunDetail {
        run: line,
        per_source,
        http_status,
        retries,
        top_errors,
    }))
}

/// Marks runs still `running` as `abandoned`: call it while holding the run lock, when no
/// other run can be alive, so runs of a killed process do not look as if they still ran.
/// Returns how many were closed.
pub fn close_abandoned_runs(store: &Store) -> anyhow::Result<usize> {
    Ok(store.conn().execute(
        "UPDATE crawl_runs SET status = 'abandoned' WHERE status = 'running'",
        [],
    )?)
}
