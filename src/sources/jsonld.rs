//! schema.org `JobPosting` JSON-LD: the extractor ([`extract`]) used on every detail page,
//! and `kind = "jsonld"` for sites whose listing pages link to detail pages carrying it.
//!
//! ```toml
//! name = "example-jsonld"
//! kind = "jsonld"
//! start_urls = ["https://jobs.example.com/openings"]
//! links = "a.job-link @href"      # detail links on listing pages; omit to read the
//!                                 # listing pages' own JSON-LD
//! [pagination]
//! next = "a[rel=next] @href"
//! ```
//! JobPostings are found wherever they sit: top-level objects or arrays, inside `@graph`,
//! nested under other entities, with `@type` a string or an array.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::StreamExt;
use futures::future::BoxFuture;
use scraper::{Html, Selector};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::fields::{FieldSpec, compile_constants, compile_field, extract_field, resolve_link};
use super::html::{ListingPlan, apply_constants, compile_start_urls, run_listing};
use super::paging::{PagingConfig, PagingSpec};
use super::{CommonSpec, Engine, RecordSink, SourceCtx, SourceError};
use crate::config::KeyError;
use crate::model::RawRecord;

/// `kind = "jsonld"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonLdConfig {
    /// Listing pages (absolute, or `/path` with `base_url`).
    #[serde(default)]
    pub start_urls: Vec<String>,
    /// Selector of detail links on listing pages (`@href` is the default attribute).
    pub links: Option<String>,
    /// How further listing pages are found.
    pub pagination: Option<PagingConfig>,
    /// Fields with a fixed value on every record.
    #[serde(default)]
    pub constants: BTreeMap<String, String>,
}

/// Compiled `kind = "jsonld"` source.
#[derive(Debug, Clone)]
pub struct JsonLdEngine {
    common: CommonSpec,
    start_urls: Vec<Url>,
    links: Option<FieldSpec>,
    paging: PagingSpec,
    constants: Vec<(String, String)>,
}

impl JsonLdConfig {
    /// Validates into an engine.
    pub fn compile(&self, common: &CommonSpec) -> Result<Arc<dyn Engine>, KeyError> {
        let start_urls = compile_start_urls(common, &self.start_urls)?;
        let paging = PagingSpec::compile(self.pagination.as_ref(), common, !start_urls.is_empty())?;
        let links = self
            .links
            .as_ref()
            .map(|l| {
                let l = if l.contains('@') {
                    l.clone()
                } else {
                    format!("{l} @href")
                };
                compile_field("links", "url", &toml::Value::String(l)).map(|f| FieldSpec {
                    all: true,
                    join: "\n".into(),
                    ..f
                })
            })
            .transpose()?;
        Ok(Arc::new(JsonLdEngine {
            common: common.clone(),
            start_urls,
            links,
            paging,
            constants: compile_constants("constants", &self.constants)?,
        }))
    }
}

impl Engine for JsonLdEngine {
    fn run<'a>(
        &'a self,
        ctx: &'a SourceCtx,
        sink: &'a mut RecordSink,
    ) -> BoxFuture<'a, Result<(), SourceError>> {
        Box::pin(async move {
            let Some(links) = &self.links else {
                // The listing pages carry the JSON-LD themselves.
                return run_listing(
                    ctx,
                    sink,
                    ListingPlan {
                        common: &self.common,
                        start_urls: &self.start_urls,
                        paging: &self.paging,
                        detail: None,
                        constants: &self.constants,
                    },
                    extract_doc,
                )
                .await;
            };
            // Listing pages give links; each linked page is read for JSON-LD. The listing
            // crawl emits link stubs into a local channel that we complete here.
            let (tx, mut rx) = tokio::sync::mpsc::channel::<RawRecord>(256);
            let stubs = RecordSink::with_name(&self.common.name, None, tx, ctx.limits.max_items);
            let crawl = async move {
                let mut stubs = stubs;
                run_listing(
                    ctx,
                    &mut stubs,
                    ListingPlan {
                        common: &self.common,
                        start_urls: &self.start_urls,
                        paging: &self.paging,
                        detail: None,
                        constants: &[],
                    },
                    |doc, url| {
                        extract_field(links, doc.root_element(), url)
                            .map(|s| {
                                s.lines()
                                    .filter_map(|l| resolve_link(url, l))
                                    .map(|u| RawRecord {
                                        url: u,
                                        ..Default::default()
                                    })
                                    .collect()
                            })
                            .unwrap_or_default()
                    },
                )
                .await
                // `stubs` is dropped here, closing the channel so the consumer finishes.
            };
            let width = ctx
                .req
                .politeness
                .as_ref()
                .map(|p| p.max_concurrency)
                .unwrap_or(2)
                .max(1);
            let consume = async {
                let mut pending = futures::stream::FuturesOrdered::new();
                let mut closed = false;
                loop {
                    tokio::select! {
                        stub = rx.recv(), if !closed && pending.len() < width => match stub {
                            Some(stub) => pending.push_back(self.read_detail(ctx, stub.url)),
                            None => closed = true,
                        },
                        Some(recs) = pending.next(), if !pending.is_empty() => {
                            for r in recs {
                                sink.emit(r).await?;
                            }
                        }
                        else => break,
                    }
                }
                Ok::<(), SourceError>(())
            };
            let (crawled, consumed) = tokio::join!(crawl, consume);
            crawled?;
            consumed
        })
    }
}

