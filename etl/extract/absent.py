"""Negative contexts: a person named as the sender of greetings or an invitation, or the deceased of a
condolence, is absent from the engagement, not a counterpart."""

import re

from etl.extract.features import _Sentence
from etl.extract.keywords import NeedleSet
from etl.extract.pack import PACK
from etl.extract.triggers import _FILTERS

# Someone named as the sender of greetings, a message or an invitation is absent, not a counterpart;
# so is the deceased of a condolence (whose country still is one).
# Also absent: whoever someone else's words or greetings are conveyed *to* ("conveyed the words of support
# of the President to the Emir of <country> X": X is not on the call; but "conveyed his condolences to Prime
# Minister X" is said to X), and whoever is praised ("thanks to the personal efforts of President X").
_GREETING_FROM = PACK.greeting_from.compile()
_ABBREVIATION = re.compile(r"\b([A-Z][a-z]?)\.")


def _absent_context(text: str) -> str:
    """The text before a name with abbreviation dots removed ("wishes of H.E. <name>"), so the
    greeting and condolence patterns, which stop at a full stop, read across honorifics and initials."""
    return _ABBREVIATION.sub(r"\1 ", text) if "." in text else text


_DECEASED = PACK.deceased.compile()
# The greeting and condolence patterns read `_absent_context` of a part of the sentence, which only turns
# dots into spaces: their words, which have neither, occur there only if they occur in the sentence.
_GREETING_FROM_BIT = _FILTERS.add_pattern(_GREETING_FROM, avoid=". ")
_DECEASED_BIT = _FILTERS.add_pattern(_DECEASED, avoid=". ")


def _greeting_from(sentence: _Sentence, before: str) -> bool:
    """Is a name after `before` (a part of `sentence`) a sender of greetings, a message or an invitation?"""
    return bool(sentence.possible & _GREETING_FROM_BIT) and _absent_search(
        before, _GREETING_FROM, _GREETING_IN
    )


def _deceased(sentence: _Sentence, before: str) -> bool:
    """Is a name after `before` (a part of `sentence`) the deceased of a condolence?"""
    return bool(sentence.possible & _DECEASED_BIT) and _absent_search(before, _DECEASED, _DECEASED_IN)


# The sentence's pre-test says a greeting or condolence word is somewhere in it; this one, whether it is in
# the text before the name (the patterns are slow).
_ABSENT_FILTERS = NeedleSet()
_GREETING_IN = _ABSENT_FILTERS.add_pattern(_GREETING_FROM)
_DECEASED_IN = _ABSENT_FILTERS.add_pattern(_DECEASED)


def _absent_search(before: str, pattern: re.Pattern[str], bit: int) -> bool:
    """`pattern.search(_absent_context(before))`, after its pre-test."""
    context = _absent_context(before)
    return bool(_ABSENT_FILTERS.mask(context, context.lower()) & bit) and pattern.search(context) is not None
