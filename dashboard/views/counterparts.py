"""Counterparts: one country, organization or person over time, and two side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, state, ui
from dashboard.charts import KIND_LABELS

KINDS = {"country": "Country", "organization": "Organization", "person": "Person"}
FIELDS = {"country": "country", "organization": "org", "person": "person"}

filters = state.current()
db, version = data.current()
st.title("Counterparts")
opts = data.options(db, version)


def _choices(kind: str) -> tuple[list[str], dict[str, str]]:
    rows = opts[opts["field"] == FIELDS[kind]]
    return list(rows["value"].astype(str)), dict(
        zip(rows["value"].astype(str), rows["label"].astype(str), strict=True)
    )


def _pick(
    column: st.delta_generator.DeltaGenerator, suffix: str, default_kind: str
) -> tuple[str, str | None]:
    kind = column.segmented_control(
        "Kind", list(KINDS), format_func=KINDS.__getitem__, default=default_kind, key=f"cp_kind{suffix}"
    )
    kind = kind or default_kind
    values, labels = _choices(kind)
    name = column.selectbox(
        KINDS[kind],
        values,
        format_func=lambda v: labels.get(v, v),
        key=f"cp_name{suffix}_{kind}",
        index=0 if values else None,
    )
    return kind, name


left, right = st.columns(2)
requested = st.query_params.get("cp_kind", "country")
kind, name = _pick(left, "", requested if requested in KINDS else "country")  # a bad URL value is ignored
compare = right.toggle("Compare with another counterpart", key="cp_compare")
if not name:
    ui.empty_state("counterparts")
    st.stop()
state.set_page_param("cp_kind", kind)

profile = data.counterpart_profile(db, version, filters, kind, name)
label = _choices(kind)[1].get(name, name)
if profile.engagements.empty:
    ui.empty_state(f"engagements with {label}")
    st.stop()

m1, m2, m3, m4 = st.columns(4)
m1.metric("Engagements", len(profile.engagements))
m2.metric("First contact", str(profile.first_contact))
m3.metric("Last contact", str(profile.last_contact))
m4.metric(
    "Longest gap",
    f"{profile.longest_gap_days} days" if profile.longest_gap_days is not None else "—",
    help=f"between {profile.gap_from} and {profile.gap_to}" if profile.gap_from else None,
)
ui.chart(
    charts.counterpart_timeline(profile.engagements, label), "cp_timeline", file_stem=f"counterpart-{name}"
)

c1, c2, c3 = st.columns(3)
with c1:
    st.markdown("**Kinds**")
    kinds = profile.engagements["kind"].map(KIND_LABELS).fillna(profile.engagements["kind"]).value_counts()
    st.dataframe(kinds.rename("engagements"), width="stretch")
with c2:
    st.markdown("**Topics**")
    st.dataframe(profile.topics, hide_index=True, width="stretch")
with c3:
    st.markdown("**Principals who met them**")
    st.dataframe(
        profile.engagements["principal"].fillna("not named").value_counts().rename("engagements"),
        width="stretch",
    )

# A callback: the sidebar's widgets already exist at this point, so only a callback may change their values.
st.button(
    f"Filter every page to {label}",
    icon=":material/filter_alt:",
    on_click=state.narrow,
    kwargs={{"country": "countries", "organization": "orgs", "person": "persons"}[kind]: [name]},
)

if compare:
    st.divider()
    kind2, name2 = _pick(right, "_2", kind)
    if name2:
        other = data.counterpart_profile(db, version, filters, kind2, name2)
        label2 = _choices(kind2)[1].get(name2, name2)
        figure = charts.compare_counterparts(profile.engagements, other.engagements, (label, label2))
        ui.chart(figure, "cp_compare_chart", file_stem="counterparts-compared")
        table = pd.DataFrame(
            {
                label: [
                    len(profile.engagements),
                    profile.first_contact,
                    profile.last_contact,
                    profile.longest_gap_days,
                ],
                label2: [
                    len(other.engagements),
                    other.first_contact,
                    other.last_contact,
                    other.longest_gap_days,
                ],
            },
            index=["Engagements", "First contact", "Last contact", "Longest gap (days)"],
        ).astype(str)
        st.dataframe(table, width="stretch")
