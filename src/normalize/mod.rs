//! Normalizer: raw records → clean, classified [`NormalizedJob`]s.
//!
//! One pass per record, no I/O: text cleanup ([`text`]), dates ([`dates`]), salary
//! ([`salary`]), country from the location ([`location`]), the advertiser through the company
//! registry ([`company`]), and the aviation classifiers ([`classify`], [`aircraft`]). Every
//! regex and table is built once (`LazyLock`), so normalizing costs microseconds.

pub mod aircraft;
pub mod classify;
pub mod company;
pub mod dates;
pub mod location;
pub(crate) mod memo;
pub mod salary;
pub mod text;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::model::{Category, NormalizedJob, RawRecord};

pub use company::{CompanyEntry, CompanyMatch, CompanyRegistry, Origin, company_key};

/// How much of a description is searched for licences when the title names none.
const DESCRIPTION_LICENCE_SCAN: usize = 2_000;

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

/// What a title alone says about a job (memoized per distinct title).
#[derive(Debug, Clone)]
struct TitleInfo {
    category: Category,
    senior: bool,
    aircraft: Vec<String>,
    licences: Vec<String>,
    employment: Option<crate::model::EmploymentType>,
    country: Option<String>,
}

/// Turns raw records into normalized jobs. Memo tables share their values (`Arc`), so a hit
/// copies only what goes into the job.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {
    registry: CompanyRegistry,
    titles: memo::Memo<Arc<TitleInfo>>,
    companies: memo::Memo<Option<Arc<CompanyMatch>>>,
    locations: memo::Memo<Option<&'static str>>,
    dates: memo::Memo<dates::DateText>,
    salaries: memo::Memo<Option<salary::ParsedSalary>>,
    employment: memo::Memo<Option<crate::model::EmploymentType>>,
}

impl Normalizer {
    /// A normalizer that resolves companies through `registry`.
    pub fn new(registry: CompanyRegistry) -> Self {
        Normalizer {
            registry,
            ..Default::default()
        }
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
        let title = text::clean_text(&raw.title);
        if title.is_empty() {
            return Err(RejectReason::MissingField("title"));
        }
        let url = crate::dedup::canonical_url(&raw.url).map_err(|why| RejectReason::BadUrl {
            url: raw.url.clone(),
            why,
        })?;
        let scraped_at = match raw.scraped_at.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => DateTime::parse_from_rfc3339(s)
                .map_err(|_| RejectReason::BadScrapedAt(s.to_string()))?
                .with_timezone(&Utc),
            _ => Utc::now(),
        };

        let info = self.titles.get_or(&title, || Arc::new(title_info(&title)));
        let company = text::clean_opt(raw.company.as_deref());
        let matched = company.as_deref().and_then(|c| {
            self.companies
                .get_or(c, || self.registry.resolve(c).map(Arc::new))
        });
        let location = text::clean_opt(raw.location.as_deref());
        let mut country_code = location
            .as_deref()
            .and_then(|l| self.locations.get_or(l, || location::resolve(l).country))
            .map(String::from);
        if country_code.is_none() {
            country_code = info.country.clone();
        }
        let description = raw
            .description
            .as_deref()
            .map(text::html_to_text)
            .filter(|d| !d.is_empty());
        let department = text::clean_opt(raw.department.as_deref());

        let category = match (info.category, department.as_deref()) {
            (Category::Other, Some(d)) => classify::category(&text::fold_key(d), None),
            (c, _) => c,
        };
        let mut licences = info.licences.clone();
        // Descriptions name licences for crew and engineers; elsewhere they are noise.
        if licences.is_empty()
            && matches!(
                category,
                Category::FlightCrew | Category::Maintenance | Category::Engineering
            )
            && let Some(d) = &description
        {
            // At most DESCRIPTION_LICENCE_SCAN bytes is at most that many characters.
            let end = if d.len() <= DESCRIPTION_LICENCE_SCAN {
                d.len()
            } else {
                d.char_indices()
                    .nth(DESCRIPTION_LICENCE_SCAN)
                    .map_or(d.len(), |(i, _)| i)
            };
            licences = aircraft::licences(&d[..end]);
        }
        let employment_type = raw
            .employment_type
            .as_deref()
            .and_then(|e| self.employment.get_or(e, || classify::employment_field(e)))
            .or(info.employment);
        let salary_text = text::clean_opt(raw.salary.as_deref());
        let salary = salary_text
            .as_deref()
            .and_then(|t| self.salaries.get_or(t, || salary::parse_salary(t)))
            .map(|p| salary::resolve_bare_dollar(p, country_code.as_deref()))
            .unwrap_or_default();
        let read_date = |d: &str| self.dates.get_or(d, || dates::read_date(d));
        let posted = raw
            .posted_date
            .as_deref()
            .and_then(|d| dates::resolve_posted(read_date(d), scraped_at));
        let closing_date = raw
            .closing_date
            .as_deref()
            .and_then(|d| dates::resolve_date(read_date(d), scraped_at))
            .map(|(d, _)| d);
        // A detail page's closed-posting marker (engine: `"status": "filled"`) or the text
        // itself; "until the position has been filled" in a live ad does not count.
        let filled = raw.extra.get("status").and_then(serde_json::Value::as_str) == Some("filled")
            || description
                .as_deref()
                .is_some_and(crate::ops::expire::page_says_filled);
        let apply_url = raw
            .apply_url
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|u| crate::dedup::canonical_url(u).unwrap_or_else(|_| u.to_string()));

        Ok(NormalizedJob {
            source,
            url,
            external_id: raw
                .external_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
            category: Some(category),
            senior: Some(info.senior),
            aircraft_types: info.aircraft.clone(),
            licences,
            title,
            company_key: matched.as_ref().map(|m| m.key.clone()),
            operation_type: matched.as_ref().map(|m| m.operation_type),
            company,
            location,
            country_code,
            employment_type,
            salary,
            salary_text,
            posted_date: posted.map(|(d, _)| d),
            posted_precision: posted.map(|(_, p)| p),
            closing_date,
            description,
            department,
            apply_url,
            scraped_at,
            filled,
            raw: raw_value(raw),
        })
    }
}

