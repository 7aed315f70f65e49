//! JavaScript-rendered fixture sites on 127.0.0.1, for the browser tests, the benchmark and
//! `aeroscrap demo`. Every page here is empty until its script ran.
//!
//! | path                                   | what the script does                            |
//! |----------------------------------------|-------------------------------------------------|
//! | `/careers/job-search.html`             | renders 10 cards 400 ms after load (IndiGo-like) |
//! | `/careers/job-details/<Title>/<id>.html` | detail page; description added by script, JSON-LD in the head |
//! | `/board/cookie.html`                   | 6 jobs, only after the cookie banner is accepted |
//! | `/board/load-more.html`                | 5 jobs, then 5 more per "Load more" click (14)   |
//! | `/board/infinite.html`                 | 6 jobs, 6 more each time the bottom is reached (20) |
//! | `/board/paged.html`                    | 4 jobs per page behind a JavaScript "Next" button (11) |
//! | `/board/job/<id>`                      | the same detail page for the board's jobs        |
//! | `/blocked.html`                        | a bot-manager failover page ("Something went wrong") |
//! | `/private/…`                           | disallowed by robots.txt (served anyway, to prove it is never asked for) |
//!
//! Requests for `/static/…` (images, fonts) are counted so tests can prove they were blocked.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

const JOB_SEARCH: &str = include_str!("../../../tests/fixtures/browser/job-search.html");
const COOKIE: &str = include_str!("../../../tests/fixtures/browser/cookie.html");
const LOAD_MORE: &str = include_str!("../../../tests/fixtures/browser/load-more.html");
const INFINITE: &str = include_str!("../../../tests/fixtures/browser/infinite.html");
const PAGED: &str = include_str!("../../../tests/fixtures/browser/paged.html");
const DETAIL: &str = include_str!("../../../tests/fixtures/browser/detail.html");
const BLOCKED: &str = include_str!("../../../tests/fixtures/browser/blocked.html");

const TITLES: [&str; 12] = [
    "Captain A320",
    "First Officer B737",
    "Senior Manager - Internal Audit",
    "Assisting Engineer / Technician",
    "B1 Licensed Engineer ATR72",
    "Cabin Crew",
    "Flight Dispatcher",
    "Ground Operations Agent",
    "CAMO Technical Records Officer",
    "Type Rated Instructor A320",
    "Line Maintenance Mechanic",
    "Station Manager",
];
const LOCATIONS: [&str; 6] = [
    "Delhi",
    "Mumbai",
    "Gurgaon",
    "Bengaluru",
    "Hyderabad",
    "Pan-India",
];
const DEPARTMENTS: [&str; 4] = [
    "Flight Operations",
    "Engineering",
    "In-flight Services",
    "Airports",
];

/// The job sets the pages show: (name, first id, number of jobs).
pub const JOB_SETS: [(&str, u32, u32); 5] = [
    ("search", 9000, 10),
    ("cookie", 9100, 6),
    ("more", 9200, 14),
    ("scroll", 9300, 20),
    ("paged", 9400, 11),
];

/// One fixture job, as the API serves it and as the tests expect it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixtureJob {
    /// The site's id.
    pub id: u32,
    /// Job title.
    pub title: String,
    /// Location.
    pub location: String,
    /// Posting date, `YYYY-MM-DD`.
    pub posted: String,
    /// Department (shown on the detail page only).
    pub department: String,
}

fn job(id: u32) -> FixtureJob {
    let n = id as usize;
    FixtureJob {
        id,
        title: TITLES[n % TITLES.len()].to_string(),
        location: LOCATIONS[n % LOCATIONS.len()].to_string(),
        posted: format!("2026-11-{:02}", 20 - (n % 19)),
        department: DEPARTMENTS[n % DEPARTMENTS.len()].to_string(),
    }
}

/// Every job of a set (see [`JOB_SETS`]); empty for an unknown set.
pub fn jobs(set: &str) -> Vec<FixtureJob> {
    JOB_SETS
        .iter()
        .find(|(name, _, _)| *name == set)
        .map(|&(_, first, count)| (first..first + count).map(job).collect())
        .unwrap_or_default()
}

/// Request counters of a running fixture site.
#[derive(Debug, Default)]
pub struct FixtureStats {
    /// Requests for `/static/…` (images, fonts): should stay 0 when blocking works.
    pub static_hits: AtomicU64,
    /// HTML page requests.
    pub page_hits: AtomicU64,
    /// API requests.
    pub api_hits: AtomicU64,
}

/// A fixture site served in the background until dropped.
#[derive(Debug)]
pub struct FixtureSite {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its request counters.
    pub stats: Arc<FixtureStats>,
    task: tokio::task::JoinHandle<()>,
}

impl FixtureSite {
    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for FixtureSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves the fixture site on an ephemeral port of 127.0.0.1.
pub async fn serve() -> std::io::Result<FixtureSite> {
    let stats = Arc::new(FixtureStats::default());
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let app = router(stats.clone());
    let task = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::warn!(error = %err, "browser fixture server stopped");
        }
    });
    Ok(FixtureSite { addr, stats, task })
}

