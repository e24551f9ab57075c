"""Turns the filtered data and the charts into files an analyst can put in a report.

Every function returns bytes for `st.download_button`; nothing here imports Streamlit.

- Data: `csv_bytes` (the manifest as `#` comment lines above the header), `parquet_bytes` (the manifest in
  the schema metadata under `chancery.manifest`) and `manifest_json` (the same manifest as a sidecar file).
- Charts: `figure_html` (self-contained, plotly.js inlined), `figure_png` and `figure_svg` (kaleido 1.x
  driving a headless Chromium). `chromium_available()` says up front whether PNG/SVG can work;
  when they cannot, they raise `ExportUnavailable` with a message a person can act on.

Static images: kaleido's one-shot calls (what `fig.to_image` does) start a browser per image, 2.5 s for
a bar chart here. This module keeps one kaleido browser open instead, started lazily by the first PNG/SVG
export (that one about 1.8 s, later ones about 0.2 s) and closed at interpreter exit or by
`stop_image_renderer()`. It is kaleido's own `Kaleido` class on an event loop of ours rather than
`kaleido.start_sync_server()`, because that server blocks its callers forever when Chromium cannot
start (its thread dies, the caller waits on a queue) and hands results back through one shared queue,
so two Streamlit sessions exporting at once could receive each other's image.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import csv
import io
import json
import math
import os
import shutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST_METADATA_KEY = b"chancery.manifest"
LIST_SEPARATOR = ";"

NEEDS_CHROMIUM = (
    "PNG/SVG export needs Chromium; install it (Debian: apt-get install chromium) or use the HTML export"
)
NEEDS_KALEIDO = (
    "PNG/SVG export needs the kaleido package (pip install 'kaleido>=1.5,<2'); or use the HTML export"
)


class ExportUnavailable(RuntimeError):
    """Static image export cannot run here; the message says what to install or what to use instead."""


@dataclass(frozen=True)
class Manifest:
    """Where an export came from: enough to reproduce it, or to know how stale it is."""

    filters: dict[str, object]  # the active filters, JSON-serialisable (see `Filters.active()`)
    warehouse_refreshed_at: str | None  # ISO timestamp of the last successful ETL run
    extractor_version: str | None
    exported_at: str  # ISO timestamp
    rows: int
    source: str  # e.g. "Chancery meeting_facts"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# ---------------------------------------------------------------------------------------------------------
# Data


def manifest_json(manifest: Manifest) -> bytes:
    """The manifest as a pretty-printed JSON sidecar file (UTF-8, trailing newline)."""
    return (_to_json(manifest.as_dict(), indent=2) + "\n").encode("utf-8")


def _manifest_comment_lines(manifest: Manifest) -> list[str]:
    def one_line(value: object) -> str:
        return "(unknown)" if value is None else " ".join(str(value).split())

    return [
        f"# Chancery export: {one_line(manifest.source)}",
        f"# filters: {_to_json(manifest.filters)}",
        f"# warehouse refreshed: {one_line(manifest.warehouse_refreshed_at)}",
        f"# extractor version: {one_line(manifest.extractor_version)}",
        f"# exported: {one_line(manifest.exported_at)}",
        f"# rows: {manifest.rows}",
    ]


def csv_manifest_lines(manifest: Manifest) -> int:
    """How many `#` lines precede the header row in `csv_bytes(df, manifest)`: pass it as `skiprows=`."""
    return len(_manifest_comment_lines(manifest))


def csv_bytes(df: pd.DataFrame, manifest: Manifest) -> bytes:
    """The frame as UTF-8 CSV (no BOM, `\\n` line ends, no index), the manifest in `#` lines above the header.

    List-valued cells (lists, tuples, numpy arrays) are written `;`-joined (`["a", "b"]` -> `a;b`; an empty
    list and a missing value both give an empty field, and an element that itself holds `;` cannot be told
    apart on reading). Dates and times are ISO 8601: a date column (or a datetime column whose values are
    all midnight) as `2024-05-01`, anything else as `2024-05-01T10:30:00`.

    Reading it back:

        pd.read_csv(io.BytesIO(data), skiprows=csv_manifest_lines(manifest))   # always right
        pd.read_csv(io.BytesIO(data), comment="#")                              # only if no field holds "#"

    `comment="#"` cuts every line at its first `#`, data included; `skiprows` skips the manifest only.
    """
    _check_rows(df, manifest)
    out = io.StringIO()
    for line in _manifest_comment_lines(manifest):
        out.write(line + "\n")
    _csv_frame(df).to_csv(out, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return out.getvalue().encode("utf-8")


def parquet_bytes(df: pd.DataFrame, manifest: Manifest) -> bytes:
    """The frame as Parquet (pyarrow): list columns as `list<string>`, dates as date32 or timestamps.

    The manifest is stored as JSON in the schema's key-value metadata under `chancery.manifest`, next to
    pandas' own `pandas` entry (so `pd.read_parquet` still restores the frame):

        json.loads(pq.read_schema(path).metadata[b"chancery.manifest"])
    """
    _check_rows(df, manifest)
    frame = df.reset_index(drop=True)
    list_columns = [name for name in frame.columns if _is_list_column(frame[name])]
    if list_columns:
        frame = frame.copy()
        for name in list_columns:
            frame[name] = pd.Series([_as_string_list(v, name) for v in frame[name]], dtype=object)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    # A list column with no value at all comes out as `null`; the schema says what it is whatever the data.
    string_list, listed = pa.list_(pa.string()), {str(name) for name in list_columns}
    schema = pa.schema(
        [f.with_type(string_list) if f.name in listed else f for f in table.schema],
        metadata=table.schema.metadata,
    )
    table = table.cast(schema)
    metadata = {
        **(table.schema.metadata or {}),
        MANIFEST_METADATA_KEY: _to_json(manifest.as_dict()).encode("utf-8"),
    }
    table = table.replace_schema_metadata(metadata)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def _check_rows(df: pd.DataFrame, manifest: Manifest) -> None:
    if manifest.rows != len(df):
        raise ValueError(f"the manifest says {manifest.rows} rows but the frame has {len(df)}")


def _to_json(value: object, indent: int | None = None) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=True, default=_json_default)


def _json_default(value: object) -> object:
    """Lenient on what widgets hand back (dates, sets, numpy scalars); anything else is a caller's bug."""
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"manifest value of type {type(value).__name__} is not JSON-serialisable: {value!r}")


