"""Data quality: the ETL runs, what was rejected and why, and how accurate each extracted field is."""

from __future__ import annotations

import streamlit as st

from dashboard import data

db, version = data.current()
st.title("Data quality")

st.subheader("Accuracy per field")
scores = data.evaluation(db, version)
if scores.empty:
    st.info(
        "No accuracy measured on this warehouse yet. Run `python -m etl evaluate --gold tests/gold/pmd_dev.jsonl` "
        "(or your own annotated gold file) to record precision, recall and F1 per field here.",
        icon=":material/fact_check:",
    )
else:
    for gold, frame in scores.groupby("gold_file"):
        first = frame.iloc[0]
        st.markdown(
            f"**{gold}** · {int(first['releases'])} annotated releases, {int(first['missing'])} not in this "
            f"warehouse · evaluated {first['evaluated_at']:%Y-%m-%d %H:%M} · extractor {first['extractor_version']}"
        )
        st.dataframe(
            frame[["field", "precision", "recall", "f1", "tp", "fp", "fn"]],
            hide_index=True,
            width="stretch",
            column_config={
                name: st.column_config.ProgressColumn(
                    name.upper() if name == "f1" else name.capitalize(),
                    min_value=0.0,
                    max_value=1.0,
                    format="%.3f",
                )
                for name in ("precision", "recall", "f1")
            },
        )

st.subheader("ETL runs")
runs = data.runs(db, version)
st.dataframe(runs, hide_index=True, width="stretch")

st.subheader("Rejected inputs")
rejects = data.rejects(db, version)
if rejects.empty:
    st.caption("Nothing was rejected.")
else:
    st.dataframe(
        rejects,
        hide_index=True,
        width="stretch",
        column_config={"reason": st.column_config.TextColumn("Reason", width="large")},
    )
