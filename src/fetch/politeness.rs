//! Politeness: the limits every request obeys, and the gate that enforces them.
//!
//! [`Politeness`] is the resolved set of limits for one source (global defaults from
//! `aeroscrap.toml`, overridden per source by [`PolitenessConfig`] keys in its TOML file).
//! [`Gate`] enforces them for *every* navigation — plain HTTP fetches and browser page loads
//! alike: robots.txt first, then the global and per-host concurrency limits, then the minimum
//! interval between two requests to the same host (the larger of our delay and robots.txt's
//! `Crawl-delay`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

use super::robots::{RobotsCache, RobotsRules};
use super::{FetchError, SourceStats};

/// Minimum interval between two requests to the same host.
pub const DEFAULT_HOST_DELAY: Duration = Duration::from_millis(1000);
/// Requests in flight to one host at a time.
pub const DEFAULT_HOST_CONCURRENCY: usize = 2;
/// Requests in flight over all hosts at a time.
pub const DEFAULT_GLOBAL_CONCURRENCY: usize = 32;
/// Whole-request timeout (connect, headers and body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// TCP/TLS connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Retries after the first attempt on connection errors, timeouts, 408, 429 and 5xx.
pub const DEFAULT_RETRIES: u32 = 3;
/// First backoff step; doubled on every retry, plus up to 50 % jitter.
pub const DEFAULT_RETRY_BASE: Duration = Duration::from_millis(500);
/// Longest `Retry-After` we wait for; a longer one fails the page.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(120);
/// Largest body we read; a bigger one fails the page instead of eating memory.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// Redirects followed before a page fails.
pub const DEFAULT_MAX_REDIRECTS: u32 = 10;

/// Resolved politeness limits for one source.
#[derive(Debug, Clone, PartialEq)]
pub struct Politeness {
    /// Minimum interval between two requests to one host.
    pub delay: Duration,
    /// Requests in flight to one host.
    pub max_concurrency: usize,
    /// Fetch and obey robots.txt.
    pub respect_robots: bool,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Retries after the first attempt.
    pub retries: u32,
    /// First backoff step.
    pub retry_base: Duration,
    /// Longest `Retry-After` honoured.
    pub max_retry_after: Duration,
    /// Body size cap in bytes.
    pub max_body_bytes: u64,
    /// Redirects followed.
    pub max_redirects: u32,
    /// Keep cookies between the requests of one source run.
    pub cookies: bool,
}

impl Default for Politeness {
    fn default() -> Self {
        Politeness {
            delay: DEFAULT_HOST_DELAY,
            max_concurrency: DEFAULT_HOST_CONCURRENCY,
            respect_robots: true,
            timeout: DEFAULT_TIMEOUT,
            retries: DEFAULT_RETRIES,
            retry_base: DEFAULT_RETRY_BASE,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            cookies: true,
        }
    }
}

/// Politeness keys as written in TOML: in `[politeness]` of `aeroscrap.toml` (global defaults)
/// and at the top level of a source file (overrides for that source). Every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolitenessConfig {
    /// Minimum milliseconds between two requests to one host (default 1000).
    pub delay_ms: Option<u64>,
    /// Requests in flight to one host (default 2).
    pub max_concurrency: Option<usize>,
    /// Fetch and obey robots.txt (default true).
    pub respect_robots: Option<bool>,
    /// Whole-request timeout in milliseconds (default 30000).
    pub timeout_ms: Option<u64>,
    /// Retries after the first attempt (default 3).
    pub retries: Option<u32>,
    /// First backoff step in milliseconds (default 500), doubled per retry.
    pub retry_base_ms: Option<u64>,
    /// Longest Retry-After honoured, in seconds (default 120).
    pub max_retry_after_secs: Option<u64>,
    /// Body size cap in bytes (default 10 MB).
    pub max_body_bytes: Option<u64>,
    /// Redirects followed (default 10).
    pub max_redirects: Option<u32>,
    /// Keep cookies between the requests of one source run (default true).
    pub cookies: Option<bool>,
}

