//! The systemd units in systemd/ pass `systemd-analyze verify` and say what the operations
//! issue asks of them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn unit_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("systemd")
}

fn unit(name: &str) -> String {
    std::fs::read_to_string(unit_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const UNITS: [&str; 5] = [
    "aeroscrap.service",
    "aeroscrap.timer",
    "aeroscrap-export.service",
    "aeroscrap-export.timer",
    "aeroscrap-notify@.service",
];

#[test]
fn systemd_analyze_verify_passes_on_every_unit() {
    let have_tool = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok();
    if !have_tool {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("systemd-analyze is missing in CI: apt-get install -y systemd");
        }
        eprintln!("\n*** SKIPPED: systemd-analyze not found (apt-get install -y systemd) ***\n");
        return;
    }
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .args(UNITS.iter().map(|u| unit_dir().join(u)))
        .env("SYSTEMD_LOG_LEVEL", "warning")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Warnings about our files (unknown keys, bad values) do not change the exit status, so
    // any line naming one of them fails the test too; lines about the host's own units do not.
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(unit_dir().to_str().unwrap()) || l.contains("aeroscrap"))
        .collect();
    assert!(out.status.success(), "verify failed:\n{stderr}");
    assert!(ours.is_empty(), "verify complained:\n{}", ours.join("\n"));
}

#[test]
fn the_scrape_service_is_a_hardened_oneshot_with_state_logs_and_secrets() {
    let s = unit("aeroscrap.service");
    for line in [
        "Type=oneshot",
        "DynamicUser=yes",
        "StateDirectory=aeroscrap",
        "LogsDirectory=aeroscrap",
        "EnvironmentFile=-/etc/aeroscrap/aeroscrap.env",
        "Environment=AEROSCRAP_LOG_DIR=%L/aeroscrap",
        "TimeoutStartSec=2h",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "NoNewPrivileges=yes",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK",
        "CapabilityBoundingSet=",
        "SystemCallFilter=@system-service",
        "MemoryMax=2G",
        "OnFailure=aeroscrap-notify@%n.service",
    ] {
        assert!(
            s.lines().any(|l| l == line),
            "aeroscrap.service lacks {line:?}"
        );
    }
    assert!(s.contains("ExecStart=/usr/bin/env aeroscrap scrape"));
}

#[test]
fn the_timers_are_daily_randomized_and_persistent() {
    for t in ["aeroscrap.timer", "aeroscrap-export.timer"] {
        let s = unit(t);
        assert!(s.lines().any(|l| l.starts_with("OnCalendar=*-*-* ")), "{t}");
        assert!(
            s.lines().any(|l| l.starts_with("RandomizedDelaySec=")),
            "{t}"
        );
        assert!(s.lines().any(|l| l == "Persistent=true"), "{t}");
        assert!(s.lines().any(|l| l == "WantedBy=timers.target"), "{t}");
    }
    assert!(unit("aeroscrap-export.service").contains("export --format csv --date"));
}
