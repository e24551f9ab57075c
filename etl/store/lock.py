"""One writer at a time: an exclusive lock beside the warehouse, held for the whole of anything that publishes.

Every command that writes the warehouse takes it: `etl run` (and each run of `etl schedule`), the recording
of `etl evaluate`, and any new command (crawl, reprocess, ...) through the same helper::

    from etl.store.lock import LockTimeout, writer_lock

    with writer_lock(db_path, timeout=lock_timeout):  # LockTimeout after `timeout` seconds of waiting
        with working_copy(db_path) as con:             # etl.store.publish: copy, work, swap in
            ...

`etl.store.publish.working_copy` takes the lock itself when its caller has not, so nothing can publish without
it; taking it explicitly around the whole command (as `etl.pipeline.run` does) keeps everything the command
reads and writes in one turn. The lock is re-entrant in the thread that holds it.

How it works: `flock(2)` on `<db>.lock` (e.g. `warehouse/diplomacy.duckdb.lock`). The kernel releases a
flock when the process holding it exits, however it exits (SIGKILL, OOM killer, power cut), so a killed run
never leaves the warehouse locked. The file also says who holds it (pid, host, start time, command), for the
message a waiting run prints, and is removed on release: a file that is there with no flock on it is the
stale record of a run that was killed, which the next run reports and takes over. The flock, never the pid
in the file, decides who holds the lock. Forked children (the extraction workers) close their inherited
copy of the lock at fork, so a worker that outlives a killed parent cannot keep the warehouse locked.

A second writer polls (flock with LOCK_NB, backing off from 50 ms to 1 s) until the lock is free or
`timeout` seconds have passed, then raises `LockTimeout`, whose message names the holder. The timeout is
the caller's, else `$DIPLOMACY_LOCK_TIMEOUT`, else 600 s (`--lock-timeout` on the command line).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warehouse.db import is_file

ENV_VAR = "DIPLOMACY_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 600.0
FIRST_POLL = 0.05  # seconds before the first retry; doubles up to MAX_POLL
MAX_POLL = 1.0

log = logging.getLogger(__name__)


class LockTimeout(RuntimeError):
    """Another run held the warehouse lock for longer than the timeout; the message names it."""

    def __init__(self, message: str, holder: Holder | None, waited: float) -> None:
        super().__init__(message)
        self.holder = holder
        self.waited = waited


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds (or last held) the lock, as written in the lock file."""

    pid: int | None
    host: str | None
    started: str | None
    command: str | None = None

    def describe(self) -> str:
        where = f" on {self.host}" if self.host and self.host != socket.gethostname() else ""
        return f"pid {self.pid if self.pid is not None else '?'}{where}, started {self.started or '?'}"

    def is_gone(self) -> bool | None:
        """Whether the process is known to have exited (None: another host, or no pid to check)."""
        if self.pid is None or (self.host and self.host != socket.gethostname()):
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, and someone else's: a reused pid, since the flock was free
            return False
        return False


def lock_path(db_path: Path) -> Path:
    """`<db>.lock` beside the warehouse, with the folder resolved (so two spellings are one lock)."""
    folder = Path(os.path.realpath(db_path.parent))
    return folder / (db_path.name + ".lock")


def resolve_timeout(explicit: float | None = None) -> float:
    """The given timeout, else $DIPLOMACY_LOCK_TIMEOUT, else 600 s; ValueError on a bad value."""
    if explicit is not None:
        value = float(explicit)
        origin = "--lock-timeout"
    else:
        raw = os.environ.get(ENV_VAR, "").strip()
        if not raw:
            return DEFAULT_TIMEOUT
        origin = f"${ENV_VAR}"
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"{origin} must be a number of seconds, got {raw!r}") from None
    if not value >= 0:  # also rejects NaN
        raise ValueError(f"{origin} must be 0 or more seconds, got {value}")
    return value


