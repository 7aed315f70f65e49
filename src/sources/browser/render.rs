//! Rendering a URL in a pooled tab: navigate, wait, run the steps, read the DOM.

use std::time::Duration;

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::network::{EventResponseReceived, ResourceType};
use chromiumoxide::cdp::browser_protocol::page::{EventLifecycleEvent, NavigateParams};
use chromiumoxide::error::CdpError;
use futures::StreamExt;

use super::pool::{BrowserPool, PoolError};
use super::spec::{BrowserSpec, WaitFor};
use super::steps::{click_next, run_steps};
use super::wait::{WaitError, wait_for};

/// The DOM of a page after JavaScript ran, the wait condition held and the steps were done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPage {
    /// Where the browser ended up (after redirects and client-side routing).
    pub final_url: String,
    /// HTTP status of the main document, when Chromium reported one.
    pub status: Option<u16>,
    /// The serialized DOM (`<!DOCTYPE …><html>…</html>`).
    pub html: String,
}

/// Why a page could not be rendered. Every variant names the URL.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// No browser (missing Chromium, failed launch, pool closed).
    #[error("{url}: {source}")]
    Pool {
        /// The page.
        url: String,
        /// The pool's error.
        #[source]
        source: PoolError,
    },
    /// The navigation itself failed (DNS, refused connection, TLS…).
    #[error("{url}: navigation failed: {reason}")]
    Navigation {
        /// The page.
        url: String,
        /// Chromium's error text (e.g. `net::ERR_CONNECTION_REFUSED`).
        reason: String,
    },
    /// The navigation or the wait condition took too long.
    #[error("{url}: {what}")]
    Timeout {
        /// The page.
        url: String,
        /// What timed out.
        what: String,
    },
    /// A DevTools command failed (usually: the tab or the browser crashed).
    #[error("{url}: Chromium DevTools error: {source}")]
    Cdp {
        /// The page.
        url: String,
        /// The protocol error.
        #[source]
        source: CdpError,
    },
}

impl RenderError {
    fn from_wait(url: &str, err: WaitError) -> Self {
        match err {
            WaitError::Timeout { what, after } => RenderError::Timeout {
                url: url.into(),
                what: format!("timed out after {after:?} waiting for {what}"),
            },
            WaitError::Cdp(source) => RenderError::Cdp {
                url: url.into(),
                source,
            },
        }
    }

    fn cdp(url: &str) -> impl FnOnce(CdpError) -> RenderError + '_ {
        move |source| RenderError::Cdp {
            url: url.into(),
            source,
        }
    }

    /// Whether retrying in a fresh browser could help (the browser or tab went away).
    fn is_crash_like(&self) -> bool {
        matches!(self, RenderError::Cdp { .. })
    }
}

impl BrowserPool {
    /// Renders `url` per `spec`: one DOM state after the wait condition and the steps.
    /// A page whose browser crashed is retried in a new browser.
    pub async fn render(&self, url: &str, spec: &BrowserSpec) -> Result<RenderedPage, RenderError> {
        let mut pages = self.render_with(url, spec, false).await?;
        Ok(pages.remove(0))
    }

    /// Like [`BrowserPool::render`], then follows `spec.next_button` (JavaScript pagination):
    /// one [`RenderedPage`] per listing page, at most `spec.next_max_pages`.
    pub async fn render_pages(
        &self,
        url: &str,
        spec: &BrowserSpec,
    ) -> Result<Vec<RenderedPage>, RenderError> {
        self.render_with(url, spec, true).await
    }

