//! Canonical posting URLs: the same posting reached through different links is one URL.
//!
//! LinkedIn's guest pages add `position`, `pageNum`, `refId` and `trackingId` that change on
//! every visit (39 jobs of the earlier tool had 2–4 URL variants); newsletters and boards add
//! `utm_*`, click ids and the like. Scheme and host are lower-cased by the URL parser, default
//! ports dropped, the fragment removed and a trailing slash trimmed.

use std::borrow::Cow;

/// Query parameters dropped from every URL (compared case-insensitively).
pub const TRACKING_PARAMS: &[&str] = &[
    // LinkedIn guest job pages
    "refid",
    "trackingid",
    "position",
    "pagenum",
    "trk",
    "trkinfo",
    "lipi",
    "originalsubdomain",
    // ad click ids
    "gclid",
    "gclsrc",
    "dclid",
    "fbclid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "igshid",
    "wbraid",
    "gbraid",
    // mail and analytics
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "hsctatracking",
    "_ga",
    "_gl",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "jsessionid",
];

/// Canonical form of a posting URL: lower-case scheme and host, no fragment, no `utm_*` or
/// other tracking parameters, no trailing slash. Errors with a reason when the URL is not an
/// absolute http(s) URL.
pub fn canonical_url(url: &str) -> Result<String, String> {
    match plain_canonical(url) {
        Some(s) => Ok(s),
        None => parsed_canonical(url),
    }
}

/// [`canonical_url`] without the URL parser, for the common URL the parser would leave as
/// it is: lower-case `http(s)://`, a plain lower-case domain (no port, user, IP address or
/// punycode), a path of plain characters (no dot segments, `//`, `;` or escaped dots) and a
/// plain query (see [`plain_query`]). Only the fragment, trailing slashes and tracking
/// parameters go. `None` sends anything else to the parser.
fn plain_canonical(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let scheme_len = url.len() - rest.len();
    let end = rest.find('#').unwrap_or(rest.len());
    let rest = &rest[..end];
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(plain_query(q)?)),
        None => (rest, None),
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    if !plain_domain(host) || !plain_path(path) {
        return None;
    }
    let path = path.trim_end_matches('/');
    let mut out = String::with_capacity(url.len());
    out.push_str(&url[..scheme_len]);
    out.push_str(host);
    out.push_str(path);
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(&q);
    }
    Some(out)
}

/// Characters a plain query may hold: the URL parser keeps them as they are.
const PLAIN_QUERY_PUNCTUATION: &[u8] = b"-._~!$&()*+,;=:@/?%";
/// Characters of a kept parameter when others go: the form encoder writes them back as is.
const FORM_SAFE_PUNCTUATION: &[u8] = b"*-._";

/// The query [`parsed_canonical`] keeps, for a plain query: the query itself when it has no
/// tracking parameter; otherwise the other parameters, when each is a plain `key=value` the
/// form encoder would write back unchanged (an empty result drops the query). `None` when
/// the parser must decide: odd characters, or a key with `%` or `+` (decoded before the
/// tracking check).
fn plain_query(query: &str) -> Option<Cow<'_, str>> {
    let plain = !query.is_empty()
        && query
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || PLAIN_QUERY_PUNCTUATION.contains(&b));
    if !plain {
        return None;
    }
    let mut tracked = false;
    for piece in query.split('&').filter(|p| !p.is_empty()) {
        let key = piece.split('=').next().unwrap_or_default();
        if key.contains(['%', '+']) {
            return None;
        }
        tracked |= is_tracking(key);
    }
    if !tracked {
        return Some(Cow::Borrowed(query));
    }
    let form_safe = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || FORM_SAFE_PUNCTUATION.contains(&b))
    };
    let mut kept = String::new();
    for piece in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
        if is_tracking(key) {
            continue;
        }
        if key.is_empty() || !piece.contains('=') || !form_safe(key) || !form_safe(value) {
            return None;
        }
        if !kept.is_empty() {
            kept.push('&');
        }
        kept.push_str(piece);
    }
    Some(Cow::Owned(kept))
}

