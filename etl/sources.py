"""The source registry: which publisher speaks for which country, loaded from TOML and validated."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_REGISTRY = Path(__file__).resolve().parent / "data" / "sources.toml"
ENV_VAR = "DIPLOMACY_SOURCES"  # another registry file, e.g. a test's or a site's own
_KEYS = {"name", "country", "office", "hosts", "crawl"}

AUTO = "auto"  # a field left to trafilatura/htmldate, as for any saved page
DEFAULT_USER_AGENT = "ChanceryBot/0.1 (diplomatic-activity research crawler; polite, honours robots.txt)"


@dataclass(frozen=True, slots=True)
class Crawl:
    """How a source's new releases are fetched from the web: the `[sources.NAME.crawl]` table.

    Exactly one of `listing` (a page of article links, newest first, paged by the `next` selector) and
    `feed` (an RSS or Atom feed). `title`, `date` and `body` are CSS selectors on an article page, or
    "auto" to let trafilatura find them; `date_format` is a `strptime` format for the date selector's text.
    """

    listing: str | None = None
    feed: str | None = None
    links: str | None = None
    next: str | None = None
    title: str = AUTO
    date: str = AUTO
    body: str = AUTO
    date_format: str = AUTO
    delay: float = 2.0  # seconds between two requests to the same host
    max_pages: int = 30  # article pages fetched per run at most (the listing walk is bounded by it too)
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0  # seconds, for every request
    tries: int = 3  # per request, on 5xx, 429, timeouts and connection errors

    @property
    def start(self) -> str:
        """The URL a crawl starts from: the listing page or the feed."""
        return self.listing or self.feed or ""

    @property
    def selects(self) -> bool:
        """Whether any article field is taken by a selector rather than found by trafilatura."""
        return any(s != AUTO for s in (self.title, self.date, self.body))


_CRAWL_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Crawl)}


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    name: str
    country: str
    office: str
    hosts: tuple[str, ...]
    crawl: Crawl | None = None


class RegistryError(ValueError):
    """The registry file is malformed; the message says which entry and key."""


def parse_registry(text: str, origin: str = "<registry>") -> dict[str, Source]:
    data = tomllib.loads(text)
    unknown_top = set(data) - {"sources"}
    if unknown_top:
        raise RegistryError(
            f"{origin}: unknown top-level keys {sorted(unknown_top)}; expected [sources.NAME]"
        )
    out: dict[str, Source] = {}
    for key, entry in data.get("sources", {}).items():
        if not isinstance(entry, dict):
            raise RegistryError(f"{origin}: sources.{key} must be a table")
        unknown = set(entry) - _KEYS
        if unknown:
            raise RegistryError(
                f"{origin}: sources.{key}: unknown keys {sorted(unknown)}; allowed {sorted(_KEYS)}"
            )
        country = entry.get("country", "")
        if not (isinstance(country, str) and len(country) == 3 and country.isupper()):
            raise RegistryError(
                f"{origin}: sources.{key}.country must be an ISO 3166-1 alpha-3 code, got {country!r}"
            )
        hosts = entry.get("hosts", [key])
        if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
            raise RegistryError(f"{origin}: sources.{key}.hosts must be a list of host names")
        crawl = entry.get("crawl")
        out[key] = Source(
            key=key,
            name=str(entry.get("name", key)),
            country=country,
            office=str(entry.get("office", "agency")),
            hosts=tuple(h.lower() for h in hosts),
            crawl=None if crawl is None else _parse_crawl(crawl, f"{origin}: sources.{key}.crawl"),
        )
    return out


def _parse_crawl(entry: Any, where: str) -> Crawl:
    """The typed crawl section; every key checked, unknown keys rejected."""
    if not isinstance(entry, dict):
        raise RegistryError(f"{where} must be a table")
    unknown = set(entry) - set(_CRAWL_DEFAULTS)
    if unknown:
        raise RegistryError(f"{where}: unknown keys {sorted(unknown)}; allowed {sorted(_CRAWL_DEFAULTS)}")
    values = {**_CRAWL_DEFAULTS, **entry}
    if (values["listing"] is None) == (values["feed"] is None):
        raise RegistryError(f"{where}: give exactly one of 'listing' (a page of article links) and 'feed'")
    for name in ("listing", "feed"):
        if values[name] is not None:
            _check_url(values[name], f"{where}.{name}")
    if values["listing"] is not None and values["links"] is None:
        raise RegistryError(f"{where}: a 'listing' needs a 'links' selector for its article links")
    if values["feed"] is not None and (values["links"] is not None or values["next"] is not None):
        raise RegistryError(f"{where}: 'links' and 'next' apply to a listing page, not to a feed")
    for name in ("links", "next", "title", "date", "body"):
        value = values[name]
        if value is None or (value == AUTO and name in {"title", "date", "body"}):
            continue
        _check_selector(value, f"{where}.{name}")
    date_format = values["date_format"]
    if not isinstance(date_format, str) or (date_format != AUTO and "%" not in date_format):
        raise RegistryError(
            f"{where}.date_format must be 'auto' or a strptime format such as '%d.%m.%Y %H:%M'"
        )
    delay = _number(values["delay"], f"{where}.delay", minimum=0.0)
    timeout = _number(values["timeout"], f"{where}.timeout", minimum=0.0)
    if timeout == 0:
        raise RegistryError(f"{where}.timeout must be more than 0 seconds")
    max_pages = _integer(values["max_pages"], f"{where}.max_pages", 1, 10_000)
    tries = _integer(values["tries"], f"{where}.tries", 1, 10)
    user_agent = values["user_agent"]
    if not isinstance(user_agent, str) or not user_agent.strip():
        raise RegistryError(f"{where}.user_agent must be a non-empty string")
    return Crawl(
        listing=values["listing"],
        feed=values["feed"],
        links=values["links"],
        next=values["next"],
        title=values["title"],
        date=values["date"],
        body=values["body"],
        date_format=date_format,
        delay=delay,
        max_pages=max_pages,
        user_agent=user_agent.strip(),
        timeout=timeout,
        tries=tries,
    )


def _check_url(value: Any, where: str) -> None:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
        raise RegistryError(f"{where} must be an http(s) URL, got {value!r}")


def _check_selector(value: Any, where: str) -> None:
    from cssselect import GenericTranslator, SelectorError

    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where} must be a CSS selector, got {value!r}")
    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise RegistryError(f"{where}: invalid CSS selector {value!r}: {exc}") from None


def _number(value: Any, where: str, *, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise RegistryError(f"{where} must be a number of seconds >= {minimum:g}, got {value!r}")
    return float(value)


def _integer(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RegistryError(f"{where} must be a whole number from {low} to {high}, got {value!r}")
    return value


def registry_path() -> Path:
    """The registry file: $DIPLOMACY_SOURCES if set, else the one shipped in etl/data/."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_REGISTRY