impl PolitenessConfig {
    /// The TOML keys of this table, for splitting a source file into common and engine keys.
    pub const KEYS: &'static [&'static str] = &[
        "delay_ms",
        "max_concurrency",
        "respect_robots",
        "timeout_ms",
        "retries",
        "retry_base_ms",
        "max_retry_after_secs",
        "max_body_bytes",
        "max_redirects",
        "cookies",
    ];

    /// `base` with every key set here replacing the matching limit.
    pub fn apply(&self, base: &Politeness) -> Politeness {
        let ms = Duration::from_millis;
        Politeness {
            delay: self.delay_ms.map(ms).unwrap_or(base.delay),
            max_concurrency: self.max_concurrency.unwrap_or(base.max_concurrency).max(1),
            respect_robots: self.respect_robots.unwrap_or(base.respect_robots),
            timeout: self.timeout_ms.map(ms).unwrap_or(base.timeout),
            retries: self.retries.unwrap_or(base.retries),
            retry_base: self.retry_base_ms.map(ms).unwrap_or(base.retry_base),
            max_retry_after: self
                .max_retry_after_secs
                .map(Duration::from_secs)
                .unwrap_or(base.max_retry_after),
            max_body_bytes: self.max_body_bytes.unwrap_or(base.max_body_bytes),
            max_redirects: self.max_redirects.unwrap_or(base.max_redirects),
            cookies: self.cookies.unwrap_or(base.cookies),
        }
    }
}

/// Key of a host for per-host limits: `host:port` (so loopback test servers on different
/// ports count as different sites).
pub fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[derive(Debug)]
struct HostState {
    slots: Arc<Semaphore>,
    /// When the host's last request was let through (`None` before the first). Waiters queue
    /// on this lock in arrival order; each holds it until it has its global slot too, so the
    /// interval runs between the moments requests really go out, however long a global slot
    /// took to come free.
    last_start: tokio::sync::Mutex<Option<Instant>>,
}

/// Permission to send one request; hold it until the response body has been read.
#[derive(Debug)]
pub struct GatePermit {
    _global: OwnedSemaphorePermit,
    _host: OwnedSemaphorePermit,
}

/// Enforces robots.txt, concurrency limits and per-host intervals for every navigation.
/// Shared by all sources of a run (it lives inside [`super::Fetcher`]).
#[derive(Debug)]
pub struct Gate {
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
    pub(super) robots: RobotsCache,
}

impl Gate {
    /// A gate allowing `global_concurrency` requests in flight in total.
    pub(super) fn new(global_concurrency: usize, robots: RobotsCache) -> Self {
        Gate {
            global: Arc::new(Semaphore::new(global_concurrency.max(1))),
            hosts: Mutex::new(HashMap::new()),
            robots,
        }
    }

