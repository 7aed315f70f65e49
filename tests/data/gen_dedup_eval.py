#!/usr/bin/env python3
"""Generates tests/data/dedup_eval.jsonl: labelled duplicate groups and hard negatives.

Each line is a raw record (ARCHITECTURE §2) plus "group": records with the same group are one
job. Written by us, modelled on the sites in the real-site notes (aviationjobsearch, LinkedIn
guest pages, FlyGosh, GOOSE, AAP, Signature's Oracle API, IndiGo, Air India, Cargolux);
no real posting is copied. Deterministic: re-running gives the same file.

    python3 tests/data/gen_dedup_eval.py > tests/data/dedup_eval.jsonl
"""
import json
import random
from datetime import date, datetime, timedelta, timezone

rng = random.Random(20251203)
out = []
gid = 0
ext = 100000

AGGREGATORS = ["aviationjobsearch", "linkedin", "flygosh", "pilotsglobal", "aviationcv", "jsfirm", "allflyingjobs"]

COMPANIES = {
    "ryanair": ["Ryanair DAC", "Ryanair", "RYANAIR", "Ryanair Ltd"],
    "jet2": ["Jet2.com", "Jet2", "Jet2.com Limited", "Jet2 plc"],
    "easyjet": ["easyJet", "easyJet Airline Company Limited", "EasyJet plc", "easyJet UK"],
    "wizz": ["Wizz Air", "Wizz Air Hungary Ltd.", "WIZZ AIR", "Wizz Air UK"],
    "emirates": ["Emirates", "Emirates Group", "The Emirates Group", "Emirates Airline"],
    "qatar": ["Qatar Airways", "Qatar Airways Q.C.S.C.", "Qatar Airways Group"],
    "indigo": ["IndiGo", "InterGlobe Aviation Ltd", "InterGlobe Aviation Limited (IndiGo)"],
    "airindia": ["Air India", "Air India Limited", "AIR INDIA LTD"],
    "lht": ["Lufthansa Technik", "Lufthansa Technik AG", "LHT"],
    "cargolux": ["Cargolux", "Cargolux Airlines International S.A.", "CARGOLUX"],
    "dhl": ["DHL Aviation", "European Air Transport Leipzig GmbH", "EAT Leipzig"],
    "signature": ["Signature Aviation", "Signature Flight Support", "Signature Aviation plc"],
    "scoot": ["Scoot", "Scoot Pte Ltd", "SCOOT"],
    "qantas": ["Qantas", "Qantas Airways Limited", "Qantas Group"],
    "netjets": ["NetJets", "NetJets Europe", "NetJets Transportes Aereos"],
    "cathay": ["Cathay Pacific", "Cathay Pacific Airways Limited", "Cathay"],
    "ba": ["British Airways", "British Airways plc", "BA"],
    "aerlingus": ["Aer Lingus", "Aer Lingus Limited"],
    "boeing": ["Boeing", "The Boeing Company"],
    "airbus": ["Airbus", "Airbus Operations GmbH", "Airbus SE"],
    "srt": ["SR Technics", "SR Technics Switzerland AG"],
    "swissport": ["Swissport", "Swissport International AG", "Swissport GB Ltd"],
    "nats": ["NATS", "NATS Holdings", "NATS Services Ltd"],
    "goose": ["GOOSE Recruitment", "Goose Recruitment Ltd", "GOOSE"],
    "aap": ["AAP Aviation", "AAP Aviation Ltd"],
    "rishworth": ["Rishworth Aviation", "Rishworth"],
    "loganair": ["Loganair", "Loganair Ltd"],
    "atlas": ["Atlas Air", "Atlas Air Worldwide", "Atlas Air, Inc."],
    "bristow": ["Bristow Group", "Bristow Helicopters Ltd", "Bristow"],
    "cae": ["CAE", "CAE Inc.", "CAE Aviation Training"],
    "aercap": ["AerCap", "AerCap Holdings N.V.", "AerCap Ireland Limited"],
    "menzies": ["Menzies Aviation", "John Menzies plc", "Menzies"],
    "emerald": ["Emerald Airlines", "Emerald Airlines Ireland DAC"],
    "cityjet": ["CityJet", "CityJet DAC"],
}
OWN_SITE = {"goose": "goose", "aap": "aap", "signature": "signature", "indigo": "indigo",
            "airindia": "airindia", "cargolux": "cargolux"}

