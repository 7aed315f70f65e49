//! Candidate blocking for the fuzzy matcher: the `match_keys` table.
//!
//! Blocking on the company alone stops scaling once a company advertises more than a few jobs a
//! day: every new listing then walks hundreds of that company's jobs. Here each canonical job is
//! filed under a few keys `hash(company key, seniority words, title token)`, with its posting day
//! (stored by [`bucket`] of days), its country and a packed summary of its cheapest remaining
//! vetoes ([`info`]). Which tokens: prefix filtering — every title's
//! tokens are put in one fixed order (rarest-looking first) and only the first `n - t + 1` are
//! used, where `t` is the fewest tokens a title [`compare`](crate::dedup::compare) could accept
//! shares with it ([`probe_count`]); two acceptable titles then always share a key. A new listing
//! probes the same keys within its date window and drops rows of another country or whose
//! summary already rules a merge out, without reading the job. Only the survivors' full
//! features are read and compared.
//!
//! Exactness: the probe finds every candidate that shares enough *identical* title tokens. Two
//! titles alike only through spelling variants of every probed token ("licenced" / "licensed")
//! are found through [`token_form`]'s spelling table; other typo-only matches are not.

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};
use xxhash_rust::xxh3::xxh3_64;

use super::Store;
use super::fast::Arg;
use crate::dedup::MatchFeatures;
use crate::model::EmploymentType;

/// Day number stored for a job without a posting date (real dates count from 0001-01-01 = 1).
pub const UNDATED: i64 = 0;
/// Days per bucket: rows are stored bucket by bucket, so a database filled by daily scrapes
/// (mostly recent postings) inserts into the few pages of the latest buckets instead of one
/// page per key all over the index. A date window of up to 2 × this spans at most 3 buckets.
pub const BUCKET_DAYS: i64 = 16;
/// Buckets an undated listing reads back from its scrape date (about four months).
pub const UNDATED_LOOKBACK_BUCKETS: i64 = 8;

/// The bucket of a day number ([`UNDATED`] is bucket 0).
pub fn bucket(day: i64) -> i64 {
    day / BUCKET_DAYS
}

/// Rows read per probed token: the bound on a lookup's work whatever the size of the block.
/// A literal in the SQL (`probe_limit!`): a bound LIMIT would make SQLite re-prepare.
macro_rules! probe_limit {
    () => {
        "256"
    };
}
/// [`probe_limit!`] as a number.
pub const PROBE_LIMIT: usize = 256;
/// Rows read on each side of the posting date when a token's window holds more than
/// [`PROBE_LIMIT`] rows: the nearest dates are then read first.
macro_rules! nearest_limit {
    () => {
        "96"
    };
}
/// [`nearest_limit!`] as a number.
const NEAREST_LIMIT: usize = 96;

macro_rules! probe_sql {
    ($($part:expr),+) => {
        concat!("SELECT day, job_id, info, cc FROM match_keys WHERE key = ?1", $($part),+)
    };
}
// ?2..?3 is the date window, ?4..?6 the (up to three) buckets it spans (-1 = none); day 0 =
// undated, in bucket 0. Rows of every country are read and those of another country are dropped
// in [`probe`].
const WINDOW: &str = concat!(
    probe_sql!(" AND bucket = ?4 AND day BETWEEN ?2 AND ?3"),
    " UNION ALL ",
    probe_sql!(" AND bucket = ?5 AND day BETWEEN ?2 AND ?3"),
    " UNION ALL ",
    probe_sql!(" AND bucket = ?6 AND day BETWEEN ?2 AND ?3"),
    " UNION ALL ",
    probe_sql!(" AND bucket = 0 AND day = 0 LIMIT ", probe_limit!())
);
/// One bucket's rows of a day range, oldest / latest first, in index order (no sort): a
/// saturated window is read outward from the posting date, bucket by bucket.
const BUCKET_UP: &str = probe_sql!(
    " AND bucket = ?2 AND day BETWEEN ?3 AND ?4 ORDER BY day ASC LIMIT ",
    nearest_limit!()
);
const BUCKET_DOWN: &str = probe_sql!(
    " AND bucket = ?2 AND day BETWEEN ?3 AND ?4 ORDER BY day DESC LIMIT ",
    nearest_limit!()
);
/// One bucket's rows, latest first (an undated listing reads back bucket by bucket).
const BUCKET: &str = probe_sql!(" AND bucket = ?2 ORDER BY day DESC LIMIT ", probe_limit!());

