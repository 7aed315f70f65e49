//! Storing one normalized listing: find its listing (by source + external id, then canonical
//! URL), else a fuzzy-matched job in the same block, else a new job.
//!
//! Every lookup is an indexed one and the fuzzy candidate set is bounded, so the cost per record
//! stays flat as the database grows. Callers batch calls in a transaction
//! ([`crate::pipeline::Pipeline`]).

use std::collections::HashSet;
use std::sync::OnceLock;

use anyhow::Context;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::blocking::{self, Hit, UNDATED};
use super::fast::Arg;
use super::lookahead::RecentLog;
use super::{Store, ts_text};
use crate::dedup::{self, MatchFeatures};
use crate::model::NormalizedJob;
use crate::pipeline::{Outcome, Prepared};

/// Candidates further apart than this in posting date are never compared.
pub const FUZZY_DATE_WINDOW_DAYS: i64 = 14;
/// At most this many candidate jobs are compared with a new listing.
pub const MAX_FUZZY_CANDIDATES: usize = 50;

/// What the single writer remembers between records: the jobs whose full-text entry must be
/// written when the batch commits. Nothing else: candidates are read from `match_keys`, so
/// memory stays flat however many jobs there are.
#[derive(Debug, Default)]
pub struct WriteState {
    /// Jobs to (re)index at commit; their old entry, if any, is already deleted.
    fts_pending: HashSet<i64>,
    /// The writer's recent changes, against which lookaheads are checked.
    recent: RecentLog,
}

impl WriteState {
    /// Forgets everything: after a rollback the cached ids may not exist (and will be reused).
    pub fn reset(&mut self) {
        self.fts_pending.clear();
        self.recent.rolled_back();
    }

    /// Logs the writer's changes from now on, so lookaheads can be used.
    pub fn enable_lookaheads(&mut self) {
        self.recent.enable();
    }

    /// The open batch was committed.
    pub fn committed(&mut self) {
        self.recent.committed();
    }

    /// Another connection wrote to the database (between two batches).
    pub fn written_elsewhere(&mut self) {
        self.recent.written_elsewhere();
    }

    /// Batches committed by this writer (and writes by others noticed).
    pub fn commits(&self) -> u64 {
        self.recent.commits()
    }

    /// How often lookaheads were used.
    pub fn lookahead_counts(&self) -> super::lookahead::LookaheadCounts {
        self.recent.counts()
    }
}

/// `source` as it appears inside a job's `source_set` (`\x1fsource\x1f`).
fn source_mark(source: &str) -> String {
    format!("\u{1f}{source}\u{1f}")
}

/// The fields whose change makes a listing "updated": content, not identity (URL, external id),
/// not the scrape time, not the raw JSON.
#[derive(Serialize)]
struct HashView<'a> {
    title: &'a str,
    company: &'a Option<String>,
    location: &'a Option<String>,
    country_code: &'a Option<String>,
    operation_type: Option<&'static str>,
    category: Option<&'static str>,
    senior: Option<bool>,
    aircraft_types: &'a [String],
    licences: &'a [String],
    employment_type: Option<&'static str>,
    salary: &'a crate::model::Salary,
    salary_text: &'a Option<String>,
    posted_date: Option<chrono::NaiveDate>,
    closing_date: Option<chrono::NaiveDate>,
    description: &'a Option<String>,
    department: &'a Option<String>,
    apply_url: &'a Option<String>,
    filled: bool,
}

/// Hash of the content of a normalized listing (hex xxh3).
pub fn content_hash(job: &NormalizedJob) -> String {
    let view = hash_view(job);
    // The JSON text is hashed as it is written, a few KiB at a time (the serializer writes it
    // in many tiny pieces): the same hash as hashing `serde_json::to_vec(&view)`, which stored
    // hashes were made with.
    let mut hasher =
        std::io::BufWriter::with_capacity(4096, HashWriter(xxhash_rust::xxh3::Xxh3::new()));
    // Writing to the hasher cannot fail.
    let _ = serde_json::to_writer(&mut hasher, &view);
    let _ = std::io::Write::flush(&mut hasher);
    format!("{:016x}", hasher.get_ref().0.digest())
}

