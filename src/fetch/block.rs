//! Block detection: bot-manager challenges, failover pages and captcha walls.
//!
//! A blocked page is not an error of the site or of our config: the site answered, but not
//! with its content. Sources with blocked pages get the crawl-log status `blocked`, so the
//! operator knows to look at politeness or use the API/browser variant instead of fixing
//! selectors.
//!
//! The markers are specific on purpose. The seed flagged ordinary aviationjobsearch listing
//! pages as blocked because they mention the "Roboto" font and `<meta name="robots">`; words
//! like "robot" or "bot" alone never count here.

use reqwest::header::HeaderMap;

/// Pages at most this long may be judged by wording alone (failover and captcha pages are
/// small; real listing pages that merely embed a captcha widget in a form are large).
pub const SMALL_PAGE_BYTES: usize = 20 * 1024;

/// Markers that identify a challenge page whatever its size.
const STRONG_MARKERS: &[(&str, &str)] = &[
    ("akamfailoverpage", "Akamai failover page"),
    ("cf-browser-verification", "Cloudflare browser check"),
    ("/cdn-cgi/challenge-platform/", "Cloudflare challenge"),
    ("_cf_chl_opt", "Cloudflare challenge"),
    ("captcha-delivery.com", "DataDome captcha"),
    ("_incapsula_resource", "Imperva/Incapsula challenge"),
    ("px-captcha", "PerimeterX captcha"),
    ("distil_r_captcha", "Distil captcha"),
];

/// Wording that identifies a challenge or failover page when the page is small.
const SMALL_PAGE_MARKERS: &[(&str, &str)] = &[
    ("just a moment...", "Cloudflare \"Just a moment\" challenge"),
    ("attention required! | cloudflare", "Cloudflare block page"),
    (
        "checking your browser before accessing",
        "browser check page",
    ),
    (
        "something went wrong",
        "failover page (\"Something went wrong\")",
    ),
    ("verify you are a human", "captcha wall"),
    ("verify you are human", "captcha wall"),
    ("are you a robot", "captcha wall"),
    ("g-recaptcha", "captcha wall (reCAPTCHA)"),
    ("h-captcha", "captcha wall (hCaptcha)"),
    ("access denied", "access denied page"),
    ("request unsuccessful. incapsula", "Imperva/Incapsula block"),
];

/// Why a response looks like a block or challenge rather than the site's content, or `None`
/// for an ordinary page. Works on plain HTTP responses and on rendered browser DOMs.
pub fn detect(status: u16, headers: &HeaderMap, body: &str) -> Option<String> {
    if let Some(v) = headers.get("cf-mitigated")
        && v.as_bytes().eq_ignore_ascii_case(b"challenge")
    {
        return Some(format!(
            "Cloudflare challenge (HTTP {status}, cf-mitigated: challenge)"
        ));
    }
    let head = prefix(body, 256 * 1024).to_ascii_lowercase();
    for (marker, why) in STRONG_MARKERS {
        if head.contains(marker) {
            return Some(format!("{why} (HTTP {status}, marker {marker:?})"));
        }
    }
    let small = body.len() <= SMALL_PAGE_BYTES;
    if small || matches!(status, 403 | 429 | 503) {
        for (marker, why) in SMALL_PAGE_MARKERS {
            if head.contains(marker) {
                return Some(format!("{why} (HTTP {status}, marker {marker:?})"));
            }
        }
    }
    match status {
        403 => Some("HTTP 403 Forbidden: access denied to our client".into()),
        429 => Some("HTTP 429 Too Many Requests: rate limited".into()),
        _ => None,
    }
}

/// The first `max` bytes of `s`, cut on a char boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> HeaderMap {
        HeaderMap::new()
    }

    #[test]
    fn cloudflare_just_a_moment_is_blocked() {
        let body = r#"<!DOCTYPE html><html><head><title>Just a moment...</title></head>
            <body><div id="challenge-running">Checking your browser before accessing example.com.</div>
            <script src="/cdn-cgi/challenge-platform/h/g/orchestrate/jsch/v1"></script></body></html>"#;
        let why = detect(403, &none(), body).expect("blocked");
        assert!(why.contains("Cloudflare"), "{why}");
    }

    #[test]
    fn akamai_failover_with_http_200_is_blocked() {
        // Shape of the IndiGo capture: a 1 KB page served with HTTP 200.
        let body = r#"<html><head><title>IndiGo</title></head><body>
            <img src="https://www.goindigo.in/akamfailoverpage/indigologo.svg">
            <h1 class="headPage">Something went wrong</h1>
            <p class="moreInfo">Please contact our customer support team.</p></body></html>"#;
        let why = detect(200, &none(), body).expect("blocked");
        assert!(why.contains("Akamai"), "{why}");
    }

    #[test]
    fn captcha_wall_is_blocked() {
        let body = r#"<html><body><h2>Please verify you are a human</h2>
            <div class="g-recaptcha" data-sitekey="x"></div></body></html>"#;
        assert!(detect(200, &none(), body).is_some());
    }

    #[test]
    fn cf_mitigated_header_is_blocked() {
        let mut h = HeaderMap::new();
        h.insert("cf-mitigated", "challenge".parse().unwrap());
        assert!(detect(403, &h, "<html></html>").is_some());
    }

    #[test]
    fn ordinary_page_mentioning_roboto_and_meta_robots_is_not_blocked() {
        // Like the truncated aviationjobsearch listing captures the seed wrongly flagged.
        let body = r#"<!-- BLOCKED SNIPPET: URL=https://www.example.test/en-GB/jobs -->
            <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
            <title>All Jobs in Aviation | Example Job Search</title>
            <meta name="robots" content="index, follow">
            <meta name="description" content="Hundreds of Amazing Jobs Updated Daily">
            <link href="https://fonts.googleapis.com/css2?family=Roboto:wght@400;700" rel="stylesheet">
            <link rel="canonical" href="https://www.example.test/en-GB/jobs"></head>
            <body><input type="hidden" name="_logged_in_" value="0"><nav class="navbar">"#;
        assert_eq!(detect(200, &none(), body), None);
    }

    #[test]
    fn large_page_with_a_recaptcha_form_is_not_blocked() {
        let mut body = String::from("<html><body><form><div class=\"g-recaptcha\"></div></form>");
        body.push_str(&"<div class=\"job\">Captain A320</div>".repeat(1000));
        assert_eq!(detect(200, &none(), &body), None);
    }

    #[test]
    fn bare_403_and_429_are_blocks() {
        assert!(detect(403, &none(), "").is_some());
        assert!(detect(429, &none(), "").is_some());
        assert_eq!(detect(404, &none(), "not found"), None);
    }
}
