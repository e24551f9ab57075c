"""Build ``etl/data/officeholders_world.tsv`` from saved public material.

Reads (every file has its source URL on the first line, then the material as fetched):

- ``raw/officeholders/wikidata_world-leaders-2021_heads.csv``: a Wikidata query result
  (every-politician-scrapers/world-leaders-2021, ``data/wikidata.csv``) with heads of state
  and government in office now, plus those whose term ended in 2022; start/end are years.
- ``raw/officeholders/wikipedia_list-of-state-leaders-in-2021.csv``: a scrape of Wikipedia's
  "List of state leaders in 2021" (same repository, ``data/wikipedia.csv``); years only.
- ``raw/officeholders/wikipedia_list-of-current-foreign-ministers-2022-09.csv``: a scrape of
  Wikipedia's "List of current foreign ministers" as of September 2022
  (every-politician-scrapers/world, ``sources/foreign/scraped.csv``); exact start dates.
- ``raw/officeholders/wikidata_current-foreign-ministers.csv``: a Wikidata query result of the foreign
  ministers in office (every-politician-scrapers/world, ``sources/foreign/wikidata.csv``, about August 2022);
  exact start dates from the P39 statements.
- ``raw/officeholders/wikipedia_<cc>-<office>.csv``: Wikipedia lists of one office's holders with exact start
  and end dates, scraped by tmtmtmtm's position repositories (NZ, FI, MD, SO, TV, EG prime ministers; MX,
  BO, HN, NI presidents; NZ and DZ foreign ministers).
- ``raw/officeholders/congresslegislators_executive_excerpt.yaml``: the end of ``executive.yaml`` of
  unitedstates/congress-legislators (CC0), US presidential terms with exact dates.
- ``raw/officeholders/opendataarchive_world-leaders-current_<position>.json``: heads of state and government
  of 28 UN members (G20, ASEAN) in office in 2026 with exact "since" dates
  (open-data-archive/world-leaders-current); also the second source for terms starting in 2026 or later.
- ``countries.tsv`` for ISO 3166-1 alpha-3 codes (names and aliases).

Writes ``etl/data/officeholders_world.tsv`` with the columns of ``officeholders.tsv``
(``name variants country_iso3 office start end``) and prints a coverage summary. The rules that
combine the sources are in the docstrings below and in the ``officeholders_world.tsv`` section of
``etl/data/README.md``.
Run as ``python -m etl.data.build.officeholders`` from the repository root.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
RAW = DATA / "raw" / "officeholders"
OUT = DATA / "officeholders_world.tsv"
HEADS_WIKIDATA = RAW / "wikidata_world-leaders-2021_heads.csv"
HEADS_WIKIPEDIA_2021 = RAW / "wikipedia_list-of-state-leaders-in-2021.csv"
FOREIGN_MINISTERS_2022 = RAW / "wikipedia_list-of-current-foreign-ministers-2022-09.csv"
FOREIGN_MINISTERS_WIKIDATA = RAW / "wikidata_current-foreign-ministers.csv"
US_EXECUTIVE = RAW / "congresslegislators_executive_excerpt.yaml"
CURRENT_LEADERS = {  # open-data-archive/world-leaders-current, one file per position
    RAW / "opendataarchive_world-leaders-current_presidents.json": "president",
    RAW / "opendataarchive_world-leaders-current_prime-ministers.json": "prime_minister",
    RAW / "opendataarchive_world-leaders-current_chancellors.json": "head_of_government",
    RAW / "opendataarchive_world-leaders-current_monarchs.json": "king",
}
# Wikipedia lists of one office, with exact dates (tmtmtmtm/<cc>-<office>-wikipedia repositories).
OFFICE_LISTS: dict[Path, tuple[str, str]] = {
    RAW / "wikipedia_nz-prime-ministers.csv": ("NZL", "prime_minister"),
    RAW / "wikipedia_fi-prime-ministers.csv": ("FIN", "prime_minister"),
    RAW / "wikipedia_md-prime-ministers.csv": ("MDA", "prime_minister"),
    RAW / "wikipedia_so-prime-ministers.csv": ("SOM", "prime_minister"),
    RAW / "wikipedia_tv-prime-ministers.csv": ("TUV", "prime_minister"),
    RAW / "wikipedia_eg-prime-ministers.csv": ("EGY", "prime_minister"),
    RAW / "wikipedia_mx-presidents.csv": ("MEX", "president"),
    RAW / "wikipedia_bo-presidents.csv": ("BOL", "president"),
    RAW / "wikipedia_hn-presidents.csv": ("HND", "president"),
    RAW / "wikipedia_ni-presidents.csv": ("NIC", "president"),
    RAW / "wikipedia_nz-foreign-ministers.csv": ("NZL", "foreign_minister"),
    RAW / "wikipedia_dz-foreign-ministers.csv": ("DZA", "foreign_minister"),
}

COLUMNS = ["name", "variants", "country_iso3", "office", "start", "end"]
TODAY = date(2026, 12, 1)
WINDOW_START = date(2015, 1, 1)
COVERAGE_DAYS = (WINDOW_START, date(2020, 1, 1), TODAY)
VERIFY_FROM = "2026-01-01"  # rows starting on or after this day need a second source
WIKIPEDIA_2021_LAST_DAY = "2021-12-31"  # the last day the 2021 list vouches for

# The 193 UN member states (ISO 3166-1 alpha-3).
UN_MEMBERS: frozenset[str] = frozenset(
    """AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH
    BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE
    PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC
    GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT
    KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG
    MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL
    PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM
    ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK TZA THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE
    GBR USA URY UZB VUT VEN VNM YEM ZMB ZWE""".split()
)

# Source spellings of country names that countries.tsv does not carry as name or alias.
COUNTRY_NAMES: dict[str, str] = {
    "kingdom of denmark": "DNK",
    "kingdom of the netherlands": "NLD",
    "congo–brazzaville (republic of the congo)": "COG",
    "congo–kinshasa (democratic republic of the congo)": "COD",
    "congo, democratic republic of the": "COD",
    "congo, republic of the": "COG",
    "republic of the congo": "COG",
    "democratic republic of the congo": "COD",
    "gambia, the": "GMB",
    "the gambia": "GMB",
    "the bahamas": "BHS",
    "bahamas": "BHS",
    "east timor": "TLS",
    "timor-leste": "TLS",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "micronesia": "FSM",
    "federated states of micronesia": "FSM",
    "russian federation": "RUS",
    "people's republic of china": "CHN",
    "china (people's republic of china)": "CHN",
    "north korea (democratic people's republic of korea)": "PRK",
    "south korea (republic of korea)": "KOR",
    "taiwan (republic of china)": "TWN",
    "republic of china": "TWN",
    "vatican city": "VAT",
    "holy see": "VAT",
    "palestine": "PSE",
    "czech republic": "CZE",
    "turkey": "TUR",
    "kosovo": "XKX",
    "são tomé and príncipe": "STP",
}

# Entities in the sources that are not UN member states, though countries.tsv may map them to one.
NOT_STATES = {
    "scotland",
    "quebec",
    "catalonia",
    "cantabria",
    "brussels-capital region",
    "gagauzia",
    "kurdistan",
    "faroe islands",
    "guernsey",
    "jersey",
    "puerto rico",
    "tibet",
    "european union",
    "sovereign military order of malta",
    "abkhazia",
    "artsakh",
    "northern cyprus",
    "somaliland",
    "somaliland (republic of somaliland)",
    "south ossetia",
    "transnistria",
    "sahrawi arab democratic republic",
    "donetsk people's republic",
    "luhansk people's republic",
    "lugansk people's republic",
}

# Position labels that are not a national head of state, head of government or foreign minister.
SKIP_POSITION = re.compile(
    r"governor[- ]general|general secretary|first secretary|special representative|high representative"
    r"|national assembly|syrian national coalition|salvation government|supreme political council"
    r"|transitional military council|national committee of reconciliation|state administrati"
    r"|member of the swiss federal council|french co-prince|pontifical commission|cardinal secretary"
    r"|military leader|prime minister of western sahara",
    re.IGNORECASE,
)
QID = re.compile(r"^Q\d+$")
PARENS = re.compile(r"\s*\([^)]*\)")
REGNAL = re.compile(r"^(.+? [IVX]+) of .+$")


@dataclass
class Tenure:
    """One person in one office, as read from a source, before merging."""

    qid: str
    name: str
    iso3: str
    office: str
    start: str
    end: str
    source: str
    other_names: set[str] = field(default_factory=set)
    start_exact: bool = False  # False: a year widened to 1 January
    end_kind: str = ""  # "exact", "year" (widened to 31 December), "derived" (rule), "snapshot" (last seen)
    confirmed_by: set[str] = field(default_factory=set)  # other sources that name the same person and office


def read_source(path: Path) -> tuple[str, list[dict[str, str]]]:
    """Return the URL on the first line and the CSV rows that follow it."""
    with path.open(encoding="utf-8", newline="") as f:
        url = f.readline().strip()
        return url, list(csv.DictReader(f))


def country_index() -> dict[str, str]:
    """Lower-cased country names and aliases from countries.tsv, mapped to ISO3."""
    index: dict[str, str] = {}
    with (DATA / "countries.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            for term in [row["name"], *row["aliases"].split("|")]:
                if term.strip():
                    index.setdefault(term.strip().lower(), row["iso3"])
    for term, iso3 in COUNTRY_NAMES.items():
        index[term] = iso3
    return index


def valid_iso3() -> set[str]:
    with (DATA / "countries.tsv").open(encoding="utf-8", newline="") as f:
        return {row["iso3"] for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}


def classify(label: str) -> str | None:
    """Map a position label to an office of the gazetteer, or None to skip it."""
    low = label.lower()
    if SKIP_POSITION.search(low):
        return None
    if "vice president" in low or "vice-president" in low:
        return "vice_president"
    if low.startswith("prime minister"):
        return "prime_minister"
    if (
        low.startswith(
            ("premier", "taoiseach", "chancellor", "federal chancellor", "chairman of the cabinet")
        )
        or low.startswith(("chairman of the council of ministers", "president of the council of ministers"))
        or low.startswith(("list of heads of government", "minister of state (monaco)", "state counsellor"))
    ):
        return "head_of_government"
    if re.search(
        r"monarch|king|queen|emperor|emir|sultan|prince of|grand duke|druk gyalpo|yang di-pertuan|^pope$|sovereigns",
        low,
    ):
        return "king"
    if low.startswith(
        (
            "supreme leader",
            "leader of the islamic emirate",
            "state affairs commission",
            "chairman of the standing committee",
        )
    ):
        return "head_of_state"
    if low.startswith(("episcopal co-prince", "captain regent", "captains regent", "o le ao o le malo")):
        return "head_of_state"
    if low.startswith(
        ("chairmen of the presidency", "chairman of the presidential council", "presidential council")
    ):
        return "head_of_state"
    if low.startswith("president") or low.startswith("president of"):
        return "president"
    return None


def role(office: str) -> str:
    if office in ("president", "king", "head_of_state"):
        return "hos"
    if office in ("prime_minister", "head_of_government"):
        return "hog"
    return office


def clean_name(raw: str) -> str:
    """Drop disambiguators in brackets and quoted nicknames (Philip "Brave" Davis)."""
    text = re.sub(r'\s*"[^"]*"', "", PARENS.sub("", raw))
    return " ".join(text.replace('"', "").split())


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def year_start(value: str) -> str:
    return f"{int(value):04d}-01-01" if value.strip() else ""


def year_end(value: str) -> str:
    return f"{int(value):04d}-12-31" if value.strip() else ""


def exact_or_month(value: str) -> str:
    """Keep YYYY-MM-DD; widen YYYY-MM to its first day and YYYY to 1 January."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return value + "-01"
    if re.fullmatch(r"\d{4}", value):
        return value + "-01-01"
    return ""


