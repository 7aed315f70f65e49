//! Raw records → normalizer → deduplicator → store, through one writer.
//!
//! [`Pipeline`] is that writer. It owns the [`Store`] and keeps a transaction open across
//! records, committing every [`BATCH_SIZE`] records (fewer when the WAL is due to start over):
//! one fsync per batch instead of per record,
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
/// WAL pages (4 KiB) after which the writer checkpoints itself, 256 MiB: only a backstop for
/// when the [`Checkpointer`] falls behind (or could not start), which normally keeps the WAL to
/// about one batch.
pub const WRITER_CHECKPOINT_PAGES: u32 = 64 * 1024;

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
    /// Its lookups, done ahead of the writer when the caller could
    /// ([`crate::store::lookahead::look_ahead`]); the writer checks them against what it did
    /// since, or looks up itself.
    pub lookahead: Option<crate::store::lookahead::Lookahead>,
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
                lookahead: None,
            }))
        }
        Err(reason) => Ready::Invalid {
            source,
            raw,
            reason: reason.to_string(),
        },
    }
}

/// Lowers the calling thread's scheduling priority by `steps` (nice), so that when threads of
/// an ingest compete for the cores, the single writer — the one every record waits for — runs
/// first. Linux only (elsewhere a no-op); a refusal is ignored.
pub fn defer_to_writer(steps: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread (Linux applies a thread id's nice value
    // to that thread only).
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        *libc::__errno_location() = 0;
        let nice = libc::getpriority(libc::PRIO_PROCESS, tid);
        if *libc::__errno_location() == 0 {
            libc::setpriority(libc::PRIO_PROCESS, tid, (nice + steps).min(19));
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = steps;
}

/// How far the checkpoint thread defers to the writer ([`defer_to_writer`]): it copies pages
/// the writer has committed, and a lagging copy only lengthens the WAL.
pub const CHECKPOINT_NICE: i32 = 10;

/// Records a batch holds at least when it is cut short for the WAL to start over.
const MIN_CUT_BATCH: usize = 256;

/// WAL frames (4 KiB pages) after which a commit waits for the [`Checkpointer`] to catch up, so
/// the next transaction starts the WAL over instead of growing it: 64 MiB.
pub const WAL_RESTART_FRAMES: i64 = 16 * 1024;

/// How long a checkpoint that starts the WAL over waits for readers to leave it: the lookahead
/// reader holds a snapshot for one hand-off of lookups (milliseconds); a long read by another
/// process only makes the restart wait for a later commit.
const RESTART_READER_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// Copies committed WAL pages back into the database file on its own connection and thread
/// (`PRAGMA wal_checkpoint(PASSIVE)` after every commit), so the copy, most of a commit's cost,
/// runs while the writer works on the next batch. A PASSIVE checkpoint never blocks the writer
/// or readers.
///
/// SQLite starts the WAL over only when a write transaction begins after a checkpoint copied
/// everything while no reader still reads from the WAL, and the writer begins its next batch at
/// once while the lookahead reader is nearly always inside a snapshot; so once the WAL holds
/// [`WAL_RESTART_FRAMES`] the writer waits for a `RESTART` checkpoint of its last commit (about
/// one batch of pages, the rest is copied already), which also waits up to
/// [`RESTART_READER_WAIT`] for readers to leave the WAL. A plain checkpoint there left the WAL
/// growing and the writer waiting again at the next commits (measured: 3–4 waits per restart).
struct Checkpointer {
    wake: Option<std::sync::mpsc::SyncSender<Option<std::sync::mpsc::SyncSender<()>>>>,
    /// Frames in the WAL at the last checkpoint.
    wal_frames: std::sync::Arc<std::sync::atomic::AtomicI64>,
    /// [`WAL_RESTART_FRAMES`] (smaller in tests).
    restart_frames: i64,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread with its own connection to the database at `path`.
    fn start(path: &std::path::Path) -> anyhow::Result<Checkpointer> {
        let conn = Store::open_unmigrated(path)?;
        // Only a RESTART checkpoint waits on the busy handler (PASSIVE never does).
        conn.conn().busy_timeout(RESTART_READER_WAIT)?;
        let (wake, woken) =
            std::sync::mpsc::sync_channel::<Option<std::sync::mpsc::SyncSender<()>>>(1);
        let wal_frames = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
        let frames = wal_frames.clone();
        let thread = std::thread::Builder::new()
            .name("aeroscrap-checkpoint".into())
            .spawn(move || {
                defer_to_writer(CHECKPOINT_NICE);
                while let Ok(reply) = woken.recv() {
                    let restart = reply.is_some();
                    let sql = if restart {
                        "PRAGMA wal_checkpoint(RESTART)"
                    } else {
                        "PRAGMA wal_checkpoint(PASSIVE)"
                    };
                    let done = conn.conn().query_row(sql, [], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, i64>(2)?,
                        ))
                    });
                    match done {
                        Ok((busy, wal, copied)) => {
                            frames.store(wal, std::sync::atomic::Ordering::Relaxed);
                            tracing::trace!(busy, wal, copied, restart, "checkpointed the WAL");
                        }
                        // The writer's own autocheckpoint is the backstop.
                        Err(err) => tracing::warn!(error = %err, "background checkpoint failed"),
                    }
                    if let Some(reply) = reply {
                        let _ = reply.send(());
                    }
                }
            })
            .context("starting the checkpoint thread")?;
        Ok(Checkpointer {
            wake: Some(wake),
            wal_frames,
            restart_frames: WAL_RESTART_FRAMES,
            thread: Some(thread),
        })
    }

    /// Whether the WAL is due to start over: the next commit waits for its checkpoint.
    fn restart_due(&self) -> bool {
        self.wake.is_some()
            && self.wal_frames.load(std::sync::atomic::Ordering::Relaxed) >= self.restart_frames
    }

    /// Called after each commit: asks for a checkpoint (one asked for and not started yet covers
    /// this commit too), or waits for one when the WAL is due to start over.
    fn committed(&self) {
        let Some(wake) = &self.wake else {
            return;
        };
        if !self.restart_due() {
            let _ = wake.try_send(None);
            return;
        }
        let (reply, done) = std::sync::mpsc::sync_channel(1);
        if wake.send(Some(reply)).is_ok() {
            let _ = done.recv();
        }
        // The next transaction starts the WAL over; the next checkpoint reports its new size.
        self.wal_frames
            .store(0, std::sync::atomic::Ordering::Relaxed);
    }

    /// Lets the last requested checkpoint finish and stops the thread.
    fn stop(&mut self) {
        self.wake.take();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::warn!("the checkpoint thread panicked");
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop();
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
    /// `None` for an in-memory database, or when the thread could not start.
    checkpointer: Option<Checkpointer>,
    /// Batches committed, for lookaheads ([`Pipeline::lookahead_source`]).
    commits: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Records per transaction ([`BATCH_SIZE`] unless set).
    batch_size: usize,
    /// `PRAGMA data_version` when the last batch began.
    data_version: Option<i64>,
}

