//! HTTP client: politeness (robots.txt, per-host limits), retries, block detection.
//!
//! One [`Fetcher`] serves a whole run; clone it freely (it is an `Arc`). Every request passes
//! the [`politeness::Gate`] (robots.txt, global and per-host concurrency, per-host interval),
//! is retried with exponential backoff and jitter on connection errors, timeouts, 408, 429 and
//! 5xx (honouring `Retry-After` up to a cap), follows at most N redirects itself (so each hop
//! is checked against robots.txt and per-source cookies see every `Set-Cookie`), reads at most
//! a capped number of body bytes, and finally runs [`block::detect`] so challenge pages never
//! reach a parser. Everything that happens is counted in the caller's [`SourceStats`].

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use reqwest::Method;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

pub mod block;
mod cancel;
mod error;
pub mod politeness;
pub mod robots;
mod stats;

pub use cancel::Cancel;
pub use error::FetchError;
pub use politeness::{Gate, GatePermit, Politeness, PolitenessConfig};
pub use stats::{SourceStats, StatsSnapshot};

use crate::config::GlobalConfig;

/// How much of an error body we keep in [`FetchError::Http`] for the crawl log.
const ERROR_SNIPPET_CHARS: usize = 300;
/// Accept header sent unless the request sets its own.
const DEFAULT_ACCEPT: &str = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8";

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Final URL after redirects (resolve relative links against this).
    pub url: Url,
    /// HTTP status of the final response.
    pub status: u16,
    /// Headers of the final response.
    pub headers: HeaderMap,
    /// Body decoded as text.
    pub body: String,
}

/// A general request: method, URL, headers and optional body.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    /// HTTP method.
    pub method: Method,
    /// URL.
    pub url: Url,
    /// Extra request headers (values may be secrets: they are never logged).
    pub headers: HeaderMap,
    /// Request body.
    pub body: Option<String>,
}

impl FetchRequest {
    /// A GET request without extra headers.
    pub fn get(url: Url) -> Self {
        FetchRequest {
            method: Method::GET,
            url,
            headers: HeaderMap::new(),
            body: None,
        }
    }

    /// A POST request with a body (`content_type` e.g. `application/json`).
    pub fn post(url: Url, body: String, content_type: &str) -> Self {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(content_type) {
            headers.insert(header::CONTENT_TYPE, v);
        }
        FetchRequest {
            method: Method::POST,
            url,
            headers,
            body: Some(body),
        }
    }
}

/// Per-source options of a request: politeness overrides, counters, cookies.
#[derive(Debug, Clone, Default)]
pub struct RequestOpts {
    /// Limits for this source (`None`: the fetcher's defaults).
    pub politeness: Option<Politeness>,
    /// Counters to report into.
    pub stats: Option<Arc<SourceStats>>,
    /// The source's cookie jar (`None`: no cookies).
    pub cookies: Option<Arc<Jar>>,
    /// Do not run block detection (for endpoints that legitimately answer 403/429).
    pub skip_block_detection: bool,
    /// The run's cancellation flag: waits and requests stop when it is set.
    pub cancel: Option<Cancel>,
}

impl RequestOpts {
    /// Options for one source run: its limits, fresh counters and (if enabled) a cookie jar.
    pub fn for_source(politeness: Politeness, stats: Arc<SourceStats>) -> Self {
        let cookies = politeness.cookies.then(|| Arc::new(Jar::default()));
        RequestOpts {
            politeness: Some(politeness),
            stats: Some(stats),
            cookies,
            skip_block_detection: false,
            cancel: None,
        }
    }
}

/// What the fetcher is built from (usually [`GlobalConfig`]).
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// User-Agent header.
    pub user_agent: String,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Requests in flight over all hosts.
    pub global_concurrency: usize,
    /// Default limits for sources that do not override them.
    pub politeness: Politeness,
}

impl FetchSettings {
    /// Settings from the global configuration.
    pub fn from_config(g: &GlobalConfig) -> Self {
        FetchSettings {
            user_agent: g.user_agent(),
            connect_timeout: g.connect_timeout(),
            global_concurrency: g.global_concurrency(),
            politeness: g.politeness_defaults(),
        }
    }
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    gate: Gate,
    defaults: Politeness,
    user_agent: String,
}

/// The shared, polite HTTP client of a run. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

/// A response read to the end (internal).
struct Raw {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Fetcher {
    /// A fetcher from the global configuration.
    pub fn from_config(g: &GlobalConfig) -> Result<Self, anyhow::Error> {
        Self::new(FetchSettings::from_config(g))
    }