impl JsonLdEngine {
    async fn read_detail(&self, ctx: &SourceCtx, url: String) -> Vec<RawRecord> {
        let Ok(u) = Url::parse(&url) else {
            return Vec::new();
        };
        if ctx.cancel.is_cancelled() {
            return Vec::new();
        }
        match ctx.fetcher.get(&u, &ctx.req).await {
            Ok(page) => {
                let mut recs = extract(&page.body, &page.url);
                if recs.is_empty() {
                    ctx.warn(format!("{}: no JobPosting JSON-LD on this page", page.url));
                }
                for r in &mut recs {
                    apply_constants(&self.constants, r);
                }
                recs
            }
            Err(e) => {
                ctx.warn(format!("detail page failed: {e}"));
                Vec::new()
            }
        }
    }
}

/// Every `JobPosting` in the page's `<script type="application/ld+json">` blocks.
pub fn extract(html: &str, page_url: &Url) -> Vec<RawRecord> {
    extract_doc(&Html::parse_document(html), page_url)
}

/// [`extract`] on an already parsed document.
pub fn extract_doc(doc: &Html, page_url: &Url) -> Vec<RawRecord> {
    let sel = Selector::parse(r#"script[type="application/ld+json"]"#).expect("static selector");
    let mut out = Vec::new();
    for script in doc.select(&sel) {
        let text: String = script.text().collect();
        let Some(v) = parse_lenient(&text) else {
            continue;
        };
        let mut postings = Vec::new();
        collect_postings(&v, &mut postings, 0);
        out.extend(postings.into_iter().map(|p| posting_to_record(p, page_url)));
    }
    out
}

/// Parses JSON-LD, tolerating what sites get wrong: HTML comment wrappers, CDATA, raw
/// control characters inside strings.
fn parse_lenient(text: &str) -> Option<Value> {
    let t = text
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim();
    serde_json::from_str(t).ok().or_else(|| {
        let cleaned: String = t
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        serde_json::from_str(&cleaned).ok()
    })
}

fn is_job_posting(obj: &serde_json::Map<String, Value>) -> bool {
    let is =
        |s: &str| s == "JobPosting" || s.ends_with("/JobPosting") || s.ends_with(":JobPosting");
    match obj.get("@type") {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(is)),
        _ => false,
    }
}

fn collect_postings<'v>(
    v: &'v Value,
    out: &mut Vec<&'v serde_json::Map<String, Value>>,
    depth: u32,
) {
    if depth > 12 {
        return;
    }
    match v {
        Value::Array(items) => items
            .iter()
            .for_each(|i| collect_postings(i, out, depth + 1)),
        Value::Object(obj) => {
            if is_job_posting(obj) {
                out.push(obj);
                return;
            }
            obj.values()
                .for_each(|child| collect_postings(child, out, depth + 1));
        }
        _ => {}
    }
}

/// A plain string from a JSON-LD value (strings, numbers, `{name}` / `{@value}` objects,
/// arrays joined with ", ").
fn text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(a) => a.iter().filter_map(text).collect::<Vec<_>>().join(", "),
        Value::Object(o) => return o.get("name").or_else(|| o.get("@value")).and_then(text),
        Value::Null => return None,
    };
    (!s.is_empty()).then_some(s)
}

fn place_text(place: &Value) -> Option<String> {
    match place {
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().filter_map(place_text).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Value::Object(o) => {
            let addr = o.get("address");
            match addr {
                Some(Value::Object(a)) => {
                    let parts: Vec<String> = ["addressLocality", "addressRegion", "addressCountry"]
                        .iter()
                        .filter_map(|k| a.get(*k).and_then(text))
                        .collect();
                    if parts.is_empty() {
                        o.get("name").and_then(text)
                    } else {
                        Some(parts.join(", "))
                    }
                }
                Some(other) => text(other),
                None => o.get("name").and_then(text),
            }
        }
        other => text(other),
    }
}

