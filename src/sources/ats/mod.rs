//! ATS presets: Greenhouse, Lever, Workday, SmartRecruiters, Ashby, Personio, Recruitee,
//! SuccessFactors, Oracle Recruiting Cloud.
//!
//! Most airlines, MROs and OEMs publish their jobs through an applicant-tracking system with a
//! public JSON or XML endpoint, so an operator adds such an employer with three lines of TOML
//! instead of writing selectors.
//!
//! Every preset is split in two pure halves so it can be tested without a network:
//! a *planner* ([`Preset::request`]) that says which HTTP request fetches list page N, and a
//! *parser* ([`Preset::parse_list`], [`Preset::parse_detail`]) that turns a response body into
//! [`RawRecord`]s plus the paging state. [`crawl`] drives the two through a [`Driver`]: the
//! engine's [`AtsEngine`] fetches with the shared polite, retrying fetcher (so politeness,
//! retries and crawl-log counters apply to every ATS call) and streams records into the run's
//! sink; the tests drive the same loop against [`mock::MockAts`].
//!
//! Errors the API signals (unknown board, `{"ok": false}`, HTTP 400/422) end the source as
//! `error` with a message naming the config key to fix; a failed detail call is only a warning.

pub mod ashby;
mod crawl;
pub mod demo;
mod engine;
pub mod greenhouse;
pub mod lever;
pub mod mock;
pub mod oracle;
pub mod personio;
pub mod recruitee;
pub mod smartrecruiters;
pub mod successfactors;
mod successfactors_rmk;
mod util;
pub mod workday;

pub use crawl::{CrawlError, CrawlStats, Driver, Fetched, crawl};
pub use engine::AtsEngine;

use crate::model::RawRecord;

/// Hard stop on list pages per source, so a paging bug or a looping API cannot crawl forever.
pub const MAX_LIST_PAGES: u32 = 500;

/// The preset keys accepted as `kind` in a source config.
pub const PRESET_KINDS: [&str; 9] = [
    "greenhouse",
    "lever",
    "workday",
    "smartrecruiters",
    "ashby",
    "personio",
    "recruitee",
    "successfactors",
    "oracle",
];

/// HTTP method of a planned request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST with a body.
    Post,
}

/// One HTTP request a preset wants made.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL, query included.
    pub url: String,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// Request body (JSON for POST presets).
    pub body: Option<String>,
}

impl PlannedRequest {
    /// A GET of `url` that asks for JSON.
    pub fn get_json(url: impl Into<String>) -> Self {
        PlannedRequest {
            method: Method::Get,
            url: url.into(),
            headers: vec![("Accept".into(), "application/json".into())],
            body: None,
        }
    }

    /// A plain GET of `url` (XML feeds, HTML pages).
    pub fn get(url: impl Into<String>) -> Self {
        PlannedRequest {
            method: Method::Get,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A POST of a JSON body to `url`.
    pub fn post_json(url: impl Into<String>, body: &serde_json::Value) -> Self {
        PlannedRequest {
            method: Method::Post,
            url: url.into(),
            headers: vec![
                ("Accept".into(), "application/json".into()),
                ("Content-Type".into(), "application/json".into()),
            ],
            body: Some(body.to_string()),
        }
    }
}

/// The part of an HTTP response a parser needs.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// Final URL (after redirects).
    pub url: &'a str,
    /// HTTP status code.
    pub status: u16,
    /// Body as text.
    pub body: &'a str,
}

/// Paging state carried from one list page to the next.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cursor {
    /// 1-based number of the page about to be fetched / just parsed.
    pub page: u32,
    /// Offset (skip, startrow…) of the page about to be fetched.
    pub offset: u64,
    /// Total number of jobs as announced by the API (first page only for Workday).
    pub total: Option<u64>,
    /// Preset-specific marker, e.g. the first id of the previous page (to notice a site that
    /// ignores the offset and serves page 1 again).
    pub marker: Option<String>,
}

impl Cursor {
    /// The cursor for the first page.
    pub fn first() -> Self {
        Cursor {
            page: 1,
            offset: 0,
            total: None,
            marker: None,
        }
    }
}

/// One job found on a list page, with the detail request that completes it (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// The record as far as the list page knows it.
    pub record: RawRecord,
    /// A request whose answer [`Preset::parse_detail`] merges into the record.
    pub detail: Option<PlannedRequest>,
}

/// What a list page yielded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListPage {
    /// Jobs on this page (already filtered: unlisted / unpublished jobs are dropped).
    pub listings: Vec<Listing>,
    /// Jobs the API returned but the preset dropped on purpose (unlisted, unpublished).
    pub skipped: usize,
    /// True when another list page must be fetched (the cursor has been advanced).
    pub more: bool,
    /// Things the operator should look at that do not stop the source.
    pub warnings: Vec<String>,
}

