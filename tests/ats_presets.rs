//! Every ATS preset against the loopback mock of its API: paging, quirks, field mapping and the
//! errors a wrong board/company/site gives.

mod ats_support;

use aeroscrap::sources::ats::AtsError;
use ats_support::{by_id, crawl_config, start};

fn board_error(err: &Option<AtsError>) -> String {
    match err {
        Some(e @ AtsError::Board { .. }) => e.to_string(),
        other => panic!("expected a board error, got {other:?}"),
    }
}

#[tokio::test]
async fn greenhouse_reads_the_board_and_pay_ranges() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"greenhouse\"\nboard = \"skyward\"\nbase_url = \"{}/greenhouse\"",
        mock.root
    );
    let out = crawl_config("skyward", None, &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.records.len(), 3);
    assert_eq!((out.list_pages, out.detail_requests), (1, 3));

    let captain = by_id(&out.records, "4011001");
    assert_eq!(captain.source, "skyward");
    assert_eq!(captain.title, "Captain - Electric VTOL Flight Test");
    assert_eq!(captain.company.as_deref(), Some("Skyward Aero"));
    // first_published, not updated_at
    assert_eq!(
        captain.posted_date.as_deref(),
        Some("2026-10-02T08:58:57-04:00")
    );
    assert_eq!(captain.location.as_deref(), Some("Marina, CA"));
    assert_eq!(captain.department.as_deref(), Some("Flight Operations"));
    assert_eq!(captain.employment_type.as_deref(), Some("Full-time"));
    assert_eq!(
        captain.apply_url.as_deref(),
        Some("https://boards.greenhouse.io/skyward/jobs/4011001")
    );
    assert_eq!(
        captain.description.as_deref(),
        Some("<p>Fly our <strong>eVTOL</strong> prototypes.</p><ul><li>ATPL or CPL</li></ul>")
    );
    // cents → units
    assert_eq!(
        captain.salary.as_deref(),
        Some("USD 150000-200000 per year")
    );

    let mech = by_id(&out.records, "4011002");
    assert_eq!(mech.salary.as_deref(), Some("USD 35.50-48 per hour"));
    assert_eq!(mech.closing_date.as_deref(), Some("2026-12-31"));
    assert_eq!(
        mech.url,
        "https://skyward.example.com/careers?gh_jid=4011002"
    );

    // no `location` object: the office names stand in; empty pay list → no salary
    let avionics = by_id(&out.records, "4011003");
    assert_eq!(avionics.location.as_deref(), Some("San Jose, CA"));
    assert_eq!(avionics.department, None);
    assert_eq!(avionics.salary, None);
}

#[tokio::test]
async fn greenhouse_unknown_board_names_the_board_key() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"greenhouse\"\nboard = \"skywrad\"\nbase_url = \"{}/greenhouse\"",
        mock.root
    );
    let out = crawl_config("skyward", None, &cfg).await;
    assert_eq!(
        board_error(&out.error),
        "source \"skyward\": greenhouse board \"skywrad\" was not found by the API (HTTP 404): \
         check the `board` key"
    );
    assert!(out.records.is_empty());
}

