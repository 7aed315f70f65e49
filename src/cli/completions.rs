//! `aeroscrap completions bash|zsh|fish|…`: print a shell completion script.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::error::{CmdResult, Exit};

/// Arguments of `aeroscrap completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    pub shell: Shell,
}

/// Writes the completion script to stdout.
pub fn run(args: CompletionsArgs) -> CmdResult {
    let mut cmd = super::Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "aeroscrap", &mut std::io::stdout());
    Ok(Exit::Success)
}
