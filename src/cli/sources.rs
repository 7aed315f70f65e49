//! `aeroscrap sources list|check|test`.

use std::io::Write;

use clap::Subcommand;

use super::GlobalArgs;
use crate::config::{ConfigError, GlobalConfig, load_sources_lenient};
use crate::error::{CliError, CmdResult, Exit};
use crate::fetch::Fetcher;
use crate::scrape::{self, SourceStatus};
use crate::sources::{RunLimits, SourceSpec};

/// Subcommands of `aeroscrap sources`.
#[derive(Debug, Subcommand)]
pub enum SourcesCmd {
    /// Name, kind, enabled flag and last run of every source.
    List {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Validate every source config without touching the network (exit 3 on any error).
    Check,
    /// Fetch one page of a source and print the raw records it would produce; stores nothing.
    Test {
        /// Source name.
        name: String,
        /// Fetch this URL instead of the source's first start URL.
        #[arg(long)]
        url: Option<String>,
        /// Print at most N records.
        #[arg(long)]
        limit: Option<usize>,
        /// JSON output (one raw record per line).
        #[arg(long)]
        json: bool,
    },
}

/// Runs `aeroscrap sources …`.
pub fn run(g: &GlobalArgs, c: SourcesCmd) -> CmdResult {
    match c {
        SourcesCmd::List { json } => list(g, json),
        SourcesCmd::Check => check(g),
        SourcesCmd::Test {
            name,
            url,
            limit,
            json,
        } => test(g, &name, url.as_deref(), limit, json),
    }
}

/// Loads the global config and every source, compiling each; returns the good specs and
/// every problem.
pub fn load_specs(
    g: &GlobalArgs,
) -> Result<(GlobalConfig, Vec<SourceSpec>, Vec<ConfigError>), CliError> {
    let global = GlobalConfig::load(&g.config).map_err(CliError::config)?;
    let (configs, mut errors) = load_sources_lenient(&g.scrapers);
    let mut specs = Vec::new();
    for cfg in configs {
        match cfg.compile() {
            Ok(s) => specs.push(s),
            Err(e) => errors.push(e),
        }
    }
    Ok((global, specs, errors))
}

fn check(g: &GlobalArgs) -> CmdResult {
    let (_global, specs, errors) = load_specs(g)?;
    let mut out = std::io::stdout().lock();
    for s in &specs {
        writeln!(
            out,
            "ok     {:<24} kind={:<10} {}",
            s.name(),
            s.kind,
            if s.enabled { "enabled" } else { "disabled" }
        )?;
    }
    for e in &errors {
        writeln!(out, "error  {e}")?;
    }
    #[cfg(feature = "browser")]
    if let Some(w) = crate::sources::browser::missing_chromium_warning(
        specs
            .iter()
            .filter(|s| s.enabled && s.kind == "browser")
            .map(|s| s.name()),
        g.chromium.as_deref(),
    ) {
        writeln!(out, "warn   {w}")?;
    }
    writeln!(
        out,
        "{} source(s) valid, {} error(s) in {}",
        specs.len(),
        errors.len(),
        g.scrapers.display()
    )?;
    Ok(if errors.is_empty() {
        Exit::Success
    } else {
        Exit::Config
    })
}

fn list(g: &GlobalArgs, json: bool) -> CmdResult {
    let (_global, specs, errors) = load_specs(g)?;
    let last = super::scrape::last_runs(&g.db, specs.iter().map(|s| s.name()));
    let mut out = std::io::stdout().lock();
    if json {
        for s in &specs {
            let l = last.get(s.name());
            let v = serde_json::json!({
                "name": s.name(),
                "kind": s.kind,
                "enabled": s.enabled,
                "file": s.path.display().to_string(),
                "last_status": l.map(|l| l.status.clone()),
                "last_run_at": l.map(|l| l.started_at.to_rfc3339()),
                "last_items": l.map(|l| l.items_found),
            });
            writeln!(out, "{v}")?;
        }
    } else {
        writeln!(
            out,
            "{:<24} {:<16} {:<8} {:<12} {:<20} {:>6}",
            "name", "kind", "enabled", "last status", "last run", "items"
        )?;
        for s in &specs {
            let l = last.get(s.name());
            writeln!(
                out,
                "{:<24} {:<16} {:<8} {:<12} {:<20} {:>6}",
                s.name(),
                s.kind,
                if s.enabled { "yes" } else { "no" },
                l.map(|l| l.status.as_str()).unwrap_or("-"),
                l.map(|l| l.started_at.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_else(|| "-".into()),
                l.map(|l| l.items_found.to_string())
                    .unwrap_or_else(|| "-".into()),
            )?;
        }
    }
    for e in &errors {
        eprintln!("error: {e}");
    }
    Ok(if errors.is_empty() {
        Exit::Success
    } else {
        Exit::Config
    })
}

fn test(
    g: &GlobalArgs,
    name: &str,
    url: Option<&str>,
    limit: Option<usize>,
    json: bool,
) -> CmdResult {
    let (global, specs, errors) = load_specs(g)?;
    let Some(spec) = specs.into_iter().find(|s| s.name() == name) else {
        if let Some(e) = errors.iter().find(|e| e.to_string().contains(name)) {
            return Err(CliError::config(e.clone()));
        }
        return Err(CliError::config(anyhow::anyhow!(
            "no source named {name:?} in {}",
            g.scrapers.display()
        )));
    };
    let url_override = url
        .map(|u| spec.common.url("--url", u))
        .transpose()
        .map_err(|e| CliError::config(anyhow::anyhow!("--url: {}", e.why)))?;
    let fetcher = Fetcher::from_config(&global)?;
    let limits = RunLimits {
        max_pages: Some(1),
        max_items: limit,
        url_override,
        skip_details: false,
    };
    let rt = super::runtime()?;
    let (records, outcome) = rt.block_on(scrape::run_single(fetcher, spec, limits))?;
    let mut out = std::io::stdout().lock();
    for r in &records {
        if json {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        } else {
            writeln!(out, "{}", crate::scrape::report::record_text(r))?;
        }
    }
    eprintln!(
        "{}: {} record(s), {} page(s), status {}{}",
        outcome.name,
        records.len(),
        outcome.fetch.pages,
        outcome.status.as_str(),
        outcome
            .error
            .as_deref()
            .map(|e| format!(": {e}"))
            .unwrap_or_default()
    );
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    Ok(if outcome.status == SourceStatus::Ok {
        Exit::Success
    } else {
        Exit::Partial
    })
}
