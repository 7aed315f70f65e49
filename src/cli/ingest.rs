//! `aeroscrap ingest [FILE|-]`: read raw records (ARCHITECTURE §2) into the database.
//!
//! Input is streamed record by record — JSONL line by line, a JSON array element by element,
//! CSV row by row — so memory does not grow with the file. Anything that cannot be stored goes
//! to the rejects table with its line (or element) number and the reason, and is listed in the
//! summary; the exit code is 2 when anything was rejected.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::{Map, Value};

use super::GlobalArgs;
use crate::error::{CliError, CmdResult, Exit};
use crate::model::RawRecord;
use crate::pipeline::{Origin, Outcome, Pipeline};
use crate::store::Store;

/// Rejects listed one by one in the summary; the rest are counted.
pub const MAX_LISTED_REJECTS: usize = 20;

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
    let input: Box<dyn Read> = if stdin {
        Box::new(io::stdin().lock())
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
    let summary = ingest_reader(&mut pipeline, input, format, &name)?;
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
    Ok(if summary.rejected > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// Streams every record of `input` in `format` through `pipeline` (which is flushed at the end).
/// `name` names the input in reject rows (`name:line`).
pub fn ingest_reader(
    pipeline: &mut Pipeline,
    input: impl Read,
    format: InputFormat,
    name: &str,
) -> anyhow::Result<IngestSummary> {
    pipeline.set_input_name(Some(name.to_string()));
    let mut summary = IngestSummary {
        input: name.to_string(),
        ..Default::default()
    };
    match format {
        InputFormat::Jsonl => read_jsonl(pipeline, BufReader::new(input), &mut summary)?,
        InputFormat::Json => read_json_array(pipeline, BufReader::new(input), &mut summary)?,
        InputFormat::Csv => read_csv(pipeline, input, &mut summary)?,
    }
    pipeline.flush()?;
    Ok(summary)
}

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

fn push(
    pipeline: &mut Pipeline,
    summary: &mut IngestSummary,
    line: u64,
    rec: RawRecord,
) -> anyhow::Result<()> {
    let outcome = pipeline.push(rec, Origin::Line(line))?;
    summary.count(line, &outcome);
    Ok(())
}

fn reject(
    pipeline: &mut Pipeline,
    summary: &mut IngestSummary,
    line: u64,
    raw: &str,
    reason: &str,
) -> anyhow::Result<()> {
    let source = guess_source(raw);
    pipeline.reject_raw(source.as_deref(), raw, Origin::Line(line), reason)?;
    summary.read += 1;
    summary.note_reject(line, reason);
    Ok(())
}

fn read_jsonl(
    pipeline: &mut Pipeline,
    mut input: impl BufRead,
    summary: &mut IngestSummary,
) -> anyhow::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| anyhow::anyhow!("reading {} after line {line}: {e}", summary.input))?;
        if n == 0 {
            return Ok(());
        }
        line += 1;
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t,
            Err(e) => {
                let lossy = String::from_utf8_lossy(&buf).into_owned();
                reject(
                    pipeline,
                    summary,
                    line,
                    lossy.trim_end(),
                    &format!("not UTF-8: {e}"),
                )?;
                continue;
            }
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match parse_record(text) {
            Ok(rec) => push(pipeline, summary, line, rec)?,
            Err(reason) => reject(pipeline, summary, line, text, &reason)?,
        }
    }
}

fn read_json_array(
    pipeline: &mut Pipeline,
    input: impl BufRead,
    summary: &mut IngestSummary,
) -> anyhow::Result<()> {
    use serde::de::{Deserializer, SeqAccess, Visitor};

    struct ArrayVisitor<'a> {
        pipeline: &'a mut Pipeline,
        summary: &'a mut IngestSummary,
        failure: &'a mut Option<anyhow::Error>,
    }
    impl<'de> Visitor<'de> for ArrayVisitor<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON array of raw job records")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0u64;
            // Each element is parsed alone, so memory holds one record at a time.
            while let Some(value) = seq.next_element::<Value>()? {
                index += 1;
                let result = match record_from_value(value.clone()) {
                    Ok(rec) => push(self.pipeline, self.summary, index, rec),
                    Err(reason) => {
                        let raw = value.to_string();
                        reject(self.pipeline, self.summary, index, &raw, &reason)
                    }
                };
                if let Err(e) = result {
                    *self.failure = Some(e);
                    return Err(serde::de::Error::custom("storing failed"));
                }
            }
            Ok(())
        }
    }

    let mut failure = None;
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = (&mut de).deserialize_seq(ArrayVisitor {
        pipeline,
        summary,
        failure: &mut failure,
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let result = result.and_then(|()| de.end());
    if let Err(e) = result {
        // A syntax error cannot be skipped over in a JSON array: everything after it is lost,
        // so it is recorded as one reject naming the element and position.
        let element = summary.read + 1;
        let reason = format!(
            "invalid JSON array at line {} column {} (element {element}); the rest of the \
             input was not read: {e}",
            e.line(),
            e.column()
        );
        reject(pipeline, summary, element, "", &reason)?;
    }
    Ok(())
}

fn read_csv(
    pipeline: &mut Pipeline,
    input: impl Read,
    summary: &mut IngestSummary,
) -> anyhow::Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| anyhow::anyhow!("reading the CSV header of {}: {e}", summary.input))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut row = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = row.position().map(|p| p.line()).unwrap_or(0);
                let mut map = Map::new();
                for (key, cell) in headers.iter().zip(row.iter()) {
                    if !cell.is_empty() {
                        map.insert(key.clone(), Value::String(cell.to_string()));
                    }
                }
                match record_from_value(Value::Object(map.clone())) {
                    Ok(rec) => push(pipeline, summary, line, rec)?,
                    Err(reason) => {
                        let raw = Value::Object(map).to_string();
                        reject(pipeline, summary, line, &raw, &reason)?;
                    }
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(summary.read + 2);
                let raw = row.iter().collect::<Vec<_>>().join(",");
                reject(pipeline, summary, line, &raw, &format!("bad CSV row: {e}"))?;
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    return Err(anyhow::anyhow!("reading {}: {e}", summary.input));
                }
            }
        }
    }
}
