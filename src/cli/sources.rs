//! `aeroscrap sources list|check|test`.

use clap::Subcommand;

use super::GlobalArgs;
use crate::error::CmdResult;

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
pub fn run(_g: &GlobalArgs, _c: SourcesCmd) -> CmdResult {
    super::not_yet("sources")
}
