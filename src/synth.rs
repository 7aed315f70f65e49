//! Deterministic generator of realistic synthetic aviation raw records, for benchmarks and
//! tests.
//!
//! Each synthetic *posting* (one real vacancy) is emitted as one to three *listings*: the
//! employer's own careers site plus aggregators, each with the variations real sites show —
//! legal forms ("Ryanair DAC" / "Ryanair"), title word order and abbreviations ("Captain A320"
//! / "A320 Captain" / "Capt. A320"), tracking parameters on URLs, different date formats, and
//! aggregators scraping a few days later. The same seed always gives the same records, and the
//! generator is an iterator, so a million records never sit in memory at once.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde_json::Value;

use crate::model::RawRecord;

/// Seed used when none is given.
pub const DEFAULT_SEED: u64 = 0xAE20_5C2A;
/// Share of postings that are also listed by one or two aggregators.
pub const DEFAULT_DUPLICATE_RATE: f64 = 0.35;
/// New postings a day across all companies (about ten a day for each employer, as busy airline
/// careers sites post). Postings go back in time at this rate, so a large file spans a long
/// period as a database built by daily scrapes does, instead of crowding ever more jobs into
/// the same days.
pub const DEFAULT_POSTINGS_PER_DAY: u64 = 300;
/// Days the postings of a [`Generator::dense`] file are spread over, whatever its size.
pub const DENSE_DAYS: usize = 120;

/// SplitMix64: tiny, fast and stable across crate versions (so seeds stay meaningful).
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

/// (display name with legal form, short name, careers host)
const COMPANIES: &[(&str, &str, &str)] = &[
    ("Ryanair DAC", "Ryanair", "careers.ryanair.com"),
    (
        "easyJet Airline Company Limited",
        "easyJet",
        "careers.easyjet.com",
    ),
    (
        "Deutsche Lufthansa AG",
        "Lufthansa",
        "www.lufthansagroup.careers",
    ),
    (
        "Lufthansa Technik AG",
        "Lufthansa Technik",
        "jobs.lufthansa-technik.com",
    ),
    ("British Airways Plc", "British Airways", "careers.ba.com"),
    ("Aer Lingus Limited", "Aer Lingus", "careers.aerlingus.com"),
    ("Wizz Air Hungary Ltd.", "Wizz Air", "careers.wizzair.com"),
    (
        "Qatar Airways Q.C.S.C.",
        "Qatar Airways",
        "careers.qatarairways.com",
    ),
    ("Emirates Group", "Emirates", "www.emiratesgroupcareers.com"),
    (
        "Cargolux Airlines International S.A.",
        "Cargolux",
        "careers.cargolux.com",
    ),
    (
        "DHL Aviation (UK) Limited",
        "DHL Aviation",
        "careers.dhl.com",
    ),
    (
        "Signature Aviation Limited",
        "Signature Aviation",
        "careers.signatureaviation.com",
    ),
    ("NetJets Inc.", "NetJets", "careers.netjets.com"),
    ("Air India Limited", "Air India", "careers.airindia.com"),
    (
        "InterGlobe Aviation Ltd (IndiGo)",
        "IndiGo",
        "careers.goindigo.in",
    ),
    ("Airbus SAS", "Airbus", "ag.wd3.myworkdayjobs.com"),
    (
        "The Boeing Company",
        "Boeing",
        "boeing.wd1.myworkdayjobs.com",
    ),
    ("Rolls-Royce plc", "Rolls-Royce", "careers.rolls-royce.com"),
    ("CAE Inc.", "CAE", "cae.wd3.myworkdayjobs.com"),
    (
        "SR Technics Switzerland AG",
        "SR Technics",
        "careers.srtechnics.com",
    ),
    ("AAR Corp.", "AAR", "careers.aarcorp.com"),
    (
        "Swissport International AG",
        "Swissport",
        "careers.swissport.com",
    ),
    (
        "Menzies Aviation Limited",
        "Menzies Aviation",
        "careers.menziesaviation.com",
    ),
    (
        "Heathrow Airport Limited",
        "Heathrow Airport",
        "careers.heathrow.com",
    ),
    ("Dublin Airport Authority plc", "daa", "careers.daa.ie"),
    ("NATS Limited", "NATS", "careers.nats.aero"),
    ("AerCap Holdings N.V.", "AerCap", "careers.aercap.com"),
    (
        "Piedmont Airlines, Inc.",
        "Piedmont Airlines",
        "piedmont.wd5.myworkdayjobs.com",
    ),
    ("Atlas Air, Inc.", "Atlas Air", "careers.atlasair.com"),
    ("Loganair Limited", "Loganair", "careers.loganair.co.uk"),
    (
        "airBaltic Corporation AS",
        "airBaltic",
        "careers.airbaltic.com",
    ),
    ("Jet2.com Limited", "Jet2", "careers.jet2.com"),
    ("TUI Airways Ltd", "TUI Airways", "careers.tui.co.uk"),
    (
        "Avion Express UAB",
        "Avion Express",
        "careers.avionexpress.aero",
    ),
    (
        "Joby Aviation, Inc.",
        "Joby Aviation",
        "boards.greenhouse.io",
    ),
    ("Embraer S.A.", "Embraer", "careers.embraer.com"),
    ("ATR GIE", "ATR", "careers.atr-aircraft.com"),
    (
        "Gulfstream Aerospace Corporation",
        "Gulfstream",
        "careers.gulfstream.com",
    ),
    (
        "StandardAero, Inc.",
        "StandardAero",
        "careers.standardaero.com",
    ),
    (
        "Singapore Airlines Limited",
        "Singapore Airlines",
        "www.singaporeair.com",
    ),
];

