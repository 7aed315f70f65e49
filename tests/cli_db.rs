//! `aeroscrap db …`, `jobs …` and `stats`, and crash safety: a `kill -9` in the middle of an
//! ingest leaves a database that passes `db check`, and a rerun completes without duplicates.
//!
//! Why it holds: the pipeline writes in transactions of `BATCH_SIZE` records and SQLite (WAL,
//! synchronous=NORMAL) rolls an uncommitted transaction back on the next open, so a killed
//! process leaves whole batches only; the rerun then finds every stored listing by its source
//! id or URL and only adds the rest.

mod common;

use std::io::BufWriter;
use std::time::{Duration, Instant};

use common::{Workspace, distinct_lines, path_str};
use serde_json::Value;

#[test]
fn db_check_passes_on_a_fresh_database_and_backup_is_a_valid_copy() {
    let ws = Workspace::new();
    let feed = ws.write_lines("feed.jsonl", &distinct_lines(1, 100));
    ws.cmd(&["ingest", path_str(&feed)]).assert().code(0);
    ws.cmd(&["db", "check"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("integrity: ok"))
        .stdout(predicates::str::contains("schema version"));
    let backup = ws.path("backups/copy.db");
    ws.cmd(&["db", "backup", path_str(&backup)])
        .assert()
        .code(0);
    let conn = rusqlite::Connection::open(&backup).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM jobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 100);
}

#[test]
fn db_check_fails_on_a_missing_or_corrupt_database() {
    let ws = Workspace::new();
    ws.cmd(&["db", "check"]).assert().code(1);
    std::fs::write(ws.db(), b"this is not a database, just text padding it out").unwrap();
    ws.cmd(&["db", "check"]).assert().code(1);
}

#[test]
fn db_migrate_reports_the_current_version() {
    let ws = Workspace::new();
    ws.cmd(&["db", "migrate"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("applied 0001_init.sql"));
    ws.cmd(&["db", "migrate"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("is current"));
}

#[test]
fn kill_9_mid_ingest_leaves_a_consistent_database_and_a_rerun_completes() {
    let ws = Workspace::new();
    let feed = ws.path("big.jsonl");
    let n = 6_000;
    {
        let mut out = BufWriter::new(std::fs::File::create(&feed).unwrap());
        aeroscrap::synth::write_jsonl(11, n, &mut out).unwrap();
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aeroscrap"))
        .current_dir(ws.dir.path())
        .arg("--db")
        .arg(ws.db())
        .args(["-q", "ingest"])
        .arg(&feed)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill once some batches are committed (or give up waiting and kill anyway).
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
        if ws.db().exists() {
            let conn = rusqlite::Connection::open(ws.db()).unwrap();
            let stored: i64 = conn
                .query_row("SELECT count(*) FROM job_sources", [], |r| r.get(0))
                .unwrap_or(0);
            if stored >= 2_000 {
                break;
            }
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = ws.count("SELECT count(*) FROM job_sources");
    assert_eq!(partial % 1000, 0, "only whole batches survive: {partial}");

    ws.cmd(&["db", "check"]).assert().code(0);
    ws.cmd(&["ingest", path_str(&feed)]).assert().code(0);
    // Same result as one clean run into a fresh database.
    let clean = Workspace::new();
    clean.cmd(&["ingest", path_str(&feed)]).assert().code(0);
    for sql in [
        "SELECT count(*) FROM jobs",
        "SELECT count(*) FROM job_sources",
        "SELECT count(DISTINCT url) FROM job_sources",
    ] {
        assert_eq!(ws.count(sql), clean.count(sql), "{sql}");
    }
    assert_eq!(ws.count("SELECT count(*) FROM job_sources"), n as i64);
}

#[test]
fn jobs_list_show_search_and_stats_read_the_stored_jobs() {
    let ws = Workspace::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/sample.jsonl");
    ws.cmd(&["ingest", path_str(&sample)]).assert().code(0);

    let out = ws
        .cmd(&["jobs", "search", "Cargolux", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let hits: Vec<Value> = serde_json::from_slice(&out).unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["title"].as_str().unwrap().contains("747")),
        "{hits:?}"
    );
    let id = hits[0]["id"].as_i64().unwrap().to_string();
    let title = hits[0]["title"].as_str().unwrap();
    ws.cmd(&["jobs", "show", &id])
        .assert()
        .code(0)
        .stdout(predicates::str::contains(format!(
            "title           {title}"
        )));
    ws.cmd(&["jobs", "show", "999999"]).assert().code(3);

    let out = ws
        .cmd(&["jobs", "list", "--limit", "5", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(serde_json::from_slice::<Vec<Value>>(&out).unwrap().len(), 5);

    let out = ws
        .cmd(&["stats", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let stats: Value = serde_json::from_slice(&out).unwrap();
    let jobs = stats["totals"]["jobs"].as_u64().unwrap();
    assert!(jobs > 0 && jobs <= 40);
    assert_eq!(stats["totals"]["listings"], 40);
    let by_status: u64 = stats["by_status"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_status, jobs);
    assert_eq!(stats["by_source"]["cargolux"], 1);
}

#[test]
fn jobs_explain_gives_the_verdict_and_the_facts() {
    let ws = Workspace::new();
    let a = r#"{"source":"a","url":"https://a.example/1","title":"Captain A320","company":"Example Air"}"#;
    let b = r#"{"source":"b","url":"https://b.example/1","title":"Captain A330","company":"Example Air"}"#;
    let feed = ws.write_lines("feed.jsonl", &[a.to_string(), b.to_string()]);
    ws.cmd(&["ingest", path_str(&feed)]).assert().code(0);
    ws.cmd(&["jobs", "explain", "1", "2"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("job 1 vs job 2: different jobs"))
        .stdout(predicates::str::contains("reason:"))
        .stdout(predicates::str::contains("same block key:"));
}
