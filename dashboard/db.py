"""Read access to the published warehouse: a read-only attachment per published file, a cursor per query.

The ETL publishes by swapping in a new file (etl/store/publish.py), so a connection kept open would keep reading
the old one. Each published file (identified by `data_version`: inode, mtime, size) gets its own in-memory
DuckDB that ATTACHes it READ_ONLY, which never takes a write lock (../shared/TOOLS.md); every query runs on
a fresh cursor of the current one (one cursor per query is DuckDB's rule for threads). A query therefore
always sees the file published when it started, never a torn one, and pays no ATTACH: that is what keeps
dashboard queries near the cost of the bare aggregate. The previous file's attachment is kept a little
longer, so queries already running on it finish. `data_version` is also the pages' cache key, so a
refresh shows up without restarting the app.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse import is_file, resolve_db_path


class WarehouseMissing(RuntimeError):
    """No warehouse at the configured path: the message says how to build one."""


def warehouse_path() -> Path:
    return resolve_db_path(None)


def data_version(path: Path) -> str:
    """Changes with every publication (a new file: new inode and modification time).

    A warehouse that is not a local file (a MotherDuck 'md:' database) publishes by committing, which no
    file attribute shows: its version changes every 30 seconds, so caches expire on that rhythm instead.
    """
    if not is_file(path):
        return f"remote-{int(time.time() // 30)}"
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "missing"
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


_KEEP = 2  # attachments kept per process: the current file and the one just replaced
_attached: OrderedDict[tuple[str, str], duckdb.DuckDBPyConnection] = OrderedDict()
_attach_lock = threading.Lock()


def _instance(path: Path, version: str) -> duckdb.DuckDBPyConnection:
    key = (str(path.resolve()) if is_file(path) else str(path), version)
    with _attach_lock:
        con = _attached.get(key)
        if con is not None:
            _attached.move_to_end(key)
            return con
        con = duckdb.connect(":memory:")
        con.execute("SET enable_progress_bar = false")
        con.execute("ATTACH ? AS w (READ_ONLY)", [str(path.resolve()) if is_file(path) else str(path)])
        _attached[key] = con
        while len(_attached) > _KEEP:
            _, old = _attached.popitem(last=False)
            old.close()
        return con


@contextlib.contextmanager
def reader(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the current published file, attached read-only as `w` (temporary tables are private)."""
    version = data_version(path)
    if version == "missing":
        raise WarehouseMissing(
            f"no warehouse at {path}: build one with `make demo` or `python -m etl run --input <folder>`, "
            "or set DIPLOMACY_DB to the path of an existing one"
        )
    cursor = _instance(path, version).cursor()
    try:
        yield cursor
    finally:
        cursor.close()