fn hash_view(job: &NormalizedJob) -> HashView<'_> {
    HashView {
        title: &job.title,
        company: &job.company,
        location: &job.location,
        country_code: &job.country_code,
        operation_type: job.operation_type.map(|v| v.as_str()),
        category: job.category.map(|v| v.as_str()),
        senior: job.senior,
        aircraft_types: &job.aircraft_types,
        licences: &job.licences,
        employment_type: job.employment_type.map(|v| v.as_str()),
        salary: &job.salary,
        salary_text: &job.salary_text,
        posted_date: job.posted_date,
        closing_date: job.closing_date,
        description: &job.description,
        department: &job.department,
        apply_url: &job.apply_url,
        filled: job.filled,
    }
}

/// An `io::Write` that feeds an xxh3 hasher.
struct HashWriter(xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Columns of `jobs` filled from a listing, in the order of [`JobValues::args`].
const JOB_FIELDS: &[&str] = &[
    "title",
    "company",
    "company_key",
    "location",
    "country_code",
    "operation_type",
    "category",
    "senior",
    "aircraft_types",
    "licences",
    "employment_type",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "salary_text",
    "posted_date",
    "closing_date",
    "description",
    "department",
    "apply_url",
];

/// The [`JOB_FIELDS`] values of a listing, borrowed where they can be (no copies of the text).
struct JobValues<'a> {
    job: &'a NormalizedJob,
    aircraft_types: String,
    licences: String,
    posted_date: Option<String>,
    closing_date: Option<String>,
    operation_type: Option<&'static str>,
    category: Option<&'static str>,
    employment_type: Option<&'static str>,
    salary_period: Option<&'static str>,
}

impl<'a> JobValues<'a> {
    fn new(job: &'a NormalizedJob) -> Self {
        let json_list = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
        JobValues {
            job,
            aircraft_types: json_list(&job.aircraft_types),
            licences: json_list(&job.licences),
            posted_date: job.posted_date.map(|d| d.to_string()),
            closing_date: job.closing_date.map(|d| d.to_string()),
            operation_type: job.operation_type.map(|v| v.as_str()),
            category: job.category.map(|v| v.as_str()),
            employment_type: job.employment_type.map(|v| v.as_str()),
            salary_period: job.salary.period.map(|v| v.as_str()),
        }
    }

    /// The values in [`JOB_FIELDS`] order, to bind without copies.
    fn args(&self) -> [Arg<'_>; 21] {
        let job = self.job;
        let salary = &job.salary;
        [
            Arg::from(&job.title),
            Arg::from(&job.company),
            Arg::from(&job.company_key),
            Arg::from(&job.location),
            Arg::from(&job.country_code),
            Arg::from(self.operation_type),
            Arg::from(self.category),
            Arg::from(job.senior),
            Arg::from(&self.aircraft_types),
            Arg::from(&self.licences),
            Arg::from(self.employment_type),
            Arg::from(salary.min),
            Arg::from(salary.max),
            Arg::from(&salary.currency),
            Arg::from(self.salary_period),
            Arg::from(&job.salary_text),
            Arg::from(&self.posted_date),
            Arg::from(&self.closing_date),
            Arg::from(&job.description),
            Arg::from(&job.department),
            Arg::from(&job.apply_url),
        ]
    }
}

/// `UPDATE jobs SET <every field> = ?` (the listing is the job's primary one).
fn overwrite_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(build_overwrite_sql)
}

fn build_overwrite_sql() -> String {
    let sets: Vec<String> = JOB_FIELDS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 2))
        .collect();
    let n = JOB_FIELDS.len();
    format!(
        "UPDATE jobs SET {}, block_key = ?{}, match_features = ?{}, content_hash = ?{} \
         WHERE id = ?1",
        sets.join(", "),
        n + 2,
        n + 3,
        n + 4
    )
}

