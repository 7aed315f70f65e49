//! The daemon's schedule: 5-field crontab lines, per-source schedules, no self-overlap.

use std::sync::{Arc, Mutex};

use aeroscrap::error::Exit;
use aeroscrap::ops::daemon::run_loop;
use aeroscrap::ops::schedule::{Due, Schedule, Scheduler};
use aeroscrap::ops::shutdown::{Shutdown, StopReason};
use chrono::{DateTime, Datelike, TimeZone, Utc, Weekday};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn next(expr: &str, after: &str) -> String {
    Schedule::parse(expr)
        .unwrap()
        .next_after(&at(after))
        .unwrap()
        .to_rfc3339()
}

#[test]
fn five_field_lines_give_the_expected_next_slot() {
    // 2026-11-21 is a Saturday.
    assert_eq!(at("2026-11-21T00:00:00Z").weekday(), Weekday::Sat);
    let table = [
        (
            "30 5 * * *",
            "2026-11-21T05:29:59Z",
            "2026-11-21T05:30:00+00:00",
        ),
        (
            "30 5 * * *",
            "2026-11-21T05:30:00Z",
            "2026-11-22T05:30:00+00:00",
        ),
        (
            "*/15 * * * *",
            "2026-11-21T10:07:00Z",
            "2026-11-21T10:15:00+00:00",
        ),
        (
            "0 6 1 * *",
            "2026-11-21T10:00:00Z",
            "2026-12-01T06:00:00+00:00",
        ),
        (
            "0 3 * * MON",
            "2026-11-21T10:00:00Z",
            "2026-11-23T03:00:00+00:00",
        ),
        (
            "@daily",
            "2026-11-21T10:00:00Z",
            "2026-11-22T00:00:00+00:00",
        ),
    ];
    for (expr, after, want) in table {
        assert_eq!(next(expr, after), want, "{expr} after {after}");
    }
}

#[test]
fn weekdays_count_from_sunday_as_zero_and_seven_is_sunday_too() {
    // From Saturday 2026-11-21 10:00: weekday 0 and 7 are Sunday the 22nd, 1 is Monday the 23rd,
    // 6 is Saturday the 28th (today's 08:00 has passed).
    assert_eq!(
        next("0 8 * * 0", "2026-11-21T10:00:00Z"),
        "2026-11-22T08:00:00+00:00"
    );
    assert_eq!(
        next("0 8 * * 7", "2026-11-21T10:00:00Z"),
        "2026-11-22T08:00:00+00:00"
    );
    assert_eq!(
        next("0 8 * * 1", "2026-11-21T10:00:00Z"),
        "2026-11-23T08:00:00+00:00"
    );
    assert_eq!(
        next("0 8 * * 6", "2026-11-21T10:00:00Z"),
        "2026-11-28T08:00:00+00:00"
    );
    // Weekdays only (1-5): from Saturday the next is Monday.
    assert_eq!(
        next("0 8 * * 1-5", "2026-11-21T10:00:00Z"),
        "2026-11-23T08:00:00+00:00"
    );
    assert!(
        Schedule::parse("0 8 * * 1")
            .unwrap()
            .matches(&at("2026-11-23T08:00:30Z"))
    );
    assert!(
        !Schedule::parse("0 8 * * 1")
            .unwrap()
            .matches(&at("2026-11-22T08:00:00Z"))
    );
}

#[test]
fn lines_that_are_not_five_fields_are_rejected_with_the_line_in_the_message() {
    for bad in ["0 30 5 * * *", "30 5 * *", "", "61 5 * * *", "30 5 * * FOO"] {
        let err = Schedule::parse(bad).unwrap_err();
        assert_eq!(err.expr, bad);
        assert!(err.to_string().contains("5-field crontab"), "{err}");
    }
}

fn sources(list: &[(&str, Option<&str>)]) -> Vec<(String, Option<Schedule>)> {
    list.iter()
        .map(|(n, s)| (n.to_string(), s.map(|s| Schedule::parse(s).unwrap())))
        .collect()
}

#[test]
fn sources_without_a_schedule_follow_the_global_one_and_run_together() {
    let global = Schedule::parse("30 5 * * *").unwrap();
    let start = at("2026-11-21T00:00:00Z");
    let mut s = Scheduler::new(
        &global,
        sources(&[
            ("goose", None),
            ("cargolux", None),
            ("indigo", Some("0 */6 * * *")),
        ]),
        &start,
    );
    assert_eq!(s.next_wake(), Some(at("2026-11-21T05:30:00Z")));
    assert_eq!(s.next_of("indigo"), Some(&at("2026-11-21T06:00:00Z")));

    assert!(s.due(&at("2026-11-21T05:29:59Z")).is_empty());
    let due = s.due(&at("2026-11-21T05:30:00Z"));
    assert_eq!(due.run, ["cargolux", "goose"]);
    s.finished(&due.run);
    assert_eq!(s.next_wake(), Some(at("2026-11-21T06:00:00Z")));
    assert_eq!(s.due(&at("2026-11-21T06:00:10Z")).run, ["indigo"]);
}

