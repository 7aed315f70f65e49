//! [`FetchError`]: why a page could not be fetched, always naming the URL.

use std::time::Duration;

use url::Url;

/// Why a page could not be fetched. Every variant names the URL.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// No complete response within the timeout.
    #[error("{url}: timed out after {:.1} s", after.as_secs_f64())]
    Timeout {
        /// Requested URL.
        url: Url,
        /// The timeout that expired.
        after: Duration,
    },
    /// The body is larger than the cap.
    #[error("{url}: body larger than the {limit}-byte cap (max_body_bytes)")]
    TooLarge {
        /// Requested URL.
        url: Url,
        /// The cap in bytes.
        limit: u64,
    },
    /// Too many redirects (or a redirect loop).
    #[error("{url}: more than {max} redirects (last hop {last})")]
    TooManyRedirects {
        /// Requested URL.
        url: Url,
        /// The last URL we were sent to.
        last: Url,
        /// The redirect limit.
        max: u32,
    },
    /// A redirect without a usable `Location`.
    #[error("{url}: redirect with unusable Location {location:?}")]
    BadRedirect {
        /// URL that answered with the redirect.
        url: Url,
        /// The Location header as sent.
        location: String,
    },
    /// A non-success HTTP status after retries.
    #[error("{url}: HTTP {status}{}", if snippet.is_empty() { String::new() } else { format!(": {snippet}") })]
    Http {
        /// Requested URL.
        url: Url,
        /// Final status.
        status: u16,
        /// Start of the response body, for the error message.
        snippet: String,
    },
    /// robots.txt disallows the URL.
    #[error("{url}: disallowed by robots.txt")]
    RobotsDenied {
        /// The URL we did not fetch.
        url: Url,
    },
    /// robots.txt could not be fetched (server error or unreachable host), so RFC 9309 has us
    /// treat the whole host as disallowed for this run.
    #[error("{url}: not fetched: robots.txt unreachable ({why}), host skipped for this run")]
    RobotsUnreachable {
        /// The URL we did not fetch.
        url: Url,
        /// Why robots.txt could not be fetched.
        why: String,
    },
    /// The site answered with a challenge, failover or captcha page.
    #[error("{url}: blocked: {why}")]
    Blocked {
        /// Requested URL.
        url: Url,
        /// What gave it away.
        why: String,
    },
    /// The server asked us to wait longer than we are willing to.
    #[error(
        "{url}: server asked to retry after {secs} s, more than the {cap} s cap (max_retry_after_secs)"
    )]
    RetryAfterTooLong {
        /// Requested URL.
        url: Url,
        /// Seconds the server asked for.
        secs: u64,
        /// Our cap in seconds.
        cap: u64,
    },
    /// DNS, TCP or TLS failure.
    #[error("{url}: connection failed: {why}")]
    Connect {
        /// Requested URL.
        url: Url,
        /// The underlying error.
        why: String,
    },
    /// The run was cancelled (Ctrl-C) while this request waited or ran.
    #[error("{url}: cancelled")]
    Cancelled {
        /// Requested URL.
        url: Url,
    },
    /// Any other transport error.
    #[error("{url}: request failed: {why}")]
    Request {
        /// Requested URL.
        url: Url,
        /// The underlying error.
        why: String,
    },
}

impl FetchError {
    /// The URL the error is about.
    pub fn url(&self) -> &Url {
        match self {
            FetchError::Timeout { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::Http { url, .. }
            | FetchError::RobotsDenied { url }
            | FetchError::RobotsUnreachable { url, .. }
            | FetchError::Blocked { url, .. }
            | FetchError::RetryAfterTooLong { url, .. }
            | FetchError::Connect { url, .. }
            | FetchError::Cancelled { url }
            | FetchError::Request { url, .. } => url,
        }
    }

    /// True for a block or challenge page (crawl-log status `blocked`, not `error`).
    pub fn is_blocked(&self) -> bool {
        matches!(self, FetchError::Blocked { .. })
    }

    /// HTTP status, for [`FetchError::Http`].
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }
}
