"""Polite HTTP fetching: robots.txt, a delay between requests to a host, timeouts, bounded retries, conditional GET.

The only module of the ETL that talks to the network. It knows nothing of listings, archives or the warehouse:
it gets one URL and returns a `Page`, or raises `FetchFailed` with a reason a person can act on.

httpx rather than urllib.request: per-request timeouts that cover connect, read and pool waits, connection reuse
across the pages of one site, redirects and streamed bodies (for the size cap) without hand-written plumbing.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import httpx

MB = 1024 * 1024
MAX_BYTES = 10 * MB  # the readers' limit for a saved page; a bigger response is not an article
BACKOFF = 1.0  # seconds before the second try; doubled for each further try
MAX_RETRY_AFTER = 60.0  # a server's Retry-After is honoured up to this many seconds
_RETRY_STATUS = {429}  # and every 5xx


@dataclass(frozen=True, slots=True)
class Page:
    """One response worth keeping: 200 with its body, or 304 (the validators sent still hold) without."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    tries: int


class FetchFailed(Exception):
    """A URL could not be fetched; `reason` says why and what to do, `status` is the last HTTP status."""

    def __init__(self, url: str, reason: str, *, status: int | None = None, tries: int = 0) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.tries = tries


class _Retry(Exception):
    """One try failed in a way worth another try."""

    def __init__(self, reason: str, status: int | None = None, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait


class Throttle:
    """Waits so that two requests to the same host are at least `delay` seconds apart.

    `clock` and `sleep` are injectable so that tests can check the waits without waiting.
    """

    def __init__(
        self,
        delay: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}

    def wait(self, host: str, delay: float | None = None) -> None:
        gap = self.delay if delay is None else delay
        last = self._last.get(host)
        if last is not None and gap > 0:
            remaining = gap - (self._clock() - last)
            if remaining > 0:
                self._sleep(remaining)
        self._last[host] = self._clock()


class Fetcher:
    """An HTTP client for one crawl: one user agent, one timeout, robots.txt read once per host per crawl."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float,
        tries: int = 3,
        delay: float = 0.0,
        backoff: float = BACKOFF,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.tries = max(1, tries)
        self.backoff = backoff
        self.requests = 0  # HTTP requests sent, retries and robots.txt included
        self._sleep = sleep
        self._throttle = Throttle(delay, clock=clock, sleep=sleep)
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser | None, str]] = {}
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Language": "en"},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=5,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ----------------------------------------------------------------------------------------- robots.txt

    def disallowed(self, url: str) -> str | None:
        """Why robots.txt forbids `url` to this user agent, or None when it may be fetched."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        parser, why = self._robots[origin]
        if parser is None:
            return why
        if not parser.can_fetch(self.user_agent, url):
            return f"disallowed by {origin}/robots.txt for this user agent"
        return None

    def _read_robots(self, origin: str) -> tuple[urllib.robotparser.RobotFileParser | None, str]:
        """The parsed robots.txt; like the stdlib: 401/403 forbid all, another 4xx allows all.

        One that cannot be fetched (5xx, timeouts) forbids the whole site for this crawl (RFC 9309 §2.3.1.4).
        """
        parser = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            page = self.get(f"{origin}/robots.txt")
        except FetchFailed as exc:
            if exc.status in {401, 403}:
                parser.parse(["User-agent: *", "Disallow: /"])
            elif exc.status is not None and 400 <= exc.status < 500:
                parser.parse([])  # no robots.txt: everything is allowed
            else:
                return (
                    None,
                    f"{origin}/robots.txt could not be read ({exc.reason}): the site is skipped this run",
                )
            return parser, ""
        parser.parse(page.content.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(self.user_agent)
        if delay is not None and float(delay) > self._throttle.delay:
            self._throttle.delay = float(delay)  # the site asks for more time between requests than we give
        return parser, ""

    # ----------------------------------------------------------------------------------------- GET

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Page:
        """GET `url`, conditionally when validators are given; retries 5xx, 429, timeouts and connection errors."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = urlsplit(url).netloc
        last: _Retry | None = None
        for attempt in range(1, self.tries + 1):
            if last is not None:
                wait = self.backoff * 2 ** (attempt - 2)
                self._sleep(max(wait, min(last.wait or 0.0, MAX_RETRY_AFTER)))
            self._throttle.wait(host)
            self.requests += 1
            try:
                return self._once(url, headers, attempt)
            except _Retry as retry:
                last = retry
        assert last is not None
        raise FetchFailed(
            url,
            f"{last.reason} on each of {self.tries} tries: the site is failing or slow; "
            "the next crawl tries again",
            status=last.status,
            tries=self.tries,
        )

    def _once(self, url: str, headers: dict[str, str], attempt: int) -> Page:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status >= 500 or status in _RETRY_STATUS:
                    raise _Retry(
                        f"HTTP {status} {response.reason_phrase}".rstrip(),
                        status,
                        _retry_after(response.headers.get("Retry-After")),
                    )
                if status == 304:
                    content = b""
                elif 200 <= status < 300:
                    content = _read_capped(url, response, attempt)
                else:
                    raise FetchFailed(
                        url, _client_error(status, response.reason_phrase), status=status, tries=attempt
                    )
                return Page(
                    url=url,
                    final_url=str(response.url),
                    status=status,
                    content=content,
                    content_type=response.headers.get("Content-Type", ""),
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                    tries=attempt,
                )
        except httpx.TimeoutException:
            raise _Retry(f"timed out after {self.timeout:g} s") from None
        except (httpx.UnsupportedProtocol, httpx.TooManyRedirects, httpx.InvalidURL) as exc:
            raise FetchFailed(url, f"cannot be fetched: {exc}", tries=attempt) from None
        except httpx.TransportError as exc:
            raise _Retry(f"connection error ({type(exc).__name__}: {exc})") from None


def _read_capped(url: str, response: httpx.Response, attempt: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise FetchFailed(url, _too_big(int(declared)), status=response.status_code, tries=attempt)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchFailed(url, _too_big(size), status=response.status_code, tries=attempt)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(size: int) -> str:
    return f"response is over {MAX_BYTES // MB} MB (at least {size / MB:.1f} MB): not an article page"


def _client_error(status: int, phrase: str) -> str:
    what = f"HTTP {status} {phrase}".rstrip()
    if status in {404, 410}:
        return f"{what}: the page is gone or the link is wrong"
    if status in {401, 403}:
        return f"{what}: the site refuses the crawler (check the source's user_agent, or ask the publisher)"
    return f"{what}: the site rejected the request"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header given in seconds (an HTTP date is ignored: backoff applies)."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
