"""Scheduled refresh in one long-lived process: a job every interval on APScheduler, one run at a time.

`python -m etl schedule --every 30m --input PATH` runs `etl run` in-process on a BlockingScheduler with an
IntervalTrigger: the first run at once, then one per interval. A run still going when the next is due is
not doubled (max_instances=1) and runs missed meanwhile collapse into one (coalesce). A failed run is
logged, prints its failure line, and the schedule goes on. SIGINT or SIGTERM stops it gracefully: no new
run starts and the current one finishes (a second signal aborts it, which publishes nothing: runs are
atomic); exit status 0. Runs also take the warehouse's writer lock (etl/store/lock.py), so a scheduled run and a
manual or cron one never write at the same time.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_EVERY = re.compile(r"(\d+)\s*([smhd])")
JOB_ID = "refresh"


def parse_every(text: str) -> timedelta:
    """'30s', '15m', '2h', '1d' -> the interval; ValueError (saying what is accepted) otherwise."""
    match = _EVERY.fullmatch(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise ValueError(
            f"{text!r} is not an interval: give a whole number above 0 and a unit, s, m, h or d "
            "(e.g. 30s, 15m, 2h, 1d)"
        )
    return timedelta(seconds=int(match.group(1)) * UNITS[match.group(2)])


def describe(interval: timedelta) -> str:
    seconds = int(interval.total_seconds())
    for unit, size in sorted(UNITS.items(), key=lambda kv: -kv[1]):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{interval.total_seconds():g}s"


class _Stop(BaseException):
    """Raised in the main thread by the SIGINT/SIGTERM handler, to leave the scheduler's loop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def guarded(job: Callable[[], int], interval: timedelta) -> Callable[[], None]:
    """The job as the scheduler runs it: a failure is logged and never stops the schedule."""

    def refresh() -> None:
        try:
            status = job()
        except Exception:
            log.exception("the scheduled run failed; the next one is due in %s", describe(interval))
        else:
            if status != 0:
                log.warning(
                    "the scheduled run failed (exit status %d); the next one is due in %s",
                    status,
                    describe(interval),
                )
        finally:
            sys.stdout.flush()  # one summary line per run, as it happens, even into a pipe

    return refresh


def run_every(interval: timedelta, job: Callable[[], int]) -> int:
    """Run `job` now and then every `interval` until SIGINT or SIGTERM; returns the exit status (0)."""
    scheduler = BlockingScheduler(executors={"default": ThreadPoolExecutor(max_workers=1)}, timezone=UTC)
    scheduler.add_job(
        guarded(job, interval),
        IntervalTrigger(seconds=interval.total_seconds(), timezone=UTC),
        id=JOB_ID,
        name=f"refresh every {describe(interval)}",
        max_instances=1,  # never two runs of this schedule at once
        coalesce=True,  # runs missed while one was going (or the machine slept) become one
        misfire_grace_time=None,  # a late run still runs, however late
        next_run_time=datetime.now(UTC),  # the first run at once
    )
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():
            log.warning(
                "%s again: aborting the current run (it publishes nothing)", signal.Signals(signum).name
            )
            logging.shutdown()
            sys.stdout.flush()
            os._exit(1)
        stopping.set()
        raise _Stop(signum)

    previous: dict[signal.Signals, Any] = {}  # the handlers to restore (a callable, SIG_DFL or SIG_IGN)
    try:
        try:
            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, on_signal)
            log.info(
                "refreshing every %s, the first run now; stop with SIGINT or SIGTERM", describe(interval)
            )
            scheduler.start()
        except _Stop as stop:
            log.info(
                "%s: stopping; no new run starts, a run in progress finishes (send it again to abort)",
                signal.Signals(stop.signum).name,
            )
        if scheduler.state != STATE_STOPPED:
            scheduler.shutdown(wait=True)  # waits for the run in progress, if any
        log.info("stopped")
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
