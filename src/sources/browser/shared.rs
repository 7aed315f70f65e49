//! The run's browser pool: one Chromium per run, shared by every browser source.
//!
//! A run (`scrape`, `demo`, one daemon tick) holds a [`RunScope`] for its whole duration;
//! browser sources take [`shared_pool`]. The pool starts Chromium only when the
//! first page is rendered, and Chromium is killed (its profile removed) when the last holder
//! lets go — the scope at the end of the run, or the last source when no scope was taken.

use std::path::PathBuf;
use std::sync::{Mutex, Weak};

use super::pool::{BrowserPool, PoolInner, PoolOptions};

static SHARED: Mutex<Option<Weak<PoolInner>>> = Mutex::new(None);
static CHROMIUM: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Keeps the run's browser pool alive (one Chromium for the whole run); dropping it ends it.
#[derive(Debug)]
pub struct RunScope {
    pool: BrowserPool,
}

impl RunScope {
    /// The run's pool.
    pub fn pool(&self) -> &BrowserPool {
        &self.pool
    }
}

/// Sets the Chromium executable for every later pool: the `--chromium` flag (when `None`,
/// `AEROSCRAP_CHROMIUM`, then `PATH` are searched at launch).
pub fn set_chromium(chromium: Option<PathBuf>) {
    *CHROMIUM.lock().unwrap_or_else(|e| e.into_inner()) = chromium;
}

/// Starts a run scope. Nothing is launched until a browser source renders a page.
pub fn run_scope() -> RunScope {
    RunScope {
        pool: shared_pool(),
    }
}

/// Why browser sources cannot run on this machine (`None` when Chromium is available); used
/// by `aeroscrap demo` to report its browser source as skipped.
pub fn chromium_unavailable() -> Option<String> {
    super::find_chromium(configured_chromium().as_deref())
        .err()
        .map(|e| e.to_string())
}

/// The Chromium path given with [`set_chromium`], if any.
pub fn configured_chromium() -> Option<PathBuf> {
    CHROMIUM.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The pool of the current run (a new one when no run holds one).
pub fn shared_pool() -> BrowserPool {
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(pool) = shared.as_ref().and_then(BrowserPool::upgrade) {
        return pool;
    }
    let pool = BrowserPool::new(PoolOptions {
        chromium: configured_chromium(),
        ..PoolOptions::default()
    });
    *shared = Some(pool.downgrade());
    pool
}
