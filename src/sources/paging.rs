//! Listing-page pagination for the page-based engines (html, jsonld, browser):
//! follow a "next" link, or generate pages from a URL template (`{page}` / `{offset}`).
//!
//! ```toml
//! [pagination]
//! next = "a.next @href"          # follow this link until it disappears …
//! # url_template = "https://site/jobs?page={page}"   # … or generate pages
//! # first_page = 1               # {page} of the first page (default 1)
//! # page_size = 25               # {offset} step (default 25)
//! max_pages = 40                 # listing pages per source run (default 50)
//! ```
//! With `url_template`, paging stops at the first page that brings no new postings (an empty
//! page, or a site repeating its last page).

use std::collections::{HashSet, VecDeque};

use scraper::Html;
use serde::Deserialize;
use url::Url;

use super::CommonSpec;
use super::fields::{FieldSpec, compile_field, extract_field};
use super::template::Template;
use crate::config::KeyError;

/// Listing pages per source run unless `max_pages` says otherwise.
pub const DEFAULT_MAX_PAGES: u32 = 50;
/// `{offset}` step unless `page_size` says otherwise.
pub const DEFAULT_PAGE_SIZE: u32 = 25;

/// `[pagination]` as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagingConfig {
    /// Selector of the next-page link (`"a.next @href"`; `@href` is the default attribute).
    pub next: Option<String>,
    /// URL of page N, with `{page}` and/or `{offset}`.
    pub url_template: Option<String>,
    /// `{page}` value of the first page (default 1).
    pub first_page: Option<u32>,
    /// Step of `{offset}` (default 25).
    pub page_size: Option<u32>,
    /// Listing pages per source run (default 50).
    pub max_pages: Option<u32>,
}

/// How the next listing page is found.
#[derive(Debug, Clone)]
pub enum PagingMode {
    /// Only the start URLs.
    None,
    /// Follow a link.
    Next(FieldSpec),
    /// Generate page URLs.
    Template {
        /// The URL template.
        template: Template,
        /// `{page}` of the first page.
        first_page: u32,
        /// `{offset}` step.
        page_size: u32,
    },
}

/// Compiled pagination.
#[derive(Debug, Clone)]
pub struct PagingSpec {
    /// Mode.
    pub mode: PagingMode,
    /// Page cap.
    pub max_pages: u32,
}

impl PagingSpec {
    /// Validates `[pagination]`; `start_urls` tells whether a template is the only seed.
    pub fn compile(
        cfg: Option<&PagingConfig>,
        common: &CommonSpec,
        has_start_urls: bool,
    ) -> Result<Self, KeyError> {
        let cfg = cfg.cloned().unwrap_or_default();
        let max_pages = cfg.max_pages.unwrap_or(DEFAULT_MAX_PAGES);
        if max_pages == 0 {
            return Err(KeyError::new("pagination.max_pages", "must be at least 1"));
        }
        let mode = match (&cfg.next, &cfg.url_template) {
            (Some(_), Some(_)) => {
                return Err(KeyError::new(
                    "pagination",
                    "give either `next` or `url_template`, not both",
                ));
            }
            (Some(next), None) => {
                let next = if next.contains('@') {
                    next.clone()
                } else {
                    format!("{next} @href")
                };
                let f = compile_field("pagination.next", "next", &toml::Value::String(next))?;
                PagingMode::Next(FieldSpec {
                    name: "url".into(),
                    ..f
                })
            }
            (None, Some(t)) => {
                let template = Template::parse(t);
                template
                    .check_vars(&["page", "offset"])
                    .map_err(|e| KeyError::new("pagination.url_template", e))?;
                if !template.has_vars() {
                    return Err(KeyError::new(
                        "pagination.url_template",
                        format!("{t:?} has no {{page}} or {{offset}} placeholder"),
                    ));
                }
                let first_page = cfg.first_page.unwrap_or(1);
                let page_size = cfg.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
                let sample = template
                    .render(|_| Some(first_page.to_string()), false)
                    .map_err(|e| KeyError::new("pagination.url_template", e))?;
                common.url("pagination.url_template", &sample)?;
                PagingMode::Template {
                    template,
                    first_page,
                    page_size,
                }
            }
            (None, None) => {
                if !has_start_urls {
                    return Err(KeyError::new(
                        "start_urls",
                        "missing: give start_urls or pagination.url_template",
                    ));
                }
                PagingMode::None
            }
        };
        Ok(PagingSpec { mode, max_pages })
    }

    /// The next-page link on a listing page, if this spec follows links.
    pub fn next_link(&self, doc: &Html, page_url: &Url) -> Option<Url> {
        match &self.mode {
            PagingMode::Next(f) => {
                extract_field(f, doc.root_element(), page_url).and_then(|s| Url::parse(&s).ok())
            }
            _ => None,
        }
    }
}

/// Walks listing pages: start URLs (each followed by its next links), or template pages.
#[derive(Debug)]
pub struct Pager {
    queue: VecDeque<Url>,
    visited: HashSet<String>,
    template: Option<(Template, u32, u32, CommonSpec)>,
    template_index: u32,
    fetched: u32,
    limit: u32,
    done: bool,
}

