//! The cross-source fuzzy matcher: hard constraints first, then title similarity.
//!
//! The earlier tool merged on "title ratio ≥ 85 %, same company string, same date": it merged
//! "Captain A320" with "Captain A330" and B1 with B2 engineers, and missed "Ryanair DAC" vs
//! "Ryanair" posted two days apart. Here a merge needs the same normalized company (through
//! aliases) and no veto — aircraft family, licence category, rank, base/city, country,
//! employment type, advertiser reference, dates further apart than the window — and then
//! similar title tokens. Recruiters' ads merge only when the ad itself is the same.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strsim::jaro_winkler;

use crate::model::{DatePrecision, EmploymentType};
use crate::normalize::aircraft::{licences_conflict, types_conflict};
use crate::normalize::location::bases_compatible;

use super::features::{MatchFeatures, sketch_similarity};

/// Listings posted further apart than this are different jobs (aggregators lag by days).
pub const DEFAULT_DATE_WINDOW_DAYS: i64 = 14;
/// Title token similarity (fuzzy Jaccard) from which two titles are the same job.
pub const TITLE_SIMILARITY_MIN: f64 = 0.75;
/// Title similarity that suffices when every token of the shorter title is in the longer one
/// ("Captain A320" and "Captain A320 Excellent Package").
pub const TITLE_EXTENDED_MIN: f64 = 0.5;
/// Title words that make a different job when only one side has them (seniority, training).
const MODIFIERS: &[&str] = &[
    "senior",
    "junior",
    "lead",
    "principal",
    "chief",
    "head",
    "trainee",
    "cadet",
    "graduate",
    "apprentice",
    "intern",
    "internship",
    "instructor",
    "examiner",
    "training",
    "supervisor",
    "assistant",
    "deputy",
    "typerated",
    "nontyperated",
    "linemaintenance",
    "basemaintenance",
];
/// Description resemblance from which two recruiter ads are the same ad.
pub const RECRUITER_SKETCH_MIN: f64 = 0.5;
/// Two tokens this alike (Jaro-Winkler) count as one ("licenced"/"licensed", typos).
const TOKEN_ALIKE_MIN: f64 = 0.93;

/// The matcher's answer for one pair, with its reason (recorded on every merge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// True when the two are the same job.
    pub same: bool,
    /// Human-readable reason, e.g. `same company ryanair; title 100% alike [b737 captain]; …`.
    pub reason: String,
}

impl Verdict {
    fn no(reason: String) -> Self {
        Verdict {
            same: false,
            reason,
        }
    }
}