/// One `match_keys` row of a job (without the job id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRow {
    /// `hash(company key, token)`.
    pub key: i64,
    /// Country ([`country_number`]), 0 when unknown.
    pub cc: i64,
    /// Posting day ([`day_number`]), [`UNDATED`] when unknown; its [`bucket`] is stored too.
    pub day: i64,
    /// Packed veto summary ([`info`]).
    pub info: i64,
}

/// A row found by a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The job.
    pub job_id: i64,
    /// Its posting day ([`UNDATED`] when unknown).
    pub day: i64,
}

/// Day number of a `YYYY-MM-DD` date (days from 0001-01-01, which is day 1).
pub fn day_number(date: Option<&str>) -> i64 {
    date.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map_or(UNDATED, date_day)
}

/// Day number of a date (see [`day_number`]).
pub fn date_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()).max(1)
}

/// A two-letter country code as a number (1..=676), 0 for none.
pub fn country_number(code: Option<&str>) -> i64 {
    code.map(str::as_bytes)
        .filter(|c| c.len() == 2 && c.iter().all(u8::is_ascii_uppercase))
        .map_or(0, |c| {
            i64::from(c[0] - b'A') * 26 + i64::from(c[1] - b'A') + 1
        })
}

/// Spelling variants that must key alike (British / American and common misspellings).
const SPELLINGS: &[(&str, &str)] = &[
    ("licenced", "licensed"),
    ("licence", "license"),
    ("centre", "center"),
    ("programme", "program"),
    ("organisation", "organization"),
    ("aeroplane", "airplane"),
    ("maintainance", "maintenance"),
    ("maintenence", "maintenance"),
    ("enginer", "engineer"),
];

/// The form of a title token used in keys: lower case, spelling variants unified.
pub fn token_form(token: &str) -> String {
    let lower = token.to_lowercase();
    SPELLINGS
        .iter()
        .find(|(from, _)| *from == lower)
        .map_or(lower, |(_, to)| (*to).to_string())
}

/// Role words found in many titles of one company: probed last.
const COMMON_TOKENS: &[&str] = &[
    "captain",
    "officer",
    "first",
    "second",
    "senior",
    "junior",
    "engineer",
    "engineering",
    "technician",
    "mechanic",
    "licensed",
    "crew",
    "cabin",
    "pilot",
    "manager",
    "management",
    "agent",
    "assistant",
    "specialist",
    "coordinator",
    "analyst",
    "maintenance",
    "operation",
    "operations",
    "service",
    "services",
    "ground",
    "flight",
    "support",
    "lead",
    "head",
    "training",
    "trainee",
    "instructor",
];

/// How likely a token is to be rare within a company: lower probes first. Aircraft types,
/// licences and references (tokens with a digit) are the most specific, then other words,
/// then the common role words; longer words before shorter ones.
fn rarity_rank(token: &str) -> (u8, std::cmp::Reverse<usize>) {
    let class = if token.bytes().any(|b| b.is_ascii_digit()) {
        0
    } else if COMMON_TOKENS.contains(&token) {
        2
    } else {
        1
    };
    (class, std::cmp::Reverse(token.len()))
}

/// How many of a title's `n` tokens must be probed so that every title the matcher could accept
/// shares an identical token with one of them: `n - t + 1`, where `t` is the fewest tokens an
/// accepted partner shares (`compare`: similarity ≥ 0.75 needs ≥ ¾·n shared; a contained title
/// of ≥ 2 tokens needs ≥ max(2, ⌈n/2⌉); a one-token title needs its token).
pub fn probe_count(n: usize) -> usize {
    let shared = match n {
        0 => return 0,
        1 => 1,
        _ => 2.max(n.div_ceil(2)),
    };
    n - shared + 1
}

/// The key forms a job is filed and probed under: its [`probe_count`] first distinct token
/// forms in one fixed order for every title (rarest-looking first, see [`rarity_rank`]).
/// Prefix filtering: when two titles share at least `t` tokens, their first `n - t + 1` tokens
/// in a common order always overlap, so both sides need only that prefix.
fn prefix_forms(features: &MatchFeatures) -> Vec<String> {
    let mut forms: Vec<String> = features.tokens().into_iter().map(token_form).collect();
    forms.sort_by(|a, b| rarity_rank(a).cmp(&rarity_rank(b)).then_with(|| a.cmp(b)));
    forms.dedup();
    forms.truncate(probe_count(forms.len()));
    forms
}

