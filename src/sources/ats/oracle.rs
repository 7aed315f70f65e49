//! Oracle Recruiting Cloud (HCM "Candidate Experience"): the `recruitingCEJobRequisitions`
//! REST resource with the `findReqs` finder, paged by the finder's `offset`/`limit`.
//!
//! Quirks handled: the jobs sit in `items[0].requisitionList[]`; paging stops at the first page
//! with fewer than `limit` rows (the count field is not always there); `WorkplaceType` is the
//! workplace (on-site/hybrid/remote), not the employment type, which only shows up as a title
//! suffix such as "- Part-Time Per Diem"; the public job page lives on the candidate site, which
//! can be a vanity domain different from the API host (`jobs_url`).

use super::util::{self, s};
use super::{
    AtsCtx, AtsError, BoardId, Cursor, ListPage, Listing, PlannedRequest, Preset, Response,
};
use crate::model::RawRecord;
use serde::Deserialize;
use serde_json::Value;

const KIND: &str = "oracle";
/// Candidate-experience site number when the config names none.
pub const DEFAULT_SITE_NUMBER: &str = "CX_1";
/// Requisitions per page (what the candidate site itself asks for).
pub const DEFAULT_LIMIT: u32 = 25;
/// The largest page the REST finder serves.
pub const MAX_LIMIT: u32 = 500;
const FACETS: &str = "LOCATIONS;WORK_LOCATIONS;WORKPLACE_TYPES;TITLES;CATEGORIES;ORGANIZATIONS;POSTING_DATES;FLEX_FIELDS";
/// Detail fields holding the job ad, in reading order (HTML).
const DETAIL_SECTIONS: [&str; 3] = [
    "ExternalDescriptionStr",
    "ExternalResponsibilitiesStr",
    "ExternalQualificationsStr",
];
/// Title words that carry the employment type, most specific first.
const EMPLOYMENT_WORDS: [&str; 7] = [
    "Part-Time",
    "Full-Time",
    "Per Diem",
    "Seasonal",
    "Temporary",
    "Contract",
    "Internship",
];

/// `kind = "oracle"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OracleConfig {
    /// API host, e.g. `hdbt.fa.us2.oraclecloud.com`.
    #[serde(default)]
    pub host: Option<String>,
    /// Candidate-experience site number (default `CX_1`).
    #[serde(default)]
    pub site_number: Option<String>,
    /// Public careers site root when it is a vanity domain, e.g.
    /// `https://jobs.signatureaviation.com`; job pages are `{jobs_url}/en/sites/{site}/job/{Id}`.
    #[serde(default)]
    pub jobs_url: Option<String>,
    /// Requisitions per page (default 25).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Fetch each requisition's details (`recruitingCEJobRequisitionDetails`) for its
    /// description and schedule; one more request per job (default false).
    #[serde(default)]
    pub details: bool,
}

impl OracleConfig {
    /// Validates the keys into a runnable preset.
    pub fn build(&self, source: &str, base_url: Option<&str>) -> Result<Oracle, AtsError> {
        let config = |message: String| AtsError::Config {
            source_name: source.into(),
            preset: KIND,
            message,
        };
        let host = util::bare_host(source, KIND, self.host.as_deref(), "")?;
        let root = util::root(source, KIND, base_url, || {
            host.map(|h| format!("https://{h}"))
                .ok_or_else(|| "set `host` (e.g. hdbt.fa.us2.oraclecloud.com) or `base_url`".into())
        })?;
        let site = self
            .site_number
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_SITE_NUMBER.into());
        let site_path = format!("en/sites/{}/job", util::enc(site.trim()));
        let job_root = match (&self.jobs_url, base_url) {
            (Some(j), _) => format!(
                "{}/{site_path}",
                util::http_url(source, KIND, "jobs_url", j)?
            ),
            (None, Some(_)) => format!("{root}/{site_path}"),
            (None, None) => format!("{root}/hcmUI/CandidateExperience/{site_path}"),
        };
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(config(format!("`limit` = {limit}: use 1 to {MAX_LIMIT}")));
        }
        Ok(Oracle {
            root,
            site: site.trim().to_string(),
            job_root,
            limit,
            details: self.details,
        })
    }
}

/// A configured Oracle Recruiting Cloud candidate site.
#[derive(Debug, Clone)]
pub struct Oracle {
    root: String,
    site: String,
    job_root: String,
    limit: u32,
    details: bool,
}

impl Preset for Oracle {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn empty_is_confirmed(&self) -> bool {
        false
    }

    fn board(&self) -> BoardId {
        BoardId {
            what: "site",
            value: format!("{} on {}", self.site, self.root),
            keys: &["site_number", "host"],
        }
    }

    fn request(&self, cursor: &Cursor) -> PlannedRequest {
        PlannedRequest::get_json(format!(
            "{}/hcmRestApi/resources/latest/recruitingCEJobRequisitions?onlyData=true\
             &expand=requisitionList.workLocation,requisitionList.otherWorkLocations\
             &finder=findReqs;siteNumber={},facetsList={FACETS},limit={},\
             sortBy=POSTING_DATES_DESC,offset={}",
            self.root,
            util::enc(&self.site),
            self.limit,
            cursor.offset
        ))
    }

