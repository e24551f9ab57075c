"""Build ``etl/data/organizations_world.tsv``: intergovernmental organizations missing from the curated file.

Reads (every raw file has its source URL on the first line, then the material as fetched):

- ``raw/organizations/*.txt``: excerpts of public web pages (Wikipedia, the African Union, the OAS, the SEECP,
  the Greek and Cambodian foreign ministries, DFAT, the CROP agencies, ECDPM, a directory of organizations),
  each as returned by a search of stored public pages. Names are taken where the page writes
  ``Full Name (ACRONYM)``, from list items and table cells that are organization titles, and from
  ``Old Name -- see New Name`` cross references.
- ``raw/organizations/cow_igo_v3_list-igos_excerpt.json``: the Correlates of War IGO data v3 (1815-2014;
  Pevehouse et al. 2020) as embedded in the igoR package's list of IGOs: ``ioname``, ``longorgname``,
  ``sdate`` and ``deaddate``. Organizations with a ``deaddate`` are left out. ``longorgname`` holds one or
  more names separated by ``/`` (older names first, as a rule) with acronyms in brackets.
- ``organizations.tsv`` (curated): an organization that it already has, by name, alias or acronym, is
  left out; its names and aliases may not be reused.
- ``countries.tsv``: country names, aliases and demonyms may not be aliases.
- ``ambiguous.tsv``: terms of kind ``excluded`` may not be aliases.

Writes ``organizations_world.tsv`` with the columns of ``organizations.tsv``
(``org_id name aliases kind country_iso3 parent``) and prints a summary: rows per kind and source, and
every name or alias that a rule left out. The rules are in the docstrings below and in the
``organizations_world.tsv`` section of ``etl/data/README.md``.

Run as ``python -m etl.data.build.organizations`` from the repository root.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
RAW = DATA / "raw" / "organizations"
CURATED = DATA / "organizations.tsv"
COUNTRIES = DATA / "countries.tsv"
AMBIGUOUS = DATA / "ambiguous.tsv"
OUT = DATA / "organizations_world.tsv"
COLUMNS = ("org_id", "name", "aliases", "kind", "country_iso3", "parent")
KINDS = ("un_body", "regional", "forum", "ifi", "other")

COW_FILE = RAW / "cow_igo_v3_list-igos_excerpt.json"
# Page excerpts in order of priority: the first source to name an organization gives its name, and the
# first to claim an acronym keeps it. Official sites come first, the COW data (2014 names) last.
PAGE_FILES = (
    "au_agenda2063_recs.txt",
    "seecp_info_about.txt",
    "mfa_gr_seecp-rcc.txt",
    "wikipedia_south-east-european-cooperation-process.txt",
    "ecdpm_understanding-icglr.txt",
    "crop_usp_about-crop.txt",
    "forumsec_crop-review-2015.txt",
    "oas_docest_observers-2014.txt",
    "dfat_latin-america-regional-architecture.txt",
    "mfaic_kh_mekong-cooperation-framework.txt",
    "intlobserver_international-and-regional-organizations.txt",
    "wikipedia_regional-organization.txt",
    "wikipedia_list-of-regional-organizations-by-population.txt",
)

# Acronyms that the curated file leaves out on purpose (README, "organizations.tsv": collisions with
# Sri Lankan, Kyrgyz or Indian bodies, other common meanings); they are not given to any new row either.
RESERVED_ACRONYMS = frozenset(
    "EDB NDB CDB EC ICC ITC IDB PIF KIA CIC AIF ISA PCA APO MSC IRC TBI SPF CBI KCCI FII ICD IOC COP WB "
    "NORAD DRC".split()
)
# Acronyms that are ordinary English words (a match would fire on plain text). Checked by hand against
# every acronym the sources give; extend when a new source adds one.
ENGLISH_WORD_ACRONYMS = frozenset(
    "ACT CARE MIND APT CPU ICE ARC ACE AIM BASE CAN CAP CART CASE CITE COST DEAL EPIC FAST FIT HOPE "
    "MAP MARS NET PACT PAN PEACE RISE SAFE SEA STAR TIDE WAVE GEO".split()
    # Kept out for other reasons: PASO is a Spanish word ("step"); PIDP is also the Pacific Islands
    # Development Program of the East-West Center, a US institution; the rest are common abbreviations in
    # English news (Indian Penal Code, power purchase agreement, chief technology officer, unique selling
    # point, chlorofluorocarbon, exchange-traded fund, Medical Research Council, common service centre).
    + "PASO PIDP IPC PPA CTO USP CFC ETF MRC CSC".split()
)
# Organizations that a source names only by a former name of a curated organization (org_id), so that
# the name does not come back as a new row. Each pair was checked against the curated file.
FORMER_NAMES_OF_CURATED = {
    "South Pacific Forum": "pacific_islands_forum",
    "Pan American Union": "oas",
    "Indian Ocean Rim Association for Regional Cooperation": "iora",
    "Ocean Rim Initiative": "iora",
}
# Names under which one source gives an organization that another source names differently (older name,
# misspelling); the candidate is merged into the organization with the second name.
SAME_AS = {
    "Asian-African Legal Consultative Committee": "Asian-African Legal Consultative Organization",
    "Union of the Mediterranean": "Union for the Mediterranean",
}
# Obvious misspellings in the sources, corrected word by word in every name.
SPELLING = {
    "Adminstrative": "Administrative",
    "Adminstrations": "Administrations",
    "Commision": "Commission",
    "Mediterranian": "Mediterranean",
    "Assocation": "Association",
    "Programmed": "Programme",
}
# Names a source gives that are not organizations (a working mechanism, trade agreements, a treaty).
NOT_ORGANIZATIONS = frozenset(
    {
        "CROP Working Group Mechanism",
        "Regional Comprehensive Economic Partnership",
        "North American Free Trade Agreement",
        "General Treaty on Central American Economic Integration",
    }
)
# COW names cut off short of 80 characters (no closing word); left out like the 80-character ones.
CUT_OFF_NAMES = frozenset({"Intergovernmental Group of Twenty-Four on International Monetary"})
# Pages about regional organizations: what they list is ``regional`` unless the name makes it an ifi,
# a forum or a UN body (see ``kind_of``).
REGIONAL_SOURCES = frozenset(PAGE_FILES) - {"intlobserver_international-and-regional-organizations.txt"}
# Parents that a saved source states; (child name, parent name, where the source says so).
PARENT_STATED = (
    (
        "Regional Cooperation Council",
        "South East European Cooperation Process",
        "mfa_gr_seecp-rcc.txt: the RCC Secretariat 'is the SEECP's operational arm'",
    ),
)

CONNECTORS = frozenset("of the and for on in to at de la des du y et an a".split())
ORG_WORDS = frozenset(
    """organization organisation community union association council commission bank fund parliament
    system alliance cooperation co-operation initiative forum group secretariat agency institute office
    process conference dialogue partnership market authority league movement court centre center
    programme program corporation board committee pact treaty arrangement facility foundation university
    observatory telecommunity bureau company laboratory network""".split()
)
GEO_WORDS = frozenset(
    """africa african arab asia asian europe european america americas american caribbean pacific atlantic
    baltic nordic mediterranean gulf sahel maghreb andean amazon amazonian mekong danube rhine sea ocean
    indian great lakes central south southern east eastern west western north northern ibero-american
    latin islamic commonwealth turkic eurasian river basin lake chad niger senegal gambia sava black
    adriatic ionian balkan mesoamerican sahelo-saharan sahel-saharan saharan oceania polynesia
    melanesian micronesian""".split()
)
IFI_PATTERNS = re.compile(
    r"\bbank\b|\bfund\b|\bfinanc|\binvestment\b|\breinsurance\b|\bguarantee\b|\bclearing union\b",
    re.I,
)
FORUM_PATTERNS = re.compile(
    r"\bforum\b|\bdialogue\b|\bsummit\b|\bprocess\b|(?<!study )\bgroup\b|\binitiative\b|\bmovement\b|\bpartnership\b"
    r"|\bcooperation$|\bco-operation$",
    re.I,
)
ABBREVIATED = re.compile(r"\bInt'?l\b|\bIntl\b|\bAssoc\b|\b[A-Z][a-z]{0,5}\.(?: |$)|\b[A-Z]\.[A-Z]\.")
NON_ENGLISH = re.compile(
    r" (de|des|du|del|la|le|et|y) |\bd'|^(Societe|Ple|Rserve|Confrence|Comit|Convenio)\b"
)
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def fold(text: str) -> str:
    """Comparison key: accents removed, lower case, spelling variants and punctuation unified."""
    text = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("co-operation", "cooperation")
    text = re.sub(r"[-/.,&()]", " ", text)
    text = re.sub(r"\borganisation", "organization", text)
    text = re.sub(r"\bprogramme\b", "program", text)
    text = re.sub(r"\bcentre\b", "center", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def words(name: str) -> list[str]:
    return [w for w in fold(name).split() if w not in CONNECTORS]


def initials(name: str) -> Counter[str]:
    parts = re.split(r"[\s\-]+", name.translate(APOSTROPHES))
    return Counter(p[0].upper() for p in parts if p and p[0].isalpha())


def acronym_letters(acronym: str) -> str:
    return "".join(c for c in acronym.upper() if c.isalpha())


def plausible(acronym: str, name: str) -> bool:
    """An acronym fits a name if at least 60 % of its letters (as a multiset, with the first one among
    them) are initials of the name's words; this lets through French and Spanish acronyms such as UMA,
    CELAC, ALBA or SPC and rejects captures where the bracket belongs to another phrase."""
    letters = acronym_letters(acronym)
    if len(letters) < 2:
        return bool(re.fullmatch(r"G-?\d+", acronym)) and name.startswith("Group of")
    inits = initials(name)
    hits = sum((Counter(letters) & inits).values())
    return hits / len(letters) >= 0.6


def is_title(text: str) -> bool:
    """A name: starts with a capital, at least two words, and most words that are not connectors capitalized."""
    toks = text.split()
    if len(toks) < 2 or not toks[0][:1].isupper():
        return False
    content = [t for t in toks if t.lower() not in CONNECTORS]
    caps = sum(1 for t in content if t[:1].isupper() or t[:1].isdigit())
    return bool(content) and caps / len(content) >= 0.6 and toks[-1].lower() not in CONNECTORS


def has_org_word(name: str) -> bool:
    return any(w in ORG_WORDS for w in name.lower().replace(",", " ").split())


@dataclass
class Candidate:
    """One organization as one source gives it: names (preferred first) and acronyms."""

    names: list[str]
    acronyms: list[str]
    source: str


@dataclass
class Group:
    """Candidates from several sources merged into one organization."""

    names: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, cand: Candidate) -> None:
        for n in cand.names:
            if fold(n) not in {fold(x) for x in self.names}:
                self.names.append(n)
        for a in cand.acronyms:
            if a.upper() not in {x.upper() for x in self.acronyms}:
                self.acronyms.append(a)
        if cand.source not in self.sources:
            self.sources.append(cand.source)


@dataclass
class Log:
    """What the rules left out, printed at the end and summarised in the README."""

    entries: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, rule: str, item: str) -> None:
        if item not in self.entries[rule]:
            self.entries[rule].append(item)


def read_source(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    url, _, body = text.partition("\n")
    return url.strip(), body


NAME_ACR = re.compile(
    r"(?P<name>[A-Z0-9][\w'.&-]*(?:,? (?:[A-Z][\w'.&-]*|of|the|and|for|on|in|to|de|la|des|du|y|et))*)"
    r" ?\((?P<acr>[A-Z0-9][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*)\)"
)
SEE_ALSO = re.compile(r"^(?P<a>\S.*?)\s*(?:-{1,2})\s*see (?P<b>.+?)\s*$")
BULLET = re.compile(r"^\s*(?:\u2022|-|\d+\.)\s+(?P<item>.+?)\s*$")


def clean_name(name: str, acronym: str | None) -> str:
    """Strip leading words that cannot start the name (articles, and words whose initial is not in the
    acronym, e.g. 'Understanding the International Conference ... (ICGLR)') and trailing connectors."""
    toks = name.replace(",", " , ").split()
    letters = set(acronym_letters(acronym)) if acronym else set()
    while toks and (
        toks[0].lower() in CONNECTORS or toks[0] == "," or (letters and toks[0][0].upper() not in letters)
    ):
        toks.pop(0)
    while toks and (toks[-1].lower() in CONNECTORS or toks[-1] == ","):
        toks.pop()
    return " ".join(toks).replace(" , ", ", ").strip(" ;.")


def parse_named(text: str, source: str, log: Log) -> list[Candidate]:
    """``Name (ACR)`` pairs in a text; the acronym must fit the name (see ``plausible``) unless the pair
    is a whole list item (``• Community of Sahel-Saharan States (CEN-SAD)``)."""
    out: list[Candidate] = []
    item = re.sub(r"^\s*(?:\u2022|-|\d+\.)?\s*(?:The |the )?", "", text).strip(" ;.")
    for m in NAME_ACR.finditer(text):
        acr = m.group("acr").translate(APOSTROPHES)
        name = clean_name(m.group("name").translate(APOSTROPHES), acr)
        head, sep, tail = name.rpartition(", ")
        if sep and is_title(head.split(", ")[-1]) and is_title(tail) and plausible(acr, tail):
            name = tail  # "Shanghai Cooperation Organisation, Asian-African ... (AALCO)"
        if not is_title(name) or not has_org_word(name):
            continue
        whole_item = item == f"{name} ({acr})"
        if not whole_item and not plausible(acr, name):
            log.add("acronym does not fit the name (not used)", f"{name} ({acr})")
            continue
        out.append(Candidate([name], [acr], source))
    return out


def parse_titles(line: str, source: str) -> list[Candidate]:
    """List items and table cells that are organization titles (no acronym)."""
    out: list[Candidate] = []
    pieces: list[str] = []
    if "|" in line:
        pieces = [p.strip() for p in line.split("|")]
    else:
        bm = BULLET.match(line)
        if bm:
            pieces = [bm.group("item").split("(")[0]]
    for piece in pieces:
        piece = re.sub(r"^(?:The|the) ", "", piece.translate(APOSTROPHES)).strip(" ;.,")
        if (
            piece.count(",") < 2
            and is_title(piece)
            and has_org_word(piece)
            and not re.search(r"\b(has|is|was|were|are)\b", piece)
        ):
            out.append(Candidate([piece], [], source))
    return out


def parse_page(path: Path, log: Log) -> tuple[str, list[Candidate]]:
    url, body = read_source(path)
    cands: list[Candidate] = []
    for line in body.splitlines():
        line = line.translate(APOSTROPHES)
        sm = SEE_ALSO.match(line.strip())
        if sm:  # "Old Name (ACR)--see New Name (ACR)": one organization, the new name preferred
            sides = [
                parse_named(sm.group(s), path.name, log) or parse_titles("- " + sm.group(s), path.name)
                for s in ("b", "a")
            ]
            merged = Candidate([], [], path.name)
            for side_text, side in zip((sm.group("b"), sm.group("a")), sides, strict=True):
                if side:
                    merged.names.extend(side[0].names)
                    merged.acronyms.extend(side[0].acronyms)
                elif re.fullmatch(r"[0-9A-Z][0-9A-Z-]{2,}", side_text):
                    merged.acronyms.append(side_text)
            if merged.names:
                cands.append(merged)
            continue
        cands.extend(parse_named(line, path.name, log))
        cands.extend(parse_titles(line, path.name))
    return url, cands


def split_outside_parens(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "/" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def parse_cow(log: Log) -> tuple[str, list[Candidate]]:
    """One candidate per IGO alive in 2014. Names: the ``/`` segments of ``longorgname`` that are whole
    English names (a segment cut off at the 80-character limit, ending in a connector, with an unclosed
    bracket, abbreviated ("Int'l", "Org.") or in French or Spanish with the accents lost is dropped); the
    last one is preferred (COW lists the current name last). Acronyms: those in brackets that fit a name,
    and segments that are one upper-case word (``MERCOSUR``, ``SELA``). ``ioname`` is COW's own code and is
    not used."""
    url, body = read_source(COW_FILE)
    data = json.loads(body)
    out: list[Candidate] = []
    for ioname, long, dead in zip(data["ioname"], data["longorgname"], data["deaddate"], strict=True):
        if dead != "NA":
            log.add("COW: dissolved before 2015", f"{long} ({dead})")
            continue
        segs = split_outside_parens(long.replace("\u00ca", "").strip())
        names: list[str] = []
        bracket_names: list[str] = []
        acrs: list[str] = []
        for i, seg in enumerate(segs):
            last = i == len(segs) - 1
            if last and 79 <= len(long) <= 80:  # COW cut the field at 80 characters
                log.add("COW: name cut off at 80 characters", seg)
                continue
            if seg.count("(") != seg.count(")") or seg in CUT_OFF_NAMES:
                log.add("COW: name cut off at 80 characters", seg)
                continue
            brackets = re.findall(r"\(([^()]*)\)", seg)
            base = re.sub(r"\s*\([^()]*\)", "", seg).strip()
            if re.fullmatch(r"[A-Z][A-Z0-9-]{2,}", base):
                acrs.append(base)
                continue
            if ABBREVIATED.search(base) or NON_ENGLISH.search(" " + base + " "):
                log.add("COW: abbreviated or non-English name", base)
                continue
            if not is_title(base):
                log.add("COW: not a complete name", base)
                continue
            names.append(base)
            for b in brackets:
                b = b.strip()
                if re.fullmatch(r"[A-Z0-9][A-Za-z0-9 -]*", b) and plausible(b, base) and " " not in b:
                    acrs.append(b)
                elif is_title(b) and has_org_word(b):
                    bracket_names.append(b)
        if not names:
            log.add("COW: no usable name", f"{ioname}: {long}")
            continue
        names = [names[-1], *names[:-1], *bracket_names]
        out.append(Candidate(names, acrs, COW_FILE.name))
    return url, out


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def overlap(a: str, b: str) -> float:
    wa, wb = set(words(a)), set(words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def name_key(name: str) -> str:
    """``fold`` without a leading "secretariat of": the Secretariat of the Pacific Community is the
    Pacific Community."""
    return re.sub(r"^(permanent )?secretariat of (the )?", "", fold(name))


def merge(cands: list[Candidate], log: Log) -> list[Group]:
    """Merge candidates that share a name (after ``name_key``) or an acronym with names that share at least
    half of the shorter name's words. An acronym already held by a different organization is dropped
    from the later candidate."""
    groups: list[Group] = []
    by_name: dict[str, Group] = {}
    by_acr: dict[str, Group] = {}
    for cand in cands:
        target = next((by_name[name_key(n)] for n in cand.names if name_key(n) in by_name), None)
        if target is None:
            for a in cand.acronyms:
                g = by_acr.get(a.upper())
                if g and max(overlap(n, m) for n in cand.names for m in g.names) >= 0.5:
                    target = g
                    break
        if target is None:
            target = Group()
            groups.append(target)
        kept = []
        for a in cand.acronyms:
            holder = by_acr.get(a.upper())
            if holder is not None and holder is not target:
                log.add("acronym held by another new organization (dropped)", f"{a}: {cand.names[0]}")
            else:
                kept.append(a)
        cand = Candidate(cand.names, kept, cand.source)
        target.add(cand)
        for n in cand.names:
            by_name.setdefault(name_key(n), target)
        for a in kept:
            by_acr.setdefault(a.upper(), target)
    return groups


def kind_of(name: str, regional_source: bool) -> str:
    """``ifi`` for banks, funds, financing and investment bodies; ``un_body`` for names that start with "United Nations" or "UN";
    ``forum`` for fora, dialogues, processes, groups, initiatives, movements, partnerships and names
    ending in "Cooperation" that have no word for a standing body; ``regional`` for the rest whose name
    has a geographic word or that a page about regional organizations lists; ``other`` for the rest
    (global technical bodies, commodity study groups)."""
    low = name.lower()
    if IFI_PATTERNS.search(low):
        return "ifi"
    if re.match(r"(united nations|un) ", low):
        return "un_body"
    standing = re.search(
        r"\b(organi[sz]ation|community|union|council|commission|secretariat|association|"
        r"league|parliament|system|authority|agency|court)\b",
        low,
    )
    if FORUM_PATTERNS.search(name) and not standing:
        return "forum"
    if regional_source or any(
        part in GEO_WORDS for w in re.split(r"[\s,]+", low) for part in [w, *w.split("-")]
    ):
        return "regional"
    return "other"


def slug(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def main() -> int:
    log = Log()
    curated = read_tsv(CURATED)
    countries = read_tsv(COUNTRIES)
    ambiguous = read_tsv(AMBIGUOUS)
    if not curated or tuple(curated[0].keys()) != COLUMNS:
        print("organizations.tsv: unexpected columns", file=sys.stderr)
        return 1
    curated_ids = {r["org_id"] for r in curated}
    curated_terms: dict[str, str] = {}
    for r in curated:
        for t in [r["name"], *filter(None, r["aliases"].split("|"))]:
            curated_terms[fold(t)] = r["org_id"]
    country_terms: set[str] = set()
    for r in countries:
        for col in ("name", "aliases", "demonyms"):
            country_terms.update(fold(t) for t in r[col].split("|") if t)
    excluded_terms = {fold(r["term"]) for r in ambiguous if r["kind"] == "excluded"}

    sources: list[tuple[str, str, int]] = []
    cands: list[Candidate] = []
    for fname in PAGE_FILES:
        url, found = parse_page(RAW / fname, log)
        sources.append((fname, url, len(found)))
        cands.extend(found)
    url, found = parse_cow(log)
    sources.append((COW_FILE.name, url, len(found)))
    cands.extend(found)

    # Former names of curated organizations count as the curated organization.
    for c in cands:
        for n in c.names:
            oid = FORMER_NAMES_OF_CURATED.get(n)
            if oid:
                curated_terms.setdefault(fold(n), oid)

    for c in cands:
        c.names = [" ".join(SPELLING.get(w, w) for w in n.split()) for n in c.names]
        if c.names[0] in SAME_AS:
            c.names.insert(0, SAME_AS[c.names[0]])
    for c in [c for c in cands if set(c.names) & NOT_ORGANIZATIONS]:
        log.add("not an organization (left out)", c.names[0])
        cands.remove(c)
    groups = merge(cands, log)
    for g in groups:  # the organization's own name rather than its secretariat's
        plain = [n for n in g.names if name_key(n) == fold(n)]
        if plain and plain[0] != g.names[0]:
            g.names.remove(plain[0])
            g.names.insert(0, plain[0])
    kept: list[Group] = []
    for g in groups:
        hit = next((curated_terms[fold(t)] for t in g.names + g.acronyms if fold(t) in curated_terms), None)
        if hit:
            log.add("already in organizations.tsv (left out)", f"{g.names[0]} -> {hit}")
            continue
        if any(fold(n) in country_terms for n in g.names):
            log.add("name is a country term (left out)", g.names[0])
            continue
        kept.append(g)

    # Names are reserved first, so that no alias repeats another organization's name.
    world_names = {fold(g.names[0]): g for g in kept}
    alias_owner: dict[str, Group] = {}
    rows: list[dict[str, str]] = []
    used_ids = set(curated_ids)
    final_aliases: dict[int, list[str]] = {}
    for g in kept:
        aliases: list[str] = []
        for a in g.names[1:] + g.acronyms:
            key = fold(a)
            is_acr = a not in g.names
            alnum = re.sub(r"[^A-Za-z0-9]", "", a)
            if key in {fold(x) for x in aliases} or key == fold(g.names[0]):
                continue
            if is_acr and len(alnum) <= 2:
                log.add("acronym of two letters or fewer", f"{a} ({g.names[0]})")
            elif is_acr and a.upper() in RESERVED_ACRONYMS:
                log.add("acronym reserved by the curated file's decisions", f"{a} ({g.names[0]})")
            elif is_acr and a.upper() in ENGLISH_WORD_ACRONYMS:
                log.add("acronym is an ordinary English word (or otherwise unsafe)", f"{a} ({g.names[0]})")
            elif key in excluded_terms:
                log.add("alias excluded in ambiguous.tsv", f"{a} ({g.names[0]})")
            elif key in country_terms:
                log.add("alias is a country name, alias or demonym", f"{a} ({g.names[0]})")
            elif key in curated_terms:
                log.add(
                    "alias belongs to a curated organization", f"{a} ({g.names[0]} / {curated_terms[key]})"
                )
            elif (key in world_names and world_names[key] is not g) or (
                key in alias_owner and alias_owner[key] is not g
            ):
                log.add("alias of another new organization (dropped)", f"{a} ({g.names[0]})")
            else:
                aliases.append(a)
                alias_owner[key] = g
        final_aliases[id(g)] = aliases

    for g in kept:
        aliases = final_aliases[id(g)]
        acr = next((a for a in aliases if a in g.acronyms), "")
        base = slug(acr) if acr else "_".join(slug(w) for w in words(g.names[0])[:5])
        oid, suffix = base, 2
        while oid in used_ids:
            oid, suffix = f"{base}_{suffix}", suffix + 1
        used_ids.add(oid)
        rows.append(
            {
                "org_id": oid,
                "name": g.names[0],
                "aliases": "|".join(aliases),
                "kind": kind_of(g.names[0], bool(REGIONAL_SOURCES & set(g.sources))),
                "country_iso3": "",
                "parent": "",
                "_src": ",".join(g.sources),
            }
        )

    by_fold = {fold(r["name"]): r for r in rows}
    for child, parent, note in PARENT_STATED:
        if fold(child) in by_fold and fold(parent) in by_fold:
            by_fold[fold(child)]["parent"] = by_fold[fold(parent)]["org_id"]
            print(f"parent: {by_fold[fold(child)]['org_id']} -> {by_fold[fold(parent)]['org_id']} ({note})")
    rows.sort(key=lambda r: r["org_id"])

    errors = check(rows, curated, country_terms)
    for e in errors:
        print("CHECK FAILED:", e, file=sys.stderr)
    if errors:
        return 1
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([r[c] for c in COLUMNS])

    print(f"wrote {OUT.relative_to(DATA.parent.parent)}: {len(rows)} rows")
    print("kinds:", dict(Counter(r["kind"] for r in rows).most_common()))
    print("rows by first source:", dict(Counter(r["_src"].split(",")[0] for r in rows).most_common()))
    for fname, url, count in sources:
        print(f"source {fname}: {count} candidates <{url}>")
    for rule, items in log.entries.items():
        print(f"\n[{rule}] {len(items)}")
        for it in items:
            print("  ", it)
    return 0


def check(rows: list[dict[str, str]], curated: list[dict[str, str]], country_terms: set[str]) -> list[str]:
    """Columns, unique org_id across both files, kinds, no tab or newline in a field, no alias or name
    shared by two organizations across both files (case-insensitive, accents folded), no alias that is
    a country name, alias or demonym."""
    errors: list[str] = []
    ids = Counter([r["org_id"] for r in curated] + [r["org_id"] for r in rows])
    errors += [f"duplicate org_id {i}" for i, n in ids.items() if n > 1]
    owner: dict[str, str] = {}
    for r in curated:
        for t in [r["name"], *filter(None, r["aliases"].split("|"))]:
            owner.setdefault(fold(t), r["org_id"])
    seen: dict[str, str] = {}
    for r in rows:
        if set(COLUMNS) - set(r):
            errors.append(f"{r['org_id']}: missing columns")
        if r["kind"] not in KINDS:
            errors.append(f"{r['org_id']}: kind {r['kind']}")
        if not re.fullmatch(r"[a-z0-9_]+", r["org_id"]):
            errors.append(f"{r['org_id']}: org_id is not a lowercase slug")
        if any(("\t" in r[c] or "\n" in r[c]) for c in COLUMNS):
            errors.append(f"{r['org_id']}: tab or newline in a field")
        for t in [r["name"], *filter(None, r["aliases"].split("|"))]:
            k = fold(t)
            if k in owner:
                errors.append(f"{r['org_id']}: {t!r} is also in organizations.tsv ({owner[k]})")
            if k in seen and seen[k] != r["org_id"]:
                errors.append(f"{r['org_id']}: {t!r} is also used by {seen[k]}")
            seen[k] = r["org_id"]
        for t in filter(None, r["aliases"].split("|")):
            if fold(t) in country_terms:
                errors.append(f"{r['org_id']}: alias {t!r} is a country term")
    return errors


if __name__ == "__main__":
    sys.exit(main())
