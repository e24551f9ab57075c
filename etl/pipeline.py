"""Strings the stages together: read -> classify -> extract -> load, in batches, into an atomic working copy.

Worker processes read, classify and extract the inputs, and return the warehouse rows column-wise
(etl/store/staged.py); the main process only finds duplicates within the run, counts, and writes the rows in input
order (etl/store/load.py). The run's throughput is therefore the workers', and the warehouse it builds is the same
for any number of workers: rows are written in input order, with the semantics of batches of `batch_size`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import time
import uuid
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import chain, islice
from pathlib import Path

import duckdb

from etl.extract import EXTRACTOR_VERSION, extract, inferred_side
from etl.inputs.readers import iter_files, jsonl_parts, read_file, read_jsonl_part
from etl.records import Meeting, Reject, Release
from etl.sources import INFERRED, Publisher, Source, load_press_services, load_registry, lookup, publisher
from etl.store import load
from etl.store.lock import LockTimeout, writer_lock
from etl.store.publish import working_copy
from etl.store.seen import SeenReleases
from etl.store.staged import REJECTED, STATUSES, UNCHANGED, Staged, Stager
from warehouse import is_file

# Inputs per batch: what a run's result is defined by (etl/store/load.py write_staged), whatever it writes at once.
BATCH_SIZE = 2000
# Input bytes per task of a worker (a .jsonl file is split into parts of this size): big enough that sending
# the task and its rows costs little, small enough to keep every worker busy until the end.
TASK_BYTES = 1 << 20
TASK_FILES = 500
# Inputs written per transaction: few statements and commits, a few tens of MB of rows in memory.
GROUP_ITEMS = 20_000


@dataclass(frozen=True, slots=True)
class RunSummary:
    """The machine-readable summary line of CONTRACT §2, plus the run id and warehouse path."""

    run_id: str
    seen: int
    new: int
    changed: int
    unchanged: int
    rejected: int
    meetings: int
    seconds: float
    releases_per_second: float
    db: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class RunFailed(RuntimeError):
    """The run stopped and published nothing; the message says why."""


def extract_release(
    release: Release, declared: Source | None, registry: dict[str, Source]
) -> tuple[Meeting, ...]:
    """Extraction with the publishing side applied: the release's own source or domain, else the declared one."""
    return extract(release, publishing_side(release, declared, registry).source)


_SIDES: dict[tuple[int, int, str | None, str], tuple[dict[str, Source], Publisher]] = {}


def publishing_side(release: Release, declared: Source | None, registry: dict[str, Source]) -> Publisher:
    """`sources.publisher` for a release, remembered per (registry, declared, source, URL host): the same few
    publishers recur on every release of a run."""
    host = _host(release.url)
    key = (id(registry), id(declared), release.source, host)
    cached = _SIDES.get(key)
    if cached is None or cached[0] is not registry:
        side = publisher(registry, load_press_services(), release.source, host or None, declared)
        cached = _SIDES[key] = (registry, side)
    return cached[1]


def _host(url: str | None) -> str:
    """The URL up to its path: all that the publisher lookup reads of it."""
    if not url:
        return ""
    slashes = url.find("//")
    end = url.find("/", slashes + 2) if slashes >= 0 else -1
    return url if end < 0 else url[:end]


def publisher_row(release: Release, side: Publisher, meetings: Sequence[Meeting]) -> tuple[str | None, str]:
    """(publisher_country, publisher_basis) of a release: the source's country, else the home side that
    extraction inferred from the text (the principals' country), else unknown."""
    if side.source is not None:
        return side.source.country, side.basis
    countries = Counter(m.principal_country for m in meetings if m.principal_country)
    if countries:
        return countries.most_common(1)[0][0], INFERRED
    return inferred_side(release), INFERRED


# --------------------------------------------------------------------------------------------- tasks

# What a task reads: a file (its source_ref), a part of a .jsonl file (readers.jsonl_parts), or a reject met
# walking the inputs.
Unit = str | tuple[str, tuple[int, int | None, int]] | Reject


