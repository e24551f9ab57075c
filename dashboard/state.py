"""The global filters in the sidebar, kept in the URL so a view can be bookmarked and sent to a colleague.

Widget values live in st.session_state under the keys below. On a session's first run (and after an
`st.switch_page`, which drops them) they are seeded from the URL; after every run the URL is rewritten from
them. Drill-downs change filters through `narrow()`, called from widget callbacks (the only time Streamlit
lets code set a widget's value).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.charts import KIND_LABELS
from dashboard.filters import Filters

_SEEDED = "_filters_seeded"
KEYS = {
    "sources": "f_sources",
    "principals": "f_principals",
    "kinds": "f_kinds",
    "topics": "f_topics",
    "countries": "f_countries",
    "regions": "f_regions",
    "orgs": "f_orgs",
    "persons": "f_persons",
}
_DATES = "f_dates"
_TEXT = "f_text"
# Query parameters that belong to a page, not to the filters; kept when the URL is rewritten.
PAGE_PARAMS = ("meeting", "cp_kind", "cp_name", "topic")


def _seed_from_url() -> None:
    """Seed the widgets from the URL on a session's first run, and again whenever Streamlit dropped their
    values: `st.switch_page` discards the entry point's widget state (streamlit/streamlit#11115), and the
    switch carries the filters in the URL (views/engagements.py), so the new page reads them back from it."""
    if st.session_state.get(_SEEDED) and all(
        key in st.session_state for key in (*KEYS.values(), _DATES, _TEXT)
    ):
        return
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    flat: dict[str, str | list[str]] = {k: v if len(v) != 1 else v[0] for k, v in query.items()}
    filters = Filters.from_query(flat)
    for name, key in KEYS.items():
        st.session_state[key] = list(getattr(filters, name))
    st.session_state[_DATES] = (filters.start, filters.end) if filters.start and filters.end else ()
    st.session_state[_TEXT] = filters.text
    st.session_state[_SEEDED] = True


def current() -> Filters:
    """The filters as the widgets hold them now."""
    dates: tuple[date, ...] = tuple(st.session_state.get(_DATES) or ())
    start, end = (dates[0], dates[1]) if len(dates) == 2 else (None, None)
    lists = {name: tuple(st.session_state.get(key) or ()) for name, key in KEYS.items()}
    return Filters(start=start, end=end, text=st.session_state.get(_TEXT, ""), **lists)


def narrow(**changes: object) -> None:
    """Apply a drill-down: set the given filters (lists replace, dates set the range). For callbacks."""
    for name, value in changes.items():
        if name in KEYS:
            st.session_state[KEYS[name]] = list(value)  # type: ignore[call-overload]
        elif name == "dates":
            st.session_state[_DATES] = value
        elif name == "text":
            st.session_state[_TEXT] = value


def clear() -> None:
    for key in KEYS.values():
        st.session_state[key] = []
    st.session_state[_DATES] = ()
    st.session_state[_TEXT] = ""


def period_range(period: date, grain: str) -> tuple[date, date]:
    """The first and last day of the period a bar stands for."""
    if grain == "day":
        return period, period
    if grain == "week":
        return period, period + timedelta(days=6)
    if grain == "month":
        nxt = (pd.Timestamp(period) + pd.offsets.MonthBegin(1)).date()
    elif grain == "quarter":
        nxt = (pd.Timestamp(period) + pd.offsets.QuarterBegin(1, startingMonth=1)).date()
    else:
        nxt = date(period.year + 1, 1, 1)
    return period, nxt - timedelta(days=1)


def sidebar() -> Filters:
    """Render the filters; returns them and writes them into the URL."""
    _seed_from_url()
    db, version = data.current()
    opts = data.options(db, version)

    def choices(field: str) -> tuple[list[str], dict[str, str]]:
        rows = opts[opts["field"] == field]
        labels = {
            str(v): f"{lab} ({n})" for v, lab, n in zip(rows["value"], rows["label"], rows["n"], strict=True)
        }
        return list(labels), labels

    with st.sidebar:
        st.subheader("Filters")
        first, last = data.date_bounds(db, version)
        # A period from the URL or a drill-down (a bar's whole month) may reach past the data: the bounds
        # widen to include it, or Streamlit rejects the value and the whole app stops.
        bounds = [d for d in (first, last, *(st.session_state.get(_DATES) or ())) if isinstance(d, date)]
        st.date_input(
            "Period",
            key=_DATES,
            min_value=min(bounds) if bounds else None,
            max_value=max(bounds) if bounds else None,
            help="Engagement dates, first and last day included",
        )
        st.text_input("Search titles and text", key=_TEXT, placeholder="e.g. hydropower")
        for name, label, field in (
            ("kinds", "Kind", "kind"),
            ("topics", "Topic", "topic"),
            ("countries", "Counterpart country", "country"),
            ("regions", "Counterpart region", "region"),
            ("orgs", "Organization", "org"),
            ("persons", "Person", "person"),
            ("principals", "Principal", "principal"),
            ("sources", "Source", "source"),
        ):
            values, labels = choices(field)
            for kept in st.session_state.get(KEYS[name]) or []:  # a value from a URL or a drill-down
                if kept not in labels:
                    values.append(kept)
                    labels[kept] = kept
            if name == "kinds":
                labels = {v: KIND_LABELS.get(v, v) + labels[v][len(v) :] for v in labels}
            st.multiselect(label, values, key=KEYS[name], format_func=_labeller(labels))
        st.button("Clear filters", on_click=clear, width="stretch")
    filters = current()
    _write_url(filters)
    return filters


def _labeller(labels: dict[str, str]) -> Callable[[str], str]:
    def label(value: str) -> str:
        return labels.get(value, value)

    return label


def _write_url(filters: Filters) -> None:
    kept = {key: st.query_params.get_all(key) for key in PAGE_PARAMS if key in st.query_params}
    target: dict[str, str | list[str]] = {
        **filters.to_query(),
        **{k: v if len(v) != 1 else v[0] for k, v in kept.items()},
    }
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    normalised = {k: v if isinstance(v, list) else [v] for k, v in target.items()}
    if current != normalised:
        st.query_params.from_dict(target)


def set_page_param(key: str, value: str | None) -> None:
    if value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