BASES = {
    "dublin": ["Dublin, Ireland", "Dublin Airport", "Dublin", "DUB", "Co. Dublin, Ireland"],
    "cork": ["Cork, Ireland", "Cork Airport", "Cork"],
    "stansted": ["London Stansted, United Kingdom", "Stansted Airport", "Stansted, Essex, England, United Kingdom"],
    "manchester": ["Manchester, England, United Kingdom", "Manchester Airport", "Manchester, UK"],
    "leeds": ["Leeds Bradford Airport", "Leeds, England, United Kingdom", "Leeds"],
    "gatwick": ["London Gatwick", "Gatwick Airport, West Sussex, United Kingdom", "Crawley, England, United Kingdom"],
    "luton": ["London Luton Airport", "Luton, Bedfordshire, England, United Kingdom"],
    "budapest": ["Budapest, Hungary", "Budapest", "BUD"],
    "dubai": ["Dubai, United Arab Emirates", "Dubai, UAE", "Dubai"],
    "doha": ["Doha, Qatar", "Doha", "Hamad International Airport"],
    "gurgaon": ["Gurgaon", "Gurugram, Haryana, India", "Gurugram"],
    "mumbai": ["Mumbai", "Mumbai, Maharashtra, India", "Mumbai, India"],
    "delhi": ["Delhi", "New Delhi, India", "Delhi, India"],
    "hamburg": ["Hamburg, Germany", "Hamburg", "Hamburg, Deutschland"],
    "luxembourg": ["Luxembourg, Luxembourg", "Luxembourg", "Findel, Luxembourg"],
    "leipzig": ["Leipzig, Germany", "Leipzig/Halle Airport", "Leipzig"],
    "miami": ["Miami, FL, United States", "Miami, FL", "Miami, Florida"],
    "teterboro": ["Teterboro, NJ, United States", "Teterboro, NJ"],
    "singapore": ["Singapore", "Singapore, Singapore", "Changi"],
    "sydney": ["Sydney, NSW", "Sydney, Australia", "Sydney NSW 2020"],
    "lisbon": ["Lisbon, Portugal", "Lisboa", "Lisbon"],
    "hongkong": ["Hong Kong", "Hong Kong S.A.R.", "Hong Kong SAR"],
    "heathrow": ["London Heathrow", "Heathrow Airport, London", "Harmondsworth, England, United Kingdom"],
    "seattle": ["Seattle, WA", "Everett, WA, United States", "Seattle, Washington"],
    "toulouse": ["Toulouse, France", "Blagnac", "Toulouse"],
    "zurich": ["Zurich, Switzerland", "Zürich", "Kloten, Switzerland"],
    "bergamo": ["Bergamo, Italy", "Milan Bergamo", "Bergamo"],
    "malta": ["Malta", "Luqa, Malta", "Malta International Airport"],
    "prestwick": ["Prestwick, Scotland", "Glasgow Prestwick", "Prestwick"],
    "aberdeen": ["Aberdeen, Scotland", "Aberdeen Airport", "Dyce, Aberdeen, United Kingdom"],
}
BASE_WORD = {"dublin": "Dublin", "cork": "Cork", "stansted": "Stansted", "manchester": "Manchester",
             "leeds": "Leeds", "gatwick": "Gatwick", "luton": "Luton", "budapest": "Budapest",
             "dubai": "Dubai", "doha": "Doha", "gurgaon": "Gurgaon", "mumbai": "Mumbai", "delhi": "Delhi",
             "hamburg": "Hamburg", "luxembourg": "Luxembourg", "leipzig": "Leipzig", "miami": "MIA",
             "teterboro": "TEB", "singapore": "Singapore", "sydney": "Sydney", "lisbon": "Lisbon",
             "hongkong": "Hong Kong", "heathrow": "Heathrow", "seattle": "Everett", "toulouse": "Toulouse",
             "zurich": "Zurich", "bergamo": "Bergamo", "malta": "Malta", "prestwick": "Prestwick",
             "aberdeen": "Aberdeen"}

