"""dashboard/queries.py without Streamlit, on the fixture warehouse the real ETL builds (tests/dashboard_fixture.py).

Every answer is checked against an oracle computed in Python from `meeting_facts`, the releases and the
countries table, read directly: the dashboard's SQL and the oracle must agree on what the filters select.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from dashboard_fixture import DashboardWarehouse, golden_inputs

from dashboard import queries
from dashboard.db import WarehouseMissing, data_version
from dashboard.filters import Filters
from etl.pipeline import run

CONTRACT_COLUMNS = [
    "meeting_id",
    "release_id",
    "source",
    "source_ref",
    "url",
    "title",
    "published_at",
    "meeting_date",
    "kind",
    "principal",
    "principal_country",
    "location",
    "counterpart_persons",
    "counterpart_countries",
    "counterpart_orgs",
    "topics",
]
LIST_FIELDS = ("sources", "principals", "kinds", "topics", "countries", "regions", "orgs", "persons")


# --- the oracle -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    meeting_id: str
    release_id: str
    meeting_date: date
    kind: str
    principal: str | None
    source: str | None
    title: str
    body: str
    persons: frozenset[str]
    countries: frozenset[str]
    orgs: frozenset[str]
    topics: frozenset[str]
    regions: frozenset[str]  # of the counterpart countries that have one


@dataclass(frozen=True)
class Oracle:
    facts: tuple[Fact, ...]
    regions: dict[str, str | None]  # iso3 -> region

    def ids(self, f: Filters) -> set[str]:
        return {x.meeting_id for x in self.select(f)}

    def select(self, f: Filters) -> list[Fact]:
        def keep(x: Fact) -> bool:
            text = f.text.lower()
            return (
                (f.start is None or x.meeting_date >= f.start)
                and (f.end is None or x.meeting_date <= f.end)
                and (not f.kinds or x.kind in f.kinds)
                and (not f.sources or x.source in f.sources)
                and (not f.principals or x.principal in f.principals)
                and (not f.topics or bool(x.topics & set(f.topics)))
                and (not f.countries or bool(x.countries & set(f.countries)))
                and (not f.regions or bool(x.regions & set(f.regions)))
                and (not f.orgs or bool(x.orgs & set(f.orgs)))
                and (not f.persons or bool(x.persons & set(f.persons)))
                and (not text or text in x.title.lower() or text in x.body.lower())
            )

        return [x for x in self.facts if keep(x)]


@pytest.fixture(scope="module")
def db(dashboard_wh: DashboardWarehouse) -> Path:
    return dashboard_wh.path


@pytest.fixture(scope="module")
def oracle(db: Path) -> Oracle:
    con = duckdb.connect(str(db), read_only=True)
    try:
        regions = dict(con.execute("SELECT iso3, region FROM countries").fetchall())
        rows = con.execute(
            "SELECT f.meeting_id, f.release_id, f.meeting_date, f.kind, f.principal, f.source, r.title, r.body,"
            " f.counterpart_persons, f.counterpart_countries, f.counterpart_orgs, f.topics"
            " FROM meeting_facts AS f JOIN releases AS r USING (release_id)"
        ).fetchall()
    finally:
        con.close()
    facts = tuple(
        Fact(
            *row[:8],
            persons=frozenset(row[8] or ()),
            countries=frozenset(row[9] or ()),
            orgs=frozenset(row[10] or ()),
            topics=frozenset(row[11] or ()),
            regions=frozenset(r for c in row[9] or () if (r := regions.get(c))),
        )
        for row in rows
    )
    assert len(facts) >= 20, "the fixture warehouse should hold the golden releases' engagements"
    return Oracle(facts, regions)


def _ids(db: Path, f: Filters) -> set[str]:
    return set(queries.export_rows(db, f)["meeting_id"])


def _values(x: Fact, field: str) -> set[str]:
    """What an engagement holds for the filter `field`."""
    one = {
        "sources": {x.source},
        "principals": {x.principal},
        "kinds": {x.kind},
        "topics": x.topics,
        "countries": x.countries,
        "regions": x.regions,
        "orgs": x.orgs,
        "persons": x.persons,
    }[field]
    return {v for v in one if v}


def _pick(oracle: Oracle, field: str) -> Filters:
    """A filter on `field` that selects some engagements but not all: the most frequent such value."""
    total = len(oracle.facts)
    values: Counter[str] = Counter()
    for x in oracle.facts:
        values.update(_values(x, field))
    for value, n in values.most_common():
        if 0 < n < total:
            return Filters().with_(**{field: (value,)})
    raise AssertionError(f"the fixture has no value of {field} that narrows the engagements")


def _dated(oracle: Oracle) -> Filters:
    days = sorted(x.meeting_date for x in oracle.facts)
    return Filters(start=days[len(days) // 4], end=days[3 * len(days) // 4])


def _narrowing(oracle: Oracle) -> dict[str, Filters]:
    chosen = {name: _pick(oracle, name) for name in LIST_FIELDS}
    chosen["dates"] = _dated(oracle)
    chosen["text"] = Filters(text="ambassador")
    return chosen


# --- filters --------------------------------------------------------------------------------------------


def test_no_filter_selects_every_engagement(db: Path, oracle: Oracle) -> None:
    assert queries.count(db, Filters()) == len(oracle.facts)
    assert _ids(db, Filters()) == oracle.ids(Filters())


@pytest.mark.parametrize("field", [*LIST_FIELDS, "dates", "text"])
def test_each_filter_narrows_the_count_to_what_it_selects(db: Path, oracle: Oracle, field: str) -> None:
    f = _narrowing(oracle)[field]
    expected = oracle.ids(f)
    assert 0 < len(expected) < len(oracle.facts)
    assert queries.count(db, f) == len(expected)
    assert _ids(db, f) == expected
    assert queries.summary(db, f).engagements == len(expected)


def test_filter_combinations_intersect(db: Path, oracle: Oracle) -> None:
    chosen = _narrowing(oracle)
    alone = {name: _ids(db, f) for name, f in chosen.items()}
    for (a, fa), (b, fb) in itertools.combinations(chosen.items(), 2):
        merged = Filters(
            start=fa.start or fb.start,
            end=fa.end or fb.end,
            text=fa.text or fb.text,
            **{name: getattr(fa, name) + getattr(fb, name) for name in LIST_FIELDS},
        )
        both = _ids(db, merged)
        assert both == alone[a] & alone[b], f"{a} and {b}"
        assert both == oracle.ids(merged), f"{a} and {b}"


@pytest.mark.parametrize("field", ["kinds", "countries", "topics", "persons"])
def test_several_values_of_one_filter_are_alternatives(db: Path, oracle: Oracle, field: str) -> None:
    values: set[str] = set()
    for x in oracle.facts:
        values |= _values(x, field)
    a, b = sorted(values)[:2]
    both = Filters().with_(**{field: (a, b)})
    assert _ids(db, both) == _ids(db, Filters().with_(**{field: (a,)})) | _ids(
        db, Filters().with_(**{field: (b,)})
    )
    assert _ids(db, both) == oracle.ids(both)


def test_the_date_range_includes_both_ends(db: Path, oracle: Oracle) -> None:
    day = sorted(x.meeting_date for x in oracle.facts)[len(oracle.facts) // 2]
    one_day = Filters(start=day, end=day)
    assert _ids(db, one_day) == {x.meeting_id for x in oracle.facts if x.meeting_date == day}
    assert _ids(db, Filters(start=day)) == {x.meeting_id for x in oracle.facts if x.meeting_date >= day}
    assert _ids(db, Filters(end=day)) == {x.meeting_id for x in oracle.facts if x.meeting_date <= day}


@pytest.mark.parametrize("text", ["AMBASSADOR", "Plenipotentiary", "bold", "%", "_", "100%", "' OR 1=1 --"])
def test_text_search_is_case_insensitive_and_literal(db: Path, oracle: Oracle, text: str) -> None:
    f = Filters(text=text)
    assert _ids(db, f) == oracle.ids(f)


def test_an_unknown_value_selects_nothing(db: Path) -> None:
    for name in LIST_FIELDS:
        assert queries.count(db, Filters().with_(**{name: ("no such value",)})) == 0


# --- summary --------------------------------------------------------------------------------------------


def _summary(oracle: Oracle, f: Filters) -> queries.Summary:
    sel = oracle.select(f)
    return queries.Summary(
        engagements=len(sel),
        countries=len(set().union(*(x.countries for x in sel))),
        persons=len(set().union(*(x.persons for x in sel))),
        organizations=len(set().union(*(x.orgs for x in sel))),
    )


def test_summary_counts_engagements_and_distinct_counterparts(db: Path, oracle: Oracle) -> None:
    for f in [Filters(), *_narrowing(oracle).values()]:
        assert queries.summary(db, f) == _summary(oracle, f), f


def test_summary_with_previous_compares_with_the_period_of_equal_length_before(
    db: Path, oracle: Oracle
) -> None:
    last = max(x.meeting_date for x in oracle.facts)
    f = Filters(start=last - timedelta(days=119), end=last, kinds=("meeting",))  # 120 days
    now, before = queries.summary_with_previous(db, f)
    assert before is not None
    # the 120 days that end the day before the period starts, with every other filter kept
    previous = Filters(start=last - timedelta(days=239), end=last - timedelta(days=120), kinds=("meeting",))
    assert now == _summary(oracle, f)
    assert before == _summary(oracle, previous)
    assert before.engagements > 0  # the fixture has engagements in both periods


def test_summary_with_previous_needs_a_period(db: Path, oracle: Oracle) -> None:
    now, before = queries.summary_with_previous(db, Filters(start=date(2025, 1, 1)))
    assert before is None
    assert now == _summary(oracle, Filters(start=date(2025, 1, 1)))


# --- timeline -------------------------------------------------------------------------------------------


def _truncate(day: date, grain: str) -> date:
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def _timeline(oracle: Oracle, f: Filters, grain: str, stack: str) -> dict[tuple[date, str], int]:
    meetings: dict[tuple[date, str], set[str]] = defaultdict(set)
    for x in oracle.select(f):
        groups = {
            "kind": {x.kind},
            "topic": x.topics,
            "country": x.countries,
            "region": {oracle.regions.get(c) or "Unknown" for c in x.countries},
        }[stack]
        for group in groups:
            meetings[(_truncate(x.meeting_date, grain), group)].add(x.meeting_id)
    return {key: len(ids) for key, ids in meetings.items()}


@pytest.mark.parametrize("stack", queries.STACKS)
@pytest.mark.parametrize("grain", queries.GRAINS)
def test_timeline_counts_per_period_and_group(db: Path, oracle: Oracle, grain: str, stack: str) -> None:
    for f in (Filters(), Filters(kinds=("meeting", "visit"))):
        frame = queries.timeline(db, f, grain, stack)
        assert list(frame.columns) == ["period", "group", "engagements"]
        got = {
            (pd.Timestamp(p).date(), g): int(n)
            for p, g, n in zip(frame["period"], frame["group"], frame["engagements"], strict=True)
        }
        assert got == _timeline(oracle, f, grain, stack)
        assert list(frame["period"]) == sorted(frame["period"])
        if stack == "kind":
            assert frame["engagements"].sum() == queries.count(db, f)


# --- lists ----------------------------------------------------------------------------------------------

ENGAGEMENT_COLUMNS = [
    "meeting_id",
    "meeting_date",
    "kind",
    "principal",
    "source",
    "title",
    "url",
    "counterparts",
    "countries",
    "topics",
]


@pytest.mark.parametrize("order", queries.ORDERS)
def test_engagement_pages_add_up_to_the_whole_list(db: Path, oracle: Oracle, order: str) -> None:
    f = Filters()
    whole = queries.engagements(db, f, order, page=1, page_size=1000)
    assert list(whole.columns) == ENGAGEMENT_COLUMNS
    assert len(whole) == queries.count(db, f) == len(oracle.facts)
    n_pages = -(-len(whole) // 7)
    assert n_pages >= 3
    pages = [queries.engagements(db, f, order, page=p, page_size=7) for p in range(1, n_pages + 1)]
    assert [len(p) for p in pages[:-1]] == [7] * (n_pages - 1)
    assert 0 < len(pages[-1]) <= 7
    assert list(pd.concat(pages)["meeting_id"]) == list(whole["meeting_id"])
    assert queries.engagements(db, f, order, page=99, page_size=7).empty
    assert list(queries.engagements(db, f, order, page=0, page_size=7)["meeting_id"]) == list(
        pages[0]["meeting_id"]
    )


def _sorted_by(values: list[Any], *, descending: bool = False) -> bool:
    """In order, with missing values last."""
    present = [v for v in values if pd.notna(v)]
    return values[: len(present)] == present and present == sorted(present, reverse=descending)


def test_engagement_sort_orders(db: Path) -> None:
    f = Filters()

    def column(order: str, name: str) -> list[Any]:
        return list(queries.engagements(db, f, order, page_size=1000)[name])

    assert _sorted_by(column("date_desc", "meeting_date"), descending=True)
    assert _sorted_by(column("date_asc", "meeting_date"))
    assert _sorted_by(column("kind", "kind"))
    assert _sorted_by(column("principal", "principal"))
    by_kind = queries.engagements(db, f, "kind", page_size=1000)
    for _, group in by_kind.groupby("kind"):
        assert list(group["meeting_date"]) == sorted(group["meeting_date"], reverse=True)


def test_engagement_rows_fold_counterparts_countries_and_topics(db: Path, oracle: Oracle) -> None:
    rows = queries.engagements(db, Filters(), page_size=1000)
    by_id = {x.meeting_id: x for x in oracle.facts}
    for row in rows.itertuples(index=False):
        fact = by_id[row.meeting_id]
        assert row.countries == ", ".join(sorted(fact.countries))
        assert row.topics == ", ".join(sorted(fact.topics))
        assert row.counterparts == "; ".join([*sorted(fact.persons), *sorted(fact.orgs)])
        assert row.title == fact.title


def test_engagements_follow_the_filters(db: Path, oracle: Oracle) -> None:
    f = _narrowing(oracle)["countries"]
    assert set(queries.engagements(db, f, page_size=1000)["meeting_id"]) == oracle.ids(f)


# --- one engagement -------------------------------------------------------------------------------------


MEETING_KEYS = (
    "meeting_id",
    "release_id",
    "meeting_date",
    "kind",
    "principal",
    "principal_country",
    "location",
    "evidence_start",
    "evidence_end",
    "source",
    "source_ref",
    "url",
    "title",
    "body",
)


def test_every_engagement_has_its_evidence_inside_the_body(db: Path, oracle: Oracle) -> None:
    for fact in oracle.facts:
        found = queries.engagement(db, fact.meeting_id)
        assert found is not None
        m = found.meeting
        body = str(m["body"])
        assert set(MEETING_KEYS) <= set(m)
        start, end = int(str(m["evidence_start"])), int(str(m["evidence_end"]))
        assert 0 <= start < end <= len(body)
        assert body[start:end].strip()
        assert list(found.counterparts.columns) == [
            "counterpart_id",
            "kind",
            "name",
            "country_iso3",
            "role",
            "evidence_start",
            "evidence_end",
        ]
        assert list(found.topics.columns) == ["topic_id", "label", "evidence_start", "evidence_end"]
        for frame in (found.counterparts, found.topics):
            for s, e in zip(frame["evidence_start"], frame["evidence_end"], strict=True):
                if pd.notna(s):
                    assert 0 <= int(s) < int(e) <= len(body)
        cp = found.counterparts
        assert set(cp.loc[cp["kind"] == "person", "name"]) == fact.persons
        assert set(cp.loc[cp["kind"] == "country", "country_iso3"]) == fact.countries
        assert set(cp.loc[cp["kind"] == "organization", "name"]) == fact.orgs
        assert set(found.topics["topic_id"]) == fact.topics
        siblings = {x.meeting_id for x in oracle.facts if x.release_id == fact.release_id}
        assert set(found.siblings["meeting_id"]) == siblings
        assert list(found.siblings["ordinal"]) == sorted(found.siblings["ordinal"])


def test_the_markup_release_is_stored_as_written(db: Path, dashboard_wh: DashboardWarehouse) -> None:
    found = queries.engagement(db, dashboard_wh.markup_meeting_id)
    assert found is not None
    assert '<script>alert("x")</script>' in str(found.meeting["body"])
    assert "<b>bold</b>" in str(found.meeting["body"])


def test_an_unknown_engagement_is_none(db: Path) -> None:
    assert queries.engagement(db, "no-such-meeting") is None


# --- counterparts ---------------------------------------------------------------------------------------


def _gaps(days: list[date]) -> tuple[int | None, date | None, date | None]:
    best: tuple[int | None, date | None, date | None] = (None, None, None)
    for a, b in itertools.pairwise(sorted(set(days))):
        if best[0] is None or (b - a).days > best[0]:
            best = ((b - a).days, a, b)
    return best


def test_counterpart_profile_on_hand_checked_dates(paged_wh: Path) -> None:
    """The paged warehouse: release i is dated 2025-(1 + i // 28)-(1 + i % 28), Japan's ambassador
    when i % 8 == 0, so Japan's contacts are 1, 9, 17, 25 January and 5, 13, 21 February."""
    profile = queries.counterpart_profile(paged_wh, Filters(), "country", "JPN")
    assert len(profile.engagements) == 7
    assert list(profile.engagements.columns) == ["meeting_id", "meeting_date", "kind", "principal", "source"]
    assert profile.first_contact == date(2025, 1, 1)
    assert profile.last_contact == date(2025, 2, 21)
    assert (profile.longest_gap_days, profile.gap_from, profile.gap_to) == (
        11,
        date(2025, 1, 25),
        date(2025, 2, 5),
    )
    assert profile.topics.to_dict("records") == [{"topic_id": "trade_economy", "engagements": 7}]
    later = queries.counterpart_profile(paged_wh, Filters(start=date(2025, 1, 26)), "country", "Japan")
    assert (later.first_contact, later.last_contact, later.longest_gap_days) == (
        date(2025, 2, 5),
        date(2025, 2, 21),
        8,
    )


def test_counterpart_profile_of_every_country_matches_the_facts(db: Path, oracle: Oracle) -> None:
    countries = set().union(*(x.countries for x in oracle.facts))
    assert countries
    for iso3 in sorted(countries):
        mine = [x for x in oracle.facts if iso3 in x.countries]
        profile = queries.counterpart_profile(db, Filters(), "country", iso3)
        assert set(profile.engagements["meeting_id"]) == {x.meeting_id for x in mine}
        days = [x.meeting_date for x in mine]
        assert (profile.first_contact, profile.last_contact) == (min(days), max(days))
        assert (profile.longest_gap_days, profile.gap_from, profile.gap_to) == _gaps(days)
        topics = Counter(t for x in mine for t in x.topics)
        assert dict(zip(profile.topics["topic_id"], profile.topics["engagements"], strict=True)) == topics


def test_counterpart_profile_of_a_person_and_of_nobody(db: Path, oracle: Oracle) -> None:
    person = sorted(set().union(*(x.persons for x in oracle.facts)))[0]
    profile = queries.counterpart_profile(db, Filters(), "person", person)
    assert set(profile.engagements["meeting_id"]) == {
        x.meeting_id for x in oracle.facts if person in x.persons
    }
    nobody = queries.counterpart_profile(db, Filters(), "person", "Nobody At All")
    assert nobody.engagements.empty and nobody.topics.empty
    assert (nobody.first_contact, nobody.last_contact, nobody.longest_gap_days) == (None, None, None)


def test_top_counterparts(db: Path, oracle: Oracle) -> None:
    for kind, attr in (("country", "countries"), ("person", "persons"), ("organization", "orgs")):
        frame = queries.top_counterparts(db, Filters(), kind, limit=5)
        assert list(frame.columns) == [
            "counterpart_id",
            "name",
            "kind",
            "country_iso3",
            "engagements",
            "first_contact",
            "last_contact",
        ]
        assert 0 < len(frame) <= 5
        assert set(frame["kind"]) == {kind}
        assert list(frame["engagements"]) == sorted(frame["engagements"], reverse=True)
        counts = Counter(v for x in oracle.facts for v in getattr(x, attr))
        key = "country_iso3" if kind == "country" else "name"
        for value, n in zip(frame[key], frame["engagements"], strict=True):
            assert counts[value] == n
        assert max(counts.values()) == frame["engagements"].iloc[0]


@pytest.mark.parametrize("case", ["none", "kinds", "dates", "countries", "topics", "text", "kinds+persons"])
@pytest.mark.parametrize(("grain", "stack"), [("month", "kind"), ("year", "region"), ("quarter", "topic")])
def test_overview_agrees_with_the_oracle_whichever_plan_it_takes(
    db: Path, oracle: Oracle, case: str, grain: str, stack: str
) -> None:
    """The Overview shares its selection three ways (overview_plan); each must give the same answers as
    the oracle and as the page's queries taken one at a time."""
    chosen = _narrowing(oracle)
    f = (
        Filters()
        if case == "none"
        else Filters(kinds=chosen["kinds"].kinds, persons=chosen["persons"].persons)
        if case == "kinds+persons"
        else chosen[case]
    )
    plan = queries.overview_plan(f)
    if case == "none":
        assert plan.setup[0].startswith("CREATE TEMP VIEW")
    elif case in ("kinds", "dates"):
        assert len(plan.setup) == 1  # the plain-column filters are re-applied per chart
    else:
        assert plan.setup[0].startswith("CREATE TEMP TABLE filtered")
    result = queries.overview(db, f, grain, stack, top_limit=5)
    assert result.summary == _summary(oracle, f)
    previous = f.previous_period()
    assert result.previous == (_summary(oracle, previous) if previous else None)
    pd.testing.assert_frame_equal(result.timeline, queries.timeline(db, f, grain, stack))
    pd.testing.assert_frame_equal(result.topic_mix, queries.topic_mix(db, f))
    counts = Counter(t for x in oracle.select(f) for t in x.topics)
    assert dict(zip(result.topic_mix["topic_id"], result.topic_mix["engagements"], strict=True)) == counts
    for kind, attr in (("country", "countries"), ("person", "persons"), ("organization", "orgs")):
        top = result.top[result.top["kind"] == kind].reset_index(drop=True)
        alone = queries.top_counterparts(db, f, kind, limit=5)
        assert list(top["engagements"]) == list(alone["engagements"])
        assert list(top["name"]) == list(alone["name"])
        expected = Counter(v for x in oracle.select(f) for v in getattr(x, attr))
        assert sorted(top["engagements"], reverse=True) == sorted(expected.values(), reverse=True)[:5]


def test_map_counts_engagements_per_country(db: Path, oracle: Oracle) -> None:
    f = _narrowing(oracle)["kinds"]
    frame = queries.map_counts(db, f)
    assert list(frame.columns) == ["iso3", "country", "region", "engagements"]
    assert dict(zip(frame["iso3"], frame["engagements"], strict=True)) == Counter(
        c for x in oracle.select(f) for c in x.countries
    )
    assert frame["country"].notna().all()


def test_topic_mix_and_drivers(db: Path, oracle: Oracle) -> None:
    mix = queries.topic_mix(db, Filters())
    assert list(mix.columns) == ["topic_id", "label", "engagements"]
    counts = Counter(t for x in oracle.facts for t in x.topics)
    assert dict(zip(mix["topic_id"], mix["engagements"], strict=True)) == counts
    topic = mix["topic_id"].iloc[0]
    drivers = queries.topic_drivers(db, Filters(), topic, limit=100)
    assert list(drivers.columns) == ["name", "kind", "country_iso3", "engagements"]
    persons = Counter(p for x in oracle.facts if topic in x.topics for p in x.persons)
    got = drivers[drivers["kind"] == "person"]
    assert dict(zip(got["name"], got["engagements"], strict=True)) == persons


def test_network_edges(db: Path, oracle: Oracle) -> None:
    edges = queries.network(db, Filters(), limit=500)
    assert list(edges.columns) == [
        "principal",
        "counterpart",
        "counterpart_kind",
        "country_iso3",
        "engagements",
    ]
    assert "country" not in set(edges["counterpart_kind"])
    expected = Counter(
        (x.principal, name) for x in oracle.facts if x.principal for name in x.persons | x.orgs
    )
    assert dict(
        zip(zip(edges["principal"], edges["counterpart"], strict=True), edges["engagements"], strict=True)
    ) == dict(expected)
    with_countries = queries.network(db, Filters(), limit=500, with_countries=True)
    assert "country" in set(with_countries["counterpart_kind"])
    assert len(queries.network(db, Filters(), limit=3)) == 3


# --- export ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", [None, "countries", "dates", "text"])
def test_export_rows_are_the_filtered_meeting_facts(db: Path, oracle: Oracle, field: str | None) -> None:
    f = Filters() if field is None else _narrowing(oracle)[field]
    exported = queries.export_rows(db, f)
    assert list(exported.columns) == CONTRACT_COLUMNS
    con = duckdb.connect(str(db), read_only=True)
    try:
        direct = con.execute(
            "SELECT * FROM meeting_facts WHERE meeting_id IN (SELECT unnest(?::VARCHAR[]))"
            " ORDER BY meeting_date, meeting_id",
            [sorted(oracle.ids(f))],
        ).df()
    finally:
        con.close()
    assert len(exported) == queries.count(db, f)
    pd.testing.assert_frame_equal(exported.reset_index(drop=True), direct.reset_index(drop=True))


# --- the rest -------------------------------------------------------------------------------------------


def test_quality_tables(db: Path, dashboard_wh: DashboardWarehouse) -> None:
    runs = queries.runs(db)
    assert list(runs.columns) == [
        "run_id",
        "started_at",
        "finished_at",
        "status",
        "source",
        "seen",
        "new",
        "changed",
        "unchanged",
        "rejected",
        "meetings",
        "seconds",
        "extractor_version",
        "error",
    ]
    assert list(runs["status"]) == ["succeeded"]
    assert runs["seen"].iloc[0] == len(dashboard_wh.inputs)
    rejects = queries.rejects(db)
    assert list(rejects.columns) == ["rejected_at", "source_ref", "reason", "run_id"]
    assert len(rejects) == 1 and "broken_record.json" in rejects["source_ref"].iloc[0]
    scores = queries.evaluation(db)
    assert list(scores.columns) == [
        "gold_file",
        "evaluated_at",
        "releases",
        "missing",
        "field",
        "precision",
        "recall",
        "f1",
        "tp",
        "fp",
        "fn",
        "extractor_version",
    ]
    assert set(scores["gold_file"]) == {str(dashboard_wh.gold)}
    assert {"diplomatic", "kinds", "countries", "topics"} <= set(scores["field"])
    assert set(scores["releases"]) == {4} and set(scores["missing"]) == {1}


def test_freshness_options_and_bounds(db: Path, oracle: Oracle) -> None:
    fresh = queries.freshness(db)
    assert [f.name for f in fields(fresh)] == [
        "refreshed_at",
        "last_status",
        "last_started_at",
        "last_error",
        "extractor_version",
    ]
    assert fresh.last_status == "succeeded" and fresh.refreshed_at is not None and fresh.last_error is None
    opts = queries.options(db)
    assert list(opts.columns) == ["field", "value", "label", "n"]
    assert set(opts["field"]) == {
        "source",
        "principal",
        "kind",
        "topic",
        "country",
        "region",
        "org",
        "person",
    }
    assert set(opts.loc[opts["field"] == "kind", "value"]) == {x.kind for x in oracle.facts}
    assert set(opts.loc[opts["field"] == "country", "value"]) == set().union(
        *(x.countries for x in oracle.facts)
    )
    days = [x.meeting_date for x in oracle.facts]
    assert queries.date_bounds(db) == (min(days), max(days))


@pytest.mark.parametrize(
    "call",
    [
        lambda db: queries.timeline(db, Filters(), grain="decade"),
        lambda db: queries.timeline(db, Filters(), stack="principal"),
        lambda db: queries.timeline(db, Filters(), grain="month; DROP TABLE meetings"),
        lambda db: queries.engagements(db, Filters(), order="random"),
        lambda db: queries.engagements(db, Filters(), order="meeting_date DESC"),
        lambda db: queries.top_counterparts(db, Filters(), kind="company"),
        lambda db: queries.counterpart_profile(db, Filters(), "company", "x"),
    ],
    ids=["grain", "stack", "grain-injection", "order", "order-sql", "top-kind", "profile-kind"],
)
def test_an_invalid_choice_raises_value_error(db: Path, call: Callable[[Path], object]) -> None:
    with pytest.raises(ValueError, match="must be one of"):
        call(db)


@pytest.mark.parametrize(
    "call",
    [
        lambda db: queries.summary(db, Filters()),
        lambda db: queries.count(db, Filters()),
        lambda db: queries.timeline(db, Filters()),
        lambda db: queries.engagements(db, Filters()),
        lambda db: queries.engagement(db, "x"),
        lambda db: queries.export_rows(db, Filters()),
        lambda db: queries.options(db),
        lambda db: queries.freshness(db),
        lambda db: queries.runs(db),
    ],
)
def test_a_missing_warehouse_says_how_to_build_one(tmp_path: Path, call: Callable[[Path], object]) -> None:
    missing = tmp_path / "nowhere" / "diplomacy.duckdb"
    with pytest.raises(WarehouseMissing) as caught:
        call(missing)
    message = str(caught.value)
    assert str(missing) in message
    assert "etl run" in message and "DIPLOMACY_DB" in message
    assert not missing.exists()  # reading never creates a warehouse
    assert data_version(missing) == "missing"


def test_a_warehouse_swapped_in_is_seen_by_the_next_call(db: Path, tmp_path: Path) -> None:
    published = tmp_path / "diplomacy.duckdb"
    shutil.copyfile(db, published)
    before = data_version(published)
    assert queries.count(published, Filters()) == queries.count(db, Filters())

    one = next(p for p in golden_inputs() if p.name == "agency_kg_005.txt")
    fresh = tmp_path / "next" / "diplomacy.duckdb"
    fresh.parent.mkdir()
    run([str(one)], fresh, workers=1)
    expected = queries.count(fresh, Filters())
    assert 0 < expected < queries.count(db, Filters())

    os.replace(fresh, published)
    assert data_version(published) != before
    assert queries.count(published, Filters()) == expected
    assert set(queries.export_rows(published, Filters())["source_ref"]) == {str(one)}
