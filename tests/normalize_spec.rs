//! Specification tables for the normalizer: dates, salaries, canonical URLs, countries,
//! companies, employment types and whole records.

use aeroscrap::dedup::canonical_url;
use aeroscrap::model::{
    Category, DatePrecision, EmploymentType, OperationType, RawRecord, SalaryPeriod,
};
use aeroscrap::normalize::{
    CompanyRegistry, Normalizer, RejectReason, classify, company_key, dates, location, salary,
};
use chrono::{DateTime, NaiveDate, Utc};

fn scraped() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-12-03T07:30:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn posted_dates_in_every_documented_form() {
    use DatePrecision::*;
    let table: &[(&str, &str, DatePrecision)] = &[
        ("2025-11-19", "2025-11-19", Exact),
        ("2025-11-19T08:58:57-04:00", "2025-11-19", Exact),
        ("19/11/2025", "2025-11-19", Exact),
        ("11/19/2025", "2025-11-19", Exact),
        ("Nov 19, 2025", "2025-11-19", Exact),
        ("Nov 13, 2025", "2025-11-13", Exact),
        ("19 November 2025", "2025-11-19", Exact),
        ("2nd Dec 25", "2025-12-02", Exact),
        ("2<sup>nd</sup> Dec 25", "2025-12-02", Exact),
        ("1st Dec 25", "2025-12-01", Exact),
        ("28th Nov 25", "2025-11-28", Exact),
        ("2 Dec 25", "2025-12-02", Exact),
        ("3 Mar 25", "2025-03-03", Exact),
        ("1764633600000", "2025-12-02", Exact),
        ("/Date(1764633600000)/", "2025-12-02", Exact),
        ("/Date(1764633600000+0000)/", "2025-12-02", Exact),
        ("today", "2025-12-03", Relative),
        ("Posted Today", "2025-12-03", Relative),
        ("yesterday", "2025-12-02", Relative),
        ("Posted Yesterday", "2025-12-02", Relative),
        ("3 days ago", "2025-11-30", Relative),
        ("2 days\n      ago", "2025-12-01", Relative),
        ("about 23 hours ago", "2025-12-02", Relative),
        ("4 minutes ago", "2025-12-03", Relative),
        ("Posted 2 weeks ago", "2025-11-19", Relative),
        ("1 week ago", "2025-11-26", Relative),
        ("2 months ago", "2025-10-04", Relative),
        ("Posted 26 Days Ago", "2025-11-07", Relative),
        ("Posted 30+ Days Ago", "2025-11-03", AtLeast),
        ("30+ days ago", "2025-11-03", AtLeast),
        ("Published: 15 November 2025", "2025-11-15", Exact),
        ("Sat, 15 Nov 2025 10:00:00 +0000", "2025-11-15", Exact),
    ];
    for (input, want, precision) in table {
        assert_eq!(
            dates::parse_posted(input, scraped()),
            Some((d(want), *precision)),
            "posted_date {input:?}"
        );
    }
}

#[test]
fn nonsense_dates_are_unknown_not_guessed() {
    for input in [
        "ASAP",
        "dès que possible",
        "60,000 euros per year",
        "",
        "32/13/2025",
        "2031-01-01",
        // Ages too large for any calendar must not overflow (this panicked once).
        "9999999999999 days ago",
        "99999999999999999 years ago",
    ] {
        assert_eq!(dates::parse_posted(input, scraped()), None, "{input:?}");
    }
    // A closing date may lie in the future.
    assert_eq!(
        dates::parse_date("31 December 2025", scraped()).map(|x| x.0),
        Some(d("2025-12-31"))
    );
}

