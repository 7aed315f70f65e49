//! The records that flow through the pipeline.
//!
//! [`RawRecord`] is the fixed ingest format (ARCHITECTURE §2): what `aeroscrap ingest` reads and
//! what every source produces. [`NormalizedJob`] is what the normalizer makes of it, with the
//! fixed vocabularies of ARCHITECTURE §3. Unknown keys of a raw record are kept in
//! [`RawRecord::extra`] so nothing a site gave us is lost.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One job posting as a source saw it, before normalization (the fixed ingest format).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RawRecord {
    /// Name of the source that produced the record (e.g. `aviationjobsearch`).
    #[serde(default)]
    pub source: String,
    /// URL of the posting.
    #[serde(default)]
    pub url: String,
    /// Job title as shown by the site.
    #[serde(default)]
    pub title: String,
    /// Advertising company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Free-text location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Description, plain text or HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Posting date in any of the accepted forms (ISO, relative, epoch ms, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posted_date: Option<String>,
    /// When the record was scraped (RFC 3339); reference time for relative dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scraped_at: Option<String>,
    /// Employment type as the site words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment_type: Option<String>,
    /// Salary as free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary: Option<String>,
    /// The site's own id for the posting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Where to apply, when different from `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_url: Option<String>,
    /// Closing date in any accepted date form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_date: Option<String>,
    /// Department or team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Remote / workplace information as given by the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<Value>,
    /// Every other key of the input object, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Operation type of the advertising company (fixed vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationType {
    /// Passenger airline.
    Airline,
    /// Cargo airline.
    Cargo,
    /// Business / private aviation operator.
    BusinessAviation,
    /// Maintenance, repair and overhaul.
    Mro,
    /// Aircraft, engine or parts manufacturer.
    Oem,
    /// Airport operator.
    Airport,
    /// Ground handler.
    GroundHandling,
    /// Air navigation service provider.
    Atc,
    /// Training organisation.
    Training,
    /// Aircraft lessor.
    Lessor,
    /// Recruiter or staffing agency.
    Recruiter,
    /// Anything else.
    Other,
}

/// Category of the job itself (fixed vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Pilots and flight engineers.
    FlightCrew,
    /// Cabin crew.
    CabinCrew,
    /// Licensed and unlicensed aircraft maintenance.
    Maintenance,
    /// Engineering (design, CAMO, technical services).
    Engineering,
    /// Ground operations, dispatch, handling.
    GroundOps,
    /// Air traffic control.
    Atc,
    /// Management.
    Management,
    /// Anything else.
    Other,
}

/// Employment type (fixed vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    /// Full-time / permanent.
    FullTime,
    /// Part-time.
    PartTime,
    /// Contract.
    Contract,
    /// Temporary or seasonal.
    Temporary,
    /// Internship, trainee, apprenticeship.
    Internship,
    /// Anything else.
    Other,
}

/// Salary period (fixed vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalaryPeriod {
    /// Per hour.
    Hour,
    /// Per day.
    Day,
    /// Per week.
    Week,
    /// Per month.
    Month,
    /// Per year.
    Year,
}

/// Status of a canonical job (fixed vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Still advertised.
    #[default]
    Active,
    /// No longer seen on any source.
    Expired,
    /// A source said the position is filled.
    Filled,
}

macro_rules! vocab_str {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            /// The vocabulary word, as stored and exported.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
            /// Parses the vocabulary word; `None` for anything else.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)* _ => None }
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocab_str!(OperationType {
    Airline => "airline", Cargo => "cargo", BusinessAviation => "business_aviation", Mro => "mro",
    Oem => "oem", Airport => "airport", GroundHandling => "ground_handling", Atc => "atc",
    Training => "training", Lessor => "lessor", Recruiter => "recruiter", Other => "other",
});
vocab_str!(Category {
    FlightCrew => "flight_crew", CabinCrew => "cabin_crew", Maintenance => "maintenance",
    Engineering => "engineering", GroundOps => "ground_ops", Atc => "atc",
    Management => "management", Other => "other",
});
vocab_str!(EmploymentType {
    FullTime => "full_time", PartTime => "part_time", Contract => "contract",
    Temporary => "temporary", Internship => "internship", Other => "other",
});
vocab_str!(SalaryPeriod { Hour => "hour", Day => "day", Week => "week", Month => "month", Year => "year" });
vocab_str!(JobStatus { Active => "active", Expired => "expired", Filled => "filled" });

/// Structured salary parsed from free text. Currency is `None` unless the text names one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Salary {
    /// Lower bound.
    pub min: Option<f64>,
    /// Upper bound (equal to `min` for a single figure).
    pub max: Option<f64>,
    /// ISO 4217 code, only when the text says so.
    pub currency: Option<String>,
    /// Pay period, when stated or unambiguous.
    pub period: Option<SalaryPeriod>,
}

/// How precise a parsed posting date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// The site gave an absolute date.
    Exact,
    /// Resolved from a relative form ("3 days ago").
    Relative,
    /// A lower bound on age ("30+ days ago"): the posting is at least this old.
    AtLeast,
}

/// A raw record after normalization: clean text plus every classified field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NormalizedJob {
    /// Source name.
    pub source: String,
    /// Canonical URL (tracking parameters stripped).
    pub url: String,
    /// The site's own id, trimmed; `None` when absent or empty.
    pub external_id: Option<String>,
    /// Clean title.
    pub title: String,
    /// Company as displayed (clean text).
    pub company: Option<String>,
    /// Normalized company key for matching (legal forms, case, punctuation removed; aliases applied).
    pub company_key: Option<String>,
    /// Clean location text.
    pub location: Option<String>,
    /// ISO 3166-1 alpha-2 country, never a guess.
    pub country_code: Option<String>,
    /// Operation type of the advertiser.
    pub operation_type: Option<OperationType>,
    /// Job category.
    pub category: Option<Category>,
    /// Senior role (captain, lead, head, manager…).
    pub senior: Option<bool>,
    /// Normalized aircraft types, e.g. `A320`, `B737`.
    pub aircraft_types: Vec<String>,
    /// Licences, e.g. `ATPL`, `B1`.
    pub licences: Vec<String>,
    /// Employment type.
    pub employment_type: Option<EmploymentType>,
    /// Parsed salary.
    pub salary: Salary,
    /// Salary as the site wrote it.
    pub salary_text: Option<String>,
    /// Posting date.
    pub posted_date: Option<NaiveDate>,
    /// Precision of `posted_date`.
    pub posted_precision: Option<DatePrecision>,
    /// Closing date.
    pub closing_date: Option<NaiveDate>,
    /// Description as plain text.
    pub description: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Apply URL.
    pub apply_url: Option<String>,
    /// When the record was scraped.
    pub scraped_at: DateTime<Utc>,
    /// True when the page said the position is filled.
    pub filled: bool,
    /// The raw record as JSON, kept verbatim.
    pub raw: Value,
}
