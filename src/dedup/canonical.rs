//! Canonical posting URLs: the same posting reached through different links is one URL.
//!
//! LinkedIn's guest pages add `position`, `pageNum`, `refId` and `trackingId` that change on
//! every visit (39 jobs of the earlier tool had 2–4 URL variants); newsletters and boards add
//! `utm_*`, click ids and the like. Scheme and host are lower-cased by the URL parser, default
//! ports dropped, the fragment removed and a trailing slash trimmed.

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
    use super::canonical_url;

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