/// `UPDATE jobs SET <field> = COALESCE(field, ?)`: a secondary listing only fills gaps.
fn fill_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| format!("UPDATE jobs SET {} WHERE id = ?1", fill_sets()))
}

/// The SET list of [`fill_sql`]: each field only where the job has none (?2.. in
/// [`JOB_FIELDS`] order).
fn fill_sets() -> String {
    let sets: Vec<String> = JOB_FIELDS
        .iter()
        .enumerate()
        .map(|(i, c)| match *c {
            "aircraft_types" | "licences" => {
                format!("{c} = CASE WHEN {c} = '[]' THEN ?{} ELSE {c} END", i + 2)
            }
            _ => format!("{c} = COALESCE({c}, ?{})", i + 2),
        })
        .collect();
    sets.join(", ")
}

/// The SET list that marks a job seen at `?{seen}` (and filled when `?{filled}` is true): seen
/// times widen, a filled listing fills it, seeing an expired job again re-activates it.
fn seen_sets(seen: usize, filled: usize) -> String {
    format!(
        "last_seen_at = max(last_seen_at, ?{seen}),
         first_seen_at = min(first_seen_at, ?{seen}),
         status = CASE WHEN ?{filled} THEN 'filled'
                       WHEN status = 'expired' THEN 'active'
                       ELSE status END"
    )
}

/// `UPDATE jobs SET <seen_sets> WHERE id = ?1` (?2 the time, ?3 filled).
fn see_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| format!("UPDATE jobs SET {} WHERE id = ?1", seen_sets(2, 3)))
}

/// The one statement a fuzzy merge changes its job with: fill its gaps ([`fill_sets`]), add the
/// listing's source to `source_set` (?23 its mark, ?24 the source) and mark it seen
/// ([`seen_sets`], ?25 the time, ?26 filled).
fn merge_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let n = JOB_FIELDS.len();
        let (mark, source, seen, filled) = (n + 2, n + 3, n + 4, n + 5);
        format!(
            "UPDATE jobs SET {}, source_set = CASE
                WHEN instr(source_set, ?{mark}) > 0 THEN source_set
                WHEN source_set = '' THEN ?{mark}
                ELSE source_set || ?{source} || char(31) END,
              {}
             WHERE id = ?1",
            fill_sets(),
            seen_sets(seen, filled)
        )
    })
}

/// Which of a job's indexed texts are missing: a filling listing changes its full-text entry
/// only if it brings one of them.
#[derive(Debug, Clone, Copy)]
struct TextGaps {
    company: bool,
    location: bool,
    description: bool,
}

impl TextGaps {
    fn filled_by(self, new: &NormalizedJob) -> bool {
        (self.company && new.company.is_some())
            || (self.location && new.location.is_some())
            || (self.description && new.description.is_some())
    }
}

/// How a listing changes its job's text: replace it (primary listing) or fill its gaps.
#[derive(Debug, Clone, Copy)]
enum TextChange {
    Overwrite,
    Fill,
}

/// An existing listing found for a new record.
#[derive(Debug, Clone)]
pub(crate) struct Existing {
    pub(crate) id: i64,
    pub(crate) job_id: i64,
    pub(crate) content_hash: String,
    pub(crate) source: String,
    pub(crate) external_id: Option<String>,
}

/// The stored listing of `job` on `conn`: same source and external id, else same canonical URL.
/// One statement, two index seeks; the id match comes first.
pub(crate) fn find_listing_in(
    store: &Store,
    job: &NormalizedJob,
) -> rusqlite::Result<Option<Existing>> {
    const SQL: &str = "SELECT id, job_id, content_hash, source, external_id FROM job_sources
         WHERE source = ?1 AND external_id = ?2
         UNION ALL
         SELECT id, job_id, content_hash, source, external_id FROM job_sources
         WHERE url_key = ?4 AND url = ?3
         LIMIT 1";
    let args = [
        Arg::from(&job.source),
        Arg::from(&job.external_id),
        Arg::from(&job.url),
        Arg::Int(super::url_key(&job.url)),
    ];
    let mut found = None;
    store.fast(SQL, |stmt| {
        stmt.query(&args, |r| {
            found = Some(Existing {
                id: r.int(0),
                job_id: r.int(1),
                content_hash: r.text(2).unwrap_or_default(),
                source: r.text(3).unwrap_or_default(),
                external_id: r.text(4),
            });
            Ok(())
        })
    })?;
    Ok(found)
}

