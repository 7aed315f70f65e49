//! The store and the pipeline: migrations, dedup by id / URL / fuzzy match, idempotent
//! re-ingest, rejects, crawl log.

use aeroscrap::model::RawRecord;
use aeroscrap::pipeline::{Origin, Outcome, Pipeline, Ready};
use aeroscrap::store::{SourceRunLog, Store};

fn rec(source: &str, url: &str, title: &str, company: &str) -> RawRecord {
    RawRecord {
        source: source.into(),
        url: url.into(),
        title: title.into(),
        company: Some(company.into()),
        scraped_at: Some("2026-11-20T08:00:00Z".into()),
        ..Default::default()
    }
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn fresh_database_is_at_the_latest_schema_version() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        aeroscrap::store::latest_version()
    );
    assert!(store.migrate().unwrap().is_empty(), "nothing left to apply");
}

/// A database file at schema `version`, written by the migrations' SQL alone (as an older
/// binary left it).
fn database_at_version(path: &std::path::Path, version: u32) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    for &(v, _, sql) in aeroscrap::store::MIGRATIONS {
        if v <= version {
            conn.execute_batch(sql).unwrap();
        }
    }
    conn.execute_batch(&format!("PRAGMA user_version = {version};"))
        .unwrap();
    conn
}

/// The full-text index's `automerge` setting; `None` when unset (FTS5's default, 4).
fn fts_automerge(conn: &rusqlite::Connection) -> Option<i64> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT v FROM jobs_fts_config WHERE k = 'automerge'",
        [],
        |r| r.get(0),
    )
    .optional()
    .unwrap()
}

#[test]
fn the_full_text_index_merges_eight_segments_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.db");
    let conn = database_at_version(&path, 6);
    assert_eq!(fts_automerge(&conn), None, "version 6 has FTS5's default");
    drop(conn);
    let migrated = Store::open(&path).unwrap();
    assert_eq!(fts_automerge(migrated.conn()), Some(8));
    let fresh = Store::open_in_memory().unwrap();
    assert_eq!(fts_automerge(fresh.conn()), Some(8));
}

#[test]
fn open_creates_parent_directory_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/jobs.db");
    let store = Store::open(&path).unwrap();
    let mode: String = store
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store
        .conn()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    assert!(path.exists());
}

#[test]
fn same_external_id_or_same_canonical_url_is_the_same_listing() {
    let mut p = Pipeline::new(Store::open_in_memory().unwrap()).unwrap();
    let mut a = rec(
        "goose",
        "https://goose.example/jobs/1",
        "B1 Engineer",
        "Goose",
    );
    a.external_id = Some("J-1".into());
    let first = p.push(a.clone(), Origin::Line(1)).unwrap();
    let Outcome::New { job_id } = first else {
        panic!("expected New, got {first:?}")
    };
    // Same id, different URL: same listing.
    let mut moved = a.clone();
    moved.url = "https://goose.example/jobs/1-b1-engineer".into();
    assert_eq!(
        p.push(moved, Origin::Line(2)).unwrap(),
        Outcome::Unchanged { job_id }
    );
    // Same URL with a fragment and without the id: same listing.
    let mut same_url = a.clone();
    same_url.external_id = None;
    same_url.url = "https://GOOSE.example/jobs/1#apply".into();
    assert_eq!(
        p.push(same_url, Origin::Line(3)).unwrap(),
        Outcome::Unchanged { job_id }
    );
    let store = p.into_store().unwrap();
    assert_eq!(count(&store, "jobs"), 1);
    assert_eq!(count(&store, "job_sources"), 1);
}

