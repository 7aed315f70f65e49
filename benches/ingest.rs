//! Ingest throughput benchmark: `cargo bench --bench ingest`.
//!
//! Generates N synthetic records (`aeroscrap::synth`), runs the real release binary on them as
//! a child process (fresh database, then the same file again to measure an idempotent
//! re-ingest) and prints records/s and the child's peak resident memory (`wait4` rusage).
//! N = 10k and 100k by default; `BENCH_FULL=1` adds 1M. `µs/rec` is the first ingest's cost per
//! record and `× 10k` its ratio to the smallest size's (issue: within 1.3× at 1M).
//! Records are paced like daily scrapes (`synth::DEFAULT_POSTINGS_PER_DAY`); `BENCH_DENSE=1`
//! crowds every size into the same 120 days instead (a stress test of crowded blocks).

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Seed for the generated records, so runs are comparable.
const SEED: u64 = aeroscrap::synth::DEFAULT_SEED;

struct Run {
    seconds: f64,
    max_rss_kib: i64,
    exit: i32,
}

/// Runs the binary and waits for it with `wait4`, which reports this child's own peak RSS.
fn run_child(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn aeroscrap");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: plain syscall on our own child; `usage` is a valid out-parameter.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4 failed");
    let seconds = start.elapsed().as_secs_f64();
    let exit = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    std::mem::forget(child); // already reaped
    Run {
        seconds,
        max_rss_kib: usage.ru_maxrss,
        exit,
    }
}

fn ingest(bin: &Path, db: &Path, input: &Path) -> Run {
    let logs = db.with_extension("logs");
    run_child(
        Command::new(bin)
            .arg("-q")
            .arg("--log-dir")
            .arg(&logs)
            .arg("--db")
            .arg(db)
            .arg("ingest")
            .arg(input)
            .stdout(std::process::Stdio::null()),
    )
}

fn main() {
    let bin = Path::new(env!("CARGO_BIN_EXE_aeroscrap"));
    let mut sizes = vec![10_000usize, 100_000];
    if std::env::var("BENCH_FULL").is_ok_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    let dense = std::env::var("BENCH_DENSE").is_ok_and(|v| v == "1");
    println!(
        "synthetic records: {}",
        if dense {
            "dense (every posting within 120 days, however many)"
        } else {
            "paced (300 postings a day going back in time)"
        }
    );
    let dir = tempfile::tempdir().expect("temp dir");
    println!(
        "{:>9}  {:>9}  {:>12}  {:>8}  {:>6}  {:>9}  {:>12}  {:>10}  {:>9}",
        "records",
        "ingest s",
        "records/s",
        "µs/rec",
        "× 10k",
        "again s",
        "again rec/s",
        "peak MiB",
        "db MiB"
    );
    let mut base_cost: Option<f64> = None;
    for n in sizes {
        let input = dir.path().join(format!("synth-{n}.jsonl"));
        let mut out = BufWriter::new(File::create(&input).expect("create input"));
        let records = aeroscrap::synth::records(SEED, n);
        if dense {
            aeroscrap::synth::write_records(records.dense(), &mut out)
        } else {
            aeroscrap::synth::write_records(records, &mut out)
        }
        .expect("write input");
        drop(out);
        let db = dir.path().join(format!("bench-{n}.db"));
        let first = ingest(bin, &db, &input);
        assert_eq!(first.exit, 0, "ingest of {n} records exited {}", first.exit);
        let again = ingest(bin, &db, &input);
        assert_eq!(
            again.exit, 0,
            "re-ingest of {n} records exited {}",
            again.exit
        );
        let db_mib = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
        let cost = first.seconds * 1e6 / n as f64;
        let base = *base_cost.get_or_insert(cost);
        println!(
            "{:>9}  {:>9.2}  {:>12.0}  {:>8.1}  {:>6.2}  {:>9.2}  {:>12.0}  {:>10.1}  {:>9.1}",
            n,
            first.seconds,
            n as f64 / first.seconds,
            cost,
            cost / base,
            again.seconds,
            n as f64 / again.seconds,
            first.max_rss_kib.max(again.max_rss_kib) as f64 / 1024.0,
            db_mib
        );
        let _ = std::fs::remove_file(&input);
    }
}
