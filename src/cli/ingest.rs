//! `aeroscrap ingest [FILE|-]`: read raw records (ARCHITECTURE §2) into the database.
//!
//! Input is streamed record by record — JSONL line by line, a JSON array element by element,
//! CSV row by row — so memory does not grow with the file. Anything that cannot be stored goes
//! to the rejects table with its line (or element) number and the reason, and is listed in the
//! summary; the exit code is 2 when anything was rejected.
//!
//! Two threads share the work: a reader parses and normalizes records ([`prepare`]) and hands
//! them in order, in small batches over a bounded channel, to the single writer, which
//! deduplicates and stores them. Order is kept, so results do not depend on thread timing.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::{Map, Value};

use super::GlobalArgs;
use crate::error::{CliError, CmdResult, Exit};
use crate::model::RawRecord;
use crate::normalize::Normalizer;
use crate::pipeline::{LookaheadSource, Origin, Outcome, Pipeline, Ready, prepare};
use crate::store::Store;
use crate::store::lookahead::look_ahead;

/// Rejects listed one by one in the summary; the rest are counted.
pub const MAX_LISTED_REJECTS: usize = 20;
/// Records the reader hands to the writer at a time (one channel message).
const HANDOFF_RECORDS: usize = 256;
/// Hand-offs queued between reader and writer: bounds memory when the writer is slower.
const HANDOFF_QUEUE: usize = 8;
/// How far the reader thread defers to the writer when they compete for a core
/// ([`crate::pipeline::defer_to_writer`]).
const READER_NICE: i32 = 2;

/// Raw-record keys whose value must be a string; numbers and booleans are accepted and converted
/// (many sites give numeric ids).
const STRING_FIELDS: &[&str] = &[
    "source",
    "url",
    "title",
    "company",
    "location",
    "description",
    "posted_date",
    "scraped_at",
    "employment_type",
    "salary",
    "external_id",
    "apply_url",
    "closing_date",
    "department",
];

/// Input format of `ingest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects.
    Json,
    /// CSV with the raw-record field names as header.
    Csv,
}

impl InputFormat {
    /// The format a file name implies: `.json` → JSON array, `.csv` → CSV, else JSONL.
    pub fn from_path(path: &Path) -> InputFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => InputFormat::Json,
            Some("csv") => InputFormat::Csv,
            _ => InputFormat::Jsonl,
        }
    }
}

/// Arguments of `aeroscrap ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Input file, or `-` for standard input.
    #[arg(default_value = "-")]
    pub file: PathBuf,
    /// Input format (default: from the file extension, else JSONL).
    #[arg(long, value_enum)]
    pub format: Option<InputFormat>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// One rejected input record, as listed in the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectNote {
    /// Line number (JSONL, CSV) or element number (JSON array), 1-based.
    pub line: u64,
    /// Why it was rejected.
    pub reason: String,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestSummary {
    /// Input name (file path or `-`).
    pub input: String,
    /// Records read (valid or not; blank lines are not records).
    pub read: u64,
    /// Records that created a new job.
    pub new_jobs: u64,
    /// Known listings whose content changed.
    pub updated: u64,
    /// Known listings seen again unchanged.
    pub unchanged: u64,
    /// New listings merged into an existing job.
    pub merged: u64,
    /// Records rejected (stored in the rejects table).
    pub rejected: u64,
    /// The first [`MAX_LISTED_REJECTS`] rejects.
    pub rejects: Vec<RejectNote>,
    /// Rejects not listed in `rejects`.
    pub rejects_not_listed: u64,
    /// Stopped by a signal (Ctrl-C, SIGTERM) before the end of the input: every record read
    /// until then is stored.
    pub interrupted: bool,
}

impl IngestSummary {
    fn count(&mut self, line: u64, outcome: &Outcome) {
        self.read += 1;
        match outcome {
            Outcome::New { .. } => self.new_jobs += 1,
            Outcome::Updated { .. } => self.updated += 1,
            Outcome::Unchanged { .. } => self.unchanged += 1,
            Outcome::Merged { .. } => self.merged += 1,
            Outcome::Rejected { reason } => self.note_reject(line, reason),
        }
    }

    fn note_reject(&mut self, line: u64, reason: &str) {
        self.rejected += 1;
        if self.rejects.len() < MAX_LISTED_REJECTS {
            self.rejects.push(RejectNote {
                line,
                reason: reason.to_string(),
            });
        } else {
            self.rejects_not_listed += 1;
        }
    }