def load_registry(path: Path | None = None) -> dict[str, Source]:
    """The registry at `path`, else at `registry_path()`; parsed once per file per process."""
    return _load_registry(path or registry_path())


@lru_cache(maxsize=4)
def _load_registry(path: Path) -> dict[str, Source]:
    return parse_registry(path.read_text(encoding="utf-8"), str(path))


def lookup(registry: dict[str, Source], source: str | None, url: str | None) -> Source | None:
    """The registry entry for a release: by its declared source name or host, else by its URL's host.

    A host matches an entry's host or any subdomain of it (`en.kabar.kg` is `kabar.kg`'s), the longest
    matching host winning, so a more specific entry beats the portal it sits under.
    """
    for name in _candidates(source, url):
        if name in registry:
            return registry[name]
        found = _host_index(registry).get(name)
        if found is not None:
            return found
    return None


def _candidates(source: str | None, url: str | None) -> Iterator[str]:
    """The names a release can be looked up by: its source (a name or a host), then its URL's host and the
    parent domains of either, most specific first (`a.b.gov.xx`, `b.gov.xx`, `gov.xx`)."""
    names: list[str] = []
    if source:
        names.append(source.strip().lower())
    if url:
        host = _hostname(url)
        if host:
            names.append(host)
    for name in names:
        yield name
    for name in names:
        labels = name.removeprefix("www.").split(".")
        for i in range(len(labels) - 1):
            yield ".".join(labels[i:])