/// Aggregators and recruiters that re-list employers' jobs: (source name, host).
const AGGREGATORS: &[(&str, &str)] = &[
    ("aviationjobsearch", "www.aviationjobsearch.com"),
    ("goose", "www.goose-recruitment.com"),
    ("linkedin", "www.linkedin.com"),
    ("aapaviation", "www.aapaviation.com"),
    ("flygosh", "www.flygosh.com"),
];

/// (title, alternative wording, uses an aircraft type)
const ROLES: &[(&str, &str, bool)] = &[
    ("Captain {AC}", "{AC} Captain", true),
    ("First Officer {AC}", "{AC} First Officer", true),
    ("Senior First Officer {AC}", "SFO {AC}", true),
    ("Type Rated Training Captain {AC}", "TRI Captain {AC}", true),
    (
        "B1 Licensed Aircraft Engineer {AC}",
        "Licensed Engineer B1 ({AC})",
        true,
    ),
    (
        "B2 Avionics Engineer {AC}",
        "B2 Licensed Engineer - {AC}",
        true,
    ),
    ("Aircraft Mechanic (A&P)", "A&P Mechanic", false),
    ("Cabin Crew", "Flight Attendant", false),
    ("Cabin Services Manager", "Senior Cabin Crew Member", false),
    (
        "CAMO Technical Records Officer",
        "Technical Records Officer (CAMO)",
        false,
    ),
    ("Continuing Airworthiness Engineer", "CAMO Engineer", false),
    ("Flight Dispatcher", "Operations Dispatcher", false),
    ("Ramp Agent", "Ground Handling Agent", false),
    ("Air Traffic Controller", "ATCO (Area Control)", false),
    ("Head of Maintenance", "Maintenance Director", false),
    (
        "Avionics Design Engineer",
        "Design Engineer, Avionics",
        false,
    ),
    ("Stress Engineer", "Structures Stress Engineer", false),
    ("Ground Instructor ATPL", "ATPL Theory Instructor", false),
    ("Crew Scheduler", "Crew Planning Officer", false),
    (
        "Quality Auditor Part-145",
        "Part 145 Quality Auditor",
        false,
    ),
];

const AIRCRAFT: &[(&str, &str)] = &[
    ("A320", "Airbus A320"),
    ("A330", "Airbus A330"),
    ("A350", "A350-900"),
    ("B737", "Boeing 737"),
    ("B737 MAX", "737 MAX"),
    ("B787", "Boeing 787"),
    ("B777", "B777F"),
    ("ATR72", "ATR 72-600"),
    ("Q400", "Dash 8-400"),
    ("E190", "Embraer E190"),
    ("G650", "Gulfstream G650"),
];

