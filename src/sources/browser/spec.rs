//! What to do with a page in the browser: the configuration keys (`[wait]`, `cookie_button`,
//! `[[steps]]`, `next_button`) and their validated form, [`BrowserSpec`].
//!
//! Selectors are parsed once when the config is loaded, so a typo fails `sources check` and
//! not the nightly run. The browser evaluates them with `querySelector`, whose CSS dialect is a
//! superset of what the `scraper` crate accepts, so anything that validates here works there.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// How long to wait for the wait condition unless `[wait] timeout` says otherwise.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a navigation (up to the `load` event) may take.
pub const DEFAULT_NAVIGATION_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to wait for new content after a "load more" click or a scroll.
pub const DEFAULT_STEP_TIMEOUT: Duration = Duration::from_secs(5);
/// How many times a `click_repeat` step clicks at most unless `max` says otherwise.
pub const DEFAULT_CLICK_REPEAT_MAX: u32 = 10;
/// How many times a `scroll` step scrolls at most unless `times` says otherwise.
pub const DEFAULT_SCROLL_TIMES: u32 = 10;
/// How many pages a `next_button` walk visits at most unless `max_pages` says otherwise.
pub const DEFAULT_NEXT_MAX_PAGES: u32 = 10;

/// The wait condition as written in TOML (`[wait]`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WaitConfig {
    /// Wait until this CSS selector matches an element (typically the list item selector).
    pub selector: Option<String>,
    /// Wait until the network is idle (no request for 500 ms after the `load` event).
    #[serde(default)]
    pub network_idle: bool,
    /// Give up after this long (e.g. `"15s"`); the page then fails with a timeout error.
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub timeout: Option<Duration>,
}

/// One step run after the wait condition, before extraction (`[[steps]]`, tagged by `action`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepConfig {
    /// Click the element once if it is present and visible (a banner, a tab, "show all").
    Click {
        /// CSS selector of the element.
        selector: String,
    },
    /// Click a "load more" button until it disappears or is disabled, at most `max` times,
    /// waiting after each click for more list items.
    ClickRepeat {
        /// CSS selector of the button.
        selector: String,
        /// Maximum number of clicks (default 10).
        max: Option<u32>,
    },
    /// Scroll to the bottom up to `times` times, stopping early when no new content arrives.
    Scroll {
        /// Maximum number of scrolls (default 10).
        times: Option<u32>,
    },
    /// Wait for a selector to appear, or a fixed time.
    Wait {
        /// CSS selector to wait for.
        selector: Option<String>,
        /// Fixed pause (e.g. `"500ms"`), when no selector is given.
        #[serde(default, deserialize_with = "de_duration_opt")]
        duration: Option<Duration>,
    },
}

/// Every browser-specific key of a `kind = "browser"` source, flattened into its config.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct RenderConfig {
    /// The wait condition after navigation.
    #[serde(default)]
    pub wait: WaitConfig,
    /// A cookie-consent button, clicked whenever it shows up (before or during the wait).
    pub cookie_button: Option<String>,
    /// Steps run in order after the wait condition.
    #[serde(default)]
    pub steps: Vec<StepConfig>,
    /// A JavaScript "next page" button: the listing is extracted, the button clicked, and so on.
    pub next_button: Option<String>,
    /// Maximum listing pages visited through `next_button` (default 10).
    pub next_max_pages: Option<u32>,
    /// Block images, fonts, media and analytics scripts (default true).
    pub block_resources: Option<bool>,
    /// Maximum time for a navigation (default `"30s"`).
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub navigation_timeout: Option<Duration>,
    /// Maximum time to wait for new content after a click or scroll step (default `"5s"`).
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub step_timeout: Option<Duration>,
}

/// When a page counts as ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitFor {
    /// The `load` event (nothing more).
    Load,
    /// An element matches the selector.
    Selector(String),
    /// The network has been idle for 500 ms (Chromium's `networkIdle` lifecycle event).
    NetworkIdle,
}

/// A validated step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Click once if present.
    Click(String),
    /// Click until gone or disabled, at most `max` times.
    ClickRepeat {
        /// Button selector.
        selector: String,
        /// Maximum clicks.
        max: u32,
    },
    /// Scroll to the bottom at most this many times.
    Scroll(u32),
    /// Wait for a selector.
    WaitSelector(String),
    /// Fixed pause.
    Pause(Duration),
}