#[tokio::test]
async fn lever_pages_with_skip_and_limit_until_a_short_page() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"lever\"\nsite = \"northwind\"\nlimit = 2\nbase_url = \"{}/lever\"",
        mock.root
    );
    let out = crawl_config("northwind", Some("Northwind Regional"), &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.records.len(), 5);
    assert_eq!(out.list_pages, 3);
    let skips: Vec<String> = mock
        .ats
        .requests()
        .iter()
        .map(|r| r.split("skip=").nth(1).unwrap_or("").to_string())
        .collect();
    assert_eq!(skips, ["0&limit=2", "2&limit=2", "4&limit=2"]);

    let fo = by_id(&out.records, "0b7f5c1e-1111-4a96-8f05-fa4b0e4d0001");
    assert_eq!(fo.company.as_deref(), Some("Northwind Regional"));
    // createdAt epoch ms
    assert_eq!(fo.posted_date.as_deref(), Some("2025-11-15T09:46:40Z"));
    assert_eq!(fo.location.as_deref(), Some("Bergen, Norway"));
    assert_eq!(fo.department.as_deref(), Some("Flight Operations"));
    assert_eq!(fo.employment_type.as_deref(), Some("Full-time"));
    assert_eq!(fo.salary.as_deref(), Some("NOK 800000-950000 per year"));
    assert_eq!(
        fo.apply_url.as_deref(),
        Some("https://jobs.lever.co/northwind/0b7f5c1e-1111-4a96-8f05-fa4b0e4d0001/apply")
    );
    assert!(
        fo.description
            .as_deref()
            .unwrap()
            .contains("<h3>Requirements</h3>")
    );

    // no `location` category: allLocations; no department: the team
    let b1 = by_id(&out.records, "0b7f5c1e-3333-4a96-8f05-fa4b0e4d0003");
    assert_eq!(b1.location.as_deref(), Some("Tromsø, Norway, Bodø, Norway"));
    assert_eq!(b1.department.as_deref(), Some("Line Maintenance"));
    assert_eq!(b1.salary, None);
    let occ = by_id(&out.records, "0b7f5c1e-4444-4a96-8f05-fa4b0e4d0004");
    assert_eq!(occ.salary.as_deref(), Some("NOK 400 per hour"));
}

#[tokio::test]
async fn lever_ok_false_names_the_site_key() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"lever\"\nsite = \"nortwind\"\nbase_url = \"{}/lever\"",
        mock.root
    );
    let out = crawl_config("northwind", None, &cfg).await;
    assert_eq!(
        board_error(&out.error),
        "source \"northwind\": lever site \"nortwind\" was not found by the API (HTTP 404: \
         \"Document not found\"): check the `site` and `eu` keys"
    );
}

#[tokio::test]
async fn workday_posts_pages_of_at_most_20_and_reads_details() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"workday\"\ntenant = \"contoso\"\nsite = \"External\"\nlimit = 2\n\
         base_url = \"{}/workday\"",
        mock.root
    );
    let out = crawl_config("contoso", Some("Contoso Aerospace"), &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    // total (5) only on page 1: pages at offsets 0, 2, 4
    assert_eq!(out.list_pages, 3);
    assert_eq!(out.records.len(), 5);
    let posts: Vec<String> = mock
        .ats
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("POST"))
        .collect();
    assert_eq!(posts.len(), 3);
    assert!(posts[1].contains("\"offset\":2") && posts[1].contains("\"limit\":2"));

    let captain = by_id(&out.records, "JR10001");
    assert_eq!(captain.posted_date.as_deref(), Some("2026-11-21"));
    assert_eq!(captain.location.as_deref(), Some("Toulouse"));
    assert_eq!(
        captain.apply_url.as_deref(),
        Some(
            "https://contoso.wd3.myworkdayjobs.com/External/job/Toulouse/A320-Type-Rated-Captain_JR10001"
        )
    );
    assert_eq!(captain.url, captain.apply_url.clone().unwrap());
    // no detail answer: the page built from the list's externalPath
    assert_eq!(
        by_id(&out.records, "JR10005").url,
        format!(
            "{}/workday/External/job/Montreal-QC/Simulator-Instructor_JR10005",
            mock.root
        )
    );
    assert_eq!(
        captain.description.as_deref(),
        Some("<p>Command A320 family aircraft.</p>")
    );
    // "2 Locations" in the list; the detail names them
    let eng = by_id(&out.records, "JR10002");
    assert_eq!(eng.location.as_deref(), Some("Hamburg, Bremen"));
    assert_eq!(
        eng.extra.get("country").and_then(|c| c.as_str()),
        Some("DE")
    );
    // the list said "Posted 30+ Days Ago"; the detail's startDate is the posting date
    assert_eq!(
        by_id(&out.records, "JR10003").posted_date.as_deref(),
        Some("2026-09-30")
    );
    // no detail answer: the list data stays, with a warning
    let sim = by_id(&out.records, "JR10005");
    assert_eq!(sim.posted_date.as_deref(), Some("Posted 12 Days Ago"));
    assert_eq!(sim.location.as_deref(), Some("Montreal, QC"));
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
}

