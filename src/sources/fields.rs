//! CSS field selectors (html, jsonld and browser engines) and mapping field names onto
//! [`RawRecord`].
//!
//! A field is written either as a string — `"h2.title"` (text), `"a.title @href"` (an
//! attribute), `"@data-id"` (attribute of the list item itself), `"div.body @html"` (inner
//! HTML) — or as a table `{ css = "…", attr = "…", html = true, regex = "…", all = true,
//! join = ", ", value = "…" }`. `regex` keeps capture group 1 (or the whole match). `all`
//! joins every match instead of taking the first. `value` is a constant. Links (`url`,
//! `apply_url`, and any `href`/`src` attribute) are resolved against the page URL.

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use url::Url;

use crate::config::KeyError;
use crate::model::RawRecord;

/// Field names that map onto [`RawRecord`] fields; any other name goes to its extra keys.
pub const KNOWN_FIELDS: &[&str] = &[
    "title",
    "url",
    "company",
    "location",
    "description",
    "posted_date",
    "employment_type",
    "salary",
    "external_id",
    "apply_url",
    "closing_date",
    "department",
    "remote",
];

/// Elements after which text gets a space, so `<li>A</li><li>B</li>` reads "A B".
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// What to take from the selected element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Take {
    /// Its text, whitespace collapsed.
    Text,
    /// An attribute.
    Attr(String),
    /// Its inner HTML.
    Html,
}

/// A compiled field.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    /// Field name (a [`KNOWN_FIELDS`] entry or an extra key).
    pub name: String,
    /// Selector relative to the item (or document); `None` means the item itself.
    pub selector: Option<Selector>,
    /// What to take.
    pub take: Take,
    /// Optional regex; capture group 1 (or the whole match) is kept.
    pub regex: Option<Regex>,
    /// Join every match with `join` instead of taking the first.
    pub all: bool,
    /// Separator for `all`.
    pub join: String,
    /// A constant value instead of a selector.
    pub constant: Option<String>,
}

/// Parses a CSS selector, with an error naming `key`.
pub fn parse_selector(key: &str, css: &str) -> Result<Selector, KeyError> {
    Selector::parse(css).map_err(|e| KeyError::new(key, format!("bad CSS selector {css:?}: {e}")))
}

/// Splits `"css @attr"` into selector and attribute; `"@attr"` has no selector.
fn split_attr(s: &str) -> (&str, Option<&str>) {
    let s = s.trim();
    if let Some(at) = s.rfind('@') {
        let attr = &s[at + 1..];
        let before = &s[..at];
        let in_brackets = before.matches('[').count() > before.matches(']').count();
        let attr_ok = !attr.is_empty()
            && attr
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'));
        if attr_ok && !in_brackets {
            return (before.trim(), Some(attr));
        }
    }
    (s, None)
}

