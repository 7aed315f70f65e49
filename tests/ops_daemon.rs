//! `aeroscrap daemon`: runs scheduled batches through the real scrape, one daemon per
//! database, SIGTERM ends it cleanly (mid-batch: the run is `interrupted`).

mod ops_support;

use std::time::{Duration, Instant};

use ops_support::{Farm, wait_exit};

/// A schedule that never comes round during a test (midnight on 1 January).
const NEVER_SOON: &str = "0 0 1 1 *";

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn sigterm(child: &std::process::Child) {
    // SAFETY: plain kill(2) on our own child's PID.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
}

fn runs_with_status(farm: &Farm, status: &str) -> usize {
    if !farm.db().exists() {
        return 0;
    }
    farm.runs().iter().filter(|r| r["status"] == status).count()
}

#[test]
fn the_daemon_runs_a_batch_refuses_a_second_daemon_and_stops_cleanly_on_sigterm() {
    let farm = Farm::new(12, 0);
    let mut daemon = farm.spawn(&["daemon", "--run-now", "--schedule", NEVER_SOON]);
    wait_until("the first scheduled run", || {
        runs_with_status(&farm, "ok") == 1
    });
    let runs = farm.runs();
    assert_eq!(runs[0]["trigger"], "daemon");
    assert_eq!(runs[0]["items_found"], 12);

    // A second daemon on the same database: exit 4 naming the first.
    let out = farm
        .cmd(&["daemon", "--schedule", NEVER_SOON])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("PID {}", daemon.id())), "{stderr}");

    // A manual scrape still works between the daemon's slots.
    farm.cmd(&["scrape"]).assert().code(0);

    sigterm(&daemon);
    let status = wait_exit(&mut daemon, Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "SIGTERM is a clean stop");
}

#[test]
fn sigterm_during_a_batch_marks_the_run_interrupted_and_exits_cleanly() {
    let farm = Farm::new(200, 300); // 20 pages × 0.3 s
    let mut daemon = farm.spawn(&["daemon", "--run-now", "--schedule", NEVER_SOON]);
    wait_until("the batch to start", || {
        runs_with_status(&farm, "running") == 1
    });
    std::thread::sleep(Duration::from_millis(1000));
    sigterm(&daemon);
    let status = wait_exit(&mut daemon, Duration::from_secs(20));
    assert_eq!(status.code(), Some(0));
    let runs = farm.runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["status"], "interrupted");
    let stored: i64 = farm.query("SELECT count(*) FROM jobs");
    assert!(stored > 0 && stored < 200, "{stored}");
}

#[test]
fn a_bad_schedule_is_a_configuration_error_naming_where_it_came_from() {
    let farm = Farm::new(1, 0);
    farm.cmd(&["daemon", "--schedule", "every morning"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "--schedule: schedule \"every morning\"",
        ));
}
