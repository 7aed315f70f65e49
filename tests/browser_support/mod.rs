//! Shared helpers of the browser tests: find Chromium (or skip loudly / fail under CI) and check
//! that no Chromium process is left behind.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use aeroscrap::sources::browser::find_chromium;
use aeroscrap::sources::browser::process::processes_mentioning;

/// The Chromium to test with. Outside CI a missing Chromium skips the test with a loud
/// message; with `CI=true` it fails the test, so CI can never silently skip browser tests.
pub fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    match find_chromium(None) {
        Ok(path) => Some(path),
        Err(err) => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            if ci {
                panic!("CI=true and no Chromium for browser test `{test}`: {err}");
            }
            // Written to the real stderr, not through eprintln!, so the test harness does not
            // swallow it: a skipped browser test must be visible in every test log.
            let _ = writeln!(
                std::io::stderr().lock(),
                "\n==================== SKIPPED browser test `{test}` ====================\n\
                 {err}\n\
                 Install Chromium (Debian: apt-get install chromium) to run it; with CI=true \
                 this is a failure.\n\
                 ======================================================================\n"
            );
            None
        }
    }
}

/// Asserts that no process mentions `profile` on its command line and the directory is gone.
pub fn assert_no_chromium_left(profile: &Path) {
    let needle = profile.to_string_lossy();
    // The kill is synchronous, but give the kernel a moment to tear down the last helpers.
    for _ in 0..100 {
        if processes_mentioning(&needle).is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let left = processes_mentioning(&needle);
    assert!(left.is_empty(), "Chromium processes left behind: {left:?}");
    assert!(
        !profile.exists(),
        "profile directory {profile:?} was not removed"
    );
}
