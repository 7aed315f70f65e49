//! Personio XML feed: `GET https://{subdomain}.jobs.personio.de/xml?language=en`, every open
//! position in one `<workzag-jobs>` document.
//!
//! Quirks handled: the default language is German, so `language` is always sent; an empty
//! `<workzag-jobs/>` is a valid answer (no open jobs), not an outage; an unknown subdomain
//! answers 404 or redirects to personio's marketing site with HTML, both reported as "company
//! not found"; there is no salary field.

use super::util::{self, head};
use super::{
    AtsCtx, AtsError, BoardId, Cursor, ListPage, Listing, PlannedRequest, Preset, Response,
};
use crate::model::RawRecord;
use serde::Deserialize;
use serde_json::Value;

const KIND: &str = "personio";
/// Feed language when the config names none (Personio's own default is German).
pub const DEFAULT_LANGUAGE: &str = "en";

/// `kind = "personio"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonioConfig {
    /// Subdomain, as in `{subdomain}.jobs.personio.de`.
    pub subdomain: String,
    /// Feed language (default `en`).
    #[serde(default)]
    pub language: Option<String>,
    /// Top-level domain of the jobs site: `de` (default) or `com`.
    #[serde(default)]
    pub domain: Option<String>,
}

impl PersonioConfig {
    /// Validates the keys into a runnable preset.
    pub fn build(&self, source: &str, base_url: Option<&str>) -> Result<Personio, AtsError> {
        util::require(source, KIND, "subdomain", &self.subdomain)?;
        let sub = self.subdomain.trim().to_string();
        let domain = self.domain.as_deref().unwrap_or("de");
        if !matches!(domain, "de" | "com") {
            return Err(AtsError::Config {
                source_name: source.into(),
                preset: KIND,
                message: format!("`domain` = \"{domain}\": use \"de\" or \"com\""),
            });
        }
        let root = util::root(source, KIND, base_url, || {
            Ok(format!("https://{sub}.jobs.personio.{domain}"))
        })?;
        let language = self
            .language
            .clone()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_LANGUAGE.into());
        Ok(Personio {
            subdomain: sub,
            root,
            language,
        })
    }
}

/// A configured Personio jobs site.
#[derive(Debug, Clone)]
pub struct Personio {
    subdomain: String,
    root: String,
    language: String,
}