fn salary_text(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    let currency = o.get("currency").and_then(text);
    let value = o.get("value");
    let (amount, unit) = match value {
        Some(Value::Object(q)) => {
            let unit = q.get("unitText").and_then(text);
            let amount = match (q.get("minValue"), q.get("maxValue"), q.get("value")) {
                (Some(min), Some(max), _) => Some(format!("{} - {}", text(min)?, text(max)?)),
                (_, _, Some(v)) => text(v),
                (Some(min), None, None) => text(min),
                _ => None,
            };
            (amount, unit)
        }
        Some(v) => (text(v), None),
        None => (None, None),
    };
    let amount = amount?;
    let mut s = match currency {
        Some(c) => format!("{c} {amount}"),
        None => amount,
    };
    if let Some(u) = unit {
        s.push_str(" per ");
        s.push_str(&u.to_lowercase());
    }
    Some(s)
}

fn posting_to_record(p: &serde_json::Map<String, Value>, page_url: &Url) -> RawRecord {
    let get = |k: &str| p.get(k).and_then(text);
    let url = get("url")
        .and_then(|u| resolve_link(page_url, &u))
        .unwrap_or_else(|| page_url.to_string());
    let remote_only = p
        .get("jobLocationType")
        .and_then(text)
        .is_some_and(|t| t.eq_ignore_ascii_case("TELECOMMUTE"));
    let location = p
        .get("jobLocation")
        .and_then(place_text)
        .or_else(|| remote_only.then(|| "Remote".to_owned()));
    let external_id = p.get("identifier").and_then(|i| match i {
        Value::Object(o) => o.get("value").and_then(text),
        other => text(other),
    });
    let mut rec = RawRecord {
        title: get("title").or_else(|| get("name")).unwrap_or_default(),
        url,
        company: p.get("hiringOrganization").and_then(text),
        location,
        description: get("description"),
        posted_date: get("datePosted"),
        employment_type: get("employmentType"),
        salary: p.get("baseSalary").and_then(salary_text),
        external_id,
        closing_date: get("validThrough"),
        department: get("occupationalCategory"),
        remote: remote_only.then_some(Value::Bool(true)),
        ..Default::default()
    };
    if let Some(s) = p.get("baseSalary") {
        rec.extra.insert("base_salary".into(), s.clone());
    }
    rec
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("https://jobs.example.test/job/77").unwrap()
    }

    #[test]
    fn graph_arrays_and_type_arrays_are_all_found() {
        let html = r#"<html><head>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"Organization","name":"Example"},
              {"@type":["JobPosting","Thing"],"title":"Captain A320","datePosted":"2026-11-01",
               "identifier":{"@type":"PropertyValue","name":"Ex","value":"R-1"},
               "hiringOrganization":{"@type":"Organization","name":"Example Air"},
               "jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Dublin","addressCountry":"IE"}},
               "employmentType":["FULL_TIME","CONTRACTOR"],
               "baseSalary":{"@type":"MonetaryAmount","currency":"EUR","value":{"@type":"QuantitativeValue","minValue":80000,"maxValue":95000,"unitText":"YEAR"}}}]}</script>
            <script type="application/ld+json">[{"@type":"JobPosting","title":"First Officer","url":"/job/78",
               "jobLocation":[{"@type":"Place","address":{"addressLocality":"Cork","addressCountry":{"@type":"Country","name":"Ireland"}}},
                              {"@type":"Place","address":{"addressLocality":"Shannon"}}]},
              {"@type":"JobPosting","title":"Remote Dispatcher","jobLocationType":"TELECOMMUTE"}]</script>
            <script type="application/ld+json">{ not json </script>
            </head></html>"#;
        let recs = extract(html, &page());
        assert_eq!(recs.len(), 3);
        let a = &recs[0];
        assert_eq!(a.title, "Captain A320");
        assert_eq!(a.url, "https://jobs.example.test/job/77");
        assert_eq!(a.external_id.as_deref(), Some("R-1"));
        assert_eq!(a.company.as_deref(), Some("Example Air"));
        assert_eq!(a.location.as_deref(), Some("Dublin, IE"));
        assert_eq!(a.employment_type.as_deref(), Some("FULL_TIME, CONTRACTOR"));
        assert_eq!(a.salary.as_deref(), Some("EUR 80000 - 95000 per year"));
        assert_eq!(a.posted_date.as_deref(), Some("2026-11-01"));
        let b = &recs[1];
        assert_eq!(b.url, "https://jobs.example.test/job/78");
        assert_eq!(b.location.as_deref(), Some("Cork, Ireland; Shannon"));
        let c = &recs[2];
        assert_eq!(c.location.as_deref(), Some("Remote"));
        assert_eq!(c.remote, Some(Value::Bool(true)));
    }

    #[test]
    fn nested_postings_and_comment_wrapped_json_are_found() {
        let html = r#"<script type="application/ld+json"><!--
            {"@type":"WebPage","mainEntity":{"@type":"JobPosting","title":"B1 Engineer","description":"<p>Line
            maintenance</p>"}} --></script>"#;
        let recs = extract(html, &page());
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].title, "B1 Engineer");
    }
}
