//! `aeroscrap export`: write canonical jobs as CSV, JSON or JSONL.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::GlobalArgs;
use crate::error::{CliError, CmdResult, Exit};
use crate::export::{Format, write_jobs};
use crate::model::JobStatus;
use crate::store::Store;
use crate::store::query::JobFilter;

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

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Json => Format::Json,
            ExportFormat::Jsonl => Format::Jsonl,
        }
    }
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

fn parse_day(flag: &str, value: &Option<String>) -> Result<Option<NaiveDate>, CliError> {
    value
        .as_deref()
        .map(|v| {
            NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
                CliError::config(anyhow::anyhow!("--{flag} {v:?} is not a day (YYYY-MM-DD)"))
            })
        })
        .transpose()
}

impl ExportArgs {
    /// Validates the filters into a [`JobFilter`] (bad dates or statuses are usage errors).
    pub fn filter(&self) -> Result<JobFilter, CliError> {
        let mut since = parse_day("since", &self.since)?;
        let mut until = parse_day("until", &self.until)?;
        if let Some(day) = parse_day("date", &self.date)? {
            if since.is_some() || until.is_some() {
                return Err(CliError::config(anyhow::anyhow!(
                    "--date cannot be combined with --since or --until"
                )));
            }
            since = Some(day);
            until = Some(day);
        }
        for s in &self.status {
            if JobStatus::parse(s).is_none() {
                return Err(CliError::config(anyhow::anyhow!(
                    "--status {s:?} is not one of active, expired, filled"
                )));
            }
        }
        Ok(JobFilter {
            since,
            until,
            status: self.status.clone(),
            source: self.source.clone(),
            country: self.country.clone(),
            ..Default::default()
        })
    }
}

/// Runs `aeroscrap export`.
pub fn run(g: &GlobalArgs, a: ExportArgs) -> CmdResult {
    let filter = a.filter()?;
    let store = Store::open(&g.db)?;
    let format = Format::from(a.format);
    let n = match &a.output {
        Some(path) => {
            // Written next to the target and renamed, so a reader never sees half a file.
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating directory {}", dir.display()))?;
            let tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
            let mut out = BufWriter::new(tmp);
            let n = write_jobs(&store, &filter, format, &mut out)
                .with_context(|| format!("writing {}", path.display()))?;
            let tmp = out.into_inner().map_err(|e| e.into_error())?;
            tmp.persist(path)
                .with_context(|| format!("writing {}", path.display()))?;
            n
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match write_jobs(&store, &filter, format, &mut out).and_then(|n| {
                out.flush()?;
                Ok(n)
            }) {
                Ok(n) => n,
                // `aeroscrap export | head` is not an error.
                Err(e) if is_broken_pipe(&e) => return Ok(Exit::Success),
                Err(e) => return Err(e.into()),
            }
        }
    };
    tracing::info!(jobs = n, output = ?a.output, "export finished");
    Ok(Exit::Success)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(
                |c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe),
            )
    })
}
