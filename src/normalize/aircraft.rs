//! Aircraft types and licences named in job titles and descriptions.
//!
//! Types come out normalized (`Boeing 737-800` → `B737NG`, `Airbus A320neo` → `A320`,
//! `ATR 42/72-500` → `ATR42` + `ATR72`, `Dash 8 Q400` → `DHC8`) and each has a *family*
//! (the type rating a pilot or engineer holds): `A319`/`A320`/`A321` are one family, `A330` is
//! another; `B737NG` and `B737MAX` share the family `B737` but are told apart where both sides
//! say which. Licences: `ATPL`, `CPL`, `MPL`, Part-66 `A`, `B1` (with `B1.1`…`B1.4`), `B2`, `B2L`,
//! `B3`, `C`, and the FAA `A&P` and `IA`.

use std::sync::LazyLock;

use regex::Regex;

/// (pattern over the folded text, normalized type; `$n` expands a capture, `+` separates two
/// types named at once).
const TYPE_PATTERNS: &[(&str, &str)] = &[
    (
        r"\b(?:airbus )?a ?(318|319|320|321)(?: ?(?:neo|ceo|lr|xlr))?\b",
        "A$1",
    ),
    (r"\b(?:airbus )?a ?3(?:2x|2f)\b|\ba320 family\b", "A320"),
    (
        r"\b(?:airbus )?a ?(220|300|310|330|340|350|380)(?: ?(?:neo|ceo|\d{3}|mrtt|xwb)|f)?\b",
        "A$1",
    ),
    (r"\b(?:cs ?100|cs ?300|bd ?500)\b", "A220"),
    (
        r"\b(?:boeing )?b? ?737 ?(?:max|m)\b|\bb3[89]m\b|\b737 ?max ?\d\b",
        "B737MAX",
    ),
    (
        r"\b(?:boeing )?b? ?737 ?(?:ng|[6-9]00(?:er)?)\b|\bb73[689]\b|\bb737ng\b",
        "B737NG",
    ),
    (r"\b(?:boeing )?b? ?737(?: ?classic)?\b|\bb737\b", "B737"),
    (
        r"\b(?:boeing )?b? ?(717|727|747|757|767|777|787)(?: ?\d{1,3}(?:er|f|lr)?|x|er|f|lr)?\b",
        "B$1",
    ),
    (r"\bb77[wl]\b", "B777"),
    (r"\bb78[89x]\b", "B787"),
    (r"\bb74[48f]\b", "B747"),
    (r"\bdreamliner\b", "B787"),
    (r"\batr ?42 (?:and )?72\b", "ATR42+ATR72"),
    (r"\batr ?(42|72)\b", "ATR$1"),
    (r"\batr\b(?: ?(?:aircraft|600|500))?", "ATR"),
    (
        r"\b(?:dash ?8|dhc ?8|q ?400|q ?300|q ?200|q ?100)\b",
        "DHC8",
    ),
    (r"\b(?:dhc ?6|twin otter)\b", "DHC6"),
    (
        r"\b(?:embraer )?(?:e|erj ?|emb ?)(170|175|190|195)(?: ?e2)?\b",
        "E$1",
    ),
    (r"\be ?jets?\b|\be ?2 ?jets?\b", "EJET"),
    (r"\b(?:embraer )?(?:erj|emb) ?(135|140|145)\b", "ERJ145"),
    (r"\bcrj ?(?:100|200|550|700|705|900|1000)?\b", "CRJ"),
    (
        r"\bglobal ?(?:5000|5500|6000|6500|7500|8000|express|xrs)\b",
        "GLOBAL",
    ),
    (r"\b(?:challenger|cl) ?(300|350|3500)\b", "CL350"),
    (r"\b(?:challenger|cl) ?(601|604|605|650)\b", "CL650"),
    (r"\bfalcon ?(7x|8x|6x|10x|900\w*|2000\w*|50)\b", "FALCON"),
    (
        r"\bg ?(iv|v|200|280|450|500|550|600|650|650er|700|800)\b",
        "G$1",
    ),
    (r"\bgulfstream\b", "GULFSTREAM"),
    (
        r"\b(?:citation|cessna ?(?:5[0-9]{2}|6[0-9]{2}|7[0-9]{2})|cj ?[1-4]|latitude|longitude|sovereign)\b",
        "CITATION",
    ),
    (r"\blearjet\b", "LEARJET"),
    (r"\bphenom ?(?:100|300)\b", "PHENOM"),
    (
        r"\b(?:legacy ?(?:450|500|600|650)|praetor ?(?:500|600))\b",
        "LEGACY",
    ),
    (r"\bpc ?12\b", "PC12"),
    (r"\bpc ?24\b", "PC24"),
    (r"\b(?:king ?air|b ?200|b ?350|be ?350)\b", "KINGAIR"),
    (r"\bbeech ?1900\b", "B1900"),
    (r"\bjetstream ?(?:31|32|41)\b", "JETSTREAM"),
    (r"\bsaab ?(340|2000)\b", "SAAB$1"),
    (r"\bfokker ?(50|70|100)\b", "F$1"),
    (r"\b(?:bae ?146|avro ?rj ?\d*)\b", "BAE146"),
    (r"\b(?:dornier ?|do ?)(228|328)\b", "D$1"),
    (r"\b(?:c ?130|l ?100|hercules)\b", "C130"),
    (r"\bmd ?11\b", "MD11"),
    (r"\bmd ?8[0-8]\b", "MD80"),
    (r"\ban ?124\b", "AN124"),
    (r"\bil ?76\b", "IL76"),
    (
        r"\b(?:agusta ?|leonardo ?)?aw ?(109|119|139|169|189)\b",
        "AW$1",
    ),
    (r"\b(?:as ?350|h ?125|ec ?130|h ?130)\b", "H125"),
    (r"\b(?:ec|h|bk) ?(135|145|117)\b", "H$1"),
    (r"\b(?:ec ?225|h ?225|super puma|as ?332)\b", "H225"),
    (r"\b(?:ec ?175|h ?175)\b", "H175"),
    (r"\bh ?160\b", "H160"),
    (r"\b(?:sikorsky )?s ?(92|76)\b", "S$1"),
    (r"\bbell ?(206|407|412|429|505|525)\b", "BELL$1"),
    (r"\brobinson ?r ?(22|44|66)\b|\br(22|44|66)\b", "R44"),
];