/// Where and when a listing with match-key rows `rows` probes for candidates; `None` without
/// rows (no company key or no title tokens: never fuzzy-matched).
pub(crate) fn probe_at(
    job: &NormalizedJob,
    rows: &[blocking::KeyRow],
) -> Option<blocking::ProbeAt> {
    let first = rows.first()?;
    Some(blocking::ProbeAt {
        day: first.day,
        seen_day: blocking::date_day(job.scraped_at.date_naive()),
        cc: first.cc,
        window: FUZZY_DATE_WINDOW_DAYS,
        info: first.info,
    })
}

impl Store {
    /// Stores one normalized listing and says what happened to it. Not transactional by itself:
    /// callers wrap batches of calls in a transaction.
    pub fn upsert_listing(
        &self,
        cache: &mut WriteState,
        prep: &Prepared,
        run_id: Option<i64>,
    ) -> anyhow::Result<Outcome> {
        let job = &prep.job;
        let hash = prep.hash.as_str();
        let seen = ts_text(job.scraped_at);
        if let Some(ex) = self.find_listing(cache, prep)? {
            if self.touch_listing(&ex, job, &seen, run_id)? {
                cache.recent.listing_written(ex.id, job);
            }
            if ex.content_hash == hash {
                return Ok(Outcome::Unchanged { job_id: ex.job_id });
            }
            self.update_listing(cache, &ex, prep)?;
            cache.recent.listing_written(ex.id, job);
            return Ok(Outcome::Updated { job_id: ex.job_id });
        }
        if let Some((job_id, reason, gaps)) = self.fuzzy_match(cache, prep)? {
            let listing_id = self.insert_listing(job_id, prep, &seen, run_id, Some(&reason))?;
            cache.recent.listing_written(listing_id, job);
            if gaps.filled_by(job) {
                self.unindex_before_text_change(cache, job_id, job, TextChange::Fill)?;
            }
            let values = JobValues::new(job);
            let mark = source_mark(&job.source);
            let mut args = Vec::with_capacity(JOB_FIELDS.len() + 5);
            args.push(Arg::Int(job_id));
            args.extend(values.args());
            args.extend([
                Arg::from(&mark),
                Arg::from(&job.source),
                Arg::from(&seen),
                Arg::from(job.filled),
            ]);
            self.fast(merge_sql(), |stmt| stmt.execute(&args))?;
            return Ok(Outcome::Merged { job_id, reason });
        }
        let job_id = self.insert_job(prep, &seen)?;
        cache.recent.filed(job_id, &prep.match_keys);
        cache.fts_pending.insert(job_id);
        let listing_id = self.insert_listing(job_id, prep, &seen, run_id, None)?;
        cache.recent.listing_written(listing_id, job);
        Ok(Outcome::New { job_id })
    }

    /// The stored listing of this record: from its lookahead when that is still current, else
    /// looked up ([`find_listing_in`]).
    fn find_listing(
        &self,
        state: &mut WriteState,
        prep: &Prepared,
    ) -> anyhow::Result<Option<Existing>> {
        match state.recent.listing(prep.lookahead.as_ref(), &prep.job) {
            Some(found) => Ok(found),
            None => Ok(find_listing_in(self, &prep.job)?),
        }
    }

