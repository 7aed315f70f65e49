//! The `aeroscrap` binary: parse the command line, set up logging, run, map the outcome to an
//! exit code (see README.md "Exit codes").

use std::process::ExitCode;

/// mimalloc: the ingest reader allocates and the writer frees many small strings across
/// threads, which glibc's allocator handles slowly.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = aeroscrap::cli::Cli::parse_args();
    let _log_guard = match aeroscrap::logging::init(&cli.global) {
        Ok(guard) => guard,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(aeroscrap::error::Exit::Config.code());
        }
    };
    match aeroscrap::cli::run(cli) {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(err) => {
            tracing::error!(error = %err, "command failed");
            eprintln!("error: {err}");
            ExitCode::from(err.exit.code())
        }
    }
}
