"""Topics: what is discussed, how that changes over time, and which counterparts drive each topic."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, state, ui

filters = state.current()
db, version = data.current()
st.title("Topics")

mix = data.topic_mix(db, version, filters)
if mix.empty:
    ui.empty_state("engagements with topics")
    st.stop()

left, right = st.columns([2, 1])
grain = (
    left.segmented_control("Time step", ["month", "quarter", "year"], default="quarter", key="tp_grain")
    or "quarter"
)
share = right.toggle("Show shares", key="tp_share", help="Each topic's share of the period's topic mentions")
trend = data.timeline(db, version, filters, grain, "topic")


def _drill() -> None:
    points = ui.selection_points("tp_trend")
    if points:
        state.narrow(topics=[points[0]["customdata"][0]])


ui.chart(charts.topic_trends(trend, grain, share), "tp_trend", on_select=_drill, file_stem="topic-trends")

labels = dict(zip(mix["topic_id"], mix["label"], strict=True))
topic = st.selectbox(
    "Who drives a topic",
    list(labels),
    format_func=lambda t: f"{labels[t]} ({int(mix.loc[mix['topic_id'] == t, 'engagements'].iloc[0])})",
    key="tp_topic",
)
drivers = data.topic_drivers(db, version, filters, topic, 20)
st.dataframe(
    drivers,
    hide_index=True,
    width="stretch",
    column_config={
        "name": "Counterpart",
        "kind": "Kind",
        "country_iso3": "Country",
        "engagements": "Engagements",
    },
)
