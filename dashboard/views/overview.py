"""Overview: how much engagement, with whom and on what, over the filtered period."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, data, state, ui

GRAIN_STACK = {"kind": "kinds", "topic": "topics", "region": "regions", "country": "countries"}

filters = state.current()
db, version = data.current()
st.title("Overview")

now, before = data.summary(db, version, filters)
if now.engagements == 0:
    ui.empty_state()
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric("Engagements", now.engagements, ui.fmt_change(now.engagements, before and before.engagements))
c2.metric("Countries", now.countries, ui.fmt_change(now.countries, before and before.countries))
c3.metric("Persons", now.persons, ui.fmt_change(now.persons, before and before.persons))
c4.metric(
    "Organizations", now.organizations, ui.fmt_change(now.organizations, before and before.organizations)
)
if before is None:
    st.caption("Set a period in the sidebar to compare with the period of the same length before it.")

left, right = st.columns([1, 1])
grain = left.segmented_control(
    "Time step", ["day", "week", "month", "quarter", "year"], default="month", key="ov_grain"
)
stack = right.segmented_control("Split by", list(GRAIN_STACK), default="kind", key="ov_stack")
grain, stack = grain or "month", stack or "kind"


def _drill_timeline() -> None:
    points = ui.selection_points("ov_timeline")
    if not points:
        return
    group, period = points[0]["customdata"][0], points[0]["customdata"][1]
    start, end = state.period_range(pd.Timestamp(period).date(), st.session_state.get("ov_grain") or "month")
    stack_now = st.session_state.get("ov_stack") or "kind"
    state.narrow(dates=(start, end), **{GRAIN_STACK[stack_now]: [group]})


frame = data.timeline(db, version, filters, grain, stack)
st.caption("Select a bar to narrow every page to that period and group.")
ui.chart(
    charts.timeline(frame, grain, stack),
    "ov_timeline",
    on_select=_drill_timeline,
    file_stem="engagements-over-time",
)

tabs = st.tabs(["Countries", "Organizations", "Persons", "Topics"])
for tab, kind, narrow_to in (
    (tabs[0], "country", "countries"),
    (tabs[1], "organization", "orgs"),
    (tabs[2], "person", "persons"),
):
    with tab:
        top = data.top_counterparts(db, version, filters, kind, 15)
        key = f"ov_top_{kind}"

        def _drill(key: str = key, narrow_to: str = narrow_to, top: pd.DataFrame = top) -> None:
            points = ui.selection_points(key)
            if not points:
                return
            name = points[0]["customdata"][0]
            if narrow_to == "countries":
                matches = top.loc[top["name"] == name, "country_iso3"]
                name = str(matches.iloc[0]) if not matches.empty else name
            state.narrow(**{narrow_to: [name]})

        ui.chart(charts.top_counterparts(top, kind), key, on_select=_drill, file_stem=f"top-{kind}")
with tabs[3]:
    mix = data.topic_mix(db, version, filters)

    def _drill_topic() -> None:
        points = ui.selection_points("ov_topics")
        if points:
            state.narrow(topics=[points[0]["customdata"][0]])

    ui.chart(charts.topic_mix(mix), "ov_topics", on_select=_drill_topic, file_stem="topic-mix")

st.subheader("Export the filtered engagements")
ui.data_downloads(filters, key="ov")
st.caption(f"As of {date.today().isoformat()}; one row per engagement, the columns of `meeting_facts`.")
