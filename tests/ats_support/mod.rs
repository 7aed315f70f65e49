//! Shared helpers for the ATS preset tests: start the loopback mock, crawl a config through it.

#![allow(dead_code)]

use aeroscrap::model::RawRecord;
use aeroscrap::sources::ats::mock::MockAts;
use aeroscrap::sources::ats::{
    AtsConfig, CrawlOutcome, Fetched, Method, PlannedRequest, SourceCtx, crawl,
};

/// A running mock and its root URL (`http://127.0.0.1:PORT`).
pub struct Mock {
    pub ats: MockAts,
    pub root: String,
}

/// Starts the mock on an ephemeral loopback port.
pub async fn start() -> Mock {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    let ats = MockAts::new();
    tokio::spawn(ats.clone().serve(listener));
    Mock { ats, root }
}

/// Parses a preset config written as TOML (with `kind`).
pub fn config(toml_text: &str) -> AtsConfig {
    toml::from_str(toml_text).unwrap_or_else(|e| panic!("bad test config: {e}\n{toml_text}"))
}

/// Crawls `toml_text` as source `name` through plain reqwest (no politeness needed here).
pub async fn crawl_config(name: &str, company: Option<&str>, toml_text: &str) -> CrawlOutcome {
    let preset = config(toml_text).build(name).expect("config builds");
    let ctx = SourceCtx::new(name, company.map(str::to_string));
    let client = reqwest::Client::new();
    crawl(preset.as_ref(), &ctx, async |req: &PlannedRequest| {
        let mut rb = match req.method {
            Method::Get => client.get(&req.url),
            Method::Post => client.post(&req.url),
        };
        for (k, v) in &req.headers {
            rb = rb.header(k, v);
        }
        if let Some(b) = &req.body {
            rb = rb.body(b.clone());
        }
        let resp = rb.send().await.map_err(|e| e.to_string())?;
        let url = resp.url().to_string();
        let status = resp.status().as_u16();
        let body = resp.text().await.map_err(|e| e.to_string())?;
        Ok(Fetched { url, status, body })
    })
    .await
}

/// The record with this external id.
pub fn by_id<'a>(records: &'a [RawRecord], id: &str) -> &'a RawRecord {
    records
        .iter()
        .find(|r| r.external_id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no record with external_id {id}: {records:#?}"))
}
