//! Lookups ahead of the writer.
//!
//! Before the single writer stores a record it looks two things up: the listing the record may
//! already be (by source + external id, then canonical URL) and, for a new listing, the fuzzy
//! candidates filed under its match keys. Both are reads, and during an ingest they were a
//! third of the writer's time. [`look_ahead`] does them on another thread and connection,
//! against the last committed batch (a WAL snapshot), while the writer stores earlier records.
//!
//! The snapshot misses what the writer did after it: the open batch and any batch committed
//! since. The writer keeps a [`RecentLog`] of exactly that — listing keys it inserted or
//! changed, jobs it filed under match keys or re-filed — per batch, for the last few batches.
//! When a record's lookahead could be stale (its listing keys were touched, or the combined
//! candidate rows could reach a read limit, or the log no longer reaches back to the snapshot)
//! the writer does the lookup itself. Otherwise the lookahead plus the log give exactly what
//! the writer's own lookup would: the same listing, the same candidate set (which the writer
//! then sorts, reads and compares as always). A test checks that ingesting with and without
//! lookaheads stores identical databases.

use std::collections::{HashMap, HashSet, VecDeque};

use xxhash_rust::xxh3::xxh3_64;

use super::Store;
use super::blocking::{self, Hit, KeyRow, PROBE_LIMIT, ProbeAt};
use super::upsert::{Existing, find_listing_in, probe_at};
use crate::model::NormalizedJob;
use crate::pipeline::Prepared;

/// What [`look_ahead`] found for one record in a snapshot of the database.
#[derive(Debug, Clone)]
pub struct Lookahead {
    /// Batches the snapshot holds at least: the writer's commit count, read before the
    /// snapshot was taken.
    snapshot: u64,
    /// The stored listing the record is, if the snapshot has it.
    listing: Option<Existing>,
    /// The fuzzy candidates under the record's keys; `None` when not probed (a listing was
    /// found, or the record has no match keys).
    probe: Option<Probed>,
}

/// The rows a probe read in the snapshot.
#[derive(Debug, Clone)]
struct Probed {
    /// Candidates kept (window, country and veto summary applied).
    hits: Vec<Hit>,
    /// Rows read, kept or not: how near the probe came to its read limits.
    rows: usize,
}

/// Looks up, on `store` (another connection than the writer's, inside a read transaction),
/// what the writer needs for `prep`: its stored listing, else its fuzzy candidates.
/// `snapshot` is the writer's commit count read before the transaction began
/// ([`crate::pipeline::Pipeline::lookahead_source`]).
pub fn look_ahead(store: &Store, prep: &Prepared, snapshot: u64) -> anyhow::Result<Lookahead> {
    let job = &prep.job;
    let listing = find_listing_in(store, job)?;
    let probe = match (&listing, probe_at(job, &prep.match_keys)) {
        (None, Some(at)) => {
            let mut hits = Vec::new();
            let mut rows = 0;
            for row in &prep.match_keys {
                rows += blocking::probe(store, row.key, at, &mut hits)?;
            }
            Some(Probed { hits, rows })
        }
        _ => None,
    };
    Ok(Lookahead {
        snapshot,
        listing,
        probe,
    })
}

/// What the writer did in one batch that a snapshot before it does not show.
#[derive(Debug, Default)]
struct BatchLog {
    /// The batch's number (1 = the first batch of this writer).
    seq: u64,
    /// Listing keys inserted or changed: URL keys, [`id_mark`]s and listing ids, in one set
    /// (a collision between them only makes the writer look a listing up itself).
    marks: HashSet<i64>,
    /// Match-key rows filed, by key.
    rows: HashMap<i64, Vec<(KeyRow, i64)>>,
    /// Jobs re-filed under new keys: their rows in an older snapshot are stale.
    refiled: HashSet<i64>,
    /// Changes logged.
    entries: usize,
}

/// How often the writer could use a lookahead, and how often it looked up itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LookaheadCounts {
    /// Listing lookups taken from a lookahead.
    pub listings_ahead: u64,
    /// Listing lookups the writer did itself.
    pub listings_self: u64,
    /// Candidate probes taken from a lookahead.
    pub probes_ahead: u64,
    /// Candidate probes the writer did itself.
    pub probes_self: u64,
}

/// Most log entries (about two a record) kept for committed batches. A lookahead is computed
/// at most a handoff queue ahead of the writer (a few thousand records); batches every later
/// snapshot holds are dropped anyway.
const MAX_LOGGED_ENTRIES: usize = 32 * 1024;

