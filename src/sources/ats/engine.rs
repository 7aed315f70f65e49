//! The ATS presets as engine sources: config parsing for the source loader, and an
//! [`Engine`] that drives [`crawl`] with the shared polite [`Fetcher`](crate::fetch::Fetcher)
//! (politeness, retries, robots, block detection and crawl-log counters all apply) and
//! streams records into the run's [`RecordSink`].

use super::{
    AtsConfig, AtsCtx, AtsError, CrawlError, Driver, Fetched, PRESET_KINDS, PlannedRequest, Preset,
    crawl,
};
use crate::config::{KeyError, KindParseError, table_into};
use crate::fetch::{FetchError, FetchRequest};
use crate::model::RawRecord;
use crate::sources::{CommonSpec, Engine, RecordSink, SourceCtx, SourceError};
use futures::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::sync::Arc;

impl AtsConfig {
    /// Reads the keys of preset `kind` (the keys every source takes already split off), with
    /// errors that point at the offending key.
    pub fn parse(kind: &str, table: toml::Table) -> Result<Self, KindParseError> {
        if !PRESET_KINDS.contains(&kind) {
            return Err(KindParseError::Key(KeyError::new(
                "kind",
                format!(
                    "{kind:?} is not an ATS preset ({})",
                    PRESET_KINDS.join(", ")
                ),
            )));
        }
        // Each preset's struct on its own (not through the tagged enum), so serde errors keep
        // the span of the offending key.
        Ok(match kind {
            "greenhouse" => AtsConfig::Greenhouse(table_into(&table)?),
            "lever" => AtsConfig::Lever(table_into(&table)?),
            "workday" => AtsConfig::Workday(table_into(&table)?),
            "smartrecruiters" => AtsConfig::Smartrecruiters(table_into(&table)?),
            "ashby" => AtsConfig::Ashby(table_into(&table)?),
            "personio" => AtsConfig::Personio(table_into(&table)?),
            "recruitee" => AtsConfig::Recruitee(table_into(&table)?),
            "successfactors" => AtsConfig::Successfactors(table_into(&table)?),
            _ => AtsConfig::Oracle(table_into(&table)?),
        })
    }

    /// Validates the preset keys offline into a runnable engine.
    pub fn compile(&self, common: &CommonSpec) -> Result<Arc<dyn Engine>, KeyError> {
        let base_url = common.base_url.as_ref().map(url::Url::as_str);
        let preset = self.build(&common.name, base_url).map_err(|e| {
            let key = e.config_key().unwrap_or("kind").to_string();
            match e {
                AtsError::Config { message, .. } => KeyError::new(key, message),
                other => KeyError::new(key, other),
            }
        })?;
        Ok(Arc::new(AtsEngine {
            preset,
            ctx: AtsCtx::new(common.name.clone(), common.company.clone()),
        }))
    }
}

/// A compiled preset, runnable by the engine's source runner.
#[derive(Debug)]
pub struct AtsEngine {
    preset: Box<dyn Preset>,
    ctx: AtsCtx,
}

impl Engine for AtsEngine {
    fn run<'a>(
        &'a self,
        ctx: &'a SourceCtx,
        sink: &'a mut RecordSink,
    ) -> BoxFuture<'a, Result<(), SourceError>> {
        Box::pin(async move {
            let mut driver = EngineDriver { ctx, sink };
            match crawl(self.preset.as_ref(), &self.ctx, &mut driver).await {
                Ok(stats) => {
                    tracing::debug!(
                        source = %ctx.name,
                        preset = self.preset.kind(),
                        list_pages = stats.list_pages,
                        detail_requests = stats.detail_requests,
                        emitted = stats.emitted,
                        skipped = stats.skipped,
                        "ATS crawl finished"
                    );
                    Ok(())
                }
                Err(CrawlError::Ats(e)) => Err(SourceError::Other(e.to_string())),
                Err(CrawlError::Driver(e)) => Err(e),
            }
        })
    }
}

/// [`Driver`] over the engine's fetcher and record sink.
struct EngineDriver<'a> {
    ctx: &'a SourceCtx,
    sink: &'a mut RecordSink,
}

impl Driver for EngineDriver<'_> {
    type Error = SourceError;

    async fn fetch(&mut self, req: &PlannedRequest) -> Result<Fetched, SourceError> {
        let url = url::Url::parse(&req.url)
            .map_err(|e| SourceError::Other(format!("bad ATS request URL {}: {e}", req.url)))?;
        let mut headers = HeaderMap::new();
        for (k, v) in &req.headers {
            if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::from_str(v)) {
                headers.insert(k, v);
            }
        }
        let fetch = FetchRequest {
            method: match req.method {
                super::Method::Get => reqwest::Method::GET,
                super::Method::Post => reqwest::Method::POST,
            },
            url,
            headers,
            body: req.body.clone(),
        };
        match self.ctx.fetcher.request(fetch, &self.ctx.req).await {
            Ok(page) => Ok(Fetched {
                url: page.url.to_string(),
                status: page.status,
                body: page.body,
            }),
            // The preset reads the API's error answer (unknown board, `ok: false`, 422…).
            Err(FetchError::Http {
                url,
                status,
                snippet,
            }) => Ok(Fetched {
                url: url.to_string(),
                status,
                body: snippet,
            }),
            Err(e) => Err(SourceError::Fetch(e)),
        }
    }

    async fn emit(&mut self, record: RawRecord) -> Result<(), SourceError> {
        self.sink.emit(record).await
    }

    fn warn(&mut self, message: String) {
        self.ctx.warn(message);
    }

    fn should_stop(&self) -> bool {
        self.ctx.should_stop(self.sink)
    }

    fn max_pages(&self) -> u32 {
        self.ctx.page_limit(super::MAX_LIST_PAGES)
    }

    fn skip_details(&self) -> bool {
        self.ctx.limits.skip_details
    }

    fn confirm_empty(&mut self) {
        self.ctx.confirm_empty();
    }
}
