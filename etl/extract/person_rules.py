"""A pack's persons.toml compiled: the patterns and word sets persons.py reads around a person's name, with
their speed machinery (the reversed clause break, the anchored title tests' widths and last pieces, the
Aho-Corasick office-word scan). Read through `rules.Rules.persons`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from etl.extract import place_words
from etl.extract.keywords import Unsupported, WordScanner, expand, max_width
from etl.extract.pack import Pack

# The shape of a name word in Latin script (the engine's, not a language's): a capitalised word, initials
# ("K.D."), or a word in capitals. Its first character is factored out of the alternatives, so that `re`
# skips straight to upper-case letters.
UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
WORD = rf"(?:[{UPPER}](?:[\w'’\-]*[\w]|\.(?:\s?[{UPPER}]\.)*|[{UPPER}]+))"


@dataclass(frozen=True, slots=True, eq=False)
class PersonRules:
    """One pack's person phrasing, compiled (compared by identity: memo caches key on it)."""

    title_words: str  # the alternation of office titles (people.py, tests)
    run: re.Pattern[str]  # a run of capitalised name words, with particles
    spaced_run: re.Pattern[str]  # what every `run` match with white space in it contains
    title_end: re.Pattern[str]  # a title or honorific, then only white space and commas
    title_width: int | None  # how far before the end a `title_end` match can start
    title_pieces: tuple[str, ...] | None  # how the last word of a `title_end` match ends
    title_start: re.Pattern[str]
    title_lead: re.Pattern[str]
    honorific_word: re.Pattern[str]
    trailing_honorifics: re.Pattern[str]
    honorific_width: int | None
    honorific_pieces: tuple[str, ...] | None
    has_title: Callable[[str], bool]  # `any_title` as a yes/no answer
    of_place: re.Pattern[str]
    role_end: re.Pattern[str]
    trailing_and: re.Pattern[str]
    possessive: tuple[str, ...]
    clause_break: re.Pattern[str]
    clause_break_reversed: re.Pattern[str]  # `clause_break` on the reversed text
    conjunctions: tuple[str, ...]
    conjunction_ends: tuple[str, ...]  # `conjunctions` and "&": what `ends_with_conjunction` ends with
    ends_with_conjunction: re.Pattern[str]
    leading_conjunction: re.Pattern[str]
    edge_particles: frozenset[str]
    not_name: frozenset[str]  # with the gazetteer's place words (etl/data/place_words.toml)
    not_name_suffix: re.Pattern[str]
    months: frozenset[str]
    entity_heads: frozenset[str]
    role_line: re.Pattern[str]  # people.py
    role_line_posted_before: re.Pattern[str]
    titled: re.Pattern[str]  # titled.py: a title's last word and a family name (group `name`)
    titled_needs_before: dict[str, re.Pattern[str]]
    titled_not_names: frozenset[str]


def compile_persons(pack: Pack) -> PersonRules:
    """The person patterns of `pack` (its persons.toml)."""
    ph = pack.persons
    titles, honorifics, particle = (
        ph.source("title_words"),
        ph.source("honorifics"),
        f"(?:{ph.source('particle')})",
    )
    title_or_honorific = rf"(?:\b(?:{titles})|(?:{honorifics}))"
    trailing = f"(?:{ph.source('trailing_honorific')})"
    clause_words = ph.words_of("clause_words")
    starts = "|".join(ph.words_of("clause_conjunctions"))
    # `clause_break` for the reversed text, where its first match is the last one in the text: its matches
    # cannot overlap, so the last one ends furthest right. Only for text that does not end in white space,
    # where ",(?!\s*$)" is any comma but a last character.
    reversed_starts = "|".join(word[::-1] for word in ph.words_of("clause_conjunctions"))
    conjunctions = ph.words_of("conjunctions")
    conjunction_end = "|".join(rf"\b{word}" for word in conjunctions)
    return PersonRules(
        title_words=titles,
        run=re.compile(rf"{WORD}(?:\s+(?:{particle}\s+)*{WORD})*"),
        spaced_run=re.compile(rf"[{UPPER}]\S*\s+(?:{particle}\s+)*[{UPPER}]"),
        title_end=re.compile(rf"{title_or_honorific}[\s,]*$"),
        title_width=max_width(title_or_honorific),
        title_pieces=_last_pieces(f"(?:{titles}|{honorifics})"),
        title_start=ph.compile("title_start"),
        title_lead=ph.compile("title_lead"),
        honorific_word=re.compile(rf"^(?:{honorifics})$"),
        trailing_honorifics=re.compile(rf"(?:\s*{trailing})+\s*$"),
        honorific_width=max_width(trailing),
        honorific_pieces=_last_pieces(trailing),
        has_title=_any_title_scan(ph.source("any_title")),
        of_place=ph.compile("of_place"),
        role_end=ph.compile("role_end"),
        trailing_and=ph.compile("trailing_and"),
        possessive=ph.words_of("possessive"),
        clause_break=re.compile(rf"[;:—–]|,(?!\s*$)|^\s*(?:{starts})\b|\b(?:{'|'.join(clause_words)})\b"),
        clause_break_reversed=re.compile(
            rf"[;:—–]|(?!\A),|\b(?:{reversed_starts})\s*\Z|\b(?:{'|'.join(w[::-1] for w in clause_words)})\b"
        ),
        conjunctions=conjunctions,
        conjunction_ends=(*conjunctions, "&"),
        ends_with_conjunction=re.compile(rf"(?:{conjunction_end}|&)$"),
        leading_conjunction=re.compile(rf"^(?:{'|'.join(conjunctions)})\s+"),
        edge_particles=frozenset(ph.words_of("edge_particles")),
        not_name=frozenset(ph.words_of("not_name")) | place_words.NOT_NAME,
        not_name_suffix=ph.compile("not_name_suffix"),
        months=frozenset(ph.words_of("name_months")),
        entity_heads=frozenset(ph.words_of("entity_heads")),
        role_line=ph.compile("role_line"),
        role_line_posted_before=ph.compile("role_line_posted_before"),
        titled=ph.compile("titled"),
        titled_needs_before=ph.table_of("titled_needs_before"),
        titled_not_names=frozenset(ph.words_of("titled_not_names")),
    )


def _any_title_scan(words: str) -> Callable[[str], bool]:
    r"""`\b(?:words)\b` search as a yes/no answer, by one Aho-Corasick pass where it can be reproduced."""
    try:
        scanner = WordScanner([("title", [words])])
    except Unsupported:
        pattern = re.compile(rf"\b(?:{words})\b")
        return lambda text: pattern.search(text) is not None
    return lambda text: bool(scanner.finditer(text))


def _last_pieces(pattern: str) -> tuple[str, ...] | None:
    """The end, after its last white space, of every way `pattern` (an alternation of titles or honorifics)
    can be written: a text that ends with a match of it ends its last word with one of these. None when
    `expand` cannot list the ways."""
    try:
        variants = expand(pattern.replace(r"\s?", "(?: )?").replace(r"\s", " "))
    except Unsupported:
        return None
    return tuple(sorted({variant.text.rsplit(" ", 1)[-1] for variant in variants}))
