"""Build ``etl/data/officeholders_world.tsv`` from saved public material.

Reads (every file has its source URL on the first line, then CSV):

- ``raw/officeholders/wikidata_world-leaders-2021_heads.csv``: a Wikidata query result
  (every-politician-scrapers/world-leaders-2021, ``data/wikidata.csv``) with heads of state
  and government in office now, plus those whose term ended in 2022; start/end are years.
- ``raw/officeholders/wikipedia_list-of-state-leaders-in-2021.csv``: a scrape of Wikipedia's
  "List of state leaders in 2021" (same repository, ``data/wikipedia.csv``); years only.
- ``raw/officeholders/wikipedia_list-of-current-foreign-ministers-2022-09.csv``: a scrape of
  Wikipedia's "List of current foreign ministers" as of September 2022
  (every-politician-scrapers/world, ``sources/foreign/scraped.csv``); exact start dates.
- ``countries.tsv`` for ISO 3166-1 alpha-3 codes (names and aliases).

Writes ``etl/data/officeholders_world.tsv`` with the columns of ``officeholders.tsv``
(``name variants country_iso3 office start end``) and prints a coverage summary.
Run as ``python -m etl.data.build.officeholders`` from the repository root.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
RAW = DATA / "raw" / "officeholders"
OUT = DATA / "officeholders_world.tsv"
HEADS_WIKIDATA = RAW / "wikidata_world-leaders-2021_heads.csv"
HEADS_WIKIPEDIA_2021 = RAW / "wikipedia_list-of-state-leaders-in-2021.csv"
FOREIGN_MINISTERS_2022 = RAW / "wikipedia_list-of-current-foreign-ministers-2022-09.csv"

COLUMNS = ["name", "variants", "country_iso3", "office", "start", "end"]
TODAY = date(2026, 12, 1)
WINDOW_START = date(2015, 1, 1)
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
        out.append(Tenure(qid or name, name, iso3, office, start, year_end(row.get("end_year", "")), source))
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


def foreign_ministers(path: Path, index: dict[str, str], skipped: dict[str, int]) -> tuple[list[Tenure], str]:
    _, rows = read_source(path)
    snapshot = max(exact_or_month(r["start"]) for r in rows if r["start"].strip())
    out: list[Tenure] = []
    for row in rows:
        country = row["countryLabel"].strip().lower()
        iso3 = None if country in NOT_STATES else index.get(country)
        if iso3 is None or iso3 not in UN_MEMBERS and iso3 != "VAT":
            skipped["country not a UN member or unknown"] += 1
            continue
        name = clean_name(row["name"])
        name = re.sub(r"^(Dr\.|Archbishop|Sheikh|Prince) ", "", name)
        out.append(
            Tenure(
                row["person"].strip() or name,
                name,
                iso3,
                "foreign_minister",
                exact_or_month(row["start"]),
                snapshot,
                "List of current foreign ministers (2022-09)",
            )
        )
    # Two rows for one country (Brunei): the earlier one ends when the later one starts.
    by_country: dict[str, list[Tenure]] = {}
    for t in out:
        by_country.setdefault(t.iso3, []).append(t)
    for group in by_country.values():
        group.sort(key=lambda t: t.start)
        for earlier, later in zip(group, group[1:]):
            earlier.end = later.start
    return out, snapshot


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
        "foreign minister": ("foreign_minister",),
    }
    print(
        f"rows: {len(rows)}; UN members with any row: {len({r['country_iso3'] for r in rows} & UN_MEMBERS)}/193"
    )
    for day in (WINDOW_START, TODAY):
        for label, offices in groups.items():
            filled = {
                r["country_iso3"] for r in rows if r["office"] in offices and in_office(r, day)
            } & UN_MEMBERS
            print(f"{day.isoformat()}  {label:45s} {len(filled):3d}/193")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["office"]] = counts.get(r["office"], 0) + 1
    print("by office:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def main() -> None:
    for path in (HEADS_WIKIDATA, HEADS_WIKIPEDIA_2021, FOREIGN_MINISTERS_2022):
        url, _ = read_source(path)
        print(f"source: {path.name} <- {url}")
    index = country_index()
    skipped: dict[str, int] = {
        "country not a UN member or unknown": 0,
        "position not a head of state/government": 0,
        "no person label in the source": 0,
        "implausible start year": 0,
        "duplicate open-ended term": 0,
        "ended before 2015": 0,
    }
    wikidata = heads(HEADS_WIKIDATA, index, "Wikidata", skipped)
    wikipedia = heads(HEADS_WIKIPEDIA_2021, index, "List of state leaders in 2021", skipped)
    tenures = merge_heads(wikidata, wikipedia, skipped)
    fms, snapshot = foreign_ministers(FOREIGN_MINISTERS_2022, index, skipped)
    tenures += fms
    print(f"foreign-minister snapshot date (latest start in the list): {snapshot}")

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
    print("skipped:", ", ".join(f"{k} {v}" for k, v in skipped.items()))
    coverage(rows)


if __name__ == "__main__":
    main()
