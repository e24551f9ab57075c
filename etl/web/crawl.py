"""Web sources: fetch each source's new releases into the archive and load them; reprocess the archive.

A crawl of one source, in order:
1. walk the listing pages (newest first, following the `next` selector) or read the feed, collecting article
   links until the first one already archived: everything above it is new, everything below was seen before.
   Listing and feed are fetched conditionally (If-None-Match / If-Modified-Since); a 304 means nothing is new;
2. add the backlog: links that failed on an earlier crawl, or were left over by the page cap;
3. fetch up to `max_pages` of them, politely (robots.txt, a delay between requests to a host, timeouts,
   bounded retries), and save each page in the archive; a page that cannot be fetched is recorded with the
   reason, and the crawl goes on with the next one;
4. run the ordinary pipeline on the pages archived now, so that extraction, rejects and idempotency are the
   same as for files; then record the crawl state (validators, outcomes, archive paths) and the fetch failures
   (in `rejects`, keyed by URL) in the warehouse.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from etl.pipeline import RunFailed, RunSummary, run
from etl.records import Reject
from etl.sources import Crawl, Source, load_registry
from etl.store import load
from etl.store.lock import LockTimeout, writer_lock
from etl.store.publish import working_copy
from etl.web import archive
from etl.web.crawl_state import UrlState, clear_rejects, read_state, write_state
from etl.web.fetch import Fetcher, FetchFailed, Page
from etl.web.pages import FeedError, parse_feed, parse_listing

GIVE_UP = 5  # a page that failed on this many crawls in a row is no longer retried from the backlog
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")  # text/plain: misconfigured servers
_PIPELINE_KEYS = ("seen", "new", "changed", "unchanged", "rejected", "meetings")


class CrawlError(ValueError):
    """The crawl was asked for something the registry cannot give (an unknown source, no crawl section)."""


@dataclass(slots=True)
class SourceReport:
    """What one source's crawl did: its request counts, its pipeline run, and what went wrong."""

    source: str
    requests: int = 0  # HTTP requests sent (retries and robots.txt included)
    fetched: int = 0  # article pages received and archived
    not_modified: int = 0  # 304 answers to a conditional GET (listing, feed or page)
    failed: int = 0  # pages, listings or feeds given up on this run (also in `rejects`)
    disallowed: int = 0  # URLs robots.txt forbids: never requested
    pending: int = 0  # links left for the next crawl by the page cap
    archived: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    run: RunSummary | None = None
    error: str | None = None  # the pipeline run failed: nothing of this source was published


@dataclass(frozen=True, slots=True)
class CrawlSummary:
    """The summary line of `python -m etl crawl`: CONTRACT §2's counts summed over sources, and the crawl's."""

    reports: tuple[SourceReport, ...]
    seconds: float
    db: str
    archive: str

    @property
    def failed_sources(self) -> list[str]:
        return [r.source for r in self.reports if r.error]

    def as_dict(self) -> dict[str, object]:
        counts = {k: sum(getattr(r.run, k) for r in self.reports if r.run) for k in _PIPELINE_KEYS}
        counts["rejected"] += sum(r.failed for r in self.reports if r.run)  # fetch failures are rejects too
        crawl = {
            k: sum(getattr(r, k) for r in self.reports)
            for k in ("requests", "fetched", "not_modified", "failed", "disallowed", "pending")
        }
        return {
            **counts,
            "seconds": round(self.seconds, 3),
            **crawl,
            "sources": [r.source for r in self.reports],
            "runs": [r.run.run_id for r in self.reports if r.run],
            "failed_sources": self.failed_sources,
            "db": self.db,
            "archive": self.archive,
        }


# --------------------------------------------------------------------------------------------- crawl


def crawlable(registry: dict[str, Source], names: Sequence[str] | None = None) -> list[Source]:
    """The sources to crawl: the named ones (each must have a crawl section), else every one that has one."""
    if not names:
        return [s for s in registry.values() if s.crawl is not None]
    chosen = []
    for name in names:
        entry = registry.get(name)
        if entry is None:
            raise CrawlError(f"unknown source {name!r}; known sources: {', '.join(sorted(registry))}")
        if entry.crawl is None:
            with_crawl = sorted(k for k, s in registry.items() if s.crawl is not None)
            raise CrawlError(
                f'source {name!r} has no [sources."{name}".crawl] section in the registry; '
                f"crawlable sources: {', '.join(with_crawl) or 'none'}"
            )
        chosen.append(entry)
    return chosen


