//! robots.txt: fetched once per host per run, cached, obeyed (RFC 9309).
//!
//! A missing robots.txt (4xx) allows everything; an unreachable one (5xx, timeout, connection
//! error) disallows everything for this run, as RFC 9309 §2.3.1.3 asks — the URLs are then
//! counted as robots denials with the reason in the log.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use texting_robots::Robot;
use tokio::sync::OnceCell;
use url::Url;

use super::politeness::Politeness;

/// Largest robots.txt we read (RFC 9309 asks crawlers to parse at least 500 KiB).
pub const MAX_ROBOTS_BYTES: usize = 512 * 1024;
/// Redirects followed when fetching robots.txt (RFC 9309 §2.3.1.2).
pub const MAX_ROBOTS_REDIRECTS: usize = 5;
/// Timeout for fetching one robots.txt.
pub const ROBOTS_TIMEOUT: Duration = Duration::from_secs(15);

/// The product token we look for in robots.txt groups.
pub const ROBOTS_AGENT: &str = "aeroscrap";

/// What robots.txt says about one host.
#[derive(Debug)]
pub enum RobotsRules {
    /// No robots.txt (or an empty one): everything allowed.
    AllowAll,
    /// robots.txt could not be fetched (server error / unreachable): nothing allowed.
    Unreachable(String),
    /// Parsed rules for our agent.
    Rules(Robot),
}

impl RobotsRules {
    /// True when `url` may be fetched.
    pub fn allowed(&self, url: &Url) -> bool {
        match self {
            RobotsRules::AllowAll => true,
            RobotsRules::Unreachable(_) => false,
            RobotsRules::Rules(r) => {
                // robots.txt itself is always allowed.
                url.path() == "/robots.txt" || r.allowed(url.as_str())
            }
        }
    }

    /// The `Crawl-delay` for our agent, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            RobotsRules::Rules(r) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(600.0))),
            _ => None,
        }
    }
}

type Slot = Arc<OnceCell<Arc<RobotsRules>>>;

/// Per-run cache of robots.txt rules by origin.
#[derive(Debug)]
pub struct RobotsCache {
    client: reqwest::Client,
    by_origin: Mutex<HashMap<String, Slot>>,
}

impl RobotsCache {
    /// An empty cache fetching with `client`.
    pub fn new(client: reqwest::Client) -> Self {
        RobotsCache {
            client,
            by_origin: Mutex::new(HashMap::new()),
        }
    }

    /// The rules for `url`'s origin, fetching robots.txt on first use (once, even when many
    /// tasks ask at the same time).
    pub async fn rules_for(&self, url: &Url, p: &Politeness) -> Arc<RobotsRules> {
        let origin = url.origin().ascii_serialization();
        let slot = {
            let mut map = self.by_origin.lock().expect("robots cache poisoned");
            map.entry(origin.clone()).or_default().clone()
        };
        slot.get_or_init(|| async {
            let rules = self.fetch(&origin, p).await;
            match &rules {
                RobotsRules::Unreachable(why) => {
                    tracing::warn!(origin = %origin, why = %why, "robots.txt unreachable; host skipped for this run")
                }
                RobotsRules::Rules(r) => {
                    tracing::debug!(origin = %origin, crawl_delay = ?r.delay, "robots.txt loaded")
                }
                RobotsRules::AllowAll => tracing::debug!(origin = %origin, "no robots.txt"),
            }
            Arc::new(rules)
        })
        .await
        .clone()
    }

    async fn fetch(&self, origin: &str, p: &Politeness) -> RobotsRules {
        let url = format!("{origin}/robots.txt");
        let resp = match self
            .client
            .get(&url)
            .timeout(p.timeout.min(ROBOTS_TIMEOUT))
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => return RobotsRules::Unreachable(format!("{url}: {e}")),
        };
        let status = resp.status();
        if status.is_client_error() {
            return RobotsRules::AllowAll;
        }
        if status.is_redirection() {
            // More than five redirects: RFC 9309 treats it as "no robots.txt".
            return RobotsRules::AllowAll;
        }
        if !status.is_success() {
            return RobotsRules::Unreachable(format!("{url}: HTTP {status}"));
        }
        let mut body = Vec::new();
        let mut resp = resp;
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    body.extend_from_slice(&chunk);
                    if body.len() >= MAX_ROBOTS_BYTES {
                        body.truncate(MAX_ROBOTS_BYTES);
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => return RobotsRules::Unreachable(format!("{url}: {e}")),
            }
        }
        match Robot::new(ROBOTS_AGENT, &body) {
            Ok(r) => RobotsRules::Rules(r),
            // An unparseable file says nothing we can obey.
            Err(_) => RobotsRules::AllowAll,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_for_our_agent_and_crawl_delay() {
        let txt = b"User-agent: *\nDisallow: /private\n\nUser-agent: aeroscrap\nDisallow: /jobs/secret\nCrawl-delay: 2\n";
        let rules = RobotsRules::Rules(Robot::new(ROBOTS_AGENT, txt).unwrap());
        let ok = Url::parse("https://x.test/jobs/1").unwrap();
        let no = Url::parse("https://x.test/jobs/secret/2").unwrap();
        assert!(rules.allowed(&ok));
        assert!(!rules.allowed(&no));
        assert_eq!(rules.crawl_delay(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn unreachable_robots_disallows_everything() {
        let rules = RobotsRules::Unreachable("HTTP 503".into());
        assert!(!rules.allowed(&Url::parse("https://x.test/").unwrap()));
    }
}
