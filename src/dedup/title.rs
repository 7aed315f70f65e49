//! Title normalization for matching: noise out, abbreviations expanded, order ignored.
//!
//! "Boeing 737-800 Captain - Immediate Start (m/f/d) - Ryanair DAC, Dublin" and
//! "Captain B737NG" both become the tokens `captain` plus the aircraft family `B737`: gender
//! markers, urgency words, references, the company name and places are removed (places and
//! aircraft types are compared on their own, as hard constraints), abbreviations are spelled
//! out (`F/O`, `SFO`, `Capt`, `LAE`, `Sr.`), plural `s` dropped, tokens sorted and unique.

use std::borrow::Cow;
use std::ops::ControlFlow;
use std::sync::LazyLock;

use regex::Regex;

use crate::normalize::text::{fold_key, fold_words};
use crate::normalize::{aircraft, location};

/// Words that say nothing about which job it is.
const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "or",
    "for",
    "with",
    "of",
    "in",
    "at",
    "to",
    "a",
    "an",
    "on",
    "by",
    "from",
    "job",
    "jobs",
    "vacancy",
    "vacancies",
    "position",
    "positions",
    "role",
    "roles",
    "opportunity",
    "opportunities",
    "hiring",
    "wanted",
    "required",
    "needed",
    "urgent",
    "urgently",
    "immediate",
    "immediately",
    "start",
    "asap",
    "new",
    "now",
    "based",
    "base",
    "bases",
    "remote",
    "hybrid",
    "onsite",
    "site",
    "full",
    "part",
    "time",
    "permanent",
    "contract",
    "temporary",
    "fixed",
    "term",
    "seasonal",
    "apply",
    "join",
    "us",
    "our",
    "team",
    "m",
    "f",
    "d",
    "w",
    "x",
    "h",
    "all",
    "genders",
    "gender",
    "mfd",
    "mwd",
    "fmd",
    "mf",
    "hf",
    "aircraft",
    "aviation",
    "airline",
    "airlines",
    "airbus",
    "boeing",
    "embraer",
    "bombardier",
    "various",
    "multiple",
    "location",
    "locations",
    "worldwide",
    "international",
    "europe",
    "ref",
    "reference",
    "id",
    "req",
    "no",
    "number",
    "plus",
    "per",
    "diem",
    "direct",
    "entry",
    "member",
    "members",
    "family",
    "fleet",
    "level",
    "ii",
    "iii",
];

/// Abbreviations spelled out (matched on whole folded words).
const EXPANSIONS: &[(&str, &str)] = &[
    ("f o", "first officer"),
    ("f os", "first officer"),
    ("fos", "first officer"),
    ("fo", "first officer"),
    ("sfo", "senior first officer"),
    ("cpt", "captain"),
    ("capt", "captain"),
    ("cmdr", "captain"),
    ("commander", "captain"),
    ("co pilot", "first officer"),
    ("copilot", "first officer"),
    ("lae", "licensed aircraft engineer"),
    ("lame", "licensed aircraft engineer"),
    ("ame", "licensed aircraft engineer"),
    ("licenced", "licensed"),
    ("sr", "senior"),
    ("snr", "senior"),
    ("jr", "junior"),
    ("mgr", "manager"),
    ("eng", "engineer"),
    ("engr", "engineer"),
    ("tech", "technician"),
    ("techs", "technician"),
    ("mech", "mechanic"),
    ("tr", "type rated"),
    ("ntr", "non type rated"),
    ("flight attendant", "cabin crew"),
    ("cabin attendant", "cabin crew"),
    ("steward", "cabin crew"),
    ("stewardess", "cabin crew"),
    ("dec", "captain"),
    ("direct entry captain", "captain"),
    ("ops", "operations"),
    ("mx", "maintenance"),
    ("a and p", "a p"),
    ("line maintenance", "linemaintenance"),
    ("base maintenance", "basemaintenance"),
    ("type rated", "typerated"),
    ("non typerated", "nontyperated"),
    ("ltc", "line training captain"),
    ("excellent package", ""),
    ("tax free salary", ""),
    ("tax free", ""),
    ("apply now", ""),
    ("competitive salary", ""),
    ("great benefits", ""),
    ("sign on bonus", ""),
    ("signing bonus", ""),
    ("new fleet", ""),
    ("relocation support", ""),
    ("relocation package", ""),
];

static NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\((?:[mfwdhx]\s*/\s*){1,3}[mfwdhx]\)|\(all genders\)|\b(?:job\s+)?ref(?:erence)?(?:\s*(?:no|number|#))?\s*[:.#]?\s*[A-Z0-9][A-Z0-9\-/]{2,}|\bimmediate start\b|\bstart asap\b|\bnew!?$",
    )
    .unwrap()
});
static REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:job\s+)?ref(?:erence)?(?:\s*(?:no|number|#))?\s*[:.#]?\s*([A-Z0-9][A-Z0-9\-/]{2,})")
        .unwrap()
});

