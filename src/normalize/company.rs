//! Company normalization and the company registry.
//!
//! Matching keys drop what varies between sites for one advertiser: case, punctuation, accents,
//! legal forms (`Ryanair DAC` = `Ryanair`; `Qatar Airways Q.C.S.C.` = `Qatar Airways`), a
//! leading "The", a web suffix (`Jet2.com` = `Jet2`), a trailing "Group"/"Holdings"; then the
//! registry maps aliases to one canonical company (`InterGlobe Aviation Ltd` = `IndiGo`) and
//! gives its operation type. Unknown advertisers get keyword rules ("… Recruitment" → recruiter)
//! and keep their own key, so they still block together across sites.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::model::OperationType;

use super::text::{clean_text, fold_key};

static COMPANIES_TXT: &str = include_str!("../../data/companies.txt");

/// Legal-form words removed from the end of a company key (after [`fold_key`], so
/// `S.A.` is `sa`, `Q.C.S.C.` is `qcsc`).
const LEGAL_FORMS: &[&str] = &[
    "ltd",
    "limited",
    "plc",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sasu",
    "sarl",
    "sl",
    "slu",
    "srl",
    "spa",
    "s p a",
    "bv",
    "nv",
    "dac",
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "corp",
    "corporation",
    "co",
    "company",
    "pte",
    "pty",
    "uab",
    "as",
    "asa",
    "ab",
    "oy",
    "oyj",
    "kft",
    "zrt",
    "nyrt",
    "sro",
    "s r o",
    "qcsc",
    "qpsc",
    "qsc",
    "pjsc",
    "psc",
    "jsc",
    "ojsc",
    "cjsc",
    "ltda",
    "sae",
    "wll",
    "fze",
    "fzco",
    "fz",
    "bhd",
    "sdn",
    "pvt",
    "private",
    "public",
    "ou",
    "doo",
    "d o o",
    "sp z o o",
    "spzoo",
    "z o o",
    "ehf",
    "hf",
    "se",
    "kgaa",
    "eirl",
    "aps",
    "a s",
];
/// Words dropped from the end when something remains ("Lufthansa Group" = "Lufthansa").
const GROUP_WORDS: &[&str] = &["group", "holdings", "holding"];
/// [`LEGAL_FORMS`] and [`GROUP_WORDS`] split into words once.
static TRAILING_FORMS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    LEGAL_FORMS
        .iter()
        .chain(GROUP_WORDS)
        .map(|f| f.split(' ').collect())
        .collect()
});
/// Web suffixes written with their dot (`Jet2.com`, `Flights.aero`), dropped before folding.
static WEB_SUFFIX: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"(?i)\.(?:com|net|org|aero|co\.uk|io|eu|in)\b").unwrap());
/// Generic airline words tried away when the full key is unknown (`Wizz Air` ↔ `Wizz`).
const AIRLINE_WORDS: &[&str] = &["airlines", "airline", "airways", "air lines", "aviation"];

/// Where a registry entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Shipped with the binary (data/companies.txt).
    Bundled,
    /// Added or changed by the operator (`aeroscrap companies set|alias`).
    User,
}

impl Origin {
    /// The word stored in the `companies.origin` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Bundled => "bundled",
            Origin::User => "user",
        }
    }
}

/// One company of the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyEntry {
    /// Display name.
    pub name: String,
    /// Matching key ([`company_key`] of the name).
    pub key: String,
    /// Operation type of the company.
    pub operation_type: OperationType,
    /// Recruiter, staffing agency or job board (its ads are merged only when the ad is the same).
    pub is_recruiter: bool,
    /// IATA airline designator, when it is an airline.
    pub iata: Option<String>,
    /// ICAO airline designator.
    pub icao: Option<String>,
    /// Other names of the same company.
    pub aliases: Vec<String>,
    /// Bundled or operator-made.
    pub origin: Origin,
}

/// What the registry makes of an advertiser name.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyMatch {
    /// Key for blocking and storage: the canonical company's key when known.
    pub key: String,
    /// Canonical display name when the registry knows the company.
    pub canonical: Option<String>,
    /// Operation type: the registry's, else keyword rules, else `other`.
    pub operation_type: OperationType,
    /// Recruiter / staffing agency / job board.
    pub is_recruiter: bool,
    /// True when the registry knows the company (not just keyword rules).
    pub known: bool,
}

/// Companies known to the normalizer: canonical names, aliases and operation types.
#[derive(Debug, Clone, Default)]
pub struct CompanyRegistry {
    entries: Vec<CompanyEntry>,
    by_key: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
}

static BUNDLED: LazyLock<Vec<CompanyEntry>> = LazyLock::new(|| {
    COMPANIES_TXT
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            parse_line(l).unwrap_or_else(|e| panic!("data/companies.txt line {}: {e}", i + 1))
        })
        .collect()
});

