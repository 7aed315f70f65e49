//! Lever Postings API: `GET /v0/postings/{site}?mode=json&skip=&limit=`, a bare JSON array
//! with no total, so paging stops at the first short page.
//!
//! Quirks handled: `createdAt` is epoch milliseconds (the posting date); a bad site answers
//! `{"ok": false, "error": "Document not found"}` (with HTTP 404 or even 200); EU accounts live
//! on `api.eu.lever.co`.

use super::util::{self, s};
use super::{
    AtsCtx, AtsError, BoardId, Cursor, ListPage, Listing, PlannedRequest, Preset, Response,
};
use serde::Deserialize;
use serde_json::Value;

const KIND: &str = "lever";
/// Public job pages, for a posting without `hostedUrl`.
pub const PUBLIC_ROOT: &str = "https://jobs.lever.co";
/// The global API root.
pub const DEFAULT_API_ROOT: &str = "https://api.lever.co";
/// The API root of EU-hosted accounts (`eu = true`).
pub const EU_API_ROOT: &str = "https://api.eu.lever.co";
/// Postings per page.
pub const DEFAULT_LIMIT: u32 = 100;

/// `kind = "lever"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeverConfig {
    /// Site name, as in `jobs.lever.co/{site}`.
    pub site: String,
    /// The account is hosted in the EU (`api.eu.lever.co`).
    #[serde(default)]
    pub eu: bool,
    /// Postings per page (default 100).
    #[serde(default)]
    pub limit: Option<u32>,
}

impl LeverConfig {
    /// Validates the keys into a runnable preset.
    pub fn build(&self, source: &str, base_url: Option<&str>) -> Result<Lever, AtsError> {
        util::require(source, KIND, "site", &self.site)?;
        let default = if self.eu {
            EU_API_ROOT
        } else {
            DEFAULT_API_ROOT
        };
        let root = util::root(source, KIND, base_url, || Ok(default.into()))?;
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 {
            return Err(AtsError::Config {
                source_name: source.into(),
                preset: KIND,
                message: "`limit` must be at least 1".into(),
            });
        }
        Ok(Lever {
            site: self.site.trim().to_string(),
            root,
            limit,
        })
    }
}

/// A configured Lever site.
#[derive(Debug, Clone)]
pub struct Lever {
    site: String,
    root: String,
    limit: u32,
}

impl Lever {
    fn not_found(&self, ctx: &AtsCtx, message: &str, status: u16) -> AtsError {
        AtsError::Board {
            source_name: ctx.name.clone(),
            preset: KIND,
            board: self.board(),
            reason: format!("was not found by the API (HTTP {status}: \"{message}\")"),
        }
    }
}

impl Preset for Lever {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn board(&self) -> BoardId {
        BoardId {
            what: "site",
            value: self.site.clone(),
            keys: &["site", "eu"],
        }
    }

    fn request(&self, cursor: &Cursor) -> PlannedRequest {
        PlannedRequest::get_json(format!(
            "{}/v0/postings/{}?mode=json&skip={}&limit={}",
            self.root,
            util::enc(&self.site),
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
        if let Some(err) = ok_false(&v) {
            return Err(self.not_found(ctx, &err, resp.status));
        }
        let postings = v.as_array().ok_or_else(|| {
            util::parse_error(ctx, KIND, cursor.page, resp, "expected a JSON array")
        })?;
        let mut listings = Vec::with_capacity(postings.len());
        for p in postings {
            listings.push(Listing {
                record: posting_record(ctx, p, &self.site),
                detail: None,
            });
        }
        cursor.offset += postings.len() as u64;
        Ok(ListPage {
            more: postings.len() as u64 >= u64::from(self.limit),
            listings,
            skipped: 0,
            warnings: Vec::new(),
        })
    }

    fn list_status_error(&self, ctx: &AtsCtx, page: u32, resp: &Response<'_>) -> AtsError {
        match serde_json::from_str::<Value>(resp.body)
            .ok()
            .and_then(|v| ok_false(&v))
        {
            Some(err) => self.not_found(ctx, &err, resp.status),
            None => super::default_status_error(KIND, self.board(), ctx, page, resp),
        }
    }
}

/// The `error` of a `{"ok": false, "error": …}` answer.
fn ok_false(v: &Value) -> Option<String> {
    (v.get("ok") == Some(&Value::Bool(false)))
        .then(|| s(v, "error").unwrap_or_else(|| "ok: false".into()))
}

fn posting_record(ctx: &AtsCtx, p: &Value, site: &str) -> crate::model::RawRecord {
    let id = s(p, "id").unwrap_or_default();
    let hosted = s(p, "hostedUrl")
        .unwrap_or_else(|| format!("{PUBLIC_ROOT}/{}/{}", util::enc(site), util::enc(&id)));
    let mut r = ctx.record(hosted.clone(), s(p, "text").unwrap_or_default());
    r.external_id = (!id.is_empty()).then_some(id);
    r.apply_url = s(p, "applyUrl").or(Some(hosted));
    let cat = p.get("categories").cloned().unwrap_or(Value::Null);
    r.location = s(&cat, "location").or_else(|| {
        let all = cat.get("allLocations")?.as_array()?;
        util::join_parts(all.iter().map(|l| l.as_str()))
    });
    r.department = s(&cat, "department").or_else(|| s(&cat, "team"));
    r.employment_type = s(&cat, "commitment");
    r.posted_date = p
        .get("createdAt")
        .and_then(Value::as_i64)
        .and_then(util::epoch_ms_to_rfc3339);
    r.remote = p.get("workplaceType").filter(|w| w.is_string()).cloned();
    r.description = description(p);
    r.salary = p
        .get("salaryRange")
        .and_then(|sr| {
            util::salary_text(
                s(sr, "currency").as_deref(),
                sr.get("min").and_then(util::num),
                sr.get("max").and_then(util::num),
                s(sr, "interval").as_deref(),
            )
        })
        .or_else(|| s(p, "salaryDescriptionPlain"));
    if let Some(c) = s(p, "country") {
        r.extra.insert("country".into(), Value::String(c));
    }
    r
}

/// Opening, description, the titled lists and the closing text, as one HTML document.
fn description(p: &Value) -> Option<String> {
    let mut html = String::new();
    for key in ["opening", "description", "descriptionBody"] {
        if let Some(t) = s(p, key) {
            html.push_str(&t);
            html.push('\n');
        }
    }
    if html.is_empty()
        && let Some(t) = s(p, "descriptionPlain")
    {
        html.push_str(&t);
        html.push('\n');
    }
    for list in p
        .get("lists")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(title) = s(list, "text") {
            html.push_str(&format!("<h3>{title}</h3>\n"));
        }
        if let Some(content) = s(list, "content") {
            html.push_str(&format!("<ul>{content}</ul>\n"));
        }
    }
    if let Some(t) = s(p, "additional").or_else(|| s(p, "additionalPlain")) {
        html.push_str(&t);
    }
    let html = html.trim().to_string();
    (!html.is_empty()).then_some(html)
}
