//! Every real-site config in scrapers/ runs unchanged (only `base_url` points at a loopback
//! server) against our own fixture modelled on the real site's structure, and produces the
//! expected records. These prove the configs' selectors, paths and paging against the shapes
//! we know; they say nothing about the live sites (see the "verified only offline" notes).

mod engine_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use aeroscrap::config::parse_source;
use aeroscrap::model::RawRecord;
use aeroscrap::scrape::SourceStatus;
use aeroscrap::sources::SourceSpec;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::IntoResponse;
use engine_support::*;

/// A fixture route: a path (percent-decoded), an optional substring the query must contain,
/// and the fixture file served.
struct Route {
    path: &'static str,
    query: Option<&'static str>,
    file: &'static str,
}

fn r(path: &'static str, file: &'static str) -> Route {
    Route {
        path,
        query: None,
        file,
    }
}

fn rq(path: &'static str, query: &'static str, file: &'static str) -> Route {
    Route {
        path,
        query: Some(query),
        file,
    }
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites")
}

/// Serves the routes of `site`; with `required_header`, requests without it get 401.
async fn site(
    site: &'static str,
    routes: Vec<Route>,
    required_header: Option<(&'static str, &'static str)>,
) -> String {
    let routes = Arc::new(routes);
    let hits = Hits::default();
    let router = Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let routes = routes.clone();
        let hits = hits.clone();
        async move {
            hits.add(uri.to_string());
            if let Some((name, value)) = required_header
                && headers.get(name).and_then(|v| v.to_str().ok()) != Some(value)
            {
                return (StatusCode::UNAUTHORIZED, "missing user_key").into_response();
            }
            let path = uri.path().replace("%20", " ");
            let query = uri.query().unwrap_or("");
            let Some(route) = routes
                .iter()
                .find(|r| r.path == path && r.query.is_none_or(|q| query.contains(q)))
            else {
                return (StatusCode::NOT_FOUND, "no fixture").into_response();
            };
            let body = std::fs::read_to_string(fixture_dir().join(site).join(route.file)).unwrap();
            let ct = if route.file.ends_with(".json") {
                "application/json"
            } else {
                "text/html; charset=utf-8"
            };
            ([(header::CONTENT_TYPE, ct)], body).into_response()
        }
    });
    serve(router).await
}

/// `scrapers/<name>.toml`, enabled, pointed at `base`, without its production delay.
fn real_config(name: &str, base: &str) -> SourceSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scrapers/{name}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut cfg = parse_source(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    cfg.common.base_url = Some(base.to_owned());
    cfg.common.enabled = true;
    cfg.common.politeness.delay_ms = Some(0);
    cfg.compile().unwrap_or_else(|e| panic!("{e}"))
}

async fn scrape(name: &str, base: &str) -> Vec<RawRecord> {
    let (records, outcome) = run_one(real_config(name, base)).await;
    assert_eq!(
        outcome.status,
        SourceStatus::Ok,
        "{name}: {:?} {:?}",
        outcome.error,
        outcome.warnings
    );
    records
}

