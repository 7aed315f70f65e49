//! `aeroscrap stats`: counts by source, country, operation type, category, status and day.

use clap::Args;

use super::GlobalArgs;
use crate::error::CmdResult;

/// Arguments of `aeroscrap stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Runs `aeroscrap stats`.
pub fn run(_g: &GlobalArgs, _a: StatsArgs) -> CmdResult {
    super::not_yet("stats")
}
