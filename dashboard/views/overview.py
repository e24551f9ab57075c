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
headline = st.container()  # the numbers come first on the page, though computed after the controls

left, right = st.columns([1, 1])
grain = left.segmented_control(
    "Time step", ["day", "week", "month", "quarter", "year"], default="month", key="ov_grain"
)
stack = right.segmented_control("Split by", list(GRAIN_STACK), default="kind", key="ov_stack")
grain, stack = grain or "month", stack or "kind"
result = data.overview(db, version, filters, grain, stack)
now, before = result.summary, result.previous
if now.engagements == 0:
    with headline:
        ui.empty_state()
    st.stop()

c1, c2, c3, c4 = headline.columns(4)
c1.metric(
    "Engagements", now.engagements, ui.fmt_change(now.engagements, before.engagements if before else None)
)
c2.metric("Countries", now.countries, ui.fmt_change(now.countries, before.countries if before else None))
c3.metric("Persons", now.persons, ui.fmt_change(now.persons, before.persons if before else None))
c4.metric(
    "Organizations",
    now.organizations,
    ui.fmt_change(now.organizations, before.organizations if before else None),
)
if before is None:
    headline.caption("Set a period in the sidebar to compare with the period of the same length before it.")


def _drill_timeline() -> None:
    points = ui.selection_points("ov_timeline")
    if not points:
        return
    group, period = points[0]["customdata"][0], points[0]["customdata"][1]
    start, end = state.period_range(pd.Timestamp(period).date(), st.session_state.get("ov_grain") or "month")
    stack_now = st.session_state.get("ov_stack") or "kind"
    state.narrow(dates=(start, end), **{GRAIN_STACK[stack_now]: [group]})


frame = result.timeline
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
        top = result.top[result.top["kind"] == kind]
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
    mix = result.topic_mix

    def _drill_topic() -> None:
        points = ui.selection_points("ov_topics")
        if points:
            state.narrow(topics=[points[0]["customdata"][0]])

    ui.chart(charts.topic_mix(mix), "ov_topics", on_select=_drill_topic, file_stem="topic-mix")

st.subheader("Export the filtered engagements")
ui.data_downloads(filters, key="ov")
st.caption(f"As of {date.today().isoformat()}; one row per engagement, the columns of `meeting_facts`.")
