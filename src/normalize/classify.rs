//! Job classifiers: category, seniority, rank and employment type.
//!
//! All work on the folded title ([`super::text::fold_key`]: lower case ASCII words) with
//! anchored word patterns compiled once. The category order matters: crew ranks first (a
//! "Cabin Manager" is cabin crew, a "Chief Pilot" flight crew), then managers of anything
//! ("Base Maintenance Manager", "Station Manager" are management), office jobs that merely
//! mention crew ("Pilot Recruitment Coordinator"), then the trades.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Category, EmploymentType};

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("classifier pattern {p:?}: {e}"))
}

static ATC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:air traffic (?:control|controller|services?|management)|atco|atc|atm|aerodrome controller|approach controller|area controller|flight information service officer|fiso|tower controller|radar controller|atsep)\b",
    )
});
static CABIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:cabin crew|cabin attendants?|flight attendants?|stewards?|stewardess(?:es)?|pursers?|cabin managers?|cabin service director|cabin supervisor|inflight (?:manager|crew)|in flight (?:manager|crew)|hostess|air host(?:ess)?|cabin services? (?:agent|crew)|cabin safety)\b",
    )
});
static FLIGHT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:captains?|capt|cpt|commanders?|first officers?|f o|fo|sfo|co ?pilots?|pilots?|second officers?|flight engineers?|cruise relief|type rating (?:instructor|examiner)|tri|tre|sfi|line training captain|ltc|cadets?|aviators?|loadmasters?|flight instructors?|helicopter pilot|dec|rhs|lhs|flight crew|aircrew)\b",
    )
});
static MAINT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:b1|b2|b2l|b3|lae|lame|ame|licensed (?:aircraft )?(?:maintenance )?engineers?|licenced (?:aircraft )?engineers?|certifying (?:engineer|staff|technician)|aircraft (?:maintenance )?(?:engineers?|technicians?|mechanics?|fitters?)|aircraft maintenance|maintenance (?:engineer|technician|mechanic)s?|a and p|a p mechanic|mechanics?|avionics? (?:technician|engineer|specialist)s?|structures? (?:technician|mechanic)s?|sheet metal|ndt|composite (?:technician|repair)|line maintenance|base maintenance|maintenance control(?:ler)?|mcc|hangar|engine (?:technician|mechanic|fitter)s?|aircraft (?:painter|cleaner)s?|component (?:technician|repair)|technician|mro)\b",
    )
});
static ENGINEERING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:engineers?|engineering|camo|continuing airworthiness|airworthiness|technical services|reliability|design|stress|certification|planner|records|technical (?:writer|publications|records))\b",
    )
});
static GROUND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:dispatchers?|flight dispatch|flight operations (?:officer|controller|coordinator)|operations control(?:ler)?|ops controller|crew (?:scheduler|control|controller|planner|rostering)s?|maintenance control(?:ler)?|mcc|load (?:control|controller|planner|master)|ramp|baggage|check in|passenger (?:service|services)|customer service (?:agent|representative)|airside|ground (?:handling|operations|ops|crew|staff|service|services)|station (?:manager|supervisor|agent)|line service|fueler|refueller|fuel(?:ing)? (?:operator|technician)|aircraft marshaller|marshaller|de ?icing|cargo (?:agent|handler|operations)|warehouse|security officer|terminal|gate agent|duty manager|turnaround|handling agent|meteorologists?|airport operations|fbo|concierge|csr|experience specialist)\b",
    )
});
static MANAGEMENT_EXEC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:head of|director|vice president|vp|svp|evp|chief (?:executive|operating|financial|technical|commercial|information|people|pilot)|ceo|cfo|coo|cto|cco|managing director|general manager|accountable manager|nominated person|post ?holder|country manager|regional manager|president)\b",
    )
});
/// Office jobs that mention crew or pilots without being crew ("Pilot Recruitment Coordinator").
static OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:recruit\w*|talent acquisition|human resources|hr|payroll|finance|financial|accountant|accounting|sales|marketing|legal|counsel|procurement|purchasing|commercial|it support|developer|data scientist|analyst|graphic|communications)\b",
    )
});
/// Ground jobs whose titles also hold maintenance words ("Line Service Technician" fuels and
/// tows at an FBO).
static GROUND_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:line service|ramp|baggage|dispatchers?|fuell?ers?|fuell?ing|de ?icing|customer service|passenger service|check in)\b",
    )
});
/// Engineering jobs whose titles also hold maintenance words.
static ENGINEERING_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:technical services|camo|continuing airworthiness|stress|design engineer|reliability|certification engineer|software engineer|systems engineer)\b",
    )
});
static MANAGER: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:manager|management|superintendent)\b"));

static SENIOR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:captains?|capt|cpt|commanders?|senior|sr|snr|lead|leader|head|chief|principal|manager|director|vp|svp|evp|vice president|president|supervisor|superintendent|purser|pursers|cabin manager|ceo|cfo|coo|cto|sfo|tri|tre|examiner|type rating instructor|accountable manager|nominated person|post ?holder|expert|fellow|dec)\b",
    )
});
static JUNIOR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:junior|jr|trainee|cadet|graduate|apprentice|apprenticeship|intern|internship|assistant to|entry level|ab initio)\b",
    )
});