fn parse_line(l: &str) -> Result<CompanyEntry, String> {
    let f: Vec<&str> = l.split('|').collect();
    if f.len() != 5 {
        return Err(format!(
            "expected 5 '|'-separated fields, found {}",
            f.len()
        ));
    }
    let opt = |s: &str| (s != "-" && !s.is_empty()).then(|| s.to_string());
    let operation_type =
        OperationType::parse(f[1]).ok_or_else(|| format!("unknown operation type {:?}", f[1]))?;
    Ok(CompanyEntry {
        name: f[0].to_string(),
        key: company_key(f[0]),
        operation_type,
        is_recruiter: operation_type == OperationType::Recruiter,
        iata: opt(f[2]),
        icao: opt(f[3]),
        aliases: f[4]
            .split(';')
            .filter(|a| !a.is_empty() && *a != "-")
            .map(String::from)
            .collect(),
        origin: Origin::Bundled,
    })
}

/// The bundled entries (data/companies.txt), parsed once.
pub fn bundled_entries() -> &'static [CompanyEntry] {
    &BUNDLED
}

/// Fingerprint of the bundled table: the store re-syncs it only when this changes.
pub fn bundle_fingerprint() -> String {
    format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(COMPANIES_TXT.as_bytes())
    )
}

impl CompanyRegistry {
    /// The registry bundled with the binary (data/companies.txt).
    pub fn bundled() -> Self {
        Self::from_entries(BUNDLED.clone())
    }

    /// A registry of these entries; on a key clash the later entry wins (operator edits are
    /// passed last).
    pub fn from_entries(entries: Vec<CompanyEntry>) -> Self {
        let mut reg = CompanyRegistry::default();
        for e in entries {
            reg.insert(e);
        }
        reg
    }

    /// Adds or replaces an entry (same key replaces), with its aliases and codes.
    pub fn insert(&mut self, e: CompanyEntry) {
        let idx = match self.by_key.get(&e.key) {
            Some(&i) if self.entries[i].key == e.key => {
                self.entries[i] = e;
                i
            }
            _ => {
                self.entries.push(e);
                self.entries.len() - 1
            }
        };
        let e = &self.entries[idx];
        self.by_key.insert(e.key.clone(), idx);
        for a in &e.aliases {
            let k = company_key(a);
            if !k.is_empty() {
                // A canonical name is never shadowed by another company's alias.
                let owned_elsewhere = self
                    .by_key
                    .get(&k)
                    .is_some_and(|&j| j != idx && self.entries[j].key == k);
                if !owned_elsewhere {
                    self.by_key.insert(k, idx);
                }
            }
        }
        for code in [&e.iata, &e.icao].into_iter().flatten() {
            self.by_code.entry(code.to_ascii_uppercase()).or_insert(idx);
        }
    }

    /// Declares `alias` another name of the company with key `company_key`.
    /// Returns false when no such company exists.
    pub fn add_alias(&mut self, alias: &str, company: &str) -> bool {
        let Some(&idx) = self.by_key.get(&company_key(company)) else {
            return false;
        };
        self.entries[idx].aliases.push(alias.to_string());
        self.by_key.insert(company_key(alias), idx);
        true
    }

    /// Every entry, in insertion order.
    pub fn entries(&self) -> &[CompanyEntry] {
        &self.entries
    }

    /// Number of companies.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the registry has no company.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every (alias key, canonical key) pair, for storing aliases.
    pub fn alias_keys(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_key
            .iter()
            .filter(|(k, i)| **k != self.entries[**i].key)
            .map(|(k, i)| (k.as_str(), self.entries[*i].key.as_str()))
    }

    /// The entry a name (or alias, or airline code) stands for.
    pub fn lookup(&self, name: &str) -> Option<&CompanyEntry> {
        self.lookup_idx(name).map(|i| &self.entries[i])
    }

    fn lookup_idx(&self, name: &str) -> Option<usize> {
        self.lookup_keyed(name).0
    }

    /// The entry index a name stands for, and the name's own key (computed once).
    fn lookup_keyed(&self, name: &str) -> (Option<usize>, String) {
        let cleaned = clean_text(name);
        let (main, paren) = split_parenthesis(&cleaned);
        let key = company_key(main);
        let found = self.find_idx(main, paren, &key);
        (found, key)
    }

    fn find_idx(&self, main: &str, paren: Option<&str>, key: &str) -> Option<usize> {
        if let Some(&i) = self.by_key.get(key) {
            return Some(i);
        }
        if let Some(p) = paren
            && let Some(&i) = self.by_key.get(&company_key(p))
        {
            return Some(i);
        }
        let trimmed = main.trim();
        if (2..=3).contains(&trimmed.len())
            && trimmed
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && let Some(&i) = self.by_code.get(trimmed)
        {
            return Some(i);
        }
        for w in AIRLINE_WORDS {
            if let Some(stem) = key.strip_suffix(w).map(str::trim_end)
                && !stem.is_empty()
                && let Some(&i) = self.by_key.get(stem)
            {
                return Some(i);
            }
        }
        None
    }

