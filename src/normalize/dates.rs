//! Posting and closing dates in every form of ARCHITECTURE §2.
//!
//! Absolute forms are tried before relative ones, with anchored patterns: the earlier Python
//! version read `2 Dec 25` as "2 days ago" because its loose relative regex ran first.
//! Relative forms resolve against `scraped_at`; `30+ days ago` is a lower bound on age and comes
//! back with [`DatePrecision::AtLeast`].

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use regex::Regex;

use crate::model::DatePrecision;

/// Posting dates later than `scraped_at` by more than this are rejected as nonsense.
pub const MAX_FUTURE_POSTED_DAYS: i64 = 2;
/// Dates before this year are rejected (typos, epoch zero).
pub const MIN_YEAR: i32 = 1990;

static ODATA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^/?date\((-?\d{9,14})(?:[+-]\d{4})?\)/?$").unwrap());
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?$").unwrap());
static YMD_SLASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$").unwrap());
static DMY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$").unwrap());
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]{3,9})\.?,?[\s\-]+(\d{4}|\d{2})$").unwrap()
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}|\d{2})$").unwrap()
});
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:about|around|approximately|over|almost|more than|less than)?\s*(\d+|an?|one)\s*(\+)?\s*(second|sec|minute|min|hour|hr|day|week|wk|month|mo|year|yr)s?\s*(\+)?\s*ago$",
    )
    .unwrap()
});
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:date\s+)?(?:posted|published|listed|added|closing|closes|expires?|expiry)(?:\s+(?:on|date))?\s*:?\s*|date\s*:\s*)",
    )
    .unwrap()
});

/// What a date text says, before it is placed relative to a scrape time: the normalizer
/// reads each distinct text once ([`read_date`]) and resolves it per record ([`resolve_date`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateText {
    /// Not a date form we understand.
    Unknown,
    /// A calendar date.
    Exact(NaiveDate),
    /// "today", "just posted", "this week" …
    Today,
    /// "yesterday".
    Yesterday,
    /// "3 days ago", "about 23 hours ago", "30+ days ago".
    Ago {
        /// How many units ago.
        n: i64,
        /// The unit.
        unit: AgoUnit,
        /// "30+", "over", "more than": a lower bound on the age.
        at_least: bool,
    },
}

/// The unit of a relative date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgoUnit {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months (30 days).
    Month,
    /// Years (365 days).
    Year,
}

/// Parses a date in any accepted form; relative forms resolve against `scraped_at`.
/// Returns `None` for anything it does not understand (never a guess).
pub fn parse_date(input: &str, scraped_at: DateTime<Utc>) -> Option<(NaiveDate, DatePrecision)> {
    resolve_date(read_date(input), scraped_at)
}

/// [`parse_date`] of a text already read by [`read_date`].
pub fn resolve_date(
    text: DateText,
    scraped_at: DateTime<Utc>,
) -> Option<(NaiveDate, DatePrecision)> {
    let today = scraped_at.date_naive();
    resolve_any(text, scraped_at)
        .filter(|(d, _)| d.year() >= MIN_YEAR && *d <= today + Duration::days(365 * 5))
}

/// Reads a date text in any accepted form, without placing relative forms in time yet.
pub fn read_date(input: &str) -> DateText {
    read_any(input).unwrap_or(DateText::Unknown)
}

