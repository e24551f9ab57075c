"""Writes releases, engagements and rejects into an open warehouse connection, idempotently, in batches.

Every write is a set-based statement over an Arrow table (never one round trip per row). Keys are natural:
a release by its `release_id`, a meeting by (release, ordinal), a counterpart by its canonical entity key,
so re-loading the same input replaces rows with identical ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.records import Meeting, Reject, Release


def stable_id(*parts: str) -> str:
    """A short id that is the same on every machine for the same parts."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def classify(con: duckdb.DuckDBPyConnection, releases: Sequence[Release], version: str) -> dict[str, str]:
    """`new`, `changed` or `unchanged` for each release id, against what the warehouse holds.

    A release loaded by another extractor version counts as changed, so a better extractor re-extracts it.
    """
    if not releases:
        return {}
    ids = pa.table({"release_id": [r.release_id for r in releases]})
    con.register("_ids", ids)
    try:
        rows = con.execute(
            "SELECT r.release_id, r.content_hash, r.extractor_version "
            "FROM releases AS r JOIN _ids USING (release_id)"
        ).fetchall()
    finally:
        con.unregister("_ids")
    known = {rid: (h, v) for rid, h, v in rows}
    status: dict[str, str] = {}
    for release in releases:
        old = known.get(release.release_id)
        if old is None:
            status[release.release_id] = "new"
        elif old == (release.content_hash, version):
            status[release.release_id] = "unchanged"
        else:
            status[release.release_id] = "changed"
    return status


def write_releases(
    con: duckdb.DuckDBPyConnection,
    items: Sequence[tuple[Release, tuple[Meeting, ...]]],
    *,
    run_id: str,
    now: datetime,
    version: str,
) -> int:
    """Replace the given releases and everything extracted from them; returns the meetings written."""
    if not items:
        return 0
    releases = [r for r, _ in items]
    ids = pa.table({"release_id": [r.release_id for r in releases]})
    con.register("_ids", ids)
    try:
        con.execute(
            "DELETE FROM meeting_counterparts WHERE meeting_id IN "
            "(SELECT meeting_id FROM meetings WHERE release_id IN (SELECT release_id FROM _ids))"
        )
        con.execute(
            "DELETE FROM meeting_topics WHERE meeting_id IN "
            "(SELECT meeting_id FROM meetings WHERE release_id IN (SELECT release_id FROM _ids))"
        )
        con.execute("DELETE FROM meetings WHERE release_id IN (SELECT release_id FROM _ids)")
        con.execute("DELETE FROM releases WHERE release_id IN (SELECT release_id FROM _ids)")
    finally:
        con.unregister("_ids")

    rel_table = pa.table(
        {
            "release_id": [r.release_id for r in releases],
            "source": [r.source for r in releases],
            "source_ref": [r.source_ref for r in releases],
            "url": [r.url for r in releases],
            "published_at": pa.array([r.published_at for r in releases], pa.timestamp("us")),
            "title": [r.title for r in releases],
            "body": [r.body for r in releases],
            "lang": [r.lang for r in releases],
            "content_hash": [r.content_hash for r in releases],
        }
    )
    _insert(
        con,
        rel_table,
        "INSERT INTO releases SELECT release_id, source, source_ref, url, published_at, title, body, lang,"
        " content_hash, $now, $version, $run_id FROM _t",
        {"now": now, "version": version, "run_id": run_id},
    )
    # An input that loads now is no longer a reject (it was fixed since).
    _insert(
        con,
        pa.table({"source_ref": [r.source_ref for r in releases]}),
        "DELETE FROM rejects WHERE source_ref IN (SELECT source_ref FROM _t)",
        {},
    )

    meetings: dict[str, list] = {k: [] for k in _MEETING_COLUMNS}
    links: dict[str, list] = {k: [] for k in _LINK_COLUMNS}
    topics: dict[str, list] = {k: [] for k in _TOPIC_COLUMNS}
    entities: dict[str, tuple[str, str, str | None, set[str]]] = {}
    for release, found in items:
        for meeting in found:
            meeting_id = stable_id(release.release_id, str(meeting.ordinal))
            for column, value in zip(
                _MEETING_COLUMNS,
                (
                    meeting_id,
                    release.release_id,
                    meeting.ordinal,
                    meeting.meeting_date,
                    meeting.kind,
                    meeting.principal,
                    meeting.principal_country,
                    meeting.location,
                    meeting.evidence.start,
                    meeting.evidence.end,
                ),
                strict=True,
            ):
                meetings[column].append(value)
            seen_cp: set[str] = set()
            for cp in meeting.counterparts:
                counterpart_id = stable_id(cp.key)
                entity = entities.get(cp.key)
                if entity is None:
                    entities[cp.key] = (cp.kind, cp.name, cp.country_iso3, {cp.alias, cp.name})
                else:
                    entity[3].add(cp.alias)
                if counterpart_id in seen_cp:
                    continue
                seen_cp.add(counterpart_id)
                links["meeting_id"].append(meeting_id)
                links["counterpart_id"].append(counterpart_id)
                links["role"].append(cp.role)
                links["evidence_start"].append(cp.evidence.start if cp.evidence else None)
                links["evidence_end"].append(cp.evidence.end if cp.evidence else None)
            seen_topics: set[str] = set()
            for topic in meeting.topics:
                if topic.topic_id in seen_topics:
                    continue
                seen_topics.add(topic.topic_id)
                topics["meeting_id"].append(meeting_id)
                topics["topic_id"].append(topic.topic_id)
                topics["evidence_start"].append(topic.evidence.start)
                topics["evidence_end"].append(topic.evidence.end)

    if meetings["meeting_id"]:
        _insert(
            con,
            pa.table(
                {
                    **{k: v for k, v in meetings.items() if k != "meeting_date"},
                    "meeting_date": pa.array(meetings["meeting_date"], pa.date32()),
                }
            ),
            f"INSERT INTO meetings ({', '.join(_MEETING_COLUMNS)}) SELECT {', '.join(_MEETING_COLUMNS)} FROM _t",
            {},
        )
    if entities:
        keys = sorted(entities)
        _insert(
            con,
            pa.table(
                {
                    "counterpart_id": [stable_id(k) for k in keys],
                    "entity_key": keys,
                    "kind": [entities[k][0] for k in keys],
                    "name": [entities[k][1] for k in keys],
                    "country_iso3": [entities[k][2] for k in keys],
                    "aliases": [sorted(entities[k][3]) for k in keys],
                }
            ),
            "INSERT INTO counterparts SELECT counterpart_id, entity_key, kind, name, country_iso3, aliases FROM _t "
            "ON CONFLICT (counterpart_id) DO UPDATE SET "
            " aliases = list_sort(list_distinct(list_concat(counterparts.aliases, excluded.aliases))),"
            " country_iso3 = coalesce(counterparts.country_iso3, excluded.country_iso3),"
            # The most complete spelling seen becomes the canonical name (ties: the alphabetically first).
            " name = CASE WHEN length(excluded.name) > length(counterparts.name)"
            "   OR (length(excluded.name) = length(counterparts.name) AND excluded.name < counterparts.name)"
            "   THEN excluded.name ELSE counterparts.name END",
            {},
        )
    if links["meeting_id"]:
        _insert(
            con,
            pa.table(links),
            f"INSERT INTO meeting_counterparts ({', '.join(_LINK_COLUMNS)}) SELECT * FROM _t",
            {},
        )
    if topics["meeting_id"]:
        _insert(
            con,
            pa.table(topics),
            f"INSERT INTO meeting_topics ({', '.join(_TOPIC_COLUMNS)}) SELECT * FROM _t",
            {},
        )
    refresh_search(con, [r.release_id for r in releases])
    return len(meetings["meeting_id"])


