"""Web sources: crawl, archive and reprocess, against local HTTP servers replaying fixture sites; no live network.

Each fixture site (tests/fixtures/sites/<site>/) is served by a ThreadingHTTPServer on 127.0.0.1 that answers
conditional requests with 304, can be switched to fail (500 once, 500 always) or to hang past the client's
timeout for chosen paths, and records every request. The registry is the shipped one with each crawl section's
base URL pointed at its server, so the shipped selectors are what is tested.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
import tomllib
from collections.abc import Callable, Iterator
from datetime import datetime
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from etl.sources import DEFAULT_REGISTRY, RegistryError, parse_registry
from etl.web import crawl as crawl_module
from etl.web.archive import page_name, with_canonical
from etl.web.crawl import CrawlError, crawl, reprocess
from etl.web.fetch import Fetcher, FetchFailed, Throttle
from etl.web.pages import FeedError, parse_date, parse_feed, parse_listing
from warehouse import connect

CliRunner = Callable[..., tuple[int, str, str]]

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sites"
KABAR, PRESIDENT = "kabar.kg", "president.kg"
LISTING, PAGE_2 = "/eng/news/", "/eng/news/page/2/"
FEED = "/en/rss.xml"
NEWS = "/eng/news/{}/"
KABAR_ARTICLES = (  # as the listing shows them, newest first (the robots.txt-disallowed one left out)
    "sadyr-japarov-receives-ambassador-of-turkiye",
    "japarov-holds-phone-talk-with-mirziyoyev",
    "kulubaev-meets-foreign-minister-of-kazakhstan",
    "japarov-receives-credentials-of-ambassadors",
    "japarov-meets-un-resident-coordinator",
    "kasymaliev-receives-chinese-delegation",
)
NEW_ARTICLE = "japarov-holds-talks-with-president-of-tajikistan"  # only on the updated listing
DISALLOWED = "/eng/news/closed/draft-statement/"
PRESIDENT_ARTICLES = ("/en/news/25871", "/en/news/25860", "/en/news/25844")
TIMEOUT = 0.5  # the client's, in the test registry: a hanging page costs three of these


# --------------------------------------------------------------------------------------------- the sites


class Site:
    """A fixture site on 127.0.0.1: files under `root`, `{{BASE}}` in them replaced by the server's URL."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.log: list[tuple[str, dict[str, str]]] = []
        self.fail_once: set[str] = set()
        self.always_fail: set[str] = set()
        self.hang: set[str] = set()
        self._failed: set[str] = set()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._release.set()  # hanging handlers return at once
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def requested(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.log if p == path)

    def paths(self) -> list[str]:
        with self._lock:
            return [p for p, _ in self.log]

    def conditional(self, path: str) -> list[bool]:
        """For each request of `path`: whether it carried If-None-Match."""
        with self._lock:
            return ["if-none-match" in h for p, h in self.log if p == path]

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()

    def file_for(self, path: str) -> Path | None:
        rel = unquote(urlsplit(path).path).lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        candidate = (self.root / rel).resolve()
        if self.root.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return candidate

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.log.append((path, headers))
            hang = path in self.hang
            fail = path in self.always_fail or (path in self.fail_once and path not in self._failed)
            self._failed.add(path)
        if hang:
            self._release.wait(TIMEOUT * 6)
            return  # the client gave up long ago; answer nothing
        if fail:
            _send(handler, 500, b"<html><body>Internal Server Error</body></html>", {})
            return
        found = self.file_for(path)
        if found is None:
            _send(handler, 404, b"<html><body>Not Found</body></html>", {})
            return
        data = found.read_bytes().replace(b"{{BASE}}", self.base.encode())
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        mtime = int(found.stat().st_mtime)
        validators = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
        if_none_match = headers.get("if-none-match")
        since = headers.get("if-modified-since")
        if if_none_match == etag or (
            if_none_match is None and since and parsedate_to_datetime(since).timestamp() >= mtime
        ):
            _send(handler, 304, b"", validators)
            return
        kind = {".xml": "application/rss+xml", ".txt": "text/plain"}.get(found.suffix, "text/html")
        _send(handler, 200, data, {**validators, "Content-Type": f"{kind}; charset=utf-8"})