    fn host(&self, url: &Url, p: &Politeness) -> Arc<HostState> {
        let mut hosts = self.hosts.lock().expect("gate host map poisoned");
        hosts
            .entry(host_key(url))
            .or_insert_with(|| {
                Arc::new(HostState {
                    slots: Arc::new(Semaphore::new(p.max_concurrency.max(1))),
                    last_start: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }

    /// Waits until `url` may be requested under `p`: robots.txt allows it (a denial is counted
    /// in `stats` and returned as [`FetchError::RobotsDenied`]), a global and a per-host slot
    /// are free, and the per-host interval has passed since the host's previous request was let
    /// through (a request given up while waiting takes no turn).
    pub async fn acquire(
        &self,
        url: &Url,
        p: &Politeness,
        stats: Option<&SourceStats>,
    ) -> Result<GatePermit, FetchError> {
        let mut delay = p.delay;
        if p.respect_robots {
            let rules = self.robots.rules_for(url, p).await;
            if !rules.allowed(url) {
                if let Some(s) = stats {
                    s.add_robots_denied();
                }
                if let RobotsRules::Unreachable(why) = &*rules {
                    return Err(FetchError::RobotsUnreachable {
                        url: url.clone(),
                        why: why.clone(),
                    });
                }
                tracing::info!(url = %url, "robots.txt disallows this URL; skipped");
                return Err(FetchError::RobotsDenied { url: url.clone() });
            }
            if let Some(crawl_delay) = rules.crawl_delay() {
                delay = delay.max(crawl_delay);
            }
        }
        let host = self.host(url, p);
        let host_permit = host
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("host semaphore closed");
        let mut last_start = host.last_start.lock().await;
        if let Some(last) = *last_start {
            tokio::time::sleep_until(last + delay).await;
        }
        // The global slot is taken only once the host's interval has passed, so a host that
        // must wait holds no slot other hosts could use. While this request waits for one, the
        // host's later requests wait behind it: their interval counts from when it goes out.
        let global_permit = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("global semaphore closed");
        *last_start = Some(Instant::now());
        drop(last_start);
        Ok(GatePermit {
            _global: global_permit,
            _host: host_permit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_keys_override_only_what_they_name() {
        let base = Politeness::default();
        let cfg = PolitenessConfig {
            delay_ms: Some(0),
            retries: Some(1),
            ..Default::default()
        };
        let p = cfg.apply(&base);
        assert_eq!(p.delay, Duration::ZERO);
        assert_eq!(p.retries, 1);
        assert_eq!(p.max_concurrency, DEFAULT_HOST_CONCURRENCY);
        assert_eq!(p.max_body_bytes, DEFAULT_MAX_BODY_BYTES);
    }

    fn no_robots(delay_ms: u64, max_concurrency: usize) -> Politeness {
        Politeness {
            delay: Duration::from_millis(delay_ms),
            max_concurrency,
            respect_robots: false,
            ..Default::default()
        }
    }

    fn gate(global: usize) -> Arc<Gate> {
        Arc::new(Gate::new(global, RobotsCache::new(reqwest::Client::new())))
    }

    /// Starts `n` requests to `host` at once (a `delay_ms` interval, four at a time, no
    /// robots.txt); each holds its permit for `hold_ms` and reports the milliseconds (from `t0`)
    /// at which it was let through.
    fn spawn_requests(
        gate: &Arc<Gate>,
        host: &str,
        delay_ms: u64,
        n: usize,
        hold_ms: u64,
        t0: Instant,
    ) -> Vec<tokio::task::JoinHandle<u128>> {
        let p = no_robots(delay_ms, 4);
        let url = Url::parse(&format!("http://{host}/")).unwrap();
        (0..n)
            .map(|_| {
                let (gate, p, url) = (gate.clone(), p.clone(), url.clone());
                tokio::spawn(async move {
                    let permit = gate.acquire(&url, &p, None).await.unwrap();
                    let at = (Instant::now() - t0).as_millis();
                    tokio::time::sleep(Duration::from_millis(hold_ms)).await;
                    drop(permit);
                    at
                })
            })
            .collect()
    }

    async fn sorted(handles: Vec<tokio::task::JoinHandle<u128>>) -> Vec<u128> {
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await.unwrap());
        }
        out.sort();
        out
    }

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_go_out_one_interval_apart() {
        let t0 = Instant::now();
        let g = gate(32);
        let a = spawn_requests(&g, "a.test", 200, 4, 0, t0);
        let b = spawn_requests(&g, "b.test", 50, 2, 0, t0);
        assert_eq!(sorted(a).await, vec![0, 200, 400, 600]);
        assert_eq!(
            sorted(b).await,
            vec![0, 50],
            "another host keeps its own interval"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_for_a_global_slot_does_not_bunch_one_hosts_requests() {
        let t0 = Instant::now();
        let g = gate(1);
        // Another host holds the only global slot for one second.
        let busy = spawn_requests(&g, "busy.test", 0, 1, 1000, t0);
        tokio::time::sleep(Duration::from_millis(1)).await;
        let a = spawn_requests(&g, "a.test", 200, 3, 0, t0);
        assert_eq!(sorted(busy).await, vec![0]);
        // The first request of `a` goes out when the slot frees; the interval counts from then,
        // not from when it was first due.
        assert_eq!(sorted(a).await, vec![1000, 1200, 1400]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_given_up_while_waiting_takes_no_turn() {
        let t0 = Instant::now();
        let g = gate(32);
        let p = no_robots(200, 4);
        let url = Url::parse("http://a.test/").unwrap();
        let first = g.acquire(&url, &p, None).await.unwrap();
        drop(first);
        let given_up = tokio::time::timeout(Duration::from_millis(50), g.acquire(&url, &p, None));
        assert!(given_up.await.is_err(), "the second request had to wait");
        let next = spawn_requests(&g, "a.test", 200, 1, 0, t0);
        assert_eq!(sorted(next).await, vec![200]);
    }

    #[test]
    fn host_key_includes_the_port() {
        let a = Url::parse("http://127.0.0.1:8080/x").unwrap();
        let b = Url::parse("http://127.0.0.1:8081/x").unwrap();
        let c = Url::parse("https://Example.com/x").unwrap();
        assert_ne!(host_key(&a), host_key(&b));
        assert_eq!(host_key(&c), "example.com:443");
    }
}
