"""Atomic publication: every write goes to a copy of the warehouse that replaces it only when complete.

Readers that open the published file per query see the old or the new warehouse, never a torn one, and a
run that fails or is killed publishes nothing (CONTRACT §2, exit status 1). See ../shared/TOOLS.md.

Only one writer works at a time (etl/store/lock.py): `working_copy` holds the writer lock, taking it if its caller
has not. Under the lock no other run can be working, so the scratch files of a run that was killed
(`.<name>.<hex>.tmp` and its `.wal`) are removed before the next copy is made, and the published file is
never opened for writing, so it never has a write-ahead log beside it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb

from etl.store.lock import writer_lock
from warehouse import connect, is_file, migrate

log = logging.getLogger(__name__)


def _scratch_path(published: Path) -> Path:
    return published.with_name(f".{published.name}.{uuid.uuid4().hex[:12]}.tmp")


def _scratch_pattern(published: Path) -> re.Pattern[str]:
    """A scratch file of `_scratch_path`, and what DuckDB puts beside it (`.wal`, a `.tmp` spill folder)."""
    return re.compile(rf"\.{re.escape(published.name)}\.[0-9a-f]{{12}}\.tmp(\.wal|\.tmp)?")


def leftovers(published: Path) -> list[Path]:
    """Scratch files beside `published` (left by killed runs, unless a run holding the lock is working)."""
    if not published.parent.is_dir():
        return []
    pattern = _scratch_pattern(published)
    return sorted(p for p in published.parent.iterdir() if pattern.fullmatch(p.name))


def remove_leftovers(published: Path) -> list[Path]:
    """Delete the scratch files of killed runs; call with the writer lock held (no live run owns any)."""
    removed = leftovers(published)
    for path in removed:
        with contextlib.suppress(FileNotFoundError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    if removed:
        log.warning(
            "removed %d scratch file(s) left beside %s by a run that was killed: %s",
            len(removed),
            published,
            ", ".join(p.name for p in removed),
        )
    return removed


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _fold_stray_wal(published: Path) -> None:
    """A write-ahead log beside the published file means something wrote it in place and was interrupted
    (this module never does). Replay it into the file before copying, so the copy and readers agree."""
    wal = _wal(published)
    if not wal.exists():
        return
    if not published.exists():  # a log without its database can be replayed into nothing
        log.warning("removing %s: a write-ahead log with no warehouse beside it", wal)
        wal.unlink()
        return
    log.warning(
        "%s has a write-ahead log beside it (an interrupted in-place writer): replaying it", published
    )
    try:
        con = connect(published)
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except duckdb.Error as exc:
        raise RuntimeError(
            f"{published} has a write-ahead log beside it ({wal.name}) that DuckDB cannot replay: {exc}. "
            f"Check what wrote it, then move {wal} away"
        ) from exc


@contextlib.contextmanager
def working_copy(published: Path, lock_timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a migrated copy of `published`; on clean exit, swap it in.

    Holds the writer lock throughout (waiting up to `lock_timeout` seconds if the caller does not hold it
    already). On an exception the copy is deleted and the published file is untouched.
    """
    if not is_file(published):
        with _in_transaction(str(published)) as direct:
            yield direct
        return
    published.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(published, lock_timeout):
        remove_leftovers(published)
        _fold_stray_wal(published)
        scratch = _scratch_path(published)
        con: duckdb.DuckDBPyConnection | None = None
        try:
            if published.exists():
                shutil.copyfile(published, scratch)
            con = connect(scratch)
            migrate(con)
            yield con
            con.execute("CHECKPOINT")
            con.close()
            _fsync(scratch)
            os.replace(scratch, published)
            _fsync_dir(published.parent)
        except BaseException:
            if con is not None:
                with contextlib.suppress(Exception):
                    con.close()
            for leftover in (scratch, _wal(scratch)):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
            raise


@contextlib.contextmanager
def _in_transaction(location: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A warehouse that is not a local file (':memory:', a MotherDuck 'md:' database): no file to copy and
    swap, so the whole run is one transaction, which readers see all at once or not at all, and which a
    failure rolls back. One writer at a time is then the service's concern (DuckDB's optimistic concurrency
    aborts a conflicting second writer); the file lock of etl/store/lock.py applies to local files only."""
    con = connect(location)
    try:
        migrate(con)
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                con.execute("ROLLBACK")
            raise
    finally:
        con.close()


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
