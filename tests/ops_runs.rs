//! `aeroscrap runs`, `runs show ID` and `aeroscrap expire` on a real database file.

use std::collections::BTreeMap;
use std::path::Path;

use aeroscrap::model::RawRecord;
use aeroscrap::ops::lock::RunLock;
use aeroscrap::pipeline::{Origin, Pipeline};
use aeroscrap::store::{SourceRunLog, Store};
use assert_cmd::Command;
use predicates::str::contains;

fn rec(source: &str, n: usize) -> RawRecord {
    RawRecord {
        source: source.into(),
        url: format!("https://{source}.example/jobs/{n}"),
        external_id: Some(n.to_string()),
        title: format!("Aircraft Maintenance Technician {n}"),
        company: Some("Example MRO".into()),
        scraped_at: Some("2026-11-20T08:00:00Z".into()),
        ..Default::default()
    }
}

fn log(source: &str, status: &str, found: u64) -> SourceRunLog {
    SourceRunLog {
        source: source.into(),
        status: status.into(),
        items_found: found,
        items_new: found,
        pages_fetched: 3,
        duration_ms: 2_500,
        ..Default::default()
    }
}

/// Run 1: goose ok (items 1-3) + indigo blocked; run 2: goose ok (items 1-2) + indigo error.
fn seed(db: &Path) {
    let mut p = Pipeline::new(Store::open(db).unwrap()).unwrap();
    let r1 = p.store().begin_run("cli").unwrap();
    p.set_run(Some(r1));
    for n in 1..=3 {
        p.push(rec("goose", n), Origin::Line(n as u64)).unwrap();
    }
    p.flush().unwrap();
    let mut goose = log("goose", "ok", 3);
    goose.http_status = BTreeMap::from([(200, 3)]);
    p.store().record_source(r1, &goose).unwrap();
    let mut indigo = log("indigo", "blocked", 0);
    indigo.http_status = BTreeMap::from([(200, 1), (403, 2)]);
    indigo.retries = 2;
    indigo.error = Some("Akamai failover page (\"Something went wrong\")".into());
    p.store().record_source(r1, &indigo).unwrap();
    p.store().finish_run(r1, "partial").unwrap();

    let r2 = p.store().begin_run("timer").unwrap();
    p.set_run(Some(r2));
    for n in 1..=2 {
        p.push(rec("goose", n), Origin::Line(n as u64)).unwrap();
    }
    p.flush().unwrap();
    p.store().record_source(r2, &log("goose", "ok", 2)).unwrap();
    let mut indigo = log("indigo", "error", 0);
    indigo.http_status = BTreeMap::from([(500, 4)]);
    indigo.retries = 3;
    indigo.error = Some("HTTP 500 after 3 retries\nbody: oops".into());
    p.store().record_source(r2, &indigo).unwrap();
    p.store().finish_run(r2, "partial").unwrap();
}

fn aeroscrap(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("aeroscrap").unwrap();
    cmd.current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("AEROSCRAP_DB")
        .args(["-q", "--log-dir", "", "--db", "jobs.db"]);
    cmd
}

fn json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn runs_lists_newest_first_with_per_status_counts() {
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("jobs.db"));
    let runs = json(aeroscrap(dir.path()).args(["runs", "--json"]));
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["id"], 2);
    assert_eq!(runs[0]["trigger"], "timer");
    assert_eq!(runs[0]["status"], "partial");
    assert_eq!(runs[0]["sources"], 2);
    assert_eq!(runs[0]["items_found"], 2);
    assert_eq!(
        runs[0]["source_status"],
        serde_json::json!({"error": 1, "ok": 1})
    );
    assert_eq!(
        runs[1]["source_status"],
        serde_json::json!({"blocked": 1, "ok": 1})
    );

    let last = json(aeroscrap(dir.path()).args(["runs", "--last", "1", "--json"]));
    assert_eq!(last.as_array().unwrap().len(), 1);
    let none = json(aeroscrap(dir.path()).args(["runs", "--source", "nosuch", "--json"]));
    assert_eq!(none.as_array().unwrap().len(), 0);

    aeroscrap(dir.path())
        .arg("runs")
        .assert()
        .success()
        .stdout(contains("PROBLEMS"))
        .stdout(contains("blocked 1"))
        .stdout(contains("error 1"));
}