#[tokio::test]
async fn workday_wrong_site_names_tenant_and_site() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"workday\"\ntenant = \"contoso\"\nsite = \"ContosoCareers\"\n\
         base_url = \"{}/workday\"",
        mock.root
    );
    let out = crawl_config("contoso", None, &cfg).await;
    assert_eq!(
        board_error(&out.error),
        "source \"contoso\": workday tenant/site \"contoso/ContosoCareers\" was rejected by the \
         API (HTTP 422: HTTP_422): check the `tenant` and `site` keys"
    );
}

#[test]
fn workday_refuses_a_limit_above_20_before_any_request() {
    let err = ats_support::build(
        "contoso",
        "kind = \"workday\"\nhost = \"contoso.wd3\"\nsite = \"External\"\nlimit = 50",
    )
    .expect_err("limit 50 is refused");
    assert_eq!(
        err.to_string(),
        "source \"contoso\": workday config: `limit` = 50: Workday accepts 1 to 20 jobs per page"
    );
}

#[tokio::test]
async fn smartrecruiters_pages_by_offset_and_reads_job_ads() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"smartrecruiters\"\ncompany_id = \"BlueJetHandling\"\nlimit = 3\n\
         base_url = \"{}/smartrecruiters\"",
        mock.root
    );
    let out = crawl_config("bluejet", None, &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!((out.list_pages, out.records.len()), (2, 4));
    let ramp = by_id(&out.records, "744000001");
    assert_eq!(ramp.company.as_deref(), Some("BlueJet Handling"));
    assert_eq!(
        ramp.posted_date.as_deref(),
        Some("2026-11-19T07:30:00.000Z")
    );
    assert_eq!(ramp.location.as_deref(), Some("Dublin, Leinster, IE"));
    assert_eq!(ramp.department.as_deref(), Some("Ground Operations"));
    assert_eq!(ramp.employment_type.as_deref(), Some("Full-time"));
    assert_eq!(
        ramp.apply_url.as_deref(),
        Some("https://jobs.smartrecruiters.com/BlueJetHandling/744000001-ramp-agent?oga=true")
    );
    assert_eq!(
        ramp.url,
        "https://jobs.smartrecruiters.com/BlueJetHandling/744000001-ramp-agent"
    );
    let d = ramp.description.as_deref().unwrap();
    assert!(d.starts_with("<h3>Company Description</h3>"), "{d}");
    assert!(d.contains("<ul><li>Airside pass</li></ul>"), "{d}");
    // no department, no region
    let bag = by_id(&out.records, "744000003");
    assert_eq!(bag.department, None);
    assert_eq!(bag.location.as_deref(), Some("Shannon, IE"));
}

#[tokio::test]
async fn smartrecruiters_unknown_company_names_the_company_id_key() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"smartrecruiters\"\ncompany_id = \"BlueJet\"\nbase_url = \"{}/smartrecruiters\"",
        mock.root
    );
    let out = crawl_config("bluejet", None, &cfg).await;
    assert!(board_error(&out.error).ends_with("check the `company_id` key"));
}

#[tokio::test]
async fn ashby_skips_unlisted_jobs_and_reads_compensation() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"ashby\"\nboard = \"vertiport\"\nbase_url = \"{}/ashby\"",
        mock.root
    );
    let out = crawl_config("vertiport", Some("Vertiport Air"), &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!((out.records.len(), out.skipped), (2, 1));
    let pilot = by_id(&out.records, "5e0c0000-0000-4000-8000-00000000a001");
    assert_eq!(pilot.salary.as_deref(), Some("USD 160000-210000 per year"));
    assert_eq!(
        pilot.posted_date.as_deref(),
        Some("2026-11-12T16:21:55.393+00:00")
    );
    assert_eq!(
        pilot.location.as_deref(),
        Some("Santa Cruz, CA, Austin, TX")
    );
    assert_eq!(pilot.employment_type.as_deref(), Some("FullTime"));
    assert_eq!(
        pilot.apply_url.as_deref(),
        Some("https://jobs.ashbyhq.com/vertiport/5e0c0000-0000-4000-8000-00000000a001/application")
    );
    let ops = by_id(&out.records, "5e0c0000-0000-4000-8000-00000000a002");
    assert_eq!(ops.salary, None);
    assert_eq!(ops.remote, Some(serde_json::json!("Remote")));
}

