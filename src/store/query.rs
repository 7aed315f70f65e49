//! Read queries behind `export`, `jobs` and `stats`. Rows are streamed through callbacks, so
//! an export of a million jobs holds one job in memory at a time.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params_from_iter};
use serde::Serialize;

use super::Store;

/// One source listing of a job, as exported (ARCHITECTURE §4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRow {
    /// Source name.
    pub source: String,
    /// Canonical listing URL.
    pub url: String,
    /// The site's own id.
    pub external_id: Option<String>,
    /// First time this listing was seen.
    pub first_seen_at: String,
    /// Last time this listing was seen.
    pub last_seen_at: String,
}

/// One canonical job with exactly the export fields of ARCHITECTURE §4, in that order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobRow {
    /// Job id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Company as displayed.
    pub company: Option<String>,
    /// Location text.
    pub location: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_code: Option<String>,
    /// Operation type of the advertiser.
    pub operation_type: Option<String>,
    /// Job category.
    pub category: Option<String>,
    /// Senior role.
    pub senior: Option<bool>,
    /// Aircraft types.
    pub aircraft_types: Vec<String>,
    /// Licences.
    pub licences: Vec<String>,
    /// Employment type.
    pub employment_type: Option<String>,
    /// Salary lower bound.
    pub salary_min: Option<f64>,
    /// Salary upper bound.
    pub salary_max: Option<f64>,
    /// ISO 4217 currency.
    pub salary_currency: Option<String>,
    /// Salary period.
    pub salary_period: Option<String>,
    /// Posting date (YYYY-MM-DD).
    pub posted_date: Option<String>,
    /// Closing date (YYYY-MM-DD).
    pub closing_date: Option<String>,
    /// active, expired or filled.
    pub status: String,
    /// First time any listing of the job was seen.
    pub first_seen_at: String,
    /// Last time any listing of the job was seen.
    pub last_seen_at: String,
    /// Plain-text description.
    pub description: Option<String>,
    /// Every source listing merged into this job, oldest first.
    pub sources: Vec<SourceRow>,
}

/// Which jobs to read. Empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobFilter {
    /// First seen on or after this day.
    pub since: Option<NaiveDate>,
    /// First seen on or before this day.
    pub until: Option<NaiveDate>,
    /// Only these statuses.
    pub status: Vec<String>,
    /// Only jobs with a listing from one of these sources.
    pub source: Vec<String>,
    /// Only these country codes.
    pub country: Vec<String>,
    /// Newest first instead of by id.
    pub newest_first: bool,
    /// At most this many jobs.
    pub limit: Option<usize>,
}

const JOB_COLUMNS: &str = "j.id, j.title, j.company, j.location, j.country_code, j.operation_type,
    j.category, j.senior, j.aircraft_types, j.licences, j.employment_type, j.salary_min,
    j.salary_max, j.salary_currency, j.salary_period, j.posted_date, j.closing_date, j.status,
    j.first_seen_at, j.last_seen_at, j.description";

