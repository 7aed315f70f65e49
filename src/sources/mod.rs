//! Sources: one module per engine (html, json, jsonld, browser) and ATS presets.

pub mod ats;
#[cfg(feature = "browser")]
pub mod browser;