/// `hash(company, seniority/training words, token)`: jobs with different modifier words are
/// never merged, so they need not share keys either.
fn key_of(company: &str, modifiers: &str, form: &str) -> i64 {
    let mut buf = Vec::with_capacity(company.len() + modifiers.len() + form.len() + 2);
    buf.extend_from_slice(company.as_bytes());
    buf.push(0x1f);
    buf.extend_from_slice(modifiers.as_bytes());
    buf.push(0x1f);
    buf.extend_from_slice(form.as_bytes());
    xxh3_64(&buf) as i64
}

fn modifiers_of(features: &MatchFeatures) -> String {
    crate::dedup::modifier_words(&features.tokens()).join(" ")
}

/// The rows filing a canonical job created by a listing from `source`: one per token of its
/// [`prefix_forms`]. None without a company key (never fuzzy-merged) or without title tokens.
/// A new listing probes the keys of the rows it would be filed under (prefix filtering).
pub fn key_rows(features: &MatchFeatures, source: &str) -> Vec<KeyRow> {
    let Some(company) = features.block_key() else {
        return Vec::new();
    };
    let day = day_number(features.posted_date.as_deref());
    let cc = country_number(features.country.as_deref());
    let info = info(features, source);
    let modifiers = modifiers_of(features);
    prefix_forms(features)
        .iter()
        .map(|form| KeyRow {
            key: key_of(company, &modifiers, form),
            cc,
            day,
            info,
        })
        .collect()
}

// Bit layout of `info`: ranks (12 bits, 0 = none), employment type (4, 0 = none or other),
// first source (20, hash). Country and seniority words need no bits: the country is a column
// and the seniority words are part of the key.
const RANK_BITS: u32 = 12;
const EMPLOYMENT_BITS: u32 = 4;
const SOURCE_BITS: u32 = 20;
const EMPLOYMENT_SHIFT: u32 = RANK_BITS;
const SOURCE_SHIFT: u32 = EMPLOYMENT_SHIFT + EMPLOYMENT_BITS;

fn field(info: i64, shift: u32, bits: u32) -> i64 {
    (info >> shift) & ((1 << bits) - 1)
}

/// A hash of `text` in `bits` bits that is never 0 (0 means "none").
fn nonzero_hash(text: &str, bits: u32) -> i64 {
    (xxh3_64(text.as_bytes()) % ((1u64 << bits) - 1)) as i64 + 1
}

/// The packed veto summary of a job (or a new listing) from `source`: what
/// [`info_conflicts`] needs to rule a pair out without reading the job.
pub fn info(features: &MatchFeatures, source: &str) -> i64 {
    let ranks = if features.ranks.is_empty() {
        0
    } else {
        nonzero_hash(&format!("{:?}", features.ranks), RANK_BITS)
    };
    let employment = match features.employment {
        None | Some(EmploymentType::Other) => 0,
        Some(EmploymentType::FullTime) => 1,
        Some(EmploymentType::PartTime) => 2,
        Some(EmploymentType::Contract) => 3,
        Some(EmploymentType::Temporary) => 4,
        Some(EmploymentType::Internship) => 5,
    };
    let source = nonzero_hash(source, SOURCE_BITS);
    ranks | employment << EMPLOYMENT_SHIFT | source << SOURCE_SHIFT
}

/// True when a pair with these summaries is certainly not a fuzzy merge: the same source (a
/// site does not list one vacancy twice), two different ranks, or two different employment
/// types. A rank hash collision only lets a pair through to the full comparison; a source
/// collision (about 1 in a million) hides a candidate.
pub fn info_conflicts(new: i64, job: i64) -> bool {
    let both_differ = |shift, bits| {
        let (a, b) = (field(new, shift, bits), field(job, shift, bits));
        a != 0 && b != 0 && a != b
    };
    field(new, SOURCE_SHIFT, SOURCE_BITS) == field(job, SOURCE_SHIFT, SOURCE_BITS)
        || both_differ(0, RANK_BITS)
        || both_differ(EMPLOYMENT_SHIFT, EMPLOYMENT_BITS)
}

