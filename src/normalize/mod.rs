//! Normalizer: raw records → clean, classified [`NormalizedJob`]s.
//!
//! FIRST CUT (skeleton): the interface below is what the pipeline calls; the real text cleanup,
//! date, salary and aviation classifiers replace these bodies.

use chrono::{DateTime, Utc};

use crate::model::{NormalizedJob, RawRecord, Salary};

/// Why a raw record cannot be stored. Goes to the rejects table with the record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RejectReason {
    /// A required field (`source`, `url`, `title`) is missing or empty.
    #[error("missing required field `{0}`")]
    MissingField(&'static str),
    /// The URL does not parse as an absolute http(s) URL.
    #[error("unparseable url {url:?}: {why}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// Why it failed.
        why: String,
    },
    /// `scraped_at` is not RFC 3339.
    #[error("scraped_at {0:?} is not an RFC 3339 timestamp")]
    BadScrapedAt(String),
}

/// Companies known to the normalizer: canonical names, aliases and operation types.
#[derive(Debug, Clone, Default)]
pub struct CompanyRegistry {}

impl CompanyRegistry {
    /// The registry bundled with the binary.
    pub fn bundled() -> Self {
        CompanyRegistry {}
    }
}

/// Turns raw records into normalized jobs.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {
    registry: CompanyRegistry,
}

impl Normalizer {
    /// A normalizer that resolves companies through `registry`.
    pub fn new(registry: CompanyRegistry) -> Self {
        Normalizer { registry }
    }

    /// The company registry in use.
    pub fn registry(&self) -> &CompanyRegistry {
        &self.registry
    }

    /// Normalizes one raw record, or says why it must be rejected.
    pub fn normalize(&self, raw: RawRecord) -> Result<NormalizedJob, RejectReason> {
        let source = raw.source.trim().to_string();
        if source.is_empty() {
            return Err(RejectReason::MissingField("source"));
        }
        if raw.url.trim().is_empty() {
            return Err(RejectReason::MissingField("url"));
        }
        let title = raw.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            return Err(RejectReason::MissingField("title"));
        }
        let url = crate::dedup::canonical_url(&raw.url).map_err(|why| RejectReason::BadUrl {
            url: raw.url.clone(),
            why,
        })?;
        let scraped_at = match &raw.scraped_at {
            Some(s) => DateTime::parse_from_rfc3339(s)
                .map_err(|_| RejectReason::BadScrapedAt(s.clone()))?
                .with_timezone(&Utc),
            None => Utc::now(),
        };
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|v| !v.is_empty())
        };
        let company = clean(&raw.company);
        Ok(NormalizedJob {
            source,
            url,
            external_id: raw
                .external_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
            title,
            company_key: company.as_ref().map(|c| c.to_lowercase()),
            company,
            location: clean(&raw.location),
            country_code: None,
            operation_type: None,
            category: None,
            senior: None,
            aircraft_types: Vec::new(),
            licences: Vec::new(),
            employment_type: None,
            salary: Salary::default(),
            salary_text: clean(&raw.salary),
            posted_date: None,
            posted_precision: None,
            closing_date: None,
            description: clean(&raw.description),
            department: clean(&raw.department),
            apply_url: raw.apply_url.clone(),
            scraped_at,
            filled: false,
            raw: serde_json::to_value(&raw).unwrap_or_default(),
        })
    }
}
