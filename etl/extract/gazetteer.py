"""The gazetteers (countries, organizations, office holders) and one Aho-Corasick pass that finds them.

Data files live in etl/data/ with their sources in etl/data/README.md. Matching is case-sensitive on whole
words, leftmost-longest, so a country's full name ("Republic of <X>") beats a shorter one inside it ("<X>") and "UNDP" is not found inside "UNDPs".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import ahocorasick

from etl.extract import place_words

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    name: str
    region: str | None = None
    subregion: str | None = None


@dataclass(frozen=True, slots=True)
class Organization:
    org_id: str
    name: str
    kind: str
    country_iso3: str | None
    parent: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OfficeHolder:
    name: str
    country_iso3: str
    office: str
    start: date | None
    end: date | None

    def in_office(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Hit:
    """One gazetteer match in a text: `kind` is country, demonym, capital, org or person."""

    start: int
    end: int
    kind: str
    key: str  # iso3, org_id, or the office holder's canonical name
    surface: str


# Words that look like a demonym or a country but are something else in these texts (etl/data/place_words.toml).
_FALSE_FOLLOWERS = place_words.FALSE_FOLLOWERS


def _split(field: str) -> list[str]:
    return [part.strip() for part in field.split("|") if part.strip()]


def _read(name: str) -> list[dict[str, str]]:
    path = DATA / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _organization_rows() -> list[dict[str, str]]:
    """The curated organizations, then those of the world list (organizations_world.tsv, built by
    etl/data/build/organizations.py from public lists) under ids and names the curated file does not have."""
    curated = _read("organizations.tsv")
    if not (DATA / "organizations_world.tsv").exists():
        return curated
    ids = {row["org_id"].strip() for row in curated}
    names = {
        name.casefold() for row in curated for name in [row["name"].strip(), *_split(row.get("aliases", ""))]
    }
    return curated + [
        row
        for row in _read("organizations_world.tsv")
        if row["org_id"].strip() not in ids
        and not names.intersection(
            n.casefold() for n in [row["name"].strip(), *_split(row.get("aliases", ""))]
        )
    ]


def _holder_rows() -> list[dict[str, str]]:
    """The curated office holders, then those of the world list (officeholders_world.tsv, built by
    etl/data/build/officeholders.py from public lists) whom the curated file does not know under any name:
    where both have a person, the curated row, checked by hand, wins."""
    curated = _read("officeholders.tsv")
    known = {name for row in curated for name in [row["name"].strip(), *_split(row.get("variants", ""))]}
    world = _read("officeholders_world.tsv") if (DATA / "officeholders_world.tsv").exists() else []
    return curated + [
        row
        for row in world
        if row["name"].strip() not in known and not known.intersection(_split(row.get("variants", "")))
    ]


def _parse_date(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return date(parts[0], parts[1], parts[2])


class Gazetteer:
    """Loaded once per process; `find` is pure and thread-safe (the automaton is read-only)."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.organizations: dict[str, Organization] = {}
        self.holders: dict[str, list[OfficeHolder]] = {}
        self.holder_rows: list[OfficeHolder] = []
        self.holders_by_family: dict[str, list[OfficeHolder]] = {}
        self.holder_variants: dict[str, str] = {}
        self.demonym_of: dict[str, str] = {}
        self.country_names: dict[str, list[str]] = {}
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, str]]] = {}

        def add(surface: str, kind: str, key: str) -> None:
            if len(surface) < 2:
                return
            # releases use both straight and curly apostrophes; the data files use straight ones
            for variant in {surface, surface.replace("'", "’")}:
                entries.setdefault(variant, [])
                if (kind, key) not in entries[variant]:
                    entries[variant].append((kind, key))

        for row in _read("countries.tsv"):
            iso3 = row["iso3"].strip()
            self.countries[iso3] = Country(
                iso3,
                row["name"].strip(),
                (row.get("region") or "").strip() or None,
                (row.get("subregion") or "").strip() or None,
            )
            for surface in [row["name"], *_split(row.get("aliases", ""))]:
                add(surface.strip(), "country", iso3)
                self.country_names.setdefault(iso3, []).append(surface.strip())
            for demonym in _split(row.get("demonyms", "")):
                add(demonym, "demonym", iso3)
                self.demonym_of[demonym] = iso3
            for capital in _split(row.get("capital", "")):
                add(capital, "capital", iso3)
        for row in _organization_rows():
            aliases = tuple(_split(row.get("aliases", "")))
            org = Organization(
                org_id=row["org_id"].strip(),
                name=row["name"].strip(),
                kind=row.get("kind", "").strip(),
                country_iso3=row.get("country_iso3", "").strip() or None,
                parent=row.get("parent", "").strip() or None,
                aliases=aliases,
            )
            self.organizations[org.org_id] = org
            for surface in [org.name, *aliases]:
                add(surface, "org", org.org_id)
        from etl.extract.names import family_key

        for row in _holder_rows():
            holder = OfficeHolder(
                name=row["name"].strip(),
                country_iso3=row["country_iso3"].strip(),
                office=row["office"].strip(),
                start=_parse_date(row.get("start", "")),
                end=_parse_date(row.get("end", "")),
            )
            self.holders.setdefault(holder.name, []).append(holder)
            self.holder_rows.append(holder)
            self.holders_by_family.setdefault(family_key(holder.name), []).append(holder)
            for variant in [holder.name, *_split(row.get("variants", ""))]:
                self.holder_variants.setdefault(variant, holder.name)
                # one-word variants (a family name alone) are ambiguous across people: resolution only, no detection
                if " " in variant.strip():
                    add(variant, "person", holder.name)
        for surface, values in entries.items():
            self._automaton.add_word(surface, (surface, tuple(values)))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Whole-word, leftmost-longest, non-overlapping matches."""
        raw: list[tuple[int, int, str, tuple[tuple[str, str], ...]]] = []  # (start, -length, ...)
        n = len(text)
        for end_index, (surface, values) in self._automaton.iter(text):
            length = len(surface)
            start = end_index - length + 1
            if start > 0:
                before = text[start - 1]
                if before.isalnum() or before in "-_":
                    continue
            end = end_index + 1
            if end < n:
                after = text[end]
                if after.isalnum() or (after == "-" and end + 1 < n and text[end + 1].isalpha()):
                    continue
            raw.append((start, -length, surface, values))
        raw.sort()  # by start, longest first (two surfaces of one length cannot both start at one offset)
        hits: list[Hit] = []
        last_end = -1
        for start, negative_length, surface, values in raw:
            if start < last_end:
                continue
            end = start - negative_length
            followers = _FALSE_FOLLOWERS.get(surface)
            if followers and text[end : end + 12].lstrip().startswith(followers):
                continue
            kind, key = values[0]
            hits.append(Hit(start, end, kind, key, surface))
            last_end = end
        return hits

    def holder(self, name: str, day: date | None = None) -> OfficeHolder | None:
        """The office held by a person known under `name`: the one held on `day`, else the latest."""
        return _holder(self, name, day)

    def _holder(self, name: str, day: date | None) -> OfficeHolder | None:
        canonical = self.holder_variants.get(name)
        rows = self.holders.get(canonical, []) if canonical else []
        if not rows:
            return None
        if day is not None:
            current = [h for h in rows if h.in_office(day)]
            if current:
                return current[0]
        return max(rows, key=lambda h: h.start or date.min)

    def holder_by_family(self, name: str, country: str | None, day: date) -> OfficeHolder | None:
        """The office holder a family name refers to, when exactly one fits country, date and the first
        names given, if any ("Omar Haddad" is not President Karim Haddad)."""
        return _holder_by_family(self, name, country, day)

    def _holder_by_family(self, name: str, country: str | None, day: date) -> OfficeHolder | None:
        from etl.extract.names import family_key, same_person_possible

        options = [
            h
            for h in self.holders_by_family.get(family_key(name), [])
            if (country is None or h.country_iso3 == country)
            and h.in_office(day)
            and same_person_possible(name, h.name)
        ]
        names = {h.name for h in options}
        return options[0] if len(names) == 1 else None

    def leaders(self, country: str, day: date, offices: tuple[str, ...]) -> list[OfficeHolder]:
        return [
            h
            for h in self.holder_rows
            if h.country_iso3 == country and h.office in offices and h.in_office(day)
        ]


@lru_cache(maxsize=65536)
def _holder(gaz: Gazetteer, name: str, day: date | None) -> OfficeHolder | None:
    """`Gazetteer.holder`, cached: a release asks after the same names and day again and again."""
    return gaz._holder(name, day)


@lru_cache(maxsize=65536)
def _holder_by_family(gaz: Gazetteer, name: str, country: str | None, day: date) -> OfficeHolder | None:
    """`Gazetteer.holder_by_family`, cached for the same reason."""
    return gaz._holder_by_family(name, country, day)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