/// Job category from the folded title (and department, when the title says nothing).
pub fn category(title: &str, department: Option<&str>) -> Category {
    let t = title;
    if ATC.is_match(t) {
        return Category::Atc;
    }
    if CABIN.is_match(t) {
        return Category::CabinCrew;
    }
    let office = OFFICE.is_match(t);
    if FLIGHT.is_match(t) && !office {
        return Category::FlightCrew;
    }
    if MANAGEMENT_EXEC.is_match(t) || MANAGER.is_match(t) {
        return Category::Management;
    }
    if office {
        return Category::Other;
    }
    if GROUND_STRONG.is_match(t) {
        return Category::GroundOps;
    }
    if ENGINEERING_STRONG.is_match(t) {
        return Category::Engineering;
    }
    if MAINT.is_match(t) {
        return Category::Maintenance;
    }
    if GROUND.is_match(t) {
        return Category::GroundOps;
    }
    if ENGINEERING.is_match(t) {
        return Category::Engineering;
    }
    if let Some(d) = department {
        let c = category(&super::text::fold_key(d), None);
        if c != Category::Other {
            return c;
        }
    }
    Category::Other
}

/// Seniority from the folded title: captains, seniors, leads, heads, chiefs, principals,
/// supervisors, managers and above; juniors, trainees and cadets never.
pub fn senior(title: &str) -> bool {
    SENIOR.is_match(title) && !JUNIOR.is_match(title)
}

/// Rank of a flight or cabin crew job, for the matcher: different ranks are different jobs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Rank {
    /// Captain / commander (incl. TRI/TRE, line training captain, direct entry captain).
    Captain,
    /// Senior first officer.
    SeniorFirstOfficer,
    /// First officer / co-pilot.
    FirstOfficer,
    /// Second officer / cruise relief pilot.
    SecondOfficer,
    /// Cadet / trainee pilot.
    Cadet,
    /// Senior cabin crew: purser, cabin manager, cabin service director.
    SeniorCabinCrew,
    /// Cabin crew / flight attendant.
    CabinCrew,
}

static RANKS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(senior first officers?|sfo)|(first officers?|f o|fo|co ?pilots?|second in command|sic)|(second officers?|cruise relief(?: pilots?)?)|(cadets?(?: pilots?)?|trainee pilots?|ab initio)|(direct entry captains?|line training captains?|training captains?|captains?|capt|cpt|commanders?|pic|dec|tri|tre)|(senior cabin crew|senior flight attendants?|lead flight attendants?|pursers?|cabin managers?|cabin service directors?|cabin supervisors?|inflight managers?|csd)|(cabin crew|flight attendants?|cabin attendants?|stewards?|stewardess(?:es)?|air host(?:ess)?))\b",
    )
});

/// Ranks named in the folded title, sorted and unique.
pub fn ranks(title: &str) -> Vec<Rank> {
    // A plain match is a fast DFA scan; captures only when there is something to capture.
    if !RANKS.is_match(title) {
        return Vec::new();
    }
    let mut out: Vec<Rank> = RANKS
        .captures_iter(title)
        .filter_map(|c| {
            Some(match (1..=7).find(|i| c.get(*i).is_some())? {
                1 => Rank::SeniorFirstOfficer,
                2 => Rank::FirstOfficer,
                3 => Rank::SecondOfficer,
                4 => Rank::Cadet,
                5 => Rank::Captain,
                6 => Rank::SeniorCabinCrew,
                _ => Rank::CabinCrew,
            })
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

static EMPLOYMENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(intern|internship|trainee|traineeship|apprentice|apprenticeship|graduate programme|graduate program|cadet programme|working student|werkstudent|praktikum)|(temporary|temp|seasonal|fixed term|fixed-term|summer|winter season)|(contract|contractor|freelance|freelancer|interim|self employed|b2b|day rate)|(part time|part-time|per diem|casual)|(full time|full-time|permanent|regular|fulltime|fte|salaried|direct hire))\b",
    )
});

/// Employment type from the site's wording (`Full time`, `Permanent`, `Contract`, `Part-Time
/// Per Diem`, `Full-Time Seasonal` → temporary). `None` when the text says nothing known.
pub fn employment_type(text: &str) -> Option<EmploymentType> {
    let t = super::text::fold_key(text);
    if !EMPLOYMENT.is_match(&t) {
        return None;
    }
    let found: Vec<usize> = EMPLOYMENT
        .captures_iter(&t)
        .filter_map(|c| (1..=5).find(|i| c.get(*i).is_some()))
        .collect();
    // The most specific word wins: internship > temporary > contract > part time > full time
    // ("Full-Time Seasonal" is seasonal work; "Permanent Part-Time" is part time).
    found.iter().min().map(|i| match i {
        1 => EmploymentType::Internship,
        2 => EmploymentType::Temporary,
        3 => EmploymentType::Contract,
        4 => EmploymentType::PartTime,
        _ => EmploymentType::FullTime,
    })
}

/// [`employment_type`] for the site's own field: unknown non-empty wording is `other`.
pub fn employment_field(text: &str) -> Option<EmploymentType> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(employment_type(t).unwrap_or(EmploymentType::Other))
}