/// The writer's record of its own recent changes, for checking lookaheads (see the module
/// documentation). Kept only once lookaheads are in use ([`RecentLog::enable`]); memory: the
/// open batch and the committed ones a lookahead may still need, at most
/// [`MAX_LOGGED_ENTRIES`].
#[derive(Debug)]
pub struct RecentLog {
    /// Whether changes are logged.
    enabled: bool,
    /// Oldest first; the last is the open batch.
    batches: VecDeque<BatchLog>,
    /// Batches committed.
    commits: u64,
    /// No batch before this one is logged (after a rollback, only the open batch is).
    logged_from: u64,
    /// The newest snapshot a lookahead came from: later ones hold at least as much.
    floor: u64,
    /// Lookaheads used and not.
    counts: LookaheadCounts,
}

impl Default for RecentLog {
    fn default() -> Self {
        RecentLog {
            enabled: false,
            floor: 0,
            batches: VecDeque::from([BatchLog {
                seq: 1,
                ..Default::default()
            }]),
            commits: 0,
            logged_from: 1,
            counts: LookaheadCounts::default(),
        }
    }
}

/// The mark of a listing's (source, external id).
fn id_mark(source: &str, external_id: &str) -> i64 {
    let mut buf = Vec::with_capacity(source.len() + external_id.len() + 1);
    buf.extend_from_slice(source.as_bytes());
    buf.push(0x1f);
    buf.extend_from_slice(external_id.as_bytes());
    xxh3_64(&buf) as i64
}

impl RecentLog {
    /// Logs changes from now on, for lookaheads to be checked against.
    pub fn enable(&mut self) {
        if !self.enabled {
            self.enabled = true;
            self.rolled_back();
        }
    }

    /// The open batch committed: start the next one, and forget batches no lookahead needs.
    pub fn committed(&mut self) {
        self.commits += 1;
        if !self.enabled {
            return;
        }
        self.batches.push_back(BatchLog {
            seq: self.commits + 1,
            ..Default::default()
        });
        let mut committed: usize = self.batches.iter().map(|b| b.entries).sum();
        while let Some(oldest) = self.batches.front()
            && oldest.seq <= self.commits
            && (oldest.seq <= self.floor || committed > MAX_LOGGED_ENTRIES)
        {
            committed -= oldest.entries;
            self.batches.pop_front();
        }
        self.logged_from = self.batches.front().map_or(self.commits + 1, |b| b.seq);
    }

    /// The open batch was rolled back: its changes are gone, and so is the log of earlier ones.
    pub fn rolled_back(&mut self) {
        self.batches.clear();
        self.batches.push_back(BatchLog {
            seq: self.commits + 1,
            ..Default::default()
        });
        self.logged_from = self.commits + 1;
    }

    /// Another connection committed changes this log cannot know: no snapshot from before
    /// can be checked. Counts as a commit, so snapshots taken from now on can.
    pub fn written_elsewhere(&mut self) {
        tracing::debug!("another connection wrote to the database: lookaheads restart");
        self.commits += 1;
        self.rolled_back();
    }

    /// Batches committed by this writer (and writes by others noticed).
    pub fn commits(&self) -> u64 {
        self.commits
    }

    /// How often lookaheads were used.
    pub fn counts(&self) -> LookaheadCounts {
        self.counts
    }

    /// The log of everything after `snapshot`, if it still reaches back that far.
    fn since(&self, snapshot: u64) -> Option<impl Iterator<Item = &BatchLog>> {
        (self.enabled && snapshot + 1 >= self.logged_from && snapshot <= self.commits)
            .then(|| self.batches.iter().filter(move |b| b.seq > snapshot))
    }

    /// The open batch's log, when logging.
    fn open(&mut self) -> Option<&mut BatchLog> {
        if !self.enabled {
            return None;
        }
        let open = self
            .batches
            .back_mut()
            .expect("the open batch is always logged");
        open.entries += 1;
        Some(open)
    }

    /// A listing was inserted, or its content or external id changed.
    pub fn listing_written(&mut self, listing_id: i64, job: &NormalizedJob) {
        let Some(open) = self.open() else {
            return;
        };
        open.marks.insert(super::url_key(&job.url));
        open.marks.insert(listing_id);
        if let Some(ext) = &job.external_id {
            open.marks.insert(id_mark(&job.source, ext));
        }
    }

    /// Job `job_id` was filed under `rows`.
    pub fn filed(&mut self, job_id: i64, rows: &[KeyRow]) {
        let Some(open) = self.open() else {
            return;
        };
        for row in rows {
            open.rows.entry(row.key).or_default().push((*row, job_id));
        }
    }

