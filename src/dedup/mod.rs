//! Deduplication: canonical URLs, blocking keys and the cross-source fuzzy matcher.
//!
//! FIRST CUT (skeleton): the interface is what the store calls; the aviation-aware matcher
//! replaces these bodies.

use serde::{Deserialize, Serialize};

use crate::model::NormalizedJob;

/// Canonical form of a posting URL: lower-case scheme and host, no fragment, no tracking
/// parameters, no trailing slash. Errors with a reason when the URL is not absolute http(s).
pub fn canonical_url(url: &str) -> Result<String, String> {
    let mut u = url::Url::parse(url.trim()).map_err(|e| e.to_string())?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!("scheme {:?} is not http(s)", u.scheme()));
    }
    u.set_fragment(None);
    let mut s = u.to_string();
    if s.ends_with('/') && u.query().is_none() {
        s.pop();
    }
    Ok(s)
}

/// What the fuzzy matcher compares about a job; stored with each canonical job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MatchFeatures {
    /// Normalized company key (blocking key).
    pub company_key: Option<String>,
    /// Normalized title.
    pub title_key: String,
    /// Posting date, YYYY-MM-DD.
    pub posted_date: Option<String>,
}

impl MatchFeatures {
    /// Computes the features of a normalized job.
    pub fn from_job(job: &NormalizedJob) -> Self {
        MatchFeatures {
            company_key: job.company_key.clone(),
            title_key: job.title.to_lowercase(),
            posted_date: job.posted_date.map(|d| d.to_string()),
        }
    }

    /// Blocking key: only jobs with the same key are compared. `None` means never fuzzy-merge.
    pub fn block_key(&self) -> Option<&str> {
        self.company_key.as_deref()
    }
}

/// The matcher's answer for one pair, with its reason (recorded on every merge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// True when the two are the same job.
    pub same: bool,
    /// Human-readable reason, e.g. `same title and company, posted 2 days apart`.
    pub reason: String,
}

/// Compares a new listing with an existing canonical job.
pub fn compare(a: &MatchFeatures, b: &MatchFeatures) -> Verdict {
    let same =
        a.company_key.is_some() && a.company_key == b.company_key && a.title_key == b.title_key;
    Verdict {
        same,
        reason: if same {
            "same company and title".into()
        } else {
            "different company or title".into()
        },
    }
}