/// How to render one page: the validated form of [`RenderConfig`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSpec {
    /// When the page counts as ready.
    pub wait: WaitFor,
    /// Timeout of the wait condition.
    pub wait_timeout: Duration,
    /// Cookie-consent button, clicked when it appears.
    pub cookie_button: Option<String>,
    /// Steps before extraction.
    pub steps: Vec<Step>,
    /// JavaScript pagination button.
    pub next_button: Option<String>,
    /// Maximum pages through `next_button`.
    pub next_max_pages: u32,
    /// The list item selector, used to notice new content after clicks and scrolls.
    pub item_selector: Option<String>,
    /// Block images, fonts, media and analytics.
    pub block_resources: bool,
    /// Navigation timeout.
    pub navigation_timeout: Duration,
    /// Timeout for new content after a step.
    pub step_timeout: Duration,
}

impl Default for BrowserSpec {
    fn default() -> Self {
        BrowserSpec {
            wait: WaitFor::Load,
            wait_timeout: DEFAULT_WAIT_TIMEOUT,
            cookie_button: None,
            steps: Vec::new(),
            next_button: None,
            next_max_pages: DEFAULT_NEXT_MAX_PAGES,
            item_selector: None,
            block_resources: true,
            navigation_timeout: DEFAULT_NAVIGATION_TIMEOUT,
            step_timeout: DEFAULT_STEP_TIMEOUT,
        }
    }
}

/// A browser config key that does not validate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// A selector the CSS parser rejects.
    #[error("key `{key}`: invalid CSS selector {selector:?}: {reason}")]
    BadSelector {
        /// The config key (e.g. `steps[1].selector`).
        key: String,
        /// The selector as written.
        selector: String,
        /// The parser's message.
        reason: String,
    },
    /// Keys that contradict each other or are out of range.
    #[error("key `{key}`: {reason}")]
    Invalid {
        /// The config key.
        key: String,
        /// What is wrong.
        reason: String,
    },
}

impl RenderConfig {
    /// Validates the keys into a [`BrowserSpec`]; `item_selector` is the source's list item
    /// selector (if any), used to notice new items after clicks and scrolls.
    pub fn compile(&self, item_selector: Option<&str>) -> Result<BrowserSpec, SpecError> {
        let wait = match (&self.wait.selector, self.wait.network_idle) {
            (Some(_), true) => {
                return Err(SpecError::Invalid {
                    key: "wait".into(),
                    reason: "give either `selector` or `network_idle = true`, not both".into(),
                });
            }
            (Some(sel), false) => WaitFor::Selector(css(sel, "wait.selector")?),
            (None, true) => WaitFor::NetworkIdle,
            (None, false) => WaitFor::Load,
        };
        let steps = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| compile_step(step, i))
            .collect::<Result<Vec<_>, _>>()?;
        let next_max_pages = self.next_max_pages.unwrap_or(DEFAULT_NEXT_MAX_PAGES);
        if next_max_pages == 0 {
            return Err(SpecError::Invalid {
                key: "next_max_pages".into(),
                reason: "must be at least 1".into(),
            });
        }
        Ok(BrowserSpec {
            wait,
            wait_timeout: self.wait.timeout.unwrap_or(DEFAULT_WAIT_TIMEOUT),
            cookie_button: opt_css(&self.cookie_button, "cookie_button")?,
            steps,
            next_button: opt_css(&self.next_button, "next_button")?,
            next_max_pages,
            item_selector: item_selector
                .map(|s| css(s, "list item selector"))
                .transpose()?,
            block_resources: self.block_resources.unwrap_or(true),
            navigation_timeout: self
                .navigation_timeout
                .unwrap_or(DEFAULT_NAVIGATION_TIMEOUT),
            step_timeout: self.step_timeout.unwrap_or(DEFAULT_STEP_TIMEOUT),
        })
    }
}

fn compile_step(step: &StepConfig, i: usize) -> Result<Step, SpecError> {
    let key = |k: &str| format!("steps[{i}].{k}");
    Ok(match step {
        StepConfig::Click { selector } => Step::Click(css(selector, &key("selector"))?),
        StepConfig::ClickRepeat { selector, max } => Step::ClickRepeat {
            selector: css(selector, &key("selector"))?,
            max: positive(max.unwrap_or(DEFAULT_CLICK_REPEAT_MAX), &key("max"))?,
        },
        StepConfig::Scroll { times } => Step::Scroll(positive(
            times.unwrap_or(DEFAULT_SCROLL_TIMES),
            &key("times"),
        )?),
        StepConfig::Wait { selector, duration } => match (selector, duration) {
            (Some(sel), None) => Step::WaitSelector(css(sel, &key("selector"))?),
            (None, Some(d)) => Step::Pause(*d),
            _ => {
                return Err(SpecError::Invalid {
                    key: format!("steps[{i}]"),
                    reason: "a `wait` step takes exactly one of `selector` or `duration`".into(),
                });
            }
        },
    })
}

