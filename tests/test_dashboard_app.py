"""The Streamlit app, page by page, with streamlit.testing.v1.AppTest on the fixture warehouse.

AppTest cannot click a plotly chart or select a dataframe row, and has no public way to set either. `_select`
and `_select_row` send what the browser sends after a click (the selection state as the chart's or table's
widget value) through AppTest's internal run, so the page's own on_select callback runs as it would for a
user. They use `at._tree` and `at._run`: if a Streamlit upgrade breaks them, fix these two helpers.
"""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from dashboard_fixture import SCRIPT, DashboardWarehouse
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.filters import Filters

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PAGES = ("overview", "engagements", "engagement", "counterparts", "topics", "map", "network", "quality")
TITLES = {
    "overview": "Overview",
    "engagements": "Engagements",
    "engagement": "Engagement",
    "counterparts": "Counterparts",
    "topics": "Topics",
    "map": "Map",
    "network": "Network",
    "quality": "Data quality",
}
LIST_FIELDS = ("sources", "principals", "kinds", "topics", "countries", "regions", "orgs", "persons")
NOTHING = "no such words in any release"


def _app(
    monkeypatch: pytest.MonkeyPatch, db: Path, view: str | None = None, **query: str | list[str]
) -> AppTest:
    """A first run of the app on `db`, on the page `view`, with `query` as the URL's query parameters."""
    monkeypatch.setenv("DIPLOMACY_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    if view is not None:
        at.switch_page(f"views/{view}.py")
    return at.run()


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _url(at: AppTest, key: str) -> list[str]:
    """The URL's values for `key` after the run (the app rewrites the URL from the filters)."""
    value = at.query_params.get(key)
    return [] if value is None else list(value) if isinstance(value, list) else [value]


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _chart(at: AppTest, key: str) -> Any:
    return next(el for el in at.get("plotly_chart") if el.key == key)


def _traces(at: AppTest, key: str) -> list[dict[str, Any]]:
    traces: list[dict[str, Any]] = json.loads(_chart(at, key).proto.spec)["data"]
    return traces


def _numbers(value: list[float] | dict[str, str]) -> list[float]:
    """A trace's numeric array: plotly sends numpy arrays as base64 ("bdata") with their dtype."""
    if isinstance(value, dict):
        return [float(v) for v in np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])]
    return [float(v) for v in value]


def _select(at: AppTest, key: str, point: dict[str, Any]) -> AppTest:
    """Rerun as if `point` had been clicked on the plotly chart `key`."""
    selection = {"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}}
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=_chart(at, key).proto.id, string_value=json.dumps(selection)))
    return at._run(states)


def _select_row(at: AppTest, key: str, row: int) -> AppTest:
    """Rerun as if row `row` of the dataframe `key` had been selected."""
    table = next(df for df in at.dataframe if df.proto.id.endswith(f"-{key}"))
    selection = {"selection": {"rows": [row], "columns": [], "cells": []}}
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=table.proto.id, string_value=json.dumps(selection)))
    return at._run(states)


def _filters(at: AppTest) -> Filters:
    """The filters the sidebar holds, read back from the session."""
    state = at.session_state
    dates = state["f_dates"] or ()
    return Filters(
        start=dates[0] if len(dates) == 2 else None,
        end=dates[1] if len(dates) == 2 else None,
        text=state["f_text"],
        **{name: tuple(state[f"f_{name}"]) for name in LIST_FIELDS},
    )


@pytest.fixture
def db(dashboard_wh: DashboardWarehouse) -> Path:
    return dashboard_wh.path


# --- every page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", PAGES)
def test_every_page_renders(monkeypatch: pytest.MonkeyPatch, db: Path, view: str) -> None:
    at = _ok(_app(monkeypatch, db, view))
    assert at.title[0].value == TITLES[view]
    caption = " ".join(c.value for c in at.sidebar.caption)
    assert "Data refreshed" in caption  # freshness is visible on every page


