//! SAP SuccessFactors, two ways in:
//!
//! * `mode = "xml"` (default): the job-listing feed
//!   `GET https://{host}/career?company={company_id}&career_ns=job_listing_summary&resultType=XML`,
//!   the whole feed in one answer. Facet fields are named `filterN`/`mfieldN` differently by
//!   every employer, so they are matched by their `<label>` text, never by index.
//!   `Posted-Date` is US-ordered `MM/DD/YYYY` and is converted to ISO here, because the
//!   normalizer reads `dd/mm/yyyy`.
//! * `mode = "rmk"`: the server-rendered Recruiting Marketing career site (Air India): search
//!   pages of `tr.data-row` rows paged with `startrow=`, then each job page's
//!   `span.jobdescription` (see `successfactors_rmk`).

use super::successfactors_rmk::Rmk;
use super::util::{self, head};
use super::{
    AtsCtx, AtsError, BoardId, Cursor, ListPage, Listing, PlannedRequest, Preset, Response,
};
use crate::model::RawRecord;
use quick_xml::events::Event;
use serde::Deserialize;
use serde_json::Value;

const KIND: &str = "successfactors";

/// How a SuccessFactors employer is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SfMode {
    /// The XML job-listing feed.
    #[default]
    Xml,
    /// The RMK career-site HTML (search pages + job pages).
    Rmk,
}

/// `kind = "successfactors"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessFactorsConfig {
    /// `xml` (job-listing feed, default) or `rmk` (career-site HTML).
    #[serde(default)]
    pub mode: SfMode,
    /// Feed host (`career5.successfactors.eu`) or, for `rmk`, the career-site host
    /// (`careers.airindia.com`).
    #[serde(default)]
    pub host: Option<String>,
    /// SuccessFactors company id (`xml` mode), e.g. `TurkishAir`.
    #[serde(default)]
    pub company_id: Option<String>,
    /// Facet labels holding the location (`xml` mode; default Location, City).
    #[serde(default)]
    pub location_labels: Option<Vec<String>>,
    /// Facet labels holding the country (`xml` mode; default Country, Country/Region).
    #[serde(default)]
    pub country_labels: Option<Vec<String>>,
    /// Facet labels holding the department (`xml` mode; default Department, Function,
    /// Business Unit, Division).
    #[serde(default)]
    pub department_labels: Option<Vec<String>>,
    /// Facet labels holding the employment type (`xml` mode; default Employment Type, Job Type,
    /// Contract Type, Schedule).
    #[serde(default)]
    pub employment_type_labels: Option<Vec<String>>,
    /// Search page path (`rmk` mode; default `/search/`).
    #[serde(default)]
    pub search_path: Option<String>,
    /// Rows per search page (`rmk` mode; default 25).
    #[serde(default)]
    pub page_size: Option<u32>,
    /// Fetch each job page for description, date and department (`rmk` mode; default true).
    #[serde(default = "crate::sources::yes")]
    pub details: bool,
}

fn labels(configured: &Option<Vec<String>>, default: &[&str]) -> Vec<String> {
    configured
        .clone()
        .unwrap_or_else(|| default.iter().map(|s| s.to_string()).collect())
        .into_iter()
        .map(|l| l.trim().to_ascii_lowercase())
        .collect()
}

impl SuccessFactorsConfig {
    /// Validates the keys into a runnable preset.
    pub fn build(&self, source: &str, base_url: Option<&str>) -> Result<SuccessFactors, AtsError> {
        let config = |message: String| AtsError::Config {
            source_name: source.into(),
            preset: KIND,
            message,
        };
        let host = util::bare_host(source, KIND, self.host.as_deref(), "")?;
        let root = util::root(source, KIND, base_url, || {
            host.map(|h| format!("https://{h}"))
                .ok_or_else(|| "set `host` or `base_url`".into())
        })?;
        let inner = match self.mode {
            SfMode::Xml => {
                let company_id = self
                    .company_id
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .ok_or_else(|| {
                        config(
                            "`company_id` is required in xml mode (or set mode = \"rmk\")".into(),
                        )
                    })?;
                Inner::Xml(Feed {
                    root,
                    company_id: company_id.to_string(),
                    location: labels(&self.location_labels, &["Location", "City"]),
                    country: labels(&self.country_labels, &["Country", "Country/Region"]),
                    department: labels(
                        &self.department_labels,
                        &["Department", "Function", "Business Unit", "Division"],
                    ),
                    employment: labels(
                        &self.employment_type_labels,
                        &["Employment Type", "Job Type", "Contract Type", "Schedule"],
                    ),
                })
            }
            SfMode::Rmk => Inner::Rmk(Rmk::new(
                source,
                root,
                self.search_path.as_deref(),
                self.page_size,
                self.details,
            )?),
        };
        Ok(SuccessFactors { inner })
    }
}

