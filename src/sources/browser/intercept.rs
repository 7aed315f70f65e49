//! Request blocking for speed: images, fonts, media and known analytics hosts never load.
//!
//! Only the requests to block are paused (the Fetch domain's patterns filter by resource type
//! and URL inside Chromium), so ordinary requests pay no CDP round trip.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::fetch::{
    DisableParams, EnableParams, EventRequestPaused, FailRequestParams, RequestPattern,
    RequestStage,
};
use chromiumoxide::cdp::browser_protocol::network::{ErrorReason, ResourceType};
use futures::StreamExt;
use tokio::task::JoinHandle;

/// Resource types that never load in a rendered page.
pub const BLOCKED_RESOURCE_TYPES: [ResourceType; 3] =
    [ResourceType::Image, ResourceType::Font, ResourceType::Media];

/// Third-party analytics and tag hosts (and their subdomains) that never load.
pub const ANALYTICS_HOSTS: &[&str] = &[
    "google-analytics.com",
    "googletagmanager.com",
    "doubleclick.net",
    "googleadservices.com",
    "connect.facebook.net",
    "hotjar.com",
    "clarity.ms",
    "segment.com",
    "segment.io",
    "bat.bing.com",
    "adobedtm.com",
    "omtrdc.net",
    "demdex.net",
    "nr-data.net",
    "js-agent.newrelic.com",
    "snap.licdn.com",
    "px.ads.linkedin.com",
    "analytics.tiktok.com",
    "static.ads-twitter.com",
    "mixpanel.com",
    "fullstory.com",
    "quantserve.com",
    "scorecardresearch.com",
];

fn patterns() -> Vec<RequestPattern> {
    let by_type = BLOCKED_RESOURCE_TYPES.iter().map(|t| RequestPattern {
        url_pattern: Some("*".into()),
        resource_type: Some(t.clone()),
        request_stage: Some(RequestStage::Request),
    });
    let by_host = ANALYTICS_HOSTS.iter().flat_map(|host| {
        [format!("*://{host}/*"), format!("*://*.{host}/*")].map(|p| RequestPattern {
            url_pattern: Some(p),
            resource_type: None,
            request_stage: Some(RequestStage::Request),
        })
    });
    by_type.chain(by_host).collect()
}

/// Starts blocking on `page`; every blocked request increments `blocked`. The returned task
/// answers paused requests and ends when the tab closes.
pub async fn enable(
    page: &Page,
    blocked: Arc<AtomicU64>,
) -> Result<JoinHandle<()>, chromiumoxide::error::CdpError> {
    // Listen before enabling so no paused request is missed (it would hang forever).
    let mut paused = page.event_listener::<EventRequestPaused>().await?;
    page.execute(EnableParams {
        patterns: Some(patterns()),
        handle_auth_requests: None,
    })
    .await?;
    let tab = page.clone();
    Ok(tokio::spawn(async move {
        while let Some(event) = paused.next().await {
            blocked.fetch_add(1, Ordering::Relaxed);
            let fail =
                FailRequestParams::new(event.request_id.clone(), ErrorReason::BlockedByClient);
            if let Err(err) = tab.execute(fail).await {
                tracing::debug!(error = %err, url = %event.request.url, "could not block request");
            }
        }
    }))
}

/// Stops blocking on `page` (for sources with `block_resources = false`).
pub async fn disable(page: &Page) -> Result<(), chromiumoxide::error::CdpError> {
    page.execute(DisableParams::default()).await.map(|_| ())
}