TYPES = {
    "A320": ["A320", "Airbus A320", "A320 family", "A320neo", "A-320"],
    "A330": ["A330", "Airbus A330", "A330-300"],
    "A350": ["A350", "Airbus A350", "A350-900"],
    "B737": ["B737", "Boeing 737", "737", "B737-800", "B737NG", "Boeing 737-800"],
    "B737MAX": ["B737 MAX", "Boeing 737 MAX", "737 MAX 8"],
    "B787": ["B787", "Boeing 787", "787 Dreamliner"],
    "B777": ["B777", "Boeing 777", "B777-300ER"],
    "B747": ["B747", "Boeing 747", "747-8F"],
    "ATR": ["ATR 72", "ATR72-600", "ATR 72-500"],
    "DHC8": ["Dash 8 Q400", "Q400", "DHC-8-400"],
    "E190": ["E190", "Embraer E190", "ERJ-190"],
    "G650": ["G650", "Gulfstream G650"],
    "AW139": ["AW139", "Leonardo AW139"],
}
RANKS = {
    "CPT": ["Captain", "Capt.", "CAPTAIN", "Commander"],
    "FO": ["First Officer", "F/O", "FO", "Co-Pilot"],
    "SFO": ["Senior First Officer", "SFO"],
}


def pick(xs):
    return rng.choice(xs)


def pilot_titles(rank, typ, base):
    r, t = pick(RANKS[rank]), pick(TYPES[typ])
    b = BASE_WORD[base]
    return [
        f"{r} {t}", f"{t} {r}", f"{r} - {t}", f"{r} {t} - {b}", f"{t} {r} (m/f/d)",
        f"{r.upper()} {t.upper()} - IMMEDIATE START", f"{r} – {t} – {b} Base", f"{t} {r}s",
    ]


def engineer_titles(lic, typ, base):
    t, b = pick(TYPES[typ]), BASE_WORD[base]
    return [
        f"{lic} Licensed Engineer - {t}", f"Licensed Aircraft Engineer {lic} {t}", f"{t} {lic} LAE",
        f"{lic} Licensed Aircraft Engineer ({t})", f"Aircraft Engineer {lic} – {t} – {b}",
        f"Licenced Engineer {lic} {t}", f"{lic} LAE - {t} - {b}",
    ]


def cabin_titles(base):
    b = BASE_WORD[base]
    return [f"Cabin Crew - {b}", f"Cabin Crew {b}", f"Flight Attendant - {b}", f"Cabin Crew Member - {b}",
            f"CABIN CREW - {b.upper()}", f"Cabin Crew ({b} Base)"]


def plain_titles(words, base):
    b = BASE_WORD[base]
    return [words, f"{words} - {b}", words.upper(), f"{words} (m/f/d)", f"{words} - Immediate Start"]


def fmt_date(d, scraped):
    age = (scraped.date() - d).days
    forms = [d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%b %d, %Y").replace(" 0", " "),
             d.strftime("%d %B %Y").lstrip("0"),
             f"/Date({int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp() * 1000)})/"]
    if age == 0:
        forms += ["today", "Posted Today"]
    elif age == 1:
        forms += ["yesterday", "Posted Yesterday", "1 day ago"]
    else:
        forms += [f"{age} days ago", f"Posted {age} Days Ago", f"{age} days\n      ago"]
    return pick(forms)