fn row_to_job(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRow> {
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        let s: Option<String> = r.get(i)?;
        Ok(s.and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    };
    Ok(JobRow {
        id: r.get(0)?,
        title: r.get(1)?,
        company: r.get(2)?,
        location: r.get(3)?,
        country_code: r.get(4)?,
        operation_type: r.get(5)?,
        category: r.get(6)?,
        senior: r.get::<_, Option<i64>>(7)?.map(|v| v != 0),
        aircraft_types: list(8)?,
        licences: list(9)?,
        employment_type: r.get(10)?,
        salary_min: r.get(11)?,
        salary_max: r.get(12)?,
        salary_currency: r.get(13)?,
        salary_period: r.get(14)?,
        posted_date: r.get(15)?,
        closing_date: r.get(16)?,
        status: r.get(17)?,
        first_seen_at: r.get(18)?,
        last_seen_at: r.get(19)?,
        description: r.get(20)?,
        sources: Vec::new(),
    })
}

fn in_list(column: &str, values: &[String], params: &mut Vec<Value>) -> String {
    let marks: Vec<String> = values
        .iter()
        .map(|v| {
            params.push(Value::Text(v.clone()));
            format!("?{}", params.len())
        })
        .collect();
    format!("{column} IN ({})", marks.join(", "))
}

impl JobFilter {
    fn where_clause(&self, params: &mut Vec<Value>) -> String {
        let mut conds = Vec::new();
        if let Some(d) = self.since {
            params.push(Value::Text(d.to_string()));
            conds.push(format!("j.first_seen_at >= ?{}", params.len()));
        }
        if let Some(d) = self.until.and_then(|d| d.succ_opt()) {
            params.push(Value::Text(d.to_string()));
            conds.push(format!("j.first_seen_at < ?{}", params.len()));
        }
        if !self.status.is_empty() {
            conds.push(in_list("j.status", &self.status, params));
        }
        if !self.country.is_empty() {
            let upper: Vec<String> = self.country.iter().map(|c| c.to_uppercase()).collect();
            conds.push(in_list("j.country_code", &upper, params));
        }
        if !self.source.is_empty() {
            conds.push(format!(
                "EXISTS (SELECT 1 FROM job_sources s WHERE s.job_id = j.id AND {})",
                in_list("s.source", &self.source, params)
            ));
        }
        if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        }
    }
}

impl Store {
    /// Calls `f` with every job matching `filter`, each with its source listings.
    /// Returns the number of jobs visited.
    pub fn for_each_job(
        &self,
        filter: &JobFilter,
        mut f: impl FnMut(JobRow) -> anyhow::Result<()>,
    ) -> anyhow::Result<u64> {
        let mut params = Vec::new();
        let mut sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs j {} ORDER BY {}",
            filter.where_clause(&mut params),
            if filter.newest_first {
                "j.first_seen_at DESC, j.id DESC"
            } else {
                "j.id"
            }
        );
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            let mut job = row_to_job(row)?;
            job.sources = self.job_sources(job.id)?;
            f(job)?;
            n += 1;
        }
        Ok(n)
    }

    /// One job with its listings, `None` if there is no such id.
    pub fn job(&self, id: i64) -> anyhow::Result<Option<JobRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {JOB_COLUMNS} FROM jobs j WHERE j.id = ?1"))?;
        let Some(mut job) = stmt.query_row([id], row_to_job).optional()? else {
            return Ok(None);
        };
        job.sources = self.job_sources(id)?;
        Ok(Some(job))
    }

    /// The listings of job `id`, oldest first.
    pub fn job_sources(&self, id: i64) -> anyhow::Result<Vec<SourceRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT source, url, external_id, first_seen_at, last_seen_at FROM job_sources
             WHERE job_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(SourceRow {
                source: r.get(0)?,
                url: r.get(1)?,
                external_id: r.get(2)?,
                first_seen_at: r.get(3)?,
                last_seen_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Full-text search (FTS5 syntax) over title, company, location and description, best
    /// match first.
    pub fn search_jobs(&self, query: &str, limit: usize) -> anyhow::Result<Vec<JobRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {JOB_COLUMNS} FROM jobs_fts f JOIN jobs j ON j.id = f.rowid
             WHERE jobs_fts MATCH ?1 ORDER BY f.rank LIMIT ?2"
        ))?;
        let rows = stmt
            .query_map(rusqlite::params![query, limit as i64], row_to_job)
            .map_err(|e| anyhow::anyhow!("search {query:?}: {e}"))?;
        let mut jobs: Vec<JobRow> = rows
            .collect::<Result<_, _>>()
            .map_err(|e| anyhow::anyhow!("search {query:?}: {e}"))?;
        for job in &mut jobs {
            job.sources = self.job_sources(job.id)?;
        }
        Ok(jobs)
    }

    /// Stored match features and merge facts of job `id` (for `jobs explain`).
    pub fn job_match_features(&self, id: i64) -> anyhow::Result<Option<JobFacts>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT j.match_features, j.block_key, j.company_key,
                (SELECT group_concat(source, ',') FROM job_sources s WHERE s.job_id = j.id),
                (SELECT group_concat(merge_reason, ' | ') FROM job_sources s
                  WHERE s.job_id = j.id AND merge_reason IS NOT NULL)
             FROM jobs j WHERE j.id = ?1",
        )?;
        Ok(stmt
            .query_row([id], |r| {
                Ok(JobFacts {
                    match_features: r.get(0)?,
                    block_key: r.get(1)?,
                    company_key: r.get(2)?,
                    sources: r
                        .get::<_, Option<String>>(3)?
                        .map(|s| s.split(',').map(str::to_string).collect())
                        .unwrap_or_default(),
                    merge_reasons: r.get(4)?,
                })
            })
            .optional()?)
    }

    /// Counts of jobs grouped by `column` of `jobs` (an allow-listed column name), largest first.
    pub fn count_jobs_by(&self, column: StatsKey) -> anyhow::Result<Vec<(String, u64)>> {
        let sql = match column {
            StatsKey::Source => "SELECT source, count(DISTINCT job_id) FROM job_sources
                 GROUP BY source ORDER BY 2 DESC, 1"
                .to_string(),
            StatsKey::FirstSeenDay => "SELECT substr(first_seen_at, 1, 10), count(*) FROM jobs
                 GROUP BY 1 ORDER BY 1 DESC"
                .to_string(),
            other => format!(
                "SELECT coalesce({c}, '(unknown)'), count(*) FROM jobs GROUP BY 1 ORDER BY 2 DESC, 1",
                c = other.column()
            ),
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Total rows of jobs, listings and rejects.
    pub fn totals(&self) -> anyhow::Result<(u64, u64, u64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM jobs), (SELECT count(*) FROM job_sources),
                    (SELECT count(*) FROM rejects)",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)? as u64,
                    r.get::<_, i64>(1)? as u64,
                    r.get::<_, i64>(2)? as u64,
                ))
            },
        )?)
    }
}

