"""Read access to the published warehouse: a fresh read-only attachment per query.

The ETL publishes by swapping in a new file (etl/publish.py), so a long-lived connection would keep reading
the old one. A fresh in-memory connection that ATTACHes the file READ_ONLY always sees the current file and
never takes a write lock (../shared/TOOLS.md). `data_version` changes whenever a new file is published: the
pages use it as a cache key so a refresh shows up without restarting the app.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse import resolve_db_path


class WarehouseMissing(RuntimeError):
    """No warehouse at the configured path: the message says how to build one."""


def warehouse_path() -> Path:
    return resolve_db_path(None)


def data_version(path: Path) -> str:
    """Changes with every publication (a new file: new inode and modification time)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "missing"
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


@contextlib.contextmanager
def reader(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection with the warehouse attached read-only as `w`."""
    if not path.exists():
        raise WarehouseMissing(
            f"no warehouse at {path}: build one with `make demo` or `python -m etl run --input <folder>`, "
            "or set DIPLOMACY_DB to the path of an existing one"
        )
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("ATTACH ? AS w (READ_ONLY)", [str(path)])
        yield con
    finally:
        con.close()
