"""Releases, their engagements and the rejects of a run as the warehouse's rows, column-wise, by input position.

Built where the inputs are read and extracted (the worker processes), so the process that writes the warehouse
does no work per row: it receives Arrow buffers and hands them to DuckDB (etl/store/load.py). Every table has the
input's position in the run (`item`: 0, 1, ... over releases and rejects alike), which is what the loader
needs to write many batches in one statement with the result of one statement per batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, fields

import pyarrow as pa
import pyarrow.compute as pc

from etl.records import Meeting, Reject, Release

# Status codes of `Staged.items`: the first three are a release's against the warehouse, as RunSummary counts them.
STATUSES = ("new", "changed", "unchanged", "rejected")
NEW, CHANGED, UNCHANGED, REJECTED = range(4)

_ITEM = ("item", pa.int64())
ITEMS = pa.schema(
    [_ITEM, ("status", pa.int8()), ("key", pa.uint64()), ("digest", pa.uint64()), ("source_ref", pa.string())]
)
RELEASES = pa.schema(
    [
        _ITEM,
        ("status", pa.int8()),
        ("release_id", pa.string()),
        ("source", pa.string()),
        ("source_ref", pa.string()),
        ("url", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("title", pa.string()),
        ("body", pa.string()),
        ("lang", pa.string()),
        ("content_hash", pa.string()),
        ("publisher_country", pa.string()),
        ("publisher_basis", pa.string()),
    ]
)
REJECTS = pa.schema(
    [
        _ITEM,
        ("source_ref", pa.string()),
        ("path", pa.string()),
        ("record_ref", pa.string()),
        ("reason", pa.string()),
    ]
)
MEETINGS = pa.schema(
    [
        _ITEM,
        ("meeting_id", pa.string()),
        ("release_id", pa.string()),
        ("ordinal", pa.int32()),
        ("meeting_date", pa.date32()),
        ("kind", pa.string()),
        ("principal", pa.string()),
        ("principal_country", pa.string()),
        ("location", pa.string()),
        ("evidence_start", pa.int32()),
        ("evidence_end", pa.int32()),
    ]
)
LINKS = pa.schema(
    [
        _ITEM,
        ("meeting_id", pa.string()),
        ("counterpart_id", pa.string()),
        ("role", pa.string()),
        ("evidence_start", pa.int32()),
        ("evidence_end", pa.int32()),
    ]
)
TOPICS = pa.schema(
    [
        _ITEM,
        ("meeting_id", pa.string()),
        ("topic_id", pa.string()),
        ("evidence_start", pa.int32()),
        ("evidence_end", pa.int32()),
    ]
)
# Every counterpart mention, in the order extraction gave them (`pos` within the item): the loader merges them
# into `counterparts` with the rules of etl/store/load.py, which depend on that order.
MENTIONS = pa.schema(
    [
        _ITEM,
        ("pos", pa.int32()),
        ("entity_key", pa.string()),
        ("counterpart_id", pa.string()),
        ("kind", pa.string()),
        ("name", pa.string()),
        ("country_iso3", pa.string()),
        ("alias", pa.string()),
    ]
)


def stable_id(*parts: str) -> str:
    """A short id that is the same on every machine for the same parts."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Staged:
    """The rows of consecutive inputs: `items` has one row per input, the others the rows to write.

    `items` says what each input is (a status of STATUSES) and, for a release, its id and the first 64 bits of
    its content hash as integers, which is what duplicates within a run are found by. Unchanged releases have
    no rows beyond their item.
    """

    items: pa.Table
    releases: pa.Table
    rejects: pa.Table
    meetings: pa.Table
    links: pa.Table
    topics: pa.Table
    mentions: pa.Table

    def __len__(self) -> int:
        return self.items.num_rows

    def _map(self, change: Callable[[pa.Table], pa.Table]) -> Staged:
        return Staged(**{f.name: change(getattr(self, f.name)) for f in fields(self)})

    def shifted(self, offset: int) -> Staged:
        """The same rows with `item` counted from `offset`: positions in the run, not in the task."""
        if offset == 0:
            return self

        def shift(table: pa.Table) -> pa.Table:
            return table.set_column(0, "item", pc.add(table.column(0), pa.scalar(offset, pa.int64())))

        return self._map(shift)

    def split(self, at: int) -> tuple[Staged, Staged]:
        """The rows of the inputs before position `at`, and those of the others."""
        before = self._map(lambda table: table.filter(pc.less(table.column(0), at)))
        return before, self._map(lambda table: table.filter(pc.greater_equal(table.column(0), at)))

    def without(self, items: Collection[int]) -> Staged:
        """The rows of every input but `items` (their item rows stay: they were seen)."""
        drop = pa.array(sorted(items), pa.int64())

        def keep(table: pa.Table) -> pa.Table:
            return table.filter(pc.invert(pc.is_in(table.column(0), value_set=drop)))

        return Staged(self.items, *(keep(getattr(self, f.name)) for f in fields(self) if f.name != "items"))

    def with_rejects(self, rejects: Sequence[tuple[int, Reject]]) -> Staged:
        """These rows plus rejects of their inputs (item, reject): the rejects table stays in input order."""
        added = _rejects_table([i for i, _ in rejects], [r for _, r in rejects])
        merged = pa.concat_tables([self.rejects, added]).sort_by("item")
        return Staged(
            self.items, self.releases, merged, self.meetings, self.links, self.topics, self.mentions
        )

    @staticmethod
    def concat(parts: Sequence[Staged]) -> Staged:
        """Consecutive parts as one."""
        return Staged(
            **{f.name: pa.concat_tables([getattr(p, f.name) for p in parts]) for f in fields(Staged)}
        )


