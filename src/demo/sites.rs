//! The demo's fixture sites and the source configs pointing at them.
//!
//! Each [`DemoSite`] is a router (served on its own 127.0.0.1 port, so politeness treats it as
//! its own host) plus the TOML of the source that scrapes it. To add a demo source (an ATS
//! mock, a JS-rendered page), add a `DemoSite` to [`sites`].

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::get;
use chrono::{Duration, Utc};
use serde_json::json;

use super::data::{API, BOARD, CAREERS, DemoJob, slug};

/// One fixture site of the demo and its source config.
#[derive(Debug, Clone, Copy)]
pub struct DemoSite {
    /// Source name (also the config file name).
    pub name: &'static str,
    /// Builds the site.
    pub router: fn() -> Router,
    /// The source config for the site served at `base` (`http://127.0.0.1:PORT`).
    pub config: fn(base: &str) -> String,
    /// `Some(reason)` when the source cannot run here (it is reported as skipped).
    pub unavailable: fn() -> Option<String>,
}

fn always_available() -> Option<String> {
    None
}

/// Every demo site.
pub fn sites() -> Vec<DemoSite> {
    let mut sites = vec![
        DemoSite {
            name: "demo-board",
            router: board_router,
            config: board_config,
            unavailable: always_available,
        },
        DemoSite {
            name: "demo-api",
            router: api_router,
            config: api_config,
            unavailable: always_available,
        },
        DemoSite {
            name: "demo-careers",
            router: careers_router,
            config: careers_config,
            unavailable: always_available,
        },
        #[cfg(feature = "browser")]
        DemoSite {
            name: "demo-browser",
            router: crate::sources::browser::fixture::demo_router,
            config: crate::sources::browser::fixture::demo_config,
            unavailable: crate::sources::browser::chromium_unavailable,
        },
    ];
    sites.extend(crate::sources::ats::demo::sites());
    sites
}

const BOARD_LIST: &str = include_str!("pages/board_list.html");
const BOARD_CARD: &str = include_str!("pages/board_card.html");
const BOARD_DETAIL: &str = include_str!("pages/board_detail.html");
const CAREERS_LIST: &str = include_str!("pages/careers_list.html");
const CAREERS_DETAIL: &str = include_str!("pages/careers_detail.html");

/// Postings per page on the demo job board.
const BOARD_PAGE_SIZE: usize = 10;
/// Robots rules every demo site serves.
const ROBOTS: &str = "User-agent: *\nDisallow: /admin/\n";

fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    let mut s = template.to_owned();
    for (k, v) in pairs {
        s = s.replace(&format!("{{{{{k}}}}}"), &html_escape::encode_text(v));
    }
    s
}

fn job_pairs(j: &DemoJob) -> Vec<(&'static str, String)> {
    vec![
        ("ID", j.id.to_string()),
        ("TITLE", j.title.to_owned()),
        ("SLUG", slug(j.title)),
        ("CATEGORY_SLUG", j.category.to_owned()),
        ("COMPANY", j.company.to_owned()),
        ("LOCATION", j.location.to_owned()),
        ("CONTRACT", j.contract.to_owned()),
        ("SALARY", j.salary.to_owned()),
        ("AGE_NUM", j.age_days.to_string()),
        ("DESCRIPTION", j.description.to_owned()),
    ]
}

fn posted(j: &DemoJob) -> String {
    (Utc::now() - Duration::days(i64::from(j.age_days)))
        .date_naive()
        .to_string()
}

async fn robots() -> &'static str {
    ROBOTS
}

fn board_router() -> Router {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/en-GB/jobs", get(board_list))
        .route("/en-GB/jobs/{category}/{slug_id}", get(board_detail))
}

async fn board_list(Query(q): Query<HashMap<String, String>>) -> Response {
    let page: usize = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let pages = BOARD.len().div_ceil(BOARD_PAGE_SIZE);
    let cards: String = BOARD
        .iter()
        .skip((page - 1) * BOARD_PAGE_SIZE)
        .take(BOARD_PAGE_SIZE)
        .map(|j| fill(BOARD_CARD, &job_pairs(j)))
        .collect();
    let mut pager = String::new();
    for p in 1..=pages {
        pager.push_str(&format!(
            "      <li{}><a href=\"?page={p}\">{p}</a></li>\n",
            if p == page { " class=\"active\"" } else { "" }
        ));
    }
    if page < pages {
        pager.push_str(&format!(
            "      <li class=\"next\"><a href=\"?page={}\">Next</a></li>\n",
            page + 1
        ));
    }
    let html = fill(BOARD_LIST, &[("TOTAL", BOARD.len().to_string())])
        .replace("{{CARDS}}", &cards)
        .replace("{{PAGER}}", &pager);
    Html(html).into_response()
}