#[derive(Debug, Deserialize)]
struct Feed {
    #[serde(default, rename = "position")]
    positions: Vec<Position>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Position {
    id: String,
    subcompany: Option<String>,
    office: Option<String>,
    additional_offices: Option<Offices>,
    department: Option<String>,
    recruiting_category: Option<String>,
    name: Option<String>,
    job_descriptions: Option<JobDescriptions>,
    employment_type: Option<String>,
    seniority: Option<String>,
    schedule: Option<String>,
    years_of_experience: Option<String>,
    created_at: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Offices {
    #[serde(default)]
    office: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct JobDescriptions {
    #[serde(default, rename = "jobDescription")]
    items: Vec<JobDescription>,
}

#[derive(Debug, Deserialize)]
struct JobDescription {
    name: Option<String>,
    value: Option<String>,
}

impl Personio {
    fn not_found(&self, ctx: &AtsCtx, why: String) -> AtsError {
        AtsError::Board {
            source_name: ctx.name.clone(),
            preset: KIND,
            board: self.board(),
            reason: why,
        }
    }

    fn position_record(&self, ctx: &AtsCtx, p: Position) -> RawRecord {
        let url = format!("{}/job/{}", self.root, util::enc(p.id.trim()));
        let mut r = ctx.record(url.clone(), clean(p.name).unwrap_or_default());
        r.external_id = Some(p.id.trim().to_string());
        r.apply_url = Some(url);
        r.company = clean(p.subcompany);
        let offices = p.additional_offices.map(|o| o.office).unwrap_or_default();
        let office = clean(p.office);
        r.location = util::join_parts(
            std::iter::once(office.as_deref()).chain(offices.iter().map(|o| Some(o.as_str()))),
        );
        r.department = clean(p.department);
        r.posted_date = clean(p.created_at);
        let kind = clean(p.employment_type);
        let schedule = clean(p.schedule);
        // `intern`, `trainee` and `freelance` say more than the schedule; `permanent` says less.
        r.employment_type = match kind.as_deref() {
            Some("intern" | "trainee" | "freelance") => kind,
            _ => util::join_parts([schedule.as_deref(), kind.as_deref()]),
        };
        let mut html = String::new();
        for d in p.job_descriptions.map(|j| j.items).unwrap_or_default() {
            if let Some(name) = clean(d.name) {
                html.push_str(&format!("<h3>{name}</h3>\n"));
            }
            if let Some(value) = clean(d.value) {
                html.push_str(&value);
                html.push('\n');
            }
        }
        r.description = (!html.is_empty()).then(|| html.trim_end().to_string());
        for (key, value) in [
            ("recruiting_category", p.recruiting_category),
            ("seniority", p.seniority),
            ("years_of_experience", p.years_of_experience),
        ] {
            if let Some(v) = clean(value) {
                r.extra.insert(key.into(), Value::String(v));
            }
        }
        r.extra
            .insert("language".into(), Value::String(self.language.clone()));
        r
    }
}

/// True when `url` is on the host (and port) of `root`: Personio sends unknown subdomains
/// elsewhere.
fn same_site(root: &str, url: &str) -> bool {
    let site = |u: &str| {
        url::Url::parse(u).ok().map(|u| {
            (
                u.host_str().map(str::to_ascii_lowercase),
                u.port_or_known_default(),
            )
        })
    };
    site(root) == site(url)
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl Preset for Personio {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn board(&self) -> BoardId {
        BoardId {
            what: "subdomain",
            value: self.subdomain.clone(),
            keys: &["subdomain", "domain"],
        }
    }

    fn request(&self, _cursor: &Cursor) -> PlannedRequest {
        let mut req = PlannedRequest::get(format!(
            "{}/xml?language={}",
            self.root,
            util::enc(&self.language)
        ));
        req.headers
            .push(("Accept".into(), "application/xml, text/xml".into()));
        req
    }

    fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, AtsError> {
        if !same_site(&self.root, resp.url) {
            return Err(self.not_found(
                ctx,
                format!("was redirected to {} (no such jobs site)", resp.url),
            ));
        }
        let body = resp.body.trim_start_matches('\u{feff}').trim_start();
        let lower = body.get(..15).unwrap_or(body).to_ascii_lowercase();
        if lower.starts_with("<!doctype") || lower.starts_with("<html") {
            return Err(self.not_found(
                ctx,
                "answered an HTML page instead of the XML feed (no such jobs site)".into(),
            ));
        }
        let feed: Feed = quick_xml::de::from_str(body).map_err(|e| {
            util::parse_error(
                ctx,
                KIND,
                cursor.page,
                resp,
                format!(
                    "not a <workzag-jobs> feed ({e}); starts with {:?}",
                    head(body)
                ),
            )
        })?;
        let listings = feed
            .positions
            .into_iter()
            .map(|p| Listing {
                record: self.position_record(ctx, p),
                detail: None,
            })
            .collect();
        Ok(ListPage {
            listings,
            skipped: 0,
            more: false,
            warnings: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::same_site;

    #[test]
    fn redirects_are_judged_by_host_and_port() {
        let cases = [
            (
                "http://127.0.0.1:80",
                "http://127.0.0.1/xml?language=en",
                true,
            ),
            (
                "https://Acme.jobs.personio.de",
                "https://acme.jobs.personio.de/xml",
                true,
            ),
            (
                "https://acme.jobs.personio.de",
                "https://www.personio.de/",
                false,
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8081/xml", false),
        ];
        for (root, url, want) in cases {
            assert_eq!(same_site(root, url), want, "{root} vs {url}");
        }
    }
}
