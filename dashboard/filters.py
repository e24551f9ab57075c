"""The one set of global filters every page applies, and its round trip through the URL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import date

# URL keys are short and stable: a bookmarked view must keep working across releases of the app.
_LIST_KEYS = {
    "sources": "source",
    "principals": "principal",
    "kinds": "kind",
    "topics": "topic",
    "countries": "country",
    "regions": "region",
    "orgs": "org",
    "persons": "person",
}


@dataclass(frozen=True, slots=True)
class Filters:
    """What the analyst selected. Empty means "no restriction"; lists are sorted so equal views hash equal."""

    start: date | None = None
    end: date | None = None
    sources: tuple[str, ...] = ()
    principals: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-3
    regions: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()  # canonical organization names
    persons: tuple[str, ...] = ()  # canonical person names
    text: str = ""

    def __post_init__(self) -> None:
        for name in _LIST_KEYS:
            value = getattr(self, name)
            object.__setattr__(self, name, tuple(sorted({v for v in value if v})))
        object.__setattr__(self, "text", " ".join(self.text.split()))
        if self.start and self.end and self.start > self.end:
            start, end = self.end, self.start
            object.__setattr__(self, "start", start)
            object.__setattr__(self, "end", end)

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)  # type: ignore[arg-type]

    def params(self) -> dict[str, object]:
        """Named parameters for dashboard/sql/filtered.sql."""
        values = {name: list(getattr(self, name)) for name in _LIST_KEYS}
        return {"start": self.start, "end": self.end, "text": self.text, **values}

    def active(self) -> dict[str, object]:
        """The non-empty filters, JSON-ready: what an export's manifest records."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, (), ""):
                continue
            out[f.name] = (
                value.isoformat()
                if isinstance(value, date)
                else list(value)
                if isinstance(value, tuple)
                else value
            )
        return out

    def previous_period(self) -> Filters | None:
        """The same filters over the period of the same length just before (for "change vs previous")."""
        if not (self.start and self.end):
            return None
        length = self.end - self.start
        end = self.start.fromordinal(self.start.toordinal() - 1)
        return replace(self, start=end - length, end=end)

    def to_query(self) -> dict[str, str | list[str]]:
        """URL query parameters (st.query_params) for a bookmarkable view."""
        query: dict[str, str | list[str]] = {}
        if self.start:
            query["from"] = self.start.isoformat()
        if self.end:
            query["to"] = self.end.isoformat()
        for name, key in _LIST_KEYS.items():
            values = getattr(self, name)
            if values:
                query[key] = list(values)
        if self.text:
            query["q"] = self.text
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str | list[str]]) -> Filters:
        """Parse URL parameters; anything malformed is ignored rather than breaking the page."""

        def many(key: str) -> tuple[str, ...]:
            value = query.get(key)
            if value is None:
                return ()
            return tuple(value) if isinstance(value, list) else (value,)

        def one(key: str) -> str:
            value = query.get(key)
            if isinstance(value, list):
                return value[-1] if value else ""
            return value or ""

        def day(key: str) -> date | None:
            try:
                return date.fromisoformat(one(key)) if one(key) else None
            except ValueError:
                return None

        lists = {name: many(key) for name, key in _LIST_KEYS.items()}
        return cls(start=day("from"), end=day("to"), text=one("q"), **lists)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)
