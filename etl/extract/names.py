"""Name normalisation shared by resolution and scoring: folding, title stripping, transliteration keys.

Every function is pure, and the busy ones are cached: the same names recur across sentences and releases.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")
# Patronymic and clan particles that belong to the family name, not after it (Central Asian "uulu"/"kyzy").
_TRAILING_PARTICLES = {"uulu", "kyzy"}
# Generational suffixes are no part of the family name: "<given> <family>, Jr." is "<given> <family>".
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Transliteration variants of the same Cyrillic/Turkic/Arabic sounds collapse to one key:
# -yoyev/-yoev, -ayev/-aev, Zh-/J-, -kh-/-h- (the rules below).
_TRANSLIT = (
    ("yo", "o"),
    ("ye", "e"),
    ("ya", "a"),
    ("yu", "u"),
    ("iy", "i"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ts", "c"),
    ("y", "i"),
    ("w", "v"),
    ("ou", "u"),
    ("ph", "f"),
)
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII with punctuation collapsed to single spaces: 'Doğan' -> 'dogan'."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("&", " and "))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_WORD.sub(" ", ascii_text).strip()


@lru_cache(maxsize=1)
def _honorifics() -> re.Pattern[str]:
    """The honorifics of every pack's persons.toml (`name_honorifics`), at the start of a name, once each.

    Every pack's, not the release's language's: a name's key must not depend on the language that named
    it (one person named in two languages is one entity), and scoring compares names with no language."""
    from etl.extract import pack  # on first use, not at import: loading a pack reads files

    sources = [pack.load(lang).persons.source("name_honorifics") for lang in pack.languages()]
    return re.compile(rf"^(?:(?:{'|'.join(sources)})\s+)+", re.IGNORECASE)


@lru_cache(maxsize=65536)
def strip_honorifics(name: str) -> str:
    """'H.E. Mr. Eric Walsh' -> 'Eric Walsh'."""
    return _honorifics().sub("", name.strip()).strip()


@lru_cache(maxsize=65536)
def translit_key(word: str) -> str:
    """A spelling-tolerant key for one name word."""
    key = fold(word).replace(" ", "")
    for a, b in _TRANSLIT:
        key = key.replace(a, b)
    return _DOUBLE.sub(r"\1", key)


@lru_cache(maxsize=65536)
def _name_words(name: str) -> list[str]:
    """The folded words of a name, without honorifics and without a generational suffix ("Jr.")."""
    words = fold(strip_honorifics(name)).split()
    while len(words) >= 2 and words[-1] in _SUFFIXES:
        words.pop()
    return words


def family_name(name: str) -> str:
    """The family name of a person's name as written: the last word, with a trailing particle kept."""
    words = _name_words(name)
    if not words:
        return ""
    if len(words) >= 2 and words[-1] in _TRAILING_PARTICLES:
        return " ".join(words[-2:])
    return words[-1]


@lru_cache(maxsize=65536)
def family_key(name: str) -> str:
    """What persons are scored and merged on: the transliteration key of the family name."""
    return " ".join(translit_key(w) for w in family_name(name).split())


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """Entity key of a person: family key plus first initial, so 'Ahmet Demir' = 'Ahmet Tarik Demir'."""
    words = _name_words(name)
    initial = translit_key(words[0])[:1] if len(words) > 1 else ""
    return f"{family_key(name)}|{initial}"


@lru_cache(maxsize=65536)
def given_names(name: str) -> tuple[str, ...]:
    """Transliteration keys of the words before the family name; empty for a bare family name."""
    words = _name_words(name)
    family = family_name(name).split()
    return tuple(k for k in (translit_key(w) for w in words[: len(words) - len(family)]) if k)


def same_person_possible(a: str, b: str) -> bool:
    """Can two names with the same family name be one person? Not when both give first names and none
    of them agree (spellings with the same start, or an initial): 'Omar Haddad' is not 'Karim Haddad', 'Adel
    Nasser' is not 'Samir Nasser', but 'Tarik Demir' may be 'Ahmet Tarik Demir', 'A. Demir' too."""
    first_a, first_b = given_names(a), given_names(b)
    if not first_a or not first_b:
        return True
    return any(_agree(x, y) for x in first_a for y in first_b)


def _agree(x: str, y: str) -> bool:
    """Two given-name keys of one person: an initial and its name, or spellings that share their start
    ("sirodjiddin" and "sirojiddin", "mohammed" and "mohamad")."""
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return x[:3] == y[:3]
