//! `kind = "json"`: a JSON API — URL template, GET or POST with a body template, headers
//! (values may name environment variables, never logged), an items path, field paths, and
//! pagination by page, offset or cursor, stopping on a total, a short/empty page or a
//! missing cursor.
//!
//! ```toml
//! name = "example-api"
//! kind = "json"
//! url = "https://api.example.com/jobs?offset={offset}&limit={limit}"
//! method = "GET"                        # or POST with body = '{"start": {offset}}'
//! items = "data.jobs"                   # path to the array of postings ("" = the root)
//! [headers]
//! user_key = "${EXAMPLE_API_KEY}"       # resolved from the environment; never logged
//! [fields]
//! title = "title"                       # a path into each item …
//! url = "https://jobs.example.com/job/{id}"   # … or a template of paths
//! location = "locations[0].name"
//! [pagination]
//! mode = "offset"                       # page | offset | cursor
//! page_size = 50
//! total = "meta.total"                  # optional stop
//! ```
//! Paths are dot-separated keys with `[n]` indexes; a key applied to an array collects from
//! every element. Template placeholders of the URL and body: `{page}`, `{offset}`,
//! `{limit}`, `{cursor}`. Field templates take paths, optionally with `|dashes` (spaces →
//! `-`) or `|urlencode`.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::future::BoxFuture;
use regex::Regex;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde_json::Value;

use super::fields::{compile_constants, set_field};
use super::html::{DetailConfig, DetailSpec, apply_constants, fetch_details};
pub use super::jsonpath::{JsonPath, Seg, value_text};
use super::template::Template;
use super::{CommonSpec, Engine, RecordSink, SourceCtx, SourceError, resolve_env};
use crate::config::KeyError;
use crate::fetch::FetchRequest;
use crate::model::RawRecord;

/// API pages per source run unless `max_pages` says otherwise.
pub const DEFAULT_MAX_API_PAGES: u32 = 200;
/// Placeholders allowed in `url` and `body`.
const REQUEST_VARS: &[&str] = &["page", "offset", "limit", "cursor"];

/// `kind = "json"` keys.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonConfig {
    /// Request URL template (absolute, or `/path` with `base_url`).
    pub url: String,
    /// `GET` (default) or `POST`.
    pub method: Option<String>,
    /// Request body template (POST).
    pub body: Option<String>,
    /// Content-Type of the body (default `application/json`).
    pub content_type: Option<String>,
    /// Request headers; values may contain `${ENV_VAR}`.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Path to the array of postings in each response ("" = the response itself).
    #[serde(default)]
    pub items: String,
    /// Field name → path, template, or `{ path, value, join, regex }`.
    pub fields: toml::Table,
    /// Pagination.
    pub pagination: Option<JsonPagingConfig>,
    /// Optional HTML detail pages fetched from each record's `url`.
    pub detail: Option<DetailConfig>,
    /// Fields with a fixed value on every record.
    #[serde(default)]
    pub constants: BTreeMap<String, String>,
}

/// `[pagination]` of a JSON source.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonPagingConfig {
    /// `page`, `offset` or `cursor`.
    pub mode: String,
    /// `{page}` of the first request (default 1).
    pub first_page: Option<u32>,
    /// Items per page: `{limit}`, the `{offset}` step, and "a shorter page is the last".
    pub page_size: Option<u32>,
    /// Path of the total item count in a response (stop when reached).
    pub total: Option<String>,
    /// Path of the next cursor in a response (cursor mode; stop when missing or empty).
    pub cursor: Option<String>,
    /// API pages per source run (default 200).
    pub max_pages: Option<u32>,
}

/// How one JSON field is computed.
#[derive(Debug, Clone)]
pub enum JsonFieldKind {
    /// A path.
    Path(JsonPath),
    /// A template of paths.
    Template(Template),
    /// A constant.
    Value(String),
}

/// A compiled JSON field.
#[derive(Debug, Clone)]
pub struct JsonField {
    /// Field name.
    pub name: String,
    /// How it is computed.
    pub kind: JsonFieldKind,
    /// Separator for arrays.
    pub join: String,
    /// Optional regex (capture group 1 or the whole match).
    pub regex: Option<Regex>,
}