def crawl(
    db_path: Path,
    archive_root: Path,
    *,
    sources: Sequence[str] | None = None,
    max_pages: int | None = None,
    workers: int | None = None,
    lock_timeout: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = datetime.now,
    log: Callable[[str], None] | None = None,
) -> CrawlSummary:
    """Crawl the given sources (default: every source with a crawl section) and load what is new.

    Fetching holds no lock (it is slow and touches only the archive); each source's publishing holds the
    warehouse's writer lock (etl/store/lock.py), waiting up to `lock_timeout` seconds for it. `clock` and `sleep`
    drive the politeness delay and the retry backoff; tests pass fakes.
    """
    say = log or _stderr
    chosen = crawlable(load_registry(), sources)
    if max_pages is not None and max_pages < 1:
        raise CrawlError(f"--max-pages must be at least 1, got {max_pages}")
    t0 = time.perf_counter()
    reports = []
    for source in chosen:
        assert source.crawl is not None
        report = SourceReport(source.key)
        state = read_state(db_path, source.key)
        spec = replace(source.crawl, max_pages=max_pages or source.crawl.max_pages)
        with Fetcher(
            user_agent=spec.user_agent,
            timeout=spec.timeout,
            tries=spec.tries,
            delay=spec.delay,
            clock=clock,
            sleep=sleep,
        ) as fetcher:
            rows, rejects = _Harvest(source, spec, state, fetcher, archive_root, report, now)()
            report.requests = fetcher.requests
        _publish(db_path, source, report, rows, rejects, workers, lock_timeout, now)
        say(_describe(report))
        reports.append(report)
    return CrawlSummary(tuple(reports), time.perf_counter() - t0, str(db_path), str(archive_root))