#[test]
fn a_source_still_running_at_its_next_slot_is_skipped_not_started_twice() {
    let global = Schedule::parse("*/10 * * * *").unwrap();
    let mut s = Scheduler::new(
        &global,
        sources(&[("slow", None)]),
        &at("2026-11-21T10:00:00Z"),
    );
    assert_eq!(s.due(&at("2026-11-21T10:10:00Z")).run, ["slow"]);
    // Still running at 10:20: skipped.
    assert_eq!(
        s.due(&at("2026-11-21T10:20:00Z")),
        Due {
            run: vec![],
            skipped_running: vec!["slow".into()]
        }
    );
    assert_eq!(s.running().collect::<Vec<_>>(), ["slow"]);
    s.finished(&["slow"]);
    // 10:30 runs again.
    assert_eq!(s.due(&at("2026-11-21T10:30:00Z")).run, ["slow"]);
}

#[test]
fn slots_missed_while_busy_are_coalesced_into_one_run() {
    let global = Schedule::parse("*/10 * * * *").unwrap();
    let mut s = Scheduler::new(
        &global,
        sources(&[("a", None)]),
        &at("2026-11-21T10:00:00Z"),
    );
    // The daemon was busy from 10:05 to 10:47: three slots passed, one run.
    let due = s.due(&at("2026-11-21T10:47:00Z"));
    assert_eq!(due.run, ["a"]);
    s.finished(&due.run);
    assert!(s.due(&at("2026-11-21T10:47:30Z")).is_empty());
    assert_eq!(s.next_of("a"), Some(&at("2026-11-21T10:50:00Z")));
}

#[tokio::test]
async fn the_loop_runs_due_batches_and_stops_after_the_current_batch_when_asked() {
    // A fake clock that moves 10 minutes per reading, so every reading has a slot due.
    let clock = Arc::new(Mutex::new(at("2026-11-21T10:00:00Z")));
    let now = {
        let clock = clock.clone();
        move || {
            let mut t = clock.lock().unwrap();
            *t += chrono::Duration::minutes(10);
            *t
        }
    };
    let global = Schedule::parse("*/10 * * * *").unwrap();
    let mut scheduler = Scheduler::new(
        &global,
        sources(&[("a", None), ("b", None)]),
        &Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap(),
    );
    let (trigger, shutdown) = Shutdown::manual();
    let batches = Arc::new(Mutex::new(Vec::new()));
    let outcome = run_loop(&mut scheduler, now, &shutdown, |run: Vec<String>| {
        let batches = batches.clone();
        let trigger = trigger.clone();
        async move {
            let mut b = batches.lock().unwrap();
            b.push(run);
            if b.len() == 2 {
                // SIGTERM arrives during the second batch; the batch still completes.
                trigger.trigger(StopReason::Terminate);
                return Exit::Partial;
            }
            Exit::Success
        }
    })
    .await;
    assert_eq!(outcome.batches, 2);
    assert_eq!(outcome.worst, Exit::Partial);
    assert_eq!(outcome.stopped_by, StopReason::Terminate);
    assert_eq!(*batches.lock().unwrap(), [["a", "b"], ["a", "b"]]);
    assert_eq!(scheduler.running().count(), 0);
}

#[test]
fn the_plan_prefers_the_command_line_then_the_config_then_the_default() {
    use aeroscrap::ops::daemon::plan;
    use aeroscrap::ops::schedule::DEFAULT_SCHEDULE;
    let sources = vec![
        ("goose".to_string(), None),
        ("indigo".to_string(), Some("0 */6 * * *".to_string())),
    ];
    let p = plan(Some("0 4 * * *"), Some("0 5 * * *"), &sources).unwrap();
    assert_eq!(p.global.as_str(), "0 4 * * *");
    assert_eq!(
        plan(None, Some("0 5 * * *"), &sources)
            .unwrap()
            .global
            .as_str(),
        "0 5 * * *"
    );
    assert_eq!(
        plan(None, None, &sources).unwrap().global.as_str(),
        DEFAULT_SCHEDULE
    );
    assert!(p.sources[0].1.is_none());
    assert_eq!(p.sources[1].1.as_ref().unwrap().as_str(), "0 */6 * * *");

    let bad = vec![("cargolux".to_string(), Some("every day".to_string()))];
    let err = plan(None, None, &bad).unwrap_err().to_string();
    assert!(
        err.starts_with("source \"cargolux\" key schedule: schedule \"every day\""),
        "{err}"
    );
    let err = plan(Some("* * *"), None, &[]).unwrap_err().to_string();
    assert!(err.starts_with("--schedule: "), "{err}");
}

#[test]
fn config_files_with_a_bad_schedule_fail_validation_naming_file_and_key() {
    use aeroscrap::config::{GlobalConfig, parse_source};
    use std::path::Path;
    let err = GlobalConfig::parse(Path::new("aeroscrap.toml"), "schedule = \"61 5 * * *\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("aeroscrap.toml") && err.contains("schedule"),
        "{err}"
    );
    assert!(
        GlobalConfig::parse(Path::new("aeroscrap.toml"), "schedule = \"30 5 * * 1-5\"\n").is_ok()
    );

    let src = "kind = \"json\"\nschedule = \"0 25 * * *\"\nurl = \"https://api.example.test/jobs\"\nitems = \"jobs\"\n[fields]\ntitle = \"title\"\nurl = \"url\"\n";
    let err = parse_source(Path::new("scrapers/exampleaero.toml"), src)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("exampleaero.toml") && err.contains("schedule"),
        "{err}"
    );
    assert!(err.contains("0 25 * * *"), "{err}");
}
