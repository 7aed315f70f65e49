//! Deduplication: canonical URLs, blocking keys and the cross-source fuzzy matcher.
//!
//! Three identities, strongest first: the site's own id (`source` + `external_id`), the
//! [`canonical_url`], and the fuzzy identity of [`MatchFeatures`] (normalized employer, rank,
//! aircraft type, licences, base, date). The store looks up candidates filed under the same
//! normalized company (through aliases) and a shared title token (`store::blocking`), posting
//! dates within [`DEFAULT_DATE_WINDOW_DAYS`] (or unknown), nearest dates first, at most 50,
//! never one that already has a listing from the same source; the first candidate [`compare`]
//! calls `same` is merged, and its reason is recorded.

mod canonical;
mod features;
mod fuzzy;
pub mod title;

pub use canonical::{TRACKING_PARAMS, canonical_url};
pub use features::MatchFeatures;
pub(crate) use fuzzy::modifiers as modifier_words;
pub use fuzzy::{
    DEFAULT_DATE_WINDOW_DAYS, RECRUITER_SKETCH_MIN, TITLE_EXTENDED_MIN, TITLE_SIMILARITY_MIN,
    Verdict, compare, title_similarity,
};
