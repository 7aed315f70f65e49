//! The run lock: one scrape at a time per database.
//!
//! The lock is an OS file lock (`flock` through [`std::fs::File::try_lock`]) on `<db>.lock`
//! next to the database. The kernel drops it when the holding process dies, however it dies
//! (`kill -9`, OOM killer, power cut), so a stale lock can never block the next run — unlike a
//! PID file, which needs guessing whether the PID is still ours. The holder writes its PID,
//! start time and command into the file only so that the loser can say who holds it.
//!
//! The file is never deleted: deleting a lock file while another process waits on the old
//! inode would let two runs lock two different files.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{CliError, Exit};

/// How often a waiting run re-tries the lock.
pub const LOCK_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// Suffix appended to the database path to name its lock file.
pub const LOCK_SUFFIX: &str = ".lock";

/// Who holds the lock, as written by the holder into the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    /// Process id of the holder.
    pub pid: u32,
    /// When the holder took the lock.
    pub started_at: DateTime<Utc>,
    /// What the holder is doing (e.g. `scrape`, `daemon`).
    pub command: String,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let age = (Utc::now() - self.started_at).to_std().unwrap_or_default();
        let age = humantime::format_duration(Duration::from_secs(age.as_secs()));
        write!(
            f,
            "PID {} (aeroscrap {}), started {} ({age} ago)",
            self.pid,
            self.command,
            self.started_at.format("%Y-%m-%d %H:%M:%S UTC")
        )
    }
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// Another process holds the lock (after waiting `waited`, if a wait was asked for).
    #[error(
        "another aeroscrap run holds the lock {}: {}{}; wait for it with --wait [SECS] or stop it",
        .path.display(),
        .holder.as_ref().map_or_else(|| "holder unknown (it has not written its PID yet)".to_string(), |h| h.to_string()),
        if .waited.is_zero() { String::new() } else { format!(" — still held after waiting {}", humantime::format_duration(*.waited)) }
    )]
    Held {
        /// The lock file.
        path: PathBuf,
        /// The holder, if it could be read from the lock file.
        holder: Option<LockHolder>,
        /// How long this process waited before giving up.
        waited: Duration,
    },
    /// The lock file could not be opened, locked or written.
    #[error("cannot use the lock file {}: {source}", .path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl LockError {
    /// The process exit code this error maps to (4 when held, 1 otherwise).
    pub fn exit(&self) -> Exit {
        match self {
            LockError::Held { .. } => Exit::Locked,
            LockError::Io { .. } => Exit::Fatal,
        }
    }

    /// The CLI error carrying [`LockError::exit`].
    pub fn into_cli(self) -> CliError {
        CliError {
            exit: self.exit(),
            source: self.into(),
        }
    }
}

/// The path of the lock file for a database: `<db>.lock`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(LOCK_SUFFIX);
    PathBuf::from(s)
}

/// A held run lock; dropping it releases the lock.
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
    holder: LockHolder,
}

impl RunLock {
    /// Takes the run lock of the database `db` for `command`.
    ///
    /// `wait`: `None` fails at once if the lock is held; `Some(d)` retries every
    /// [`LOCK_POLL_INTERVAL`] for at most `d`, where `Duration::ZERO` means wait forever.
    pub fn acquire(db: &Path, wait: Option<Duration>) -> Result<RunLock, LockError> {
        Self::acquire_for(db, "scrape", wait)
    }

    /// Like [`RunLock::acquire`], naming the command in the lock file (shown to a loser).
    pub fn acquire_for(
        db: &Path,
        command: &str,
        wait: Option<Duration>,
    ) -> Result<RunLock, LockError> {
        let path = lock_path(db);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        // The database may not exist yet (first run); its directory is created like the
        // store would, so the lock can sit next to it.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let start = Instant::now();
        let mut announced = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::Error(e)) => return Err(io(e)),
                Err(TryLockError::WouldBlock) => {
                    let waited = start.elapsed();
                    let give_up = match wait {
                        None => true,
                        Some(limit) => !limit.is_zero() && waited >= limit,
                    };
                    if give_up {
                        return Err(LockError::Held {
                            holder: read_holder(&path),
                            path,
                            waited: if wait.is_some() {
                                Duration::from_secs(waited.as_secs())
                            } else {
                                Duration::ZERO
                            },
                        });
                    }
                    if !announced {
                        announced = true;
                        let holder = read_holder(&path)
                            .map_or_else(|| "unknown holder".to_string(), |h| h.to_string());
                        tracing::info!(lock = %path.display(), %holder, "another run holds the lock; waiting");
                    }
                    std::thread::sleep(LOCK_POLL_INTERVAL);
                }
            }
        }
        let holder = LockHolder {
            pid: std::process::id(),
            started_at: Utc::now(),
            command: command.to_string(),
        };
        write_holder(&file, &holder).map_err(io)?;
        tracing::debug!(lock = %path.display(), "run lock taken");
        Ok(RunLock { file, path, holder })
    }

    /// Takes the lock for `command`, waiting as long as it takes but giving up (`Ok(None)`)
    /// as soon as `shutdown` is asked for; for async callers such as the daemon, which must
    /// stay responsive to SIGTERM while a manual run holds the lock.
    pub async fn acquire_or_stop(
        db: &Path,
        command: &str,
        shutdown: &super::shutdown::Shutdown,
    ) -> Result<Option<RunLock>, LockError> {
        let mut announced = false;
        loop {
            match Self::acquire_for(db, command, None) {
                Ok(lock) => return Ok(Some(lock)),
                Err(LockError::Held { holder, path, .. }) => {
                    if !announced {
                        announced = true;
                        let holder =
                            holder.map_or_else(|| "unknown holder".to_string(), |h| h.to_string());
                        tracing::info!(lock = %path.display(), %holder, "another run holds the lock; waiting");
                    }
                }
                Err(e) => return Err(e),
            }
            tokio::select! {
                _ = shutdown.requested() => return Ok(None),
                _ = tokio::time::sleep(LOCK_POLL_INTERVAL) => {}
            }
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What this process wrote into the lock file.
    pub fn holder(&self) -> &LockHolder {
        &self.holder
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Clear the holder line so nobody reads a finished run's PID; the OS lock itself goes
        // away when the file is closed right after this.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

fn write_holder(mut file: &File, holder: &LockHolder) -> std::io::Result<()> {
    let mut line = serde_json::to_string(holder).map_err(std::io::Error::other)?;
    line.push('\n');
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(line.as_bytes())?;
    file.sync_data()
}

/// Reads the holder from a lock file. A holder that has just taken the lock may not have
/// written it yet, so an empty or partial file is re-read a few times before giving up.
pub fn read_holder(path: &Path) -> Option<LockHolder> {
    for _ in 0..5 {
        let mut text = String::new();
        if let Ok(mut f) = File::open(path) {
            let _ = f.read_to_string(&mut text);
        }
        if let Ok(holder) = serde_json::from_str(text.trim()) {
            return Some(holder);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}
