//! The daemon loop: ask the [`Scheduler`] what is due, run it, sleep until the next slot,
//! stop cleanly when asked.
//!
//! Batches run one after another, never side by side: every batch takes the database's run
//! lock, and one writer at a time is what SQLite likes. A batch that overruns the next slot
//! simply delays it (coalesced into one run, see [`Scheduler::due`]).

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, TimeZone};

use super::schedule::{DEFAULT_SCHEDULE, Schedule, ScheduleError, Scheduler};
use super::shutdown::{Shutdown, StopReason};
use crate::error::Exit;

/// Longest single sleep: the clock is re-read at least this often, so a suspended machine or
/// a clock change cannot make the daemon oversleep a slot by more than this.
pub const MAX_SLEEP: Duration = Duration::from_secs(60);

/// The schedules a daemon runs: the global one and each source's own, all parsed.
#[derive(Debug, Clone)]
pub struct DaemonPlan {
    /// The global schedule (`--schedule`, else the config's `schedule`, else [`DEFAULT_SCHEDULE`]).
    pub global: Schedule,
    /// Each enabled source with its own schedule, if it has one.
    pub sources: Vec<(String, Option<Schedule>)>,
}

/// A schedule that does not parse, with where it came from.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {error}")]
pub struct PlanError {
    /// `--schedule`, `aeroscrap.toml key schedule` or `source "NAME" key schedule`.
    pub origin: String,
    /// The parse error.
    #[source]
    pub error: ScheduleError,
}

/// Parses the global schedule (command line over config file over the default) and the
/// per-source `schedule` keys of `sources` (name, schedule line).
pub fn plan(
    cli_schedule: Option<&str>,
    config_schedule: Option<&str>,
    sources: &[(String, Option<String>)],
) -> Result<DaemonPlan, PlanError> {
    let (origin, line) = match (cli_schedule, config_schedule) {
        (Some(s), _) => ("--schedule", s),
        (None, Some(s)) => ("aeroscrap.toml key schedule", s),
        (None, None) => ("the default schedule", DEFAULT_SCHEDULE),
    };
    let global = Schedule::parse(line).map_err(|error| PlanError {
        origin: origin.to_string(),
        error,
    })?;
    let sources = sources
        .iter()
        .map(|(name, line)| {
            let own = line
                .as_deref()
                .map(Schedule::parse)
                .transpose()
                .map_err(|error| PlanError {
                    origin: format!("source {name:?} key schedule"),
                    error,
                })?;
            Ok((name.clone(), own))
        })
        .collect::<Result<_, PlanError>>()?;
    Ok(DaemonPlan { global, sources })
}

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