def test_a_missing_warehouse_shows_how_to_build_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = _ok(_app(monkeypatch, tmp_path / "missing.duckdb"))
    assert "no warehouse at" in at.error[0].value
    assert "DIPLOMACY_DB" in at.error[0].value
    assert not at.metric


# --- overview -------------------------------------------------------------------------------------------


def test_overview_metric_is_the_filtered_count_and_follows_the_sidebar(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    at = _ok(_app(monkeypatch, db))
    assert int(_metric(at, "Engagements")) == queries.count(db, Filters())
    assert int(_metric(at, "Countries")) == queries.summary(db, Filters()).countries

    at.sidebar.multiselect(key="f_kinds").set_value(["visit"]).run()
    _ok(at)
    visits = queries.count(db, Filters(kinds=("visit",)))
    assert 0 < visits < queries.count(db, Filters())
    assert int(_metric(at, "Engagements")) == visits
    assert _url(at, "kind") == ["visit"]  # the view is bookmarkable


def test_overview_with_a_period_compares_with_the_previous_one(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    at = _ok(_app(monkeypatch, db, **{"from": "2025-03-01", "to": "2025-05-31"}))
    f = Filters(start=date(2025, 3, 1), end=date(2025, 5, 31))
    now, before = queries.summary_with_previous(db, f)
    assert before is not None
    metric = next(m for m in at.metric if m.label == "Engagements")
    assert int(metric.value) == now.engagements
    assert metric.delta == f"{now.engagements - before.engagements:+d} vs previous period"


def test_overview_drill_down_from_a_timeline_bar(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db))
    # the earliest bar: its month starts before the first engagement, so before the date widget's minimum
    period, group = min(
        (period, group) for t in _traces(at, "ov_timeline") for group, period in t["customdata"]
    )
    _ok(_select(at, "ov_timeline", {"customdata": [group, period], "x": period}))
    filters = _filters(at)
    assert filters.kinds == (group,)
    assert filters.start == date.fromisoformat(period[:10])
    first = queries.date_bounds(db)[0]
    assert first is not None and filters.start < first
    assert filters.end is not None and (filters.end + timedelta(days=1)).day == 1  # the whole month
    narrowed = queries.count(db, filters)
    assert 0 < narrowed < queries.count(db, Filters())
    assert int(_metric(at, "Engagements")) == narrowed
    assert _url(at, "kind") == [group]
    assert _url(at, "from") == [filters.start.isoformat()]


def test_overview_drill_down_from_the_top_countries(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db))
    top = queries.top_counterparts(db, Filters(), "country", 15)
    name, iso3 = top["name"].iloc[0], top["country_iso3"].iloc[0]
    _ok(_select(at, "ov_top_country", {"customdata": [name], "y": name}))
    assert at.session_state["f_countries"] == [iso3]  # the name clicked, filtered by its ISO3 code
    assert int(_metric(at, "Engagements")) == queries.count(db, Filters(countries=(iso3,)))


def test_overview_drill_down_from_the_topic_mix(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db))
    topic = _traces(at, "ov_topics")[0]["customdata"][-1][0]  # the longest bar is drawn last
    _ok(_select(at, "ov_topics", {"customdata": [topic]}))
    assert at.session_state["f_topics"] == [topic]
    assert int(_metric(at, "Engagements")) == queries.count(db, Filters(topics=(topic,)))


def test_narrowing_through_the_session_state_narrows_the_numbers(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    at = _ok(_app(monkeypatch, db))
    at.session_state["f_countries"] = ["TUR"]
    _ok(at.run())
    assert int(_metric(at, "Engagements")) == queries.count(db, Filters(countries=("TUR",)))
    assert _url(at, "country") == ["TUR"]


def test_clear_filters_restores_everything(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, kind="visit", country="TUR"))
    assert int(_metric(at, "Engagements")) == queries.count(db, Filters(kinds=("visit",), countries=("TUR",)))
    next(b for b in at.sidebar.button if b.label == "Clear filters").click().run()
    _ok(at)
    assert _filters(at) == Filters()
    assert int(_metric(at, "Engagements")) == queries.count(db, Filters())
    assert "kind" not in at.query_params


