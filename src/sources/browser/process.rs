//! One Chromium process: spawn with a fresh profile, find its DevTools address, and make sure
//! nothing of it survives us.
//!
//! We spawn Chromium ourselves instead of through chromiumoxide's launcher so that we control
//! its lifetime: it gets its own process group (every helper process — zygotes, renderers, the
//! GPU and network services — stays in it, so one `killpg` ends them all), it receives SIGKILL
//! from the kernel if our process dies first (`PR_SET_PDEATHSIG`, the backstop for `kill -9`),
//! and every live process is listed in a registry that [`kill_all`] empties on Ctrl-C.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long Chromium may take to print its DevTools address.
pub const DEFAULT_LAUNCH_TIMEOUT: Duration = Duration::from_secs(20);

/// Prefix of every temporary profile directory (lets tests and operators find leftovers).
pub const PROFILE_PREFIX: &str = "aeroscrap-chromium-";

/// File in each profile naming the aeroscrap process that owns it.
const OWNER_FILE: &str = "aeroscrap-owner.pid";

/// How long [`ChromiumProcess::kill`] waits for the process group to disappear.
const KILL_WAIT: Duration = Duration::from_secs(3);

/// Command-line switches (chromiumoxide-style, without the leading `--`). Without the
/// background-networking switches Chromium keeps trying to reach Google services.
pub const CHROMIUM_ARGS: &[&str] = &[
    "headless",
    "no-sandbox",
    "disable-gpu",
    "disable-quic",
    "no-first-run",
    "no-default-browser-check",
    "disable-background-networking",
    "disable-component-update",
    "disable-sync",
    "disable-extensions",
    "disable-default-apps",
    "disable-breakpad",
    "disable-domain-reliability",
    "disable-client-side-phishing-detection",
    "disable-dev-shm-usage",
    "disable-renderer-backgrounding",
    "disable-background-timer-throttling",
    "disable-backgrounding-occluded-windows",
    "disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
    "metrics-recording-only",
    "password-store=basic",
    "use-mock-keychain",
    "mute-audio",
    "hide-scrollbars",
    "window-size=1366,900",
    "remote-debugging-address=127.0.0.1",
    "remote-debugging-port=0",
];

/// Errors starting Chromium.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// The temporary profile directory could not be created.
    #[error("cannot create a temporary Chromium profile: {0}")]
    Profile(#[source] std::io::Error),
    /// The executable could not be started.
    #[error("cannot start Chromium {path}: {source}")]
    Spawn {
        /// The executable.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Chromium exited or went silent before printing its DevTools address.
    #[error("Chromium {path} did not start: {reason}; last output: {stderr}")]
    NoDevTools {
        /// The executable.
        path: PathBuf,
        /// Timeout or exit.
        reason: String,
        /// The last lines Chromium printed.
        stderr: String,
    },
}

/// Live Chromium process groups and their profiles, for [`kill_all`].
static LIVE: Mutex<BTreeMap<i32, PathBuf>> = Mutex::new(BTreeMap::new());

/// Kills every Chromium this process started and removes their profiles. Safe to call from a
/// Ctrl-C handler before exiting; the pools notice their browser is gone.
pub fn kill_all() {
    let live = std::mem::take(&mut *LIVE.lock().unwrap_or_else(|e| e.into_inner()));
    for (pgid, profile) in live {
        kill_group(pgid);
        wait_group_gone(pgid, KILL_WAIT);
        let _ = std::fs::remove_dir_all(&profile);
    }
}

/// Number of Chromium process groups currently alive (started by this process).
pub fn live_count() -> usize {
    LIVE.lock().unwrap_or_else(|e| e.into_inner()).len()
}

/// A running Chromium with its temporary profile.
#[derive(Debug)]
pub struct ChromiumProcess {
    child: Child,
    pgid: i32,
    profile: Option<tempfile::TempDir>,
    ws_url: String,
}

impl ChromiumProcess {
    /// Starts `exe` headless with a fresh profile and waits for its DevTools address.
    pub async fn spawn(exe: &Path, launch_timeout: Duration) -> Result<Self, LaunchError> {
        remove_stale_profiles(&std::env::temp_dir());
        let profile = tempfile::Builder::new()
            .prefix(PROFILE_PREFIX)
            .tempdir()
            .map_err(LaunchError::Profile)?;
        std::fs::write(
            profile.path().join(OWNER_FILE),
            std::process::id().to_string(),
        )
        .map_err(LaunchError::Profile)?;
        // Chromium keeps its singleton socket in TMPDIR; inside the profile it goes with it.
        let tmp = profile.path().join("tmp");
        std::fs::create_dir(&tmp).map_err(LaunchError::Profile)?;
        let mut cmd = Command::new(exe);
        cmd.env("TMPDIR", &tmp);
        cmd.args(CHROMIUM_ARGS.iter().map(|a| format!("--{a}")))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .process_group(0);
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let child = cmd.spawn().map_err(|source| LaunchError::Spawn {
            path: exe.to_path_buf(),
            source,
        })?;
        let pgid = child.id().map(|id| id as i32).unwrap_or(0);
        LIVE.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(pgid, profile.path().to_path_buf());
        let mut process = ChromiumProcess {
            child,
            pgid,
            profile: Some(profile),
            ws_url: String::new(),
        };
        let stderr = process.child.stderr.take().expect("stderr is piped");
        let mut lines = BufReader::new(stderr).lines();
        let mut tail: Vec<String> = Vec::new();
        let found = tokio::time::timeout(launch_timeout, async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    return Some(url.trim().to_string());
                }
                tail.push(line);
                if tail.len() > 8 {
                    tail.remove(0);
                }
            }
            None
        })
        .await;
        let reason = match found {
            Ok(Some(url)) => {
                process.ws_url = url;
                // Keep draining stderr, or Chromium blocks once the pipe buffer is full.
                tokio::spawn(async move {
                    while let Ok(Some(line)) = lines.next_line().await {
                        tracing::trace!(target: "chromium", "{line}");
                    }
                });
                return Ok(process);
            }
            Ok(None) => "it exited".to_string(),
            Err(_) => format!("no DevTools address within {launch_timeout:?}"),
        };
        process.kill();
        Err(LaunchError::NoDevTools {
            path: exe.to_path_buf(),
            reason,
            stderr: tail.join(" | "),
        })
    }

    /// The DevTools WebSocket address.
    pub fn ws_url(&self) -> &str {
        &self.ws_url
    }

    /// The operating-system process id of the main browser process.
    pub fn pid(&self) -> i32 {
        self.pgid
    }

    /// The temporary profile directory (removed by [`ChromiumProcess::kill`]).
    pub fn profile_dir(&self) -> Option<&Path> {
        self.profile.as_ref().map(|p| p.path())
    }

    /// Whether the main browser process is still running.
    pub fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Kills the whole process group, reaps the main process and removes the profile.
    /// Idempotent.
    pub fn kill(&mut self) {
        let Some(profile) = self.profile.take() else {
            return;
        };
        kill_group(self.pgid);
        let deadline = Instant::now() + KILL_WAIT;
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                _ => break,
            }
        }
        wait_group_gone(
            self.pgid,
            deadline.saturating_duration_since(Instant::now()),
        );
        LIVE.lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.pgid);
        if let Err(err) = profile.close() {
            tracing::warn!(error = %err, "could not remove the temporary Chromium profile");
        }
    }
}

