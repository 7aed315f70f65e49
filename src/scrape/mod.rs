//! A scrape run: sources run concurrently, their records stream over one bounded channel to a
//! single blocking writer (the pipeline), and every source gets a crawl-log outcome.
//!
//! `cli/scrape.rs` and `demo` are thin wrappers around [`scrape`]; the run lock, signal
//! handling and expiry live around it (ops). Cancellation: set the [`Cancel`] flag in
//! [`ScrapeOptions::cancel`] — engines stop before their next page, records already sent are
//! written, and the summary says `interrupted`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::{mpsc, oneshot};

use crate::error::Exit;
use crate::fetch::{Fetcher, StatsSnapshot};
use crate::model::RawRecord;
use crate::sources::{
    Cancel, RecordSink, RunLimits, SourceCtx, SourceError, SourceSpec, run_source,
};

pub mod progress;
pub mod report;
pub mod store_writer;

pub use store_writer::StoreWriter;

/// Records buffered between the sources and the writer.
pub const RECORD_CHANNEL_CAPACITY: usize = 1024;

/// Final status of one source in one run (crawl-log vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    /// Crawled and produced records.
    Ok,
    /// Crawled fine but found no postings (layout change? empty board?).
    Empty,
    /// The site served challenge / failover / captcha pages.
    Blocked,
    /// The source failed (unreachable, malformed response, bad config…).
    Error,
    /// Stopped by Ctrl-C before it finished.
    Interrupted,
    /// Not run here (e.g. no Chromium for a browser source); not a failure.
    Skipped,
    /// Finished, but found far fewer postings than usual (ops expiry guard): nothing expired.
    Suspect,
}

impl SourceStatus {
    /// The crawl-log word.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceStatus::Ok => "ok",
            SourceStatus::Empty => "empty",
            SourceStatus::Blocked => "blocked",
            SourceStatus::Error => "error",
            SourceStatus::Interrupted => "interrupted",
            SourceStatus::Skipped => "skipped",
            SourceStatus::Suspect => "suspect",
        }
    }
}

/// What the writer did with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOutcome {
    /// A new canonical job.
    New,
    /// An existing listing changed.
    Updated,
    /// Seen before, nothing changed.
    Unchanged,
    /// Merged into an existing job from another listing.
    Merged,
    /// Invalid; stored in the rejects table.
    Rejected,
}

/// Per-source counts of what the writer did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WriteCounts {
    /// New jobs.
    pub new: u64,
    /// Updated listings.
    pub updated: u64,
    /// Unchanged listings.
    pub unchanged: u64,
    /// Merged into existing jobs.
    pub merged: u64,
    /// Rejected records.
    pub rejected: u64,
}

impl WriteCounts {
    fn add(&mut self, o: PushOutcome) {
        match o {
            PushOutcome::New => self.new += 1,
            PushOutcome::Updated => self.updated += 1,
            PushOutcome::Unchanged => self.unchanged += 1,
            PushOutcome::Merged => self.merged += 1,
            PushOutcome::Rejected => self.rejected += 1,
        }
    }
}

/// The single writer a run streams records into. It is created, used and finished on one
/// blocking thread (the pipeline holds a SQLite connection and is not `Send`); only its
/// [`RunWriter::Output`] comes back.
pub trait RunWriter {
    /// What the run hands back once the writer is done.
    type Output: Send + 'static;
    /// Starts the run; returns its id when runs are recorded.
    fn begin(&mut self, trigger: &str) -> anyhow::Result<Option<i64>>;
    /// Writes one record.
    fn push(&mut self, rec: RawRecord) -> anyhow::Result<PushOutcome>;
    /// Flushes, records one crawl-log row per source and closes the run. May downgrade a
    /// source's status (e.g. to `suspect` after the expiry guard).
    fn finish(&mut self, run_id: Option<i64>, summary: &mut ScrapeSummary) -> anyhow::Result<()>;
    /// The writer's result.
    fn into_output(self) -> anyhow::Result<Self::Output>;
}

/// A writer that stores nothing (`--dry-run`): every record counts as new; with `keep`, the
/// records are handed back.
#[derive(Debug, Default)]
pub struct DryRunWriter {
    /// Records seen (when `keep`).
    pub records: Vec<RawRecord>,
    /// Keep the records (else only count them).
    pub keep: bool,
}

impl RunWriter for DryRunWriter {
    type Output = Vec<RawRecord>;
    fn begin(&mut self, _trigger: &str) -> anyhow::Result<Option<i64>> {
        Ok(None)
    }
    fn push(&mut self, rec: RawRecord) -> anyhow::Result<PushOutcome> {
        if self.keep {
            self.records.push(rec);
        }
        Ok(PushOutcome::New)
    }
    fn finish(&mut self, _run_id: Option<i64>, _summary: &mut ScrapeSummary) -> anyhow::Result<()> {
        Ok(())
    }
    fn into_output(self) -> anyhow::Result<Vec<RawRecord>> {
        Ok(self.records)
    }
}

