//! Guarded expiry: listings a source no longer shows become inactive, and a job whose listings
//! are all inactive becomes `expired` — but never because a site broke.
//!
//! A source changing its layout looks exactly like a source whose jobs all vanished. So expiry
//! for a source runs only after a crawl of it that finished `ok` and found a plausible number
//! of items: at least [`SUSPECT_FRACTION`] of the median of its last [`SUSPECT_HISTORY`]
//! successful runs. Otherwise the run is marked `suspect` (exit 2) with the reason in the crawl
//! log and nothing is expired. A listing expires when the source's last
//! [`DEFAULT_EXPIRE_AFTER_RUNS`] successful runs all missed it, or when its job's closing date
//! has passed. Seeing a listing again re-activates it and its job (done by the store's upsert).
//! A job marked `filled` stays filled.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension as _, params};
use serde::Serialize;

pub use super::filled::page_says_filled;

/// Successful runs that must miss a listing before it expires.
pub const DEFAULT_EXPIRE_AFTER_RUNS: u32 = 3;
/// A run finding fewer items than this fraction of the recent median is `suspect`.
pub const SUSPECT_FRACTION: f64 = 0.30;
/// How many recent successful runs make the median.
pub const SUSPECT_HISTORY: usize = 5;

/// Expiry settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExpirePolicy {
    /// Successful runs that must miss a listing before it expires.
    pub expire_after_runs: u32,
    /// Fraction of the recent median below which a run is `suspect`.
    pub suspect_fraction: f64,
    /// Recent successful runs making the median.
    pub suspect_history: usize,
}

impl Default for ExpirePolicy {
    fn default() -> Self {
        ExpirePolicy {
            expire_after_runs: DEFAULT_EXPIRE_AFTER_RUNS,
            suspect_fraction: SUSPECT_FRACTION,
            suspect_history: SUSPECT_HISTORY,
        }
    }
}

/// What the guard decided for one source after one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Guard {
    /// The run looks healthy: expire what it missed.
    Expire,
    /// The run found implausibly few items: mark it `suspect`, expire nothing.
    Suspect {
        /// Why, for the crawl log.
        reason: String,
    },
    /// The run did not finish `ok` (error, blocked, empty without history, interrupted…).
    Hold {
        /// Why, for the crawl log.
        reason: String,
    },
}

/// The median of a list of counts (`None` when empty).
pub fn median(counts: &[u64]) -> Option<f64> {
    if counts.is_empty() {
        return None;
    }
    let mut v = counts.to_vec();
    v.sort_unstable();
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid] as f64
    } else {
        (v[mid - 1] as f64 + v[mid] as f64) / 2.0
    })
}

/// Decides whether a run of a source may expire listings: `status` is the run's status as
/// the engine set it, `found` the items it found, `recent_ok` the items found by the source's
/// previous successful runs, newest first (only the first `suspect_history` count).
pub fn guard(policy: &ExpirePolicy, status: &str, found: u64, recent_ok: &[u64]) -> Guard {
    if status != "ok" && status != "empty" {
        return Guard::Hold {
            reason: format!("run finished {status}: nothing expired"),
        };
    }
    let recent = &recent_ok[..recent_ok.len().min(policy.suspect_history)];
    if let Some(m) = median(recent).filter(|m| *m > 0.0)
        && (found as f64) < policy.suspect_fraction * m
    {
        return Guard::Suspect {
            reason: format!(
                "found {found} items, fewer than {:.0}% of the median {m} of its last {} successful runs: \
                 the site may have changed; nothing expired",
                policy.suspect_fraction * 100.0,
                recent.len()
            ),
        };
    }
    if status == "empty" {
        return Guard::Hold {
            reason: "run found no items: nothing expired".to_string(),
        };
    }
    Guard::Expire
}