def heads(path: Path, index: dict[str, str], source: str, skipped: dict[str, int]) -> list[Tenure]:
    _, rows = read_source(path)
    out: list[Tenure] = []
    for row in rows:
        label = row.get("positionLabel") or row.get("positionlabel") or ""
        person = row.get("officeholderLabel") or row.get("officeholderlabel") or ""
        qid = row.get("officeholder", "").strip()
        country = row["country"].strip().lower()
        iso3 = None if country in NOT_STATES else index.get(country)
        office = classify(label)
        name = clean_name(person)
        if iso3 is None:
            skipped["country not a UN member or unknown"] += 1
            continue
        if office is None or label.strip() == person.strip():
            skipped["position not a head of state/government"] += 1
            continue
        if not name or QID.match(name) or name.lower() == "pope":
            skipped["no person label in the source"] += 1
            continue
        start = year_start(row.get("start_year", ""))
        if start and start < "1900":
            skipped["implausible start year"] += 1
            continue
        if qid in BAD_LABEL_QIDS:
            skipped["no person label in the source"] += 1
            continue
        end = year_end(row.get("end_year", ""))
        out.append(
            Tenure(qid or name, name, iso3, office, start, end, source, end_kind="year" if end else "")
        )
    return out


def merge_heads(wikidata: list[Tenure], wikipedia: list[Tenure], skipped: dict[str, int]) -> list[Tenure]:
    """Join the 2021 Wikipedia rows to the Wikidata rows of the same person and role."""
    merged: list[Tenure] = list(wikidata)
    for wp in wikipedia:
        twins = [
            wd
            for wd in wikidata
            if wd.qid == wp.qid
            and wd.iso3 == wp.iso3
            and role(wd.office) == role(wp.office)
            and (not wd.start or wd.start[:4] <= "2021")
            and (not wd.end or wd.end[:4] >= "2021")
        ]
        if twins:
            for wd in twins:
                if wp.name != wd.name:
                    wd.other_names.add(wd.name)
                    wd.name = wp.name  # the English Wikipedia title is the common spelling
            continue
        if not wp.end:
            # Still in office when the 2021 list was scraped. Close the term at the start year of a
            # later holder of the same role in the Wikidata rows, or at the end of 2021.
            later = sorted(
                wd.start
                for wd in wikidata
                if wd.iso3 == wp.iso3
                and role(wd.office) == role(wp.office)
                and wd.qid != wp.qid
                and wd.start
                and wd.start > (wp.start or "0000")
            )
            if later:
                wp.end = later[0][:4] + "-12-31"
                wp.source += " (end: year a successor took office)"
            else:
                wp.end = WIKIPEDIA_2021_LAST_DAY
                wp.source += " (end: last day the 2021 list covers)"
            wp.end_kind = "derived"
        merged.append(wp)
    # The same person open-ended twice in one role: keep the earlier row.
    seen: dict[tuple[str, str, str], Tenure] = {}
    result: list[Tenure] = []
    for t in sorted(merged, key=lambda t: (t.iso3, role(t.office), t.qid, t.start)):
        key = (t.qid, t.iso3, role(t.office))
        if not t.end and key in seen and not seen[key].end:
            skipped["duplicate open-ended term"] += 1
            continue
        if not t.end:
            seen[key] = t
        result.append(t)
    return result


