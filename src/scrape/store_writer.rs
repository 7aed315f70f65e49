//! The [`RunWriter`] that stores: the foundation's [`Pipeline`] plus crawl-run bookkeeping.

use std::path::Path;

use crate::pipeline::{Origin, Outcome, Pipeline};
use crate::store::{SourceRunLog, Store};

use super::{PushOutcome, RunWriter, ScrapeSummary};

/// Writes records through the pipeline into the store and records the run and its crawl log.
pub struct StoreWriter {
    pipeline: Pipeline,
}

impl std::fmt::Debug for StoreWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreWriter").finish_non_exhaustive()
    }
}

impl StoreWriter {
    /// Opens (and migrates) the database at `db`.
    pub fn open(db: &Path) -> anyhow::Result<Self> {
        Ok(StoreWriter {
            pipeline: Pipeline::new(Store::open(db)?)?,
        })
    }

    /// Wraps an existing pipeline.
    pub fn new(pipeline: Pipeline) -> Self {
        StoreWriter { pipeline }
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
        Ok(match self.pipeline.push(rec, origin)? {
            Outcome::New { .. } => PushOutcome::New,
            Outcome::Updated { .. } => PushOutcome::Updated,
            Outcome::Unchanged { .. } => PushOutcome::Unchanged,
            Outcome::Merged { .. } => PushOutcome::Merged,
            Outcome::Rejected { .. } => PushOutcome::Rejected,
        })
    }

    fn finish(&mut self, run_id: Option<i64>, summary: &ScrapeSummary) -> anyhow::Result<()> {
        self.pipeline.flush()?;
        let Some(run_id) = run_id else {
            return Ok(());
        };
        let store = self.pipeline.store();
        for o in &summary.sources {
            let note = (o.warning_count > 0).then(|| {
                format!(
                    "{} warning(s); first: {}",
                    o.warning_count,
                    o.warnings.first().map(String::as_str).unwrap_or("")
                )
            });
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
                    items_expired: 0,
                    error: o.error.clone(),
                    note,
                },
            )?;
        }
        store.finish_run(run_id, summary.status_word())?;
        Ok(())
    }
}
