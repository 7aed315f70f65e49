//! Country (and city) from free-text locations, never a guess.
//!
//! The earlier tool did a substring search over country names, cities and IATA codes and, failing
//! that, took "the last comma part if it has two letters": LinkedIn's "Dallas, TX" became
//! country `TX`, "Auckland" matched `uk`, "Adelaide" matched `del`. Here every comma (or ` - `,
//! `|`, `/`) part is matched *whole* against bundled tables (data/countries.tsv,
//! data/regions.tsv, data/airports.tsv, data/cities.tsv):
//!
//! 1. scanning parts from the right, the first part that is a country name or a US state,
//!    Canadian province or Australian state decides (`Malta, OH` is Ohio, USA); a region code
//!    shared by two countries (`WA`) is settled by the city next to it or left unknown;
//! 2. otherwise a city, airport name or IATA code decides;
//! 3. otherwise known names are looked for inside the words ("Heathrow T5"), longest first;
//! 4. otherwise the country is unknown (`Remote`, `Europe`, `Flexible`).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::text::fold_key;

static COUNTRIES_TSV: &str = include_str!("../../data/countries.tsv");
static REGIONS_TSV: &str = include_str!("../../data/regions.tsv");
static AIRPORTS_TSV: &str = include_str!("../../data/airports.tsv");
static CITIES_TSV: &str = include_str!("../../data/cities.tsv");

/// Single words that are place names but also ordinary words or too ambiguous to use when
/// scanning inside free text (they still match as a whole location part).
const SCAN_STOPWORDS: &[&str] = &[
    "reading",
    "split",
    "nice",
    "bath",
    "mobile",
    "george",
    "clark",
    "victoria",
    "georgia",
    "jersey",
    "sale",
    "deal",
    "hayes",
    "safi",
    "stans",
    "emmen",
    "alliance",
    "lincoln",
    "derby",
    "chester",
    "preston",
    "sanford",
    "midland",
    "oklahoma",
    "doral",
    "addison",
    "hurst",
    "essex",
    "kent",
    "crete",
    "america",
    "india",
    "china",
    "jordan",
    "chad",
    "niger",
    "guinea",
    "mali",
    "oman",
    "peru",
    "cuba",
    "malta",
    "grenada",
    "dominica",
    "panama",
    "mexico",
    "luxembourg",
    "singapore",
    "kuwait",
    "djibouti",
    "monaco",
    "andorra",
    "brunei",
    "georgia",
    "columbus",
    "kansas",
    "portland",
    "charleston",
    "columbia",
    "washington",
    "delaware",
];

/// One known place: the country it is in, and its city and airport when it is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// ISO 3166-1 alpha-2 code.
    pub country: &'static str,
    /// Canonical city name (data/airports.tsv); `None` for towns and counties of
    /// data/cities.tsv, which only tell the country.
    pub city: Option<&'static str>,
    /// IATA code when the name is an airport's (not just its city's).
    pub airport: Option<&'static str>,
}

impl Place {
    /// The base this place stands for, as the matcher compares it: `London` for the city,
    /// `London/LGW` for one of its airports; `None` when it only names a country.
    pub fn base(&self) -> Option<String> {
        let city = self.city?;
        Some(match self.airport {
            Some(code) => format!("{city}/{code}"),
            None => city.to_string(),
        })
    }
}

/// True when two bases can be the same place: equal, or the same city where one side does
/// not name the airport (`London` and `London/LGW`, not `London/LGW` and `London/STN`).
pub fn bases_compatible(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let city = |s: &str| s.split('/').next().unwrap_or(s).to_string();
    city(a) == city(b) && (!a.contains('/') || !b.contains('/'))
}

/// What a location text resolves to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Country, when the text proves it.
    pub country: Option<&'static str>,
    /// The matched city or airport, when it lies in that country.
    pub place: Option<Place>,
}