    /// The summary as human-readable lines.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "ingested {}\n  read       {:>8}\n  new jobs   {:>8}\n  updated    {:>8}\n  \
             unchanged  {:>8}\n  merged     {:>8}\n  rejected   {:>8}\n",
            self.input,
            self.read,
            self.new_jobs,
            self.updated,
            self.unchanged,
            self.merged,
            self.rejected
        );
        for r in &self.rejects {
            s.push_str(&format!("  rejected line {}: {}\n", r.line, r.reason));
        }
        if self.rejects_not_listed > 0 {
            s.push_str(&format!(
                "  … and {} more rejects (see the rejects table)\n",
                self.rejects_not_listed
            ));
        }
        if self.interrupted {
            s.push_str(
                "  interrupted: the rest of the input was not read (ingesting it again \
                 stores only what is missing)\n",
            );
        }
        s
    }
}

/// Runs `aeroscrap ingest`.
pub fn run(g: &GlobalArgs, a: IngestArgs) -> CmdResult {
    let stdin = a.file.as_os_str() == "-";
    let format = a.format.unwrap_or_else(|| {
        if stdin {
            InputFormat::Jsonl
        } else {
            InputFormat::from_path(&a.file)
        }
    });
    let input: Box<dyn Read + Send> = if stdin {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(&a.file).map_err(|e| {
            CliError::config(anyhow::anyhow!(
                "cannot open input file {}: {e}",
                a.file.display()
            ))
        })?)
    };
    let name = a.file.display().to_string();
    let store = Store::open(&g.db)?;
    let mut pipeline = Pipeline::new(store)?;
    // The first Ctrl-C (or SIGTERM) stops reading; what was read is stored and committed. A
    // second Ctrl-C exits at once (the open batch is then rolled back).
    let signals = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("starting the signal handler")?;
    let stop = Arc::new(AtomicBool::new(false));
    let _shutdown = {
        let _entered = signals.enter();
        let stop = stop.clone();
        crate::ops::run::cancel_on_signal(
            "stopping: reading no further, storing every record read so far",
            move || stop.store(true, Ordering::Relaxed),
        )
        .context("installing the signal handlers")?
    };
    let options = IngestOptions {
        stop: Some(stop),
        ..IngestOptions::default()
    };
    let summary = ingest_reader_with(&mut pipeline, input, format, &name, &options)?;
    pipeline.into_store()?;
    tracing::info!(
        input = %summary.input,
        read = summary.read,
        new = summary.new_jobs,
        updated = summary.updated,
        unchanged = summary.unchanged,
        merged = summary.merged,
        rejected = summary.rejected,
        "ingest finished"
    );
    if a.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{}", summary.to_text());
    }
    Ok(if summary.interrupted {
        Exit::Interrupted
    } else if summary.rejected > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// When the reader thread looks records up ahead of the writer ([`crate::store::lookahead`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lookahead {
    /// While the writer is behind (records are queued for it): the reader takes on its lookups
    /// only when the writer is the slower side.
    #[default]
    WhenWriterIsBehind,
    /// For every record (tests).
    Always,
    /// Never: the writer looks everything up itself.
    Never,
}

/// How [`ingest_reader_with`] runs.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// When records are looked up ahead of the writer.
    pub lookahead: Lookahead,
    /// Set to stop reading: the records read so far are stored and the summary says
    /// `interrupted` (checked before each record, so a reader blocked on its input stops at the
    /// next record or the end of the input).
    pub stop: Option<Arc<AtomicBool>>,
}

/// Streams every record of `input` in `format` through `pipeline` (which is flushed at the end).
/// `name` names the input in reject rows (`name:line`). Records are read, normalized and, while
/// the writer is behind, looked up ahead of it on a second thread while this one stores them.
pub fn ingest_reader(
    pipeline: &mut Pipeline,
    input: impl Read + Send,
    format: InputFormat,
    name: &str,
) -> anyhow::Result<IngestSummary> {
    ingest_reader_with(pipeline, input, format, name, &IngestOptions::default())
}