@pytest.mark.parametrize("view", ["overview", "engagements", "map", "network", "topics"])
def test_no_match_shows_the_empty_state(monkeypatch: pytest.MonkeyPatch, db: Path, view: str) -> None:
    at = _ok(_app(monkeypatch, db, view, q=NOTHING))
    assert at.session_state["f_text"] == NOTHING
    assert queries.count(db, Filters(text=NOTHING)) == 0
    assert any("match the current filters" in info.value for info in at.info)
    assert not at.get("plotly_chart")
    assert not at.dataframe


def test_a_filter_combination_with_no_result_shows_the_empty_state(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    # credentials are presented by envoys, never to an organization
    f = Filters(kinds=("credentials",), orgs=("International Monetary Fund",))
    assert queries.count(db, f) == 0
    at = _ok(_app(monkeypatch, db, kind="credentials", org="International Monetary Fund"))
    assert any("match the current filters" in info.value for info in at.info)


# --- URL ------------------------------------------------------------------------------------------------


def test_query_parameters_preselect_the_filters(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, kind="meeting", topic=["trade_economy", "energy_water"], q="Japarov"))
    assert at.sidebar.multiselect(key="f_kinds").value == ["meeting"]
    assert at.session_state["f_topics"] == ["energy_water", "trade_economy"]
    assert at.sidebar.text_input(key="f_text").value == "Japarov"
    f = Filters(kinds=("meeting",), topics=("trade_economy", "energy_water"), text="Japarov")
    assert 0 < queries.count(db, f) < queries.count(db, Filters())
    assert int(_metric(at, "Engagements")) == queries.count(db, f)


def test_a_bookmarked_period_outside_the_data_still_opens(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, **{"from": "2001-01-01", "to": "2001-12-31"}))
    assert at.session_state["f_dates"] == (date(2001, 1, 1), date(2001, 12, 31))
    assert any("match the current filters" in info.value for info in at.info)


def test_malformed_query_parameters_are_ignored(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, **{"from": "not-a-date", "to": "2025-13-45", "kind": "meeting"}))
    assert at.session_state["f_dates"] == ()
    assert int(_metric(at, "Engagements")) == queries.count(db, Filters(kinds=("meeting",)))


# --- engagements ----------------------------------------------------------------------------------------


def test_engagements_lists_the_filtered_rows(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, "engagements"))
    total = queries.count(db, Filters())
    assert len(at.dataframe[0].value) == min(total, 50)
    assert int(_metric(at, "Engagements")) == total

    at.sidebar.multiselect(key="f_countries").set_value(["TUR"]).run()
    _ok(at)
    f = Filters(countries=("TUR",))
    shown = at.dataframe[0].value
    assert len(shown) == min(queries.count(db, f), 50)
    assert set(shown["meeting_id"]) == set(queries.export_rows(db, f)["meeting_id"])


def test_engagements_pages_and_sorts(monkeypatch: pytest.MonkeyPatch, paged_wh: Path) -> None:
    at = _ok(_app(monkeypatch, paged_wh, "engagements"))
    total = queries.count(paged_wh, Filters())
    assert total > 50
    page = at.number_input(key="en_page")
    assert page.max == 2 and "of 2" in page.label
    first = at.dataframe[0].value
    assert len(first) == 50
    assert list(first["meeting_date"]) == sorted(first["meeting_date"], reverse=True)

    page.set_value(2).run()
    _ok(at)
    second = at.dataframe[0].value
    assert len(second) == total - 50
    assert set(first["meeting_id"]) | set(second["meeting_id"]) == set(
        queries.export_rows(paged_wh, Filters())["meeting_id"]
    )
    assert not set(first["meeting_id"]) & set(second["meeting_id"])

    at.number_input(key="en_page").set_value(1)
    at.selectbox(key="en_order").set_value("date_asc").run()
    _ok(at)
    oldest = at.dataframe[0].value
    assert list(oldest["meeting_date"]) == sorted(oldest["meeting_date"])
    assert pd.Timestamp(oldest["meeting_date"].iloc[0]).date() == queries.date_bounds(paged_wh)[0]


