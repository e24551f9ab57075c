"""Engagements: the filtered list, sortable and paged; select a row to open its source text."""

from __future__ import annotations

import math

import streamlit as st

from dashboard import data, state, ui
from dashboard.charts import KIND_LABELS

PAGE_SIZE = 50
ORDERS = {"date_desc": "Newest first", "date_asc": "Oldest first", "kind": "Kind", "principal": "Principal"}

filters = state.current()
db, version = data.current()
st.title("Engagements")

total = data.count(db, version, filters)
if total == 0:
    ui.empty_state()
    st.stop()

left, middle, right = st.columns([2, 2, 3])
order = left.selectbox("Sort", list(ORDERS), format_func=ORDERS.__getitem__, key="en_order")
pages = max(1, math.ceil(total / PAGE_SIZE))
page = middle.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1, key="en_page")
right.metric("Engagements", total)

rows = data.engagements(db, version, filters, order, int(page), PAGE_SIZE)
table = rows.assign(kind=rows["kind"].map(KIND_LABELS).fillna(rows["kind"]))
event = st.dataframe(
    table,
    key="en_table",
    on_select="rerun",
    selection_mode="single-row",
    hide_index=True,
    width="stretch",
    column_order=[
        "meeting_date",
        "kind",
        "principal",
        "counterparts",
        "countries",
        "topics",
        "title",
        "source",
    ],
    column_config={
        "meeting_date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "kind": "Kind",
        "principal": "Principal",
        "counterparts": st.column_config.TextColumn("Counterparts", width="large"),
        "countries": "Countries",
        "topics": "Topics",
        "title": st.column_config.TextColumn("Headline", width="large"),
        "source": "Source",
    },
)
st.caption("Select a row to open the engagement with its source text and evidence.")
selected = ui.selected_row(event, rows)
if selected is not None:
    meeting_id = str(selected["meeting_id"])
    st.session_state["meeting_id"] = meeting_id
    st.switch_page("views/engagement.py", query_params={**filters.to_query(), "meeting": meeting_id})

st.subheader("Export")
ui.data_downloads(filters, key="en")