/// The parts of a title the matcher compares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TitleParts {
    /// Sorted unique tokens, aircraft families included as upper-case tokens.
    pub tokens: Vec<String>,
    /// Normalized aircraft types.
    pub aircraft: Vec<String>,
    /// Bases named in the title (`City` or `City/IATA`, see [`location::Place::base`]).
    pub places: Vec<String>,
    /// Advertiser references ("Ref: 821527A" → `821527A`).
    pub refs: Vec<String>,
}

/// Splits a title into what the matcher compares. `company_names` are removed from the words.
pub fn title_parts(title: &str, company_names: &[&str]) -> TitleParts {
    analyse_title(title).parts(company_names).into_owned()
}

/// A title taken apart once, for any advertiser: [`TitleAnalysis::parts`] gives the
/// [`title_parts`] for given company names without redoing the company-independent work.
#[derive(Debug, Clone, Default)]
pub struct TitleAnalysis {
    /// Folded words left after the aircraft types, before company names and places go.
    words: Vec<String>,
    /// IATA codes the title writes in capitals, lower-cased.
    iata_words: Vec<String>,
    /// The parts when no company name occurs in the words (the usual case).
    plain: TitleParts,
}

/// Takes a title apart as far as the company names allow (see [`TitleAnalysis`]).
pub fn analyse_title(title: &str) -> TitleAnalysis {
    let refs: Vec<String> = REF
        .captures_iter(title)
        .map(|c| c[1].to_ascii_uppercase())
        .filter(|r| r.bytes().any(|b| b.is_ascii_digit()))
        .collect();
    let places: Vec<String> = location::places_in_title(title)
        .iter()
        .filter_map(location::Place::base)
        .collect();
    // IATA codes written in capitals ("- MIA") are places, not words.
    let mixed_case = title.bytes().any(|b| b.is_ascii_lowercase());
    let iata_words: Vec<String> = if mixed_case {
        title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| {
                w.len() == 3
                    && w.bytes().all(|b| b.is_ascii_uppercase())
                    && location::airport(w).is_some()
                    && !location::is_aviation_acronym(w)
            })
            .map(str::to_ascii_lowercase)
            .collect()
    } else {
        Vec::new()
    };
    let denoised = NOISE.replace_all(title, " ");
    let folded = fold_key(&denoised);
    let (aircraft, rest) = aircraft::types_and_rest(&folded);
    let words: Vec<String> = rest
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let mut analysis = TitleAnalysis {
        words,
        iata_words,
        plain: TitleParts {
            aircraft,
            places,
            refs,
            ..TitleParts::default()
        },
    };
    analysis.plain.tokens = analysis.tokens_without(&[]);
    analysis
}

impl TitleAnalysis {
    /// The parts of the title once `company_names` are removed from its words. Borrowed when
    /// no name occurs in the words: removing nothing leaves the plain parts.
    pub fn parts(&self, company_names: &[&str]) -> Cow<'_, TitleParts> {
        if !company_names.iter().any(|c| name_in_words(&self.words, c)) {
            return Cow::Borrowed(&self.plain);
        }
        // Company names go, longest phrases first.
        let mut phrases: Vec<Vec<String>> = company_names
            .iter()
            .map(|c| fold_key(c).split(' ').map(String::from).collect::<Vec<_>>())
            .filter(|p: &Vec<String>| !p.is_empty() && !p[0].is_empty())
            .collect();
        phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Cow::Owned(TitleParts {
            tokens: self.tokens_without(&phrases),
            ..self.plain.clone()
        })
    }

    /// The parts when no company name is removed.
    pub fn plain(&self) -> &TitleParts {
        &self.plain
    }

    /// Sorted unique tokens of the words once `phrases` (longest first) and places are gone.
    fn tokens_without(&self, phrases: &[Vec<String>]) -> Vec<String> {
        let mut words: Vec<&str> = self.words.iter().map(String::as_str).collect();
        for p in phrases {
            remove_phrase(&mut words, p);
        }
        remove_places(&mut words, &self.iata_words);

        let stemmed: Vec<String> = words.iter().map(|w| stem(w)).collect();
        let expanded = expand(&stemmed.join(" "));
        let mut tokens: Vec<String> = expanded
            .split(' ')
            .filter(|w| w.len() > 1 && !STOPWORDS.contains(w))
            .filter(|w| !w.bytes().all(|b| b.is_ascii_digit()) || (w.len() >= 3 && !is_year(w)))
            .map(String::from)
            .collect();
        for t in &self.plain.aircraft {
            tokens.push(aircraft::family(t).to_string());
        }
        tokens.sort();
        tokens.dedup();
        tokens
    }
}

