//! Raw records → normalizer → deduplicator → store, through one writer.
//!
//! [`Pipeline`] is that writer. It owns the [`Store`] and keeps a transaction open across
//! records, committing every [`BATCH_SIZE`] records: one fsync per batch instead of per record,
//! and a crash (even `kill -9`) loses at most the open batch and never leaves half a record,
//! because SQLite rolls an uncommitted transaction back on the next open. Concurrent sources feed
//! it through a bounded channel; it is `Send` (it can live on its own thread) but not `Sync`.

use anyhow::Context;
use serde::Serialize;

use crate::dedup::MatchFeatures;
use crate::model::{NormalizedJob, RawRecord};
use crate::normalize::Normalizer;
use crate::store::blocking::KeyRow;
use crate::store::upsert::WriteState;
use crate::store::{RejectRow, Store};

/// Records per transaction.
pub const BATCH_SIZE: usize = 5000;
/// Page cache of the writer's connection, KiB (bounds its memory; readers keep the default).
pub const WRITER_CACHE_KIB: u32 = 64 * 1024;
/// WAL pages (4 KiB) after which the writer checkpoints: 64 MiB.
pub const WRITER_CHECKPOINT_PAGES: u32 = 16 * 1024;

/// Where a record came from, for reject rows and error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Line (or CSV row / array element) number in the input, 1-based.
    Line(u64),
    /// The page URL a source scraped it from.
    Page(String),
}

/// What storing one record did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// A new canonical job.
    New {
        /// The job.
        job_id: i64,
    },
    /// A known listing whose content changed.
    Updated {
        /// The job.
        job_id: i64,
    },
    /// A known listing, unchanged (only last-seen moved).
    Unchanged {
        /// The job.
        job_id: i64,
    },
    /// A new listing the fuzzy matcher merged into an existing job.
    Merged {
        /// The job it joined.
        job_id: i64,
        /// The matcher's reason.
        reason: String,
    },
    /// Invalid: stored in the rejects table instead.
    Rejected {
        /// Why.
        reason: String,
    },
}

/// A record made ready for the writer: normalized, with its match features, content hash and
/// raw JSON. Computing it is pure CPU work, so callers may do it on another thread than the
/// writer's ([`prepare`]).
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The normalized listing (its `raw` is `Null`: see `raw_json`).
    pub job: NormalizedJob,
    /// What the fuzzy matcher compares.
    pub features: MatchFeatures,
    /// `features` as stored (JSON).
    pub features_json: String,
    /// The candidate-index rows a new job from this listing is filed under, whose keys are
    /// also what its fuzzy lookup probes ([`crate::store::blocking::key_rows`]).
    pub match_keys: Vec<KeyRow>,
    /// Content hash ([`crate::store::upsert::content_hash`]).
    pub hash: String,
    /// The raw record as stored: the input text verbatim when there was one.
    pub raw_json: String,
}

/// A record after [`prepare`]: ready to store, or to reject.
#[derive(Debug, Clone)]
pub enum Ready {
    /// A valid record.
    Job(Box<Prepared>),
    /// An invalid one, for the rejects table.
    Invalid {
        /// Its source, when it names one.
        source: Option<String>,
        /// The record as given.
        raw: String,
        /// Why it cannot be stored.
        reason: String,
    },
}

/// Normalizes `rec` and computes everything the writer needs. `raw_text` is the record's input
/// text (a JSONL line), stored verbatim; without it the record is serialized.
pub fn prepare(normalizer: &Normalizer, rec: RawRecord, raw_text: Option<String>) -> Ready {
    let source = Some(rec.source.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    // Without its input text a record is stored serialized (before the normalizer takes it).
    let raw = raw_text.unwrap_or_else(|| serde_json::to_string(&rec).unwrap_or_default());
    let normalized = normalizer.normalize(rec);
    match normalized {
        Ok(mut job) => {
            let features = MatchFeatures::from_job(&job);
            let features_json = serde_json::to_string(&features).unwrap_or_default();
            let hash = crate::store::upsert::content_hash(&job);
            let match_keys = crate::store::blocking::key_rows(&features, &job.source);
            // The writer stores `raw_json`; the parsed copy is freed here, off its thread.
            job.raw = serde_json::Value::Null;
            Ready::Job(Box::new(Prepared {
                job,
                features,
                features_json,
                match_keys,
                hash,
                raw_json: raw,
            }))
        }
        Err(reason) => Ready::Invalid {
            source,
            raw,
            reason: reason.to_string(),
        },
    }
}

/// The single writer: normalizes, deduplicates and stores records in batched transactions.
pub struct Pipeline {
    /// Always `Some` until [`Pipeline::into_store`] takes it.
    store: Option<Store>,
    normalizer: Normalizer,
    state: WriteState,
    run_id: Option<i64>,
    input_name: Option<String>,
    in_tx: bool,
    pending: usize,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("store", &self.store)
            .field("run_id", &self.run_id)
            .field("pending", &self.pending)
            .finish()
    }
}

impl Pipeline {
    /// A pipeline writing to `store`, normalizing with the company registry stored in it.
    pub fn new(store: Store) -> anyhow::Result<Pipeline> {
        let registry = crate::store::companies::load_registry(store.conn())
            .context("loading the company registry")?;
        // The writer touches index pages all over the database: a larger page cache keeps them,
        // and a longer WAL between checkpoints writes each hot page back once, not per batch.
        store
            .conn()
            .execute_batch(&format!(
                "PRAGMA cache_size = -{WRITER_CACHE_KIB}; \
                 PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES};"
            ))
            .context("configuring the writer's connection")?;
        Ok(Pipeline {
            store: Some(store),
            normalizer: Normalizer::new(registry),
            state: WriteState::default(),
            run_id: None,
            input_name: None,
            in_tx: false,
            pending: 0,
        })
    }

