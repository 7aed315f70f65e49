//! The real binary with browser sources: `demo` (with and without Chromium), the
//! `sources check` warning, and no Chromium left behind after a killed scrape.

#![cfg(feature = "browser")]

mod browser_support;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aeroscrap::sources::browser::fixture;
use aeroscrap::sources::browser::process::{PROFILE_PREFIX, processes_mentioning};
use assert_cmd::cargo::CommandCargoExt;
use browser_support::chromium_or_skip;

fn aeroscrap(tmp: &Path) -> Command {
    let mut cmd = Command::cargo_bin("aeroscrap").unwrap();
    cmd.current_dir(tmp)
        .env("TMPDIR", tmp.join("tmp"))
        .env_remove("AEROSCRAP_CHROMIUM")
        .env_remove("RUST_LOG");
    cmd
}

fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tmp")).unwrap();
    dir
}

/// Entries Chromium or we left in the private TMPDIR.
fn leftovers(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp.join("tmp"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn demo_runs_its_browser_source_and_cleans_up() {
    if chromium_or_skip("demo_browser").is_none() {
        return;
    }
    let dir = workdir();
    let out = aeroscrap(dir.path())
        .args(["demo", "--demo-db", "demo.db", "--csv", "demo.csv"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row = stdout
        .lines()
        .find(|l| l.starts_with("demo-browser "))
        .unwrap_or_else(|| panic!("no demo-browser row in:\n{stdout}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[1], "ok", "{row}");
    assert_eq!(cols[3], "10", "10 jobs found: {row}");
    let tmp = dir.path().join("tmp");
    assert!(processes_mentioning(&tmp.to_string_lossy()).is_empty());
    assert_eq!(
        leftovers(dir.path()),
        Vec::<String>::new(),
        "profile and sockets removed"
    );
}

#[test]
fn demo_without_chromium_reports_the_browser_source_as_skipped() {
    let dir = workdir();
    let out = aeroscrap(dir.path())
        .env("AEROSCRAP_CHROMIUM", "/nonexistent/chromium")
        .args(["demo", "--demo-db", "demo.db", "--csv", "demo.csv"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "skipped is not a failure:\n{stdout}");
    let row = stdout
        .lines()
        .find(|l| l.starts_with("demo-browser "))
        .unwrap_or_else(|| panic!("no demo-browser row in:\n{stdout}"));
    assert!(row.contains(" skipped "), "{row}");
    assert!(
        row.contains("/nonexistent/chromium"),
        "the reason is shown: {row}"
    );
}

#[test]
fn sources_check_warns_when_an_enabled_browser_source_cannot_run() {
    let dir = workdir();
    let scrapers = dir.path().join("scrapers");
    std::fs::create_dir(&scrapers).unwrap();
    std::fs::write(
        scrapers.join("js-board.toml"),
        "kind = \"browser\"\nstart_urls = [\"https://jobs.example.test/\"]\n\
         wait = { selector = \"li.job\" }\n[list]\nitem = \"li.job\"\n\
         [list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n",
    )
    .unwrap();
    let out = aeroscrap(dir.path())
        .env("AEROSCRAP_CHROMIUM", "/nonexistent/chromium")
        .args(["sources", "check"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning, not an error:\n{stdout}"
    );
    assert!(stdout.contains("ok     js-board"), "{stdout}");
    assert!(
        stdout.contains("warn   browser source(s) js-board enabled but they cannot run here"),
        "{stdout}"
    );
    assert!(stdout.contains("Debian package `chromium`"), "{stdout}");
}

#[test]
fn ctrl_c_and_kill_9_leave_no_chromium_and_profiles_are_reclaimed() {
    if chromium_or_skip("ctrl_c_scrape").is_none() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let site = rt.block_on(fixture::serve()).unwrap();
    let dir = workdir();
    let scrapers = dir.path().join("scrapers");
    std::fs::create_dir(&scrapers).unwrap();
    let config = |name: &str, wait: &str| {
        format!(
            "name = \"{name}\"\nkind = \"browser\"\nbase_url = \"{}\"\n\
             start_urls = [\"/board/paged.html\"]\nwait = {{ selector = \"{wait}\", timeout = \"60s\" }}\n\
             [list]\nitem = \"li.result\"\n[list.fields]\ntitle = \"a\"\nurl = \"a @href\"\n",
            site.url("")
        )
    };
    std::fs::write(scrapers.join("slow.toml"), config("slow", "li.never")).unwrap();
    let tmp = dir.path().join("tmp");
    let needle = tmp.to_string_lossy().into_owned();

    // Ctrl-C: the run is cancelled, the slow page abandoned, Chromium killed, profile removed.
    let started = Instant::now();
    let code = run_and_signal(dir.path(), &needle, libc::SIGINT);
    assert_eq!(code, Some(130), "interrupted run exits 130");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "Ctrl-C did not wait for the 60 s page"
    );
    assert_chromium_gone(&needle);
    let profiles = |dir: &Path| -> Vec<String> {
        leftovers(dir)
            .into_iter()
            .filter(|n| n.starts_with(PROFILE_PREFIX))
            .collect()
    };
    assert_eq!(profiles(dir.path()), Vec::<String>::new());

    // kill -9: the kernel kills Chromium with us (PDEATHSIG); the profile stays behind …
    run_and_signal(dir.path(), &needle, libc::SIGKILL);
    assert_chromium_gone(&needle);
    assert_eq!(profiles(dir.path()).len(), 1);

    // The next run that starts Chromium removes the dead run's profile.
    std::fs::write(scrapers.join("slow.toml"), config("slow", "li.result")).unwrap();
    let out = aeroscrap(dir.path())
        .args(["scrape", "slow"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(processes_mentioning(&needle).is_empty());
    assert_eq!(profiles(dir.path()), Vec::<String>::new());
}

/// Starts `aeroscrap scrape slow`, waits until its Chromium runs, sends `signal`, and returns
/// the exit code.
fn run_and_signal(dir: &Path, needle: &str, signal: i32) -> Option<i32> {
    let mut cmd = aeroscrap(dir);
    cmd.args(["scrape", "slow"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: only resets a signal disposition in the child before exec (a shell running
    // the tests in the background may have left SIGINT ignored).
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    while processes_mentioning(needle).len() < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "Chromium never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Let it reach the (endless) wait for the selector.
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: plain kill(2) of the child we spawned.
    unsafe { libc::kill(child.id() as i32, signal) };
    child.wait().unwrap().code()
}

fn assert_chromium_gone(needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_mentioning(needle).is_empty() {
        assert!(
            Instant::now() < deadline,
            "Chromium survived: {:?}",
            processes_mentioning(needle)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
