//! Ashby public job-posting API:
//! `GET /posting-api/job-board/{board}?includeCompensation=true`, the whole board at once.
//!
//! Quirks handled: jobs with `isListed: false` are dropped; compensation sits per job (the
//! official example misplaces it) and its salary component gives currency, bounds and interval;
//! an unknown board answers 404 (an error) or an empty board (zero jobs).

use super::util::{self, s};
use super::{
    AtsCtx, AtsError, BoardId, Cursor, ListPage, Listing, PlannedRequest, Preset, Response,
};
use crate::model::RawRecord;
use serde::Deserialize;
use serde_json::Value;

const KIND: &str = "ashby";
/// Public job pages, for a job without `jobUrl`.
pub const PUBLIC_ROOT: &str = "https://jobs.ashbyhq.com";
/// The public API root.
pub const DEFAULT_API_ROOT: &str = "https://api.ashbyhq.com";

/// `kind = "ashby"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AshbyConfig {
    /// Job board name, as in `jobs.ashbyhq.com/{board}`.
    pub board: String,
}

impl AshbyConfig {
    /// Validates the keys into a runnable preset.
    pub fn build(&self, source: &str, base_url: Option<&str>) -> Result<Ashby, AtsError> {
        util::require(source, KIND, "board", &self.board)?;
        let root = util::root(source, KIND, base_url, || Ok(DEFAULT_API_ROOT.into()))?;
        Ok(Ashby {
            board: self.board.trim().to_string(),
            root,
        })
    }
}

/// A configured Ashby board.
#[derive(Debug, Clone)]
pub struct Ashby {
    board: String,
    root: String,
}

impl Preset for Ashby {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn board(&self) -> BoardId {
        BoardId {
            what: "board",
            value: self.board.clone(),
            keys: &["board"],
        }
    }

    fn request(&self, _cursor: &Cursor) -> PlannedRequest {
        PlannedRequest::get_json(format!(
            "{}/posting-api/job-board/{}?includeCompensation=true",
            self.root,
            util::enc(&self.board)
        ))
    }

    fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, AtsError> {
        let v = util::parse_json(ctx, KIND, cursor.page, resp)?;
        let jobs = v
            .get("jobs")
            .and_then(Value::as_array)
            .ok_or_else(|| util::parse_error(ctx, KIND, cursor.page, resp, "no `jobs` array"))?;
        let mut listings = Vec::with_capacity(jobs.len());
        let mut skipped = 0;
        for job in jobs {
            if job.get("isListed") == Some(&Value::Bool(false)) {
                skipped += 1;
                continue;
            }
            listings.push(Listing {
                record: job_record(ctx, job, &self.board),
                detail: None,
            });
        }
        Ok(ListPage {
            listings,
            skipped,
            more: false,
            warnings: Vec::new(),
        })
    }
}

fn job_record(ctx: &AtsCtx, job: &Value, board: &str) -> RawRecord {
    let id = s(job, "id").unwrap_or_default();
    let url = s(job, "jobUrl")
        .unwrap_or_else(|| format!("{PUBLIC_ROOT}/{}/{}", util::enc(board), util::enc(&id)));
    let mut r = ctx.record(url.clone(), s(job, "title").unwrap_or_default());
    r.external_id = (!id.is_empty()).then_some(id);
    r.apply_url = s(job, "applyUrl").or(Some(url));
    let secondary: Vec<String> = job
        .get("secondaryLocations")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|l| s(l, "location")).collect())
        .unwrap_or_default();
    let primary = s(job, "location");
    r.location = util::join_parts(
        std::iter::once(primary.as_deref()).chain(secondary.iter().map(|l| Some(l.as_str()))),
    );
    if let Some(c) = job
        .pointer("/address/postalAddress/addressCountry")
        .and_then(util::text)
    {
        r.extra.insert("country".into(), Value::String(c));
    }
    r.department = s(job, "department");
    if let Some(team) = s(job, "team") {
        r.extra.insert("team".into(), Value::String(team));
    }
    r.employment_type = s(job, "employmentType");
    r.posted_date = s(job, "publishedAt");
    r.description = s(job, "descriptionHtml").or_else(|| s(job, "descriptionPlain"));
    r.remote = job
        .get("workplaceType")
        .filter(|w| w.is_string())
        .or_else(|| job.get("isRemote").filter(|w| w.is_boolean()))
        .cloned();
    r.salary = job.get("compensation").and_then(compensation_text);
    r
}

/// The salary component as `USD 81000-87000 per year`, else Ashby's own summary.
fn compensation_text(comp: &Value) -> Option<String> {
    let components = comp
        .get("summaryComponents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            comp.get("compensationTiers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|t| t.get("components").and_then(Value::as_array))
                .flatten(),
        );
    for c in components {
        if s(c, "compensationType").as_deref() != Some("Salary") {
            continue;
        }
        if let Some(text) = util::salary_text(
            s(c, "currencyCode").as_deref(),
            c.get("minValue").and_then(util::num),
            c.get("maxValue").and_then(util::num),
            s(c, "interval").as_deref(),
        ) {
            return Some(text);
        }
    }
    s(comp, "scrapeableCompensationSalarySummary").or_else(|| s(comp, "compensationTierSummary"))
}
