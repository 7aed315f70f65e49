//! The daemon loop: ask the [`Scheduler`] what is due, run it, sleep until the next slot,
//! stop cleanly when asked.
//!
//! Batches run one after another, never side by side: every batch takes the database's run
//! lock, and one writer at a time is what SQLite likes. A batch that overruns the next slot
//! simply delays it (coalesced into one run, see [`Scheduler::due`]).

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, TimeZone};

use super::schedule::Scheduler;
use super::shutdown::{Shutdown, StopReason};
use crate::error::Exit;

/// Longest single sleep: the clock is re-read at least this often, so a suspended machine or
/// a clock change cannot make the daemon oversleep a slot by more than this.
pub const MAX_SLEEP: Duration = Duration::from_secs(60);

/// How a daemon loop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonOutcome {
    /// Batches started.
    pub batches: usize,
    /// The worst exit of any batch.
    pub worst: Exit,
    /// Why the loop stopped.
    pub stopped_by: StopReason,
}

/// Runs batches as they come due until `shutdown` is asked for.
///
/// `now` reads the clock (in the time zone the schedules are meant in); `run_batch` runs one
/// batch of sources (it should watch `shutdown` itself to stop mid-batch) and returns its exit
/// code. After a stop request the current batch is awaited, then the loop returns.
pub async fn run_loop<Tz, Now, Run, Fut>(
    scheduler: &mut Scheduler<Tz>,
    now: Now,
    shutdown: &Shutdown,
    mut run_batch: Run,
) -> DaemonOutcome
where
    Tz: TimeZone,
    Now: Fn() -> DateTime<Tz>,
    Run: FnMut(Vec<String>) -> Fut,
    Fut: Future<Output = Exit>,
{
    let mut outcome = DaemonOutcome {
        batches: 0,
        worst: Exit::Success,
        stopped_by: StopReason::Requested,
    };
    loop {
        if let Some(reason) = shutdown.reason() {
            outcome.stopped_by = reason;
            return outcome;
        }
        let t = now();
        let due = scheduler.due(&t);
        for source in &due.skipped_running {
            tracing::warn!(source = %source, "slot skipped: the source is still running");
        }
        if !due.run.is_empty() {
            outcome.batches += 1;
            tracing::info!(sources = ?due.run, batch = outcome.batches, "scheduled batch starting");
            let exit = run_batch(due.run.clone()).await;
            scheduler.finished(&due.run);
            outcome.worst = outcome.worst.worst(exit);
            tracing::info!(exit = exit.code(), "scheduled batch finished");
            continue;
        }
        let Some(next) = scheduler.next_wake() else {
            tracing::warn!("no source has an upcoming slot; the daemon has nothing to do");
            outcome.stopped_by = shutdown.requested().await;
            return outcome;
        };
        let wait = (next.clone() - t)
            .to_std()
            .unwrap_or(Duration::ZERO)
            .min(MAX_SLEEP);
        tracing::debug!(next = %next.naive_local(), wait_s = wait.as_secs(), "sleeping until the next slot");
        tokio::select! {
            reason = shutdown.requested() => {
                outcome.stopped_by = reason;
                return outcome;
            }
            _ = tokio::time::sleep(wait) => {}
        }
    }
}
