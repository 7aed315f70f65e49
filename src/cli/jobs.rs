//! `aeroscrap jobs list|show|search|explain`.

use clap::Subcommand;

use super::GlobalArgs;
use crate::error::CmdResult;

/// Subcommands of `aeroscrap jobs`.
#[derive(Debug, Subcommand)]
pub enum JobsCmd {
    /// List jobs, newest first.
    List {
        /// At most N jobs.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Show one job with all its source listings.
    Show {
        /// Job id.
        id: i64,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over title, company, location and description.
    Search {
        /// FTS5 query.
        query: String,
        /// At most N jobs.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Say why two jobs are or are not the same job.
    Explain {
        /// First job id.
        a: i64,
        /// Second job id.
        b: i64,
    },
}

/// Runs `aeroscrap jobs …`.
pub fn run(_g: &GlobalArgs, _c: JobsCmd) -> CmdResult {
    super::not_yet("jobs")
}