/// The fixture site for `aeroscrap demo` (counters discarded).
pub fn demo_router() -> Router {
    router(Arc::new(FixtureStats::default()))
}

/// The demo's browser source for the fixture site served at `base` (`http://127.0.0.1:PORT`):
/// the delayed IndiGo-like listing, and detail pages rendered for their department and
/// description, with JSON-LD filling the rest.
pub fn demo_config(base: &str) -> String {
    format!(
        r#"# Demo: a careers page that renders its jobs with JavaScript (headless Chromium).
name = "demo-browser"
kind = "browser"
base_url = "{base}"
company = "SkyFixture Airlines"
start_urls = ["/careers/job-search.html"]
delay_ms = 50
max_concurrency = 4

[wait]
selector = "div.search-result__job-cards--card"
timeout = "15s"

[list]
item = "div.search-result__job-cards--card"

[list.fields]
title = "a.card-head--title"
url = "a.card-head--title @href"
external_id = {{ css = "a.card-head--title", attr = "href", regex = '/(\d+)\.html$' }}
posted_date = "span.date-text"
location = "span.location-text > span"
apply_url = "a.apply-now-link @href"

[detail]
via = "browser"
wait = {{ selector = ".job-detail__description" }}

[detail.fields]
department = ".job-detail__department"
description = ".job-detail__description @html"
"#
    )
}

/// The fixture site's routes (for embedding into another server, e.g. the demo's).
pub fn router(stats: Arc<FixtureStats>) -> Router {
    Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private/\n" }),
        )
        .route("/private/{*rest}", get(|s| page(s, JOB_SEARCH)))
        .route("/careers/job-search.html", get(|s| page(s, JOB_SEARCH)))
        .route("/board/cookie.html", get(|s| page(s, COOKIE)))
        .route("/board/load-more.html", get(|s| page(s, LOAD_MORE)))
        .route("/board/infinite.html", get(|s| page(s, INFINITE)))
        .route("/board/paged.html", get(|s| page(s, PAGED)))
        .route("/blocked.html", get(|s| page(s, BLOCKED)))
        .route("/careers/job-details/{*rest}", get(career_detail))
        .route("/board/job/{id}", get(board_detail))
        .route("/api/jobs", get(api_jobs))
        .route("/static/{*file}", get(static_file))
        .route("/akamfailoverpage/{*file}", get(static_file))
        .with_state(stats)
}

async fn page(State(stats): State<Arc<FixtureStats>>, body: &'static str) -> Html<&'static str> {
    stats.page_hits.fetch_add(1, Ordering::Relaxed);
    Html(body)
}

async fn static_file(State(stats): State<Arc<FixtureStats>>) -> Response {
    stats.static_hits.fetch_add(1, Ordering::Relaxed);
    (
        [(header::CONTENT_TYPE, "application/octet-stream")],
        vec![0u8; 64],
    )
        .into_response()
}

#[derive(Deserialize)]
struct JobsQuery {
    set: String,
    from: usize,
    count: usize,
    delay_ms: Option<u64>,
}

async fn api_jobs(State(stats): State<Arc<FixtureStats>>, Query(q): Query<JobsQuery>) -> Response {
    stats.api_hits.fetch_add(1, Ordering::Relaxed);
    if let Some(ms) = q.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms.min(5_000))).await;
    }
    let page: Vec<FixtureJob> = jobs(&q.set)
        .into_iter()
        .skip(q.from)
        .take(q.count)
        .collect();
    axum::Json(page).into_response()
}

async fn career_detail(
    State(stats): State<Arc<FixtureStats>>,
    Path(rest): Path<String>,
) -> Response {
    let id = rest
        .rsplit('/')
        .next()
        .and_then(|last| last.strip_suffix(".html"))
        .and_then(|id| id.parse().ok());
    detail(&stats, id)
}

async fn board_detail(State(stats): State<Arc<FixtureStats>>, Path(id): Path<String>) -> Response {
    detail(&stats, id.parse().ok())
}

fn detail(stats: &FixtureStats, id: Option<u32>) -> Response {
    stats.page_hits.fetch_add(1, Ordering::Relaxed);
    let known = JOB_SETS
        .iter()
        .any(|&(_, first, count)| id.is_some_and(|i| (first..first + count).contains(&i)));
    let Some(id) = id.filter(|_| known) else {
        return (StatusCode::NOT_FOUND, Html("<h1>Not found</h1>")).into_response();
    };
    let j = job(id);
    let jsonld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": j.title,
        "identifier": {"@type": "PropertyValue", "value": j.id.to_string()},
        "datePosted": j.posted,
        "employmentType": "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": "SkyFixture Airlines"},
        "jobLocation": {"@type": "Place", "address": {
            "@type": "PostalAddress", "addressLocality": j.location, "addressCountry": "IN"}},
    });
    let html = DETAIL
        .replace("{{JSONLD}}", &jsonld.to_string())
        .replace("{{ID}}", &j.id.to_string())
        .replace("{{TITLE}}", &j.title)
        .replace("{{LOCATION}}", &j.location)
        .replace("{{DEPARTMENT}}", &j.department);
    Html(html).into_response()
}