fn compile_json_field(key: &str, name: &str, v: &toml::Value) -> Result<JsonField, KeyError> {
    let mut f = JsonField {
        name: name.to_owned(),
        kind: JsonFieldKind::Value(String::new()),
        join: ", ".into(),
        regex: None,
    };
    let path_or_template = |s: &str| -> Result<JsonFieldKind, KeyError> {
        let t = Template::parse(s);
        if t.has_vars() {
            for var in t.vars() {
                let path = var.split('|').next().unwrap_or_default();
                JsonPath::parse(path).map_err(|e| KeyError::new(key, e))?;
                if let Some(filter) = var.split('|').nth(1)
                    && !matches!(filter, "dashes" | "urlencode")
                {
                    return Err(KeyError::new(
                        key,
                        format!("unknown filter |{filter}; use |dashes or |urlencode"),
                    ));
                }
            }
            Ok(JsonFieldKind::Template(t))
        } else {
            Ok(JsonFieldKind::Path(
                JsonPath::parse(s).map_err(|e| KeyError::new(key, e))?,
            ))
        }
    };
    match v {
        toml::Value::String(s) => f.kind = path_or_template(s)?,
        toml::Value::Table(t) => {
            for (k, val) in t {
                let sub = format!("{key}.{k}");
                let s = val.as_str().ok_or_else(|| {
                    KeyError::new(&sub, format!("expected a string, found {}", val.type_str()))
                })?;
                match k.as_str() {
                    "path" => f.kind = path_or_template(s)?,
                    "value" => f.kind = JsonFieldKind::Value(s.to_owned()),
                    "join" => f.join = s.to_owned(),
                    "regex" => {
                        f.regex =
                            Some(Regex::new(s).map_err(|e| {
                                KeyError::new(&sub, format!("bad regex {s:?}: {e}"))
                            })?)
                    }
                    _ => {
                        return Err(KeyError::new(
                            &sub,
                            "unknown key; expected path, value, join or regex",
                        ));
                    }
                }
            }
            if !t.contains_key("path") && !t.contains_key("value") {
                return Err(KeyError::new(key, "needs `path` or `value`"));
            }
        }
        other => {
            return Err(KeyError::new(
                key,
                format!(
                    "expected a path string or a table, found {}",
                    other.type_str()
                ),
            ));
        }
    }
    Ok(f)
}

impl JsonField {
    /// The field's value for one item.
    pub fn eval(&self, item: &Value) -> Option<String> {
        let raw = match &self.kind {
            JsonFieldKind::Value(v) => Some(v.clone()),
            JsonFieldKind::Path(p) => {
                let vals = p.lookup(item);
                let parts: Vec<String> = vals
                    .into_iter()
                    .filter_map(|v| value_text(v, &self.join))
                    .collect();
                (!parts.is_empty()).then(|| parts.join(&self.join))
            }
            JsonFieldKind::Template(t) => t
                .render(
                    |var| {
                        let mut it = var.split('|');
                        let path = JsonPath::parse(it.next()?).ok()?;
                        let v = value_text(path.first(item)?, &self.join)?;
                        Some(match it.next() {
                            Some("dashes") => v.split(' ').collect::<Vec<_>>().join("-"),
                            Some("urlencode") => {
                                url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
                            }
                            _ => v,
                        })
                    },
                    false,
                )
                .ok(),
        }?;
        match &self.regex {
            Some(re) => re
                .captures(&raw)
                .and_then(|c| c.get(1).or_else(|| c.get(0)))
                .map(|m| m.as_str().to_owned()),
            None => Some(raw),
        }
    }
}

/// Pagination mode of a JSON source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonPagingMode {
    /// One request.
    None,
    /// `{page}` counts up.
    Page,
    /// `{offset}` grows by `page_size`.
    Offset,
    /// `{cursor}` comes from the previous response.
    Cursor,
}

/// Compiled `kind = "json"` source.
#[derive(Debug, Clone)]
pub struct JsonEngine {
    common: CommonSpec,
    url: Template,
    method: Method,
    body: Option<Template>,
    content_type: String,
    headers: HeaderMap,
    items: JsonPath,
    fields: Vec<JsonField>,
    mode: JsonPagingMode,
    first_page: u32,
    page_size: Option<u32>,
    total: Option<JsonPath>,
    cursor: Option<JsonPath>,
    max_pages: u32,
    detail: Option<DetailSpec>,
    constants: Vec<(String, String)>,
    /// Why the (disabled) source cannot run: an environment variable is missing.
    missing_env: Option<String>,
}

