//! Pairwise precision and recall of the deduplicator on the labelled evaluation set
//! (tests/data/dedup_eval.jsonl: duplicate groups and hard negatives, see gen_dedup_eval.py).
//!
//! Records go through the normalizer and the same greedy procedure as the store: same
//! (source, external_id) or canonical URL first; then candidates with the same block key,
//! posting dates within the window (or unknown), the 50 most recent, none with a listing from
//! the same source; the first `same` verdict merges.

use std::collections::{HashMap, HashSet};

use aeroscrap::dedup::{DEFAULT_DATE_WINDOW_DAYS, MatchFeatures, compare};
use aeroscrap::model::{NormalizedJob, RawRecord};
use aeroscrap::normalize::{CompanyRegistry, Normalizer};
use aeroscrap::pipeline::{Origin, Outcome, Pipeline};
use aeroscrap::store::Store;

/// Most candidates the store compares a new listing with.
const MAX_CANDIDATES: usize = 50;

struct Cluster {
    features: MatchFeatures,
    posted: Option<chrono::NaiveDate>,
    sources: HashSet<String>,
}

fn load() -> Vec<(String, NormalizedJob)> {
    let n = Normalizer::new(CompanyRegistry::bundled());
    include_str!("data/dedup_eval.jsonl")
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let raw: RawRecord = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("dedup_eval.jsonl line {}: {e}", i + 1));
            let group = raw.extra["group"]
                .as_str()
                .expect("group label")
                .to_string();
            let job = n
                .normalize(raw)
                .unwrap_or_else(|e| panic!("dedup_eval.jsonl line {}: rejected: {e}", i + 1));
            (group, job)
        })
        .collect()
}

/// Assigns every record a cluster id, the way the store does.
fn cluster(jobs: &[(String, NormalizedJob)]) -> (Vec<usize>, Vec<String>) {
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut by_id: HashMap<(String, String), usize> = HashMap::new();
    let mut by_url: HashMap<String, usize> = HashMap::new();
    let mut by_block: HashMap<String, Vec<usize>> = HashMap::new();
    let mut assigned = Vec::with_capacity(jobs.len());
    let mut reasons = Vec::new();
    for (_, job) in jobs {
        let id_key = job.external_id.clone().map(|e| (job.source.clone(), e));
        let exact = id_key
            .as_ref()
            .and_then(|k| by_id.get(k))
            .or_else(|| by_url.get(&job.url))
            .copied();
        let features = MatchFeatures::from_job(job);
        let target = exact.or_else(|| {
            let block = features.block_key()?;
            let cands = by_block.get(block)?;
            cands
                .iter()
                .rev()
                .filter(|&&c| !clusters[c].sources.contains(&job.source))
                .filter(|&&c| match (clusters[c].posted, job.posted_date) {
                    (Some(a), Some(b)) => (a - b).num_days().abs() <= DEFAULT_DATE_WINDOW_DAYS,
                    _ => true,
                })
                .take(MAX_CANDIDATES)
                .find(|&&c| {
                    let v = compare(&features, &clusters[c].features);
                    if v.same {
                        reasons.push(v.reason);
                    }
                    v.same
                })
                .copied()
        });
        let idx = target.unwrap_or_else(|| {
            clusters.push(Cluster {
                features: features.clone(),
                posted: job.posted_date,
                sources: HashSet::new(),
            });
            let i = clusters.len() - 1;
            if let Some(b) = features.block_key() {
                by_block.entry(b.to_string()).or_default().push(i);
            }
            i
        });
        clusters[idx].sources.insert(job.source.clone());
        if let Some(k) = id_key {
            by_id.insert(k, idx);
        }
        by_url.insert(job.url.clone(), idx);
        assigned.push(idx);
    }
    (assigned, reasons)
}