class _Harvest:
    """Steps 1-3 of the module docstring for one source: the new state rows, and the fetch failures as rejects."""

    def __init__(
        self,
        source: Source,
        spec: Crawl,
        state: dict[str, UrlState],
        fetcher: Fetcher,
        archive_root: Path,
        report: SourceReport,
        now: Callable[[], datetime],
    ) -> None:
        self.source = source
        self.spec = spec
        self.state = state
        self.fetcher = fetcher
        self.archive_root = archive_root
        self.report = report
        self.now = now
        self.rows: dict[str, UrlState] = {}
        self.rejects: list[Reject] = []

    def __call__(self) -> tuple[list[UrlState], list[Reject]]:
        found = self.walk()
        self.fetch_pages(self.backlog(found) + [u for u in found if self._retryable(u)])
        return list(self.rows.values()), self.rejects

    # 1. the listing walk, or the feed
    def walk(self) -> list[str]:
        """New article links, newest first: those above the first one archived before."""
        spec = self.spec
        kind = "listing" if spec.listing else "feed"
        on_site = {_host(spec.start), *self.source.hosts}
        found: list[str] = []
        url: str | None = spec.start
        walked: set[str] = set()
        while url and url not in walked and len(walked) < spec.max_pages:
            walked.add(url)
            page = self._get(url, kind, conditional=True)
            if page is None or page.status == 304:
                break  # failed, or the page is as it was: nothing new above the links already known
            try:
                if spec.listing:
                    listing = parse_listing(page.content, page.final_url, spec.links or "a", spec.next)
                    links, url = listing.links, listing.next
                else:
                    links, url = parse_feed(page.content, page.final_url), None
            except FeedError as exc:
                self._fail(page.url, kind, f"{exc}: check the source's crawl.feed URL", page.status)
                break
            for link in links:
                if _host(link) not in on_site or link in found:
                    continue
                known = self.state.get(link)
                if known is not None and known.archived:
                    return found  # newest first: everything below this link was seen before
                found.append(link)
            if len(found) >= spec.max_pages:
                break  # more than one crawl fetches; what lies further back is out of reach
        return found

    # 2. the backlog
    def backlog(self, found: list[str]) -> list[str]:
        """Pages that failed on an earlier crawl or were left over by the page cap, oldest first."""
        waiting = [
            s
            for s in self.state.values()
            if s.kind == "article"
            and not s.archived
            and s.outcome in {"failed", "pending"}
            and s.url not in found
            and self._retryable(s.url)
        ]
        return [s.url for s in sorted(waiting, key=lambda s: s.fetched_at)]

    def _retryable(self, url: str) -> bool:
        known = self.state.get(url)
        return known is None or known.failures < GIVE_UP

    # 3. the pages
    def fetch_pages(self, queue: list[str]) -> None:
        attempts = 0
        for link in queue:
            if attempts >= self.spec.max_pages:
                known = self.state.get(link)
                if known is None or known.outcome == "pending":
                    self.rows[link] = UrlState(link, self.source.key, "article", "pending", self.now())
                self.report.pending += 1
                continue
            why = self.fetcher.disallowed(link)
            if why:
                self._skip(link, "article", why)
                continue
            attempts += 1
            page = self._get(link, "article", conditional=False)
            if page is None or page.status == 304:
                continue
            media = page.content_type.split(";", 1)[0].strip().lower()
            if media and media not in _HTML_TYPES:
                reason = f"not an HTML page (Content-Type {media}): the link is not an article"
                self._fail(link, "article", reason, page.status)
                continue
            path = archive.save_page(
                self.archive_root, self.source.key, link, page.content, self.now(), final_url=page.final_url
            )
            self.rows[link] = replace(self.rows[link], archive_path=str(path))
            self.report.fetched += 1
            self.report.archived.append(str(path))

    # recording what happened to each URL
    def _get(self, url: str, kind: str, *, conditional: bool) -> Page | None:
        """The page, with its state row written; None (and the reason recorded) if it may not or could not be had."""
        why = self.fetcher.disallowed(url)
        if why:
            self._skip(url, kind, why)
            return None
        previous = self.state.get(url) if conditional else None
        try:
            page = self.fetcher.get(
                url,
                etag=previous.etag if previous else None,
                last_modified=previous.last_modified if previous else None,
            )
        except FetchFailed as exc:
            self._fail(url, kind, exc.reason, exc.status)
            return None
        self._answered(url, kind, page)
        return page

    def _answered(self, url: str, kind: str, page: Page) -> None:
        previous = self.state.get(url)
        if page.status == 304 and previous is not None:  # the validators held: keep them, and the rest
            self.rows[url] = replace(
                previous,
                outcome="not_modified",
                fetched_at=self.now(),
                last_status=304,
                failures=0,
                error=None,
            )
        else:
            self.rows[url] = UrlState(
                url=url,
                source=self.source.key,
                kind=kind,
                outcome="not_modified" if page.status == 304 else "fetched",
                fetched_at=self.now(),
                etag=page.etag,
                last_modified=page.last_modified,
                last_status=page.status,
                content_hash=hashlib.sha256(page.content).hexdigest(),
                archive_path=previous.archive_path if previous else None,
            )
        if page.status == 304:
            self.report.not_modified += 1

    def _fail(self, url: str, kind: str, reason: str, status: int | None) -> None:
        previous = self.rows.get(url) or self.state.get(url)
        base = previous or UrlState(url, self.source.key, kind, "failed", self.now())
        self.rows[url] = replace(
            base,
            kind=kind,
            outcome="failed",
            fetched_at=self.now(),
            last_status=status,
            failures=(self.state[url].failures if url in self.state else 0) + 1,
            error=reason,
        )
        what = {"listing": "listing page", "feed": "feed"}.get(kind, "page")
        self.rejects.append(Reject(url, url, None, f"{what} could not be fetched: {reason}"))
        self.report.failed += 1
        self.report.problems.append(f"failed: {url}: {reason}")

    def _skip(self, url: str, kind: str, why: str) -> None:
        previous = self.state.get(url)
        base = previous or UrlState(url, self.source.key, kind, "disallowed", self.now())
        self.rows[url] = replace(base, kind=kind, outcome="disallowed", fetched_at=self.now(), error=why)
        self.report.disallowed += 1
        self.report.problems.append(f"skipped: {url}: {why}")