#[test]
fn salaries_never_assume_a_currency() {
    use SalaryPeriod::*;
    type Row<'a> = (
        &'a str,
        Option<&'a str>,
        Option<f64>,
        Option<f64>,
        Option<&'a str>,
        Option<SalaryPeriod>,
    );
    let table: &[Row] = &[
        (
            "€60,000 - €75,000 per year",
            None,
            Some(60000.0),
            Some(75000.0),
            Some("EUR"),
            Some(Year),
        ),
        (
            "£40k-£50k",
            None,
            Some(40000.0),
            Some(50000.0),
            Some("GBP"),
            Some(Year),
        ),
        (
            "£40,000 - £50,000",
            None,
            Some(40000.0),
            Some(50000.0),
            Some("GBP"),
            Some(Year),
        ),
        (
            "USD 45/hr",
            None,
            Some(45.0),
            Some(45.0),
            Some("USD"),
            Some(Hour),
        ),
        (
            "$70,000 - $72,000",
            None,
            Some(70000.0),
            Some(72000.0),
            None,
            None,
        ),
        (
            "$70,000 - $72,000",
            Some("US"),
            Some(70000.0),
            Some(72000.0),
            Some("USD"),
            Some(Year),
        ),
        (
            "$95,000 - $120,000",
            Some("AU"),
            Some(95000.0),
            Some(120000.0),
            Some("AUD"),
            Some(Year),
        ),
        (
            "$70,000 - $72,000",
            Some("GB"),
            Some(70000.0),
            Some(72000.0),
            None,
            None,
        ),
        (
            "US$ 8,500 per month",
            None,
            Some(8500.0),
            Some(8500.0),
            Some("USD"),
            Some(Month),
        ),
        (
            "AED 25,000 monthly",
            None,
            Some(25000.0),
            Some(25000.0),
            Some("AED"),
            Some(Month),
        ),
        (
            "₹12,00,000 p.a.",
            None,
            Some(1200000.0),
            Some(1200000.0),
            Some("INR"),
            Some(Year),
        ),
        (
            "60.000 € brutto jährlich",
            None,
            Some(60000.0),
            Some(60000.0),
            Some("EUR"),
            Some(Year),
        ),
        (
            "£350 per day",
            None,
            Some(350.0),
            Some(350.0),
            Some("GBP"),
            Some(Day),
        ),
        (
            "Up to £55,000",
            None,
            None,
            Some(55000.0),
            Some("GBP"),
            Some(Year),
        ),
        (
            "€45.50 per hour",
            None,
            Some(45.5),
            Some(45.5),
            Some("EUR"),
            Some(Hour),
        ),
        (
            "40-50k GBP",
            None,
            Some(40000.0),
            Some(50000.0),
            Some("GBP"),
            Some(Year),
        ),
        ("3,500", None, Some(3500.0), Some(3500.0), None, None),
    ];
    for (text, country, min, max, cur, period) in table {
        let parsed = salary::parse_salary(text).unwrap_or_else(|| panic!("{text:?} parses"));
        let s = salary::resolve_bare_dollar(parsed, *country);
        assert_eq!(
            (s.min, s.max, s.currency.as_deref(), s.period),
            (*min, *max, *cur, *period),
            "salary {text:?} in {country:?}"
        );
    }
    for text in [
        "Competitive",
        "DOE",
        "Negotiable",
        "Attractive package + benefits",
        "",
    ] {
        assert_eq!(salary::parse_salary(text), None, "{text:?}");
    }
}

#[test]
fn canonical_urls() {
    let table = [
        (
            "https://www.linkedin.com/jobs/view/first-officer-at-ryanair-4012345678/?position=1&pageNum=0&refId=Xy%2Bz&trackingId=AbC%3D%3D",
            "https://www.linkedin.com/jobs/view/first-officer-at-ryanair-4012345678",
        ),
        (
            "HTTPS://WWW.AviationJobSearch.com/en-GB/jobs/pilots/first-officer/first-officer-boeing-by-jet2com-Ii8fte-576343/?utm_source=newsletter&utm_medium=email#apply",
            "https://www.aviationjobsearch.com/en-GB/jobs/pilots/first-officer/first-officer-boeing-by-jet2com-Ii8fte-576343",
        ),
        (
            "https://careers.peopleclick.eu.com/careerscp/client_cargolux/external/jobDetails/jobDetail.html?jobPostId=4823&localeCode=en-us&gclid=abc",
            "https://careers.peopleclick.eu.com/careerscp/client_cargolux/external/jobDetails/jobDetail.html?jobPostId=4823&localeCode=en-us",
        ),
        (
            "https://flygoshjobs.com/job/CAPTAIN A320/0123456789abcdef0123456789abcdef",
            "https://flygoshjobs.com/job/CAPTAIN%20A320/0123456789abcdef0123456789abcdef",
        ),
        ("http://Example.com:80/", "http://example.com"),
        (
            "https://jobs.example.com/a/b///",
            "https://jobs.example.com/a/b",
        ),
    ];
    for (input, want) in table {
        assert_eq!(canonical_url(input).as_deref(), Ok(want), "{input}");
    }
    assert!(canonical_url("job-details/Consultant/8529.html").is_err());
    assert!(canonical_url("mailto:jobs@example.com").is_err());
}

