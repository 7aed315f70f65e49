//! The browser pool: one Chromium per run, launched on first use, shared by every browser
//! source; tabs are reused (at most `max_tabs` at a time) and recycled after `recycle_after`
//! pages; a crashed browser is relaunched on the next lease.
//!
//! Reusing tabs is what makes rendering fast: creating a tab costs a CDP round trip per domain
//! it enables, while navigating an existing one costs only the page itself.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chromiumoxide::handler::HandlerConfig;
use chromiumoxide::{Browser, Page};
use futures::StreamExt;
use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;

use super::discover::{DiscoverError, find_chromium};
use super::intercept;
use super::process::{ChromiumProcess, DEFAULT_LAUNCH_TIMEOUT, LaunchError};

/// Tabs open at the same time unless configured otherwise.
pub const DEFAULT_MAX_TABS: usize = 4;
/// Pages rendered in one tab before it is closed and replaced (bounds memory growth of
/// long-lived renderers).
pub const DEFAULT_RECYCLE_AFTER: u32 = 50;
/// How often one page is retried after the browser crashed under it.
pub const DEFAULT_CRASH_RETRIES: u32 = 2;
/// How long a polite `Browser.close` may take before the process group is killed.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// Chromium executable from `--chromium` (else `AEROSCRAP_CHROMIUM`, else `PATH`).
    pub chromium: Option<PathBuf>,
    /// Tabs open at the same time.
    pub max_tabs: usize,
    /// Pages per tab before it is replaced.
    pub recycle_after: u32,
    /// How long Chromium may take to start.
    pub launch_timeout: Duration,
    /// Retries of one page after a browser crash.
    pub crash_retries: u32,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            chromium: None,
            max_tabs: DEFAULT_MAX_TABS,
            recycle_after: DEFAULT_RECYCLE_AFTER,
            launch_timeout: DEFAULT_LAUNCH_TIMEOUT,
            crash_retries: DEFAULT_CRASH_RETRIES,
        }
    }
}

/// Why the pool could not provide a tab.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// No Chromium executable.
    #[error(transparent)]
    NoChromium(#[from] DiscoverError),
    /// Chromium did not start.
    #[error(transparent)]
    Launch(#[from] LaunchError),
    /// Chromium started but the DevTools connection or a new tab failed.
    #[error("Chromium DevTools: {0}")]
    Cdp(#[from] chromiumoxide::error::CdpError),
    /// The pool was shut down.
    #[error("the browser pool is shut down")]
    Closed,
}

/// What the pool did so far (for logs, tests and the benchmark).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Chromium launches (1 unless it crashed).
    pub launches: u64,
    /// Tabs created.
    pub tabs_created: u64,
    /// Pages rendered successfully.
    pub pages: u64,
    /// Requests blocked (images, fonts, media, analytics).
    pub blocked_requests: u64,
    /// Browser restarts after a crash.
    pub restarts: u64,
}

#[derive(Default)]
struct Counters {
    launches: AtomicU64,
    tabs_created: AtomicU64,
    pages: AtomicU64,
    restarts: AtomicU64,
    blocked: Arc<AtomicU64>,
}

/// A shared, lazily started Chromium with a bounded set of reusable tabs. Cheap to clone.
#[derive(Clone)]
pub struct BrowserPool {
    inner: Arc<PoolInner>,
}

impl std::fmt::Debug for BrowserPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowserPool")
            .field("options", &self.inner.opts)
            .finish_non_exhaustive()
    }
}

/// The shared state behind a [`BrowserPool`] (held weakly by the run registry).
pub struct PoolInner {
    opts: PoolOptions,
    permits: Arc<Semaphore>,
    state: Mutex<State>,
    counters: Counters,
}

#[derive(Default)]
struct State {
    running: Option<Running>,
    generation: u64,
    closed: bool,
}

