"""Network: principals and counterparts linked by engagements; select a node to filter by it."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, state, ui

filters = state.current()
db, version = data.current()
st.title("Network")

left, right = st.columns([2, 1])
limit = left.slider("Strongest links", 10, 200, 60, step=10, key="nw_limit")
with_countries = right.toggle("Include countries", key="nw_countries")
edges = data.network(db, version, filters, limit, with_countries)
if edges.empty:
    ui.empty_state()
    st.stop()
kinds = dict(zip(edges["counterpart"], edges["counterpart_kind"], strict=False))
isos = dict(zip(edges["counterpart"], edges["country_iso3"], strict=False))


def _drill() -> None:
    points = ui.selection_points("nw_chart")
    for point in points:
        data_ = point.get("customdata")
        if not data_ or len(data_) != 2:
            continue
        role, name = data_
        if role == "principal":
            state.narrow(principals=[name])
        elif kinds.get(name) == "person":
            state.narrow(persons=[name])
        elif kinds.get(name) == "organization":
            state.narrow(orgs=[name])
        elif kinds.get(name) == "country" and isos.get(name):
            state.narrow(countries=[isos[name]])
        return


ui.chart(charts.network(edges), "nw_chart", on_select=_drill, file_stem="network")
st.caption("Edge width: engagements. Select a principal or counterpart to filter every page by it.")
st.dataframe(edges, hide_index=True, width="stretch")
