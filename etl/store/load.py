"""Writes releases, engagements and rejects into an open warehouse connection, idempotently, in batches.

Every write is a set-based statement over Arrow tables (never one round trip per row), and one statement
writes many batches of inputs (etl/store/staged.py) with the result one statement per batch would give. Keys are
natural: a release by its `release_id`, a meeting by (release, ordinal), a counterpart by its canonical
entity key, so re-loading the same input replaces rows with identical ones.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from etl.records import Reject
from etl.store.staged import CHANGED, NEW, UNCHANGED, Staged, stable_id

__all__ = [
    "KnownReleases",
    "known_releases",
    "refresh_search",
    "refresh_search_of_run",
    "remember_counterparts",
    "stable_id",
    "write_countries",
    "write_rejects",
    "write_staged",
]

_SQL = Path(__file__).resolve().parents[2] / "warehouse" / "sql"


def _sql(name: str) -> str:
    return (_SQL / name).read_text(encoding="utf-8")


_SEARCH_ROWS = _sql("search_rows.sql")
_SEARCH_SCOPE = _sql("search_scope.sql")
_DELETE_CHANGED = _sql("delete_changed.sql")
_LOAD_REJECTS = _sql("load_rejects.sql")
_LOAD_COUNTERPARTS = _sql("load_counterparts.sql")
_KNOWN_RELEASES = _sql("known_releases.sql")


@dataclass(frozen=True, slots=True)
class KnownReleases:
    """The releases a warehouse holds when a run starts: what says whether an input is new, changed or unchanged.

    Flat arrays of integers sorted by release id (about 25 bytes per release), so the worker processes that
    classify their inputs share one copy with the run (fork) instead of each holding a million Python objects.
    A release loaded by another extractor version counts as changed, so a better extractor re-extracts it.
    """

    ids: array[int]  # release ids (16 hex digits) as unsigned 64-bit integers, sorted
    hash_high: array[int]  # content hash (32 hex digits): its first and last 64 bits
    hash_low: array[int]
    current: bytes  # 1 where the row was loaded by this extractor version (and its hash is one of ours)

    def status(self, release_id: str, content_hash: str) -> int:
        """NEW, CHANGED or UNCHANGED (etl/store/staged.py) for a release as read."""
        key = int(release_id, 16)
        i = bisect_left(self.ids, key)
        if i == len(self.ids) or self.ids[i] != key:
            return NEW
        if (
            self.current[i]
            and self.hash_high[i] == int(content_hash[:16], 16)
            and self.hash_low[i] == int(content_hash[16:], 16)
        ):
            return UNCHANGED
        return CHANGED


def known_releases(con: duckdb.DuckDBPyConnection, version: str) -> KnownReleases:
    """The KnownReleases of the warehouse, for extractor `version`."""
    table = con.sql(_KNOWN_RELEASES, params={"version": version}).to_arrow_table()

    def integers(name: str) -> array[int]:
        out = array("Q")
        for chunk in table.column(name).chunks:  # no nulls: the query says so
            out.frombytes(chunk.buffers()[1][chunk.offset * 8 : (chunk.offset + len(chunk)) * 8])
        return out

    current = pc.cast(table.column("current"), pa.uint8()).to_pylist()
    return KnownReleases(integers("id"), integers("hash_high"), integers("hash_low"), bytes(current))


def write_staged(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    *,
    run_id: str,
    now: datetime,
    version: str,
    batch_size: int,
) -> int:
    """Write the rows of consecutive inputs, replacing what changed releases had; returns the meetings written.

    The result is the one of writing them `batch_size` inputs at a time (by `item`), in input order: counterparts
    and rejects depend on that order (warehouse/sql/load_counterparts.sql, load_rejects.sql). So `staged` must
    hold whole batches, and follow what was written before in the run. Releases must be new or changed, each
    once per run (the caller drops duplicates), so that new ones have nothing to replace.
    """
    tables = {
        "_releases": staged.releases,
        "_rejects": staged.rejects,
        "_meetings": staged.meetings,
        "_links": staged.links,
        "_topics": staged.topics,
        "_mentions": staged.mentions,
    }
    for name, table in tables.items():
        con.register(name, table)
    try:
        changed = staged.releases.filter(pc.equal(staged.releases.column("status"), CHANGED))
        if changed.num_rows:
            con.register("_changed", changed.select(["release_id"]))
            try:
                con.execute(_DELETE_CHANGED)
            finally:
                con.unregister("_changed")
        if staged.releases.num_rows:
            con.execute(
                "INSERT INTO releases (release_id, source, source_ref, url, published_at, title, body, lang,"
                " content_hash, ingested_at, extractor_version, run_id, publisher_country, publisher_basis)"
                " SELECT release_id, source, source_ref, url, published_at, title, body, lang,"
                " content_hash, $now, $version, $run_id, publisher_country, publisher_basis FROM _releases",
                {"now": now, "version": version, "run_id": run_id},
            )
            # An input that loads now is no longer a reject (it was fixed since).
            con.execute("DELETE FROM rejects WHERE source_ref IN (SELECT source_ref FROM _releases)")
        if staged.rejects.num_rows:
            con.execute(_LOAD_REJECTS, {"now": now, "run_id": run_id, "batch_size": batch_size})
        if staged.meetings.num_rows:
            con.execute(f"INSERT INTO meetings ({_MEETING_COLUMNS}) SELECT {_MEETING_COLUMNS} FROM _meetings")
        if staged.links.num_rows:
            con.execute(
                f"INSERT INTO meeting_counterparts ({_LINK_COLUMNS}) SELECT {_LINK_COLUMNS} FROM _links"
            )
        if staged.topics.num_rows:
            con.execute(f"INSERT INTO meeting_topics ({_TOPIC_COLUMNS}) SELECT {_TOPIC_COLUMNS} FROM _topics")
        if staged.mentions.num_rows:
            con.execute(_LOAD_COUNTERPARTS, {"batch_size": batch_size})
    finally:
        for name in tables:
            con.unregister(name)
    return staged.meetings.num_rows


# Releases whose meeting_search rows one statement recomputes. The rows are list aggregates over joins, which
# DuckDB must hold in memory: a million releases at once overran a 384MB memory limit, slices of
# this size stay far below it (about 30MB each), and every slice costs only a scan of the link tables.
SEARCH_SLICE = 20_000


def refresh_search(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild meeting_search when its row count differs from meetings' (a warehouse from before it, or one
    that drifted)."""
    counts = con.execute(
        "SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM meeting_search)"
    ).fetchall()[0]
    if counts[0] == counts[1]:
        return
    con.execute("DELETE FROM meeting_search")
    _refresh_slices(con, "SELECT DISTINCT release_id FROM meetings", {})