struct Running {
    generation: u64,
    browser: Browser,
    handler: JoinHandle<()>,
    idle: Vec<Tab>,
    // Declared last: dropped (killed) after the connection and tabs above.
    process: ChromiumProcess,
}

impl Running {
    fn is_alive(&mut self) -> bool {
        !self.handler.is_finished() && self.process.is_alive()
    }

    async fn close(mut self) {
        for tab in self.idle.drain(..) {
            tab.discard();
        }
        let _ = tokio::time::timeout(CLOSE_GRACE, self.browser.close()).await;
        self.handler.abort();
        self.process.kill();
    }
}

/// One tab of the pool.
pub(crate) struct Tab {
    pub(crate) page: Page,
    uses: u32,
    generation: u64,
    blocker: Option<JoinHandle<()>>,
}

impl Tab {
    /// Turns request blocking on or off for the next page.
    pub(crate) async fn set_blocking(
        &mut self,
        on: bool,
        counter: &Arc<AtomicU64>,
    ) -> Result<(), chromiumoxide::error::CdpError> {
        match (on, self.blocker.is_some()) {
            (true, false) => {
                self.blocker = Some(intercept::enable(&self.page, counter.clone()).await?)
            }
            (false, true) => {
                intercept::disable(&self.page).await?;
                if let Some(task) = self.blocker.take() {
                    task.abort();
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn discard(self) {
        if let Some(task) = &self.blocker {
            task.abort();
        }
        let page = self.page;
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                let _ = tokio::time::timeout(CLOSE_GRACE, page.close()).await;
            });
        }
    }
}

/// A tab on loan; give it back with [`Lease::release`]. Dropping it discards the tab.
pub(crate) struct Lease {
    tab: Option<Tab>,
    pool: Arc<PoolInner>,
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    pub(crate) fn tab(&mut self) -> &mut Tab {
        self.tab.as_mut().expect("tab present until released")
    }

    pub(crate) fn generation(&self) -> u64 {
        self.tab.as_ref().map(|t| t.generation).unwrap_or(0)
    }

    /// Returns the tab for reuse after a successful page, or discards it after a failure or
    /// when it has served `recycle_after` pages.
    pub(crate) async fn release(mut self, healthy: bool) {
        let Some(mut tab) = self.tab.take() else {
            return;
        };
        tab.uses += 1;
        if !healthy || tab.uses >= self.pool.opts.recycle_after {
            tab.discard();
            return;
        }
        let mut state = self.pool.state.lock().await;
        let closed = state.closed;
        match state.running.as_mut() {
            Some(running) if running.generation == tab.generation && !closed => {
                running.idle.push(tab)
            }
            _ => tab.discard(),
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(tab) = self.tab.take() {
            tab.discard();
        }
    }
}

impl BrowserPool {
    /// A pool that starts Chromium only when the first page is rendered.
    pub fn new(opts: PoolOptions) -> Self {
        let max_tabs = opts.max_tabs.max(1);
        BrowserPool {
            inner: Arc::new(PoolInner {
                opts,
                permits: Arc::new(Semaphore::new(max_tabs)),
                state: Mutex::new(State::default()),
                counters: Counters::default(),
            }),
        }
    }

    /// A weak handle that does not keep Chromium alive.
    pub(crate) fn downgrade(&self) -> std::sync::Weak<PoolInner> {
        Arc::downgrade(&self.inner)
    }

    /// The pool behind a weak handle, if it is still alive.
    pub(crate) fn upgrade(weak: &std::sync::Weak<PoolInner>) -> Option<BrowserPool> {
        weak.upgrade().map(|inner| BrowserPool { inner })
    }

