//! Steps run on a rendered page before extraction: clicks, "load more" buttons, scrolling,
//! waits, and the "next page" button walk.
//!
//! Progress after a click or scroll is measured, never slept for: a step waits until the page
//! has more list items (or, without a list selector, more elements or a taller document) and
//! stops at the first click or scroll that brings nothing new.

use std::time::Duration;

use chromiumoxide::Page;
use chromiumoxide::error::CdpError;
use serde::Deserialize;

use super::spec::{BrowserSpec, Step};
use super::wait::{VISIBLE_B, WaitError, js_str, poll_until};

/// A snapshot of how much content the page has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) struct Progress {
    /// List items (or all elements without a list selector).
    pub items: u64,
    /// Document height in pixels.
    pub height: u64,
}

fn count_expr(item_selector: Option<&str>) -> String {
    match item_selector {
        Some(sel) => format!("document.querySelectorAll({}).length", js_str(sel)),
        None => "document.getElementsByTagName('*').length".into(),
    }
}

pub(crate) async fn progress(
    page: &Page,
    item_selector: Option<&str>,
) -> Result<Progress, CdpError> {
    let script = format!(
        "({{ items: {}, height: document.documentElement.scrollHeight }})",
        count_expr(item_selector)
    );
    Ok(page.evaluate_expression(script).await?.into_value()?)
}

/// Waits until the page has more items than `before` (or is taller, when `by_height`).
async fn grew(
    page: &Page,
    item_selector: Option<&str>,
    before: Progress,
    by_height: bool,
    timeout: Duration,
) -> Result<bool, CdpError> {
    let mut script = format!("({}) > {}", count_expr(item_selector), before.items);
    if by_height {
        script = format!(
            "{script} || document.documentElement.scrollHeight > {}",
            before.height
        );
    }
    poll_until(page, &script, timeout).await
}

/// Clicks the first element matching `selector` if it is visible and enabled; returns whether
/// it clicked.
pub(crate) async fn click_if_visible(page: &Page, selector: &str) -> Result<bool, CdpError> {
    let script = format!(
        "(() => {{ const b = document.querySelector({}); if (!b || !{VISIBLE_B}) return false; \
           b.scrollIntoView({{block: 'center'}}); b.click(); return true; }})()",
        js_str(selector)
    );
    Ok(page
        .evaluate_expression(script)
        .await?
        .into_value::<bool>()
        .unwrap_or(false))
}

/// Runs the spec's steps in order.
pub(crate) async fn run_steps(page: &Page, spec: &BrowserSpec) -> Result<(), WaitError> {
    let items = spec.item_selector.as_deref();
    for step in &spec.steps {
        match step {
            Step::Click(sel) => {
                let before = progress(page, items).await?;
                if click_if_visible(page, sel).await? {
                    // Give the click a moment to show its effect, without insisting on one.
                    grew(
                        page,
                        None,
                        before,
                        true,
                        spec.step_timeout.min(Duration::from_secs(1)),
                    )
                    .await?;
                }
            }
            Step::ClickRepeat { selector, max } => {
                let mut clicks = 0;
                while clicks < *max {
                    let before = progress(page, items).await?;
                    if !click_if_visible(page, selector).await? {
                        break;
                    }
                    clicks += 1;
                    if !grew(page, items, before, false, spec.step_timeout).await? {
                        tracing::debug!(selector, clicks, "no new items after a click; stopping");
                        break;
                    }
                }
                tracing::debug!(selector, clicks, "click_repeat done");
            }
            Step::Scroll(times) => {
                let mut scrolls = 0;
                while scrolls < *times {
                    let before = progress(page, items).await?;
                    page.evaluate_expression(
                        "window.scrollTo(0, document.documentElement.scrollHeight)",
                    )
                    .await?;
                    scrolls += 1;
                    if !grew(page, items, before, true, spec.step_timeout).await? {
                        tracing::debug!(scrolls, "no new content after scrolling; end of list");
                        break;
                    }
                }
            }
            Step::WaitSelector(sel) => {
                let script = format!("document.querySelector({}) !== null", js_str(sel));
                if !poll_until(page, &script, spec.wait_timeout).await? {
                    return Err(WaitError::Timeout {
                        what: format!("selector {sel:?} (wait step)"),
                        after: spec.wait_timeout,
                    });
                }
            }
            Step::Pause(d) => tokio::time::sleep(*d).await,
        }
    }
    Ok(())
}

/// A fingerprint of the current listing, to notice when a "next" click replaced it.
pub(crate) async fn listing_signature(
    page: &Page,
    item_selector: Option<&str>,
) -> Result<String, CdpError> {
    let script = match item_selector {
        Some(sel) => format!(
            "(() => {{ const l = document.querySelectorAll({s}); \
               return l.length + ':' + (l.length ? l[0].outerHTML + l[l.length-1].outerHTML : ''); }})()",
            s = js_str(sel)
        ),
        None => "document.body ? document.body.innerHTML.length + ':' + document.body.innerText.slice(0, 2000) : ''".into(),
    };
    Ok(page.evaluate_expression(script).await?.into_value()?)
}

/// Clicks the "next" button and waits until the listing changed; returns false when there is
/// no (enabled) next button or nothing changed within the step timeout.
pub(crate) async fn click_next(
    page: &Page,
    selector: &str,
    spec: &BrowserSpec,
) -> Result<bool, CdpError> {
    let items = spec.item_selector.as_deref();
    let before = listing_signature(page, items).await?;
    if !click_if_visible(page, selector).await? {
        return Ok(false);
    }
    let deadline = tokio::time::Instant::now() + spec.step_timeout;
    loop {
        tokio::time::sleep(super::wait::POLL_INTERVAL).await;
        let now = listing_signature(page, items).await?;
        // An empty list in between (a spinner) is not the next page yet.
        if now != before && !now.starts_with("0:") {
            return Ok(true);
        }
        if tokio::time::Instant::now() >= deadline {
            tracing::debug!(selector, "listing did not change after clicking next");
            return Ok(false);
        }
    }
}