/// Titles with more words than this check company names the slow way in [`name_in_words`].
const MAX_TRACKED_WORDS: usize = u64::BITS as usize;

/// True when the folded words of `name` occur in `words` as consecutive words (so
/// [`remove_phrase`] would act), without building the folded name.
fn name_in_words(words: &[String], name: &str) -> bool {
    if words.is_empty() {
        return false;
    }
    if words.len() > MAX_TRACKED_WORDS {
        let phrase: Vec<String> = fold_key(name).split(' ').map(String::from).collect();
        return !phrase[0].is_empty() && words.windows(phrase.len()).any(|w| w == phrase);
    }
    // Bit i: the name's words so far match the title's words from position i on.
    let mut live: u64 = u64::MAX >> (MAX_TRACKED_WORDS - words.len());
    let mut matched = 0;
    fold_words(name, |w| {
        let mut next = 0u64;
        for (i, _) in words.iter().enumerate().filter(|(i, _)| live >> i & 1 == 1) {
            if words.get(i + matched).is_some_and(|x| x == w) {
                next |= 1 << i;
            }
        }
        live = next;
        matched += 1;
        if live == 0 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    matched > 0 && live != 0
}

/// "2026" in "Summer 2026" says when, not which job.
fn is_year(w: &str) -> bool {
    w.len() == 4 && (w.starts_with("19") || w.starts_with("20"))
}

fn remove_phrase(words: &mut Vec<&str>, phrase: &[String]) {
    let n = phrase.len();
    let mut i = 0;
    while n > 0 && i + n <= words.len() {
        if words[i..i + n].iter().zip(phrase).all(|(a, b)| *a == b) {
            words.drain(i..i + n);
        } else {
            i += 1;
        }
    }
}

fn remove_places(words: &mut Vec<&str>, iata_words: &[String]) {
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    'outer: while i < words.len() {
        let longest = location::name_words_from(words[i])
            .max(usize::from(iata_words.iter().any(|w| w == words[i])));
        for n in (1..=longest.min(words.len() - i)).rev() {
            let cand = words[i..i + n].join(" ");
            // Very short words are ordinary words, not places, unless written as a code.
            if n == 1 && cand.len() < 4 && !iata_words.contains(&cand) {
                continue;
            }
            if location::is_place_key(&cand) || (n == 1 && iata_words.contains(&cand)) {
                i += n;
                continue 'outer;
            }
        }
        out.push(words[i]);
        i += 1;
    }
    *words = out;
}

/// [`EXPANSIONS`] padded with spaces once, so matching is whole-word.
static PADDED_EXPANSIONS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    EXPANSIONS
        .iter()
        .map(|(from, to)| (format!(" {from} "), format!(" {to} ")))
        .collect()
});

fn expand(s: &str) -> String {
    let mut out = format!(" {s} ");
    for (from, to) in PADDED_EXPANSIONS.iter() {
        if out.contains(from.as_str()) {
            out = out.replace(from.as_str(), to);
            // Overlapping occurrences ("fo fo") need a second pass.
            out = out.replace(from.as_str(), to);
        }
    }
    out.trim().to_string()
}

/// Plural `s` off ("engineers" → "engineer"), keeping "-ss" words and short words.
fn stem(w: &str) -> String {
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_names_are_found_as_whole_consecutive_words() {
        let words: Vec<String> = "captain wizz air wizz budapest"
            .split(' ')
            .map(String::from)
            .collect();
        for (name, found) in [
            ("Wizz Air", true),
            ("WIZZ", true),
            ("Wizz Budapest", true),
            ("Air Wizz Budapest", true),
            ("Wizz Air Hungary", false),
            ("Wiz", false),
            ("Captain Budapest", false),
            ("", false),
            ("---", false),
        ] {
            assert_eq!(name_in_words(&words, name), found, "{name:?}");
        }
        assert!(!name_in_words(&[], "Wizz"));
        let long: Vec<String> = (0..70).map(|i| format!("w{i}")).collect();
        assert!(name_in_words(&long, "W68 w69"));
        assert!(!name_in_words(&long, "w69 w68"));
    }

    #[test]
    fn the_company_is_no_title_token() {
        let parts = title_parts("Wizz Air Captain A320 - Budapest", &["Wizz Air"]);
        assert_eq!(parts.tokens, vec!["A320", "captain"]);
        let plain = title_parts("Wizz Air Captain A320 - Budapest", &[]);
        assert_eq!(plain.tokens, vec!["A320", "air", "captain", "wizz"]);
    }
}
