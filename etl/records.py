"""Small frozen records passed between the ETL stages; no stage mutates what another produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Release:
    """One release as read from an input, before extraction.

    `key` is the natural key the release is identified by across runs and machines (its URL, the
    record id, or the file name); `release_id` is derived from it, so a re-saved file keeps its id.
    """

    release_id: str
    key: str
    source: str | None
    source_ref: str
    url: str | None
    published_at: datetime
    title: str
    body: str
    lang: str | None
    content_hash: str


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not become a release, with a reason a person can act on."""

    source_ref: str
    path: str
    record_ref: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets [start, end) into `Release.body`."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CounterpartMention:
    """One counterpart of one engagement, already resolved to a canonical entity key."""

    kind: str  # person | organization | country
    key: str  # canonical entity key, e.g. "country:IDN", "org:undp", "person:erdogan|TUR"
    name: str  # canonical display name
    country_iso3: str | None
    alias: str  # the surface form seen in the text
    role: str | None
    evidence: Span | None


@dataclass(frozen=True, slots=True)
class TopicMention:
    topic_id: str
    evidence: Span


@dataclass(frozen=True, slots=True)
class Meeting:
    """One diplomatic engagement found in a release."""

    ordinal: int
    meeting_date: date
    kind: str
    principal: str | None
    principal_country: str | None
    location: str | None
    evidence: Span
    counterparts: tuple[CounterpartMention, ...] = field(default_factory=tuple)
    topics: tuple[TopicMention, ...] = field(default_factory=tuple)
