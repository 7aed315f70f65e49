//! The synthetic aviation vacancies the demo sites publish.

/// One synthetic vacancy.
#[derive(Debug, Clone, Copy)]
pub struct DemoJob {
    /// Stable id (the sites' own ids derive from it).
    pub id: u32,
    /// Title.
    pub title: &'static str,
    /// Advertiser.
    pub company: &'static str,
    /// Free-text location.
    pub location: &'static str,
    /// Contract wording.
    pub contract: &'static str,
    /// Salary text ("" when not given).
    pub salary: &'static str,
    /// Posted this many days before today.
    pub age_days: u32,
    /// Category slug (URL path).
    pub category: &'static str,
    /// Short description.
    pub description: &'static str,
}

macro_rules! jobs {
    ($( ($id:expr, $title:expr, $company:expr, $loc:expr, $contract:expr, $salary:expr, $age:expr, $cat:expr, $desc:expr) ),* $(,)?) => {
        &[ $( DemoJob { id: $id, title: $title, company: $company, location: $loc, contract: $contract,
              salary: $salary, age_days: $age, category: $cat, description: $desc } ),* ]
    };
}

/// Vacancies on the HTML job board (an aggregator: several advertisers, 3 pages).
pub const BOARD: &[DemoJob] = jobs![
    (
        1001,
        "Captain A320",
        "Example Airways",
        "Dublin, Ireland",
        "Permanent",
        "€120,000 - €150,000 per year",
        1,
        "pilots",
        "Command the A320 fleet from our Dublin base."
    ),
    (
        1002,
        "First Officer A320",
        "Example Airways",
        "Cork, Ireland",
        "Permanent",
        "",
        2,
        "pilots",
        "Join our growing A320 first officer team in Cork."
    ),
    (
        1003,
        "B1 Licensed Engineer - Line Maintenance",
        "Nordic MRO Services",
        "Stansted, England, United Kingdom",
        "Contract",
        "£40 - £45 per hour",
        3,
        "aircraft-maintenance",
        "Part-66 B1 engineer for A320 and B737 line maintenance."
    ),
    (
        1004,
        "B2 Avionics Engineer",
        "Nordic MRO Services",
        "Copenhagen, Denmark",
        "Full time",
        "DKK 520,000 per year",
        4,
        "aircraft-maintenance",
        "B2 licensed avionics engineer for ATR 72 base maintenance."
    ),
    (
        1005,
        "Cabin Crew - Dublin",
        "Example Airways",
        "Dublin, Ireland",
        "Seasonal",
        "",
        5,
        "cabin-crew",
        "Summer season cabin crew based in Dublin."
    ),
    (
        1006,
        "Senior First Officer B737",
        "Atlantic Charter",
        "Manchester, England, United Kingdom",
        "Permanent",
        "£85,000 - £95,000 per year",
        6,
        "pilots",
        "B737NG type-rated SFO for charter operations."
    ),
    (
        1007,
        "Flight Dispatcher",
        "Atlantic Charter",
        "Manchester Airport",
        "Full time",
        "",
        7,
        "operations",
        "Licensed dispatcher for our operations control centre."
    ),
    (
        1008,
        "Aircraft Mechanic (SR)",
        "Cargo Connect",
        "Luxembourg, Luxembourg",
        "Permanent",
        "",
        8,
        "aircraft-maintenance",
        "Senior mechanic for B747-8F heavy checks."
    ),
    (
        1009,
        "Load Master",
        "Cargo Connect",
        "Luxembourg, Luxembourg",
        "Permanent",
        "",
        9,
        "operations",
        "Load planning and supervision for freighter operations."
    ),
    (
        1010,
        "ATR 72-500 Captain",
        "Island Hopper",
        "Malta",
        "Contract",
        "",
        10,
        "pilots",
        "Experienced ATR captain for inter-island services."
    ),
    (
        1011,
        "Dash 8 Q400 First Officer",
        "Island Hopper",
        "Malta",
        "Contract",
        "",
        11,
        "pilots",
        "Q400 first officers wanted for a wet-lease programme."
    ),
    (
        1012,
        "CAMO Technical Records Officer",
        "Nordic MRO Services",
        "Oslo, Norway",
        "Full time",
        "",
        12,
        "engineering",
        "Maintain technical records for a mixed fleet."
    ),
    (
        1013,
        "Ramp Agent",
        "Swift Ground Handling",
        "Dallas, TX",
        "Part time",
        "USD 19/hr",
        2,
        "ground-operations",
        "Ramp agent for turnarounds at DFW."
    ),
    (
        1014,
        "Air Traffic Control Assistant",
        "Regional ANSP",
        "Shannon, Ireland",
        "Full time",
        "",
        3,
        "atc",
        "Support controllers in the Shannon area control centre."
    ),
    (
        1015,
        "Head of Training",
        "Sky Academy",
        "Madrid, Spain",
        "Permanent",
        "",
        4,
        "training",
        "Lead our ATPL ground and flight training programme."
    ),
    (
        1016,
        "Type Rating Instructor B737 MAX",
        "Sky Academy",
        "Madrid, Spain",
        "Contract",
        "",
        5,
        "training",
        "TRI for B737 MAX courses in our full-flight simulators."
    ),
    (
        1017,
        "Cabin Crew - Cork",
        "Example Airways",
        "Cork, Ireland",
        "Seasonal",
        "",
        6,
        "cabin-crew",
        "Summer season cabin crew based in Cork."
    ),
    (
        1018,
        "Aircraft Painter",
        "Nordic MRO Services",
        "Stavanger, Norway",
        "Temporary",
        "",
        7,
        "aircraft-maintenance",
        "Aircraft painter for a six-month hangar project."
    ),
    (
        1019,
        "Crew Scheduler",
        "Atlantic Charter",
        "Manchester, England, United Kingdom",
        "Full time",
        "",
        8,
        "operations",
        "Build and maintain crew rosters."
    ),
    (
        1020,
        "Maintenance Controller",
        "Cargo Connect",
        "Luxembourg, Luxembourg",
        "Permanent",
        "",
        9,
        "operations",
        "24/7 maintenance control for the freighter fleet."
    ),
    (
        1021,
        "Airport Duty Manager",
        "Regional Airport Co",
        "Knock, Ireland",
        "Permanent",
        "",
        10,
        "airport",
        "Lead the terminal duty team."
    ),
    (
        1022,
        "Helicopter Pilot AW139",
        "Offshore Rotors",
        "Aberdeen, Scotland, United Kingdom",
        "Permanent",
        "",
        11,
        "pilots",
        "AW139 commander for offshore transport."
    ),
    (
        1023,
        "Licensed Aircraft Engineer B1 ATR",
        "Island Hopper",
        "Malta",
        "Permanent",
        "€55,000 per year",
        12,
        "aircraft-maintenance",
        "B1 engineer with ATR 42/72 type."
    ),
    (
        1024,
        "Trainee Pilot Programme",
        "Sky Academy",
        "Madrid, Spain",
        "Internship",
        "",
        13,
        "training",
        "Cadet programme from zero to frozen ATPL."
    ),
    (
        1025,
        "Customer Service Agent",
        "Swift Ground Handling",
        "Dublin Airport",
        "Part time",
        "",
        14,
        "ground-operations",
        "Check-in and boarding for partner airlines."
    ),
    (
        1026,
        "Fleet Technical Pilot E-Jets",
        "Atlantic Charter",
        "Manchester, England, United Kingdom",
        "Permanent",
        "",
        15,
        "pilots",
        "Technical pilot for the E190/E195 fleet."
    ),
    (
        1027,
        "Stores Operative",
        "Nordic MRO Services",
        "Copenhagen, Denmark",
        "Full time",
        "",
        16,
        "aircraft-maintenance",
        "Receive, store and issue aircraft parts."
    ),
    (
        1028,
        "Safety Manager",
        "Cargo Connect",
        "Luxembourg, Luxembourg",
        "Permanent",
        "",
        17,
        "management",
        "Run the safety management system."
    ),
    (
        1029,
        "Dispatcher (Part-Time)",
        "Island Hopper",
        "Malta",
        "Part time",
        "",
        18,
        "operations",
        "Part-time flight dispatcher."
    ),
    (
        1030,
        "Chief Pilot",
        "Offshore Rotors",
        "Aberdeen, Scotland, United Kingdom",
        "Permanent",
        "",
        19,
        "pilots",
        "Lead the flight operations of an offshore helicopter operator."
    ),
];

