//! Salary text → min / max / ISO 4217 currency / period.
//!
//! Never assume a currency. A bare `$` is ambiguous (USD, AUD, CAD, NZD, SGD, HKD …): the
//! parser reports it as [`ParsedSalary::bare_dollar`] with no currency, and the normalizer
//! resolves it only from the job's own country when that country's currency is a dollar
//! (a Dallas job paying `$70,000` is USD; a `$` salary with no location stays unknown).
//! Words without figures ("Competitive", "DOE", "Negotiable") give no salary at all.
//!
//! The period is taken from the text ("per year", "p.a.", "/hr", "daily" …). When the text
//! states none, an amount of at least [`ANNUAL_FLOOR`] in a currency where monthly pay never
//! reaches that figure (GBP, EUR, USD, CHF, AUD, CAD, NZD) is read as yearly; otherwise the
//! period stays unknown.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Salary, SalaryPeriod};

/// Unstated periods are read as yearly from this amount up, in [`ANNUAL_CURRENCIES`].
pub const ANNUAL_FLOOR: f64 = 12_000.0;
/// Currencies in which a salary figure ≥ [`ANNUAL_FLOOR`] without a period is yearly.
pub const ANNUAL_CURRENCIES: &[&str] = &["GBP", "EUR", "USD", "CHF", "AUD", "CAD", "NZD"];

/// A salary as read from text, before the bare-dollar question is settled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedSalary {
    /// The structured salary (currency `None` when unknown or a bare `$`).
    pub salary: Salary,
    /// True when the only currency sign was a bare `$`.
    pub bare_dollar: bool,
}

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:[,.\s]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*(k|m|mn|million|thousand)?\b")
        .unwrap()
});
static CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(USD|EUR|GBP|AUD|CAD|NZD|SGD|HKD|AED|QAR|SAR|OMR|BHD|KWD|INR|CHF|SEK|NOK|DKK|PLN|CZK|HUF|RON|BGN|TRY|JPY|CNY|RMB|MYR|THB|IDR|PHP|ZAR|BRL|MXN|ILS|KRW|TWD|ISK|EGP|KES|NGN|MAD)\b",
    )
    .unwrap()
});
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(per\s+(?:hour|hr)|/\s*(?:hour|hr|h)\b|\bhourly\b|\bp/?h\b|an\s+hour)|(per\s+day|/\s*day\b|\bdaily\b|\bp/?d\b|day\s+rate|a\s+day)|(per\s+week|/\s*(?:week|wk)\b|\bweekly\b|\bp/?w\b|a\s+week)|(per\s+month|/\s*(?:month|mo|mth)\b|\bmonthly\b|\bpcm\b|\bp/?m\b|a\s+month)|(per\s+(?:year|annum)|/\s*(?:year|yr|annum|a)\b|\b(?:yearly|annual(?:ly)?)\b|\bp\.?\s?a\b\.?|a\s+year)",
    )
    .unwrap()
});

/// Reads a free-text salary. `None` when the text holds no figure.
pub fn parse_salary(text: &str) -> Option<ParsedSalary> {
    let t = super::text::clean_text(text);
    let (currency, bare_dollar) = currency(&t);
    let mut amounts: Vec<f64> = Vec::with_capacity(2);
    for c in NUMBER.captures_iter(&t) {
        let whole: String = c[1].chars().filter(char::is_ascii_digit).collect();
        let mut v: f64 = whole.parse().ok()?;
        if let Some(frac) = c.get(2) {
            v += format!("0.{}", frac.as_str()).parse::<f64>().ok()?;
        }
        match c.get(3).map(|m| m.as_str().to_ascii_lowercase()).as_deref() {
            Some("k") | Some("thousand") => v *= 1_000.0,
            Some("m") | Some("mn") | Some("million") => v *= 1_000_000.0,
            _ => {}
        }
        // "£40k-£50k" is one range; "40-50k" gives the suffix to both ends.
        amounts.push(v);
        if amounts.len() == 2 {
            break;
        }
    }
    if amounts.is_empty() {
        return None;
    }
    if amounts.len() == 2 && amounts[0] < 1_000.0 && amounts[1] >= 1_000.0 {
        let scale = NUMBER
            .captures_iter(&t)
            .nth(1)
            .and_then(|c| c.get(3))
            .map(|m| m.as_str().to_ascii_lowercase());
        if matches!(scale.as_deref(), Some("k") | Some("thousand")) {
            amounts[0] *= 1_000.0;
        }
    }
    let lower = t.to_lowercase();
    let up_to = lower.contains("up to") || lower.starts_with("max");
    let (min, max) = match amounts.as_slice() {
        [a] if up_to => (None, Some(*a)),
        [a] => (Some(*a), Some(*a)),
        [a, b] => (Some(a.min(*b)), Some(a.max(*b))),
        _ => unreachable!("one or two amounts"),
    };
    let mut period = PERIOD.captures(&t).and_then(|c| {
        (1..=5).find(|i| c.get(*i).is_some()).map(|i| match i {
            1 => SalaryPeriod::Hour,
            2 => SalaryPeriod::Day,
            3 => SalaryPeriod::Week,
            4 => SalaryPeriod::Month,
            _ => SalaryPeriod::Year,
        })
    });
    if period.is_none() {
        period = infer_period(currency, max.or(min));
    }
    Some(ParsedSalary {
        salary: Salary {
            min,
            max,
            currency: currency.map(String::from),
            period,
        },
        bare_dollar,
    })
}