const LOCATIONS: &[&str] = &[
    "Dublin, Ireland",
    "London Gatwick, United Kingdom",
    "LHR",
    "Manchester, UK",
    "Hamburg, Germany",
    "Frankfurt am Main, DE",
    "Doha, Qatar",
    "Dubai, United Arab Emirates",
    "Luxembourg",
    "Dallas, TX",
    "Miami, FL",
    "Mirabel, QC, Canada",
    "Singapore",
    "Mumbai, India",
    "Budapest, Hungary",
    "Riga, Latvia",
    "Vilnius, Lithuania",
    "Toulouse, France",
    "Zurich, Switzerland",
    "Remote",
];

const SALARIES: &[&str] = &[
    "€60,000 - €75,000 per year",
    "£40k-£50k",
    "USD 45/hr",
    "$70,000 - $72,000",
    "Competitive",
    "DOE",
    "€4,500 per month",
    "£280 per day",
];

const EMPLOYMENT: &[&str] = &[
    "Full-time",
    "Permanent",
    "Contract",
    "Full Time",
    "Temporary",
    "Part-time",
];

const TRACKING: &[&str] = &[
    "?utm_source=linkedin&utm_medium=jobs",
    "?refId=abc123&trackingId=XyZ%3D%3D&position=3&pageNum=0",
    "?utm_campaign=aviation&src=feed",
    "#apply",
];

/// One vacancy, before it is listed by one or more sources.
struct Posting {
    id: u64,
    company: usize,
    role: usize,
    aircraft: usize,
    location: usize,
    salary: Option<usize>,
    employment: usize,
    posted: NaiveDate,
}

/// An endless-until-`n` iterator of synthetic raw records.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: Rng,
    remaining: usize,
    next_posting: u64,
    duplicate_rate: f64,
    /// Postings per day going back from `base`; `None`: spread over [`DENSE_DAYS`] at random.
    postings_per_day: Option<u64>,
    base: DateTime<Utc>,
    queue: Vec<RawRecord>,
}

/// `n` synthetic records from `seed` with the default duplicate rate.
pub fn records(seed: u64, n: usize) -> Generator {
    Generator::new(seed, n, DEFAULT_DUPLICATE_RATE)
}

impl Generator {
    /// `n` records from `seed`; `duplicate_rate` of postings are also listed by aggregators.
    pub fn new(seed: u64, n: usize, duplicate_rate: f64) -> Generator {
        Generator {
            rng: Rng(seed),
            remaining: n,
            next_posting: 1,
            duplicate_rate,
            postings_per_day: Some(DEFAULT_POSTINGS_PER_DAY),
            base: Utc.with_ymd_and_hms(2026, 11, 20, 6, 0, 0).unwrap(),
            queue: Vec::new(),
        }
    }

    /// The same records, but every posting dated within the last [`DENSE_DAYS`] days however
    /// many there are: a stress test for crowded days (1M records = 180 jobs a day per employer).
    pub fn dense(mut self) -> Generator {
        self.postings_per_day = None;
        self
    }

    fn posting(&mut self) -> Posting {
        let id = self.next_posting;
        self.next_posting += 1;
        let r = &mut self.rng;
        Posting {
            id,
            company: r.below(COMPANIES.len()),
            role: r.below(ROLES.len()),
            aircraft: r.below(AIRCRAFT.len()),
            location: r.below(LOCATIONS.len()),
            salary: r.chance(0.6).then(|| r.below(SALARIES.len())),
            employment: r.below(EMPLOYMENT.len()),
            posted: self.base.date_naive()
                - Duration::days(match self.postings_per_day {
                    Some(rate) => (id / rate.max(1)) as i64 + r.below(3) as i64,
                    None => r.below(DENSE_DAYS) as i64,
                }),
        }
    }

