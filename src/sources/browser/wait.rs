//! Wait conditions: a selector appears, the network goes idle, or just the `load` event — each
//! with a timeout. While waiting, a configured cookie-consent button is clicked as soon as it
//! shows up, because some sites render nothing until consent is given.

use std::time::Duration;

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::page::EventLifecycleEvent;
use chromiumoxide::error::CdpError;
use futures::StreamExt;
use tokio::time::Instant;

use super::spec::WaitFor;

/// Interval between two checks of a condition in the page.
pub const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// A condition did not come true in time.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// The condition timed out.
    #[error("timed out after {after:?} waiting for {what}")]
    Timeout {
        /// What was awaited.
        what: String,
        /// The timeout.
        after: Duration,
    },
    /// The page could not be queried.
    #[error(transparent)]
    Cdp(#[from] CdpError),
}

/// A JavaScript string literal for `text`.
pub(crate) fn js_str(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

/// JavaScript that clicks the cookie button once if it is visible, then evaluates to whether
/// the selector is present (or the document is complete when no selector is given).
fn poll_script(selector: Option<&str>, cookie: Option<&str>) -> String {
    let cookie = cookie.map(js_str).unwrap_or_else(|| "null".into());
    let ready = match selector {
        Some(sel) => format!("document.querySelector({}) !== null", js_str(sel)),
        None => "document.readyState === 'complete'".into(),
    };
    format!(
        "(() => {{ const c = {cookie}; \
           if (c && !window.__aeroscrapCookie) {{ const b = document.querySelector(c); \
             if (b && {VISIBLE_B}) {{ b.click(); window.__aeroscrapCookie = true; }} }} \
           return {ready}; }})()"
    )
}

/// JavaScript (expression on `b`) that is true when element `b` is rendered and clickable.
pub(crate) const VISIBLE_B: &str = "(() => { const r = b.getBoundingClientRect(); \
    const s = getComputedStyle(b); return r.width > 0 && r.height > 0 && \
    s.visibility !== 'hidden' && s.display !== 'none' && !b.disabled && \
    b.getAttribute('aria-disabled') !== 'true'; })()";

/// Waits for `cond` after a navigation, clicking `cookie` when it appears.
/// `lifecycle` must have been subscribed before the navigation for [`WaitFor::NetworkIdle`].
pub async fn wait_for(
    page: &Page,
    cond: &WaitFor,
    timeout: Duration,
    cookie: Option<&str>,
    lifecycle: Option<chromiumoxide::listeners::EventStream<EventLifecycleEvent>>,
) -> Result<(), WaitError> {
    let deadline = Instant::now() + timeout;
    let what = match cond {
        WaitFor::Load => "the load event".to_string(),
        WaitFor::Selector(sel) => format!("selector {sel:?}"),
        WaitFor::NetworkIdle => "network idle".to_string(),
    };
    match cond {
        WaitFor::Load | WaitFor::Selector(_) => {
            let selector = match cond {
                WaitFor::Selector(sel) => Some(sel.as_str()),
                _ => None,
            };
            let script = poll_script(selector, cookie);
            loop {
                if page
                    .evaluate_expression(script.as_str())
                    .await?
                    .into_value::<bool>()
                    .unwrap_or(false)
                {
                    return Ok(());
                }
                if Instant::now() >= deadline {
                    return Err(WaitError::Timeout {
                        what,
                        after: timeout,
                    });
                }
                tokio::time::sleep(POLL_INTERVAL).await;
            }
        }
        WaitFor::NetworkIdle => {
            let mut events = lifecycle.ok_or_else(|| {
                CdpError::ChromeMessage("network idle needs a lifecycle subscription".into())
            })?;
            let main = page.mainframe().await?;
            let script = poll_script(None, cookie);
            // Events of the previous document may still be queued: count only those after the
            // new document's `init`.
            let mut new_document = false;
            loop {
                let tick = tokio::time::sleep(POLL_INTERVAL);
                tokio::select! {
                    event = events.next() => match event {
                        Some(e) if main.as_ref().is_none_or(|m| *m == e.frame_id) => {
                            match e.name.as_str() {
                                "init" => new_document = true,
                                "networkIdle" if new_document => return Ok(()),
                                _ => {}
                            }
                        }
                        Some(_) => {}
                        None => return Err(WaitError::Cdp(CdpError::NoResponse)),
                    },
                    _ = tick => {
                        if cookie.is_some() {
                            page.evaluate_expression(script.as_str()).await?;
                        }
                        if Instant::now() >= deadline {
                            return Err(WaitError::Timeout { what, after: timeout });
                        }
                    }
                }
            }
        }
    }
}

/// Polls `script` (a boolean JavaScript expression) until it is true or `timeout` passes;
/// returns whether it came true.
pub(crate) async fn poll_until(
    page: &Page,
    script: &str,
    timeout: Duration,
) -> Result<bool, CdpError> {
    let deadline = Instant::now() + timeout;
    loop {
        if page
            .evaluate_expression(script)
            .await?
            .into_value::<bool>()
            .unwrap_or(false)
        {
            return Ok(true);
        }
        if Instant::now() >= deadline {
            return Ok(false);
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_embedded_as_string_literals() {
        let script = poll_script(Some(r#"a[href="x"]"#), Some("#ok"));
        assert!(script.contains(r#"document.querySelector("a[href=\"x\"]") !== null"#));
        assert!(script.contains(r##"const c = "#ok";"##));
        let plain = poll_script(None, None);
        assert!(plain.contains("const c = null;"));
        assert!(plain.contains("document.readyState === 'complete'"));
    }
}
