//! Logging: tracing to stderr and to a daily file in the log directory.
//!
//! Unattended runs (systemd timer, cron) are read after the fact, so every run also writes to
//! `<log-dir>/aeroscrap.YYYY-MM-DD.log` (UTC day, rotated at midnight by `tracing-appender`).
//! Files older than `--log-retention-days` are deleted when a process starts (and once a day by
//! the daemon), so the directory never grows without bound.
//!
//! Levels: `-q` warnings only, default info, `-v` debug, `-vv` trace; `RUST_LOG` (env-filter
//! syntax, e.g. `info,aeroscrap::fetch=debug`) overrides both. The file never gets less than
//! info, so `-q` keeps the terminal quiet without emptying the log file.
//! `--log-format json` writes one JSON object per line to both, for journald/ELK users.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer, Registry};

use crate::cli::{GlobalArgs, LogFormat};

/// Days of daily log files kept by default.
pub const DEFAULT_LOG_RETENTION_DAYS: u32 = 30;
/// Daily log files are named `<prefix>.YYYY-MM-DD.<suffix>`.
pub const LOG_FILE_PREFIX: &str = "aeroscrap";
/// See [`LOG_FILE_PREFIX`].
pub const LOG_FILE_SUFFIX: &str = "log";

/// Guard that flushes the file logger when dropped; keep it alive for the whole process.
pub struct LogGuard {
    _guard: Option<tracing_appender::non_blocking::WorkerGuard>,
}

type BoxedLayer = Box<dyn Layer<Registry> + Send + Sync>;

/// Sets up the global tracing subscriber from the global options.
///
/// A log directory that cannot be created is reported on stderr and file logging is skipped:
/// a read-only working directory must not stop `aeroscrap jobs list` from working.
pub fn init(g: &GlobalArgs) -> anyhow::Result<LogGuard> {
    let level = stderr_level(g.quiet, g.verbose);
    let stderr_filter = env_filter_or(level)?;
    let stderr_layer = fmt_layer(
        g.log_format,
        std::io::stderr,
        std::io::stderr().is_terminal(),
    )
    .with_filter(stderr_filter);
    let mut layers: Vec<BoxedLayer> = vec![Box::new(stderr_layer)];

    let mut guard = None;
    let mut file_problem = None;
    let mut pruned = Vec::new();
    if !g.log_dir.as_os_str().is_empty() {
        match open_daily_file(&g.log_dir) {
            Ok((writer, worker_guard)) => {
                let file_level = if level == "warn" { "info" } else { level };
                let layer =
                    fmt_layer(g.log_format, writer, false).with_filter(env_filter_or(file_level)?);
                layers.push(Box::new(layer));
                guard = Some(worker_guard);
                pruned = prune_old_logs(&g.log_dir, g.log_retention_days, Utc::now().date_naive());
            }
            Err(err) => file_problem = Some(err),
        }
    }
    // A subscriber may already be installed (tests calling `init` twice); keep the first.
    let _ = tracing_subscriber::registry().with(layers).try_init();

    if let Some(err) = file_problem {
        tracing::warn!(dir = %g.log_dir.display(), error = %err, "not writing a log file");
    }
    for path in pruned {
        tracing::debug!(file = %path.display(), "deleted old log file");
    }
    tracing::debug!(
        version = env!("CARGO_PKG_VERSION"),
        pid = std::process::id(),
        args = ?std::env::args().skip(1).collect::<Vec<_>>(),
        "aeroscrap started"
    );
    Ok(LogGuard { _guard: guard })
}

/// The level name for stderr given `-q` and the number of `-v`.
pub fn stderr_level(quiet: bool, verbose: u8) -> &'static str {
    if quiet {
        return "warn";
    }
    match verbose {
        0 => "info",
        1 => "debug",
        _ => "trace",
    }
}

