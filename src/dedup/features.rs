//! [`MatchFeatures`]: what the fuzzy matcher knows about a job, stored as JSON per canonical job.

use std::borrow::Cow;
use std::ops::ControlFlow;
use std::rc::Rc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::model::{DatePrecision, EmploymentType, NormalizedJob, OperationType};
use crate::normalize::text::{fold_key, fold_words};
use crate::normalize::{aircraft, classify, location};

use super::title::{TitleAnalysis, analyse_title};
use crate::normalize::memo::Memo;

/// What a title alone gives the matcher, whatever the advertiser.
struct TitleFeatures {
    analysis: TitleAnalysis,
    /// The title key when no company name occurs in the title (the usual case).
    plain_key: String,
    ranks: Vec<classify::Rank>,
    licences: Vec<String>,
}

impl TitleFeatures {
    fn new(title: &str) -> Self {
        let analysis = analyse_title(title);
        TitleFeatures {
            plain_key: analysis.plain().tokens.join(" "),
            analysis,
            ranks: classify::ranks(&fold_key(title)),
            licences: aircraft::licences(title),
        }
    }
}

thread_local! {
    /// Title-derived features per distinct title on this thread (shared, not copied, on a hit).
    static TITLES: Memo<Rc<TitleFeatures>> = Memo::default();
    /// Base per distinct location text on this thread.
    static BASES: Memo<Option<String>> = Memo::default();
}

/// Shingles kept in a description sketch (bottom-k of 3-word shingle hashes).
pub const SKETCH_SIZE: usize = 8;
/// Words of a description that go into its sketch (boards often truncate ads: the start counts).
pub const SKETCH_WORDS: usize = 120;

/// What the fuzzy matcher compares about a job; stored with each canonical job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MatchFeatures {
    /// Normalized company key through aliases (the blocking key).
    pub company_key: Option<String>,
    /// Normalized title tokens joined by spaces (sorted, unique).
    pub title_key: String,
    /// Posting date, YYYY-MM-DD.
    pub posted_date: Option<String>,
    /// Precision of the posting date (`at_least` for "30+ days ago").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posted_precision: Option<DatePrecision>,
    /// Flight / cabin crew ranks named in the title.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranks: Vec<classify::Rank>,
    /// Aircraft types named in the title.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aircraft: Vec<String>,
    /// Licences named in the title.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licences: Vec<String>,
    /// Country of the job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Bases of the location and of places named in the title (`City` or `City/IATA`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    /// Employment type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment: Option<EmploymentType>,
    /// Advertiser references in the title ("Ref: 821527A").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// True when the advertiser is a recruiter / staffing agency / job board.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recruiter: bool,
    /// Bottom-k sketch of the description's 3-word shingles (the ad fingerprint).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ad_sketch: Vec<u32>,
}

impl MatchFeatures {
    /// Computes the features of a normalized job.
    pub fn from_job(job: &NormalizedJob) -> Self {
        let mut names: Vec<&str> = Vec::with_capacity(2);
        if let Some(c) = job.company.as_deref() {
            names.push(c);
        }
        if let Some(k) = job.company_key.as_deref() {
            names.push(k);
        }
        let title =
            TITLES.with(|m| m.get_or(&job.title, || Rc::new(TitleFeatures::new(&job.title))));
        let parts = title.analysis.parts(&names);
        let title_key = match &parts {
            Cow::Borrowed(_) => title.plain_key.clone(),
            Cow::Owned(p) => p.tokens.join(" "),
        };
        let mut places = parts.places.clone();
        if let Some(loc) = job.location.as_deref() {
            let base = BASES
                .with(|m| m.get_or(loc, || location::resolve(loc).place.and_then(|p| p.base())));
            if let Some(base) = base
                && !places.contains(&base)
            {
                places.push(base);
            }
        }
        places.sort();
        MatchFeatures {
            company_key: job.company_key.clone().filter(|k| !k.is_empty()),
            title_key,
            posted_date: job.posted_date.map(iso_date),
            posted_precision: job.posted_precision,
            ranks: title.ranks.clone(),
            aircraft: parts.aircraft.clone(),
            licences: title.licences.clone(),
            country: job.country_code.clone(),
            places,
            employment: job.employment_type,
            refs: parts.refs.clone(),
            recruiter: job.operation_type == Some(OperationType::Recruiter),
            ad_sketch: job.description.as_deref().map(sketch).unwrap_or_default(),
        }
    }