    /// The employer's own listing and, for some postings, aggregator copies (in reverse order,
    /// so `pop` yields the employer first).
    fn listings(&mut self, p: &Posting) -> Vec<RawRecord> {
        let (legal, short, host) = COMPANIES[p.company];
        let (title_a, title_b, uses_ac) = ROLES[p.role];
        let (ac, ac_long) = AIRCRAFT[p.aircraft];
        let title = |t: &str, ac: &str| {
            if uses_ac {
                t.replace("{AC}", ac)
            } else {
                t.to_string()
            }
        };
        let location = LOCATIONS[p.location];
        let minutes = Duration::minutes(self.rng.below(600) as i64);
        let employer_scraped = match self.postings_per_day {
            None => self.base + minutes,
            // Scraped a day or two after posting, sometimes weeks later; never after `base`.
            Some(_) => {
                let lag = if self.rng.chance(0.1) {
                    20 + self.rng.below(40)
                } else {
                    self.rng.below(3)
                };
                let at = p.posted.and_hms_opt(6, 0, 0).expect("valid time").and_utc()
                    + Duration::days(lag as i64)
                    + minutes;
                at.min(self.base + minutes)
            }
        };
        let mut out = vec![self.record(RecordParts {
            source: format!("{}-careers", slug(short)),
            url: format!(
                "https://{host}/jobs/{}/{}",
                100_000 + p.id,
                slug(&title(title_a, ac))
            ),
            external_id: Some(format!("REQ-{}", 100_000 + p.id)),
            title: title(title_a, ac),
            company: legal.to_string(),
            location: location.to_string(),
            posting: p,
            scraped_at: employer_scraped,
        })];
        if self.rng.chance(self.duplicate_rate) {
            let copies = 1 + self.rng.below(2);
            let first = self.rng.below(AGGREGATORS.len());
            for k in 0..copies {
                let (source, agg_host) = AGGREGATORS[(first + k) % AGGREGATORS.len()];
                let lag = Duration::days(self.rng.below(4) as i64)
                    + Duration::minutes(self.rng.below(600) as i64);
                let wording = if self.rng.chance(0.5) {
                    title_a
                } else {
                    title_b
                };
                let ac_text = if self.rng.chance(0.5) { ac } else { ac_long };
                let mut t = title(wording, ac_text);
                if self.rng.chance(0.2) {
                    t = t.replace("Captain", "Capt.");
                }
                let tracking = if self.rng.chance(0.5) {
                    *self.rng.pick(TRACKING)
                } else {
                    ""
                };
                let listing_id = 7_000_000 + p.id * 7 + k as u64;
                let external_id = self.rng.chance(0.7).then(|| listing_id.to_string());
                let company = if self.rng.chance(0.6) { short } else { legal };
                out.push(self.record(RecordParts {
                    source: source.to_string(),
                    url: format!(
                        "https://{agg_host}/job/{}-{}{tracking}",
                        slug(&t),
                        7_000_000 + p.id * 7 + k as u64
                    ),
                    external_id,
                    title: t,
                    company: company.to_string(),
                    location: location.split(',').next().unwrap_or(location).to_string(),
                    posting: p,
                    scraped_at: employer_scraped + lag,
                }));
            }
        }
        out.reverse();
        out
    }

    fn record(&mut self, parts: RecordParts<'_>) -> RawRecord {
        let p = parts.posting;
        let age = (parts.scraped_at.date_naive() - p.posted).num_days();
        let posted_date = match self.rng.below(8) {
            0 => p.posted.format("%Y-%m-%d").to_string(),
            1 => p.posted.format("%d/%m/%Y").to_string(),
            2 => p.posted.format("%b %-d, %Y").to_string(),
            3 => p.posted.format("%-d %B %Y").to_string(),
            4 if age <= 30 => format!("{age} days ago"),
            4 => "Posted 30+ Days Ago".to_string(),
            5 => format!(
                "{}",
                p.posted
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_utc()
                    .timestamp_millis()
            ),
            6 => format!("{}T09:30:00Z", p.posted),
            _ => format!(
                "/Date({})/",
                p.posted
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
                    .and_utc()
                    .timestamp_millis()
            ),
        };
        let (_, short, _) = COMPANIES[p.company];
        let description = format!(
            "<p>{short} is looking for a <strong>{}</strong> based in {}.</p>\
             <ul><li>Valid licence &amp; medical</li><li>Right to work in the region</li>\
             <li>Excellent English &ndash; ICAO level 4+</li></ul>\
             <p>We offer a competitive package, roster stability &amp; staff travel.</p>",
            parts.title, parts.location
        );
        let mut extra = serde_json::Map::new();
        if self.rng.chance(0.1) {
            extra.insert("seniority".into(), Value::String("experienced".into()));
        }
        RawRecord {
            source: parts.source,
            url: parts.url,
            title: parts.title,
            company: Some(parts.company),
            location: Some(parts.location),
            description: Some(description),
            posted_date: Some(posted_date),
            scraped_at: Some(
                parts
                    .scraped_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            employment_type: Some(EMPLOYMENT[p.employment].to_string()),
            salary: p.salary.map(|i| SALARIES[i].to_string()),
            external_id: parts.external_id,
            apply_url: None,
            closing_date: None,
            department: None,
            remote: None,
            extra,
        }
    }
}

struct RecordParts<'a> {
    source: String,
    url: String,
    external_id: Option<String>,
    title: String,
    company: String,
    location: String,
    posting: &'a Posting,
    scraped_at: DateTime<Utc>,
}

