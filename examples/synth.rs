//! Writes N synthetic raw records as JSONL to stdout:
//! `cargo run --release --example synth -- 100000 [SEED] [--dense] > synth.jsonl`.
//!
//! The same generator as `benches/ingest.rs` (`aeroscrap::synth`), for profiling an ingest by
//! hand. `--dense` dates every posting within 120 days (`Generator::dense`).

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let seed = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(aeroscrap::synth::DEFAULT_SEED);
    let dense = std::env::args().any(|a| a == "--dense");
    let mut out = BufWriter::new(std::io::stdout().lock());
    let records = aeroscrap::synth::records(seed, n);
    if dense {
        aeroscrap::synth::write_records(records.dense(), &mut out)?;
    } else {
        aeroscrap::synth::write_records(records, &mut out)?;
    }
    out.flush()
}
