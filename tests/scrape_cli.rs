//! The real binary: `scrape` into a temp database with its crawl log, `sources check|list|test`,
//! and `demo`.

mod engine_support;

use std::path::Path;

use assert_cmd::Command;
use axum::Router;
use axum::response::Html;
use axum::routing::get;
use engine_support::*;

const GLOBAL: &str = "contact = \"cli-tests@aeroscrap.invalid\"\n[politeness]\ndelay_ms = 0\nretries = 0\ntimeout_ms = 3000\n";

fn html_source(base: &str, path: &str) -> String {
    format!(
        "kind = \"html\"\nbase_url = \"{base}\"\nstart_urls = [\"{path}\"]\n[list]\nitem = \"li.job\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\nlocation = \"span.loc\"\n"
    )
}

fn aeroscrap(dir: &Path) -> Command {
    aeroscrap_db(dir, "jobs.db")
}

fn aeroscrap_db(dir: &Path, db: &str) -> Command {
    let mut c = Command::cargo_bin("aeroscrap").unwrap();
    c.current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("AEROSCRAP_DB")
        .env_remove("AEROSCRAP_CONFIG")
        .env_remove("AEROSCRAP_SCRAPERS")
        .args(["--config", "aeroscrap.toml", "--db", db])
        .args(["--scrapers", "scrapers"]);
    c
}

async fn run_cmd(mut c: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scrape_stores_jobs_writes_the_crawl_log_and_exits_2_when_a_source_is_empty() {
    let good = serve(Router::new().route("/jobs", get(|| async { Html(listing(5, "")) }))).await;
    let empty = serve(Router::new().route("/jobs", get(|| async { Html(listing(0, "")) }))).await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("aeroscrap.toml"), GLOBAL).unwrap();
    std::fs::create_dir(dir.join("scrapers")).unwrap();
    std::fs::write(dir.join("scrapers/good.toml"), html_source(&good, "/jobs")).unwrap();
    std::fs::write(
        dir.join("scrapers/empty.toml"),
        html_source(&empty, "/jobs"),
    )
    .unwrap();

    let out = run_cmd({
        let mut c = aeroscrap(dir);
        c.arg("scrape");
        c
    })
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("good"), "{stdout}");
    assert!(stdout.contains("run partial"), "{stdout}");

    let db = rusqlite::Connection::open(dir.join("jobs.db")).unwrap();
    let rows: Vec<(String, String, i64, i64, i64, String)> = db
        .prepare("SELECT source, status, pages_fetched, items_found, items_new, http_status FROM crawl_log ORDER BY source")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "empty".into(),
                "empty".into(),
                1,
                0,
                0,
                "{\"200\":1}".into()
            ),
            ("good".into(), "ok".into(), 1, 5, 5, "{\"200\":1}".into()),
        ]
    );
    let jobs: i64 = db
        .query_row("SELECT count(*) FROM jobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(jobs, 5);
    let run_status: String = db
        .query_row("SELECT status FROM crawl_runs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(run_status, "partial");

    // A second run of only the good source: everything unchanged, exit 0.
    let out = run_cmd({
        let mut c = aeroscrap(dir);
        c.args(["scrape", "good", "--json"]);
        c
    })
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["sources"][0]["written"]["unchanged"], 5);

    // sources list shows the last run of each source.
    let out = run_cmd({
        let mut c = aeroscrap(dir);
        c.args(["sources", "list", "--json"]);
        c
    })
    .await;
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["name"], "empty");
    assert_eq!(lines[0]["last_status"], "empty");
    assert_eq!(lines[1]["last_status"], "ok");
    assert_eq!(lines[1]["last_items"], 5);

    // sources test prints records and stores nothing.
    let out = run_cmd({
        let mut c = aeroscrap_db(dir, "other.db");
        c.args(["sources", "test", "good", "--limit", "2", "--json"]);
        c
    })
    .await;
    assert_eq!(out.status.code(), Some(0));
    let recs: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["title"], "Job 1");
    assert_eq!(recs[0]["source"], "good");
    assert_eq!(recs[0]["location"], "Dublin, Ireland");
    assert!(
        !dir.join("other.db").exists(),
        "sources test stored something"
    );
}

#[test]
fn sources_check_names_file_and_key_and_exits_3() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("scrapers")).unwrap();
    std::fs::write(
        dir.join("scrapers/ok.toml"),
        html_source("http://127.0.0.1:9", "/jobs"),
    )
    .unwrap();
    std::fs::write(
        dir.join("scrapers/typo.toml"),
        "kind = \"html\"\nstart_urls = [\"https://x.test/\"]\n[list]\nitem = \"div..card\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("scrapers/unknown.toml"),
        "kind = \"html\"\nstart_url = [\"https://x.test/\"]\n[list]\nitem = \"li\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n",
    )
    .unwrap();
    let out = aeroscrap(dir).args(["sources", "check"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("ok     ok "), "{stdout}");
    assert!(
        stdout.contains("scrapers/typo.toml: key `list.item`: bad CSS selector \"div..card\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("scrapers/unknown.toml: key `start_url`: unknown field `start_url`"),
        "{stdout}"
    );
}

#[test]
fn demo_runs_offline_and_writes_the_daily_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = Command::cargo_bin("aeroscrap")
        .unwrap()
        .current_dir(dir)
        .args(["-q", "demo", "--demo-db", "demo.db", "--csv", "today.csv"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["demo-board", "demo-api", "demo-careers"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(name) && l.contains(" ok ")),
            "{name} not ok:\n{stdout}"
        );
    }
    let csv = std::fs::read_to_string(dir.join("today.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let rows = rdr.records().count();
    assert!(rows >= 40, "{rows} rows in the daily CSV");
    assert!(dir.join("demo-scrapers/demo-board.toml").exists());
}
