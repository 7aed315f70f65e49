//! `aeroscrap daemon`: foreground cron scheduler.

use clap::Args;

use super::GlobalArgs;
use crate::error::CmdResult;

/// Arguments of `aeroscrap daemon`.
#[derive(Debug, Args)]
pub struct DaemonArgs {
    /// Global schedule (5-field crontab), overriding the config file's.
    #[arg(long)]
    pub schedule: Option<String>,
}

/// Runs `aeroscrap daemon`.
pub fn run(_g: &GlobalArgs, _a: DaemonArgs) -> CmdResult {
    super::not_yet("daemon")
}