#[test]
fn countries_from_locations_never_guess() {
    let table: &[(&str, Option<&str>)] = &[
        ("Dallas, TX", Some("US")),
        ("Houston, TX, United States", Some("US")),
        ("Miami, FL, United States", Some("US")),
        ("Portland, OR", Some("US")),
        ("Honolulu, HI", Some("US")),
        ("Malta, OH", Some("US")),
        ("Greater Birmingham, Alabama Area", Some("US")),
        ("US - California - San Diego", Some("US")),
        ("Richmond, BC, Canada", Some("CA")),
        ("Toronto, ON", Some("CA")),
        ("Perth, WA", Some("AU")),
        ("Seattle, WA", Some("US")),
        ("Adelaide", Some("AU")),
        ("Adelaide, SA", Some("AU")),
        ("Auckland", Some("NZ")),
        ("Lincolnshire, England, United Kingdom", Some("GB")),
        ("Glasgow, Scotland", Some("GB")),
        ("Belfast, Northern Ireland", Some("GB")),
        ("Cardiff, Wales", Some("GB")),
        ("Kent", Some("GB")),
        ("Dublin", Some("IE")),
        ("Cork, Ireland", Some("IE")),
        ("London Heathrow Airport", Some("GB")),
        ("LHR", Some("GB")),
        ("DXB", Some("AE")),
        ("Dubai", Some("AE")),
        ("United Arab Emirates", Some("AE")),
        ("Hong Kong S.A.R.", Some("HK")),
        ("Malaysia", Some("MY")),
        ("Gurgaon", Some("IN")),
        ("Gurugram", Some("IN")),
        ("Navi Mumbai", Some("IN")),
        ("Pan-India", Some("IN")),
        ("Delhi", Some("IN")),
        ("Luxembourg, Luxembourg", Some("LU")),
        ("München, Deutschland", Some("DE")),
        ("Zürich", Some("CH")),
        ("Atlanta, Georgia", Some("US")),
        ("Tbilisi, Georgia", Some("GE")),
        ("Georgia", None),
        ("Paris, FR", Some("FR")),
        ("Remote", None),
        ("Europe", None),
        ("Flexible", None),
        ("South Caribbean Coast", None),
        ("Middle East", None),
        ("Worldwide", None),
        ("TX", Some("US")),
        ("CA", None),
        ("IN", None),
        ("", None),
    ];
    for (loc, want) in table {
        assert_eq!(location::resolve(loc).country, *want, "location {loc:?}");
    }
}

#[test]
fn company_keys_drop_legal_forms_and_aliases_resolve() {
    assert_eq!(company_key("Ryanair DAC"), "ryanair");
    assert_eq!(company_key("Qatar Airways Q.C.S.C."), "qatar airways");
    assert_eq!(
        company_key("Cargolux Airlines International S.A."),
        "cargolux airlines international"
    );
    assert_eq!(company_key("The Boeing Company"), "boeing");
    assert_eq!(company_key("Jet2.com Limited"), "jet2");
    assert_eq!(company_key("Lufthansa Technik AG"), "lufthansa technik");
    assert_eq!(company_key("Scoot Pte. Ltd."), "scoot");
    assert_eq!(company_key("Wizz Air Hungary Ltd."), "wizz air hungary");
    assert_eq!(company_key("Some Aero UAB"), "some aero");

    let reg = CompanyRegistry::bundled();
    let table: &[(&str, &str, OperationType)] = &[
        ("Ryanair DAC", "Ryanair", OperationType::Airline),
        ("RYANAIR", "Ryanair", OperationType::Airline),
        ("Jet2", "Jet2.com", OperationType::Airline),
        ("Jet2.com Ltd", "Jet2.com", OperationType::Airline),
        ("InterGlobe Aviation Ltd", "IndiGo", OperationType::Airline),
        (
            "InterGlobe Aviation Limited (IndiGo)",
            "IndiGo",
            OperationType::Airline,
        ),
        (
            "Qatar Airways Q.C.S.C.",
            "Qatar Airways",
            OperationType::Airline,
        ),
        ("Emirates Group", "Emirates", OperationType::Airline),
        ("Wizz Air Hungary Ltd.", "Wizz Air", OperationType::Airline),
        ("EAT Leipzig", "DHL Aviation", OperationType::Cargo),
        (
            "Cargolux Airlines International S.A.",
            "Cargolux",
            OperationType::Cargo,
        ),
        (
            "Lufthansa Technik AG",
            "Lufthansa Technik",
            OperationType::Mro,
        ),
        (
            "Signature Flight Support",
            "Signature Aviation",
            OperationType::BusinessAviation,
        ),
        (
            "GOOSE Recruitment Ltd",
            "GOOSE Recruitment",
            OperationType::Recruiter,
        ),
        ("FlyGoshJobs", "FlyGosh", OperationType::Recruiter),
        ("CAE Inc.", "CAE", OperationType::Training),
        ("NATS", "NATS", OperationType::Atc),
        ("AerCap Holdings N.V.", "AerCap", OperationType::Lessor),
        (
            "Swissport International AG",
            "Swissport",
            OperationType::GroundHandling,
        ),
        (
            "Heathrow Airport Limited",
            "Heathrow Airport",
            OperationType::Airport,
        ),
        ("BA", "British Airways", OperationType::Airline),
        ("EZY", "easyJet", OperationType::Airline),
    ];
    for (name, canonical, op) in table {
        let m = reg.resolve(name).unwrap();
        assert_eq!(
            (m.canonical.as_deref(), m.operation_type),
            (Some(*canonical), *op),
            "company {name:?}"
        );
    }
    // Unknown companies: keyword rules, else `other`; they keep their own key.
    let m = reg.resolve("Skyline Aviation Recruitment Ltd").unwrap();
    assert_eq!(
        (m.key.as_str(), m.operation_type, m.known),
        (
            "skyline aviation recruitment",
            OperationType::Recruiter,
            false
        )
    );
    assert_eq!(
        reg.resolve("Blue Islands Airways").unwrap().operation_type,
        OperationType::Airline
    );
    assert_eq!(
        reg.resolve("Acme Widgets").unwrap().operation_type,
        OperationType::Other
    );
    assert!(reg.len() >= 400, "registry has {} companies", reg.len());
}