    /// Stamps listings seen (and rejects) from now on with crawl run `run_id`.
    pub fn set_run(&mut self, run_id: Option<i64>) {
        self.run_id = run_id;
    }

    /// Names the input file, so rejects of [`Origin::Line`] read `name:line`.
    pub fn set_input_name(&mut self, name: Option<String>) {
        self.input_name = name;
    }

    /// Normalizes and stores one record. Durable once the batch commits (every [`BATCH_SIZE`]
    /// records, on [`Pipeline::flush`] or [`Pipeline::into_store`]).
    pub fn push(&mut self, rec: RawRecord, origin: Origin) -> anyhow::Result<Outcome> {
        let ready = prepare(&self.normalizer, rec, None);
        self.push_ready(ready, origin)
    }

    /// The normalizer this pipeline uses, e.g. to [`prepare`] records on another thread.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Stores one [`prepare`]d record (or its reject). Durable as [`Pipeline::push`].
    pub fn push_ready(&mut self, ready: Ready, origin: Origin) -> anyhow::Result<Outcome> {
        self.begin()?;
        let outcome = match ready {
            Ready::Job(prep) => match self
                .store
                .as_ref()
                .expect("the store is only taken by into_store")
                .upsert_listing(&mut self.state, &prep, self.run_id)
            {
                Ok(outcome) => outcome,
                Err(err) => {
                    self.abort();
                    return Err(err.context(format!(
                        "storing record from {}; its uncommitted batch was rolled back",
                        self.origin_text(&origin)
                    )));
                }
            },
            Ready::Invalid {
                source,
                raw,
                reason,
            } => {
                self.write_reject(source.as_deref(), &raw, &origin, &reason)?;
                Outcome::Rejected { reason }
            }
        };
        self.done_one()?;
        Ok(outcome)
    }

    /// Stores input that is not even a record (bad JSON line, unreadable CSV row) as a reject.
    pub fn reject_raw(
        &mut self,
        source: Option<&str>,
        raw_text: &str,
        origin: Origin,
        reason: &str,
    ) -> anyhow::Result<()> {
        self.begin()?;
        self.write_reject(source, raw_text, &origin, reason)?;
        self.done_one()
    }

    /// Commits the open batch.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        if self.in_tx {
            let store = self
                .store
                .as_ref()
                .expect("the store is only taken by into_store");
            store.index_pending(&mut self.state)?;
            store
                .conn()
                .execute_batch("COMMIT")
                .context("committing a batch of records")?;
            self.in_tx = false;
            self.pending = 0;
        }
        Ok(())
    }

    /// The store (reads see the open batch).
    pub fn store(&self) -> &Store {
        self.store
            .as_ref()
            .expect("the store is only taken by into_store")
    }

    /// Flushes and hands the store back.
    pub fn into_store(mut self) -> anyhow::Result<Store> {
        self.flush()?;
        Ok(self.store.take().expect("the store is only taken here"))
    }

    fn begin(&mut self) -> anyhow::Result<()> {
        if !self.in_tx {
            // IMMEDIATE takes the write lock now, so a concurrent writer waits on busy_timeout
            // here rather than failing mid-batch.
            self.store()
                .conn()
                .execute_batch("BEGIN IMMEDIATE")
                .context("starting a write transaction (is another process writing?)")?;
            self.in_tx = true;
        }
        Ok(())
    }

    fn done_one(&mut self) -> anyhow::Result<()> {
        self.pending += 1;
        if self.pending >= BATCH_SIZE {
            self.flush()?;
        }
        Ok(())
    }

    fn abort(&mut self) {
        if self.in_tx {
            let _ = self.store().conn().execute_batch("ROLLBACK");
            self.state.reset();
            self.in_tx = false;
            self.pending = 0;
        }
    }

    fn origin_text(&self, origin: &Origin) -> String {
        match (origin, &self.input_name) {
            (Origin::Line(n), Some(name)) => format!("{name}:{n}"),
            (Origin::Line(n), None) => format!("line {n}"),
            (Origin::Page(url), _) => url.clone(),
        }
    }

    fn write_reject(
        &mut self,
        source: Option<&str>,
        raw: &str,
        origin: &Origin,
        reason: &str,
    ) -> anyhow::Result<()> {
        let row = RejectRow {
            run_id: self.run_id,
            source: source.map(str::to_string),
            origin: self.origin_text(origin),
            line: match origin {
                Origin::Line(n) => Some(*n),
                Origin::Page(_) => None,
            },
            reason: reason.to_string(),
            raw: raw.to_string(),
        };
        self.store().insert_reject(&row)
    }
}

impl Drop for Pipeline {
    /// Commits what was pushed, so an early return in a caller loses nothing. A failed record
    /// already rolled its batch back (see [`Pipeline::push`]).
    fn drop(&mut self) {
        if self.store.is_none() {
            return;
        }
        if let Err(err) = self.flush() {
            tracing::error!(error = %err, "could not commit the last batch of records");
        }
    }
}

#[cfg(test)]
mod tests {
    /// The writer is moved into its own thread by the scrape command, so it must be `Send`.
    #[test]
    fn pipeline_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<super::Pipeline>();
    }
}
