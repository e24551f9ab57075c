"""Exports: CSV and Parquet round trips with their manifest, self-contained HTML, PNG/SVG through kaleido."""

from __future__ import annotations

import io
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.exports import (
    ExportUnavailable,
    Manifest,
    chromium_available,
    csv_bytes,
    csv_manifest_lines,
    figure_html,
    figure_png,
    figure_svg,
    manifest_json,
    parquet_bytes,
    stop_image_renderer,
)

needs_chromium = pytest.mark.skipif(
    not chromium_available(),
    reason="PNG/SVG export needs the kaleido package (kaleido>=1.5,<2) and Chromium (apt-get install chromium)",
)


@pytest.fixture(autouse=True, scope="module")
def _close_browser() -> Iterator[None]:
    """The renderer keeps a browser open between exports; do not leave it running for the other test modules."""
    yield
    stop_image_renderer()


def meeting_facts() -> pd.DataFrame:
    """Shaped like what DuckDB hands back: DATE as datetime64, LIST as numpy arrays, NULLs as None/NaT."""
    return pd.DataFrame(
        {
            "met_on": pd.to_datetime(["2024-03-01", "2024-03-02", None]),
            "published_at": pd.to_datetime(
                ["2024-03-01 09:30:00", "2024-03-02 18:05:00", "2024-03-04 00:00:00"]
            ),
            "principal": ["Foreign Minister", "Ambassador, Paris", 'The "Envoy"'],
            "country": ["FRA", "DEU", None],
            "topics": [np.array(["trade", "climate"], dtype=object), np.array([], dtype=object), None],
            "orgs": [["EU"], ["NATO", "UN"], []],
            "mentions": [3, 1, 0],
        }
    )


def manifest_for(df: pd.DataFrame) -> Manifest:
    return Manifest(
        filters={"countries": ["DEU", "FRA"], "start": "2024-03-01", "text": "trade, climate"},
        warehouse_refreshed_at="2024-03-05T06:00:00+00:00",
        extractor_version="0.1.0",
        exported_at="2024-03-05T10:15:00+00:00",
        rows=len(df),
        source="Chancery meeting_facts",
    )