def foreign_ministers_wikipedia(
    path: Path, index: dict[str, str], skipped: dict[str, int]
) -> tuple[list[Tenure], str]:
    """The September 2022 scrape of Wikipedia's list of current foreign ministers; the end is filled later."""
    _, rows = read_source(path)
    snapshot = max(exact_or_month(r["start"]) for r in rows if r["start"].strip())
    out: list[Tenure] = []
    for row in rows:
        iso3 = state_iso3(row["countryLabel"], index)
        if iso3 is None:
            skipped["country not a UN member or unknown"] += 1
            continue
        name = clean_fm_name(row["name"])
        exact = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["start"].strip()))
        out.append(
            Tenure(
                row["person"].strip() or name,
                name,
                iso3,
                "foreign_minister",
                exact_or_month(row["start"]),
                snapshot,
                "List of current foreign ministers (2022-09)",
                start_exact=exact,
                end_kind="snapshot",
            )
        )
    return out, snapshot


def foreign_ministers_wikidata(
    path: Path, index: dict[str, str], skipped: dict[str, int]
) -> tuple[list[Tenure], str]:
    """Wikidata's foreign ministers without an end date (about August 2022). A start on 1 January is
    taken as a year-precision value (Wikidata returns such values as YYYY-01-01)."""
    _, rows = read_source(path)
    snapshot = max(r["start"] for r in rows if r["start"].strip())
    out: list[Tenure] = []
    for row in rows:
        iso3 = state_iso3(row["countryLabel"], index)
        if iso3 is None or not row["person"].strip() or not row["start"].strip():
            skipped["country not a UN member or unknown"] += 1
            continue
        name = clean_fm_name(row["name"])
        start = row["start"].strip()
        out.append(
            Tenure(
                row["person"].strip(),
                name,
                iso3,
                "foreign_minister",
                start,
                snapshot,
                "Wikidata foreign ministers (2022-08)",
                start_exact=not start.endswith("-01-01"),
                end_kind="snapshot",
            )
        )
    return out, snapshot


