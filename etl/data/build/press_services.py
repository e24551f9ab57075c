"""Build etl/data/press_services.tsv, the registry of government press services.

Reads:
  * etl/data/raw/press_services/*.csv -- stored copies of public lists, each
    with its source URL on the first line (see etl/data/README.md,
    section "press_services.tsv", for the sources and their licences):
    c-riq/stated national_governments.csv and an excerpt of CISA's
    dotgov-data current-federal.csv;
  * etl/data/raw/press_services/pages_search_*.tsv -- saved results of
    searches of stored public web pages (URL and a verbatim quote of the
    returned excerpt); a result gives a domain only if the quote names the
    office and the country (see parse_pages);
  * etl/data/countries.tsv -- country names and aliases, used to map the
    names in the source lists to ISO 3166-1 alpha-3 codes.

Writes:
  * etl/data/press_services.tsv with the columns
    ``domain  country_iso3  office  name  source`` (one row per domain).

Every domain in the output comes from the stored material; this script only
normalises it (lower case, no scheme, no ``www.``, no path), classifies the
office and drops rows that fail the checks below. It prints a summary
(rows, countries covered per office, UN member states still missing) and the
rows it dropped or considers doubtful.

Run from the repository root:  python -m etl.data.build.press_services
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from etl.sources import PUBLIC_SECOND_LEVEL

DATA_DIR = Path(__file__).resolve().parent.parent
RAW_DIR = DATA_DIR / "raw" / "press_services"
COUNTRIES_TSV = DATA_DIR / "countries.tsv"
OUT_TSV = DATA_DIR / "press_services.tsv"
OUT_CCTLDS = DATA_DIR / "cctlds.tsv"

OFFICES = (
    "head_of_state",
    "head_of_government",
    "foreign_ministry",
    "embassy_pattern",
    "government_portal",
)
# Codes used for bodies that are not ISO 3166-1 countries.
EXTRA_CODES = {"EUU": "European Union", "UNO": "United Nations"}

# The 193 UN member states (ISO 3166-1 alpha-3), used only for the coverage
# summary; the check below makes sure each code is in countries.tsv.
UN_MEMBERS = frozenset(
    """
    AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN
    BTN BOL BIH BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM
    COG COD CRI CIV HRV CUB CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ
    ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL
    IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
    LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA MCO MNG
    MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA PRK MKD NOR OMN PAK PLW PAN
    PNG PRY PER PHL POL PRT QAT ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB
    SYC SLE SGP SVK SVN SLB SOM ZAF KOR SSD ESP LKA SDN SUR SWE CHE SYR TJK TZA
    THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR USA URY UZB VUT VEN VNM
    YEM ZMB ZWE
    """.split()
)

# Office corrections for domains whose office the source column does not say
# precisely. The domain itself always comes from the source; only the office
# (and a descriptive name) is set here.
OFFICE_OVERRIDES: dict[str, tuple[str, str]] = {
    # Listed as "government website". The President of Nigeria is both head of
    # state and head of government; State House is the Presidency, which
    # publishes the President's releases as head of state, so one row,
    # head_of_state.
    "statehouse.gov.ng": ("head_of_state", "State House (Presidency of Nigeria)"),
    # Listed as "government website"; La Moncloa is the office of the
    # President of the Government (prime minister) of Spain.
    "lamoncloa.gob.es": ("head_of_government", "La Moncloa (Presidency of the Government of Spain)"),
    # Listed as "government website"; the Government of the Russian
    # Federation is chaired by the prime minister and publishes his releases.
    "government.ru": ("head_of_government", "Government of the Russian Federation"),
    # Listed as "government website"; the Federal Press Office publishes the
    # Chancellor's releases.
    "bundesregierung.de": (
        "head_of_government",
        "Federal Government of Germany (Press and Information Office)",
    ),
}

# Domains the source gives as the foreign ministry's although they are the
# whole-of-government portal on which the ministry has a section (a path,
# not a domain). They are kept once, as government_portal, and the country
# is counted as having its foreign ministry reachable on the portal.
PORTALS_GIVEN_AS_MFA = frozenset(
    {"gov.br", "gov.uk", "gob.mx", "government.nl", "gov.pl", "gob.pe", "government.se", "regjeringen.no"}
)

# Below this confidence_fa_domain value (or with none given) a foreign
# ministry row is kept but reported as doubtful.
DOUBT_BELOW = 0.5

# Source precedence when two sources give the same domain: list-based
# sources first, then the saved page search results.
SOURCE_RANK = {"stated2023": 0, "dotgov": 1}  # anything else (pages-*) ranks 2

# Names (and short forms) that a page-search quote may use for the bodies in
# EXTRA_CODES, in addition to the names in EXTRA_CODES itself.
EXTRA_ALIASES = {
    "EUU": ("European Union", "European Council", "European Commission", "EU "),
    "UNO": ("United Nations", "Secretary-General"),
}

# Labels for the rows of EXTRA_CODES bodies, by office.
EXTRA_LABELS = {
    ("EUU", "foreign_ministry"): "EU External Action Service (EU foreign service)",
    ("EUU", "head_of_state"): "European Council and Council of the EU",
    ("EUU", "head_of_government"): "European Commission",
    ("EUU", "government_portal"): "EU institutions portal",
    ("UNO", "head_of_state"): "UN Secretariat (Secretary-General)",
    ("UNO", "government_portal"): "United Nations portal",
}

# What a page-search quote must contain to count as naming the office
# (case-insensitive). The quote must also name the country (see
# names_country) unless the host's country-code TLD is that country's.
OFFICE_WORDS = {
    "foreign_ministry": re.compile(
        r"foreign|affaires [ée]trang[èe]res|relations ext[ée]rieures|relaciones exteriores|"
        r"neg[óo]cios estrangeiros|vanjskih|external action|diplomatie|mfa\b|asuntos exteriores|"
        r"external affairs|[äa]usser|mambo ya nje|мид\b",
        re.IGNORECASE,
    ),
    "head_of_state": re.compile(
        r"president|presidency|pr[ée]sident|king\b|head of state|secretary-general|european council|"
        r"emperor|amir\b|emir\b|sultan\b|rais\b",
        re.IGNORECASE,
    ),
    "head_of_government": re.compile(
        r"prime minister|premier|chancellor|head of government|government of|european commission|"
        r"taoiseach|president of the council of ministers|\bPM\b|chef du gouvernement|pr[ée]sident du "
        r"gouvernement|statsminist|předseda vlády",
        re.IGNORECASE,
    ),
    "government_portal": re.compile(r"government|gouvernement|gobierno|european commission", re.IGNORECASE),
}

# Offices a page-search line may give, and the office of the row it yields.
#   foreign_ministry_on_portal: the URL's host is the whole-of-government
#     portal with the foreign ministry on it (row: government_portal, and the
#     country counts as having its foreign ministry on the portal);
#   foreign_ministry_mission_subsite: the host is a diplomatic mission's
#     sub-site <label>.<parent>; the parent becomes the foreign-ministry
#     domain only if at least two such sub-sites with different labels were
#     saved for the same country.
PAGE_OFFICES = {
    "foreign_ministry": "foreign_ministry",
    "head_of_state": "head_of_state",
    "head_of_government": "head_of_government",
    "government_portal": "government_portal",
    "foreign_ministry_on_portal": "government_portal",
    "foreign_ministry_mission_subsite": "foreign_ministry",
}
MIN_MISSION_SUBSITES = 2


@dataclass(frozen=True)
class Row:
    domain: str
    iso3: str
    office: str
    name: str
    source: str


def read_raw(path: Path) -> tuple[str, str]:
    """Return (source URL, body) of a stored source file."""
    text = path.read_text(encoding="utf-8")
    url, _, body = text.partition("\n")
    if not url.startswith("http"):
        raise SystemExit(f"{path}: first line must be the source URL")
    return url.strip(), body


def normalise_domain(value: str) -> str | None:
    """Lower-case host name without scheme, www. prefix, port or path."""
    v = value.strip().lower()
    if not v or "*" in v:
        return None
    v = re.sub(r"^[a-z]+://", "", v)
    v = v.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    v = v.rstrip(".")  # a fully qualified name ("president.az.") is the same host
    if v.startswith("www."):
        v = v[4:]
    # A language edition or a server of the same site ("en.kremlin.ru", "eng.president.go.kr",
    # "node2.akorda.kz") stands for the whole site: releases of its other editions are the same publisher's.
    parts = v.split(".")
    if len(parts) >= 3 and re.fullmatch(r"[a-z]{2}|eng|english|node\d+|s-cms", parts[0]):
        rest = parts[1:]
        if len(rest) >= 3 or rest[0] not in PUBLIC_SECOND_LEVEL:
            v = ".".join(rest)
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", v):
        return None
    return v


def load_countries() -> tuple[dict[str, str], dict[str, str]]:
    """Return (iso3 -> short name, normalised name/alias -> iso3)."""
    names: dict[str, str] = {}
    lookup: dict[str, str] = {}
    with COUNTRIES_TSV.open(encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            iso3 = rec["iso3"]
            names[iso3] = rec["name"]
            for n in [rec["name"], *rec["aliases"].split("|")]:
                if n:
                    lookup.setdefault(_key(n), iso3)
    return names, lookup


def load_aliases() -> dict[str, list[str]]:
    """iso3 -> aliases and demonyms from countries.tsv (for the page quotes)."""
    out: dict[str, list[str]] = {}
    with COUNTRIES_TSV.open(encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            out[rec["iso3"]] = [a for a in (rec["aliases"] + "|" + rec["demonyms"]).split("|") if a]
    return out


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\u2019", "'")).strip().casefold()


def resolve_country(name: str, lookup: dict[str, str]) -> str | None:
    """Map an ISO-style English name ("Korea (the Republic of)") to iso3."""
    candidates = [name]
    m = re.fullmatch(r"(.+?) \((?:the )?(.+)\)(.*)", name)
    if m:
        base, inner = m.group(1), m.group(2)
        if inner == "the":
            candidates.append(base)
        elif inner.endswith(" of the") or inner.endswith(" of"):
            candidates.append(f"{inner} {base}")
        candidates.append(base)
    m = re.fullmatch(r"(.+), (.+ of)", name)
    if m:
        candidates.append(f"{m.group(2)} {m.group(1)}")
    for c in candidates:
        iso3 = lookup.get(_key(c))
        if iso3:
            return iso3
    return None


def tld_mismatch(domain: str, iso2: str) -> bool:
    """True when the domain ends in a country-code TLD of another country."""
    tld = domain.rsplit(".", 1)[-1]
    if len(tld) != 2:
        return False
    tld = {"uk": "gb"}.get(tld, tld)
    return tld != iso2.lower()


def parse_stated(
    path: Path, lookup: dict[str, str], names: dict[str, str], notes: list[str]
) -> tuple[list[Row], set[str], set[str]]:
    """Rows from c-riq/stated national_governments.csv.

    Returns the rows, the iso3 codes whose foreign ministry is on the
    government portal, and the domains to report as doubtful.
    """
    _url, body = read_raw(path)
    source = "stated2023"
    rows: list[Row] = []
    mfa_on_portal: set[str] = set()
    doubtful: set[str] = set()
    for rec in csv.DictReader(io.StringIO(body)):
        iso3 = resolve_country(rec["country"], lookup)
        if iso3 is None:
            if rec["foreign_affairs_ministry_domain"].strip() or rec["government_website_domain"].strip():
                notes.append(f"dropped: country name not resolved: {rec['country']!r}")
            continue
        cname = names[iso3]
        for column, office in (
            ("government_website_domain", "government_portal"),
            ("foreign_affairs_ministry_domain", "foreign_ministry"),
        ):
            raw = rec[column]
            if not raw.strip():
                continue
            domain = normalise_domain(raw)
            if domain is None:
                notes.append(f"dropped: not a single domain: {raw!r} ({iso3}, {column})")
                continue
            if tld_mismatch(domain, rec["code"]):
                notes.append(
                    f"dropped: {domain} given for {iso3} ({rec['country']}) but its "
                    f"country-code TLD is another country's ({column})"
                )
                continue
            if domain in OFFICE_OVERRIDES:
                off, name = OFFICE_OVERRIDES[domain]
            elif office == "foreign_ministry" and domain in PORTALS_GIVEN_AS_MFA:
                off, name = (
                    "government_portal",
                    f"Government of {cname} (portal; foreign ministry section on it)",
                )
                mfa_on_portal.add(iso3)
            elif office == "foreign_ministry":
                off, name = office, f"Foreign ministry of {cname}"
                conf = rec["confidence_fa_domain"].strip()
                if not conf or float(conf) < DOUBT_BELOW:
                    doubtful.add(domain)
                    note = rec["source_fa_domain"].strip()
                    notes.append(
                        f"doubtful: {domain} ({iso3}) confidence={conf or 'none'}"
                        + (f" note={note!r}" if note else "")
                    )
            else:
                off, name = office, f"Government of {cname} (portal)"
            rows.append(Row(domain, iso3, off, name, source))
    return rows, mfa_on_portal, doubtful


def iso2_codes(path: Path, lookup: dict[str, str]) -> dict[str, str]:
    """iso3 -> ISO 3166-1 alpha-2, from the ``code`` column of the stated list
    (countries.tsv has no alpha-2 column). Used for the ccTLD checks."""
    _url, body = read_raw(path)
    out: dict[str, str] = {}
    for rec in csv.DictReader(io.StringIO(body)):
        iso3 = resolve_country(rec["country"], lookup)
        code = rec["code"].strip().upper()
        if iso3 and re.fullmatch(r"[A-Z]{2}", code):
            out.setdefault(iso3, code)
    return out


def parse_dotgov(path: Path, notes: list[str]) -> list[Row]:
    """Rows from the stored excerpt of CISA's current-federal.csv (the US
    federal .gov registry). Only three kinds of row are taken, by rule:

    * organisation "White House": the President's office, head_of_state (the
      US President is both head of state and of government: one row);
    * agency "Department of State", organisation "Bureau of Global Public
      Affairs (GPA)", second-level label without embassy/consulate/mission:
      foreign_ministry (state.gov);
    * agency "Department of State" and a label containing "embassy",
      "consulate" or "mission": embassy_pattern (the parent domain of the
      missions' sites, e.g. xx.usembassy.gov).
    """
    _url, body = read_raw(path)
    rows: list[Row] = []
    for rec in csv.DictReader(io.StringIO(body)):
        domain = normalise_domain(rec["Domain name"])
        if domain is None:
            continue
        agency, org = rec["Agency"].strip(), rec["Organization name"].strip()
        label = domain.split(".", 1)[0]
        mission = re.search(r"embassy|consulate|mission", label)
        if org == "White House":
            rows.append(
                Row(
                    domain,
                    "USA",
                    "head_of_state",
                    "The White House (Office of the President of the United States)",
                    "dotgov",
                )
            )
        elif agency == "Department of State" and mission:
            rows.append(
                Row(domain, "USA", "embassy_pattern", f"US diplomatic missions (*.{domain})", "dotgov")
            )
        elif (
            agency == "Department of State"
            and org == "Bureau of Global Public Affairs (GPA)"
            and label == "state"
        ):
            rows.append(
                Row(
                    domain,
                    "USA",
                    "foreign_ministry",
                    "Foreign ministry of United States (Department of State)",
                    "dotgov",
                )
            )
    notes.append(f"dotgov: {len(rows)} rows from {path.name}")
    return rows


def host_of(url: str) -> str | None:
    return normalise_domain(url)


def names_country(text: str, iso3: str, names: dict[str, str], aliases: dict[str, list[str]]) -> bool:
    """True when the text names the country (name, alias or demonym)."""
    t = text.casefold()
    cands = [names.get(iso3, ""), *aliases.get(iso3, []), *EXTRA_ALIASES.get(iso3, ())]
    if iso3 in EXTRA_CODES:
        cands.append(EXTRA_CODES[iso3])
    return any(c and len(c.strip()) > 2 and c.casefold() in t for c in cands)


def parse_pages(
    path: Path,
    names: dict[str, str],
    aliases: dict[str, list[str]],
    iso2: dict[str, str],
    notes: list[str],
) -> tuple[list[Row], set[str]]:
    """Rows from saved page-search results (one TSV line per kept result).

    A line gives a domain only if (a) its quote names the office
    (OFFICE_WORDS) and (b) the quote names the country, or the domain's
    country-code TLD is the country's. The domain is the URL's host, or,
    when the line has a ``stated_domain``, that domain, which must then
    appear verbatim in the quote (an infobox-style "Website" statement).
    A host whose ccTLD is another country's is dropped.
    """
    source = "pages-" + re.sub(r"^pages_search_|\.tsv$", "", path.name)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    rows: list[Row] = []
    mfa_on_portal: set[str] = set()
    subsites: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rec in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        iso3, kind, url, quote = rec["iso3"], rec["office"], rec["url"], rec["quote"]
        stated = (rec.get("stated_domain") or "").strip()
        if kind not in PAGE_OFFICES or (iso3 not in names and iso3 not in EXTRA_CODES):
            notes.append(f"pages: dropped line with office {kind!r} / country {iso3!r}: {url}")
            continue
        office = PAGE_OFFICES[kind]
        host = normalise_domain(stated) if stated else host_of(url)
        if host is None:
            notes.append(f"pages: dropped, no domain: {url}")
            continue
        if stated and stated.casefold() not in quote.casefold():
            notes.append(f"pages: dropped {stated}: not in the quote")
            continue
        words = OFFICE_WORDS["foreign_ministry" if kind.startswith("foreign_ministry") else office]
        if not words.search(quote):
            notes.append(f"pages: dropped {host} ({iso3}): quote does not name the office")
            continue
        code = iso2.get(iso3)
        tld = host.rsplit(".", 1)[-1]
        if code and len(tld) == 2 and tld_mismatch(host, code):
            notes.append(f"pages: dropped {host} ({iso3}): country-code TLD of another country")
            continue
        own_tld = bool(code) and len(tld) == 2 and not tld_mismatch(host, code or "")
        if not (own_tld or names_country(quote, iso3, names, aliases)):
            notes.append(f"pages: dropped {host} ({iso3}): quote does not name the country")
            continue
        if kind == "foreign_ministry_mission_subsite":
            label, _, parent = host.partition(".")
            if parent.count(".") >= 1:
                subsites[(iso3, parent)].add(label)
            continue
        if kind == "foreign_ministry_on_portal":
            mfa_on_portal.add(iso3)
        rows.append(
            Row(
                host, iso3, office, label_for(iso3, office, names, portal_mfa=kind.endswith("portal")), source
            )
        )
    for (iso3, parent), labels in sorted(subsites.items()):
        if len(labels) >= MIN_MISSION_SUBSITES:
            rows.append(
                Row(parent, iso3, "foreign_ministry", label_for(iso3, "foreign_ministry", names), source)
            )
            notes.append(
                f"pages: {parent} ({iso3}) taken as foreign ministry from mission sub-sites {sorted(labels)}"
            )
        else:
            notes.append(f"pages: {parent} ({iso3}) not taken: only mission sub-site {sorted(labels)}")
    return rows, mfa_on_portal


def label_for(iso3: str, office: str, names: dict[str, str], portal_mfa: bool = False) -> str:
    if (iso3, office) in EXTRA_LABELS:
        return EXTRA_LABELS[(iso3, office)]
    cname = names.get(iso3, EXTRA_CODES.get(iso3, iso3))
    if office == "foreign_ministry":
        return f"Foreign ministry of {cname}"
    if office == "head_of_state":
        return f"Office of the head of state of {cname}"
    if office == "head_of_government":
        return f"Office of the head of government of {cname}"
    if office == "embassy_pattern":
        return f"Diplomatic missions of {cname} (sub-domains)"
    if portal_mfa:
        return f"Government of {cname} (portal; foreign ministry section on it)"
    return f"Government of {cname} (portal)"


def source_rank(source: str) -> int:
    return SOURCE_RANK.get(source, 2)


OFFICE_RANK = {
    o: i
    for i, o in enumerate(
        ("head_of_state", "head_of_government", "foreign_ministry", "government_portal", "embassy_pattern")
    )
}


def dedupe(rows: list[Row], notes: list[str]) -> list[Row]:
    """One row per domain.

    * Same domain from two sources: the source with the better SOURCE_RANK
      (list-based before page search) wins, whatever the country or office;
      the other row is reported.
    * Same domain twice from one source for one country (portal and foreign
      ministry): the office ranked first in OFFICE_RANK is kept.
    * Same domain from one source for two countries: an error.
    """
    by_domain: dict[str, Row] = {}
    for r in rows:
        old = by_domain.get(r.domain)
        if old is None:
            by_domain[r.domain] = r
            continue
        if old.source != r.source:
            keep, drop = (old, r) if source_rank(old.source) <= source_rank(r.source) else (r, old)
            if (keep.iso3, keep.office) != (drop.iso3, drop.office):
                notes.append(
                    f"conflict: {r.domain} is {keep.iso3}/{keep.office} in {keep.source} and "
                    f"{drop.iso3}/{drop.office} in {drop.source}; kept {keep.source}"
                )
            by_domain[r.domain] = keep
            continue
        if old.iso3 != r.iso3:
            raise SystemExit(f"{r.domain}: given for {old.iso3} and {r.iso3}")
        if old.office != r.office:
            keep = old if OFFICE_RANK[old.office] <= OFFICE_RANK[r.office] else r
            notes.append(f"merged: {r.domain} ({r.iso3}) as {old.office} and {r.office}; kept {keep.office}")
            by_domain[r.domain] = keep
    return sorted(by_domain.values(), key=lambda r: (r.iso3, OFFICE_RANK[r.office], r.domain))


def check(rows: list[Row], names: dict[str, str]) -> None:
    valid = set(names) | set(EXTRA_CODES)
    missing_un = UN_MEMBERS - set(names)
    if len(UN_MEMBERS) != 193 or missing_un:
        raise SystemExit(
            f"UN member list broken: {len(UN_MEMBERS)} codes, not in countries.tsv: {sorted(missing_un)}"
        )
    seen: set[str] = set()
    for r in rows:
        if r.domain in seen:
            raise SystemExit(f"duplicate domain {r.domain}")
        seen.add(r.domain)
        if r.iso3 not in valid:
            raise SystemExit(f"{r.domain}: invalid iso3 {r.iso3}")
        if r.office not in OFFICES:
            raise SystemExit(f"{r.domain}: invalid office {r.office}")
        if normalise_domain(r.domain) != r.domain:
            raise SystemExit(f"{r.domain}: not a normalised domain")
        for field in (r.domain, r.iso3, r.office, r.name, r.source):
            if "\t" in field or "\n" in field or not field:
                raise SystemExit(f"{r.domain}: bad field {field!r}")


def summary(rows: list[Row], mfa_on_portal: set[str]) -> list[str]:
    per_office: dict[str, set[str]] = defaultdict(set)
    per_source: dict[str, int] = defaultdict(int)
    for r in rows:
        per_office[r.office].add(r.iso3)
        per_source[r.source] += 1
    out = [f"rows: {len(rows)} (" + ", ".join(f"{k}: {v}" for k, v in sorted(per_source.items())) + ")"]
    for office in OFFICES:
        c = per_office.get(office, set())
        extra = sorted(c & set(EXTRA_CODES))
        out.append(
            f"{office}: {len(c)} countries/bodies ({len(c & UN_MEMBERS)} UN members"
            + (f"; also {' '.join(extra)}" if extra else "")
            + ")"
        )
    mfa_any = (per_office["foreign_ministry"] | mfa_on_portal) & UN_MEMBERS
    out.append(
        f"UN members with a foreign-ministry domain or the ministry on the portal: {len(mfa_any)}/193 "
        f"({len(mfa_on_portal & UN_MEMBERS)} of them on the portal)"
    )
    any_row = {r.iso3 for r in rows} & UN_MEMBERS
    out.append(f"UN members with any row: {len(any_row)}/193")
    for office in ("head_of_state", "head_of_government", "embassy_pattern"):
        have = sorted(per_office.get(office, set()))
        out.append(f"{office} rows for: " + (" ".join(have) or "none"))
    gaps = sorted(UN_MEMBERS - mfa_any)
    out.append(f"UN members without a foreign-ministry domain ({len(gaps)}): " + " ".join(gaps))
    nothing = sorted(UN_MEMBERS - any_row)
    out.append(f"UN members with no row at all ({len(nothing)}): " + " ".join(nothing))
    for code in sorted(EXTRA_CODES):
        if code not in {r.iso3 for r in rows}:
            out.append(f"no rows for {code} ({EXTRA_CODES[code]})")
    return out


def main() -> int:
    names, lookup = load_countries()
    aliases = load_aliases()
    notes: list[str] = []
    rows: list[Row] = []
    mfa_on_portal: set[str] = set()
    stated = RAW_DIR / "c-riq_stated_national_governments.csv"
    r, p, _doubtful = parse_stated(stated, lookup, names, notes)
    rows += r
    mfa_on_portal |= p
    iso2 = iso2_codes(stated, lookup)
    rows += parse_dotgov(RAW_DIR / "cisagov_dotgov-data_current-federal_excerpt.csv", notes)
    for pages in sorted(RAW_DIR.glob("pages_search_*.tsv")):
        r, p = parse_pages(pages, names, aliases, iso2, notes)
        rows += r
        mfa_on_portal |= p
    rows = dedupe(rows, notes)
    check(rows, names)
    with OUT_TSV.open("w", encoding="utf-8", newline="") as f:
        f.write("domain\tcountry_iso3\toffice\tname\tsource\n")
        for row in rows:
            f.write(f"{row.domain}\t{row.iso3}\t{row.office}\t{row.name}\t{row.source}\n")
    for line in summary(rows, mfa_on_portal):
        print(line)
    for n in notes:
        print(n)
    print(f"wrote {OUT_TSV.relative_to(DATA_DIR.parent.parent)}")
    write_cctlds(iso2)
    return 0


# Country-code top-level domains that are not ISO 3166-1 alpha-2 codes of their country.
_CCTLD_EXCEPTIONS = {"uk": "GBR"}


def write_cctlds(iso2: dict[str, str]) -> None:
    """etl/data/cctlds.tsv: each country-code top-level domain and its country (ISO3), from the alpha-2
    codes of the stated list (``code`` column) and the exceptions above. A release of a government site with
    a country's top-level domain is that country's (etl/sources.py)."""
    pairs = {code.lower(): iso3 for iso3, code in iso2.items()} | _CCTLD_EXCEPTIONS
    with OUT_CCTLDS.open("w", encoding="utf-8", newline="") as f:
        f.write("tld\tcountry_iso3\n")
        for tld, iso3 in sorted(pairs.items()):
            f.write(f"{tld}\t{iso3}\n")
    print(f"wrote {OUT_CCTLDS.relative_to(DATA_DIR.parent.parent)}: {len(pairs)} country-code domains")


if __name__ == "__main__":
    sys.exit(main())