    /// What the pool did so far.
    pub fn stats(&self) -> PoolStats {
        let c = &self.inner.counters;
        PoolStats {
            launches: c.launches.load(Ordering::Relaxed),
            tabs_created: c.tabs_created.load(Ordering::Relaxed),
            pages: c.pages.load(Ordering::Relaxed),
            blocked_requests: c.blocked.load(Ordering::Relaxed),
            restarts: c.restarts.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn count_page(&self) {
        self.inner.counters.pages.fetch_add(1, Ordering::Relaxed);
    }

    /// The settings the pool was built with.
    pub fn options(&self) -> &PoolOptions {
        &self.inner.opts
    }

    /// Process id and profile directory of the running Chromium, if one is running.
    pub async fn browser_process(&self) -> Option<(i32, PathBuf)> {
        let state = self.inner.state.lock().await;
        let running = state.running.as_ref()?;
        Some((
            running.process.pid(),
            running.process.profile_dir()?.to_path_buf(),
        ))
    }

    /// Borrows a tab, starting (or restarting) Chromium if needed.
    pub(crate) async fn lease(&self) -> Result<Lease, PoolError> {
        let permit = self
            .inner
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| PoolError::Closed)?;
        let mut state = self.inner.state.lock().await;
        if state.closed {
            return Err(PoolError::Closed);
        }
        let alive = state.running.as_mut().is_some_and(Running::is_alive);
        if !alive {
            if let Some(dead) = state.running.take() {
                tracing::warn!(
                    pid = dead.process.pid(),
                    "Chromium died; starting a new one"
                );
                self.inner.counters.restarts.fetch_add(1, Ordering::Relaxed);
                dead.close().await;
            }
            state.generation += 1;
            let running = self.launch(state.generation).await?;
            state.running = Some(running);
        }
        let running = state.running.as_mut().expect("running after launch");
        let tab = match running.idle.pop() {
            Some(tab) => tab,
            None => {
                let page = running.browser.new_page("about:blank").await?;
                self.inner
                    .counters
                    .tabs_created
                    .fetch_add(1, Ordering::Relaxed);
                Tab {
                    page,
                    uses: 0,
                    generation: running.generation,
                    blocker: None,
                }
            }
        };
        Ok(Lease {
            tab: Some(tab),
            pool: self.inner.clone(),
            _permit: permit,
        })
    }

    /// Whether the browser of `generation` has died (so a failed page is worth a retry).
    pub(crate) async fn crashed(&self, generation: u64) -> bool {
        let mut state = self.inner.state.lock().await;
        match state.running.as_mut() {
            Some(running) if running.generation == generation => !running.is_alive(),
            // Already replaced: the old one is gone.
            _ => !state.closed,
        }
    }

    /// The blocked-request counter shared by every tab.
    pub(crate) fn blocked_counter(&self) -> Arc<AtomicU64> {
        self.inner.counters.blocked.clone()
    }

    async fn launch(&self, generation: u64) -> Result<Running, PoolError> {
        let exe = find_chromium(self.inner.opts.chromium.as_deref())?;
        let process = ChromiumProcess::spawn(&exe, self.inner.opts.launch_timeout).await?;
        let config = HandlerConfig {
            viewport: None,
            ..HandlerConfig::default()
        };
        let (browser, mut handler) = Browser::connect_with_config(process.ws_url(), config).await?;
        let handle = tokio::spawn(async move {
            // Never stop on an error: Chromium 156 sends at least one event chromiumoxide 0.9
            // cannot decode, and stopping here would freeze every tab.
            while let Some(event) = handler.next().await {
                if let Err(err) = event {
                    tracing::debug!(error = %err, "Chromium DevTools message ignored");
                }
            }
        });
        self.inner.counters.launches.fetch_add(1, Ordering::Relaxed);
        tracing::info!(
            chromium = %exe.display(),
            pid = process.pid(),
            generation,
            "Chromium started"
        );
        Ok(Running {
            generation,
            browser,
            handler: handle,
            idle: Vec::new(),
            process,
        })
    }

    /// Closes every tab and Chromium itself, and removes its profile. Later leases fail.
    pub async fn shutdown(&self) {
        let running = {
            let mut state = self.inner.state.lock().await;
            state.closed = true;
            state.running.take()
        };
        if let Some(running) = running {
            running.close().await;
        }
    }
}
