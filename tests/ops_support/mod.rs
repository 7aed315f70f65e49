//! Shared by the ops tests: a loopback JSON API whose jobs we change between runs, a
//! workspace with configs pointing at it, and the real binary.
#![allow(dead_code)]

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
pub struct Site {
    pub first: usize,
    pub count: usize,
    pub delay_ms: u64,
}

pub type Shared = Arc<Mutex<Site>>;

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

pub struct Farm {
    pub dir: tempfile::TempDir,
    pub site: Shared,
}

impl Farm {
    pub fn new(count: usize, delay_ms: u64) -> Farm {
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

    pub fn set(&self, first: usize, count: usize) {
        let mut s = self.site.lock().unwrap();
        s.first = first;
        s.count = count;
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("jobs.db")
    }

    pub fn args(&self) -> Vec<String> {
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

    pub fn cmd(&self, extra: &[&str]) -> Command {
        let mut c = Command::cargo_bin("aeroscrap").unwrap();
        c.current_dir(self.dir.path())
            .env_remove("RUST_LOG")
            .env_remove("AEROSCRAP_DB")
            .args(self.args())
            .args(extra);
        c
    }

    pub fn spawn(&self, extra: &[&str]) -> Child {
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

    pub fn query<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    pub fn runs(&self) -> Vec<Value> {
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
pub fn wait_for_holder(db: &Path) -> u32 {
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

pub fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
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