def _handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.respond(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    try:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        if status != 304:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if body:
            handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[dict[str, Site]]:
    """Both fixture sites, served from copies the test may edit."""
    served: dict[str, Site] = {}
    try:
        for key, folder in ((KABAR, "kabar"), (PRESIDENT, "president")):
            root = tmp_path / "sites" / folder
            shutil.copytree(FIXTURES / folder, root)
            served[key] = Site(root)
        yield served
    finally:
        for site in served.values():
            site.close()


# --------------------------------------------------------------------------------------------- the registry


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "[" + ", ".join(_toml_value(v) for v in value) + "]"


def write_registry(path: Path, data: dict[str, Any]) -> Path:
    """A registry of `[sources.NAME]` tables (with an optional `crawl` sub-table) as TOML."""
    lines = []
    for key, entry in data["sources"].items():
        lines.append(f"[sources.{json.dumps(key)}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in entry.items() if k != "crawl"]
        if "crawl" in entry:
            lines.append(f"[sources.{json.dumps(key)}.crawl]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in entry["crawl"].items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def shipped_registry() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_REGISTRY.read_text(encoding="utf-8"))


@pytest.fixture
def registry(sites: dict[str, Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Writes the shipped registry with its crawl URLs on the local sites, and points $DIPLOMACY_SOURCES at it.

    Keyword arguments override crawl keys of every crawled source (`delay`, `max_pages`, ...).
    """
    counter = iter(range(1000))

    def make(**overrides: Any) -> Path:
        data = shipped_registry()
        for key, entry in data["sources"].items():
            spec = entry.get("crawl")
            if spec is None:
                continue
            assert key in sites, f"no fixture site for the shipped crawl section of {key}"
            for name in ("listing", "feed"):
                if name in spec:
                    spec[name] = sites[key].base + urlsplit(spec[name]).path
            spec.update({"delay": 0, "timeout": TIMEOUT, **overrides})
        path = write_registry(tmp_path / f"sources-{next(counter)}.toml", data)
        monkeypatch.setenv("DIPLOMACY_SOURCES", str(path))
        return path

    return make


class FakeTime:
    """A clock that only moves when slept on; every sleep is recorded instead of slept."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    return tmp_path / "archive"


def crawl_now(db: Path, archive: Path, fake: FakeTime, **kwargs: Any) -> dict[str, Any]:
    """A crawl in this process with the fake clock, quietly; returns its summary line."""
    summary = crawl(db, archive, workers=1, clock=fake.clock, sleep=fake.sleep, log=lambda _: None, **kwargs)
    return summary.as_dict()


def reprocess_now(db: Path, archive: Path, **kwargs: Any) -> dict[str, Any]:
    return reprocess(db, archive, workers=1, log=lambda _: None, **kwargs).as_dict()


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# --------------------------------------------------------------------------------------------- first crawl


def test_first_crawl_loads_every_fixture_release(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    registry()
    summary = crawl_now(fresh_db, archive_dir, fake_time)

    kabar, president = sites[KABAR], sites[PRESIDENT]
    expected_urls = {kabar.url(NEWS.format(s)) for s in KABAR_ARTICLES} | {
        president.url(p) for p in PRESIDENT_ARTICLES
    }
    rows = query(fresh_db, "SELECT url, source, title, published_at, body FROM releases")
    assert {r[0] for r in rows} == expected_urls
    assert {r[0]: r[1] for r in rows} == {
        u: KABAR if u.startswith(kabar.base) else PRESIDENT for u in expected_urls
    }
    # Every release yields at least one engagement, on the publishing side of the source's country.
    per_release = dict(query(fresh_db, "SELECT r.url, count(m.meeting_id) FROM releases r "
                                       "LEFT JOIN meetings m USING (release_id) GROUP BY r.url"))  # fmt: skip
    assert all(per_release[u] >= 1 for u in expected_urls), per_release
    assert {c for (c,) in query(fresh_db, "SELECT DISTINCT principal_country FROM meetings")} == {"KGZ"}
    # The selectors took the headline, date and body; the site's furniture stayed out.
    turkiye = next(r for r in rows if r[0].endswith("sadyr-japarov-receives-ambassador-of-turkiye/"))
    assert turkiye[2] == "Sadyr Japarov receives Ambassador of Türkiye"
    assert turkiye[3] == datetime(2025, 2, 25, 17, 32)
    assert turkiye[4].startswith("Bishkek, February 25, 2025")
    for furniture in ("USD 87.45", "views:", "Related", "Kabar National News Agency", "Share"):
        assert all(furniture not in r[4] for r in rows), furniture
    azerbaijan = next(r for r in rows if r[0].endswith("/en/news/25860"))
    assert (
        azerbaijan[2]
        == "Sadyr Japarov holds telephone conversation with President of Azerbaijan Ilham Aliyev"
    )
    assert azerbaijan[3] == datetime(2025, 4, 1, 16, 45)

    # Every page was requested once; robots.txt once per site; nothing else.
    assert sorted(kabar.paths()) == sorted(
        ["/robots.txt", LISTING, PAGE_2, *(NEWS.format(s) for s in KABAR_ARTICLES)]
    )
    assert sorted(president.paths()) == sorted(["/robots.txt", FEED, *PRESIDENT_ARTICLES])
    assert summary["requests"] == 9 + 5
    assert (summary["fetched"], summary["new"], summary["failed"], summary["disallowed"]) == (9, 9, 0, 1)
    assert summary["rejected"] == 0 and summary["meetings"] >= 9
    assert summary["sources"] == [KABAR, PRESIDENT] and len(summary["runs"]) == 2


def test_robots_txt_disallow_is_respected_and_recorded(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    registry()
    crawl_now(fresh_db, archive_dir, fake_time, sources=[KABAR])
    kabar = sites[KABAR]
    assert kabar.requested(DISALLOWED) == 0
    assert query(
        fresh_db, "SELECT outcome, error FROM crawl_state WHERE url = ?", [kabar.url(DISALLOWED)]
    ) == [("disallowed", f"disallowed by {kabar.base}/robots.txt for this user agent")]
    # A site whose robots.txt forbids everything is not crawled at all.
    (sites[PRESIDENT].root / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    summary = crawl_now(fresh_db, archive_dir, fake_time, sources=[PRESIDENT])
    assert sites[PRESIDENT].paths() == ["/robots.txt"]
    assert (summary["disallowed"], summary["fetched"]) == (1, 0)


def test_the_archive_holds_each_page_under_its_source_and_month_with_its_url(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    registry()
    crawl_now(fresh_db, archive_dir, fake_time, now=lambda: datetime(2025, 3, 1, 8, 0))
    files = sorted(p.relative_to(archive_dir).as_posix() for p in archive_dir.rglob("*") if p.is_file())
    kabar_urls = [sites[KABAR].url(NEWS.format(s)) for s in KABAR_ARTICLES]
    president_urls = [sites[PRESIDENT].url(p) for p in PRESIDENT_ARTICLES]
    assert files == sorted(
        [f"{KABAR}/2025/03/{page_name(u)}" for u in kabar_urls]
        + [f"{PRESIDENT}/2025/03/{page_name(u)}" for u in president_urls]
    )
    # The page without a canonical link got one with the URL it was fetched from; the others are unchanged.
    no_link = kabar_urls[-1]
    saved = (archive_dir / KABAR / "2025" / "03" / page_name(no_link)).read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{no_link}">' in saved
    original = (
        FIXTURES / "kabar" / "eng/news/sadyr-japarov-receives-ambassador-of-turkiye/index.html"
    ).read_text()
    kept = (archive_dir / KABAR / "2025" / "03" / page_name(kabar_urls[0])).read_text(encoding="utf-8")
    assert kept == original.replace("{{BASE}}", sites[KABAR].base)
    # The release is keyed by that URL, and its source_ref is the archived file.
    assert query(fresh_db, "SELECT source_ref FROM releases WHERE url = ?", [no_link]) == [
        (str(archive_dir / KABAR / "2025" / "03" / page_name(no_link)),)
    ]
    rows = query(fresh_db, "SELECT url, archive_path, etag IS NOT NULL, last_status FROM crawl_state "
                           "WHERE kind = 'article' AND outcome = 'fetched' ORDER BY url")  # fmt: skip
    assert [r[0] for r in rows] == sorted(kabar_urls + president_urls)
    assert all(Path(r[1]).is_file() and r[2] and r[3] == 200 for r in rows)


# --------------------------------------------------------------------------------------------- incremental


def test_second_crawl_fetches_only_what_changed(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    registry()
    crawl_now(fresh_db, archive_dir, fake_time)
    before = query(fresh_db, "SELECT release_id, content_hash FROM releases ORDER BY 1")
    kabar, president = sites[KABAR], sites[PRESIDENT]

    # The agency publishes one new article at the top of its listing; the press service publishes nothing.
    listing = kabar.root / "eng" / "news"
    shutil.copyfile(listing / "index.updated.html", listing / "index.html")
    kabar.reset_log()
    president.reset_log()
    summary = crawl_now(fresh_db, archive_dir, fake_time)

    # Listing and feed were asked conditionally; the walk stopped at the first known article, so neither
    # page 2 nor any known article was requested again.
    assert kabar.paths() == ["/robots.txt", LISTING, NEWS.format(NEW_ARTICLE)]
    assert kabar.conditional(LISTING) == [True]
    assert president.paths() == ["/robots.txt", FEED]
    assert president.conditional(FEED) == [True]
    assert (summary["requests"], summary["fetched"], summary["not_modified"]) == (5, 1, 1)
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (1, 0, 0)
    after = query(fresh_db, "SELECT release_id, content_hash FROM releases ORDER BY 1")
    assert set(before) < set(after) and len(after) == len(before) + 1
    assert query(fresh_db, "SELECT count(*) FROM meetings m JOIN releases r USING (release_id) WHERE r.url = ?",
                 [kabar.url(NEWS.format(NEW_ARTICLE))])[0][0] >= 1  # fmt: skip

    # Nothing changed since: both answer 304, nothing else is fetched, and no row changes.
    kabar.reset_log()
    president.reset_log()
    summary = crawl_now(fresh_db, archive_dir, fake_time)
    assert kabar.paths() == ["/robots.txt", LISTING] and president.paths() == ["/robots.txt", FEED]
    assert (summary["requests"], summary["fetched"], summary["not_modified"]) == (4, 0, 2)
    assert (summary["seen"], summary["new"], summary["changed"]) == (0, 0, 0)
    assert query(fresh_db, "SELECT release_id, content_hash FROM releases ORDER BY 1") == after
    assert query(fresh_db, "SELECT outcome, last_status FROM crawl_state WHERE url IN (?, ?) ORDER BY kind",
                 [president.url(FEED), kabar.url(LISTING)]) == [("not_modified", 304), ("not_modified", 304)]  # fmt: skip


def test_the_page_cap_leaves_the_rest_for_the_next_crawl(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    registry()
    kabar = sites[KABAR]
    summary = crawl_now(fresh_db, archive_dir, fake_time, sources=[KABAR], max_pages=2)
    # Page 1 already lists more new articles than one crawl may fetch: page 2 is not walked.
    assert kabar.paths() == ["/robots.txt", LISTING, *(NEWS.format(s) for s in KABAR_ARTICLES[:2])]
    assert (summary["fetched"], summary["pending"]) == (2, 1)
    pending = kabar.url(NEWS.format(KABAR_ARTICLES[2]))
    assert query(fresh_db, "SELECT outcome FROM crawl_state WHERE url = ?", [pending]) == [("pending",)]

    kabar.reset_log()
    summary = crawl_now(fresh_db, archive_dir, fake_time, sources=[KABAR], max_pages=2)
    assert kabar.paths() == ["/robots.txt", LISTING, NEWS.format(KABAR_ARTICLES[2])]  # listing 304, backlog
    assert (summary["fetched"], summary["not_modified"], summary["pending"], summary["new"]) == (1, 1, 0, 1)


# --------------------------------------------------------------------------------------------- failures


def test_a_500_and_a_timeout_are_retried_then_recorded_and_the_crawl_goes_on(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    registry()
    kabar = sites[KABAR]
    flaky, broken, slow = (NEWS.format(s) for s in KABAR_ARTICLES[2:5])
    kabar.fail_once.add(flaky)
    kabar.always_fail.add(broken)
    kabar.hang.add(slow)
    summary = crawl_now(fresh_db, archive_dir, fake_time, sources=[KABAR])

    assert (kabar.requested(flaky), kabar.requested(broken), kabar.requested(slow)) == (2, 3, 3)
    assert fake_time.sleeps == [1.0, 1.0, 2.0, 1.0, 2.0]  # backoff: 1 s, then 2 s; no politeness delay (0)
    assert (summary["fetched"], summary["failed"], summary["new"], summary["rejected"]) == (4, 2, 4, 2)
    loaded = {u for (u,) in query(fresh_db, "SELECT url FROM releases")}
    assert kabar.url(flaky) in loaded and kabar.url(NEWS.format(KABAR_ARTICLES[5])) in loaded
    state = {r[0]: r[1:] for r in query(fresh_db, "SELECT url, outcome, last_status, failures, error "
                                                  "FROM crawl_state WHERE outcome = 'failed'")}  # fmt: skip
    assert set(state) == {kabar.url(broken), kabar.url(slow)}
    assert state[kabar.url(broken)][:3] == ("failed", 500, 1)
    assert "HTTP 500 Internal Server Error on each of 3 tries" in state[kabar.url(broken)][3]
    assert state[kabar.url(slow)][:3] == ("failed", None, 1)
    assert f"timed out after {TIMEOUT:g} s on each of 3 tries" in state[kabar.url(slow)][3]
    rejects = dict(query(fresh_db, "SELECT source_ref, reason FROM rejects"))
    assert set(rejects) == {kabar.url(broken), kabar.url(slow)}
    assert all(
        r.startswith("page could not be fetched: ") and "next crawl tries again" in r
        for r in rejects.values()
    )
    assert query(fresh_db, "SELECT rejected FROM etl_runs WHERE run_id = ?", [summary["runs"][0]]) == [(2,)]

    # The site recovers: the listing is unchanged (304), and the two failed pages come from the backlog.
    kabar.always_fail.clear()
    kabar.hang.clear()
    kabar.reset_log()
    summary = crawl_now(fresh_db, archive_dir, fake_time, sources=[KABAR])
    assert sorted(kabar.paths()) == sorted(["/robots.txt", LISTING, broken, slow])
    assert (summary["fetched"], summary["failed"], summary["new"]) == (2, 0, 2)
    assert query(fresh_db, "SELECT count(*) FROM rejects") == [(0,)]
    assert query(fresh_db, "SELECT count(*) FROM releases") == [(6,)]


def test_a_failing_listing_is_recorded_and_the_other_sources_are_crawled(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    registry()
    sites[KABAR].always_fail.add(LISTING)
    summary = crawl_now(fresh_db, archive_dir, fake_time)
    assert sites[KABAR].paths() == ["/robots.txt", LISTING, LISTING, LISTING]
    assert (summary["failed"], summary["fetched"]) == (1, 3)
    (reason,) = [r for (r,) in query(fresh_db, "SELECT reason FROM rejects")]
    assert reason.startswith("listing page could not be fetched: HTTP 500")


def test_an_unreachable_site_is_a_recorded_failure_not_a_crash(
    registry: Callable[..., Path], fresh_db: Path, archive_dir: Path, fake_time: FakeTime
) -> None:
    registry()
    data = shipped_registry()
    # A closed port on this machine: connection refused at once.
    data["sources"][KABAR]["crawl"].update(listing="http://127.0.0.1:9/eng/news/", delay=0, timeout=TIMEOUT)
    data["sources"][PRESIDENT].pop("crawl")
    path = write_registry(fresh_db.parent / "down.toml", data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIPLOMACY_SOURCES", str(path))
        summary = crawl_now(fresh_db, archive_dir, fake_time)
    assert (summary["disallowed"], summary["requests"], summary["fetched"]) == (1, 3, 0)
    (error,) = [e for (e,) in query(fresh_db, "SELECT error FROM crawl_state")]
    assert "robots.txt could not be read" in error and "connection error" in error


# --------------------------------------------------------------------------------------------- politeness


def test_the_politeness_delay_separates_requests_to_a_host(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    registry(delay=1.5)
    summary = crawl_now(fresh_db, archive_dir, fake_time, sources=[KABAR])
    requests = len(sites[KABAR].paths())
    assert summary["requests"] == requests == 9
    assert fake_time.sleeps == [1.5] * (requests - 1)  # before every request but the first


def test_throttle_waits_only_what_remains_and_per_host(fake_time: FakeTime) -> None:
    throttle = Throttle(2.0, clock=fake_time.clock, sleep=fake_time.sleep)
    throttle.wait("a")
    fake_time.now += 0.5
    throttle.wait("a")  # 0.5 s passed: 1.5 s to go
    throttle.wait("b")  # another host: no wait
    fake_time.now += 5
    throttle.wait("a")  # long enough ago
    assert fake_time.sleeps == [1.5]


def test_robots_crawl_delay_wins_when_longer(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    registry(delay=1.0)
    robots = sites[PRESIDENT].root / "robots.txt"
    robots.write_text("User-agent: *\nCrawl-delay: 4\nDisallow: /admin/\n", encoding="utf-8")
    crawl_now(fresh_db, archive_dir, fake_time, sources=[PRESIDENT])
    assert fake_time.sleeps == [4.0] * 4  # robots.txt, then the feed and three pages


# --------------------------------------------------------------------------------------------- reprocess


def test_reprocess_rebuilds_the_same_releases_without_any_request(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry()
    crawl_now(fresh_db, archive_dir, fake_time)
    for site in sites.values():
        site.reset_log()

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("reprocess made an HTTP request")

    monkeypatch.setattr(httpx.Client, "send", no_network)
    columns = "release_id, source, url, published_at, title, body, lang, content_hash"
    rebuilt = tmp_path / "rebuilt" / "w.duckdb"
    summary = reprocess_now(rebuilt, archive_dir)
    assert summary["sources"] == [KABAR, PRESIDENT]
    assert (summary["seen"], summary["new"], summary["rejected"]) == (9, 9, 0)
    assert query(rebuilt, f"SELECT {columns} FROM releases ORDER BY 1") == query(
        fresh_db, f"SELECT {columns} FROM releases ORDER BY 1"
    )
    meetings = "SELECT release_id, meeting_date, kind, principal FROM meetings ORDER BY 1, 2, 3"
    assert query(rebuilt, meetings) == query(fresh_db, meetings)

    # Over the warehouse the crawl loaded: nothing changed, so nothing is re-extracted; one source only.
    again = reprocess_now(fresh_db, archive_dir, sources=[KABAR])
    assert (again["seen"], again["unchanged"], again["new"], again["changed"]) == (6, 6, 0, 0)
    assert all(site.paths() == [] for site in sites.values())


def test_reprocess_re_extracts_under_a_new_extractor_version(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry()
    crawl_now(fresh_db, archive_dir, fake_time, sources=[PRESIDENT])
    monkeypatch.setattr("etl.pipeline.EXTRACTOR_VERSION", "next-version")
    summary = reprocess_now(fresh_db, archive_dir)
    assert (summary["changed"], summary["unchanged"]) == (3, 0)
    assert query(fresh_db, "SELECT DISTINCT extractor_version FROM releases") == [("next-version",)]


# --------------------------------------------------------------------------------------------- the CLI


def summary_line(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    return data


def test_cli_crawl_then_reprocess(
    cli: CliRunner, sites: dict[str, Site], registry: Callable[..., Path], fresh_db: Path, archive_dir: Path
) -> None:
    env = {"DIPLOMACY_SOURCES": str(registry()), "DIPLOMACY_ARCHIVE": str(archive_dir)}
    code, out, err = cli("crawl", "--db", fresh_db, "--source", PRESIDENT, "--workers", "1", env=env)
    assert code == 0, err
    line = summary_line(out)
    assert {"seen", "new", "changed", "unchanged", "rejected", "meetings", "seconds"} <= set(line)
    assert (line["new"], line["fetched"], line["requests"]) == (3, 3, 5)
    assert f"{PRESIDENT}: 5 requests, 3 pages fetched" in err
    assert sorted(p.parent.parent.parent.name for p in archive_dir.rglob("*.html")) == [PRESIDENT] * 3

    code, out, err = cli("reprocess", "--db", fresh_db, "--workers", "1", env=env)
    assert code == 0, err
    assert (summary_line(out)["seen"], summary_line(out)["unchanged"]) == (3, 3)
    assert len(sites[PRESIDENT].paths()) == 5  # the crawl's only


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "--source", "pmd.gov.lk"], 'has no [sources."pmd.gov.lk".crawl] section'),
        (["crawl", "--source", "nowhere.example"], "unknown source 'nowhere.example'"),
        (["crawl", "--max-pages", "0"], "--max-pages"),
        (["reprocess", "--source", "nowhere.example"], "unknown source 'nowhere.example'"),
        (["reprocess", "--source", "akorda.kz"], "no archive of 'akorda.kz'"),
    ],
)
def test_cli_usage_errors_exit_2(
    cli: CliRunner, fresh_db: Path, archive_dir: Path, args: list[str], message: str
) -> None:
    code, out, err = cli(*args, "--db", fresh_db, "--archive", archive_dir)
    assert code == 2 and out == ""
    assert message in err


def test_crawlable_needs_a_crawl_section() -> None:
    registry = parse_registry('[sources.a]\ncountry = "KGZ"\n')
    assert crawl_module.crawlable(registry) == []
    with pytest.raises(CrawlError, match=re.escape('no [sources."a".crawl] section')):
        crawl_module.crawlable(registry, ["a"])


# --------------------------------------------------------------------------------------------- the registry


def test_the_shipped_registry_has_two_web_sources() -> None:
    data = parse_registry(DEFAULT_REGISTRY.read_text(encoding="utf-8"))
    web = {k: s.crawl for k, s in data.items() if s.crawl is not None}
    assert set(web) == {KABAR, PRESIDENT}
    assert web[KABAR] is not None and web[KABAR].listing and web[KABAR].next
    assert web[PRESIDENT] is not None and web[PRESIDENT].feed


BASE_ENTRY = '[sources.a]\ncountry = "KGZ"\n[sources.a.crawl]\n'


@pytest.mark.parametrize(
    ("crawl_table", "message"),
    [
        ('listing = "https://a.kg/news"\nlinks = "a"\nfrequency = 3\n', "unknown keys ['frequency']"),
        ('listing = "https://a.kg/"\nfeed = "https://a.kg/rss"\nlinks = "a"\n', "exactly one of 'listing'"),
        ('links = "a"\n', "exactly one of 'listing'"),
        ('listing = "https://a.kg/news"\n', "needs a 'links' selector"),
        ('feed = "https://a.kg/rss"\nnext = ".next"\n', "apply to a listing page, not to a feed"),
        ('listing = "ftp://a.kg/news"\nlinks = "a"\n', "must be an http(s) URL"),
        ('listing = "https://a.kg/news"\nlinks = "a[["\n', "invalid CSS selector"),
        ('feed = "https://a.kg/rss"\nbody = ""\n', "must be a CSS selector"),
        ('feed = "https://a.kg/rss"\ndate_format = "dd.mm.yyyy"\n', "strptime format"),
        ('feed = "https://a.kg/rss"\ndelay = -1\n', "delay must be a number of seconds >= 0"),
        ('feed = "https://a.kg/rss"\ntimeout = 0\n', "timeout must be more than 0"),
        ('feed = "https://a.kg/rss"\nmax_pages = 0\n', "max_pages must be a whole number"),
        ('feed = "https://a.kg/rss"\ntries = true\n', "tries must be a whole number"),
        ('feed = "https://a.kg/rss"\nuser_agent = " "\n', "user_agent must be a non-empty string"),
    ],
)
def test_a_malformed_crawl_section_is_rejected(crawl_table: str, message: str) -> None:
    with pytest.raises(RegistryError, match=re.escape("sources.a.crawl")) as caught:
        parse_registry(BASE_ENTRY + crawl_table)
    assert message in str(caught.value)


def test_a_crawl_section_gets_its_defaults() -> None:
    source = parse_registry(BASE_ENTRY + 'feed = "https://a.kg/rss"\n')["a"]
    assert source.crawl is not None
    assert (source.crawl.title, source.crawl.date, source.crawl.body) == ("auto", "auto", "auto")
    assert (source.crawl.delay, source.crawl.tries, source.crawl.start) == (2.0, 3, "https://a.kg/rss")
    assert not source.crawl.selects


# --------------------------------------------------------------------------------------------- pages


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("25.02.2025 17:32", "%d.%m.%Y %H:%M", datetime(2025, 2, 25, 17, 32)),
        ("views: 12 | 25.02.2025 17:32 | Print", "%d.%m.%Y %H:%M", datetime(2025, 2, 25, 17, 32)),
        ("04 April 2025, 12:10", "%d %B %Y, %H:%M", datetime(2025, 4, 4, 12, 10)),
        ("2025-04-04T12:10:00+05:00", "auto", datetime(2025, 4, 4, 12, 10)),
        ("Published on 4 April 2025", "auto", datetime(2025, 4, 4)),
        ("no date here", "auto", None),
        ("31.02.2025 10:00", "%d.%m.%Y %H:%M", None),
    ],
)
def test_parse_date(text: str, fmt: str, expected: datetime | None) -> None:
    assert parse_date(text, fmt) == expected


def test_listing_links_are_absolute_deduplicated_and_without_fragments() -> None:
    page = b"""<html><body><div class="list">
      <h2><a href="/news/1/#comments">One</a></h2><h2><a href="/news/1/">One again</a></h2>
      <h2 class="box"><span><a href="https://a.kg/news/2/">Two</a></span></h2>
      <h2><a href="mailto:press@a.kg">Mail</a></h2>
    </div><a class="next" href="?page=2">Next</a></body></html>"""
    listing = parse_listing(page, "https://a.kg/news/", ".list h2", ".next")
    assert listing.links == ("https://a.kg/news/1/", "https://a.kg/news/2/")
    assert listing.next == "https://a.kg/news/?page=2"


def test_atom_feed_links() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>a</title><link rel="alternate" href="/news/a"/><link rel="enclosure" href="/a.jpg"/></entry>
      <entry><title>b</title><link href="https://a.kg/news/b"/></entry>
    </feed>"""
    assert parse_feed(atom, "https://a.kg/feed") == ("https://a.kg/news/a", "https://a.kg/news/b")
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>not a feed</body></html>", "https://a.kg/feed")
    with pytest.raises(FeedError):
        parse_feed(b"<rss><channel><item>", "https://a.kg/feed")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (b"<html><head><title>t</title>", b'<html><head><link rel="canonical" href="U"><title>t</title>'),
        (b"<HTML lang=en><body>x</body>", b'<HTML lang=en><link rel="canonical" href="U"><body>x</body>'),
        (b"<p>bare</p>", b'<link rel="canonical" href="U"><p>bare</p>'),
        (
            b"<html><head><link rel='canonical' href='/x'></head>",
            b"<html><head><link rel='canonical' href='/x'></head>",
        ),
    ],
)
def test_with_canonical(page: bytes, expected: bytes) -> None:
    url = "https://a.kg/news/ü?a=1&b=2"
    href = b"https://a.kg/news/%C3%BC?a=1&amp;b=2"
    assert with_canonical(page, url) == expected.replace(b'href="U"', b'href="' + href + b'"')


def test_a_client_error_is_not_retried(sites: dict[str, Site], fake_time: FakeTime) -> None:
    fetcher = Fetcher(user_agent="t", timeout=TIMEOUT, sleep=fake_time.sleep, clock=fake_time.clock)
    with fetcher, pytest.raises(FetchFailed, match="HTTP 404 Not Found: the page is gone") as caught:
        fetcher.get(sites[KABAR].url("/eng/news/no-such-page/"))
    assert (caught.value.status, caught.value.tries, fake_time.sleeps) == (404, 1, [])


def test_run_over_the_archive_reads_the_pages_as_the_crawl_did(
    sites: dict[str, Site],
    registry: Callable[..., Path],
    fresh_db: Path,
    archive_dir: Path,
    fake_time: FakeTime,
) -> None:
    """`etl run` over the archive folder reads the pages the same way (selectors included)."""
    from etl.pipeline import run

    registry()
    crawl_now(fresh_db, archive_dir, fake_time, sources=[KABAR])
    other = fresh_db.parent / "by-run.duckdb"
    run([str(archive_dir / KABAR)], other, source=KABAR, workers=1)
    columns = "release_id, title, published_at, body"
    assert query(other, f"SELECT {columns} FROM releases ORDER BY 1") == query(
        fresh_db, f"SELECT {columns} FROM releases ORDER BY 1"
    )


def test_selectors_that_find_nothing_leave_the_page_to_trafilatura(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.inputs.readers import iter_inputs
    from etl.records import Release

    table = 'feed = "https://example.kg/rss"\ntitle = "h1.nowhere"\ndate = ".nowhere"\nbody = ".nowhere"\n'
    registry = tmp_path / "sources.toml"
    registry.write_text(BASE_ENTRY.replace("sources.a", 'sources."example.kg"') + table, encoding="utf-8")
    monkeypatch.setenv("DIPLOMACY_SOURCES", str(registry))
    text = " ".join(["The President met the Ambassador of Japan and discussed trade and investment."] * 4)
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><link rel="canonical" href="https://example.kg/news/1">'
        '<meta property="article:published_time" content="2025-03-01T10:00:00"></head>'
        f"<body><article><h1>President meets Ambassador</h1><p>{text}</p></article></body></html>",
        encoding="utf-8",
    )
    (release,) = iter_inputs([str(page)], source="example.kg")
    assert isinstance(release, Release)
    assert (release.title, release.published_at, release.url) == (
        "President meets Ambassador",
        datetime(2025, 3, 1, 10, 0),
        "https://example.kg/news/1",
    )
    assert release.body.startswith("The President met the Ambassador of Japan")
