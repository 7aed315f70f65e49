//! `aeroscrap jobs list|show|search|explain`.

use clap::Subcommand;

use super::GlobalArgs;
use crate::dedup::{self, MatchFeatures};
use crate::error::{CliError, CmdResult, Exit};
use crate::store::Store;
use crate::store::query::{JobFilter, JobRow};

/// Subcommands of `aeroscrap jobs`.
#[derive(Debug, Subcommand)]
pub enum JobsCmd {
    /// List jobs, newest first.
    List {
        /// At most N jobs.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Only these statuses (active, expired, filled).
        #[arg(long, value_delimiter = ',')]
        status: Vec<String>,
        /// Only jobs with a listing from these sources.
        #[arg(long, value_delimiter = ',')]
        source: Vec<String>,
        /// Only these ISO country codes.
        #[arg(long, value_delimiter = ',')]
        country: Vec<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Show one job with all its source listings.
    Show {
        /// Job id.
        id: i64,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over title, company, location and description.
    Search {
        /// FTS5 query.
        query: String,
        /// At most N jobs.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Say why two jobs are or are not the same job.
    Explain {
        /// First job id.
        a: i64,
        /// Second job id.
        b: i64,
    },
}

/// Runs `aeroscrap jobs …`.
pub fn run(g: &GlobalArgs, c: JobsCmd) -> CmdResult {
    let store = Store::open(&g.db)?;
    match c {
        JobsCmd::List {
            limit,
            status,
            source,
            country,
            json,
        } => {
            let filter = JobFilter {
                status,
                source,
                country,
                newest_first: true,
                limit: Some(limit),
                ..Default::default()
            };
            let mut jobs = Vec::new();
            store.for_each_job(&filter, |job| {
                jobs.push(job);
                Ok(())
            })?;
            print_jobs(&jobs, json)?;
        }
        JobsCmd::Show { id, json } => {
            let job = store.job(id)?.ok_or_else(|| no_such_job(id))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&job)?);
            } else {
                print!("{}", show_text(&job));
            }
        }
        JobsCmd::Search { query, limit, json } => {
            let jobs = store
                .search_jobs(&query, limit)
                .map_err(|e| CliError::config(e.context("bad FTS5 query (try quoting words)")))?;
            print_jobs(&jobs, json)?;
        }
        JobsCmd::Explain { a, b } => print!("{}", explain(&store, a, b)?),
    }
    Ok(Exit::Success)
}

fn no_such_job(id: i64) -> CliError {
    CliError::config(anyhow::anyhow!("no job with id {id}"))
}

fn print_jobs(jobs: &[JobRow], json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(jobs)?);
        return Ok(());
    }
    for job in jobs {
        println!("{}", one_line(job));
    }
    if jobs.is_empty() {
        eprintln!("no jobs");
    }
    Ok(())
}

/// `id  day  status  CC  title — company (location)  [n sources]`
fn one_line(job: &JobRow) -> String {
    let mut s = format!(
        "{:>7}  {}  {:<7}  {:<2}  {}",
        job.id,
        job.first_seen_at.get(..10).unwrap_or(&job.first_seen_at),
        job.status,
        job.country_code.as_deref().unwrap_or("--"),
        job.title
    );
    if let Some(c) = &job.company {
        s.push_str(&format!(" — {c}"));
    }
    if let Some(l) = &job.location {
        s.push_str(&format!(" ({l})"));
    }
    if job.sources.len() > 1 {
        s.push_str(&format!("  [{} sources]", job.sources.len()));
    }
    s
}