impl Pager {
    /// A pager over `start_urls` under `spec`, fetching at most `limit` pages.
    pub fn new(spec: &PagingSpec, common: &CommonSpec, start_urls: Vec<Url>, limit: u32) -> Self {
        let template = match &spec.mode {
            PagingMode::Template {
                template,
                first_page,
                page_size,
            } if start_urls.is_empty() => {
                Some((template.clone(), *first_page, *page_size, common.clone()))
            }
            _ => None,
        };
        Pager {
            queue: start_urls.into(),
            visited: HashSet::new(),
            template,
            template_index: 0,
            fetched: 0,
            limit,
            done: false,
        }
    }

    /// Pages handed out so far.
    pub fn fetched(&self) -> u32 {
        self.fetched
    }

    /// The next listing page to fetch, or `None` when done. Errors if a template page URL
    /// does not build.
    pub fn next_url(&mut self) -> Result<Option<Url>, String> {
        if self.done || self.fetched >= self.limit {
            return Ok(None);
        }
        if let Some((t, first, size, common)) = &self.template {
            let i = self.template_index;
            let rendered = t.render(
                |v| match v {
                    "page" => Some((first + i).to_string()),
                    "offset" => Some((i * size).to_string()),
                    _ => None,
                },
                false,
            )?;
            let url = common.runtime_url(&rendered)?;
            self.template_index += 1;
            self.fetched += 1;
            self.visited.insert(url.to_string());
            return Ok(Some(url));
        }
        while let Some(u) = self.queue.pop_front() {
            if self.visited.insert(u.to_string()) {
                self.fetched += 1;
                return Ok(Some(u));
            }
        }
        Ok(None)
    }

    /// Tells the pager what a page held: how many postings not seen before on this run,
    /// and its next-page link.
    pub fn after_page(&mut self, new_items: usize, next: Option<Url>) {
        if self.template.is_some() {
            if new_items == 0 {
                self.done = true;
            }
            return;
        }
        if let Some(n) = next
            && !self.visited.contains(n.as_str())
        {
            self.queue.push_front(n);
        }
    }

    /// Stops paging (e.g. after a failed page in a template series).
    pub fn stop(&mut self) {
        self.done = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common() -> CommonSpec {
        CommonSpec {
            name: "t".into(),
            company: None,
            enabled: true,
            base_url: Some(Url::parse("http://127.0.0.1:9/site").unwrap()),
        }
    }

    #[test]
    fn template_pages_until_no_new_items() {
        let cfg = PagingConfig {
            url_template: Some("/jobs?start={offset}&p={page}".into()),
            page_size: Some(10),
            ..Default::default()
        };
        let spec = PagingSpec::compile(Some(&cfg), &common(), false).unwrap();
        let mut pager = Pager::new(&spec, &common(), vec![], 5);
        let a = pager.next_url().unwrap().unwrap();
        assert_eq!(a.as_str(), "http://127.0.0.1:9/site/jobs?start=0&p=1");
        pager.after_page(10, None);
        let b = pager.next_url().unwrap().unwrap();
        assert_eq!(b.as_str(), "http://127.0.0.1:9/site/jobs?start=10&p=2");
        pager.after_page(0, None);
        assert_eq!(pager.next_url().unwrap(), None);
    }

    #[test]
    fn next_links_are_followed_once_and_capped() {
        let spec = PagingSpec::compile(
            Some(&PagingConfig {
                next: Some("a.next".into()),
                ..Default::default()
            }),
            &common(),
            true,
        )
        .unwrap();
        let start = Url::parse("http://h.test/1").unwrap();
        let mut pager = Pager::new(&spec, &common(), vec![start.clone()], 3);
        assert_eq!(pager.next_url().unwrap(), Some(start.clone()));
        pager.after_page(5, Some(Url::parse("http://h.test/2").unwrap()));
        assert_eq!(
            pager.next_url().unwrap().unwrap().as_str(),
            "http://h.test/2"
        );
        // A "next" pointing back to page 1 is a loop: stop.
        pager.after_page(5, Some(start));
        assert_eq!(pager.next_url().unwrap(), None);
    }

    #[test]
    fn next_link_extraction_defaults_to_href() {
        let spec = PagingSpec::compile(
            Some(&PagingConfig {
                next: Some("li.next a".into()),
                ..Default::default()
            }),
            &common(),
            true,
        )
        .unwrap();
        let doc =
            Html::parse_document(r#"<ul><li class="next"><a href="?page=2">Next</a></li></ul>"#);
        let page = Url::parse("https://x.test/en-GB/jobs").unwrap();
        assert_eq!(
            spec.next_link(&doc, &page).unwrap().as_str(),
            "https://x.test/en-GB/jobs?page=2"
        );
    }

    #[test]
    fn both_modes_or_neither_is_an_error() {
        let both = PagingConfig {
            next: Some("a".into()),
            url_template: Some("/p/{page}".into()),
            ..Default::default()
        };
        assert_eq!(
            PagingSpec::compile(Some(&both), &common(), true)
                .unwrap_err()
                .key,
            "pagination"
        );
        assert_eq!(
            PagingSpec::compile(None, &common(), false).unwrap_err().key,
            "start_urls"
        );
    }
}