def clean_fm_name(raw: str) -> str:
    name = clean_name(raw)
    return re.sub(r"^(Dr\.|Archbishop|Sheikh|Prince) ", "", name)


def state_iso3(label: str, index: dict[str, str]) -> str | None:
    country = label.strip().lower()
    iso3 = None if country in NOT_STATES else index.get(country)
    if iso3 is None or (iso3 not in UN_MEMBERS and iso3 != "VAT"):
        return None
    return iso3


def merge_foreign_ministers(
    wikipedia: list[Tenure], wikidata: list[Tenure], lists: list[Tenure], skipped: dict[str, int]
) -> list[Tenure]:
    """Join the two 2022 snapshots and the dated lists, then close each term when the next minister starts.

    The same person in both snapshots (same QID, same name, or the same start date in the same country with
    a shared word in the names) becomes one row. Where their start dates differ, the later one is kept: both sources agree the person
    was in office from then on (a year-precision Wikidata date yields to the exact Wikipedia date). A term
    from a dated list keeps its dates; a snapshot row of the same person takes its start from the list only
    when the list's term is still open."""
    merged: list[Tenure] = list(wikipedia)
    wd_snapshot = max(wd.start for wd in wikidata)
    stale_before = (date.fromisoformat(wd_snapshot) - timedelta(days=31)).isoformat()
    for wd in wikidata:
        twin = next((wp for wp in merged if wp.iso3 == wd.iso3 and same_person(wp, wd)), None)
        by_name = twin is not None
        if twin is None:
            same_day = [wp for wp in merged if wp.iso3 == wd.iso3 and wp.start == wd.start]
            for wp in same_day:
                if shares_word(wp, wd):
                    twin = wp  # one person under two spellings ("Eduardo Enrique Reina")
                else:
                    # A new minister in the later list carrying the start date of the minister Wikidata
                    # still has: the date is the predecessor's, so the row cannot be dated.
                    merged.remove(wp)
                    skipped["scraped foreign minister with the predecessor's start date (dropped)"] += 1
        if twin is None:
            # A Wikidata statement without an end date may be stale. Keep a minister whom the Wikipedia list
            # does not name only where that list has no one for the country, or where its minister took
            # office within a month before the Wikidata snapshot or after it (a change Wikidata had not yet
            # recorded), and after this one.
            current = [wp.start for wp in wikipedia if wp.iso3 == wd.iso3 and wp in merged]
            if current and not (max(current) >= stale_before and max(current) > wd.start):
                skipped["Wikidata foreign minister contradicted by the Wikipedia list (stale, dropped)"] += 1
                continue
            merged.append(wd)
            continue
        twin.confirmed_by.add(wd.source)
        if by_name and wd.name != twin.name:
            twin.other_names.add(wd.name)
        if twin.qid == twin.name:
            twin.qid = wd.qid
        if wd.start != twin.start:
            skipped["foreign-minister start dates that disagree (later kept)"] += 1
            if not wd.start_exact and wd.start[:4] == twin.start[:4]:
                continue
            if wd.start > twin.start or not twin.start_exact:
                twin.start, twin.start_exact = wd.start, wd.start_exact
    for lt in lists:
        twin = next(
            (
                t
                for t in merged
                if t.iso3 == lt.iso3 and same_person(t, lt) and not lt.end and lt.start <= t.start
            ),
            None,
        )
        if twin is not None:
            twin.confirmed_by.add(lt.source)
            twin.start, twin.start_exact = lt.start, True
            continue
        merged.append(lt)
    by_country: dict[str, list[Tenure]] = {}
    for t in merged:
        by_country.setdefault(t.iso3, []).append(t)
    result: list[Tenure] = []
    for group in by_country.values():
        group.sort(key=lambda t: t.start)
        for earlier, later in itertools.pairwise(group):
            # A snapshot's "last seen" end, or an open end, becomes the next minister's start.
            if earlier.end_kind in ("snapshot", "") and later.start > earlier.start:
                earlier.end, earlier.end_kind = later.start, "exact"
        for t in group:
            if not t.end and t.end_kind == "":
                skipped["foreign minister of a dated list with no later minister known (left open)"] += 1
            result.append(t)
    return result


