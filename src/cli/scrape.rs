//! `aeroscrap scrape [SOURCE…]`: run sources into the database.
//!
//! Thin: load and compile the configs, pick the sources, call [`crate::scrape::scrape`],
//! print the summary. The work (and the store writer) lives in [`crate::scrape`].

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;

use clap::Args;

use super::GlobalArgs;
use crate::error::{CliError, CmdResult, Exit};
use crate::fetch::Fetcher;
use crate::scrape::{self, ScrapeOptions, ScrapeSummary, SourceOutcome};
use crate::sources::Cancel;
use crate::store::{SourceRunLog, Store};

/// Arguments of `aeroscrap scrape`.
#[derive(Debug, Args)]
pub struct ScrapeArgs {
    /// Sources to run (default: every enabled source).
    pub sources: Vec<String>,
    /// Fetch and parse, but store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Stop each source after this many listing pages.
    #[arg(long)]
    pub max_pages: Option<u32>,
    /// If another run holds the lock, wait for it (optionally at most SECS seconds).
    #[arg(long, num_args = 0..=1, default_missing_value = "0", value_name = "SECS")]
    pub wait: Option<u64>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `aeroscrap scrape`.
pub fn run(g: &GlobalArgs, a: ScrapeArgs) -> CmdResult {
    let (global, specs, errors) = super::sources::load_specs(g)?;
    if let Some(e) = errors
        .iter()
        .find(|e| matches!(e, crate::config::ConfigError::Io { path, .. } if path == &g.scrapers))
    {
        return Err(CliError::config(e.clone()));
    }
    let selected =
        scrape::select(&specs, &a.sources).map_err(|e| CliError::config(anyhow::anyhow!(e)))?;
    let selected: Vec<_> = selected.into_iter().cloned().collect();
    // A broken config fails its own source (exit 3 at the end), never the others.
    let failed: Vec<SourceOutcome> = errors
        .iter()
        .filter(|e| {
            a.sources.is_empty() || a.sources.iter().any(|n| e.to_string().contains(n.as_str()))
        })
        .map(|e| SourceOutcome::failed(&config_error_source(e), "config", e.to_string()))
        .collect();
    if selected.is_empty() && failed.is_empty() {
        eprintln!("no enabled sources in {}", g.scrapers.display());
        return Ok(Exit::Partial);
    }
    // One writing run per database at a time (exit 4 naming the holder, or --wait).
    let _lock = if a.dry_run {
        None
    } else {
        Some(crate::ops::run::lock_for_run(&g.db, "scrape", a.wait)?)
    };
    let fetcher = Fetcher::from_config(&global)?;
    let cancel = Cancel::new();
    let opts = ScrapeOptions {
        trigger: "cli".into(),
        max_pages: a.max_pages,
        progress: std::io::stderr().is_terminal() && !g.quiet,
        cancel: cancel.clone(),
    };
    let rt = super::runtime()?;
    let db = (!a.dry_run).then(|| g.db.clone());
    let summary = rt.block_on(async {
        // Ctrl-C / SIGTERM: stop fetching, write what was fetched, mark the run interrupted.
        crate::ops::run::cancel_on_signal(crate::ops::shutdown::CRAWL_STOPPING, move || {
            cancel.cancel()
        })?;
        scrape::scrape_db(db, fetcher, selected, failed.clone(), opts).await
    })?;
    print_summary(&summary, a.json)?;
    let exit = summary.exit();
    Ok(if failed.is_empty() {
        exit
    } else {
        exit.worst(Exit::Config)
    })
}

/// Prints the summary table (or JSON) to stdout.
pub fn print_summary(summary: &ScrapeSummary, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(summary)?);
    } else {
        print!("{}", scrape::report::summary_table(summary));
    }
    Ok(())
}

/// The source a config error is about (its file stem).
fn config_error_source(e: &crate::config::ConfigError) -> String {
    use crate::config::ConfigError as E;
    let path = match e {
        E::Io { path, .. } | E::Syntax { path, .. } | E::Key { path, .. } => path.clone(),
        E::DuplicateName { second, .. } => second.clone(),
        E::Many(_) => return "(config)".into(),
    };
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("(config)")
        .to_owned()
}

/// The latest crawl-log row of each of `names` in `db` (nothing when the database does not
/// exist yet or cannot be read: `sources list` still lists the configs).
pub fn last_runs<'a>(
    db: &Path,
    names: impl Iterator<Item = &'a str>,
) -> HashMap<String, SourceRunLog> {
    let mut out = HashMap::new();
    if !db.exists() {
        return out;
    }
    let Ok(store) = Store::open(db) else {
        return out;
    };
    for n in names {
        if let Ok(Some(log)) = store.last_source_log(n) {
            out.insert(n.to_owned(), log);
        }
    }
    out
}