impl JsonConfig {
    /// Validates into an engine (checks every `${ENV_VAR}` is set).
    pub fn compile(&self, common: &CommonSpec) -> Result<Arc<dyn Engine>, KeyError> {
        Ok(Arc::new(self.compile_engine(common)?))
    }

    /// Validates into a [`JsonEngine`].
    pub fn compile_engine(&self, common: &CommonSpec) -> Result<JsonEngine, KeyError> {
        let url = Template::parse(&self.url);
        url.check_vars(REQUEST_VARS)
            .map_err(|e| KeyError::new("url", e))?;
        let sample = url
            .render(|_| Some("1".into()), false)
            .map_err(|e| KeyError::new("url", e))?;
        common.url("url", &sample)?;
        let method = match self
            .method
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            None | Some("GET") => Method::GET,
            Some("POST") => Method::POST,
            Some(other) => {
                return Err(KeyError::new(
                    "method",
                    format!("{other:?} is not supported; use GET or POST"),
                ));
            }
        };
        let body = self.body.as_deref().map(Template::parse);
        if let Some(b) = &body {
            b.check_vars(REQUEST_VARS)
                .map_err(|e| KeyError::new("body", e))?;
            if method == Method::GET {
                return Err(KeyError::new("body", "a body needs method = \"POST\""));
            }
        }
        let mut headers = HeaderMap::new();
        let mut missing_env: Option<String> = None;
        for (name, value) in &self.headers {
            let key = format!("headers.{name}");
            let hn = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| KeyError::new(&key, format!("{name:?} is not a valid header name")))?;
            let secret = value.contains("${");
            let resolved = match resolve_env(value) {
                Ok(v) => v,
                // A disabled source may be configured before its key is available.
                Err(e) if !common.enabled => {
                    missing_env.get_or_insert_with(|| format!("key `{key}`: {e}"));
                    continue;
                }
                Err(e) => return Err(KeyError::new(&key, e)),
            };
            let mut hv = HeaderValue::from_str(&resolved).map_err(|_| {
                KeyError::new(
                    &key,
                    "value is not a valid header value (control characters?)",
                )
            })?;
            hv.set_sensitive(secret);
            headers.insert(hn, hv);
        }
        let items = JsonPath::parse(&self.items).map_err(|e| KeyError::new("items", e))?;
        let fields: Vec<JsonField> = self
            .fields
            .iter()
            .map(|(name, v)| compile_json_field(&format!("fields.{name}"), name, v))
            .collect::<Result<_, _>>()?;
        let constants = compile_constants("constants", &self.constants)?;
        let has =
            |n: &str| fields.iter().any(|f| f.name == n) || constants.iter().any(|(k, _)| k == n);
        if !has("url") {
            return Err(KeyError::new(
                "fields.url",
                "missing: every posting needs a URL (a path, or a template like \"https://site/job/{id}\")",
            ));
        }
        if !has("title") && self.detail.is_none() {
            return Err(KeyError::new("fields.title", "missing"));
        }
        let (mode, first_page, page_size, total, cursor, max_pages) = match &self.pagination {
            None => (JsonPagingMode::None, 1, None, None, None, 1),
            Some(p) => {
                let mode = match p.mode.as_str() {
                    "page" => JsonPagingMode::Page,
                    "offset" => JsonPagingMode::Offset,
                    "cursor" => JsonPagingMode::Cursor,
                    other => {
                        return Err(KeyError::new(
                            "pagination.mode",
                            format!("{other:?}; expected page, offset or cursor"),
                        ));
                    }
                };
                let uses = |v: &str| {
                    url.vars().any(|x| x == v)
                        || body.as_ref().is_some_and(|b| b.vars().any(|x| x == v))
                };
                let var = match mode {
                    JsonPagingMode::Page => "page",
                    JsonPagingMode::Offset => "offset",
                    _ => "cursor",
                };
                if !uses(var) {
                    return Err(KeyError::new(
                        "pagination.mode",
                        format!(
                            "mode {:?} needs a {{{var}}} placeholder in url or body",
                            p.mode
                        ),
                    ));
                }
                if mode == JsonPagingMode::Offset && p.page_size.is_none() {
                    return Err(KeyError::new(
                        "pagination.page_size",
                        "missing: offset paging needs the page size",
                    ));
                }
                if mode == JsonPagingMode::Cursor && p.cursor.is_none() {
                    return Err(KeyError::new(
                        "pagination.cursor",
                        "missing: path of the next cursor in a response",
                    ));
                }
                let path = |k: &str, s: &Option<String>| {
                    s.as_deref()
                        .map(JsonPath::parse)
                        .transpose()
                        .map_err(|e| KeyError::new(format!("pagination.{k}"), e))
                };
                (
                    mode,
                    p.first_page.unwrap_or(1),
                    p.page_size,
                    path("total", &p.total)?,
                    path("cursor", &p.cursor)?,
                    p.max_pages.unwrap_or(DEFAULT_MAX_API_PAGES).max(1),
                )
            }
        };
        if page_size.is_none() && uses_limit(&url, body.as_ref()) {
            return Err(KeyError::new(
                "pagination.page_size",
                "missing: {limit} is used but no page_size is set",
            ));
        }
        Ok(JsonEngine {
            common: common.clone(),
            url,
            method,
            body,
            content_type: self
                .content_type
                .clone()
                .unwrap_or_else(|| "application/json".into()),
            headers,
            items,
            fields,
            mode,
            first_page,
            page_size,
            total,
            cursor,
            max_pages,
            detail: self
                .detail
                .as_ref()
                .map(|d| DetailSpec::compile("detail", d))
                .transpose()?,
            constants,
            missing_env,
        })
    }
}

