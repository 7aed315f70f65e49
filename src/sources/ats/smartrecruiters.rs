//! SmartRecruiters Posting API: `GET /v1/companies/{company}/postings?offset=&limit=` with
//! `totalFound`, then `GET …/postings/{id}` per job for the job-ad sections and URLs.
//!
//! Quirks handled: `limit` is capped at 100; list objects are partial (no description, no
//! URLs); `releasedDate` is the posting date; the country code comes lower-case.

use super::util::{self, s};
use super::{
    AtsCtx, AtsError, BoardId, Cursor, ListPage, Listing, PlannedRequest, Preset, Response,
};
use crate::model::RawRecord;
use serde::Deserialize;
use serde_json::Value;

const KIND: &str = "smartrecruiters";
/// The public API root.
pub const DEFAULT_API_ROOT: &str = "https://api.smartrecruiters.com";
/// Public job pages, used when the detail call gives no `postingUrl`.
pub const JOBS_ROOT: &str = "https://jobs.smartrecruiters.com";
/// The most postings the API returns per page.
pub const MAX_LIMIT: u32 = 100;
/// The job-ad sections, in reading order.
const SECTIONS: [&str; 4] = [
    "companyDescription",
    "jobDescription",
    "qualifications",
    "additionalInformation",
];

/// `kind = "smartrecruiters"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmartRecruitersConfig {
    /// Company identifier, as in `jobs.smartrecruiters.com/{company_id}` (the `company` key
    /// stays the display name every source accepts).
    pub company_id: String,
    /// Postings per page, at most 100 (default 100).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Fetch each posting for its description and apply URL (default true).
    #[serde(default = "crate::sources::yes")]
    pub details: bool,
}

impl SmartRecruitersConfig {
    /// Validates the keys into a runnable preset.
    pub fn build(&self, source: &str, base_url: Option<&str>) -> Result<SmartRecruiters, AtsError> {
        util::require(source, KIND, "company_id", &self.company_id)?;
        let root = util::root(source, KIND, base_url, || Ok(DEFAULT_API_ROOT.into()))?;
        let limit = self.limit.unwrap_or(MAX_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AtsError::Config {
                source_name: source.into(),
                preset: KIND,
                message: format!("`limit` = {limit}: the API accepts 1 to {MAX_LIMIT}"),
            });
        }
        Ok(SmartRecruiters {
            company: self.company_id.trim().to_string(),
            root,
            limit,
            details: self.details,
        })
    }
}

/// A configured SmartRecruiters company.
#[derive(Debug, Clone)]
pub struct SmartRecruiters {
    company: String,
    root: String,
    limit: u32,
    details: bool,
}

impl SmartRecruiters {
    fn postings(&self) -> String {
        format!(
            "{}/v1/companies/{}/postings",
            self.root,
            util::enc(&self.company)
        )
    }
}

impl Preset for SmartRecruiters {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn empty_is_confirmed(&self) -> bool {
        false
    }

    fn board(&self) -> BoardId {
        BoardId {
            what: "company",
            value: self.company.clone(),
            keys: &["company_id"],
        }
    }

    fn request(&self, cursor: &Cursor) -> PlannedRequest {
        PlannedRequest::get_json(format!(
            "{}?offset={}&limit={}",
            self.postings(),
            cursor.offset,
            self.limit
        ))
    }

    fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, AtsError> {
        let v = util::parse_json(ctx, KIND, cursor.page, resp)?;
        let content = v
            .get("content")
            .and_then(Value::as_array)
            .ok_or_else(|| util::parse_error(ctx, KIND, cursor.page, resp, "no `content` array"))?;
        if let Some(t) = v.get("totalFound").and_then(Value::as_u64) {
            cursor.total = Some(t);
        }
        let mut warnings = Vec::new();
        if cursor.page == 1 && content.is_empty() {
            warnings.push(format!(
                "company \"{}\" lists 0 jobs: SmartRecruiters answers an unknown company this \
                 way too, so check the `company_id` key",
                self.company
            ));
        }
        let mut listings = Vec::with_capacity(content.len());
        for p in content {
            let Some(id) = s(p, "id") else {
                return Err(util::parse_error(
                    ctx,
                    KIND,
                    cursor.page,
                    resp,
                    "a posting has no `id`",
                ));
            };
            let record = posting_record(ctx, &self.company, p, &id);
            let detail = self.details.then(|| {
                PlannedRequest::get_json(format!("{}/{}", self.postings(), util::enc(&id)))
            });
            listings.push(Listing { record, detail });
        }
        let n = content.len() as u64;
        cursor.offset += n;
        let more = match cursor.total {
            Some(total) => n > 0 && cursor.offset < total,
            None => n >= u64::from(self.limit),
        };
        Ok(ListPage {
            listings,
            skipped: 0,
            more,
            warnings,
        })
    }

    fn parse_detail(
        &self,
        ctx: &AtsCtx,
        record: &mut RawRecord,
        resp: &Response<'_>,
    ) -> Result<(), AtsError> {
        let v = util::parse_json(ctx, KIND, 0, resp)?;
        let mut html = String::new();
        for key in SECTIONS {
            let Some(section) = v.pointer(&format!("/jobAd/sections/{key}")) else {
                continue;
            };
            if let Some(text) = s(section, "text") {
                if let Some(title) = s(section, "title") {
                    html.push_str(&format!("<h3>{title}</h3>\n"));
                }
                html.push_str(&text);
                html.push('\n');
            }
        }
        if !html.is_empty() {
            record.description = Some(html.trim_end().to_string());
        }
        if let Some(page) = s(&v, "postingUrl") {
            record.url = page;
        }
        if let Some(apply) = s(&v, "applyUrl").or_else(|| s(&v, "postingUrl")) {
            record.apply_url = Some(apply);
        }
        Ok(())
    }
}

fn posting_record(ctx: &AtsCtx, company: &str, p: &Value, id: &str) -> RawRecord {
    let url = format!("{JOBS_ROOT}/{}/{}", util::enc(company), util::enc(id));
    let mut r = ctx.record(url.clone(), s(p, "name").unwrap_or_default());
    r.external_id = Some(id.to_string());
    r.apply_url = Some(url);
    r.company = p.pointer("/company/name").and_then(util::text);
    let loc = p.get("location").cloned().unwrap_or(Value::Null);
    let country = s(&loc, "country").map(|c| c.to_ascii_uppercase());
    r.location = s(&loc, "fullLocation").or_else(|| {
        util::join_parts([
            s(&loc, "city").as_deref(),
            s(&loc, "region").as_deref(),
            country.as_deref(),
        ])
    });
    if let Some(remote) = loc.get("remote").filter(|r| r.is_boolean()) {
        r.remote = Some(remote.clone());
    }
    r.posted_date = s(p, "releasedDate");
    r.department = p.pointer("/department/label").and_then(util::text);
    r.employment_type = p.pointer("/typeOfEmployment/label").and_then(util::text);
    if let Some(ref_number) = s(p, "refNumber") {
        r.extra
            .insert("ref_number".into(), Value::String(ref_number));
    }
    if let Some(level) = p.pointer("/experienceLevel/label").and_then(util::text) {
        r.extra
            .insert("experience_level".into(), Value::String(level));
    }
    r
}
