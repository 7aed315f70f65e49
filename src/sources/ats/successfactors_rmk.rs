//! SuccessFactors Recruiting Marketing (RMK) career sites, e.g. careers.airindia.com:
//! server-rendered search pages (`tr.data-row` rows, 25 per page, paged with `startrow=`) and
//! job pages with the description in `span.jobdescription`.
//!
//! RMK templates repeat fields for desktop and phone layouts, so the first match wins. The
//! posting id in the job URL (`/job/<slug>/<id>/`) is the external id; the "Req ID" shown on the
//! job page is a different number and is kept as `req_id`.

use super::util;
use super::{AtsCtx, AtsError, BoardId, Cursor, ListPage, Listing, PlannedRequest, Response};
use crate::model::RawRecord;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::sync::LazyLock;

const KIND: &str = "successfactors";
/// Search page used when the config names none.
pub const DEFAULT_SEARCH_PATH: &str = "/search/?q=&locationsearch=";
/// Rows per RMK search page.
pub const DEFAULT_PAGE_SIZE: u32 = 25;

static ROW: LazyLock<Selector> = LazyLock::new(|| sel("tr.data-row"));
static TITLE_LINK: LazyLock<Selector> = LazyLock::new(|| sel("a.jobTitle-link"));
static LOCATION: LazyLock<Selector> = LazyLock::new(|| sel("span.jobLocation"));
static DATE: LazyLock<Selector> = LazyLock::new(|| sel("span.jobDate"));
static DEPARTMENT: LazyLock<Selector> = LazyLock::new(|| sel("span.jobDepartment"));
static FACILITY: LazyLock<Selector> = LazyLock::new(|| sel("span.jobFacility"));
static PAGINATION: LazyLock<Selector> = LazyLock::new(|| sel(".paginationLabel"));
static DESCRIPTION: LazyLock<Selector> = LazyLock::new(|| sel("span.jobdescription"));
static D_TITLE: LazyLock<Selector> = LazyLock::new(|| {
    sel("[data-careersite-propertyid=\"title\"], [itemprop=\"title\"], #job-title")
});
static D_DATE: LazyLock<Selector> = LazyLock::new(|| {
    sel("[data-careersite-propertyid=\"date\"], [itemprop=\"datePosted\"], #job-date")
});
static D_LOCATION: LazyLock<Selector> = LazyLock::new(|| {
    sel("[data-careersite-propertyid=\"location\"], .jobGeoLocation, [itemprop=\"jobLocation\"]")
});
static D_DEPARTMENT: LazyLock<Selector> =
    LazyLock::new(|| sel("[data-careersite-propertyid=\"department\"]"));
static REQ_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)Req(?:uisition)?\.?\s*ID\s*:?\s*([A-Za-z0-9-]+)").unwrap());
static NUMBERS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d[\d,]*").unwrap());

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("static selector parses")
}

/// A configured RMK career site.
#[derive(Debug, Clone)]
pub(crate) struct Rmk {
    root: String,
    search_path: String,
    page_size: u32,
    details: bool,
}