def _tasks(inputs: Sequence[str]) -> Iterator[list[Unit]]:
    """The inputs in their order (readers.iter_inputs), cut into tasks of about TASK_BYTES; nothing is read yet."""
    task: list[Unit] = []
    size = 0
    for entry in iter_files(inputs):
        for unit, cost in _units(entry):
            task.append(unit)
            size += cost
            if size >= TASK_BYTES or len(task) >= TASK_FILES:
                yield task
                task, size = [], 0
    if task:
        yield task


def _units(entry: str | Reject) -> Iterable[tuple[Unit, int]]:
    """(unit, bytes) for one entry: a big .jsonl file in parts, anything else whole."""
    if isinstance(entry, Reject):
        return [(entry, 0)]
    try:
        info = os.stat(entry)
    except OSError:
        return [(entry, 0)]  # read_file says why
    if (
        info.st_size > TASK_BYTES
        and stat.S_ISREG(info.st_mode)
        and entry[-6:].lower() == ".jsonl"
        and Path(entry).suffix.lower() == ".jsonl"  # what read_file dispatches on
    ):
        parts = jsonl_parts(Path(entry), TASK_BYTES)
        if len(parts) > 1:
            return [((entry, part), TASK_BYTES) for part in parts]
    return [(entry, info.st_size)]


@dataclass(frozen=True, slots=True)
class _Context:
    """What every task needs besides its units: the same for the whole run, given to each worker once."""

    known: load.KnownReleases
    source: str | None
    declared: Source | None
    registry: dict[str, Source]


def _stage(context: _Context, units: Sequence[Unit]) -> Staged:
    """Read, classify and extract the units of one task (in a worker process, or in the run's own)."""
    stager = Stager()
    for unit in units:
        for item in _read(unit, context.source):
            if isinstance(item, Reject):
                stager.reject(item)
                continue
            status = context.known.status(item.release_id, item.content_hash)
            if status == UNCHANGED:
                stager.release(item, status, ())
                continue
            found = extract_release(item, context.declared, context.registry)
            side = publishing_side(item, context.declared, context.registry)
            stager.release(item, status, found, publisher_row(item, side, found))
    return stager.build()


def _read(unit: Unit, source: str | None) -> Iterable[Release | Reject]:
    if isinstance(unit, Reject):
        return (unit,)
    if isinstance(unit, tuple):
        ref, part = unit
        return read_jsonl_part(Path(ref), ref, source, part)
    return read_file(Path(unit), unit, source)


_WORKER_CONTEXT: _Context | None = None


def _init_worker(parent: int, context: _Context) -> None:
    """Worker initializer: keep the run's context (inherited by fork, not copied per task)."""
    global _WORKER_CONTEXT
    _die_with_parent(parent)
    _WORKER_CONTEXT = context


def _stage_job(units: list[Unit]) -> Staged:
    """A task in a worker process: only the units and the resulting Arrow buffers cross over."""
    assert _WORKER_CONTEXT is not None, "worker started without _init_worker"
    return _stage(_WORKER_CONTEXT, units)


def _die_with_parent(parent: int) -> None:
    """Exit when the run that started this worker dies, even by SIGKILL (Linux).

    Without it, the workers of a killed run wait forever on their task queue.
    """
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def default_workers() -> int:
    """One extraction process per core (os.process_cpu_count respects CPU affinity where available)."""
    count = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    return max(1, count)


def _in_order(
    tasks: Iterator[list[Unit]], context: _Context, pool: ProcessPoolExecutor | None, workers: int
) -> Iterator[Staged]:
    """The staged rows of each task, in task order. With a pool, the first tasks are submitted now and a few
    run ahead of the one being loaded."""
    if pool is None:
        return (_stage(context, units) for units in tasks)
    window = 2 * workers + 1  # enough to keep every worker busy; bounds the rows held in memory
    running = deque(pool.submit(_stage_job, units) for units in islice(tasks, window))

    def results() -> Iterator[Staged]:
        while running:
            oldest = running.popleft()
            running.extend(pool.submit(_stage_job, units) for units in islice(tasks, 1))
            yield oldest.result()

    return results()


# --------------------------------------------------------------------------------------------- the run