/// [`ingest_reader`] with [`IngestOptions`].
pub fn ingest_reader_with(
    pipeline: &mut Pipeline,
    input: impl Read + Send,
    format: InputFormat,
    name: &str,
    options: &IngestOptions,
) -> anyhow::Result<IngestSummary> {
    let lookahead = options.lookahead;
    let stop = options.stop.as_deref();
    pipeline.set_input_name(Some(name.to_string()));
    let mut summary = IngestSummary {
        input: name.to_string(),
        ..Default::default()
    };
    let normalizer = pipeline.normalizer().clone();
    let ahead = match lookahead {
        Lookahead::Never => None,
        _ => pipeline.lookahead_source(),
    };
    let always = lookahead == Lookahead::Always;
    let (tx, rx) = mpsc::sync_channel::<Vec<(u64, Ready)>>(HANDOFF_QUEUE);
    // Stored records go back to the reader to be freed where they were allocated.
    let (done_tx, done_rx) = mpsc::channel::<Vec<(u64, Ready)>>();
    let queued = Arc::new(AtomicUsize::new(0));
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let handoff = Handoff {
                tx,
                done: done_rx,
                queued: queued.clone(),
                always,
            };
            read_input(&normalizer, ahead, input, format, name, handoff, stop)
        });
        let stored = store_all(pipeline, &mut summary, rx, done_tx, &queued);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the input reader panicked")));
        // A stop is not a failure: every record read was handed over and stored.
        let read = match read {
            Err(err) if err.is::<Stopped>() => {
                summary.interrupted = true;
                Ok(())
            }
            other => other,
        };
        // A failed writer stops the reader (its channel closes): the writer's error is the cause.
        stored.and(read)
    })?;
    pipeline.flush()?;
    let counts = pipeline.lookahead_counts();
    tracing::debug!(
        listings_ahead = counts.listings_ahead,
        listings_self = counts.listings_self,
        probes_ahead = counts.probes_ahead,
        probes_self = counts.probes_self,
        "lookups done ahead of the writer"
    );
    Ok(summary)
}

/// The writer's side: stores every handed-off record in order.
fn store_all(
    pipeline: &mut Pipeline,
    summary: &mut IngestSummary,
    rx: mpsc::Receiver<Vec<(u64, Ready)>>,
    done: mpsc::Sender<Vec<(u64, Ready)>>,
    queued: &AtomicUsize,
) -> anyhow::Result<()> {
    for batch in rx {
        queued.fetch_sub(1, Ordering::Relaxed);
        for (line, ready) in &batch {
            let outcome = pipeline.store_ready(ready, Origin::Line(*line))?;
            summary.count(*line, &outcome);
        }
        // A reader that already finished drops it here instead.
        let _ = done.send(batch);
    }
    Ok(())
}

/// The reader's ends of the channels to the writer: records to store, and records stored
/// (freed on the reader's thread, where they were allocated, and their vectors reused).
struct Handoff {
    tx: mpsc::SyncSender<Vec<(u64, Ready)>>,
    done: mpsc::Receiver<Vec<(u64, Ready)>>,
    /// Batches sent and not yet taken by the writer.
    queued: Arc<AtomicUsize>,
    /// Look up ahead whether the writer is behind or not.
    always: bool,
}

/// Batches queued for the writer from which the reader looks records up ahead: with none the
/// writer is waiting for records, so it has time to look them up itself, and the reader (then
/// the slower side, e.g. re-ingesting known listings) should not take on its work.
const LOOKAHEAD_QUEUE: usize = 1;

impl Handoff {
    /// Whether the writer is busy enough that looking up ahead of it pays.
    fn writer_is_behind(&self) -> bool {
        self.always || self.queued.load(Ordering::Relaxed) >= LOOKAHEAD_QUEUE
    }

    /// Sends `batch` and returns an empty vector for the next one (a stored batch's, cleared,
    /// when one came back).
    fn send(&self, batch: Vec<(u64, Ready)>) -> anyhow::Result<Vec<(u64, Ready)>> {
        self.queued.fetch_add(1, Ordering::Relaxed);
        self.tx
            .send(batch)
            .map_err(|_| anyhow::anyhow!("the writer stopped"))?;
        let mut next = None;
        while let Ok(mut stored) = self.done.try_recv() {
            stored.clear();
            next = Some(stored);
        }
        Ok(next.unwrap_or_else(|| Vec::with_capacity(HANDOFF_RECORDS)))
    }
}

/// One input record as read, before normalization.
enum Item {
    /// A raw record and, when it has one, its JSON text (stored verbatim).
    Record {
        line: u64,
        rec: Box<RawRecord>,
        text: Option<String>,
    },
    /// Input that is not a record.
    Bad {
        line: u64,
        raw: String,
        reason: String,
    },
}

