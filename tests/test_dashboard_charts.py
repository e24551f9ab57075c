"""dashboard/charts.py: each builder on a small frame, the customdata drill-downs rely on, and empty frames."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts


def _timeline_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01", "2025-03-01"]),
            "group": ["meeting", "visit", "meeting", "phone_call"],
            "engagements": [3, 1, 2, 4],
        }
    )


def _counterparts_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "counterpart_id": ["c1", "c2", "c3"],
            "name": ["Türkiye", "Japan", "India"],
            "kind": ["country"] * 3,
            "country_iso3": ["TUR", "JPN", "IND"],
            "engagements": [2, 5, 1],
            "first_contact": [date(2025, 1, 1)] * 3,
            "last_contact": [date(2025, 3, 1)] * 3,
        }
    )


def _topics_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "topic_id": ["trade_economy", "energy_water"],
            "label": ["Trade and economy", "Energy and water"],
            "engagements": [4, 7],
        }
    )


def _map_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": ["TUR", "JPN"],
            "country": ["Türkiye", "Japan"],
            "region": ["Asia", "Asia"],
            "engagements": [3, 1],
        }
    )


def _network_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "principal": ["Sadyr Japarov", "Sadyr Japarov", "Anura Kumara Dissanayake"],
            "counterpart": ["Recep Tayyip Erdoğan", "European Union", "European Union"],
            "counterpart_kind": ["person", "organization", "organization"],
            "country_iso3": ["TUR", None, None],
            "engagements": [2, 1, 4],
        }
    )


def _profile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "meeting_id": ["m1", "m2", "m3", "m4"],
            "meeting_date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-04-02", "2025-04-03"]),
            "kind": ["meeting", "visit", "meeting", "meeting"],
            "principal": ["A", "A", "B", None],
            "source": ["s"] * 4,
        }
    )


def _annotations(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def _total(fig: go.Figure, axis: str) -> float:
    return float(sum(sum(getattr(t, axis)) for t in fig.data))


def test_timeline_stacks_one_bar_trace_per_group_with_group_and_period_in_customdata() -> None:
    frame = _timeline_frame()
    fig = charts.timeline(frame, "month", "kind")
    assert isinstance(fig, go.Figure)
    assert [t.type for t in fig.data] == ["bar"] * 3
    assert {t.name for t in fig.data} == {"Meeting", "Visit", "Phone call"}  # kinds shown by their labels
    assert fig.layout.barmode == "stack"
    assert _total(fig, "y") == frame["engagements"].sum()
    for trace in fig.data:
        assert len(trace.customdata) == len(trace.x)
        for (group, period), x in zip(trace.customdata, trace.x, strict=True):
            assert charts.KIND_LABELS[group] == trace.name  # the raw kind, for the filter
            assert pd.Timestamp(period) == pd.Timestamp(x)


def test_timeline_by_topic_keeps_the_group_as_the_label() -> None:
    frame = _timeline_frame().assign(group=["trade_economy", "energy_water", "trade_economy", "health"])
    fig = charts.timeline(frame, "quarter", "topic")
    assert {t.name for t in fig.data} == {"trade_economy", "energy_water", "health"}
    assert "quarter" in fig.layout.title.text


def test_top_counterparts_is_one_horizontal_bar_trace_with_the_name_in_customdata() -> None:
    fig = charts.top_counterparts(_counterparts_frame(), "country")
    (trace,) = fig.data
    assert trace.type == "bar"
    assert trace.orientation == "h"
    assert list(trace.y) == ["India", "Türkiye", "Japan"]  # the most met at the top
    assert list(trace.x) == [1, 2, 5]
    assert [list(c) for c in trace.customdata] == [["India"], ["Türkiye"], ["Japan"]]
    assert fig.layout.title.text == "Top counterpart countries"


def test_topic_mix_carries_the_topic_id_in_customdata() -> None:
    fig = charts.topic_mix(_topics_frame())
    (trace,) = fig.data
    assert trace.type == "bar"
    assert list(trace.y) == ["Trade and economy", "Energy and water"]
    assert [list(c) for c in trace.customdata] == [["trade_economy"], ["energy_water"]]


@pytest.mark.parametrize("share", [False, True])
def test_topic_trends_draws_one_line_per_topic(share: bool) -> None:
    frame = _timeline_frame().assign(group=["trade", "energy", "trade", "health"])
    fig = charts.topic_trends(frame, "month", share)
    assert sorted(t.name for t in fig.data) == ["energy", "health", "trade"]
    assert all(t.type == "scatter" and t.mode == "lines+markers" for t in fig.data)
    assert all(len(t.customdata) == len(t.x) for t in fig.data)
    if share:
        per_period: dict[pd.Timestamp, float] = {}
        for t in fig.data:
            for x, y in zip(t.x, t.y, strict=True):
                per_period[pd.Timestamp(x)] = per_period.get(pd.Timestamp(x), 0.0) + y
        assert all(v == pytest.approx(1.0) for v in per_period.values())
        assert fig.layout.yaxis.tickformat == ".0%"
    else:
        assert _total(fig, "y") == frame["engagements"].sum()


def test_world_map_is_an_iso3_choropleth_with_iso3_in_customdata() -> None:
    fig = charts.world_map(_map_frame())
    (trace,) = fig.data
    assert trace.type == "choropleth"
    assert trace.locationmode == "ISO-3"
    assert list(trace.locations) == ["TUR", "JPN"]
    assert list(trace.z) == [3, 1]
    assert [list(c) for c in trace.customdata] == [["TUR"], ["JPN"]]


def test_network_has_an_edge_per_row_and_node_traces_with_role_and_name() -> None:
    frame = _network_frame()
    fig = charts.network(frame)
    edges = [t for t in fig.data if t.mode == "lines"]
    nodes = [t for t in fig.data if t.mode == "markers+text"]
    assert len(edges) == len(frame)
    assert len(nodes) == 2
    principals, counterparts = nodes
    assert [list(c) for c in principals.customdata] == [
        ["principal", "Anura Kumara Dissanayake"],  # ordered by total engagements
        ["principal", "Sadyr Japarov"],
    ]
    assert [list(c) for c in counterparts.customdata] == [
        ["counterpart", "European Union"],
        ["counterpart", "Recep Tayyip Erdoğan"],
    ]
    assert list(principals.text) == ["Anura Kumara Dissanayake", "Sadyr Japarov"]
    assert set(principals.x) == {0} and set(counterparts.x) == {1}
    widths = sorted(t.line.width for t in edges)
    assert widths[-1] == pytest.approx(8.0)  # the strongest edge is the widest
    assert widths[0] < widths[-1]


def test_network_with_a_single_node_per_side_centres_it() -> None:
    fig = charts.network(_network_frame().iloc[:1])
    nodes = [t for t in fig.data if t.mode == "markers+text"]
    assert [list(t.y) for t in nodes] == [[0.5], [0.5]]


def test_counterpart_timeline_counts_engagements_per_month_and_kind() -> None:
    fig = charts.counterpart_timeline(_profile_frame(), "Japan")
    assert all(t.type == "bar" for t in fig.data)
    assert {t.name for t in fig.data} == {"Meeting", "Visit"}
    assert _total(fig, "y") == 4
    assert fig.layout.title.text == "Engagements with Japan"


def test_compare_counterparts_draws_one_trace_per_counterpart() -> None:
    profile = _profile_frame()
    fig = charts.compare_counterparts(profile, profile.iloc[:1], ("Japan", "India"))
    assert [t.name for t in fig.data] == ["Japan", "India"]
    assert fig.layout.barmode == "group"
    assert _total(fig, "y") == 5
    one_sided = charts.compare_counterparts(profile, profile.iloc[0:0], ("Japan", "India"))
    assert [t.name for t in one_sided.data] == ["Japan"]


EMPTY_CASES: list[tuple[str, Callable[[], go.Figure]]] = [
    ("timeline", lambda: charts.timeline(_timeline_frame().iloc[0:0])),
    ("top_counterparts", lambda: charts.top_counterparts(_counterparts_frame().iloc[0:0], "person")),
    ("topic_mix", lambda: charts.topic_mix(_topics_frame().iloc[0:0])),
    ("topic_trends", lambda: charts.topic_trends(_timeline_frame().iloc[0:0])),
    ("world_map", lambda: charts.world_map(_map_frame().iloc[0:0])),
    ("network", lambda: charts.network(_network_frame().iloc[0:0])),
    ("counterpart_timeline", lambda: charts.counterpart_timeline(_profile_frame().iloc[0:0], "Japan")),
    (
        "compare_counterparts",
        lambda: charts.compare_counterparts(
            _profile_frame().iloc[0:0], _profile_frame().iloc[0:0], ("Japan", "India")
        ),
    ),
]


@pytest.mark.parametrize(("name", "build"), EMPTY_CASES, ids=[name for name, _ in EMPTY_CASES])
def test_an_empty_frame_gives_a_no_engagements_annotation(name: str, build: Callable[[], go.Figure]) -> None:
    fig = build()
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    (text,) = _annotations(fig)
    assert text.startswith("No engagements")
    assert "filters" in text  # says what to change
    assert fig.layout.title.text  # still titled, so an exported image says what it is
    assert fig.layout.xaxis.visible is False


def test_builders_do_not_change_their_input() -> None:
    frame = _timeline_frame()
    before = frame.copy()
    charts.timeline(frame)
    charts.topic_trends(frame, share=True)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    ("country", "basis", "line"),
    [
        ("USA", "domain", "Publishing side: USA (from the publishing site's domain)"),
        ("LKA", "registry", "Publishing side: LKA (from the source registry)"),
        (None, "inferred", "Publishing side: unknown (inferred from the text)"),
        (
            None,
            None,
            "Publishing side: not recorded (loaded before the publisher was stored; re-run the ETL)",
        ),
    ],
)
def test_the_publishing_side_is_said_with_how_it_was_decided(
    country: object, basis: object, line: str
) -> None:
    from dashboard.ui import publisher_line

    assert publisher_line(country, basis) == line