#[test]
fn changed_content_is_an_update_and_reingest_is_idempotent() {
    let mut p = Pipeline::new(Store::open_in_memory().unwrap()).unwrap();
    let a = rec(
        "goose",
        "https://goose.example/jobs/7",
        "Captain A320",
        "Goose",
    );
    let Outcome::New { job_id } = p.push(a.clone(), Origin::Line(1)).unwrap() else {
        panic!()
    };
    let mut changed = a.clone();
    changed.title = "Captain A320 (Base: Dublin)".into();
    changed.scraped_at = Some("2026-11-21T08:00:00Z".into());
    assert_eq!(
        p.push(changed.clone(), Origin::Line(2)).unwrap(),
        Outcome::Updated { job_id }
    );
    assert_eq!(
        p.push(changed, Origin::Line(3)).unwrap(),
        Outcome::Unchanged { job_id }
    );
    let store = p.into_store().unwrap();
    let (title, first, last): (String, String, String) = store
        .conn()
        .query_row(
            "SELECT title, first_seen_at, last_seen_at FROM jobs WHERE id = ?1",
            [job_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(title, "Captain A320 (Base: Dublin)");
    assert_eq!(first, "2026-11-20T08:00:00Z");
    assert_eq!(last, "2026-11-21T08:00:00Z");
}

#[test]
fn fuzzy_match_merges_across_sources_but_never_within_one_source() {
    let mut p = Pipeline::new(Store::open_in_memory().unwrap()).unwrap();
    let a = rec(
        "airline",
        "https://careers.example/j/1",
        "Captain A320",
        "Example Air",
    );
    let Outcome::New { job_id } = p.push(a, Origin::Line(1)).unwrap() else {
        panic!()
    };
    let b = rec(
        "aggregator",
        "https://agg.example/x/99",
        "Captain A320",
        "Example Air",
    );
    match p.push(b, Origin::Line(2)).unwrap() {
        Outcome::Merged { job_id: j, reason } => {
            assert_eq!(j, job_id);
            assert!(!reason.is_empty());
        }
        other => panic!("expected Merged, got {other:?}"),
    }
    // The same title again from the airline under another URL is another vacancy.
    let c = rec(
        "airline",
        "https://careers.example/j/2",
        "Captain A320",
        "Example Air",
    );
    assert!(matches!(
        p.push(c, Origin::Line(3)).unwrap(),
        Outcome::New { .. }
    ));
    let store = p.into_store().unwrap();
    assert_eq!(count(&store, "jobs"), 2);
    assert_eq!(count(&store, "job_sources"), 3);
    let reason: Option<String> = store
        .conn()
        .query_row(
            "SELECT merge_reason FROM job_sources WHERE source = 'aggregator'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(reason.is_some());
}

/// A database written before jobs were filed under match keys (schema 4) gets its jobs filed
/// when it migrates, so new listings still merge into old jobs.
#[test]
fn migrating_files_existing_jobs_under_match_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let mut p = Pipeline::new(Store::open(&path).unwrap()).unwrap();
    let a = rec(
        "airline",
        "https://careers.example/j/1",
        "Captain A320",
        "Example Air",
    );
    let Outcome::New { job_id } = p.push(a, Origin::Line(1)).unwrap() else {
        panic!()
    };
    let store = p.into_store().unwrap();
    // Back to schema 4: no match_keys table.
    store
        .conn()
        .execute_batch("DROP TABLE match_keys; PRAGMA user_version = 4;")
        .unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        aeroscrap::store::latest_version()
    );
    assert!(count(&store, "match_keys") >= 1);
    let mut p = Pipeline::new(store).unwrap();
    let b = rec(
        "aggregator",
        "https://agg.example/x/99",
        "A320 Captain",
        "Example Air Ltd",
    );
    match p.push(b, Origin::Line(2)).unwrap() {
        Outcome::Merged { job_id: j, .. } => assert_eq!(j, job_id),
        other => panic!("expected Merged into the old job, got {other:?}"),
    }
}

#[test]
fn migrating_keys_existing_listings_by_url_hash() {
    // A schema-5 database (listings with a UNIQUE url, no url_key), written by SQL alone.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    let conn = database_at_version(&path, 5);
    conn.execute_batch(
        "INSERT INTO jobs (id, title, first_seen_at, last_seen_at, content_hash)
             VALUES (7, 'B1 Engineer', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 'x');
         INSERT INTO jobs_fts (rowid, title) VALUES (7, 'B1 Engineer');
         INSERT INTO job_sources (id, job_id, source, url, raw, first_seen_at, last_seen_at,
                 content_hash)
             VALUES (3, 7, 'goose', 'https://goose.example/jobs/1', '{}',
                 '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 'x');",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        aeroscrap::store::latest_version()
    );
    let (key, raw): (i64, String) = store
        .conn()
        .query_row(
            "SELECT url_key, raw FROM job_sources WHERE id = 3",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        key,
        aeroscrap::store::url_key("https://goose.example/jobs/1")
    );
    assert_eq!(raw, "{}", "rows are copied as they were");
    // The lookup by URL uses the new key: the same URL (another spelling) is the same listing.
    let mut p = Pipeline::new(store).unwrap();
    let again = rec(
        "goose",
        "HTTPS://goose.example/jobs/1/#top",
        "B1 Engineer",
        "Goose",
    );
    let out = p.push(again, Origin::Line(1)).unwrap();
    assert!(
        matches!(out, Outcome::Updated { job_id: 7 }),
        "expected the migrated listing of job 7, got {out:?}"
    );
    let store = p.into_store().unwrap();
    assert_eq!(count(&store, "job_sources"), 1);
    let indexes: Vec<String> = store
        .conn()
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'job_sources'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        indexes.contains(&"job_sources_url".to_string()),
        "{indexes:?}"
    );
    assert!(
        !indexes.contains(&"job_sources_source_run".to_string()),
        "{indexes:?}"
    );
    // A second listing with a URL already stored is still refused by the writer's lookup:
    // another source with that URL is the same listing, not a new one.
    let mut p = Pipeline::new(store).unwrap();
    let other = rec(
        "hawk",
        "https://goose.example/jobs/1",
        "B1 Engineer",
        "Goose",
    );
    assert!(!matches!(
        p.push(other, Origin::Line(2)).unwrap(),
        Outcome::New { .. } | Outcome::Merged { .. }
    ));
    let store = p.into_store().unwrap();
    assert_eq!(count(&store, "job_sources"), 1);
}

#[test]
fn invalid_records_go_to_rejects_with_origin_and_reason() {
    let mut p = Pipeline::new(Store::open_in_memory().unwrap()).unwrap();
    p.set_input_name(Some("feed.jsonl".into()));
    let no_title = rec("goose", "https://goose.example/jobs/1", "  ", "Goose");
    let out = p.push(no_title, Origin::Line(4)).unwrap();
    assert_eq!(
        out,
        Outcome::Rejected {
            reason: "missing required field `title`".into()
        }
    );
    // Input that is not even a record (a bad JSON line) is handed over as `Ready::Invalid`.
    let bad = Ready::Invalid {
        source: None,
        raw: "{not json".into(),
        reason: "bad JSON: key must be a string".into(),
    };
    p.store_ready(&bad, Origin::Line(9)).unwrap();
    let store = p.into_store().unwrap();
    let rows: Vec<(String, Option<i64>, String)> = store
        .conn()
        .prepare("SELECT origin, line, reason FROM rejects ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "feed.jsonl:4".to_string(),
                Some(4),
                "missing required field `title`".to_string()
            ),
            (
                "feed.jsonl:9".to_string(),
                Some(9),
                "bad JSON: key must be a string".to_string()
            ),
        ]
    );
}