/// Pairwise precision and recall of predicted clusters against the group labels.
fn score(name: &str, labels: &[&str], assigned: &[usize]) -> (f64, f64) {
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for i in 0..labels.len() {
        for j in i + 1..labels.len() {
            match (labels[i] == labels[j], assigned[i] == assigned[j]) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fneg += 1,
                (false, false) => {}
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    println!("{name}: precision {precision:.4}, recall {recall:.4} (tp {tp}, fp {fp}, fn {fneg})");
    (precision, recall)
}

/// The same set through the real ingest path: Pipeline → normalizer → store (in memory);
/// each record's job id is the predicted cluster.
#[test]
fn the_real_pipeline_reaches_the_same_precision_and_recall() {
    let mut p = Pipeline::new(Store::open_in_memory().unwrap()).unwrap();
    let mut labels = Vec::new();
    let mut assigned = Vec::new();
    let mut merges = 0;
    for (i, line) in include_str!("data/dedup_eval.jsonl").lines().enumerate() {
        let raw: RawRecord = serde_json::from_str(line).unwrap();
        labels.push(raw.extra["group"].as_str().unwrap().to_string());
        let job_id = match p.push(raw, Origin::Line(i as u64 + 1)).unwrap() {
            Outcome::New { job_id }
            | Outcome::Updated { job_id }
            | Outcome::Unchanged { job_id } => job_id,
            Outcome::Merged { job_id, reason } => {
                assert!(
                    reason.contains("same company"),
                    "merge reason says why: {reason}"
                );
                merges += 1;
                job_id
            }
            Outcome::Rejected { reason } => panic!("line {} rejected: {reason}", i + 1),
        };
        assigned.push(job_id as usize);
    }
    p.flush().unwrap();
    assert!(merges > 200, "{merges} fuzzy merges");
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let lines: Vec<&str> = include_str!("data/dedup_eval.jsonl").lines().collect();
    for i in 0..labels.len() {
        for j in i + 1..labels.len() {
            if labels[i] != labels[j] && assigned[i] == assigned[j] {
                println!("PIPELINE FALSE MERGE\n  {}\n  {}", lines[i], lines[j]);
            }
        }
    }
    let (precision, recall) = score("pipeline dedup eval", &labels, &assigned);
    assert!(precision >= 0.99, "precision {precision:.4} < 0.99");
    assert!(recall >= 0.95, "recall {recall:.4} < 0.95");
}

#[test]
fn pairwise_precision_and_recall_on_the_labelled_set() {
    let jobs = load();
    assert!(
        jobs.len() >= 400,
        "evaluation set has {} records",
        jobs.len()
    );
    let (assigned, reasons) = cluster(&jobs);
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let mut report = Vec::new();
    for i in 0..jobs.len() {
        for j in i + 1..jobs.len() {
            let truth = jobs[i].0 == jobs[j].0;
            let predicted = assigned[i] == assigned[j];
            match (truth, predicted) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    report.push(format!(
                        "FALSE MERGE {:?} | {:?}",
                        jobs[i].1.title, jobs[j].1.title
                    ));
                }
                (true, false) => {
                    fneg += 1;
                    let v = compare(
                        &MatchFeatures::from_job(&jobs[i].1),
                        &MatchFeatures::from_job(&jobs[j].1),
                    );
                    report.push(format!(
                        "MISSED {} {:?} ({:?}, {}) | {:?} ({:?}, {}): {}",
                        jobs[i].0,
                        jobs[i].1.title,
                        jobs[i].1.company,
                        jobs[i].1.source,
                        jobs[j].1.title,
                        jobs[j].1.company,
                        jobs[j].1.source,
                        v.reason
                    ));
                }
                (false, false) => {}
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    let groups: HashSet<&str> = jobs.iter().map(|(g, _)| g.as_str()).collect();
    println!(
        "dedup eval: {} records, {} groups, {} true pairs; precision {:.4}, recall {:.4} (tp {tp}, fp {fp}, fn {fneg})",
        jobs.len(),
        groups.len(),
        tp + fneg,
        precision,
        recall
    );
    for r in report.iter().take(60) {
        println!("{r}");
    }
    assert!(
        reasons.iter().all(|r| r.contains("same company")),
        "every merge says why"
    );
    assert!(precision >= 0.99, "precision {precision:.4} < 0.99");
    assert!(recall >= 0.95, "recall {recall:.4} < 0.95");
}
