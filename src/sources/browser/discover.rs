//! Finding the Chromium executable.
//!
//! Order: an explicit path (`--chromium PATH`), then the `AEROSCRAP_CHROMIUM` environment
//! variable, then the first of [`CHROMIUM_CANDIDATES`] on `PATH`. An explicit path that does not
//! exist is an error of its own rather than a silent fall-through, so a typo in a systemd unit
//! is not hidden by whatever happens to be on `PATH`.

use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Environment variable naming the Chromium executable.
pub const CHROMIUM_ENV: &str = "AEROSCRAP_CHROMIUM";

/// Executable names looked up on `PATH`, in order.
pub const CHROMIUM_CANDIDATES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// Why no usable Chromium was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscoverError {
    /// An explicitly configured path is missing or not executable.
    #[error(
        "Chromium executable {path} (from {origin}) does not exist or is not executable; \
         fix the path or install the Debian package `chromium` (apt-get install chromium)"
    )]
    NotExecutable {
        /// The configured path.
        path: PathBuf,
        /// Where the path came from (`--chromium` or the environment variable).
        origin: &'static str,
    },
    /// Nothing was configured and none of the candidates is on `PATH`.
    #[error(
        "no Chromium found: none of chromium, chromium-browser, google-chrome is on PATH; \
         install the Debian package `chromium` (apt-get install chromium), or pass \
         --chromium PATH / set AEROSCRAP_CHROMIUM"
    )]
    NotFound,
}

/// Finds Chromium: `explicit` (from `--chromium`), then `AEROSCRAP_CHROMIUM`, then `PATH`.
pub fn find_chromium(explicit: Option<&Path>) -> Result<PathBuf, DiscoverError> {
    find_chromium_in(
        explicit,
        std::env::var_os(CHROMIUM_ENV).as_deref(),
        std::env::var_os("PATH").as_deref(),
    )
}

/// [`find_chromium`] with the environment passed in (for tests and for callers that already
/// resolved the environment variable, e.g. through clap).
pub fn find_chromium_in(
    explicit: Option<&Path>,
    env_value: Option<&OsStr>,
    path_var: Option<&OsStr>,
) -> Result<PathBuf, DiscoverError> {
    if let Some(path) = explicit {
        // clap fills the flag from AEROSCRAP_CHROMIUM too, so name both.
        return checked(path, "--chromium / AEROSCRAP_CHROMIUM");
    }
    if let Some(value) = env_value.filter(|v| !v.is_empty()) {
        return checked(Path::new(value), CHROMIUM_ENV);
    }
    let dirs: Vec<PathBuf> = path_var
        .map(|p| std::env::split_paths(p).collect())
        .unwrap_or_default();
    CHROMIUM_CANDIDATES
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| is_executable(candidate))
        .ok_or(DiscoverError::NotFound)
}

/// Whether a browser source could run on this machine (used by `sources check` to warn).
pub fn chromium_available(explicit: Option<&Path>) -> bool {
    find_chromium(explicit).is_ok()
}

/// The `sources check` warning when enabled browser sources exist but no Chromium does.
pub fn missing_chromium_warning<'a>(
    enabled_browser_sources: impl IntoIterator<Item = &'a str>,
    explicit: Option<&Path>,
) -> Option<String> {
    let names: Vec<&str> = enabled_browser_sources.into_iter().collect();
    if names.is_empty() {
        return None;
    }
    find_chromium(explicit).err().map(|err| {
        format!(
            "browser source(s) {} enabled but they cannot run here: {err}",
            names.join(", ")
        )
    })
}

fn checked(path: &Path, origin: &'static str) -> Result<PathBuf, DiscoverError> {
    // A bare name such as `chromium` is looked up on PATH like a shell would.
    let resolved = if path.components().count() == 1 && !path.is_absolute() {
        let name: OsString = path.as_os_str().to_owned();
        std::env::var_os("PATH")
            .map(|p| {
                std::env::split_paths(&p)
                    .map(|d| d.join(&name))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter()
            .find(|c| is_executable(c))
    } else {
        Some(path.to_path_buf()).filter(|p| is_executable(p))
    };
    resolved.ok_or_else(|| DiscoverError::NotExecutable {
        path: path.to_path_buf(),
        origin,
    })
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_bin(dir: &Path, name: &str, mode: u32) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[test]
    fn explicit_path_wins_over_env_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let explicit = fake_bin(dir.path(), "my-chrome", 0o755);
        let env = fake_bin(dir.path(), "env-chrome", 0o755);
        let found = find_chromium_in(
            Some(&explicit),
            Some(env.as_os_str()),
            Some(dir.path().as_os_str()),
        );
        assert_eq!(found, Ok(explicit));
    }

    #[test]
    fn env_var_is_used_when_no_flag() {
        let dir = tempfile::tempdir().unwrap();
        let env = fake_bin(dir.path(), "env-chrome", 0o755);
        assert_eq!(find_chromium_in(None, Some(env.as_os_str()), None), Ok(env));
    }

    #[test]
    fn path_candidates_are_tried_in_order() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        fake_bin(a.path(), "google-chrome", 0o755);
        let chromium_browser = fake_bin(b.path(), "chromium-browser", 0o755);
        // Not executable: must be skipped.
        fake_bin(a.path(), "chromium", 0o644);
        let path = std::env::join_paths([a.path(), b.path()]).unwrap();
        assert_eq!(
            find_chromium_in(None, None, Some(&path)),
            Ok(chromium_browser)
        );
    }

    #[test]
    fn missing_explicit_path_is_an_error_naming_its_origin() {
        let err =
            find_chromium_in(Some(Path::new("/nonexistent/chromium")), None, None).unwrap_err();
        assert_eq!(
            err,
            DiscoverError::NotExecutable {
                path: PathBuf::from("/nonexistent/chromium"),
                origin: "--chromium / AEROSCRAP_CHROMIUM"
            }
        );
        assert!(err.to_string().contains("Debian package `chromium`"));
    }

    #[test]
    fn warning_only_when_browser_sources_are_enabled_and_chromium_is_missing() {
        let missing = Some(Path::new("/nonexistent/chromium"));
        assert_eq!(missing_chromium_warning([], missing), None);
        let w = missing_chromium_warning(["indigo-browser", "demo-browser"], missing).unwrap();
        assert!(
            w.starts_with("browser source(s) indigo-browser, demo-browser enabled but"),
            "{w}"
        );
        assert!(w.contains("Debian package `chromium`"), "{w}");
    }

    #[test]
    fn nothing_found_names_the_debian_package() {
        let empty = tempfile::tempdir().unwrap();
        let err = find_chromium_in(None, None, Some(empty.path().as_os_str())).unwrap_err();
        assert_eq!(err, DiscoverError::NotFound);
        let msg = err.to_string();
        assert!(msg.contains("apt-get install chromium"), "{msg}");
        assert!(msg.contains("--chromium"), "{msg}");
    }
}
