"""Engagement triggers by kind, official trips, and the one pre-test pass (`_FILTERS`) that tells which of the
sentence-level patterns, dates' and topics' included, can match a sentence."""

import re

from etl.extract import dates, topics
from etl.extract.keywords import NeedleSet, foldable, lower_case_twin

# --- engagement triggers, by kind (checked in this order; the first that matches names the kind) -------
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "credentials",
        re.compile(r"\bcredentials\b|\bletters? of credence\b|\bcredence\b", re.IGNORECASE),
    ),
    (
        "phone_call",
        re.compile(
            r"\b(?:tele)?phone\s+(?:conversation|call|talks?)|\bby\s+(?:tele)?phone\b|\bover\s+the\s+(?:tele)?phone\b|"
            r"\bphoned\b|\btelephoned\b|\bspoke\s+on\s+the\s+(?:tele)?phone\b|\btelephone\b|"
            # readouts: "spoke with/to <an official>" (not the press or an audience), "held a call", "call with"
            r"\b(?:spoke|speaks|speak|spoken)\s+(?:(?:today|earlier\s+today|again|yesterday|this\s+(?:morning|"
            r"afternoon|evening)|on\s+\w+(?:\s+\d+)?),?\s+)?(?:with|to)\s+(?!(?:the\s+|an?\s+)?(?:media|press|"
            r"reporters|journalists|students|members|people|public|nation|audience|participants|gathering|crowd|"
            r"delegates|guests|staff|troops|business|communit)\w*\b)|"
            r"\b(?:held|had|holds|has)\s+(?:a|an)\s+(?:\w+\s+)?(?:phone\s+|telephone\s+)?call\b|\bcall\s+with\b",
            re.IGNORECASE,
        ),
    ),
    (
        "video_conference",
        re.compile(
            r"\bvideo\s?(?:conference|link|call|format|conferencing)|\bvideoconference\b|\bvirtual(?:ly)?\b|"
            r"\bonline\s+(?:meeting|format|talks|summit)|\bvia\s+(?:video|zoom)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "correspondence",
        re.compile(
            r"\b(?:congratulatory|condolence|sympathy|greeting)\s+(?:message|letter|telegram|note|cable)s?\b|"
            r"\b(?:sent|send|sends|addressed|conveyed)\s+(?:a\s+|his\s+|her\s+|the\s+)?(?:congratulatory\s+|"
            r"condolence\s+|personal\s+|official\s+)?(?:message|letter|telegram)s?\b|"
            r"\bmessage\s+of\s+(?:congratulations?|condolences?|sympathy)\b|"
            r"\b(?:congratulated|congratulates|congratulating)\b(?=[^.]{0,80}\b(?:message|letter|telegram|cable|"
            r"note|tweet|post|wrote|writing)\b)|^\s*congratulations\s+to\b|\bcongratulations\s+to\b(?=[^.]{0,60}"
            r"\b(?:on\s+(?:his|her|your|the)\s+(?:election|re-election|appointment|victory|inauguration)))|"
            r"\b(?:expressed|expresses|extended|extends|conveyed|offered|offers)\s+(?:his\s+|her\s+|their\s+)?"
            r"(?:deep(?:est)?\s+|sincere\s+|heartfelt\s+|profound\s+)?condolences\b|\btelegram\b|"
            r"\bletter\s+(?:to|from|addressed)\b|\bcondolence\s+book\b|"
            r"\bcongratulat\w+\b(?:[^.]|(?<=\b[A-Z])\.){0,80}\bon\s+(?:his|her|the|your)\s+(?:re-?)?(?:election|appointment|victory|"
            r"inauguration|assumption)\b|"
            r"\b(?:extended|extends|conveyed|conveys|sent|sends)\s+(?:his\s+|her\s+|their\s+)?(?:warm(?:est)?\s+|"
            r"heartfelt\s+|sincere\s+)?congratulations\b",
            re.IGNORECASE,
        ),
    ),
    (
        "summit",
        re.compile(
            r"\bsummit\b|\bforum\b|\bsession\s+of\s+the\b|\b(?:ministerial|multilateral)\s+meeting\b|"
            r"\bmeeting\s+of\s+the\s+(?:heads|leaders|council|foreign\s+ministers|ministers)\b|"
            r"\bGeneral\s+Assembly\b|\bCouncil\s+of\s+(?:Heads|Ministers|Foreign\s+Ministers)\b|"
            r"\bhigh-level\s+(?:meeting|segment|dialogue|conference)\b|\bconference\s+(?:of|on)\b|"
            r"\bIntergovernmental\s+Council\b|\bDay\s+of\s+Vesak\b",
            re.IGNORECASE,
        ),
    ),
    (
        "meeting",
        re.compile(
            r"\bmet\b|\bmeets?\b|\bmeeting\b|\breceived\b|\breceives\b|\breceiving\b|\bhosted\b|\bhosts\b|"
            r"\btalks\b|\bdiscussions?\b|\bdiscussed\b|\bcalled\s+on\b|\bcalls\s+on\b|\bcourtesy\s+(?:call|visit)\b|"
            r"\baudience\b|\bconsultations\b|\bnegotiations\b|\bexchanged\s+views\b|\bwelcomed\b|"
            r"\binterlocutors\b|\bthe\s+parties\b|\bthe\s+sides\b|\bconversation\b|\bdialogue\b|\bconferred\b|"
            r"\bpresented\b|\bhanded\s+over\b|\bsigned\b|\b(?:state\s+|official\s+)?(?:dinner|luncheon|banquet)\b|"
            r"\bin\s+honou?r\s+of\b|\bwelcom(?:ing|e)\s+ceremony\b|\bguard\s+of\s+honou?r\b",
            re.IGNORECASE,
        ),
    ),
)
# An official trip; its alternatives with a keyword ("visit", "arrived", ...) run only where the keyword is.
_VISIT_WORDS = (
    r"\b(?:state|official|working|bilateral|friendly|\w+-day)\s+visit\b|\bon\s+a\s+visit\s+to\b|"
    r"\b(?:arrived|arrives|arriving|arrival)\s+(?:in|at)\b|\b(?:departed|departs|left|leaves)\s+(?:for|on)\b|"
    r"\bvisit\s+to\b|\bduring\s+(?:his|her|their|the)\s+(?:\w+\s+){0,2}visit\b|"
    r"\bconclud(?:ed|es|ing)\s+(?:his|her|the|a)\s+(?:\w+\s+){0,3}visit\b|\bon\s+the\s+sidelines\s+of\b|"
    r"\bwho\s+is\s+on\s+an?\b"
)
_VISIT_BEING_IN = r"\b(?:is|was|are|were)\s+(?:currently\s+)?(?:in|visiting)\s+(?:the\s+)?(?-i:(?=[A-Z]))"
_VISIT = re.compile(f"{_VISIT_WORDS}|{_VISIT_BEING_IN}", re.IGNORECASE)
_VISIT_PARTS = (re.compile(_VISIT_WORDS, re.IGNORECASE), re.compile(_VISIT_BEING_IN, re.IGNORECASE))
_NOT_TRIP = re.compile(
    r"\binvit\w*\b[^.]{0,80}\bto\s+(?:visit|undertake|pay|make)\b|\bfuture\s+visit\b|\bnext\s+year\b|"
    r"\bexpected\s+to\s+visit\b|\bat\s+an?\s+(?:early|convenient|mutually)\b|\bvisited\s+(?:the\s+)?President\b|"
    r"\b(?:previous|last|earlier|past)\s+visit\b|\bvisit\s+(?:by|of)\s+(?:the\s+)?(?:students|pupils)\b",
    re.IGNORECASE,
)
_PRIVATE_TRIP = re.compile(r"\b(?:private|personal|business)\s+(?:visit|trip)\b", re.IGNORECASE)