#[tokio::test]
async fn ashby_empty_board_is_zero_jobs_and_unknown_board_is_an_error() {
    let mock = start().await;
    let empty = format!(
        "kind = \"ashby\"\nboard = \"empty-board\"\nbase_url = \"{}/ashby\"",
        mock.root
    );
    let out = crawl_config("v", None, &empty).await;
    assert!(out.error.is_none() && out.records.is_empty());
    let unknown = format!(
        "kind = \"ashby\"\nboard = \"vertiprot\"\nbase_url = \"{}/ashby\"",
        mock.root
    );
    let out = crawl_config("v", None, &unknown).await;
    assert!(board_error(&out.error).contains("ashby board \"vertiprot\" was not found"));
}

#[tokio::test]
async fn personio_reads_the_xml_feed_in_the_asked_language() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"personio\"\nsubdomain = \"alpenflug\"\nbase_url = \"{}/personio/alpenflug\"",
        mock.root
    );
    let out = crawl_config("alpenflug", None, &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.records.len(), 2);
    assert!(mock.ats.requests()[0].ends_with("/xml?language=en"));
    let b1 = by_id(&out.records, "1500101");
    assert_eq!(b1.title, "Aircraft Technician B1 (m/f/d)");
    assert_eq!(b1.company.as_deref(), Some("Alpenflug Technik GmbH"));
    assert_eq!(b1.location.as_deref(), Some("Salzburg, Innsbruck"));
    assert_eq!(b1.posted_date.as_deref(), Some("2026-11-03T08:15:00+00:00"));
    assert_eq!(b1.employment_type.as_deref(), Some("full-time, permanent"));
    assert_eq!(
        b1.apply_url.as_deref(),
        Some(format!("{}/personio/alpenflug/job/1500101", mock.root).as_str())
    );
    assert!(
        b1.description
            .as_deref()
            .unwrap()
            .contains("<h3>Your role & team</h3>")
    );
    // no office
    let apprentice = by_id(&out.records, "1500102");
    assert_eq!(apprentice.location, None);
    assert_eq!(apprentice.employment_type.as_deref(), Some("trainee"));
}

#[tokio::test]
async fn personio_empty_feed_is_valid_and_unknown_subdomain_is_not() {
    let mock = start().await;
    let quiet = format!(
        "kind = \"personio\"\nsubdomain = \"quiet\"\nbase_url = \"{}/personio/quiet\"",
        mock.root
    );
    let out = crawl_config("quiet", None, &quiet).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert!(out.records.is_empty());
    let unknown = format!(
        "kind = \"personio\"\nsubdomain = \"nobody\"\nbase_url = \"{}/personio/nobody\"",
        mock.root
    );
    let out = crawl_config("nobody", None, &unknown).await;
    assert!(board_error(&out.error).ends_with("check the `subdomain` and `domain` keys"));
}

#[tokio::test]
async fn recruitee_keeps_published_offers_and_reads_string_or_number_salaries() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"recruitee\"\nsubdomain = \"baltic-mro\"\nbase_url = \"{}/recruitee/baltic-mro\"",
        mock.root
    );
    let out = crawl_config("baltic", None, &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!((out.records.len(), out.skipped), (3, 1));
    let b2 = by_id(&out.records, "3100001");
    assert_eq!(b2.salary.as_deref(), Some("EUR 3500-4500 per month"));
    assert_eq!(b2.posted_date.as_deref(), Some("2026-11-04T09:45:21Z"));
    assert_eq!(
        b2.location.as_deref(),
        Some("Vilnius, Vilnius County, Lithuania")
    );
    assert_eq!(
        b2.apply_url.as_deref(),
        Some("https://baltic-mro.recruitee.com/o/part-66-b2-avionics-engineer/c/new")
    );
    assert_eq!(b2.company.as_deref(), Some("Baltic MRO"));
    let clerk = by_id(&out.records, "3100002");
    assert_eq!(clerk.salary.as_deref(), Some("EUR 1400-1600 per month"));
    assert_eq!(clerk.location.as_deref(), Some("Kaunas, Lithuania"));
    assert_eq!(clerk.remote, Some(serde_json::json!("hybrid")));
    // no salary, no department
    let cleaner = by_id(&out.records, "3100004");
    assert_eq!(
        (cleaner.salary.as_deref(), cleaner.department.as_deref()),
        (None, None)
    );
}

