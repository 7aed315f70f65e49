//! The [`RunWriter`] that stores: the foundation's [`Pipeline`] plus crawl-run bookkeeping.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::ops::expire::{ExpirePolicy, SourceRun};
use crate::ops::run::expire_after_source;
use crate::pipeline::{Origin, Outcome, Pipeline};
use crate::sources::SourceSpec;
use crate::store::{SourceRunLog, Store};

use super::{PushOutcome, RunWriter, ScrapeSummary, SourceStatus};

/// Guarded expiry after each source (see [`crate::ops::expire`]).
#[derive(Debug, Clone, Default)]
pub struct Expiry {
    /// `expire_after_runs` of sources that set it; the rest use the default.
    pub per_source: HashMap<String, u32>,
    /// The run saw only part of each site (`--max-pages`): guard only, expire nothing.
    pub partial: bool,
}

impl Expiry {
    /// The expiry settings of a run of `specs`.
    pub fn for_run(specs: &[SourceSpec], partial: bool) -> Self {
        Expiry {
            per_source: specs
                .iter()
                .filter_map(|s| Some((s.name().to_owned(), s.expire_after_runs?)))
                .collect(),
            partial,
        }
    }

    fn policy(&self, source: &str) -> ExpirePolicy {
        let mut p = ExpirePolicy::default();
        if let Some(n) = self.per_source.get(source) {
            p.expire_after_runs = *n;
        }
        p
    }
}

/// Longest time scraped records wait in an open transaction: a crawl is slow (politeness), so
/// committing this often costs nothing and a `kill -9` loses at most this much work.
pub const COMMIT_INTERVAL: Duration = Duration::from_secs(2);

/// Writes records through the pipeline into the store and records the run and its crawl log.
pub struct StoreWriter {
    pipeline: Pipeline,
    expiry: Option<Expiry>,
    last_commit: Instant,
}

impl std::fmt::Debug for StoreWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreWriter").finish_non_exhaustive()
    }
}

impl StoreWriter {
    /// Opens (and migrates) the database at `db`.
    pub fn open(db: &Path) -> anyhow::Result<Self> {
        Ok(StoreWriter::new(Pipeline::new(Store::open(db)?)?))
    }

    /// Wraps an existing pipeline.
    pub fn new(pipeline: Pipeline) -> Self {
        StoreWriter {
            pipeline,
            expiry: None,
            last_commit: Instant::now(),
        }
    }

    /// Runs guarded expiry after each source before its crawl-log row is written.
    pub fn with_expiry(mut self, expiry: Expiry) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The store (e.g. to export after the run).
    pub fn store(&self) -> &Store {
        self.pipeline.store()
    }
}

impl RunWriter for StoreWriter {
    type Output = ();

    fn into_output(self) -> anyhow::Result<()> {
        self.pipeline.into_store().map(drop)
    }

    fn begin(&mut self, trigger: &str) -> anyhow::Result<Option<i64>> {
        let id = self.pipeline.store().begin_run(trigger)?;
        self.pipeline.set_run(Some(id));
        Ok(Some(id))
    }

    fn push(&mut self, rec: crate::model::RawRecord) -> anyhow::Result<PushOutcome> {
        let origin = Origin::Page(rec.url.clone());
        let outcome = self.pipeline.push(rec, origin)?;
        if self.last_commit.elapsed() >= COMMIT_INTERVAL {
            self.pipeline.flush()?;
            self.last_commit = Instant::now();
        }
        Ok(match outcome {
            Outcome::New { .. } => PushOutcome::New,
            Outcome::Updated { .. } => PushOutcome::Updated,
            Outcome::Unchanged { .. } => PushOutcome::Unchanged,
            Outcome::Merged { .. } => PushOutcome::Merged,
            Outcome::Rejected { .. } => PushOutcome::Rejected,
        })
    }

    fn finish(&mut self, run_id: Option<i64>, summary: &mut ScrapeSummary) -> anyhow::Result<()> {
        self.pipeline.flush()?;
        let Some(run_id) = run_id else {
            return Ok(());
        };
        let store = self.pipeline.store();
        let today = chrono::Utc::now().date_naive();
        for o in &mut summary.sources {
            let mut items_expired = 0;
            let mut guard_note = None;
            if let Some(expiry) = &self.expiry {
                let run = SourceRun {
                    run_id,
                    source: &o.name,
                    status: o.status.as_str(),
                    found: o.found,
                };
                let adj = expire_after_source(
                    store.conn(),
                    run,
                    &expiry.policy(&o.name),
                    expiry.partial,
                    today,
                )?;
                items_expired = adj.expired;
                if adj.status == "suspect" {
                    // The reason goes where an operator looks first: the error column.
                    o.status = SourceStatus::Suspect;
                    o.error = adj.note;
                } else {
                    guard_note = adj.note;
                }
            }
            let warn_note = (o.warning_count > 0).then(|| {
                format!(
                    "{} warning(s); first: {}",
                    o.warning_count,
                    o.warnings.first().map(String::as_str).unwrap_or("")
                )
            });
            let note = match (guard_note, warn_note) {
                (Some(g), Some(w)) => Some(format!("{g}; {w}")),
                (g, w) => g.or(w),
            };
            store.record_source(
                run_id,
                &SourceRunLog {
                    source: o.name.clone(),
                    status: o.status.as_str().to_owned(),
                    started_at: o.started_at,
                    duration_ms: o.duration.as_millis() as u64,
                    pages_fetched: o.fetch.pages,
                    http_status: o.fetch.statuses.clone(),
                    retries: o.fetch.retries,
                    robots_denied: o.fetch.robots_denied,
                    blocked_pages: o.fetch.blocked,
                    items_found: o.found,
                    items_new: o.written.new,
                    items_updated: o.written.updated,
                    items_unchanged: o.written.unchanged,
                    items_merged: o.written.merged,
                    items_rejected: o.written.rejected,
                    items_expired,
                    error: o.error.clone(),
                    note,
                },
            )?;
        }
        store.finish_run(run_id, summary.status_word())?;
        Ok(())
    }
}
