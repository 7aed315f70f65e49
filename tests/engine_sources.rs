//! The html, json and jsonld engines against loopback fixture sites: pagination, detail pages,
//! constants, API paging modes, POST bodies, secret headers, JSON-LD shapes.

mod engine_support;

use std::collections::HashMap;

use aeroscrap::scrape::SourceStatus;
use axum::Json;
use axum::Router;
use axum::extract::Query;
use axum::http::Uri;
use axum::response::Html;
use axum::routing::get;
use engine_support::*;
use serde_json::{Value, json};

fn board_page(page: usize, pages: usize, per_page: usize) -> String {
    let mut s = String::from("<html><body><div class=\"results\">");
    for i in 0..per_page {
        let id = (page - 1) * per_page + i + 1;
        s.push_str(&format!(
            r#"<article class="job-card" data-ref="R{id}">
                 <h3><a class="title" href="/vacancies/{id}/first-officer-a320"> First Officer A320 #{id} </a></h3>
                 <span class="location">Stansted,
                    England</span>
                 <span class="age">{id} days
                     ago</span>
               </article>"#
        ));
    }
    s.push_str("</div>");
    if page < pages {
        s.push_str(&format!(
            "<a class=\"next\" href=\"?page={}\">Next</a>",
            page + 1
        ));
    }
    s.push_str("</body></html>");
    s
}

