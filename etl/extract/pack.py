"""Language packs: the phrasing extraction reads (triggers, negative contexts, the topic lexicon), as data.

A pack is a folder `etl/extract/packs/<lang>/` (see packs/README.md). `load(lang)` reads and validates it
once and returns a frozen `Pack`; the engine compiles its patterns. Patterns are Python regular expressions
kept as data, each an ordered list of alternatives that the engine joins with "|".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from etl.extract.phrases import SCHEMA, Phrases, load_phrases

PACKS = Path(__file__).resolve().parent / "packs"
DEFAULT_LANG = "en"


@dataclass(frozen=True, slots=True)
class Phrase:
    """A pattern as data: its alternatives, in order, and whether it ignores case."""

    alternatives: tuple[str, ...]
    ignore_case: bool = True

    @property
    def source(self) -> str:
        return "|".join(self.alternatives)

    def compile(self) -> re.Pattern[str]:
        return re.compile(self.source, re.IGNORECASE if self.ignore_case else 0)


# The date kinds the engine resolves (etl/extract/dates.py), in the order their patterns are tried.
DATE_KINDS = ("iso", "relative", "range_dm", "range_md", "dm", "md", "the_nth", "weekday")


@dataclass(frozen=True, slots=True)
class DateWords:
    """A pack's dates.toml: the date patterns by kind and the words the engine resolves."""

    patterns: tuple[
        tuple[str, str, bool], ...
    ]  # (kind, source with its fragments in, ignore case) in `DATE_KINDS`
    months: dict[str, int]  # month names and abbreviations (lower case) -> 1..12
    weekdays: tuple[str, ...]  # lower case, Monday first
    weekday_ahead: tuple[str, ...]  # a weekday match starting with one of these is ahead
    relative_days: dict[str, int]  # a relative date (lower case, single spaces) -> days from the day written
    month_starts: tuple[str, ...]
    date_words: tuple[str, ...]
    any_date: str
    ordinal: str
    future: Phrase
    past: Phrase  # an engagement told in the past: a day number or weekday after it is behind
    not_future_before: str  # before a future word that speaks of something else ("which will")
    not_past_before: str  # before a past word that is no past ("will be held")
    pinned_today: str


@dataclass(frozen=True, slots=True)
class Pack:
    lang: str
    stems: tuple[str, ...]  # every trigger contains one (lower case)
    kinds: tuple[tuple[str, Phrase], ...]  # engagement kinds in priority order
    prepared: str  # an event only being prepared, before its mention
    visit_words: Phrase  # an official trip, by a keyword
    visit_being_in: str  # an official trip, "is in <Place>"
    visit_being_in_lower: str  # case-sensitive pre-test of `visit_being_in` on lower-cased text
    not_trip: Phrase
    private_trip: Phrase
    greeting_from: Phrase  # the text before an absent sender's name
    deceased: Phrase  # the text before a deceased's name
    abbreviation: Phrase  # an abbreviation's dot, removed before `greeting_from` and `deceased` read the text
    plan: Phrase  # a plan, not an engagement
    lexicon: Path  # the topic lexicon (topics.tsv)
    dates: DateWords
    parties: Phrases  # parties.toml: where a party stands, a diplomat, the principal, the venue
    publisher: Phrases  # publisher.toml: the publishing side of a release without a registry entry
    engagements: Phrases  # engagements.toml: what joins sentences, the medium, where and when, trip length
    persons: Phrases  # persons.toml: titles, honorifics and the words around a person's name
    companies: Phrases  # companies.toml: companies the gazetteer does not know, engaged as such
    topics: Phrases  # topics.toml: what is no topic's evidence (courtesy, attendance, office names)
    sentences: Phrases  # sentences.toml: the abbreviations whose dot ends no sentence


def _table(data: dict[str, Any], keys: set[str], where: str) -> dict[str, Any]:
    """`data`, checked to hold exactly `keys`."""
    missing, unknown = keys - data.keys(), data.keys() - keys
    if missing or unknown:
        raise ValueError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    return data


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{where}: a non-empty list of non-empty strings")
    return tuple(value)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}: a non-empty string")
    return value


def _phrase(value: Any, where: str, ignore_case: bool = True) -> Phrase:
    phrase = Phrase(_strings(value, where), ignore_case)
    try:
        phrase.compile()
    except re.error as error:
        raise ValueError(f"{where}: {error}") from error
    return phrase


def _pattern(value: Any, where: str, flags: int = re.IGNORECASE) -> str:
    source = _string(value, where)
    try:
        re.compile(source, flags)
    except re.error as error:
        raise ValueError(f"{where}: {error}") from error
    return source


def _numbers(value: Any, where: str) -> dict[str, int]:
    if not isinstance(value, dict) or not value or not all(isinstance(v, int) for v in value.values()):
        raise ValueError(f"{where}: a table of numbers")
    return dict(value)


