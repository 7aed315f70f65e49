//! Normalization + match-feature throughput, without the store: the per-record CPU cost of
//! the normalizer (text, dates, salary, location, company, classifiers) and
//! `MatchFeatures::from_job`. Prints records/s for N synthetic aviation records.
//!
//! cargo bench --bench normalize [-- N]

use std::time::Instant;

use aeroscrap::dedup::MatchFeatures;
use aeroscrap::normalize::{CompanyRegistry, Normalizer};

/// Records normalized when no count is given.
const DEFAULT_RECORDS: usize = 100_000;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(DEFAULT_RECORDS);
    let records: Vec<_> = aeroscrap::synth::records(42, n).collect();
    let normalizer = Normalizer::new(CompanyRegistry::bundled());
    // Warm the lazily built tables and regexes once, outside the timing.
    if let Some(r) = records.first() {
        let _ = normalizer.normalize(r.clone());
    }
    let cpu_start = cpu_seconds();
    let start = Instant::now();
    let mut ok = 0usize;
    let mut merged_keys = 0usize;
    for r in records {
        if let Ok(job) = normalizer.normalize(r) {
            let f = MatchFeatures::from_job(&job);
            merged_keys += f.block_key().is_some() as usize;
            ok += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    println!(
        "normalize+features: {ok} records in {secs:.3} s wall = {:.0} records/s; {cpu:.3} s CPU = {:.0} records per CPU-second, {:.1} µs each ({merged_keys} with a block key)",
        ok as f64 / secs,
        ok as f64 / cpu,
        cpu * 1e6 / ok as f64
    );
}

/// CPU time of this process (user + system), so a busy shared machine does not skew the figure.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}