/// A configured SuccessFactors employer (feed or career site).
#[derive(Debug, Clone)]
pub struct SuccessFactors {
    inner: Inner,
}

#[derive(Debug, Clone)]
enum Inner {
    Xml(Feed),
    Rmk(Rmk),
}

#[derive(Debug, Clone)]
struct Feed {
    root: String,
    company_id: String,
    location: Vec<String>,
    country: Vec<String>,
    department: Vec<String>,
    employment: Vec<String>,
}

impl Preset for SuccessFactors {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn empty_is_confirmed(&self) -> bool {
        matches!(self.inner, Inner::Xml(_))
    }

    fn board(&self) -> BoardId {
        match &self.inner {
            Inner::Xml(f) => BoardId {
                what: "company",
                value: f.company_id.clone(),
                keys: &["company_id", "host"],
            },
            Inner::Rmk(r) => r.board(),
        }
    }

    fn request(&self, cursor: &Cursor) -> PlannedRequest {
        match &self.inner {
            Inner::Xml(f) => PlannedRequest::get(format!(
                "{}/career?company={}&career_ns=job_listing_summary&resultType=XML",
                f.root,
                util::enc(&f.company_id)
            )),
            Inner::Rmk(r) => r.request(cursor),
        }
    }

    fn parse_list(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
    ) -> Result<ListPage, AtsError> {
        match &self.inner {
            Inner::Xml(f) => f.parse(ctx, cursor, resp, self.board()),
            Inner::Rmk(r) => r.parse_list(ctx, cursor, resp),
        }
    }

    fn parse_detail(
        &self,
        ctx: &AtsCtx,
        record: &mut RawRecord,
        resp: &Response<'_>,
    ) -> Result<(), AtsError> {
        match &self.inner {
            Inner::Xml(_) => Ok(()),
            Inner::Rmk(r) => r.parse_detail(record, resp, ctx),
        }
    }
}

/// One `<Job>` of the feed: plain child elements and labelled facets.
#[derive(Debug, Default)]
struct XmlJob {
    fields: Vec<(String, String)>,
    facets: Vec<(String, String)>,
}

impl XmlJob {
    fn field(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(n, v)| n.eq_ignore_ascii_case(name) && !v.is_empty())
            .map(|(_, v)| v.clone())
    }

    fn facet(&self, wanted: &[String]) -> Option<String> {
        wanted.iter().find_map(|w| {
            self.facets
                .iter()
                .find(|(l, v)| l.eq_ignore_ascii_case(w) && !v.is_empty())
                .map(|(_, v)| v.clone())
        })
    }
}