def _is_listlike(value: object) -> TypeGuard[list[Any] | tuple[Any, ...] | np.ndarray]:
    return isinstance(value, list | tuple | np.ndarray)


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _is_list_column(column: pd.Series) -> bool:
    if isinstance(column.dtype, pd.ArrowDtype):
        return bool(
            pa.types.is_list(column.dtype.pyarrow_dtype) or pa.types.is_large_list(column.dtype.pyarrow_dtype)
        )
    return column.dtype == object and any(_is_listlike(v) for v in column)


def _as_string_list(value: object, column: object) -> list[str | None] | None:
    if _is_missing(value):
        return None
    if not _is_listlike(value):
        raise ValueError(
            f"column {column!r} mixes lists and single values ({value!r}); make every cell a list"
        )
    return [None if _is_missing(item) else _text(item) for item in value]


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)  # a datetime is a date too


def _csv_cell(value: object) -> object:
    if _is_listlike(value):
        return LIST_SEPARATOR.join("" if _is_missing(item) else _text(item) for item in value)
    if _is_missing(value):
        return value
    if isinstance(value, date):
        return _text(value)
    return value


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose cells pandas writes the way the docstring of `csv_bytes` promises."""
    out = df.reset_index(drop=True).copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            out[name] = _iso_datetime_column(column)
        elif column.dtype == object or isinstance(column.dtype, pd.ArrowDtype):
            out[name] = column.astype(object).map(_csv_cell)
    return out


def _iso_datetime_column(column: pd.Series) -> pd.Series:
    present = column.dropna()
    naive = getattr(column.dt, "tz", None) is None
    if naive and (present == present.dt.normalize()).all():
        text = column.dt.strftime("%Y-%m-%d")
    else:
        text = column.map(lambda v: None if _is_missing(v) else v.isoformat())
    return text.astype(object).where(column.notna(), None)


# ---------------------------------------------------------------------------------------------------------
# Charts


def figure_html(fig: go.Figure, *, topojson_url: str | None = None) -> bytes:
    """The figure as one self-contained HTML page: plotly.js inlined (about 4.8 MB), no script from a CDN.

    Geo figures: plotly.js fetches its world outlines at draw time from `topojsonURL` (default
    `https://cdn.plot.ly/un/`, which fails offline). Pass `topojson_url` (a folder URL ending in `/`
    that holds e.g. `world_110m.json`) to point the page elsewhere.
    """
    config: dict[str, object] = {}
    if topojson_url is not None:
        config["topojsonURL"] = topojson_url
    html = fig.to_html(include_plotlyjs=True, full_html=True, config=config or None)
    return str(html).encode("utf-8")


def figure_png(
    fig: go.Figure, width: int = 1200, height: int = 700, scale: float = 2, *, topojson_url: str | None = None
) -> bytes:
    """The figure as PNG, `width`x`height` layout pixels times `scale`. Raises `ExportUnavailable`.

    `topojson_url` (default `plotly.io.defaults.topojson`) is where geo figures' outlines come from.
    """
    return _RENDERER.render(fig, "png", width, height, scale, topojson_url)


def figure_svg(
    fig: go.Figure, width: int = 1200, height: int = 700, scale: float = 2, *, topojson_url: str | None = None
) -> bytes:
    """The figure as SVG (UTF-8 XML with an `<svg>` root). Raises `ExportUnavailable`; see `figure_png`."""
    return _RENDERER.render(fig, "svg", width, height, scale, topojson_url)


def chromium_available() -> bool:
    """Whether PNG/SVG export can be expected to work: kaleido is installed and it would find a browser.

    Cheap (no browser is started). It looks where kaleido looks ($BROWSER_PATH, then PATH and the usual
    install paths, e.g. /usr/bin/chromium); a browser that is found but fails to start still makes
    `figure_png` raise `ExportUnavailable`.
    """
    if _RENDERER.is_open():
        return True
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    return _find_browser() is not None


def stop_image_renderer() -> None:
    """Close the browser kept for PNG/SVG export (the next export starts a new one). Safe to call twice.

    Registered at interpreter exit. Call it after changing `plotly.io.defaults` (plotlyjs, mathjax,
    headers) or $BROWSER_PATH, which are read when the browser starts.
    """
    _RENDERER.stop()


def _find_browser() -> str | None:
    try:
        from choreographer.browsers.chromium import Chromium

        path = Chromium.find_browser(skip_local=False)
    except (ImportError, AttributeError, TypeError):  # choreographer moved its finder: approximate it
        path = os.environ.get("BROWSER_PATH") or next(
            filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome", "chrome"))), None
        )
    if path and Path(path).is_file() and os.access(path, os.X_OK):
        return str(path)
    return None


class _Renderer:
    """One kaleido browser driven from an event-loop thread of its own; calls from any thread, one at a time.

    Start-up errors travel back through the future to the caller (so a missing Chromium is an exception,
    not a hang); a browser that died since the last call is replaced once; every call has a deadline.
    """

    OPEN_TIMEOUT = 60.0
    RENDER_TIMEOUT = 120.0  # kaleido's own per-image timeout is 90 s

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._atexit_registered = False

    def is_open(self) -> bool:
        return self._kaleido is not None

    def render(
        self, fig: go.Figure, fmt: str, width: int, height: int, scale: float, topojson: str | None
    ) -> bytes:
        try:
            import kaleido.errors as kaleido_errors
        except ImportError as exc:
            raise ExportUnavailable(NEEDS_KALEIDO) from exc
        figure = fig.to_dict()
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        topojson = topojson or _plotly_defaults().get("topojson")
        with self._lock:
            for attempt in (1, 2):
                self._open(kaleido_errors)
                try:
                    data = self._call(
                        lambda k: k.calc_fig(figure, opts=opts, topojson=topojson), self.RENDER_TIMEOUT
                    )
                except (kaleido_errors.BrowserClosedError, kaleido_errors.BrowserFailedError) as exc:
                    self._stop()
                    if attempt == 2:
                        raise ExportUnavailable(
                            f"{NEEDS_CHROMIUM}. (Chromium stopped while drawing: {exc})"
                        ) from exc
                    continue
                except TimeoutError as exc:
                    self._stop()
                    raise ExportUnavailable(
                        f"the {fmt.upper()} export took over {self.RENDER_TIMEOUT:.0f} s and was abandoned; "
                        "try a smaller figure or use the HTML export"
                    ) from exc
                return bytes(data)
        raise AssertionError("unreachable")

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _open(self, kaleido_errors: Any) -> None:
        if self._kaleido is not None:
            return
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="chancery-kaleido", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread

        async def start() -> Any:
            browser = kaleido.Kaleido(n=1, **_kaleido_options())
            await browser.open()
            return browser

        try:
            self._kaleido = self._call(lambda _: start(), self.OPEN_TIMEOUT)
        except kaleido_errors.ChromeNotFoundError as exc:
            self._stop()
            raise ExportUnavailable(NEEDS_CHROMIUM) from exc
        except (kaleido_errors.BrowserFailedError, TimeoutError) as exc:
            self._stop()
            found = _find_browser() or "the browser kaleido found"
            raise ExportUnavailable(f"{NEEDS_CHROMIUM}. ({found} did not start: {_first_line(exc)})") from exc
        except BaseException:
            self._stop()
            raise
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True

    def _call(self, make: Callable[[Any], Any], timeout: float) -> Any:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(make(self._kaleido), self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def _stop(self) -> None:
        loop, thread, browser = self._loop, self._thread, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None:
            return
        if browser is not None:
            # A dead or stuck browser: there is nothing more to close politely.
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(10)
        if not loop.is_running():
            loop.close()


def _first_line(exc: BaseException) -> str:
    """choreographer's errors carry a tuple of advice; the first sentence is the one that says what happened."""
    first = exc.args[0] if exc.args else type(exc).__name__
    return str(first).strip().splitlines()[0] if str(first).strip() else type(exc).__name__


def _plotly_defaults() -> Mapping[str, Any]:
    """plotly.io.defaults (plotly >= 6.1) as a mapping; empty where plotly is older."""
    import plotly.io as pio

    defaults = getattr(pio, "defaults", None)
    return vars(defaults) if defaults is not None else {}


def _kaleido_options() -> dict[str, Any]:
    """What `fig.to_image` would pass to kaleido, except that MathJax is off unless plotly asks for it.

    kaleido's default MathJax is a CDN script: a request out of the machine for every browser start, for
    LaTeX that these charts do not use. Set `plotly.io.defaults.mathjax` to a local file to turn it on.
    """
    defaults = _plotly_defaults()
    options: dict[str, Any] = {"mathjax": defaults.get("mathjax") or False}
    if defaults.get("plotlyjs"):
        options["plotlyjs"] = defaults["plotlyjs"]
    if defaults.get("headers"):
        options["headers"] = defaults["headers"]
    return options


_RENDERER = _Renderer()