/// Files a job under one row: `(bucket, key, day, cc, job_id, info)`.
const INSERT_ROW: &str = "INSERT OR REPLACE INTO match_keys (bucket, key, day, cc, job_id, info)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// Files job `job_id` under `rows`.
pub fn insert_rows(conn: &Connection, job_id: i64, rows: &[KeyRow]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(INSERT_ROW)?;
    for r in rows {
        stmt.execute(params![bucket(r.day), r.key, r.day, r.cc, job_id, r.info])?;
    }
    Ok(())
}

/// [`insert_rows`] through the store's copy-free statements (the writer files every new job).
pub fn file_rows(store: &Store, job_id: i64, rows: &[KeyRow]) -> rusqlite::Result<()> {
    store.fast(INSERT_ROW, |stmt| {
        for r in rows {
            stmt.execute(&[
                Arg::Int(bucket(r.day)),
                Arg::Int(r.key),
                Arg::Int(r.day),
                Arg::Int(r.cc),
                Arg::Int(job_id),
                Arg::Int(r.info),
            ])?;
        }
        Ok(())
    })
}

/// Removes job `job_id`'s `rows` (computed from the features it was filed with).
pub fn delete_rows(conn: &Connection, job_id: i64, rows: &[KeyRow]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "DELETE FROM match_keys
         WHERE bucket = ?1 AND key = ?2 AND day = ?3 AND cc = ?4 AND job_id = ?5",
    )?;
    for r in rows {
        stmt.execute(params![bucket(r.day), r.key, r.day, r.cc, job_id])?;
    }
    Ok(())
}

/// Where and when a new listing was posted, for [`probe`].
#[derive(Debug, Clone, Copy)]
pub struct ProbeAt {
    /// Posting day ([`day_number`]), [`UNDATED`] when unknown.
    pub day: i64,
    /// Day it was scraped ([`day_number`]): where an undated listing starts reading back.
    pub seen_day: i64,
    /// Country ([`country_number`]).
    pub cc: i64,
    /// Days either side of `day` that count.
    pub window: i64,
    /// The listing's [`info`].
    pub info: i64,
}

impl ProbeAt {
    /// Whether a row of country `cc` and summary `info` is a candidate for this listing: of its
    /// country or none (any country when it has none), and not ruled out by
    /// [`info_conflicts`].
    pub fn keeps(&self, cc: i64, info: i64) -> bool {
        let other_country = self.cc != 0 && cc != 0 && cc != self.cc;
        !other_country && !info_conflicts(self.info, info)
    }

    /// Whether [`probe`] reads a row of posting day `day` (when the window is not saturated):
    /// undated rows always; dated ones within the window, or, for an undated listing, within
    /// the [`UNDATED_LOOKBACK_BUCKETS`] before its scrape date. `None` when the lookback reaches
    /// before the first bucket (dates near year 1, read in a way this does not model).
    pub fn reads_day(&self, day: i64) -> Option<bool> {
        if day == UNDATED {
            return Some(true);
        }
        if self.day == UNDATED {
            let newest = bucket(self.seen_day.max(1));
            // Bucket 0 (and the clamp to bucket 1) is read differently there.
            if newest - UNDATED_LOOKBACK_BUCKETS < 1 || bucket(day) == 0 {
                return None;
            }
            return Some((newest - UNDATED_LOOKBACK_BUCKETS..=newest).contains(&bucket(day)));
        }
        let (lo, hi) = ((self.day - self.window).max(1), self.day + self.window);
        Some((lo..=hi).contains(&day))
    }
}

