//! Logging: daily files in --log-dir, retention, JSON lines.

use std::path::Path;

use aeroscrap::logging::{log_file_day, prune_old_logs};
use assert_cmd::Command;
use chrono::{Days, NaiveDate, Utc};

fn touch(dir: &Path, name: &str) {
    std::fs::write(dir.join(name), "old line\n").unwrap();
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn retention_deletes_daily_files_older_than_n_days_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    for name in [
        "aeroscrap.2026-11-21.log", // today: kept
        "aeroscrap.2026-11-19.log", // 2 days old: kept with keep_days = 3
        "aeroscrap.2026-11-18.log", // 3 days old: outside the last 3 days
        "aeroscrap.2025-01-01.log", // ancient
        "notes.txt",                // not ours: never touched
        "aeroscrap.2020-01-01.log.gz",
    ] {
        touch(dir.path(), name);
    }
    let deleted = prune_old_logs(dir.path(), 3, today);
    let deleted: Vec<String> = deleted
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        deleted,
        ["aeroscrap.2025-01-01.log", "aeroscrap.2026-11-18.log"]
    );
    assert_eq!(
        names(dir.path()),
        [
            "aeroscrap.2020-01-01.log.gz",
            "aeroscrap.2026-11-19.log",
            "aeroscrap.2026-11-21.log",
            "notes.txt"
        ]
    );
}

#[test]
fn retention_of_zero_days_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    touch(dir.path(), "aeroscrap.2001-01-01.log");
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    assert!(prune_old_logs(dir.path(), 0, today).is_empty());
    assert_eq!(names(dir.path()), ["aeroscrap.2001-01-01.log"]);
}

fn day_name(days_ago: u64) -> String {
    let day = Utc::now().date_naive() - Days::new(days_ago);
    format!("aeroscrap.{}.log", day.format("%Y-%m-%d"))
}

#[test]
fn binary_writes_json_lines_to_stderr_and_to_todays_file_and_prunes_old_files() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    touch(&logs, &day_name(10));
    touch(&logs, &day_name(2));

    let out = Command::cargo_bin("aeroscrap")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .args(["-v", "--log-format", "json", "--log-retention-days", "5"])
        .arg("--log-dir")
        .arg(&logs)
        .arg("--db")
        .arg(dir.path().join("t.db"))
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect();
    let started = lines
        .iter()
        .find(|v| v["message"] == "aeroscrap started")
        .expect("a start line on stderr");
    assert_eq!(started["level"], "DEBUG");
    assert_eq!(started["version"], env!("CARGO_PKG_VERSION"));

    let mut expected = vec![day_name(2), day_name(0)];
    expected.sort();
    assert_eq!(names(&logs), expected, "the 10-day-old file is gone");
    let today = std::fs::read_to_string(logs.join(day_name(0))).unwrap();
    let file_lines: Vec<serde_json::Value> = today
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect();
    let messages: Vec<&str> = file_lines
        .iter()
        .filter_map(|v| v["message"].as_str())
        .collect();
    assert!(messages.contains(&"aeroscrap started"), "{messages:?}");
    let deleted = file_lines
        .iter()
        .find(|v| v["message"] == "deleted old log file")
        .expect("the pruning is logged");
    assert!(deleted["file"].as_str().unwrap().ends_with(&day_name(10)));
    assert!(log_file_day(&day_name(0)).is_some());
}

#[test]
fn text_format_and_quiet_keep_stderr_clean_but_still_log_to_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let out = Command::cargo_bin("aeroscrap")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .arg("-q")
        .arg("--log-dir")
        .arg(&logs)
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(names(&logs), [day_name(0)]);
}

#[test]
fn a_bad_rust_log_filter_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("aeroscrap")
        .unwrap()
        .current_dir(dir.path())
        .env("RUST_LOG", "aeroscrap=[[[")
        .args(["--log-dir", "", "completions", "bash"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("RUST_LOG"));
}
