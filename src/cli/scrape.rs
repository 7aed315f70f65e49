//! `aeroscrap scrape [SOURCE…]`: run sources into the database.

use clap::Args;

use super::GlobalArgs;
use crate::error::CmdResult;

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
}

/// Runs `aeroscrap scrape`.
pub fn run(_g: &GlobalArgs, _a: ScrapeArgs) -> CmdResult {
    super::not_yet("scrape")
}