    /// Job `job_id` was taken off its `old` rows and filed under `rows`.
    pub fn refiled(&mut self, job_id: i64, old: &[KeyRow], rows: &[KeyRow]) {
        let Some(open) = self.open() else {
            return;
        };
        open.refiled.insert(job_id);
        // Rows it was filed under earlier in this batch are gone.
        for row in old {
            if let Some(filed) = open.rows.get_mut(&row.key) {
                filed.retain(|(_, id)| *id != job_id);
            }
        }
        self.filed(job_id, rows);
    }

    /// The stored listing of `job` according to `ahead`, or `None` when the writer must look
    /// it up itself (the snapshot is too old, or a listing with one of its keys changed since).
    pub(crate) fn listing(
        &mut self,
        ahead: Option<&Lookahead>,
        job: &NormalizedJob,
    ) -> Option<Option<Existing>> {
        let found = ahead.and_then(|ahead| {
            self.floor = self.floor.max(ahead.snapshot);
            self.listing_ahead(ahead, job)
        });
        match found.is_some() {
            true => self.counts.listings_ahead += 1,
            false => self.counts.listings_self += 1,
        }
        found
    }

    fn listing_ahead(&self, ahead: &Lookahead, job: &NormalizedJob) -> Option<Option<Existing>> {
        let since = self.since(ahead.snapshot)?;
        let url_key = super::url_key(&job.url);
        let id_mark = job.external_id.as_deref().map(|e| id_mark(&job.source, e));
        let found = ahead.listing.as_ref().map(|l| l.id);
        for batch in since {
            let touched = |m: Option<i64>| m.is_some_and(|m| batch.marks.contains(&m));
            if touched(Some(url_key)) || touched(id_mark) || touched(found) {
                return None;
            }
        }
        Some(ahead.listing.clone())
    }

    /// The fuzzy candidates of a listing probed `at` under `rows` (the rows its keys), from
    /// `ahead` and this log: the rows the writer's own probe would read, or `None` when it must
    /// probe itself (not probed ahead, the snapshot too old, or so many rows that a read limit
    /// could apply).
    pub fn hits(
        &mut self,
        ahead: Option<&Lookahead>,
        rows: &[KeyRow],
        at: ProbeAt,
    ) -> Option<Vec<Hit>> {
        let hits = ahead.and_then(|ahead| {
            self.floor = self.floor.max(ahead.snapshot);
            self.hits_ahead(ahead, rows, at)
        });
        match hits.is_some() {
            true => self.counts.probes_ahead += 1,
            false => self.counts.probes_self += 1,
        }
        hits
    }

