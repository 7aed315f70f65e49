//! Rejected input: every record we could not store, verbatim, with where it came from and why.

use rusqlite::params;
use serde::Serialize;

use super::{Store, now_text};

/// One rejected record (a `rejects` row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectRow {
    /// Crawl run, when the record came from a scrape.
    pub run_id: Option<i64>,
    /// Source name, when known.
    pub source: Option<String>,
    /// Where it came from: `file.jsonl:17` or a page URL.
    pub origin: String,
    /// Line number in the input file, when it came from a file.
    pub line: Option<u64>,
    /// Why it was rejected.
    pub reason: String,
    /// The input as read (a JSON line, a CSV row as JSON, or a serialized record).
    pub raw: String,
}

impl Store {
    /// Stores one rejected record.
    pub fn insert_reject(&self, r: &RejectRow) -> anyhow::Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO rejects (run_id, source, origin, line, reason, raw, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        stmt.execute(params![
            r.run_id,
            r.source,
            r.origin,
            r.line.map(|l| l as i64),
            r.reason,
            r.raw,
            now_text()
        ])?;
        Ok(())
    }

    /// The number of stored rejects.
    pub fn reject_count(&self) -> anyhow::Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM rejects", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}
