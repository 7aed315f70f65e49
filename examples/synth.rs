//! Writes N synthetic raw records as JSONL to stdout: `cargo run --release --example synth -- 100000 > synth.jsonl`.
//!
//! The same generator as `benches/ingest.rs` (`aeroscrap::synth`), for profiling an ingest by hand.

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
    let mut out = BufWriter::new(std::io::stdout().lock());
    aeroscrap::synth::write_jsonl(seed, n, &mut out)?;
    out.flush()
}
