//! `kind = "browser"`: the `html` engine's listing crawl, on pages rendered by Chromium.
//!
//! Per listing page: the navigation passes the politeness gate (robots.txt, per-host interval
//! and concurrency — the same gate as plain fetches), the page is rendered (wait condition,
//! cookie banner, steps, "next" button), block detection runs on the rendered DOM, and the
//! `html` engine's pure extraction reads the postings. Detail pages are rendered too, or
//! fetched over plain HTTP with `via = "http"`; their JSON-LD fills missing fields. Without a
//! `[list]`, the postings are the rendered listing's schema.org `JobPosting` JSON-LD.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use futures::StreamExt;
use futures::future::BoxFuture;
use reqwest::header::HeaderMap;
use serde::Deserialize;
use url::Url;

use super::pool::BrowserPool;
use super::render::RenderedPage;
use super::shared::shared_pool;
use super::spec::{BrowserSpec, RenderConfig, SpecError, StepConfig, WaitConfig};
use crate::config::KeyError;
use crate::fetch::{FetchError, block};
use crate::model::RawRecord;
use crate::sources::fields::compile_constants;
use crate::sources::html::{
    self, DetailConfig, DetailSpec, ListConfig, ListSpec, apply_constants, apply_detail,
    compile_start_urls, extract_list,
};
use crate::sources::paging::{Pager, PagingConfig, PagingSpec};
use crate::sources::{CommonSpec, Engine, RecordSink, SourceCtx, SourceError, jsonld};

/// How often a running render checks for Ctrl-C.
const CANCEL_POLL: std::time::Duration = std::time::Duration::from_millis(50);
/// How much of a non-2xx rendered page goes into the error message.
const ERROR_SNIPPET_CHARS: usize = 200;

/// `kind = "browser"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrowserSourceConfig {
    /// Listing pages to start from (absolute, or `/path` with `base_url`).
    #[serde(default)]
    pub start_urls: Vec<String>,
    /// The posting element and its fields, as for `kind = "html"`. Without it, postings come
    /// from the rendered page's JobPosting JSON-LD.
    pub list: Option<ListConfig>,
    /// Further listing pages by link or URL template, as for `kind = "html"`.
    pub pagination: Option<PagingConfig>,
    /// Optional detail pages.
    pub detail: Option<BrowserDetailConfig>,
    /// Fields with a fixed value on every record (e.g. `company`).
    #[serde(default)]
    pub constants: BTreeMap<String, String>,
    /// When a listing page counts as rendered.
    #[serde(default)]
    pub wait: WaitConfig,
    /// Cookie-consent button, clicked whenever it shows up.
    pub cookie_button: Option<String>,
    /// Steps after the wait condition: `click`, `click_repeat`, `scroll`, `wait`.
    #[serde(default)]
    pub steps: Vec<StepConfig>,
    /// JavaScript "next page" button, clicked after each listing page is read.
    pub next_button: Option<String>,
    /// Pages read through `next_button` per start URL (default 10).
    pub next_max_pages: Option<u32>,
    /// Block images, fonts, media and analytics (default true).
    pub block_resources: Option<bool>,
    /// Maximum time for a navigation (default "30s").
    pub navigation_timeout: Option<String>,
    /// Maximum wait for new content after a click or scroll step (default "5s").
    pub step_timeout: Option<String>,
}

/// How detail pages are loaded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DetailVia {
    /// Rendered in Chromium (default; for detail pages that need JavaScript).
    #[default]
    Browser,
    /// Fetched over plain HTTP (faster; for server-rendered detail pages).
    Http,
}

/// `[detail]` of a browser source.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrowserDetailConfig {
    /// Field name → selector on the detail page; these win over list fields.
    #[serde(default)]
    pub fields: toml::Table,
    /// Fill missing fields from the page's JobPosting JSON-LD (default true).
    #[serde(default = "crate::sources::yes")]
    pub jsonld: bool,
    /// Text that marks a closed posting; such records get `"status": "filled"`.
    pub filled_text: Option<String>,
    /// `browser` (default) or `http`.
    #[serde(default)]
    pub via: DetailVia,
    /// When a rendered detail page counts as ready (browser only).
    #[serde(default)]
    pub wait: WaitConfig,
}

/// Compiled `kind = "browser"` source.
#[derive(Debug, Clone)]
pub struct BrowserEngine {
    /// Name, company, base URL.
    pub common: CommonSpec,
    /// Start URLs.
    pub start_urls: Vec<Url>,
    /// Listing extraction (`None`: JSON-LD on the rendered listing).
    pub list: Option<ListSpec>,
    /// Link / template pagination.
    pub paging: PagingSpec,
    /// Detail pages and how to load them.
    pub detail: Option<(DetailSpec, DetailVia)>,
    /// Constant fields.
    pub constants: Vec<(String, String)>,
    /// How listing pages are rendered.
    pub listing: BrowserSpec,
    /// How detail pages are rendered.
    pub detail_render: BrowserSpec,
}

