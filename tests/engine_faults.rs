//! The fault farm: every way a site can misbehave, each on its own loopback server, run in one
//! scrape. Each source gets the right crawl-log status; healthy sources still deliver.

mod engine_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aeroscrap::error::Exit;
use aeroscrap::scrape::SourceStatus;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use engine_support::*;

fn html(body: String) -> Response {
    Html(body).into_response()
}

/// Answers 500 the first `fails` times, then the listing.
fn flaky(
    fails: usize,
    status: StatusCode,
    retry_after: Option<&'static str>,
    hits: Hits,
) -> Router {
    let n = Arc::new(AtomicUsize::new(0));
    Router::new().route(
        "/jobs",
        get(move |uri: Uri| {
            let n = n.clone();
            let hits = hits.clone();
            async move {
                hits.add(uri.path().to_owned());
                if n.fetch_add(1, Ordering::SeqCst) < fails {
                    let mut h = HeaderMap::new();
                    if let Some(ra) = retry_after {
                        h.insert(header::RETRY_AFTER, ra.parse().unwrap());
                    }
                    return (status, h, "try again later").into_response();
                }
                html(listing(3, ""))
            }
        }),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_farm_gives_each_source_its_status_and_keeps_the_healthy_ones() {
    // healthy
    let healthy = serve(Router::new().route("/jobs", get(|| async { html(listing(4, "")) }))).await;
    // slow: never answers within the timeout
    let slow = serve(Router::new().route(
        "/jobs",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            html(listing(1, ""))
        }),
    ))
    .await;
    // 500 then 200
    let flaky_hits = Hits::default();
    let flaky_url = serve(flaky(
        1,
        StatusCode::INTERNAL_SERVER_ERROR,
        None,
        flaky_hits.clone(),
    ))
    .await;
    // challenge page
    let challenge = serve(Router::new().route(
        "/jobs",
        get(|| async {
            (
                StatusCode::FORBIDDEN,
                Html("<html><head><title>Just a moment...</title></head><body>Checking your browser before accessing the site.<script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1\"></script></body></html>"),
            )
        }),
    ))
    .await;
    // malformed JSON
    let bad_json = serve(Router::new().route(
        "/api/jobs",
        get(|| async {
            (
                [(header::CONTENT_TYPE, "application/json")],
                "{\"jobs\": [ {\"title\": \"x\", ",
            )
        }),
    ))
    .await;
    // zero items
    let empty = serve(Router::new().route("/jobs", get(|| async { html(listing(0, "")) }))).await;
    // redirect loop
    let redirect = serve(
        Router::new()
            .route("/jobs", get(|| async { Redirect::temporary("/jobs2") }))
            .route("/jobs2", get(|| async { Redirect::temporary("/jobs") })),
    )
    .await;
    // oversized body
    let big = serve(Router::new().route(
        "/jobs",
        get(|| async {
            html(format!(
                "{}{}",
                listing(2, ""),
                "<!-- padding -->".repeat(20_000)
            ))
        }),
    ))
    .await;

    let mut specs = vec![
        listing_source("healthy", &healthy, "/jobs"),
        spec(
            "slow",
            &format!(
                "kind = \"html\"\nbase_url = \"{slow}\"\nstart_urls = [\"/jobs\"]\ntimeout_ms = 300\nretries = 0\n[list]\nitem = \"li.job\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n"
            ),
        ),
        listing_source("flaky", &flaky_url, "/jobs"),
        listing_source("challenge", &challenge, "/jobs"),
        spec(
            "badjson",
            &format!(
                "kind = \"json\"\nbase_url = \"{bad_json}\"\nurl = \"/api/jobs\"\nitems = \"jobs\"\n[fields]\ntitle = \"title\"\nurl = \"https://x.test/{{id}}\"\n"
            ),
        ),
        listing_source("empty", &empty, "/jobs"),
        listing_source("redirects", &redirect, "/jobs"),
        spec(
            "oversized",
            &format!(
                "kind = \"html\"\nbase_url = \"{big}\"\nstart_urls = [\"/jobs\"]\nmax_body_bytes = 100000\n[list]\nitem = \"li.job\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n"
            ),
        ),
    ];
    specs.sort_by(|a, b| a.name().cmp(b.name()));
    let (summary, records) = run(specs).await;

    let expect = [
        ("healthy", SourceStatus::Ok, None),
        ("slow", SourceStatus::Error, Some("timed out")),
        ("flaky", SourceStatus::Ok, None),
        ("challenge", SourceStatus::Blocked, Some("Cloudflare")),
        ("badjson", SourceStatus::Error, Some("malformed JSON")),
        ("empty", SourceStatus::Empty, Some("matched 0 postings")),
        (
            "redirects",
            SourceStatus::Error,
            Some("more than 10 redirects"),
        ),
        ("oversized", SourceStatus::Error, Some("100000-byte cap")),
    ];
    for (name, status, msg) in expect {
        let o = outcome(&summary, name);
        assert_eq!(o.status, status, "{name}: {:?}", o.error);
        if let Some(m) = msg {
            let err = o.error.as_deref().unwrap_or_default();
            assert!(
                err.contains(m),
                "{name}: error {err:?} should mention {m:?}"
            );
        }
    }
    assert_eq!(outcome(&summary, "healthy").found, 4);
    let f = outcome(&summary, "flaky");
    assert_eq!(f.found, 3);
    assert_eq!(f.fetch.retries, 1);
    assert_eq!(f.fetch.statuses.get(&500), Some(&1));
    assert_eq!(f.fetch.statuses.get(&200), Some(&1));
    assert_eq!(flaky_hits.paths(), ["/jobs", "/jobs"]);
    assert_eq!(outcome(&summary, "challenge").fetch.blocked, 1);
    let stored: Vec<&str> = records.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(stored.iter().filter(|s| **s == "healthy").count(), 4);
    assert_eq!(summary.exit(), Exit::Partial);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_honoured_before_the_retry() {
    let hits = Hits::default();
    let url = serve(flaky(
        1,
        StatusCode::TOO_MANY_REQUESTS,
        Some("1"),
        hits.clone(),
    ))
    .await;
    let (records, outcome) = run_one(listing_source("limited", &url, "/jobs")).await;
    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    assert_eq!(records.len(), 3);
    let t = hits.times("/jobs");
    assert_eq!(t.len(), 2);
    let waited = t[1] - t[0];
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?} after Retry-After: 1"
    );
    assert_eq!(outcome.fetch.statuses.get(&429), Some(&1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_beyond_the_cap_fails_the_page_clearly() {
    let hits = Hits::default();
    let url = serve(flaky(
        5,
        StatusCode::SERVICE_UNAVAILABLE,
        Some("3600"),
        hits.clone(),
    ))
    .await;
    let (_, outcome) = run_one(listing_source("maintenance", &url, "/jobs")).await;
    assert_eq!(outcome.status, SourceStatus::Error);
    let err = outcome.error.unwrap();
    assert!(err.contains("retry after 3600 s"), "{err}");
    assert_eq!(hits.paths().len(), 1, "no retry when the wait is too long");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_disallowed_urls_are_never_fetched_and_are_counted() {
    let hits = Hits::default();
    let h = hits.clone();
    let router = Router::new().fallback(move |uri: Uri| {
        let h = h.clone();
        async move {
            h.add(uri.path().to_owned());
            match uri.path() {
                "/robots.txt" => "User-agent: *\nDisallow: /private/\n".into_response(),
                "/jobs" => html(
                    "<ul><li class=\"job\"><a href=\"/open/1\">Open</a></li><li class=\"job\"><a href=\"/private/2\">Secret</a></li></ul>"
                        .into(),
                ),
                p if p.starts_with("/open/") || p.starts_with("/private/") => html(format!(
                    "<html><body><h1>Detail {p}</h1><div class=\"d\">Text</div></body></html>"
                )),
                _ => StatusCode::NOT_FOUND.into_response(),
            }
        }
    });
    let base = serve(router).await;
    let with_details = spec(
        "robots",
        &format!(
            r#"kind = "html"
base_url = "{base}"
start_urls = ["/jobs"]
[list]
item = "li.job"
[list.fields]
title = "a"
url = "a @href"
[detail.fields]
description = "div.d"
"#
        ),
    );
    let denied_start = listing_source("robots_start", &base, "/private/jobs");
    let (summary, records) = run(vec![with_details, denied_start]).await;
    let o = outcome(&summary, "robots");
    assert_eq!(o.status, SourceStatus::Ok);
    assert_eq!(o.found, 2, "the list record is kept without its detail");
    assert_eq!(o.fetch.robots_denied, 1);
    let open = records.iter().find(|r| r.url.ends_with("/open/1")).unwrap();
    assert_eq!(open.description.as_deref(), Some("Text"));
    let s = outcome(&summary, "robots_start");
    assert_eq!(s.status, SourceStatus::Error);
    assert!(s.error.as_deref().unwrap().contains("robots.txt"));
    assert_eq!(s.fetch.robots_denied, 1);
    let paths = hits.paths();
    assert!(
        !paths.iter().any(|p| p.starts_with("/private/")),
        "a disallowed URL was fetched: {paths:?}"
    );
    assert_eq!(
        paths.iter().filter(|p| *p == "/robots.txt").count(),
        1,
        "robots.txt once per host"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_robots_txt_skips_the_host_and_says_so() {
    let hits = Hits::default();
    let h = hits.clone();
    let router = Router::new().fallback(move |uri: Uri| {
        let h = h.clone();
        async move {
            h.add(uri.path().to_owned());
            match uri.path() {
                "/robots.txt" => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                _ => html(listing(2, "")),
            }
        }
    });
    let base = serve(router).await;
    let (summary, records) = run(vec![listing_source("robots_down", &base, "/jobs")]).await;
    let o = outcome(&summary, "robots_down");
    assert_eq!(o.status, SourceStatus::Error);
    let err = o.error.as_deref().unwrap();
    assert!(err.contains("robots.txt unreachable"), "{err}");
    assert!(!err.contains("disallowed by robots.txt"), "{err}");
    assert!(records.is_empty());
    assert_eq!(
        hits.paths(),
        vec!["/robots.txt".to_string()],
        "only robots.txt was asked for"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_to_one_host_keep_the_minimum_interval() {
    let hits = Hits::default();
    let h = hits.clone();
    let router = Router::new().fallback(move |uri: Uri| {
        let h = h.clone();
        async move {
            h.add(uri.path().to_owned());
            match uri.path() {
                "/jobs" => html(listing(4, "")),
                p if p.starts_with("/job/") => html(format!("<div class=\"d\">{p}</div>")),
                _ => StatusCode::NOT_FOUND.into_response(),
            }
        }
    });
    let base = serve(router).await;
    let s = spec(
        "spaced",
        &format!(
            "kind = \"html\"\nbase_url = \"{base}\"\nstart_urls = [\"/jobs\"]\ndelay_ms = 500\nmax_concurrency = 4\n[list]\nitem = \"li.job\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n[detail.fields]\ndescription = \"div.d\"\n"
        ),
    );
    let (records, outcome) = run_one(s).await;
    assert_eq!(outcome.status, SourceStatus::Ok);
    assert_eq!(records.len(), 4);
    let mut times: Vec<_> = hits
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p != "/robots.txt")
        .map(|(_, t)| *t)
        .collect();
    times.sort();
    assert_eq!(times.len(), 5);
    // The gate spaces requests 500 ms apart when they go out (exact timings are in the gate's
    // unit tests); the server sees them arrive, which a loaded machine can delay by a scheduling
    // hiccup (CI once saw 154 ms), hence the margin.
    for w in times.windows(2) {
        let gap = w[1] - w[0];
        assert!(
            gap >= Duration::from_millis(300),
            "requests {gap:?} apart, want about 500 ms"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_stops_a_source_waiting_on_retry_after_at_once() {
    use aeroscrap::scrape::{DryRunWriter, ScrapeOptions};
    use aeroscrap::sources::Cancel;

    let hits = Hits::default();
    let slow_to_retry = serve(flaky(
        9,
        StatusCode::SERVICE_UNAVAILABLE,
        Some("60"),
        hits.clone(),
    ))
    .await;
    let healthy = serve(Router::new().route("/jobs", get(|| async { html(listing(2, "")) }))).await;
    let cancel = Cancel::new();
    let opts = ScrapeOptions {
        trigger: "test".into(),
        cancel: cancel.clone(),
        ..Default::default()
    };
    let specs = vec![
        listing_source("waiting", &slow_to_retry, "/jobs"),
        listing_source("quick", &healthy, "/jobs"),
    ];
    let started = std::time::Instant::now();
    let run = tokio::spawn(aeroscrap::scrape::scrape(
        fetcher(),
        specs,
        vec![],
        || {
            Ok(DryRunWriter {
                keep: true,
                ..Default::default()
            })
        },
        opts,
    ));
    tokio::time::sleep(Duration::from_millis(400)).await;
    cancel.cancel();
    let (summary, records) = run.await.unwrap().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(summary.interrupted);
    assert_eq!(summary.exit(), Exit::Interrupted);
    assert_eq!(
        outcome(&summary, "waiting").status,
        SourceStatus::Interrupted
    );
    assert_eq!(outcome(&summary, "quick").status, SourceStatus::Ok);
    assert_eq!(records.len(), 2, "records fetched before Ctrl-C are kept");
    assert_eq!(hits.paths().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_crawl_delay_is_honoured() {
    let hits = Hits::default();
    let h = hits.clone();
    let router = Router::new().fallback(move |uri: Uri| {
        let h = h.clone();
        async move {
            h.add(uri.path().to_owned());
            match uri.path() {
                "/robots.txt" => "User-agent: *\nCrawl-delay: 1\n".into_response(),
                "/jobs" => html(listing(2, "")),
                p => html(format!("<div class=\"d\">{p}</div>")),
            }
        }
    });
    let base = serve(router).await;
    let s = spec(
        "crawl-delay",
        &format!(
            "kind = \"html\"\nbase_url = \"{base}\"\nstart_urls = [\"/jobs\"]\n[list]\nitem = \"li.job\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n[detail.fields]\ndescription = \"div.d\"\n"
        ),
    );
    let (records, outcome) = run_one(s).await;
    assert_eq!(outcome.status, SourceStatus::Ok);
    assert_eq!(records.len(), 2);
    let mut times: Vec<_> = hits
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p != "/robots.txt")
        .map(|(_, t)| *t)
        .collect();
    times.sort();
    assert_eq!(times.len(), 3);
    for w in times.windows(2) {
        let gap = w[1] - w[0];
        assert!(
            gap >= Duration::from_millis(900),
            "Crawl-delay: 1 but requests {gap:?} apart"
        );
    }
}