/// Settles a bare `$` with the currency of the job's country, when that is a dollar.
pub fn resolve_bare_dollar(parsed: ParsedSalary, country_code: Option<&str>) -> Salary {
    let mut s = parsed.salary;
    if parsed.bare_dollar && s.currency.is_none() {
        s.currency = country_code.and_then(dollar_of).map(String::from);
        if s.period.is_none() {
            s.period = infer_period(s.currency.as_deref(), s.max.or(s.min));
        }
    }
    s
}

fn infer_period(currency: Option<&str>, amount: Option<f64>) -> Option<SalaryPeriod> {
    match (currency, amount) {
        (Some(c), Some(a)) if a >= ANNUAL_FLOOR && ANNUAL_CURRENCIES.contains(&c) => {
            Some(SalaryPeriod::Year)
        }
        _ => None,
    }
}

/// The dollar currency of a country whose everyday currency sign is `$`.
fn dollar_of(country: &str) -> Option<&'static str> {
    Some(match country {
        "US" | "PR" | "EC" | "SV" | "PA" => "USD",
        "AU" => "AUD",
        "CA" => "CAD",
        "NZ" => "NZD",
        "SG" => "SGD",
        "HK" => "HKD",
        _ => return None,
    })
}

/// The currency named by the text, and whether the only sign was a bare `$`.
fn currency(t: &str) -> (Option<&'static str>, bool) {
    const PREFIXED_DOLLARS: &[(&str, &str)] = &[
        ("US$", "USD"),
        ("U.S.$", "USD"),
        ("AU$", "AUD"),
        ("A$", "AUD"),
        ("AUD$", "AUD"),
        ("CA$", "CAD"),
        ("C$", "CAD"),
        ("CAD$", "CAD"),
        ("NZ$", "NZD"),
        ("S$", "SGD"),
        ("SG$", "SGD"),
        ("HK$", "HKD"),
    ];
    if let Some(c) = CODE.captures(t) {
        let named = if &c[1] == "RMB" { "CNY" } else { &c[1] };
        if let Some(code) = CODES.iter().copied().find(|k| *k == named) {
            return (Some(code), false);
        }
    }
    for (p, code) in PREFIXED_DOLLARS {
        if t.contains(p) {
            return (Some(code), false);
        }
    }
    if t.contains('€') {
        return (Some("EUR"), false);
    }
    if t.contains('£') {
        return (Some("GBP"), false);
    }
    if t.contains('₹') {
        return (Some("INR"), false);
    }
    let lower = t.to_lowercase();
    for (word, code) in [
        ("euro", "EUR"),
        ("sterling", "GBP"),
        ("pounds", "GBP"),
        ("rupees", "INR"),
        ("lakh", "INR"),
        ("dirham", "AED"),
        ("riyal", "SAR"),
        ("swiss franc", "CHF"),
        ("chf", "CHF"),
    ] {
        if lower.contains(word) {
            return (Some(code), false);
        }
    }
    (None, t.contains('$'))
}

/// The codes the [`CODE`] pattern knows (for a `'static` str).
const CODES: &[&str] = &[
    "USD", "EUR", "GBP", "AUD", "CAD", "NZD", "SGD", "HKD", "AED", "QAR", "SAR", "OMR", "BHD",
    "KWD", "INR", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "TRY", "JPY",
    "CNY", "MYR", "THB", "IDR", "PHP", "ZAR", "BRL", "MXN", "ILS", "KRW", "TWD", "ISK", "EGP",
    "KES", "NGN", "MAD",
];