def read_holder(path: Path) -> Holder | None:
    """The holder recorded in a lock file; None when the file is missing, empty or unreadable."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return None
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    pid = data.get("pid")
    return Holder(
        pid=pid if isinstance(pid, int) else None,
        host=str(data["host"]) if data.get("host") else None,
        started=str(data["started"]) if data.get("started") else None,
        command=str(data["command"]) if data.get("command") else None,
    )


@dataclass(slots=True)
class _Held:
    fd: int
    thread: int
    depth: int
    holder: Holder


_guard = threading.Lock()
_held: dict[Path, _Held] = {}  # lock file -> this process's hold on it


def _forget_in_child() -> None:
    """After fork: close the child's copies of held locks (closing, unlike LOCK_UN, leaves the parent's)."""
    global _guard
    for held in _held.values():
        with contextlib.suppress(OSError):
            os.close(held.fd)
    _held.clear()
    _guard = threading.Lock()  # another thread may have held it at the fork; it would never be released


# A hook, not a connection or a file: registering it at import has no effect until a fork.
os.register_at_fork(after_in_child=_forget_in_child)


def held(db_path: Path) -> bool:
    """Whether this thread holds the writer lock of `db_path`."""
    with _guard:
        entry = _held.get(lock_path(db_path))
        return entry is not None and entry.thread == threading.get_ident()


@contextlib.contextmanager
def writer_lock(db_path: Path, timeout: float | None = None) -> Iterator[Holder]:
    """Hold the warehouse's writer lock for the `with` block; yields this process's record in the file.

    Waits up to `timeout` seconds (default: `resolve_timeout()`) and raises `LockTimeout` if another run
    still holds it then. Re-entrant in the thread that holds it.
    """
    if not is_file(db_path):  # ':memory:', 'md:…': no file to lock; the run is one transaction instead
        yield Holder(
            pid=os.getpid(), host=socket.gethostname(), started=datetime.now().isoformat(), command=""
        )
        return
    path = lock_path(db_path)
    me = threading.get_ident()
    with _guard:
        entry = _held.get(path)
        if entry is not None and entry.thread == me:
            entry.depth += 1
        else:
            entry = None
    if entry is not None:
        try:
            yield entry.holder
        finally:
            with _guard:
                entry.depth -= 1
        return

    seconds = resolve_timeout(timeout)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, holder = _acquire(path, seconds)
    with _guard:
        _held[path] = _Held(fd, me, 1, holder)
    try:
        yield holder
    finally:
        with _guard:
            _held.pop(path, None)
        _release(path, fd)


def _acquire(path: Path, timeout: float) -> tuple[int, Holder]:
    started = time.monotonic()
    deadline = started + timeout
    delay = FIRST_POLL
    announced = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = read_holder(path)
            now = time.monotonic()
            if now >= deadline:
                raise LockTimeout(
                    _timeout_message(path, holder, now - started), holder, now - started
                ) from None
            if not announced:
                log.warning(
                    "waiting up to %s s for the warehouse lock %s: another run (%s) holds it",
                    f"{timeout:g}",
                    path,
                    holder.describe() if holder else "holder not yet recorded",
                )
                announced = True
            time.sleep(min(delay, deadline - now))
            delay = min(delay * 2, MAX_POLL)
            continue
        except BaseException:
            os.close(fd)
            raise
        # A holder releasing the lock removes the file; if we locked a file that is no longer at `path`,
        # another run may already hold the new one: start again (no wait, the lock was just released).
        if not _still_at(path, fd):
            os.close(fd)
            continue
        try:
            return fd, _take_over(path, fd)
        except BaseException:
            os.close(fd)
            raise


def _still_at(path: Path, fd: int) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)


def _take_over(path: Path, fd: int) -> Holder:
    """We hold the flock: report a stale record left by a killed run, then write ours."""
    if os.fstat(fd).st_size:
        previous = read_holder(path)
        if previous is None:
            log.warning(
                "stale warehouse lock file %s: left by a run that did not finish (its record is unreadable); "
                "no process holds it: taking it over",
                path,
            )
        else:
            gone = previous.is_gone()
            state = {True: "that process is gone", False: "that pid is now another process", None: ""}[gone]
            log.warning(
                "stale warehouse lock file %s: the run that wrote it (%s%s) ended without releasing it "
                "(killed?); no process holds it: taking it over",
                path,
                previous.describe(),
                f"; {state}" if state else "",
            )
    holder = Holder(
        pid=os.getpid(),
        host=socket.gethostname(),
        started=datetime.now().astimezone().isoformat(timespec="seconds"),
        command=" ".join(sys.argv)[:500],
    )
    record = {"pid": holder.pid, "host": holder.host, "started": holder.started, "command": holder.command}
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
    return holder


def _release(path: Path, fd: int) -> None:
    """Remove the file while still holding the flock (a waiter then finds it gone and starts again)."""
    try:
        if _still_at(path, fd):
            path.unlink()
    except OSError:
        pass  # the flock below is what matters; a file left behind is reported as stale, and harmless
    finally:
        os.close(fd)


def _timeout_message(path: Path, holder: Holder | None, waited: float) -> str:
    who = f"another run ({holder.describe()})" if holder else "another run (not yet recorded in the file)"
    return (
        f"{who} holds the warehouse lock {path}; waited {waited:.1f} s. Try again when it has finished, "
        f"or wait longer with --lock-timeout SECONDS (or ${ENV_VAR})"
    )