def remember_counterparts(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the counterparts as a run starts (a temporary table), for `refresh_search_of_run` at its end."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE counterparts_before AS"
        " SELECT counterpart_id, name, country_iso3 FROM counterparts"
    )


def refresh_search_of_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Bring meeting_search in step after run `run_id`: once, at its end, rather than after every batch.

    Recomputes the rows of the releases the run loaded, and of other releases' meetings with a counterpart the
    run renamed (against `remember_counterparts`), so that meeting_search stays what search_rows.sql gives
    for all meetings. The run's working copy is published only after this, so no reader sees it stale.
    """
    try:
        _refresh_slices(con, _SEARCH_SCOPE, {"run_id": run_id})
    finally:
        con.execute("DROP TABLE IF EXISTS counterparts_before")


def _refresh_slices(con: duckdb.DuckDBPyConnection, scope: str, parameters: dict[str, object]) -> None:
    """Recompute the meeting_search rows of the releases `scope` (a query of release_id) selects, SEARCH_SLICE
    releases per statement; search_rows.sql reads each slice as the temporary table search_scope."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE search_slices AS SELECT release_id, "
        f"(row_number() OVER (ORDER BY release_id) - 1) // {SEARCH_SLICE} AS slice FROM ({scope})",
        parameters,
    )
    try:
        (slices,) = con.execute("SELECT coalesce(max(slice) + 1, 0) FROM search_slices").fetchall()[0]
        for number in range(slices):
            con.execute(
                "CREATE OR REPLACE TEMP TABLE search_scope AS SELECT release_id FROM search_slices "
                "WHERE slice = $slice",
                {"slice": number},
            )
            con.execute(
                "DELETE FROM meeting_search WHERE release_id IN (SELECT release_id FROM search_scope)"
            )
            con.execute(f"INSERT INTO meeting_search {_SEARCH_ROWS}")
    finally:
        con.execute("DROP TABLE IF EXISTS search_scope")
        con.execute("DROP TABLE IF EXISTS search_slices")


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
    "meeting_id, release_id, ordinal, meeting_date, kind, principal, principal_country, location,"
    " evidence_start, evidence_end"
)
_LINK_COLUMNS = "meeting_id, counterpart_id, role, evidence_start, evidence_end"
_TOPIC_COLUMNS = "meeting_id, topic_id, evidence_start, evidence_end"
