//! Shared helpers for the engine tests: loopback servers, fast politeness, running sources.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aeroscrap::config::{GlobalConfig, parse_source};
use aeroscrap::fetch::{Fetcher, PolitenessConfig};
use aeroscrap::model::RawRecord;
use aeroscrap::scrape::{self, DryRunWriter, ScrapeOptions, ScrapeSummary, SourceOutcome};
use aeroscrap::sources::{RunLimits, SourceSpec};
use axum::Router;

/// Serves `router` on 127.0.0.1:0 and returns its base URL (`http://127.0.0.1:PORT`).
pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    format!("http://{addr}")
}

/// Global config for tests: no per-host delay, fast retries, short timeouts.
pub fn fast_global() -> GlobalConfig {
    GlobalConfig {
        contact: Some("tests@aeroscrap.invalid".into()),
        politeness: PolitenessConfig {
            delay_ms: Some(0),
            max_concurrency: Some(4),
            timeout_ms: Some(2000),
            retries: Some(2),
            retry_base_ms: Some(10),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A fetcher with [`fast_global`].
pub fn fetcher() -> Fetcher {
    Fetcher::from_config(&fast_global()).unwrap()
}

/// Compiles a source config from TOML text.
pub fn spec(name: &str, toml_text: &str) -> SourceSpec {
    parse_source(Path::new(&format!("{name}.toml")), toml_text)
        .unwrap_or_else(|e| panic!("{e}"))
        .compile()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `specs` as one dry scrape; returns the summary and every record.
pub async fn run(specs: Vec<SourceSpec>) -> (ScrapeSummary, Vec<RawRecord>) {
    let opts = ScrapeOptions {
        trigger: "test".into(),
        ..Default::default()
    };
    let writer = || {
        Ok(DryRunWriter {
            keep: true,
            ..Default::default()
        })
    };
    scrape::scrape(fetcher(), specs, vec![], writer, opts)
        .await
        .unwrap()
}

/// Runs one source alone.
pub async fn run_one(spec: SourceSpec) -> (Vec<RawRecord>, SourceOutcome) {
    scrape::run_single(fetcher(), spec, RunLimits::default())
        .await
        .unwrap()
}

/// The outcome of source `name`.
pub fn outcome<'a>(s: &'a ScrapeSummary, name: &str) -> &'a SourceOutcome {
    s.sources.iter().find(|o| o.name == name).unwrap()
}

/// A log of requests a server saw: (path with query, when).
#[derive(Clone, Default)]
pub struct Hits(pub Arc<Mutex<Vec<(String, Instant)>>>);

impl Hits {
    pub fn add(&self, p: impl Into<String>) {
        self.0.lock().unwrap().push((p.into(), Instant::now()));
    }
    pub fn paths(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(p, _)| p.clone())
            .collect()
    }
    pub fn times(&self, path: &str) -> Vec<Instant> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, t)| *t)
            .collect()
    }
}

/// A small listing page with `n` postings linking to `/job/{i}`.
pub fn listing(n: usize, prefix: &str) -> String {
    let mut s = String::from("<html><body><ul class=\"jobs\">");
    for i in 1..=n {
        s.push_str(&format!(
            "<li class=\"job\"><a href=\"{prefix}/job/{i}\">Job {i}</a><span class=\"loc\">Dublin, Ireland</span></li>"
        ));
    }
    s.push_str("</ul></body></html>");
    s
}

/// A minimal html source over `base` reading [`listing`] pages at `path`.
pub fn listing_source(name: &str, base: &str, path: &str) -> SourceSpec {
    spec(
        name,
        &format!(
            r#"kind = "html"
base_url = "{base}"
start_urls = ["{path}"]
[list]
item = "li.job"
[list.fields]
title = "a"
url = "a @href"
location = "span.loc"
"#
        ),
    )
}
