//! `aeroscrap daemon`: foreground cron scheduler.
//!
//! For hosts where a long-running service suits better than a systemd timer or cron line. It
//! reads the global `schedule` (`--schedule` over `aeroscrap.toml` over daily 05:30) and each
//! source's own `schedule`, then runs due sources as one scrape batch at a time, each batch
//! taking the database's run lock like a manual `scrape` would (waiting for a manual run to
//! finish). SIGTERM or Ctrl-C stops fetching, writes what was fetched, marks the run
//! `interrupted` and exits: 0 on SIGTERM (a normal `systemctl stop`), 130 on Ctrl-C. Source
//! configs are re-read for every batch, so a fixed selector applies without a restart;
//! schedules are read once at start.

use chrono::Local;
use clap::Args;

use super::GlobalArgs;
use crate::error::{CliError, CmdResult, Exit};
use crate::fetch::Fetcher;
use crate::ops::daemon::{plan, run_loop};
use crate::ops::history::close_abandoned_runs;
use crate::ops::lock::RunLock;
use crate::ops::schedule::Scheduler;
use crate::ops::shutdown::{Shutdown, StopReason};
use crate::scrape::{self, ScrapeOptions};
use crate::sources::Cancel;
use crate::store::Store;

/// Arguments of `aeroscrap daemon`.
#[derive(Debug, Args)]
pub struct DaemonArgs {
    /// Global schedule (5-field crontab), overriding the config file's.
    #[arg(long)]
    pub schedule: Option<String>,
    /// Run every enabled source once at start, then follow the schedule.
    #[arg(long)]
    pub run_now: bool,
}

/// Runs `aeroscrap daemon`.
pub fn run(g: &GlobalArgs, a: DaemonArgs) -> CmdResult {
    let (global, specs, errors) = super::sources::load_specs(g)?;
    for e in &errors {
        tracing::warn!(error = %e, "source config has errors; the daemon leaves it out");
    }
    let enabled: Vec<(String, Option<String>)> = specs
        .iter()
        .filter(|s| s.enabled)
        .map(|s| (s.name().to_owned(), s.schedule.clone()))
        .collect();
    if enabled.is_empty() {
        return Err(CliError::config(anyhow::anyhow!(
            "no enabled sources in {}: nothing to schedule",
            g.scrapers.display()
        )));
    }
    let plan = plan(a.schedule.as_deref(), global.schedule.as_deref(), &enabled)
        .map_err(CliError::config)?;
    // One daemon per database: a second one would only duplicate every run.
    let mut daemon_key = g.db.clone().into_os_string();
    daemon_key.push(".daemon");
    let _daemon_lock =
        RunLock::acquire_for(daemon_key.as_ref(), "daemon", None).map_err(|e| e.into_cli())?;

    let rt = super::runtime()?;
    rt.block_on(async {
        let shutdown = Shutdown::install()?;
        let mut scheduler = Scheduler::new(&plan.global, plan.sources, &Local::now());
        for (name, schedule) in scheduler.schedules() {
            let next = scheduler.next_of(name).map(|t| t.to_rfc3339());
            tracing::info!(source = name, schedule = %schedule, next = next.as_deref().unwrap_or("never"), "scheduled");
        }
        let mut worst = Exit::Success;
        if a.run_now {
            let names = enabled.iter().map(|(n, _)| n.clone()).collect();
            worst = worst.worst(run_batch(g, names, &shutdown).await);
        }
        let outcome = run_loop(&mut scheduler, Local::now, &shutdown, |names| {
            run_batch(g, names, &shutdown)
        })
        .await;
        worst = worst.worst(outcome.worst);
        tracing::info!(
            batches = outcome.batches,
            stopped_by = outcome.stopped_by.as_str(),
            worst_batch_exit = worst.code(),
            "daemon stopped"
        );
        Ok(match outcome.stopped_by {
            StopReason::Interrupt => Exit::Interrupted,
            StopReason::Terminate | StopReason::Requested => Exit::Success,
        })
    })
}

/// One scheduled batch: prune old logs, take the run lock (waiting for a manual run), scrape
/// `names`, release. Problems are logged and turned into the batch's exit code; the daemon
/// goes on to the next slot whatever happens.
async fn run_batch(g: &GlobalArgs, names: Vec<String>, shutdown: &Shutdown) -> Exit {
    if shutdown.is_requested() {
        return Exit::Interrupted;
    }
    if !g.log_dir.as_os_str().is_empty() {
        let today = chrono::Utc::now().date_naive();
        crate::logging::prune_old_logs(&g.log_dir, g.log_retention_days, today);
    }
    let lock = match RunLock::acquire_or_stop(&g.db, "daemon", shutdown).await {
        Ok(Some(lock)) => lock,
        Ok(None) => return Exit::Interrupted,
        Err(e) => {
            tracing::error!(error = %e, "cannot take the run lock; batch skipped");
            return Exit::Fatal;
        }
    };
    match scrape_batch(g, &names, shutdown).await {
        Ok(exit) => {
            drop(lock);
            exit
        }
        Err(e) => {
            tracing::error!(error = %e, sources = ?names, "scheduled batch failed");
            Exit::Fatal
        }
    }
}

async fn scrape_batch(g: &GlobalArgs, names: &[String], shutdown: &Shutdown) -> CmdResult {
    if g.db.exists() {
        let n = close_abandoned_runs(&Store::open(&g.db)?)?;
        if n > 0 {
            tracing::warn!(runs = n, "marked runs of a killed process as abandoned");
        }
    }
    let (global, specs, errors) = super::sources::load_specs(g)?;
    let selected: Vec<_> = specs
        .into_iter()
        .filter(|s| names.iter().any(|n| n == s.name()))
        .collect();
    for n in names {
        if !selected.iter().any(|s| s.name() == n) {
            let why = errors
                .iter()
                .map(ToString::to_string)
                .find(|e| e.contains(n.as_str()))
                .unwrap_or_else(|| "its config file is gone".into());
            tracing::warn!(source = %n, error = %why, "scheduled source not run");
        }
    }
    if selected.is_empty() {
        return Ok(Exit::Config);
    }
    let cancel = Cancel::new();
    let watcher = {
        let cancel = cancel.clone();
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            shutdown.requested().await;
            cancel.cancel();
        })
    };
    let opts = ScrapeOptions {
        trigger: "daemon".into(),
        max_pages: None,
        progress: false,
        cancel,
    };
    let result = scrape::scrape_db(
        Some(g.db.clone()),
        Fetcher::from_config(&global)?,
        selected,
        Vec::new(),
        opts,
    )
    .await;
    watcher.abort();
    let summary = result?;
    super::scrape::print_summary(&summary, false)?;
    tracing::info!(
        run = summary.run_id.unwrap_or_default(),
        status = summary.status_word(),
        found = summary.total_found(),
        new = summary.total_written().new,
        "scheduled run finished"
    );
    Ok(summary.exit())
}
