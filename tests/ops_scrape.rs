//! Operations around a real `aeroscrap scrape` against a loopback JSON API we control: the run
//! lock (exit 4 / --wait), kill -9 then rerun, Ctrl-C (exit 130, run `interrupted`), and guarded
//! expiry over several runs (vanished jobs expire after three good runs; a collapse in the
//! number of jobs is `suspect`, exits 2 and expires nothing).

mod ops_support;

use std::time::Duration;

use aeroscrap::ops::lock::{lock_path, read_holder};
use ops_support::{Farm, wait_exit, wait_for_holder};
use serde_json::json;

#[test]
fn vanished_jobs_expire_after_three_good_runs_and_a_collapse_is_suspect() {
    let farm = Farm::new(20, 0);
    farm.cmd(&["scrape"]).assert().code(0);
    assert_eq!(
        farm.query::<i64>("SELECT count(*) FROM jobs WHERE status = 'active'"),
        20
    );

    // Jobs 16..19 are taken down; three good runs later they are expired.
    farm.set(0, 16);
    for run in 2..=4 {
        farm.cmd(&["scrape"]).assert().code(0);
        let expired: i64 = farm.query("SELECT count(*) FROM jobs WHERE status = 'expired'");
        assert_eq!(expired, if run < 4 { 0 } else { 4 }, "after run {run}");
    }
    let logged: i64 = farm.query("SELECT items_expired FROM crawl_log ORDER BY id DESC LIMIT 1");
    assert_eq!(logged, 4);

    // The site breaks: zero jobs. Suspect, exit 2, nothing expired.
    farm.set(0, 0);
    farm.cmd(&["scrape"]).assert().code(2);
    // Then a page that shows only 3 of its 16 jobs (< 30 % of the median): suspect again.
    farm.set(0, 3);
    farm.cmd(&["scrape"]).assert().code(2);
    farm.cmd(&["scrape"]).assert().code(2);
    farm.cmd(&["scrape"]).assert().code(2);
    assert_eq!(
        farm.query::<i64>("SELECT count(*) FROM jobs WHERE status = 'active'"),
        16
    );
    let (status, error): (String, String) = {
        let conn = rusqlite::Connection::open(farm.db()).unwrap();
        conn.query_row(
            "SELECT status, error FROM crawl_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert_eq!(status, "suspect");
    assert!(
        error.contains("found 3 items") && error.contains("median 16"),
        "{error}"
    );
    let last = &farm.runs()[0];
    assert_eq!(last["source_status"], json!({"suspect": 1}));

    // The site is fixed and one vanished job is back: it is active again.
    farm.set(0, 17);
    farm.cmd(&["scrape"]).assert().code(0);
    assert_eq!(
        farm.query::<i64>("SELECT count(*) FROM jobs WHERE status = 'active'"),
        17
    );
}

#[test]
fn a_second_scrape_exits_4_naming_the_holder_and_one_with_wait_runs_after_it() {
    let farm = Farm::new(40, 400); // 4 pages × 0.4 s
    let mut first = farm.spawn(&["scrape"]);
    let pid = wait_for_holder(&farm.db());
    assert_eq!(pid, first.id());

    let out = farm.cmd(&["scrape"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("PID {pid}")), "{stderr}");
    assert!(stderr.contains("started "), "{stderr}");

    // --wait: blocks until the first run is done, then scrapes.
    farm.cmd(&["scrape", "--wait", "60"]).assert().code(0);
    assert!(wait_exit(&mut first, Duration::from_secs(60)).success());
    let runs = farm.runs();
    assert_eq!(runs.len(), 2, "the refused run never started: {runs:?}");
    assert!(runs.iter().all(|r| r["status"] == "ok"), "{runs:?}");
}

#[test]
fn a_scrape_killed_with_sigkill_leaves_no_lock_and_the_rerun_completes() {
    let farm = Farm::new(60, 300);
    let mut victim = farm.spawn(&["scrape"]);
    wait_for_holder(&farm.db());
    std::thread::sleep(Duration::from_millis(700));
    victim.kill().unwrap();
    victim.wait().unwrap();

    farm.set(0, 60);
    {
        let mut s = farm.site.lock().unwrap();
        s.delay_ms = 0;
    }
    farm.cmd(&["scrape"]).assert().code(0);
    farm.cmd(&["db", "check"]).assert().code(0);
    let runs = farm.runs();
    assert_eq!(runs[0]["status"], "ok");
    assert_eq!(
        runs[1]["status"], "abandoned",
        "the killed run is closed, not left running"
    );
    assert_eq!(farm.query::<i64>("SELECT count(*) FROM jobs"), 60);
    assert_eq!(
        farm.query::<i64>("SELECT count(*) FROM job_sources"),
        60,
        "no duplicates"
    );
}

#[test]
fn ctrl_c_stops_fetching_keeps_what_was_fetched_marks_the_run_interrupted_and_exits_130() {
    let farm = Farm::new(200, 300); // 20 pages × 0.3 s: far from done after 1.2 s
    let mut child = farm.spawn(&["scrape"]);
    wait_for_holder(&farm.db());
    std::thread::sleep(Duration::from_millis(1200));
    // SAFETY: plain kill(2) on our own child's PID.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let status = wait_exit(&mut child, Duration::from_secs(30));
    assert_eq!(status.code(), Some(130));

    let runs = farm.runs();
    assert_eq!(runs[0]["status"], "interrupted");
    let stored: i64 = farm.query("SELECT count(*) FROM jobs");
    assert!(
        stored > 0 && stored < 200,
        "kept the {stored} jobs fetched before Ctrl-C"
    );
    assert_eq!(
        farm.query::<String>("SELECT status FROM crawl_log"),
        "interrupted"
    );
    assert!(
        read_holder(&lock_path(&farm.db())).is_none(),
        "lock released"
    );
}