/// `RUST_LOG` when set (a syntax error there is a usage error), else `level`.
fn env_filter_or(level: &str) -> anyhow::Result<EnvFilter> {
    match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::try_new(&spec)
            .map_err(|e| anyhow::anyhow!("RUST_LOG={spec:?} is not a valid log filter: {e}")),
        // chromiumoxide logs every CDP message it cannot decode (Chromium 156 sends some) and
        // the closed socket of a killed browser as warnings/errors: not ours to act on.
        _ => Ok(EnvFilter::new(format!("{level},chromiumoxide=off"))),
    }
}

fn fmt_layer<W>(format: LogFormat, writer: W, ansi: bool) -> BoxedLayer
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let base = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(ansi);
    match format {
        LogFormat::Text => Box::new(base),
        LogFormat::Json => Box::new(base.json().flatten_event(true).with_current_span(false)),
    }
}

fn open_daily_file(
    dir: &Path,
) -> anyhow::Result<(
    tracing_appender::non_blocking::NonBlocking,
    tracing_appender::non_blocking::WorkerGuard,
)> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create log directory {}: {e}", dir.display()))?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(LOG_FILE_PREFIX)
        .filename_suffix(LOG_FILE_SUFFIX)
        .build(dir)
        .map_err(|e| anyhow::anyhow!("cannot open a log file in {}: {e}", dir.display()))?;
    // Never drop log lines under load: a scrape's log is its audit trail.
    Ok(
        tracing_appender::non_blocking::NonBlockingBuilder::default()
            .lossy(false)
            .finish(appender),
    )
}

/// The day a daily log file name stands for (`aeroscrap.2026-11-21.log` → 2026-11-21), or
/// `None` for any other file, which retention never touches.
pub fn log_file_day(file_name: &str) -> Option<NaiveDate> {
    let middle = file_name
        .strip_prefix(LOG_FILE_PREFIX)?
        .strip_prefix('.')?
        .strip_suffix(LOG_FILE_SUFFIX)?
        .strip_suffix('.')?;
    NaiveDate::parse_from_str(middle, "%Y-%m-%d").ok()
}

/// Deletes daily log files in `dir` that fall outside the last `keep_days` days counting
/// `today` (so `keep_days = 1` keeps only today's file); `0` keeps everything. Returns the
/// deleted paths. Errors (unreadable directory, a file that cannot be removed) are logged and
/// skipped: retention must never stop a scrape.
pub fn prune_old_logs(dir: &Path, keep_days: u32, today: NaiveDate) -> Vec<PathBuf> {
    let mut deleted = Vec::new();
    if keep_days == 0 {
        return deleted;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            tracing::warn!(dir = %dir.display(), error = %err, "cannot list log directory for retention");
            return deleted;
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(day) = name.to_str().and_then(log_file_day) else {
            continue;
        };
        if (today - day).num_days() < i64::from(keep_days) {
            continue;
        }
        let path = entry.path();
        match std::fs::remove_file(&path) {
            Ok(()) => deleted.push(path),
            Err(err) => {
                tracing::warn!(file = %path.display(), error = %err, "cannot delete old log file")
            }
        }
    }
    deleted.sort();
    deleted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_file_names_are_recognised_by_exact_shape() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(log_file_day("aeroscrap.2026-11-21.log"), Some(day));
        assert_eq!(log_file_day("aeroscrap.2026-11-21.log.gz"), None);
        assert_eq!(log_file_day("other.2026-11-21.log"), None);
        assert_eq!(log_file_day("aeroscrap.2026-13-01.log"), None);
        assert_eq!(log_file_day(".gitkeep"), None);
    }

    #[test]
    fn levels_follow_quiet_and_verbose() {
        assert_eq!(stderr_level(true, 0), "warn");
        assert_eq!(stderr_level(false, 0), "info");
        assert_eq!(stderr_level(false, 1), "debug");
        assert_eq!(stderr_level(false, 4), "trace");
    }
}
