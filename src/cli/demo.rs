//! `aeroscrap demo`: a full scrape against built-in fixture sites on 127.0.0.1.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::GlobalArgs;
use crate::error::CmdResult;

/// Arguments of `aeroscrap demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Database for the demo (default: a fresh aeroscrap-demo.db; the global --db is not used).
    #[arg(long = "demo-db", default_value = "aeroscrap-demo.db")]
    pub demo_db: PathBuf,
    /// Where to write the daily CSV.
    #[arg(long, default_value = "aeroscrap-demo.csv")]
    pub csv: PathBuf,
}

/// Runs `aeroscrap demo`.
pub fn run(g: &GlobalArgs, a: DemoArgs) -> CmdResult {
    let rt = super::runtime()?;
    let progress = std::io::stderr().is_terminal() && !g.quiet;
    let report = rt.block_on(crate::demo::run(&a.demo_db, &a.csv, progress))?;
    println!(
        "Demo: {} fixture sites on 127.0.0.1, source configs in {}",
        report.summary.sources.len(),
        report.scrapers_dir.display()
    );
    super::scrape::print_summary(&report.summary, false)?;
    println!(
        "Database: {}\nDaily CSV: {} ({} jobs first seen today)",
        a.demo_db.display(),
        a.csv.display(),
        report.csv_jobs
    );
    Ok(report.summary.exit())
}
