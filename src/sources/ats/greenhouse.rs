//! Greenhouse Job Board API: `GET /v1/boards/{board}/jobs?content=true`, the whole board in
//! one answer; pay only from the single-job endpoint with `pay_transparency=true`.
//!
//! Quirks handled: `content` is entity-escaped HTML (unescaped once here, the normalizer strips
//! tags); the posting date is `first_published`, never `updated_at` (which moves with every
//! edit); pay ranges are in cents.

use super::util::{self, s};
use super::{AtsCtx, BoardId, Cursor, ListPage, Listing, PlannedRequest, Preset, Response};
use crate::model::RawRecord;
use serde::Deserialize;
use serde_json::Value;

const KIND: &str = "greenhouse";
/// Public job pages, for a job without `absolute_url`.
pub const PUBLIC_ROOT: &str = "https://boards.greenhouse.io";
/// The public Job Board API root.
pub const DEFAULT_API_ROOT: &str = "https://boards-api.greenhouse.io";

/// `kind = "greenhouse"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GreenhouseConfig {
    /// Board token, as in `boards.greenhouse.io/{board}` (e.g. `jobyaviation`).
    pub board: String,
    /// Fetch each job once more with `pay_transparency=true` to get its pay range (default true).
    #[serde(default = "crate::sources::yes")]
    pub pay_transparency: bool,
}

impl GreenhouseConfig {
    /// Validates the keys into a runnable preset.
    pub fn build(
        &self,
        source: &str,
        base_url: Option<&str>,
    ) -> Result<Greenhouse, super::AtsError> {
        util::require(source, KIND, "board", &self.board)?;
        let root = util::root(source, KIND, base_url, || Ok(DEFAULT_API_ROOT.into()))?;
        Ok(Greenhouse {
            board: self.board.trim().to_string(),
            root,
            pay_transparency: self.pay_transparency,
        })
    }
}

/// A configured Greenhouse board.
#[derive(Debug, Clone)]
pub struct Greenhouse {
    board: String,
    root: String,
    pay_transparency: bool,
}

impl Greenhouse {
    fn job_url(&self, id: &str) -> String {
        format!(
            "{}/v1/boards/{}/jobs/{}?pay_transparency=true",
            self.root,
            util::enc(&self.board),
            util::enc(id)
        )
    }
}

impl Preset for Greenhouse {
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
            "{}/v1/boards/{}/jobs?content=true",
            self.root,
            util::enc(&self.board)
        ))
    }

    fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, super::AtsError> {
        let v = util::parse_json(ctx, KIND, cursor.page, resp)?;
        let jobs = v
            .get("jobs")
            .and_then(Value::as_array)
            .ok_or_else(|| util::parse_error(ctx, KIND, cursor.page, resp, "no `jobs` array"))?;
        cursor.total = v.pointer("/meta/total").and_then(Value::as_u64);
        let mut listings = Vec::with_capacity(jobs.len());
        for (i, job) in jobs.iter().enumerate() {
            let Some(id) = s(job, "id") else {
                return Err(util::parse_error(
                    ctx,
                    KIND,
                    cursor.page,
                    resp,
                    format!("jobs[{i}] has no `id`"),
                ));
            };
            let record = job_record(ctx, job, &id, &self.board);
            let detail = self
                .pay_transparency
                .then(|| PlannedRequest::get_json(self.job_url(&id)));
            listings.push(Listing { record, detail });
        }
        Ok(ListPage {
            listings,
            skipped: 0,
            more: false,
            warnings: Vec::new(),
        })
    }

    fn parse_detail(
        &self,
        ctx: &AtsCtx,
        record: &mut RawRecord,
        resp: &Response<'_>,
    ) -> Result<(), super::AtsError> {
        let v = util::parse_json(ctx, KIND, 0, resp)?;
        if let Some(pay) = pay_text(&v) {
            record.salary = Some(pay);
        }
        Ok(())
    }
}

/// Maps one job of the list (or single-job) answer.
fn job_record(ctx: &AtsCtx, job: &Value, id: &str, board: &str) -> RawRecord {
    let url = s(job, "absolute_url")
        .unwrap_or_else(|| format!("{PUBLIC_ROOT}/{}/jobs/{}", util::enc(board), util::enc(id)));
    let mut r = ctx.record(url.clone(), s(job, "title").unwrap_or_default());
    r.external_id = Some(id.to_string());
    r.apply_url = Some(url);
    r.company = s(job, "company_name");
    r.location = job
        .pointer("/location/name")
        .and_then(util::text)
        .or_else(|| names(job, "offices"));
    r.department = names(job, "departments");
    r.description = s(job, "content").map(|c| html_escape::decode_html_entities(&c).into_owned());
    r.posted_date = s(job, "first_published");
    r.closing_date = s(job, "application_deadline");
    r.employment_type = metadata(job, "employment type");
    r.salary = pay_text(job);
    if let Some(req) = s(job, "requisition_id") {
        r.extra.insert("requisition_id".into(), Value::String(req));
    }
    r
}

/// `name`s of an array of objects (departments, offices), joined.
fn names(job: &Value, key: &str) -> Option<String> {
    let arr = job.get(key)?.as_array()?;
    let names: Vec<String> = arr.iter().filter_map(|d| s(d, "name")).collect();
    util::join_parts(names.iter().map(|n| Some(n.as_str())))
}

/// A custom metadata value whose name contains `wanted` (case-insensitive).
fn metadata(job: &Value, wanted: &str) -> Option<String> {
    job.get("metadata")?.as_array()?.iter().find_map(|m| {
        let name = s(m, "name")?.to_ascii_lowercase();
        if name.contains(wanted) {
            m.get("value").and_then(util::text)
        } else {
            None
        }
    })
}

/// The first `pay_input_ranges` entry as `USD 150000-200000 per year` (amounts are cents).
fn pay_text(job: &Value) -> Option<String> {
    let range = job.get("pay_input_ranges")?.as_array()?.first()?;
    let cents = |k: &str| range.get(k).and_then(util::num).map(|c| c / 100.0);
    let title = s(range, "title").unwrap_or_default();
    let blurb = s(range, "blurb").unwrap_or_default();
    // Greenhouse gives no interval key; hourly ranges say so in the title or blurb.
    let period = util::period_word(&format!("{title} {blurb}")).unwrap_or("year");
    util::salary_text(
        s(range, "currency_type").as_deref(),
        cents("min_cents"),
        cents("max_cents"),
        Some(period),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pay_ranges_are_cents_per_year_unless_said() {
        let job = serde_json::json!({"pay_input_ranges": [
            {"min_cents": 15000000, "max_cents": 20000000, "currency_type": "USD", "title": "Base Salary"}
        ]});
        assert_eq!(
            pay_text(&job).as_deref(),
            Some("USD 150000-200000 per year")
        );
        let hourly = serde_json::json!({"pay_input_ranges": [
            {"min_cents": 3550, "max_cents": 4200, "currency_type": "USD", "title": "Hourly rate"}
        ]});
        assert_eq!(pay_text(&hourly).as_deref(), Some("USD 35.50-42 per hour"));
    }
}
