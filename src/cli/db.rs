//! `aeroscrap db migrate|check|backup`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Subcommand;

use super::GlobalArgs;
use crate::error::{CliError, CmdResult, Exit};
use crate::store::{Store, latest_version};

/// Pages copied per backup step; the source stays writable between steps.
const BACKUP_PAGES_PER_STEP: std::os::raw::c_int = 1024;
/// Pause between backup steps, so a running scrape gets the lock in between.
const BACKUP_STEP_PAUSE: Duration = Duration::from_millis(5);

/// Subcommands of `aeroscrap db`.
#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Apply pending migrations.
    Migrate,
    /// Integrity check and schema version.
    Check,
    /// Online backup to PATH (safe while a scrape runs).
    Backup {
        /// Destination file.
        path: PathBuf,
    },
}

/// Runs `aeroscrap db …`.
pub fn run(g: &GlobalArgs, c: DbCmd) -> CmdResult {
    match c {
        DbCmd::Migrate => {
            let store = Store::open_unmigrated(&g.db)?;
            let applied = store.migrate()?;
            if applied.is_empty() {
                println!(
                    "{}: schema version {} is current",
                    g.db.display(),
                    store.schema_version()?
                );
            } else {
                for name in applied {
                    println!("applied {name}");
                }
                println!(
                    "{}: schema version {}",
                    g.db.display(),
                    store.schema_version()?
                );
            }
            Ok(Exit::Success)
        }
        DbCmd::Check => check(g),
        DbCmd::Backup { path } => {
            if !g.db.exists() {
                return Err(CliError::config(anyhow::anyhow!(
                    "database {} does not exist",
                    g.db.display()
                )));
            }
            let store = Store::open_unmigrated(&g.db)?;
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating directory {}", parent.display()))?;
            }
            let mut dest = rusqlite::Connection::open(&path)
                .with_context(|| format!("opening backup file {}", path.display()))?;
            let backup = rusqlite::backup::Backup::new(store.conn(), &mut dest)?;
            backup
                .run_to_completion(BACKUP_PAGES_PER_STEP, BACKUP_STEP_PAUSE, None)
                .with_context(|| format!("backing up to {}", path.display()))?;
            drop(backup);
            println!("backed up {} to {}", g.db.display(), path.display());
            Ok(Exit::Success)
        }
    }
}

/// `PRAGMA integrity_check` plus the schema version; exit 1 when either is wrong.
fn check(g: &GlobalArgs) -> CmdResult {
    if !g.db.exists() {
        return Err(CliError::fatal(anyhow::anyhow!(
            "database {} does not exist",
            g.db.display()
        )));
    }
    let store = Store::open_unmigrated(&g.db)?;
    let mut stmt = store.conn().prepare("PRAGMA integrity_check")?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<_, _>>()?;
    let version = store.schema_version()?;
    let fts: Result<(), rusqlite::Error> = store
        .conn()
        .execute_batch("INSERT INTO jobs_fts (jobs_fts, rank) VALUES ('integrity-check', 1)");
    let mut ok = true;
    if problems != ["ok"] {
        ok = false;
        for p in &problems {
            println!("integrity: {p}");
        }
    } else {
        println!("integrity: ok");
    }
    match fts {
        Ok(()) => println!("full-text index: ok"),
        Err(e) => {
            ok = false;
            println!("full-text index: {e}");
        }
    }
    if version == latest_version() {
        println!("schema version: {version} (current)");
    } else {
        ok = false;
        println!(
            "schema version: {version}, this binary expects {} (run `aeroscrap db migrate`)",
            latest_version()
        );
    }
    if ok {
        Ok(Exit::Success)
    } else {
        Err(CliError::fatal(anyhow::anyhow!(
            "database {} failed its check",
            g.db.display()
        )))
    }
}