/// All type patterns at once: one pass tells which rules can match at all.
static TYPE_SET: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(TYPE_PATTERNS.iter().map(|(p, _)| p)).expect("aircraft patterns")
});

struct TypeRule {
    re: Regex,
    out: &'static str,
}

static TYPES: LazyLock<Vec<TypeRule>> = LazyLock::new(|| {
    TYPE_PATTERNS
        .iter()
        .map(|(p, out)| TypeRule {
            re: Regex::new(p).unwrap_or_else(|e| panic!("aircraft pattern {p:?}: {e}")),
            out,
        })
        .collect()
});

/// Cheap pre-check: no digit and none of the type words means no aircraft type.
static MAYBE_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d|dash|otter|jet|atr|crj|falcon|gulfstream|citation|learjet|phenom|legacy|praetor|king|hercules|super puma|dreamliner|latitude|longitude|sovereign|global|challenger")
        .unwrap()
});

/// Normalized aircraft types named in folded text ([`super::text::fold_key`]).
pub fn aircraft_types(folded: &str) -> Vec<String> {
    types_and_rest(folded).0
}

/// The aircraft types of folded text, and the text with every type mention blanked out
/// (the matcher compares the remaining words separately).
pub fn types_and_rest(folded: &str) -> (Vec<String>, String) {
    let mut out: Vec<String> = Vec::new();
    if !MAYBE_TYPE.is_match(folded) {
        return (out, folded.to_string());
    }
    let mut rest = folded.to_string();
    let candidates = TYPE_SET.matches(folded);
    if !candidates.matched_any() {
        return (out, rest);
    }
    for (i, rule) in TYPES.iter().enumerate() {
        if !candidates.matched(i) || !rule.re.is_match(&rest) {
            continue;
        }
        for c in rule.re.captures_iter(&rest) {
            let mut t = String::new();
            c.expand(rule.out, &mut t);
            for one in t.split('+') {
                push_unique(&mut out, one.to_ascii_uppercase());
            }
        }
        rest = rule.re.replace_all(&rest, " ").into_owned();
    }
    // Generic names yield to specific ones of the same family.
    let has = |o: &Vec<String>, s: &str| o.iter().any(|t| t == s);
    if has(&out, "B737NG") || has(&out, "B737MAX") {
        out.retain(|t| t != "B737");
    }
    if has(&out, "ATR42") || has(&out, "ATR72") {
        out.retain(|t| t != "ATR");
    }
    if out
        .iter()
        .any(|t| t.starts_with('E') && t.len() == 4 && t != "EJET")
    {
        out.retain(|t| t != "EJET");
    }
    if out
        .iter()
        .any(|t| t.starts_with('G') && t != "GLOBAL" && t != "GULFSTREAM")
    {
        out.retain(|t| t != "GULFSTREAM");
    }
    (out, rest)
}