#[tokio::test]
async fn successfactors_feed_matches_facets_by_label() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"successfactors\"\ncompany_id = \"NordicAir\"\nbase_url = \"{}/successfactors\"",
        mock.root
    );
    let out = crawl_config("nordic", Some("Nordic Air"), &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.records.len(), 3);
    let fo = by_id(&out.records, "40101");
    assert_eq!(fo.title, "First Officer B737 MAX");
    assert_eq!(fo.posted_date.as_deref(), Some("2026-11-03"));
    assert_eq!(fo.location.as_deref(), Some("Istanbul, Türkiye"));
    assert_eq!(fo.department.as_deref(), Some("Flight Operations"));
    assert_eq!(fo.employment_type.as_deref(), Some("Full Time"));
    assert_eq!(
        fo.apply_url.as_deref(),
        Some(
            format!(
                "{}/successfactors/career?career_ns=job_listing&company=NordicAir&career_job_req_id=40101",
                mock.root
            )
            .as_str()
        )
    );
    // the same labels in other fields (mfield7, filter3)
    let trainer = by_id(&out.records, "40102");
    assert_eq!(trainer.title, "Cabin Crew & Service Trainer");
    assert_eq!(trainer.location.as_deref(), Some("Ankara, Türkiye"));
    assert_eq!(trainer.posted_date.as_deref(), Some("2026-10-28"));
    // no facets, no description
    let agent = by_id(&out.records, "40103");
    assert_eq!(
        (agent.location.as_deref(), agent.description.as_deref()),
        (None, None)
    );

    let bad = format!(
        "kind = \"successfactors\"\ncompany_id = \"NordicAri\"\nbase_url = \"{}/successfactors\"",
        mock.root
    );
    let out = crawl_config("nordic", None, &bad).await;
    assert!(board_error(&out.error).ends_with("check the `company_id` and `host` keys"));
}

#[tokio::test]
async fn successfactors_rmk_pages_with_startrow_and_reads_job_pages() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"successfactors\"\nmode = \"rmk\"\nbase_url = \"{}/rmk\"",
        mock.root
    );
    let out = crawl_config("airindia", Some("Air India"), &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!((out.list_pages, out.records.len()), (3, 7));
    let starts: Vec<String> = mock
        .ats
        .requests()
        .into_iter()
        .filter(|r| r.contains("/rmk/search/"))
        .map(|r| r.rsplit("startrow=").next().unwrap().to_string())
        .collect();
    assert_eq!(starts, ["0", "3", "6"]);
    let duty = by_id(&out.records, "1100001");
    assert_eq!(duty.title, "Duty Manager - Airport Operations");
    assert_eq!(duty.location.as_deref(), Some("Gurugram"));
    assert_eq!(duty.posted_date.as_deref(), Some("Nov 13, 2026"));
    assert_eq!(duty.department.as_deref(), Some("Airport Services"));
    assert_eq!(
        duty.apply_url.as_deref(),
        Some(
            format!(
                "{}/rmk/job/Gurugram-Duty-Manager-Airport-Operations/1100001/",
                mock.root
            )
            .as_str()
        )
    );
    assert_eq!(
        duty.extra.get("req_id").and_then(|v| v.as_str()),
        Some("16142")
    );
    // the job page's JSON-LD fills what the markup lacks
    assert_eq!(duty.employment_type.as_deref(), Some("FULL_TIME"));
    assert_eq!(duty.closing_date.as_deref(), Some("2026-12-15"));
    assert!(
        duty.salary.as_deref().is_some_and(|s| s.contains("INR")),
        "{:?}",
        duty.salary
    );
    assert_eq!(by_id(&out.records, "1100002").employment_type, None);
    assert!(
        duty.description
            .as_deref()
            .unwrap()
            .starts_with("<p>Lead the terminal shift.</p>")
    );
    // Air India Express rows have no location
    let aix = by_id(&out.records, "1100005");
    assert_eq!(aix.location, None);
    assert_eq!(aix.title, "Senior Associate");
}

