"""Engagement: one engagement with its release text, the evidence highlighted, and every extracted field."""

from __future__ import annotations

import streamlit as st

from dashboard import data, highlight, state
from dashboard.charts import KIND_LABELS
from dashboard.ui import publisher_line

db, version = data.current()
meeting_id = st.query_params.get("meeting") or st.session_state.get("meeting_id")
st.title("Engagement")
if not meeting_id:
    st.info(
        "Open an engagement from the **Engagements** list to see its source text.", icon=":material/article:"
    )
    st.page_link("views/engagements.py", label="Go to Engagements", icon=":material/list:")
    st.stop()

found = data.engagement(db, version, str(meeting_id))
if found is None:
    st.warning(f"No engagement {meeting_id} in the warehouse (it may have been re-extracted since).")
    st.stop()
state.set_page_param("meeting", str(meeting_id))
m = found.meeting
st.subheader(str(m["title"]))
kind = KIND_LABELS.get(str(m["kind"]), str(m["kind"]))
day = m["meeting_date"].date() if hasattr(m["meeting_date"], "date") else m["meeting_date"]
st.markdown(
    f"**{kind}** on **{day}** · principal **{m['principal'] or 'not named'}** ({m['principal_country'] or '?'})"
    + (f" · at {m['location']}" if m.get("location") else "")
)
if m.get("url"):
    st.link_button("Source", str(m["url"]), icon=":material/open_in_new:")
st.caption(f"Source: {m['source'] or 'unknown'} · {m['source_ref']} · extractor {m['extractor_version']}")
st.text(publisher_line(m.get("publisher_country"), m.get("publisher_basis")))

left, right = st.columns([3, 2])
with left:
    marks = [
        highlight.Mark(
            int(str(m["evidence_start"])), int(str(m["evidence_end"])), "sentence", "the engagement"
        )
    ]
    for row in found.counterparts.itertuples(index=False):
        if row.evidence_start is not None and row.evidence_start == row.evidence_start:
            marks.append(
                highlight.Mark(int(row.evidence_start), int(row.evidence_end), "counterpart", str(row.name))
            )
    for row in found.topics.itertuples(index=False):
        if row.evidence_start is not None and row.evidence_start == row.evidence_start:
            marks.append(
                highlight.Mark(int(row.evidence_start), int(row.evidence_end), "topic", str(row.label))
            )
    st.html(highlight.STYLE + highlight.render(str(m["body"]), marks))
    st.caption("Yellow: the sentence that states the engagement · blue: counterparts · dashed: topics")
with right:
    st.markdown("**Counterparts**")
    st.dataframe(
        found.counterparts[["kind", "name", "country_iso3", "role"]],
        hide_index=True,
        width="stretch",
        column_config={"country_iso3": "Country", "role": st.column_config.TextColumn("Role as stated")},
    )
    st.markdown("**Topics**")
    st.dataframe(found.topics[["topic_id", "label"]], hide_index=True, width="stretch")
    others = found.siblings[found.siblings["meeting_id"] != m["meeting_id"]]
    st.markdown("**Other engagements in this release**")
    if others.empty:
        st.caption("None")
    for row in others.itertuples(index=False):
        label = f"{KIND_LABELS.get(row.kind, row.kind)} · {row.meeting_date:%Y-%m-%d}"
        if st.button(label, key=f"sib-{row.meeting_id}"):
            state.set_page_param("meeting", row.meeting_id)
            st.session_state["meeting_id"] = row.meeting_id
            st.rerun()
st.page_link(
    "views/engagements.py",
    label="Back to the list (filters kept)",
    icon=":material/arrow_back:",
    query_params=state.current().to_query(),
)