def url_for(source, title, ext_id):
    slug = "-".join("".join(c for c in title.lower() if c.isalnum() or c == " ").split())[:60]
    if source == "linkedin":
        return (f"https://www.linkedin.com/jobs/view/{slug}-{ext_id}?position={rng.randint(1, 25)}"
                f"&pageNum=0&refId={rng.getrandbits(40):x}&trackingId={rng.getrandbits(40):x}")
    if source == "aviationjobsearch":
        return f"https://www.aviationjobsearch.com/en-GB/jobs/pilots/{slug}-{ext_id}?utm_source=feed"
    if source == "flygosh":
        return f"https://flygoshjobs.com/job/{title.upper()}/{rng.getrandbits(128):032x}"
    return f"https://careers.example-{source}.com/jobs/{ext_id}/{slug}"


def emit(group, source, company, title, loc, posted, scraped, description=None, salary=None,
         employment=None, external_id=None, url=None):
    global ext
    ext += 1
    rec = {"source": source, "url": url or url_for(source, title, ext), "title": title,
           "company": company, "scraped_at": scraped.strftime("%Y-%m-%dT%H:%M:%SZ"),
           "external_id": external_id or str(ext), "group": group}
    if loc:
        rec["location"] = loc
    if posted:
        rec["posted_date"] = posted
    if description:
        rec["description"] = description
    if salary:
        rec["salary"] = salary
    if employment:
        rec["employment_type"] = employment
    out.append(rec)
    return rec


def group(co, titles, base, n=None, start=None, recruiter_desc=None, employment=None, own_first=True,
          lag_max=5, drop_location=0.2, salary=None, sources=None):
    """One job advertised on n different sources, with per-source variations."""
    global gid
    gid += 1
    g = f"g{gid:03d}"
    n = n or rng.randint(2, 4)
    srcs = sources or ([OWN_SITE.get(co, f"{co}-careers")] if own_first else []) + rng.sample(AGGREGATORS, n)
    srcs = srcs[:n]
    d0 = start or date(2025, 11, 1) + timedelta(days=rng.randint(0, 25))
    for i, s in enumerate(srcs):
        lag = 0 if i == 0 else rng.randint(0, lag_max)
        posted = d0 + timedelta(days=lag)
        scraped = datetime(posted.year, posted.month, posted.day, 6, 0, tzinfo=timezone.utc) + timedelta(days=rng.randint(0, 3))
        loc = None if (i > 0 and rng.random() < drop_location) else pick(BASES[base])
        desc = None
        if recruiter_desc:
            desc = ("<p>" + recruiter_desc + "</p>") if i % 2 == 0 else recruiter_desc + "\nApply via our website."
        emit(g, s, pick(COMPANIES[co]), pick(titles), loc, fmt_date(posted, scraped), scraped,
             description=desc, salary=salary, employment=employment)
    return g


# 1. Pilot duplicate groups, with trap siblings at the same company and base.
for co, base, typ in [("ryanair", "dublin", "B737"), ("ryanair", "stansted", "B737"), ("ryanair", "bergamo", "B737"),
                      ("jet2", "manchester", "B737"), ("jet2", "leeds", "B737"), ("easyjet", "gatwick", "A320"),
                      ("easyjet", "luton", "A320"), ("wizz", "budapest", "A320"), ("emirates", "dubai", "B777"),
                      ("emirates", "dubai", "A350"), ("qatar", "doha", "B787"), ("qatar", "doha", "A350"),
                      ("indigo", "delhi", "A320"), ("airindia", "mumbai", "B787"), ("cargolux", "luxembourg", "B747"),
                      ("dhl", "leipzig", "B777"), ("scoot", "singapore", "B787"), ("qantas", "sydney", "A330"),
                      ("netjets", "lisbon", "G650"), ("cathay", "hongkong", "A350"), ("ba", "heathrow", "A320"),
                      ("aerlingus", "dublin", "A330")]:
    for rank in ["CPT", "FO"]:
        group(co, pilot_titles(rank, typ, base), base)
