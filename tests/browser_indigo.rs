//! scrapers/indigo-browser.toml against our IndiGo-like fixture: the listing only exists after
//! its script ran, card links are relative to /careers/, dates carry ordinal <sup>s.

#![cfg(feature = "browser")]

mod browser_support;

use std::path::Path;

use aeroscrap::config::{GlobalConfig, parse_source};
use aeroscrap::fetch::Fetcher;
use aeroscrap::scrape::{SourceStatus, run_single};
use aeroscrap::sources::RunLimits;
use aeroscrap::sources::browser::fixture;
use browser_support::chromium_or_skip;

const CONFIG: &str = include_str!("../scrapers/indigo-browser.toml");

#[test]
fn the_shipped_config_is_valid_and_disabled() {
    let spec = parse_source(Path::new("scrapers/indigo-browser.toml"), CONFIG)
        .expect("parses")
        .compile()
        .expect("compiles");
    assert_eq!(spec.name(), "indigo-browser");
    assert_eq!(spec.kind, "browser");
    assert!(!spec.enabled, "the JSON API source stays the default");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rendered_listing_yields_every_card_with_absolute_links() {
    if chromium_or_skip("indigo_browser").is_none() {
        return;
    }
    let site = fixture::serve().await.unwrap();
    // Point the real config at the fixture: only the origin changes.
    let text = format!("base_url = \"{}\"\n{CONFIG}", site.url(""));
    let spec = parse_source(Path::new("scrapers/indigo-browser.toml"), &text)
        .unwrap()
        .compile()
        .unwrap();
    let fetcher = Fetcher::from_config(&GlobalConfig::default()).unwrap();
    let (records, outcome) = run_single(fetcher, spec, RunLimits::default())
        .await
        .unwrap();
    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    let jobs = fixture::jobs("search");
    assert_eq!(records.len(), jobs.len());
    for (rec, job) in records.iter().zip(&jobs) {
        assert_eq!(rec.title, job.title);
        assert_eq!(
            rec.url,
            site.url(&format!(
                "/careers/job-details/{}/{}.html",
                job.title.replace(' ', "-"),
                job.id
            )),
            "relative card links resolve against /careers/, not the site root"
        );
        assert_eq!(
            rec.external_id.as_deref(),
            Some(job.id.to_string().as_str())
        );
        assert_eq!(rec.location.as_deref(), Some(job.location.as_str()));
        assert_eq!(rec.company.as_deref(), Some("IndiGo"));
        assert!(
            rec.apply_url
                .as_deref()
                .is_some_and(|u| u.ends_with(&format!("career_job_req_id={}", job.id))),
            "{:?}",
            rec.apply_url
        );
    }
    // "7<sup>th</sup> Nov 26" reads as one date string the normalizer understands.
    assert_eq!(records[0].posted_date.as_deref(), Some("7th Nov 26"));
}