impl Rmk {
    /// Checks the RMK keys.
    pub(crate) fn new(
        source: &str,
        root: String,
        search_path: Option<&str>,
        page_size: Option<u32>,
        details: bool,
    ) -> Result<Self, AtsError> {
        let search_path = search_path
            .unwrap_or(DEFAULT_SEARCH_PATH)
            .trim()
            .to_string();
        if !search_path.starts_with('/') {
            return Err(AtsError::Config {
                source_name: source.into(),
                preset: KIND,
                message: format!("`search_path` \"{search_path}\" must start with `/`"),
            });
        }
        let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE).max(1);
        Ok(Rmk {
            root,
            search_path,
            page_size,
            details,
        })
    }

    pub(crate) fn board(&self) -> BoardId {
        BoardId {
            what: "career site",
            value: format!("{}{}", self.root, self.search_path),
            keys: &["host", "search_path"],
        }
    }

    pub(crate) fn request(&self, cursor: &Cursor) -> PlannedRequest {
        let sep = if self.search_path.contains('?') {
            '&'
        } else {
            '?'
        };
        PlannedRequest::get(format!(
            "{}{}{sep}startrow={}",
            self.root, self.search_path, cursor.offset
        ))
    }

    pub(crate) fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, AtsError> {
        let doc = Html::parse_document(resp.body);
        let base = url::Url::parse(resp.url).map_err(|e| {
            util::parse_error(ctx, KIND, cursor.page, resp, format!("bad page URL: {e}"))
        })?;
        if cursor.page == 1 {
            cursor.total = doc
                .select(&PAGINATION)
                .next()
                .and_then(|p| {
                    NUMBERS
                        .find_iter(&text(p))
                        .last()
                        .map(|m| m.as_str().to_string())
                })
                .and_then(|n| n.replace(',', "").parse().ok());
        }
        let mut listings = Vec::new();
        let mut skipped = 0;
        for row in doc.select(&ROW) {
            let Some(link) = row.select(&TITLE_LINK).next() else {
                skipped += 1;
                continue;
            };
            let Some(url) = link.attr("href").and_then(|h| base.join(h).ok()) else {
                skipped += 1;
                continue;
            };
            let mut r = ctx.record(url.to_string(), text(link));
            r.external_id = posting_id(&url);
            r.apply_url = Some(url.to_string());
            r.location = first_text(row, &LOCATION);
            r.posted_date = first_text(row, &DATE);
            r.department = first_text(row, &DEPARTMENT);
            if let Some(f) = first_text(row, &FACILITY) {
                r.extra.insert("facility".into(), Value::String(f));
            }
            let detail = self.details.then(|| PlannedRequest::get(url.to_string()));
            listings.push(Listing { record: r, detail });
        }
        // A site that ignores `startrow` serves page 1 again: stop instead of looping.
        let first_id = listings
            .first()
            .map(|l| l.record.external_id.clone().unwrap_or(l.record.url.clone()));
        if cursor.page > 1 && first_id.is_some() && first_id == cursor.marker {
            return Ok(ListPage::default());
        }
        cursor.marker = first_id;
        let n = (listings.len() + skipped) as u64;
        cursor.offset += n;
        let more = match cursor.total {
            Some(total) => n > 0 && cursor.offset < total,
            None => n >= u64::from(self.page_size),
        };
        Ok(ListPage {
            listings,
            skipped,
            more,
            warnings: Vec::new(),
        })
    }

    pub(crate) fn parse_detail(
        &self,
        record: &mut RawRecord,
        resp: &Response<'_>,
        _ctx: &AtsCtx,
    ) -> Result<(), AtsError> {
        let doc = Html::parse_document(resp.body);
        let root = doc.root_element();
        if let Some(d) = doc.select(&DESCRIPTION).next() {
            record.description = Some(d.inner_html().trim().to_string());
        }
        if record.title.trim().is_empty()
            && let Some(t) = first_text(root, &D_TITLE)
        {
            record.title = t;
        }
        if let Some(date) = first_text(root, &D_DATE) {
            let date = date.trim_start_matches("Date:").trim().to_string();
            if !date.is_empty() {
                record.posted_date = Some(date);
            }
        }
        if record.location.is_none() {
            record.location = first_text(root, &D_LOCATION);
        }
        if let Some(dep) = first_text(root, &D_DEPARTMENT) {
            record.department = Some(dep);
        }
        let page_text = text(root);
        if let Some(c) = REQ_ID.captures(&page_text) {
            record
                .extra
                .insert("req_id".into(), Value::String(c[1].to_string()));
        }
        if page_text.contains("this position has been filled") {
            record.extra.insert("filled".into(), Value::Bool(true));
        }
        // RMK job pages often carry schema.org JobPosting JSON-LD: it fills what the markup
        // did not give (employment type, salary, closing date…).
        if let Ok(page_url) = url::Url::parse(resp.url)
            && let Some(ld) = crate::sources::jsonld::extract_doc(&doc, &page_url)
                .into_iter()
                .next()
        {
            fill(&mut record.posted_date, ld.posted_date);
            fill(&mut record.description, ld.description);
            fill(&mut record.location, ld.location);
            fill(&mut record.department, ld.department);
            fill(&mut record.employment_type, ld.employment_type);
            fill(&mut record.salary, ld.salary);
            fill(&mut record.closing_date, ld.closing_date);
        }
        Ok(())
    }
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// The last all-digit path segment of `/job/<slug>/<id>/`.
fn posting_id(url: &url::Url) -> Option<String> {
    url.path_segments()?
        .rev()
        .find(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
}

fn text(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_text(scope: ElementRef<'_>, selector: &Selector) -> Option<String> {
    scope
        .select(selector)
        .map(|e| {
            e.attr("content")
                .map(str::to_string)
                .unwrap_or_else(|| text(e))
        })
        .find(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posting_id_is_the_numeric_url_segment() {
        let cases = [
            (
                "https://careers.airindia.com/job/Gurugram-Duty-Manager/1234567/",
                Some("1234567"),
            ),
            (
                "https://careers.airindia.com/aix/job/_-Senior-Associate/998877/",
                Some("998877"),
            ),
            ("https://careers.airindia.com/job/no-id/", None),
        ];
        for (u, want) in cases {
            let url = url::Url::parse(u).unwrap();
            assert_eq!(posting_id(&url).as_deref(), want, "{u}");
        }
    }
}
