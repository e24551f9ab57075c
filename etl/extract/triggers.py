"""Engagement triggers by kind, official trips, and the one pre-test pass (`_FILTERS`) that tells which of the
sentence-level patterns, dates' and topics' included, can match a sentence."""

import re

from etl.extract import dates, topics
from etl.extract.keywords import NeedleSet, foldable, lower_case_twin, needles
from etl.extract.pack import PACK

# --- engagement triggers, by kind (checked in this order; the first that matches names the kind) -------
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, phrase.compile()) for kind, phrase in PACK.kinds
)
# An official trip; its alternatives with a keyword ("visit", "arrived", ...) run only where the keyword is.
_VISIT_WORDS = PACK.visit_words.source
_VISIT_BEING_IN = PACK.visit_being_in
_VISIT = re.compile(f"{_VISIT_WORDS}|{_VISIT_BEING_IN}", re.IGNORECASE)
_VISIT_PARTS = (re.compile(_VISIT_WORDS, re.IGNORECASE), re.compile(_VISIT_BEING_IN, re.IGNORECASE))
_NOT_TRIP = PACK.not_trip.compile()
_PRIVATE_TRIP = PACK.private_trip.compile()


# Word stems every trigger contains: a plain substring test rules out most sentences before any regex runs.
_TRIGGER_STEMS = PACK.stems


# One Aho-Corasick pass over a sentence's lower-cased text tells which of these can match it: only those run.
# The other stages add their sentence-level patterns to it (`_FILTERS.add_pattern` in their modules), and
# `features._matches` runs one only where the pass finds one of its words.
_FILTERS = NeedleSet()
_STEMS_BIT = _FILTERS.add_stems(_TRIGGER_STEMS)
_KIND_BITS = tuple((kind, pattern, _FILTERS.add_pattern(pattern)) for kind, pattern in _KIND_PATTERNS)
_VISIT_WORDS_BIT = _FILTERS.add_pattern(_VISIT_PARTS[0])
_NOT_TRIP_BIT = _FILTERS.add_pattern(_NOT_TRIP)
_PRIVATE_TRIP_BIT = _FILTERS.add_pattern(_PRIVATE_TRIP)
# The date and topic pre-tests ride on the same pass: `_DATES_SHIFT`, `_TOPICS_SHIFT` place their bits.
_DATES_SHIFT = _FILTERS.include(dates.FILTERS)
_TOPICS_SHIFT = _FILTERS.include(topics.FILTERS)
_DATES_BITS = dates.FILTERS.bits
_TOPICS_BITS = topics.FILTERS.bits


def _date_bits(possible: int) -> int:
    return (possible >> _DATES_SHIFT) & _DATES_BITS


def _topic_bits(possible: int) -> int:
    return (possible >> _TOPICS_SHIFT) & _TOPICS_BITS


# Lower-case twins of the case-insensitive triggers, for the lower-cased sentence (`keywords.lower_case_twin`).
_KIND_TWINS = {kind: lower_case_twin(pattern) for kind, pattern in _KIND_PATTERNS}


def _filter(text: str) -> int:
    """The `_FILTERS` bits of the patterns that may match `text`."""
    return _FILTERS.mask(text, text.lower())


def _kinds(text: str, possible: int | None = None) -> list[str]:
    """The kinds whose triggers occur in `text`, in priority order (a cheap substring test first).

    `possible` is `_filter(text)` when the caller has it."""
    if possible is None:
        possible = _filter(text)
    if not possible & _STEMS_BIT:
        return []
    low = text.lower() if foldable(text) else None
    return [
        kind
        for kind, pattern, bit in _KIND_BITS
        if possible & bit
        and _found(pattern, _KIND_TWINS[kind], text, low)
        and (kind != "summit" or _attended_event(text, pattern))
    ]


def _found(pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str, low: str | None) -> bool:
    """`pattern.search(text)`, by its lower-case twin on `low` (`text.lower()` of a foldable text) if any."""
    if twin is not None and low is not None:
        return twin.search(low) is not None
    return pattern.search(text) is not None


# An event that is only being prepared ("discussed the preparation of the upcoming summit"), the venue of a
# bilateral meeting or the subject of thanks is not one the principal attends (the pack's `prepared`).
_PREPARED = re.compile(PACK.prepared, re.IGNORECASE)
_PREPARED_NEEDLES = needles(_PREPARED)


def _attended_event(text: str, pattern: re.Pattern[str]) -> bool:
    """Is some mention of a multilateral event in `text` not one that is only prepared, a venue or thanked?"""
    if _PREPARED_NEEDLES is not None:
        low = text.lower()
        if not any(needle in low for needle in _PREPARED_NEEDLES):
            return True
    return any(
        not _PREPARED.search(text[max(0, m.start() - 100) : m.start()]) for m in pattern.finditer(text)
    )


# Every match of `_VISIT_BEING_IN` in a `foldable` text is, lower-cased, a match of this case-sensitive
# pattern in the lower-cased text: a cheap pre-test for the slow case-insensitive one.
_BEING_IN_LOWER = re.compile(PACK.visit_being_in_lower)


def _visit_search(text: str, possible: int, low: str | None = None) -> bool:
    """`_VISIT.search(text)`, its keyword alternatives only where a keyword is. `low` is `text.lower()`
    of a foldable text, for the lower-case twins, if the caller has it."""
    if low is None and foldable(text):
        low = text.lower()
    if possible & _VISIT_WORDS_BIT and _found(_VISIT_PARTS[0], _VISIT_WORDS_TWIN, text, low):
        return True
    if low is not None and _BEING_IN_LOWER.search(low) is None:
        return False
    return _VISIT_PARTS[1].search(text) is not None


def _is_visit(text: str, possible: int) -> bool:
    """Does `text` speak of an official trip (`_VISIT`, and neither a private nor a planned one)?"""
    low = text.lower() if foldable(text) else None
    if not _visit_search(text, possible, low):
        return False
    if possible & _PRIVATE_TRIP_BIT and _found(_PRIVATE_TRIP, _PRIVATE_TRIP_TWIN, text, low):
        return False
    return not (possible & _NOT_TRIP_BIT and _found(_NOT_TRIP, _NOT_TRIP_TWIN, text, low))


_VISIT_WORDS_TWIN = lower_case_twin(_VISIT_PARTS[0])
_PRIVATE_TRIP_TWIN = lower_case_twin(_PRIVATE_TRIP)
_NOT_TRIP_TWIN = lower_case_twin(_NOT_TRIP)


def _triggers(text: str) -> tuple[int, tuple[str, ...], bool]:
    """A sentence's `_filter` bits, trigger kinds and whether it tells of a trip."""
    possible = _filter(text)
    return possible, tuple(_kinds(text, possible)), _is_visit(text, possible)


def _title_triggers(title: str) -> tuple[int, tuple[str, ...], bool]:
    """`_triggers` of a headline, where `_VISIT` alone tells of a trip."""
    possible = _filter(title)
    return possible, tuple(_kinds(title, possible)), _visit_search(title, possible)