/// Where another thread can compute lookaheads for a [`Pipeline`]: the database, and the count
/// of batches the pipeline committed, read before each snapshot is taken.
#[derive(Debug, Clone)]
pub struct LookaheadSource {
    /// The database file.
    pub path: std::path::PathBuf,
    /// Batches committed so far.
    pub commits: std::sync::Arc<std::sync::atomic::AtomicU64>,
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
        // The writer touches index pages all over the database: a larger page cache keeps them.
        // Its own autocheckpoint is only the backstop of the checkpoint thread (see
        // WRITER_CHECKPOINT_PAGES).
        store
            .conn()
            .execute_batch(&format!(
                "PRAGMA cache_size = -{WRITER_CACHE_KIB}; \
                 PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES};"
            ))
            .context("configuring the writer's connection")?;
        let checkpointer = store
            .path()
            .and_then(|path| match Checkpointer::start(path) {
                Ok(c) => Some(c),
                Err(err) => {
                    tracing::warn!(error = %format!("{err:#}"), "the writer checkpoints itself");
                    None
                }
            });
        Ok(Pipeline {
            store: Some(store),
            normalizer: Normalizer::new(registry),
            state: WriteState::default(),
            run_id: None,
            input_name: None,
            in_tx: false,
            pending: 0,
            checkpointer,
            commits: Default::default(),
            batch_size: BATCH_SIZE,
            data_version: None,
        })
    }

    /// Sets the records per transaction (at least 1; [`BATCH_SIZE`] by default).
    pub fn set_batch_size(&mut self, records: usize) {
        self.batch_size = records.max(1);
    }

    /// How often the writer used lookaheads so far, and how often it looked up itself.
    pub fn lookahead_counts(&self) -> crate::store::lookahead::LookaheadCounts {
        self.state.lookahead_counts()
    }

    /// Where lookaheads for this pipeline can be computed; `None` for an in-memory database
    /// (no other connection can see it). From now on the writer logs its changes to check them
    /// against.
    pub fn lookahead_source(&mut self) -> Option<LookaheadSource> {
        let path = self.store().path()?.to_path_buf();
        // A commit by another connection from now on voids older lookaheads (see `begin`).
        if self.data_version.is_none() {
            self.data_version = self
                .store()
                .conn()
                .query_row("PRAGMA data_version", [], |r| r.get(0))
                .ok();
        }
        self.state.enable_lookaheads();
        Some(LookaheadSource {
            path,
            commits: self.commits.clone(),
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
        self.store_ready(&ready, origin)
    }

    /// The normalizer this pipeline uses, e.g. to [`prepare`] records on another thread.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// Stores one [`prepare`]d record (or its reject). Durable as [`Pipeline::push`]. The record
    /// is borrowed, so the caller can free it elsewhere (ingest hands it back to the thread
    /// that allocated it).
    pub fn store_ready(&mut self, ready: &Ready, origin: Origin) -> anyhow::Result<Outcome> {
        self.begin()?;
        let outcome = match ready {
            Ready::Job(prep) => match self
                .store
                .as_ref()
                .expect("the store is only taken by into_store")
                .upsert_listing(&mut self.state, prep, self.run_id)
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
                self.write_reject(source.as_deref(), raw, &origin, reason)?;
                Outcome::Rejected {
                    reason: reason.clone(),
                }
            }
        };
        self.done_one()?;
        Ok(outcome)
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
            self.state.committed();
            self.publish_commits();
            if let Some(c) = &self.checkpointer {
                c.committed();
            }
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
        if let Some(mut c) = self.checkpointer.take() {
            c.stop();
        }
        Ok(self.store.take().expect("the store is only taken here"))
    }

    fn begin(&mut self) -> anyhow::Result<()> {
        if !self.in_tx {
            // IMMEDIATE takes the write lock now, so a concurrent writer waits on busy_timeout
            // here rather than failing mid-batch.
            let conn = self.store().conn();
            conn.execute_batch("BEGIN IMMEDIATE")
                .context("starting a write transaction (is another process writing?)")?;
            // Another connection's commit since our last batch changes this: lookaheads from
            // before it cannot be checked against our log.
            let version: i64 = conn
                .query_row("PRAGMA data_version", [], |r| r.get(0))
                .context("reading the database's data version")?;
            if self
                .data_version
                .replace(version)
                .is_some_and(|v| v != version)
            {
                self.state.written_elsewhere();
                self.publish_commits();
            }
            self.in_tx = true;
        }
        Ok(())
    }

    /// Shares the commit count with lookahead threads (read before their snapshots).
    fn publish_commits(&self) {
        self.commits
            .store(self.state.commits(), std::sync::atomic::Ordering::Release);
    }

    fn done_one(&mut self) -> anyhow::Result<()> {
        self.pending += 1;
        // Once the WAL is due to start over, the batch is cut short: the commit then waits
        // for the checkpoint of a few hundred records rather than of a whole batch.
        let restart_due = || {
            self.checkpointer
                .as_ref()
                .is_some_and(Checkpointer::restart_due)
        };
        if self.pending >= self.batch_size || (self.pending >= MIN_CUT_BATCH && restart_due()) {
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
        if let Some(mut c) = self.checkpointer.take() {
            c.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: usize) -> RawRecord {
        RawRecord {
            source: "goose".into(),
            url: format!("https://goose.example/jobs/{i}"),
            title: format!("Licensed Engineer {i}"),
            company: Some("Goose".into()),
            description: Some("Maintain the fleet. ".repeat(40)),
            scraped_at: Some("2026-11-20T08:00:00Z".into()),
            ..Default::default()
        }
    }

    /// Pushes `batches` batches of 200 records (one commit each); returns the WAL's size after
    /// each commit.
    /// With `busy_reader`, another connection reads in snapshots of a few milliseconds back to
    /// back all along, as the lookahead reader does.
    fn wal_sizes(restart_frames: Option<i64>, batches: usize, busy_reader: bool) -> Vec<u64> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jobs.db");
        let mut p = Pipeline::new(Store::open(&path).unwrap()).unwrap();
        match restart_frames {
            Some(n) => p.checkpointer.as_mut().unwrap().restart_frames = n,
            None => p.checkpointer = None,
        }
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = busy_reader.then(|| {
            let (stop, reader) = (stop.clone(), Store::open_unmigrated(&path).unwrap());
            std::thread::spawn(move || {
                let mut snapshots = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let conn = reader.conn();
                    conn.execute_batch("BEGIN").unwrap();
                    let _: i64 = conn
                        .query_row("SELECT count(*) FROM job_sources", [], |r| r.get(0))
                        .unwrap();
                    std::thread::sleep(std::time::Duration::from_millis(3));
                    conn.execute_batch("COMMIT").unwrap();
                    snapshots += 1;
                }
                snapshots
            })
        });
        let wal = dir.path().join("jobs.db-wal");
        let mut sizes = Vec::new();
        for b in 0..batches {
            for i in 0..200 {
                let out = p.push(record(b * 200 + i), Origin::Line(1)).unwrap();
                assert!(matches!(out, Outcome::New { .. }), "{out:?}");
            }
            p.flush().unwrap();
            sizes.push(std::fs::metadata(&wal).unwrap().len());
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(reader) = reader {
            assert!(reader.join().unwrap() > 0);
        }
        let store = p.into_store().unwrap();
        let n: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM job_sources", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, (batches * 200) as i64);
        sizes
    }

    /// The checkpoint thread keeps the WAL short: once it holds the restart threshold, the next
    /// commit waits for the checkpoint and the WAL starts over (its file stops growing). Without
    /// the thread (and below the writer's own 256 MiB backstop) it grows with every batch.
    #[test]
    fn the_checkpoint_thread_lets_the_wal_start_over() {
        let kept = wal_sizes(Some(64), 12, false);
        let grown = wal_sizes(None, 12, false);
        assert!(
            grown.windows(2).all(|w| w[1] > w[0]),
            "without checkpoints the WAL grows: {grown:?}"
        );
        let batch = grown[0];
        assert!(
            *kept.last().unwrap() < 4 * batch,
            "the WAL should stay within a few batches ({batch} bytes each): {kept:?}"
        );
        assert!(*grown.last().unwrap() > 8 * batch, "{grown:?}");
    }

    /// A reader that is nearly always inside a snapshot (the lookahead reader) does not keep
    /// the WAL from starting over: the restart checkpoint waits for it to leave the WAL.
    #[test]
    fn the_wal_starts_over_under_a_busy_reader() {
        let grown = wal_sizes(None, 12, false);
        let kept = wal_sizes(Some(64), 12, true);
        let batch = grown[0];
        assert!(
            *kept.last().unwrap() < 4 * batch,
            "the WAL should stay within a few batches ({batch} bytes each): {kept:?}"
        );
    }

    /// Deferring lowers the calling thread's priority only, by the steps asked for.
    #[cfg(target_os = "linux")]
    #[test]
    fn deferring_to_the_writer_renices_the_calling_thread_only() {
        fn nice() -> i32 {
            // SAFETY: reads the calling thread's nice value.
            unsafe {
                let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
                libc::getpriority(libc::PRIO_PROCESS, tid)
            }
        }
        let before = nice();
        let (inside, after) = std::thread::spawn(move || {
            let start = nice();
            defer_to_writer(3);
            (start, nice())
        })
        .join()
        .unwrap();
        assert_eq!(after, (inside + 3).min(19));
        assert_eq!(nice(), before, "the caller's thread is untouched");
    }

    /// The writer is moved into its own thread by the scrape command, so it must be `Send`.
    #[test]
    fn pipeline_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<super::Pipeline>();
    }
}
