"""etl.extract.dates.find_dates: the day an engagement took place, relative dates resolved against publication."""

from __future__ import annotations

from datetime import date

import pytest

from etl.extract.dates import find_dates


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "stated"),
    [
        # CONTRACT §1, verbatim
        ("The President received the Ambassador of Japan today (25).", date(2025, 2, 25), date(2025, 2, 25),
         "today (25)"),
        ("The President met the UN envoy on 17 May.", date(2024, 5, 20), date(2024, 5, 17), "17 May"),
        ("The President met the delegation yesterday.", date(2025, 3, 5), date(2025, 3, 4), "yesterday"),
        # announced engagements (CONTRACT §3 edge case): dated on the day announced
        ("The President will hold talks with the Prime Minister tomorrow (06).", date(2025, 3, 5),
         date(2025, 3, 6), "tomorrow (06)"),
        ("The President will meet the delegation on May 04.", date(2025, 5, 2), date(2025, 5, 4), "May 04"),
        # a visit is dated by its first day
        ("The state visit will be held from 4 to 6 May.", date(2025, 5, 2), date(2025, 5, 4), "4 to 6 May"),
        ("The forum runs 4-6 May 2025.", date(2025, 5, 2), date(2025, 5, 4), "4-6 May 2025"),
        # a bare day number
        ("The talks were held on the 23rd.", date(2025, 1, 24), date(2025, 1, 23), "on the 23rd"),
        # an explicit year wins over the publication year
        ("The President met him on 17 May 2024.", date(2025, 1, 24), date(2024, 5, 17), "17 May 2024"),
        ("The agreement was signed on 2024-05-17.", date(2025, 3, 5), date(2024, 5, 17), "2024-05-17"),
        # a bracketed day that lies in the next month
        ("The President will receive the Ambassador tomorrow (01).", date(2024, 10, 31), date(2024, 11, 1),
         "tomorrow (01)"),
        ("The President received the Ambassador today (01).", date(2024, 10, 31), date(2024, 11, 1),
         "today (01)"),
        # month and year boundaries
        ("The President met him yesterday (28).", date(2025, 3, 1), date(2025, 2, 28), "yesterday (28)"),
        ("The President met him yesterday.", date(2025, 3, 1), date(2025, 2, 28), "yesterday"),
        ("The President met him yesterday.", date(2025, 1, 1), date(2024, 12, 31), "yesterday"),
        ("The President met him on 31 December.", date(2025, 1, 2), date(2024, 12, 31), "31 December"),
        ("The President will visit Colombo on 2 January.", date(2024, 12, 30), date(2025, 1, 2), "2 January"),
        ("The President met him on 29 February.", date(2024, 3, 1), date(2024, 2, 29), "29 February"),
        # weekdays: the last one before publication, or the next one for an announcement
        ("The President met the envoy on Monday.", date(2025, 3, 5), date(2025, 3, 3), "on Monday"),
        ("The President will meet the envoy on Monday.", date(2025, 3, 5), date(2025, 3, 10), "on Monday"),
        ("The President met the envoy on Wednesday.", date(2025, 3, 5), date(2025, 3, 5), "on Wednesday"),
        ("The envoy arrived last Friday.", date(2025, 3, 5), date(2025, 2, 28), "last Friday"),
        # other relative words
        ("This morning the President met the envoy.", date(2025, 3, 5), date(2025, 3, 5), "This morning"),
        ("The envoy arrived the day before yesterday.", date(2025, 3, 1), date(2025, 2, 27),
         "the day before yesterday"),
    ],
)  # fmt: skip
def test_find_dates(sentence: str, published: date, expected: date, stated: str) -> None:
    found = find_dates(sentence, published)
    assert [m.day for m in found] == [expected]
    assert sentence[found[0].start : found[0].end].rstrip(".") == stated


@pytest.mark.parametrize(
    ("sentence", "explicit"),
    [
        ("The President met the envoy on 17 May.", True),
        ("The President met the envoy today (25).", True),
        ("The President met the envoy on Monday.", False),
    ],
)
def test_a_weekday_alone_is_not_an_explicit_day(sentence: str, explicit: bool) -> None:
    [found] = find_dates(sentence, date(2025, 2, 25))
    assert found.explicit is explicit


def test_offsets_are_shifted_into_the_body() -> None:
    sentence = "The President met the envoy today (25)."
    [found] = find_dates(sentence, date(2025, 2, 25), offset=100)
    assert (found.start, found.end) == (100 + sentence.index("today"), 100 + sentence.index(")") + 1)


def test_several_dates_come_in_text_order() -> None:
    sentence = "The minister arrived on 3 March and met the President on 5 March."
    assert [m.day for m in find_dates(sentence, date(2025, 3, 6))] == [date(2025, 3, 3), date(2025, 3, 5)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The President met the envoy.",
        "Trade grew by 17 percent in 2024.",
        "The President met him on 31 February.",  # no such day: nothing, rather than a wrong day
    ],
)
def test_no_date(sentence: str) -> None:
    assert find_dates(sentence, date(2025, 3, 5)) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a future word in a relative clause speaks of its noun: the engagement was on the past 5th
        (
            "I held a summit meeting with the Prime Minister of Italy, which will hold the presidency, on the 5th.",
            date(2024, 2, 5),
        ),
        ("The President will meet the Ambassador on the 12th.", date(2024, 2, 12)),
        ("The President met the Ambassador on Tuesday.", date(2024, 2, 6)),
        ("The President will travel on Friday.", date(2024, 2, 16)),
    ],
)
def test_a_day_number_or_weekday_is_ahead_only_when_the_nearest_tense_before_it_is_future(
    sentence: str, expected: date
) -> None:
    assert [d.day for d in find_dates(sentence, date(2024, 2, 9))] == [expected]


def test_a_day_in_brackets_pins_recently_and_last_week() -> None:
    assert [d.day for d in find_dates("The discussion was held recently (15).", date(2025, 8, 22))] == [
        date(2025, 8, 15)
    ]
    assert find_dates("The Minister recently met the Ambassador.", date(2025, 8, 22)) == []