def test_selecting_a_row_opens_the_engagement(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, "engagements", kind="meeting"))
    meeting_id = str(at.dataframe[0].value["meeting_id"].iloc[1])
    _ok(_select_row(at, "en_table", 1))
    assert at.title[0].value == "Engagement"
    assert _url(at, "meeting") == [meeting_id]
    assert _url(at, "kind") == ["meeting"]  # the filters travel with the link


# --- one engagement -------------------------------------------------------------------------------------


def test_engagement_shows_the_release_with_markup_as_text(
    monkeypatch: pytest.MonkeyPatch, dashboard_wh: DashboardWarehouse
) -> None:
    meeting_id = dashboard_wh.markup_meeting_id
    found = queries.engagement(dashboard_wh.path, meeting_id)
    assert found is not None
    at = _ok(_app(monkeypatch, dashboard_wh.path, "engagement", meeting=meeting_id))
    assert str(found.meeting["title"]) in [s.value for s in at.subheader]
    (text,) = at.get("html")
    body = text.proto.body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body
    assert "<script>alert" not in body and SCRIPT not in body
    assert "<b>" not in body
    assert "Hideo Matsuda" in body  # the release text is there, with its evidence marked
    assert 'class="ev-sentence"' in body and "ev-counterpart" in body
    counterparts = at.dataframe[0].value
    assert "Hideo Matsuda" in set(counterparts["name"])
    assert _url(at, "meeting") == [meeting_id]
    side = f"Publishing side: {found.meeting['publisher_country']} ("
    assert found.meeting["publisher_basis"] in {"registry", "domain", "inferred"}
    assert any(t.value.startswith(side) for t in at.text)  # who published it, and how that was decided


def test_engagement_without_a_meeting_points_to_the_list(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, "engagement"))
    assert "Open an engagement" in at.info[0].value


def test_an_unknown_engagement_says_so(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, "engagement", meeting="no-such-meeting"))
    assert "No engagement no-such-meeting" in at.warning[0].value


def test_engagement_lists_the_other_engagements_of_its_release(
    monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    rows = queries.export_rows(db, Filters())
    release = rows["release_id"].value_counts().index[0]  # the release with the most engagements
    ids = list(rows.loc[rows["release_id"] == release, "meeting_id"])
    assert len(ids) > 1
    at = _ok(_app(monkeypatch, db, "engagement", meeting=ids[0]))
    siblings = [b for b in at.button if b.key and b.key.startswith("sib-")]
    assert {b.key for b in siblings} == {f"sib-{i}" for i in ids[1:]}
    siblings[0].click().run()
    _ok(at)
    assert _url(at, "meeting") == [siblings[0].key.removeprefix("sib-")]


# --- counterparts, topics, map, network, quality --------------------------------------------------------


def test_counterparts_profile_and_compare(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, "counterparts"))
    iso3 = at.selectbox(key="cp_name_country").value
    profile = queries.counterpart_profile(db, Filters(), "country", iso3)
    assert int(_metric(at, "Engagements")) == len(profile.engagements)
    assert _metric(at, "First contact") == str(profile.first_contact)
    assert _metric(at, "Last contact") == str(profile.last_contact)
    traces = _traces(at, "cp_timeline")
    assert traces and all(t["type"] == "bar" for t in traces)
    assert sum(sum(_numbers(t["y"])) for t in traces) == len(profile.engagements)

    at.toggle(key="cp_compare").set_value(True).run()
    _ok(at)
    assert len(_traces(at, "cp_compare_chart")) >= 1

    button = next(b for b in at.button if "Filter every page" in b.label)
    button.click().run()
    _ok(at)
    assert at.session_state["f_countries"] == [iso3]


