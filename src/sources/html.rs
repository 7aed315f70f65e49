//! `kind = "html"`: server-rendered listing pages read with CSS selectors, optional detail
//! pages, pagination by next link or URL template, constant fields.
//!
//! ```toml
//! name = "example"
//! kind = "html"
//! start_urls = ["https://jobs.example.com/vacancies"]
//!
//! [list]
//! item = "div.job-card"                      # one element per posting
//! [list.fields]
//! title = "h3 a"                             # text of the first match
//! url = "h3 a @href"                         # attribute; relative links resolved
//! location = "span.location"
//! posted_date = "span.date"
//!
//! [pagination]
//! next = "a.next @href"
//! max_pages = 20
//!
//! [detail]                                   # optional: fetch each posting's `url`
//! jsonld = true                              # fill gaps from JobPosting JSON-LD (default)
//! [detail.fields]
//! description = "div.job-description @html"
//!
//! [constants]
//! company = "Example Air"
//! ```
//! The pure extraction functions ([`extract_list`], [`apply_detail`]) are shared with the
//! browser engine, which runs them on rendered DOMs.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use futures::StreamExt;
use futures::future::BoxFuture;
use scraper::{Html, Selector};
use serde::Deserialize;
use url::Url;

use super::fields::{
    FieldSpec, compile_constants, compile_fields, extract_record, fill_missing, overlay,
    parse_selector, set_field,
};
use super::paging::{Pager, PagingConfig, PagingSpec};
use super::{CommonSpec, Engine, RecordSink, SourceCtx, SourceError, jsonld};
use crate::config::KeyError;
use crate::model::RawRecord;

/// `kind = "html"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HtmlConfig {
    /// Listing pages to start from (absolute, or `/path` with `base_url`).
    #[serde(default)]
    pub start_urls: Vec<String>,
    /// How postings are found on a listing page.
    pub list: ListConfig,
    /// How further listing pages are found.
    pub pagination: Option<PagingConfig>,
    /// Optional detail pages.
    pub detail: Option<DetailConfig>,
    /// Fields with a fixed value on every record (e.g. `company`).
    #[serde(default)]
    pub constants: BTreeMap<String, String>,
}

/// `[list]`: the posting element and its fields.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListConfig {
    /// CSS selector matching one element per posting.
    pub item: String,
    /// Field name → selector (see [`super::fields`]). `url` is required.
    pub fields: toml::Table,
}

/// `[detail]`: what to read from each posting's own page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailConfig {
    /// Field name → selector on the detail page; these win over list fields.
    #[serde(default)]
    pub fields: toml::Table,
    /// Fill missing fields from the page's JobPosting JSON-LD (default true).
    #[serde(default = "crate::sources::yes")]
    pub jsonld: bool,
    /// Text that marks a closed posting (e.g. "position has been filled"); such records get
    /// `"status": "filled"`.
    pub filled_text: Option<String>,
}

/// Compiled `[list]`.
#[derive(Debug, Clone)]
pub struct ListSpec {
    /// Posting element selector.
    pub item: Selector,
    /// Fields read inside each posting element.
    pub fields: Vec<FieldSpec>,
}

impl ListSpec {
    /// Compiles `[list]`; `prefix` is its key (`list`).
    pub fn compile(prefix: &str, cfg: &ListConfig) -> Result<Self, KeyError> {
        Ok(ListSpec {
            item: parse_selector(&format!("{prefix}.item"), &cfg.item)?,
            fields: compile_fields(&format!("{prefix}.fields"), &cfg.fields)?,
        })
    }

    /// True when `name` is one of the list fields.
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.name == name)
    }
}

/// Compiled `[detail]`.
#[derive(Debug, Clone)]
pub struct DetailSpec {
    /// Fields read from the whole detail page.
    pub fields: Vec<FieldSpec>,
    /// Use JSON-LD to fill gaps.
    pub jsonld: bool,
    /// Closed-posting marker (lower-cased).
    pub filled_text: Option<String>,
}

impl DetailSpec {
    /// Compiles `[detail]`; `prefix` is its key (`detail`).
    pub fn compile(prefix: &str, cfg: &DetailConfig) -> Result<Self, KeyError> {
        Ok(DetailSpec {
            fields: compile_fields(&format!("{prefix}.fields"), &cfg.fields)?,
            jsonld: cfg.jsonld,
            filled_text: cfg.filled_text.as_ref().map(|s| s.to_lowercase()),
        })
    }