    /// Marks a known listing (and its job) as seen again; re-activates an expired job. True when
    /// the listing learned its external id.
    fn touch_listing(
        &self,
        ex: &Existing,
        job: &NormalizedJob,
        seen: &str,
        run_id: Option<i64>,
    ) -> anyhow::Result<bool> {
        // A listing first stored without an external id learns it from the same source.
        let learn_ext = ex.external_id.is_none() && ex.source == job.source;
        self.conn
            .prepare_cached(
                "UPDATE job_sources SET
                    last_seen_at = max(last_seen_at, ?2),
                    first_seen_at = min(first_seen_at, ?2),
                    last_seen_run = coalesce(?3, last_seen_run),
                    active = 1, inactive_reason = NULL,
                    external_id = CASE WHEN ?4 THEN ?5 ELSE external_id END
                 WHERE id = ?1",
            )?
            .execute(params![ex.id, seen, run_id, learn_ext, job.external_id])?;
        self.see_job(ex.job_id, seen, job.filled)?;
        Ok(learn_ext && job.external_id.is_some())
    }

    fn see_job(&self, job_id: i64, seen: &str, filled: bool) -> anyhow::Result<()> {
        self.conn
            .prepare_cached(see_sql())?
            .execute(params![job_id, seen, filled])?;
        Ok(())
    }

    /// A known listing with new content: store it; the job follows its primary (oldest) listing,
    /// other listings only fill gaps.
    fn update_listing(
        &self,
        cache: &mut WriteState,
        ex: &Existing,
        prep: &Prepared,
    ) -> anyhow::Result<()> {
        let (job, hash) = (&prep.job, prep.hash.as_str());
        self.conn
            .prepare_cached("UPDATE job_sources SET raw = ?2, content_hash = ?3 WHERE id = ?1")?
            .execute(params![ex.id, prep.raw_json, hash])?;
        let primary: i64 = self
            .conn
            .prepare_cached("SELECT min(id) FROM job_sources WHERE job_id = ?1")?
            .query_row([ex.job_id], |r| r.get(0))?;
        let values = JobValues::new(job);
        let mut args = Vec::with_capacity(JOB_FIELDS.len() + 4);
        args.push(Arg::Int(ex.job_id));
        args.extend(values.args());
        if primary == ex.id {
            let features = &prep.features;
            // The job is filed under its primary listing's features: re-file it.
            let old: Option<String> = self
                .conn
                .prepare_cached("SELECT match_features FROM jobs WHERE id = ?1")?
                .query_row([ex.job_id], |r| r.get(0))?;
            let old_rows = old
                .and_then(|j| serde_json::from_str::<MatchFeatures>(&j).ok())
                .map(|old| blocking::key_rows(&old, &ex.source))
                .unwrap_or_default();
            blocking::delete_rows(&self.conn, ex.job_id, &old_rows)?;
            let rows = blocking::key_rows(features, &ex.source);
            blocking::file_rows(self, ex.job_id, &rows)?;
            cache.recent.refiled(ex.job_id, &old_rows, &rows);
            self.unindex_before_text_change(cache, ex.job_id, job, TextChange::Overwrite)?;
            args.extend([
                Arg::from(features.block_key()),
                Arg::from(&prep.features_json),
                Arg::Text(hash),
            ]);
            self.fast(overwrite_sql(), |stmt| stmt.execute(&args))?;
        } else {
            self.unindex_before_text_change(cache, ex.job_id, job, TextChange::Fill)?;
            self.fast(fill_sql(), |stmt| stmt.execute(&args))?;
        }
        Ok(())
    }