#[test]
fn seeing_an_expired_job_again_reactivates_it() {
    let mut p = Pipeline::new(Store::open_in_memory().unwrap()).unwrap();
    let a = rec(
        "goose",
        "https://goose.example/jobs/3",
        "Dispatcher",
        "Goose",
    );
    let Outcome::New { job_id } = p.push(a.clone(), Origin::Line(1)).unwrap() else {
        panic!()
    };
    p.flush().unwrap();
    p.store()
        .conn()
        .execute("UPDATE jobs SET status = 'expired' WHERE id = ?1", [job_id])
        .unwrap();
    p.push(a, Origin::Line(2)).unwrap();
    let status: String = p
        .store()
        .conn()
        .query_row("SELECT status FROM jobs WHERE id = ?1", [job_id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "active");
}

#[test]
fn crawl_runs_and_source_logs_round_trip() {
    let store = Store::open_in_memory().unwrap();
    let run = store.begin_run("cli").unwrap();
    let mut log = SourceRunLog {
        source: "goose".into(),
        status: "ok".into(),
        pages_fetched: 3,
        items_found: 40,
        items_new: 38,
        items_rejected: 2,
        ..Default::default()
    };
    log.http_status.insert(200, 3);
    store.record_source(run, &log).unwrap();
    store.finish_run(run, "ok").unwrap();
    let runs = store.runs(10).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, "ok");
    assert!(runs[0].finished_at.is_some());
    let logs = store.run_sources(run).unwrap();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].items_new, 38);
    assert_eq!(logs[0].http_status.get(&200), Some(&3));
    assert_eq!(
        store.last_source_log("goose").unwrap().unwrap().status,
        "ok"
    );
}

