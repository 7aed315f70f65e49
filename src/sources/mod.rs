//! Sources: one module per engine (html, json, jsonld, browser) and ATS presets.
//!
//! # The life of a source
//!
//! 1. **Config** — `scrapers/<name>.toml` is read by [`crate::config::parse_source`] into a
//!    [`SourceConfig`]: the common keys ([`CommonConfig`]) plus one engine struct chosen by
//!    `kind` ([`KindConfig`]), which denies unknown keys.
//! 2. **Spec** — [`SourceConfig::compile`] validates everything that can be checked offline
//!    (selectors parsed, URLs parsed, `${ENV_VAR}`s present) into a [`SourceSpec`] holding a
//!    ready-to-run [`Engine`]. `aeroscrap sources check` stops here.
//! 3. **Run** — [`run_source`] calls [`Engine::run`] with a [`SourceCtx`] (shared
//!    [`Fetcher`], this source's [`RequestOpts`] and counters, run limits, cancellation) and
//!    a [`RecordSink`]. The engine fetches pages and `emit`s [`RawRecord`]s; the sink stamps
//!    `source`, `scraped_at` and the default `company` and streams them to the writer.
//!
//! # Adding a kind (ATS presets, browser)
//!
//! 1. Write `pub struct XyzConfig` (serde `Deserialize`, `#[serde(deny_unknown_fields)]`, a doc
//!    comment on every field) with the engine's own keys only — the common keys (`name`,
//!    `kind`, `enabled`, `company`, `base_url`, `schedule`, `expire_after_runs` and the
//!    politeness keys) are split off before your struct sees the table.
//! 2. Give it `fn compile(&self, common: &CommonSpec) -> Result<Arc<dyn Engine>, KeyError>`,
//!    validating offline and returning your engine. Use [`CommonSpec::url`] for every URL so
//!    `base_url` works, [`resolve_env`] for secrets.
//! 3. Implement [`Engine`] for your compiled engine: fetch with `ctx.fetcher` and `ctx.req`
//!    (politeness, counters and cookies come with them), call `sink.emit(record).await?` for
//!    each posting, stop when `ctx.should_stop(sink)` says so, and return `Err` only when the
//!    source as a whole failed (a single bad detail page is `ctx.warn(..)`).
//! 4. In this file add a variant to [`KindConfig`], its name to [`KindConfig::KINDS`], and one
//!    match arm in each of `KindConfig::parse`, `KindConfig::name` and `KindConfig::compile`.

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use serde::Deserialize;
use tokio::sync::mpsc;
use url::Url;

use crate::config::{KeyError, KindParseError, table_into};
pub use crate::fetch::Cancel;
use crate::fetch::{FetchError, Fetcher, PolitenessConfig, RequestOpts, SourceStats};
use crate::model::RawRecord;

pub mod ats;
#[cfg(feature = "browser")]
pub mod browser;
pub mod fields;
pub mod html;
pub mod json;
pub mod jsonld;
pub mod jsonpath;
pub mod paging;
pub mod template;

/// The keys every source file accepts, whatever its kind.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CommonConfig {
    /// Unique source name (default: the file name without `.toml`).
    pub name: String,
    /// Engine: `html`, `json`, `jsonld`, `browser` or an ATS preset.
    pub kind: String,
    /// Run this source in `scrape` (default true).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Company for records whose page does not name one (single-employer sites).
    pub company: Option<String>,
    /// Point the source at a mirror or test server: URLs in the config keep their path and
    /// query, but use this scheme, host and port (and get this path prefixed).
    pub base_url: Option<String>,
    /// 5-field cron schedule for `aeroscrap daemon` (default: the global schedule).
    pub schedule: Option<String>,
    /// Expire a listing after this many successful runs without seeing it.
    pub expire_after_runs: Option<u32>,
    /// Politeness overrides for this source (`delay_ms`, `max_concurrency`, …).
    #[serde(flatten)]
    pub politeness: PolitenessConfig,
}

fn default_true() -> bool {
    true
}

impl CommonConfig {
    /// Keys read into this struct (plus [`PolitenessConfig::KEYS`]).
    pub const KEYS: &'static [&'static str] = &[
        "name",
        "kind",
        "enabled",
        "company",
        "base_url",
        "schedule",
        "expire_after_runs",
    ];

    /// Checks what can be checked without the engine.
    pub fn validate(&self) -> Result<(), KeyError> {
        let name_ok = !self.name.is_empty()
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !name_ok {
            return Err(KeyError::new(
                "name",
                format!(
                    "{:?} must be non-empty ASCII letters, digits, '-', '_' or '.'",
                    self.name
                ),
            ));
        }
        if let Some(b) = &self.base_url {
            parse_base_url(b).map_err(|why| KeyError::new("base_url", why))?;
        }
        if let Some(s) = &self.schedule {
            crate::ops::schedule::Schedule::parse(s)
                .map_err(|e| KeyError::new("schedule", e.to_string()))?;
        }
        Ok(())
    }
}