/// Options of one run.
#[derive(Debug, Clone, Default)]
pub struct ScrapeOptions {
    /// Why the run happens (`cli`, `daemon`, `demo`), stored with the run.
    pub trigger: String,
    /// `--max-pages`.
    pub max_pages: Option<u32>,
    /// Show progress bars (a terminal); else plain log lines.
    pub progress: bool,
    /// Ctrl-C flag.
    pub cancel: Cancel,
}

/// The outcome of one source in one run (one crawl-log row).
#[derive(Debug, Clone, Serialize)]
pub struct SourceOutcome {
    /// Source name.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// Final status.
    pub status: SourceStatus,
    /// Fetch counters (pages, statuses, retries, robots denials, blocked pages).
    pub fetch: StatsSnapshot,
    /// Records the source produced.
    pub found: u64,
    /// What the writer did with them.
    pub written: WriteCounts,
    /// Why the source failed, or why it looks broken.
    pub error: Option<String>,
    /// Problems that did not stop the source (first few).
    pub warnings: Vec<String>,
    /// Number of warnings.
    pub warning_count: usize,
    /// When the source started.
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// Wall time.
    #[serde(serialize_with = "ser_secs")]
    pub duration: Duration,
}

fn ser_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0).round() / 1000.0)
}

impl SourceOutcome {
    /// An outcome for a source that could not even start (bad config).
    pub fn failed(name: &str, kind: &str, error: String) -> Self {
        SourceOutcome {
            name: name.to_owned(),
            kind: kind.to_owned(),
            status: SourceStatus::Error,
            fetch: StatsSnapshot::default(),
            found: 0,
            written: WriteCounts::default(),
            error: Some(error),
            warnings: Vec::new(),
            warning_count: 0,
            started_at: chrono::Utc::now(),
            duration: Duration::ZERO,
        }
    }
}

/// The outcome of a run.
#[derive(Debug, Clone, Serialize)]
pub struct ScrapeSummary {
    /// Run id in the store (`None` for dry runs).
    pub run_id: Option<i64>,
    /// One outcome per source, in name order.
    pub sources: Vec<SourceOutcome>,
    /// Ctrl-C stopped the run.
    pub interrupted: bool,
    /// Wall time.
    #[serde(serialize_with = "ser_secs")]
    pub duration: Duration,
}

impl ScrapeSummary {
    /// Exit code: 130 when interrupted, 2 when any source is not `ok`, else 0.
    pub fn exit(&self) -> Exit {
        if self.interrupted {
            Exit::Interrupted
        } else if self.sources.iter().any(|s| {
            matches!(
                s.status,
                SourceStatus::Empty
                    | SourceStatus::Blocked
                    | SourceStatus::Error
                    | SourceStatus::Suspect
            )
        }) {
            Exit::Partial
        } else {
            Exit::Success
        }
    }

    /// The run status word: `ok`, `partial` (some sources not ok, at least one ok or suspect),
    /// `failed` (nothing worked) or `interrupted`.
    pub fn status_word(&self) -> &'static str {
        if self.interrupted {
            "interrupted"
        } else if self
            .sources
            .iter()
            .all(|s| matches!(s.status, SourceStatus::Ok | SourceStatus::Skipped))
        {
            "ok"
        } else if self
            .sources
            .iter()
            .any(|s| matches!(s.status, SourceStatus::Ok | SourceStatus::Suspect))
        {
            // A suspect source fetched fine (it found too few jobs to trust): not a failure.
            "partial"
        } else {
            "failed"
        }
    }

    /// Records found over all sources.
    pub fn total_found(&self) -> u64 {
        self.sources.iter().map(|s| s.found).sum()
    }

    /// Write counts over all sources.
    pub fn total_written(&self) -> WriteCounts {
        let mut t = WriteCounts::default();
        for s in &self.sources {
            t.new += s.written.new;
            t.updated += s.written.updated;
            t.unchanged += s.written.unchanged;
            t.merged += s.written.merged;
            t.rejected += s.written.rejected;
        }
        t
    }
}