# Same rank and company, different aircraft family at the same base (A320 vs A330 trap).
for co, base, t1, t2 in [("ba", "heathrow", "A350", "B777"), ("aerlingus", "dublin", "A320", "A350"),
                         ("easyjet", "gatwick", "A330", "B737"), ("qantas", "sydney", "B787", "B737")]:
    group(co, pilot_titles("CPT", t1, base), base, n=2)
    group(co, pilot_titles("CPT", t2, base), base, n=2)
# SFO next to Captain and FO (Captain vs SFO vs FO trap).
for co, base, typ in [("emirates", "dubai", "B777"), ("cathay", "hongkong", "A350"), ("qatar", "doha", "B787")]:
    group(co, pilot_titles("SFO", typ, base), base, n=3)
# 737 NG vs MAX at one airline.
group("ryanair", pilot_titles("CPT", "B737MAX", "malta"), "malta", n=3)
group("ryanair", pilot_titles("CPT", "B737", "malta"), "malta", n=2)

# 2. Engineers: B1 vs B2 at the same company, type and base.
for co, base, typ in [("lht", "hamburg", "A320"), ("srt", "zurich", "A330"), ("jet2", "manchester", "B737"),
                      ("ryanair", "prestwick", "B737"), ("easyjet", "luton", "A320"), ("qatar", "doha", "B787"),
                      ("cargolux", "luxembourg", "B747"), ("airindia", "delhi", "A320")]:
    for lic in ["B1", "B2"]:
        group(co, engineer_titles(lic, typ, base), base)
# Contract vs permanent for the same role.
group("lht", engineer_titles("B1", "A350", "hamburg"), "hamburg", n=2, employment="Permanent")
group("lht", engineer_titles("B1", "A350", "hamburg"), "hamburg", n=2, employment="Contract")

# 3. Cabin crew: Dublin vs Cork (same company, same title, different base).
for co, bases in [("aerlingus", ["dublin", "cork"]), ("ryanair", ["dublin", "cork", "stansted"]),
                  ("jet2", ["manchester", "leeds"]), ("emirates", ["dubai"]), ("qatar", ["doha"]),
                  ("indigo", ["mumbai", "delhi", "gurgaon"]), ("easyjet", ["gatwick", "luton"])]:
    for b in bases:
        group(co, cabin_titles(b), b)

# 4. Ground, office and management jobs; Signature's titles carry the base airport code.
for co, words, base in [("signature", "Airside Experience Specialist", "miami"),
                        ("signature", "Airside Experience Specialist", "teterboro"),
                        ("signature", "Line Service Technician", "miami"),
                        ("signature", "Customer Service Representative", "teterboro"),
                        ("swissport", "Ramp Agent", "heathrow"), ("swissport", "Passenger Service Agent", "zurich"),
                        ("nats", "Air Traffic Controller", "prestwick"), ("nats", "ATC Engineer", "prestwick"),
                        ("boeing", "Senior Stress Engineer", "seattle"), ("boeing", "Manufacturing Engineer", "seattle"),
                        ("airbus", "Cabin Design Engineer", "hamburg"), ("airbus", "Flight Test Engineer", "toulouse"),
                        ("cargolux", "Flight Dispatcher", "luxembourg"), ("cargolux", "Crew Scheduler", "luxembourg"),
                        ("dhl", "Maintenance Controller", "leipzig"), ("airindia", "Senior Associate - Loyalty Customer Service", "gurgaon"),
                        ("indigo", "Consultant - Customer Experience", "gurgaon"), ("indigo", "Station Manager", "mumbai"),
                        ("qantas", "Head of Line Maintenance", "sydney"), ("wizz", "Crew Control Officer", "budapest")]:
    group(co, plain_titles(words, base), base)
