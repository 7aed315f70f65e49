//! The ATS presets end to end: source files parsed and compiled by the engine's loader, run by
//! its scrape runner with the polite fetcher against the loopback mock of every API; and the
//! real binary's exit code when a board does not exist.

mod ats_support;

use std::path::Path;

use aeroscrap::config::{GlobalConfig, parse_source};
use aeroscrap::error::Exit;
use aeroscrap::fetch::{Fetcher, PolitenessConfig};
use aeroscrap::model::RawRecord;
use aeroscrap::scrape::{self, DryRunWriter, ScrapeOptions, ScrapeSummary, SourceStatus};
use aeroscrap::sources::SourceSpec;
use assert_cmd::Command;

fn spec(file: &str, text: &str) -> SourceSpec {
    parse_source(Path::new(file), text)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .compile()
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

async fn run(specs: Vec<SourceSpec>) -> (ScrapeSummary, Vec<RawRecord>) {
    let global = GlobalConfig {
        contact: Some("tests@aeroscrap.invalid".into()),
        politeness: PolitenessConfig {
            delay_ms: Some(0),
            retries: Some(1),
            retry_base_ms: Some(10),
            timeout_ms: Some(5000),
            ..Default::default()
        },
        ..Default::default()
    };
    let writer = || {
        Ok(DryRunWriter {
            keep: true,
            ..Default::default()
        })
    };
    let opts = ScrapeOptions {
        trigger: "test".into(),
        ..Default::default()
    };
    scrape::scrape(
        Fetcher::from_config(&global).unwrap(),
        specs,
        vec![],
        writer,
        opts,
    )
    .await
    .unwrap()
}

/// One source per preset, as a user would write it from the README, pointed at the mock.
fn preset_sources(root: &str) -> Vec<SourceSpec> {
    let files = [
        (
            "skyward",
            format!("kind = \"greenhouse\"\nboard = \"skyward\"\nbase_url = \"{root}/greenhouse\""),
        ),
        (
            "northwind",
            format!(
                "kind = \"lever\"\ncompany = \"Northwind Regional\"\nsite = \"northwind\"\nlimit = 2\n\
                 base_url = \"{root}/lever\""
            ),
        ),
        (
            "contoso",
            format!(
                "kind = \"workday\"\ncompany = \"Contoso Aerospace\"\ntenant = \"contoso\"\n\
                 site = \"External\"\nlimit = 2\nbase_url = \"{root}/workday\""
            ),
        ),
        (
            "bluejet",
            format!(
                "kind = \"smartrecruiters\"\ncompany_id = \"BlueJetHandling\"\nlimit = 3\n\
                 base_url = \"{root}/smartrecruiters\""
            ),
        ),
        (
            "vertiport",
            format!(
                "kind = \"ashby\"\ncompany = \"Vertiport Air\"\nboard = \"vertiport\"\n\
                 base_url = \"{root}/ashby\""
            ),
        ),
        (
            "alpenflug",
            format!(
                "kind = \"personio\"\nsubdomain = \"alpenflug\"\nbase_url = \"{root}/personio/alpenflug\""
            ),
        ),
        (
            "baltic",
            format!(
                "kind = \"recruitee\"\nsubdomain = \"baltic-mro\"\nbase_url = \"{root}/recruitee/baltic-mro\""
            ),
        ),
        (
            "nordic",
            format!(
                "kind = \"successfactors\"\ncompany = \"Nordic Air\"\ncompany_id = \"NordicAir\"\n\
                 base_url = \"{root}/successfactors\""
            ),
        ),
        (
            "airindia",
            format!(
                "kind = \"successfactors\"\nmode = \"rmk\"\ncompany = \"Air India\"\n\
                 base_url = \"{root}/rmk\""
            ),
        ),
        (
            "signature",
            format!(
                "kind = \"oracle\"\ncompany = \"Signature Aviation\"\nlimit = 3\n\
                 base_url = \"{root}/oracle\""
            ),
        ),
    ];
    files
        .iter()
        .map(|(name, text)| spec(&format!("{name}.toml"), text))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_preset_runs_through_the_engine_with_ids_dates_locations_and_urls() {
    let mock = ats_support::start().await;
    let (summary, records) = run(preset_sources(&mock.root)).await;
    assert_eq!(summary.exit(), Exit::Success, "{summary:#?}");
    let found: Vec<(&str, SourceStatus, u64)> = summary
        .sources
        .iter()
        .map(|o| (o.name.as_str(), o.status, o.found))
        .collect();
    assert_eq!(
        found,
        [
            ("airindia", SourceStatus::Ok, 7),
            ("alpenflug", SourceStatus::Ok, 2),
            ("baltic", SourceStatus::Ok, 3),
            ("bluejet", SourceStatus::Ok, 4),
            ("contoso", SourceStatus::Ok, 5),
            ("nordic", SourceStatus::Ok, 3),
            ("northwind", SourceStatus::Ok, 5),
            ("signature", SourceStatus::Ok, 7),
            ("skyward", SourceStatus::Ok, 3),
            ("vertiport", SourceStatus::Ok, 2),
        ]
    );
    // Every job: the ATS id, a posting date, a company, a URL and an apply URL.
    for r in &records {
        let what = format!("{} {:?}", r.source, r.external_id);
        assert!(
            r.external_id.as_deref().is_some_and(|id| !id.is_empty()),
            "{what}"
        );
        assert!(r.posted_date.is_some(), "{what}: no posted_date");
        assert!(r.company.is_some(), "{what}: no company");
        assert!(r.url.starts_with("http"), "{what}: url {}", r.url);
        assert!(
            r.apply_url
                .as_deref()
                .is_some_and(|u| u.starts_with("http")),
            "{what}"
        );
        assert!(r.scraped_at.is_some(), "{what}: the sink stamps scraped_at");
    }
    // One job per preset, field by field.
    let get = |source: &str, id: &str| {
        records
            .iter()
            .find(|r| r.source == source && r.external_id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{source}/{id} missing"))
    };
    let root = &mock.root;
    let table: [(&str, &str, &str, &str, String); 10] = [
        ("skyward", "4011001", "2026-10-02T08:58:57-04:00", "Marina, CA",
            "https://boards.greenhouse.io/skyward/jobs/4011001".into()),
        ("northwind", "0b7f5c1e-1111-4a96-8f05-fa4b0e4d0001", "2025-11-15T09:46:40Z", "Bergen, Norway",
            "https://jobs.lever.co/northwind/0b7f5c1e-1111-4a96-8f05-fa4b0e4d0001/apply".into()),
        ("contoso", "JR10003", "2026-09-30", "Wichita, KS",
            "https://contoso.wd3.myworkdayjobs.com/External/job/Wichita-KS/Aircraft-Mechanic---Nights_JR10003".into()),
        ("bluejet", "744000002", "2026-11-15T10:00:00.000Z", "Cork, IE",
            "https://jobs.smartrecruiters.com/BlueJetHandling/744000002-duty-manager-airside?oga=true".into()),
        ("vertiport", "5e0c0000-0000-4000-8000-00000000a002", "2026-11-05T09:00:00.000+00:00", "Remote",
            "https://jobs.ashbyhq.com/vertiport/5e0c0000-0000-4000-8000-00000000a002/application".into()),
        ("alpenflug", "1500101", "2026-11-03T08:15:00+00:00", "Salzburg, Innsbruck",
            format!("{root}/personio/alpenflug/job/1500101")),
        ("baltic", "3100002", "2026-10-29T10:00:00Z", "Kaunas, Lithuania",
            "https://baltic-mro.recruitee.com/o/stores-clerk/c/new".into()),
        ("nordic", "40102", "2026-10-28", "Ankara, Türkiye",
            format!("{root}/successfactors/career?career_ns=job_listing&company=NordicAir&career_job_req_id=40102")),
        ("airindia", "1100002", "Nov 12, 2026", "Mumbai",
            format!("{root}/rmk/job/Mumbai-B1-Licensed-Aircraft-Engineer/1100002/")),
        ("signature", "300105", "2026-11-10", "London, England, United Kingdom",
            format!("{root}/oracle/en/sites/CX_1/job/300105")),
    ];
    for (source, id, posted, location, apply) in table {
        let r = get(source, id);
        assert_eq!(r.posted_date.as_deref(), Some(posted), "{source}/{id}");
        assert_eq!(r.location.as_deref(), Some(location), "{source}/{id}");
        assert_eq!(
            r.apply_url.as_deref(),
            Some(apply.as_str()),
            "{source}/{id}"
        );
    }
    // The config's company fills in only where the payload names none.
    assert_eq!(
        get("skyward", "4011001").company.as_deref(),
        Some("Skyward Aero")
    );
    assert_eq!(
        get("contoso", "JR10001").company.as_deref(),
        Some("Contoso Aerospace")
    );
    // The workday source's one missing detail is a warning, not a failure.
    let contoso = summary
        .sources
        .iter()
        .find(|o| o.name == "contoso")
        .unwrap();
    assert_eq!(contoso.warning_count, 1, "{:?}", contoso.warnings);
    assert!(contoso.fetch.pages >= 3 + 5, "{:?}", contoso.fetch);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_boards_end_their_source_as_error_naming_the_key() {
    let mock = ats_support::start().await;
    let root = &mock.root;
    let specs = vec![
        spec(
            "joby.toml",
            &format!(
                "kind = \"greenhouse\"\nboard = \"jobyaviaton\"\nbase_url = \"{root}/greenhouse\""
            ),
        ),
        spec(
            "acme.toml",
            &format!("kind = \"lever\"\nsite = \"acme\"\nbase_url = \"{root}/lever\""),
        ),
        spec(
            "boeing.toml",
            &format!(
                "kind = \"workday\"\ntenant = \"boeing\"\nsite = \"BoeingCareers\"\n\
                 base_url = \"{root}/workday\""
            ),
        ),
        spec(
            "quiet.toml",
            &format!(
                "kind = \"personio\"\nsubdomain = \"quiet\"\nbase_url = \"{root}/personio/quiet\""
            ),
        ),
    ];
    let mut specs = specs;
    specs.push(spec(
        "empty.toml",
        &format!("kind = \"ashby\"\nboard = \"empty-board\"\nbase_url = \"{root}/ashby\""),
    ));
    let (summary, records) = run(specs).await;
    assert!(records.is_empty());
    assert_eq!(summary.exit(), Exit::Partial);
    let outcome = |name: &str| summary.sources.iter().find(|o| o.name == name).unwrap();
    let cases = [
        (
            "joby",
            "source \"joby\": greenhouse board \"jobyaviaton\" was not found by the API (HTTP 404): check the `board` key",
        ),
        (
            "acme",
            "source \"acme\": lever site \"acme\" was not found by the API (HTTP 404: \"Document not found\"): check the `site` and `eu` keys",
        ),
        (
            "boeing",
            "source \"boeing\": workday tenant/site \"boeing/BoeingCareers\" was rejected by the API (HTTP 422: HTTP_422): check the `tenant` and `site` keys",
        ),
    ];
    for (name, message) in cases {
        let o = outcome(name);
        assert_eq!(o.status, SourceStatus::Error, "{name}");
        assert_eq!(o.error.as_deref(), Some(message), "{name}");
    }
    // A valid empty feed is zero jobs, and fine.
    let quiet = outcome("quiet");
    assert_eq!(
        (quiet.status, quiet.found, quiet.error.as_deref()),
        (SourceStatus::Ok, 0, None)
    );
    assert_eq!(outcome("empty").status, SourceStatus::Ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_exits_2_on_an_unknown_board_and_stores_the_good_one() {
    let mock = ats_support::start().await;
    let dir = tempfile::tempdir().unwrap();
    let scrapers = dir.path().join("scrapers");
    std::fs::create_dir(&scrapers).unwrap();
    let root = &mock.root;
    std::fs::write(
        scrapers.join("skyward.toml"),
        format!("kind = \"greenhouse\"\nboard = \"skyward\"\ndelay_ms = 0\nbase_url = \"{root}/greenhouse\"\n"),
    )
    .unwrap();
    std::fs::write(
        scrapers.join("joby.toml"),
        format!("kind = \"greenhouse\"\nboard = \"jobyaviaton\"\ndelay_ms = 0\nbase_url = \"{root}/greenhouse\"\n"),
    )
    .unwrap();
    let db = dir.path().join("jobs.db");
    let (dbc, scrc) = (db.clone(), scrapers.clone());
    let out = tokio::task::spawn_blocking(move || {
        Command::cargo_bin("aeroscrap")
            .unwrap()
            .env_remove("AEROSCRAP_DB")
            .env_remove("RUST_LOG")
            .arg("--db")
            .arg(&dbc)
            .arg("--scrapers")
            .arg(&scrc)
            .arg("scrape")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("check the `board` key"), "{text}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ids: Vec<String> = conn
        .prepare(
            "SELECT external_id FROM job_sources WHERE source = 'skyward' ORDER BY external_id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, ["4011001", "4011002", "4011003"]);
}