@pytest.mark.parametrize(("requested", "shown"), [("person", "person"), ("company", "country")])
def test_counterparts_kind_from_the_url(
    monkeypatch: pytest.MonkeyPatch, db: Path, requested: str, shown: str
) -> None:
    at = _ok(_app(monkeypatch, db, "counterparts", cp_kind=requested))
    assert at.selectbox(key=f"cp_name_{shown}").value
    assert _url(at, "cp_kind") == [shown]


def test_topics_trend_and_drivers(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, "topics"))
    traces = _traces(at, "tp_trend")
    mix = queries.topic_mix(db, Filters())
    assert {t["name"] for t in traces} == set(mix["topic_id"])
    assert all(t["type"] == "scatter" for t in traces)
    topic = at.selectbox(key="tp_topic").value
    drivers = at.dataframe[0].value
    assert len(drivers) == len(queries.topic_drivers(db, Filters(), topic, 20))
    _ok(_select(at, "tp_trend", {"customdata": [traces[0]["name"], traces[0]["x"][0]]}))
    assert at.session_state["f_topics"] == [traces[0]["name"]]


def test_map_draws_iso3_countries_and_drills_down(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, "map"))
    (trace,) = _traces(at, "map_chart")
    counts = queries.map_counts(db, Filters())
    assert trace["type"] == "choropleth"
    assert trace["locationmode"] == "ISO-3"
    assert list(trace["locations"]) == list(counts["iso3"])
    assert len(at.dataframe[0].value) == len(counts)
    iso3 = counts["iso3"].iloc[0]
    _ok(_select(at, "map_chart", {"location": iso3, "customdata": [iso3]}))
    assert at.session_state["f_countries"] == [iso3]
    assert _traces(at, "map_chart")[0]["locations"] == [iso3]

    at = _ok(_app(monkeypatch, db, "map"))
    _ok(_select_row(at, "map_table", 1))
    iso3 = counts["iso3"].iloc[1]
    next(b for b in at.button if b.label == f"Filter every page to {iso3}").click().run()
    _ok(at)
    assert at.session_state["f_countries"] == [iso3]


def test_network_nodes_and_drill_down(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    at = _ok(_app(monkeypatch, db, "network"))
    nodes = [t for t in _traces(at, "nw_chart") if t.get("mode") == "markers+text"]
    assert [t["name"] for t in nodes] == ["Principals", "Counterparts"]
    edges = queries.network(db, Filters(), 60, False)
    assert {c[1] for c in nodes[0]["customdata"]} == set(edges["principal"])
    assert len(at.dataframe[0].value) == len(edges)
    persons = set(edges.loc[edges["counterpart_kind"] == "person", "counterpart"])
    person = next(c for c in nodes[1]["customdata"] if c[1] in persons)
    assert person[0] == "counterpart"
    _ok(_select(at, "nw_chart", {"customdata": person}))
    assert at.session_state["f_persons"] == [person[1]]

    at = _ok(_app(monkeypatch, db, "network"))
    role, name = nodes[0]["customdata"][0]
    assert role == "principal"
    _ok(_select(at, "nw_chart", {"customdata": [role, name]}))
    assert at.session_state["f_principals"] == [name]
    assert len(at.dataframe[0].value) == len(queries.network(db, Filters(principals=(name,)), 60, False))


def test_data_quality_shows_evaluations_runs_and_rejects(
    monkeypatch: pytest.MonkeyPatch, dashboard_wh: DashboardWarehouse
) -> None:
    at = _ok(_app(monkeypatch, dashboard_wh.path, "quality"))
    assert [s.value for s in at.subheader if s.value != "Filters"] == [
        "Accuracy per field",
        "ETL runs",
        "Rejected inputs",
    ]
    scores, runs, rejects = (df.value for df in at.dataframe)
    assert set(scores["field"]) == set(queries.evaluation(dashboard_wh.path)["field"])
    assert list(scores.columns) == ["field", "precision", "recall", "f1", "tp", "fp", "fn"]
    assert any(str(dashboard_wh.gold) in md.value for md in at.markdown)
    assert list(runs["status"]) == ["succeeded"]
    assert "record has no body" in set(rejects["reason"])
