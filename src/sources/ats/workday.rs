//! Workday career sites (the undocumented CXS endpoint every Workday career page uses):
//! `POST https://{tenant}.{wdN}.myworkdayjobs.com/wday/cxs/{tenant}/{site}/jobs` with
//! `{appliedFacets, limit, offset, searchText}`, then one `GET …{externalPath}` per job.
//!
//! Quirks handled: `limit` above 20 is refused with HTTP 400, so the config cannot ask for
//! more; `total` is only reliable on page 1 (later pages say 0), so it is read once; the list
//! only says "Posted 30+ Days Ago" — the detail call's `startDate` is the real posting date and
//! its `jobReqId` the stable id; a wrong tenant/site answers HTTP 422 or
//! `{"errorCode": "HTTP_422"}`.

use super::util::{self, s};
use super::{
    AtsCtx, AtsError, BoardId, Cursor, ListPage, Listing, PlannedRequest, Preset, Response,
};
use crate::model::RawRecord;
use serde::Deserialize;
use serde_json::{Value, json};

const KIND: &str = "workday";
/// The most jobs Workday returns per page (more is refused with HTTP 400).
pub const MAX_LIMIT: u32 = 20;
/// Unfaceted searches are reported to stop at this many results.
pub const UNFACETED_CAP: u64 = 2000;
/// Domain appended to a short host such as `boeing.wd1`.
pub const WORKDAY_DOMAIN: &str = "myworkdayjobs.com";

/// `kind = "workday"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkdayConfig {
    /// Career-site host, e.g. `boeing.wd1.myworkdayjobs.com` (or short: `boeing.wd1`).
    #[serde(default)]
    pub host: Option<String>,
    /// CXS tenant; defaults to the first label of `host`.
    #[serde(default)]
    pub tenant: Option<String>,
    /// Career site, the path segment after the host (e.g. `EXTERNAL_CAREERS`).
    pub site: String,
    /// Jobs per page, at most 20 (default 20).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Search text sent with every page (some tenants refuse an empty one).
    #[serde(default)]
    pub search_text: String,
    /// Facets to narrow the search, e.g. `{ locations = ["id1"] }` (splits boards over 2,000).
    #[serde(default)]
    pub applied_facets: Option<serde_json::Map<String, Value>>,
    /// Fetch each job's detail for description, posting date and requisition id (default true).
    #[serde(default = "crate::sources::yes")]
    pub details: bool,
}

impl WorkdayConfig {
    /// Validates the keys into a runnable preset.
    pub fn build(&self, source: &str, base_url: Option<&str>) -> Result<Workday, AtsError> {
        let config = |message: String| AtsError::Config {
            source_name: source.into(),
            preset: KIND,
            message,
        };
        util::require(source, KIND, "site", &self.site)?;
        let host = util::bare_host(
            source,
            KIND,
            self.host.as_deref(),
            " such as boeing.wd1.myworkdayjobs.com",
        )?;
        let host = host.map(|h| {
            if h.matches('.').count() == 1 {
                format!("{h}.{WORKDAY_DOMAIN}")
            } else {
                h.to_string()
            }
        });
        let tenant = match (&self.tenant, &host) {
            (Some(t), _) if !t.trim().is_empty() => t.trim().to_string(),
            (_, Some(h)) => h.split('.').next().unwrap_or_default().to_string(),
            _ => {
                return Err(config(
                    "set `tenant` (or `host`, whose first label is the tenant)".into(),
                ));
            }
        };
        let root = util::root(source, KIND, base_url, || {
            host.as_ref()
                .map(|h| format!("https://{h}"))
                .ok_or_else(|| {
                    "set `host` (e.g. boeing.wd1.myworkdayjobs.com) or `base_url`".into()
                })
        })?;
        let limit = self.limit.unwrap_or(MAX_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(config(format!(
                "`limit` = {limit}: Workday accepts 1 to {MAX_LIMIT} jobs per page"
            )));
        }
        Ok(Workday {
            tenant,
            site: self.site.trim().to_string(),
            root,
            limit,
            search_text: self.search_text.clone(),
            applied_facets: Value::Object(self.applied_facets.clone().unwrap_or_default()),
            details: self.details,
        })
    }
}

/// A configured Workday career site.
#[derive(Debug, Clone)]
pub struct Workday {
    tenant: String,
    site: String,
    root: String,
    limit: u32,
    search_text: String,
    applied_facets: Value,
    details: bool,
}

impl Workday {
    fn cxs(&self) -> String {
        format!(
            "{}/wday/cxs/{}/{}",
            self.root,
            util::enc(&self.tenant),
            util::enc(&self.site)
        )
    }

    fn rejected(&self, ctx: &AtsCtx, status: u16, detail: Option<String>) -> AtsError {
        let detail = detail.map(|d| format!(": {d}")).unwrap_or_default();
        AtsError::Board {
            source_name: ctx.name.clone(),
            preset: KIND,
            board: self.board(),
            reason: format!("was rejected by the API (HTTP {status}{detail})"),
        }
    }
}

