//! AeroScrap keeps an up-to-date, deduplicated database of aviation jobs scraped from airline,
//! MRO, airport and recruiter career sites.
//!
//! The data flows one way:
//! sources ([`sources`], driven by [`fetch`]) produce [`model::RawRecord`]s; the
//! [`normalize`] module turns them into [`model::NormalizedJob`]s; the [`dedup`] module decides
//! which canonical job each belongs to; the [`store`] keeps them in SQLite; [`export`] writes
//! them out. [`pipeline`] wires these together with one writer fed by a bounded channel.

#![warn(missing_docs)]

pub mod cli;
pub mod config;
pub mod dedup;
pub mod demo;
pub mod error;
pub mod export;
pub mod fetch;
pub mod logging;
pub mod model;
pub mod normalize;
pub mod ops;
pub mod pipeline;
pub mod scrape;
pub mod sources;
pub mod store;
pub mod synth;