    /// Before a job's indexed text may change: if it would, delete the job's full-text entry
    /// (while the old text is still there to delete) and queue the job for indexing at commit.
    fn unindex_before_text_change(
        &self,
        state: &mut WriteState,
        job_id: i64,
        new: &NormalizedJob,
        change: TextChange,
    ) -> anyhow::Result<()> {
        if state.fts_pending.contains(&job_id) {
            return Ok(());
        }
        type Text = (String, Option<String>, Option<String>, Option<String>);
        let (title, company, location, description): Text = self
            .conn
            .prepare_cached("SELECT title, company, location, description FROM jobs WHERE id = ?1")?
            .query_row([job_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        let changes = match change {
            TextChange::Overwrite => {
                title != new.title
                    || company != new.company
                    || location != new.location
                    || description != new.description
            }
            TextChange::Fill => TextGaps {
                company: company.is_none(),
                location: location.is_none(),
                description: description.is_none(),
            }
            .filled_by(new),
        };
        if changes {
            self.conn
                .prepare_cached(
                    "INSERT INTO jobs_fts (jobs_fts, rowid, title, company, location, description)
                     VALUES ('delete', ?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![job_id, title, company, location, description])?;
            state.fts_pending.insert(job_id);
        }
        Ok(())
    }

    /// Writes the full-text entries of every job new or changed since the last call, in one
    /// statement (FTS5 then writes one index segment per batch, not one per job). Call inside
    /// the batch's transaction, before it commits.
    pub fn index_pending(&self, state: &mut WriteState) -> anyhow::Result<()> {
        if state.fts_pending.is_empty() {
            return Ok(());
        }
        let ids = serde_json::to_string(&state.fts_pending)?;
        self.conn
            .prepare_cached(
                "INSERT INTO jobs_fts (rowid, title, company, location, description)
                 SELECT id, title, company, location, description FROM jobs
                 WHERE id IN (SELECT value FROM json_each(?1))",
            )?
            .execute([&ids])
            .context("updating the full-text index")?;
        state.fts_pending.clear();
        Ok(())
    }

    /// The first job filed under the new listing's probed keys that the matcher calls the same
    /// job, with the reason. Candidates come nearest posting date first (undated last); rows
    /// whose veto summary rules them out, and jobs already listed by the same source, are
    /// skipped without comparing.
    /// `rows` are the new listing's own match-key rows ([`Prepared::match_keys`]): their keys
    /// are probed, and they carry its day, country and veto summary.
    fn fuzzy_match(
        &self,
        state: &mut WriteState,
        prep: &Prepared,
    ) -> anyhow::Result<Option<(i64, String, TextGaps)>> {
        let (job, new, rows) = (&prep.job, &prep.features, &prep.match_keys);
        let Some(at) = probe_at(job, rows) else {
            return Ok(None);
        };
        let day = at.day;
        let ahead = prep.lookahead.as_ref();
        let mut hits = match state.recent.hits(ahead, rows, at) {
            Some(hits) => hits,
            None => {
                let mut hits: Vec<Hit> = Vec::with_capacity(32);
                for row in rows {
                    blocking::probe(self, row.key, at, &mut hits)?;
                }
                hits
            }
        };
        let distance = |h: &Hit| match (day, h.day) {
            (UNDATED, _) => 0,
            (_, UNDATED) => FUZZY_DATE_WINDOW_DAYS + 1,
            (d, t) => (d - t).abs(),
        };
        // Nearest first; equal distances keep the earlier job first (stable, deterministic).
        hits.sort_by_key(|h| (distance(h), h.job_id));
        hits.dedup_by_key(|h| h.job_id);
        let mark = source_mark(&job.source);
        for hit in hits.iter().take(MAX_FUZZY_CANDIDATES) {
            let Some((sources, json, gaps)) = self
                .conn
                .prepare_cached(
                    "SELECT source_set, match_features,
                        company IS NULL, location IS NULL, description IS NULL
                     FROM jobs WHERE id = ?1",
                )?
                .query_row([hit.job_id], |r| {
                    let gaps = TextGaps {
                        company: r.get(2)?,
                        location: r.get(3)?,
                        description: r.get(4)?,
                    };
                    Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, gaps))
                })
                .optional()?
            else {
                continue;
            };
            // Same source + different listing is never a fuzzy merge: a site does not list
            // one vacancy twice under two ids.
            if sources.contains(&mark) {
                continue;
            }
            let Some(features) = json.and_then(|j| serde_json::from_str::<MatchFeatures>(&j).ok())
            else {
                tracing::debug!(job_id = hit.job_id, "stored match features unreadable");
                continue;
            };
            let verdict = dedup::compare(new, &features);
            if verdict.same {
                return Ok(Some((hit.job_id, verdict.reason, gaps)));
            }
        }
        Ok(None)
    }

    fn insert_job(&self, prep: &Prepared, seen: &str) -> anyhow::Result<i64> {
        let (job, features, hash) = (&prep.job, &prep.features, &prep.hash);
        let features_json = &prep.features_json;
        static SQL: OnceLock<String> = OnceLock::new();
        let sql = SQL.get_or_init(|| {
            let placeholders: Vec<String> = (1..=JOB_FIELDS.len() + 7)
                .map(|i| format!("?{i}"))
                .collect();
            format!(
                "INSERT INTO jobs ({}, status, first_seen_at, last_seen_at, block_key,
                    match_features, content_hash, source_set) VALUES ({})",
                JOB_FIELDS.join(", "),
                placeholders.join(", ")
            )
        });
        let status = if job.filled { "filled" } else { "active" };
        let sources = source_mark(&job.source);
        let values = JobValues::new(job);
        let mut args = Vec::with_capacity(JOB_FIELDS.len() + 7);
        args.extend(values.args());
        args.extend([
            Arg::Text(status),
            Arg::Text(seen),
            Arg::Text(seen),
            Arg::from(features.block_key()),
            Arg::from(features_json),
            Arg::from(hash),
            Arg::from(&sources),
        ]);
        self.fast(sql, |stmt| stmt.execute(&args))
            .with_context(|| format!("inserting job for {}", job.url))?;
        let job_id = self.conn.last_insert_rowid();
        blocking::file_rows(self, job_id, &prep.match_keys)?;
        Ok(job_id)
    }

