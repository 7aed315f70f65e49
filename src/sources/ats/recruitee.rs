//! Recruitee careers-site API: `GET https://{subdomain}.recruitee.com/api/offers/`, every offer
//! at once.
//!
//! Quirks handled: only `status == "published"` offers are jobs (drafts and closed offers are
//! dropped); `salary.min`/`max` are strings on some tenants and numbers on others; timestamps
//! look like `2026-05-29 09:42:54 UTC`; an unknown subdomain answers 404.

use super::util::{self, s};
use super::{
    AtsCtx, AtsError, BoardId, Cursor, ListPage, Listing, PlannedRequest, Preset, Response,
};
use crate::model::RawRecord;
use serde::Deserialize;
use serde_json::Value;

const KIND: &str = "recruitee";

/// `kind = "recruitee"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecruiteeConfig {
    /// Subdomain, as in `{subdomain}.recruitee.com`.
    pub subdomain: String,
}

impl RecruiteeConfig {
    /// Validates the keys into a runnable preset.
    pub fn build(&self, source: &str, base_url: Option<&str>) -> Result<Recruitee, AtsError> {
        util::require(source, KIND, "subdomain", &self.subdomain)?;
        let sub = self.subdomain.trim().to_string();
        let root = util::root(source, KIND, base_url, || {
            Ok(format!("https://{sub}.recruitee.com"))
        })?;
        Ok(Recruitee {
            subdomain: sub,
            root,
        })
    }
}

/// A configured Recruitee careers site.
#[derive(Debug, Clone)]
pub struct Recruitee {
    subdomain: String,
    root: String,
}

impl Preset for Recruitee {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn board(&self) -> BoardId {
        BoardId {
            what: "subdomain",
            value: self.subdomain.clone(),
            keys: &["subdomain"],
        }
    }

    fn request(&self, _cursor: &Cursor) -> PlannedRequest {
        PlannedRequest::get_json(format!("{}/api/offers/", self.root))
    }

    fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, AtsError> {
        let v = util::parse_json(ctx, KIND, cursor.page, resp)?;
        let offers = v
            .get("offers")
            .and_then(Value::as_array)
            .ok_or_else(|| util::parse_error(ctx, KIND, cursor.page, resp, "no `offers` array"))?;
        let mut listings = Vec::with_capacity(offers.len());
        let mut skipped = 0;
        for o in offers {
            if s(o, "status").is_some_and(|st| st != "published") {
                skipped += 1;
                continue;
            }
            listings.push(Listing {
                record: self.offer_record(ctx, o),
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

impl Recruitee {
    fn offer_record(&self, ctx: &AtsCtx, o: &Value) -> RawRecord {
        let url = s(o, "careers_url").unwrap_or_else(|| {
            format!(
                "{}/o/{}",
                self.root,
                util::enc(&s(o, "slug").or_else(|| s(o, "id")).unwrap_or_default())
            )
        });
        let mut r = ctx.record(url.clone(), s(o, "title").unwrap_or_default());
        r.external_id = s(o, "id");
        r.apply_url = s(o, "careers_apply_url").or(Some(url));
        r.company = s(o, "company_name");
        r.location = s(o, "location").or_else(|| {
            util::join_parts([
                s(o, "city").as_deref(),
                s(o, "state_name").as_deref(),
                s(o, "country").as_deref(),
            ])
        });
        if let Some(cc) = s(o, "country_code") {
            r.extra.insert("country_code".into(), Value::String(cc));
        }
        r.department = s(o, "department");
        r.employment_type = s(o, "employment_type_code");
        r.posted_date = s(o, "published_at").map(|d| util::utc_suffix_to_rfc3339(&d));
        r.closing_date = s(o, "close_at").map(|d| util::utc_suffix_to_rfc3339(&d));
        r.remote = workplace(o);
        let html: Vec<String> = ["description", "requirements"]
            .iter()
            .filter_map(|k| s(o, k))
            .collect();
        r.description = (!html.is_empty()).then(|| html.join("\n"));
        r.salary = o.get("salary").and_then(|sal| {
            util::salary_text(
                s(sal, "currency").as_deref(),
                sal.get("min").and_then(util::num),
                sal.get("max").and_then(util::num),
                s(sal, "period").as_deref(),
            )
        });
        r
    }
}

/// `remote` / `hybrid` / `on-site` from Recruitee's three booleans.
fn workplace(o: &Value) -> Option<Value> {
    let flag = |k: &str| o.get(k).and_then(Value::as_bool).unwrap_or(false);
    let word = if flag("remote") {
        "remote"
    } else if flag("hybrid") {
        "hybrid"
    } else if flag("on_site") {
        "on-site"
    } else {
        return None;
    };
    Some(Value::String(word.into()))
}
