//! Helpers shared by the CLI tests: a temp workspace, the real binary, synthetic input files.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use aeroscrap::model::RawRecord;
use assert_cmd::Command;

/// A temporary directory holding a database and input files.
pub struct Workspace {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db(&self) -> PathBuf {
        self.path("jobs.db")
    }

    /// `aeroscrap --db <tmp>/jobs.db -q <args…>`, run inside the workspace.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("aeroscrap").unwrap();
        cmd.current_dir(self.dir.path())
            .env_remove("AEROSCRAP_DB")
            .env_remove("RUST_LOG")
            .arg("--db")
            .arg(self.db())
            .arg("-q")
            .args(args);
        cmd
    }

    /// Writes lines to a file in the workspace.
    pub fn write_lines(&self, name: &str, lines: &[String]) -> PathBuf {
        let path = self.path(name);
        let mut f = std::fs::File::create(&path).unwrap();
        for l in lines {
            writeln!(f, "{l}").unwrap();
        }
        path
    }

    /// Runs a query returning one integer against the workspace database.
    pub fn count(&self, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

/// `n` distinct synthetic records (no aggregator copies), as JSONL lines.
pub fn distinct_lines(seed: u64, n: usize) -> Vec<String> {
    aeroscrap::synth::Generator::new(seed, n, 0.0)
        .map(|r| serde_json::to_string(&r).unwrap())
        .collect()
}

/// A record with the given title and company, everything else plausible.
pub fn record(i: usize, title: &str, company: &str) -> RawRecord {
    RawRecord {
        source: "fixture".into(),
        url: format!("https://jobs.example.org/{i}"),
        title: title.into(),
        company: Some(company.into()),
        location: Some("Dublin, Ireland".into()),
        scraped_at: Some("2026-11-20T08:00:00Z".into()),
        ..Default::default()
    }
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}
