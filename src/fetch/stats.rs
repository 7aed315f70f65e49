//! Per-source fetch counters, shared by every request a source makes (crawl-log material).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

/// Counters for one source in one run. Cheap to update from many tasks at once.
#[derive(Debug, Default)]
pub struct SourceStats {
    pages: AtomicU64,
    retries: AtomicU64,
    robots_denied: AtomicU64,
    blocked: AtomicU64,
    bytes: AtomicU64,
    statuses: Mutex<BTreeMap<u16, u64>>,
}

/// A point-in-time copy of [`SourceStats`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatsSnapshot {
    /// Responses received (any status, after retries; redirects not counted).
    pub pages: u64,
    /// Retries made after failed attempts.
    pub retries: u64,
    /// URLs skipped because robots.txt disallows them.
    pub robots_denied: u64,
    /// Pages judged blocked (challenge, failover, captcha, 403/429).
    pub blocked: u64,
    /// Body bytes read.
    pub bytes: u64,
    /// Count of every HTTP status seen, including retried attempts.
    pub statuses: BTreeMap<u16, u64>,
}

impl SourceStats {
    /// Counts one completed page.
    pub fn add_page(&self, bytes: usize) {
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }
    /// Counts one HTTP status (every attempt).
    pub fn add_status(&self, status: u16) {
        *self
            .statuses
            .lock()
            .expect("stats poisoned")
            .entry(status)
            .or_default() += 1;
    }
    /// Counts one retry.
    pub fn add_retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }
    /// Counts one URL skipped by robots.txt.
    pub fn add_robots_denied(&self) {
        self.robots_denied.fetch_add(1, Ordering::Relaxed);
    }
    /// Counts one blocked page.
    pub fn add_blocked(&self) {
        self.blocked.fetch_add(1, Ordering::Relaxed);
    }
    /// A copy of the counters now.
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            pages: self.pages.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            robots_denied: self.robots_denied.load(Ordering::Relaxed),
            blocked: self.blocked.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            statuses: self.statuses.lock().expect("stats poisoned").clone(),
        }
    }
}

impl StatsSnapshot {
    /// Status counts as a compact JSON object string, e.g. `{"200":24,"503":1}`.
    pub fn statuses_json(&self) -> String {
        let map: serde_json::Map<String, serde_json::Value> = self
            .statuses
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect();
        serde_json::Value::Object(map).to_string()
    }
}
