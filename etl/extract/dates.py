"""Finds the date an engagement took place in a sentence, resolving relative dates against publication.

The patterns and words are the language pack's (`packs/<lang>/dates.toml`, compiled by `compile_dates`).
"today (25)" in a release of 2025-02-25 is 2025-02-25; "on 17 May" in a release of 2024-05-20 is
2024-05-17; "yesterday" is the day before; "tomorrow (06)" is the 6th after publication. A day number in
brackets wins over the word before it, as the agencies use it to pin the day.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, partial

from etl.extract.keywords import NeedleSet, foldable, lower_case_twin
from etl.extract.pack import Pack, load


@dataclass(frozen=True, slots=True)
class DateMention:
    day: date
    start: int
    end: int
    explicit: bool  # named a day (not only a weekday or "today")


@lru_cache(maxsize=4096)  # releases of a run come from a few days: the same (day, anchor) pairs recur
def _closest_day_number(day_number: int, anchor: date, future: bool) -> date | None:
    """The date with that day-of-month nearest the anchor (after it if future, else on/before it + 1 day)."""
    candidates: list[date] = []
    for months_back in (-1, 0, 1):
        year, month = anchor.year, anchor.month + months_back
        if month < 1:
            year, month = year - 1, 12
        elif month > 12:
            year, month = year + 1, 1
        try:
            candidates.append(date(year, month, day_number))
        except ValueError:
            continue
    if not candidates:
        return None
    if future:
        later = [c for c in candidates if c >= anchor - timedelta(days=1)]
        return min(later, key=lambda c: abs((c - anchor).days)) if later else None
    earlier = [c for c in candidates if c <= anchor + timedelta(days=1)]
    return min(earlier, key=lambda c: abs((c - anchor).days)) if earlier else None


@lru_cache(maxsize=4096)
def _month_day(month: int, day_number: int, year: int | None, anchor: date, future: bool) -> date | None:
    if year:
        try:
            return date(year, month, day_number)
        except ValueError:
            return None
    options = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(date(y, month, day_number))
        except ValueError:
            continue
    if not options:
        return None
    if future:
        later = [o for o in options if o >= anchor - timedelta(days=1)]
        if later:
            return min(later)
    earlier = [o for o in options if o <= anchor + timedelta(days=1)]
    return max(earlier) if earlier else min(options)


# Every match of a pack's `pinned_today` has a digit right after a bracket (a pattern that starts with "("
# is scanned fast).
_BRACKETED_DAY = re.compile(r"\(\d")


def narrative_day(text: str, published: date, rules: DateRules | None = None) -> date:
    """The day the release was written from: "tonight (17)" in a release stamped the 18th means the 17th.

    Agencies pin the day of "today"/"tonight" with a bracketed number; a bare "this morning" later in the
    same release refers to that day, not to the publication stamp.
    """
    if "(" not in text or not _BRACKETED_DAY.search(text):
        return published  # the day is pinned in brackets
    if rules is None:
        rules = _default_rules()
    m = _search(rules.pinned_today, rules.pinned_today_twin, text, text.lower() if foldable(text) else None)
    if m:
        day = _closest_day_number(int(m.group("pday")), published, False)
        if day is not None:
            return day
    return published


# The date patterns, and the date words, are found by one Aho-Corasick pass over the lower-cased sentence
# (the extractor's own pass over its sentences includes these: `rules.Rules`).
_DIGIT = re.compile(r"\d")
# The month patterns are case-sensitive: "innovation" gives their pre-test the word "nov", not a month.
_MONTH_KINDS = frozenset({"range_dm", "range_md", "dm", "md"})


@dataclass(frozen=True, slots=True, eq=False)
class DateRules:
    """One pack's date patterns with their pre-tests (`filters`), lower-case twins and date words."""

    filters: NeedleSet
    patterns: tuple[
        tuple[str, re.Pattern[str], re.Pattern[str] | None, int], ...
    ]  # (kind, pattern, twin, bit)
    words_bit: int  # set when a sentence holds one of the pack's `date_words`
    any_date: re.Pattern[str]  # a date word or a digit, for text with no pre-test
    # Quick tests that every match of a pattern without such words passes: "2024-05-17" has a hyphen, "on
    # the 5th" a digit and an ordinal suffix (a pattern that starts with `\d` is scanned fast).
    pretests: dict[str, Callable[[str], bool]]
    month_starts: tuple[str, ...]
    future: re.Pattern[str]
    future_twin: re.Pattern[str] | None
    past: re.Pattern[str]
    past_twin: re.Pattern[str] | None
    not_tense_before: dict[bool, re.Pattern[str]]  # (future?) -> what before a tense word makes it none
    pinned_today: re.Pattern[str]
    pinned_today_twin: re.Pattern[str] | None
    months: dict[str, int]
    weekdays: dict[str, int]  # name -> 0 (Monday) .. 6
    weekday_ahead: tuple[str, ...]
    relative_days: dict[str, int]


