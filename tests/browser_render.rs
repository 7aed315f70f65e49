//! Rendering JavaScript-only pages in real Chromium: delayed insertion, cookie banner,
//! "load more", infinite scroll, JavaScript pagination, detail pages, request blocking,
//! timeouts, crashes — and no Chromium process left afterwards.

#![cfg(feature = "browser")]

mod browser_support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use aeroscrap::sources::browser::fixture::{self, FixtureSite};
use aeroscrap::sources::browser::process::processes_mentioning;
use aeroscrap::sources::browser::render::RenderError;
use aeroscrap::sources::browser::{BrowserPool, BrowserSpec, PoolOptions, RenderConfig};
use browser_support::{assert_no_chromium_left, chromium_or_skip};
use scraper::{Html, Selector};

fn spec(toml_text: &str, items: &str) -> BrowserSpec {
    let cfg: RenderConfig = toml::from_str(toml_text).expect("valid TOML");
    cfg.compile(Some(items)).expect("valid spec")
}

fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn titles(set: &str) -> Vec<String> {
    fixture::jobs(set).into_iter().map(|j| j.title).collect()
}

fn pool(max_tabs: usize) -> BrowserPool {
    BrowserPool::new(PoolOptions {
        max_tabs,
        ..PoolOptions::default()
    })
}