impl Preset for Workday {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn empty_is_confirmed(&self) -> bool {
        false
    }

    fn board(&self) -> BoardId {
        BoardId {
            what: "tenant/site",
            value: format!("{}/{}", self.tenant, self.site),
            keys: &["tenant", "site"],
        }
    }

    fn request(&self, cursor: &Cursor) -> PlannedRequest {
        PlannedRequest::post_json(
            format!("{}/jobs", self.cxs()),
            &json!({
                "appliedFacets": self.applied_facets,
                "limit": self.limit,
                "offset": cursor.offset,
                "searchText": self.search_text,
            }),
        )
    }

    fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, AtsError> {
        let v = util::parse_json(ctx, KIND, cursor.page, resp)?;
        if let Some(code) = s(&v, "errorCode") {
            return Err(self.rejected(ctx, resp.status, Some(code)));
        }
        let postings = v
            .get("jobPostings")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                util::parse_error(ctx, KIND, cursor.page, resp, "no `jobPostings` array")
            })?;
        let mut warnings = Vec::new();
        if cursor.page == 1 {
            cursor.total = v.get("total").and_then(Value::as_u64);
            match cursor.total {
                Some(0) => warnings.push(format!(
                    "tenant/site \"{}/{}\" lists 0 jobs: Workday answers a wrong tenant/site \
                     this way too, so check the `tenant` and `site` keys",
                    self.tenant, self.site
                )),
                Some(t)
                    if t > UNFACETED_CAP
                        && self
                            .applied_facets
                            .as_object()
                            .is_some_and(|f| f.is_empty()) =>
                {
                    warnings.push(format!(
                        "announces {t} jobs but Workday serves at most about {UNFACETED_CAP} \
                         per search: split the board with `applied_facets`"
                    ))
                }
                _ => {}
            }
        }
        let mut listings = Vec::with_capacity(postings.len());
        let mut skipped = 0;
        for p in postings {
            let Some(path) = s(p, "externalPath") else {
                skipped += 1;
                continue;
            };
            let mut r = ctx.record(
                format!("{}/{}{}", self.root, util::enc(&self.site), path),
                s(p, "title").unwrap_or_default(),
            );
            r.apply_url = Some(r.url.clone());
            r.external_id = p
                .get("bulletFields")
                .and_then(Value::as_array)
                .and_then(|b| b.first())
                .and_then(util::text);
            r.location = s(p, "locationsText");
            r.posted_date = s(p, "postedOn");
            r.employment_type = s(p, "timeType");
            let detail = self
                .details
                .then(|| PlannedRequest::get_json(format!("{}{}", self.cxs(), path)));
            listings.push(Listing { record: r, detail });
        }
        let n = postings.len() as u64;
        cursor.offset += n;
        let more = match cursor.total {
            Some(total) => n > 0 && cursor.offset < total,
            None => n >= u64::from(self.limit),
        };
        Ok(ListPage {
            listings,
            skipped,
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
        let info = v.get("jobPostingInfo").ok_or_else(|| {
            util::parse_error(ctx, KIND, 0, resp, "detail has no `jobPostingInfo`")
        })?;
        if let Some(id) = s(info, "jobReqId") {
            record.external_id = Some(id);
        }
        if let Some(date) = s(info, "startDate") {
            record.posted_date = Some(date);
        }
        if let Some(d) = s(info, "jobDescription") {
            record.description = Some(d);
        }
        if let Some(t) = s(info, "timeType") {
            record.employment_type = Some(t);
        }
        // The public page Workday names beats the one built from the list's path.
        if let Some(u) = s(info, "externalUrl") {
            record.url = u.clone();
            record.apply_url = Some(u);
        }
        if let Some(loc) = s(info, "location") {
            let extra: Vec<String> = info
                .get("additionalLocations")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(util::text).collect())
                .unwrap_or_default();
            record.location = util::join_parts(
                std::iter::once(Some(loc.as_str())).chain(extra.iter().map(|l| Some(l.as_str()))),
            );
        }
        if let Some(c) = info
            .pointer("/jobRequisitionLocation/country/alpha2Code")
            .and_then(util::text)
        {
            record.extra.insert("country".into(), Value::String(c));
        }
        if let Some(rt) = info.get("remoteType").filter(|r| r.is_string()) {
            record.remote = Some(rt.clone());
        }
        Ok(())
    }

    fn list_status_error(&self, ctx: &AtsCtx, page: u32, resp: &Response<'_>) -> AtsError {
        match resp.status {
            400 | 404 | 422 => {
                let detail = serde_json::from_str::<Value>(resp.body)
                    .ok()
                    .and_then(|v| s(&v, "errorCode").or_else(|| s(&v, "message")));
                self.rejected(ctx, resp.status, detail)
            }
            _ => super::default_status_error(KIND, self.board(), ctx, page, resp),
        }
    }
}