# Separate openings with the same title at the same base on the employer's own site (different ids).
for i in range(3):
    global_g = group("signature", ["Airside Experience Specialist - MIA"], "miami", n=1,
                     sources=["signature"])

# 5. Recruiters: the same ad on several boards is one job; two different ads from one recruiter are not.
GOOSE_ADS = [
    ("ATR 72-500 Captain", "ATR", "821527A", "Our client, a regional airline in the Caribbean, seeks ATR 72-500 Captains with 500 hours on type. Rotational roster, accommodation provided, competitive tax-free package."),
    ("ATR 72-500 Captain", "ATR", "821544A", "A European ACMI operator is looking for ATR 72 Captains for a summer contract based in Scandinavia. Minimum 1500 hours total time and 500 PIC."),
    ("B1 Licensed Engineer - A320", "A320", "818810B", "Our client, an established MRO in Malta, requires B1 licensed engineers with A320 family type rating for base maintenance checks. Relocation support available."),
    ("B1 Licensed Engineer - A320", "A320", "818922B", "Line maintenance contract in Kent for A320 family B1 engineers, nights rotation, day rate negotiable, immediate start for the winter season."),
    ("B787 TR & NTR First Officers", "B787", "820001C", "A Middle East flag carrier is recruiting type-rated and non-type-rated B787 First Officers. Tax-free salary, housing and education allowance."),
]
for title, typ, ref, desc in GOOSE_ADS:
    titles = [f"{title} - Ref: {ref}", title, f"{title} (Ref {ref})"]
    group("goose", titles, rng.choice(["malta", "dubai", "luxembourg"]), n=3, recruiter_desc=desc,
          sources=["goose", "aviationjobsearch", "linkedin"])
AAP_ADS = [
    ("Jet2", "Captain", "Manchester", "manchester", "Jet2 seek Captains for the B737 fleet at Manchester; seasonal contract with option to extend."),
    ("Titan Airways", "Captain", "Stansted", "stansted", "Titan Airways require A321 Captains for charter operations out of Stansted; permanent contract."),
    ("SmartLynx", "B1 Engineer", "Malta", "malta", "SmartLynx are hiring B1 engineers for the A320 fleet on a short-term contract in Malta."),
    ("Avion Express", "B1 Engineer", "Malta", "malta", "Avion Express needs B1 certifying engineers for A320 line maintenance in Malta."),
]
for client, role, b, base, desc in AAP_ADS:
    titles = [f"{client} | {role} | {b}", f"{client} | {role} | {b} | Immediate Start", f"{client} | {role} | {b}"]
    group("aap", titles, base, n=2, recruiter_desc=desc, sources=["aap", "aviationjobsearch"])
RISH_ADS = [
    ("Captain B737 - China", "Rishworth Aviation is recruiting B737 Captains for a major Chinese carrier. Salary up to USD 25,000 per month tax-free."),
    ("Captain B737 - Korea", "Rishworth Aviation is recruiting B737 Captains for a Korean low-cost carrier. Contracts of 3 years, generous roster."),
]
for title, desc in RISH_ADS:
    group("rishworth", [title], "hongkong", n=2, recruiter_desc=desc, sources=["rishworth", "pilotsglobal"], drop_location=1.0)

# 6. Re-advertised after the window: the same title 40 days later is a new job.
for co, base, typ in [("jet2", "leeds", "A320"), ("wizz", "budapest", "A330")]:
    group(co, pilot_titles("CPT", typ, base), base, n=2, start=date(2025, 9, 20))
    group(co, pilot_titles("CPT", typ, base), base, n=2, start=date(2025, 10, 30))

# 7. Aggregator lag up to 9 days, "30+ days ago" on a Workday-like site, and LinkedIn URL variants.
for co, base, typ, rank in [("airbus", "toulouse", "A350", "CPT"), ("boeing", "seattle", "B787", "CPT")]:
    g = group(co, pilot_titles(rank, typ, base), base, n=3, lag_max=9)