fn uses_limit(url: &Template, body: Option<&Template>) -> bool {
    url.vars().any(|v| v == "limit") || body.is_some_and(|b| b.vars().any(|v| v == "limit"))
}

impl JsonEngine {
    /// Records of one parsed response (pure).
    pub fn records(&self, doc: &Value) -> Result<Vec<RawRecord>, String> {
        let items = self.items_of(doc)?;
        Ok(items
            .into_iter()
            .map(|item| {
                let mut rec = RawRecord::default();
                for f in &self.fields {
                    if let Some(v) = f.eval(item) {
                        set_field(&mut rec, &f.name, v);
                    }
                }
                apply_constants(&self.constants, &mut rec);
                rec
            })
            .collect())
    }

    fn items_of<'v>(&self, doc: &'v Value) -> Result<Vec<&'v Value>, String> {
        if self.items.0.is_empty() {
            return Ok(match doc {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            });
        }
        let found = self.items.lookup(doc);
        if found.is_empty() {
            return Err("items path not found in the response".into());
        }
        Ok(found
            .into_iter()
            .flat_map(|v| match v {
                Value::Array(a) => a.iter().collect::<Vec<_>>(),
                Value::Null => Vec::new(),
                other => vec![other],
            })
            .collect())
    }

    fn request(&self, i: u32, cursor: &str) -> Result<FetchRequest, String> {
        let size = self.page_size.unwrap_or(0);
        let vars = |v: &str| match v {
            "page" => Some((self.first_page + i).to_string()),
            "offset" => Some((i * size).to_string()),
            "limit" => Some(size.to_string()),
            "cursor" => Some(cursor.to_owned()),
            _ => None,
        };
        let url = self.common.runtime_url(&self.url.render(vars, true)?)?;
        let mut req = match &self.body {
            Some(b) => FetchRequest::post(url, b.render(vars, false)?, &self.content_type),
            None => FetchRequest::get(url),
        };
        req.method = self.method.clone();
        for (k, v) in &self.headers {
            req.headers.insert(k.clone(), v.clone());
        }
        if !req.headers.contains_key(reqwest::header::ACCEPT) {
            req.headers.insert(
                reqwest::header::ACCEPT,
                HeaderValue::from_static("application/json"),
            );
        }
        Ok(req)
    }
}