/// Lower-case ASCII labels joined by single dots, the last one starting with a letter (so it
/// is no IPv4 address), and no punycode label (`xn--`) for IDNA to check.
fn plain_domain(host: &str) -> bool {
    !host.is_empty()
        && !host.contains("xn--")
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        && host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.as_bytes()[0].is_ascii_lowercase())
}

/// A path the URL parser keeps byte for byte and [`canonical_url`] only trims: plain
/// characters, no dot segments (`/.`, `%2e`), no empty segment (`//`), no `;` parameters.
fn plain_path(path: &str) -> bool {
    const PLAIN_PUNCTUATION: &[u8] = b"-._~/%!$&()*+,=:@";
    let b = path.as_bytes();
    (b.is_empty() || b[0] == b'/')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || PLAIN_PUNCTUATION.contains(c))
        && !b.windows(2).any(|w| w == b"/." || w == b"//")
        && !b
            .windows(3)
            .any(|w| w[0] == b'%' && w[1] == b'2' && w[2].eq_ignore_ascii_case(&b'e'))
}

/// [`canonical_url`] through the URL parser (every URL the plain path does not take).
fn parsed_canonical(url: &str) -> Result<String, String> {
    let trimmed = url.trim();
    let mut u = url::Url::parse(trimmed).map_err(|e| format!("{e}"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!("scheme {:?} is not http or https", u.scheme()));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("no host".into());
    }
    u.set_fragment(None);
    // Rebuild the query only when something goes, so untouched URLs keep their own encoding.
    if u.query().is_some() && u.query_pairs().any(|(k, _)| is_tracking(&k)) {
        let kept: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| !is_tracking(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    // `;jsessionid=…` path parameters (Java sites) identify a session, not a posting.
    let path = u.path().to_string();
    let mut new_path = match path.to_ascii_lowercase().find(";jsessionid=") {
        Some(i) => path[..i].to_string(),
        None => path,
    };
    while new_path.len() > 1 && new_path.ends_with('/') {
        new_path.pop();
    }
    u.set_path(&new_path);
    let mut s = u.to_string();
    // The URL type always writes "/" for an empty path; "https://x.com/" → "https://x.com".
    if u.path() == "/" {
        let host_end = s.find("://").map(|i| i + 3).unwrap_or(0);
        if let Some(slash) = s[host_end..].find('/') {
            s.remove(host_end + slash);
        }
    }
    Ok(s)
}

fn is_tracking(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("utm_") || TRACKING_PARAMS.contains(&k.as_str())
}

#[cfg(test)]
mod tests {
    use super::{canonical_url, parsed_canonical, plain_canonical};

    #[test]
    fn plain_urls_skip_the_parser_with_the_same_result() {
        let table: &[(&str, bool)] = &[
            ("https://careers.ryanair.com/jobs/100001/captain-a320", true),
            (
                "https://careers.ryanair.com/jobs/100001/captain-a320/",
                true,
            ),
            (
                "https://www.linkedin.com/job/captain-a320-7000007#apply",
                true,
            ),
            ("http://example.com", true),
            ("http://example.com/", true),
            ("http://example.com#top", true),
            ("https://example.com/a#x y\n", true),
            ("https://example.com///", false),
            ("https://x.example/a/b//c", false),
            ("https://x.example/a/./b", false),
            ("https://x.example/a/../b", false),
            ("https://x.example/a/%2E%2E/b", false),
            ("https://x.example/a/%2e/b", false),
            ("https://x.example/a%20b/c", true),
            ("https://x.example/a%zz", true),
            ("https://x.example/a b", false),
            ("https://x.example/job;jsessionid=1", false),
            ("https://x.example/a?b=1", true),
            ("https://x.example/?b=1&c", true),
            ("https://x.example?b=1", true),
            ("https://x.example/a/?b=1#frag", true),
            ("https://x.example/a?", false),
            ("https://x.example/a?b=1 2", false),
            ("https://x.example/a?b='1'", false),
            (
                "https://x.example/a?utm_source=linkedin&utm_medium=jobs",
                true,
            ),
            (
                "https://x.example/job/7?refId=abc123&trackingId=XyZ%3D%3D&position=3&pageNum=0",
                true,
            ),
            ("https://x.example/job?utm_campaign=aviation&src=feed", true),
            ("https://x.example/job?UTM_Campaign=a&id=7&x.y=-_*", true),
            ("https://x.example/job?utm_x=1&id=a%20b", false),
            ("https://x.example/job?utm_x=1&id=a+b", false),
            ("https://x.example/job?utm_x=1&id", false),
            ("https://x.example/job?utm_x=1&id=1=2", false),
            ("https://x.example/job?utm_x=1&=2", false),
            ("https://x.example/job?utm%5Fx=1&id=2", false),
            ("https://x.example/job?gclid=1&&id=2&", true),
            ("https://x.example/job?id=%zz&utm_x=1", false),
            ("https://x.example/job?a=%zz;b:c@d/e?f", true),
            ("https://x.example/?gclid=abc", true),
            ("https://Example.com/a", false),
            ("HTTPS://example.com/a", false),
            ("https://example.com:443/a", false),
            ("https://user@example.com/a", false),
            ("https://127.0.0.1/a", false),
            ("https://1.2.3.0x10/a", false),
            ("https://example.123/a", false),
            ("https://xn--bcher-kva.example/a", false),
            ("https://example..com/a", false),
            ("https://example.com./a", false),
            ("https:///a", false),
            ("https://", false),
            (
                "https://ex-ample.co.uk/Jobs/Apply/(Captain)!$&*+,=:@~_.x",
                true,
            ),
            (" https://example.com/a", false),
            ("https://example.com/a\\b", false),
            ("https://example.com/a\tb", false),
            ("https://example.com/caf\u{e9}", false),
        ];
        for (url, plain) in table {
            let fast = plain_canonical(url);
            assert_eq!(fast.is_some(), *plain, "{url:?} takes the plain path");
            if let Some(fast) = fast {
                assert_eq!(Ok(fast), parsed_canonical(url), "{url:?}");
            }
            assert_eq!(canonical_url(url), parsed_canonical(url), "{url:?}");
        }
    }

    #[test]
    fn linkedin_tracking_is_dropped() {
        assert_eq!(
            canonical_url(
                "https://www.linkedin.com/jobs/view/captain-a320-at-wizz-air-4012345678?position=3&pageNum=0&refId=abc%3D%3D&trackingId=xyz"
            )
            .unwrap(),
            "https://www.linkedin.com/jobs/view/captain-a320-at-wizz-air-4012345678"
        );
    }

    #[test]
    fn scheme_host_fragment_slash_and_utm() {
        assert_eq!(
            canonical_url(
                "HTTPS://Jobs.Example.COM:443/Job/42/?utm_source=x&id=7&UTM_medium=y#apply"
            )
            .unwrap(),
            "https://jobs.example.com/Job/42?id=7"
        );
        assert_eq!(
            canonical_url("https://Example.com/").unwrap(),
            "https://example.com"
        );
        assert_eq!(
            canonical_url("https://careers.example.com/job;jsessionid=ABC123?x=1").unwrap(),
            "https://careers.example.com/job?x=1"
        );
    }

    #[test]
    fn bad_urls_say_why() {
        assert!(
            canonical_url("/jobs/42")
                .unwrap_err()
                .contains("relative URL")
        );
        assert!(
            canonical_url("ftp://x.com/a")
                .unwrap_err()
                .contains("not http")
        );
    }
}