/// Runs `specs` concurrently into the writer `make_writer` creates (on the writer thread).
/// `failed` are sources that could not be compiled: they get an `error` row without running.
/// One failing source never fails the run; errors here are the writer's (the store's).
pub async fn scrape<W, F>(
    fetcher: Fetcher,
    specs: Vec<SourceSpec>,
    failed: Vec<SourceOutcome>,
    make_writer: F,
    opts: ScrapeOptions,
) -> anyhow::Result<(ScrapeSummary, W::Output)>
where
    W: RunWriter,
    F: FnOnce() -> anyhow::Result<W> + Send + 'static,
{
    let started = Instant::now();
    // One Chromium for the whole run (started only if a browser source renders a page).
    #[cfg(feature = "browser")]
    let _browser = crate::sources::browser::run_scope();
    let (tx, rx) = mpsc::channel::<RawRecord>(RECORD_CHANNEL_CAPACITY);
    let (run_id_tx, run_id_rx) = oneshot::channel::<Option<i64>>();
    let (counts_tx, counts_rx) = oneshot::channel::<Counts>();
    let (summary_tx, summary_rx) = oneshot::channel::<ScrapeSummary>();
    let trigger = opts.trigger.clone();
    let writer_task = tokio::task::spawn_blocking(move || {
        writer_thread(make_writer, &trigger, rx, run_id_tx, counts_tx, summary_rx)
    });
    let Ok(run_id) = run_id_rx.await else {
        return Err(writer_error(writer_task).await);
    };

    let bars = progress::Progress::new(opts.progress, &specs);
    let mut tasks = tokio::task::JoinSet::new();
    for spec in specs {
        let spec = Arc::new(spec);
        let ctx = SourceCtx::new(
            &spec,
            fetcher.clone(),
            RunLimits {
                max_pages: opts.max_pages,
                ..Default::default()
            },
            opts.cancel.clone(),
        );
        let tx = tx.clone();
        let bar = bars.for_source(spec.name());
        tasks.spawn(async move { run_one(spec, ctx, tx, bar).await });
    }
    drop(tx);
    let mut outcomes = failed;
    while let Some(res) = tasks.join_next().await {
        match res {
            Ok(o) => outcomes.push(o),
            Err(e) => anyhow::bail!("a source task panicked: {e}"),
        }
    }
    bars.finish();
    let Ok(counts) = counts_rx.await else {
        return Err(writer_error(writer_task).await);
    };
    for o in &mut outcomes {
        if let Some(c) = counts.get(&o.name) {
            o.written = *c;
        }
    }
    outcomes.sort_by(|a, b| a.name.cmp(&b.name));
    let summary = ScrapeSummary {
        run_id,
        sources: outcomes,
        interrupted: opts.cancel.is_cancelled(),
        duration: started.elapsed(),
    };
    if summary_tx.send(summary).is_err() {
        return Err(writer_error(writer_task).await);
    }
    writer_task
        .await
        .map_err(|e| anyhow::anyhow!("writer task panicked: {e}"))?
}

/// [`scrape`] into the database at `db` (through the pipeline, recording the run and its
/// crawl log), or a dry run storing nothing when `db` is `None`.
pub async fn scrape_db(
    db: Option<std::path::PathBuf>,
    fetcher: Fetcher,
    specs: Vec<SourceSpec>,
    failed: Vec<SourceOutcome>,
    opts: ScrapeOptions,
) -> anyhow::Result<ScrapeSummary> {
    Ok(match db {
        Some(db) => {
            let expiry = store_writer::Expiry::for_run(&specs, opts.max_pages.is_some());
            let make = move || Ok(StoreWriter::open(&db)?.with_expiry(expiry));
            scrape(fetcher, specs, failed, make, opts).await?.0
        }
        None => {
            scrape(fetcher, specs, failed, || Ok(DryRunWriter::default()), opts)
                .await?
                .0
        }
    })
}

type Counts = HashMap<String, WriteCounts>;

/// The writer thread: begin, write every record, report counts, finish with the summary.
fn writer_thread<W, F>(
    make_writer: F,
    trigger: &str,
    mut rx: mpsc::Receiver<RawRecord>,
    run_id_tx: oneshot::Sender<Option<i64>>,
    counts_tx: oneshot::Sender<Counts>,
    summary_rx: oneshot::Receiver<ScrapeSummary>,
) -> anyhow::Result<(ScrapeSummary, W::Output)>
where
    W: RunWriter,
    F: FnOnce() -> anyhow::Result<W>,
{
    let mut writer = make_writer()?;
    let run_id = writer.begin(trigger)?;
    let _ = run_id_tx.send(run_id);
    let mut counts: Counts = HashMap::new();
    while let Some(rec) = rx.blocking_recv() {
        let source = rec.source.clone();
        let outcome = writer.push(rec)?;
        counts.entry(source).or_default().add(outcome);
    }
    let _ = counts_tx.send(counts);
    let mut summary = summary_rx
        .blocking_recv()
        .map_err(|_| anyhow::anyhow!("the run ended without a summary"))?;
    writer.finish(run_id, &mut summary)?;
    Ok((summary, writer.into_output()?))
}

/// The error that stopped the writer thread.
async fn writer_error<T>(task: tokio::task::JoinHandle<anyhow::Result<T>>) -> anyhow::Error {
    match task.await {
        Ok(Err(e)) => e.context("the record writer failed"),
        Ok(Ok(_)) => anyhow::anyhow!("the record writer stopped early"),
        Err(e) => anyhow::anyhow!("writer task panicked: {e}"),
    }
}