def name_keys(t: Tenure) -> list[tuple[str, ...]]:
    keys = []
    for name in [t.name, *t.other_names]:
        tokens = tuple(re.sub(r"[^a-z0-9]+", " ", strip_accents(clean_name(name)).lower()).split())
        if tokens:
            keys.append(tokens)
    return keys


def same_person(a: Tenure, b: Tenure) -> bool:
    """Same QID where both have one; otherwise the same name, or one name's words all within the other's
    (at least two words: "Mohammed bin Salman" and "Mohammed bin Salman Al Saud")."""
    if QID.match(a.qid) and QID.match(b.qid):
        return a.qid == b.qid
    for ka in name_keys(a):
        for kb in name_keys(b):
            small, big = sorted((ka, kb), key=len)
            if ka == kb or (len(small) >= 2 and set(small) <= set(big)):
                return True
    return False


def shares_word(a: Tenure, b: Tenure) -> bool:
    words = {w for key in name_keys(a) for w in key if len(w) > 2}
    return any(w in words for key in name_keys(b) for w in key if len(w) > 2)


def office_list(path: Path, iso3: str, office: str, skipped: dict[str, int]) -> list[Tenure]:
    """A Wikipedia list of one office with exact dates. Consecutive rows of one person are joined. An empty
    end means the person was in office when the list was scraped (2020-2021); it is filled later from the
    next holder, if any."""
    url, rows = read_source(path)
    source = "Wikipedia list " + url.split("/")[4]
    out: list[Tenure] = []
    for row in rows:
        name = clean_name(re.sub(r"\s*\((page does not exist)\)", "", row["name"]))
        qid = row["id"].strip() or name
        start, end = row["start_date"].strip(), row["end_date"].strip()
        if not name or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
            skipped["dated-list row without a name or a start"] += 1
            continue
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", end):
            end = ""
        if out and out[-1].qid == qid and out[-1].end == start:
            out[-1].end, out[-1].end_kind = end, "exact" if end else ""
            continue
        out.append(
            Tenure(
                qid, name, iso3, office, start, end, source, start_exact=True, end_kind="exact" if end else ""
            )
        )
    return out


