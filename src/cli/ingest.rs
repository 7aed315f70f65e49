//! `aeroscrap ingest [FILE|-]`: read raw records into the database.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::GlobalArgs;
use crate::error::CmdResult;

/// Input format of `ingest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects.
    Json,
    /// CSV with the raw-record field names as header.
    Csv,
}

/// Arguments of `aeroscrap ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Input file, or `-` for standard input.
    #[arg(default_value = "-")]
    pub file: PathBuf,
    /// Input format (default: from the file extension, else JSONL).
    #[arg(long, value_enum)]
    pub format: Option<InputFormat>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `aeroscrap ingest`.
pub fn run(_g: &GlobalArgs, _a: IngestArgs) -> CmdResult {
    super::not_yet("ingest")
}