fn read_any(input: &str) -> Option<DateText> {
    let cleaned = super::text::clean_text(input).to_lowercase();
    let s = PREFIX.replace(cleaned.trim(), "");
    let s = s.trim().trim_end_matches('.');
    if s.is_empty() {
        return None;
    }
    let exact = |d: NaiveDate| Some(DateText::Exact(d));

    if let Some(c) = ODATA.captures(s) {
        return epoch_ms(c[1].parse().ok()?).and_then(exact);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            12 | 13 => epoch_ms(s.parse().ok()?).and_then(exact),
            10 => epoch_ms(s.parse::<i64>().ok()? * 1000).and_then(exact),
            _ => None,
        };
    }
    if let Some(c) = ISO.captures(s) {
        return ymd(&c[1], &c[2], &c[3]).and_then(exact);
    }
    if let Some(c) = YMD_SLASH.captures(s) {
        return ymd(&c[1], &c[2], &c[3]).and_then(exact);
    }
    if let Some(c) = DMY.captures(s) {
        let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        // dd/mm/yyyy is the documented form; a second number > 12 proves mm/dd/yyyy.
        let (d, m) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
        return date(year(&c[3])?, m, d).and_then(exact);
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(s) {
        return date(year(&c[3])?, month(&c[2])?, c[1].parse().ok()?).and_then(exact);
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(s) {
        return date(year(&c[3])?, month(&c[1])?, c[2].parse().ok()?).and_then(exact);
    }
    relative(s).or_else(|| {
        // A full RFC 2822 / RFC 3339 timestamp (RSS pubDate, JSON-LD datetime).
        DateTime::parse_from_rfc2822(input.trim())
            .or_else(|_| DateTime::parse_from_rfc3339(input.trim()))
            .ok()
            .map(|d| DateText::Exact(d.date_naive()))
    })
}

/// Places a read date in time: relative forms count back from `scraped_at`.
fn resolve_any(text: DateText, scraped_at: DateTime<Utc>) -> Option<(NaiveDate, DatePrecision)> {
    let today = scraped_at.date_naive();
    Some(match text {
        DateText::Unknown => return None,
        DateText::Exact(d) => (d, DatePrecision::Exact),
        DateText::Today => (today, DatePrecision::Relative),
        DateText::Yesterday => (today - Duration::days(1), DatePrecision::Relative),
        DateText::Ago { n, unit, at_least } => {
            let unit_seconds: i64 = match unit {
                AgoUnit::Second => 1,
                AgoUnit::Minute => 60,
                AgoUnit::Hour => 3_600,
                AgoUnit::Day => 86_400,
                AgoUnit::Week => 7 * 86_400,
                AgoUnit::Month => 30 * 86_400,
                AgoUnit::Year => 365 * 86_400,
            };
            // "9999999999999 days ago" is no date (and must not overflow).
            let ago = n
                .checked_mul(unit_seconds)
                .and_then(Duration::try_seconds)?;
            let d = scraped_at.checked_sub_signed(ago)?.date_naive();
            let precision = if at_least {
                DatePrecision::AtLeast
            } else {
                DatePrecision::Relative
            };
            (d, precision)
        }
    })
}

/// [`parse_date`] for posting dates: also rejects dates more than
/// [`MAX_FUTURE_POSTED_DAYS`] after `scraped_at`.
pub fn parse_posted(input: &str, scraped_at: DateTime<Utc>) -> Option<(NaiveDate, DatePrecision)> {
    resolve_posted(read_date(input), scraped_at)
}

/// [`parse_posted`] of a text already read by [`read_date`].
pub fn resolve_posted(
    text: DateText,
    scraped_at: DateTime<Utc>,
) -> Option<(NaiveDate, DatePrecision)> {
    resolve_date(text, scraped_at)
        .filter(|(d, _)| *d <= scraped_at.date_naive() + Duration::days(MAX_FUTURE_POSTED_DAYS))
}

fn relative(s: &str) -> Option<DateText> {
    match s {
        "today"
        | "just now"
        | "just posted"
        | "new"
        | "now"
        | "moments ago"
        | "few seconds ago"
        | "a few seconds ago"
        | "less than a minute ago"
        | "this week" => return Some(DateText::Today),
        "yesterday" => return Some(DateText::Yesterday),
        _ => {}
    }
    let c = RELATIVE.captures(s)?;
    let n: i64 = match &c[1] {
        "a" | "an" | "one" => 1,
        d => d.parse().ok()?,
    };
    let at_least = c.get(2).is_some()
        || c.get(4).is_some()
        || s.starts_with("over ")
        || s.starts_with("more than ");
    let unit = match &c[3] {
        "second" | "sec" => AgoUnit::Second,
        "minute" | "min" => AgoUnit::Minute,
        "hour" | "hr" => AgoUnit::Hour,
        "day" => AgoUnit::Day,
        "week" | "wk" => AgoUnit::Week,
        "month" | "mo" => AgoUnit::Month,
        _ => AgoUnit::Year,
    };
    Some(DateText::Ago { n, unit, at_least })
}

fn epoch_ms(ms: i64) -> Option<NaiveDate> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .map(|d| d.date_naive())
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    date(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn year(s: &str) -> Option<i32> {
    let y: i32 = s.parse().ok()?;
    Some(if s.len() == 2 { 2000 + y } else { y })
}

fn month(s: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let s = if s == "sept" { "sep" } else { s };
    let idx = MONTHS.iter().position(|m| s.starts_with(m))?;
    // Accept "dec", "december", reject "decade".
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (s.len() == 3 || FULL[idx] == s).then_some(idx as u32 + 1)
}