/// One listing made inactive (or that would be, in a dry run).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListingChange {
    /// `job_sources.id`.
    pub listing_id: i64,
    /// The canonical job it belongs to.
    pub job_id: i64,
    /// Listing URL.
    pub url: String,
    /// Job title.
    pub title: String,
    /// `unseen` (missed by the last N successful runs) or `closed` (closing date passed).
    pub reason: String,
}

/// What expiry did (or would do) for one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceExpiry {
    /// Source name.
    pub source: String,
    /// The guard's decision.
    pub guard: Guard,
    /// Listings made inactive.
    pub listings: Vec<ListingChange>,
    /// Jobs that became `expired` because all their listings are inactive.
    pub jobs_expired: Vec<i64>,
}

/// Items found by `source`'s successful runs before run `exclude_run`, newest first.
pub fn recent_ok_counts(
    conn: &Connection,
    source: &str,
    exclude_run: Option<i64>,
    limit: usize,
) -> rusqlite::Result<Vec<u64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT items_found FROM crawl_log
         WHERE source = ?1 AND status = 'ok' AND run_id IS NOT ?2
         ORDER BY run_id DESC, id DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![source, exclude_run, limit as i64], |r| {
        r.get::<_, i64>(0)
    })?;
    rows.map(|r| r.map(|n| n.max(0) as u64)).collect()
}

/// The oldest of `source`'s last `n` successful runs, counting `current_run` (assumed ok)
/// first; `None` when the source has fewer than `n` successful runs, so nothing can have been
/// missed `n` times yet.
fn nth_ok_run(
    conn: &Connection,
    source: &str,
    current_run: Option<i64>,
    n: u32,
) -> rusqlite::Result<Option<i64>> {
    let mut runs: Vec<i64> = current_run.into_iter().collect();
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT run_id FROM crawl_log
         WHERE source = ?1 AND status = 'ok' AND run_id IS NOT ?2
         ORDER BY run_id DESC LIMIT ?3",
    )?;
    let older = stmt.query_map(params![source, current_run, i64::from(n)], |r| r.get(0))?;
    for run in older {
        runs.push(run?);
    }
    runs.sort_unstable_by(|a, b| b.cmp(a));
    Ok(runs.get(n as usize - 1).copied())
}