/// Computes lookaheads for handed-off records on a connection of its own
/// ([`crate::store::lookahead`]).
struct LookingAhead {
    store: Store,
    commits: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl LookingAhead {
    /// `None` (the writer then looks everything up itself) when the database cannot be opened
    /// a second time.
    fn open(source: Option<LookaheadSource>) -> Option<LookingAhead> {
        let source = source?;
        match Store::open_unmigrated(&source.path) {
            Ok(store) => Some(LookingAhead {
                store,
                commits: source.commits,
            }),
            Err(err) => {
                tracing::debug!(error = %format!("{err:#}"), "no lookahead connection");
                None
            }
        }
    }

    /// Fills in the lookaheads of `batch`, all from one snapshot. A failed lookup leaves a
    /// record without one.
    fn fill(&self, batch: &mut [(u64, Ready)]) {
        // The count is read before the snapshot is taken, so the snapshot holds at least it.
        let commits = self.commits.load(std::sync::atomic::Ordering::Acquire);
        let conn = self.store.conn();
        if let Err(err) = conn.execute_batch("BEGIN") {
            tracing::debug!(error = %err, "lookahead snapshot not started");
            return;
        }
        for (_, ready) in batch.iter_mut() {
            if let Ready::Job(prep) = ready {
                match look_ahead(&self.store, prep, commits) {
                    Ok(found) => prep.lookahead = Some(found),
                    Err(err) => tracing::debug!(error = %format!("{err:#}"), "lookahead failed"),
                }
            }
        }
        if let Err(err) = conn.execute_batch("COMMIT") {
            tracing::debug!(error = %err, "lookahead snapshot not ended");
        }
    }
}

/// The reader stopped because a stop was asked for ([`IngestOptions::stop`]).
#[derive(Debug)]
struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped by a signal")
    }
}

impl std::error::Error for Stopped {}

/// The reader's side: parses, normalizes and hands records to the writer in batches, with
/// their lookups done ahead when `ahead` allows. Returns [`Stopped`] (after handing over what
/// it read) when `stop` is set.
fn read_input(
    normalizer: &Normalizer,
    ahead: Option<LookaheadSource>,
    input: impl Read,
    format: InputFormat,
    name: &str,
    handoff: Handoff,
    stop: Option<&AtomicBool>,
) -> anyhow::Result<()> {
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    // The writer is the bottleneck; the reader runs ahead of it by a queue of records.
    crate::pipeline::defer_to_writer(READER_NICE);
    let ahead = LookingAhead::open(ahead);
    let fill = |batch: &mut Vec<(u64, Ready)>, handoff: &Handoff| {
        if let Some(ahead) = &ahead
            && handoff.writer_is_behind()
        {
            ahead.fill(batch);
        }
    };
    let mut batch: Vec<(u64, Ready)> = Vec::with_capacity(HANDOFF_RECORDS);
    let mut sink = |item: Item| -> anyhow::Result<()> {
        if stopped() {
            return Err(Stopped.into());
        }
        batch.push(match item {
            Item::Record { line, rec, text } => (line, prepare(normalizer, *rec, text)),
            Item::Bad { line, raw, reason } => (
                line,
                Ready::Invalid {
                    source: guess_source(&raw),
                    raw,
                    reason,
                },
            ),
        });
        if batch.len() >= HANDOFF_RECORDS {
            fill(&mut batch, &handoff);
            batch = handoff.send(std::mem::take(&mut batch))?;
        }
        Ok(())
    };
    let read = match format {
        InputFormat::Jsonl => read_jsonl(BufReader::new(input), name, &mut sink),
        InputFormat::Json => read_json_array(BufReader::new(input), &mut sink),
        InputFormat::Csv => read_csv(input, name, &mut sink),
    };
    // What was read is stored whatever ended the reading.
    if !batch.is_empty() {
        fill(&mut batch, &handoff);
        handoff.send(batch)?;
    }
    read?;
    match stopped() {
        // Asked to stop while the input ended: the run was still cut short by the user.
        true => Err(Stopped.into()),
        false => Ok(()),
    }
}

/// Where readers put what they read.
type Sink<'a> = dyn FnMut(Item) -> anyhow::Result<()> + 'a;

/// Parses one JSON object into a raw record; numbers and booleans in string fields are
/// accepted. The error is the reject reason.
pub fn parse_record(text: &str) -> Result<RawRecord, String> {
    match serde_json::from_str::<RawRecord>(text) {
        Ok(rec) => Ok(rec),
        Err(e) if e.is_data() => {
            let value: Value =
                serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
            record_from_value(value)
        }
        Err(e) => Err(format!("invalid JSON: {e}")),
    }
}