/// `serde_json::to_value(&raw)`, moving the strings instead of copying them: the same keys in
/// the same order (the fields as declared, `None` skipped, then the flattened extras, where a
/// repeated key replaces the value in place).
fn raw_value(raw: RawRecord) -> Value {
    let RawRecord {
        source,
        url,
        title,
        company,
        location,
        description,
        posted_date,
        scraped_at,
        employment_type,
        salary,
        external_id,
        apply_url,
        closing_date,
        department,
        remote,
        extra,
    } = raw;
    let optional_count = [
        &company,
        &location,
        &description,
        &posted_date,
        &scraped_at,
        &employment_type,
        &salary,
        &external_id,
        &apply_url,
        &closing_date,
        &department,
    ]
    .iter()
    .filter(|v| v.is_some())
    .count();
    // Exactly the entries to come: a larger table costs a larger (slower) allocation.
    let mut map = Map::with_capacity(3 + optional_count + remote.is_some() as usize + extra.len());
    map.insert("source".into(), Value::String(source));
    map.insert("url".into(), Value::String(url));
    map.insert("title".into(), Value::String(title));
    let optional = [
        ("company", company),
        ("location", location),
        ("description", description),
        ("posted_date", posted_date),
        ("scraped_at", scraped_at),
        ("employment_type", employment_type),
        ("salary", salary),
        ("external_id", external_id),
        ("apply_url", apply_url),
        ("closing_date", closing_date),
        ("department", department),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            map.insert(key.into(), Value::String(v));
        }
    }
    if let Some(v) = remote {
        map.insert("remote".into(), v);
    }
    for (k, v) in extra {
        map.insert(k, v);
    }
    Value::Object(map)
}

/// Everything the title alone determines.
fn title_info(title: &str) -> TitleInfo {
    let folded = text::fold_key(title);
    TitleInfo {
        category: classify::category(&folded, None),
        senior: classify::senior(&folded),
        aircraft: aircraft::aircraft_types(&folded),
        licences: aircraft::licences(title),
        employment: classify::employment_type(title),
        country: country_from_title(title),
    }
}

/// A country named by the places in a title ("… | Dubai | …", "… - MIA"), when they agree.
fn country_from_title(title: &str) -> Option<String> {
    let places = location::places_in_title(title);
    let mut countries = places.iter().map(|p| p.country);
    let first = countries.next()?;
    countries.all(|c| c == first).then(|| first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_value_is_the_serde_form_of_the_record() {
        let mut extra = Map::new();
        extra.insert("status".into(), Value::String("filled".into()));
        // A key that repeats a field: serde's flatten writes it again, replacing the value.
        extra.insert("title".into(), Value::String("from extra".into()));
        extra.insert("n".into(), Value::from(3));
        let full = RawRecord {
            source: "s".into(),
            url: "https://x.example/1".into(),
            title: "Captain".into(),
            company: Some("c".into()),
            location: Some("l".into()),
            description: Some("d".into()),
            posted_date: Some("p".into()),
            scraped_at: Some("t".into()),
            employment_type: Some("e".into()),
            salary: Some("$1".into()),
            external_id: Some("x".into()),
            apply_url: Some("a".into()),
            closing_date: Some("cd".into()),
            department: Some("dep".into()),
            remote: Some(serde_json::json!({"remote": true})),
            extra,
        };
        let sparse = RawRecord {
            title: "Only a title".into(),
            ..Default::default()
        };
        for raw in [full, sparse] {
            let want = serde_json::to_value(&raw).unwrap();
            let got = raw_value(raw);
            assert_eq!(got, want);
            // Same key order too (the stored JSON text must not change).
            assert_eq!(got.to_string(), want.to_string());
        }
    }
}
