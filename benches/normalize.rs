//! Normalization + match-feature throughput, without the store: the per-record CPU cost of
//! the normalizer (text, dates, salary, location, company, classifiers) and
//! `MatchFeatures::from_job`. Prints records/s for N synthetic aviation records.
//!
//! cargo bench --bench normalize [-- N]
//!
//! `cargo bench --bench normalize -- --dump FILE` instead writes the normalized job and match
//! features of a fixed, varied record set to FILE: diff two dumps to prove that an
//! optimisation changed no output.

use std::io::Write;
use std::time::Instant;

use aeroscrap::dedup::MatchFeatures;
use aeroscrap::model::RawRecord;
use aeroscrap::normalize::{CompanyRegistry, Normalizer};

/// Records normalized when no count is given.
const DEFAULT_RECORDS: usize = 100_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--dump") {
        let path = args.get(i + 1).expect("--dump needs a file name");
        dump(path);
        return;
    }
    let n: usize = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(DEFAULT_RECORDS);
    let records: Vec<_> = aeroscrap::synth::records(42, n).collect();
    let normalizer = Normalizer::new(CompanyRegistry::bundled());
    // Warm the lazily built tables and regexes once, outside the timing.
    if let Some(r) = records.first() {
        let _ = normalizer.normalize(r.clone());
    }
    let cpu_start = cpu_seconds();
    let start = Instant::now();
    let mut ok = 0usize;
    let mut merged_keys = 0usize;
    for r in records {
        if let Ok(job) = normalizer.normalize(r) {
            let f = MatchFeatures::from_job(&job);
            merged_keys += f.block_key().is_some() as usize;
            ok += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    println!(
        "normalize+features: {ok} records in {secs:.3} s wall = {:.0} records/s; {cpu:.3} s CPU = {:.0} records per CPU-second, {:.1} µs each ({merged_keys} with a block key)",
        ok as f64 / secs,
        ok as f64 / cpu,
        cpu * 1e6 / ok as f64
    );
}

/// CPU time of this process (user + system), so a busy shared machine does not skew the figure.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

/// Synthetic records per seed in a dump.
const DUMP_SYNTH_RECORDS: usize = 20_000;
/// Seeds of the synthetic part of a dump.
const DUMP_SEEDS: [u64; 2] = [42, 0xAE20_5C2A];
/// Records mixed from the label files and the sample lists below.
const DUMP_MIXED_RECORDS: usize = 6_000;

/// Dates in the forms the normalizer reads (and some it must refuse).
const SAMPLE_DATES: &[&str] = &[
    "2025-11-19",
    "2025-11-19T08:58:57-04:00",
    "19/11/2025",
    "11/19/2025",
    "19.11.25",
    "2025/11/19",
    "Nov 19, 2025",
    "19 November 2025",
    "2nd Dec 25",
    "2<sup>nd</sup> Dec 25",
    "28th Nov 25",
    "3 Mar 25",
    "Sept 3, 2025",
    "1764633600000",
    "1764633600",
    "/Date(1764633600000)/",
    "/Date(1764633600000+0000)/",
    "today",
    "Posted Today",
    "yesterday",
    "Posted Yesterday",
    "3 days ago",
    "2 days\n      ago",
    "about 23 hours ago",
    "4 minutes ago",
    "Posted 2 weeks ago",
    "an hour ago",
    "2 months ago",
    "Posted 30+ Days Ago",
    "over 3 years ago",
    "Published: 15 November 2025",
    "Closing date: 31 December 2025",
    "Date posted on: 2025-10-01.",
    "Sat, 15 Nov 2025 10:00:00 +0000",
    "2025-11-19T08:58:57Z",
    "ASAP",
    "dès que possible",
    "32/13/2025",
    "2031-01-01",
    "decade 3, 2025",
    "",
];

/// Salary texts, with and without figures, currencies and periods.
const SAMPLE_SALARIES: &[&str] = &[
    "€60,000 - €75,000 per year",
    "£40k-£50k",
    "£40,000 - £50,000",
    "USD 45/hr",
    "$70,000 - $72,000",
    "$95,000 - $120,000",
    "US$ 8,500 per month",
    "AED 25,000 monthly",
    "₹12,00,000 p.a.",
    "60.000 € brutto jährlich",
    "£350 per day",
    "Up to £55,000",
    "€45.50 per hour",
    "40-50k GBP",
    "3,500",
    "Competitive",
    "DOE",
    "Negotiable",
    "Attractive package + benefits",
    "RMB 30,000 a month",
    "CHF 9'500 x 13",
    "1.2 million NOK per annum",
    "Max 80k EUR",
    "sterling 30 thousand weekly",
    "C$ 75 000 yearly",
    "SAR 12,500 + housing",
];

/// Descriptions: HTML, escaped HTML, plain text, filled notices and conditions.
const SAMPLE_DESCRIPTIONS: &[&str] = &[
    "<div class=\"job-description\"><p>We are hiring a {T}.</p><ul><li>B1 licence</li>\
     <li>A320 type</li></ul><script>var x=1;</script><p>Apply&nbsp;now</p></div>",
    "This is it. &lt;p&gt;Any HTML &amp;amp; more for {T}.&lt;/p&gt;",
    "Line one about {T}\n\n\n\nLine  two\n",
    "Experience < 5 years as {T}; ATPL, B2 and Part-66 Cat C welcome",
    "Sorry, this position has been filled.",
    "Applications will be reviewed until the position has been filled. {T}",
    "<p>We are <b>no longer</b> accepting applications.</p>",
    "We are no longer accepting applications for this role.",
    "Sorry,&nbsp;this position has&nbsp;been filled.",
    "<style>p{color:red}</style><h2>{T}</h2><table><tr><td>Base</td><td>Dublin</td></tr></table>\
     <!-- comment --><p>A&amp;P with IA preferred. Zürich – Genève</p>",
    "Fi&#108;led? <p>POSITION FILLED</p>",
    "",
];

fn label_column(file: &str) -> Vec<String> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

/// The records of a dump: synthetic ones, the dedup evaluation set, and a mix of the label
/// strings with the sample dates, salaries and descriptions above.
fn dump_records() -> Vec<RawRecord> {
    let mut out: Vec<RawRecord> = Vec::new();
    for seed in DUMP_SEEDS {
        out.extend(aeroscrap::synth::records(seed, DUMP_SYNTH_RECORDS));
    }
    let eval = format!("{}/tests/data/dedup_eval.jsonl", env!("CARGO_MANIFEST_DIR"));
    for line in std::fs::read_to_string(&eval)
        .expect("dedup_eval.jsonl")
        .lines()
    {
        out.push(serde_json::from_str(line).expect("dedup_eval.jsonl record"));
    }
    let titles = label_column("labels_titles.tsv");
    let companies = label_column("labels_companies.tsv");
    let locations = label_column("labels_locations.tsv");
    let employment = [
        "Full-time",
        "Contract",
        "Part-Time Per Diem",
        "Full-Time Seasonal",
        "",
    ];
    for i in 0..DUMP_MIXED_RECORDS {
        let title = &titles[i % titles.len()];
        // Every third record swaps the roles of the strings, for odd inputs everywhere.
        // Every seventh record is advertised by a company named like the title's last word.
        let last_word = title.rsplit(' ').next().unwrap_or_default().to_string();
        let (company, location) = match i % 3 {
            _ if i % 7 == 0 => (&last_word, &locations[i * 13 % locations.len()]),
            0 => (
                &companies[i * 7 % companies.len()],
                &locations[i * 13 % locations.len()],
            ),
            1 => (
                &locations[i * 5 % locations.len()],
                &companies[i * 3 % companies.len()],
            ),
            _ => (
                &titles[i * 11 % titles.len()],
                &titles[i * 17 % titles.len()],
            ),
        };
        let description = SAMPLE_DESCRIPTIONS[i % SAMPLE_DESCRIPTIONS.len()].replace("{T}", title);
        out.push(RawRecord {
            source: "mix".into(),
            url: format!("https://Jobs.Example.com/job/{i}/?utm_source=x&id={i}#apply"),
            title: title.clone(),
            company: (i % 11 != 0).then(|| company.clone()),
            location: (i % 13 != 0).then(|| location.clone()),
            description: (i % 4 != 3).then_some(description),
            posted_date: Some(SAMPLE_DATES[i % SAMPLE_DATES.len()].to_string()),
            closing_date: Some(SAMPLE_DATES[i * 7 % SAMPLE_DATES.len()].to_string()),
            scraped_at: Some("2025-12-03T07:30:00Z".into()),
            employment_type: Some(employment[i % employment.len()].to_string()),
            salary: Some(SAMPLE_SALARIES[i % SAMPLE_SALARIES.len()].to_string()),
            department: (i % 5 == 0).then(|| titles[i * 3 % titles.len()].clone()),
            apply_url: (i % 6 == 0).then(|| format!("https://apply.example.com/{i}?gclid=z")),
            external_id: Some(format!(" {i} ")),
            ..Default::default()
        });
    }
    out
}

/// Writes the Debug form of each record's normalized job and match features (or its reject
/// reason) to `path`.
fn dump(path: &str) {
    let normalizer = Normalizer::new(CompanyRegistry::bundled());
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("dump file"));
    let records = dump_records();
    let n = records.len();
    for r in records {
        match normalizer.normalize(r) {
            Ok(job) => {
                let f = MatchFeatures::from_job(&job);
                writeln!(out, "{job:?}\n{f:?}").expect("write dump");
            }
            Err(e) => writeln!(out, "reject {e:?}").expect("write dump"),
        }
    }
    out.flush().expect("write dump");
    println!("dumped {n} records to {path}");
}