# Word stems every trigger contains: a plain substring test rules out most sentences before any regex runs.
_TRIGGER_STEMS = (
    "met",
    "meet",
    "receiv",
    "host",
    "talk",
    "discuss",
    "call",
    "spoke",
    "speak",
    "courtesy",
    "audience",
    "consultation",
    "negotiation",
    "view",
    "interlocutor",
    "parties",
    "sides",
    "conversation",
    "dialogue",
    "confer",
    "present",
    "hand",
    "sign",
    "dinner",
    "lunch",
    "banquet",
    "honour",
    "honor",
    "welcom",
    "guard",
    "phone",
    "video",
    "virtual",
    "online",
    "via ",
    "credential",
    "credence",
    "congratul",
    "condolenc",
    "sympath",
    "greeting",
    "message",
    "letter",
    "telegram",
    "summit",
    "forum",
    "session",
    "assembly",
    "council",
    "conference",
    "ministerial",
    "multilateral",
    "high-level",
    "vesak",
)


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
# bilateral meeting ("met on the sidelines of the summit") or the subject of thanks ("contribution to the
# summit") is not one the principal is reported to attend.
_PREPARED = re.compile(
    r"(?:\bprepar(?:ation|ations|ing|e|es)\s+(?:for|of)|\b(?:sidelines?|margins?)\s+of|"
    r"\b(?:contribution|contributions)\s+to|\bsuccess\s+of)\s+(?:the\s+)?(?:[\w\-+]+\s+){0,8}$",
    re.IGNORECASE,
)
_NOT_ATTENDED_STEMS = ("prepar", "sideline", "margin", "contribution", "success")


def _attended_event(text: str, pattern: re.Pattern[str]) -> bool:
    """Is some mention of a multilateral event in `text` not one that is only prepared, a venue or thanked?"""
    low = text.lower()
    if not any(stem in low for stem in _NOT_ATTENDED_STEMS):
        return True
    return any(
        not _PREPARED.search(text[max(0, m.start() - 100) : m.start()]) for m in pattern.finditer(text)
    )


# Every match of `_VISIT_BEING_IN` in a `foldable` text is, lower-cased, a match of this case-sensitive
# pattern in the lower-cased text: a cheap pre-test for the slow case-insensitive one.
_BEING_IN_LOWER = re.compile(r"(?:is|was|are|were)\s+(?:currently\s+)?(?:in|visiting)\s")


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
