"""No country- or person-specific knowledge in extraction code: countries, demonyms, capitals and office
holders live in data files (etl/data/, the language packs), never in etl/**/*.py, comments and docstrings
included. Examples in prose are written generically ("the Ambassador of <country>")."""

from __future__ import annotations

import csv
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "etl" / "data"

# Names in the data that are also ordinary English words used as such in code would be listed here, each
# with its reason. None is needed: the place words the rules use live in etl/data/place_words.toml.
ORDINARY_WORDS: set[str] = set()


def _words() -> set[str]:
    words: set[str] = set()
    with (DATA / "countries.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            for column in ("name", "aliases", "demonyms", "capital"):
                words.update(w.strip() for w in (row[column] or "").split("|"))
    with (DATA / "officeholders.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            words.add(row["name"].strip())
    return {w for w in words if w} - ORDINARY_WORDS


def _code_files() -> list[Path]:
    build = REPO / "etl" / "data" / "build"
    return [p for p in sorted((REPO / "etl").rglob("*.py")) if build not in p.parents]


def _as_words(line: str) -> str:
    """A line with a regular expression's white space (`\\s+`, `\\s`, `[- ]`) read as a space, so that
    `Sri\\s+Lanka` in a pattern is seen as the name it spells."""
    return _REGEX_SPACE.sub(" ", line)


_REGEX_SPACE = re.compile(r"\\s[+*]?|\[- \]")


def test_extraction_code_names_no_country_demonym_capital_or_person() -> None:
    words = sorted(_words(), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")
    found = [
        f"{path.relative_to(REPO)}:{n}: {m.group(0)!r}"
        for path in _code_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for m in pattern.finditer(_as_words(line))
    ]
    assert not found, "country, demonym, capital or person named in code:\n" + "\n".join(found)


def test_the_check_sees_a_country_name() -> None:
    pattern = re.compile(r"(?<![\w-])(?:Sri Lanka|Kyrgyz)(?![\w-])")
    assert pattern.search('_PLACE_WORDS = {"Sri Lanka", "Kyrgyz"}')
    assert pattern.search(_as_words(r"(?:Sri\s+Lankan?|Kyrgyz)"))
    assert {"Sri Lanka", "Kyrgyz"} <= _words()
