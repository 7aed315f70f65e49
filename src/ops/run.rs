//! Glue between a scrape run and the operations around it: the run lock before, signals
//! during, expiry after each source. The scrape engine calls these; see the report of the
//! operations issue for the exact call sites.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::expire::{ExpirePolicy, Guard, SourceRun, after_source};
use super::history::close_abandoned_runs;
use super::lock::RunLock;
use super::shutdown::Shutdown;
use crate::error::CliError;
use crate::store::Store;

/// Takes the run lock of `db` for `command` (`--wait`: `None` = fail at once with exit 4,
/// `Some(0)` = wait forever, `Some(secs)` = at most that long), then marks runs a killed
/// process left `running` as `abandoned` (no other run can be alive while we hold the lock).
pub fn lock_for_run(db: &Path, command: &str, wait_secs: Option<u64>) -> Result<RunLock, CliError> {
    let lock = RunLock::acquire_for(db, command, wait_secs.map(Duration::from_secs))
        .map_err(|e| e.into_cli())?;
    if db.exists() {
        let store = Store::open(db)?;
        let n = close_abandoned_runs(&store)?;
        if n > 0 {
            tracing::warn!(runs = n, "marked runs of a killed process as abandoned");
        }
    }
    Ok(lock)
}

/// Installs the SIGINT/SIGTERM handlers (inside a tokio runtime) and calls `on_stop` once when
/// the first signal arrives, e.g. to set the engine's cancel flag; `stopping` is the warning
/// logged then (what the command does now).
pub fn cancel_on_signal(
    stopping: &'static str,
    on_stop: impl FnOnce() + Send + 'static,
) -> std::io::Result<Shutdown> {
    let shutdown = Shutdown::install_saying(stopping)?;
    let watch = shutdown.clone();
    tokio::spawn(async move {
        watch.requested().await;
        on_stop();
    });
    Ok(shutdown)
}

/// What expiry changed in a source's crawl-log row.
#[derive(Debug, Clone, PartialEq)]
pub struct LogAdjustment {
    /// The status to record (`suspect` replaces `ok`/`empty` when the guard says so).
    pub status: String,
    /// The guard's reason, to append to the row's note (None when expiry ran normally).
    pub note: Option<String>,
    /// Listings made inactive (`items_expired`).
    pub expired: u64,
}

/// Runs guarded expiry for one source that just finished in run `run_id` and says how its
/// crawl-log row should read. `partial` runs (`--max-pages`, a single `--url`) saw only part
/// of the site, so they run the guard (a suspect run is still suspect) but expire nothing.
pub fn expire_after_source(
    conn: &Connection,
    run: SourceRun<'_>,
    policy: &ExpirePolicy,
    partial: bool,
    today: NaiveDate,
) -> rusqlite::Result<LogAdjustment> {
    let expiry = after_source(conn, run, policy, today, partial)?;
    let listings = if partial {
        0
    } else {
        expiry.listings.len() as u64
    };
    if listings > 0 {
        tracing::info!(
            source = run.source,
            listings,
            jobs = expiry.jobs_expired.len(),
            "expired listings the last runs no longer saw"
        );
    }
    Ok(match expiry.guard {
        Guard::Expire => LogAdjustment {
            status: run.status.to_string(),
            note: None,
            expired: listings,
        },
        Guard::Suspect { reason } => {
            tracing::warn!(source = run.source, found = run.found, %reason, "suspect run");
            LogAdjustment {
                status: "suspect".to_string(),
                note: Some(reason),
                expired: 0,
            }
        }
        Guard::Hold { reason } => LogAdjustment {
            status: run.status.to_string(),
            note: Some(reason),
            expired: 0,
        },
    })
}