fn by_id<'a>(records: &'a [RawRecord], id: &str) -> &'a RawRecord {
    records
        .iter()
        .find(|r| r.external_id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no record with external_id {id}: {records:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aviationjobsearch_pages_until_empty_and_reads_json_ld_details() {
    let base = site(
        "aviationjobsearch",
        vec![
            rq("/en-GB/jobs", "page=1", "listing_p1.html"),
            rq("/en-GB/jobs", "page=2", "listing_p2.html"),
            rq("/en-GB/jobs", "page=3", "listing_empty.html"),
            r("/jobs/pilots/first-officer/first-officer-boeing-by-jet2com-Ii8fte-576343", "detail_576343.html"),
            r(
                "/jobs/aircraft-maintenance-engineers/b1-licensed-engineer/local-support-administrator-by-aeroprofessional-ltd-558847",
                "detail_558847.html",
            ),
            r("/jobs/cabin-crew/cabin-crew/seasonal-cabin-crew-by-example-air-Qq12ab-577001", "detail_577001.html"),
        ],
        None,
    )
    .await;
    let records = scrape("aviationjobsearch", &base).await;
    assert_eq!(
        records.len(),
        3,
        "category links are not postings: {records:#?}"
    );
    let fo = by_id(&records, "576343");
    // The first link of the card is the logo: the title comes from JSON-LD.
    assert_eq!(fo.title, "First Officer - Boeing 737");
    assert_eq!(fo.company.as_deref(), Some("Jet Example"));
    assert_eq!(
        fo.location.as_deref(),
        Some("Manchester Airport, England, United Kingdom")
    );
    assert_eq!(fo.posted_date.as_deref(), Some("2026-11-19T09:12:00+00:00"));
    assert!(
        fo.description
            .as_deref()
            .unwrap()
            .starts_with("<p>Fly the B737-800")
    );
    // The slug lies about the ad (advertisers re-use old ads): the link text is the title.
    let b787 = by_id(&records, "558847");
    assert_eq!(b787.title, "B787 TR & NTR First Officers");
    assert_eq!(b787.salary.as_deref(), Some("GBP 40000 - 50000 per year"));
    assert_eq!(
        by_id(&records, "577001").employment_type.as_deref(),
        Some("TEMPORARY")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goose_reads_the_label_value_list_without_the_relocation_trap() {
    let base = site(
        "goose",
        vec![
            r("/jobs", "jobs.html"),
            r(
                "/job/atr-47-slash-72-500-captain-821527a",
                "job_821527a.html",
            ),
            r(
                "/job/b1-licensed-engineer-a320-kent-822114b",
                "job_822114b.html",
            ),
        ],
        None,
    )
    .await;
    let records = scrape("goose", &base).await;
    assert_eq!(
        records.len(),
        2,
        "apply/save/read-more links are not postings"
    );
    let atr = by_id(&records, "821527A");
    assert_eq!(atr.title, "ATR 42/72-500 Captain - Malta Based");
    assert_eq!(
        atr.url,
        format!("{base}/job/atr-47-slash-72-500-captain-821527a")
    );
    assert_eq!(atr.location.as_deref(), Some("Malta"));
    assert_eq!(atr.posted_date.as_deref(), Some("6 days ago"));
    assert_eq!(atr.department.as_deref(), Some("Flight Crew"));
    assert_eq!(atr.employment_type.as_deref(), Some("Permanent"));
    assert_eq!(atr.salary.as_deref(), Some("Competitive"));
    assert_eq!(atr.closing_date.as_deref(), Some("31 December 2026"));
    assert_eq!(atr.company.as_deref(), Some("GOOSE Recruitment"));
    let b1 = by_id(&records, "822114B");
    assert_eq!(b1.location.as_deref(), Some("Kent"));
    assert_eq!(b1.department.as_deref(), Some("MRO & Technical Services"));
    assert_eq!(b1.salary.as_deref(), Some("£45 - £50 per hour"));
    assert_eq!(b1.posted_date.as_deref(), Some("about 23 hours ago"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn airindia_pages_by_startrow_and_marks_filled_postings() {
    let base = site(
        "airindia",
        vec![
            rq("/search/", "startrow=0", "search_0.html"),
            rq("/search/", "startrow=25", "search_empty.html"),
            r(
                "/job/Gurugram-Senior-Associate-Loyalty-Customer-Service/48122944/",
                "job_48122944.html",
            ),
            r("/aix/job/_-Senior-Associate/44036244/", "job_44036244.html"),
        ],
        None,
    )
    .await;
    let records = scrape("airindia", &base).await;
    assert_eq!(records.len(), 2);
    let closed = by_id(&records, "48122944");
    assert_eq!(closed.title, "Senior Associate - Loyalty Customer Service");
    assert_eq!(closed.location.as_deref(), Some("Gurugram, IN"));
    assert_eq!(closed.posted_date.as_deref(), Some("Oct 27, 2026"));
    assert_eq!(closed.extra["status"], "filled");
    assert_eq!(closed.company.as_deref(), Some("Air India"));
    let aix = by_id(&records, "44036244");
    assert_eq!(
        aix.url,
        format!("{base}/aix/job/_-Senior-Associate/44036244/")
    );
    assert!(
        aix.description
            .as_deref()
            .unwrap()
            .contains("API integrations")
    );
    assert!(!aix.extra.contains_key("status"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indigo_json_api_with_the_user_key_from_the_environment() {
    // SAFETY: only this test reads INDIGO_USER_KEY.
    unsafe { std::env::set_var("INDIGO_USER_KEY", "fixture-public-key") };
    let base = site(
        "indigo",
        vec![r("/career-job-list", "career-job-list.json")],
        Some(("user_key", "fixture-public-key")),
    )
    .await;
    let records = scrape("indigo", &base).await;
    assert_eq!(records.len(), 3);
    let c = by_id(&records, "8529");
    assert_eq!(c.title, "Consultant -  Customer Experience");
    // Built like the site's own relative link: spaces become dashes.
    assert_eq!(
        c.url,
        "https://www.goindigo.in/careers/job-details/Consultant----Customer-Experience/8529.html"
    );
    assert_eq!(c.location.as_deref(), Some("Gurgaon"));
    assert_eq!(c.department.as_deref(), Some("Customer Services"));
    assert_eq!(c.posted_date.as_deref(), Some("/Date(1764633600000)/"));
    assert_eq!(c.company.as_deref(), Some("IndiGo"));
    assert!(
        c.apply_url
            .as_deref()
            .unwrap()
            .ends_with("career_job_req_id=8529")
    );
    assert_eq!(
        by_id(&records, "8510").title,
        "Assistant Manager - Engineering &amp; Maintenance"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signature_oracle_api_pages_by_offset_until_a_short_page() {
    let base = site(
        "signature",
        vec![
            rq(
                "/hcmRestApi/resources/latest/recruitingCEJobRequisitions",
                "offset=0",
                "requisitions_0.json",
            ),
            rq(
                "/hcmRestApi/resources/latest/recruitingCEJobRequisitions",
                "offset=25",
                "requisitions_25.json",
            ),
        ],
        None,
    )
    .await;
    let records = scrape("signature", &base).await;
    assert_eq!(records.len(), 27);
    let r = by_id(&records, "100001");
    assert_eq!(
        r.title,
        "Customer Service Representative - Part-Time Per Diem - TEB South"
    );
    assert_eq!(
        r.url,
        "https://jobs.signatureaviation.com/en/sites/CX_1/job/100001"
    );
    assert_eq!(r.location.as_deref(), Some("Teterboro, NJ, United States"));
    assert_eq!(r.posted_date.as_deref(), Some("2026-11-02"));
    assert_eq!(r.remote, Some(serde_json::Value::String("Hybrid".into())));
    assert_eq!(r.company.as_deref(), Some("Signature Aviation"));
    assert_eq!(
        by_id(&records, "100000").closing_date.as_deref(),
        Some("2026-12-31")
    );
    assert_eq!(
        by_id(&records, "100026").title,
        "Customer Service Representative - Part-Time Per Diem - TEB South"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flygosh_links_with_spaces_and_json_ld_details() {
    let base = site(
        "flygosh",
        vec![
            r("/jobs/all/all-region/", "jobs.html"),
            r(
                "/job/CAPTAIN A320/3f2a9c4e8b7d6a5f4e3d2c1b0a998877",
                "job_3f2a.html",
            ),
            r(
                "/job/LICENSED AIRCRAFT ENGINEER B1-OR-B2/0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "job_0a1b.html",
            ),
        ],
        None,
    )
    .await;
    let records = scrape("flygosh", &base).await;
    assert_eq!(records.len(), 2);
    let cpt = by_id(&records, "3f2a9c4e8b7d6a5f4e3d2c1b0a998877");
    assert_eq!(cpt.title, "CAPTAIN A320");
    assert_eq!(cpt.company.as_deref(), Some("Scoot"));
    assert_eq!(cpt.location.as_deref(), Some("Hong Kong S.A.R."));
    assert_eq!(cpt.posted_date.as_deref(), Some("2026-11-15"));
    assert_eq!(
        cpt.url,
        format!("{base}/job/CAPTAIN%20A320/3f2a9c4e8b7d6a5f4e3d2c1b0a998877")
    );
    let lae = by_id(&records, "0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    assert_eq!(lae.company.as_deref(), Some("FlyGosh Sdn Bhd"));
    assert_eq!(lae.posted_date.as_deref(), Some("2023-02-13"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aap_tiles_give_client_title_and_chips_without_fake_dates() {
    let base = site(
        "aap",
        vec![
            r("/jobs", "jobs.html"),
            r("/jobs/4521/wizz-air-a320-captain-budapest", "job_4521.html"),
            r(
                "/jobs/4533/tag-aviation-b2-avionics-engineer-geneva",
                "job_4533.html",
            ),
        ],
        None,
    )
    .await;
    let records = scrape("aap", &base).await;
    assert_eq!(records.len(), 2);
    let w = by_id(&records, "4521");
    assert_eq!(
        w.title,
        "Wizz Air | A320 Captain | Budapest | Immediate Start"
    );
    assert_eq!(w.company.as_deref(), Some("Wizz Air"));
    assert_eq!(w.location.as_deref(), Some("Budapest"));
    assert_eq!(w.employment_type.as_deref(), Some("Permanent"));
    assert_eq!(
        w.posted_date, None,
        "\"Deadline: ASAP\" is not a posting date"
    );
    assert_eq!(
        w.description.as_deref(),
        Some("<p>Captains with 3,000 hours, 500 on type.</p>")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cargolux_relative_links_resolve_against_the_results_page() {
    let base = site(
        "cargolux",
        vec![
            r(
                "/careerscp/client_cargolux/external/results/searchResult.html",
                "searchResult.html",
            ),
            rq(
                "/careerscp/client_cargolux/external/jobDetails/jobDetail.html",
                "jobPostId=4823",
                "jobDetail_4823.html",
            ),
            rq(
                "/careerscp/client_cargolux/external/jobDetails/jobDetail.html",
                "jobPostId=4901",
                "jobDetail_4901.html",
            ),
        ],
        None,
    )
    .await;
    let records = scrape("cargolux", &base).await;
    assert_eq!(records.len(), 2);
    let m = by_id(&records, "4823");
    assert_eq!(
        m.url,
        format!(
            "{base}/careerscp/client_cargolux/external/jobDetails/jobDetail.html?jobPostId=4823&localeCode=en-us"
        )
    );
    assert_eq!(m.title, "Aircraft Mechanic (SR)");
    assert_eq!(m.location.as_deref(), Some("Luxembourg, Luxembourg"));
    assert_eq!(m.employment_type.as_deref(), Some("Full Time"));
    assert_eq!(m.extra["job_id"], "2958");
    assert!(
        m.description
            .as_deref()
            .unwrap()
            .starts_with("TASK RESPONSIBILITIES Perform scheduled maintenance")
    );
    assert_eq!(m.company.as_deref(), Some("Cargolux"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linkedin_is_disabled_by_default_and_reads_guest_cards_when_enabled() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scrapers/linkedin.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!parse_source(&path, &text).unwrap().common.enabled);
    let base = site("linkedin", vec![r("/jobs/search/", "search.html")], None).await;
    let records = scrape("linkedin", &base).await;
    assert_eq!(records.len(), 2);
    let c = by_id(&records, "4123456789");
    assert_eq!(c.title, "Crew Scheduler");
    assert_eq!(c.company.as_deref(), Some("Example Air"));
    assert_eq!(c.location.as_deref(), Some("Dallas, TX"));
    assert_eq!(c.posted_date.as_deref(), Some("2026-11-14"));
    assert!(c.url.starts_with(
        "https://www.linkedin.com/jobs/view/crew-scheduler-at-example-air-4123456789?"
    ));
    assert_eq!(
        by_id(&records, "4123999000").posted_date.as_deref(),
        Some("2026-11-20")
    );
}

#[test]
fn every_config_in_scrapers_is_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scrapers");
    let (configs, errors) = aeroscrap::config::load_sources_lenient(&dir);
    assert!(errors.is_empty(), "{errors:?}");
    let names: Vec<&str> = configs.iter().map(|c| c.common.name.as_str()).collect();
    for want in [
        "aap",
        "airindia",
        "aviationjobsearch",
        "cargolux",
        "flygosh",
        "goose",
        "indigo",
        "linkedin",
        "signature",
    ] {
        assert!(names.contains(&want), "scrapers/{want}.toml missing");
    }
    for c in configs {
        c.compile().unwrap_or_else(|e| panic!("{e}"));
    }
}
