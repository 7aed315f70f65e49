//! A loopback mock of every ATS API, serving our own fixture payloads (tests/fixtures/ats)
//! with the vendors' paging and quirks. Used by the integration tests and by `aeroscrap demo`.
//!
//! Each preset lives under its own prefix, so a source points at it with
//! `base_url = "http://127.0.0.1:PORT/<prefix>"`:
//!
//! | prefix | board that exists | behaviour reproduced |
//! |---|---|---|
//! | `/greenhouse` | board `skyward` | whole board at once; pay only per job; 404 for other boards |
//! | `/lever` | site `northwind` | skip/limit over a bare array; `{"ok":false}` 404 otherwise |
//! | `/workday` | tenant `contoso`, site `External` | POST paging, 400 if limit > 20, total on page 1 only, 422 otherwise |
//! | `/smartrecruiters` | company `BlueJetHandling` | offset/limit ≤ 100 with totalFound; detail per posting |
//! | `/ashby` | board `vertiport` (`empty-board` is empty) | one unlisted job; 404 otherwise |
//! | `/personio/<sub>` | `alpenflug` (`quiet` has an empty feed) | XML feed; 404 HTML otherwise |
//! | `/recruitee/<sub>` | `baltic-mro` | one draft offer; 404 otherwise |
//! | `/successfactors` | company `NordicAir` | XML feed with facets in varying fields |
//! | `/rmk` | — | RMK search pages (3 rows each, `startrow=`) and job pages |
//! | `/oracle` | site `CX_1` | finder offset/limit; 400 for other sites; details for two ids |

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const GH_JOBS: &str = include_str!("../../../tests/fixtures/ats/greenhouse/jobs.json");
const GH_JOB_1: &str = include_str!("../../../tests/fixtures/ats/greenhouse/job_4011001.json");
const GH_JOB_2: &str = include_str!("../../../tests/fixtures/ats/greenhouse/job_4011002.json");
const GH_JOB_3: &str = include_str!("../../../tests/fixtures/ats/greenhouse/job_4011003.json");
const LEVER: &str = include_str!("../../../tests/fixtures/ats/lever/postings.json");
const WD_JOBS: &str = include_str!("../../../tests/fixtures/ats/workday/jobs.json");
const WD_DETAILS: &str = include_str!("../../../tests/fixtures/ats/workday/details.json");
const SR_POSTINGS: &str = include_str!("../../../tests/fixtures/ats/smartrecruiters/postings.json");
const SR_DETAILS: &str = include_str!("../../../tests/fixtures/ats/smartrecruiters/details.json");
const ASHBY: &str = include_str!("../../../tests/fixtures/ats/ashby/board.json");
const PERSONIO: &str = include_str!("../../../tests/fixtures/ats/personio/feed.xml");
const PERSONIO_EMPTY: &str = include_str!("../../../tests/fixtures/ats/personio/empty.xml");
const RECRUITEE: &str = include_str!("../../../tests/fixtures/ats/recruitee/offers.json");
const SF_FEED: &str = include_str!("../../../tests/fixtures/ats/successfactors/feed.xml");
const RMK_JOBS: &str = include_str!("../../../tests/fixtures/ats/successfactors/rmk_jobs.json");
const ORACLE: &str = include_str!("../../../tests/fixtures/ats/oracle/requisitions.json");
const ORACLE_DETAILS: &str = include_str!("../../../tests/fixtures/ats/oracle/details.json");

/// Rows per page on the mock RMK search (real sites show 25).
pub const RMK_PAGE_ROWS: usize = 3;

/// The mock's router plus a log of every request it answered (`METHOD path?query`).
#[derive(Clone, Default)]
pub struct MockAts {
    log: Arc<Mutex<Vec<String>>>,
}

