//! Small helpers shared by the presets: base URLs, JSON access, salary text, dates.

use super::{AtsCtx, AtsError, Response};
use serde_json::Value;

/// Checks an optional `base_url` key and falls back to the vendor's default root.
/// The result never ends with `/`.
pub(crate) fn root(
    source: &str,
    preset: &'static str,
    base_url: Option<&str>,
    default: impl FnOnce() -> Result<String, String>,
) -> Result<String, AtsError> {
    let config = |message: String| AtsError::Config {
        source_name: source.to_string(),
        preset,
        message,
    };
    match base_url {
        Some(b) => http_url(source, preset, "base_url", b),
        None => {
            let raw = default().map_err(config)?;
            http_url(source, preset, "host", &raw)
        }
    }
}

/// The optional `host` key, trimmed (`None` when absent or blank); a value with a `/` is a
/// config error, since a full URL belongs in `base_url`. `example` (e.g. " such as
/// boeing.wd1.myworkdayjobs.com") is inserted into the message.
pub(crate) fn bare_host<'a>(
    source: &str,
    preset: &'static str,
    host: Option<&'a str>,
    example: &str,
) -> Result<Option<&'a str>, AtsError> {
    let host = host.map(str::trim).filter(|h| !h.is_empty());
    match host {
        Some(h) if h.contains('/') => Err(AtsError::Config {
            source_name: source.to_string(),
            preset,
            message: format!(
                "`host` \"{h}\" must be a bare host name{example} (use `base_url` for a full URL)"
            ),
        }),
        _ => Ok(host),
    }
}

/// Checks that the value of `key` is an http(s) URL with a host; returns it without a
/// trailing `/`.
pub(crate) fn http_url(
    source: &str,
    preset: &'static str,
    key: &str,
    raw: &str,
) -> Result<String, AtsError> {
    let config = |message: String| AtsError::Config {
        source_name: source.to_string(),
        preset,
        message,
    };
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        Ok(_) => {
            return Err(config(format!(
                "`{key}` \"{raw}\" must be an http(s) URL with a host"
            )));
        }
        Err(e) => return Err(config(format!("`{key}` \"{raw}\" is not a URL: {e}"))),
    }
    Ok(raw.trim_end_matches('/').to_string())
}

/// Fails with a config error when a required key is empty.
pub(crate) fn require(
    source: &str,
    preset: &'static str,
    key: &str,
    value: &str,
) -> Result<(), AtsError> {
    if value.trim().is_empty() {
        return Err(AtsError::Config {
            source_name: source.to_string(),
            preset,
            message: format!("`{key}` must not be empty"),
        });
    }
    Ok(())
}

/// Percent-encodes one URL component (query value or path segment).
pub(crate) fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Parses a JSON body, or explains where it is not JSON.
pub(crate) fn parse_json(
    ctx: &AtsCtx,
    preset: &'static str,
    page: u32,
    resp: &Response<'_>,
) -> Result<Value, AtsError> {
    serde_json::from_str(resp.body).map_err(|e| {
        parse_error(
            ctx,
            preset,
            page,
            resp,
            format!("body is not JSON ({e}); starts with {:?}", head(resp.body)),
        )
    })
}

/// A parse error for this response.
pub(crate) fn parse_error(
    ctx: &AtsCtx,
    preset: &'static str,
    page: u32,
    resp: &Response<'_>,
    message: impl Into<String>,
) -> AtsError {
    AtsError::Parse {
        source_name: ctx.name.clone(),
        preset,
        url: resp.url.to_string(),
        page,
        message: message.into(),
    }
}

/// The first 80 characters of a body, for error messages.
pub(crate) fn head(body: &str) -> String {
    body.trim_start().chars().take(80).collect()
}

/// A non-empty trimmed string at `key`; numbers are rendered as text (ids are either).
pub(crate) fn s(v: &Value, key: &str) -> Option<String> {
    text(v.get(key)?)
}

/// A non-empty trimmed string from a JSON string or number.
pub(crate) fn text(v: &Value) -> Option<String> {
    let t = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!t.is_empty()).then_some(t)
}

/// A number from a JSON number or a numeric string ("50000", "50,000.00").
pub(crate) fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', "").parse().ok(),
        _ => None,
    }
}

/// Renders an amount without a useless `.0`.
fn amount(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.2}")
    }
}