def us_presidents(path: Path) -> list[Tenure]:
    """Presidential terms from the saved end of executive.yaml (a line-based reader for its fixed layout)."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    people: list[tuple[dict[str, str], list[dict[str, str]]]] = []
    for line in lines:
        if line.startswith("- id:"):
            people.append(({}, []))
            continue
        if not people:
            continue  # the excerpt starts inside an earlier entry
        name, terms = people[-1]
        m = re.fullmatch(r"    (first|last|nickname): (.+)", line)
        if m and not terms:
            name[m.group(1)] = m.group(2).strip()
        elif line.startswith("  - type: "):
            terms.append({"type": line.split(":", 1)[1].strip()})
        elif terms and (m := re.fullmatch(r"    (start|end): '(\d{4}-\d{2}-\d{2})'", line)):
            terms[-1][m.group(1)] = m.group(2)
    out: list[Tenure] = []
    for name, terms in people:
        full = f"{name.get('nickname') or name.get('first', '')} {name.get('last', '')}".strip()
        for term in terms:
            if term["type"] != "prez" or "start" not in term:
                continue
            end = term.get("end", "")
            if out and out[-1].name == full and out[-1].end == term["start"]:
                out[-1].end = end
                continue
            out.append(
                Tenure(
                    full,
                    full,
                    "USA",
                    "president",
                    term["start"],
                    end,
                    "unitedstates/congress-legislators executive.yaml",
                    start_exact=True,
                    end_kind="exact" if end else "",
                )
            )
    return out


def current_leaders(index: dict[str, str], skipped: dict[str, int]) -> list[Tenure]:
    """Heads of state and government in office in 2026 (open-data-archive/world-leaders-current)."""
    out: list[Tenure] = []
    for path, office in CURRENT_LEADERS.items():
        with path.open(encoding="utf-8") as f:
            f.readline()
            records = json.load(f)
        for rec in records:
            iso3 = state_iso3(rec["country_name"], index)
            if iso3 is None:
                skipped["country not a UN member or unknown"] += 1
                continue
            since = rec.get("since") or ""
            out.append(
                Tenure(
                    rec["name"],
                    rec["name"],
                    iso3,
                    office,
                    since,
                    "",
                    "open-data-archive/world-leaders-current (2026)",
                    start_exact=bool(since),
                )
            )
    return out


def apply_exact(tenures: list[Tenure], exact: list[Tenure], current: bool, skipped: dict[str, int]) -> None:
    """Put the exact dates of a dated source on the year-only rows of the same person and role.

    A matched row takes the exact start unless that start falls in a later year than the row's own (then
    both agree the person held the office from the row's year on, and the earlier year stays). It takes an
    exact end; an open end of a current-leaders source reopens a row whose end was only derived by rule. An
    exact term with no matching row is added."""
    for e in exact:
        twins = [
            t
            for t in tenures
            if t.iso3 == e.iso3
            and role(t.office) == role(e.office)
            and t.office != "foreign_minister"
            and same_person(t, e)
            and (not t.start or not e.end or t.start[:4] <= e.end[:4])
            and (not t.end or not e.start or t.end[:4] >= e.start[:4])
        ]
        if not twins:
            if not e.start:
                skipped["dated row with no start and no matching row"] += 1
                continue
            tenures.append(e)
            continue
        # One person may have consecutive rows (a re-styled office): the start goes to the first row, the
        # end to the last.
        twins.sort(key=lambda t: t.start)
        for t in twins:
            t.confirmed_by.add(e.source)
            if e.name != t.name:
                t.other_names.add(e.name)
        first, last = twins[0], twins[-1]
        if e.start and (
            not first.start
            or (not first.start_exact and e.start[:4] <= first.start[:4])
            or e.start < first.start
        ):
            first.start, first.start_exact = e.start, True
        if e.end:
            last.end, last.end_kind = e.end, "exact"
        elif current and last.end_kind == "derived":
            last.end, last.end_kind = "", ""


def close_successions(tenures: list[Tenure], skipped: dict[str, int]) -> None:
    """Within one office of one country, sorted by start (collective offices excepted):
    an open term ends when the next holder starts (exactly, or at 31 December of a year-only start);
    a year-only or derived end in the year of the next holder's exact start becomes that start;
    a year-only start in the year of the predecessor's exact end becomes that end."""
    groups: dict[tuple[str, str], list[Tenure]] = {}
    for t in tenures:
        if t.office not in ("head_of_state", "foreign_minister"):
            groups.setdefault((t.iso3, t.office), []).append(t)
    for group in groups.values():
        group.sort(key=lambda t: (t.start, t.name))
        for a, b in itertools.pairwise(group):
            if same_person(a, b) or not a.start or not b.start or b.start <= a.start:
                continue
            if not a.end:
                if b.start_exact:
                    a.end, a.end_kind = b.start, "exact"
                else:
                    a.end, a.end_kind = b.start[:4] + "-12-31", "derived"
                skipped["open term closed by the next holder's start"] += 1
            elif a.end_kind != "exact" and b.start_exact and b.start < a.end and b.start[:4] == a.end[:4]:
                a.end, a.end_kind = b.start, "exact"
                skipped["year-only end replaced by the next holder's exact start"] += 1
            if a.end_kind == "exact" and not b.start_exact and b.start[:4] == a.end[:4] and b.start < a.end:
                b.start = a.end
                skipped["year-only start replaced by the predecessor's exact end"] += 1


