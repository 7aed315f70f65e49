//! Rendered pages per second in real Chromium on the JavaScript fixture site, with tab reuse
//! (the default) and, for comparison, with a fresh tab per page.
//!
//! Run: `cargo bench --bench browser` (needs Chromium; `BENCH_PAGES` sets the page count).

use std::time::{Duration, Instant};

use aeroscrap::sources::browser::fixture;
use aeroscrap::sources::browser::{BrowserPool, PoolOptions, RenderConfig, find_chromium};
use futures::StreamExt;

const DEFAULT_PAGES: usize = 100;

fn main() {
    if let Err(err) = find_chromium(None) {
        eprintln!("browser benchmark skipped: {err}");
        return;
    }
    let pages: usize = std::env::var("BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_PAGES);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let site = fixture::serve().await.expect("fixture site");
        let cases = [
            (
                "JS pagination page (script fetch, 80 ms API)",
                "/board/paged.html",
                "li.result",
            ),
            (
                "IndiGo-like search (cards 400 ms after load)",
                "/careers/job-search.html",
                "div.search-result__job-cards--card",
            ),
        ];
        for (name, path, items) in cases {
            let cfg: RenderConfig =
                toml::from_str(&format!("[wait]\nselector = \"{items}\"")).unwrap();
            let spec = cfg.compile(Some(items)).unwrap();
            for (mode, recycle_after) in [("tab reuse", 50), ("new tab per page", 1)] {
                let pool = BrowserPool::new(PoolOptions {
                    recycle_after,
                    ..PoolOptions::default()
                });
                let max_tabs = pool.options().max_tabs;
                // Warm-up: start Chromium and open the tabs.
                run(&pool, &site.url(path), &spec, max_tabs, max_tabs).await;
                let started = Instant::now();
                let ok = run(&pool, &site.url(path), &spec, pages, max_tabs).await;
                let elapsed = started.elapsed();
                let stats = pool.stats();
                println!(
                    "{name:<48} {mode:<17} {ok:>4}/{pages} pages in {:>6.2} s = {:>6.1} pages/s \
                     (tabs {max_tabs}, tabs created {}, launches {}, blocked requests {})",
                    elapsed.as_secs_f64(),
                    ok as f64 / elapsed.as_secs_f64().max(f64::EPSILON),
                    stats.tabs_created,
                    stats.launches,
                    stats.blocked_requests,
                );
                pool.shutdown().await;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    });
}

async fn run(
    pool: &BrowserPool,
    url: &str,
    spec: &aeroscrap::sources::browser::BrowserSpec,
    pages: usize,
    concurrency: usize,
) -> usize {
    futures::stream::iter(0..pages)
        .map(|_| pool.render(url, spec))
        .buffer_unordered(concurrency)
        .filter(|r| futures::future::ready(r.is_ok()))
        .count()
        .await
}
