"""ETL throughput and peak memory at several sizes, against the I/O floor measured in the same run.

For each size: generate the releases (benchmarks/generate_releases.py), measure the floor (reading,
parsing and hashing every input: `etl.inputs.readers.iter_inputs` alone), then the full `python -m etl run` into
a new warehouse in a subprocess. Prints releases/s for both and the ratio, and the run's peak memory: the
largest RSS of any one of its processes (from the kernel), and the peak of the PSS summed over the run and
its worker processes (sampled from /proc every 0.25 s; PSS shares the pages that forked workers have in
common with the run among them, so the sum is what the machine really holds).

    python -m benchmarks.etl_throughput --sizes 10000,100000
    python -m benchmarks.etl_throughput --sizes 1000000 --work /data/bench   # about 15 minutes
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.generate_releases import generate
from etl.inputs.readers import iter_inputs
from etl.records import Release

ROOT = Path(__file__).resolve().parent.parent


def io_floor(folder: Path) -> tuple[int, float]:
    """Releases read per second when only reading, parsing and hashing (the ETL's lower bound).

    The files are read once before, untimed: the run measured next finds them in the page cache too, so
    both are measured warm (a cold floor measured disk reads, and moved from 17,000 to 24,000 releases/s).
    """
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as handle:
                while handle.read(1 << 24):
                    pass
    t0 = time.perf_counter()
    n = sum(1 for item in iter_inputs([str(folder)]) if isinstance(item, Release))
    return n, time.perf_counter() - t0


def _descendants(pid: int) -> list[int]:
    """`pid` and every process under it (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def _pss_mb(pids: list[int]) -> float:
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
        except (OSError, ValueError):
            continue
    return total_kb / 1024


class _TreeMemory(threading.Thread):
    """Samples the summed PSS of a process and its descendants until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            self.peak_mb = max(self.peak_mb, _pss_mb(_descendants(self.pid)))


def etl_run(folder: Path, db: Path, workers: int | None) -> tuple[dict[str, object], float, float, float]:
    """(summary, wall seconds, peak RSS of one process in MB, peak PSS of the process tree in MB) of one
    `etl run` in its own process."""
    db.unlink(missing_ok=True)
    command = [sys.executable, "-m", "etl", "run", "--input", str(folder), "--db", str(db)]
    if workers:
        command += ["--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _TreeMemory(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - t0
    sampler.done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"etl run failed ({process.returncode}):\n{stderr}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(stdout.strip().splitlines()[-1])
    # ru_maxrss of children is the largest of any child so far: sizes run in increasing order
    return summary, seconds, max(peak_kb, before) / 1024, sampler.peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/chancery-bench-etl"))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated releases and warehouses")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; extraction workers: {args.workers or 'one per core'}")
    print(
        f"{'releases':>10} {'floor rel/s':>12} {'etl rel/s':>10} {'etl/floor':>9} {'peak RSS MB':>12} {'tree PSS MB':>12} {'meetings':>9}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        folder = args.work / f"releases-{size}"
        if not folder.exists():
            generate(size, folder)
        n, floor_seconds = io_floor(folder)
        summary, seconds, rss, pss = etl_run(folder, args.work / f"w-{size}.duckdb", args.workers)
        floor_rate, etl_rate = n / floor_seconds, int(summary["seen"]) / seconds  # type: ignore[call-overload]
        print(
            f"{size:>10} {floor_rate:>12.0f} {etl_rate:>10.0f} {etl_rate / floor_rate:>9.2f} {rss:>12.0f} {pss:>12.0f} "
            f"{summary['meetings']:>9}"
        )
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            (args.work / f"w-{size}.duckdb").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