impl Iterator for Generator {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        if self.remaining == 0 {
            return None;
        }
        if self.queue.is_empty() {
            let p = self.posting();
            self.queue = self.listings(&p);
        }
        self.remaining -= 1;
        self.queue.pop()
    }
}

/// `Captain A320 (Dublin)` → `captain-a320-dublin`.
fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Writes `n` records from `seed` as JSONL to `out`.
pub fn write_jsonl(seed: u64, n: usize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_records(records(seed, n), out)
}

/// Writes `records` as JSONL to `out`.
pub fn write_records(
    records: impl Iterator<Item = RawRecord>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for rec in records {
        serde_json::to_writer(&mut *out, &rec)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_records_and_exact_count() {
        let a: Vec<RawRecord> = records(7, 500).collect();
        let b: Vec<RawRecord> = records(7, 500).collect();
        assert_eq!(a.len(), 500);
        assert_eq!(a, b);
        let c: Vec<RawRecord> = records(8, 500).collect();
        assert_ne!(a, c);
    }

    #[test]
    fn aggregators_relist_employer_postings_with_variations() {
        let recs: Vec<RawRecord> = records(1, 2_000).collect();
        let aggregated = recs
            .iter()
            .filter(|r| AGGREGATORS.iter().any(|(s, _)| *s == r.source))
            .count();
        // About DEFAULT_DUPLICATE_RATE × 1.5 copies per posting.
        assert!(
            (300..=900).contains(&aggregated),
            "aggregator listings: {aggregated}"
        );
        assert!(recs.iter().any(|r| r.url.contains("utm_source=")));
        assert!(recs.iter().any(|r| r.company.as_deref() == Some("Ryanair")));
        assert!(
            recs.iter()
                .any(|r| r.company.as_deref() == Some("Ryanair DAC"))
        );
        assert!(recs.iter().any(|r| {
            r.posted_date
                .as_deref()
                .is_some_and(|d| d.ends_with("days ago"))
        }));
        // Every URL is unique per listing, so only the fuzzy matcher can join the copies.
        let mut urls: Vec<&str> = recs.iter().map(|r| r.url.as_str()).collect();
        urls.sort();
        urls.dedup();
        assert_eq!(urls.len(), recs.len());
    }

    #[test]
    fn postings_go_back_in_time_at_the_daily_rate_unless_dense() {
        let dates = |g: Generator| -> Vec<NaiveDate> {
            g.map(|r| {
                let d = r.posted_date.unwrap();
                let at = DateTime::parse_from_rfc3339(&r.scraped_at.unwrap()).unwrap();
                crate::normalize::dates::parse_posted(&d, at.with_timezone(&Utc))
                    .unwrap_or_else(|| panic!("{d}"))
                    .0
            })
            .collect()
        };
        let n = 20_000;
        let spread =
            |d: &[NaiveDate]| (*d.iter().max().unwrap() - *d.iter().min().unwrap()).num_days();
        let paced = dates(records(3, n));
        // ≈ n / 1.5 listings per posting / 300 postings a day.
        let expected = (n as f64 / 1.525 / DEFAULT_POSTINGS_PER_DAY as f64) as i64;
        assert!(
            (spread(&paced) - expected).abs() <= 5,
            "{} days",
            spread(&paced)
        );
        let dense = dates(records(3, n).dense());
        assert!(
            spread(&dense) < DENSE_DAYS as i64 + 5,
            "{} days",
            spread(&dense)
        );
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(slug("Captain A320 (Dublin)"), "captain-a320-dublin");
        assert_eq!(
            slug("B2 Licensed Engineer - B737"),
            "b2-licensed-engineer-b737"
        );
    }
}
