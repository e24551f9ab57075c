"""dashboard/filters.py (the global filters and their URL round trip) and dashboard/highlight.py (safe text)."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.highlight import Mark, render

FULL = Filters(
    start=date(2025, 1, 1),
    end=date(2025, 3, 31),
    sources=("kabar.kg", "pmd.gov.lk"),
    principals=("Sadyr Japarov",),
    kinds=("meeting", "visit"),
    topics=("trade_economy",),
    countries=("JPN", "TUR"),
    regions=("Asia",),
    orgs=("European Union",),
    persons=("Recep Tayyip Erdoğan",),
    text="hydropower plant",
)

# Bookmarked views depend on these: a change here breaks links analysts have saved.
URL_KEYS = ("from", "to", "source", "principal", "kind", "topic", "country", "region", "org", "person", "q")


# --- URL round trip -------------------------------------------------------------------------------------


def test_every_field_survives_the_url_round_trip() -> None:
    query = FULL.to_query()
    assert Filters.from_query(query) == FULL
    assert tuple(query) == URL_KEYS


@pytest.mark.parametrize(
    ("field", "value", "key", "expected"),
    [
        ("start", date(2024, 2, 29), "from", "2024-02-29"),
        ("end", date(2024, 12, 31), "to", "2024-12-31"),
        ("sources", ("pmd.gov.lk",), "source", ["pmd.gov.lk"]),
        ("principals", ("Anura Kumara Dissanayake",), "principal", ["Anura Kumara Dissanayake"]),
        ("kinds", ("phone_call", "visit"), "kind", ["phone_call", "visit"]),
        ("topics", ("energy_water",), "topic", ["energy_water"]),
        ("countries", ("CHN", "IND"), "country", ["CHN", "IND"]),
        ("regions", ("Europe",), "region", ["Europe"]),
        ("orgs", ("International Monetary Fund",), "org", ["International Monetary Fund"]),
        ("persons", ("Tô Lâm",), "person", ["Tô Lâm"]),
        ("text", "trade & investment", "q", "trade & investment"),
    ],
)
def test_each_field_alone_round_trips(field: str, value: object, key: str, expected: object) -> None:
    filters = Filters().with_(**{field: value})
    query = filters.to_query()
    assert query == {key: expected}
    assert Filters.from_query(query) == filters


def test_empty_filters_make_an_empty_query() -> None:
    assert Filters().to_query() == {}
    assert Filters.from_query({}) == Filters()


def test_a_single_url_value_is_read_as_a_one_item_list() -> None:
    assert Filters.from_query({"kind": "visit", "country": ["TUR"]}) == Filters(
        kinds=("visit",), countries=("TUR",)
    )


def test_a_repeated_scalar_keeps_the_last_value() -> None:
    assert Filters.from_query({"q": ["first", "second"], "from": ["2024-01-01", "2024-02-01"]}) == Filters(
        start=date(2024, 2, 1), text="second"
    )


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", "2024-02-30", "", "01/02/2024"])
def test_malformed_dates_are_ignored_and_the_rest_is_kept(bad: str) -> None:
    filters = Filters.from_query({"from": bad, "to": "2025-01-31", "kind": "meeting"})
    assert filters == Filters(end=date(2025, 1, 31), kinds=("meeting",))
    assert Filters.from_query({"from": "2025-01-01", "to": bad}) == Filters(start=date(2025, 1, 1))


def test_unknown_url_keys_are_ignored() -> None:
    assert Filters.from_query({"meeting": "abc", "utm_source": "mail"}) == Filters()


# --- normalisation --------------------------------------------------------------------------------------


def test_lists_are_sorted_deduplicated_and_drop_empty_values() -> None:
    filters = Filters(kinds=("visit", "meeting", "visit", ""), countries=("TUR", "JPN", "TUR"))
    assert filters.kinds == ("meeting", "visit")
    assert filters.countries == ("JPN", "TUR")
    assert Filters.from_query({"kind": ["visit", "meeting", "visit"]}).kinds == ("meeting", "visit")


def test_equal_selections_in_any_order_are_equal_and_hash_equal() -> None:
    a = Filters(kinds=("visit", "meeting"), topics=("b", "a"))
    b = Filters(kinds=("meeting", "visit"), topics=("a", "b"))
    assert a == b
    assert hash(a) == hash(b)  # the pages' cache key


def test_search_text_whitespace_is_collapsed() -> None:
    assert Filters(text="  trade \n  talks ").text == "trade talks"
    assert Filters(text="   ").text == ""


def test_start_after_end_is_swapped() -> None:
    filters = Filters(start=date(2025, 5, 1), end=date(2025, 1, 1))
    assert (filters.start, filters.end) == (date(2025, 1, 1), date(2025, 5, 1))
    assert Filters.from_query({"from": "2025-05-01", "to": "2025-01-01"}) == filters


def test_with_returns_a_new_normalised_filters() -> None:
    base = Filters(kinds=("visit",))
    changed = base.with_(kinds=("visit", "meeting", "visit"))
    assert base.kinds == ("visit",)
    assert changed.kinds == ("meeting", "visit")


def test_params_name_every_sql_parameter() -> None:
    params = FULL.params()
    assert set(params) == {"start", "end", "text", "sources", "principals", "kinds", "topics"} | {
        "countries",
        "regions",
        "orgs",
        "persons",
    }
    assert params["kinds"] == ["meeting", "visit"]
    assert Filters().params()["start"] is None
    assert Filters().params()["countries"] == []


# --- previous period ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "prev_start", "prev_end"),
    [
        (date(2025, 1, 1), date(2025, 1, 31), date(2024, 12, 1), date(2024, 12, 31)),
        (date(2025, 3, 10), date(2025, 3, 10), date(2025, 3, 9), date(2025, 3, 9)),
        (date(2024, 3, 1), date(2024, 3, 7), date(2024, 2, 23), date(2024, 2, 29)),
        # 365 days before a 365-day year: 2024 is a leap year, so the period starts on 2 January
        (date(2025, 1, 1), date(2025, 12, 31), date(2024, 1, 2), date(2024, 12, 31)),
    ],
)
def test_previous_period_has_the_same_length_and_ends_the_day_before(
    start: date, end: date, prev_start: date, prev_end: date
) -> None:
    filters = FULL.with_(start=start, end=end)
    previous = filters.previous_period()
    assert previous is not None
    assert (previous.start, previous.end) == (prev_start, prev_end)
    assert (previous.end - previous.start) == (end - start)
    assert previous.with_(start=start, end=end) == filters  # every other filter is kept


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(start=date(2025, 1, 1)), Filters(end=date(2025, 1, 1))]
)
def test_no_previous_period_without_both_dates(filters: Filters) -> None:
    assert filters.previous_period() is None


# --- active ---------------------------------------------------------------------------------------------


def test_active_is_json_serialisable_and_holds_only_the_set_filters() -> None:
    active = FULL.active()
    assert json.loads(json.dumps(active)) == active
    assert active["start"] == "2025-01-01"
    assert active["kinds"] == ["meeting", "visit"]
    assert active["text"] == "hydropower plant"
    assert Filters().active() == {}
    assert Filters(countries=("TUR",)).active() == {"countries": ["TUR"]}


# --- highlight ------------------------------------------------------------------------------------------

_TAG = re.compile(r"</?([a-zA-Z]+)")


def _tags(out: str) -> set[str]:
    return {m.group(1).lower() for m in _TAG.finditer(out)}


def _text(out: str) -> str:
    """What a reader sees: the markup removed, entities decoded, <br> back to newlines."""
    return html.unescape(re.sub(r"<(?!br>)[^>]+>", "", out).replace("<br>", "\n"))


def test_markup_and_script_in_the_body_come_out_escaped() -> None:
    body = 'The Ambassador <script>alert("x")</script> said <b>bold</b> & <img src=x onerror=alert(1)> it.'
    out = render(body, [Mark(0, 14, "sentence", "the engagement")])
    assert "<script" not in out
    assert "<b>" not in out
    assert "<img" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert "&lt;b&gt;bold&lt;/b&gt;" in out
    assert "&amp;" in out
    assert _tags(out) <= {"div", "mark", "br"}
    assert _text(out) == body


def test_a_mark_inside_markup_still_escapes_it() -> None:
    body = "x <script>alert(1)</script> y"
    start = body.index("<script>")
    out = render(body, [Mark(start, start + 8, "counterpart", 'a "title" <here>')])
    assert (
        '<mark class="ev-counterpart" title="a &quot;title&quot; &lt;here&gt;">&lt;script&gt;</mark>' in out
    )
    assert "<script" not in out
    assert _text(out) == body


def test_newlines_become_line_breaks() -> None:
    out = render("one\n\ntwo", [])
    assert out == '<div class="release-text">one<br><br>two</div>'


def test_nested_marks_cut_the_text_and_carry_every_covering_class() -> None:
    body = "The President met the Ambassador of Japan today."
    sentence = Mark(0, len(body), "sentence", "the engagement")
    japan = Mark(body.index("Japan"), body.index("Japan") + 5, "counterpart", "Japan")
    out = render(body, [sentence, japan])
    assert out == (
        '<div class="release-text">'
        '<mark class="ev-sentence" title="the engagement">The President met the Ambassador of </mark>'
        '<mark class="ev-counterpart ev-sentence" title="the engagement; Japan">Japan</mark>'
        '<mark class="ev-sentence" title="the engagement"> today.</mark>'
        "</div>"
    )


def test_overlapping_marks_split_into_three_pieces() -> None:
    body = "abcdefghij"
    out = render(body, [Mark(0, 6, "counterpart", "A"), Mark(4, 10, "topic", "B")])
    assert out == (
        '<div class="release-text">'
        '<mark class="ev-counterpart" title="A">abcd</mark>'
        '<mark class="ev-counterpart ev-topic" title="A; B">ef</mark>'
        '<mark class="ev-topic" title="B">ghij</mark>'
        "</div>"
    )


def test_marks_with_the_same_title_show_it_once() -> None:
    out = render("abc", [Mark(0, 3, "sentence", "same"), Mark(0, 3, "topic", "same")])
    assert 'title="same"' in out
    assert 'class="ev-sentence ev-topic"' in out


@pytest.mark.parametrize(
    "mark",
    [
        Mark(-1, 3, "sentence", "negative start"),
        Mark(2, 99, "sentence", "end past the body"),
        Mark(5, 5, "sentence", "empty"),
        Mark(6, 2, "sentence", "reversed"),
        Mark(40, 50, "sentence", "wholly outside"),
    ],
)
def test_offsets_out_of_range_are_ignored(mark: Mark) -> None:
    body = "plain <i>text</i>"
    out = render(body, [mark, Mark(0, 5, "topic", "kept")])
    assert "<mark" in out
    assert out.count("<mark") == 1
    assert mark.title not in out
    assert _text(out) == body


def test_an_empty_body_renders_an_empty_block() -> None:
    assert render("", [Mark(0, 1, "sentence", "x")]) == '<div class="release-text"></div>'