def _dates(folder: Path) -> DateWords:
    where = f"{folder.name}/dates.toml"
    keys = {
        "weekdays",
        "weekday_ahead",
        "month_starts",
        "date_words",
        "any_date",
        "ordinal",
        "future",
        "past",
    }
    keys |= {"pinned_today", "ignore_case", "months", "relative_days", "fragments", "patterns"}
    keys |= {"not_future_before", "not_past_before"}
    data = _table(_read(folder / "dates.toml"), keys, where)
    fragments = data["fragments"]
    if not isinstance(fragments, dict) or not all(isinstance(v, str) for v in fragments.values()):
        raise ValueError(f"{where} [fragments]: a table of strings")
    table = _table(data["patterns"], set(DATE_KINDS), f"{where} [patterns]")
    ignore_case = set(_strings(data["ignore_case"], f"{where} ignore_case"))
    patterns = []
    for kind in DATE_KINDS:
        source = _string(table[kind], f"{where} patterns.{kind}")
        for name, fragment in fragments.items():
            source = source.replace("${" + name + "}", fragment)
        flags = re.IGNORECASE if kind in ignore_case else 0
        patterns.append((kind, _pattern(source, f"{where} patterns.{kind}", flags), kind in ignore_case))
    weekdays = _strings(data["weekdays"], f"{where} weekdays")
    if len(weekdays) != 7:
        raise ValueError(f"{where} weekdays: seven names")
    return DateWords(
        patterns=tuple(patterns),
        months=_numbers(data["months"], f"{where} [months]"),
        weekdays=weekdays,
        weekday_ahead=_strings(data["weekday_ahead"], f"{where} weekday_ahead"),
        relative_days=_numbers(data["relative_days"], f"{where} [relative_days]"),
        month_starts=_strings(data["month_starts"], f"{where} month_starts"),
        date_words=_strings(data["date_words"], f"{where} date_words"),
        any_date=_pattern(data["any_date"], f"{where} any_date"),
        ordinal=_pattern(data["ordinal"], f"{where} ordinal", 0),
        future=_phrase(data["future"], f"{where} future"),
        past=_phrase(data["past"], f"{where} past"),
        not_future_before=_pattern(data["not_future_before"], f"{where} not_future_before"),
        not_past_before=_pattern(data["not_past_before"], f"{where} not_past_before"),
        pinned_today=_pattern(data["pinned_today"], f"{where} pinned_today"),
    )


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ValueError(f"{path.parent.name}/{path.name}: missing")
    with path.open("rb") as f:
        try:
            return tomllib.load(f)
        except tomllib.TOMLDecodeError as error:  # a hand-edited pack: say which file
            raise ValueError(f"{path.parent.name}/{path.name}: not valid TOML ({error})") from error


def load(lang: str = DEFAULT_LANG, root: Path | None = None) -> Pack:
    """The pack of `lang` in `root` (default `PACKS`), validated: every key present, no unknown key, every
    pattern compiles."""
    return _load(lang, PACKS if root is None else root)


@lru_cache(maxsize=8)
def _load(lang: str, root: Path) -> Pack:
    folder = root / lang
    if not folder.is_dir():
        raise ValueError(f"no language pack {lang!r} in {root}")
    where = f"{folder.name}/triggers.toml"
    triggers = _table(_read(folder / "triggers.toml"), {"stems", "prepared", "kinds", "visit"}, where)
    kinds = []
    for i, entry in enumerate(triggers["kinds"]):
        entry = _table(entry, {"kind", "ignore_case", "alternatives"}, f"{where} kinds[{i}]")
        kinds.append(
            (
                _string(entry["kind"], f"{where} kinds[{i}].kind"),
                _phrase(entry["alternatives"], f"{where} kinds[{i}]", bool(entry["ignore_case"])),
            )
        )
    visit = _table(
        triggers["visit"],
        {"words", "being_in", "being_in_lower", "not_trip", "private_trip"},
        f"{where} [visit]",
    )
    where_neg = f"{folder.name}/negatives.toml"
    negatives = _table(
        _read(folder / "negatives.toml"), {"greeting_from", "deceased", "abbreviation", "plan"}, where_neg
    )
    topics = folder / "topics.tsv"
    if not topics.is_file():
        raise ValueError(f"{folder.name}/topics.tsv: missing")
    return Pack(
        lang=lang,
        stems=_strings(triggers["stems"], f"{where} stems"),
        kinds=tuple(kinds),
        prepared=_string(triggers["prepared"], f"{where} prepared"),
        visit_words=_phrase(visit["words"], f"{where} visit.words"),
        visit_being_in=_string(visit["being_in"], f"{where} visit.being_in"),
        visit_being_in_lower=_string(visit["being_in_lower"], f"{where} visit.being_in_lower"),
        not_trip=_phrase(visit["not_trip"], f"{where} visit.not_trip"),
        private_trip=_phrase(visit["private_trip"], f"{where} visit.private_trip"),
        greeting_from=_phrase(negatives["greeting_from"], f"{where_neg} greeting_from"),
        deceased=_phrase(negatives["deceased"], f"{where_neg} deceased"),
        abbreviation=_phrase(negatives["abbreviation"], f"{where_neg} abbreviation", ignore_case=False),
        plan=_phrase(negatives["plan"], f"{where_neg} plan"),
        lexicon=topics,
        dates=_dates(folder),
        **_phrase_files(folder),
    )


def _phrase_files(folder: Path) -> dict[str, Phrases]:
    """The pack's phrasing files (`phrases.SCHEMA`), by their `Pack` field."""
    return {name.removesuffix(".toml"): load_phrases(folder, name, _read(folder / name)) for name in SCHEMA}


def languages(root: Path | None = None) -> tuple[str, ...]:
    """The languages with a pack in `root` (default `PACKS`)."""
    folder = PACKS if root is None else root
    return tuple(sorted(p.name for p in folder.iterdir() if (p / "triggers.toml").is_file()))
