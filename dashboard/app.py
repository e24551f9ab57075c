"""Chancery dashboard: `streamlit run dashboard/app.py`. Reads the warehouse named by $DIPLOMACY_DB (or the
default path) and never makes a request outside the machine."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the project root
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import data, state  # noqa: E402
from dashboard.db import WarehouseMissing, warehouse_path  # noqa: E402

VIEWS = Path(__file__).resolve().parent / "views"

# A local icon file: a :material/...: page icon would be fetched from Google's font servers.
st.set_page_config(
    page_title="Chancery", page_icon=str(VIEWS.parent / "static" / "favicon.png"), layout="wide"
)

PAGES = [
    st.Page(VIEWS / "overview.py", title="Overview", icon=":material/insights:", default=True),
    st.Page(VIEWS / "engagements.py", title="Engagements", icon=":material/list:", url_path="engagements"),
    st.Page(VIEWS / "engagement.py", title="Engagement", icon=":material/article:", url_path="engagement"),
    st.Page(
        VIEWS / "counterparts.py", title="Counterparts", icon=":material/groups:", url_path="counterparts"
    ),
    st.Page(VIEWS / "topics.py", title="Topics", icon=":material/label:", url_path="topics"),
    st.Page(VIEWS / "map.py", title="Map", icon=":material/public:", url_path="map"),
    st.Page(VIEWS / "network.py", title="Network", icon=":material/hub:", url_path="network"),
    st.Page(VIEWS / "quality.py", title="Data quality", icon=":material/fact_check:", url_path="quality"),
]


def _freshness() -> None:
    """When the data was refreshed, and whether the last ETL run failed: always visible."""
    db, version = data.current()
    fresh = data.freshness(db, version)
    when = fresh.refreshed_at.strftime("%Y-%m-%d %H:%M") if fresh.refreshed_at else "never"
    if fresh.last_status == "failed":
        st.sidebar.warning(f"Last ETL run failed ({fresh.last_error}); showing data refreshed {when}.")
    else:
        st.sidebar.caption(f"Data refreshed {when} · extractor {fresh.extractor_version or '?'}")


@st.fragment(run_every=30)
def _watch_for_refresh() -> None:
    """Reload the page when the ETL publishes a new warehouse, so analysts see new data without a restart."""
    _, version = data.current()
    seen = st.session_state.setdefault("_data_version", version)
    if version != seen:
        st.session_state["_data_version"] = version
        st.rerun()


navigation = st.navigation(PAGES)
try:
    _freshness()
    state.sidebar()
except WarehouseMissing as exc:
    st.error(str(exc), icon=":material/database:")
    st.stop()
with st.sidebar:
    _watch_for_refresh()
st.session_state["_warehouse"] = str(warehouse_path())
navigation.run()