/// Who the job board belongs to, for error messages and records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AtsCtx {
    /// Source name (the config's `name`); becomes each record's `source`.
    pub name: String,
    /// The config's `company`, for records whose payload names none.
    pub company: Option<String>,
}

impl AtsCtx {
    /// A context for source `name` with an optional company default.
    pub fn new(name: impl Into<String>, company: Option<String>) -> Self {
        AtsCtx {
            name: name.into(),
            company,
        }
    }

    /// A fresh record for this source with `url` and `title` set (company comes later: the
    /// payload's, else the config's).
    pub fn record(&self, url: impl Into<String>, title: impl Into<String>) -> RawRecord {
        RawRecord {
            source: self.name.clone(),
            url: url.into(),
            title: title.into(),
            ..RawRecord::default()
        }
    }
}

/// Which config keys identify the board, for "check the … key" hints.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardId {
    /// What the keys name, e.g. `board`, `tenant/site`.
    pub what: &'static str,
    /// The configured value(s), e.g. `boeing/EXTERNAL_CAREERS`.
    pub value: String,
    /// The keys to check, e.g. `["tenant", "site"]`.
    pub keys: &'static [&'static str],
}

/// Everything that can end an ATS crawl.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AtsError {
    /// The API said the board/company/site does not exist or refused the identifiers.
    #[error("source \"{source_name}\": {preset} {what} \"{value}\" {reason}: check the {keys}", what = board.what, value = board.value, keys = key_list(board.keys))]
    Board {
        /// Source name.
        source_name: String,
        /// Preset key (`workday`…).
        preset: &'static str,
        /// The identifying keys.
        board: BoardId,
        /// What went wrong, e.g. `rejected by the API (HTTP 422)`.
        reason: String,
    },
    /// The API answered with an unexpected HTTP status.
    #[error(
        "source \"{source_name}\": {preset} API answered HTTP {status} for {url} (page {page})"
    )]
    Http {
        /// Source name.
        source_name: String,
        /// Preset key.
        preset: &'static str,
        /// Requested URL.
        url: String,
        /// HTTP status.
        status: u16,
        /// List page number.
        page: u32,
    },
    /// The answer did not have the documented shape.
    #[error(
        "source \"{source_name}\": {preset} answer from {url} (page {page}) is not what the API documents: {message}"
    )]
    Parse {
        /// Source name.
        source_name: String,
        /// Preset key.
        preset: &'static str,
        /// Requested URL.
        url: String,
        /// List page number.
        page: u32,
        /// What did not match.
        message: String,
    },
    /// The request could not be made (network, timeout, blocked) even after retries.
    #[error("source \"{source_name}\": {preset} request to {url} failed: {message}")]
    Fetch {
        /// Source name.
        source_name: String,
        /// Preset key.
        preset: &'static str,
        /// Requested URL.
        url: String,
        /// The fetcher's error.
        message: String,
    },
    /// The source config is unusable (missing or contradictory keys).
    #[error("source \"{source_name}\": {preset} config: {message}")]
    Config {
        /// Source name.
        source_name: String,
        /// Preset key.
        preset: &'static str,
        /// What to fix.
        message: String,
    },
}

impl AtsError {
    /// For a config error, the key to fix (config messages name it first, in backticks).
    pub fn config_key(&self) -> Option<&str> {
        let AtsError::Config { message, .. } = self else {
            return None;
        };
        let start = message.find('`')? + 1;
        let len = message[start..].find('`')?;
        Some(&message[start..start + len])
    }
}