    /// The title tokens (sorted, unique; aircraft families in capitals), from `title_key`.
    pub fn tokens(&self) -> Vec<&str> {
        self.title_key
            .split(' ')
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Blocking key: only jobs with the same key are compared. `None` means never fuzzy-merge.
    pub fn block_key(&self) -> Option<&str> {
        self.company_key.as_deref()
    }
}

/// Bottom-k sketch of a text's 3-word shingles: two ads with most shingles in common share
/// most sketch values. Cheap: one hash per word of the first [`SKETCH_WORDS`] words.
pub fn sketch(text: &str) -> Vec<u32> {
    // Ten bytes a word is plenty for the first SKETCH_WORDS words; fold no more than that.
    let cut = char_prefix_len(text, SKETCH_WORDS * 10);
    // Each word is hashed once; a shingle's hash combines its three word hashes. Both lists
    // live on the stack: only the sketch itself is allocated.
    let mut word_hashes = [0u64; SKETCH_WORDS];
    let mut words = 0;
    fold_words(&text[..cut], |w| {
        word_hashes[words] = xxh3_64(w.as_bytes());
        words += 1;
        if words < SKETCH_WORDS {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    });
    if words < 3 {
        return Vec::new();
    }
    let mut hashes = [0u32; SKETCH_WORDS];
    let shingles = words - 2;
    for (h, w) in hashes.iter_mut().zip(word_hashes[..words].windows(3)) {
        let x = w[0].rotate_left(21) ^ w[1];
        // 32 bits are plenty to tell a few hundred shingles apart, and store half the size.
        *h = (x.rotate_left(21) ^ w[2]) as u32;
    }
    let hashes = &mut hashes[..shingles];
    hashes.sort_unstable();
    let mut out: Vec<u32> = Vec::with_capacity(SKETCH_SIZE);
    for &h in hashes.iter() {
        if out.len() == SKETCH_SIZE {
            break;
        }
        if out.last() != Some(&h) {
            out.push(h);
        }
    }
    out
}

/// `date.to_string()` (`YYYY-MM-DD`), written directly for four-digit years.
fn iso_date(date: NaiveDate) -> String {
    let (y, m, d) = (date.year(), date.month(), date.day());
    if !(0..=9999).contains(&y) {
        return date.to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let y = y as u32;
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(d / 10),
        digit(d),
    ]
    .into_iter()
    .collect()
}

/// Byte length of the first `chars` characters of `text` (all of it when shorter). A text of
/// at most `chars` bytes has at most `chars` characters: no need to count them.
fn char_prefix_len(text: &str, chars: usize) -> usize {
    if text.len() <= chars {
        return text.len();
    }
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

/// Estimated resemblance of two sketched texts (0.0–1.0).
pub fn sketch_similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    // Bottom-k of the union, then how many of those are in both.
    let mut union: Vec<u32> = a.iter().chain(b).copied().collect();
    union.sort_unstable();
    union.dedup();
    union.truncate(SKETCH_SIZE.min(a.len().max(b.len())));
    let both = union
        .iter()
        .filter(|h| a.binary_search(h).is_ok() && b.binary_search(h).is_ok())
        .count();
    both as f64 / union.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_read_as_chrono_writes_them() {
        let mut d = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        while d.year() < 10_001 {
            assert_eq!(iso_date(d), d.to_string());
            d += chrono::Duration::days(97);
        }
        for d in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            NaiveDate::from_ymd_opt(0, 2, 29).unwrap(),
        ] {
            assert_eq!(iso_date(d), d.to_string());
        }
    }

    #[test]
    fn sketches_keep_the_smallest_distinct_shingle_hashes() {
        assert!(sketch("two words").is_empty());
        let text = "captain a320 dublin captain a320 dublin captain a320 dublin";
        let s = sketch(text);
        // Three distinct shingles, the repeated ones once.
        assert_eq!(s.len(), 3);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        let long: String = (0..500).map(|i| format!("w{i} ")).collect();
        let s = sketch(&long);
        assert_eq!(s.len(), SKETCH_SIZE);
        // Only the first SKETCH_WORDS words count.
        let first: String = (0..SKETCH_WORDS).map(|i| format!("w{i} ")).collect();
        assert_eq!(sketch(&first), s);
    }
    use crate::model::RawRecord;
    use crate::normalize::{CompanyRegistry, Normalizer};

    #[test]
    fn features_round_trip_through_json_and_stay_small() {
        let job = Normalizer::new(CompanyRegistry::bundled())
            .normalize(RawRecord {
                source: "linkedin".into(),
                url: "https://www.linkedin.com/jobs/view/1".into(),
                title: "Captain B737 - Dublin".into(),
                company: Some("Ryanair DAC".into()),
                location: Some("Dublin, Ireland".into()),
                posted_date: Some("2025-11-20".into()),
                scraped_at: Some("2025-12-03T07:30:00Z".into()),
                ..Default::default()
            })
            .unwrap();
        let f = MatchFeatures::from_job(&job);
        assert_eq!(f.tokens(), vec!["B737", "captain"]);
        assert_eq!(f.places, vec!["Dublin"]);
        let json = serde_json::to_string(&f).unwrap();
        assert!(json.len() < 200, "{} bytes: {json}", json.len());
        assert_eq!(serde_json::from_str::<MatchFeatures>(&json).unwrap(), f);
    }
}