#[test]
fn employment_types() {
    use EmploymentType::*;
    let table: &[(&str, EmploymentType)] = &[
        ("Full time", FullTime),
        ("Full-time", FullTime),
        ("Permanent", FullTime),
        ("Contract", Contract),
        ("Freelance", Contract),
        ("Temporary", Temporary),
        ("Part-Time Per Diem", PartTime),
        ("Full-Time Seasonal", Temporary),
        ("Internship", Internship),
        ("Apprenticeship", Internship),
        ("Other", Other),
    ];
    for (text, want) in table {
        assert_eq!(classify::employment_field(text), Some(*want), "{text:?}");
    }
}

fn raw(title: &str) -> RawRecord {
    RawRecord {
        source: "aviationjobsearch".into(),
        url: "https://www.aviationjobsearch.com/en-GB/jobs/1?utm_source=x".into(),
        title: title.into(),
        scraped_at: Some("2025-12-03T07:30:00Z".into()),
        ..Default::default()
    }
}

#[test]
fn whole_record_is_normalized() {
    let n = Normalizer::new(CompanyRegistry::bundled());
    let mut r = raw("B1 Licensed Engineer &amp;amp; Inspector - A320");
    r.company = Some("Jet2.com Limited".into());
    r.location = Some("Manchester Airport, England, United Kingdom".into());
    r.salary = Some("£40,000 - £50,000".into());
    r.posted_date = Some("2 days\n ago".into());
    r.employment_type = Some("Full time".into());
    r.description = Some(
        "<div class=\"job-description\"><p>Join us.</p><ul><li>EASA Part-66 B1.1</li></ul></div>"
            .into(),
    );
    let j = n.normalize(r).unwrap();
    assert_eq!(j.title, "B1 Licensed Engineer & Inspector - A320");
    assert_eq!(j.url, "https://www.aviationjobsearch.com/en-GB/jobs/1");
    assert_eq!(j.company_key.as_deref(), Some("jet2"));
    assert_eq!(j.operation_type, Some(OperationType::Airline));
    assert_eq!(j.country_code.as_deref(), Some("GB"));
    assert_eq!(j.category, Some(Category::Maintenance));
    assert_eq!(j.senior, Some(false));
    assert_eq!(j.aircraft_types, vec!["A320"]);
    assert_eq!(j.licences, vec!["B1"]);
    assert_eq!(j.employment_type, Some(EmploymentType::FullTime));
    assert_eq!(
        (j.salary.min, j.salary.max, j.salary.currency.as_deref()),
        (Some(40000.0), Some(50000.0), Some("GBP"))
    );
    assert_eq!(j.posted_date, Some(d("2025-12-01")));
    assert_eq!(
        j.description.as_deref(),
        Some("Join us.\n\n• EASA Part-66 B1.1")
    );
}

#[test]
fn bad_records_are_rejected_with_a_reason() {
    let n = Normalizer::new(CompanyRegistry::bundled());
    assert_eq!(
        n.normalize(raw("   ")).unwrap_err(),
        RejectReason::MissingField("title")
    );
    let mut r = raw("Captain");
    r.url = "job-details/Captain/8529.html".into();
    let e = n.normalize(r).unwrap_err();
    assert!(
        e.to_string()
            .contains("unparseable url \"job-details/Captain/8529.html\""),
        "{e}"
    );
    let mut r = raw("Captain");
    r.scraped_at = Some("yesterday".into());
    assert_eq!(
        n.normalize(r).unwrap_err().to_string(),
        "scraped_at \"yesterday\" is not an RFC 3339 timestamp"
    );
}

#[test]
fn a_closed_posting_is_marked_filled() {
    let n = Normalizer::new(CompanyRegistry::bundled());
    let mut r = raw("Senior Associate - Loyalty Customer Service");
    r.description = Some("<div class=\"job\">Sorry, this position has been filled.</div>".into());
    assert!(n.normalize(r).unwrap().filled);
}
