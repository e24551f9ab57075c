"""Atomic publication: every write goes to a copy of the warehouse that replaces it only when complete.

Readers that open the published file per query see the old or the new warehouse, never a torn one, and a
run that fails or is killed publishes nothing (CONTRACT §2, exit status 1). See ../shared/TOOLS.md.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse import connect, migrate


def _scratch_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.{uuid.uuid4().hex[:12]}.tmp")


@contextlib.contextmanager
def working_copy(published: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a migrated copy of `published`; on clean exit, swap it in.

    On an exception the copy is deleted and the published file is untouched.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    scratch = _scratch_path(published)
    if published.exists():
        shutil.copyfile(published, scratch)
    con = connect(scratch)
    try:
        migrate(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        _fsync(scratch)
        os.replace(scratch, published)
        _fsync_dir(published.parent)
    except BaseException:
        with contextlib.suppress(Exception):
            con.close()
        for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