gid += 1
g = f"g{gid:03d}"
emit(g, "airbus-careers", "Airbus SE", "Experimental Test Pilot A350", "Toulouse, France", "2025-10-20",
     datetime(2025, 12, 1, 6, tzinfo=timezone.utc))
emit(g, "workday-airbus", "Airbus", "Experimental Test Pilot - A350", "Blagnac", "Posted 30+ Days Ago",
     datetime(2025, 12, 1, 6, tzinfo=timezone.utc))
gid += 1
g = f"g{gid:03d}"
first = emit(g, "linkedin", "Emirates", "Cabin Crew - Dubai Open Day", "Greater Birmingham, Alabama Area", "1 week ago",
             datetime(2025, 11, 20, 6, tzinfo=timezone.utc))
base_url = first["url"].split("?")[0]
for k in range(2):
    emit(g, "linkedin", "Emirates Group", "Cabin Crew - Dubai Open Day", "Greater Birmingham, Alabama Area",
         "1 week ago", datetime(2025, 11, 21 + k, 6, tzinfo=timezone.utc), external_id=first["external_id"],
         url=f"{base_url}?position={k + 3}&pageNum=0&refId=r{k}&trackingId=t{k}")

# 7b. Cargo, helicopters, training, lessors and handlers.
for co, titles, base in [
    ("atlas", pilot_titles("CPT", "B747", "miami"), "miami"),
    ("atlas", pilot_titles("FO", "B747", "miami"), "miami"),
    ("atlas", ["A&P Mechanic", "Aircraft Mechanic (A&P)", "A&P Aircraft Mechanic - Miami"], "miami"),
    ("bristow", pilot_titles("CPT", "AW139", "aberdeen"), "aberdeen"),
    ("bristow", pilot_titles("FO", "AW139", "aberdeen"), "aberdeen"),
    ("bristow", engineer_titles("B1", "AW139", "aberdeen"), "aberdeen"),
    ("cae", ["Type Rating Instructor A320", "TRI A320", "A320 Type Rating Instructor (TRI)"], "gatwick"),
    ("cae", ["Ground School Instructor", "Ground School Instructor - Gatwick", "GROUND SCHOOL INSTRUCTOR"], "gatwick"),
    ("aercap", ["Technical Manager - Aircraft Transitions", "Technical Manager, Aircraft Transitions"], "dublin"),
    ("aercap", ["Senior Technical Representative", "Sr. Technical Representative"], "dublin"),
    ("menzies", ["Ramp Agent", "Ramp Agent - Heathrow", "RAMP AGENT"], "heathrow"),
    ("menzies", ["Cargo Handler", "Cargo Handler - Heathrow"], "heathrow"),
    ("scoot", cabin_titles("singapore"), "singapore"),
    ("cathay", cabin_titles("hongkong"), "hongkong"),
    ("qantas", engineer_titles("B1", "B787", "sydney"), "sydney"),
    ("qantas", engineer_titles("B2", "B787", "sydney"), "sydney"),
    ("wizz", engineer_titles("B1", "A320", "budapest"), "budapest"),
    ("wizz", cabin_titles("budapest"), "budapest"),
]:
    group(co, titles, base, n=rng.randint(2, 3))

# 8. Same title at different companies (blocked apart).
for words, base in [("Cabin Crew", "dublin"), ("Captain B737", "dublin"), ("B1 Licensed Engineer", "luton")]:
    for co in ["loganair", "emerald", "cityjet"]:
        group(co, [f"{words} - {BASE_WORD[base]}"], base, n=1, sources=[pick(AGGREGATORS)])

# 9. Harder variations: boards append selling points to titles and cut descriptions short.
SUFFIXES = [" - Excellent Package", " - Summer 2026", " (Permanent)", " | Relocation Support", " - Apply Now",
            " - Tax Free Salary", " - New Fleet"]
