//! Operations around a real `aeroscrap scrape` against a loopback JSON API we control: the run
//! lock (exit 4 / --wait), kill -9 then rerun, Ctrl-C (exit 130, run `interrupted`), and guarded
//! expiry over several runs (vanished jobs expire after three good runs; a collapse in the
//! number of jobs is `suspect`, exits 2 and expires nothing).

use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aeroscrap::ops::lock::{lock_path, read_holder};
use assert_cmd::Command;
use assert_cmd::cargo::CommandCargoExt as _;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

/// What the fixture API serves: `count` jobs (ids `first..first+count`), 10 per page, each
/// page answered after `delay_ms`.
#[derive(Debug, Clone, Copy)]
struct Site {
    first: usize,
    count: usize,
    delay_ms: u64,
}

type Shared = Arc<Mutex<Site>>;

async fn jobs(
    State(site): State<Shared>,
    Query(q): Query<std::collections::HashMap<String, usize>>,
) -> Json<Value> {
    let s = *site.lock().unwrap();
    tokio::time::sleep(Duration::from_millis(s.delay_ms)).await;
    let page = q.get("p").copied().unwrap_or(1).max(1);
    let from = (page - 1) * 10;
    let items: Vec<Value> = (from..(from + 10).min(s.count))
        .map(|i| {
            let id = s.first + i;
            json!({"id": id, "title": format!("Line Maintenance Engineer B1 #{id}"),
                   "company": "Example Aero Services Ltd", "city": "Shannon, Ireland"})
        })
        .collect();
    Json(json!({"total": s.count, "jobs": items}))
}

/// Starts the fixture API on 127.0.0.1:0 in its own thread; returns its base URL.
fn serve(site: Shared) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let app = Router::new().route("/jobs", get(jobs)).with_state(site);
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{}", rx.recv().unwrap())
}

struct Farm {
    dir: tempfile::TempDir,
    site: Shared,
}

impl Farm {
    fn new(count: usize, delay_ms: u64) -> Farm {
        let site = Arc::new(Mutex::new(Site {
            first: 0,
            count,
            delay_ms,
        }));
        let base = serve(site.clone());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("aeroscrap.toml"),
            "contact = \"tests@aeroscrap.invalid\"\n[politeness]\ndelay_ms = 0\nretries = 0\ntimeout_ms = 10000\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("scrapers")).unwrap();
        std::fs::write(
            dir.path().join("scrapers/exampleaero.toml"),
            format!(
                "kind = \"json\"\nbase_url = \"{base}\"\nurl = \"/jobs?p={{page}}\"\nitems = \"jobs\"\n\
                 [fields]\ntitle = \"title\"\nurl = \"https://careers.exampleaero.test/job/{{id}}\"\n\
                 external_id = \"id\"\ncompany = \"company\"\nlocation = \"city\"\n\
                 [pagination]\nmode = \"page\"\npage_size = 10\ntotal = \"total\"\n"
            ),
        )
        .unwrap();
        Farm { dir, site }
    }

    fn set(&self, first: usize, count: usize) {
        let mut s = self.site.lock().unwrap();
        s.first = first;
        s.count = count;
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("jobs.db")
    }

    fn args(&self) -> Vec<String> {
        [
            "-q",
            "--log-dir",
            "",
            "--db",
            "jobs.db",
            "--config",
            "aeroscrap.toml",
            "--scrapers",
            "scrapers",
        ]
        .map(String::from)
        .to_vec()
    }

    fn cmd(&self, extra: &[&str]) -> Command {
        let mut c = Command::cargo_bin("aeroscrap").unwrap();
        c.current_dir(self.dir.path())
            .env_remove("RUST_LOG")
            .env_remove("AEROSCRAP_DB")
            .args(self.args())
            .args(extra);
        c
    }

    fn spawn(&self, extra: &[&str]) -> Child {
        StdCommand::cargo_bin("aeroscrap")
            .unwrap()
            .current_dir(self.dir.path())
            .env_remove("RUST_LOG")
            .env_remove("AEROSCRAP_DB")
            .args(self.args())
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    fn query<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn runs(&self) -> Vec<Value> {
        let out = self.cmd(&["runs", "--json"]).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }
}

/// Waits until a scrape holds the lock of `db` and returns the holder's PID.
fn wait_for_holder(db: &Path) -> u32 {
    let start = Instant::now();
    loop {
        if let Some(h) = read_holder(&lock_path(db)) {
            return h.pid;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no scrape took the lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("scrape did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

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
