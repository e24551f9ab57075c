"""Engagement triggers by kind and official trips, compiled from a language pack (`compile_triggers`), and
the functions that find them in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.extract.keywords import NeedleSet, foldable, lower_case_twin, needles
from etl.extract.pack import Pack


@dataclass(frozen=True, slots=True, eq=False)
class Triggers:
    """One pack's triggers, with their speed machinery: `filters` bits, lower-case twins, needles."""

    filters: NeedleSet  # the one pre-test pass over a sentence (`rules.Rules.filters`)
    stems_bit: int  # set when a sentence holds one of the pack's trigger stems
    kinds: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None, int], ...]  # (kind, pattern, twin, bit)
    kind_patterns: dict[str, re.Pattern[str]]
    visit: re.Pattern[str]  # an official trip: `visit_words` or `being_in`
    visit_words: re.Pattern[str]
    visit_words_twin: re.Pattern[str] | None
    visit_words_bit: int
    being_in: re.Pattern[str]
    being_in_lower: re.Pattern[str]  # every lower-cased match of `being_in` (foldable text) matches this
    not_trip: re.Pattern[str]
    not_trip_twin: re.Pattern[str] | None
    not_trip_bit: int
    private_trip: re.Pattern[str]
    private_trip_twin: re.Pattern[str] | None
    private_trip_bit: int
    prepared: re.Pattern[str]  # an event only being prepared, its venue or the subject of thanks
    prepared_needles: frozenset[str] | None


def compile_triggers(pack: Pack, filters: NeedleSet) -> Triggers:
    """The triggers of `pack`, their pre-tests added to `filters`.

    Every trigger contains one of the pack's stems: a plain substring test rules out most sentences before
    any regex runs. An official trip's alternatives with a keyword ("visit", "arrived", ...) run only where
    the keyword is."""
    stems_bit = filters.add_stems(pack.stems)
    kinds = []
    for kind, phrase in pack.kinds:
        pattern = phrase.compile()
        kinds.append((kind, pattern, lower_case_twin(pattern), filters.add_pattern(pattern)))
    visit_words = pack.visit_words.compile()
    being_in = re.compile(pack.visit_being_in, re.IGNORECASE)
    not_trip = pack.not_trip.compile()
    private_trip = pack.private_trip.compile()
    prepared = re.compile(pack.prepared, re.IGNORECASE)
    return Triggers(
        filters=filters,
        stems_bit=stems_bit,
        kinds=tuple(kinds),
        kind_patterns={kind: pattern for kind, pattern, _, _ in kinds},
        visit=re.compile(f"{pack.visit_words.source}|{pack.visit_being_in}", re.IGNORECASE),
        visit_words=visit_words,
        visit_words_twin=lower_case_twin(visit_words),
        visit_words_bit=filters.add_pattern(visit_words),
        being_in=being_in,
        being_in_lower=re.compile(pack.visit_being_in_lower),
        not_trip=not_trip,
        not_trip_twin=lower_case_twin(not_trip),
        not_trip_bit=filters.add_pattern(not_trip),
        private_trip=private_trip,
        private_trip_twin=lower_case_twin(private_trip),
        private_trip_bit=filters.add_pattern(private_trip),
        prepared=prepared,
        prepared_needles=needles(prepared),
    )


def _filter(t: Triggers, text: str) -> int:
    """The `filters` bits of the patterns that may match `text`."""
    return t.filters.mask(text, text.lower())


def _kinds(t: Triggers, text: str, possible: int | None = None) -> list[str]:
    """The kinds whose triggers occur in `text`, in priority order (a cheap substring test first).

    `possible` is `_filter(t, text)` when the caller has it."""
    if possible is None:
        possible = _filter(t, text)
    if not possible & t.stems_bit:
        return []
    low = text.lower() if foldable(text) else None
    return [
        kind
        for kind, pattern, twin, bit in t.kinds
        if possible & bit
        and _found(pattern, twin, text, low)
        and (kind != "summit" or _attended_event(t, text, pattern))
    ]


def _found(pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str, low: str | None) -> bool:
    """`pattern.search(text)`, by its lower-case twin on `low` (`text.lower()` of a foldable text) if any."""
    if twin is not None and low is not None:
        return twin.search(low) is not None
    return pattern.search(text) is not None


def _attended_event(t: Triggers, text: str, pattern: re.Pattern[str]) -> bool:
    """Is some mention of a multilateral event in `text` not one that is only prepared, a venue or thanked
    (the pack's `prepared`, read on the 100 characters before the mention)?"""
    if t.prepared_needles is not None:
        low = text.lower()
        if not any(needle in low for needle in t.prepared_needles):
            return True
    return any(
        not t.prepared.search(text[max(0, m.start() - 100) : m.start()]) for m in pattern.finditer(text)
    )


def _visit_search(t: Triggers, text: str, possible: int, low: str | None = None) -> bool:
    """`t.visit.search(text)`, its keyword alternatives only where a keyword is. `low` is `text.lower()`
    of a foldable text, for the lower-case twins, if the caller has it."""
    if low is None and foldable(text):
        low = text.lower()
    if possible & t.visit_words_bit and _found(t.visit_words, t.visit_words_twin, text, low):
        return True
    if low is not None and t.being_in_lower.search(low) is None:
        return False
    return t.being_in.search(text) is not None


def _is_visit(t: Triggers, text: str, possible: int) -> bool:
    """Does `text` speak of an official trip (`visit`, and neither a private nor a planned one)?"""
    low = text.lower() if foldable(text) else None
    if not _visit_search(t, text, possible, low):
        return False
    if possible & t.private_trip_bit and _found(t.private_trip, t.private_trip_twin, text, low):
        return False
    return not (possible & t.not_trip_bit and _found(t.not_trip, t.not_trip_twin, text, low))


def _triggers(t: Triggers, text: str) -> tuple[int, tuple[str, ...], bool]:
    """A sentence's `_filter` bits, trigger kinds and whether it tells of a trip."""
    possible = _filter(t, text)
    return possible, tuple(_kinds(t, text, possible)), _is_visit(t, text, possible)


def _title_triggers(t: Triggers, title: str) -> tuple[int, tuple[str, ...], bool]:
    """`_triggers` of a headline, where `visit` alone tells of a trip."""
    possible = _filter(t, title)
    return possible, tuple(_kinds(t, title, possible)), _visit_search(t, title, possible)
