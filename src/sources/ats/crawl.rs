//! The crawl loop shared by every preset: list pages through the preset's planner and parser,
//! detail calls, records handed to the caller's [`Driver`] page by page.

use super::{AtsCtx, AtsError, Cursor, MAX_LIST_PAGES, PlannedRequest, Preset, Response};
use crate::model::RawRecord;

/// A response as a [`Driver`] returns it (whatever its status).
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    /// Final URL.
    pub url: String,
    /// HTTP status.
    pub status: u16,
    /// Body text (for an error status, at least its start).
    pub body: String,
}

/// What [`crawl`] needs from its caller: a way to make requests and a place for records.
/// The engine's driver uses the polite, retrying fetcher and the record sink; tests use a plain
/// HTTP client and a vector.
pub trait Driver {
    /// Why the driver could not go on (no response at all, writer gone…).
    type Error;

    /// Makes one request. An HTTP error status is `Ok` (presets read API error bodies);
    /// `Err` means no usable response (network, block, robots).
    fn fetch(
        &mut self,
        req: &PlannedRequest,
    ) -> impl Future<Output = Result<Fetched, Self::Error>> + Send;

    /// Hands over one finished record.
    fn emit(&mut self, record: RawRecord) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Records a problem that does not end the source (a failed detail call).
    fn warn(&mut self, message: String);

    /// True when nothing more should be fetched (cancelled, item limit reached).
    fn should_stop(&self) -> bool {
        false
    }

    /// Most list pages to fetch.
    fn max_pages(&self) -> u32 {
        MAX_LIST_PAGES
    }

    /// Skip detail calls (quick `sources test` runs).
    fn skip_details(&self) -> bool {
        false
    }

    /// The API confirmed the board has no open jobs: zero records is a valid answer.
    fn confirm_empty(&mut self) {}
}

/// Why a [`crawl`] ended early.
#[derive(Debug)]
pub enum CrawlError<E> {
    /// The API answered something that ends the source (unknown board, bad shape…).
    Ats(AtsError),
    /// The driver failed (no response, writer gone).
    Driver(E),
}

/// Counters of one [`crawl`].
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CrawlStats {
    /// List pages fetched.
    pub list_pages: u32,
    /// Detail requests made.
    pub detail_requests: u32,
    /// Records emitted.
    pub emitted: usize,
    /// Jobs the API returned but the preset dropped on purpose (unlisted, unpublished).
    pub skipped: usize,
}

/// Crawls one board: each list page, then the detail call of each listing on it, emitting
/// records page by page. A failed list page ends the crawl with an error; a failed detail call
/// is a warning and the record keeps what the list said.
pub async fn crawl<D: Driver>(
    preset: &dyn Preset,
    ctx: &AtsCtx,
    driver: &mut D,
) -> Result<CrawlStats, CrawlError<D::Error>> {
    let mut stats = CrawlStats::default();
    let mut cursor = Cursor::first();
    let max_pages = driver.max_pages().min(MAX_LIST_PAGES);
    loop {
        if driver.should_stop() {
            break;
        }
        let req = preset.request(&cursor);
        stats.list_pages += 1;
        let fetched = driver.fetch(&req).await.map_err(CrawlError::Driver)?;
        let resp = Response {
            url: &fetched.url,
            status: fetched.status,
            body: &fetched.body,
        };
        if !(200..300).contains(&resp.status) {
            return Err(CrawlError::Ats(preset.list_status_error(
                ctx,
                cursor.page,
                &resp,
            )));
        }
        let page = preset
            .parse_list(ctx, &mut cursor, &resp)
            .map_err(CrawlError::Ats)?;
        stats.skipped += page.skipped;
        for w in page.warnings {
            driver.warn(format!("source \"{}\": {} {w}", ctx.name, preset.kind()));
        }
        for mut listing in page.listings {
            if driver.should_stop() {
                return Ok(stats);
            }
            if let Some(req) = listing.detail.take().filter(|_| !driver.skip_details()) {
                stats.detail_requests += 1;
                detail(preset, ctx, driver, &req, &mut listing.record).await;
            }
            if listing.record.company.is_none() {
                listing.record.company = ctx.company.clone();
            }
            driver
                .emit(listing.record)
                .await
                .map_err(CrawlError::Driver)?;
            stats.emitted += 1;
        }
        if !page.more {
            if stats.emitted == 0 && preset.empty_is_confirmed() {
                driver.confirm_empty();
            }
            break;
        }
        if cursor.page >= max_pages {
            driver.warn(format!(
                "source \"{}\": {} stopped after {max_pages} list pages (page limit)",
                ctx.name,
                preset.kind()
            ));
            break;
        }
        cursor.page += 1;
    }
    Ok(stats)
}

/// One detail call merged into `record`; any failure only warns.
async fn detail<D: Driver>(
    preset: &dyn Preset,
    ctx: &AtsCtx,
    driver: &mut D,
    req: &PlannedRequest,
    record: &mut RawRecord,
) {
    let why = match driver.fetch(req).await {
        Ok(f) if (200..300).contains(&f.status) => {
            let resp = Response {
                url: &f.url,
                status: f.status,
                body: &f.body,
            };
            match preset.parse_detail(ctx, record, &resp) {
                Ok(()) => return,
                Err(e) => e.to_string(),
            }
        }
        Ok(f) => format!("answered HTTP {}", f.status),
        Err(_) => "failed".to_string(),
    };
    driver.warn(format!(
        "source \"{}\": {} detail {} {why}; kept the list data",
        ctx.name,
        preset.kind(),
        req.url
    ));
}