def verify_recent(tenures: list[Tenure], skipped: dict[str, int]) -> tuple[list[Tenure], list[Tenure]]:
    """Keep a head-of-state or head-of-government term starting in 2026 or later only when a second
    source names the same person in the same role."""
    kept: list[Tenure] = []
    dropped: list[Tenure] = []
    for t in tenures:
        if t.office != "foreign_minister" and t.start >= VERIFY_FROM and not t.confirmed_by:
            dropped.append(t)
            skipped["term from 2026 on without a second source"] += 1
            continue
        kept.append(t)
    # A 2021-list term closed at the year of a successor that was just dropped falls back to the last day
    # the 2021 list vouches for.
    for t in kept:
        if (
            t.end_kind == "derived"
            and "successor" in t.source
            and t.end >= VERIFY_FROM
            and not any(
                k.iso3 == t.iso3 and role(k.office) == role(t.office) and k.start[:4] == t.end[:4]
                for k in kept
            )
        ):
            t.end = max(WIKIPEDIA_2021_LAST_DAY, t.start[:4] + "-12-31")
            skipped["derived end reset after its successor was dropped"] += 1
    return kept, dropped


PARTICLES = {"al", "bin", "bint", "da", "de", "del", "der", "di", "dos", "du", "e", "la", "le", "van", "von"}
# Person labels in the Wikidata file that are vandalised or not a name; those rows are dropped.
BAD_LABEL_QIDS = {"Q123342092"}  # "Edeupa Yerimin" as Prime Minister of Eswatini


def plausible(name: str) -> bool:
    return all(w[:1].isupper() or w.lower() in PARTICLES or not w[:1].isalpha() for w in name.split())


def variants(t: Tenure) -> str:
    names: list[str] = []
    t.other_names = {n for n in t.other_names if plausible(n)}
    for candidate in [
        strip_accents(t.name),
        *sorted(t.other_names),
        *[strip_accents(n) for n in sorted(t.other_names)],
    ]:
        if candidate and candidate != t.name and candidate not in names:
            names.append(candidate)
    if t.office == "king":
        m = REGNAL.match(t.name)
        if m and m.group(1) not in names:
            names.append(m.group(1))
    return "|".join(n.replace("|", "/") for n in names)


