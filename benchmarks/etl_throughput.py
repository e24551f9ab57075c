"""ETL throughput and peak memory at several sizes, against the I/O floor measured in the same run.

For each size: generate the releases (benchmarks/generate_releases.py), measure the floor (reading,
parsing and hashing every input: `etl.readers.iter_inputs` alone), then the full `python -m etl run` into
a new warehouse in a subprocess (its peak RSS from the kernel). Prints releases/s for both and the ratio.

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
import time
from pathlib import Path

from benchmarks.generate_releases import generate
from etl.readers import iter_inputs
from etl.records import Release

ROOT = Path(__file__).resolve().parent.parent


def io_floor(folder: Path) -> tuple[int, float]:
    """Releases read per second when only reading, parsing and hashing (the ETL's lower bound)."""
    t0 = time.perf_counter()
    n = sum(1 for item in iter_inputs([str(folder)]) if isinstance(item, Release))
    return n, time.perf_counter() - t0


def etl_run(folder: Path, db: Path, workers: int | None) -> tuple[dict[str, object], float, float]:
    """(summary, wall seconds, peak RSS in MB) of one `etl run` in its own process."""
    db.unlink(missing_ok=True)
    command = [sys.executable, "-m", "etl", "run", "--input", str(folder), "--db", str(db)]
    if workers:
        command += ["--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    # ru_maxrss of children is the largest of any child so far: sizes run in increasing order
    return summary, seconds, max(peak_kb, before) / 1024


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
        f"{'releases':>10} {'floor rel/s':>12} {'etl rel/s':>10} {'etl/floor':>9} {'peak RSS MB':>12} {'meetings':>9}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        folder = args.work / f"releases-{size}"
        if not folder.exists():
            generate(size, folder)
        n, floor_seconds = io_floor(folder)
        summary, seconds, rss = etl_run(folder, args.work / f"w-{size}.duckdb", args.workers)
        floor_rate, etl_rate = n / floor_seconds, int(summary["seen"]) / seconds  # type: ignore[call-overload]
        print(
            f"{size:>10} {floor_rate:>12.0f} {etl_rate:>10.0f} {etl_rate / floor_rate:>9.2f} {rss:>12.0f} "
            f"{summary['meetings']:>9}"
        )
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            (args.work / f"w-{size}.duckdb").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
