//! Operations: run lock, scheduler (daemon), guarded expiry, shutdown signals.
//!
//! Everything the unattended daily run needs besides scraping itself: [`lock`] keeps two runs
//! apart, [`shutdown`] turns SIGINT/SIGTERM into a clean stop, [`schedule`] and [`daemon`] run
//! scrapes on crontab schedules, [`expire`] retires listings a healthy source no longer shows,
//! [`history`] reads the crawl log for `aeroscrap runs`, and [`run`] is the glue the scrape
//! command and the daemon call around each run.

pub mod daemon;
pub mod expire;
mod filled;
pub mod history;
pub mod lock;
pub mod run;
pub mod schedule;
pub mod shutdown;