impl Drop for ChromiumProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Removes profiles left in `dir` by aeroscrap processes that died without cleaning up
/// (`kill -9`, Ctrl-C without a handler); their Chromium died with them (PDEATHSIG).
/// Returns how many were removed.
pub fn remove_stale_profiles(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let is_profile = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(PROFILE_PREFIX));
        if !is_profile {
            continue;
        }
        let owner = std::fs::read_to_string(path.join(OWNER_FILE))
            .ok()
            .and_then(|s| s.trim().parse::<i32>().ok());
        // Profiles without an owner file are still being set up (or not ours): keep them.
        let Some(owner) = owner else { continue };
        let alive = owner as u32 == std::process::id()
            || std::path::Path::new(&format!("/proc/{owner}")).exists();
        if !alive
            && processes_mentioning(&path.to_string_lossy()).is_empty()
            && std::fs::remove_dir_all(&path).is_ok()
        {
            removed += 1;
            tracing::info!(profile = %path.display(), owner, "removed a stale Chromium profile");
        }
    }
    removed
}

fn kill_group(pgid: i32) {
    if pgid > 0 {
        // SAFETY: plain syscall; a negative pid addresses the process group we created.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

/// Waits until no live (non-zombie) process of the group remains, so the profile directory is
/// no longer written to when we remove it.
fn wait_group_gone(pgid: i32, max: Duration) {
    let deadline = Instant::now() + max;
    while Instant::now() < deadline && group_has_live_members(pgid) {
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn group_has_live_members(pgid: i32) -> bool {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return false;
    };
    dir.flatten().any(|entry| {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        // Fields after the parenthesised command name: state ppid pgrp …
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            return false;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next().unwrap_or("");
        let _ppid = fields.next();
        let group = fields.next().and_then(|g| g.parse::<i32>().ok());
        group == Some(pgid) && state != "Z" && state != "X"
    })
}

/// Processes on this machine whose command line mentions `needle` (e.g. a profile directory).
/// Zombies have an empty command line and are not counted: they hold no resources.
pub fn processes_mentioning(needle: &str) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|entry| {
            let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let text = String::from_utf8_lossy(&cmdline);
            text.contains(needle).then_some(pid)
        })
        .collect()
}