def compile_dates(pack: Pack) -> DateRules:
    """The date rules of `pack`, with their own `filters` (one pass over a sentence tells which can match)."""
    words = pack.dates
    filters = NeedleSet()
    patterns = []
    for kind, source, ignore_case in words.patterns:
        pattern = re.compile(source, re.IGNORECASE if ignore_case else 0)
        patterns.append((kind, pattern, lower_case_twin(pattern), filters.add_pattern(pattern)))
    words_bit = filters.add_stems(words.date_words)
    ordinal = re.compile(words.ordinal)
    future = words.future.compile()
    past = words.past.compile()
    pinned_today = re.compile(words.pinned_today, re.IGNORECASE)
    return DateRules(
        filters=filters,
        patterns=tuple(patterns),
        words_bit=words_bit,
        any_date=re.compile(words.any_date, re.IGNORECASE),
        pretests={
            "iso": lambda sentence: "-" in sentence,
            "the_nth": lambda sentence: ordinal.search(sentence) is not None,
        },
        month_starts=words.month_starts,
        future=future,
        future_twin=lower_case_twin(future),
        past=past,
        past_twin=lower_case_twin(past),
        not_tense_before={
            True: re.compile(words.not_future_before),
            False: re.compile(words.not_past_before),
        },
        pinned_today=pinned_today,
        pinned_today_twin=lower_case_twin(pinned_today),
        months=words.months,
        weekdays={name: i for i, name in enumerate(words.weekdays)},
        weekday_ahead=words.weekday_ahead,
        relative_days=words.relative_days,
    )


@lru_cache(maxsize=1)
def _default_rules() -> DateRules:
    """The default language's date rules, for callers that name none."""
    return compile_dates(load())


def find_dates(
    sentence: str,
    published: date,
    offset: int = 0,
    possible: int | None = None,
    rules: DateRules | None = None,
) -> list[DateMention]:
    """Every date stated in `sentence`, resolved; offsets are shifted by `offset`.

    `possible` is `rules.filters.mask` of the sentence when the caller has it; `rules` those of the
    release's language (default: the default language's)."""
    if rules is None:
        rules = _default_rules()
    if possible is None:
        possible = rules.filters.mask(sentence, sentence.lower())
    if foldable(sentence):  # `rules.any_date`, without its slow case-insensitive alternation
        if not possible & rules.words_bit and not _DIGIT.search(sentence):
            return []
    elif not rules.any_date.search(sentence):
        return []
    found = _find_dates(rules, sentence, published, possible)
    if not offset:
        return found
    return [DateMention(d.day, d.start + offset, d.end + offset, d.explicit) for d in found]


def _find_dates(rules: DateRules, sentence: str, published: date, possible: int) -> list[DateMention]:
    """`find_dates` at offset 0 of a sentence that may state a date."""
    # the lower-cased sentence, for the lower-case twins of case-insensitive patterns
    low = sentence.lower() if foldable(sentence) else None
    # where the sentence speaks of the future and of engagements in the past, found when a date needs it
    tenses: list[tuple[int, bool]] = []  # (position, is future), in order
    found_tenses = False

    def is_future(at: int) -> bool:
        """Is a day number or weekday at `at` ahead: the nearest tense word before it is a future one, or
        with none before it, the sentence speaks of the future anywhere."""
        nonlocal found_tenses
        if not found_tenses:
            found_tenses = True
            for pattern, twin, ahead in (
                (rules.future, rules.future_twin, True),
                (rules.past, rules.past_twin, False),
            ):
                text = low if twin is not None and low is not None else sentence
                tenses.extend(
                    (m.start(), ahead)
                    for m in (twin or pattern).finditer(text)
                    if not rules.not_tense_before[ahead].search(text, max(0, m.start() - 8), m.start())
                )
            tenses.sort()
        before = [ahead for start, ahead in tenses if start < at]
        return before[-1] if before else any(ahead for _, ahead in tenses)

    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    months: bool | None = None  # whether a month's name starts somewhere, found when a pattern needs it
    for kind, pattern, twin, bit in rules.patterns:
        if not possible & bit:
            continue  # none of the words this pattern needs (a month, a weekday, "today") is there
        if kind in _MONTH_KINDS:
            if months is None:
                months = any(month in sentence for month in rules.month_starts)
            if not months:
                continue
        pretest = rules.pretests.get(kind)
        if pretest is not None and not pretest(sentence):
            continue
        matches = twin.finditer(low) if twin is not None and low is not None else pattern.finditer(sentence)
        for m in matches:
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            day = _resolve(rules, kind, m, published, partial(is_future, m.start()))
            if day is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(day, m.start(), m.end(), kind not in ("weekday",)))
    found.sort(key=lambda d: d.start)
    return found


def _search(
    pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str, low: str | None
) -> re.Match[str] | None:
    """`pattern.search(text)`, by its lower-case twin on `low` (`text.lower()`, foldable) if it has one."""
    return twin.search(low) if twin is not None and low is not None else pattern.search(text)


def _resolve(
    rules: DateRules, kind: str, m: re.Match[str], published: date, is_future: Callable[[], bool]
) -> date | None:
    groups = m.groupdict()
    if kind == "iso":
        try:
            return date(int(groups["year"]), int(groups["month"]), int(groups["day"]))
        except ValueError:
            return None
    if kind == "relative":
        days = rules.relative_days.get(" ".join(groups["rel"].lower().split()), 0)
        if groups.get("pday"):  # the bracketed day number pins it, after the day written if the word is ahead
            return _closest_day_number(int(groups["pday"]), published, days > 0)
        return published + timedelta(days=days)
    if kind == "the_nth":
        return _closest_day_number(int(groups["day"]), published, is_future())
    if kind == "weekday":
        target = rules.weekdays[groups["weekday"].lower()]
        if is_future() or m.group(0).lower().startswith(rules.weekday_ahead):
            delta = (target - published.weekday()) % 7 or 7
            return published + timedelta(days=delta)
        delta = (published.weekday() - target) % 7
        return published - timedelta(days=delta)
    month = rules.months.get(groups["month"].lower().rstrip("."))
    if month is None:
        return None
    year = int(groups["year"]) if groups.get("year") else None
    return _month_day(month, int(groups["day"]), year, published, is_future())
