"""The place, people and institution words of etl/data/place_words.toml, loaded once at import."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "data" / "place_words.toml"

with PATH.open("rb") as _file:
    _DATA = tomllib.load(_file)


def _words(key: str) -> tuple[str, ...]:
    value = _DATA[key]
    return tuple(value.split()) if isinstance(value, str) else tuple(value)


PLACE = frozenset(_words("place"))
NAME_LIKE = frozenset(_words("name_like"))
NOT_NAME = frozenset(_words("not_name"))
HOME_DEMONYMS: tuple[str, ...] = _words("home_demonyms")
FALSE_FOLLOWERS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["false_followers"].items()}
TITLE_STATES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (iso3, tuple(titles)) for iso3, titles in _DATA["title_states"].items()
)


def alternation(key: str, space: str = r"\s+") -> str:
    """The words of `key` as a regular-expression alternation, in order, white space as `space`."""
    return "|".join(space.join(_escape(part) for part in word.split(" ")) for word in _words(key))


def _escape(word: str) -> str:
    """`re.escape`, hyphens left as they are (literal outside a class, and plainer for the pre-tests)."""
    return re.escape(word).replace("\\-", "-")


# The organization a publisher that is an international body speaks for ("EUU" -> "eu").
PUBLISHER_BODIES: dict[str, str] = dict(_DATA.get("publisher_bodies", {}))