    /// True when `name` is one of the detail fields.
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.name == name)
    }
}

/// Every posting on a listing page (pure; usable on rendered DOMs).
pub fn extract_list(spec: &ListSpec, html: &str, page_url: &Url) -> Vec<RawRecord> {
    extract_list_doc(spec, &Html::parse_document(html), page_url)
}

/// [`extract_list`] on an already parsed document.
pub fn extract_list_doc(spec: &ListSpec, doc: &Html, page_url: &Url) -> Vec<RawRecord> {
    doc.select(&spec.item)
        .map(|item| extract_record(&spec.fields, item, page_url))
        .collect()
}

/// Completes `rec` from its detail page (pure): detail selectors win, then JSON-LD fills what
/// is still missing, then the filled marker is checked.
pub fn apply_detail(spec: &DetailSpec, rec: &mut RawRecord, html: &str, page_url: &Url) {
    let doc = Html::parse_document(html);
    let detail = extract_record(&spec.fields, doc.root_element(), page_url);
    overlay(rec, detail);
    if spec.jsonld {
        let postings = jsonld::extract_doc(&doc, page_url);
        let best = postings.iter().position(|p| p.url == rec.url).unwrap_or(0);
        if let Some(p) = postings.into_iter().nth(best) {
            let mut p = p;
            // The listing's URL identifies the posting; JSON-LD's may be a canonical variant.
            p.url.clear();
            fill_missing(rec, p);
        }
    }
    if let Some(marker) = &spec.filled_text
        && doc
            .root_element()
            .text()
            .any(|t| t.to_lowercase().contains(marker.as_str()))
    {
        rec.extra
            .insert("status".into(), serde_json::Value::String("filled".into()));
    }
}

/// Sets every constant field on `rec`.
pub fn apply_constants(constants: &[(String, String)], rec: &mut RawRecord) {
    for (k, v) in constants {
        set_field(rec, k, v.clone());
    }
}

/// Compiled `kind = "html"` source.
#[derive(Debug, Clone)]
pub struct HtmlEngine {
    /// Name, company, base URL.
    pub common: CommonSpec,
    /// Start URLs.
    pub start_urls: Vec<Url>,
    /// Listing extraction.
    pub list: ListSpec,
    /// Pagination.
    pub paging: PagingSpec,
    /// Detail pages.
    pub detail: Option<DetailSpec>,
    /// Constant fields.
    pub constants: Vec<(String, String)>,
}

/// Compiles `start_urls` (each may be rebased onto `base_url`).
pub fn compile_start_urls(common: &CommonSpec, urls: &[String]) -> Result<Vec<Url>, KeyError> {
    urls.iter()
        .enumerate()
        .map(|(i, u)| common.url(&format!("start_urls[{i}]"), u))
        .collect()
}

impl HtmlConfig {
    /// Validates into an [`HtmlEngine`].
    pub fn compile(&self, common: &CommonSpec) -> Result<Arc<dyn Engine>, KeyError> {
        Ok(Arc::new(self.compile_engine(common)?))
    }

    /// Validates into an [`HtmlEngine`] (concrete type, for tests and the browser engine).
    pub fn compile_engine(&self, common: &CommonSpec) -> Result<HtmlEngine, KeyError> {
        let start_urls = compile_start_urls(common, &self.start_urls)?;
        let list = ListSpec::compile("list", &self.list)?;
        let paging = PagingSpec::compile(self.pagination.as_ref(), common, !start_urls.is_empty())?;
        let detail = self
            .detail
            .as_ref()
            .map(|d| DetailSpec::compile("detail", d))
            .transpose()?;
        let constants = compile_constants("constants", &self.constants)?;
        check_required(&list, detail.as_ref(), &constants)?;
        Ok(HtmlEngine {
            common: common.clone(),
            start_urls,
            list,
            paging,
            detail,
            constants,
        })
    }
}