impl MockAts {
    /// A fresh mock with an empty request log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every request answered so far, as `METHOD /path?query` (POST bodies appended after ` `).
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The axum router serving all presets.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/greenhouse/v1/boards/{board}/jobs", get(greenhouse_jobs))
            .route(
                "/greenhouse/v1/boards/{board}/jobs/{id}",
                get(greenhouse_job),
            )
            .route("/lever/v0/postings/{site}", get(lever))
            .route("/workday/wday/cxs/{tenant}/{site}/jobs", post(workday_jobs))
            .route(
                "/workday/wday/cxs/{tenant}/{site}/job/{*rest}",
                get(workday_job),
            )
            .route(
                "/smartrecruiters/v1/companies/{company}/postings",
                get(sr_list),
            )
            .route(
                "/smartrecruiters/v1/companies/{company}/postings/{id}",
                get(sr_detail),
            )
            .route("/ashby/posting-api/job-board/{board}", get(ashby))
            .route("/personio/{sub}/xml", get(personio))
            .route("/recruitee/{sub}/api/offers/", get(recruitee))
            .route("/successfactors/career", get(successfactors))
            .route("/rmk/search/", get(rmk_search))
            .route("/rmk/{*path}", get(rmk_job))
            .route(
                "/oracle/hcmRestApi/resources/latest/recruitingCEJobRequisitions",
                get(oracle),
            )
            .route(
                "/oracle/hcmRestApi/resources/latest/recruitingCEJobRequisitionDetails",
                get(oracle_details),
            )
            .layer(middleware::from_fn_with_state(
                self.log.clone(),
                log_request,
            ))
    }

    /// Serves the mock on `listener` until the task is dropped.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        axum::serve(listener, self.router()).await
    }
}