async fn board_detail(Path((_category, slug_id)): Path<(String, String)>) -> Response {
    let id: Option<u32> = slug_id.rsplit('-').next().and_then(|s| s.parse().ok());
    match BOARD.iter().find(|j| Some(j.id) == id) {
        Some(j) => Html(fill(BOARD_DETAIL, &job_pairs(j))).into_response(),
        None => (StatusCode::NOT_FOUND, "no such job").into_response(),
    }
}

fn board_config(base: &str) -> String {
    format!(
        r#"# Demo: an aggregator job board (server-rendered HTML, 3 listing pages, detail pages).
name = "demo-board"
kind = "html"
base_url = "{base}"
start_urls = ["/en-GB/jobs"]
delay_ms = 100

[list]
item = "div.job-card"

[list.fields]
title = "a.job-card__title"
url = "a.job-card__title @href"
external_id = "@data-job-id"
company = ".job-card__advertiser"
location = ".job-card__location"
employment_type = ".job-card__contract"
salary = ".job-card__salary"
posted_date = ".job-card__age"

[pagination]
next = "li.next a"
max_pages = 10

[detail.fields]
description = "div.job-description @html"
"#
    )
}

fn api_router() -> Router {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/api/v1/positions", get(api_positions))
}

async fn api_positions(Query(q): Query<HashMap<String, String>>) -> Response {
    let num = |k: &str, d: usize| q.get(k).and_then(|v| v.parse().ok()).unwrap_or(d);
    let (offset, limit) = (num("offset", 0), num("limit", 5).min(50));
    let items: Vec<_> = API
        .iter()
        .skip(offset)
        .take(limit)
        .map(|j| {
            json!({
                "id": j.id,
                "title": j.title,
                "organisation": {"name": j.company},
                "location": {"label": j.location},
                "contract": j.contract,
                "salary": (!j.salary.is_empty()).then_some(j.salary),
                "publishedAt": posted(j),
                "summary": j.description,
            })
        })
        .collect();
    Json(json!({"total": API.len(), "offset": offset, "positions": items})).into_response()
}

fn api_config(base: &str) -> String {
    format!(
        r#"# Demo: an MRO's JSON career API, paged by offset with a total.
name = "demo-api"
kind = "json"
base_url = "{base}"
url = "/api/v1/positions?offset={{offset}}&limit={{limit}}"
items = "positions"
delay_ms = 100

[fields]
title = "title"
url = "https://careers.nordic-mro.example/positions/{{id}}"
external_id = "id"
company = "organisation.name"
location = "location.label"
employment_type = "contract"
salary = "salary"
posted_date = "publishedAt"
description = "summary"

[pagination]
mode = "offset"
page_size = 5
total = "total"
"#
    )
}

fn careers_router() -> Router {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/careers", get(careers_list))
        .route("/careers/jobs/{id}", get(careers_detail))
}

async fn careers_list() -> Response {
    let links: String = CAREERS
        .iter()
        .map(|j| {
            format!(
                "    <li><a class=\"opening\" href=\"/careers/jobs/{}\">{}</a></li>\n",
                j.id,
                html_escape::encode_text(j.title)
            )
        })
        .collect();
    Html(CAREERS_LIST.replace("{{LINKS}}", &links)).into_response()
}

async fn careers_detail(Path(id): Path<u32>) -> Response {
    let Some(j) = CAREERS.iter().find(|j| j.id == id) else {
        return (StatusCode::NOT_FOUND, "no such job").into_response();
    };
    let (city, country) = j.location.split_once(", ").unwrap_or((j.location, ""));
    let ld = json!({
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "name": j.company, "sameAs": "https://example-airways.example"},
            {"@type": ["JobPosting"], "title": j.title, "description": format!("<p>{}</p>", j.description),
             "datePosted": posted(j), "employmentType": j.contract.to_uppercase(),
             "identifier": {"@type": "PropertyValue", "name": j.company, "value": format!("EA-{}", j.id)},
             "hiringOrganization": {"@type": "Organization", "name": j.company},
             "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress",
                "addressLocality": city, "addressCountry": country}}}
        ]
    });
    let html = fill(CAREERS_DETAIL, &job_pairs(j)).replace(
        "{{JSONLD}}",
        &serde_json::to_string_pretty(&ld).expect("static JSON"),
    );
    Html(html).into_response()
}

fn careers_config(base: &str) -> String {
    format!(
        r#"# Demo: an airline's own career site; every posting page carries JobPosting JSON-LD.
name = "demo-careers"
kind = "jsonld"
base_url = "{base}"
start_urls = ["/careers"]
links = "ul.openings a"
delay_ms = 100
"#
    )
}