/// Every record needs `url` (from the list) and `title` (list, detail, JSON-LD or constant).
pub fn check_required(
    list: &ListSpec,
    detail: Option<&DetailSpec>,
    constants: &[(String, String)],
) -> Result<(), KeyError> {
    if !list.has("url") {
        return Err(KeyError::new(
            "list.fields.url",
            "missing: every posting needs a link, e.g. url = \"a @href\"",
        ));
    }
    let title_somewhere = list.has("title")
        || constants.iter().any(|(k, _)| k == "title")
        || detail.is_some_and(|d| d.has("title") || d.jsonld);
    if !title_somewhere {
        return Err(KeyError::new(
            "list.fields.title",
            "missing: give a title selector in [list.fields] or [detail.fields]",
        ));
    }
    Ok(())
}

impl Engine for HtmlEngine {
    fn run<'a>(
        &'a self,
        ctx: &'a SourceCtx,
        sink: &'a mut RecordSink,
    ) -> BoxFuture<'a, Result<(), SourceError>> {
        Box::pin(run_listing(
            ctx,
            sink,
            ListingPlan {
                common: &self.common,
                start_urls: &self.start_urls,
                paging: &self.paging,
                detail: self.detail.as_ref(),
                constants: &self.constants,
            },
            |doc, url| extract_list_doc(&self.list, doc, url),
        ))
    }
}

/// What [`run_listing`] crawls.
#[derive(Debug, Clone, Copy)]
pub struct ListingPlan<'a> {
    /// Name, company, base URL.
    pub common: &'a CommonSpec,
    /// Start URLs.
    pub start_urls: &'a [Url],
    /// Pagination.
    pub paging: &'a PagingSpec,
    /// Detail pages.
    pub detail: Option<&'a DetailSpec>,
    /// Constant fields.
    pub constants: &'a [(String, String)],
}

/// The listing crawl shared by the html and jsonld engines: page through listings, extract
/// postings with `extract`, complete them from detail pages, emit them.
pub async fn run_listing<'a>(
    ctx: &'a SourceCtx,
    sink: &'a mut RecordSink,
    plan: ListingPlan<'a>,
    extract: impl Fn(&Html, &Url) -> Vec<RawRecord> + Send + Sync + 'a,
) -> Result<(), SourceError> {
    let start = match &ctx.limits.url_override {
        Some(u) => vec![u.clone()],
        None => plan.start_urls.to_vec(),
    };
    let limit = ctx.page_limit(plan.paging.max_pages);
    let mut pager = Pager::new(plan.paging, plan.common, start, limit);
    let mut seen: HashSet<String> = HashSet::new();
    let mut first_page = true;
    loop {
        if ctx.should_stop(sink) {
            break;
        }
        let url = match pager.next_url() {
            Ok(Some(u)) => u,
            Ok(None) => break,
            Err(e) => return Err(SourceError::Other(format!("pagination: {e}"))),
        };
        let page = match ctx.fetcher.get(&url, &ctx.req).await {
            Ok(p) => p,
            Err(e) if first_page => return Err(e.into()),
            Err(e) => {
                ctx.warn(format!("listing page {} failed: {e}", pager.fetched()));
                pager.stop();
                continue;
            }
        };
        let (records, next) = {
            let doc = Html::parse_document(&page.body);
            (
                extract(&doc, &page.url),
                plan.paging.next_link(&doc, &page.url),
            )
        };
        if records.is_empty() && first_page {
            ctx.warn(format!(
                "list selector matched 0 postings on {} (page 1)",
                page.url
            ));
        }
        first_page = false;
        let mut fresh: Vec<RawRecord> = records
            .into_iter()
            .filter(|r| r.url.is_empty() || seen.insert(r.url.clone()))
            .collect();
        pager.after_page(fresh.len(), next);
        if let Some(max) = ctx.limits.max_items {
            fresh.truncate(max.saturating_sub(sink.found()));
        }
        for r in &mut fresh {
            apply_constants(plan.constants, r);
        }
        let fresh = match plan.detail {
            Some(d) if !ctx.limits.skip_details => fetch_details(ctx, d, fresh).await,
            _ => fresh,
        };
        for r in fresh {
            sink.emit(r).await?;
        }
    }
    Ok(())
}