async fn site() -> FixtureSite {
    fixture::serve().await.expect("fixture site")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn js_rendered_pages_yield_every_job_and_leave_nothing_behind() {
    if chromium_or_skip("js_rendered_pages").is_none() {
        return;
    }
    let site = site().await;
    let pool = pool(2);

    // Jobs inserted by script 400 ms after load: waiting for the card selector finds all 10.
    let search = pool
        .render(
            &site.url("/careers/job-search.html"),
            &spec(
                "[wait]\nselector = \"div.search-result__job-cards--card\"",
                "div.search-result__job-cards--card",
            ),
        )
        .await
        .expect("job search renders");
    assert_eq!(search.status, Some(200));
    assert_eq!(search.final_url, site.url("/careers/job-search.html"));
    assert_eq!(texts(&search.html, "a.card-head--title"), titles("search"));
    let first = &fixture::jobs("search")[0];
    assert_eq!(first.posted, "2026-11-07");
    assert_eq!(
        texts(&search.html, "span.date-text")[0],
        "7th Nov 26",
        "ordinal dates keep their <sup> text"
    );
    let (pid, profile) = pool.browser_process().await.expect("browser running");
    assert!(pid > 0);
    // The check used at the end really sees Chromium while it runs (main process, zygotes,
    // renderers, GPU and network services all carry the profile path).
    let running = processes_mentioning(&profile.to_string_lossy());
    assert!(running.contains(&pid), "{running:?} should contain {pid}");
    assert!(running.len() >= 3, "{running:?}");

    // Images and the web font never reached the server; the analytics tag never left.
    assert_eq!(site.stats.static_hits.load(Ordering::Relaxed), 0);
    assert!(pool.stats().blocked_requests >= 3, "{:?}", pool.stats());

    // Cookie banner: the list only fills after "Accept all" was clicked.
    let cookie = pool
        .render(
            &site.url("/board/cookie.html"),
            &spec(
                "cookie_button = \"#cookie-accept\"\n[wait]\nselector = \"li.job\"",
                "li.job",
            ),
        )
        .await
        .expect("cookie page renders");
    assert_eq!(texts(&cookie.html, "a.job-link"), titles("cookie"));
    assert!(
        texts(&cookie.html, "#consent").is_empty(),
        "banner dismissed"
    );

    // "Load more" clicked until the button disappears: 5 + 5 + 4.
    let more = pool
        .render(
            &site.url("/board/load-more.html"),
            &spec(
                "[wait]\nselector = \"div.job-card\"\n\
                 [[steps]]\naction = \"click_repeat\"\nselector = \"button.load-more\"\nmax = 10",
                "div.job-card",
            ),
        )
        .await
        .expect("load-more page renders");
    assert_eq!(texts(&more.html, "div.job-card h2.title"), titles("more"));

    // Infinite scroll: 6 per batch up to 20, and scrolling stops at the end of the list.
    let scroll = pool
        .render(
            &site.url("/board/infinite.html"),
            &spec(
                "step_timeout = \"1500ms\"\n[wait]\nselector = \"article.job-row\"\n\
                 [[steps]]\naction = \"scroll\"\ntimes = 10",
                "article.job-row",
            ),
        )
        .await
        .expect("infinite page renders");
    assert_eq!(texts(&scroll.html, "a.job-title"), titles("scroll"));

    // JavaScript pagination: one snapshot per page, 4 + 4 + 3, none repeated.
    let pages = pool
        .render_pages(
            &site.url("/board/paged.html"),
            &spec(
                "next_button = \"button.next\"\n[wait]\nselector = \"li.result\"",
                "li.result",
            ),
        )
        .await
        .expect("paged listing renders");
    let per_page: Vec<Vec<String>> = pages
        .iter()
        .map(|p| texts(&p.html, "a.result-title"))
        .collect();
    assert_eq!(per_page.iter().map(Vec::len).collect::<Vec<_>>(), [4, 4, 3]);
    assert_eq!(per_page.concat(), titles("paged"));

    // Detail page: the description only exists after its script ran; JSON-LD is in the DOM.
    let job = &fixture::jobs("search")[3];
    let detail = pool
        .render(
            &site.url(&format!(
                "/careers/job-details/{}/{}.html",
                job.title.replace(' ', "-"),
                job.id
            )),
            &spec(
                "[wait]\nselector = \".job-detail__description\"",
                ".job-detail__description",
            ),
        )
        .await
        .expect("detail renders");
    assert_eq!(
        texts(&detail.html, "h1.job-detail__title"),
        vec![job.title.clone()]
    );
    assert_eq!(
        texts(&detail.html, ".job-detail__department"),
        vec![job.department.clone()]
    );
    assert!(detail.html.contains(r#""@type":"JobPosting""#));

    // Network idle as the wait condition also sees the delayed cards.
    let idle = pool
        .render(
            &site.url("/careers/job-search.html"),
            &spec(
                "[wait]\nnetwork_idle = true",
                "div.search-result__job-cards--card",
            ),
        )
        .await
        .expect("network idle wait");
    assert_eq!(texts(&idle.html, "a.card-head--title").len(), 10);

    // A wait that never comes true fails with the URL and the selector in the message.
    let err = pool
        .render(
            &site.url("/board/paged.html"),
            &spec(
                "[wait]\nselector = \"li.never\"\ntimeout = \"1s\"",
                "li.never",
            ),
        )
        .await
        .expect_err("the selector never matches");
    let msg = err.to_string();
    assert!(matches!(err, RenderError::Timeout { .. }), "{msg}");
    assert!(
        msg.contains("/board/paged.html") && msg.contains("\"li.never\""),
        "{msg}"
    );

    // One browser for everything, at most 2 tabs, reused.
    let stats = pool.stats();
    assert_eq!(stats.launches, 1, "{stats:?}");
    assert!(stats.tabs_created <= 3, "tabs are reused: {stats:?}");
    assert_eq!(stats.pages, 7, "{stats:?}");

    pool.shutdown().await;
    assert_no_chromium_left(&profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_browser_is_restarted_and_the_page_retried() {
    if chromium_or_skip("crash_restart").is_none() {
        return;
    }
    let site = site().await;
    let pool = pool(1);
    let spec = spec("[wait]\nselector = \"li.result\"", "li.result");
    let url = site.url("/board/paged.html");
    pool.render(&url, &spec).await.expect("first render");
    let (pid, first_profile) = pool.browser_process().await.unwrap();

    // SAFETY: plain kill(2) of the Chromium this test started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    tokio::time::sleep(Duration::from_millis(200)).await;

    let again = pool
        .render(&url, &spec)
        .await
        .expect("rendered after crash");
    assert_eq!(texts(&again.html, "a.result-title").len(), 4);
    let stats = pool.stats();
    assert_eq!(stats.launches, 2, "{stats:?}");
    assert_eq!(stats.restarts, 1, "{stats:?}");
    assert_no_chromium_left(&first_profile);

    let (_, second_profile) = pool.browser_process().await.unwrap();
    pool.shutdown().await;
    assert_no_chromium_left(&second_profile);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_pool_mid_render_kills_chromium() {
    if chromium_or_skip("drop_mid_render").is_none() {
        return;
    }
    let site = site().await;
    let pool = pool(1);
    let slow = spec(
        "[wait]\nselector = \"li.never\"\ntimeout = \"30s\"",
        "li.never",
    );
    let url = site.url("/board/cookie.html");
    let task = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.render(&url, &slow).await })
    };
    // Wait until the browser is up and the page is being waited on, then abandon everything,
    // as a Ctrl-C that cancels the scrape does.
    let profile = loop {
        if let Some((_, profile)) = pool.browser_process().await {
            break profile;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    task.abort();
    let _ = task.await;
    drop(pool);
    assert_no_chromium_left(&profile);
}

#[tokio::test]
async fn navigation_errors_and_missing_chromium_are_reported_with_the_url() {
    // A Chromium path that does not exist: the error names the Debian package.
    let missing = BrowserPool::new(PoolOptions {
        chromium: Some("/nonexistent/chromium".into()),
        ..PoolOptions::default()
    });
    let err = missing
        .render("http://127.0.0.1:9/", &BrowserSpec::default())
        .await
        .expect_err("no browser");
    let msg = err.to_string();
    assert!(msg.starts_with("http://127.0.0.1:9/: "), "{msg}");
    assert!(msg.contains("Debian package `chromium`"), "{msg}");

    if chromium_or_skip("navigation_error").is_none() {
        return;
    }
    // A port nobody listens on: the navigation fails with Chromium's reason.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let pool = pool(1);
    let err = pool
        .render(
            &format!("http://127.0.0.1:{closed}/jobs"),
            &BrowserSpec::default(),
        )
        .await
        .expect_err("connection refused");
    assert!(
        matches!(&err, RenderError::Navigation { reason, .. } if reason.contains("ERR_CONNECTION_REFUSED")),
        "{err}"
    );
    let (_, profile) = pool.browser_process().await.unwrap();
    pool.shutdown().await;
    assert_no_chromium_left(&profile);
}