fn spec_error(e: SpecError) -> KeyError {
    match e {
        SpecError::BadSelector {
            key,
            selector,
            reason,
        } => KeyError::new(key, format!("invalid CSS selector {selector:?}: {reason}")),
        SpecError::Invalid { key, reason } => KeyError::new(key, reason),
    }
}

fn duration(key: &str, text: &Option<String>) -> Result<Option<std::time::Duration>, KeyError> {
    text.as_deref()
        .map(|t| {
            humantime::parse_duration(t).map_err(|e| {
                KeyError::new(
                    key,
                    format!("invalid duration {t:?} ({e}); write e.g. \"15s\""),
                )
            })
        })
        .transpose()
}

impl BrowserSourceConfig {
    /// Validates into a [`BrowserEngine`].
    pub fn compile(&self, common: &CommonSpec) -> Result<Arc<dyn Engine>, KeyError> {
        Ok(Arc::new(self.compile_engine(common)?))
    }

    /// The render keys as a [`RenderConfig`].
    pub fn render_config(&self) -> Result<RenderConfig, KeyError> {
        Ok(RenderConfig {
            wait: self.wait.clone(),
            cookie_button: self.cookie_button.clone(),
            steps: self.steps.clone(),
            next_button: self.next_button.clone(),
            next_max_pages: self.next_max_pages,
            block_resources: self.block_resources,
            navigation_timeout: duration("navigation_timeout", &self.navigation_timeout)?,
            step_timeout: duration("step_timeout", &self.step_timeout)?,
        })
    }

    /// Validates into a [`BrowserEngine`] (concrete type, for tests).
    pub fn compile_engine(&self, common: &CommonSpec) -> Result<BrowserEngine, KeyError> {
        let start_urls = compile_start_urls(common, &self.start_urls)?;
        let list = self
            .list
            .as_ref()
            .map(|l| ListSpec::compile("list", l))
            .transpose()?;
        let paging = PagingSpec::compile(self.pagination.as_ref(), common, !start_urls.is_empty())?;
        let detail = self
            .detail
            .as_ref()
            .map(|d| {
                let plain = DetailConfig {
                    fields: d.fields.clone(),
                    jsonld: d.jsonld,
                    filled_text: d.filled_text.clone(),
                };
                DetailSpec::compile("detail", &plain).map(|spec| (spec, d.via))
            })
            .transpose()?;
        let constants = compile_constants("constants", &self.constants)?;
        if let Some(list) = &list {
            html::check_required(list, detail.as_ref().map(|(d, _)| d), &constants)?;
        }
        let render = self.render_config()?;
        let item_selector = self.list.as_ref().map(|l| l.item.as_str());
        let listing = render.compile(item_selector).map_err(spec_error)?;
        let detail_render = RenderConfig {
            wait: self
                .detail
                .as_ref()
                .map(|d| d.wait.clone())
                .unwrap_or_default(),
            cookie_button: self.cookie_button.clone(),
            block_resources: self.block_resources,
            navigation_timeout: render.navigation_timeout,
            step_timeout: render.step_timeout,
            ..RenderConfig::default()
        }
        .compile(None)
        .map_err(|e| {
            let KeyError { key, why } = spec_error(e);
            KeyError::new(format!("detail.{key}"), why)
        })?;
        if start_urls.is_empty()
            && !matches!(
                paging.mode,
                crate::sources::paging::PagingMode::Template { .. }
            )
        {
            return Err(KeyError::new(
                "start_urls",
                "missing: give at least one listing URL (or a pagination.url_template)",
            ));
        }
        Ok(BrowserEngine {
            common: common.clone(),
            start_urls,
            list,
            paging,
            detail,
            constants,
            listing,
            detail_render,
        })
    }
}

impl Engine for BrowserEngine {
    fn run<'a>(
        &'a self,
        ctx: &'a SourceCtx,
        sink: &'a mut RecordSink,
    ) -> BoxFuture<'a, Result<(), SourceError>> {
        Box::pin(self.crawl(ctx, sink, shared_pool()))
    }
}