/// Reads `<Job-Listing><Job>…</Job></Job-Listing>` into jobs. Facets are children holding
/// `<label>` and `<value>`; every other child is a plain text/CDATA field.
fn read_jobs(xml: &str) -> Result<Vec<XmlJob>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut jobs = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut job: Option<XmlJob> = None;
    let mut text = String::new();
    let (mut label, mut value) = (String::new(), String::new());
    let mut saw_root = false;
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.buffer_position()))?
        {
            Event::Start(e) => {
                let name = e.name().0.to_string();
                if stack.is_empty() {
                    saw_root = true;
                }
                if name == "Job" {
                    job = Some(XmlJob::default());
                }
                stack.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => {
                    let entity = format!("&{};", r.into_inner());
                    text.push_str(&html_escape::decode_html_entities(&entity));
                }
            },
            Event::CData(c) => text.push_str(&c.into_inner()),
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let depth = stack.len();
                let t = std::mem::take(&mut text).trim().to_string();
                match (name.as_str(), depth, job.as_mut()) {
                    ("Job", _, Some(_)) => jobs.extend(job.take()),
                    ("label", 3, Some(_)) => label = t,
                    ("value", 3, Some(_)) => value = t,
                    (_, 2, Some(j)) => {
                        if label.is_empty() && value.is_empty() {
                            j.fields.push((name, t));
                        } else {
                            j.facets
                                .push((std::mem::take(&mut label), std::mem::take(&mut value)));
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(_) if stack.is_empty() => saw_root = true,
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err("empty document".into());
    }
    Ok(jobs)
}

impl Feed {
    fn parse(
        &self,
        ctx: &AtsCtx,
        cursor: &mut Cursor,
        resp: &Response<'_>,
        board: BoardId,
    ) -> Result<ListPage, AtsError> {
        let body = resp.body.trim_start_matches('\u{feff}').trim_start();
        let lower = body.get(..15).unwrap_or(body).to_ascii_lowercase();
        if lower.starts_with("<!doctype") || lower.starts_with("<html") {
            return Err(AtsError::Board {
                source_name: ctx.name.clone(),
                preset: KIND,
                board,
                reason: "answered an HTML page instead of the XML feed".into(),
            });
        }
        let jobs = read_jobs(body).map_err(|e| {
            util::parse_error(
                ctx,
                KIND,
                cursor.page,
                resp,
                format!(
                    "not a <Job-Listing> feed ({e}); starts with {:?}",
                    head(body)
                ),
            )
        })?;
        let mut listings = Vec::with_capacity(jobs.len());
        let mut skipped = 0;
        for j in jobs {
            let Some(id) = j.field("ReqId") else {
                skipped += 1;
                continue;
            };
            listings.push(Listing {
                record: self.job_record(ctx, &j, &id),
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

    fn job_record(&self, ctx: &AtsCtx, j: &XmlJob, id: &str) -> RawRecord {
        let url = format!(
            "{}/career?career_ns=job_listing&company={}&career_job_req_id={}",
            self.root,
            util::enc(&self.company_id),
            util::enc(id)
        );
        let mut r = ctx.record(url.clone(), j.field("JobTitle").unwrap_or_default());
        r.external_id = Some(id.to_string());
        r.apply_url = Some(url);
        r.description = j.field("Job-Description");
        r.posted_date = j.field("Posted-Date").map(|d| util::us_date_to_iso(&d));
        r.closing_date = j.field("Unposting-Date").map(|d| util::us_date_to_iso(&d));
        let location = j.facet(&self.location).or_else(|| j.field("Location"));
        let country = j.facet(&self.country);
        r.location = util::join_parts([location.as_deref(), country.as_deref()]);
        r.department = j.facet(&self.department);
        r.employment_type = j.facet(&self.employment);
        for (label, value) in &j.facets {
            r.extra
                .entry(format!("facet:{label}"))
                .or_insert_with(|| Value::String(value.clone()));
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_are_read_by_label_and_fields_by_name() {
        let xml = "<Job-Listing><Job><JobTitle><![CDATA[B1 Engineer]]></JobTitle>\
            <ReqId>12</ReqId><mfield3><label>Country</label><value>Türkiye</value></mfield3>\
            <filter9><label>Location</label><value>Istanbul &amp; IST</value></filter9>\
            </Job></Job-Listing>";
        let jobs = read_jobs(xml).unwrap();
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].field("JobTitle").as_deref(), Some("B1 Engineer"));
        assert_eq!(
            jobs[0].facet(&["location".into()]).as_deref(),
            Some("Istanbul & IST")
        );
        assert_eq!(
            jobs[0].facet(&["country".into()]).as_deref(),
            Some("Türkiye")
        );
    }

    #[test]
    fn empty_listing_is_valid_and_garbage_is_not() {
        assert_eq!(read_jobs("<Job-Listing/>").unwrap().len(), 0);
        assert_eq!(read_jobs("<Job-Listing></Job-Listing>").unwrap().len(), 0);
        assert!(read_jobs("").is_err());
    }
}