def _rejects_table(items: list[int], rejects: list[Reject]) -> pa.Table:
    return pa.table(
        [
            items,
            [r.source_ref for r in rejects],
            [r.path for r in rejects],
            [r.record_ref for r in rejects],
            [r.reason for r in rejects],
        ],
        schema=REJECTS,
    )


class Stager:
    """Collects the inputs of one task, in input order, and builds their Staged rows."""

    def __init__(self) -> None:
        self._items: list[list[object]] = [[] for _ in ITEMS]
        self._releases: list[list[object]] = [[] for _ in RELEASES]
        self._reject_items: list[int] = []
        self._rejects: list[Reject] = []
        self._meetings: list[list[object]] = [[] for _ in MEETINGS]
        self._links: list[list[object]] = [[] for _ in LINKS]
        self._topics: list[list[object]] = [[] for _ in TOPICS]
        self._mentions: list[list[object]] = [[] for _ in MENTIONS]

    def _item(self, status: int, key: int | None, digest: int | None, source_ref: str) -> int:
        item = len(self._items[0])
        for column, value in zip(self._items, (item, status, key, digest, source_ref), strict=True):
            column.append(value)
        return item

    def reject(self, reject: Reject) -> None:
        self._reject_items.append(self._item(REJECTED, None, None, reject.source_ref))
        self._rejects.append(reject)

    def release(
        self,
        release: Release,
        status: int,
        meetings: Sequence[Meeting],
        publisher: tuple[str | None, str | None] = (None, None),
    ) -> None:
        """A release, and for a new or changed one what extraction found in it and who published it
        (publisher_country, publisher_basis)."""
        rid = release.release_id
        item = self._item(status, int(rid, 16), int(release.content_hash[:16], 16), release.source_ref)
        if status == UNCHANGED:
            return
        row: tuple[object, ...] = (
            item,
            status,
            rid,
            release.source,
            release.source_ref,
            release.url,
            release.published_at,
            release.title,
            release.body,
            release.lang,
            release.content_hash,
            *publisher,
        )
        for column, value in zip(self._releases, row, strict=True):
            column.append(value)
        pos = 0
        for meeting in meetings:
            meeting_id = stable_id(rid, str(meeting.ordinal))
            row = (
                item,
                meeting_id,
                rid,
                meeting.ordinal,
                meeting.meeting_date,
                meeting.kind,
                meeting.principal,
                meeting.principal_country,
                meeting.location,
                meeting.evidence.start,
                meeting.evidence.end,
            )
            for column, value in zip(self._meetings, row, strict=True):
                column.append(value)
            linked: set[str] = set()
            for cp in meeting.counterparts:
                counterpart_id = stable_id(cp.key)
                mention = (item, pos, cp.key, counterpart_id, cp.kind, cp.name, cp.country_iso3, cp.alias)
                for column, value in zip(self._mentions, mention, strict=True):
                    column.append(value)
                pos += 1
                if counterpart_id in linked:  # one link per counterpart and meeting: the first mention's
                    continue
                linked.add(counterpart_id)
                evidence = cp.evidence
                link = (
                    item,
                    meeting_id,
                    counterpart_id,
                    cp.role,
                    evidence.start if evidence else None,
                    evidence.end if evidence else None,
                )
                for column, value in zip(self._links, link, strict=True):
                    column.append(value)
            tagged: set[str] = set()
            for topic in meeting.topics:
                if topic.topic_id in tagged:
                    continue
                tagged.add(topic.topic_id)
                tag = (item, meeting_id, topic.topic_id, topic.evidence.start, topic.evidence.end)
                for column, value in zip(self._topics, tag, strict=True):
                    column.append(value)

    def build(self) -> Staged:
        return Staged(
            items=pa.table(self._items, schema=ITEMS),
            releases=pa.table(self._releases, schema=RELEASES),
            rejects=_rejects_table(self._reject_items, self._rejects),
            meetings=pa.table(self._meetings, schema=MEETINGS),
            links=pa.table(self._links, schema=LINKS),
            topics=pa.table(self._topics, schema=TOPICS),
            mentions=pa.table(self._mentions, schema=MENTIONS),
        )
