//! `aeroscrap demo`: a full scrape against built-in fixture sites on 127.0.0.1.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::GlobalArgs;
use crate::error::CmdResult;

/// The demo database when neither `--demo-db` nor `--db` is given.
pub const DEFAULT_DEMO_DB: &str = "aeroscrap-demo.db";

/// Arguments of `aeroscrap demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Database for the demo, recreated fresh each time (default aeroscrap-demo.db). A global
    /// `--db` given on the command line is used instead but never wiped; AEROSCRAP_DB is ignored
    /// so a demo never touches production data by accident.
    #[arg(long = "demo-db")]
    pub demo_db: Option<PathBuf>,
    /// Where to write the daily CSV.
    #[arg(long, default_value = "aeroscrap-demo.csv")]
    pub csv: PathBuf,
}

/// Runs `aeroscrap demo`.
pub fn run(g: &GlobalArgs, a: DemoArgs) -> CmdResult {
    // A database named with --db may hold real data: the demo adds to it and never wipes it.
    let (db, fresh) = match (&a.demo_db, g.db_on_command_line) {
        (Some(db), _) => (db.clone(), true),
        (None, true) => (g.db.clone(), false),
        (None, false) => (PathBuf::from(DEFAULT_DEMO_DB), true),
    };
    let rt = super::runtime()?;
    let progress = std::io::stderr().is_terminal() && !g.quiet;
    let report = rt.block_on(crate::demo::run(&db, &a.csv, fresh, progress))?;
    println!(
        "Demo: {} fixture sites on 127.0.0.1, source configs in {}",
        report.summary.sources.len(),
        report.scrapers_dir.display()
    );
    super::scrape::print_summary(&report.summary, false)?;
    println!(
        "Database: {}\nDaily CSV: {} ({} jobs first seen today)",
        db.display(),
        a.csv.display(),
        report.csv_jobs
    );
    Ok(report.summary.exit())
}
