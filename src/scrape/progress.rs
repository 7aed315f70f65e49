//! Progress display: one spinner per source on a terminal; nothing extra otherwise (the
//! "source started/finished" log lines are the progress for cron and systemd).

use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::SourceStatus;
use crate::fetch::StatsSnapshot;
use crate::sources::SourceSpec;

/// The progress display of a run.
#[derive(Debug)]
pub struct Progress {
    multi: Option<MultiProgress>,
    width: usize,
}

/// The progress line of one source (a no-op when progress is off).
#[derive(Debug, Clone)]
pub struct SourceBar {
    bar: Option<ProgressBar>,
    name: String,
}

impl Progress {
    /// Progress bars for `specs` when `enabled` (stderr is a terminal), else nothing.
    pub fn new(enabled: bool, specs: &[SourceSpec]) -> Self {
        let width = specs.iter().map(|s| s.name().len()).max().unwrap_or(8);
        let multi = enabled.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Progress { multi, width }
    }

    /// The line for source `name`.
    pub fn for_source(&self, name: &str) -> SourceBar {
        let bar = self.multi.as_ref().map(|m| {
            let style = ProgressStyle::with_template(&format!(
                "{{spinner}} {{prefix:<{}}} {{msg}} [{{elapsed}}]",
                self.width
            ))
            .expect("static progress template");
            let bar = m.add(ProgressBar::new_spinner().with_style(style));
            bar.set_prefix(name.to_owned());
            bar.set_message("starting");
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        SourceBar {
            bar,
            name: name.to_owned(),
        }
    }

    /// Clears the bars.
    pub fn finish(&self) {
        if let Some(m) = &self.multi {
            let _ = m.clear();
        }
    }
}

impl SourceBar {
    /// A line that shows nothing.
    pub fn hidden() -> Self {
        SourceBar {
            bar: None,
            name: String::new(),
        }
    }

    /// Shows the counters so far.
    pub fn update(&self, s: &StatsSnapshot, found: usize) {
        if let Some(b) = &self.bar {
            b.set_message(format!(
                "{} pages, {found} jobs, {} retries{}",
                s.pages,
                s.retries,
                if s.blocked > 0 {
                    format!(", {} blocked", s.blocked)
                } else {
                    String::new()
                }
            ));
        }
    }

    /// Marks the source finished.
    pub fn done(&self, status: SourceStatus, found: u64) {
        if let Some(b) = &self.bar {
            b.finish_with_message(format!("{} ({found} jobs)", status.as_str()));
        }
        let _ = &self.name;
    }
}
