//! CSV / JSON / JSONL writers for canonical jobs (ARCHITECTURE §4, fixed field names).
//!
//! Rows are streamed from the store to the writer. CSV is RFC 4180 (the `csv` crate), UTF-8,
//! one header row; arrays are joined with `;`; and any cell a spreadsheet would run as a
//! formula (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with a single quote.

use std::io::Write;

use crate::store::Store;
use crate::store::query::{JobFilter, JobRow};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with the scalar fields plus `url`, `source`, `source_count`.
    Csv,
    /// One JSON array of job objects.
    Json,
    /// One job object per line.
    Jsonl,
}

/// The CSV header, in order.
pub const CSV_HEADER: [&str; 24] = [
    "id",
    "title",
    "company",
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
    "posted_date",
    "closing_date",
    "status",
    "first_seen_at",
    "last_seen_at",
    "description",
    "url",
    "source",
    "source_count",
];

/// Separator of array values inside one CSV cell.
pub const CSV_LIST_SEPARATOR: &str = ";";

/// Writes every job matching `filter` to `out` in `format`; returns the number of jobs.
pub fn write_jobs(
    store: &Store,
    filter: &JobFilter,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    match format {
        Format::Jsonl => store.for_each_job(filter, |job| {
            serde_json::to_writer(&mut *out, &job)?;
            out.write_all(b"\n")?;
            Ok(())
        }),
        Format::Json => {
            out.write_all(b"[")?;
            let mut first = true;
            let n = store.for_each_job(filter, |job| {
                out.write_all(if first { b"\n" } else { b",\n" })?;
                first = false;
                serde_json::to_writer(&mut *out, &job)?;
                Ok(())
            })?;
            out.write_all(b"\n]\n")?;
            Ok(n)
        }
        Format::Csv => {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(out);
            w.write_record(CSV_HEADER)?;
            let n = store.for_each_job(filter, |job| {
                w.write_record(csv_row(&job).iter().map(|c| formula_safe(c).into_owned()))?;
                Ok(())
            })?;
            w.flush()?;
            Ok(n)
        }
    }
}

/// The CSV cells of one job, in [`CSV_HEADER`] order (before formula escaping).
pub fn csv_row(job: &JobRow) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<f64>| v.map(format_number).unwrap_or_default();
    let primary = job.sources.first();
    vec![
        job.id.to_string(),
        job.title.clone(),
        opt(&job.company),
        opt(&job.location),
        opt(&job.country_code),
        opt(&job.operation_type),
        opt(&job.category),
        job.senior.map(|b| b.to_string()).unwrap_or_default(),
        job.aircraft_types.join(CSV_LIST_SEPARATOR),
        job.licences.join(CSV_LIST_SEPARATOR),
        opt(&job.employment_type),
        num(job.salary_min),
        num(job.salary_max),
        opt(&job.salary_currency),
        opt(&job.salary_period),
        opt(&job.posted_date),
        opt(&job.closing_date),
        job.status.clone(),
        job.first_seen_at.clone(),
        job.last_seen_at.clone(),
        opt(&job.description),
        primary.map(|s| s.url.clone()).unwrap_or_default(),
        primary.map(|s| s.source.clone()).unwrap_or_default(),
        job.sources.len().to_string(),
    ]
}

/// `60000` rather than `60000.0`; fractions kept (`45.5`).
fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

/// Prefixes a cell that a spreadsheet would evaluate as a formula with a single quote.
pub fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_quoted_and_others_untouched() {
        let cases = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+44 20", "'+44 20"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("Captain A320", "Captain A320"),
            ("", ""),
            ("a=b", "a=b"),
        ];
        for (input, want) in cases {
            assert_eq!(formula_safe(input), want, "input {input:?}");
        }
    }

    #[test]
    fn whole_numbers_print_without_a_fraction() {
        assert_eq!(format_number(60000.0), "60000");
        assert_eq!(format_number(45.5), "45.5");
    }
}