def _publish(
    db_path: Path,
    source: Source,
    report: SourceReport,
    rows: list[UrlState],
    rejects: list[Reject],
    workers: int | None,
    lock_timeout: float | None,
    now: Callable[[], datetime],
) -> None:
    """Step 4: load the archived pages through the pipeline, then record the crawl state and its failures.

    In this order, so that a failed pipeline run leaves the state as it was and the next crawl fetches the
    same pages again (the archive files are simply rewritten). Both steps are one turn of the writer lock.
    """
    try:
        with writer_lock(db_path, lock_timeout):
            report.run = run(report.archived, db_path, source=source.key, workers=workers)
            _record(db_path, report.run.run_id, rows, rejects, now)
    except (RunFailed, LockTimeout) as exc:
        report.error = str(exc)
        report.problems.append(f"nothing of this source was published: {exc}")


def _record(
    db_path: Path, run_id: str, rows: list[UrlState], rejects: list[Reject], now: Callable[[], datetime]
) -> None:
    """The crawl state, and the fetch failures as rejects of the run (counted in its `rejected`)."""
    with working_copy(db_path) as con:
        write_state(con, rows)
        load.write_rejects(con, rejects, run_id=run_id, now=now())
        clear_rejects(con, (r.url for r in rows if r.outcome in {"fetched", "not_modified"}))
        con.execute("UPDATE etl_runs SET rejected = rejected + ? WHERE run_id = ?", [len(rejects), run_id])


def _describe(report: SourceReport) -> str:
    head = (
        f"{report.source}: {report.requests} requests, {report.fetched} pages fetched, "
        f"{report.not_modified} not modified, {report.failed} failed, "
        f"{report.disallowed} disallowed by robots.txt, {report.pending} left for the next crawl"
    )
    if report.run is not None:
        r = report.run
        head += (
            f"; loaded {r.new} new and {r.changed} changed releases ({r.unchanged} unchanged), "
            f"{r.meetings} engagements, {r.rejected} rejected"
        )
    return "\n  ".join([head, *report.problems])


# --------------------------------------------------------------------------------------------- reprocess


@dataclass(frozen=True, slots=True)
class ReprocessSummary:
    """The summary line of `python -m etl reprocess`: CONTRACT §2's counts summed over the sources' runs."""

    runs: tuple[RunSummary, ...]
    sources: tuple[str, ...]
    seconds: float
    db: str
    archive: str

    def as_dict(self) -> dict[str, object]:
        return {
            **{k: sum(getattr(r, k) for r in self.runs) for k in _PIPELINE_KEYS},
            "seconds": round(self.seconds, 3),
            "sources": list(self.sources),
            "runs": [r.run_id for r in self.runs],
            "db": self.db,
            "archive": self.archive,
        }


def reprocess(
    db_path: Path,
    archive_root: Path,
    *,
    sources: Sequence[str] | None = None,
    workers: int | None = None,
    lock_timeout: float | None = None,
    log: Callable[[str], None] | None = None,
) -> ReprocessSummary:
    """Run the pipeline over the archive (every source folder, or the named ones) without fetching anything.

    Releases whose content and extractor version are unchanged stay as they are; a new extractor version
    re-extracts every release (the pipeline counts them as changed). Raises RunFailed if a run fails.
    """
    say = log or _stderr
    registry = load_registry()
    names = list(sources) if sources else archive.archived_sources(archive_root)
    t0 = time.perf_counter()
    runs: list[RunSummary] = []
    done: list[str] = []
    for name in names:
        if name not in registry:
            if sources:
                raise CrawlError(f"unknown source {name!r}; known sources: {', '.join(sorted(registry))}")
            say(f"{name}: skipped, not in the source registry (load it with `python -m etl run --input DIR`)")
            continue
        folder = archive.source_folder(archive_root, name)
        if not folder.is_dir():
            raise CrawlError(f"no archive of {name!r} at {folder}: crawl it first with `python -m etl crawl`")
        summary = run([str(folder)], db_path, source=name, workers=workers, lock_timeout=lock_timeout)
        say(
            f"{name}: {summary.seen} archived pages read, {summary.new} new and {summary.changed} changed "
            f"releases ({summary.unchanged} unchanged), {summary.meetings} engagements, {summary.rejected} rejected"
        )
        runs.append(summary)
        done.append(name)
    return ReprocessSummary(
        tuple(runs), tuple(done), time.perf_counter() - t0, str(db_path), str(archive_root)
    )


# --------------------------------------------------------------------------------------------- helpers


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)