/// Runs one source outside a scrape run and returns its records (`sources test`).
pub async fn run_single(
    fetcher: Fetcher,
    spec: SourceSpec,
    limits: RunLimits,
) -> anyhow::Result<(Vec<RawRecord>, SourceOutcome)> {
    let ctx = SourceCtx::new(&spec, fetcher, limits, Cancel::new());
    let (tx, mut rx) = mpsc::channel::<RawRecord>(RECORD_CHANNEL_CAPACITY);
    let collect = tokio::spawn(async move {
        let mut v = Vec::new();
        while let Some(r) = rx.recv().await {
            v.push(r);
        }
        v
    });
    let outcome = run_one(Arc::new(spec), ctx, tx, progress::SourceBar::hidden()).await;
    let records = collect.await?;
    Ok((records, outcome))
}

async fn run_one(
    spec: Arc<SourceSpec>,
    ctx: SourceCtx,
    tx: mpsc::Sender<RawRecord>,
    bar: progress::SourceBar,
) -> SourceOutcome {
    let started = Instant::now();
    let started_at = chrono::Utc::now();
    let p = ctx.politeness();
    tracing::info!(
        source = %spec.name(),
        kind = spec.kind,
        delay_ms = p.delay.as_millis() as u64,
        per_host = p.max_concurrency,
        robots = p.respect_robots,
        retries = p.retries,
        "source started"
    );
    let mut sink = RecordSink::new(&spec, tx, ctx.limits.max_items);
    let found_counter = sink.found_counter();
    let result = {
        let run = run_source(&ctx, &spec, &mut sink);
        tokio::pin!(run);
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        loop {
            tokio::select! {
                r = &mut run => break r,
                _ = tick.tick() => bar.update(&ctx.stats.snapshot(), found_counter.load(std::sync::atomic::Ordering::Relaxed)),
            }
        }
    };
    let fetch = ctx.stats.snapshot();
    let found = sink.found() as u64;
    let (warnings, warning_count) = ctx.warnings();
    let (mut status, mut error) =
        classify(&result, &fetch, found, ctx.cancel.is_cancelled(), &warnings);
    if status == SourceStatus::Empty && ctx.is_confirmed_empty() {
        (status, error) = (SourceStatus::Ok, None);
    }
    let duration = started.elapsed();
    bar.done(status, found);
    tracing::info!(
        source = %spec.name(),
        status = status.as_str(),
        pages = fetch.pages,
        found,
        retries = fetch.retries,
        robots_denied = fetch.robots_denied,
        blocked = fetch.blocked,
        warnings = warning_count,
        secs = duration.as_secs_f64(),
        error = error.as_deref().unwrap_or(""),
        "source finished"
    );
    SourceOutcome {
        name: spec.name().to_owned(),
        kind: spec.kind.to_owned(),
        status,
        fetch,
        found,
        written: WriteCounts::default(),
        error,
        warnings,
        warning_count,
        started_at,
        duration,
    }
}

/// The crawl-log status of a finished source.
pub fn classify(
    result: &Result<(), SourceError>,
    fetch: &StatsSnapshot,
    found: u64,
    cancelled: bool,
    warnings: &[String],
) -> (SourceStatus, Option<String>) {
    match result {
        Err(SourceError::Cancelled) => (SourceStatus::Interrupted, None),
        Err(_) if cancelled => (SourceStatus::Interrupted, None),
        Err(e) if e.is_blocked() => (SourceStatus::Blocked, Some(e.to_string())),
        Err(e) => (SourceStatus::Error, Some(e.to_string())),
        Ok(()) if cancelled => (SourceStatus::Interrupted, None),
        Ok(()) if found == 0 && fetch.blocked > 0 => (
            SourceStatus::Blocked,
            Some(format!("{} blocked page(s) and no postings", fetch.blocked)),
        ),
        Ok(()) if found == 0 => (
            SourceStatus::Empty,
            Some(
                warnings
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "no postings found".into()),
            ),
        ),
        Ok(()) => (SourceStatus::Ok, None),
    }
}

/// Selects the sources of a run: the named ones (even if disabled), else every enabled one.
/// Unknown names are an error listing the known ones.
pub fn select<'a>(all: &'a [SourceSpec], names: &[String]) -> Result<Vec<&'a SourceSpec>, String> {
    if names.is_empty() {
        return Ok(all.iter().filter(|s| s.enabled).collect());
    }
    names
        .iter()
        .map(|n| {
            all.iter().find(|s| s.name() == n).ok_or_else(|| {
                format!(
                    "no source named {n:?}; known: {}",
                    all.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
                )
            })
        })
        .collect()
}