    /// Resolves an advertiser name: canonical key, operation type, recruiter flag.
    pub fn resolve(&self, name: &str) -> Option<CompanyMatch> {
        let (found, key) = self.lookup_keyed(name);
        if let Some(e) = found.map(|i| &self.entries[i]) {
            return Some(CompanyMatch {
                key: e.key.clone(),
                canonical: Some(e.name.clone()),
                operation_type: e.operation_type,
                is_recruiter: e.is_recruiter,
                known: true,
            });
        }
        if key.is_empty() {
            return None;
        }
        let op = keyword_operation_type(&key);
        Some(CompanyMatch {
            key,
            canonical: None,
            operation_type: op.unwrap_or(OperationType::Other),
            is_recruiter: op == Some(OperationType::Recruiter),
            known: false,
        })
    }
}

/// "InterGlobe Aviation Ltd (IndiGo)" → ("InterGlobe Aviation Ltd", Some("IndiGo")).
fn split_parenthesis(s: &str) -> (&str, Option<&str>) {
    match (s.find('('), s.rfind(')')) {
        (Some(o), Some(c)) if c > o && o > 0 => (s[..o].trim(), Some(s[o + 1..c].trim())),
        _ => (s, None),
    }
}

/// Matching key of a company name: folded, legal forms, web suffix, "The" and "Group" removed.
pub fn company_key(name: &str) -> String {
    let (main, _) = split_parenthesis(name);
    let no_web = if main.contains('.') {
        WEB_SUFFIX.replace_all(main, " ")
    } else {
        std::borrow::Cow::Borrowed(main)
    };
    let folded = fold_key(&no_web.replace('&', " and "));
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    loop {
        let before = words.len();
        for form in TRAILING_FORMS.iter() {
            let n = form.len();
            if words.len() > n && words[words.len() - n..] == form[..] {
                words.truncate(words.len() - n);
            }
        }
        // "Wizz Air Hungary Ltd." keeps "hungary"; "… and co" goes.
        if words.len() > 2 && words[words.len() - 2..] == ["and", "co"] {
            words.truncate(words.len() - 2);
        }
        if words.len() == before {
            break;
        }
    }
    words.join(" ")
}

/// Operation type from words of an unknown company's key.
pub fn keyword_operation_type(key: &str) -> Option<OperationType> {
    use OperationType::*;
    let has = |w: &str| key.split(' ').any(|k| k == w);
    let contains = |s: &str| key.contains(s);
    let rules: [(bool, OperationType); 11] = [
        (
            contains("recruit")
                || contains("staffing")
                || contains("personnel")
                || contains("resourcing")
                || has("talent")
                || has("jobs")
                || has("careers")
                || contains("crew solutions")
                || contains("headhunt")
                || contains("employment"),
            Recruiter,
        ),
        (
            contains("air navigation") || contains("air traffic") || contains("flugsicherung"),
            Atc,
        ),
        (
            contains("airport") || contains("flughafen") || contains("aeroport"),
            Airport,
        ),
        (
            contains("handling") || contains("ground services") || contains("ramp services"),
            GroundHandling,
        ),
        (
            contains("leasing") || contains("lease") || contains("aviation capital"),
            Lessor,
        ),
        (
            contains("academy")
                || contains("training")
                || contains("flight school")
                || contains("college")
                || contains("university"),
            Training,
        ),
        (
            contains("technik")
                || contains("technics")
                || has("mro")
                || contains("maintenance")
                || contains("aerotechnic")
                || contains("engineering services")
                || contains("repair"),
            Mro,
        ),
        (
            contains("cargo") || contains("freight") || contains("logistics"),
            Cargo,
        ),
        (
            has("jets")
                || has("jet")
                || contains("executive")
                || contains("charter")
                || contains("private aviation")
                || contains("business aviation")
                || has("fbo")
                || contains("helicopter"),
            BusinessAviation,
        ),
        (
            has("airlines")
                || has("airline")
                || has("airways")
                || has("air")
                || has("fly")
                || key.starts_with("fly"),
            Airline,
        ),
        (
            contains("aerospace")
                || contains("aircraft")
                || contains("avionics")
                || contains("aero engines")
                || contains("aeronautic"),
            Oem,
        ),
    ];
    rules.into_iter().find(|(hit, _)| *hit).map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_companies_have_distinct_keys() {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        let mut clashes = Vec::new();
        for e in bundled_entries() {
            if let Some(other) = seen.insert(&e.key, &e.name) {
                clashes.push(format!("{other:?} and {:?} → {:?}", e.name, e.key));
            }
        }
        assert!(clashes.is_empty(), "{clashes:#?}");
    }

    #[test]
    fn aliases_never_shadow_another_company() {
        let reg = CompanyRegistry::bundled();
        for e in bundled_entries() {
            assert_eq!(
                reg.lookup(&e.name).map(|x| x.name.as_str()),
                Some(e.name.as_str())
            );
        }
    }
}