fn parse_base_url(s: &str) -> Result<Url, String> {
    let u = Url::parse(s).map_err(|e| format!("{s:?} is not an absolute URL: {e}"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!("{s:?} must be http or https"));
    }
    Ok(u)
}

/// One source file, parsed but not yet compiled.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    /// The file it came from.
    pub path: PathBuf,
    /// Common keys.
    pub common: CommonConfig,
    /// Engine keys.
    pub kind: KindConfig,
}

/// The engine part of a source file, by `kind`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum KindConfig {
    /// Server-rendered HTML with CSS selectors.
    Html(html::HtmlConfig),
    /// A JSON API.
    Json(json::JsonConfig),
    /// schema.org `JobPosting` JSON-LD on pages.
    JsonLd(jsonld::JsonLdConfig),
    /// JavaScript sites rendered in headless Chromium.
    #[cfg(feature = "browser")]
    Browser(browser::BrowserSourceConfig),
    /// An ATS preset (`greenhouse`, `workday`, … see [`ats::PRESET_KINDS`]).
    Ats(ats::AtsConfig),
}

impl KindConfig {
    /// Every accepted `kind` value.
    pub const KINDS: &'static [&'static str] = &[
        "html",
        "json",
        "jsonld",
        "greenhouse",
        "lever",
        "workday",
        "smartrecruiters",
        "ashby",
        "personio",
        "recruitee",
        "successfactors",
        "oracle",
        "browser",
    ];

    /// Reads the engine keys of `kind` from `table` (common keys already removed).
    pub fn parse(kind: &str, table: toml::Table) -> Result<Self, KindParseError> {
        Ok(match kind {
            "html" => KindConfig::Html(table_into(&table)?),
            "json" => KindConfig::Json(table_into(&table)?),
            "jsonld" => KindConfig::JsonLd(table_into(&table)?),
            #[cfg(feature = "browser")]
            "browser" => KindConfig::Browser(table_into(&table)?),
            #[cfg(not(feature = "browser"))]
            "browser" => {
                return Err(KindParseError::Key(KeyError::new(
                    "kind",
                    "kind \"browser\" needs aeroscrap built with the `browser` feature (on by default)",
                )));
            }
            k if ats::PRESET_KINDS.contains(&k) => {
                KindConfig::Ats(ats::AtsConfig::parse(k, table)?)
            }
            other => {
                return Err(KindParseError::Key(KeyError::new(
                    "kind",
                    format!(
                        "unknown kind {other:?}; expected one of {}",
                        Self::KINDS.join(", ")
                    ),
                )));
            }
        })
    }

    /// The `kind` value.
    pub fn name(&self) -> &'static str {
        match self {
            KindConfig::Html(_) => "html",
            KindConfig::Json(_) => "json",
            KindConfig::JsonLd(_) => "jsonld",
            #[cfg(feature = "browser")]
            KindConfig::Browser(_) => "browser",
            KindConfig::Ats(c) => c.kind(),
        }
    }

    /// Validates the engine keys into a runnable engine.
    pub fn compile(&self, common: &CommonSpec) -> Result<Arc<dyn Engine>, KeyError> {
        match self {
            KindConfig::Html(c) => c.compile(common),
            KindConfig::Json(c) => c.compile(common),
            KindConfig::JsonLd(c) => c.compile(common),
            #[cfg(feature = "browser")]
            KindConfig::Browser(c) => c.compile(common),
            KindConfig::Ats(c) => c.compile(common),
        }
    }
}

/// The compiled common part of a source, handed to engines while compiling and running.
#[derive(Debug, Clone)]
pub struct CommonSpec {
    /// Source name.
    pub name: String,
    /// Default company.
    pub company: Option<String>,
    /// Mirror / test server.
    pub base_url: Option<Url>,
    /// The source runs without being named. A disabled source may lack its environment
    /// variables: that is reported when it runs, not by `sources check`.
    pub enabled: bool,
}

impl CommonSpec {
    /// Resolves a URL written in a config: absolute, or a path starting with `/` when
    /// `base_url` is set. With `base_url`, the result uses its scheme, host and port, and its
    /// path is prefixed to the URL's path. `key` names the config key for errors.
    pub fn url(&self, key: &str, s: &str) -> Result<Url, KeyError> {
        rebase(self.base_url.as_ref(), s).map_err(|why| KeyError::new(key, why))
    }