fn board() -> Router {
    Router::new()
        .route(
            "/vacancies",
            get(|Query(q): Query<HashMap<String, usize>>| async move {
                Html(board_page(*q.get("page").unwrap_or(&1), 3, 4))
            }),
        )
        .route(
            "/vacancies/{id}/{slug}",
            get(|uri: Uri| async move {
                let id = uri.path().split('/').nth(2).unwrap().to_owned();
                Html(format!(
                    r#"<html><head><script type="application/ld+json">
                    {{"@context":"https://schema.org","@type":"JobPosting","title":"ignored","datePosted":"2026-11-{:02}",
                      "employmentType":"FULL_TIME","hiringOrganization":{{"@type":"Organization","name":"Json Air"}}}}
                    </script></head><body><div class="job-description"><p>Fly the A320 for job {id}.</p></div>
                    <dl><dt>Salary</dt><dd class="salary">£60,000 - £75,000 per year</dd></dl></body></html>"#,
                    id.parse::<u32>().unwrap() % 28 + 1
                ))
            }),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_next_link_pagination_detail_pages_and_constants() {
    let base = serve(board()).await;
    let s = spec(
        "board",
        &format!(
            r#"kind = "html"
base_url = "{base}"
start_urls = ["/vacancies"]
[list]
item = "article.job-card"
[list.fields]
title = "a.title"
url = "a.title @href"
external_id = "@data-ref"
location = "span.location"
posted_date = "span.age"
[pagination]
next = "a.next"
[detail]
[detail.fields]
description = "div.job-description @html"
salary = "dd.salary"
[constants]
department = "Flight Operations"
"#
        ),
    );
    let (records, outcome) = run_one(s).await;
    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    assert_eq!(records.len(), 12, "3 pages × 4 postings");
    assert_eq!(outcome.fetch.pages, 3 + 12);
    let r = records
        .iter()
        .find(|r| r.external_id.as_deref() == Some("R6"))
        .unwrap();
    assert_eq!(r.title, "First Officer A320 #6");
    assert_eq!(r.url, format!("{base}/vacancies/6/first-officer-a320"));
    assert_eq!(r.location.as_deref(), Some("Stansted, England"));
    assert_eq!(r.posted_date.as_deref(), Some("6 days ago"));
    assert_eq!(
        r.description.as_deref(),
        Some("<p>Fly the A320 for job 6.</p>")
    );
    assert_eq!(r.salary.as_deref(), Some("£60,000 - £75,000 per year"));
    assert_eq!(
        r.company.as_deref(),
        Some("Json Air"),
        "filled from JSON-LD"
    );
    assert_eq!(r.employment_type.as_deref(), Some("FULL_TIME"));
    assert_eq!(r.department.as_deref(), Some("Flight Operations"));
    assert_eq!(r.source, "board");
    assert!(r.scraped_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_url_template_pagination_by_page_and_offset_stops_on_an_empty_page() {
    let hits = Hits::default();
    let h = hits.clone();
    let router = Router::new().route(
        "/search",
        get(move |Query(q): Query<HashMap<String, String>>, uri: Uri| {
            let h = h.clone();
            async move {
                h.add(uri.to_string());
                let start: usize = q.get("startrow").map(|s| s.parse().unwrap()).unwrap_or(0);
                let n = if start < 50 { 25 } else { 0 };
                Html(listing(n, &format!("/s{start}")))
            }
        }),
    );
    let base = serve(router).await;
    let s = spec(
        "rmk",
        &format!(
            r#"kind = "html"
base_url = "{base}"
[list]
item = "li.job"
[list.fields]
title = "a"
url = "a @href"
[pagination]
url_template = "/search?q=&startrow={{offset}}"
page_size = 25
"#
        ),
    );
    let (records, outcome) = run_one(s).await;
    assert_eq!(outcome.status, SourceStatus::Ok);
    assert_eq!(records.len(), 50);
    assert_eq!(
        hits.paths(),
        [
            "/search?q=&startrow=0",
            "/search?q=&startrow=25",
            "/search?q=&startrow=50"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_pages_caps_listing_pages() {
    let base = serve(board()).await;
    let s = spec(
        "capped",
        &format!(
            "kind = \"html\"\nbase_url = \"{base}\"\nstart_urls = [\"/vacancies\"]\n[list]\nitem = \"article.job-card\"\n[list.fields]\ntitle = \"a.title\"\nurl = \"a.title @href\"\n[pagination]\nnext = \"a.next\"\nmax_pages = 2\n"
        ),
    );
    let (records, outcome) = run_one(s).await;
    assert_eq!(records.len(), 8);
    assert_eq!(outcome.fetch.pages, 2);
}

fn api_items(from: usize, n: usize) -> Vec<Value> {
    (from..from + n)
        .map(|i| {
            json!({"id": i, "title": format!("Aircraft Technician B1 #{i}"),
                        "location": {"city": "Luton", "country": "GB"}, "posted": "2026-11-10"})
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_paging_by_page_offset_and_cursor() {
    let router = Router::new()
        // page mode with a total: 3 pages of 10, total 25
        .route(
            "/paged",
            get(|Query(q): Query<HashMap<String, usize>>| async move {
                let p = q["p"];
                let n = if p < 3 { 10 } else { 5 };
                Json(json!({"meta": {"total": 25}, "data": api_items((p - 1) * 10, n)}))
            }),
        )
        // offset mode ending in an empty page
        .route(
            "/offset",
            get(|Query(q): Query<HashMap<String, usize>>| async move {
                let off = q["offset"];
                let n = if off < 40 { 20 } else { 0 };
                Json(json!({"items": [{"requisitionList": api_items(off, n)}]}))
            }),
        )
        // cursor mode
        .route(
            "/cursor",
            get(|Query(q): Query<HashMap<String, String>>| async move {
                let c = q.get("after").cloned().unwrap_or_default();
                let (from, next) = match c.as_str() {
                    "" => (0, json!("c2")),
                    "c2" => (5, json!("c3")),
                    _ => (10, Value::Null),
                };
                Json(json!({"jobs": api_items(from, 5), "next": next}))
            }),
        );
    let base = serve(router).await;
    let fields = "[fields]\ntitle = \"title\"\nurl = \"https://jobs.example.test/job/{id}\"\nexternal_id = \"id\"\nlocation = { path = \"location.city\" }\nposted_date = \"posted\"\n";
    let paged = spec(
        "paged",
        &format!(
            "kind = \"json\"\nbase_url = \"{base}\"\nurl = \"/paged?p={{page}}&n={{limit}}\"\nitems = \"data\"\n{fields}[pagination]\nmode = \"page\"\npage_size = 10\ntotal = \"meta.total\"\n"
        ),
    );
    let offset = spec(
        "offset",
        &format!(
            "kind = \"json\"\nbase_url = \"{base}\"\nurl = \"/offset?offset={{offset}}\"\nitems = \"items[0].requisitionList\"\n{fields}[pagination]\nmode = \"offset\"\npage_size = 20\n"
        ),
    );
    let cursor = spec(
        "cursor",
        &format!(
            "kind = \"json\"\nbase_url = \"{base}\"\nurl = \"/cursor?after={{cursor}}\"\nitems = \"jobs\"\n{fields}[pagination]\nmode = \"cursor\"\ncursor = \"next\"\n"
        ),
    );
    let (summary, records) = run(vec![cursor, offset, paged]).await;
    let count = |s: &str| records.iter().filter(|r| r.source == s).count();
    assert_eq!(count("paged"), 25);
    assert_eq!(
        outcome(&summary, "paged").fetch.pages,
        3,
        "stops at the total"
    );
    assert_eq!(count("offset"), 40);
    assert_eq!(
        outcome(&summary, "offset").fetch.pages,
        3,
        "stops at the empty page"
    );
    assert_eq!(count("cursor"), 15);
    assert_eq!(
        outcome(&summary, "cursor").fetch.pages,
        3,
        "stops when the cursor is null"
    );
    let r = records
        .iter()
        .find(|r| r.source == "offset" && r.external_id.as_deref() == Some("21"))
        .unwrap();
    assert_eq!(r.title, "Aircraft Technician B1 #21");
    assert_eq!(r.url, "https://jobs.example.test/job/21");
    assert_eq!(r.location.as_deref(), Some("Luton"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jsonld_source_follows_listing_links_and_reads_graphs_and_arrays() {
    let router = Router::new()
        .route(
            "/careers",
            get(|| async {
                Html(
                    r#"<ul><li><a class="job-link" href="/careers/job/1">A</a></li>
                        <li><a class="job-link" href="/careers/job/2">B</a></li></ul>
                       <a rel="next" href="/careers?page=2">next</a>"#,
                )
            }),
        )
        .route(
            "/careers/job/{id}",
            get(|uri: Uri| async move {
                let id: u32 = uri.path().rsplit('/').next().unwrap().parse().unwrap();
                let body = if id == 1 {
                    r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},
                        {"@type":["JobPosting"],"title":"Cabin Crew - Dublin","datePosted":"2026-11-03",
                         "identifier":{"@type":"PropertyValue","value":"CC-1"},
                         "hiringOrganization":"Example Air",
                         "jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Dublin","addressCountry":"IE"}}}]}"#
                } else {
                    r#"[{"@type":"JobPosting","title":"Cabin Crew - Cork","datePosted":"2026-11-04"},
                        {"@type":"JobPosting","title":"Cabin Crew - Shannon","url":"/careers/job/2#shannon"}]"#
                };
                Html(format!(
                    "<html><head><script type=\"application/ld+json\">{body}</script></head><body></body></html>"
                ))
            }),
        );
    let base = serve(router).await;
    let s = spec(
        "ld",
        &format!(
            "kind = \"jsonld\"\nbase_url = \"{base}\"\nstart_urls = [\"/careers\"]\nlinks = \"a.job-link\"\n"
        ),
    );
    let (mut records, outcome) = run_one(s).await;
    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    records.sort_by(|a, b| a.title.cmp(&b.title));
    let titles: Vec<&str> = records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Cabin Crew - Cork",
            "Cabin Crew - Dublin",
            "Cabin Crew - Shannon"
        ]
    );
    assert_eq!(records[1].external_id.as_deref(), Some("CC-1"));
    assert_eq!(records[1].company.as_deref(), Some("Example Air"));
    assert_eq!(records[1].location.as_deref(), Some("Dublin, IE"));
    assert_eq!(records[1].url, format!("{base}/careers/job/1"));
    assert_eq!(records[0].url, format!("{base}/careers/job/2"));
    assert_eq!(records[2].url, format!("{base}/careers/job/2#shannon"));
}
