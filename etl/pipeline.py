"""Strings the stages together: read -> classify -> extract -> load, in batches, into an atomic working copy."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from etl import load
from etl.extract import EXTRACTOR_VERSION, extract
from etl.lock import LockTimeout, writer_lock
from etl.publish import working_copy
from etl.readers import iter_inputs
from etl.records import Meeting, Reject, Release
from etl.sources import Source, load_registry, lookup

BATCH_SIZE = 2000
# Below this many releases to extract in a batch, shipping them to worker processes costs more than it saves.
PARALLEL_MIN = 200


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


def _batches(items: Iterable[Release | Reject], size: int) -> Iterator[list[Release | Reject]]:
    batch: list[Release | Reject] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_release(
    release: Release, declared: Source | None, registry: dict[str, Source]
) -> tuple[Meeting, ...]:
    """Extraction with the source registry applied: the release's own source, else the declared one."""
    entry = lookup(registry, release.source, release.url) or declared
    return extract(release, entry)


def _extract_job(job: tuple[Release, Source | None]) -> tuple[Meeting, ...]:
    """Runs in a worker process: extraction is pure, so only the release and the result cross over."""
    release, declared = job
    return extract_release(release, declared, load_registry())


def _die_with_parent(parent: int) -> None:
    """Worker initializer: exit when the run that started this worker dies, even by SIGKILL (Linux).

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


Extracted = list[tuple[Release, tuple[Meeting, ...]]]


def _start_extraction(
    todo: list[Release], declared: Source | None, registry: dict[str, Source], pool: Executor | None
) -> Callable[[], Extracted]:
    """Submit a batch to the workers now; the returned function waits for its results.

    The main process loads the previous batch while the workers extract this one.
    """
    if pool is None or len(todo) < PARALLEL_MIN:
        done = [(r, extract_release(r, declared, registry)) for r in todo]
        return lambda: done
    results = pool.map(_extract_job, [(r, declared) for r in todo], chunksize=64)
    return lambda: list(zip(todo, results, strict=True))


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

    Extraction runs in `workers` processes (default: one per core) when a batch is large enough.
    The whole run holds the warehouse's writer lock (etl/lock.py), waiting for it up to `lock_timeout`
    seconds (default: $DIPLOMACY_LOCK_TIMEOUT, else 600 s); a run that times out fails with RunFailed.
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
        if workers > 1:
            from etl.gazetteer import gazetteer

            gazetteer()  # loaded once here, inherited by forked workers
            pool = ProcessPoolExecutor(
                max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),)
            )
        with working_copy(db_path) as con:
            _start_run(con, run_id, started, source, inputs)
            load.write_countries(con, _country_rows())
            load.refresh_search(con)  # a warehouse from before meeting_search, or one that drifted
            # release id -> content hash, both as integers: what a duplicate is compared with. Two small ints
            # per release, not the releases, so a run over a million releases keeps this under ~100 MB.
            seen_in_run: dict[int, int] = {}
            pending: tuple[Callable[[], Extracted], list[Reject]] | None = None
            for batch in _batches(iter_inputs(list(inputs), source=source), batch_size):
                rejects: list[Reject] = []
                releases: list[Release] = []
                for item in batch:
                    counts["seen"] += 1
                    if isinstance(item, Reject):
                        rejects.append(item)
                        continue
                    key, digest = int(item.release_id, 16), int(item.content_hash[:16], 16)
                    first = seen_in_run.get(key)
                    if first is None:
                        seen_in_run[key] = digest
                        releases.append(item)
                    elif first == digest:
                        counts["unchanged"] += 1  # the same release reached twice (e.g. two copies of a file)
                    else:
                        rejects.append(
                            Reject(
                                item.source_ref,
                                item.source_ref.split("#", 1)[0],
                                item.source_ref.split("#", 1)[1] if "#" in item.source_ref else None,
                                "the same release (same URL or id) as another input read earlier in this run, "
                                "but with different content: keep one copy of it in the inputs",
                            )
                        )
                status = load.classify(con, releases, EXTRACTOR_VERSION)
                todo = [r for r in releases if status[r.release_id] != "unchanged"]
                for r in releases:
                    counts[status[r.release_id]] += 1
                started_batch = (_start_extraction(todo, declared, registry, pool), rejects)
                if pending is not None:
                    counts["meetings"] += _load_batch(con, *pending, run_id=run_id)
                    counts["rejected"] += len(pending[1])
                pending = started_batch
            if pending is not None:
                counts["meetings"] += _load_batch(con, *pending, run_id=run_id)
                counts["rejected"] += len(pending[1])
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
    declared = registry.get(source) or lookup(registry, source, None)
    if declared is None:
        raise ValueError(f"unknown --source {source!r}; known sources: {', '.join(sorted(registry))}")
    return declared


def _country_rows() -> list[tuple[str, str, str | None, str | None]]:
    from etl.gazetteer import gazetteer

    return [(c.iso3, c.name, c.region, c.subregion) for c in gazetteer().countries.values()]


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    extraction: Callable[[], Extracted],
    rejects: list[Reject],
    *,
    run_id: str,
) -> int:
    """Wait for a batch's extraction and write it; returns the meetings written."""
    extracted = extraction()
    now = datetime.now()
    meetings = load.write_releases(con, extracted, run_id=run_id, now=now, version=EXTRACTOR_VERSION)
    load.write_rejects(con, rejects, run_id=run_id, now=now)
    return meetings


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