    /// A fetcher with explicit settings.
    pub fn new(settings: FetchSettings) -> Result<Self, anyhow::Error> {
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(settings.politeness.max_concurrency.max(2))
            .build()
            .map_err(|e| anyhow::anyhow!("cannot build the HTTP client: {e}"))?;
        // robots.txt may redirect (http → https, www): RFC 9309 asks to follow up to five.
        let robots_client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .redirect(reqwest::redirect::Policy::limited(
                robots::MAX_ROBOTS_REDIRECTS,
            ))
            .build()
            .map_err(|e| anyhow::anyhow!("cannot build the HTTP client: {e}"))?;
        let robots = robots::RobotsCache::new(robots_client);
        Ok(Fetcher {
            inner: Arc::new(Inner {
                gate: Gate::new(settings.global_concurrency, robots),
                client,
                defaults: settings.politeness,
                user_agent: settings.user_agent,
            }),
        })
    }

    /// The default politeness limits (global config).
    pub fn defaults(&self) -> &Politeness {
        &self.inner.defaults
    }

    /// The User-Agent we send.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The politeness gate, for navigations that do not go through this client (browser).
    pub fn gate(&self) -> &Gate {
        &self.inner.gate
    }

    /// GET `url`.
    pub async fn get(&self, url: &Url, opts: &RequestOpts) -> Result<Page, FetchError> {
        self.request(FetchRequest::get(url.clone()), opts).await
    }

    /// Sends `req` politely: gate, retries, redirects, size cap, block detection. Gives up at
    /// once with [`FetchError::Cancelled`] when the run is cancelled.
    pub async fn request(&self, req: FetchRequest, opts: &RequestOpts) -> Result<Page, FetchError> {
        let Some(cancel) = &opts.cancel else {
            return self.request_inner(req, opts).await;
        };
        let url = req.url.clone();
        if cancel.is_cancelled() {
            return Err(FetchError::Cancelled { url });
        }
        tokio::select! {
            r = self.request_inner(req, opts) => r,
            () = cancel.cancelled() => Err(FetchError::Cancelled { url }),
        }
    }