    async fn render_with(
        &self,
        url: &str,
        spec: &BrowserSpec,
        follow_next: bool,
    ) -> Result<Vec<RenderedPage>, RenderError> {
        let mut attempt = 0;
        loop {
            let mut lease = self.lease().await.map_err(|source| RenderError::Pool {
                url: url.into(),
                source,
            })?;
            let generation = lease.generation();
            let counter = self.blocked_counter();
            let tab = lease.tab();
            let result = async {
                tab.set_blocking(spec.block_resources, &counter)
                    .await
                    .map_err(RenderError::cdp(url))?;
                render_in(&tab.page, url, spec, follow_next).await
            }
            .await;
            match result {
                Ok(pages) => {
                    lease.release(true).await;
                    self.count_page();
                    return Ok(pages);
                }
                Err(err) => {
                    lease.release(false).await;
                    let crashed = err.is_crash_like() && self.crashed(generation).await;
                    if crashed && attempt < self.options().crash_retries {
                        attempt += 1;
                        tracing::warn!(url, attempt, error = %err, "Chromium crashed; retrying the page");
                        continue;
                    }
                    return Err(err);
                }
            }
        }
    }
}

async fn render_in(
    page: &Page,
    url: &str,
    spec: &BrowserSpec,
    follow_next: bool,
) -> Result<Vec<RenderedPage>, RenderError> {
    let lifecycle = match spec.wait {
        WaitFor::NetworkIdle => Some(
            page.event_listener::<EventLifecycleEvent>()
                .await
                .map_err(RenderError::cdp(url))?,
        ),
        _ => None,
    };
    let status = navigate(page, url, spec.navigation_timeout).await?;
    wait_for(
        page,
        &spec.wait,
        spec.wait_timeout,
        spec.cookie_button.as_deref(),
        lifecycle,
    )
    .await
    .map_err(|e| RenderError::from_wait(url, e))?;
    run_steps(page, spec)
        .await
        .map_err(|e| RenderError::from_wait(url, e))?;
    let mut pages = vec![snapshot(page, url, status).await?];
    if let (true, Some(next)) = (follow_next, spec.next_button.as_deref()) {
        while pages.len() < spec.next_max_pages as usize {
            if !click_next(page, next, spec)
                .await
                .map_err(RenderError::cdp(url))?
            {
                break;
            }
            pages.push(snapshot(page, url, status).await?);
        }
    }
    Ok(pages)
}

/// Navigates and returns the main document's HTTP status.
async fn navigate(page: &Page, url: &str, timeout: Duration) -> Result<Option<u16>, RenderError> {
    let mut responses = page
        .event_listener::<EventResponseReceived>()
        .await
        .map_err(RenderError::cdp(url))?;
    let nav = tokio::time::timeout(timeout, page.execute(NavigateParams::new(url))).await;
    match nav {
        Err(_) => {
            return Err(RenderError::Timeout {
                url: url.into(),
                what: format!("navigation took longer than {timeout:?}"),
            });
        }
        Ok(Err(CdpError::Timeout)) => {
            return Err(RenderError::Timeout {
                url: url.into(),
                what: "navigation timed out in Chromium".into(),
            });
        }
        Ok(Err(e)) => return Err(RenderError::cdp(url)(e)),
        Ok(Ok(resp)) => {
            if let Some(reason) = resp.result.error_text.clone() {
                return Err(RenderError::Navigation {
                    url: url.into(),
                    reason,
                });
            }
        }
    }
    let main = page.mainframe().await.map_err(RenderError::cdp(url))?;
    let mut status = None;
    while let Some(Some(event)) = responses.next().now_or_never() {
        let is_main = main
            .as_ref()
            .is_none_or(|m| event.frame_id.as_ref() == Some(m));
        if event.r#type == ResourceType::Document && is_main {
            status = u16::try_from(event.response.status).ok();
        }
    }
    Ok(status)
}

async fn snapshot(
    page: &Page,
    url: &str,
    status: Option<u16>,
) -> Result<RenderedPage, RenderError> {
    let html = page.content().await.map_err(RenderError::cdp(url))?;
    let final_url = page
        .url()
        .await
        .map_err(RenderError::cdp(url))?
        .unwrap_or_else(|| url.to_string());
    Ok(RenderedPage {
        final_url,
        status,
        html,
    })
}

use futures::FutureExt as _;
