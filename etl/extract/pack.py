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
    plan: Phrase  # a plan, not an engagement
    topics: Path  # the topic lexicon (TSV)


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


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


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
    negatives = _table(_read(folder / "negatives.toml"), {"greeting_from", "deceased", "plan"}, where_neg)
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
        plan=_phrase(negatives["plan"], f"{where_neg} plan"),
        topics=topics,
    )


def languages(root: Path | None = None) -> tuple[str, ...]:
    """The languages with a pack in `root` (default `PACKS`)."""
    folder = PACKS if root is None else root
    return tuple(sorted(p.name for p in folder.iterdir() if (p / "triggers.toml").is_file()))