/// Vacancies published through the JSON API (an MRO's own career API, paged by offset).
pub const API: &[DemoJob] = jobs![
    (
        2001,
        "B1 Licensed Engineer - Line Maintenance",
        "Nordic MRO Services",
        "Stansted, England, United Kingdom",
        "Contract",
        "£40 - £45 per hour",
        3,
        "aircraft-maintenance",
        "Part-66 B1 engineer for A320 and B737 line maintenance."
    ),
    (
        2002,
        "B2 Avionics Engineer",
        "Nordic MRO Services",
        "Copenhagen, Denmark",
        "Full time",
        "DKK 520,000 per year",
        4,
        "aircraft-maintenance",
        "B2 licensed avionics engineer for ATR 72 base maintenance."
    ),
    (
        2003,
        "Aircraft Structures Technician",
        "Nordic MRO Services",
        "Billund, Denmark",
        "Full time",
        "",
        1,
        "aircraft-maintenance",
        "Sheet-metal repairs during C-checks."
    ),
    (
        2004,
        "Planning Engineer",
        "Nordic MRO Services",
        "Oslo, Norway",
        "Full time",
        "",
        2,
        "engineering",
        "Plan base maintenance work packages."
    ),
    (
        2005,
        "Quality Auditor Part-145",
        "Nordic MRO Services",
        "Oslo, Norway",
        "Permanent",
        "",
        5,
        "engineering",
        "Audit Part-145 compliance across our stations."
    ),
    (
        2006,
        "Engine Shop Technician CFM56",
        "Nordic MRO Services",
        "Billund, Denmark",
        "Permanent",
        "",
        6,
        "aircraft-maintenance",
        "Module repairs on CFM56-7B engines."
    ),
    (
        2007,
        "Apprentice Aircraft Mechanic",
        "Nordic MRO Services",
        "Copenhagen, Denmark",
        "Internship",
        "",
        7,
        "aircraft-maintenance",
        "Four-year apprenticeship towards a B1 licence."
    ),
    (
        2008,
        "Hangar Shift Lead",
        "Nordic MRO Services",
        "Stavanger, Norway",
        "Permanent",
        "",
        8,
        "aircraft-maintenance",
        "Lead a night shift of certifying staff."
    ),
    (
        2009,
        "Component Workshop Technician",
        "Nordic MRO Services",
        "Billund, Denmark",
        "Full time",
        "",
        9,
        "aircraft-maintenance",
        "Wheel and brake shop technician."
    ),
    (
        2010,
        "Technical Publications Specialist",
        "Nordic MRO Services",
        "Oslo, Norway",
        "Full time",
        "",
        10,
        "engineering",
        "Manage maintenance data subscriptions."
    ),
    (
        2011,
        "NDT Level 2 Inspector",
        "Nordic MRO Services",
        "Copenhagen, Denmark",
        "Contract",
        "",
        11,
        "aircraft-maintenance",
        "Eddy current and ultrasonic inspections."
    ),
    (
        2012,
        "Customer Support Manager",
        "Nordic MRO Services",
        "Oslo, Norway",
        "Permanent",
        "",
        12,
        "management",
        "Own relations with our airline customers."
    ),
];

