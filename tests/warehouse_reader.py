"""A reader process for tests/test_refresh.py: queries the published warehouse the way the dashboard does.

`python tests/warehouse_reader.py DB MAX_SECONDS` (with the repository on PYTHONPATH) opens a fresh
in-memory connection and ATTACHes the warehouse READ_ONLY for every read (dashboard/db.py), and takes in one
query the counts that must belong to one snapshot. It prints `ready` after its first read, reads until its
standard input closes (or MAX_SECONDS pass), then prints one JSON object: reads, errors, and how often each
snapshot (releases, meetings, meeting_counterparts, etl_runs) was seen.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from dashboard.db import reader

SNAPSHOT = (
    "SELECT (SELECT count(*) FROM w.releases), (SELECT count(*) FROM w.meetings),"
    " (SELECT count(*) FROM w.meeting_counterparts), (SELECT count(*) FROM w.etl_runs)"
)


def main(path: Path, max_seconds: float) -> None:
    stop = threading.Event()

    def until_stdin_closes() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=until_stdin_closes, daemon=True).start()
    deadline = time.monotonic() + max_seconds
    reads = 0
    errors: list[str] = []
    seen: Counter[tuple[int, ...]] = Counter()
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            with reader(path) as con:
                row = con.execute(SNAPSHOT).fetchone()
            assert row is not None
            seen[tuple(row)] += 1
        except Exception as exc:  # every failure is the finding: count it, keep reading
            errors.append(f"{type(exc).__name__}: {exc}")
        reads += 1
        if reads == 1:
            print("ready", flush=True)
    print(
        json.dumps(
            {
                "reads": reads,
                "errors": errors[:20],
                "error_count": len(errors),
                "timed_out": not stop.is_set(),
                "seen": [[*snapshot, n] for snapshot, n in sorted(seen.items())],
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), float(sys.argv[2]))
