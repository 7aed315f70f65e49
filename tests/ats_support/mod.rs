//! Shared helpers for the ATS preset tests: start the loopback mock, crawl a config through it.

#![allow(dead_code)]

use aeroscrap::model::RawRecord;
use aeroscrap::sources::ats::mock::MockAts;
use aeroscrap::sources::ats::{
    AtsConfig, AtsCtx, AtsError, CrawlError, Driver, Fetched, Method, PlannedRequest, Preset, crawl,
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

/// Parses a preset config written as TOML (with `kind`, maybe `base_url`) and builds it.
pub fn build(name: &str, toml_text: &str) -> Result<Box<dyn Preset>, AtsError> {
    let mut table: toml::Table =
        toml::from_str(toml_text).unwrap_or_else(|e| panic!("bad test TOML: {e}\n{toml_text}"));
    let base_url = table
        .remove("base_url")
        .map(|b| b.as_str().unwrap().to_string());
    let kind = table.remove("kind").unwrap();
    let cfg = AtsConfig::parse(kind.as_str().unwrap(), table)
        .unwrap_or_else(|e| panic!("bad test config: {e:?}\n{toml_text}"));
    cfg.build(name, base_url.as_deref())
}

/// Plain reqwest, collecting records and warnings.
#[derive(Default)]
pub struct TestDriver {
    client: reqwest::Client,
    pub records: Vec<RawRecord>,
    pub warnings: Vec<String>,
}

impl Driver for TestDriver {
    type Error = String;

    async fn fetch(&mut self, req: &PlannedRequest) -> Result<Fetched, String> {
        let mut rb = match req.method {
            Method::Get => self.client.get(&req.url),
            Method::Post => self.client.post(&req.url),
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
    }

    async fn emit(&mut self, record: RawRecord) -> Result<(), String> {
        self.records.push(record);
        Ok(())
    }

    fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }
}

/// What a crawl through the mock gave.
pub struct Outcome {
    pub records: Vec<RawRecord>,
    pub warnings: Vec<String>,
    pub list_pages: u32,
    pub detail_requests: u32,
    pub skipped: usize,
    pub error: Option<AtsError>,
}

/// Crawls `toml_text` as source `name`.
pub async fn crawl_config(name: &str, company: Option<&str>, toml_text: &str) -> Outcome {
    let preset = build(name, toml_text).expect("config builds");
    let ctx = AtsCtx::new(name, company.map(str::to_string));
    let mut driver = TestDriver::default();
    let result = crawl(preset.as_ref(), &ctx, &mut driver).await;
    let (stats, error) = match result {
        Ok(stats) => (stats, None),
        Err(CrawlError::Ats(e)) => (Default::default(), Some(e)),
        Err(CrawlError::Driver(e)) => panic!("transport failed: {e}"),
    };
    Outcome {
        records: driver.records,
        warnings: driver.warnings,
        list_pages: stats.list_pages,
        detail_requests: stats.detail_requests,
        skipped: stats.skipped,
        error,
    }
}

/// The record with this external id.
pub fn by_id<'a>(records: &'a [RawRecord], id: &str) -> &'a RawRecord {
    records
        .iter()
        .find(|r| r.external_id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no record with external_id {id}: {records:#?}"))
}
