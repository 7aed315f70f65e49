//! Secrets from the environment: sent as headers, never in logs or debug output, and a
//! missing variable is a config error naming the key. (Its own test binary: the log capture
//! is process-global.)

mod engine_support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use aeroscrap::scrape::SourceStatus;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use engine_support::*;
use serde_json::{Value, json};

fn api_items(from: usize, n: usize) -> Vec<Value> {
    (from..from + n)
        .map(|i| {
            json!({"id": i, "title": format!("Aircraft Technician B1 #{i}"),
                        "location": {"city": "Luton", "country": "GB"}, "posted": "2026-11-10"})
        })
        .collect()
}

#[tokio::test]
async fn json_post_body_template_and_secret_header_from_the_environment() {
    let seen: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let s2 = seen.clone();
    let router = Router::new().route(
        "/wday/jobs",
        post(move |headers: HeaderMap, Json(body): Json<Value>| {
            let s2 = s2.clone();
            async move {
                let key = headers
                    .get("x-api-key")
                    .map(|v| v.to_str().unwrap().to_owned())
                    .unwrap_or_default();
                s2.lock().unwrap().push((key, body.clone()));
                let off = body["offset"].as_u64().unwrap() as usize;
                let n = if off < 20 { 20 } else { 3 };
                Json(json!({"total": 23, "jobPostings": api_items(off, n)})).into_response()
            }
        }),
    );
    let base = serve(router).await;
    // SAFETY: this variable is only read by this test.
    unsafe { std::env::set_var("AEROSCRAP_TEST_SECRET_KEY", "s3cr3t-value") };
    let text = format!(
        r#"kind = "json"
base_url = "{base}"
url = "/wday/jobs"
method = "POST"
body = '{{"appliedFacets": {{}}, "limit": {{limit}}, "offset": {{offset}}, "searchText": ""}}'
items = "jobPostings"
[headers]
x-api-key = "${{AEROSCRAP_TEST_SECRET_KEY}}"
[fields]
title = "title"
url = "https://jobs.example.test/job/{{id}}"
[pagination]
mode = "offset"
page_size = 20
total = "total"
"#
    );
    let spec = spec("posted", &text);
    assert!(
        !format!("{spec:?}").contains("s3cr3t-value"),
        "secret in Debug output"
    );

    // Capture every log line at TRACE level while the source runs.
    let buf: Arc<Mutex<Vec<u8>>> = Arc::default();
    let writer_buf = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || BufWriter(writer_buf.clone()))
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let (records, outcome) = run_one(spec).await;

    assert_eq!(outcome.status, SourceStatus::Ok, "{:?}", outcome.error);
    assert_eq!(records.len(), 23);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].0, "s3cr3t-value");
    assert_eq!(
        seen[1].1,
        json!({"appliedFacets": {}, "limit": 20, "offset": 20, "searchText": ""})
    );
    let logs = String::from_utf8(buf.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("source finished"),
        "logs were captured: {}",
        &logs[..logs.len().min(3000)]
    );
    assert!(!logs.contains("s3cr3t-value"), "secret leaked into logs");
}

#[test]
fn a_missing_environment_variable_is_a_config_error_naming_the_key() {
    let err = aeroscrap::config::parse_source(
        std::path::Path::new("scrapers/needs-key.toml"),
        "kind = \"json\"\nurl = \"https://api.example.test/jobs\"\n[headers]\nuser_key = \"${AEROSCRAP_TEST_UNSET_VAR}\"\n[fields]\ntitle = \"t\"\nurl = \"u\"\n",
    )
    .unwrap()
    .compile()
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "scrapers/needs-key.toml: key `headers.user_key`: environment variable AEROSCRAP_TEST_UNSET_VAR is not set"
    );
}

struct BufWriter(Arc<Mutex<Vec<u8>>>);

impl Write for BufWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
