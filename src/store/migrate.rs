//! Schema migrations: the numbered files of `migrations/`, embedded by `build.rs`, applied in
//! order on open. The schema version is SQLite's `PRAGMA user_version`.

use anyhow::Context;
use rusqlite::TransactionBehavior;

use super::Store;

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The schema version this binary migrates to.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

impl Store {
    /// The schema version of the open database (0 for an empty one).
    pub fn schema_version(&self) -> anyhow::Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Applies every migration newer than the database, each in its own transaction.
    /// Returns the names of the migrations applied.
    pub fn migrate(&self) -> anyhow::Result<Vec<&'static str>> {
        let current = self.schema_version()?;
        if current > latest_version() {
            anyhow::bail!(
                "database schema version {current} is newer than this binary knows ({}); \
                 upgrade aeroscrap",
                latest_version()
            );
        }
        let mut applied = Vec::new();
        for &(version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            // An exclusive lock: two processes opening a fresh database must not both migrate.
            let tx =
                rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
            let now: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now >= version {
                continue;
            }
            tx.execute_batch(sql)
                .with_context(|| format!("applying migration {name}"))?;
            after_migration(&tx, version).with_context(|| format!("applying migration {name}"))?;
            tx.execute_batch(&format!("PRAGMA user_version = {version}"))?;
            tx.commit()?;
            tracing::info!(migration = name, version, "applied migration");
            applied.push(name);
        }
        Ok(applied)
    }
}

/// The part of a migration SQL cannot do, run in the migration's transaction.
fn after_migration(conn: &rusqlite::Connection, version: u32) -> anyhow::Result<()> {
    if version == MATCH_KEYS_VERSION {
        let filed = super::blocking::file_jobs(conn, "1", &[])?;
        if filed > 0 {
            tracing::info!(
                jobs = filed,
                "filed existing jobs under title-token match keys"
            );
        }
    }
    if version == URL_KEY_VERSION {
        fill_url_keys(conn)?;
    }
    Ok(())
}

/// The migration that creates `match_keys` (0005_match_keys.sql).
const MATCH_KEYS_VERSION: u32 = 5;
/// The migration that adds `job_sources.url_key` (0006_listing_url_key.sql).
const URL_KEY_VERSION: u32 = 6;

/// Writes [`super::url_key`] of every listing (SQL has no xxh3).
fn fill_url_keys(conn: &rusqlite::Connection) -> anyhow::Result<()> {
    let mut read = conn.prepare("SELECT id, url FROM job_sources")?;
    let mut write = conn.prepare("UPDATE job_sources SET url_key = ?2 WHERE id = ?1")?;
    let mut rows = read.query([])?;
    let mut filled = 0u64;
    while let Some(r) = rows.next()? {
        let (id, url): (i64, String) = (r.get(0)?, r.get(1)?);
        write.execute(rusqlite::params![id, super::url_key(&url)])?;
        filled += 1;
    }
    if filled > 0 {
        tracing::info!(listings = filled, "keyed existing listings by URL hash");
    }
    Ok(())
}