/// A grouping of `aeroscrap stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsKey {
    /// Jobs with a listing from each source.
    Source,
    /// Jobs per country code.
    Country,
    /// Jobs per operation type.
    OperationType,
    /// Jobs per category.
    Category,
    /// Jobs per status.
    Status,
    /// Jobs per first-seen day.
    FirstSeenDay,
}

impl StatsKey {
    /// Every grouping, in display order.
    pub const ALL: [StatsKey; 6] = [
        StatsKey::Source,
        StatsKey::Country,
        StatsKey::OperationType,
        StatsKey::Category,
        StatsKey::Status,
        StatsKey::FirstSeenDay,
    ];

    /// The name used in output (`by_source`, …).
    pub fn name(self) -> &'static str {
        match self {
            StatsKey::Source => "source",
            StatsKey::Country => "country",
            StatsKey::OperationType => "operation_type",
            StatsKey::Category => "category",
            StatsKey::Status => "status",
            StatsKey::FirstSeenDay => "first_seen_day",
        }
    }

    fn column(self) -> &'static str {
        match self {
            StatsKey::Source => "source",
            StatsKey::Country => "country_code",
            StatsKey::OperationType => "operation_type",
            StatsKey::Category => "category",
            StatsKey::Status => "status",
            StatsKey::FirstSeenDay => "first_seen_at",
        }
    }
}

/// What `jobs explain` needs to know about a stored job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobFacts {
    /// Stored `dedup::MatchFeatures` as JSON.
    pub match_features: Option<String>,
    /// Blocking key.
    pub block_key: Option<String>,
    /// Normalized company key.
    pub company_key: Option<String>,
    /// Sources with a listing of this job.
    pub sources: Vec<String>,
    /// Merge reasons recorded on its listings.
    pub merge_reasons: Option<String>,
}