/// Compiles one field from its TOML value. `key` is the dotted key for errors.
pub fn compile_field(key: &str, name: &str, v: &toml::Value) -> Result<FieldSpec, KeyError> {
    let mut spec = FieldSpec {
        name: name.to_owned(),
        selector: None,
        take: Take::Text,
        regex: None,
        all: false,
        join: " ".into(),
        constant: None,
    };
    let (css, attr): (String, Option<String>) = match v {
        toml::Value::String(s) => {
            let (css, attr) = split_attr(s);
            (css.to_owned(), attr.map(str::to_owned))
        }
        toml::Value::Table(t) => {
            for k in t.keys() {
                if !["css", "attr", "html", "regex", "all", "join", "value"].contains(&k.as_str()) {
                    return Err(KeyError::new(
                        format!("{key}.{k}"),
                        "unknown key; expected css, attr, html, regex, all, join or value",
                    ));
                }
            }
            let get_str = |k: &str| -> Result<Option<String>, KeyError> {
                match t.get(k) {
                    None => Ok(None),
                    Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                    Some(other) => Err(KeyError::new(
                        format!("{key}.{k}"),
                        format!("expected a string, found {}", other.type_str()),
                    )),
                }
            };
            let get_bool = |k: &str| -> Result<bool, KeyError> {
                match t.get(k) {
                    None => Ok(false),
                    Some(toml::Value::Boolean(b)) => Ok(*b),
                    Some(other) => Err(KeyError::new(
                        format!("{key}.{k}"),
                        format!("expected true or false, found {}", other.type_str()),
                    )),
                }
            };
            if let Some(value) = get_str("value")? {
                spec.constant = Some(value);
                return Ok(spec);
            }
            if let Some(r) = get_str("regex")? {
                spec.regex = Some(Regex::new(&r).map_err(|e| {
                    KeyError::new(format!("{key}.regex"), format!("bad regex {r:?}: {e}"))
                })?);
            }
            spec.all = get_bool("all")?;
            if let Some(j) = get_str("join")? {
                spec.join = j;
            }
            let html = get_bool("html")?;
            let css = get_str("css")?.unwrap_or_default();
            let attr = get_str("attr")?;
            if html {
                spec.take = Take::Html;
            }
            (css, attr)
        }
        other => {
            return Err(KeyError::new(
                key,
                format!(
                    "expected a selector string or a table, found {}",
                    other.type_str()
                ),
            ));
        }
    };
    match attr.as_deref() {
        Some("html") => spec.take = Take::Html,
        Some("text") => spec.take = Take::Text,
        Some(a) => spec.take = Take::Attr(a.to_ascii_lowercase()),
        None => {}
    }
    if !css.is_empty() {
        spec.selector = Some(parse_selector(key, &css)?);
    } else if v.is_str() && attr.is_none() {
        return Err(KeyError::new(
            key,
            "empty selector: give a CSS selector, \"@attr\", \"@text\" or { value = \"…\" }",
        ));
    }
    Ok(spec)
}

/// Compiles a `[….fields]` table. `prefix` is its dotted key.
pub fn compile_fields(prefix: &str, t: &toml::Table) -> Result<Vec<FieldSpec>, KeyError> {
    t.iter()
        .map(|(name, v)| compile_field(&format!("{prefix}.{name}"), name, v))
        .collect()
}

