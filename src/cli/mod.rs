//! Command-line interface: clap definitions (ARCHITECTURE §5, fixed names) and dispatch.
//!
//! Each command group lives in its own file with its argument struct and its `run` function;
//! this file only holds the global options and routes to them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::CmdResult;

pub mod companies;
pub mod completions;
pub mod daemon;
pub mod db;
pub mod demo;
pub mod expire;
pub mod export;
pub mod ingest;
pub mod jobs;
pub mod runs;
pub mod scrape;
pub mod sources;
pub mod stats;

/// Default database path when neither `--db` nor `AEROSCRAP_DB` is given.
pub const DEFAULT_DB: &str = "aeroscrap.db";
/// Default global config file.
pub const DEFAULT_CONFIG: &str = "aeroscrap.toml";
/// Default directory of source configs.
pub const DEFAULT_SCRAPERS: &str = "scrapers";

/// AeroScrap: a deduplicated database of aviation jobs scraped from career sites.
#[derive(Debug, Parser)]
#[command(name = "aeroscrap", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line (journald / ELK).
    Json,
}

/// Options shared by every command.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// SQLite database file.
    #[arg(long, global = true, env = "AEROSCRAP_DB", default_value = DEFAULT_DB)]
    pub db: PathBuf,
    /// Global configuration file (contact address, politeness defaults, schedules).
    #[arg(long, global = true, env = "AEROSCRAP_CONFIG", default_value = DEFAULT_CONFIG)]
    pub config: PathBuf,
    /// Directory holding one TOML file per source.
    #[arg(long, global = true, env = "AEROSCRAP_SCRAPERS", default_value = DEFAULT_SCRAPERS)]
    pub scrapers: PathBuf,
    /// More log output (-v debug, -vv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Less output: warnings and errors only.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Format of log lines on stderr and in the log file.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Directory for daily log files (empty string disables file logging).
    #[arg(long, global = true, env = "AEROSCRAP_LOG_DIR", default_value = "logs",
          value_parser = clap::builder::TypedValueParser::map(clap::builder::OsStringValueParser::new(), PathBuf::from))]
    pub log_dir: PathBuf,
    /// Days of daily log files to keep.
    #[arg(long, global = true, default_value_t = crate::logging::DEFAULT_LOG_RETENTION_DAYS)]
    pub log_retention_days: u32,
    /// True when `--db` was given on the command line (not from the environment or the
    /// default); `demo` writes into `--db` only then, never into a production database.
    #[arg(skip)]
    pub db_on_command_line: bool,
    /// Chromium executable for browser sources (else AEROSCRAP_CHROMIUM, then PATH).
    #[arg(long, global = true, env = "AEROSCRAP_CHROMIUM")]
    pub chromium: Option<PathBuf>,
}

/// Every command (fixed names, ARCHITECTURE §5).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scrape enabled sources (or the named ones) into the database.
    Scrape(scrape::ScrapeArgs),
    /// List, validate and try source configs.
    #[command(subcommand)]
    Sources(sources::SourcesCmd),
    /// Read raw job records (JSONL, JSON array or CSV) into the database.
    Ingest(ingest::IngestArgs),
    /// Export canonical jobs as CSV, JSON or JSONL.
    Export(export::ExportArgs),
    /// List, show, search and explain jobs.
    #[command(subcommand)]
    Jobs(jobs::JobsCmd),
    /// Counts by source, country, operation type, category, status and day.
    Stats(stats::StatsArgs),
    /// Crawl history.
    Runs(runs::RunsArgs),
    /// The company registry: operation types and aliases.
    #[command(subcommand)]
    Companies(companies::CompaniesCmd),
    /// Run a full scrape against built-in fixture sites on 127.0.0.1 (no network needed).
    Demo(demo::DemoArgs),
    /// Foreground scheduler: scrape on a cron schedule until stopped.
    Daemon(daemon::DaemonArgs),
    /// Expire listings no longer seen (guarded against broken sources).
    Expire(expire::ExpireArgs),
    /// Database maintenance.
    #[command(subcommand)]
    Db(db::DbCmd),
    /// Print shell completions.
    Completions(completions::CompletionsArgs),
}

impl Cli {
    /// Parses the process arguments (exits with usage on error), remembering where `--db` came
    /// from.
    pub fn parse_args() -> Cli {
        let matches = <Cli as clap::CommandFactory>::command().get_matches();
        let mut cli =
            <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        cli.global.db_on_command_line =
            matches.value_source("db") == Some(clap::parser::ValueSource::CommandLine);
        cli
    }
}

/// Runs a parsed command line and returns the exit code to finish with.
pub fn run(cli: Cli) -> CmdResult {
    let g = &cli.global;
    #[cfg(feature = "browser")]
    crate::sources::browser::set_chromium(g.chromium.clone());
    match cli.command {
        Command::Scrape(a) => scrape::run(g, a),
        Command::Sources(c) => sources::run(g, c),
        Command::Ingest(a) => ingest::run(g, a),
        Command::Export(a) => export::run(g, a),
        Command::Jobs(c) => jobs::run(g, c),
        Command::Stats(a) => stats::run(g, a),
        Command::Runs(a) => runs::run(g, a),
        Command::Companies(c) => companies::run(g, c),
        Command::Demo(a) => demo::run(g, a),
        Command::Daemon(a) => daemon::run(g, a),
        Command::Expire(a) => expire::run(g, a),
        Command::Db(c) => db::run(g, c),
        Command::Completions(a) => completions::run(a),
    }
}

/// A multi-threaded tokio runtime for the async commands.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