_SEARCH_ROWS = (Path(__file__).resolve().parent.parent / "warehouse" / "sql" / "search_rows.sql").read_text(
    encoding="utf-8"
)


def refresh_search(con: duckdb.DuckDBPyConnection, release_ids: Sequence[str] | None = None) -> None:
    """Bring meeting_search in step with meetings: for the given releases, or all when the counts differ."""
    if release_ids is None:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM meeting_search)"
        ).fetchall()[0]
        if counts[0] == counts[1]:
            return
        con.execute("DELETE FROM meeting_search")
        con.execute(f"INSERT INTO meeting_search {_SEARCH_ROWS}", {"all": True, "release_ids": []})
        return
    if not release_ids:
        return
    ids = list(release_ids)
    con.execute("DELETE FROM meeting_search WHERE release_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
    con.execute(f"INSERT INTO meeting_search {_SEARCH_ROWS}", {"all": False, "release_ids": ids})


def write_countries(
    con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str | None, str | None]]
) -> None:
    """Refresh the country reference table (iso3, name, region, subregion); unchanged rows stay as they are."""
    if not rows:
        return
    _insert(
        con,
        pa.table(
            {
                "iso3": [r[0] for r in rows],
                "name": [r[1] for r in rows],
                "region": pa.array([r[2] for r in rows], pa.string()),
                "subregion": pa.array([r[3] for r in rows], pa.string()),
            }
        ),
        "INSERT INTO countries SELECT iso3, name, region, subregion FROM _t ON CONFLICT (iso3) DO UPDATE SET"
        " name = excluded.name, region = excluded.region, subregion = excluded.subregion",
        {},
    )


def write_rejects(
    con: duckdb.DuckDBPyConnection, rejects: Iterable[Reject], *, run_id: str, now: datetime
) -> None:
    """Record rejects; an input rejected again for the same reason keeps its first record."""
    batch = list(rejects)
    if not batch:
        return
    _insert(
        con,
        pa.table(
            {
                "source_ref": [r.source_ref for r in batch],
                "path": [r.path for r in batch],
                "record_ref": pa.array([r.record_ref for r in batch], pa.string()),
                "reason": [r.reason for r in batch],
            }
        ),
        "INSERT INTO rejects SELECT DISTINCT ON (source_ref, reason) source_ref, path, record_ref, reason,"
        " $now, $run_id FROM _t ON CONFLICT DO NOTHING",
        {"now": now, "run_id": run_id},
    )


def _insert(con: duckdb.DuckDBPyConnection, table: pa.Table, sql: str, params: dict[str, object]) -> None:
    con.register("_t", table)
    try:
        con.execute(sql, params or None)
    finally:
        con.unregister("_t")


_MEETING_COLUMNS = (
    "meeting_id",
    "release_id",
    "ordinal",
    "meeting_date",
    "kind",
    "principal",
    "principal_country",
    "location",
    "evidence_start",
    "evidence_end",
)
_LINK_COLUMNS = ("meeting_id", "counterpart_id", "role", "evidence_start", "evidence_end")
_TOPIC_COLUMNS = ("meeting_id", "topic_id", "evidence_start", "evidence_end")
