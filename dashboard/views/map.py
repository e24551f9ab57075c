"""Map: engagements by counterpart country, drawn from the app's own outlines (no outside request)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, state, ui

filters = state.current()
db, version = data.current()
st.title("Map")

counts = data.map_counts(db, version, filters)
if counts.empty:
    ui.empty_state("engagements with counterpart countries")
    st.stop()


def _drill() -> None:
    points = ui.selection_points("map_chart")
    if points:
        iso3 = points[0].get("location") or (points[0].get("customdata") or [None])[0]
        if iso3:
            state.narrow(countries=[iso3])


ui.chart(charts.world_map(counts), "map_chart", on_select=_drill, file_stem="engagements-map")
st.caption(
    "Select a country to narrow every page to it. Small states may be too small to click: use the table."
)
event = st.dataframe(
    counts,
    key="map_table",
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    column_config={"iso3": "ISO3", "country": "Country", "region": "Region", "engagements": "Engagements"},
)
row = ui.selected_row(event, counts)
if row is not None:
    iso3 = str(row["iso3"])
    # A callback: the sidebar's widgets already exist here, so only a callback may change their values.
    st.button(
        f"Filter every page to {iso3}",
        icon=":material/filter_alt:",
        on_click=state.narrow,
        kwargs={"countries": [iso3]},
    )
