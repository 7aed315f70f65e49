//! SQLite store: open + migrate, upsert, queries, crawl log, rejects.
//!
//! One [`Store`] wraps one connection. Writers batch their work in transactions (see
//! [`crate::pipeline::Pipeline`]); readers (export, `jobs`, `stats`) stream rows with prepared
//! statements so memory stays flat however large the database grows. WAL mode lets a backup or
//! an export read while a scrape writes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use rusqlite::Connection;

pub mod blocking;
pub mod companies;
mod crawl;
pub mod fast;
pub mod lookahead;
mod migrate;
pub mod query;
mod rejects;
pub mod upsert;

pub use crawl::{RunSummary, SourceRunLog};
pub use migrate::{MIGRATIONS, latest_version};
pub use rejects::RejectRow;

/// How long a statement waits for another connection's lock before failing.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The AeroScrap database.
pub struct Store {
    /// Statements bound without copies, by SQL text (see [`Store::fast`]). Declared before
    /// `conn`, so they are finalized before it closes.
    fast: RefCell<HashMap<(usize, usize), fast::FastStmt>>,
    conn: Connection,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating it and its parent directory if needed) the database at `path` and
    /// applies pending migrations.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        let store = Store::open_unmigrated(path)?;
        store
            .migrate()
            .with_context(|| format!("migrating database {}", path.display()))?;
        Ok(store)
    }

    /// Opens the database at `path` without applying migrations (for `db check`).
    pub fn open_unmigrated(path: &Path) -> anyhow::Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating directory {}", parent.display()))?;
        }
        let conn = Connection::open(path)
            .with_context(|| format!("opening database {}", path.display()))?;
        let store = Store {
            fast: RefCell::default(),
            conn,
            path: Some(path.to_path_buf()),
        };
        store
            .configure()
            .with_context(|| format!("configuring database {}", path.display()))?;
        Ok(store)
    }

    /// A fresh, migrated in-memory database (tests).
    pub fn open_in_memory() -> anyhow::Result<Store> {
        let store = Store {
            fast: RefCell::default(),
            conn: Connection::open_in_memory()?,
            path: None,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn configure(&self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(DEFAULT_BUSY_TIMEOUT)?;
        // journal_mode returns a row, so it is read rather than executed.
        let _mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        self.conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -16384;",
        )?;
        self.conn.set_prepared_statement_cache_capacity(64);
        // Plans must not depend on bound values: without this, SQLite (built with STAT4)
        // re-prepares a cached statement whenever a parameter used in a range constraint is
        // rebound — the writer's candidate lookup was re-parsed on every record.
        self.conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        Ok(())
    }

    /// Runs `run` with the statement for `sql`, prepared on first use and kept: a
    /// [`fast::FastStmt`], which binds text without copying it. For the statements run per
    /// stored record; `sql` must be a `'static` string (it is keyed by address).
    pub(crate) fn fast<T>(
        &self,
        sql: &'static str,
        run: impl FnOnce(&mut fast::FastStmt) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let mut statements = self.fast.borrow_mut();
        let stmt = match statements.entry((sql.as_ptr() as usize, sql.len())) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(fast::FastStmt::prepare(&self.conn, sql)?)
            }
        };
        run(stmt)
    }

    /// The underlying connection.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The database file, `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

/// The lookup key of a canonical listing URL (`job_sources.url_key`): its xxh3 hash as a
/// signed 64-bit integer. Not unique by itself: look up `url_key = ? AND url = ?`.
pub fn url_key(url: &str) -> i64 {
    xxhash_rust::xxh3::xxh3_64(url.as_bytes()) as i64
}

/// Current time as stored: RFC 3339 UTC with second precision.
pub fn now_text() -> String {
    ts_text(chrono::Utc::now())
}

/// A timestamp as stored: RFC 3339 UTC with second precision (`2026-11-21T11:13:27Z`).
pub fn ts_text(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
