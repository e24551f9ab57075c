"""The crawl state table (migration 006): per URL, the outcome and validators of its last fetch, read and written."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

OUTCOMES = ("fetched", "not_modified", "failed", "disallowed", "pending")


@dataclass(frozen=True, slots=True)
class UrlState:
    """One row of `crawl_state`: what happened to a URL the last time the crawler tried it (or found it)."""

    url: str
    source: str
    kind: str  # listing | feed | article
    outcome: str  # one of OUTCOMES
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    content_hash: str | None = None
    archive_path: str | None = None
    failures: int = 0
    error: str | None = None

    @property
    def archived(self) -> bool:
        """The page was fetched and saved at least once (a later failure does not undo that)."""
        return self.archive_path is not None


_COLUMNS = tuple(f.name for f in fields(UrlState))
_TYPES = {"fetched_at": pa.timestamp("us"), "last_status": pa.int32(), "failures": pa.int32()}


def read_state(db_path: Path, source: str) -> dict[str, UrlState]:
    """Every URL of `source` in the published warehouse; empty for a new warehouse or one before migration 006.

    Read through a fresh in-memory connection that ATTACHes the file read-only: it sees the current file even
    after a publish swapped it, and takes no lock a writer could trip over (../shared/TOOLS.md).
    """
    if not db_path.exists():
        return {}
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS w (READ_ONLY)", [str(db_path)])
        present = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'w' AND table_name = 'crawl_state'"
        ).fetchone()
        if not present or not present[0]:
            return {}
        rows = con.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM w.crawl_state WHERE source = ?", [source]
        ).fetchall()
    finally:
        con.close()
    return {row[0]: UrlState(*row) for row in rows}


def write_state(con: duckdb.DuckDBPyConnection, rows: Sequence[UrlState]) -> None:
    """Insert or replace the given rows (each carries the whole new state of its URL)."""
    if not rows:
        return
    table = pa.table(
        {name: pa.array([getattr(r, name) for r in rows], _TYPES.get(name, pa.string())) for name in _COLUMNS}
    )
    con.register("_crawl", table)
    try:
        con.execute(f"INSERT OR REPLACE INTO crawl_state ({', '.join(_COLUMNS)}) SELECT * FROM _crawl")
    finally:
        con.unregister("_crawl")


def clear_rejects(con: duckdb.DuckDBPyConnection, urls: Iterable[str]) -> None:
    """Forget earlier fetch failures of URLs that have now been fetched (their rejects are keyed by URL)."""
    batch = sorted(set(urls))
    if batch:
        con.execute("DELETE FROM rejects WHERE source_ref IN (SELECT unnest(?::VARCHAR[]))", [batch])