    fn hits_ahead(&self, ahead: &Lookahead, rows: &[KeyRow], at: ProbeAt) -> Option<Vec<Hit>> {
        let probed = ahead.probe.as_ref()?;
        let since: Vec<&BatchLog> = self.since(ahead.snapshot)?.collect();
        let recent_rows: usize = since
            .iter()
            .flat_map(|b| rows.iter().filter_map(|r| b.rows.get(&r.key)))
            .map(Vec::len)
            .sum();
        // Below every limit the probe reads whole windows, so snapshot + log is the same set.
        if probed.rows + recent_rows >= PROBE_LIMIT {
            return None;
        }
        let stale = |job_id: i64| since.iter().any(|b| b.refiled.contains(&job_id));
        let mut hits: Vec<Hit> = probed
            .hits
            .iter()
            .filter(|h| !stale(h.job_id))
            .copied()
            .collect();
        for batch in &since {
            for row in rows {
                for (filed, job_id) in batch.rows.get(&row.key).into_iter().flatten() {
                    // A job re-filed again later is read from its latest batch only.
                    let later = since
                        .iter()
                        .any(|b| b.seq > batch.seq && b.refiled.contains(job_id));
                    if later || !at.keeps(filed.cc, filed.info) {
                        continue;
                    }
                    if at.reads_day(filed.day)? {
                        hits.push(Hit {
                            job_id: *job_id,
                            day: filed.day,
                        });
                    }
                }
            }
        }
        Some(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::blocking::UNDATED;

    const DAY: i64 = 740_000;

    fn at(day: i64) -> ProbeAt {
        ProbeAt {
            day,
            seen_day: DAY + 30,
            cc: 0,
            window: 14,
            info: 0,
        }
    }

    fn row(key: i64, day: i64) -> KeyRow {
        KeyRow {
            key,
            cc: 0,
            day,
            info: 1 << 20,
        }
    }

    fn probed(snapshot: u64, hits: &[(i64, i64)], rows: usize) -> Lookahead {
        Lookahead {
            snapshot,
            listing: None,
            probe: Some(Probed {
                hits: hits
                    .iter()
                    .map(|&(job_id, day)| Hit { job_id, day })
                    .collect(),
                rows,
            }),
        }
    }

    fn job(url: &str, ext: Option<&str>) -> NormalizedJob {
        let raw = crate::model::RawRecord {
            source: "goose".into(),
            url: url.into(),
            title: "Line Engineer".into(),
            external_id: ext.map(str::to_string),
            ..Default::default()
        };
        crate::normalize::Normalizer::new(Default::default())
            .normalize(raw)
            .unwrap()
    }

    fn sorted(mut hits: Vec<Hit>) -> Vec<(i64, i64)> {
        hits.sort_by_key(|h| (h.job_id, h.day));
        hits.into_iter().map(|h| (h.job_id, h.day)).collect()
    }

    /// Rows filed after the snapshot join its hits; a job re-filed since is read from its new
    /// rows only (its snapshot rows are gone, and its posting day may have moved).
    #[test]
    fn hits_add_what_was_filed_since_and_drop_what_was_refiled() {
        let mut log = RecentLog::default();
        log.enable();
        log.filed(1, &[row(10, DAY)]);
        log.committed();
        log.filed(2, &[row(10, DAY + 1), row(11, DAY + 1)]);
        log.filed(3, &[row(10, DAY + 400)]); // outside the window
        log.refiled(1, &[row(10, DAY)], &[row(10, DAY + 2)]);
        log.refiled(4, &[row(10, DAY - 1)], &[row(10, DAY - 3)]);
        let ahead = probed(1, &[(1, DAY), (4, DAY - 1), (5, UNDATED)], 3);
        let hits = log.hits(Some(&ahead), &[row(10, DAY)], at(DAY)).unwrap();
        assert_eq!(
            sorted(hits),
            vec![(1, DAY + 2), (2, DAY + 1), (4, DAY - 3), (5, UNDATED)]
        );
        assert_eq!(log.counts().probes_ahead, 1);
    }

    /// Too many rows for the read limits, a snapshot the log no longer reaches, or no probe
    /// ahead: the writer probes itself.
    #[test]
    fn hits_are_refused_when_they_could_differ() {
        let mut log = RecentLog::default();
        log.enable();
        log.filed(1, &[row(10, DAY)]);
        let keys = [row(10, DAY)];
        assert!(
            log.hits(Some(&probed(0, &[], PROBE_LIMIT - 1)), &keys, at(DAY))
                .is_none()
        );
        assert!(
            log.hits(Some(&probed(0, &[], PROBE_LIMIT - 2)), &keys, at(DAY))
                .is_some()
        );
        let no_probe = Lookahead {
            snapshot: 0,
            listing: None,
            probe: None,
        };
        assert!(log.hits(Some(&no_probe), &keys, at(DAY)).is_none());
        assert!(log.hits(None, &keys, at(DAY)).is_none());
        // Every later snapshot holds batch 1: it is dropped when batch 2 commits.
        log.committed();
        assert!(log.hits(Some(&probed(1, &[], 0)), &keys, at(DAY)).is_some());
        log.committed();
        assert!(log.hits(Some(&probed(0, &[], 0)), &keys, at(DAY)).is_none());
        assert!(log.hits(Some(&probed(2, &[], 0)), &keys, at(DAY)).is_some());
        assert_eq!(log.counts().probes_self, 4);
    }

    /// A listing found (or not) in the snapshot stands unless a listing with its URL or
    /// external id, or the listing itself, was written since.
    #[test]
    fn a_listing_ahead_stands_unless_its_keys_were_written_since() {
        let mut log = RecentLog::default();
        log.enable();
        let none = Lookahead {
            snapshot: 0,
            listing: None,
            probe: None,
        };
        let a = job("https://goose.example/jobs/1", Some("R-1"));
        assert_eq!(
            log.listing(Some(&none), &a).map(|l| l.is_none()),
            Some(true)
        );
        log.listing_written(77, &job("https://goose.example/jobs/1", None));
        assert!(log.listing(Some(&none), &a).is_none(), "same URL written");
        let b = job("https://goose.example/jobs/2", Some("R-2"));
        log.listing_written(78, &job("https://goose.example/other", Some("R-2")));
        assert!(log.listing(Some(&none), &b).is_none(), "same external id");
        let found = Lookahead {
            listing: Some(Existing {
                id: 78,
                job_id: 5,
                content_hash: "h".into(),
                source: "goose".into(),
                external_id: None,
            }),
            ..none.clone()
        };
        let c = job("https://goose.example/jobs/3", None);
        assert!(
            log.listing(Some(&found), &c).is_none(),
            "the listing changed"
        );
        let d = job("https://goose.example/jobs/4", None);
        assert_eq!(
            log.listing(Some(&none), &d).map(|l| l.is_none()),
            Some(true)
        );
        // Not logging: nothing ahead is trusted.
        let mut off = RecentLog::default();
        assert!(off.listing(Some(&none), &d).is_none());
    }
}
