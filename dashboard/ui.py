"""Page furniture shared by every view: charts with their exports, data exports, freshness, empty states."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, exports
from dashboard.filters import Filters

# plotly.js in the browser fetches map outlines from here: the app's own static folder, never a CDN.
TOPOJSON_URL = "/app/static/"
_STATIC = Path(__file__).resolve().parent / "static"
PLOTLY_CONFIG = {"topojsonURL": TOPOJSON_URL, "displaylogo": False, "toImageButtonOptions": {"scale": 2}}


def chart(
    fig: go.Figure,
    key: str,
    *,
    on_select: Callable[[], None] | None = None,
    selection_mode: Literal["points", "box", "lasso"] = "points",
    file_stem: str = "chancery-chart",
) -> None:
    """Show a figure (clickable when `on_select` is given) with PNG, SVG and HTML downloads under it."""
    st.plotly_chart(
        fig,
        key=key,
        on_select=on_select if on_select is not None else "ignore",
        selection_mode=selection_mode,
        config=PLOTLY_CONFIG,
        width="stretch",
    )
    _chart_downloads(fig, key, file_stem)


@st.fragment
def _chart_downloads(fig: go.Figure, key: str, file_stem: str) -> None:
    """Image files are made only when clicked (kaleido takes seconds): deferred download data."""
    file_topojson = _STATIC.as_uri() + "/"
    cols = st.columns([1, 1, 1, 6])
    if exports.chromium_available():
        cols[0].download_button(
            "PNG",
            data=lambda: exports.figure_png(fig, topojson_url=file_topojson),
            file_name=f"{file_stem}.png",
            mime="image/png",
            key=f"{key}-png",
            on_click="ignore",
            icon=":material/image:",
        )
        cols[1].download_button(
            "SVG",
            data=lambda: exports.figure_svg(fig, topojson_url=file_topojson),
            file_name=f"{file_stem}.svg",
            mime="image/svg+xml",
            key=f"{key}-svg",
            on_click="ignore",
            icon=":material/draw:",
        )
    else:
        cols[0].caption(
            "PNG/SVG need Chromium on the server (Debian: `apt-get install chromium`); HTML works."
        )
    cols[2].download_button(
        "HTML",
        data=lambda: exports.figure_html(fig, topojson_url=TOPOJSON_URL),
        file_name=f"{file_stem}.html",
        mime="text/html",
        key=f"{key}-html",
        on_click="ignore",
        icon=":material/code:",
    )


def manifest(filters: Filters, rows: int) -> exports.Manifest:
    db, version = data.current()
    fresh = data.freshness(db, version)
    refreshed = fresh.refreshed_at
    return exports.Manifest(
        filters=filters.active(),
        warehouse_refreshed_at=refreshed.isoformat() if isinstance(refreshed, datetime) else None,
        extractor_version=fresh.extractor_version,
        exported_at=datetime.now().replace(microsecond=0).isoformat(),
        rows=rows,
        source="Chancery meeting_facts",
    )


@st.fragment
def data_downloads(filters: Filters, key: str = "facts") -> None:
    """CSV (manifest as # comment lines), its JSON sidecar, and Parquet (manifest in the metadata)."""
    db, version = data.current()

    def frame() -> pd.DataFrame:
        return data.export_rows(db, version, filters)

    cols = st.columns([1, 1, 1, 5])
    cols[0].download_button(
        "CSV",
        data=lambda: exports.csv_bytes(frame(), manifest(filters, len(frame()))),
        file_name="chancery-meeting-facts.csv",
        mime="text/csv",
        key=f"{key}-csv",
        on_click="ignore",
        icon=":material/download:",
        help="The filtered meeting_facts rows; the manifest (filters, refresh time, extractor version) is in "
        "the lines starting with # (read with pandas: comment='#')",
    )
    cols[1].download_button(
        "Manifest",
        data=lambda: exports.manifest_json(manifest(filters, len(frame()))),
        file_name="chancery-meeting-facts.manifest.json",
        mime="application/json",
        key=f"{key}-manifest",
        on_click="ignore",
        icon=":material/description:",
    )
    cols[2].download_button(
        "Parquet",
        data=lambda: exports.parquet_bytes(frame(), manifest(filters, len(frame()))),
        file_name="chancery-meeting-facts.parquet",
        mime="application/vnd.apache.parquet",
        key=f"{key}-parquet",
        on_click="ignore",
        icon=":material/table:",
        help="Key-value metadata 'chancery.manifest' holds the filters, refresh time and extractor version",
    )


def empty_state(what: str = "engagements") -> None:
    st.info(
        f"No {what} match the current filters. Widen the period, remove a filter in the sidebar, or use "
        "**Clear filters**.",
        icon=":material/filter_alt_off:",
    )


def fmt_change(now: int, before: int | None) -> str | None:
    if before is None:
        return None
    return f"{now - before:+d} vs previous period"


def selection_points(key: str) -> list[dict[str, Any]]:
    """The points selected on the chart with this key (inside an on_select callback)."""
    state = st.session_state.get(key)
    if not state:
        return []
    selection = state.get("selection") if isinstance(state, dict) else getattr(state, "selection", None)
    if not selection:
        return []
    points = selection.get("points") if isinstance(selection, dict) else getattr(selection, "points", None)
    return list(points or [])


def selected_row(event: Any, frame: pd.DataFrame) -> pd.Series | None:
    """The row of `frame` selected in the dataframe whose event is `event`, if any.

    Streamlit keeps a table's selection by position across reruns; once a filter has shortened the table,
    the kept position may lie past its end, and then nothing is selected.
    """
    rows = event.selection.rows if event and event.selection else []
    if not rows or not 0 <= rows[0] < len(frame):
        return None
    return frame.iloc[rows[0]]


_BASIS = {
    "registry": "from the source registry",
    "domain": "from the publishing site's domain",
    "inferred": "inferred from the text",
}


def publisher_line(country: object, basis: object) -> str:
    """The Engagement page's line on who published the release and how that was decided (plain text)."""
    if not isinstance(basis, str) or not basis:
        return "Publishing side: not recorded (loaded before the publisher was stored; re-run the ETL)"
    how = _BASIS.get(basis, basis)
    if not isinstance(country, str) or not country:
        return f"Publishing side: unknown ({how})"
    return f"Publishing side: {country} ({how})"
