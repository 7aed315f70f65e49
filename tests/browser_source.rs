//! `kind = "browser"` sources end to end: config file → compiled spec → run against the
//! JavaScript fixture site in real Chromium → raw records, exactly as `scrape` runs them.

#![cfg(feature = "browser")]

mod browser_support;

use std::path::Path;

use aeroscrap::config::{GlobalConfig, parse_source};
use aeroscrap::fetch::Fetcher;
use aeroscrap::model::RawRecord;
use aeroscrap::scrape::{SourceOutcome, SourceStatus, run_single};
use aeroscrap::sources::RunLimits;
use aeroscrap::sources::browser::fixture::{self, FixtureSite};
use aeroscrap::sources::browser::process::{PROFILE_PREFIX, processes_mentioning};
use browser_support::chromium_or_skip;

/// The run's browser pool is process-wide (one Chromium per run), so the tests of this file
/// take turns: each can then check that its run left no Chromium behind.
static ONE_RUN_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn compile(text: &str) -> aeroscrap::sources::SourceSpec {
    parse_source(Path::new("scrapers/test-browser.toml"), text)
        .expect("config parses")
        .compile()
        .expect("config compiles")
}

async fn run(site: &FixtureSite, body: &str) -> (Vec<RawRecord>, SourceOutcome) {
    let text = format!(
        "name = \"test-browser\"\nkind = \"browser\"\nbase_url = \"{}\"\ndelay_ms = 0\nmax_concurrency = 4\n{body}",
        site.url("")
    );
    let fetcher = Fetcher::from_config(&GlobalConfig::default()).expect("fetcher");
    run_single(fetcher, compile(&text), RunLimits::default())
        .await
        .expect("source runs")
}

fn titles(records: &[RawRecord]) -> Vec<&str> {
    records.iter().map(|r| r.title.as_str()).collect()
}

fn expected(set: &str) -> Vec<String> {
    fixture::jobs(set).into_iter().map(|j| j.title).collect()
}