/// The jobs filed under `key` that a listing `at` may match — dated within the window or
/// undated, of its country or none (any country when it has none) — minus those
/// [`info_conflicts`] rules out. Reads at most [`PROBE_LIMIT`] rows (nearest dates first when
/// the window holds more). Returns the number of rows read (kept or not).
pub fn probe(store: &Store, key: i64, at: ProbeAt, out: &mut Vec<Hit>) -> rusqlite::Result<usize> {
    let read_rows = std::cell::Cell::new(0usize);
    let read = |sql: &'static str, p: &[i64], out: &mut Vec<Hit>| {
        let mut args = [Arg::Null; 6];
        for (arg, &v) in args.iter_mut().zip(p) {
            *arg = Arg::Int(v);
        }
        let mut n = 0;
        store.fast(sql, |stmt| {
            stmt.query(&args[..p.len()], |r| {
                n += 1;
                if at.keeps(r.int(3), r.int(2)) {
                    out.push(Hit {
                        day: r.int(0),
                        job_id: r.int(1),
                    });
                }
                Ok(())
            })
        })?;
        read_rows.set(read_rows.get() + n);
        rusqlite::Result::<usize>::Ok(n)
    };
    if at.day == UNDATED {
        // No window: the latest rows, bucket by bucket back from the scrape date.
        let newest = bucket(at.seen_day.max(1));
        for b in (newest - UNDATED_LOOKBACK_BUCKETS..=newest).rev() {
            if out.len() >= PROBE_LIMIT {
                break;
            }
            read(BUCKET, &[key, b.max(1)], out)?;
        }
        read(BUCKET, &[key, 0], out)?;
        return Ok(read_rows.get());
    }
    let mark = out.len();
    let (lo, hi) = ((at.day - at.window).max(1), at.day + at.window);
    let mut buckets = [-1i64; 3];
    for (slot, b) in buckets.iter_mut().zip(bucket(lo)..=bucket(hi)) {
        *slot = b;
    }
    debug_assert!(
        bucket(hi) - bucket(lo) < 3,
        "window wider than 2 × BUCKET_DAYS"
    );
    let [b0, b1, b2] = buckets;
    if read(WINDOW, &[key, lo, hi, b0, b1, b2], out)? < PROBE_LIMIT {
        return Ok(read_rows.get());
    }
    // Saturated: the first read saw only part of the window. Read outward from the posting
    // date instead, about NEAREST_LIMIT rows each way (undated jobs are then left out: dated
    // ones are better evidence).
    out.truncate(mark);
    let mut rows = 0;
    for b in bucket(at.day)..=bucket(hi) {
        rows += read(BUCKET_UP, &[key, b, at.day, hi], out)?;
        if rows >= NEAREST_LIMIT {
            break;
        }
    }
    let mut rows = 0;
    for b in (bucket(lo)..=bucket(at.day - 1)).rev() {
        rows += read(BUCKET_DOWN, &[key, b, lo, at.day - 1], out)?;
        if rows >= NEAREST_LIMIT {
            break;
        }
    }
    Ok(read_rows.get())
}

