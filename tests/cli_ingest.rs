//! `aeroscrap ingest` as a user runs it: the real binary on a temporary database.

mod common;

use common::{Workspace, distinct_lines, path_str};
use serde_json::Value;

/// Malformed lines inserted among good ones: (1-based line number, content, expected reason).
fn malformed() -> Vec<(usize, &'static str, &'static str)> {
    vec![
        (3, "{\"source\": \"x\", \"url\": ", "invalid JSON"),
        (
            250,
            "{\"source\":\"x\",\"url\":\"https://x.example/1\"}",
            "missing required field `title`",
        ),
        (
            500,
            "{\"source\":\"x\",\"title\":\"Captain\"}",
            "missing required field `url`",
        ),
        (
            750,
            "{\"source\":\"x\",\"url\":\"not a url\",\"title\":\"Captain\"}",
            "unparseable url",
        ),
        (
            1003,
            "{\"source\":\"x\",\"url\":\"https://x.example/2\",\"title\":[\"Captain\"]}",
            "field `title` must be a string",
        ),
    ]
}

fn thousand_good_five_bad(ws: &Workspace) -> std::path::PathBuf {
    let mut lines = distinct_lines(42, 1000);
    for (line, text, _) in malformed() {
        lines.insert(line - 1, text.to_string());
    }
    assert_eq!(lines.len(), 1005);
    ws.write_lines("feed.jsonl", &lines)
}