    /// Like [`CommonSpec::url`] for a URL produced at run time from a template.
    pub fn runtime_url(&self, s: &str) -> Result<Url, String> {
        rebase(self.base_url.as_ref(), s)
    }
}

/// See [`CommonSpec::url`].
pub fn rebase(base: Option<&Url>, s: &str) -> Result<Url, String> {
    let s = s.trim();
    let parsed = match Url::parse(s) {
        Ok(u) => Some(u),
        Err(url::ParseError::RelativeUrlWithoutBase) => None,
        Err(e) => return Err(format!("{s:?} is not a valid URL: {e}")),
    };
    match (parsed, base) {
        (Some(u), None) => {
            if !matches!(u.scheme(), "http" | "https") {
                return Err(format!("{s:?} must be an http or https URL"));
            }
            Ok(u)
        }
        (None, None) => Err(format!(
            "{s:?} is a relative URL; write it in full or set base_url"
        )),
        (parsed, Some(base)) => {
            let path_and_query = match &parsed {
                Some(u) => {
                    let mut pq = u.path().to_owned();
                    if let Some(q) = u.query() {
                        pq.push('?');
                        pq.push_str(q);
                    }
                    pq
                }
                None if s.starts_with('/') => s.to_owned(),
                None => {
                    return Err(format!(
                        "{s:?} must be absolute or start with '/' (it is joined to base_url)"
                    ));
                }
            };
            let prefix = base.path().trim_end_matches('/');
            let joined = format!(
                "{}{prefix}{path_and_query}",
                base.origin().ascii_serialization()
            );
            Url::parse(&joined).map_err(|e| format!("{s:?} joined to base_url: {e}"))
        }
    }
}

impl SourceConfig {
    /// Validates this config into a runnable spec (no network).
    pub fn compile(&self) -> Result<SourceSpec, crate::config::ConfigError> {
        let common = CommonSpec {
            name: self.common.name.clone(),
            company: self.common.company.clone(),
            base_url: self
                .common
                .base_url
                .as_deref()
                .map(parse_base_url)
                .transpose()
                .map_err(|why| KeyError::new("base_url", why).in_file(&self.path))?,
            enabled: self.common.enabled,
        };
        let engine = self
            .kind
            .compile(&common)
            .map_err(|e| e.in_file(&self.path))?;
        Ok(SourceSpec {
            path: self.path.clone(),
            kind: self.kind.name(),
            enabled: self.common.enabled,
            schedule: self.common.schedule.clone(),
            expire_after_runs: self.common.expire_after_runs,
            politeness: self.common.politeness.clone(),
            common,
            engine,
        })
    }
}

/// A validated, runnable source.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    /// The file it came from.
    pub path: PathBuf,
    /// Name, default company and base URL.
    pub common: CommonSpec,
    /// The `kind` value.
    pub kind: &'static str,
    /// Runs in `scrape` without being named.
    pub enabled: bool,
    /// Cron schedule for the daemon.
    pub schedule: Option<String>,
    /// Expiry threshold in runs.
    pub expire_after_runs: Option<u32>,
    /// Politeness overrides (applied on the global defaults at run time).
    pub politeness: PolitenessConfig,
    /// The engine.
    pub engine: Arc<dyn Engine>,
}

impl SourceSpec {
    /// Source name.
    pub fn name(&self) -> &str {
        &self.common.name
    }
}

/// A compiled engine: fetches pages and emits raw records.
pub trait Engine: Send + Sync + fmt::Debug {
    /// Runs the source once. `Ok` when the source was crawled (even with zero records);
    /// `Err` when it failed as a whole (first page unreachable, blocked, unparseable).
    fn run<'a>(
        &'a self,
        ctx: &'a SourceCtx,
        sink: &'a mut RecordSink,
    ) -> BoxFuture<'a, Result<(), SourceError>>;
}

/// Runs `spec` once (the one entry point `scrape`, `sources test` and `demo` use).
pub async fn run_source(
    ctx: &SourceCtx,
    spec: &SourceSpec,
    sink: &mut RecordSink,
) -> Result<(), SourceError> {
    spec.engine.run(ctx, sink).await
}

