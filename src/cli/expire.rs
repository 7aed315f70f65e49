//! `aeroscrap expire [--dry-run]`: guarded expiry of listings no longer seen.
//!
//! Scrapes expire after each healthy source on their own; this command re-applies the same
//! rules to the whole database (after changing `--expire-after-runs`, for ingested-only
//! sources whose closing dates passed, or just to see with `--dry-run` what would go).

use std::collections::HashMap;
use std::fmt::Write as _;

use clap::Args;

use super::GlobalArgs;
use crate::error::{CliError, CmdResult, Exit};
use crate::ops::expire::{
    DEFAULT_EXPIRE_AFTER_RUNS, ExpirePolicy, Guard, SourceExpiry, expire_all_with,
};
use crate::ops::lock::RunLock;
use crate::store::Store;

/// Arguments of `aeroscrap expire`.
#[derive(Debug, Args)]
pub struct ExpireArgs {
    /// Show what would change without changing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Successful runs of a source that must miss a listing before it expires, for every
    /// source (default: each source file's `expire_after_runs`, else 3).
    #[arg(long, value_name = "N")]
    pub expire_after_runs: Option<u32>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Runs `aeroscrap expire`.
pub fn run(g: &GlobalArgs, a: ExpireArgs) -> CmdResult {
    if !g.db.exists() {
        return Err(CliError::config(anyhow::anyhow!(
            "database {} does not exist",
            g.db.display()
        )));
    }
    // A dry run changes nothing, so it may look while a scrape runs.
    let _lock = if a.dry_run {
        None
    } else {
        Some(RunLock::acquire_for(&g.db, "expire", None).map_err(|e| e.into_cli())?)
    };
    let store = Store::open(&g.db)?;
    // Per-source thresholds from the source files; a file with errors just uses the default.
    let (configs, _errors) = crate::config::load_sources_lenient(&g.scrapers);
    let per_source: HashMap<String, u32> = configs
        .into_iter()
        .filter_map(|c| Some((c.common.name, c.common.expire_after_runs?)))
        .collect();
    let policy_for = |source: &str| ExpirePolicy {
        expire_after_runs: a
            .expire_after_runs
            .or_else(|| per_source.get(source).copied())
            .unwrap_or(DEFAULT_EXPIRE_AFTER_RUNS),
        ..ExpirePolicy::default()
    };
    let today = chrono::Utc::now().date_naive();
    let report = expire_all_with(store.conn(), policy_for, today, a.dry_run)?;
    for s in &report {
        tracing::debug!(
            source = %s.source,
            listings = s.listings.len(),
            jobs = s.jobs_expired.len(),
            dry_run = a.dry_run,
            "expiry"
        );
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report_text(&report, a.dry_run));
    }
    Ok(Exit::Success)
}

/// Human text for an expiry report.
pub fn report_text(report: &[SourceExpiry], dry_run: bool) -> String {
    let verb = if dry_run { "would expire" } else { "expired" };
    let mut out = String::new();
    let (mut listings, mut jobs) = (0, 0);
    for s in report {
        match &s.guard {
            Guard::Expire if s.listings.is_empty() => {
                let _ = writeln!(out, "{}: nothing to expire", s.source);
            }
            Guard::Expire => {
                let _ = writeln!(
                    out,
                    "{}: {verb} {} listing(s); {} job(s) left with no active listing",
                    s.source,
                    s.listings.len(),
                    s.jobs_expired.len()
                );
                for l in &s.listings {
                    let _ = writeln!(
                        out,
                        "  job {:>6}  {:<6}  {} — {}",
                        l.job_id, l.reason, l.title, l.url
                    );
                }
            }
            Guard::Suspect { reason } => {
                let _ = writeln!(out, "{}: held (suspect) — {reason}", s.source);
            }
            Guard::Hold { reason } => {
                let _ = writeln!(out, "{}: held — {reason}", s.source);
            }
        }
        listings += s.listings.len();
        jobs += s.jobs_expired.len();
    }
    let _ = writeln!(
        out,
        "{}: {listings} listing(s), {jobs} job(s) {}",
        if dry_run { "dry run" } else { "total" },
        if dry_run {
            "would expire (nothing changed)"
        } else {
            "expired"
        }
    );
    out
}
