"""The source registry: which publisher speaks for which country, loaded from TOML and validated."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_REGISTRY = Path(__file__).resolve().parent / "data" / "sources.toml"
_KEYS = {"name", "country", "office", "hosts"}


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    name: str
    country: str
    office: str
    hosts: tuple[str, ...]


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
        out[key] = Source(
            key=key,
            name=str(entry.get("name", key)),
            country=country,
            office=str(entry.get("office", "agency")),
            hosts=tuple(h.lower() for h in hosts),
        )
    return out


@lru_cache(maxsize=4)
def load_registry(path: Path = DEFAULT_REGISTRY) -> dict[str, Source]:
    return parse_registry(path.read_text(encoding="utf-8"), str(path))


def lookup(registry: dict[str, Source], source: str | None, url: str | None) -> Source | None:
    """The registry entry for a release: by its declared source name or host, else by its URL's host."""
    candidates = []
    if source:
        candidates.append(source.lower())
    if url:
        host = (urlsplit(url).hostname or "").lower()
        if host:
            candidates.append(host)
    for name in candidates:
        if name in registry:
            return registry[name]
        bare = name.removeprefix("www.")
        for entry in registry.values():
            if name in entry.hosts or bare in entry.hosts:
                return entry
    return None
