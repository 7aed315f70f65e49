//! `aeroscrap runs [show ID]`: crawl history.

use clap::{Args, Subcommand};

use super::GlobalArgs;
use crate::error::CmdResult;

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
pub fn run(_g: &GlobalArgs, _a: RunsArgs) -> CmdResult {
    super::not_yet("runs")
}