    fn insert_listing(
        &self,
        job_id: i64,
        prep: &Prepared,
        seen: &str,
        run_id: Option<i64>,
        merge_reason: Option<&str>,
    ) -> anyhow::Result<i64> {
        let (job, raw, hash) = (&prep.job, &prep.raw_json, &prep.hash);
        const SQL: &str = "INSERT INTO job_sources (job_id, source, url, external_id, raw,
                first_seen_at, last_seen_at, last_seen_run, merge_reason, content_hash, url_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10)";
        let args = [
            Arg::Int(job_id),
            Arg::from(&job.source),
            Arg::from(&job.url),
            Arg::from(&job.external_id),
            Arg::from(raw),
            Arg::Text(seen),
            Arg::from(run_id),
            Arg::from(merge_reason),
            Arg::from(hash),
            Arg::Int(super::url_key(&job.url)),
        ];
        self.fast(SQL, |stmt| stmt.execute(&args))
            .with_context(|| format!("inserting listing {}", job.url))?;
        Ok(self.conn.last_insert_rowid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hashing while serializing gives the hashes stored by earlier versions, which hashed the
    /// serialized bytes: re-ingesting old listings must not count them as updated.
    #[test]
    fn streamed_content_hash_equals_the_hash_of_the_serialized_view() {
        let normalizer = crate::normalize::Normalizer::new(Default::default());
        let raw = crate::model::RawRecord {
            source: "goose".into(),
            url: "https://goose.example/jobs/1".into(),
            title: "B1 Licensed Engineer \"A320\" – Ops".into(),
            company: Some("Goose Air".into()),
            location: Some("Zürich, Switzerland".into()),
            description: Some("<p>Line maintenance &amp; \u{1F6EB} AOG cover</p>".repeat(300)),
            salary: Some("€60,000 - €75,000 per year".into()),
            scraped_at: Some("2026-11-20T08:00:00Z".into()),
            ..Default::default()
        };
        let job = normalizer.normalize(raw).unwrap();
        let bytes = serde_json::to_vec(&hash_view(&job)).unwrap();
        assert!(
            bytes.len() > 8192,
            "long enough to be written in several pieces"
        );
        let expected = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        assert_eq!(content_hash(&job), expected);
        let mut other = job.clone();
        other.title.push('!');
        assert_ne!(content_hash(&other), expected);
    }
}
