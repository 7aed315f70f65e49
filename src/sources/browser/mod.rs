//! Headless-browser sources (`kind = "browser"`): real Chromium driven by chromiumoxide.
//!
//! Some career sites only show jobs after JavaScript ran, behind a cookie banner, a "load more"
//! button or infinite scroll. This module renders such pages in Chromium and hands the DOM to
//! the same list/field extraction as the `html` engine.
//!
//! - [`discover`] finds the executable (`--chromium`, `AEROSCRAP_CHROMIUM`, `PATH`).
//! - [`process`] owns one Chromium process group and its temporary profile, and guarantees that
//!   nothing survives us ([`kill_all`] for Ctrl-C handlers).
//! - [`pool`] launches Chromium lazily, once per run, and lends out reusable tabs.
//! - [`spec`] is the configuration (wait condition, cookie button, steps) and its validation.
//! - [`wait`] and [`steps`] drive the page; [`render`] ties them together into
//!   [`BrowserPool::render`].
//! - [`shared`] holds the run's pool ([`run_scope`]); [`source`] is the `kind = "browser"`
//!   engine, reusing the `html` engine's extraction on the rendered DOM.
//! - [`fixture`] serves JavaScript-only fixture pages for tests, the benchmark and the demo.

pub mod discover;
pub mod fixture;
pub mod intercept;
pub mod pool;
pub mod process;
pub mod render;
pub mod shared;
pub mod source;
pub mod spec;
pub mod steps;
pub mod wait;

pub use discover::{DiscoverError, find_chromium, missing_chromium_warning};
pub use pool::{BrowserPool, PoolOptions, PoolStats};
pub use process::kill_all;
pub use render::{RenderError, RenderedPage};
pub use shared::{RunScope, chromium_unavailable, run_scope, set_chromium, shared_pool};
pub use source::{BrowserEngine, BrowserSourceConfig};
pub use spec::{BrowserSpec, RenderConfig, Step, WaitFor};
