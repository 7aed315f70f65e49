//! `aeroscrap runs [show ID]`: crawl history.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use clap::{Args, Subcommand};

use super::GlobalArgs;
use crate::error::{CliError, CmdResult, Exit};
use crate::ops::history::{RunDetail, RunLine, list_runs, show_run};
use crate::store::Store;

/// Arguments of `aeroscrap runs`.
#[derive(Debug, Args)]
pub struct RunsArgs {
    /// `show ID` for one run; nothing for the list.
    #[command(subcommand)]
    pub cmd: Option<RunsCmd>,
    /// Only runs that included this source.
    #[arg(long)]
    pub source: Option<String>,
    /// The last N runs.
    #[arg(long, default_value_t = 20)]
    pub last: usize,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Subcommands of `aeroscrap runs`.
#[derive(Debug, Subcommand)]
pub enum RunsCmd {
    /// One run with its per-source rows.
    Show {
        /// Run id.
        id: i64,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `aeroscrap runs`.
pub fn run(g: &GlobalArgs, a: RunsArgs) -> CmdResult {
    if !g.db.exists() {
        return Err(CliError::config(anyhow::anyhow!(
            "database {} does not exist (nothing has run yet?)",
            g.db.display()
        )));
    }
    let store = Store::open(&g.db)?;
    match a.cmd {
        None => {
            let runs = list_runs(&store, a.source.as_deref(), a.last)?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&runs)?);
            } else if runs.is_empty() {
                eprintln!("no runs");
            } else {
                print!("{}", list_text(&runs));
            }
        }
        Some(RunsCmd::Show { id, json }) => {
            let detail = show_run(&store, id)?
                .ok_or_else(|| CliError::config(anyhow::anyhow!("no run with id {id}")))?;
            if json || a.json {
                println!("{}", serde_json::to_string_pretty(&detail)?);
            } else {
                print!("{}", show_text(&detail));
            }
        }
    }
    Ok(Exit::Success)
}

fn duration_text(seconds: Option<i64>) -> String {
    match seconds {
        Some(s) => {
            humantime::format_duration(std::time::Duration::from_secs(s.max(0) as u64)).to_string()
        }
        None => "-".to_string(),
    }
}

fn day_time(ts: &str) -> String {
    ts.get(..19).unwrap_or(ts).replace('T', " ")
}

fn problems(status: &BTreeMap<String, u64>) -> String {
    let p: Vec<String> = status
        .iter()
        .filter(|(s, _)| s.as_str() != "ok")
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    if p.is_empty() {
        "-".into()
    } else {
        p.join(", ")
    }
}

/// The run list as a table, newest first.
pub fn list_text(runs: &[RunLine]) -> String {
    let mut out = format!(
        "{:>5}  {:<19}  {:>9}  {:<7}  {:<11}  {:>7}  {:>6}  {:>5}  {:>5}  {:>7}  PROBLEMS\n",
        "ID",
        "STARTED (UTC)",
        "DURATION",
        "TRIGGER",
        "STATUS",
        "SOURCES",
        "FOUND",
        "NEW",
        "UPD",
        "EXPIRED"
    );
    for r in runs {
        let _ = writeln!(
            out,
            "{:>5}  {:<19}  {:>9}  {:<7}  {:<11}  {:>7}  {:>6}  {:>5}  {:>5}  {:>7}  {}",
            r.id,
            day_time(&r.started_at),
            duration_text(r.duration_s),
            r.trigger,
            r.status,
            r.sources,
            r.items_found,
            r.items_new,
            r.items_updated,
            r.items_expired,
            problems(&r.source_status)
        );
    }
    out
}

/// One run in detail: header, per-source table, notes and errors.
pub fn show_text(d: &RunDetail) -> String {
    let r = &d.run;
    let mut out = String::new();
    let _ = writeln!(out, "Run {} — {} (trigger {})", r.id, r.status, r.trigger);
    let _ = writeln!(
        out,
        "Started {}, finished {}, took {}",
        r.started_at,
        r.finished_at.as_deref().unwrap_or("-"),
        duration_text(r.duration_s)
    );
    let status: Vec<String> = r
        .source_status
        .iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    let _ = writeln!(
        out,
        "Sources: {} ({}); found {}, new {}, updated {}, expired {}, rejected {}",
        r.sources,
        status.join(", "),
        r.items_found,
        r.items_new,
        r.items_updated,
        r.items_expired,
        r.items_rejected
    );
    let _ = writeln!(
        out,
        "HTTP status: {}; retries {}",
        http_text(&d.http_status),
        d.retries
    );
    if d.per_source.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\n{:<20}  {:<11}  {:>5}  {:>6}  {:>5}  {:>5}  {:>6}  {:>5}  {:>4}  {:>4}  {:>7}  {:>8}  HTTP",
        "SOURCE",
        "STATUS",
        "PAGES",
        "FOUND",
        "NEW",
        "UPD",
        "MERGED",
        "SAME",
        "REJ",
        "EXP",
        "RETRIES",
        "SECS"
    );
    for s in &d.per_source {
        let _ = writeln!(
            out,
            "{:<20}  {:<11}  {:>5}  {:>6}  {:>5}  {:>5}  {:>6}  {:>5}  {:>4}  {:>4}  {:>7}  {:>8.1}  {}",
            s.source,
            s.status,
            s.pages_fetched,
            s.items_found,
            s.items_new,
            s.items_updated,
            s.items_merged,
            s.items_unchanged,
            s.items_rejected,
            s.items_expired,
            s.retries,
            s.duration_ms as f64 / 1000.0,
            http_text(&s.http_status)
        );
    }
    let notes: Vec<String> = d
        .per_source
        .iter()
        .flat_map(|s| {
            let err = s
                .error
                .as_ref()
                .map(|e| format!("  {} ({}): {e}", s.source, s.status));
            let note = s.note.as_ref().map(|n| format!("  {}: {n}", s.source));
            err.into_iter().chain(note)
        })
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(out, "\nErrors and notes:\n{}", notes.join("\n"));
    }
    if !d.top_errors.is_empty() {
        let _ = writeln!(out, "\nTop errors:");
        for (e, n) in &d.top_errors {
            let _ = writeln!(out, "  {n}× {e}");
        }
    }
    out
}

fn http_text(counts: &BTreeMap<u16, u64>) -> String {
    if counts.is_empty() {
        return "-".into();
    }
    counts
        .iter()
        .map(|(c, n)| format!("{c}×{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}