#[test]
fn good_lines_are_stored_and_malformed_ones_rejected_with_line_and_reason() {
    let ws = Workspace::new();
    let feed = thousand_good_five_bad(&ws);
    let out = ws
        .cmd(&["ingest", path_str(&feed), "--json"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let summary: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(summary["read"], 1005);
    assert_eq!(summary["new_jobs"], 1000);
    assert_eq!(summary["rejected"], 5);
    let rejects = summary["rejects"].as_array().unwrap();
    for ((line, _, reason), got) in malformed().iter().zip(rejects) {
        assert_eq!(got["line"], *line as u64);
        let text = got["reason"].as_str().unwrap();
        assert!(
            text.contains(reason),
            "line {line}: {text:?} lacks {reason:?}"
        );
    }
    assert_eq!(ws.count("SELECT count(*) FROM job_sources"), 1000);
    assert_eq!(ws.count("SELECT count(*) FROM jobs"), 1000);
    assert_eq!(ws.count("SELECT count(*) FROM rejects"), 5);
    assert_eq!(
        ws.count("SELECT count(*) FROM rejects WHERE origin LIKE '%feed.jsonl:250'"),
        1
    );
    // Rejects and listings keep the input line verbatim (trimmed), not a re-serialised record.
    let sql_text = |t: &str| t.replace('\'', "''");
    for (line, text, _) in malformed() {
        let sql = format!(
            "SELECT count(*) FROM rejects WHERE line = {line} AND raw = '{}'",
            sql_text(text.trim())
        );
        assert_eq!(ws.count(&sql), 1, "line {line}");
    }
    let first_good = distinct_lines(42, 1).remove(0);
    let sql = format!(
        "SELECT count(*) FROM job_sources WHERE raw = '{}'",
        sql_text(&first_good)
    );
    assert_eq!(ws.count(&sql), 1);
}

#[test]
fn text_summary_lists_rejects_by_line() {
    let ws = Workspace::new();
    let feed = thousand_good_five_bad(&ws);
    ws.cmd(&["ingest", path_str(&feed)])
        .assert()
        .code(2)
        .stdout(predicates::str::contains("new jobs       1000"))
        .stdout(predicates::str::contains("rejected          5"))
        .stdout(predicates::str::contains(
            "rejected line 500: missing required field `url`",
        ));
}

#[test]
fn ingesting_the_same_file_twice_changes_no_counts() {
    let ws = Workspace::new();
    let feed = ws.write_lines("feed.jsonl", &distinct_lines(9, 600));
    ws.cmd(&["ingest", path_str(&feed)]).assert().code(0);
    let jobs = ws.count("SELECT count(*) FROM jobs");
    let listings = ws.count("SELECT count(*) FROM job_sources");
    let out = ws
        .cmd(&["ingest", path_str(&feed), "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let summary: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(summary["unchanged"], 600);
    assert_eq!(summary["new_jobs"], 0);
    assert_eq!(summary["updated"], 0);
    assert_eq!(ws.count("SELECT count(*) FROM jobs"), jobs);
    assert_eq!(ws.count("SELECT count(*) FROM job_sources"), listings);
}

#[test]
fn the_same_url_in_another_spelling_is_the_same_listing() {
    let ws = Workspace::new();
    // The same listing twice: host case, fragment and trailing slash differ. (Tracking
    // parameters are the canonical-URL tests' business, in the dedup module.)
    let a = r#"{"source":"linkedin","url":"https://www.linkedin.com/jobs/view/1/","title":"Captain A320","company":"Example Air"}"#;
    let b = r#"{"source":"linkedin","url":"https://WWW.linkedin.com/jobs/view/1#top","title":"Captain A320","company":"Example Air"}"#;
    let feed = ws.write_lines("feed.jsonl", &[a.to_string(), b.to_string()]);
    ws.cmd(&["ingest", path_str(&feed)]).assert().code(0);
    assert_eq!(ws.count("SELECT count(*) FROM job_sources"), 1);
}

#[test]
fn json_array_and_csv_inputs_are_read_by_extension() {
    let ws = Workspace::new();
    let json = ws.path("feed.json");
    std::fs::write(
        &json,
        r#"[{"source":"s","url":"https://s.example/1","title":"Ramp Agent","external_id":17},
            {"source":"s","url":"https://s.example/2"}]"#,
    )
    .unwrap();
    ws.cmd(&["ingest", path_str(&json)]).assert().code(2);
    let csv = ws.path("feed.csv");
    std::fs::write(
        &csv,
        "source,url,title,company,salary\n\
         s,https://s.example/3,Flight Dispatcher,TUI Airways Ltd,\"£36k - £40k\"\n",
    )
    .unwrap();
    ws.cmd(&["ingest", path_str(&csv)]).assert().code(0);
    assert_eq!(ws.count("SELECT count(*) FROM job_sources"), 2);
    assert_eq!(
        ws.count("SELECT count(*) FROM job_sources WHERE external_id = '17'"),
        1
    );
    assert_eq!(
        ws.count("SELECT count(*) FROM jobs WHERE salary_text = '£36k - £40k'"),
        1
    );
}

#[test]
fn standard_input_is_read_as_jsonl() {
    let ws = Workspace::new();
    let lines = distinct_lines(3, 5).join("\n");
    ws.cmd(&["ingest", "-"]).write_stdin(lines).assert().code(0);
    assert_eq!(ws.count("SELECT count(*) FROM jobs"), 5);
}

#[test]
fn a_missing_input_file_is_a_usage_error() {
    let ws = Workspace::new();
    ws.cmd(&["ingest", "nope.jsonl"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "cannot open input file nope.jsonl",
        ));
}

/// Ctrl-C stops reading: every record read until then is stored and committed, the summary
/// says the run was interrupted, and the exit code is 130. Records arriving after the signal
/// are not read.
#[cfg(unix)]
#[test]
fn ctrl_c_stores_what_was_read_and_exits_130() {
    use std::io::Write;
    let ws = Workspace::new();
    let lines = distinct_lines(7, 305);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aeroscrap"))
        .current_dir(ws.dir.path())
        .arg("--db")
        .arg(ws.db())
        .args(["ingest", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for line in &lines[..300] {
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
    // Time to start up, install the handler and read the 300 lines.
    std::thread::sleep(std::time::Duration::from_secs(2));
    // SAFETY: sending SIGINT to our own child process.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(sent, 0);
    std::thread::sleep(std::time::Duration::from_millis(500));
    for line in &lines[300..] {
        writeln!(stdin, "{line}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    assert!(stdout.contains("interrupted"), "{stdout}");
    assert!(stdout.contains("read            300"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("reading no further"), "{stderr}");
    assert!(
        !stderr.contains("pages"),
        "an ingest fetches no pages: {stderr}"
    );
    assert_eq!(ws.count("SELECT count(*) FROM job_sources"), 300);
}