/// Converts a JSON value into a raw record (see [`parse_record`]).
pub fn record_from_value(value: Value) -> Result<RawRecord, String> {
    let Value::Object(mut map) = value else {
        return Err(format!(
            "expected a JSON object, found {}",
            json_kind(&value)
        ));
    };
    for key in STRING_FIELDS {
        if let Some(v) = map.get_mut(*key) {
            match v {
                Value::Number(n) => *v = Value::String(n.to_string()),
                Value::Bool(b) => *v = Value::String(b.to_string()),
                Value::Null | Value::String(_) => {}
                other => {
                    return Err(format!(
                        "field `{key}` must be a string, found {}",
                        json_kind(other)
                    ));
                }
            }
            if v.is_null() {
                map.remove(*key);
            }
        }
    }
    serde_json::from_value(Value::Object(map)).map_err(|e| format!("not a raw record: {e}"))
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The `source` of a record that could not be parsed, if it can be read at all.
fn guess_source(text: &str) -> Option<String> {
    let v: Value = serde_json::from_str(text).ok()?;
    v.get("source")?.as_str().map(str::to_string)
}

fn read_jsonl(mut input: impl BufRead, name: &str, sink: &mut Sink<'_>) -> anyhow::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| anyhow::anyhow!("reading {name} after line {line}: {e}"))?;
        if n == 0 {
            return Ok(());
        }
        line += 1;
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t,
            Err(e) => {
                let lossy = String::from_utf8_lossy(&buf).trim_end().to_string();
                sink(Item::Bad {
                    line,
                    raw: lossy,
                    reason: format!("not UTF-8: {e}"),
                })?;
                continue;
            }
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        sink(match parse_record(text) {
            Ok(rec) => Item::Record {
                line,
                rec: Box::new(rec),
                text: Some(text.to_string()),
            },
            Err(reason) => Item::Bad {
                line,
                raw: text.to_string(),
                reason,
            },
        })?;
    }
}

fn read_json_array(input: impl BufRead, sink: &mut Sink<'_>) -> anyhow::Result<()> {
    use serde::de::{Deserializer, SeqAccess, Visitor};

    struct ArrayVisitor<'a, 'b> {
        sink: &'a mut Sink<'b>,
        elements: &'a mut u64,
        failure: &'a mut Option<anyhow::Error>,
    }
    impl<'de> Visitor<'de> for ArrayVisitor<'_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON array of raw job records")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            // Each element is parsed alone, so memory holds one record at a time.
            while let Some(value) = seq.next_element::<Value>()? {
                *self.elements += 1;
                let line = *self.elements;
                let raw = value.to_string();
                let result = (self.sink)(match record_from_value(value) {
                    Ok(rec) => Item::Record {
                        line,
                        rec: Box::new(rec),
                        text: Some(raw),
                    },
                    Err(reason) => Item::Bad { line, raw, reason },
                });
                if let Err(e) = result {
                    *self.failure = Some(e);
                    return Err(serde::de::Error::custom("storing failed"));
                }
            }
            Ok(())
        }
    }

    let mut failure = None;
    let mut elements = 0u64;
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = (&mut de).deserialize_seq(ArrayVisitor {
        sink: &mut *sink,
        elements: &mut elements,
        failure: &mut failure,
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let result = result.and_then(|()| de.end());
    if let Err(e) = result {
        // A syntax error cannot be skipped over in a JSON array: everything after it is lost,
        // so it is recorded as one reject naming the element and position.
        let element = elements + 1;
        let reason = format!(
            "invalid JSON array at line {} column {} (element {element}); the rest of the \
             input was not read: {e}",
            e.line(),
            e.column()
        );
        sink(Item::Bad {
            line: element,
            raw: String::new(),
            reason,
        })?;
    }
    Ok(())
}

fn read_csv(input: impl Read, name: &str, sink: &mut Sink<'_>) -> anyhow::Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| anyhow::anyhow!("reading the CSV header of {name}: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut row = csv::StringRecord::new();
    let mut rows = 0u64;
    loop {
        match reader.read_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                rows += 1;
                let line = row.position().map(|p| p.line()).unwrap_or(0);
                let mut map = Map::new();
                for (key, cell) in headers.iter().zip(row.iter()) {
                    if !cell.is_empty() {
                        map.insert(key.clone(), Value::String(cell.to_string()));
                    }
                }
                sink(match record_from_value(Value::Object(map.clone())) {
                    Ok(rec) => Item::Record {
                        line,
                        rec: Box::new(rec),
                        text: None,
                    },
                    Err(reason) => Item::Bad {
                        line,
                        raw: Value::Object(map).to_string(),
                        reason,
                    },
                })?;
            }
            Err(e) => {
                rows += 1;
                let line = e.position().map(|p| p.line()).unwrap_or(rows + 1);
                let raw = row.iter().collect::<Vec<_>>().join(",");
                sink(Item::Bad {
                    line,
                    raw,
                    reason: format!("bad CSV row: {e}"),
                })?;
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    return Err(anyhow::anyhow!("reading {name}: {e}"));
                }
            }
        }
    }
}
