"""End to end in a real browser: the real ETL builds a warehouse, the real Streamlit server serves the dashboard
on 127.0.0.1, and Debian's Chromium (driven by Playwright) uses it the way an analyst does.

Covered: the Overview renders its charts; a sidebar filter changes the numbers and lands in the URL; clicking
a bar of the timeline drills down to that month; a row of the Engagements grid opens the Engagement page with
its evidence highlighted, and the way back keeps the filters; a release carrying `<script>` shows it as text
and runs nothing; the CSV export holds exactly the filtered `meeting_facts` rows under a manifest naming the
filter; a chart exports as PNG; the browser never requests anything outside the machine. It also refreshes
docs/screenshot.png (the README's picture of the Overview).

Needs Chromium at /usr/bin/chromium (`apt-get install chromium`) and the `playwright` package; never
`playwright install` (no browser download). Run alone with `pytest -m browser`.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "screenshot.png"


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


CHROMIUM = _chromium()
try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium at /usr/bin/chromium or on PATH (Debian: apt-get install chromium)",
    ),
    pytest.mark.skipif(
        sync_playwright is None,
        reason="the playwright package is missing (pip install playwright; no `playwright install` needed)",
    ),
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
LOAD_TIMEOUT_MS = 60_000
RERUN_TIMEOUT_MS = 30_000
EXPORT_TIMEOUT_MS = 90_000  # the first PNG starts kaleido's own Chromium on the server

SCRIPT = "<script>alert(1)</script>"
# An agency release (the format of tests/golden/extraction/agency_kg_*.txt) whose engagement sentence, an
# ambassador received by the President, carries a script tag; so does its headline.
XSS_RELEASE = f"""\
 date 2025-03-12 11:05
Sadyr Japarov receives Ambassador of Japan {SCRIPT}

link: https://kabar.kg/eng/news/sadyr-japarov-receives-ambassador-of-japan-browser-test/

President of the Kyrgyz Republic Sadyr Japarov today received the Ambassador of Japan to Kyrgyzstan \
Yamamoto Hiroshi {SCRIPT} in the Yntymak Ordo residence.

The parties discussed cooperation in the fields of education, healthcare and agriculture, as well as trade \
and investment between the two countries.

views: 120