/// No Chromium of ours may survive a finished source: the pool dies with its last user.
fn assert_no_chromium_of_ours() {
    let needle = std::env::temp_dir().join(PROFILE_PREFIX);
    let needle = needle.to_string_lossy();
    for _ in 0..100 {
        if processes_mentioning(&needle).is_empty() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!(
        "Chromium processes left behind: {:?}",
        processes_mentioning(&needle)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_with_rendered_detail_pages_and_json_ld() {
    let _turn = ONE_RUN_AT_A_TIME.lock().await;
    if chromium_or_skip("listing_with_rendered_detail_pages").is_none() {
        return;
    }
    let site = fixture::serve().await.unwrap();
    let (records, outcome) = run(
        &site,
        r#"
start_urls = ["/careers/job-search.html?type=&location="]
[wait]
selector = "div.search-result__job-cards--card"
[list]
item = "div.search-result__job-cards--card"
[list.fields]
title = "a.card-head--title"
url = "a.card-head--title @href"
external_id = { css = "a.card-head--title", attr = "href", regex = '/(\d+)\.html$' }
posted_date = "span.date-text"
location = "span.location-text > span"
apply_url = "a.apply-now-link @href"
[detail]
via = "browser"
wait = { selector = ".job-detail__description" }
[detail.fields]
department = ".job-detail__department"
description = ".job-detail__description @html"
"#,
    )
    .await;
    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    assert_eq!(titles(&records), expected("search"));
    let want = &fixture::jobs("search")[3];
    let rec = &records[3];
    // Relative card links resolve against the listing page, not the site root.
    assert_eq!(
        rec.url,
        site.url(&format!(
            "/careers/job-details/Assisting-Engineer-/-Technician/{}.html",
            want.id
        ))
    );
    assert_eq!(rec.external_id.as_deref(), Some("9003"));
    assert_eq!(rec.location.as_deref(), Some(want.location.as_str()));
    assert_eq!(want.posted, "2026-11-04");
    assert_eq!(rec.posted_date.as_deref(), Some("4th Nov 26"));
    assert_eq!(
        rec.apply_url.as_deref(),
        Some("https://apply.skyfixture.test/careers?company=skyfixture&career_job_req_id=9003")
    );
    // Only the rendered detail page has these …
    assert_eq!(rec.department.as_deref(), Some(want.department.as_str()));
    assert!(
        rec.description
            .as_deref()
            .is_some_and(|d| d.contains("based in Bengaluru")),
        "{:?}",
        rec.description
    );
    // … and JSON-LD on the rendered page fills what the selectors did not give.
    assert_eq!(rec.company.as_deref(), Some("SkyFixture Airlines"));
    assert_eq!(rec.employment_type.as_deref(), Some("FULL_TIME"));
    // 1 listing + 10 detail navigations, each counted with its status.
    assert_eq!(outcome.fetch.pages, 11, "{:?}", outcome.fetch);
    assert_no_chromium_of_ours();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_banner_load_more_infinite_scroll_and_next_button() {
    let _turn = ONE_RUN_AT_A_TIME.lock().await;
    if chromium_or_skip("cookie_load_more_scroll_next").is_none() {
        return;
    }
    let site = fixture::serve().await.unwrap();

    let (cookie, outcome) = run(
        &site,
        r##"
start_urls = ["/board/cookie.html"]
cookie_button = "#cookie-accept"
wait = { selector = "li.job" }
[list]
item = "li.job"
[list.fields]
title = "a.job-link"
url = "a.job-link @href"
location = ".job-location"
posted_date = "time.job-date @datetime"
"##,
    )
    .await;
    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    assert_eq!(titles(&cookie), expected("cookie"));
    assert_eq!(cookie[0].url, site.url("/board/job/9100"));
    assert_eq!(cookie[0].posted_date.as_deref(), Some("2026-11-02"));

    let (more, outcome) = run(
        &site,
        r#"
start_urls = ["/board/load-more.html"]
wait = { selector = "div.job-card" }
[[steps]]
action = "click_repeat"
selector = "button.load-more"
max = 5
[list]
item = "div.job-card"
[list.fields]
title = "h2.title a"
url = "h2.title a @href"
location = ".location"
"#,
    )
    .await;
    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    assert_eq!(titles(&more), expected("more"));

    // The last scroll waits the whole step timeout to see that nothing more comes; shorter than
    // 4 s, a loaded machine (CI) can take that long to render a page and the list ends early.
    let (scroll, outcome) = run(
        &site,
        r#"
start_urls = ["/board/infinite.html"]
step_timeout = "4s"
wait = { selector = "article.job-row" }
[[steps]]
action = "scroll"
times = 10
[list]
item = "article.job-row"
[list.fields]
title = "a.job-title"
url = "a.job-title @href"
location = "em.job-place"
"#,
    )
    .await;
    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    assert_eq!(titles(&scroll), expected("scroll"));

    let (paged, outcome) = run(
        &site,
        r#"
start_urls = ["/board/paged.html"]
next_button = "button.next"
wait = { selector = "li.result" }
[list]
item = "li.result"
[list.fields]
title = "a.result-title"
url = "a.result-title @href"
[detail]
via = "http"
[detail.fields]
location = "p.job-detail__location"
"#,
    )
    .await;
    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    assert_eq!(titles(&paged), expected("paged"));
    // Detail pages over plain HTTP: server-rendered fields and JSON-LD, no script output.
    let want = &fixture::jobs("paged")[0];
    assert_eq!(paged[0].location.as_deref(), Some(want.location.as_str()));
    assert_eq!(paged[0].posted_date.as_deref(), Some(want.posted.as_str()));
    assert_eq!(paged[0].department, None);
    assert_no_chromium_of_ours();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failover_page_in_the_browser_is_blocked_not_an_error() {
    let _turn = ONE_RUN_AT_A_TIME.lock().await;
    if chromium_or_skip("rendered_block_page").is_none() {
        return;
    }
    let site = fixture::serve().await.unwrap();
    let (records, outcome) = run(
        &site,
        r#"
start_urls = ["/blocked.html"]
[list]
item = "div.search-result__job-cards--card"
[list.fields]
title = "a"
url = "a @href"
"#,
    )
    .await;
    assert!(records.is_empty());
    assert_eq!(outcome.status, SourceStatus::Blocked, "{:?}", outcome.error);
    let err = outcome.error.unwrap_or_default();
    assert!(
        err.contains("/blocked.html") && err.contains("Akamai failover page"),
        "{err}"
    );
    assert_eq!(outcome.fetch.blocked, 1, "{:?}", outcome.fetch);
    assert_no_chromium_of_ours();
}

#[test]
fn config_errors_name_the_key() {
    let base = "name = \"b\"\nkind = \"browser\"\nstart_urls = [\"https://x.test/jobs\"]\n";
    let cases = [
        (
            "wiat = { selector = \"li\" }\n[list]\nitem = \"li\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n",
            "wiat",
        ),
        (
            "[[steps]]\naction = \"click_repeat\"\nselector = \"button[\"\n[list]\nitem = \"li\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n",
            "steps[0].selector",
        ),
        (
            "navigation_timeout = \"soon\"\n[list]\nitem = \"li\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n",
            "navigation_timeout",
        ),
        (
            "[list]\nitem = \"li\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n[detail]\nvia = \"carrier-pigeon\"\n",
            "via",
        ),
        (
            "[list]\nitem = \"li\"\n[list.fields]\ntitle = \"a\"\n",
            "list.fields.url",
        ),
    ];
    for (body, key) in cases {
        let text = format!("{base}{body}");
        let err = parse_source(Path::new("scrapers/b.toml"), &text)
            .and_then(|c| c.compile().map(|_| ()))
            .expect_err(key)
            .to_string();
        assert!(err.contains("scrapers/b.toml"), "{err}");
        assert!(err.contains(key), "expected key {key:?} in: {err}");
    }
}

#[test]
fn the_readme_example_config_is_valid() {
    let readme = include_str!("../README.md");
    let section = readme
        .split("### `kind = \"browser\"`")
        .nth(1)
        .expect("README has a browser section");
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a TOML example");
    let spec = parse_source(Path::new("scrapers/skyfixture-careers.toml"), example)
        .expect("README example parses")
        .compile()
        .expect("README example compiles");
    assert_eq!(spec.kind, "browser");
    assert_eq!(spec.name(), "skyfixture-careers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_txt_applies_to_browser_navigations() {
    let _turn = ONE_RUN_AT_A_TIME.lock().await;
    let site = fixture::serve().await.unwrap();
    let (records, outcome) = run(
        &site,
        r#"
start_urls = ["/private/job-search.html"]
[list]
item = "div.search-result__job-cards--card"
[list.fields]
title = "a.card-head--title"
url = "a.card-head--title @href"
"#,
    )
    .await;
    assert!(records.is_empty());
    assert_eq!(outcome.status, SourceStatus::Error);
    let err = outcome.error.unwrap_or_default();
    assert!(
        err.contains("/private/job-search.html: disallowed by robots.txt"),
        "{err}"
    );
    assert_eq!(outcome.fetch.robots_denied, 1, "{:?}", outcome.fetch);
    // The page was never requested (only robots.txt was).
    assert_eq!(
        site.stats
            .page_hits
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
}