/// Completes records from their detail pages, a few at a time (the gate keeps it polite).
/// A failed detail page keeps the list fields and adds a warning.
pub async fn fetch_details(
    ctx: &SourceCtx,
    d: &DetailSpec,
    records: Vec<RawRecord>,
) -> Vec<RawRecord> {
    let width = ctx
        .req
        .politeness
        .as_ref()
        .map(|p| p.max_concurrency)
        .unwrap_or(2)
        .max(1);
    futures::stream::iter(records)
        .map(|mut rec| async move {
            if ctx.cancel.is_cancelled() {
                return rec;
            }
            let Ok(url) = Url::parse(&rec.url) else {
                ctx.warn(format!(
                    "posting {:?} has no usable url for its detail page",
                    rec.title
                ));
                return rec;
            };
            match ctx.fetcher.get(&url, &ctx.req).await {
                Ok(page) => apply_detail(d, &mut rec, &page.body, &page.url),
                Err(e) => ctx.warn(format!("detail page failed, list fields kept: {e}")),
            }
            rec
        })
        .buffered(width)
        .collect()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common() -> CommonSpec {
        CommonSpec {
            name: "t".into(),
            company: None,
            enabled: true,
            base_url: None,
        }
    }

    fn config(text: &str) -> HtmlConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn list_extraction_resolves_relative_links_against_the_page() {
        let cfg = config(
            r#"
            start_urls = ["https://careers.example.test/careerscp/client_cargo/external/results/searchResult.html"]
            [list]
            item = "tr.jobRow"
            [list.fields]
            title = "a"
            url = "a @href"
            location = "td.loc"
            "#,
        );
        let engine = cfg.compile_engine(&common()).unwrap();
        let html = r#"<table><tr class="jobRow"><td><a href="../jobDetails/jobDetail.html?jobPostId=4823&localeCode=en-us">
            Aircraft Mechanic (SR)</a></td><td class="loc">Luxembourg, Luxembourg</td></tr>
            <tr class="jobRow"><td><a href="../jobDetails/jobDetail.html?jobPostId=4901&localeCode=en-us">Load Master</a></td></tr></table>"#;
        let recs = extract_list(&engine.list, html, &engine.start_urls[0]);
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].title, "Aircraft Mechanic (SR)");
        assert_eq!(
            recs[0].url,
            "https://careers.example.test/careerscp/client_cargo/external/jobDetails/jobDetail.html?jobPostId=4823&localeCode=en-us"
        );
        assert_eq!(recs[0].location.as_deref(), Some("Luxembourg, Luxembourg"));
        assert_eq!(recs[1].location, None);
    }

    #[test]
    fn detail_selectors_win_and_jsonld_fills_gaps() {
        let d = DetailSpec::compile(
            "detail",
            &toml::from_str::<DetailConfig>(
                "filled_text = \"position has been filled\"\n[fields]\ndescription = \"div.job-description @html\"",
            )
            .unwrap(),
        )
        .unwrap();
        let mut rec = RawRecord {
            title: "B1 Engineer".into(),
            url: "https://x.test/job/1".into(),
            ..Default::default()
        };
        let html = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@type":"JobPosting","title":"Other title","datePosted":"2026-11-02",
             "hiringOrganization":{"@type":"Organization","name":"Jet Example"},"description":"from json-ld"}
            </script></head><body><div class="job-description"><p>Real text</p></div>
            <div class="job">Sorry, this position has been filled.</div></body></html>"#;
        apply_detail(
            &d,
            &mut rec,
            html,
            &Url::parse("https://x.test/job/1").unwrap(),
        );
        assert_eq!(rec.title, "B1 Engineer");
        assert_eq!(rec.description.as_deref(), Some("<p>Real text</p>"));
        assert_eq!(rec.posted_date.as_deref(), Some("2026-11-02"));
        assert_eq!(rec.company.as_deref(), Some("Jet Example"));
        assert_eq!(rec.url, "https://x.test/job/1");
        assert_eq!(rec.extra["status"], "filled");
    }

    #[test]
    fn missing_url_or_title_is_a_config_error() {
        let cfg = config(
            "start_urls = [\"https://x.test/\"]\n[list]\nitem = \"li\"\n[list.fields]\ntitle = \"a\"\n",
        );
        assert_eq!(
            cfg.compile_engine(&common()).unwrap_err().key,
            "list.fields.url"
        );
        let cfg = config(
            "start_urls = [\"https://x.test/\"]\n[list]\nitem = \"li\"\n[list.fields]\nurl = \"a @href\"\n",
        );
        assert_eq!(
            cfg.compile_engine(&common()).unwrap_err().key,
            "list.fields.title"
        );
    }
}