/// The type-rating family of a normalized type (`A321` → `A320`, `ATR42` → `ATR`).
pub fn family(t: &str) -> &str {
    match t {
        "A318" | "A319" | "A320" | "A321" => "A320",
        "A330" | "A340" => "A330",
        "B737" | "B737NG" | "B737MAX" => "B737",
        "B757" | "B767" => "B757",
        "ATR42" | "ATR72" | "ATR" => "ATR",
        "E170" | "E175" | "E190" | "E195" | "EJET" => "EJET",
        "G450" | "GIV" => "GIV",
        "G550" | "GV" | "G500" => "GV",
        "G650" | "G650ER" => "G650",
        other => other,
    }
}

/// True when two type lists cannot describe the same job: both name types and share no
/// family, or one says 737 MAX where the other says 737 NG.
pub fn types_conflict(a: &[String], b: &[String]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let shared = a.iter().any(|x| b.iter().any(|y| family(x) == family(y)));
    if !shared {
        return true;
    }
    let says = |l: &[String], s: &str| l.iter().any(|t| t == s);
    (says(a, "B737MAX") && says(b, "B737NG") && !says(a, "B737NG") && !says(b, "B737MAX"))
        || (says(a, "B737NG") && says(b, "B737MAX") && !says(a, "B737MAX") && !says(b, "B737NG"))
}

fn push_unique(v: &mut Vec<String>, t: String) {
    if !v.contains(&t) {
        v.push(t);
    }
}

static LICENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(ATPL|CPL|MPL)\b
      | \b(B1)(?:\.([1-4]))?\b
      | \b(B2L?|B3)\b
      | \bCAT(?:EGORY)?\.?\s*([AC])\b
      | \bPART[\s-]?66\s+(?:CAT(?:EGORY)?\.?\s*)?([AC])\b
      | \b(A\s?&\s?P|A\s+AND\s+P|AIRFRAME\s+(?:AND|&)\s+POWERPLANT)\b
      | \b(INSPECTION\s+AUTHORI[SZ]ATION)\b
      | A&P\s*/\s*(IA)\b
      | \b(IA)\s+(?:REQUIRED|PREFERRED|CERTIFICATE)
    ",
    )
    .unwrap()
});

/// Licences named in a text, normalized: `ATPL`, `CPL`, `MPL`, `A`, `B1`, `B1.1`, `B2`, `B2L`,
/// `B3`, `C`, `A&P`, `IA`.
pub fn licences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let upper = text.to_ascii_uppercase();
    let worth_a_look = upper.bytes().any(|b| b.is_ascii_digit() || b == b'&')
        || ["PL", "CAT", "AUTHORI", "POWERPLANT", " AND P"]
            .iter()
            .any(|w| upper.contains(w));
    if !worth_a_look || !LICENCE.is_match(&upper) {
        return out;
    }
    for c in LICENCE.captures_iter(&upper) {
        let t = if let Some(m) = c.get(1) {
            m.as_str().to_string()
        } else if c.get(2).is_some() {
            match c.get(3) {
                Some(sub) => format!("B1.{}", sub.as_str()),
                None => "B1".into(),
            }
        } else if let Some(m) = c.get(4) {
            m.as_str().to_string()
        } else if let Some(m) = c.get(5).or(c.get(6)) {
            m.as_str().to_string()
        } else if c.get(7).is_some() {
            "A&P".into()
        } else {
            "IA".into()
        };
        push_unique(&mut out, t);
    }
    out
}

