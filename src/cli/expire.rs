//! `aeroscrap expire [--dry-run]`: guarded expiry of listings no longer seen.

use clap::Args;

use super::GlobalArgs;
use crate::error::CmdResult;

/// Arguments of `aeroscrap expire`.
#[derive(Debug, Args)]
pub struct ExpireArgs {
    /// Show what would change without changing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `aeroscrap expire`.
pub fn run(_g: &GlobalArgs, _a: ExpireArgs) -> CmdResult {
    super::not_yet("expire")
}
