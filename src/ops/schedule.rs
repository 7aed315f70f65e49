//! The daemon's scheduling core: which sources are due at time T.
//!
//! Pure and clock-free so it can be tested with made-up times: the daemon loop asks
//! [`Scheduler::due`] what to run now, runs it, reports [`Scheduler::finished`], and sleeps
//! until [`Scheduler::next_wake`].
//!
//! Schedules are standard 5-field crontab lines (minute hour day-of-month month day-of-week,
//! day-of-week 0–7 with 0 and 7 = Sunday, names like `MON` allowed), parsed by croner with
//! seconds disallowed so a 6-field line is an error rather than a surprise. Each source runs on
//! its own `schedule` key or, without one, on the global schedule. Sources due at the same
//! minute run as one batch (one crawl run). A source is never started while it still runs: a
//! slot that passes while it runs is skipped, and slots missed while the daemon was busy are
//! coalesced into one run, like cron with a lock.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::{DateTime, TimeZone, Timelike as _};
use croner::Cron;
use croner::parser::{CronParser, Seconds};

/// Global schedule when neither the config nor `--schedule` gives one: daily at 05:30.
pub const DEFAULT_SCHEDULE: &str = "30 5 * * *";

/// A parsed 5-field crontab schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    expr: String,
}

/// A schedule line that is not a valid 5-field crontab expression.
#[derive(Debug, thiserror::Error)]
#[error(
    "schedule {expr:?} is not a 5-field crontab line (minute hour day month weekday): {reason}"
)]
pub struct ScheduleError {
    /// The offending line.
    pub expr: String,
    /// What croner said.
    pub reason: String,
}

impl Schedule {
    /// Parses a 5-field crontab line such as `30 5 * * 1-5`.
    pub fn parse(expr: &str) -> Result<Schedule, ScheduleError> {
        let err = |reason: String| ScheduleError {
            expr: expr.to_string(),
            reason,
        };
        let fields = expr.split_whitespace().count();
        if fields != 5 && !expr.trim_start().starts_with('@') {
            return Err(err(format!("it has {fields} fields")));
        }
        let cron = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .build()
            .parse(expr)
            .map_err(|e| err(e.to_string()))?;
        Ok(Schedule {
            cron,
            expr: expr.trim().to_string(),
        })
    }

    /// The line as written.
    pub fn as_str(&self) -> &str {
        &self.expr
    }

    /// The first matching minute strictly after `t`, in `t`'s time zone.
    pub fn next_after<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> Option<DateTime<Tz>> {
        self.cron.find_next_occurrence(t, false).ok()
    }

    /// Whether the minute containing `t` matches.
    pub fn matches<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> bool {
        // 5-field lines match second 0 only; ask about the minute's start.
        let minute = t
            .clone()
            .with_second(0)
            .and_then(|m| m.with_nanosecond(0))
            .unwrap_or_else(|| t.clone());
        self.cron.is_time_matching(&minute).unwrap_or(false)
    }
}

impl FromStr for Schedule {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Schedule::parse(s)
    }
}

impl std::fmt::Display for Schedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.expr)
    }
}

/// What to do at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Due {
    /// Sources to start now, as one batch, sorted by name.
    pub run: Vec<String>,
    /// Sources whose slot came while they were still running (skipped this time).
    pub skipped_running: Vec<String>,
}

impl Due {
    /// Nothing to do.
    pub fn is_empty(&self) -> bool {
        self.run.is_empty() && self.skipped_running.is_empty()
    }
}

#[derive(Debug, Clone)]
struct Entry<Tz: TimeZone> {
    schedule: Schedule,
    next: Option<DateTime<Tz>>,
}

/// Which sources are due when; see the module docs.
#[derive(Debug, Clone)]
pub struct Scheduler<Tz: TimeZone> {
    entries: BTreeMap<String, Entry<Tz>>,
    running: BTreeSet<String>,
}

impl<Tz: TimeZone> Scheduler<Tz> {
    /// A scheduler for `sources` (name, own schedule if any), each without its own schedule
    /// following `global`. The first slots are the first matches strictly after `now`: starting
    /// the daemon at 05:30:20 does not run the 05:30 slot.
    pub fn new(
        global: &Schedule,
        sources: Vec<(String, Option<Schedule>)>,
        now: &DateTime<Tz>,
    ) -> Self {
        let entries = sources
            .into_iter()
            .map(|(name, own)| {
                let schedule = own.unwrap_or_else(|| global.clone());
                let next = schedule.next_after(now);
                (name, Entry { schedule, next })
            })
            .collect();
        Scheduler {
            entries,
            running: BTreeSet::new(),
        }
    }

    /// The schedule each source follows.
    pub fn schedules(&self) -> impl Iterator<Item = (&str, &Schedule)> {
        self.entries.iter().map(|(n, e)| (n.as_str(), &e.schedule))
    }

    /// The next slot of `source`, if it has one.
    pub fn next_of(&self, source: &str) -> Option<&DateTime<Tz>> {
        self.entries.get(source)?.next.as_ref()
    }

    /// Sources due at `now` (their slot is at or before `now`). Those started are marked
    /// running until [`Scheduler::finished`]; every due source's next slot moves past `now`,
    /// so several missed slots give one run.
    pub fn due(&mut self, now: &DateTime<Tz>) -> Due {
        let mut due = Due::default();
        for (name, entry) in &mut self.entries {
            let Some(slot) = &entry.next else { continue };
            if slot > now {
                continue;
            }
            entry.next = entry.schedule.next_after(now);
            if self.running.contains(name) {
                due.skipped_running.push(name.clone());
            } else {
                self.running.insert(name.clone());
                due.run.push(name.clone());
            }
        }
        due
    }

    /// Marks sources as no longer running.
    pub fn finished<S: AsRef<str>>(&mut self, sources: &[S]) {
        for s in sources {
            self.running.remove(s.as_ref());
        }
    }

    /// Sources currently running.
    pub fn running(&self) -> impl Iterator<Item = &str> {
        self.running.iter().map(String::as_str)
    }

    /// The earliest upcoming slot of any source.
    pub fn next_wake(&self) -> Option<DateTime<Tz>> {
        self.entries.values().filter_map(|e| e.next.clone()).min()
    }
}