fn key_list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.len() {
        0 => "config".into(),
        1 => format!("{} key", quoted[0]),
        n => format!("{} and {} keys", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// One ATS preset, configured for one board. Implementations are pure: no I/O.
pub trait Preset: Send + Sync + std::fmt::Debug {
    /// The preset key (`kind` value), e.g. `workday`.
    fn kind(&self) -> &'static str;

    /// The keys that identify the board, for error hints.
    fn board(&self) -> BoardId;

    /// The request for the list page at `cursor`.
    fn request(&self, cursor: &Cursor) -> PlannedRequest;

    /// Parses a successful (2xx) list page, advancing `cursor` when more pages follow.
    fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, AtsError>;

    /// True when a well-formed answer without jobs proves the board is empty. False for APIs
    /// that answer a wrong identifier with an empty list too (Workday, SmartRecruiters, RMK).
    fn empty_is_confirmed(&self) -> bool {
        true
    }

    /// Merges a successful (2xx) detail answer into `record`.
    fn parse_detail(
        &self,
        _ctx: &AtsCtx,
        _record: &mut RawRecord,
        _resp: &Response<'_>,
    ) -> Result<(), AtsError> {
        Ok(())
    }

    /// Classifies a non-2xx list answer. The default maps 404/410 to "board not found" and
    /// 400/422 to "rejected", naming the keys to fix; anything else is a plain HTTP error.
    fn list_status_error(&self, ctx: &AtsCtx, page: u32, resp: &Response<'_>) -> AtsError {
        default_status_error(self.kind(), self.board(), ctx, page, resp)
    }
}

/// The default mapping of a failed list answer to an [`AtsError`].
pub fn default_status_error(
    preset: &'static str,
    board: BoardId,
    ctx: &AtsCtx,
    page: u32,
    resp: &Response<'_>,
) -> AtsError {
    let reason = match resp.status {
        404 | 410 => format!("was not found by the API (HTTP {})", resp.status),
        400 | 422 => format!("was rejected by the API (HTTP {})", resp.status),
        _ => {
            return AtsError::Http {
                source_name: ctx.name.clone(),
                preset,
                url: resp.url.to_string(),
                status: resp.status,
                page,
            };
        }
    };
    AtsError::Board {
        source_name: ctx.name.clone(),
        preset,
        board,
        reason,
    }
}

/// The keys of any ATS preset, by `kind` (read by [`AtsConfig::parse`]).
#[derive(Debug, Clone, PartialEq)]
pub enum AtsConfig {
    /// `kind = "greenhouse"`.
    Greenhouse(greenhouse::GreenhouseConfig),
    /// `kind = "lever"`.
    Lever(lever::LeverConfig),
    /// `kind = "workday"`.
    Workday(workday::WorkdayConfig),
    /// `kind = "smartrecruiters"`.
    Smartrecruiters(smartrecruiters::SmartRecruitersConfig),
    /// `kind = "ashby"`.
    Ashby(ashby::AshbyConfig),
    /// `kind = "personio"`.
    Personio(personio::PersonioConfig),
    /// `kind = "recruitee"`.
    Recruitee(recruitee::RecruiteeConfig),
    /// `kind = "successfactors"`.
    Successfactors(successfactors::SuccessFactorsConfig),
    /// `kind = "oracle"`.
    Oracle(oracle::OracleConfig),
}

impl AtsConfig {
    /// Validates the config into a runnable preset; the error names the key to fix.
    /// `base_url` (a key every source accepts) replaces the vendor's default root.
    pub fn build(
        &self,
        source_name: &str,
        base_url: Option<&str>,
    ) -> Result<Box<dyn Preset>, AtsError> {
        let b = base_url;
        Ok(match self {
            AtsConfig::Greenhouse(c) => Box::new(c.build(source_name, b)?),
            AtsConfig::Lever(c) => Box::new(c.build(source_name, b)?),
            AtsConfig::Workday(c) => Box::new(c.build(source_name, b)?),
            AtsConfig::Smartrecruiters(c) => Box::new(c.build(source_name, b)?),
            AtsConfig::Ashby(c) => Box::new(c.build(source_name, b)?),
            AtsConfig::Personio(c) => Box::new(c.build(source_name, b)?),
            AtsConfig::Recruitee(c) => Box::new(c.build(source_name, b)?),
            AtsConfig::Successfactors(c) => Box::new(c.build(source_name, b)?),
            AtsConfig::Oracle(c) => Box::new(c.build(source_name, b)?),
        })
    }

    /// The preset key (`kind` value).
    pub fn kind(&self) -> &'static str {
        match self {
            AtsConfig::Greenhouse(_) => "greenhouse",
            AtsConfig::Lever(_) => "lever",
            AtsConfig::Workday(_) => "workday",
            AtsConfig::Smartrecruiters(_) => "smartrecruiters",
            AtsConfig::Ashby(_) => "ashby",
            AtsConfig::Personio(_) => "personio",
            AtsConfig::Recruitee(_) => "recruitee",
            AtsConfig::Successfactors(_) => "successfactors",
            AtsConfig::Oracle(_) => "oracle",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn board_error_names_the_keys_to_fix() {
        let e = AtsError::Board {
            source_name: "boeing".into(),
            preset: "workday",
            board: BoardId {
                what: "tenant/site",
                value: "boeing/BoeingCareers".into(),
                keys: &["tenant", "site"],
            },
            reason: "was rejected by the API (HTTP 422)".into(),
        };
        assert_eq!(
            e.to_string(),
            "source \"boeing\": workday tenant/site \"boeing/BoeingCareers\" was rejected by the \
             API (HTTP 422): check the `tenant` and `site` keys"
        );
    }
}