fn show_text(job: &JobRow) -> String {
    let mut s = String::new();
    let mut field = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            s.push_str(&format!("{k:<16}{v}\n"));
        }
    };
    field("id", Some(job.id.to_string()));
    field("title", Some(job.title.clone()));
    field("company", job.company.clone());
    field("location", job.location.clone());
    field("country_code", job.country_code.clone());
    field("operation_type", job.operation_type.clone());
    field("category", job.category.clone());
    field("senior", job.senior.map(|b| b.to_string()));
    field("aircraft_types", Some(job.aircraft_types.join(", ")));
    field("licences", Some(job.licences.join(", ")));
    field("employment_type", job.employment_type.clone());
    let salary = match (job.salary_min, job.salary_max) {
        (Some(lo), Some(hi)) if lo != hi => Some(format!("{lo}–{hi}")),
        (Some(v), _) | (None, Some(v)) => Some(v.to_string()),
        (None, None) => None,
    };
    field(
        "salary",
        salary.map(|v| {
            format!(
                "{v} {} per {}",
                job.salary_currency
                    .as_deref()
                    .unwrap_or("(currency unknown)"),
                job.salary_period.as_deref().unwrap_or("(period unknown)")
            )
        }),
    );
    field("posted_date", job.posted_date.clone());
    field("closing_date", job.closing_date.clone());
    field("status", Some(job.status.clone()));
    field("first_seen_at", Some(job.first_seen_at.clone()));
    field("last_seen_at", Some(job.last_seen_at.clone()));
    s.push_str(&format!("sources ({}):\n", job.sources.len()));
    for src in &job.sources {
        s.push_str(&format!(
            "  {}  {}{}  seen {} … {}\n",
            src.source,
            src.url,
            src.external_id
                .as_ref()
                .map(|e| format!("  id {e}"))
                .unwrap_or_default(),
            src.first_seen_at,
            src.last_seen_at
        ));
    }
    if let Some(d) = &job.description {
        s.push_str(&format!("\n{d}\n"));
    }
    s
}

/// The matcher's verdict on two stored jobs, with the facts it worked from.
fn explain(store: &Store, a: i64, b: i64) -> anyhow::Result<String> {
    let fa = store
        .job_match_features(a)?
        .ok_or_else(|| no_such_job(a).source)?;
    let fb = store
        .job_match_features(b)?
        .ok_or_else(|| no_such_job(b).source)?;
    let parse = |id: i64, json: &Option<String>| -> anyhow::Result<MatchFeatures> {
        let json = json
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("job {id} has no stored match features"))?;
        serde_json::from_str(json)
            .map_err(|e| anyhow::anyhow!("job {id}: stored match features unreadable: {e}"))
    };
    let ma = parse(a, &fa.match_features)?;
    let mb = parse(b, &fb.match_features)?;
    let verdict = dedup::compare(&ma, &mb);
    let mut s = format!(
        "job {a} vs job {b}: {}\nreason: {}\n\n",
        if verdict.same {
            "SAME job"
        } else {
            "different jobs"
        },
        verdict.reason
    );
    let shared: Vec<&String> = fa
        .sources
        .iter()
        .filter(|x| fb.sources.contains(x))
        .collect();
    s.push_str(&format!(
        "same block key:  {} ({:?} / {:?})\n",
        fa.block_key.is_some() && fa.block_key == fb.block_key,
        fa.block_key,
        fb.block_key
    ));
    s.push_str(&format!(
        "company keys:    {:?} / {:?}\n",
        fa.company_key, fb.company_key
    ));
    s.push_str(&format!(
        "sources:         {} / {}\n",
        fa.sources.join(","),
        fb.sources.join(",")
    ));
    if !shared.is_empty() {
        s.push_str(&format!(
            "shared sources:  {} (never fuzzy-merged: one site does not list a job twice)\n",
            shared
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if let Some(r) = &fa.merge_reasons {
        s.push_str(&format!("job {a} merges:    {r}\n"));
    }
    if let Some(r) = &fb.merge_reasons {
        s.push_str(&format!("job {b} merges:    {r}\n"));
    }
    s.push_str(&format!(
        "\nfeatures {a}: {}\nfeatures {b}: {}\n",
        serde_json::to_string(&ma)?,
        serde_json::to_string(&mb)?
    ));
    Ok(s)
}