/// Vacancies on the airline's own career site (JSON-LD on every posting page); some are
/// also advertised on the job board, so the deduplicator merges them.
pub const CAREERS: &[DemoJob] = jobs![
    (
        3001,
        "Captain A320",
        "Example Airways",
        "Dublin, Ireland",
        "Permanent",
        "",
        1,
        "pilots",
        "Command the A320 fleet from our Dublin base."
    ),
    (
        3002,
        "First Officer A320",
        "Example Airways",
        "Cork, Ireland",
        "Permanent",
        "",
        2,
        "pilots",
        "Join our growing A320 first officer team in Cork."
    ),
    (
        3003,
        "Cabin Crew - Dublin",
        "Example Airways",
        "Dublin, Ireland",
        "Seasonal",
        "",
        5,
        "cabin-crew",
        "Summer season cabin crew based in Dublin."
    ),
    (
        3004,
        "Cabin Crew - Cork",
        "Example Airways",
        "Cork, Ireland",
        "Seasonal",
        "",
        6,
        "cabin-crew",
        "Summer season cabin crew based in Cork."
    ),
    (
        3005,
        "Captain A330",
        "Example Airways",
        "Dublin, Ireland",
        "Permanent",
        "",
        3,
        "pilots",
        "Long-haul A330 command."
    ),
    (
        3006,
        "Second Officer A330",
        "Example Airways",
        "Dublin, Ireland",
        "Permanent",
        "",
        4,
        "pilots",
        "Cruise relief pilots for the A330 fleet."
    ),
    (
        3007,
        "Revenue Management Analyst",
        "Example Airways",
        "Dublin, Ireland",
        "Permanent",
        "",
        8,
        "commercial",
        "Pricing and inventory for European routes."
    ),
    (
        3008,
        "Ground Operations Coordinator",
        "Example Airways",
        "Shannon, Ireland",
        "Full time",
        "",
        9,
        "operations",
        "Coordinate turnarounds at Shannon."
    ),
];

/// URL slug of a title: lower case, runs of other characters become `-`.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_owned()
}