    fn parse_detail(
        &self,
        ctx: &AtsCtx,
        record: &mut RawRecord,
        resp: &Response<'_>,
    ) -> Result<(), AtsError> {
        self.details_into(ctx, record, resp)
    }

    fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, AtsError> {
        let v = util::parse_json(ctx, KIND, cursor.page, resp)?;
        let items = v
            .get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| util::parse_error(ctx, KIND, cursor.page, resp, "no `items` array"))?;
        let Some(first) = items.first() else {
            return Ok(ListPage {
                warnings: self.empty_warning(cursor),
                ..ListPage::default()
            });
        };
        if let Some(total) = first.get("TotalJobsCount").and_then(Value::as_u64) {
            cursor.total = Some(total);
        }
        let reqs = first
            .get("requisitionList")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                util::parse_error(
                    ctx,
                    KIND,
                    cursor.page,
                    resp,
                    "no `items[0].requisitionList` array",
                )
            })?;
        let mut listings = Vec::with_capacity(reqs.len());
        for req in reqs {
            let Some(id) = s(req, "Id") else {
                return Err(util::parse_error(
                    ctx,
                    KIND,
                    cursor.page,
                    resp,
                    "a requisition has no `Id`",
                ));
            };
            let detail = self.details.then(|| {
                PlannedRequest::get_json(format!(
                    "{}/hcmRestApi/resources/latest/recruitingCEJobRequisitionDetails?expand=all\
                     &onlyData=true&finder=ById;Id=%22{}%22,siteNumber={}",
                    self.root,
                    util::enc(&id),
                    util::enc(&self.site)
                ))
            });
            listings.push(Listing {
                record: self.requisition_record(ctx, req, &id),
                detail,
            });
        }
        let n = reqs.len() as u64;
        let warnings = if n == 0 {
            self.empty_warning(cursor)
        } else {
            Vec::new()
        };
        cursor.offset += n;
        let more = n >= u64::from(self.limit) && cursor.total.is_none_or(|t| cursor.offset < t);
        Ok(ListPage {
            listings,
            skipped: 0,
            more,
            warnings,
        })
    }
}

impl Oracle {
    /// A first page without requisitions: a wrong site number may answer like that too.
    fn empty_warning(&self, cursor: &Cursor) -> Vec<String> {
        if cursor.page > 1 {
            return Vec::new();
        }
        vec![format!(
            "site \"{}\" lists 0 requisitions: check the `site_number` and `host` keys",
            self.site
        )]
    }

    fn details_into(
        &self,
        ctx: &AtsCtx,
        record: &mut RawRecord,
        resp: &Response<'_>,
    ) -> Result<(), AtsError> {
        let v = util::parse_json(ctx, KIND, 0, resp)?;
        let item = v
            .get("items")
            .and_then(Value::as_array)
            .and_then(|i| i.first())
            .ok_or_else(|| util::parse_error(ctx, KIND, 0, resp, "no `items[0]` details"))?;
        let html: Vec<String> = DETAIL_SECTIONS.iter().filter_map(|k| s(item, k)).collect();
        if !html.is_empty() {
            record.description = Some(html.join("\n"));
        }
        if record.employment_type.is_none() {
            record.employment_type = s(item, "JobSchedule").or_else(|| s(item, "WorkerType"));
        }
        if record.department.is_none() {
            record.department = s(item, "Organization").or_else(|| s(item, "JobFunction"));
        }
        Ok(())
    }

    fn requisition_record(&self, ctx: &AtsCtx, req: &Value, id: &str) -> RawRecord {
        let url = format!("{}/{}", self.job_root, util::enc(id));
        let title = s(req, "Title").unwrap_or_default();
        let mut r = ctx.record(url.clone(), title.clone());
        r.external_id = Some(id.to_string());
        r.apply_url = Some(url);
        r.location = s(req, "PrimaryLocation");
        if let Some(c) = s(req, "PrimaryLocationCountry") {
            r.extra.insert("country".into(), Value::String(c));
        }
        r.posted_date = s(req, "PostedDate");
        r.closing_date = s(req, "PostingEndDate");
        r.department = s(req, "Organization")
            .or_else(|| s(req, "JobFamily"))
            .or_else(|| s(req, "JobFunction"));
        r.remote = req.get("WorkplaceType").filter(|w| w.is_string()).cloned();
        r.description = s(req, "ShortDescriptionStr");
        r.employment_type = s(req, "JobSchedule").or_else(|| employment_from_title(&title));
        r
    }
}

/// "Line Service Technician - Part-Time Per Diem - MIA" → `Part-Time Per Diem`.
fn employment_from_title(title: &str) -> Option<String> {
    let lower = title.to_ascii_lowercase();
    let found: Vec<&str> = EMPLOYMENT_WORDS
        .iter()
        .copied()
        .filter(|w| lower.contains(&w.to_ascii_lowercase()))
        .collect();
    (!found.is_empty()).then(|| found.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn employment_type_comes_from_the_title_suffix() {
        let cases = [
            (
                "Line Service Technician - Part-Time Per Diem - MIA",
                Some("Part-Time Per Diem"),
            ),
            (
                "Customer Service Rep - Full-Time Seasonal - PB3",
                Some("Full-Time Seasonal"),
            ),
            ("General Manager - TEB South", None),
        ];
        for (title, want) in cases {
            assert_eq!(employment_from_title(title).as_deref(), want, "{title}");
        }
    }
}