/// Why a source failed as a whole.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A page the source cannot do without could not be fetched (or was blocked).
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// A page was fetched but could not be read.
    #[error("{url}: {why}")]
    Parse {
        /// The page.
        url: Url,
        /// What is wrong.
        why: String,
    },
    /// The run was cancelled (Ctrl-C).
    #[error("cancelled")]
    Cancelled,
    /// The record writer went away.
    #[error("record writer stopped")]
    SinkClosed,
    /// Anything else, with context.
    #[error("{0}")]
    Other(String),
}

impl SourceError {
    /// True when the failure is a block (crawl-log status `blocked`).
    pub fn is_blocked(&self) -> bool {
        matches!(self, SourceError::Fetch(e) if e.is_blocked())
    }
}

/// Limits of one run of one source.
#[derive(Debug, Clone, Default)]
pub struct RunLimits {
    /// At most this many listing pages (API pages) per source.
    pub max_pages: Option<u32>,
    /// Stop after this many records.
    pub max_items: Option<usize>,
    /// Fetch this URL instead of the first start URL (`sources test --url`).
    pub url_override: Option<Url>,
    /// Do not fetch detail pages (faster `sources test`).
    pub skip_details: bool,
}

/// Most warnings kept per source for the crawl log (the count is always exact).
pub const MAX_KEPT_WARNINGS: usize = 20;

/// Everything an engine needs while running one source.
#[derive(Debug)]
pub struct SourceCtx {
    /// Source name.
    pub name: String,
    /// The shared fetcher.
    pub fetcher: Fetcher,
    /// This source's request options (politeness, counters, cookie jar).
    pub req: RequestOpts,
    /// This source's counters (also inside `req`).
    pub stats: Arc<SourceStats>,
    /// Run limits.
    pub limits: RunLimits,
    /// Cancellation flag.
    pub cancel: Cancel,
    warnings: Mutex<Vec<String>>,
    warning_count: AtomicUsize,
    confirmed_empty: AtomicBool,
}

impl SourceCtx {
    /// A context for running `spec` with `fetcher` (global defaults + the spec's overrides).
    pub fn new(spec: &SourceSpec, fetcher: Fetcher, limits: RunLimits, cancel: Cancel) -> Self {
        let politeness = spec.politeness.apply(fetcher.defaults());
        let stats = Arc::new(SourceStats::default());
        let mut req = RequestOpts::for_source(politeness, stats.clone());
        req.cancel = Some(cancel.clone());
        SourceCtx {
            name: spec.name().to_owned(),
            req,
            fetcher,
            stats,
            limits,
            cancel,
            warnings: Mutex::new(Vec::new()),
            warning_count: AtomicUsize::new(0),
            confirmed_empty: AtomicBool::new(false),
        }
    }

    /// This source's resolved politeness limits (for navigations outside the fetcher, e.g.
    /// browser page loads through [`Fetcher::gate`]).
    pub fn politeness(&self) -> &crate::fetch::Politeness {
        self.req
            .politeness
            .as_ref()
            .unwrap_or_else(|| self.fetcher.defaults())
    }

    /// Records a problem that did not stop the source (e.g. one detail page failed).
    pub fn warn(&self, msg: impl Into<String>) {
        let msg = msg.into();
        tracing::warn!(source = %self.name, "{msg}");
        self.warning_count.fetch_add(1, Ordering::Relaxed);
        let mut w = self.warnings.lock().expect("warnings poisoned");
        if w.len() < MAX_KEPT_WARNINGS {
            w.push(msg);
        }
    }

    /// The site itself confirmed it has no postings (an ATS feed that is validly empty), so zero
    /// records is `ok`, not `empty`.
    pub fn confirm_empty(&self) {
        self.confirmed_empty.store(true, Ordering::Relaxed);
    }

    /// True after [`SourceCtx::confirm_empty`].
    pub fn is_confirmed_empty(&self) -> bool {
        self.confirmed_empty.load(Ordering::Relaxed)
    }

    /// Warnings so far (at most [`MAX_KEPT_WARNINGS`]) and their total count.
    pub fn warnings(&self) -> (Vec<String>, usize) {
        (
            self.warnings.lock().expect("warnings poisoned").clone(),
            self.warning_count.load(Ordering::Relaxed),
        )
    }

    /// True when the engine should fetch nothing more: cancelled, or the item limit reached.
    pub fn should_stop(&self, sink: &RecordSink) -> bool {
        self.cancel.is_cancelled() || self.limits.max_items.is_some_and(|m| sink.found() >= m)
    }

    /// The page limit: the run's `--max-pages`, else the engine's own `max_pages`.
    pub fn page_limit(&self, engine_max: u32) -> u32 {
        self.limits
            .max_pages
            .map(|m| m.min(engine_max))
            .unwrap_or(engine_max)
    }
}