impl Resolved {
    /// Canonical city name, when a city or airport was named.
    pub fn city(&self) -> Option<&'static str> {
        self.place.and_then(|p| p.city)
    }
}

struct Index {
    countries: HashMap<String, &'static str>,
    iso: HashMap<&'static str, &'static str>,
    region_names: HashMap<String, Vec<&'static str>>,
    region_codes: HashMap<&'static str, Vec<&'static str>>,
    /// Cities, airport names, towns; `None` when a name means places in two countries.
    places: HashMap<String, Option<Place>>,
    iata: HashMap<&'static str, Place>,
    /// Longest known name in words, for the inside-text scan.
    max_words: usize,
    /// For each first word of a known name, the most words a name starting with it has:
    /// the inside-text scans only try n-grams that can match.
    first_words: HashMap<String, usize>,
}

fn data_lines(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut ix = Index {
        countries: HashMap::new(),
        iso: HashMap::new(),
        region_names: HashMap::new(),
        region_codes: HashMap::new(),
        places: HashMap::new(),
        iata: HashMap::new(),
        max_words: 1,
        first_words: HashMap::new(),
    };
    for f in data_lines(COUNTRIES_TSV) {
        let (cc, names) = (f[0], f.get(1).copied().unwrap_or(""));
        ix.iso.insert(cc, cc);
        for n in names.split(';').filter(|n| !n.is_empty()) {
            ix.countries.insert(fold_key(n), cc);
        }
    }
    for f in data_lines(REGIONS_TSV) {
        let (cc, code, names) = (f[0], f[1], f[2]);
        ix.region_codes.entry(code).or_default().push(cc);
        for n in names.split(';') {
            ix.region_names.entry(fold_key(n)).or_default().push(cc);
        }
    }
    let add_place = |ix: &mut Index, name: &str, p: Place| {
        let k = fold_key(name);
        ix.max_words = ix.max_words.max(k.split(' ').count());
        match ix.places.get(&k) {
            // Same name in two countries: ambiguous, never used.
            Some(Some(q)) if q.country != p.country => {
                ix.places.insert(k, None);
            }
            // Same country: the entry that knows the city or airport stays.
            Some(Some(q)) if q.city.is_none() && p.city.is_some() => {
                ix.places.insert(k, Some(p));
            }
            Some(_) => {}
            None => {
                ix.places.insert(k, Some(p));
            }
        }
    };
    for f in data_lines(AIRPORTS_TSV) {
        let code = (f[0] != "-").then_some(f[0]);
        let city = Place {
            country: f[1],
            city: Some(f[2]),
            airport: None,
        };
        let airport = Place {
            airport: code,
            ..city
        };
        if let Some(c) = code {
            ix.iata.insert(c, airport);
        }
        add_place(&mut ix, f[2], city);
        if let Some(names) = f.get(3) {
            for n in names.split(';').filter(|n| !n.is_empty()) {
                add_place(&mut ix, n, airport);
            }
        }
    }
    for f in data_lines(CITIES_TSV) {
        for n in f[1].split(';').filter(|n| !n.is_empty()) {
            add_place(
                &mut ix,
                n,
                Place {
                    country: f[0],
                    city: None,
                    airport: None,
                },
            );
        }
    }
    let keys: Vec<String> = ix
        .countries
        .keys()
        .chain(ix.region_names.keys())
        .chain(ix.places.keys())
        .cloned()
        .collect();
    for k in keys {
        let n = k.split(' ').count();
        let first = k.split(' ').next().unwrap_or_default().to_string();
        let e = ix.first_words.entry(first).or_insert(0);
        *e = (*e).max(n);
    }
    ix
});

/// The most words a known name starting with `word` has; 0 when no name starts with it.
pub fn name_words_from(word: &str) -> usize {
    INDEX.first_words.get(word).copied().unwrap_or(0)
}

/// The country of a two-letter ISO code (upper case), if it exists.
pub fn iso_country(code: &str) -> Option<&'static str> {
    INDEX.iso.get(code).copied()
}