/// Makes `source`'s listings inactive that the last `n` successful runs missed or whose job's
/// closing date is before `today`, then expires jobs left with no active listing. Runs inside
/// the caller's transaction.
fn expire_source_listings(
    conn: &Connection,
    source: &str,
    current_run: Option<i64>,
    policy: &ExpirePolicy,
    today: NaiveDate,
    unseen_too: bool,
) -> rusqlite::Result<(Vec<ListingChange>, Vec<i64>)> {
    let threshold = if unseen_too && policy.expire_after_runs > 0 {
        nth_ok_run(conn, source, current_run, policy.expire_after_runs)?
    } else {
        None
    };
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.job_id, l.url, j.title,
                CASE WHEN j.closing_date IS NOT NULL AND j.closing_date < ?3 THEN 'closed'
                     ELSE 'unseen' END
         FROM job_sources l JOIN jobs j ON j.id = l.job_id
         WHERE l.source = ?1 AND l.active = 1
           AND ((?2 IS NOT NULL AND coalesce(l.last_seen_run, 0) < ?2)
                OR (j.closing_date IS NOT NULL AND j.closing_date < ?3))
         ORDER BY l.id",
    )?;
    let changes: Vec<ListingChange> = stmt
        .query_map(params![source, threshold, today.to_string()], |r| {
            Ok(ListingChange {
                listing_id: r.get(0)?,
                job_id: r.get(1)?,
                url: r.get(2)?,
                title: r.get(3)?,
                reason: r.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut deactivate = conn
        .prepare_cached("UPDATE job_sources SET active = 0, inactive_reason = ?2 WHERE id = ?1")?;
    let mut jobs: Vec<i64> = Vec::new();
    for c in &changes {
        deactivate.execute(params![c.listing_id, c.reason])?;
        jobs.push(c.job_id);
    }
    jobs.sort_unstable();
    jobs.dedup();
    let mut expire_job = conn.prepare_cached(
        "UPDATE jobs SET status = 'expired'
         WHERE id = ?1 AND status = 'active'
           AND NOT EXISTS (SELECT 1 FROM job_sources WHERE job_id = ?1 AND active = 1)",
    )?;
    let mut expired = Vec::new();
    for job in jobs {
        if expire_job.execute([job])? == 1 {
            expired.push(job);
        }
    }
    Ok((changes, expired))
}

/// How one source finished in one crawl run: the input of [`after_source`].
#[derive(Debug, Clone, Copy)]
pub struct SourceRun<'a> {
    /// The crawl run.
    pub run_id: i64,
    /// Source name.
    pub source: &'a str,
    /// Status the engine gave the source (`ok`, `empty`, `error`, `blocked`, …).
    pub status: &'a str,
    /// Items the source found in this run.
    pub found: u64,
}

/// Runs the guard and, when it allows, expiry for a source right after it finished a run.
/// Call it before the source's crawl-log row is written: the returned
/// [`SourceExpiry::guard`] says whether to change the row's status to `suspect` (with the
/// reason as note), and `listings.len()` is its `items_expired`. A `dry_run` computes the
/// same changes and rolls them back.
pub fn after_source(
    conn: &Connection,
    run: SourceRun<'_>,
    policy: &ExpirePolicy,
    today: NaiveDate,
    dry_run: bool,
) -> rusqlite::Result<SourceExpiry> {
    let recent = recent_ok_counts(conn, run.source, Some(run.run_id), policy.suspect_history)?;
    let decision = guard(policy, run.status, run.found, &recent);
    let mut result = SourceExpiry {
        source: run.source.to_string(),
        guard: decision,
        listings: Vec::new(),
        jobs_expired: Vec::new(),
    };
    if result.guard != Guard::Expire {
        return Ok(result);
    }
    let (listings, jobs) = in_savepoint(conn, dry_run, |c| {
        expire_source_listings(c, run.source, Some(run.run_id), policy, today, true)
    })?;
    result.listings = listings;
    result.jobs_expired = jobs;
    Ok(result)
}

/// `aeroscrap expire`: for every source with listings, re-applies expiry as of now. A source
/// whose latest crawl was not `ok` is held (its reason shown); a source that was never crawled
/// (only ingested from files) expires only by closing date.
pub fn expire_all(
    conn: &Connection,
    policy: &ExpirePolicy,
    today: NaiveDate,
    dry_run: bool,
) -> rusqlite::Result<Vec<SourceExpiry>> {
    expire_all_with(conn, |_| *policy, today, dry_run)
}

/// [`expire_all`] with a policy per source (e.g. each source file's `expire_after_runs`).
pub fn expire_all_with(
    conn: &Connection,
    policy_for: impl Fn(&str) -> ExpirePolicy,
    today: NaiveDate,
    dry_run: bool,
) -> rusqlite::Result<Vec<SourceExpiry>> {
    let sources: Vec<String> = conn
        .prepare("SELECT DISTINCT source FROM job_sources WHERE active = 1 ORDER BY source")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    in_savepoint(conn, dry_run, |c| {
        let mut out = Vec::new();
        for source in sources {
            let latest: Option<(String, Option<String>)> = c
                .prepare_cached(
                    "SELECT status, note FROM crawl_log WHERE source = ?1
                     ORDER BY run_id DESC, id DESC LIMIT 1",
                )?
                .query_row([&source], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (guard, unseen_too) = match latest {
                None => (Guard::Expire, false),
                Some((s, _)) if s == "ok" => (Guard::Expire, true),
                Some((s, note)) if s == "suspect" => (
                    Guard::Suspect {
                        reason: note.unwrap_or_else(|| "latest run was suspect".into()),
                    },
                    false,
                ),
                Some((s, _)) => (
                    Guard::Hold {
                        reason: format!("latest run finished {s}: nothing expired"),
                    },
                    false,
                ),
            };
            let (listings, jobs_expired) = if guard == Guard::Expire {
                expire_source_listings(c, &source, None, &policy_for(&source), today, unseen_too)?
            } else {
                (Vec::new(), Vec::new())
            };
            out.push(SourceExpiry {
                source,
                guard,
                listings,
                jobs_expired,
            });
        }
        Ok(out)
    })
}

/// Marks the listing at canonical `url` inactive (`filled`) and its job `filled`; returns the
/// job id, or `None` when no listing has that URL.
pub fn mark_filled(conn: &Connection, url: &str) -> rusqlite::Result<Option<i64>> {
    let key = crate::store::url_key(url);
    let job: Option<i64> = conn
        .prepare_cached("SELECT job_id FROM job_sources WHERE url_key = ?1 AND url = ?2")?
        .query_row(rusqlite::params![key, url], |r| r.get(0))
        .optional()?;
    if let Some(job) = job {
        conn.prepare_cached(
            "UPDATE job_sources SET active = 0, inactive_reason = 'filled'
             WHERE url_key = ?1 AND url = ?2",
        )?
        .execute(rusqlite::params![key, url])?;
        conn.prepare_cached("UPDATE jobs SET status = 'filled' WHERE id = ?1")?
            .execute([job])?;
    }
    Ok(job)
}

/// Runs `f` inside a savepoint, released on success, rolled back on error or when `dry_run`.
fn in_savepoint<T>(
    conn: &Connection,
    dry_run: bool,
    f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.execute_batch("SAVEPOINT aeroscrap_expire")?;
    let result = f(conn);
    if dry_run || result.is_err() {
        conn.execute_batch("ROLLBACK TO aeroscrap_expire; RELEASE aeroscrap_expire")?;
    } else {
        conn.execute_batch("RELEASE aeroscrap_expire")?;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7.0));
        assert_eq!(median(&[100, 10, 50]), Some(50.0));
        assert_eq!(median(&[10, 40, 20, 30]), Some(25.0));
    }

    #[test]
    fn guard_table() {
        let p = ExpirePolicy::default();
        // (status, found, recent ok counts newest first) → decision kind
        let table: [(&str, u64, &[u64], &str); 10] = [
            ("ok", 100, &[100, 100, 100], "expire"),
            ("ok", 30, &[100, 100, 100], "expire"), // exactly 30 %: plausible
            ("ok", 29, &[100, 100, 100], "suspect"),
            ("ok", 5, &[], "expire"), // first run: no history to compare
            ("ok", 29, &[100, 100, 100, 100, 100, 0, 0], "suspect"), // only the last 5 count
            ("ok", 10, &[0, 0, 0, 40, 40], "expire"), // median 0 → no threshold
            ("empty", 0, &[80, 90, 100], "suspect"),
            ("empty", 0, &[], "hold"),
            ("error", 100, &[100], "hold"),
            ("blocked", 100, &[100], "hold"),
        ];
        for (status, found, recent, want) in table {
            let got = match guard(&p, status, found, recent) {
                Guard::Expire => "expire",
                Guard::Suspect { .. } => "suspect",
                Guard::Hold { .. } => "hold",
            };
            assert_eq!(got, want, "{status} {found} {recent:?}");
        }
    }

    #[test]
    fn suspect_reason_names_the_count_and_the_median() {
        let Guard::Suspect { reason } = guard(&ExpirePolicy::default(), "ok", 3, &[40, 50, 60])
        else {
            panic!("expected suspect");
        };
        assert!(reason.contains("found 3 items"), "{reason}");
        assert!(reason.contains("median 50"), "{reason}");
        assert!(reason.contains("last 3 successful runs"), "{reason}");
        assert!(reason.contains("nothing expired"), "{reason}");
    }
}