class _Writer:
    """Takes staged rows in input order, drops what duplicates an earlier input of the run, counts, and writes
    them in groups of whole batches of about GROUP_ITEMS inputs."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, run_id: str, batch_size: int, transactions: bool
    ) -> None:
        self.con, self.run_id, self.batch_size, self.transactions = con, run_id, batch_size, transactions
        self.counts = {"seen": 0, "new": 0, "changed": 0, "unchanged": 0, "rejected": 0, "meetings": 0}
        # release id -> first 64 bits of its content hash: what a duplicate is compared with, in 16-32 bytes
        # per release (etl/store/seen.py), so a run over a million keeps this small.
        self.first = SeenReleases()
        self.pending: list[Staged] = []
        self.written = 0  # inputs before this position are written

    def add(self, staged: Staged) -> None:
        items = staged.items
        dropped: list[int] = []
        rejects: list[tuple[int, Reject]] = []
        first = self.first
        counts = self.counts
        for i, (status, key, digest) in enumerate(
            zip(
                items.column("status").to_pylist(),
                items.column("key").to_pylist(),
                items.column("digest").to_pylist(),
                strict=True,
            )
        ):
            if status == REJECTED:
                counts["rejected"] += 1
                continue
            known = first.get(key)
            if known is None:  # the first time this run reads this release
                first.add(key, digest)
                counts[STATUSES[status]] += 1
                continue
            dropped.append(i)
            if known == digest:
                counts["unchanged"] += 1  # the same release reached twice (e.g. two copies of a file)
            else:
                counts["rejected"] += 1
                rejects.append((i, _duplicate(items.column("source_ref")[i].as_py())))
        if dropped:
            staged = staged.without(dropped).with_rejects(rejects)
        self.pending.append(staged.shifted(counts["seen"]))
        counts["seen"] += len(staged)
        if counts["seen"] - self.written >= GROUP_ITEMS:
            self.flush(counts["seen"] // self.batch_size * self.batch_size)

    def flush(self, end: int | None = None) -> None:
        """Write the pending inputs before position `end` (a batch boundary), or all of them."""
        end = self.counts["seen"] if end is None else end
        if end <= self.written:
            return
        staged, rest = Staged.concat(self.pending).split(end)
        self.pending, self.written = [rest], end
        if self.transactions:
            self.con.execute("BEGIN TRANSACTION")
        self.counts["meetings"] += load.write_staged(
            self.con,
            staged,
            run_id=self.run_id,
            now=datetime.now(),
            version=EXTRACTOR_VERSION,
            batch_size=self.batch_size,
        )
        if self.transactions:
            self.con.execute("COMMIT")


def _duplicate(source_ref: str) -> Reject:
    path, hash_sign, record = source_ref.partition("#")
    return Reject(
        source_ref,
        path,
        record if hash_sign else None,
        "the same release (same URL or id) as another input read earlier in this run, "
        "but with different content: keep one copy of it in the inputs",
    )


def run(
    inputs: Sequence[str],
    db_path: Path,
    *,
    source: str | None = None,
    batch_size: int = BATCH_SIZE,
    workers: int | None = None,
    lock_timeout: float | None = None,
) -> RunSummary:
    """Ingest, extract and load `inputs` into the warehouse at `db_path`, publishing atomically.

    Reading and extraction run in `workers` processes (default: one per core) when there is more than one
    task's worth of input. The whole run holds the warehouse's writer lock (etl/store/lock.py), waiting for it up to
    `lock_timeout` seconds (default: $DIPLOMACY_LOCK_TIMEOUT, else 600 s); a run that times out fails with
    RunFailed.
    """
    registry = load_registry()
    declared = declared_source(source, registry)
    lock = contextlib.ExitStack()
    try:
        lock.enter_context(writer_lock(db_path, lock_timeout))
    except LockTimeout as exc:  # nothing was written: not even an audit row, which needs the lock
        raise RunFailed(str(exc)) from exc
    run_id = uuid.uuid4().hex[:16]
    started = datetime.now()
    t0 = time.perf_counter()
    counts = {"seen": 0, "new": 0, "changed": 0, "unchanged": 0, "rejected": 0, "meetings": 0}
    workers = default_workers() if workers is None else max(1, workers)
    pool: ProcessPoolExecutor | None = None
    try:
        with working_copy(db_path) as con:
            _start_run(con, run_id, started, source, inputs)
            context = _Context(load.known_releases(con, EXTRACTOR_VERSION), source, declared, registry)
            tasks = _tasks(list(inputs))
            head = list(islice(tasks, 2))
            if workers > 1 and len(head) > 1:  # one task is read faster here than workers start
                from etl.extract.gazetteer import gazetteer

                gazetteer()  # loaded once here, inherited by forked workers
                pool = ProcessPoolExecutor(
                    max_workers=workers, initializer=_init_worker, initargs=(os.getpid(), context)
                )
            staged_rows = _in_order(chain(head, tasks), context, pool, workers)
            # while the workers start on the first tasks:
            load.write_countries(con, _country_rows())
            load.refresh_search(con)  # a warehouse from before meeting_search, or one that drifted
            load.remember_counterparts(con)
            writer = _Writer(con, run_id, batch_size, transactions=is_file(db_path))
            counts = writer.counts
            for staged in staged_rows:
                writer.add(staged)
            writer.flush()
            load.refresh_search_of_run(con, run_id)
            seconds = time.perf_counter() - t0
            _finish_run(con, run_id, "succeeded", counts, seconds, None)
    except Exception as exc:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
            pool = None
        seconds = time.perf_counter() - t0
        message = f"{type(exc).__name__}: {exc}"
        _record_failure(db_path, run_id, started, source, inputs, counts, seconds, message)
        raise RunFailed(message) from exc
    finally:
        if pool is not None:
            pool.shutdown()
        lock.close()
    return RunSummary(
        run_id=run_id,
        seconds=round(seconds, 3),
        releases_per_second=round(counts["seen"] / seconds, 1) if seconds > 0 else 0.0,
        db=str(db_path),
        **counts,
    )


def declared_source(source: str | None, registry: dict[str, Source] | None = None) -> Source | None:
    """The registry entry that `--source` names (None without one); ValueError listing the known ones."""
    if source is None:
        return None
    registry = load_registry() if registry is None else registry
    declared = (
        registry.get(source) or lookup(registry, source, None) or lookup(load_press_services(), source, None)
    )
    if declared is None:
        raise ValueError(
            f"unknown --source {source!r}: neither a source of the registry ({', '.join(sorted(registry))}) "
            "nor a domain of the directory of press services (etl/data/press_services.tsv)"
        )
    return declared


def _country_rows() -> list[tuple[str, str, str | None, str | None]]:
    from etl.extract.gazetteer import gazetteer

    return [(c.iso3, c.name, c.region, c.subregion) for c in gazetteer().countries.values()]


def _start_run(
    con: duckdb.DuckDBPyConnection, run_id: str, started: datetime, source: str | None, inputs: Sequence[str]
) -> None:
    con.execute(
        "INSERT INTO etl_runs (run_id, started_at, status, source, inputs, extractor_version)"
        " VALUES (?, ?, 'running', ?, ?, ?)",
        [run_id, started, source, list(inputs), EXTRACTOR_VERSION],
    )


def _finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    counts: dict[str, int],
    seconds: float,
    error: str | None,
) -> None:
    con.execute(
        "UPDATE etl_runs SET finished_at = ?, status = ?, seen = ?, new = ?, changed = ?, unchanged = ?,"
        " rejected = ?, meetings = ?, seconds = ?, error = ? WHERE run_id = ?",
        [
            datetime.now(),
            status,
            counts["seen"],
            counts["new"],
            counts["changed"],
            counts["unchanged"],
            counts["rejected"],
            counts["meetings"],
            round(seconds, 3),
            error,
            run_id,
        ],
    )


def _record_failure(
    db_path: Path,
    run_id: str,
    started: datetime,
    source: str | None,
    inputs: Sequence[str],
    counts: dict[str, int],
    seconds: float,
    message: str,
) -> None:
    """Leave an audit row for a failed run in the last good warehouse; its data stays as it was."""
    try:
        with working_copy(db_path) as con:
            _start_run(con, run_id, started, source, inputs)
            _finish_run(con, run_id, "failed", counts, seconds, message)
    except Exception:  # the failure itself is what the operator needs to see; the audit row is best effort
        pass