fn search_ids(store: &Store, q: &str) -> Vec<i64> {
    store
        .search_jobs(q, 10)
        .unwrap()
        .into_iter()
        .map(|j| j.id)
        .collect()
}

#[test]
fn full_text_index_follows_new_updated_and_merged_jobs() {
    let mut p = Pipeline::new(Store::open_in_memory().unwrap()).unwrap();
    let a = rec(
        "airline",
        "https://careers.example/j/1",
        "Captain A320",
        "Example Air",
    );
    let Outcome::New { job_id } = p.push(a.clone(), Origin::Line(1)).unwrap() else {
        panic!()
    };
    p.flush().unwrap();
    assert_eq!(search_ids(p.store(), "captain"), [job_id]);

    // The primary listing changes its title: the old words leave the index.
    let mut renamed = a.clone();
    renamed.title = "Commander A320".into();
    assert_eq!(
        p.push(renamed, Origin::Line(2)).unwrap(),
        Outcome::Updated { job_id }
    );
    p.flush().unwrap();
    assert_eq!(search_ids(p.store(), "commander"), [job_id]);
    assert!(search_ids(p.store(), "captain").is_empty());

    // A merged listing fills the missing description, which becomes searchable.
    let mut b = rec(
        "aggregator",
        "https://agg.example/9",
        "Commander A320",
        "Example Air",
    );
    b.description = Some("Based in Reykjavik".into());
    assert!(matches!(
        p.push(b, Origin::Line(3)).unwrap(),
        Outcome::Merged { .. }
    ));
    let store = p.into_store().unwrap();
    assert_eq!(search_ids(&store, "reykjavik"), [job_id]);
    let check: rusqlite::Result<()> = store
        .conn()
        .execute_batch("INSERT INTO jobs_fts (jobs_fts, rank) VALUES ('integrity-check', 1)");
    assert!(check.is_ok(), "{check:?}");
}

/// Synthetic records plus everything a lookahead can miss: the same listing again soon after
/// (unchanged; with a new description; with a new title, which re-files a primary listing's
/// job), listings first seen without their external id (learned from the next copy), and
/// undated listings.
fn lookahead_mix() -> Vec<RawRecord> {
    let base: Vec<RawRecord> = aeroscrap::synth::records(23, 4_000).collect();
    let mut out = Vec::with_capacity(base.len() * 2);
    for (i, r) in base.iter().enumerate() {
        if i % 11 == 3 && r.external_id.is_some() {
            let mut early = r.clone();
            early.external_id = None;
            out.push(early);
        }
        let mut r = r.clone();
        if i % 13 == 5 {
            r.posted_date = None;
        }
        out.push(r);
        if i >= 60 {
            let mut again = base[i - 1 - (i * 7) % 60].clone();
            match i % 5 {
                0 => {}
                1 => {
                    let text = again.description.unwrap_or_default();
                    again.description = Some(format!("{text} Roster updated ({i})."));
                }
                2 => again.title = format!("{} (relocation {})", again.title, i % 3),
                _ => continue,
            }
            out.push(again);
        }
    }
    out
}

