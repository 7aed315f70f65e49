//! Guarded expiry on a real store: listings unseen for three good runs expire, a run that
//! finds implausibly few items is `suspect` and expires nothing, a listing seen again comes
//! back, closing dates and "position filled" pages close jobs.

use aeroscrap::model::RawRecord;
use aeroscrap::ops::expire::{
    ExpirePolicy, Guard, SourceExpiry, SourceRun, after_source, expire_all, mark_filled,
    page_says_filled,
};
use aeroscrap::pipeline::{Origin, Pipeline};
use aeroscrap::store::{SourceRunLog, Store};
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn url(source: &str, n: usize) -> String {
    format!("https://{source}.example/jobs/{n}")
}

fn rec(source: &str, n: usize) -> RawRecord {
    RawRecord {
        source: source.into(),
        url: url(source, n),
        external_id: Some(format!("{source}-{n}")),
        title: format!("Licensed Aircraft Engineer B1 #{n}"),
        company: Some(format!("{source} Aviation Ltd")),
        location: Some("Dublin, Ireland".into()),
        scraped_at: Some("2026-11-20T08:00:00Z".into()),
        ..Default::default()
    }
}

/// One crawl of `source` that saw items `seen` and finished with `status`, the way `scrape`
/// records it: store the items, run the guard and expiry, write the crawl-log row.
fn crawl(p: &mut Pipeline, source: &str, seen: &[usize], status: &str) -> (i64, SourceExpiry) {
    let run = p.store().begin_run("test").unwrap();
    p.set_run(Some(run));
    for &n in seen {
        p.push(rec(source, n), Origin::Page(url(source, 0)))
            .unwrap();
    }
    p.flush().unwrap();
    let found = seen.len() as u64;
    let expiry = after_source(
        p.store().conn(),
        SourceRun {
            run_id: run,
            source,
            status,
            found,
        },
        &ExpirePolicy::default(),
        today(),
        false,
    )
    .unwrap();
    let (status, note) = match &expiry.guard {
        Guard::Suspect { reason } => ("suspect", Some(reason.clone())),
        Guard::Hold { reason } => (status, Some(reason.clone())),
        Guard::Expire => (status, None),
    };
    let log = SourceRunLog {
        source: source.into(),
        status: status.into(),
        items_found: found,
        items_expired: expiry.listings.len() as u64,
        note,
        ..Default::default()
    };
    p.store().record_source(run, &log).unwrap();
    p.store().finish_run(run, status).unwrap();
    (run, expiry)
}

fn listing_active(store: &Store, url: &str) -> (bool, Option<String>) {
    store
        .conn()
        .query_row(
            "SELECT active, inactive_reason FROM job_sources WHERE url = ?1",
            [url],
            |r| Ok((r.get::<_, i64>(0)? == 1, r.get(1)?)),
        )
        .unwrap()
}

fn job_status(store: &Store, url: &str) -> String {
    store
        .conn()
        .query_row(
            "SELECT j.status FROM jobs j JOIN job_sources l ON l.job_id = j.id WHERE l.url = ?1",
            [url],
            |r| r.get(0),
        )
        .unwrap()
}

fn pipeline() -> Pipeline {
    Pipeline::new(Store::open_in_memory().unwrap()).unwrap()
}

