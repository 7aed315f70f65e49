//! `aeroscrap export` as a user runs it: §4 fields, sources arrays, safe CSV, filters.

mod common;

use common::{Workspace, distinct_lines, path_str, record};
use serde_json::Value;

/// The fixed export fields of ARCHITECTURE §4, in order.
const FIELDS: [&str; 22] = [
    "id",
    "title",
    "company",
    "location",
    "country_code",
    "operation_type",
    "category",
    "senior",
    "aircraft_types",
    "licences",
    "employment_type",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "posted_date",
    "closing_date",
    "status",
    "first_seen_at",
    "last_seen_at",
    "description",
    "sources",
];

fn ingested(lines: &[String]) -> Workspace {
    let ws = Workspace::new();
    let feed = ws.write_lines("feed.jsonl", lines);
    ws.cmd(&["ingest", path_str(&feed)]).assert().success();
    ws
}

fn export(ws: &Workspace, args: &[&str]) -> String {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let out = ws.cmd(&all).assert().code(0).get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn jsonl_has_exactly_the_fixed_fields_and_a_sources_array() {
    let ws = ingested(&distinct_lines(5, 200));
    let text = export(&ws, &["--format", "jsonl"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 200);
    for line in lines {
        let obj: serde_json::Map<String, Value> = serde_json::from_str(line).unwrap();
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        assert_eq!(keys, FIELDS);
        let sources = obj["sources"].as_array().unwrap();
        assert_eq!(sources.len(), 1);
        let src = sources[0].as_object().unwrap();
        let keys: Vec<&str> = src.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "source",
                "url",
                "external_id",
                "first_seen_at",
                "last_seen_at"
            ]
        );
    }
}

#[test]
fn json_is_one_array_of_the_same_objects() {
    let ws = ingested(&distinct_lines(6, 30));
    let all: Vec<Value> = serde_json::from_str(&export(&ws, &["--format", "json"])).unwrap();
    assert_eq!(all.len(), 30);
    let first: Vec<Value> = export(&ws, &["--format", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(all, first, "JSON and JSONL carry the same objects");
}

#[test]
fn merged_listings_appear_in_one_job_with_every_source() {
    let mut a = record(1, "Captain A320", "Example Air");
    a.source = "example-careers".into();
    let mut b = record(2, "Captain A320", "Example Air");
    b.source = "aviationjobsearch".into();
    b.scraped_at = Some("2026-11-21T09:00:00Z".into());
    let lines: Vec<String> = [a, b]
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    let ws = ingested(&lines);
    let jobs: Vec<Value> = serde_json::from_str(&export(&ws, &["--format", "json"])).unwrap();
    assert_eq!(jobs.len(), 1);
    let sources: Vec<&str> = jobs[0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["example-careers", "aviationjobsearch"]);
    assert_eq!(jobs[0]["first_seen_at"], "2026-11-20T08:00:00Z");
    assert_eq!(jobs[0]["last_seen_at"], "2026-11-21T09:00:00Z");
    let csv = export(&ws, &["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[23], "2", "source_count");
    assert_eq!(&row[22], "example-careers", "primary source");
}

#[test]
fn csv_round_trips_and_no_cell_can_run_as_a_formula() {
    let hostile = [
        record(1, "=HYPERLINK(\"http://evil\",\"x\")", "+Plus Air"),
        record(2, "-5 Captain", "@SUM(A1:A9)"),
        record(3, "\tTabbed title", "Quote \"Air\", Ltd"),
        record(4, "Line\nbreak title", "Ünïcödé Airways"),
    ];
    let mut lines: Vec<String> = hostile
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    lines.extend(distinct_lines(8, 50));
    let ws = ingested(&lines);
    let out = ws.path("jobs.csv");
    ws.cmd(&["export", "--format", "csv", "-o", path_str(&out)])
        .assert()
        .code(0);
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.len(), 24);
    assert_eq!(&header[21..], ["url", "source", "source_count"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 54);
    for row in &rows {
        assert_eq!(row.len(), 24);
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unsafe cell {cell:?}"
            );
        }
    }
    let titles: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert!(titles.contains(&"'=HYPERLINK(\"http://evil\",\"x\")"));
    assert!(titles.contains(&"'-5 Captain"));
    let companies: Vec<&str> = rows.iter().map(|r| &r[2]).collect();
    assert!(companies.contains(&"Quote \"Air\", Ltd"));
    assert!(companies.contains(&"Ünïcödé Airways"));
}

#[test]
fn filters_select_by_first_seen_day_source_and_status() {
    let mut a = record(1, "Ramp Agent", "Swissport");
    a.source = "swissport".into();
    let mut b = record(2, "Dispatcher", "TUI");
    b.source = "tui".into();
    b.scraped_at = Some("2026-11-21T23:59:59Z".into());
    let lines: Vec<String> = [a, b]
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    let ws = ingested(&lines);
    let titles = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--format", "jsonl"];
        all.extend_from_slice(args);
        export(&ws, &all)
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["title"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(titles(&["--date", "2026-11-21"]), ["Dispatcher"]);
    assert_eq!(titles(&["--until", "2026-11-20"]), ["Ramp Agent"]);
    assert_eq!(titles(&["--since", "2026-11-20"]).len(), 2);
    assert_eq!(titles(&["--source", "swissport"]), ["Ramp Agent"]);
    assert!(titles(&["--status", "expired"]).is_empty());
    ws.cmd(&["export", "--status", "gone"]).assert().code(3);
    ws.cmd(&["export", "--date", "21/11/2026"]).assert().code(3);
}