/// Every row of `table`, in a fixed order.
fn rows(store: &Store, table: &str, order: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let mut stmt = store
        .conn()
        .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The writer looks a listing and its fuzzy candidates up from the lookahead the reader thread
/// computed in an older snapshot, checked against what it wrote since. Whatever the timing and
/// batch size, the database must come out exactly as when the writer looks everything up
/// itself, record by record.
#[test]
fn lookups_done_ahead_store_exactly_what_the_writer_would_alone() {
    let recs = lookahead_mix();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("mix.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    aeroscrap::synth::write_records(recs.iter().cloned(), &mut file).unwrap();
    drop(file);
    for batch in [3_000, 400, 37] {
        let alone_path = dir.path().join(format!("alone-{batch}.db"));
        let mut alone = Pipeline::new(Store::open(&alone_path).unwrap()).unwrap();
        alone.set_batch_size(batch);
        let mut expected = [0u64; 4];
        for (i, r) in recs.iter().enumerate() {
            let slot = match alone.push(r.clone(), Origin::Line(i as u64 + 1)).unwrap() {
                Outcome::New { .. } => 0,
                Outcome::Updated { .. } => 1,
                Outcome::Unchanged { .. } => 2,
                Outcome::Merged { .. } => 3,
                other => panic!("record {i}: {other:?}"),
            };
            expected[slot] += 1;
        }
        assert_eq!(alone.lookahead_counts().listings_ahead, 0);
        let alone = alone.into_store().unwrap();

        let ahead_path = dir.path().join(format!("ahead-{batch}.db"));
        let mut ahead = Pipeline::new(Store::open(&ahead_path).unwrap()).unwrap();
        ahead.set_batch_size(batch);
        let summary = aeroscrap::cli::ingest::ingest_reader_with(
            &mut ahead,
            std::fs::File::open(&input).unwrap(),
            aeroscrap::cli::ingest::InputFormat::Jsonl,
            "mix.jsonl",
            &aeroscrap::cli::ingest::IngestOptions {
                lookahead: aeroscrap::cli::ingest::Lookahead::Always,
                stop: None,
            },
        )
        .unwrap();
        let counts = ahead.lookahead_counts();
        let ahead = ahead.into_store().unwrap();
        let got = [
            summary.new_jobs,
            summary.updated,
            summary.unchanged,
            summary.merged,
        ];
        assert_eq!(got, expected, "batch {batch}: new/updated/unchanged/merged");
        assert!(
            expected.iter().all(|&n| n > 100),
            "the mix exercises every outcome: {expected:?}"
        );
        // Every record was checked; with batches longer than the reader runs ahead, most
        // lookaheads were usable. With tiny batches the snapshots lag more commits than the
        // writer keeps a log of, and it looks up itself.
        let listings = counts.listings_ahead + counts.listings_self;
        assert_eq!(listings, recs.len() as u64, "batch {batch}: {counts:?}");
        if batch >= 400 {
            assert!(
                counts.listings_ahead * 2 > listings
                    && counts.probes_ahead * 2 > counts.probes_self,
                "batch {batch}: {counts:?}"
            );
        }
        for (table, order) in [
            ("jobs", "id"),
            ("job_sources", "id"),
            ("match_keys", "bucket, key, day, cc, job_id"),
            ("jobs_fts_data", "id"),
            ("jobs_fts_docsize", "id"),
        ] {
            let (a, b) = (rows(&alone, table, order), rows(&ahead, table, order));
            assert_eq!(a.len(), b.len(), "batch {batch}: rows of {table}");
            if let Some(i) = (0..a.len()).find(|&i| a[i] != b[i]) {
                panic!(
                    "batch {batch}: {table} row {i} differs:\n{:?}\n{:?}",
                    a[i], b[i]
                );
            }
        }
    }
}

/// Another process may commit between two of the writer's batches (ingest takes no run lock).
/// A lookahead from before that commit cannot be checked against the writer's own log, so the
/// writer must notice the foreign write and look up itself — here, find the listing the other
/// process stored instead of storing it a second time.
#[test]
fn a_write_by_another_connection_voids_older_lookaheads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.db");
    let mut p = Pipeline::new(Store::open(&path).unwrap()).unwrap();
    let source = p.lookahead_source().unwrap();
    let first = rec(
        "goose",
        "https://goose.example/jobs/1",
        "B1 Engineer",
        "Goose",
    );
    p.push(first, Origin::Line(1)).unwrap();
    p.flush().unwrap();

    let b = rec(
        "goose",
        "https://goose.example/jobs/2",
        "Cabin Crew",
        "Goose",
    );
    let Ready::Job(mut prep) = aeroscrap::pipeline::prepare(p.normalizer(), b.clone(), None) else {
        panic!("a valid record")
    };
    let reader = Store::open(&path).unwrap();
    let commits = source.commits.load(std::sync::atomic::Ordering::Acquire);
    reader.conn().execute_batch("BEGIN").unwrap();
    prep.lookahead =
        Some(aeroscrap::store::lookahead::look_ahead(&reader, &prep, commits).unwrap());
    reader.conn().execute_batch("COMMIT").unwrap();

    let mut other = Pipeline::new(Store::open(&path).unwrap()).unwrap();
    assert!(matches!(
        other.push(b, Origin::Line(1)).unwrap(),
        Outcome::New { .. }
    ));
    other.into_store().unwrap();

    let out = p.store_ready(&Ready::Job(prep), Origin::Line(2)).unwrap();
    assert!(matches!(out, Outcome::Unchanged { .. }), "{out:?}");
    assert_eq!(p.lookahead_counts().listings_self, 2);
    let store = p.into_store().unwrap();
    assert_eq!(count(&store, "job_sources"), 2);
}