/// Looks a whole name up as a country (`"Deutschland"` → `DE`).
pub fn country_by_name(name: &str) -> Option<&'static str> {
    INDEX.countries.get(&fold_key(name)).copied()
}

/// An airport by IATA code (upper case).
pub fn airport(iata: &str) -> Option<Place> {
    INDEX.iata.get(iata).copied()
}

/// A city, town or airport by its whole name.
pub fn place_by_name(name: &str) -> Option<Place> {
    INDEX.places.get(&fold_key(name)).copied().flatten()
}

/// True when folded words name a country, a region or a known place (even an ambiguous one).
pub fn is_place_key(folded: &str) -> bool {
    let ix = &*INDEX;
    ix.countries.contains_key(folded)
        || ix.region_names.contains_key(folded)
        || ix.places.contains_key(folded)
}

/// Splits a location into parts: commas, ` - `, `|`, `/`, `;` and parentheses separate.
fn parts(loc: &str) -> Vec<&str> {
    loc.split([',', '|', ';', '(', ')', '/', '\n', '•'])
        .flat_map(|p| p.split(" - "))
        .flat_map(|p| p.split(" – "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Strips "Greater … Area", "… Metropolitan Area", "Co." style decorations.
fn undecorate(key: &str) -> &str {
    let mut k = key;
    for pre in ["greater ", "metro ", "city of ", "central ", "downtown "] {
        k = k.strip_prefix(pre).unwrap_or(k);
    }
    for suf in [
        " metropolitan area",
        " metro area",
        " metroplex",
        " area",
        " region",
        " international airport",
        " airport",
        " city centre",
        " city center",
    ] {
        k = k.strip_suffix(suf).unwrap_or(k);
    }
    k
}

/// Resolves a free-text location to a country and city. Unknown stays unknown.
pub fn resolve(location: &str) -> Resolved {
    let ix = &*INDEX;
    let ps = parts(location);
    let mut city: Option<Place> = None;
    let mut city_ambiguous = false;
    let mut region: Option<Vec<&'static str>> = None;
    let mut decided: Option<&'static str> = None;

    for raw in ps.iter().rev() {
        let full = fold_key(raw);
        let key = undecorate(&full);
        if key.is_empty() {
            continue;
        }
        let upper = raw.trim().trim_end_matches('.');
        let is_code =
            (2..=3).contains(&upper.len()) && upper.bytes().all(|b| b.is_ascii_uppercase());
        // Place lookups first so that a city next to a region can settle it; scanning from
        // the right, the leftmost (most specific) place wins.
        if let Some(p) = ix.places.get(key) {
            match p {
                Some(p) => {
                    city = Some(*p);
                    city_ambiguous = false;
                }
                None => city_ambiguous = city.is_none(),
            }
        } else if is_code
            && upper.len() == 3
            && let Some(p) = ix.iata.get(upper)
        {
            city = Some(*p);
        }
        if decided.is_some() || region.is_some() {
            continue;
        }
        // "Georgia" is a US state and a country: only its neighbour can tell.
        let country = ix.countries.get(key).copied();
        let reg_name = ix.region_names.get(key).map(Vec::as_slice);
        // A lone two-letter code that is also a country code ("CA", "IN") says nothing sure.
        let lone_iso = ps.len() == 1 && upper.len() == 2 && ix.iso.contains_key(upper);
        let reg_code = if is_code && !lone_iso {
            ix.region_codes.get(upper).map(Vec::as_slice)
        } else {
            None
        };
        match (country, reg_name.or(reg_code)) {
            (Some(cc), None) => decided = Some(cc),
            (None, Some(r)) => region = Some(r.to_vec()),
            // "Georgia" is a US state and a country: only its neighbour can tell.
            (Some(cc), Some(r)) => {
                let mut both = r.to_vec();
                both.push(cc);
                region = Some(both);
            }
            (None, None) => {
                if is_code && upper.len() == 2 && ps.len() > 1 {
                    decided = ix.iso.get(upper).copied();
                }
            }
        }
    }

    let country = if let Some(cc) = decided {
        Some(cc)
    } else if let Some(r) = region {
        if r.iter().all(|c| *c == r[0]) {
            Some(r[0])
        } else {
            city.map(|c| c.country).filter(|cc| r.contains(cc))
        }
    } else if let Some(c) = city {
        Some(c.country)
    } else if city_ambiguous {
        None
    } else {
        return scan_words(location);
    };
    Resolved {
        country,
        place: city.filter(|c| Some(c.country) == country),
    }
}

/// Last resort: known names inside the words of the text, longest match first.
fn scan_words(location: &str) -> Resolved {
    let ix = &*INDEX;
    let key = fold_key(location);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    for n in (1..=ix.max_words.min(words.len())).rev() {
        for w in words.windows(n) {
            if name_words_from(w[0]) < n {
                continue;
            }
            let cand = w.join(" ");
            if n == 1 && (cand.len() < 4 || SCAN_STOPWORDS.contains(&cand.as_str())) {
                continue;
            }
            if let Some(cc) = ix.countries.get(&cand) {
                return Resolved {
                    country: Some(cc),
                    place: None,
                };
            }
            if let Some(r) = ix.region_names.get(&cand)
                && r.iter().all(|c| *c == r[0])
            {
                return Resolved {
                    country: Some(r[0]),
                    place: None,
                };
            }
            if let Some(Some(p)) = ix.places.get(&cand) {
                return Resolved {
                    country: Some(p.country),
                    place: Some(*p),
                };
            }
        }
    }
    Resolved::default()
}

/// Places named inside a job title ("Cabin Crew - Dublin", "Airside Specialist - MIA").
pub fn places_in_title(title: &str) -> Vec<Place> {
    let ix = &*INDEX;
    let mut out: Vec<Place> = Vec::new();
    // In an all-capitals title ("CAPTAIN - DUBAI") three-letter words are words, not codes.
    let mixed_case = title.bytes().any(|b| b.is_ascii_lowercase());
    for raw in title.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '.')) {
        if mixed_case
            && raw.len() == 3
            && raw.bytes().all(|b| b.is_ascii_uppercase())
            && let Some(p) = ix.iata.get(raw)
            && !is_aviation_acronym(raw)
            && !out.contains(p)
        {
            out.push(*p);
        }
    }
    let key = fold_key(title);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let mut i = 0;
    while i < words.len() {
        let mut matched = 0;
        for n in (1..=name_words_from(words[i]).min(words.len() - i)).rev() {
            let cand = words[i..i + n].join(" ");
            if n == 1 && (cand.len() < 4 || SCAN_STOPWORDS.contains(&cand.as_str())) {
                continue;
            }
            if let Some(Some(p)) = ix.places.get(&cand) {
                if !out.contains(p) {
                    out.push(*p);
                }
                matched = n;
                break;
            }
        }
        i += matched.max(1);
    }
    out
}

/// Three-letter words of job titles that are also IATA codes but mean something else.
pub fn is_aviation_acronym(w: &str) -> bool {
    matches!(
        w,
        "SFO"
            | "CPT"
            | "LAE"
            | "MRO"
            | "ATC"
            | "NDT"
            | "TRE"
            | "TRI"
            | "SEP"
            | "MEP"
            | "CRM"
            | "OPS"
            | "HSE"
            | "CEO"
            | "CFO"
            | "COO"
            | "VIP"
            | "FBO"
            | "AOG"
            | "AME"
            | "ATR"
            | "EMB"
            | "CRJ"
            | "APU"
            | "ENG"
            | "SAN"
            | "CAM"
            | "MCC"
            | "OCC"
            | "IOC"
            | "HUM"
            | "LIS"
            | "ADD"
            | "PER"
            | "CAN"
            | "MAN"
            | "SEN"
            | "BAH"
            | "DAR"
    )
}