/// Files every job matching `where_sql` (over `jobs j`; `"1"` for all) under its match keys,
/// computed from its stored match features and first listing's source: for databases written
/// before blocking by title token, and after `companies alias` moves jobs to another company
/// key. Re-filing a filed job changes nothing. Returns the number of jobs filed.
pub fn file_jobs(
    conn: &Connection,
    where_sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<usize> {
    each_job(conn, where_sql, params, |id, rows| {
        insert_rows(conn, id, rows)
    })
}

/// Removes the match keys of every job matching `where_sql` (see [`file_jobs`]), computed from
/// its stored features: call before changing what they are computed from.
pub fn unfile_jobs(
    conn: &Connection,
    where_sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> rusqlite::Result<usize> {
    each_job(conn, where_sql, params, |id, rows| {
        delete_rows(conn, id, rows)
    })
}

fn each_job(
    conn: &Connection,
    where_sql: &str,
    params: &[&dyn rusqlite::ToSql],
    mut apply: impl FnMut(i64, &[KeyRow]) -> rusqlite::Result<()>,
) -> rusqlite::Result<usize> {
    let mut stmt = conn.prepare(&format!(
        "SELECT j.id, j.match_features,
            (SELECT source FROM job_sources s WHERE s.job_id = j.id ORDER BY s.id LIMIT 1)
         FROM jobs j WHERE j.match_features IS NOT NULL AND ({where_sql})"
    ))?;
    let mut rows = stmt.query(params)?;
    let mut done = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let json: String = r.get(1)?;
        let source: Option<String> = r.get(2)?;
        let Ok(features) = serde_json::from_str::<MatchFeatures>(&json) else {
            tracing::warn!(
                job_id = id,
                "stored match features unreadable; match keys not changed"
            );
            continue;
        };
        apply(id, &key_rows(&features, source.as_deref().unwrap_or("")))?;
        done += 1;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys a listing with `f` probes (those it would be filed under).
    fn keys(f: &MatchFeatures) -> Vec<i64> {
        key_rows(f, "new").iter().map(|r| r.key).collect()
    }

    fn features(company: &str, title_key: &str) -> MatchFeatures {
        MatchFeatures {
            company_key: Some(company.into()),
            title_key: title_key.into(),
            posted_date: Some("2026-11-01".into()),
            ..Default::default()
        }
    }

    #[test]
    fn probe_count_follows_the_title_thresholds() {
        // n tokens → tokens an accepted partner shares at least → tokens probed.
        assert_eq!(probe_count(0), 0);
        assert_eq!(probe_count(1), 1);
        assert_eq!(probe_count(2), 1); // both shared
        assert_eq!(probe_count(3), 2); // a 2-token title contained in it
        assert_eq!(probe_count(4), 3);
        assert_eq!(probe_count(5), 3); // ≥ 3 shared
        assert_eq!(probe_count(8), 5);
    }

    /// Every pair of titles over a small vocabulary that `compare`'s title rule accepts must
    /// share a key, whichever of the two was filed first.
    #[test]
    fn every_acceptable_partner_shares_a_probed_key() {
        let vocab = [
            "A320",
            "captain",
            "first",
            "officer",
            "base",
            "excellent",
            "package",
            "x1",
        ];
        let titles: Vec<Vec<&str>> = (1u32..1 << vocab.len())
            .filter(|m| m.count_ones() <= 6)
            .map(|m| {
                (0..vocab.len())
                    .filter(|i| m & (1 << i) != 0)
                    .map(|i| vocab[i])
                    .collect()
            })
            .collect();
        let mut pairs = 0;
        for a in &titles {
            for b in &titles {
                let shared = a.iter().filter(|t| b.contains(t)).count();
                let sim = shared as f64 / (a.len() + b.len() - shared) as f64;
                let small = a.len().min(b.len());
                let contained = shared == small && small >= 2 && sim >= 0.5;
                if sim < 0.75 && !contained {
                    continue;
                }
                pairs += 1;
                let fa = features("ryanair", &a.join(" "));
                let fb = features("ryanair", &b.join(" "));
                let filed: Vec<i64> = key_rows(&fb, "s").iter().map(|r| r.key).collect();
                assert!(
                    keys(&fa).iter().any(|k| filed.contains(k)),
                    "{a:?} does not find {b:?}"
                );
            }
        }
        assert!(pairs > 1000, "{pairs} acceptable pairs checked");
    }

    #[test]
    fn rarest_tokens_are_probed_first_and_keys_depend_on_the_company() {
        let f = features("ryanair", "B737 captain training");
        let probed = keys(&f);
        assert_eq!(
            probed,
            vec![
                key_of("ryanair", "training", "b737"),
                key_of("ryanair", "training", "training")
            ]
        );
        assert_ne!(
            key_rows(&f, "a")[0].key,
            key_rows(&features("easyjet", "B737 captain training"), "a")[0].key
        );
    }

    #[test]
    fn spelling_variants_key_alike() {
        assert_eq!(token_form("Licenced"), "licensed");
        let a = features("lht", "engineer licenced");
        let b = features("lht", "engineer licensed");
        assert_eq!(key_rows(&a, "x"), key_rows(&b, "x"));
    }

    #[test]
    fn summaries_rule_out_only_certain_non_matches() {
        use crate::normalize::classify::Rank;
        let a = features("ryanair", "captain");
        let mut b = a.clone();
        assert!(
            info_conflicts(info(&a, "s1"), info(&b, "s1")),
            "same source"
        );
        assert!(!info_conflicts(info(&a, "s1"), info(&b, "s2")));
        b.ranks = vec![Rank::Captain];
        assert!(
            !info_conflicts(info(&a, "s1"), info(&b, "s2")),
            "one rank unknown"
        );
        let mut a = a;
        a.ranks = vec![Rank::FirstOfficer];
        assert!(info_conflicts(info(&a, "s1"), info(&b, "s2")), "ranks");
        a.ranks = vec![Rank::Captain];
        b.employment = Some(EmploymentType::Contract);
        assert!(
            !info_conflicts(info(&a, "s1"), info(&b, "s2")),
            "one unknown"
        );
        a.employment = Some(EmploymentType::FullTime);
        assert!(info_conflicts(info(&a, "s1"), info(&b, "s2")), "employment");
    }

    #[test]
    fn seniority_words_are_part_of_the_key() {
        let a = features("ryanair", "cabin crew");
        let b = features("ryanair", "cabin crew senior");
        let filed: Vec<i64> = key_rows(&b, "s").iter().map(|r| r.key).collect();
        assert!(!keys(&a).iter().any(|k| filed.contains(k)));
    }

    fn probed(store: &Store, key: i64, day: i64, cc: i64) -> Vec<i64> {
        let mut hits = Vec::new();
        let at = ProbeAt {
            day,
            seen_day: day_number(Some("2026-11-20")),
            cc,
            window: 14,
            info: 0,
        };
        probe(store, key, at, &mut hits).unwrap();
        let mut ids: Vec<i64> = hits.iter().map(|h| h.job_id).collect();
        ids.sort();
        ids
    }

    #[test]
    fn probes_read_the_window_the_country_and_the_undated() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let conn = store.conn();
        let (ie, gb) = (country_number(Some("IE")), country_number(Some("GB")));
        let d = day_number(Some("2026-11-01"));
        let row = |cc, day| KeyRow {
            key: 7,
            cc,
            day,
            info: 1 << SOURCE_SHIFT,
        };
        insert_rows(conn, 1, &[row(ie, d)]).unwrap();
        insert_rows(conn, 2, &[row(gb, d + 3)]).unwrap();
        insert_rows(conn, 3, &[row(0, d - 14)]).unwrap();
        insert_rows(conn, 4, &[row(ie, UNDATED)]).unwrap();
        insert_rows(conn, 5, &[row(ie, d + 15)]).unwrap();
        insert_rows(
            conn,
            6,
            &[KeyRow {
                key: 8,
                ..row(ie, d)
            }],
        )
        .unwrap();
        assert_eq!(
            probed(&store, 7, d, ie),
            vec![1, 3, 4],
            "IE: own country, none, undated"
        );
        assert_eq!(
            probed(&store, 7, d, 0),
            vec![1, 2, 3, 4],
            "no country: every country"
        );
        assert_eq!(
            probed(&store, 7, UNDATED, ie),
            vec![1, 3, 4, 5],
            "latest, any date"
        );
        assert_eq!(probed(&store, 7, UNDATED, 0), vec![1, 2, 3, 4, 5]);
        delete_rows(conn, 1, &[row(ie, d)]).unwrap();
        assert_eq!(probed(&store, 7, d, ie), vec![3, 4]);
    }

    #[test]
    fn a_saturated_window_is_read_nearest_dates_first() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let conn = store.conn();
        let d = day_number(Some("2026-11-01"));
        // 30 jobs a day over the whole window: more rows than one probe reads.
        let mut id = 0;
        for day in d - 14..=d + 14 {
            for _ in 0..30 {
                id += 1;
                let row = KeyRow {
                    key: 7,
                    cc: 0,
                    day,
                    info: 1 << SOURCE_SHIFT,
                };
                insert_rows(conn, id, &[row]).unwrap();
            }
        }
        let mut hits = Vec::new();
        let at = ProbeAt {
            day: d,
            seen_day: d,
            cc: 0,
            window: 14,
            info: 0,
        };
        probe(&store, 7, at, &mut hits).unwrap();
        // Each side stops once it has read NEAREST_LIMIT rows (a bucket read may overshoot).
        assert!(hits.len() < 4 * NEAREST_LIMIT, "{} rows", hits.len());
        let window_rows = 29 * 30;
        assert!(
            hits.len() < window_rows / 2,
            "{} of {window_rows} rows",
            hits.len()
        );
        let farthest = hits.iter().map(|h| (h.day - d).abs()).max().unwrap();
        assert!(
            farthest <= 7,
            "read {farthest} days away before nearer days"
        );
        assert!(hits.iter().any(|h| h.day == d) && hits.iter().any(|h| h.day == d - 1));
    }

    #[test]
    fn day_numbers_order_dates_and_mark_undated() {
        assert_eq!(day_number(None), UNDATED);
        assert_eq!(day_number(Some("not a date")), UNDATED);
        let d1 = day_number(Some("2026-11-01"));
        assert_eq!(day_number(Some("2026-11-15")) - d1, 14);
        assert!(d1 > UNDATED);
    }
}