#[tokio::test]
async fn oracle_pages_until_a_short_page() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"oracle\"\nsite_number = \"CX_1\"\nlimit = 3\nbase_url = \"{}/oracle\"",
        mock.root
    );
    let out = crawl_config("signature", Some("Signature Aviation"), &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!((out.list_pages, out.records.len()), (3, 7));
    let tech = by_id(&out.records, "300100");
    assert_eq!(tech.posted_date.as_deref(), Some("2026-11-20"));
    assert_eq!(tech.closing_date.as_deref(), Some("2026-12-31"));
    assert_eq!(tech.location.as_deref(), Some("Miami, FL, United States"));
    assert_eq!(tech.employment_type.as_deref(), Some("Part-Time Per Diem"));
    assert_eq!(tech.remote, Some(serde_json::json!("On-site")));
    assert_eq!(
        tech.apply_url.as_deref(),
        Some(format!("{}/oracle/en/sites/CX_1/job/300100", mock.root).as_str())
    );
    // empty Organization is no department; a null description is none
    assert_eq!(tech.department, None);
    let gm = by_id(&out.records, "300103");
    assert_eq!(
        (gm.description.as_deref(), gm.employment_type.as_deref()),
        (None, None)
    );
    assert_eq!(
        by_id(&out.records, "300104").department.as_deref(),
        Some("Finance")
    );

    let bad = format!(
        "kind = \"oracle\"\nsite_number = \"CX_9\"\nbase_url = \"{}/oracle\"",
        mock.root
    );
    let out = crawl_config("signature", None, &bad).await;
    assert!(board_error(&out.error).ends_with("check the `site_number` and `host` keys"));
}

#[tokio::test]
async fn oracle_details_add_descriptions_when_asked() {
    let mock = start().await;
    let cfg = format!(
        "kind = \"oracle\"\ndetails = true\nbase_url = \"{}/oracle\"",
        mock.root
    );
    let out = crawl_config("signature", None, &cfg).await;
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!((out.records.len(), out.detail_requests), (7, 7));
    let tech = by_id(&out.records, "300100");
    assert_eq!(
        tech.description.as_deref(),
        Some(
            "<p>Fuel, tow and park business aircraft at our Miami FBO.</p>\n\
             <ul><li>Marshal arriving aircraft</li><li>Operate fuel trucks</li></ul>\n\
             <ul><li>Valid driver's licence</li></ul>"
        )
    );
    // the title's words win over the schedule; the organization fills the department
    assert_eq!(tech.employment_type.as_deref(), Some("Part-Time Per Diem"));
    assert_eq!(tech.department.as_deref(), Some("FBO Operations"));
    assert_eq!(
        by_id(&out.records, "300104").employment_type.as_deref(),
        Some("Full time")
    );
    // five ids have no details: list data kept, one warning each
    assert_eq!(out.warnings.len(), 5, "{:?}", out.warnings);
    assert_eq!(
        by_id(&out.records, "300101").description.as_deref(),
        Some("Serve our guests at TEB.")
    );
}

#[test]
fn oracle_vanity_jobs_url_builds_public_job_links() {
    use aeroscrap::sources::ats::Cursor;
    let preset = ats_support::build(
        "signature",
        "kind = \"oracle\"\nhost = \"hdbt.fa.us2.oraclecloud.com\"\n\
         jobs_url = \"https://jobs.signatureaviation.com\"",
    )
    .unwrap();
    let req = preset.request(&Cursor::first());
    assert!(req.url.starts_with(
        "https://hdbt.fa.us2.oraclecloud.com/hcmRestApi/resources/latest/recruitingCEJobRequisitions?onlyData=true"
    ));
    assert!(
        req.url
            .contains("finder=findReqs;siteNumber=CX_1,facetsList=")
    );
    assert!(
        req.url
            .ends_with("limit=25,sortBy=POSTING_DATES_DESC,offset=0")
    );
}

#[path = "ats_support/quirks.rs"]
mod quirks;
#[path = "ats_support/scrapers.rs"]
mod scrapers;
