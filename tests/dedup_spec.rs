//! The fuzzy matcher as a specification: pairs that are one job, pairs that are not, and why.

use aeroscrap::dedup::{DEFAULT_DATE_WINDOW_DAYS, MatchFeatures, compare};
use aeroscrap::model::RawRecord;
use aeroscrap::normalize::{CompanyRegistry, Normalizer};

struct L<'a> {
    source: &'a str,
    company: &'a str,
    title: &'a str,
    location: Option<&'a str>,
    posted: Option<&'a str>,
    scraped: &'a str,
    description: Option<&'a str>,
}

fn l<'a>(source: &'a str, company: &'a str, title: &'a str) -> L<'a> {
    L {
        source,
        company,
        title,
        location: None,
        posted: None,
        scraped: "2025-12-03T07:30:00Z",
        description: None,
    }
}

fn features(x: &L<'_>) -> MatchFeatures {
    let n = Normalizer::new(CompanyRegistry::bundled());
    let job = n
        .normalize(RawRecord {
            source: x.source.into(),
            url: format!("https://{}.example/jobs/{}", x.source, x.title.len()),
            title: x.title.into(),
            company: Some(x.company.into()),
            location: x.location.map(String::from),
            posted_date: x.posted.map(String::from),
            scraped_at: Some(x.scraped.into()),
            description: x.description.map(String::from),
            ..Default::default()
        })
        .unwrap();
    MatchFeatures::from_job(&job)
}

fn verdict(a: L<'_>, b: L<'_>) -> (bool, String) {
    let v = compare(&features(&a), &features(&b));
    (v.same, v.reason)
}

#[test]
fn the_same_job_under_legal_forms_abbreviations_and_lag_is_merged() {
    let (same, why) = verdict(
        L {
            location: Some("Dublin, Ireland"),
            posted: Some("2025-11-28"),
            ..l("ryanair-careers", "Ryanair DAC", "Captain - Boeing 737-800")
        },
        L {
            location: Some("Dublin Airport"),
            posted: Some("3 days ago"),
            ..l(
                "aviationjobsearch",
                "Ryanair",
                "B737 Captain (m/f/d) - Immediate Start",
            )
        },
    );
    assert!(same, "{why}");
    assert!(
        why.contains("same company ryanair") && why.contains("posted 2 days apart"),
        "{why}"
    );

    let (same, why) = verdict(
        l("airindia", "InterGlobe Aviation Ltd", "F/O A320"),
        l("linkedin", "IndiGo", "First Officer Airbus A320"),
    );
    assert!(same, "{why}");
}

#[test]
fn traps_are_kept_apart_with_the_reason() {
    let cases: &[(L<'_>, L<'_>, &str)] = &[
        (
            l("a", "Wizz Air", "Captain A320"),
            l("b", "Wizz Air", "Captain A330"),
            "different aircraft",
        ),
        (
            l("a", "Jet2", "B1 Licensed Engineer B737"),
            l("b", "Jet2.com", "B2 Licensed Engineer B737"),
            "different licences",
        ),
        (
            l("a", "Emirates", "Captain B777"),
            l("b", "Emirates", "Senior First Officer B777"),
            "different ranks",
        ),
        (
            l("a", "Emirates", "SFO B777"),
            l("b", "Emirates", "First Officer B777"),
            "different ranks",
        ),
        (
            l("a", "Aer Lingus", "Cabin Crew - Dublin"),
            l("b", "Aer Lingus", "Cabin Crew - Cork"),
            "different bases",
        ),
        (
            l("a", "Ryanair", "Captain B737"),
            l("b", "easyJet", "Captain B737"),
            "different companies",
        ),
        (
            l("a", "Ryanair", "Captain B737 MAX"),
            l("b", "Ryanair", "Captain Boeing 737-800"),
            "different aircraft",
        ),
        (
            l("a", "Airbus", "Stress Engineer"),
            l("b", "Airbus", "Senior Stress Engineer"),
            "seniority",
        ),
        (
            l(
                "goose",
                "GOOSE Recruitment",
                "ATR 72-500 Captain - Ref: 821527A",
            ),
            l(
                "aviationjobsearch",
                "GOOSE",
                "ATR 72-500 Captain - Ref: 821544A",
            ),
            "different ad references",
        ),
        (
            L {
                posted: Some("2025-10-01"),
                ..l("a", "Jet2", "Captain A321")
            },
            L {
                posted: Some("2025-11-20"),
                ..l("b", "Jet2", "Captain A321")
            },
            "days apart (window 14)",
        ),
        (
            L {
                location: Some("Miami, FL, United States"),
                ..l("a", "Signature Aviation", "Line Service Technician - MIA")
            },
            L {
                location: Some("Teterboro, NJ"),
                ..l(
                    "b",
                    "Signature Flight Support",
                    "Line Service Technician - TEB",
                )
            },
            "different bases",
        ),
    ];
    for (a, b, why_not) in cases {
        let v = compare(&features(a), &features(b));
        assert!(
            !v.same,
            "{:?} vs {:?} merged: {}",
            a.title, b.title, v.reason
        );
        assert!(
            v.reason.contains(why_not),
            "{:?} vs {:?}: reason {:?} should say {why_not:?}",
            a.title,
            b.title,
            v.reason
        );
    }
}

