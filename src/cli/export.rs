//! `aeroscrap export`: write canonical jobs as CSV, JSON or JSONL.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::GlobalArgs;
use crate::error::CmdResult;

/// Output format of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV, one header row, UTF-8, formula-safe.
    Csv,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
}

/// Arguments of `aeroscrap export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Output file (default: stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Jobs first seen on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Jobs first seen on or before this day (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Jobs first seen on exactly this day (the daily CSV).
    #[arg(long)]
    pub date: Option<String>,
    /// Only these statuses (active, expired, filled).
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Only jobs with a listing from these sources.
    #[arg(long, value_delimiter = ',')]
    pub source: Vec<String>,
    /// Only these ISO country codes.
    #[arg(long, value_delimiter = ',')]
    pub country: Vec<String>,
}

/// Runs `aeroscrap export`.
pub fn run(_g: &GlobalArgs, _a: ExportArgs) -> CmdResult {
    super::not_yet("export")
}