async fn log_request(
    State(log): State<Arc<Mutex<Vec<String>>>>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let mut line = format!("{} {}", parts.method, parts.uri);
    if !bytes.is_empty() {
        line.push(' ');
        line.push_str(&String::from_utf8_lossy(&bytes));
    }
    if let Ok(mut l) = log.lock() {
        l.push(line);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

type Params = Query<HashMap<String, String>>;

fn json_body(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.into(),
    )
        .into_response()
}

fn ok_json(v: &Value) -> Response {
    json_body(StatusCode::OK, v.to_string())
}

fn fixture(raw: &str) -> Value {
    serde_json::from_str(raw).expect("embedded ATS fixture is valid JSON")
}

fn param(q: &HashMap<String, String>, key: &str, default: usize) -> usize {
    q.get(key).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn slice(all: &[Value], offset: usize, limit: usize) -> Vec<Value> {
    all.iter().skip(offset).take(limit).cloned().collect()
}

async fn greenhouse_jobs(Path(board): Path<String>) -> Response {
    if board != "skyward" {
        return json_body(
            StatusCode::NOT_FOUND,
            r#"{"status":404,"error":"Job board not found"}"#,
        );
    }
    json_body(StatusCode::OK, GH_JOBS)
}

async fn greenhouse_job(Path((board, id)): Path<(String, String)>) -> Response {
    match (board.as_str(), id.as_str()) {
        ("skyward", "4011001") => json_body(StatusCode::OK, GH_JOB_1),
        ("skyward", "4011002") => json_body(StatusCode::OK, GH_JOB_2),
        ("skyward", "4011003") => json_body(StatusCode::OK, GH_JOB_3),
        _ => json_body(
            StatusCode::NOT_FOUND,
            r#"{"status":404,"error":"Job not found"}"#,
        ),
    }
}

async fn lever(Path(site): Path<String>, Query(q): Params) -> Response {
    if site != "northwind" {
        return json_body(
            StatusCode::NOT_FOUND,
            r#"{"ok":false,"error":"Document not found"}"#,
        );
    }
    let all = fixture(LEVER);
    let all = all.as_array().cloned().unwrap_or_default();
    let page = slice(&all, param(&q, "skip", 0), param(&q, "limit", 100));
    ok_json(&Value::Array(page))
}

async fn workday_jobs(Path((tenant, site)): Path<(String, String)>, body: String) -> Response {
    if (tenant.as_str(), site.as_str()) != ("contoso", "External") {
        return json_body(
            StatusCode::UNPROCESSABLE_ENTITY,
            r#"{"errorCode":"HTTP_422","httpStatus":422,"message":"Invalid site"}"#,
        );
    }
    let req: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let limit = req.get("limit").and_then(Value::as_u64).unwrap_or(20) as usize;
    let offset = req.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
    if limit > 20 {
        return json_body(
            StatusCode::BAD_REQUEST,
            r#"{"errorCode":"HTTP_400","httpStatus":400}"#,
        );
    }
    let mut v = fixture(WD_JOBS);
    let all = v["jobPostings"].as_array().cloned().unwrap_or_default();
    // Workday only tells the total on the first page.
    v["total"] = json!(if offset == 0 { all.len() } else { 0 });
    v["jobPostings"] = Value::Array(slice(&all, offset, limit));
    ok_json(&v)
}

async fn workday_job(Path((_t, _s, rest)): Path<(String, String, String)>) -> Response {
    let details = fixture(WD_DETAILS);
    match details.get(format!("/job/{rest}")) {
        Some(d) => ok_json(d),
        None => json_body(StatusCode::NOT_FOUND, r#"{"errorCode":"HTTP_404"}"#),
    }
}

async fn sr_list(Path(company): Path<String>, Query(q): Params) -> Response {
    if company != "BlueJetHandling" {
        return json_body(
            StatusCode::NOT_FOUND,
            r#"{"code":"COMPANY_NOT_FOUND","message":"Company not found"}"#,
        );
    }
    let limit = param(&q, "limit", 10);
    if limit > 100 {
        return json_body(
            StatusCode::BAD_REQUEST,
            r#"{"message":"limit must be <= 100"}"#,
        );
    }
    let offset = param(&q, "offset", 0);
    let all = fixture(SR_POSTINGS)["content"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    ok_json(&json!({
        "offset": offset, "limit": limit, "totalFound": all.len(),
        "content": slice(&all, offset, limit),
    }))
}

async fn sr_detail(Path((company, id)): Path<(String, String)>) -> Response {
    let details = fixture(SR_DETAILS);
    match details.get(&id).filter(|_| company == "BlueJetHandling") {
        Some(d) => ok_json(d),
        None => json_body(StatusCode::NOT_FOUND, r#"{"message":"Posting not found"}"#),
    }
}

async fn ashby(Path(board): Path<String>) -> Response {
    match board.as_str() {
        "vertiport" => json_body(StatusCode::OK, ASHBY),
        "empty-board" => json_body(StatusCode::OK, r#"{"apiVersion":"1","jobs":[]}"#),
        _ => json_body(
            StatusCode::NOT_FOUND,
            r#"{"success":false,"error":"Job board not found"}"#,
        ),
    }
}

fn xml(body: &'static str) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn personio(Path(sub): Path<String>) -> Response {
    match sub.as_str() {
        "alpenflug" => xml(PERSONIO),
        "quiet" => xml(PERSONIO_EMPTY),
        _ => html(
            StatusCode::NOT_FOUND,
            "<!DOCTYPE html><html><body>Page not found</body></html>".into(),
        ),
    }
}

async fn recruitee(Path(sub): Path<String>) -> Response {
    if sub != "baltic-mro" {
        return json_body(StatusCode::NOT_FOUND, r#"{"error":"Not found"}"#);
    }
    json_body(StatusCode::OK, RECRUITEE)
}

async fn successfactors(Query(q): Params) -> Response {
    let company = q.get("company").map(String::as_str);
    let ns = q.get("career_ns").map(String::as_str);
    match (company, ns) {
        (Some("NordicAir"), Some("job_listing_summary")) => xml(SF_FEED),
        _ => html(
            StatusCode::NOT_FOUND,
            "<!DOCTYPE html><html><body>Invalid company</body></html>".into(),
        ),
    }
}

async fn rmk_search(Query(q): Params) -> Response {
    let jobs = fixture(RMK_JOBS).as_array().cloned().unwrap_or_default();
    let start = param(&q, "startrow", 0);
    let page = slice(&jobs, start, RMK_PAGE_ROWS);
    let mut rows = String::new();
    for j in &page {
        let field = |k: &str| j[k].as_str().unwrap_or_default().to_string();
        let href = format!("/rmk{}", field("path"));
        rows.push_str(&format!(
            r#"<tr class="data-row">
  <td class="colTitle" headers="hdrTitle"><span class="jobTitle hidden-phone"><a href="{href}" class="jobTitle-link">{title}</a></span>
    <div class="jobdetail-phone visible-phone"><span class="jobTitle visible-phone"><a class="jobTitle-link" href="{href}">{title}</a></span>
    <span class="jobLocation visible-phone">{loc}</span><span class="jobDate visible-phone">{date}</span></div></td>
  <td class="colLocation hidden-phone" headers="hdrLocation"><span class="jobLocation">{loc}</span></td>
  <td class="colDepartment hidden-phone" headers="hdrDepartment"><span class="jobDepartment">{dep}</span></td>
  <td class="colDate hidden-phone nowrap" headers="hdrDate"><span class="jobDate">{date}</span></td>
</tr>
"#,
            title = field("title"),
            loc = field("location"),
            date = field("date"),
            dep = field("department"),
        ));
    }
    let shown = if page.is_empty() {
        "0".to_string()
    } else {
        format!("{} – {}", start + 1, start + page.len())
    };
    html(
        StatusCode::OK,
        format!(
            r#"<!DOCTYPE html><html><head><title>Search Jobs | Example Air Careers</title></head><body>
<div class="pagination-top"><span class="paginationLabel" aria-label="Results {shown}">Results <b>{shown}</b> of <b>{total}</b></span></div>
<table id="searchresults" class="searchResults full table table-striped table-hover" cellpadding="0" cellspacing="0">
<thead><tr id="search-results-header"><th id="hdrTitle">Title</th><th id="hdrLocation">Location</th><th id="hdrDepartment">Department</th><th id="hdrDate">Date</th></tr></thead>
<tbody>
{rows}</tbody></table></body></html>"#,
            total = jobs.len(),
        ),
    )
}

async fn rmk_job(Path(path): Path<String>) -> Response {
    let jobs = fixture(RMK_JOBS).as_array().cloned().unwrap_or_default();
    let wanted = format!("/{path}");
    let Some(j) = jobs
        .iter()
        .find(|j| j["path"].as_str() == Some(wanted.as_str()))
    else {
        return html(
            StatusCode::NOT_FOUND,
            "<html><body>Job not found</body></html>".into(),
        );
    };
    let field = |k: &str| j[k].as_str().unwrap_or_default().to_string();
    let json_ld = match j.get("json_ld") {
        Some(ld) => format!(r#"<script type="application/ld+json">{ld}</script>"#),
        None => String::new(),
    };
    html(
        StatusCode::OK,
        format!(
            r#"<!DOCTYPE html><html><head><title>{title} Job Details | Example Air Careers</title>{json_ld}</head><body>
<div class="jobDisplayShell"><div class="job">
<h1><span itemprop="title" data-careersite-propertyid="title">{title}</span></h1>
<p><strong>Date:</strong> <span data-careersite-propertyid="date">{date}</span></p>
<p><strong>Location:</strong> <span data-careersite-propertyid="location">{loc}</span></p>
<p><strong>Department:</strong> <span data-careersite-propertyid="department">{dep}</span></p>
<p><strong>Req ID:</strong> {req}</p>
<span class="jobdescription">{desc}</span>
</div></div></body></html>"#,
            title = field("title"),
            date = field("date"),
            loc = field("location"),
            dep = field("department"),
            req = field("req_id"),
            desc = field("description"),
        ),
    )
}

async fn oracle_details(Query(q): Query<HashMap<String, String>>) -> Response {
    let finder = finder_params(q.get("finder").map(String::as_str).unwrap_or_default());
    let id = finder
        .get("Id")
        .map(|i| i.trim_matches('"'))
        .unwrap_or_default();
    // Oracle answers an unknown id with an empty `items` list, not a 404.
    let items: Vec<Value> = fixture(ORACLE_DETAILS)
        .get(id)
        .cloned()
        .into_iter()
        .collect();
    ok_json(&json!({ "items": items, "count": items.len(), "hasMore": false }))
}

/// `findReqs;siteNumber=CX_1,limit=25,offset=0,…` → its `key=value` pairs.
fn finder_params(finder: &str) -> HashMap<String, String> {
    finder
        .split_once(';')
        .map(|(_, rest)| rest)
        .unwrap_or_default()
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn oracle(Query(q): Params) -> Response {
    let finder = finder_params(q.get("finder").map(String::as_str).unwrap_or_default());
    if finder.get("siteNumber").map(String::as_str) != Some("CX_1") {
        return json_body(
            StatusCode::BAD_REQUEST,
            r#"{"title":"Bad Request","status":"400","detail":"The site number is not valid."}"#,
        );
    }
    let limit = param(&finder, "limit", 25);
    let offset = param(&finder, "offset", 0);
    let all = fixture(ORACLE)["requisitionList"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    ok_json(&json!({
        "items": [ { "SearchId": 1, "Keyword": null, "requisitionList": slice(&all, offset, limit) } ],
        "count": 1, "hasMore": false, "limit": 25, "offset": 0,
    }))
}