#[test]
fn a_listing_unseen_for_three_successful_runs_expires_and_comes_back_when_seen_again() {
    let mut p = pipeline();
    let gone = url("goose", 4);
    crawl(&mut p, "goose", &[1, 2, 3, 4], "ok");
    // Missed by two good runs: still active.
    for _ in 0..2 {
        let (_, e) = crawl(&mut p, "goose", &[1, 2, 3], "ok");
        assert_eq!(e.guard, Guard::Expire);
        assert!(e.listings.is_empty());
    }
    assert_eq!(listing_active(p.store(), &gone), (true, None));
    // A failed run in between does not count as "missed".
    let (_, e) = crawl(&mut p, "goose", &[], "error");
    assert!(matches!(e.guard, Guard::Hold { .. }));
    assert_eq!(job_status(p.store(), &gone), "active");

    // The third good run that misses it: inactive, and its job (only listing) expired.
    let (_, e) = crawl(&mut p, "goose", &[1, 2, 3], "ok");
    assert_eq!(e.listings.len(), 1);
    assert_eq!(e.listings[0].url, gone);
    assert_eq!(e.listings[0].reason, "unseen");
    assert_eq!(e.jobs_expired.len(), 1);
    assert_eq!(
        listing_active(p.store(), &gone),
        (false, Some("unseen".into()))
    );
    assert_eq!(job_status(p.store(), &gone), "expired");
    assert_eq!(job_status(p.store(), &url("goose", 1)), "active");
    let expired_logged: i64 = p
        .store()
        .conn()
        .query_row(
            "SELECT items_expired FROM crawl_log ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(expired_logged, 1);

    // Back on the site: active again.
    crawl(&mut p, "goose", &[1, 2, 3, 4], "ok");
    assert_eq!(listing_active(p.store(), &gone), (true, None));
    assert_eq!(job_status(p.store(), &gone), "active");
}

#[test]
fn a_run_with_fewer_than_30_percent_of_the_median_is_suspect_and_expires_nothing() {
    let mut p = pipeline();
    let all: Vec<usize> = (1..=10).collect();
    for _ in 0..3 {
        crawl(&mut p, "cargolux", &all, "ok");
    }
    // Layout change: the list selector now matches 2 of 10 items, three times in a row.
    for _ in 0..3 {
        let (_, e) = crawl(&mut p, "cargolux", &[1, 2], "ok");
        let Guard::Suspect { reason } = &e.guard else {
            panic!("expected suspect, got {:?}", e.guard)
        };
        assert!(reason.contains("found 2 items"), "{reason}");
        assert!(reason.contains("median 10"), "{reason}");
        assert!(e.listings.is_empty());
    }
    let active: i64 = p
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM job_sources WHERE source = 'cargolux' AND active = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(active, 10, "no listing expired");
    let (status, note): (String, String) = p
        .store()
        .conn()
        .query_row(
            "SELECT status, note FROM crawl_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(status, "suspect");
    assert!(note.contains("nothing expired"), "{note}");

    // Zero items ("empty") after a healthy history is suspect too.
    let (_, e) = crawl(&mut p, "cargolux", &[], "empty");
    assert!(matches!(e.guard, Guard::Suspect { .. }), "{:?}", e.guard);
}

#[test]
fn blocked_and_errored_runs_never_expire() {
    let mut p = pipeline();
    crawl(&mut p, "indigo", &[1, 2, 3], "ok");
    for status in ["blocked", "error", "blocked", "interrupted"] {
        let (_, e) = crawl(&mut p, "indigo", &[], status);
        let Guard::Hold { reason } = &e.guard else {
            panic!("expected hold for {status}")
        };
        assert!(reason.contains(status), "{reason}");
    }
    assert_eq!(listing_active(p.store(), &url("indigo", 1)), (true, None));
}

#[test]
fn closing_date_in_the_past_closes_the_listing_after_a_good_run() {
    let mut p = pipeline();
    let run = p.store().begin_run("test").unwrap();
    p.set_run(Some(run));
    p.push(rec("flygosh", 1), Origin::Line(1)).unwrap();
    p.push(rec("flygosh", 2), Origin::Line(2)).unwrap();
    p.flush().unwrap();
    // Closing dates as the normalizer stores them (YYYY-MM-DD on the job).
    for (n, day) in [(1, "2026-11-01"), (2, "2026-12-31")] {
        p.store()
            .conn()
            .execute(
                "UPDATE jobs SET closing_date = ?2
                 WHERE id = (SELECT job_id FROM job_sources WHERE url = ?1)",
                rusqlite::params![url("flygosh", n), day],
            )
            .unwrap();
    }
    let e = after_source(
        p.store().conn(),
        SourceRun {
            run_id: run,
            source: "flygosh",
            status: "ok",
            found: 2,
        },
        &ExpirePolicy::default(),
        today(),
        false,
    )
    .unwrap();
    assert_eq!(e.listings.len(), 1);
    assert_eq!(e.listings[0].reason, "closed");
    assert_eq!(job_status(p.store(), &url("flygosh", 1)), "expired");
    assert_eq!(job_status(p.store(), &url("flygosh", 2)), "active");
}

#[test]
fn expire_all_dry_run_reports_without_changing_anything_and_respects_the_latest_status() {
    let mut p = pipeline();
    crawl(&mut p, "goose", &[1, 2, 3, 4], "ok");
    crawl(&mut p, "aap", &[1, 2], "ok");
    // Expire after one missed run for this check; goose's last run is healthy, aap's blocked.
    crawl(&mut p, "goose", &[1, 2, 3], "ok");
    crawl(&mut p, "aap", &[], "blocked");
    let policy = ExpirePolicy {
        expire_after_runs: 1,
        ..ExpirePolicy::default()
    };
    let report = expire_all(p.store().conn(), &policy, today(), true).unwrap();
    let goose = report.iter().find(|s| s.source == "goose").unwrap();
    assert_eq!(goose.listings.len(), 1);
    assert_eq!(goose.listings[0].url, url("goose", 4));
    let aap = report.iter().find(|s| s.source == "aap").unwrap();
    assert!(matches!(&aap.guard, Guard::Hold { reason } if reason.contains("blocked")));
    assert!(aap.listings.is_empty());
    assert_eq!(
        listing_active(p.store(), &url("goose", 4)),
        (true, None),
        "dry run"
    );

    let report = expire_all(p.store().conn(), &policy, today(), false).unwrap();
    assert_eq!(report.iter().map(|s| s.listings.len()).sum::<usize>(), 1);
    assert_eq!(job_status(p.store(), &url("goose", 4)), "expired");
}

/// Our own page modelled on the structure of a SuccessFactors RMK detail page of a closed
/// posting: HTTP 200, empty title block, the notice in `div.jobDisplayShell div.job`.
const CLOSED_DETAIL_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en-GB"><head>
<title>Senior Ramp Agent Job Details | Example Air Careers</title>
<meta name="robots" content="noindex">
<meta property="og:title" content="Senior Ramp Agent">
<script>var jobTitle = "";</script>
</head><body>
<div class="jobDisplayShell" itemscope="itemscope">
  <div class="jobDisplay">
    <div class="content">
      <div class="jobTitle">
      </div>
      <div class="job">
        <p><strong>Sorry, this position has been filled.</strong></p>
      </div>
      <div class="clear clearfix"></div>
    </div>
  </div>
</div>
</body></html>"#;

#[test]
fn a_position_filled_page_marks_the_job_filled_and_expiry_leaves_it_filled() {
    assert!(page_says_filled(CLOSED_DETAIL_PAGE));
    assert!(!page_says_filled(
        "<div class=\"job\"><span class=\"jobdescription\">We review applications until the \
         position has been filled.</span></div>"
    ));

    let mut p = pipeline();
    crawl(&mut p, "airindia", &[1, 2], "ok");
    let job = mark_filled(p.store().conn(), &url("airindia", 1)).unwrap();
    assert!(job.is_some());
    assert_eq!(
        mark_filled(p.store().conn(), "https://nowhere.example/x").unwrap(),
        None
    );
    assert_eq!(job_status(p.store(), &url("airindia", 1)), "filled");
    assert_eq!(
        listing_active(p.store(), &url("airindia", 1)),
        (false, Some("filled".into()))
    );
    for _ in 0..3 {
        crawl(&mut p, "airindia", &[2], "ok");
    }
    assert_eq!(job_status(p.store(), &url("airindia", 1)), "filled");
}