impl Engine for JsonEngine {
    fn run<'a>(
        &'a self,
        ctx: &'a SourceCtx,
        sink: &'a mut RecordSink,
    ) -> BoxFuture<'a, Result<(), SourceError>> {
        Box::pin(async move {
            if let Some(why) = &self.missing_env {
                return Err(SourceError::Other(format!("cannot run: {why}")));
            }
            let limit = ctx.page_limit(self.max_pages);
            let mut cursor = String::new();
            let mut seen_items = 0usize;
            for i in 0..limit {
                if ctx.should_stop(sink) {
                    break;
                }
                let mut req = self
                    .request(i, &cursor)
                    .map_err(|e| SourceError::Other(format!("building request {}: {e}", i + 1)))?;
                if i == 0
                    && let Some(u) = &ctx.limits.url_override
                {
                    req.url = u.clone();
                }
                let url = req.url.clone();
                let page = match ctx.fetcher.request(req, &ctx.req).await {
                    Ok(p) => p,
                    Err(e) if i == 0 => return Err(e.into()),
                    Err(e) => {
                        ctx.warn(format!("API page {} failed, stopping: {e}", i + 1));
                        break;
                    }
                };
                let doc: Value = match serde_json::from_str(&page.body) {
                    Ok(d) => d,
                    Err(e) => {
                        let err = SourceError::Parse {
                            url,
                            why: format!("malformed JSON (page {}): {e}", i + 1),
                        };
                        if i == 0 {
                            return Err(err);
                        }
                        ctx.warn(err.to_string());
                        break;
                    }
                };
                let mut records = match self.records(&doc) {
                    Ok(r) => r,
                    Err(why) if i == 0 => {
                        return Err(SourceError::Parse {
                            url,
                            why: format!("{why} (items = {:?})", path_str(&self.items)),
                        });
                    }
                    Err(_) => Vec::new(),
                };
                let n = records.len();
                seen_items += n;
                if let Some(max) = ctx.limits.max_items {
                    records.truncate(max.saturating_sub(sink.found()));
                }
                let records = match &self.detail {
                    Some(d) if !ctx.limits.skip_details => fetch_details(ctx, d, records).await,
                    _ => records,
                };
                for r in records {
                    sink.emit(r).await?;
                }
                let next_cursor = self
                    .cursor
                    .as_ref()
                    .and_then(|c| c.first(&doc))
                    .and_then(|v| value_text(v, ""));
                let total = self
                    .total
                    .as_ref()
                    .and_then(|t| t.first(&doc))
                    .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()));
                let stop = n == 0
                    || self.mode == JsonPagingMode::None
                    || total.is_some_and(|t| seen_items as u64 >= t)
                    || self.page_size.is_some_and(|s| n < s as usize)
                    || (self.mode == JsonPagingMode::Cursor
                        && next_cursor.as_deref().is_none_or(|c| c == cursor));
                if stop {
                    break;
                }
                if let Some(c) = next_cursor {
                    cursor = c;
                }
            }
            Ok(())
        })
    }
}

fn path_str(p: &JsonPath) -> String {
    let mut s = String::new();
    for seg in &p.0 {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_from_paths_templates_and_values() {
        let t: toml::Table = toml::from_str(
            r#"
            title = "jobReqLocale.results[0].externalTitle"
            url = "https://www.example.test/careers/job-details/{jobReqLocale.results[0].externalTitle|dashes}/{jobReqId}.html"
            external_id = "jobReqId"
            posted_date = "jobReqPostings.results[0].postStartDate"
            tags = { path = "tags", join = "; " }
            id_digits = { path = "ref", regex = "(\\d+)" }
            "#,
        )
        .unwrap();
        let fields: Vec<JsonField> = t
            .iter()
            .map(|(k, v)| compile_json_field(k, k, v).unwrap())
            .collect();
        let item = json!({"jobReqId": 8529, "ref": "REQ-00042",
            "jobReqLocale": {"results": [{"externalTitle": "Consultant - Customer Experience"}]},
            "jobReqPostings": {"results": [{"postStartDate": "/Date(1764633600000)/"}]},
            "tags": ["a", "b"]});
        let get = |n: &str| fields.iter().find(|f| f.name == n).unwrap().eval(&item);
        assert_eq!(
            get("title").as_deref(),
            Some("Consultant - Customer Experience")
        );
        assert_eq!(
            get("url").as_deref(),
            Some(
                "https://www.example.test/careers/job-details/Consultant---Customer-Experience/8529.html"
            )
        );
        assert_eq!(get("external_id").as_deref(), Some("8529"));
        assert_eq!(get("posted_date").as_deref(), Some("/Date(1764633600000)/"));
        assert_eq!(get("tags").as_deref(), Some("a; b"));
        assert_eq!(get("id_digits").as_deref(), Some("00042"));
    }
}
