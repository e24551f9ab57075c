"""Negative contexts: a person named as the sender of greetings or an invitation, or the deceased of a
condolence, is absent from the engagement, not a counterpart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.extract.features import _Sentence
from etl.extract.keywords import NeedleSet
from etl.extract.pack import Pack


def _absent_context(a: Absent, text: str) -> str:
    """The text before a name with abbreviation dots removed ("wishes of H.E. <name>"), so the
    greeting and condolence patterns, which stop at a full stop, read across honorifics and initials."""
    return a.abbreviation.sub(r"\1 ", text) if "." in text else text


@dataclass(frozen=True, slots=True, eq=False)
class Absent:
    """One pack's negative contexts with their pre-tests.

    Someone named as the sender of greetings, a message or an invitation is absent, not a counterpart; so
    is the deceased of a condolence (whose country still is one). Also absent: whoever someone else's words
    or greetings are conveyed *to*, and whoever is praised (the pack's `greeting_from`)."""

    greeting_from: re.Pattern[str]
    deceased: re.Pattern[str]
    abbreviation: re.Pattern[str]  # its dot removed from the text before a name (`_absent_context`)
    greeting_from_bit: int  # in the sentence's pass (`rules.Rules.filters`)
    deceased_bit: int
    # The sentence's pre-test says a greeting or condolence word is somewhere in it; this one, whether it is
    # in the text before the name (the patterns are slow).
    filters: NeedleSet
    greeting_in: int
    deceased_in: int


def compile_absent(pack: Pack, filters: NeedleSet) -> Absent:
    """The negative contexts of `pack`, their sentence pre-tests added to `filters`."""
    greeting_from, deceased = pack.greeting_from.compile(), pack.deceased.compile()
    # The patterns read `_absent_context` of a part of the sentence, which only turns dots into spaces:
    # their words, which have neither, occur there only if they occur in the sentence.
    greeting_from_bit = filters.add_pattern(greeting_from, avoid=". ")
    deceased_bit = filters.add_pattern(deceased, avoid=". ")
    own = NeedleSet()
    greeting_in = own.add_pattern(greeting_from)
    deceased_in = own.add_pattern(deceased)
    return Absent(
        greeting_from,
        deceased,
        pack.abbreviation.compile(),
        greeting_from_bit,
        deceased_bit,
        own,
        greeting_in,
        deceased_in,
    )


def _greeting_from(a: Absent, sentence: _Sentence, before: str) -> bool:
    """Is a name after `before` (a part of `sentence`) a sender of greetings, a message or an invitation?"""
    return bool(sentence.possible & a.greeting_from_bit) and _absent_search(
        a, before, a.greeting_from, a.greeting_in
    )


def _deceased(a: Absent, sentence: _Sentence, before: str) -> bool:
    """Is a name after `before` (a part of `sentence`) the deceased of a condolence?"""
    return bool(sentence.possible & a.deceased_bit) and _absent_search(a, before, a.deceased, a.deceased_in)


def _absent_search(a: Absent, before: str, pattern: re.Pattern[str], bit: int) -> bool:
    """`pattern.search(_absent_context(before))`, after its pre-test."""
    context = _absent_context(a, before)
    return bool(a.filters.mask(context, context.lower()) & bit) and pattern.search(context) is not None