def _hostname(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # a malformed URL (bad port, bad IPv6) has no host to look up
        return ""


_INDEXES: dict[int, tuple[dict[str, Source], dict[str, Source]]] = {}


def _host_index(registry: dict[str, Source]) -> dict[str, Source]:
    """host -> entry over every entry's hosts (without `www.`), built once per registry object.

    An entry's site also stands for its parent domain when no entry has that domain and every entry under it
    is of one country: a release of `kantei.go.jp` is the same publisher's as one of `japan.kantei.go.jp`.
    A parent that is a registry's public second level (`gov.za`, `go.jp`, `co.uk`) stands for no one."""
    cached = _INDEXES.get(id(registry))
    if cached is None or cached[0] is not registry:
        index: dict[str, Source] = {}
        for entry in registry.values():
            for host in entry.hosts:
                index.setdefault(host.removeprefix("www."), entry)
                index.setdefault(host, entry)
        parents: dict[str, list[Source]] = {}
        for host, entry in list(index.items()):
            labels = host.split(".")
            if len(labels) >= 3 and labels[0] != "www":
                parent = ".".join(labels[1:])
                if len(labels) > 3 or labels[1] not in PUBLIC_SECOND_LEVEL:
                    parents.setdefault(parent, []).append(entry)
        for parent, entries in parents.items():
            if parent not in index and len({e.country for e in entries}) == 1:
                index[parent] = entries[0]
        cached = _INDEXES[id(registry)] = (registry, index)
    return cached[1]


# Second-level labels under which a country's registry puts many bodies: such a domain is no one publisher's
# (also what etl/data/build/press_services.py never widens a language edition's host to).
PUBLIC_SECOND_LEVEL = frozenset(
    {"gov", "go", "gob", "gouv", "govt", "gv", "com", "co", "ac", "org", "net", "edu", "mil", "nic", "or"}
)


# ------------------------------------------------------------------------- the world's press services

DEFAULT_PRESS_SERVICES = Path(__file__).resolve().parent / "data" / "press_services.tsv"
PRESS_SERVICES_ENV = "DIPLOMACY_PRESS_SERVICES"  # another directory file, e.g. a test's
_PRESS_COLUMNS = ("domain", "country_iso3", "office", "name", "source")

# How a release's publishing side was decided (releases.publisher_basis, CONTRACT §3).
REGISTRY, DOMAIN, INFERRED = "registry", "domain", "inferred"


def press_services_path() -> Path:
    env = os.environ.get(PRESS_SERVICES_ENV)
    return Path(env) if env else DEFAULT_PRESS_SERVICES


def load_press_services(path: Path | None = None) -> dict[str, Source]:
    """The directory of government press services (etl/data/press_services.tsv) as registry entries keyed
    by domain: the head of state's, head of government's and foreign ministry's sites of every state, built
    from public lists (etl/data/README.md). A missing file is an empty directory."""
    return _load_press_services(path or press_services_path())


@lru_cache(maxsize=4)
def _load_press_services(path: Path) -> dict[str, Source]:
    if not path.exists():
        return {}
    return parse_press_services(path.read_text(encoding="utf-8"), str(path))


def parse_press_services(text: str, origin: str = "<press services>") -> dict[str, Source]:
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != _PRESS_COLUMNS:
        raise RegistryError(f"{origin}: the header must be {'<TAB>'.join(_PRESS_COLUMNS)}")
    out: dict[str, Source] = {}
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(_PRESS_COLUMNS):
            raise RegistryError(f"{origin}:{number}: {len(cells)} columns, expected {len(_PRESS_COLUMNS)}")
        domain, country, office, name, _ = (c.strip() for c in cells)
        domain = domain.lower().removeprefix("www.")
        if "." not in domain or "/" in domain or ":" in domain:
            raise RegistryError(f"{origin}:{number}: {domain!r} is not a domain name")
        if not (len(country) == 3 and country.isupper()):
            raise RegistryError(f"{origin}:{number}: {country!r} is not an ISO 3166-1 alpha-3 code")
        out[domain] = Source(key=domain, name=name or domain, country=country, office=office, hosts=(domain,))
    return out


@dataclass(frozen=True, slots=True)
class Publisher:
    """Who published a release, and how that was decided: the source whose phrasing and home side extraction
    uses (None: to be inferred from the text), and `basis`, one of REGISTRY, DOMAIN, INFERRED."""

    source: Source | None
    basis: str


def publisher(
    registry: dict[str, Source],
    directory: dict[str, Source],
    source: str | None,
    url: str | None,
    declared: Source | None = None,
) -> Publisher:
    """The publishing side of a release: its own source or URL in the registry (a curated entry, with its
    crawl settings), else in the directory of press services by domain (subdomains included), else the
    source the operator declared with `--source`, else unknown (extraction infers it from the text)."""
    entry = lookup(registry, source, None) or lookup(registry, None, url)
    if entry is not None:
        return Publisher(entry, REGISTRY)
    entry = lookup(directory, source, url)
    if entry is not None:
        return Publisher(entry, DOMAIN)
    if declared is not None:
        return Publisher(declared, REGISTRY)
    entry = by_country_code(source, url)
    if entry is not None:
        return Publisher(entry, DOMAIN)
    return Publisher(None, INFERRED)


# ------------------------------------------------------------------------- country-code domains

DEFAULT_CCTLDS = Path(__file__).resolve().parent / "data" / "cctlds.tsv"
# Labels that mark a government's site ("mfa.gov.xx", "presidencia.gob.xx"): only such a site's country-code
# domain tells its publisher. A news site's does not: an agency abroad reports other states' engagements, and
# some codes are sold as generic names ("example.io").
_GOVERNMENT_LABELS = frozenset(
    {"gov", "gouv", "gob", "go", "govt", "gv", "gub", "government", "mil", "mfa", "mofa", "mae", "mre", "mid"}
)


@lru_cache(maxsize=4)
def _cctlds(path: Path = DEFAULT_CCTLDS) -> dict[str, str]:
    """tld -> ISO3 from etl/data/cctlds.tsv (built with the directory of press services)."""
    if not path.exists():
        return {}
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split("\t", 1) for line in rows if "\t" in line)


def by_country_code(source: str | None, url: str | None) -> Source | None:
    """The publisher a release's country-code domain tells, where no registry or directory entry does: a
    government's site under its country's code ("jis.gov.jm", "mzv.gov.cz")."""
    for name in _candidates(source, url):
        labels = name.removeprefix("www.").split(".")
        if len(labels) < 2:
            continue
        country = _cctlds().get(labels[-1])
        if country is None:
            continue
        if not _GOVERNMENT_LABELS.intersection(labels[:-1]):
            continue
        return Source(key=f".{labels[-1]}", name=f"a site of the .{labels[-1]} domain", country=country,
                      office="country_code", hosts=())  # fmt: skip
    return None
