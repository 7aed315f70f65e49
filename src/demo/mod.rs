//! `aeroscrap demo`: synthetic fixture sites served from inside the binary on 127.0.0.1, a
//! full scrape of them into a fresh database, the summary, and the daily CSV. Offline, a few
//! seconds.
//!
//! The sites and their source configs live in [`sites`]; the configs are written to a
//! directory next to the demo database so they can be read as examples.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::config::{GlobalConfig, load_sources};
use crate::export::{Format, write_jobs};
use crate::fetch::Fetcher;
use crate::scrape::{self, ScrapeOptions, ScrapeSummary, SourceOutcome, SourceStatus};
use crate::sources::Cancel;
use crate::store::Store;
use crate::store::query::JobFilter;

pub mod data;
pub mod sites;

/// What the demo did.
#[derive(Debug)]
pub struct DemoReport {
    /// The scrape summary.
    pub summary: ScrapeSummary,
    /// Where the demo source configs were written.
    pub scrapers_dir: PathBuf,
    /// Jobs written to the daily CSV.
    pub csv_jobs: u64,
}

/// Directory the demo writes its source configs to: `<db stem>-scrapers` next to the db.
pub fn scrapers_dir(db: &Path) -> PathBuf {
    let stem = db
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("aeroscrap-demo");
    db.with_file_name(format!("{stem}-scrapers"))
}

/// Runs the demo: serve the sites, write their configs, scrape into `db` (first removed when
/// `fresh`; an operator's own `--db` is never removed), write the jobs first seen today to `csv`.
pub async fn run(db: &Path, csv: &Path, fresh: bool, progress: bool) -> anyhow::Result<DemoReport> {
    for suffix in ["", "-wal", "-shm"] {
        if !fresh {
            break;
        }
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing old {}", p.display())),
        }
    }
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let dir = scrapers_dir(db);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for entry in std::fs::read_dir(&dir)? {
        let p = entry?.path();
        if p.extension().is_some_and(|x| x == "toml") {
            std::fs::remove_file(&p)?;
        }
    }

    let mut skipped = Vec::new();
    for site in sites::sites() {
        if let Some(reason) = (site.unavailable)() {
            let mut o = SourceOutcome::failed(site.name, "demo", reason);
            o.status = SourceStatus::Skipped;
            skipped.push(o);
            continue;
        }
        let base = serve((site.router)()).await?;
        let path = dir.join(format!("{}.toml", site.name));
        std::fs::write(&path, (site.config)(&base))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let specs = load_sources(&dir)?
        .iter()
        .map(|c| c.compile())
        .collect::<Result<Vec<_>, _>>()?;

    let global = GlobalConfig {
        contact: Some("aeroscrap demo, offline".into()),
        ..Default::default()
    };
    let opts = ScrapeOptions {
        trigger: "demo".into(),
        max_pages: None,
        progress,
        cancel: Cancel::new(),
    };
    let summary = scrape::scrape_db(
        Some(db.to_owned()),
        Fetcher::from_config(&global)?,
        specs,
        skipped,
        opts,
    )
    .await?;

    let today = chrono::Utc::now().date_naive();
    let store = Store::open(db)?;
    let filter = JobFilter {
        since: Some(today),
        until: Some(today),
        ..Default::default()
    };
    let file = std::fs::File::create(csv).with_context(|| format!("creating {}", csv.display()))?;
    let mut out = BufWriter::new(file);
    let csv_jobs = write_jobs(&store, &filter, Format::Csv, &mut out)
        .with_context(|| format!("writing {}", csv.display()))?;
    out.flush()?;
    Ok(DemoReport {
        summary,
        scrapers_dir: dir,
        csv_jobs,
    })
}

/// Serves `router` on 127.0.0.1 on a free port; returns `http://127.0.0.1:PORT`.
pub async fn serve(router: axum::Router) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding a loopback port for a demo site")?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!(error = %e, "demo site stopped");
        }
    });
    Ok(format!("http://{addr}"))
}