/// Compares a new listing with an existing canonical job.
pub fn compare(a: &MatchFeatures, b: &MatchFeatures) -> Verdict {
    let (Some(ka), Some(kb)) = (a.block_key(), b.block_key()) else {
        return Verdict::no("no company on one side: never merged on similarity".into());
    };
    if ka != kb {
        return Verdict::no(format!("different companies: {ka} vs {kb}"));
    }
    let mut notes: Vec<String> = vec![format!("same company {ka}")];

    if let Some(days) = date_gap_days(a, b) {
        if days > DEFAULT_DATE_WINDOW_DAYS {
            return Verdict::no(format!(
                "posted {days} days apart (window {DEFAULT_DATE_WINDOW_DAYS})"
            ));
        }
        notes.push(format!("posted {days} days apart"));
    }
    if types_conflict(&a.aircraft, &b.aircraft) {
        return Verdict::no(format!(
            "different aircraft: {} vs {}",
            a.aircraft.join("/"),
            b.aircraft.join("/")
        ));
    }
    if licences_conflict(&a.licences, &b.licences) {
        return Verdict::no(format!(
            "different licences: {} vs {}",
            a.licences.join("/"),
            b.licences.join("/")
        ));
    }
    if !a.ranks.is_empty() && !b.ranks.is_empty() && a.ranks != b.ranks {
        return Verdict::no(format!("different ranks: {:?} vs {:?}", a.ranks, b.ranks));
    }
    if let (Some(ca), Some(cb)) = (&a.country, &b.country)
        && ca != cb
    {
        return Verdict::no(format!("different countries: {ca} vs {cb}"));
    }
    if !a.places.is_empty() && !b.places.is_empty() {
        let meets = a
            .places
            .iter()
            .any(|p| b.places.iter().any(|q| bases_compatible(p, q)));
        if !meets {
            return Verdict::no(format!(
                "different bases: {} vs {}",
                a.places.join("/"),
                b.places.join("/")
            ));
        }
        notes.push(format!("same base {}", a.places.join("/")));
    }
    if let (Some(ea), Some(eb)) = (a.employment, b.employment)
        && ea != eb
        && ea != EmploymentType::Other
        && eb != EmploymentType::Other
    {
        return Verdict::no(format!("different employment: {ea} vs {eb}"));
    }
    if !a.refs.is_empty() && !b.refs.is_empty() {
        if !a.refs.iter().any(|r| b.refs.contains(r)) {
            return Verdict::no(format!(
                "different ad references: {} vs {}",
                a.refs.join("/"),
                b.refs.join("/")
            ));
        }
        notes.push(format!("same reference {}", shared(&a.refs, &b.refs)));
    }

    let (ta, tb) = (a.tokens(), b.tokens());
    let (ma, mb) = (modifiers(&ta), modifiers(&tb));
    if ma != mb {
        return Verdict::no(format!(
            "different seniority or training level: [{}] vs [{}]",
            ma.join(" "),
            mb.join(" ")
        ));
    }
    let sim = title_similarity(&ta, &tb);
    let contained = title_containment(&ta, &tb);
    let small = ta.len().min(tb.len());
    let extended = contained >= 1.0 && small >= 2 && sim >= TITLE_EXTENDED_MIN;
    if sim < TITLE_SIMILARITY_MIN && !extended {
        return Verdict::no(format!(
            "titles {:.0}% alike (need {:.0}%): [{}] vs [{}]",
            sim * 100.0,
            TITLE_SIMILARITY_MIN * 100.0,
            a.title_key,
            b.title_key
        ));
    }
    notes.push(if sim >= TITLE_SIMILARITY_MIN {
        format!("title {:.0}% alike [{}]", sim * 100.0, a.title_key)
    } else {
        format!(
            "title [{}] contained in [{}]",
            if ta.len() <= tb.len() {
                &a.title_key
            } else {
                &b.title_key
            },
            if ta.len() <= tb.len() {
                &b.title_key
            } else {
                &a.title_key
            }
        )
    });

    if a.recruiter || b.recruiter {
        let same_ref = !a.refs.is_empty() && a.refs.iter().any(|r| b.refs.contains(r));
        let ad = sketch_similarity(&a.ad_sketch, &b.ad_sketch);
        let both_described = !a.ad_sketch.is_empty() && !b.ad_sketch.is_empty();
        let same_ad = same_ref
            || (both_described && ad >= RECRUITER_SKETCH_MIN)
            || (!both_described && sim >= 1.0 && same_bases(&a.places, &b.places));
        if !same_ad {
            return Verdict::no(format!(
                "recruiter ads are merged only when the ad is the same (reference, text or exact title and base); ad text {:.0}% alike",
                ad * 100.0
            ));
        }
        notes.push(if same_ref {
            "recruiter: same ad reference".into()
        } else if both_described {
            format!("recruiter: ad text {:.0}% alike", ad * 100.0)
        } else {
            "recruiter: identical title and base".into()
        });
    }
    Verdict {
        same: true,
        reason: notes.join("; "),
    }
}

fn same_bases(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|p| b.iter().any(|q| bases_compatible(p, q)))
}

fn shared(a: &[String], b: &[String]) -> String {
    a.iter()
        .filter(|x| b.contains(x))
        .cloned()
        .collect::<Vec<_>>()
        .join("/")
}

/// Days between the two posting dates, allowing for "at least" dates: a "30+ days ago" date
/// is an upper bound, so an earlier date on the other side is no gap at all.
fn date_gap_days(a: &MatchFeatures, b: &MatchFeatures) -> Option<i64> {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let (da, db) = (parse(&a.posted_date)?, parse(&b.posted_date)?);
    let at_least = |f: &MatchFeatures| f.posted_precision == Some(DatePrecision::AtLeast);
    let gap = (da - db).num_days();
    Some(match (at_least(a), at_least(b)) {
        // a ≤ da: only a later db makes a gap.
        (true, false) if gap > 0 => 0,
        (false, true) if gap < 0 => 0,
        (true, true) => 0,
        _ => gap.abs(),
    })
}

/// The seniority / training words of a token list, sorted.
pub(crate) fn modifiers<'a>(tokens: &[&'a str]) -> Vec<&'a str> {
    tokens
        .iter()
        .copied()
        .filter(|t| MODIFIERS.contains(t))
        .collect()
}

/// Share of the shorter token list found in the longer one (exact tokens).
fn title_containment(a: &[&str], b: &[&str]) -> f64 {
    let (small, big) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    small.iter().filter(|t| big.contains(t)).count() as f64 / small.len() as f64
}

/// Fuzzy Jaccard similarity of two sorted token lists: tokens pair up when equal or
/// Jaro-Winkler alike (≥ 0.93, both at least 5 letters).
pub fn title_similarity(a: &[&str], b: &[&str]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let mut used = vec![false; b.len()];
    let mut matched = 0usize;
    for x in a {
        let hit = b.iter().enumerate().position(|(j, y)| {
            !used[j]
                && (x == y
                    || (x.len() >= 5
                        && y.len() >= 5
                        && x.as_bytes()[0] == y.as_bytes()[0]
                        && jaro_winkler(x, y) >= TOKEN_ALIKE_MIN))
        });
        if let Some(j) = hit {
            used[j] = true;
            matched += 1;
        }
    }
    matched as f64 / (a.len() + b.len() - matched) as f64
}
