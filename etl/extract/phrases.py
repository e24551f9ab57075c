"""A pack's phrasing files (`parties.toml`, ...): named patterns and word lists as data, validated on load.

Each file holds exactly the keys its `SCHEMA` entry names, each either a pattern (a Python regular
expression: a string, or a list of alternatives the engine joins with "|") or a list of words. In a pattern,
`${key}` stands for the pattern `key` of the same file (the engine reads it on its own too, as the party
nouns behind their reversed form), and `${place:name}` for the words `name` of the gazetteer's
etl/data/place_words.toml as an alternation (place words are the gazetteer's, never a pack's). `ignore_case`
lists the patterns matched without regard to case. The stage that reads a file compiles it, once per pack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl.extract import place_words

PATTERN = "pattern"
WORDS = "words"
NUMBERS = "numbers"  # a table of words and their numbers
TABLE = "table"  # a table of words and a pattern for each (case-sensitive, no `${...}`)

# The keys of each phrasing file, and what each holds. The engine reads exactly these.
SCHEMA: dict[str, dict[str, str]] = {
    "parties.toml": {
        "party_nouns": PATTERN,
        "party_after": PATTERN,
        "party_before_links": WORDS,
        "party_before_articles": WORDS,
        "party_before_government": WORDS,
        "destination_before": PATTERN,
        "list_entry_before": PATTERN,
        "talks_with_before": PATTERN,
        "home_between": PATTERN,
        "home_and": PATTERN,
        "represented": PATTERN,
        "diplomats_named": PATTERN,
        "org_party_after": PATTERN,
        "org_party_before": PATTERN,
        "org_subject": PATTERN,
        "org_subject_verb": PATTERN,
        "org_event_around": PATTERN,
        "chairing_before": PATTERN,
        "chairing_after": PATTERN,
        "strong_meeting": PATTERN,
        "domestic_role": PATTERN,
        "host_before": PATTERN,
        "posted_abroad": PATTERN,
        "ministry_role": PATTERN,
        "delegation_words": PATTERN,
        "article": PATTERN,
        "diplomat": PATTERN,
        "diplomat_parts": WORDS,
        "principal_ref": PATTERN,
        "pronoun_subject": PATTERN,
        "head_of_state": PATTERN,
        "own_words": PATTERN,
        "state_chair_before": PATTERN,
        "envoy_of_before": PATTERN,
        "first_person": PATTERN,
        "location_at": PATTERN,
        "principal_title": PATTERN,
        "list_verb": PATTERN,
        "listing_words": PATTERN,
        "honorific_dot": PATTERN,
        "portfolio": PATTERN,
        "sent_to_before": PATTERN,
        "country_list_gap": PATTERN,
    },
    "publisher.toml": {
        "leader_before": PATTERN,
        "leader_after": PATTERN,
        "diplomat_before": PATTERN,
        "diplomat_after": PATTERN,
        "posted_to_after": PATTERN,
        "title_word": PATTERN,
        "object_before": PATTERN,
        "title_object_before": PATTERN,
        "object_verbs": PATTERN,
        "title_leader_after": PATTERN,
        "dateline": PATTERN,
        "dateline_month": PATTERN,
        "lead_verb": PATTERN,
        "sentence_end": PATTERN,
        "envoy_to": PATTERN,
        "envoy_parts": WORDS,
    },
    "sentences.toml": {
        "abbreviations": WORDS,
    },
    "engagements.toml": {
        "held_on": PATTERN,
        "back_reference": PATTERN,
        "delegation_or_envoys": PATTERN,
        "home_diplomat": PATTERN,
        "medium": PATTERN,
        "trip_length": PATTERN,
        "trip_end": PATTERN,
        "arrival_before": PATTERN,
        "departure_before": PATTERN,
        "in_capital_before": PATTERN,
        "in_country_before": PATTERN,
        "resident_before": PATTERN,
        "coming": PATTERN,
        "later_occasion": PATTERN,
        "occasion_before": PATTERN,
        "at_event_before": PATTERN,
        "event_after": PATTERN,
        "trip_length_numbers": NUMBERS,
    },
    "persons.toml": {
        "title_words": PATTERN,
        "honorifics": PATTERN,
        "trailing_honorific": PATTERN,
        "any_title": PATTERN,
        "title_start": PATTERN,
        "title_lead": PATTERN,
        "role_end": PATTERN,
        "trailing_and": PATTERN,
        "of_place": PATTERN,
        "possessive": WORDS,
        "clause_words": WORDS,
        "clause_conjunctions": WORDS,
        "conjunctions": WORDS,
        "particle": PATTERN,
        "edge_particles": WORDS,
        "not_name": WORDS,
        "not_name_suffix": PATTERN,
        "name_months": WORDS,
        "entity_heads": WORDS,
        "role_line": PATTERN,
        "role_line_posted_before": PATTERN,
        "name_honorifics": PATTERN,
        "titled": PATTERN,
        "titled_needs_before": TABLE,
        "titled_not_names": WORDS,
    },
    "topics.toml": {
        "case_sensitive": WORDS,
        "courtesy": PATTERN,
        "attendance": PATTERN,
        "office_head": PATTERN,
        "offices_of": PATTERN,
        "offices_after_field": PATTERN,
        "office_name": PATTERN,
        "field_before": PATTERN,
    },
    "companies.toml": {
        "company": PATTERN,
        "title_heads": PATTERN,
        "titled_company": PATTERN,
        "possessive_country": PATTERN,
        "generic_org_words": WORDS,
        "list_lead": PATTERN,
        "list_gap": PATTERN,
    },
}


@dataclass(frozen=True, slots=True)
class Phrases:
    """One phrasing file of a pack: its patterns (fragments in) and word lists, by key."""

    where: str  # "<lang>/<file>", for messages
    sources: dict[str, str]
    words: dict[str, tuple[str, ...]]
    ignore_case: frozenset[str]
    numbers: dict[str, dict[str, int]]
    tables: dict[str, dict[str, str]]

    def source(self, key: str) -> str:
        return self.sources[key]

    def compile(self, key: str) -> re.Pattern[str]:
        """The pattern `key`, case-insensitive where the file says so."""
        return re.compile(self.sources[key], re.IGNORECASE if key in self.ignore_case else 0)

    def words_of(self, key: str) -> tuple[str, ...]:
        return self.words[key]

    def numbers_of(self, key: str) -> dict[str, int]:
        return self.numbers[key]

    def table_of(self, key: str) -> dict[str, re.Pattern[str]]:
        """The table `key`: its words and their patterns, compiled."""
        return {word: re.compile(source) for word, source in self.tables[key].items()}

    def fill(self, key: str, **values: str) -> str:
        """The pattern `key` with its run-time `${...}` (`RUNTIME`) filled in from `values`."""
        return fill_in(self.sources[key], values)


def fill_in(source: str, values: dict[str, str]) -> str:
    """`source` with its run-time `${name}` filled in from `values`."""
    for name, value in values.items():
        source = source.replace("${" + name + "}", value)
    return source


_REFERENCE = re.compile(r"\$\{(place:)?([\w]+)\}")
# Filled in by the engine as it runs (`Phrases.fill`), not on load: the home country's names.
RUNTIME = frozenset({"home"})


def load_phrases(folder: Path, name: str, data: dict[str, Any]) -> Phrases:
    """`data` (the TOML of `folder/name`) checked against `SCHEMA[name]`: every key present and no other,
    every pattern (its `${...}` filled in) compiling. Errors name the file and the key."""
    where = f"{folder.name}/{name}"
    schema = SCHEMA[name]
    keys = set(schema) | {"ignore_case"}
    missing, unknown = keys - data.keys(), data.keys() - keys
    if missing or unknown:
        raise ValueError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    ignore_case = data["ignore_case"]
    if not isinstance(ignore_case, list) or not all(isinstance(k, str) for k in ignore_case):
        raise ValueError(f"{where} ignore_case: a list of keys")
    strange = [k for k in ignore_case if schema.get(k) != PATTERN]
    if strange:
        raise ValueError(f"{where} ignore_case: not patterns of the file: {strange}")
    words: dict[str, tuple[str, ...]] = {}
    raw: dict[str, str] = {}
    numbers: dict[str, dict[str, int]] = {}
    tables: dict[str, dict[str, str]] = {}
    for key, kind in schema.items():
        value = data[key]
        if kind == TABLE:
            if (
                not isinstance(value, dict)
                or not value
                or not all(isinstance(v, str) for v in value.values())
            ):
                raise ValueError(f"{where} [{key}]: a table of words and their patterns")
            for word, source in value.items():
                try:
                    re.compile(source)
                except re.error as error:
                    raise ValueError(f"{where} [{key}] {word}: {error}") from error
            tables[key] = dict(value)
        elif kind == NUMBERS:
            if (
                not isinstance(value, dict)
                or not value
                or not all(isinstance(v, int) for v in value.values())
            ):
                raise ValueError(f"{where} [{key}]: a table of words and their numbers")
            numbers[key] = dict(value)
        elif kind == WORDS:
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
                raise ValueError(f"{where} {key}: a non-empty list of non-empty words")
            words[key] = tuple(value)
        elif isinstance(value, str) and value:
            raw[key] = value
        elif isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
            raw[key] = "|".join(value)
        else:
            raise ValueError(f"{where} {key}: a pattern (a string or a list of alternatives)")
    sources = {key: _filled(raw, key, where, ()) for key in raw}
    for key, source in sources.items():
        try:
            re.compile(
                fill_in(source, dict.fromkeys(RUNTIME, "(?!)")), re.IGNORECASE if key in ignore_case else 0
            )
        except re.error as error:
            raise ValueError(f"{where} {key}: {error}") from error
    return Phrases(where, sources, words, frozenset(ignore_case), numbers, tables)


def _filled(raw: dict[str, str], key: str, where: str, seen: tuple[str, ...]) -> str:
    """The pattern `key` with its `${...}` references filled in."""
    if key in seen:
        raise ValueError(f"{where} {key}: refers to itself through {' -> '.join(seen)}")

    def fill(m: re.Match[str]) -> str:
        if m.group(1):
            try:
                return place_words.alternation(m.group(2))
            except KeyError as error:
                raise ValueError(f"{where} {key}: no place words {m.group(2)!r}") from error
        if m.group(2) in RUNTIME:
            return m.group(0)
        if m.group(2) not in raw:
            raise ValueError(f"{where} {key}: no pattern {m.group(2)!r} to stand for ${{{m.group(2)}}}")
        return _filled(raw, m.group(2), where, (*seen, key))

    return _REFERENCE.sub(fill, raw[key])