/// Where an engine sends its records. Stamps `source`, `scraped_at` and the default company,
/// counts what was found, and streams to the writer over a bounded channel (back-pressure).
#[derive(Debug)]
pub struct RecordSink {
    tx: mpsc::Sender<RawRecord>,
    source: String,
    company: Option<String>,
    scraped_at: String,
    found: usize,
    shared_found: Arc<AtomicUsize>,
    limit: Option<usize>,
}

impl RecordSink {
    /// A sink for source `spec` sending into `tx`; at most `limit` records pass.
    pub fn new(spec: &SourceSpec, tx: mpsc::Sender<RawRecord>, limit: Option<usize>) -> Self {
        Self::with_name(spec.name(), spec.common.company.clone(), tx, limit)
    }

    /// A sink stamping records with source `name` and default `company`.
    pub fn with_name(
        name: &str,
        company: Option<String>,
        tx: mpsc::Sender<RawRecord>,
        limit: Option<usize>,
    ) -> Self {
        RecordSink {
            tx,
            source: name.to_owned(),
            company,
            scraped_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            found: 0,
            shared_found: Arc::new(AtomicUsize::new(0)),
            limit,
        }
    }

    /// Sends one record (silently dropped once the limit is reached).
    pub async fn emit(&mut self, mut rec: RawRecord) -> Result<(), SourceError> {
        if self.limit.is_some_and(|l| self.found >= l) {
            return Ok(());
        }
        rec.source = self.source.clone();
        if rec.scraped_at.is_none() {
            rec.scraped_at = Some(self.scraped_at.clone());
        }
        if rec.company.as_deref().is_none_or(|c| c.trim().is_empty()) && self.company.is_some() {
            rec.company = self.company.clone();
        }
        self.found += 1;
        self.shared_found.store(self.found, Ordering::Relaxed);
        self.tx.send(rec).await.map_err(|_| SourceError::SinkClosed)
    }

    /// Records emitted so far.
    pub fn found(&self) -> usize {
        self.found
    }

    /// A counter of emitted records readable while the engine holds the sink (progress).
    pub fn found_counter(&self) -> Arc<AtomicUsize> {
        self.shared_found.clone()
    }
}

/// Resolves `${VAR}` references in `value` from the environment. Errors name the variable.
/// Values holding secrets must never be logged: keep them in [`Secret`].
pub fn resolve_env(value: &str) -> Result<String, String> {
    resolve_env_with(value, |k| std::env::var(k).ok())
}

/// [`resolve_env`] with a custom lookup (tests).
pub fn resolve_env_with(
    value: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed \"${{\" in {value:?}"))?;
        let var = &after[..end];
        if var.is_empty() || !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("bad environment variable name {var:?}"));
        }
        let v = lookup(var).ok_or_else(|| format!("environment variable {var} is not set"))?;
        out.push_str(&v);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A value that must not appear in logs or debug output (API keys from the environment).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// `true`: the serde default of the engines' on-by-default switches (`jsonld`, `details`, …).
pub(crate) fn yes() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rebases_absolute_and_relative_urls() {
        let base = Url::parse("http://127.0.0.1:4000/indigo").unwrap();
        let cases = [
            (
                "https://ms-careers-prod.goindigo.in/career-job-list?x=1",
                "http://127.0.0.1:4000/indigo/career-job-list?x=1",
            ),
            (
                "/jobs?page={page}",
                "http://127.0.0.1:4000/indigo/jobs?page={page}",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                rebase(Some(&base), input).unwrap().as_str(),
                want,
                "{input}"
            );
        }
        assert!(rebase(None, "/jobs").is_err());
        assert!(rebase(None, "ftp://x/").is_err());
        assert_eq!(
            rebase(None, "https://x.test/a").unwrap().as_str(),
            "https://x.test/a"
        );
    }

    #[test]
    fn env_references_resolve_or_name_the_missing_variable() {
        let lookup = |k: &str| (k == "INDIGO_USER_KEY").then(|| "k123".to_owned());
        assert_eq!(
            resolve_env_with("${INDIGO_USER_KEY}", lookup).unwrap(),
            "k123"
        );
        assert_eq!(
            resolve_env_with("Bearer ${INDIGO_USER_KEY}!", lookup).unwrap(),
            "Bearer k123!"
        );
        let err = resolve_env_with("${NOPE}", lookup).unwrap_err();
        assert!(err.contains("NOPE is not set"), "{err}");
        assert_eq!(format!("{:?}", Secret("k123".into())), "Secret(***)");
    }
}