/// True when licence lists cannot describe the same job: maintenance categories differ
/// (B1 vs B2; B1.1 vs B1.3), or pilot licences are named on both sides and differ.
pub fn licences_conflict(a: &[String], b: &[String]) -> bool {
    let maint = |l: &[String]| -> Vec<String> {
        l.iter()
            .filter(|t| !matches!(t.as_str(), "ATPL" | "CPL" | "MPL" | "A&P" | "IA"))
            .cloned()
            .collect()
    };
    let pilot = |l: &[String]| -> Vec<String> {
        l.iter()
            .filter(|t| matches!(t.as_str(), "ATPL" | "CPL" | "MPL"))
            .cloned()
            .collect()
    };
    let (ma, mb) = (maint(a), maint(b));
    if !ma.is_empty() && !mb.is_empty() {
        let cat = |t: &str| t.split('.').next().unwrap_or(t).to_string();
        let cats = |l: &[String]| {
            let mut v: Vec<String> = l.iter().map(|t| cat(t)).collect();
            v.sort();
            v.dedup();
            v
        };
        if cats(&ma) != cats(&mb) {
            return true;
        }
        // Sub-categories only conflict when both sides give one.
        let subs = |l: &[String]| {
            let mut v: Vec<String> = l.iter().filter(|t| t.contains('.')).cloned().collect();
            v.sort();
            v
        };
        let (sa, sb) = (subs(&ma), subs(&mb));
        if !sa.is_empty() && !sb.is_empty() && sa != sb {
            return true;
        }
    }
    let (pa, pb) = (pilot(a), pilot(b));
    !pa.is_empty() && !pb.is_empty() && pa != pb
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::text::fold_key;

    fn types(title: &str) -> Vec<String> {
        aircraft_types(&fold_key(title))
    }

    #[test]
    fn long_and_short_aircraft_names_normalize_alike() {
        let table: &[(&str, &[&str])] = &[
            ("Captain A320", &["A320"]),
            ("Airbus A320neo First Officer", &["A320"]),
            ("A-321 Captain", &["A321"]),
            ("Captain A330-300", &["A330"]),
            ("Boeing 737-800 Captain", &["B737NG"]),
            ("B737 MAX First Officer", &["B737MAX"]),
            ("Captain B737", &["B737"]),
            ("B787 TR & NTR First Officers", &["B787"]),
            ("747-8F Captain", &["B747"]),
            ("Captain ATR 42/72-500", &["ATR42", "ATR72"]),
            ("ATR 47/72-500 Captain", &["ATR"]),
            ("Dash 8 Q400 Commander", &["DHC8"]),
            ("Embraer E190 First Officer", &["E190"]),
            ("Captain Global 6000", &["GLOBAL"]),
            ("Gulfstream G650 Captain", &["G650"]),
            ("AW139 Captain", &["AW139"]),
            ("S-92 Commander", &["S92"]),
            ("F/O B777", &["B777"]),
            ("Cabin Crew - Dublin", &[]),
            ("Sales Manager 2025", &[]),
        ];
        for (title, want) in table {
            assert_eq!(types(title), want.to_vec(), "{title:?}");
        }
    }

    #[test]
    fn type_conflicts_follow_type_rating_families() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(types_conflict(&v(&["A320"]), &v(&["A330"])));
        assert!(!types_conflict(&v(&["A320"]), &v(&["A321"])));
        assert!(!types_conflict(&v(&["ATR42", "ATR72"]), &v(&["ATR72"])));
        assert!(types_conflict(&v(&["B737MAX"]), &v(&["B737NG"])));
        assert!(!types_conflict(&v(&["B737"]), &v(&["B737MAX"])));
        assert!(!types_conflict(&v(&["A320"]), &v(&[])));
    }

    #[test]
    fn licences_and_their_conflicts() {
        assert_eq!(licences("B1/B2 Licensed Engineer"), vec!["B1", "B2"]);
        assert_eq!(licences("EASA Part-66 B1.1 Engineer"), vec!["B1.1"]);
        assert_eq!(licences("Frozen ATPL holders"), vec!["ATPL"]);
        assert_eq!(licences("A&P Mechanic - IA preferred"), vec!["A&P", "IA"]);
        assert_eq!(licences("Cat A Mechanic"), vec!["A"]);
        assert_eq!(licences("Cabin Crew"), Vec::<String>::new());
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(licences_conflict(&v(&["B1"]), &v(&["B2"])));
        assert!(!licences_conflict(&v(&["B1"]), &v(&["B1.1"])));
        assert!(licences_conflict(&v(&["B1.1"]), &v(&["B1.3"])));
        assert!(licences_conflict(&v(&["ATPL"]), &v(&["CPL"])));
        assert!(!licences_conflict(&v(&["B1"]), &v(&[])));
    }
}