/// Compiles a `[constants]` table of field → fixed string.
pub fn compile_constants(
    prefix: &str,
    t: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<(String, String)>, KeyError> {
    for k in t.keys() {
        if k == "source" || k == "scraped_at" {
            return Err(KeyError::new(
                format!("{prefix}.{k}"),
                "is set by the engine and cannot be a constant",
            ));
        }
    }
    Ok(t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

/// Text of an element: text nodes joined, a space after block elements, whitespace collapsed.
pub fn element_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    push_text(el, &mut out);
    collapse_ws(&out)
}

fn push_text(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        if let Some(t) = child.value().as_text() {
            out.push_str(t);
        } else if let Some(child_el) = ElementRef::wrap(child) {
            let name = child_el.value().name();
            if matches!(name, "script" | "style" | "noscript" | "template") {
                continue;
            }
            push_text(child_el, out);
            if BLOCK_ELEMENTS.contains(&name) {
                out.push(' ');
            }
        }
    }
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Links are resolved for `url`/`apply_url`, and for link attributes not cut by a regex.
fn is_link(f: &FieldSpec) -> bool {
    matches!(f.name.as_str(), "url" | "apply_url")
        || (f.regex.is_none()
            && matches!(&f.take, Take::Attr(a) if matches!(a.as_str(), "href" | "src" | "action" | "data-href" | "data-url")))
}

/// Resolves a link against the page URL (relative `../jobDetails/…` links included).
pub fn resolve_link(page_url: &Url, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with("javascript:") || href.starts_with('#') {
        return None;
    }
    page_url.join(href).ok().map(|u| u.to_string())
}

/// Extracts one field from `scope` (a list item, or the document root).
pub fn extract_field(f: &FieldSpec, scope: ElementRef<'_>, page_url: &Url) -> Option<String> {
    if let Some(c) = &f.constant {
        return Some(c.clone());
    }
    let els: Vec<ElementRef<'_>> = match &f.selector {
        Some(sel) => {
            if f.all {
                scope.select(sel).collect()
            } else {
                scope.select(sel).next().into_iter().collect()
            }
        }
        None => vec![scope],
    };
    let mut values = Vec::new();
    for el in els {
        let raw = match &f.take {
            Take::Text => element_text(el),
            Take::Html => el.inner_html().trim().to_owned(),
            Take::Attr(a) => match el.value().attr(a) {
                Some(v) => v.trim().to_owned(),
                None => continue,
            },
        };
        let mut v = match &f.regex {
            Some(re) => match re.captures(&raw) {
                Some(c) => c
                    .get(1)
                    .or_else(|| c.get(0))
                    .map(|m| m.as_str().to_owned())
                    .unwrap_or_default(),
                None => continue,
            },
            None => raw,
        };
        if is_link(f) {
            match resolve_link(page_url, &v) {
                Some(u) => v = u,
                None => continue,
            }
        }
        if !v.is_empty() {
            values.push(v);
        }
    }
    if values.is_empty() {
        None
    } else {
        Some(values.join(&f.join))
    }
}

/// Extracts every field of `fields` from `scope` into a record.
pub fn extract_record(fields: &[FieldSpec], scope: ElementRef<'_>, page_url: &Url) -> RawRecord {
    let mut rec = RawRecord::default();
    for f in fields {
        if let Some(v) = extract_field(f, scope, page_url) {
            set_field(&mut rec, &f.name, v);
        }
    }
    rec
}

/// Extracts `fields` from a whole document (detail pages).
pub fn extract_document(fields: &[FieldSpec], html: &str, page_url: &Url) -> RawRecord {
    let doc = Html::parse_document(html);
    extract_record(fields, doc.root_element(), page_url)
}

/// Sets field `name` of `rec` (known fields by name, anything else in the extra keys).
pub fn set_field(rec: &mut RawRecord, name: &str, v: String) {
    match name {
        "title" => rec.title = v,
        "url" => rec.url = v,
        "company" => rec.company = Some(v),
        "location" => rec.location = Some(v),
        "description" => rec.description = Some(v),
        "posted_date" => rec.posted_date = Some(v),
        "scraped_at" => rec.scraped_at = Some(v),
        "employment_type" => rec.employment_type = Some(v),
        "salary" => rec.salary = Some(v),
        "external_id" => rec.external_id = Some(v),
        "apply_url" => rec.apply_url = Some(v),
        "closing_date" => rec.closing_date = Some(v),
        "department" => rec.department = Some(v),
        "remote" => rec.remote = Some(Value::String(v)),
        "source" => rec.source = v,
        other => {
            rec.extra.insert(other.to_owned(), Value::String(v));
        }
    }
}

/// Fills every empty field of `base` from `other` (`other` is the fallback).
pub fn fill_missing(base: &mut RawRecord, other: RawRecord) {
    fn opt(a: &mut Option<String>, b: Option<String>) {
        if a.as_deref().is_none_or(|s| s.trim().is_empty()) && b.is_some() {
            *a = b;
        }
    }
    if base.title.trim().is_empty() {
        base.title = other.title;
    }
    if base.url.trim().is_empty() {
        base.url = other.url;
    }
    opt(&mut base.company, other.company);
    opt(&mut base.location, other.location);
    opt(&mut base.description, other.description);
    opt(&mut base.posted_date, other.posted_date);
    opt(&mut base.employment_type, other.employment_type);
    opt(&mut base.salary, other.salary);
    opt(&mut base.external_id, other.external_id);
    opt(&mut base.apply_url, other.apply_url);
    opt(&mut base.closing_date, other.closing_date);
    opt(&mut base.department, other.department);
    if base.remote.is_none() {
        base.remote = other.remote;
    }
    for (k, v) in other.extra {
        base.extra.entry(k).or_insert(v);
    }
}

/// Overwrites fields of `base` with every field `other` has (`other` wins).
pub fn overlay(base: &mut RawRecord, other: RawRecord) {
    let mut merged = other;
    fill_missing(&mut merged, std::mem::take(base));
    *base = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, v: &str) -> FieldSpec {
        compile_field(name, name, &toml::Value::String(v.into())).unwrap()
    }

    #[test]
    fn shorthand_selects_text_attr_html_and_self() {
        let html = r#"<div class="card" data-id="42"><a class="t" href="../jobDetails/jobDetail.html?jobPostId=4823">
            Licensed   <b>B1</b> Engineer</a><div class="d"><p>One</p><p>Two</p></div>
            <span class="date">2<sup>nd</sup> Dec 25</span></div>"#;
        let doc = Html::parse_fragment(html);
        let card = doc
            .select(&Selector::parse("div.card").unwrap())
            .next()
            .unwrap();
        let page = Url::parse(
            "https://careers.example.test/careerscp/client_x/external/results/searchResult.html",
        )
        .unwrap();
        let cases = [
            (field("title", "a.t"), "Licensed B1 Engineer"),
            (
                field("url", "a.t @href"),
                "https://careers.example.test/careerscp/client_x/external/jobDetails/jobDetail.html?jobPostId=4823",
            ),
            (field("external_id", "@data-id"), "42"),
            (field("description", "div.d @html"), "<p>One</p><p>Two</p>"),
            (field("summary", "div.d"), "One Two"),
            (field("posted_date", "span.date"), "2nd Dec 25"),
        ];
        for (f, want) in cases {
            assert_eq!(
                extract_field(&f, card, &page).as_deref(),
                Some(want),
                "{}",
                f.name
            );
        }
    }

    #[test]
    fn table_form_with_regex_all_and_value() {
        let t: toml::Table = toml::from_str(
            r#"
            external_id = { css = "a", attr = "href", regex = "jobPostId=(\\d+)" }
            tags = { css = "li", all = true, join = ", " }
            company = { value = "Cargolux" }
            "#,
        )
        .unwrap();
        let fields = compile_fields("list.fields", &t).unwrap();
        let doc = Html::parse_fragment(
            r#"<div><a href="x?jobPostId=77&l=en">x</a><ul><li>A</li><li>B</li></ul></div>"#,
        );
        let page = Url::parse("https://x.test/").unwrap();
        let rec = extract_record(&fields, doc.root_element(), &page);
        assert_eq!(rec.external_id.as_deref(), Some("77"));
        assert_eq!(rec.company.as_deref(), Some("Cargolux"));
        assert_eq!(rec.extra["tags"], Value::String("A, B".into()));
    }

    #[test]
    fn bad_selectors_and_keys_are_named() {
        let err = compile_field(
            "list.fields.title",
            "title",
            &toml::Value::String("div..x".into()),
        )
        .unwrap_err();
        assert_eq!(err.key, "list.fields.title");
        assert!(err.why.contains("bad CSS selector"), "{}", err.why);
        let t: toml::Table = toml::from_str("title = { css = \"a\", atr = \"href\" }").unwrap();
        let err = compile_fields("list.fields", &t).unwrap_err();
        assert_eq!(err.key, "list.fields.title.atr");
    }

    #[test]
    fn attribute_selectors_with_at_signs_are_not_split() {
        assert_eq!(
            split_attr("a[href^='mailto:x@y']"),
            ("a[href^='mailto:x@y']", None)
        );
        assert_eq!(split_attr("a.t @href"), ("a.t", Some("href")));
        assert_eq!(split_attr("@data-id"), ("", Some("data-id")));
    }
}
