//! Crawl throughput benchmark: `cargo bench --bench crawl`.
//!
//! Serves a loopback farm of 40 sites × 25 listing pages × 25 postings (next-link paging,
//! every site on its own port so per-host limits apply per site) from this process, then runs
//! the real release binary `aeroscrap scrape` against it as a child process with per-host
//! delay 0 (other politeness defaults unchanged: 2 requests per host, 32 in total, robots.txt
//! fetched and obeyed). Reports pages/s, jobs/s, the child's CPU time and peak memory
//! (`wait4` rusage), once with `--dry-run` (crawl and parse only) and once storing into a
//! fresh database (crawl + normalize + dedup + SQLite).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;

/// Sites in the farm.
const SITES: usize = 40;
/// Listing pages per site.
const PAGES: usize = 25;
/// Postings per listing page.
const JOBS_PER_PAGE: usize = 25;

const TITLES: &[&str] = &[
    "Captain A320",
    "First Officer B737",
    "B1 Licensed Engineer",
    "Cabin Crew",
    "Flight Dispatcher",
    "Ramp Agent",
    "B2 Avionics Engineer",
    "Crew Scheduler",
];
const PLACES: &[&str] = &[
    "Dublin, Ireland",
    "Dallas, TX",
    "Stansted, England, United Kingdom",
    "Luxembourg, Luxembourg",
    "Doha, Qatar",
];

/// Every listing page of one site, rendered once.
fn site_pages(site: usize) -> Vec<String> {
    (1..=PAGES)
        .map(|page| {
            let mut s = String::with_capacity(16 * 1024);
            s.push_str("<!DOCTYPE html><html><head><title>Jobs</title></head><body><div class=\"results\">");
            for i in 0..JOBS_PER_PAGE {
                let id = (page - 1) * JOBS_PER_PAGE + i;
                let title = TITLES[(site + id) % TITLES.len()];
                s.push_str(&format!(
                    "<article class=\"job\" data-id=\"{site}-{id}\"><h3><a href=\"/job/{id}\">{title} #{site}-{id}</a></h3>\
                     <span class=\"company\">Operator {site}</span><span class=\"loc\">{}</span>\
                     <span class=\"age\">{} days ago</span><p class=\"teaser\">Join our team as {title}. \
                     Competitive package, relocation support, type rating provided.</p></article>",
                    PLACES[id % PLACES.len()],
                    id % 30
                ));
            }
            s.push_str("</div>");
            if page < PAGES {
                s.push_str(&format!("<a class=\"next\" href=\"/jobs?page={}\">Next</a>", page + 1));
            }
            s.push_str("</body></html>");
            s
        })
        .collect()
}

async fn listing(
    State(pages): State<Arc<Vec<String>>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Html<String> {
    let p: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    Html(pages[p.clamp(1, PAGES) - 1].clone())
}

/// Starts the farm; returns the base URL of every site.
async fn farm() -> Vec<String> {
    let mut bases = Vec::new();
    for site in 0..SITES {
        let pages = Arc::new(site_pages(site));
        let router = Router::new()
            .route(
                "/robots.txt",
                get(|| async { "User-agent: *\nDisallow: /admin/\n" }),
            )
            .route("/jobs", get(listing))
            .with_state(pages);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        bases.push(format!("http://{}", listener.local_addr().unwrap()));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    }
    bases
}

struct Run {
    seconds: f64,
    cpu_seconds: f64,
    max_rss_kib: i64,
    exit: i32,
}

/// Runs the binary and waits for it with `wait4`, which reports the child's own CPU and RSS.
fn run_child(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn aeroscrap");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: plain syscall on our own child; `usage` is a valid out-parameter.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4 failed");
    let seconds = start.elapsed().as_secs_f64();
    std::mem::forget(child); // already reaped
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Run {
        seconds,
        cpu_seconds: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss,
        exit: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
    }
}

fn write_configs(dir: &Path, bases: &[String]) {
    std::fs::write(
        dir.join("aeroscrap.toml"),
        "contact = \"bench@aeroscrap.invalid\"\n[politeness]\ndelay_ms = 0\n",
    )
    .unwrap();
    let scrapers = dir.join("scrapers");
    std::fs::create_dir_all(&scrapers).unwrap();
    for (i, base) in bases.iter().enumerate() {
        std::fs::write(
            scrapers.join(format!("site{i:02}.toml")),
            format!(
                r#"kind = "html"
base_url = "{base}"
start_urls = ["/jobs?page=1"]
[list]
item = "article.job"
[list.fields]
title = "h3 a"
url = "h3 a @href"
external_id = "@data-id"
company = "span.company"
location = "span.loc"
posted_date = "span.age"
description = "p.teaser"
[pagination]
next = "a.next"
max_pages = {PAGES}
"#
            ),
        )
        .unwrap();
    }
}

fn main() {
    let bin = Path::new(env!("CARGO_BIN_EXE_aeroscrap"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let bases = rt.block_on(farm());
    let dir = tempfile::tempdir().expect("temp dir");
    write_configs(dir.path(), &bases);
    let pages = (SITES * PAGES) as f64;
    let jobs = (SITES * PAGES * JOBS_PER_PAGE) as f64;
    println!(
        "farm: {SITES} sites × {PAGES} pages × {JOBS_PER_PAGE} jobs = {pages} pages, {jobs} jobs (per-host delay 0)"
    );
    println!(
        "{:<12}  {:>7}  {:>8}  {:>8}  {:>7}  {:>9}",
        "mode", "wall s", "pages/s", "jobs/s", "CPU s", "peak MiB"
    );
    for (mode, extra) in [("dry-run", vec!["--dry-run"]), ("store", vec![])] {
        let _guard = rt.enter();
        let mut cmd = Command::new(bin);
        cmd.current_dir(dir.path())
            .env_remove("RUST_LOG")
            .args(["-q", "--config", "aeroscrap.toml", "--scrapers", "scrapers"])
            .args(["--db", "bench.db", "scrape"])
            .args(&extra)
            .stdout(std::process::Stdio::null());
        let run = run_child(&mut cmd);
        assert_eq!(run.exit, 0, "{mode} scrape exited {}", run.exit);
        println!(
            "{:<12}  {:>7.2}  {:>8.0}  {:>8.0}  {:>7.2}  {:>9.1}",
            mode,
            run.seconds,
            pages / run.seconds,
            jobs / run.seconds,
            run.cpu_seconds,
            run.max_rss_kib as f64 / 1024.0
        );
    }
}