def as_records(df: pd.DataFrame) -> list[dict[str, object]]:
    """Rows with every missing value as None, so that they compare equal."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


# CSV


CSV_ROWS = [
    {
        "met_on": "2024-03-01",
        "published_at": "2024-03-01T09:30:00",
        "principal": "Foreign Minister",
        "country": "FRA",
        "topics": "trade;climate",
        "orgs": "EU",
        "mentions": 3,
    },
    {
        "met_on": "2024-03-02",
        "published_at": "2024-03-02T18:05:00",
        "principal": "Ambassador, Paris",
        "country": "DEU",
        "topics": None,
        "orgs": "NATO;UN",
        "mentions": 1,
    },
    {
        "met_on": None,
        "published_at": "2024-03-04T00:00:00",
        "principal": 'The "Envoy"',
        "country": None,
        "topics": None,
        "orgs": None,
        "mentions": 0,
    },
]


def test_csv_round_trip_with_comment_reader() -> None:
    df = meeting_facts()
    data = csv_bytes(df, manifest_for(df))
    back = pd.read_csv(io.BytesIO(data), comment="#")
    assert list(back.columns) == list(df.columns)
    assert as_records(back) == CSV_ROWS
    # list columns split back into the same lists (an empty list reads back as missing)
    assert [v.split(";") if isinstance(v, str) else [] for v in back["orgs"]] == [["EU"], ["NATO", "UN"], []]


def test_csv_manifest_lines_precede_the_header() -> None:
    df = meeting_facts()
    manifest = manifest_for(df)
    lines = csv_bytes(df, manifest).decode("utf-8").split("\n")
    n = csv_manifest_lines(manifest)
    assert n == 6
    assert all(line.startswith("#") for line in lines[:n])
    assert lines[n] == ",".join(df.columns)
    assert lines[0] == "# Chancery export: Chancery meeting_facts"
    assert json.loads(lines[1].removeprefix("# filters: ")) == manifest.filters
    assert lines[2:n] == [
        "# warehouse refreshed: 2024-03-05T06:00:00+00:00",
        "# extractor version: 0.1.0",
        "# exported: 2024-03-05T10:15:00+00:00",
        "# rows: 3",
    ]


def test_csv_skiprows_keeps_fields_that_hold_a_hash() -> None:
    df = pd.DataFrame({"title": ["Meeting #2", "C# and F#"], "tags": [["#g7", "summit"], []]})
    manifest = manifest_for(df)
    data = csv_bytes(df, manifest)
    back = pd.read_csv(io.BytesIO(data), skiprows=csv_manifest_lines(manifest))
    assert as_records(back) == [
        {"title": "Meeting #2", "tags": "#g7;summit"},
        {"title": "C# and F#", "tags": None},
    ]


def test_csv_writes_dates_held_as_objects_in_iso() -> None:
    df = pd.DataFrame(
        {"day": [date(2024, 1, 2), None], "when": [pd.Timestamp("2024-01-02 03:04:05+01:00"), None]}
    )
    back = pd.read_csv(io.BytesIO(csv_bytes(df, manifest_for(df))), comment="#")
    assert as_records(back) == [
        {"day": "2024-01-02", "when": "2024-01-02T03:04:05+01:00"},
        {"day": None, "when": None},
    ]


def test_manifest_must_count_the_rows_exported() -> None:
    df = meeting_facts()
    wrong = manifest_for(df.head(1))
    with pytest.raises(ValueError, match="manifest says 1 rows but the frame has 3"):
        csv_bytes(df, wrong)
    with pytest.raises(ValueError, match="manifest says 1 rows"):
        parquet_bytes(df, wrong)


# Sidecar


def test_manifest_json_sidecar() -> None:
    manifest = manifest_for(meeting_facts())
    data = manifest_json(manifest)
    assert json.loads(data) == {
        "filters": {"countries": ["DEU", "FRA"], "start": "2024-03-01", "text": "trade, climate"},
        "warehouse_refreshed_at": "2024-03-05T06:00:00+00:00",
        "extractor_version": "0.1.0",
        "exported_at": "2024-03-05T10:15:00+00:00",
        "rows": 3,
        "source": "Chancery meeting_facts",
    }
    assert data.startswith(b'{\n  "') and data.endswith(b"}\n")  # pretty, one key a line


def test_manifest_json_accepts_dates_and_sets_from_widgets() -> None:
    manifest = Manifest(
        filters={"start": date(2024, 1, 1), "kinds": {"visit", "call"}},
        warehouse_refreshed_at=None,
        extractor_version=None,
        exported_at="2024-03-05T10:15:00+00:00",
        rows=0,
        source="Chancery meeting_facts",
    )
    assert json.loads(manifest_json(manifest))["filters"] == {
        "start": "2024-01-01",
        "kinds": ["call", "visit"],
    }


# Parquet


def test_parquet_round_trip_keeps_lists_dates_and_manifest() -> None:
    df = meeting_facts()
    manifest = manifest_for(df)
    table = pq.read_table(io.BytesIO(parquet_bytes(df, manifest)))

    assert table.num_rows == 3
    assert table.schema.field("topics").type == pa.list_(pa.string())
    assert table.schema.field("orgs").type == pa.list_(pa.string())
    assert pa.types.is_timestamp(table.schema.field("met_on").type)
    assert table.column("topics").to_pylist() == [["trade", "climate"], [], None]
    assert table.column("orgs").to_pylist() == [["EU"], ["NATO", "UN"], []]
    assert table.column("mentions").to_pylist() == [3, 1, 0]

    metadata = table.schema.metadata
    assert json.loads(metadata[b"chancery.manifest"]) == manifest.as_dict()
    assert b"pandas" in metadata  # pandas' own metadata survives next to ours
    back = table.to_pandas()
    assert list(back.columns) == list(df.columns)
    assert back["met_on"].tolist()[:2] == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-02")]
    assert pd.isna(back["met_on"].iloc[2])


def test_parquet_stores_python_dates_as_date32_and_empty_list_columns_as_lists() -> None:
    df = pd.DataFrame({"day": [date(2024, 1, 2), None], "tags": [[], None]})
    table = pq.read_table(io.BytesIO(parquet_bytes(df, manifest_for(df))))
    assert table.schema.field("day").type == pa.date32()
    assert table.schema.field("tags").type == pa.list_(pa.string())
    assert table.column("day").to_pylist() == [date(2024, 1, 2), None]


# HTML


def bar_chart(title: str = "Meetings per country") -> go.Figure:
    return go.Figure(go.Bar(x=["FRA", "DEU", "USA"], y=[3, 1, 2]), layout={"title": {"text": title}})


SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=", re.IGNORECASE)


def test_figure_html_is_self_contained() -> None:
    html = figure_html(bar_chart()).decode("utf-8")
    assert html.lower().startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert SCRIPT_SRC.search(html) is None, "every script is inline: no CDN, no other file"
    assert not re.search(r"<script[^>]*src=[\"']?https?://", html)
    assert "Meetings per country" in html
    assert len(html) > 1_000_000  # plotly.js itself is inside


def test_figure_html_points_geo_outlines_at_the_given_url() -> None:
    fig = go.Figure(go.Choropleth(locations=["FRA"], z=[1], locationmode="ISO-3"))
    html = figure_html(fig, topojson_url="/app/static/").decode("utf-8")
    assert re.search(r'"topojsonURL":\s*"/app/static/"', html)
    assert SCRIPT_SRC.search(html) is None


# PNG / SVG


@needs_chromium
def test_figure_png() -> None:
    png = figure_png(bar_chart(), width=600, height=400, scale=2)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert (width, height) == (1200, 800)


@needs_chromium
def test_figure_svg() -> None:
    svg = figure_svg(bar_chart("Visits by region"))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Visits by region" in svg.decode("utf-8")


@needs_chromium
def test_concurrent_exports_each_get_their_own_image() -> None:
    titles = [f"Chart number {i}" for i in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        svgs = list(pool.map(lambda t: figure_svg(bar_chart(t), width=400, height=300), titles))
    for title, svg in zip(titles, svgs, strict=True):
        assert title in svg.decode("utf-8")
        assert sum(t in svg.decode("utf-8") for t in titles) == 1


def test_missing_browser_raises_export_unavailable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    kaleido_errors = pytest.importorskip("kaleido.errors")
    stop_image_renderer()  # the browser is found when the renderer starts
    # kaleido (choreographer) takes $BROWSER_PATH before it searches PATH: point it at nothing.
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    assert chromium_available() is False
    with pytest.raises(
        ExportUnavailable, match=r"needs Chromium; install it \(Debian: apt-get install chromium\)"
    ) as info:
        figure_png(bar_chart())
    assert isinstance(info.value.__cause__, kaleido_errors.ChromeNotFoundError)
    with pytest.raises(ExportUnavailable, match="or use the HTML export"):
        figure_svg(bar_chart())


def test_browser_that_will_not_start_raises_export_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    kaleido_errors = pytest.importorskip("kaleido.errors")
    stop_image_renderer()
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(broken))
    assert chromium_available() is True  # found: only starting it tells
    with pytest.raises(ExportUnavailable, match="did not start") as info:
        figure_png(bar_chart())
    assert isinstance(info.value.__cause__, kaleido_errors.BrowserFailedError)
    assert str(broken) in str(info.value)


def test_missing_kaleido_raises_export_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    stop_image_renderer()
    for name in ("kaleido", "kaleido.errors"):
        monkeypatch.setitem(sys.modules, name, None)  # makes `import kaleido` raise ImportError
    assert chromium_available() is False
    with pytest.raises(ExportUnavailable, match=r"needs the kaleido package"):
        figure_png(bar_chart())