def check(rows: list[dict[str, str]], known: set[str]) -> None:
    problems: list[str] = []
    seen: set[tuple[str, str, str, str]] = set()
    for r in rows:
        if r["country_iso3"] not in known:
            problems.append(f"unknown iso3 {r['country_iso3']} for {r['name']}")
        if r["end"] and r["start"] and r["start"] > r["end"]:
            problems.append(f"start after end: {r}")
        for v in (r["start"], r["end"]):
            if v and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                problems.append(f"bad date {v!r} for {r['name']}")
        key = (r["name"], r["country_iso3"], r["office"], r["start"])
        if key in seen:
            problems.append(f"duplicate {key}")
        seen.add(key)
        if any("\t" in v or "\n" in v for v in r.values()):
            problems.append(f"tab or newline in {r}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(1)


def in_office(r: dict[str, str], day: date) -> bool:
    start = date.fromisoformat(r["start"]) if r["start"] else date.min
    end = date.fromisoformat(r["end"]) if r["end"] else date.max
    return start <= day <= end


def coverage(rows: list[dict[str, str]]) -> None:
    groups = {
        "head of state": ("president", "king", "head_of_state"),
        "head of government (PM/premier/chancellor)": ("prime_minister", "head_of_government"),
        "head of state or of government": (
            "president",
            "king",
            "head_of_state",
            "prime_minister",
            "head_of_government",
        ),
        "foreign minister": ("foreign_minister",),
    }
    print(
        f"rows: {len(rows)}; UN members with any row: {len({r['country_iso3'] for r in rows} & UN_MEMBERS)}/193"
    )
    for day in COVERAGE_DAYS:
        for label, offices in groups.items():
            filled = {
                r["country_iso3"] for r in rows if r["office"] in offices and in_office(r, day)
            } & UN_MEMBERS
            print(f"{day.isoformat()}  {label:45s} {len(filled):3d}/193")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["office"]] = counts.get(r["office"], 0) + 1
    print("by office:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    exact = sum(1 for r in rows if r["start"] and not r["start"].endswith("-01-01"))
    print(f"rows whose start is not a 1 January (exact dates): {exact}/{len(rows)}")


def main() -> None:
    sources = [
        HEADS_WIKIDATA,
        HEADS_WIKIPEDIA_2021,
        FOREIGN_MINISTERS_2022,
        FOREIGN_MINISTERS_WIKIDATA,
        US_EXECUTIVE,
        *OFFICE_LISTS,
        *CURRENT_LEADERS,
    ]
    for path in sources:
        with path.open(encoding="utf-8") as f:
            print(f"source: {path.name} <- {f.readline().strip()}")
    index = country_index()
    skipped: dict[str, int] = {
        "country not a UN member or unknown": 0,
        "position not a head of state/government": 0,
        "no person label in the source": 0,
        "implausible start year": 0,
        "duplicate open-ended term": 0,
        "dated-list row without a name or a start": 0,
        "dated row with no start and no matching row": 0,
        "open term closed by the next holder's start": 0,
        "year-only end replaced by the next holder's exact start": 0,
        "year-only start replaced by the predecessor's exact end": 0,
        "term from 2026 on without a second source": 0,
        "derived end reset after its successor was dropped": 0,
        "foreign-minister start dates that disagree (later kept)": 0,
        "scraped foreign minister with the predecessor's start date (dropped)": 0,
        "Wikidata foreign minister contradicted by the Wikipedia list (stale, dropped)": 0,
        "foreign minister of a dated list with no later minister known (left open)": 0,
        "ended before 2015": 0,
    }
    wikidata = heads(HEADS_WIKIDATA, index, "Wikidata", skipped)
    wikipedia = heads(HEADS_WIKIPEDIA_2021, index, "List of state leaders in 2021", skipped)
    tenures = merge_heads(wikidata, wikipedia, skipped)
    dated: list[Tenure] = us_presidents(US_EXECUTIVE)
    fm_lists: list[Tenure] = []
    for path, (iso3, office) in OFFICE_LISTS.items():
        (fm_lists if office == "foreign_minister" else dated).extend(office_list(path, iso3, office, skipped))
    apply_exact(tenures, dated, current=False, skipped=skipped)
    apply_exact(tenures, current_leaders(index, skipped), current=True, skipped=skipped)
    tenures, dropped = verify_recent(tenures, skipped)
    close_successions(tenures, skipped)
    for t in dropped:
        print(f"dropped (from 2026 on, one source only): {t.iso3} {t.office} {t.name} {t.start} [{t.source}]")

    fm_wikipedia, snapshot = foreign_ministers_wikipedia(FOREIGN_MINISTERS_2022, index, skipped)
    fm_wikidata, wd_snapshot = foreign_ministers_wikidata(FOREIGN_MINISTERS_WIKIDATA, index, skipped)
    tenures += merge_foreign_ministers(fm_wikipedia, fm_wikidata, fm_lists, skipped)
    print(
        f"foreign-minister snapshot dates (latest start in each list): Wikipedia {snapshot}, Wikidata {wd_snapshot}"
    )

    rows: list[dict[str, str]] = []
    for t in sorted(tenures, key=lambda t: (t.iso3, t.office, t.start, t.name)):
        if t.iso3 not in UN_MEMBERS and t.iso3 != "VAT":
            skipped["country not a UN member or unknown"] += 1
            continue
        if t.end and t.end < WINDOW_START.isoformat():
            skipped["ended before 2015"] += 1
            continue
        rows.append(
            {
                "name": t.name,
                "variants": variants(t),
                "country_iso3": t.iso3,
                "office": t.office,
                "start": t.start,
                "end": t.end,
            }
        )
    check(rows, valid_iso3())
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(
            f, fieldnames=COLUMNS, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT}")
    print("counts:", ", ".join(f"{k} {v}" for k, v in skipped.items()))
    coverage(rows)


if __name__ == "__main__":
    main()