#[test]
fn two_ads_from_one_recruiter_need_the_same_ad() {
    let ad = "Our client, a regional airline in the Caribbean, seeks ATR 72-500 Captains with 500 hours on type. Rotational roster, accommodation provided.";
    let other = "A European ACMI operator is looking for ATR 72 Captains for a summer contract based in Scandinavia with 1500 hours total time.";
    let (same, why) = verdict(
        L {
            description: Some(ad),
            ..l("goose", "GOOSE Recruitment", "ATR 72-500 Captain")
        },
        L {
            description: Some(&format!("<p>{ad}</p>")),
            ..l("linkedin", "Goose Recruitment Ltd", "Captain ATR 72-500")
        },
    );
    assert!(same && why.contains("recruiter: ad text"), "{why}");
    let (same, why) = verdict(
        L {
            description: Some(ad),
            ..l("goose", "GOOSE Recruitment", "ATR 72-500 Captain")
        },
        L {
            description: Some(other),
            ..l("linkedin", "GOOSE", "ATR 72-500 Captain")
        },
    );
    assert!(
        !same && why.contains("recruiter ads are merged only when the ad is the same"),
        "{why}"
    );
}

#[test]
fn thirty_plus_days_ago_is_a_lower_bound_in_the_date_window() {
    assert_eq!(DEFAULT_DATE_WINDOW_DAYS, 14);
    // "Posted 30+ Days Ago" scraped 2025-12-01 means posted on or before 2025-11-01: an exact
    // 2025-10-20 on the employer's site fits; 2025-11-25 does not.
    let workday = L {
        posted: Some("Posted 30+ Days Ago"),
        scraped: "2025-12-01T06:00:00Z",
        ..l("workday", "Airbus", "Experimental Test Pilot A350")
    };
    let (same, why) = verdict(
        L {
            posted: Some("2025-10-20"),
            ..l("airbus", "Airbus SE", "Experimental Test Pilot - A350")
        },
        workday,
    );
    assert!(same, "{why}");
    let workday = L {
        posted: Some("Posted 30+ Days Ago"),
        scraped: "2025-12-01T06:00:00Z",
        ..l("workday", "Airbus", "Experimental Test Pilot A350")
    };
    let (same, why) = verdict(
        L {
            posted: Some("2025-11-25"),
            ..l("airbus", "Airbus SE", "Experimental Test Pilot - A350")
        },
        workday,
    );
    assert!(!same && why.contains("24 days apart"), "{why}");
}

#[test]
fn no_company_means_never_merged_on_similarity() {
    let a = features(&l("a", "Ryanair", "Captain B737"));
    let mut b = a.clone();
    b.company_key = None;
    assert_eq!(b.block_key(), None);
    assert!(!compare(&a, &b).same);
}