fn positive(n: u32, key: &str) -> Result<u32, SpecError> {
    if n == 0 {
        return Err(SpecError::Invalid {
            key: key.into(),
            reason: "must be at least 1".into(),
        });
    }
    Ok(n)
}

fn opt_css(sel: &Option<String>, key: &str) -> Result<Option<String>, SpecError> {
    sel.as_deref().map(|s| css(s, key)).transpose()
}

/// Checks a CSS selector and returns it trimmed.
fn css(sel: &str, key: &str) -> Result<String, SpecError> {
    let trimmed = sel.trim();
    scraper::Selector::parse(trimmed)
        .map(|_| trimmed.to_string())
        .map_err(|e| SpecError::BadSelector {
            key: key.into(),
            selector: sel.into(),
            reason: e.to_string(),
        })
}

/// Reads an optional human duration such as `"15s"` or `"500ms"`.
fn de_duration_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    text.map(|t| {
        humantime::parse_duration(&t).map_err(|e| {
            serde::de::Error::custom(format!(
                "invalid duration {t:?} ({e}); write e.g. \"15s\" or \"500ms\""
            ))
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> RenderConfig {
        toml::from_str(toml_text).expect("valid TOML")
    }

    #[test]
    fn full_config_compiles_into_spec() {
        let cfg = parse(
            r##"
            cookie_button = "#accept"
            next_button = "ul.pagination button.next"
            next_max_pages = 3
            block_resources = false
            navigation_timeout = "10s"
            [wait]
            selector = "div.job-card"
            timeout = "8s"
            [[steps]]
            action = "click_repeat"
            selector = "button.load-more"
            max = 4
            [[steps]]
            action = "scroll"
            times = 2
            [[steps]]
            action = "wait"
            duration = "250ms"
            "##,
        );
        let spec = cfg.compile(Some("div.job-card")).unwrap();
        assert_eq!(spec.wait, WaitFor::Selector("div.job-card".into()));
        assert_eq!(spec.wait_timeout, Duration::from_secs(8));
        assert_eq!(spec.cookie_button.as_deref(), Some("#accept"));
        assert_eq!(
            spec.steps,
            vec![
                Step::ClickRepeat {
                    selector: "button.load-more".into(),
                    max: 4
                },
                Step::Scroll(2),
                Step::Pause(Duration::from_millis(250)),
            ]
        );
        assert_eq!(spec.next_max_pages, 3);
        assert!(!spec.block_resources);
        assert_eq!(spec.navigation_timeout, Duration::from_secs(10));
        assert_eq!(spec.step_timeout, DEFAULT_STEP_TIMEOUT);
    }

    #[test]
    fn defaults_when_nothing_is_given() {
        let spec = parse("").compile(None).unwrap();
        assert_eq!(spec, BrowserSpec::default());
    }

    #[test]
    fn network_idle_wait() {
        let spec = parse("[wait]\nnetwork_idle = true").compile(None).unwrap();
        assert_eq!(spec.wait, WaitFor::NetworkIdle);
    }

    #[test]
    fn bad_selector_names_the_key() {
        let cfg = parse("[[steps]]\naction = \"click\"\nselector = \"div[[\"");
        let err = cfg.compile(None).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("key `steps[0].selector`: invalid CSS selector \"div[[\""),
            "{err}"
        );
    }

    #[test]
    fn contradictions_are_rejected() {
        let both = parse("[wait]\nselector = \"a\"\nnetwork_idle = true");
        assert!(matches!(both.compile(None), Err(SpecError::Invalid { key, .. }) if key == "wait"));
        let zero = parse("[[steps]]\naction = \"scroll\"\ntimes = 0");
        assert!(
            matches!(zero.compile(None), Err(SpecError::Invalid { key, .. }) if key == "steps[0].times")
        );
        let empty_wait = parse("[[steps]]\naction = \"wait\"");
        assert!(empty_wait.compile(None).is_err());
    }

    #[test]
    fn unknown_keys_and_actions_fail_to_parse() {
        assert!(toml::from_str::<RenderConfig>("[wait]\nselektor = \"a\"").is_err());
        assert!(
            toml::from_str::<RenderConfig>("[[steps]]\naction = \"hover\"\nselector = \"a\"")
                .is_err()
        );
        assert!(
            toml::from_str::<RenderConfig>("[[steps]]\naction = \"scroll\"\ntimez = 3").is_err()
        );
        let err = toml::from_str::<RenderConfig>("[wait]\ntimeout = \"soon\"").unwrap_err();
        assert!(
            err.to_string().contains("invalid duration \"soon\""),
            "{err}"
        );
    }
}
