//! `aeroscrap demo`: a full scrape against built-in fixture sites on 127.0.0.1.

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
pub fn run(_g: &GlobalArgs, _a: DemoArgs) -> CmdResult {
    super::not_yet("demo")
}