Related
Kyrgyzstan and Türkiye sign 12 documents
"""


# ------------------------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class Warehouse:
    db: Path
    xss_meeting_id: str


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The bundled sample plus the <script> release, through the real ETL."""
    import duckdb

    from etl.pipeline import run

    base = tmp_path_factory.mktemp("browser")
    extra = base / "extra"
    extra.mkdir()
    (extra / "agency_xss_001.txt").write_text(XSS_RELEASE, encoding="utf-8")
    db = base / "warehouse" / "diplomacy.duckdb"
    db.parent.mkdir()
    summary = run([str(REPO / "data" / "sample"), str(extra)], db)
    assert summary.meetings > 100, summary

    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute(
            """
            SELECT m.meeting_id, m.kind, substr(r.body, m.evidence_start + 1, m.evidence_end - m.evidence_start)
            FROM meetings m JOIN releases r USING (release_id)
            WHERE strpos(r.body, ?) > 0
            """,
            [SCRIPT],
        ).fetchall()
    finally:
        con.close()
    assert len(found) == 1, f"the <script> release should give one engagement, got {found}"
    meeting_id, kind, evidence = found[0]
    assert kind == "meeting", found
    assert SCRIPT in evidence, f"the script tag should sit inside the evidence sentence: {evidence!r}"
    return Warehouse(db=db, xss_meeting_id=str(meeting_id))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and what it started (kaleido's Chromium): its own process group, by id."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


@pytest.fixture(scope="module")
def server(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run dashboard/app.py` on a free local port; yields its base URL, always stops it."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = {**os.environ, "DIPLOMACY_DB": str(warehouse.db), "BROWSER_PATH": str(CHROMIUM)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard/app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        # Others may edit the sources while the test runs: a "file changed" banner would hold the status
        # widget up (and a rerun would change what is under test). The test serves the code as it started.
        "--server.fileWatcherType",
        "none",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"streamlit exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}"
                )
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.read().decode().strip() == "ok":
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer ok in 60 s:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.25)
        yield base
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Browser]:
    """Debian's Chromium (named so as not to shadow pytest-playwright's `browser`, which would download one)."""
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Tab:
    """A page with everything it requested and every dialog it opened."""

    page: Page
    base: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_stayed_local(self) -> None:
        outside = [url for url in self.requests if not _is_local(url)]
        assert self.requests, "no request was recorded at all"
        assert not outside, f"the browser requested outside the machine: {outside}"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in ("127.0.0.1", "localhost")


@pytest.fixture
def tab(chromium_browser: Browser, server: str) -> Iterator[Tab]:
    context = chromium_browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(RERUN_TIMEOUT_MS)
    recorded = Tab(page=page, base=server)
    page.on("request", lambda request: recorded.requests.append(request.url))
    page.on("websocket", lambda ws: recorded.requests.append(ws.url))

    def on_dialog(dialog: Any) -> None:
        recorded.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield recorded
    finally:
        context.close()


# ------------------------------------------------------------------------------------------- helpers


def settle(page: Page) -> None:
    """Wait for Streamlit to finish the current run: the "Running..." status widget gone and stays gone."""
    for _ in range(2):  # a rerun can start just after the widget went away (a callback, a switch_page)
        page.wait_for_timeout(250)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=RERUN_TIMEOUT_MS)


def wait_for_charts(page: Page) -> None:
    page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=LOAD_TIMEOUT_MS)
    settle(page)


def open_page(tab: Tab, path: str) -> None:
    tab.page.goto(tab.base + path, timeout=LOAD_TIMEOUT_MS)
    tab.page.wait_for_selector('[data-testid="stSidebar"]', timeout=LOAD_TIMEOUT_MS)


def metric(page: Page, label: str) -> int:
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{label}\s*$"))
    )
    text = box.locator('[data-testid="stMetricValue"]').inner_text()
    return int(text.replace(",", "").strip())


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def wait_for_metric(page: Page, label: str, expected: int) -> None:
    deadline = time.monotonic() + RERUN_TIMEOUT_MS / 1000
    while metric(page, label) != expected:
        assert time.monotonic() < deadline, f"{label} shows {metric(page, label)}, expected {expected}"
        page.wait_for_timeout(200)
    settle(page)


def choose_kind_meeting(page: Page) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Kind")
    box.locator("input").click()
    page.get_by_role("option", name=re.compile(r"^Meeting \(\d+\)$")).click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"[?&]kind=meeting(&|$)"), timeout=RERUN_TIMEOUT_MS)
    settle(page)


def download_button(page: Page, label: str) -> Any:
    # A button with a help tooltip has a hidden twin in the DOM: only the visible one is the button.
    buttons = page.locator('[data-testid="stDownloadButton"] button')
    return buttons.filter(has_text=re.compile(rf"{label}\s*$"), visible=True)


# ------------------------------------------------------------------------------------------- tests


def test_overview_filter_and_timeline_drilldown(tab: Tab, warehouse: Warehouse) -> None:
    from dashboard import queries
    from dashboard.filters import Filters

    page = tab.page
    # The default page is served at "/" (st.navigation ignores the default page's url_path).
    open_page(tab, "/")
    wait_for_charts(page)
    everything = queries.count(warehouse.db, Filters())
    assert metric(page, "Engagements") == everything

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert SCREENSHOT.stat().st_size < 400_000, f"{SCREENSHOT} is {SCREENSHOT.stat().st_size} bytes"

    # A sidebar filter: the numbers follow it and the URL carries it.
    meetings = Filters(kinds=("meeting",))
    expected = queries.count(warehouse.db, meetings)
    assert 0 < expected < everything
    choose_kind_meeting(page)
    wait_for_metric(page, "Engagements", expected)
    assert query(page)["kind"] == ["meeting"]

    # A bar of the timeline: the tallest one (one trace now, so the busiest month of meetings).
    months = queries.timeline(warehouse.db, meetings, "month", "kind")
    busiest = months.loc[months["engagements"].idxmax()]
    first_day = pd.Timestamp(busiest["period"]).date()
    last_day = (pd.Timestamp(first_day) + pd.offsets.MonthEnd(0)).date()
    wait_for_charts(page)
    bars = page.locator(".js-plotly-plot").first.locator(".bars path")
    assert bars.count() >= 2, "the timeline should draw several bars"
    heights = [(bars.nth(i).bounding_box() or {"height": 0})["height"] for i in range(bars.count())]
    tallest = bars.nth(heights.index(max(heights)))
    tallest.scroll_into_view_if_needed()
    box = tallest.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # plotly's drag layer sits over the bars and picks the point under the pointer from hover: move, then click.
    page.mouse.move(x - 3, y)
    page.mouse.move(x, y)
    page.wait_for_timeout(200)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"[?&]from="), timeout=RERUN_TIMEOUT_MS)
    settle(page)
    params = query(page)
    assert params.get("from") == [first_day.isoformat()], params
    assert params.get("to") == [last_day.isoformat()], params
    assert params.get("kind") == ["meeting"], params
    drilled = queries.count(warehouse.db, meetings.with_(start=first_day, end=last_day))
    assert drilled == int(busiest["engagements"])
    wait_for_metric(page, "Engagements", drilled)
    assert drilled < expected

    tab.assert_stayed_local()
    assert not tab.dialogs


def test_engagement_row_opens_evidence_and_back_keeps_filters(tab: Tab, warehouse: Warehouse) -> None:
    from dashboard import queries
    from dashboard.filters import Filters

    page = tab.page
    meetings = Filters(kinds=("meeting",))
    open_page(tab, "/engagements?kind=meeting")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=LOAD_TIMEOUT_MS)
    settle(page)
    assert metric(page, "Engagements") == queries.count(warehouse.db, meetings)
    first = queries.engagements(warehouse.db, meetings, "date_desc", 1, 50).iloc[0]

    # A canvas grid (glide data grid): select the first row by its checkbox in the row-marker column.
    canvas = grid.locator("canvas").first
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box is not None
    row_height = 35  # Streamlit's default; the header row is as tall
    page.mouse.click(box["x"] + 16, box["y"] + row_height * 1.5)
    page.wait_for_url(re.compile(r"/engagement\?"), timeout=RERUN_TIMEOUT_MS)
    marked = page.locator("mark.ev-sentence").first
    marked.wait_for(timeout=RERUN_TIMEOUT_MS)
    settle(page)
    params = query(page)
    assert params.get("meeting") == [str(first["meeting_id"])], params
    assert params.get("kind") == ["meeting"], params
    assert marked.inner_text().strip(), "the evidence sentence is highlighted but empty"
    assert page.locator('[data-testid="stMain"] h3').filter(has_text=str(first["title"])[:40]).count() >= 1

    # The browser's Back button: the list again, filters kept.
    page.go_back()
    page.wait_for_url(re.compile(r"/engagements\?"), timeout=RERUN_TIMEOUT_MS)
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    settle(page)
    assert query(page).get("kind") == ["meeting"], page.url
    assert metric(page, "Engagements") == queries.count(warehouse.db, meetings)

    # The page's own way back.
    page.go_forward()
    page.wait_for_url(re.compile(r"/engagement\?"), timeout=RERUN_TIMEOUT_MS)
    page.locator("mark.ev-sentence").first.wait_for(timeout=RERUN_TIMEOUT_MS)
    settle(page)
    page.get_by_role("link", name=re.compile("Back to the list")).click()
    page.wait_for_url(re.compile(r"/engagements\?"), timeout=RERUN_TIMEOUT_MS)
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    settle(page)
    assert query(page).get("kind") == ["meeting"], page.url
    assert metric(page, "Engagements") == queries.count(warehouse.db, meetings)

    tab.assert_stayed_local()
    assert not tab.dialogs


def test_script_in_a_release_is_shown_as_text(tab: Tab, warehouse: Warehouse) -> None:
    page = tab.page
    open_page(tab, f"/engagement?meeting={warehouse.xss_meeting_id}")
    evidence = page.locator("mark.ev-sentence").first
    evidence.wait_for(timeout=LOAD_TIMEOUT_MS)
    settle(page)
    # The sentence is cut into several <mark>s where counterpart and topic marks overlap it.
    sentence = "".join(page.locator("mark.ev-sentence").all_inner_texts())
    assert SCRIPT in sentence, sentence
    assert SCRIPT in page.locator(".release-text").inner_text()
    assert page.get_by_text(SCRIPT, exact=False).first.is_visible()
    assert SCRIPT in page.locator('[data-testid="stMain"]').inner_text()
    # The headline carries it too: shown as text, not dropped.
    assert SCRIPT in page.locator('[data-testid="stMain"] h3').first.inner_text()
    assert page.locator("script", has_text="alert(1)").count() == 0
    page.wait_for_timeout(500)
    assert tab.dialogs == [], f"a dialog fired: {tab.dialogs}"
    tab.assert_stayed_local()


def test_csv_export_holds_the_filtered_rows_and_names_the_filter(tab: Tab, warehouse: Warehouse) -> None:
    from dashboard import queries
    from dashboard.filters import Filters

    page = tab.page
    open_page(tab, "/")
    wait_for_charts(page)
    choose_kind_meeting(page)
    meetings = Filters(kinds=("meeting",))
    wait_for_metric(page, "Engagements", queries.count(warehouse.db, meetings))

    button = download_button(page, "CSV")
    assert button.count() == 1
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=EXPORT_TIMEOUT_MS) as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename.endswith(".csv")

    text = data.decode("utf-8")
    lines = text.split("\n")
    manifest = lines[: next(i for i, line in enumerate(lines) if not line.startswith("#"))]
    assert manifest, "no # manifest lines above the header"
    filters_line = next(line for line in manifest if line.startswith("# filters:"))
    assert '"kinds": ["meeting"]' in filters_line, filters_line

    got = pd.read_csv(io.BytesIO(data), skiprows=len(manifest), dtype=str, keep_default_na=False)
    expected = queries.export_rows(warehouse.db, meetings)
    assert len(got) == len(expected) == queries.count(warehouse.db, meetings)
    assert set(got["meeting_id"]) == set(expected["meeting_id"].astype(str))
    assert set(got["kind"]) == {"meeting"}
    want_dates = dict(
        zip(expected["meeting_id"].astype(str), expected["meeting_date"].astype(str), strict=True)
    )
    assert dict(zip(got["meeting_id"], got["meeting_date"], strict=True)) == want_dates
    assert f"# rows: {len(expected)}" in manifest

    tab.assert_stayed_local()
    assert not tab.dialogs


def test_chart_exports_as_png(tab: Tab) -> None:
    page = tab.page
    open_page(tab, "/")
    wait_for_charts(page)
    button = download_button(page, "PNG").first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=EXPORT_TIMEOUT_MS) as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), data[:32]
    assert len(data) > 10_000, f"a {len(data)}-byte PNG is no chart"
    assert info.value.suggested_filename == "engagements-over-time.png"

    tab.assert_stayed_local()
    assert not tab.dialogs