#[test]
fn runs_show_gives_per_source_rows_http_counts_retries_and_top_errors() {
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("jobs.db"));
    let d = json(aeroscrap(dir.path()).args(["runs", "show", "1", "--json"]));
    assert_eq!(d["id"], 1);
    assert_eq!(d["http_status"], serde_json::json!({"200": 4, "403": 2}));
    assert_eq!(d["retries"], 2);
    let per = d["per_source"].as_array().unwrap();
    assert_eq!(per.len(), 2);
    assert_eq!(per[1]["source"], "indigo");
    assert_eq!(per[1]["status"], "blocked");
    assert_eq!(per[1]["duration_ms"], 2500);
    assert_eq!(
        d["top_errors"],
        serde_json::json!([["Akamai failover page (\"Something went wrong\")", 1]])
    );

    aeroscrap(dir.path())
        .args(["runs", "show", "2"])
        .assert()
        .success()
        .stdout(contains("Run 2 — partial (trigger timer)"))
        .stdout(contains("500×4"))
        .stdout(contains("retries 3"))
        .stdout(contains("1× HTTP 500 after 3 retries"));

    aeroscrap(dir.path())
        .args(["runs", "show", "99"])
        .assert()
        .code(3)
        .stderr(contains("no run with id 99"));
}

#[test]
fn expire_dry_run_shows_what_would_go_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jobs.db");
    seed(&db);
    // goose item 3 was missed by one good run; with --expire-after-runs 1 it would go.
    let report = json(aeroscrap(dir.path()).args([
        "expire",
        "--dry-run",
        "--expire-after-runs",
        "1",
        "--json",
    ]));
    let goose = report
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "goose")
        .unwrap();
    assert_eq!(goose["listings"][0]["url"], "https://goose.example/jobs/3");
    let active: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM job_sources WHERE active = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(active, 3);

    aeroscrap(dir.path())
        .args(["expire", "--dry-run", "--expire-after-runs", "1"])
        .assert()
        .success()
        .stdout(contains("goose: would expire 1 listing(s)"))
        .stdout(contains("nothing changed"));

    // With the default of 3 runs nothing is due yet.
    aeroscrap(dir.path())
        .arg("expire")
        .assert()
        .success()
        .stdout(contains("goose: nothing to expire"));
}

#[test]
fn expire_refuses_with_exit_4_while_a_scrape_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jobs.db");
    seed(&db);
    let held = RunLock::acquire(&db, None).unwrap();
    aeroscrap(dir.path())
        .arg("expire")
        .assert()
        .code(4)
        .stderr(contains(format!("PID {}", held.holder().pid)))
        .stderr(contains("aeroscrap scrape"));
    // Dry runs only read, so they work during a scrape.
    aeroscrap(dir.path())
        .args(["expire", "--dry-run"])
        .assert()
        .success();
}

#[test]
fn expire_uses_each_source_files_expire_after_runs_unless_the_flag_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("jobs.db"));
    std::fs::create_dir(dir.path().join("scrapers")).unwrap();
    std::fs::write(
        dir.path().join("scrapers/goose.toml"),
        "kind = \"json\"\nexpire_after_runs = 1\nurl = \"https://api.goose.test/jobs\"\n\
         items = \"jobs\"\n[fields]\ntitle = \"title\"\nurl = \"url\"\n",
    )
    .unwrap();
    aeroscrap(dir.path())
        .args(["expire", "--dry-run"])
        .assert()
        .success()
        .stdout(contains("goose: would expire 1 listing(s)"));
    aeroscrap(dir.path())
        .args(["expire", "--dry-run", "--expire-after-runs", "3"])
        .assert()
        .success()
        .stdout(contains("goose: nothing to expire"));
}
