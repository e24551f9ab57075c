"""Cached access to dashboard/queries.py for the pages.

Every call is keyed by the warehouse path and its data version (dashboard/db.py), so results are reused
while the warehouse is unchanged and recomputed as soon as the ETL publishes a new one: no restart needed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.db import data_version, warehouse_path
from dashboard.filters import Filters

_TTL = 3600


def current() -> tuple[str, str]:
    """(warehouse path, data version) to pass to every cached call."""
    path = warehouse_path()
    return str(path), data_version(path)


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def summary(db: str, version: str, f: Filters) -> tuple[queries.Summary, queries.Summary | None]:
    return queries.summary_with_previous(Path(db), f)


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def overview(db: str, version: str, f: Filters, grain: str, stack: str) -> queries.Overview:
    return queries.overview(Path(db), f, grain, stack)


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def timeline(db: str, version: str, f: Filters, grain: str, stack: str) -> pd.DataFrame:
    return queries.timeline(Path(db), f, grain, stack)


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def top_counterparts(db: str, version: str, f: Filters, kind: str, limit: int) -> pd.DataFrame:
    return queries.top_counterparts(Path(db), f, kind, limit)


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def topic_mix(db: str, version: str, f: Filters) -> pd.DataFrame:
    return queries.topic_mix(Path(db), f)


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def count(db: str, version: str, f: Filters) -> int:
    return queries.count(Path(db), f)


@st.cache_data(ttl=_TTL, max_entries=512, show_spinner=False)
def engagements(db: str, version: str, f: Filters, order: str, page: int, page_size: int) -> pd.DataFrame:
    return queries.engagements(Path(db), f, order, page, page_size)


@st.cache_data(ttl=_TTL, max_entries=256, show_spinner=False)
def engagement(db: str, version: str, meeting_id: str) -> queries.Engagement | None:
    return queries.engagement(Path(db), meeting_id)


@st.cache_data(ttl=_TTL, max_entries=256, show_spinner=False)
def counterpart_profile(db: str, version: str, f: Filters, kind: str, name: str) -> queries.Profile:
    return queries.counterpart_profile(Path(db), f, kind, name)


@st.cache_data(ttl=_TTL, max_entries=256, show_spinner=False)
def topic_drivers(db: str, version: str, f: Filters, topic: str, limit: int) -> pd.DataFrame:
    return queries.topic_drivers(Path(db), f, topic, limit)


@st.cache_data(ttl=_TTL, max_entries=256, show_spinner=False)
def map_counts(db: str, version: str, f: Filters) -> pd.DataFrame:
    return queries.map_counts(Path(db), f)


@st.cache_data(ttl=_TTL, max_entries=256, show_spinner=False)
def network(db: str, version: str, f: Filters, limit: int, with_countries: bool) -> pd.DataFrame:
    return queries.network(Path(db), f, limit, with_countries)


@st.cache_data(ttl=_TTL, max_entries=64, show_spinner=False)
def export_rows(db: str, version: str, f: Filters) -> pd.DataFrame:
    return queries.export_rows(Path(db), f)


@st.cache_data(ttl=_TTL, max_entries=16, show_spinner=False)
def runs(db: str, version: str) -> pd.DataFrame:
    return queries.runs(Path(db))


@st.cache_data(ttl=_TTL, max_entries=16, show_spinner=False)
def rejects(db: str, version: str) -> pd.DataFrame:
    return queries.rejects(Path(db))


@st.cache_data(ttl=_TTL, max_entries=16, show_spinner=False)
def evaluation(db: str, version: str) -> pd.DataFrame:
    return queries.evaluation(Path(db))


@st.cache_data(ttl=_TTL, max_entries=16, show_spinner=False)
def freshness(db: str, version: str) -> queries.Freshness:
    return queries.freshness(Path(db))


@st.cache_data(ttl=_TTL, max_entries=16, show_spinner=False)
def options(db: str, version: str) -> pd.DataFrame:
    return queries.options(Path(db))


@st.cache_data(ttl=_TTL, max_entries=16, show_spinner=False)
def date_bounds(db: str, version: str) -> tuple[object, object]:
    return queries.date_bounds(Path(db))
