//! `aeroscrap db migrate|check|backup`.

use std::path::PathBuf;

use clap::Subcommand;

use super::GlobalArgs;
use crate::error::CmdResult;

/// Subcommands of `aeroscrap db`.
#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Apply pending migrations.
    Migrate,
    /// Integrity check and schema version.
    Check,
    /// Online backup to PATH (safe while a scrape runs).
    Backup {
        /// Destination file.
        path: PathBuf,
    },
}

/// Runs `aeroscrap db …`.
pub fn run(_g: &GlobalArgs, _c: DbCmd) -> CmdResult {
    super::not_yet("db")
}
