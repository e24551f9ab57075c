"""What the rules know of a release and of each sentence: the parties, sentences and drafts, the release
context, and the per-sentence analysis (triggers, gazetteer hits, dates) that every later stage reads."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from etl.extract import place_words
from etl.extract.dates import DateMention, find_dates, narrative_day
from etl.extract.gazetteer import Gazetteer, Hit
from etl.extract.sentences import split_sentences
from etl.extract.triggers import _triggers
from etl.records import Release, Span

if TYPE_CHECKING:
    from etl.extract.rules import Rules


@dataclass(slots=True)
class _Party:
    """A foreign party found in a sentence, before it becomes a counterpart."""

    kind: str  # person | organization | country
    key: str
    name: str
    country: str | None
    alias: str
    role: str | None
    span: Span
    org: tuple[str, str] | None = None  # (org_id, surface) of the organization a person speaks for


@dataclass(eq=False, slots=True)  # compared by identity: `in` tests on lists of sentences compare no fields
class _Sentence:
    index: int
    span: Span
    text: str
    hits: list[Hit]
    kinds: list[str]
    visit: bool
    dates: list[DateMention]
    parties: list[_Party] = field(default_factory=list)
    home_people: list[str] = field(default_factory=list)
    ours: list[str] = field(default_factory=list)  # people shown as ours by their role or the gazetteer
    unknown: list[tuple[str, Span]] = field(default_factory=list)  # named people of no stated side
    possible: int = -1  # `_filter(text)`: the patterns that may match it (all, unless computed)


@dataclass(slots=True)
class _Draft:
    kind: str
    day: date
    first: _Sentence
    sentences: list[_Sentence]
    parties: dict[str, _Party]


class _Context:
    """What the rules need to know about the release as a whole."""

    def __init__(self, release: Release, home: str | None, gaz: Gazetteer, rules: Rules) -> None:
        self.release = release
        self.rules = rules  # the release's language's (`rules.rules_for`)
        self.home = home
        self.gaz = gaz
        self.day = release.published_at.date()
        self.focus: str | None = None  # the foreign country the release is mostly about, if one dominates
        self.is_place = _place_test(gaz)
        self.home_sentences: frozenset[int] = frozenset()  # indices of sentences naming one of ours
        self.own_words = False  # the release is in the principal's own words (principal.own_words)
        # (offset, country) of each mention of a home envoy's posting ("<demonym> Ambassador to <country>")
        self.envoy_posts: tuple[tuple[int, str], ...] = ()

    @property
    def home_names(self) -> tuple[str, ...]:
        """The home country's names, longest first (for regexes)."""
        return _home_names(self.gaz, self.home)


@lru_cache(maxsize=64)
def _home_names(gaz: Gazetteer, home: str | None) -> tuple[str, ...]:
    if not home:
        return ()
    return tuple(sorted(gaz.country_names.get(home, []), key=len, reverse=True))


_PLACE_WORDS = place_words.PLACE


# Words of multi-word country names that are also given or family names (etl/data/place_words.toml).
_NAME_LIKE_PLACE_WORDS = place_words.NAME_LIKE


@lru_cache(maxsize=1)
def _place_test(gaz: Gazetteer) -> Callable[[str], bool]:
    """`is_place` for `find_persons`: one function per gazetteer, so that its answers can be cached."""
    known = _known_words(gaz)

    def is_place(word: str) -> bool:
        """A word of a country's, demonym's or organization's name: never part of a person's name."""
        return word in _PLACE_WORDS or word in known

    return is_place


@lru_cache(maxsize=1)
def _known_words(gaz: Gazetteer) -> frozenset[str]:
    words: set[str] = set(gaz.demonym_of)
    for names in gaz.country_names.values():
        for name in names:
            words.update(name.split())
    for org in gaz.organizations.values():
        words.update(a for a in org.aliases if " " not in a)
    return frozenset(w for w in words if w[:1].isupper() and w not in _NAME_LIKE_PLACE_WORDS)


def _hits_in(hits: list[Hit], starts: list[int], span: Span) -> list[Hit]:
    i = bisect_right(starts, span.start - 1)
    out = []
    while i < len(hits) and hits[i].start < span.end:
        out.append(hits[i])
        i += 1
    return out


def _diplomat_named(rules: Rules, text: str) -> bool:
    """`rules.diplomat.search(text)`, after a substring pre-test (the pack's `diplomat_parts`)."""
    for part in rules.parties.diplomat_parts:
        if part in text:
            return rules.diplomat.search(text) is not None
    return False


# An engagement is reported within weeks, or announced within months; other dates are history
# ("relations established on 21 July 1970").
_REPORTED_WITHIN = timedelta(days=62)
_ANNOUNCED_WITHIN = timedelta(days=183)


def _plausible(day: date, published: date) -> bool:
    return published - _REPORTED_WITHIN <= day <= published + _ANNOUNCED_WITHIN


def _analyse(ctx: _Context, release: Release, hits: list[Hit]) -> list[_Sentence]:
    """The release's sentences with their triggers, gazetteer hits and dates.

    None when no sentence has an engagement trigger or speaks of a trip: every meeting starts at such a
    sentence, so the release has none, and nothing else about its sentences need be found.
    """
    body = release.body
    triggers: list[tuple[Span, str, int, tuple[str, ...], bool]] = []
    any_trigger = False
    for span in split_sentences(body, ctx.rules.abbreviations):
        text = body[span.start : span.end]
        possible, kinds, visit = _triggers(ctx.rules.triggers, text)
        any_trigger = any_trigger or bool(kinds) or visit
        triggers.append((span, text, possible, kinds, visit))
    if not any_trigger:
        return []
    published = release.published_at.date()
    ctx.day = narrative_day(body, release.published_at.date(), ctx.rules.dates)
    starts = [h.start for h in hits]
    return [
        _Sentence(
            index=index,
            span=span,
            text=text,
            hits=_hits_in(hits, starts, span),
            kinds=list(kinds),
            visit=visit,
            dates=[
                d
                for d in find_dates(text, ctx.day, span.start, ctx.rules.date_bits(possible), ctx.rules.dates)
                if _plausible(d.day, published)
            ],
            possible=possible,
        )
        for index, (span, text, possible, kinds, visit) in enumerate(triggers)
    ]


def _country(ctx: _Context, iso3: str, alias: str, span: Span) -> _Party:
    country = ctx.gaz.countries.get(iso3)
    name = country.name if country else iso3
    return _Party("country", f"country:{iso3}", name, iso3, alias, None, span)


def _org_party_of(ctx: _Context, org_id: str, alias: str, span: Span) -> _Party:
    org = ctx.gaz.organizations[org_id]
    return _Party("organization", f"org:{org_id}", org.name, org.country_iso3, alias, None, span)


def _matches(sentence: _Sentence, pattern: re.Pattern[str], bit: int) -> bool:
    """`pattern.search(sentence.text)`, skipped where `_filter` rules it out."""
    return bool(sentence.possible & bit) and pattern.search(sentence.text) is not None