impl BrowserEngine {
    /// Runs the source with an explicit pool (tests and the benchmark).
    pub async fn crawl(
        &self,
        ctx: &SourceCtx,
        sink: &mut RecordSink,
        pool: BrowserPool,
    ) -> Result<(), SourceError> {
        let start = match &ctx.limits.url_override {
            Some(u) => vec![u.clone()],
            None => self.start_urls.clone(),
        };
        let limit = ctx.page_limit(self.paging.max_pages);
        let mut pager = Pager::new(&self.paging, &self.common, start, limit);
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
            let snapshots = match render_checked(ctx, &pool, &url, &self.listing, true).await {
                Ok(s) => s,
                Err(e) if first_page => return Err(e),
                Err(e) => {
                    ctx.warn(format!("listing page {} failed: {e}", pager.fetched()));
                    pager.stop();
                    continue;
                }
            };
            let mut records = Vec::new();
            let mut next = None;
            for (url, page) in &snapshots {
                records.extend(match &self.list {
                    Some(list) => extract_list(list, &page.html, url),
                    None => jsonld::extract(&page.html, url),
                });
                next = self
                    .paging
                    .next_link(&scraper::Html::parse_document(&page.html), url);
            }
            if records.is_empty() && first_page {
                ctx.warn(format!(
                    "list selector matched 0 postings on the rendered {url} (page 1)"
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
                apply_constants(&self.constants, r);
            }
            let fresh = match &self.detail {
                _ if ctx.limits.skip_details => fresh,
                Some((d, DetailVia::Http)) => html::fetch_details(ctx, d, fresh).await,
                Some((d, DetailVia::Browser)) => self.render_details(ctx, &pool, d, fresh).await,
                None => fresh,
            };
            for r in fresh {
                sink.emit(r).await?;
            }
        }
        Ok(())
    }

    /// Completes records from their rendered detail pages, a few at a time.
    async fn render_details(
        &self,
        ctx: &SourceCtx,
        pool: &BrowserPool,
        d: &DetailSpec,
        records: Vec<RawRecord>,
    ) -> Vec<RawRecord> {
        let per_host = ctx
            .req
            .politeness
            .as_ref()
            .map(|p| p.max_concurrency)
            .unwrap_or(2);
        let width = per_host.min(pool.options().max_tabs).max(1);
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
                match render_checked(ctx, pool, &url, &self.detail_render, false).await {
                    Ok(pages) => {
                        if let Some((final_url, page)) = pages.first() {
                            apply_detail(d, &mut rec, &page.html, final_url);
                        }
                    }
                    Err(e) => ctx.warn(format!("detail page failed, list fields kept: {e}")),
                }
                rec
            })
            .buffered(width)
            .collect()
            .await
    }
}

/// Renders `url` politely and checks the result: the gate (robots.txt, per-host interval and
/// concurrency) is held for the navigation, the status is counted, and a block page or an
/// HTTP error fails the page. Returns each snapshot with its final URL.
pub async fn render_checked(
    ctx: &SourceCtx,
    pool: &BrowserPool,
    url: &Url,
    spec: &BrowserSpec,
    follow_next: bool,
) -> Result<Vec<(Url, RenderedPage)>, SourceError> {
    let politeness = ctx
        .req
        .politeness
        .clone()
        .unwrap_or_else(|| ctx.fetcher.defaults().clone());
    let permit = ctx
        .fetcher
        .gate()
        .acquire(url, &politeness, Some(&ctx.stats))
        .await?;
    let render = async {
        if follow_next && spec.next_button.is_some() {
            pool.render_pages(url.as_str(), spec).await
        } else {
            pool.render(url.as_str(), spec).await.map(|p| vec![p])
        }
    };
    // Ctrl-C must not wait for a slow page: dropping the render discards its tab.
    let rendered = tokio::select! {
        r = render => r,
        _ = cancelled(&ctx.cancel) => return Err(SourceError::Cancelled),
    };
    drop(permit);
    let pages = rendered.map_err(|e| SourceError::Other(e.to_string()))?;
    let mut out = Vec::with_capacity(pages.len());
    for page in pages {
        let status = page.status.unwrap_or(200);
        ctx.stats.add_status(status);
        ctx.stats.add_page(page.html.len());
        let final_url = Url::parse(&page.final_url).unwrap_or_else(|_| url.clone());
        if let Some(why) = block::detect(status, &HeaderMap::new(), &page.html) {
            ctx.stats.add_blocked();
            tracing::warn!(url = %final_url, why = %why, "blocked page (rendered)");
            return Err(FetchError::Blocked {
                url: final_url,
                why,
            }
            .into());
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Http {
                url: final_url,
                status,
                snippet: snippet(&page.html),
            }
            .into());
        }
        out.push((final_url, page));
    }
    Ok(out)
}

/// Resolves once the run is cancelled.
async fn cancelled(cancel: &crate::sources::Cancel) {
    while !cancel.is_cancelled() {
        tokio::time::sleep(CANCEL_POLL).await;
    }
}

fn snippet(html: &str) -> String {
    let text = scraper::Html::parse_document(html)
        .root_element()
        .text()
        .collect::<Vec<_>>()
        .join(" ");
    crate::sources::fields::collapse_ws(&text)
        .chars()
        .take(ERROR_SNIPPET_CHARS)
        .collect()
}
