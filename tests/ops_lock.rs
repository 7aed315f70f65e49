//! The run lock: one holder at a time, the loser learns who holds it, and a killed holder
//! never leaves a stale lock behind.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aeroscrap::error::Exit;
use aeroscrap::ops::lock::{LockError, RunLock, lock_path, read_holder};

/// Env var that turns `lock_holder_child` into a process that holds the lock until killed.
const HOLD_ENV: &str = "AEROSCRAP_TEST_HOLD_LOCK_DB";

/// Not a test of its own: the body of the child process spawned by the tests below (run with
/// `--ignored --exact`), which takes the lock, says so on stdout, and sleeps until killed.
#[test]
#[ignore = "helper process for the kill -9 test"]
fn lock_holder_child() {
    let db = std::env::var(HOLD_ENV).expect("run by spawn_holder only");
    let lock = RunLock::acquire_for(Path::new(&db), "scrape", None).expect("child takes the lock");
    println!("LOCKED {}", lock.holder().pid);
    std::thread::sleep(Duration::from_secs(600));
}

fn spawn_holder(db: &Path) -> (Child, u32) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "lock_holder_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(HOLD_ENV, db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let pid = loop {
        let line = lines.next().expect("child output").unwrap();
        // libtest prints "test lock_holder_child ... " on the same line first.
        if let Some((_, pid)) = line.split_once("LOCKED ") {
            break pid.trim().parse().unwrap();
        }
    };
    (child, pid)
}

#[test]
fn second_lock_is_refused_naming_the_first_holders_pid_and_start_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jobs.db");
    let first = RunLock::acquire(&db, None).unwrap();
    assert_eq!(first.path(), dir.path().join("jobs.db.lock"));
    assert_eq!(first.holder().pid, std::process::id());

    let err = RunLock::acquire(&db, None).unwrap_err();
    assert_eq!(err.exit(), Exit::Locked);
    assert_eq!(err.exit().code(), 4);
    match &err {
        LockError::Held {
            path,
            holder,
            waited,
        } => {
            assert_eq!(path, &lock_path(&db));
            assert_eq!(holder.as_ref(), Some(first.holder()));
            assert_eq!(*waited, Duration::ZERO);
        }
        other => panic!("expected Held, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("PID {}", std::process::id())),
        "{msg}"
    );
    assert!(
        msg.contains(
            &first
                .holder()
                .started_at
                .format("%Y-%m-%d %H:%M:%S UTC")
                .to_string()
        ),
        "{msg}"
    );
    assert!(msg.contains("--wait"), "{msg}");

    drop(first);
    let again = RunLock::acquire(&db, None).expect("released on drop");
    assert_eq!(read_holder(again.path()).unwrap().pid, std::process::id());
}

#[test]
fn waiting_gives_up_after_the_limit_and_succeeds_once_released() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jobs.db");
    let first = RunLock::acquire(&db, None).unwrap();

    let start = Instant::now();
    let err = RunLock::acquire(&db, Some(Duration::from_millis(600))).unwrap_err();
    assert!(start.elapsed() >= Duration::from_millis(600));
    assert!(matches!(err, LockError::Held { .. }), "{err:?}");

    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(first);
    });
    // Duration::ZERO = wait as long as it takes.
    let second = RunLock::acquire(&db, Some(Duration::ZERO)).expect("got it after release");
    releaser.join().unwrap();
    assert_eq!(second.holder().pid, std::process::id());
}

#[test]
fn a_holder_killed_with_sigkill_leaves_no_stale_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jobs.db");
    let (mut child, child_pid) = spawn_holder(&db);
    assert_eq!(child_pid, child.id());

    let err = RunLock::acquire(&db, None).unwrap_err();
    match &err {
        LockError::Held { holder, .. } => {
            assert_eq!(holder.as_ref().map(|h| h.pid), Some(child_pid));
            assert_eq!(holder.as_ref().map(|h| h.command.as_str()), Some("scrape"));
        }
        other => panic!("expected Held, got {other:?}"),
    }

    child.kill().unwrap(); // SIGKILL: no destructor runs in the child
    child.wait().unwrap();
    let lock = RunLock::acquire(&db, None).expect("the kernel dropped the dead holder's lock");
    assert_eq!(lock.holder().pid, std::process::id());
}

#[test]
fn the_lock_can_be_taken_before_the_database_or_its_directory_exists() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state/aeroscrap/jobs.db");
    let lock = RunLock::acquire(&db, None).unwrap();
    assert_eq!(lock.path(), dir.path().join("state/aeroscrap/jobs.db.lock"));
    assert!(lock.path().exists());
}
