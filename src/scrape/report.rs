//! The summary table printed after a run.

use std::fmt::Write as _;

use super::ScrapeSummary;

/// Longest error text shown in the table (the crawl log keeps it whole).
const MAX_ERROR_CHARS: usize = 90;

/// A plain-text table: one row per source, then totals.
pub fn summary_table(s: &ScrapeSummary) -> String {
    let name_w = s
        .sources
        .iter()
        .map(|o| o.name.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<name_w$}  {:<11}  {:>5}  {:>5}  {:>5}  {:>7}  {:>9}  {:>8}  {:>7}  {:>6}  note",
        "source",
        "status",
        "pages",
        "found",
        "new",
        "updated",
        "unchanged",
        "rejected",
        "retries",
        "secs"
    );
    for o in &s.sources {
        let note = match (&o.error, o.fetch.robots_denied, o.warning_count) {
            (Some(e), _, _) => shorten(e),
            (None, r, _) if r > 0 => format!("{r} URL(s) disallowed by robots.txt"),
            (None, _, w) if w > 0 => format!("{w} warning(s): {}", shorten(&o.warnings[0])),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{:<name_w$}  {:<11}  {:>5}  {:>5}  {:>5}  {:>7}  {:>6}  {:>9}  {:>8}  {:>7}  {:>6.1}  {note}",
            o.name,
            o.status.as_str(),
            o.fetch.pages,
            o.found,
            o.written.new,
            o.written.updated,
            o.written.merged,
            o.written.unchanged,
            o.written.rejected,
            o.fetch.retries,
            o.duration.as_secs_f64(),
        );
    }
    let t = s.total_written();
    let _ = writeln!(
        out,
        "run {}: {} source(s), {} found, {} new, {} updated, {} merged, {} unchanged, {} rejected in {:.1} s",
        s.status_word(),
        s.sources.len(),
        s.total_found(),
        t.new,
        t.updated,
        t.merged,
        t.unchanged,
        t.rejected,
        s.duration.as_secs_f64()
    );
    out
}

fn shorten(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX_ERROR_CHARS {
        one_line
    } else {
        let cut: String = one_line.chars().take(MAX_ERROR_CHARS - 1).collect();
        format!("{cut}…")
    }
}

/// A raw record as a few readable lines (`sources test`).
pub fn record_text(r: &crate::model::RawRecord) -> String {
    let mut out = format!("- {}\n    url: {}\n", r.title, r.url);
    let opt = [
        ("company", &r.company),
        ("location", &r.location),
        ("posted_date", &r.posted_date),
        ("employment_type", &r.employment_type),
        ("salary", &r.salary),
        ("external_id", &r.external_id),
        ("apply_url", &r.apply_url),
        ("closing_date", &r.closing_date),
        ("department", &r.department),
    ];
    for (k, v) in opt {
        if let Some(v) = v {
            let _ = writeln!(out, "    {k}: {v}");
        }
    }
    if let Some(d) = &r.description {
        let _ = writeln!(out, "    description: {}", shorten(d));
    }
    for (k, v) in &r.extra {
        let _ = writeln!(
            out,
            "    {k}: {}",
            v.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| v.to_string())
        );
    }
    out.trim_end().to_owned()
}