/// Salary free text the normalizer reads unambiguously: `USD 150000-200000 per year`.
/// `None` when neither bound is known.
pub(crate) fn salary_text(
    currency: Option<&str>,
    min: Option<f64>,
    max: Option<f64>,
    period: Option<&str>,
) -> Option<String> {
    let range = match (min, max) {
        (Some(a), Some(b)) if a == b => amount(a),
        (Some(a), Some(b)) => format!("{}-{}", amount(a), amount(b)),
        (Some(a), None) => format!("from {}", amount(a)),
        (None, Some(b)) => format!("up to {}", amount(b)),
        (None, None) => return None,
    };
    let mut out = String::new();
    if let Some(c) = currency.map(str::trim).filter(|c| !c.is_empty()) {
        out.push_str(&c.to_ascii_uppercase());
        out.push(' ');
    }
    out.push_str(&range);
    if let Some(p) = period.and_then(period_word) {
        out.push_str(" per ");
        out.push_str(p);
    }
    Some(out)
}

/// Maps the vendors' interval words (`per-year-salary`, `1 YEAR`, `yearly`, `HOUR`…) to
/// the salary periods the normalizer knows.
pub(crate) fn period_word(raw: &str) -> Option<&'static str> {
    let l = raw.to_ascii_lowercase();
    [
        ("hour", "hour"),
        ("day", "day"),
        ("daily", "day"),
        ("week", "week"),
        ("month", "month"),
        ("year", "year"),
        ("annual", "year"),
        ("annum", "year"),
    ]
    .into_iter()
    .find(|(k, _)| l.contains(k))
    .map(|(_, p)| p)
}

/// `MM/DD/YYYY` (the US order SuccessFactors uses) → ISO `YYYY-MM-DD`; other text unchanged.
pub(crate) fn us_date_to_iso(raw: &str) -> String {
    let t = raw.trim();
    let parts: Vec<&str> = t.split('/').collect();
    if let [m, d, y] = parts[..]
        && let (Ok(m), Ok(d), Ok(y)) = (m.parse::<u32>(), d.parse::<u32>(), y.parse::<i32>())
        && let Some(date) = chrono::NaiveDate::from_ymd_opt(y, m, d)
    {
        return date.format("%Y-%m-%d").to_string();
    }
    t.to_string()
}

/// Epoch milliseconds → RFC 3339 UTC.
pub(crate) fn epoch_ms_to_rfc3339(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// `2026-05-29 09:42:54 UTC` (Recruitee) → RFC 3339; other text unchanged.
pub(crate) fn utc_suffix_to_rfc3339(raw: &str) -> String {
    let t = raw.trim();
    chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S UTC")
        .map(|d| {
            d.and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|_| t.to_string())
}

/// Joins the non-empty parts with `, `, skipping repeats.
pub(crate) fn join_parts<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    for p in parts.into_iter().flatten().map(str::trim) {
        if !p.is_empty() && !seen.iter().any(|s| s.eq_ignore_ascii_case(p)) {
            seen.push(p);
        }
    }
    (!seen.is_empty()).then(|| seen.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salary_text_is_unambiguous() {
        let cases = [
            (
                (
                    Some("usd"),
                    Some(150000.0),
                    Some(200000.0),
                    Some("per-year-salary"),
                ),
                Some("USD 150000-200000 per year"),
            ),
            (
                (Some("EUR"), Some(50000.0), None, Some("year")),
                Some("EUR from 50000 per year"),
            ),
            (
                (None, Some(25.5), Some(25.5), Some("HOUR")),
                Some("25.50 per hour"),
            ),
            ((Some("GBP"), None, None, Some("year")), None),
        ];
        for ((c, a, b, p), want) in cases {
            assert_eq!(salary_text(c, a, b, p).as_deref(), want);
        }
    }

    #[test]
    fn dates_convert_to_iso() {
        assert_eq!(us_date_to_iso("09/01/2026"), "2026-09-01");
        assert_eq!(us_date_to_iso("13/40/2026"), "13/40/2026");
        assert_eq!(
            epoch_ms_to_rfc3339(1553186035299).as_deref(),
            Some("2019-03-21T16:33:55Z")
        );
        assert_eq!(
            utc_suffix_to_rfc3339("2026-05-29 09:45:21 UTC"),
            "2026-05-29T09:45:21Z"
        );
    }

    #[test]
    fn numbers_come_from_strings_or_numbers() {
        assert_eq!(num(&serde_json::json!("50,000")), Some(50000.0));
        assert_eq!(num(&serde_json::json!(60000)), Some(60000.0));
        assert_eq!(num(&serde_json::json!(null)), None);
    }
}