    async fn request_inner(
        &self,
        req: FetchRequest,
        opts: &RequestOpts,
    ) -> Result<Page, FetchError> {
        let p = opts
            .politeness
            .clone()
            .unwrap_or_else(|| self.inner.defaults.clone());
        let original = req.url.clone();
        let mut method = req.method;
        let mut url = req.url;
        let mut body = req.body;
        let mut headers = req.headers;
        if !headers.contains_key(header::ACCEPT) {
            headers.insert(header::ACCEPT, HeaderValue::from_static(DEFAULT_ACCEPT));
        }
        let mut redirects = 0u32;
        loop {
            let raw = self
                .send_with_retries(&method, &url, &headers, body.as_deref(), &p, opts)
                .await?;
            if (300..400).contains(&raw.status)
                && let Some(loc) = raw.headers.get(header::LOCATION)
            {
                let loc_str = String::from_utf8_lossy(loc.as_bytes()).into_owned();
                let next = url.join(&loc_str).map_err(|_| FetchError::BadRedirect {
                    url: url.clone(),
                    location: loc_str.clone(),
                })?;
                redirects += 1;
                if redirects > p.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: original,
                        last: next,
                        max: p.max_redirects,
                    });
                }
                if raw.status == 303 || (matches!(raw.status, 301 | 302) && method == Method::POST)
                {
                    method = Method::GET;
                    body = None;
                    headers.remove(header::CONTENT_TYPE);
                }
                tracing::debug!(from = %url, to = %next, status = raw.status, "redirect");
                url = next;
                continue;
            }
            if let Some(s) = &opts.stats {
                s.add_page(raw.body.len());
            }
            let text = decode(&raw.headers, raw.body);
            if !opts.skip_block_detection
                && let Some(why) = block::detect(raw.status, &raw.headers, &text)
            {
                if let Some(s) = &opts.stats {
                    s.add_blocked();
                }
                tracing::warn!(url = %url, why = %why, "blocked page");
                return Err(FetchError::Blocked { url, why });
            }
            if !(200..300).contains(&raw.status) {
                return Err(FetchError::Http {
                    url,
                    status: raw.status,
                    snippet: snippet(&text),
                });
            }
            return Ok(Page {
                url,
                status: raw.status,
                headers: raw.headers,
                body: text,
            });
        }
    }

    async fn send_with_retries(
        &self,
        method: &Method,
        url: &Url,
        headers: &HeaderMap,
        body: Option<&str>,
        p: &Politeness,
        opts: &RequestOpts,
    ) -> Result<Raw, FetchError> {
        let stats = opts.stats.as_deref();
        let mut attempt = 0u32;
        loop {
            let permit = self.inner.gate.acquire(url, p, stats).await?;
            let result = self.send_once(method, url, headers, body, p, opts).await;
            drop(permit);
            let retry_after = match &result {
                Ok(raw) => {
                    if let Some(s) = stats {
                        s.add_status(raw.status);
                    }
                    if !is_retryable_status(raw.status) {
                        return result;
                    }
                    retry_after(&raw.headers)
                }
                Err(FetchError::Timeout { .. })
                | Err(FetchError::Connect { .. })
                | Err(FetchError::Request { .. }) => None,
                Err(_) => return result,
            };
            if attempt >= p.retries {
                return result;
            }
            let wait = match retry_after {
                Some(secs) if Duration::from_secs(secs) > p.max_retry_after => {
                    return Err(FetchError::RetryAfterTooLong {
                        url: url.clone(),
                        secs,
                        cap: p.max_retry_after.as_secs(),
                    });
                }
                Some(secs) => Duration::from_secs(secs),
                None => backoff(p.retry_base, attempt),
            };
            attempt += 1;
            if let Some(s) = stats {
                s.add_retry();
            }
            match &result {
                Ok(raw) => {
                    tracing::info!(url = %url, status = raw.status, attempt, wait_ms = wait.as_millis() as u64, "retrying")
                }
                Err(e) => {
                    tracing::info!(url = %url, error = %e, attempt, wait_ms = wait.as_millis() as u64, "retrying")
                }
            }
            tokio::time::sleep(wait).await;
        }
    }

    async fn send_once(
        &self,
        method: &Method,
        url: &Url,
        headers: &HeaderMap,
        body: Option<&str>,
        p: &Politeness,
        opts: &RequestOpts,
    ) -> Result<Raw, FetchError> {
        let mut rb = self
            .inner
            .client
            .request(method.clone(), url.clone())
            .timeout(p.timeout)
            .headers(headers.clone());
        if let Some(jar) = &opts.cookies
            && let Some(c) = jar.cookies(url)
        {
            rb = rb.header(header::COOKIE, c);
        }
        if let Some(b) = body {
            rb = rb.body(b.to_owned());
        }
        let transport = |e: reqwest::Error| classify(url, p, e);
        let mut resp = rb.send().await.map_err(transport)?;
        if let Some(jar) = &opts.cookies {
            let mut set = resp.headers().get_all(header::SET_COOKIE).iter();
            jar.set_cookies(&mut set, url);
        }
        let status = resp.status().as_u16();
        if let Some(len) = resp.content_length()
            && len > p.max_body_bytes
        {
            return Err(FetchError::TooLarge {
                url: url.clone(),
                limit: p.max_body_bytes,
            });
        }
        let mut buf = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(transport)? {
            if (buf.len() + chunk.len()) as u64 > p.max_body_bytes {
                return Err(FetchError::TooLarge {
                    url: url.clone(),
                    limit: p.max_body_bytes,
                });
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(Raw {
            status,
            headers: resp.headers().clone(),
            body: buf,
        })
    }
}

fn classify(url: &Url, p: &Politeness, e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout {
            url: url.clone(),
            after: p.timeout,
        }
    } else if e.is_connect() {
        FetchError::Connect {
            url: url.clone(),
            why: error_chain(&e),
        }
    } else {
        FetchError::Request {
            url: url.clone(),
            why: error_chain(&e),
        }
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}

/// Statuses worth retrying: request timeout, rate limit and transient server errors.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date).
pub fn retry_after(headers: &HeaderMap) -> Option<u64> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs);
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0))
            .unwrap_or(0),
    )
}

/// Exponential backoff with up to 50 % jitter: base × 2^attempt × [1, 1.5).
fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(10));
    let jitter: f64 = rand::rng().random_range(0.0..0.5);
    exp.mul_f64(1.0 + jitter)
}

/// Body bytes as text: UTF-8 (lossy), or Latin-1 when the Content-Type says so.
fn decode(headers: &HeaderMap, body: Vec<u8>) -> String {
    let latin1 = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.contains("charset=iso-8859-1") || ct.contains("charset=windows-1252")
        })
        .unwrap_or(false);
    if latin1 {
        return body.iter().map(|&b| b as char).collect();
    }
    match String::from_utf8(body) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

fn snippet(text: &str) -> String {
    let t: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(ERROR_SNIPPET_CHARS)
        .collect();
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_and_as_http_date() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(7));
        let later = std::time::SystemTime::now() + Duration::from_secs(30);
        h.insert(
            header::RETRY_AFTER,
            HeaderValue::from_str(&httpdate::fmt_http_date(later)).unwrap(),
        );
        let secs = retry_after(&h).unwrap();
        assert!((28..=31).contains(&secs), "{secs}");
    }

    #[test]
    fn backoff_doubles_with_jitter() {
        let base = Duration::from_millis(100);
        for attempt in 0..4 {
            let d = backoff(base, attempt);
            let floor = base * (1 << attempt);
            assert!(d >= floor && d < floor.mul_f64(1.5), "{attempt}: {d:?}");
        }
    }

    #[test]
    fn latin1_bodies_are_decoded() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=ISO-8859-1"),
        );
        assert_eq!(
            decode(&h, vec![b'Z', 0xfc, b'r', b'i', b'c', b'h']),
            "Zürich"
        );
    }
}