for co, base, titles in [
    ("ryanair", "bergamo", ["Second Officer B737", "B737 Second Officer"]),
    ("wizz", "budapest", ["Senior First Officer A321", "A321 Senior First Officer"]),
    ("emirates", "dubai", ["Captain A380", "A380 Captain"]),
    ("qatar", "doha", ["Senior First Officer A350", "SFO A350"]),
    ("cargolux", "luxembourg", ["Loadmaster B747-8F", "B747 Loadmaster"]),
    ("jet2", "leeds", ["B1 Licensed Engineer B737", "Licensed Engineer B1 - B737"]),
    ("lht", "hamburg", ["Aircraft Mechanic A350", "A350 Aircraft Mechanic"]),
    ("indigo", "mumbai", ["Captain ATR 72", "ATR 72 Captain"]),
]:
    varied = titles + [t + suf for t in titles for suf in SUFFIXES]
    group(co, varied, base, n=3, drop_location=0.0)
LONG_AD = ("We are looking for experienced type rated pilots to join a growing operation with a modern fleet. "
           "You will hold a valid licence with a current medical, have at least 3000 hours total time and "
           "500 hours in command, and be willing to relocate. The package includes a competitive salary, "
           "roster stability, housing allowance and annual leave of 42 days. ")
gid += 1
g = f"g{gid:03d}"
full = LONG_AD * 3 + "Contact our consultant for details."
emit(g, "goose", "GOOSE Recruitment", "Captain A330 - Ref: 830100D", "Europe", "2025-11-20",
     datetime(2025, 11, 21, 6, tzinfo=timezone.utc), description=full)
emit(g, "aviationjobsearch", "Goose Recruitment Ltd", "Captain A330", None, "2 days ago",
     datetime(2025, 11, 23, 6, tzinfo=timezone.utc), description=LONG_AD[:400] + "...")
emit(g, "linkedin", "GOOSE", "A330 Captain", "Europe", "1 week ago",
     datetime(2025, 11, 27, 6, tzinfo=timezone.utc), description=LONG_AD * 2)
gid += 1
g = f"g{gid:03d}"
emit(g, "goose", "GOOSE Recruitment", "Captain A330 - Ref: 830155D", "Europe", "2025-11-22",
     datetime(2025, 11, 23, 6, tzinfo=timezone.utc),
     description="A Far East carrier seeks A330 captains on a 3 year contract. Minimum 5000 hours total, "
                 "2000 hours on type; salary up to USD 21,000 per month tax free with housing and a flexible roster.")

# 10. More hard negatives at one company and base: seniority, training roles, line vs base
# maintenance, type rated vs not, a re-posted ad past the window.
for titles_a, titles_b, co, base in [
    (["Stress Engineer", "Stress Engineer (m/f/d)"], ["Senior Stress Engineer", "Sr. Stress Engineer"], "airbus", "hamburg"),
    (["Captain A320", "A320 Captain"], ["Line Training Captain A320", "LTC A320"], "easyjet", "gatwick"),
    (["B1 Engineer - Line Maintenance", "B1 Licensed Engineer Line Maintenance"],
     ["B1 Engineer - Base Maintenance", "B1 Licensed Engineer Base Maintenance"], "jet2", "manchester"),
    (["First Officer A320 - Type Rated", "Type Rated First Officer A320"],
     ["First Officer A320 - Non Type Rated", "Non Type Rated First Officer A320"], "wizz", "budapest"),
    (["Ramp Agent", "Ramp Agent - Heathrow"], ["Ramp Supervisor", "Ramp Supervisor - Heathrow"], "swissport", "heathrow"),
    (["Cabin Crew", "Cabin Crew Member"], ["Senior Cabin Crew", "Senior Cabin Crew Member"], "ba", "heathrow"),
]:
    group(co, titles_a, base, n=2)
    group(co, titles_b, base, n=2)

for rec in out:
    print(json.dumps(rec, ensure_ascii=False))
