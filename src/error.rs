//! Process exit codes (ARCHITECTURE §5) and the top-level error that carries one.

use std::fmt;

/// The exit codes of the `aeroscrap` binary, documented in README.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Everything worked.
    Success = 0,
    /// Fatal error: nothing useful was done.
    Fatal = 1,
    /// Finished, but some sources failed, were blocked, looked broken, or records were rejected.
    Partial = 2,
    /// Bad configuration or usage.
    Config = 3,
    /// Another run holds the lock.
    Locked = 4,
    /// Interrupted by Ctrl-C / SIGINT.
    Interrupted = 130,
}

impl Exit {
    /// The numeric process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The worse of two outcomes (fatal > locked > config > interrupted > partial > success).
    pub fn worst(self, other: Exit) -> Exit {
        fn rank(e: Exit) -> u8 {
            match e {
                Exit::Success => 0,
                Exit::Partial => 1,
                Exit::Interrupted => 2,
                Exit::Config => 3,
                Exit::Locked => 4,
                Exit::Fatal => 5,
            }
        }
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// An error that knows which exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    /// Exit code to use.
    pub exit: Exit,
    /// The underlying error with its context chain.
    pub source: anyhow::Error,
}

impl CliError {
    /// A configuration or usage error (exit 3).
    pub fn config(err: impl Into<anyhow::Error>) -> Self {
        CliError {
            exit: Exit::Config,
            source: err.into(),
        }
    }
    /// A fatal error (exit 1).
    pub fn fatal(err: impl Into<anyhow::Error>) -> Self {
        CliError {
            exit: Exit::Fatal,
            source: err.into(),
        }
    }
    /// Another run holds the lock (exit 4).
    pub fn locked(err: impl Into<anyhow::Error>) -> Self {
        CliError {
            exit: Exit::Locked,
            source: err.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.source)
    }
}

impl<E: Into<anyhow::Error>> From<E> for CliError {
    fn from(err: E) -> Self {
        CliError::fatal(err)
    }
}

/// Result of a CLI command: the exit code to finish with, or an error that carries one.
pub type CmdResult = Result<Exit, CliError>;
