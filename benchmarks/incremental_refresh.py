"""An incremental refresh: 100 new releases into a warehouse of a million, timed until published.

The warehouse comes from benchmarks/make_warehouse.py (a million releases and meetings with the real
schema); the 100 releases from benchmarks/generate_releases.py. The run is the real `python -m etl run`
in a subprocess: copy of the published file, load, checkpoint, atomic swap. The baseline in the same run
is copying the published file alone (the floor of a copy-then-swap publication).

    python -m benchmarks.incremental_refresh --meetings 1000000
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate_releases import generate
from benchmarks.make_warehouse import build

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--db", type=Path, default=None, help="a warehouse to copy from (left unchanged)")
    args = parser.parse_args()
    base = args.db or Path(f"/tmp/chancery-bench-{args.meetings}.duckdb")
    if not base.exists():
        print(
            f"building {args.meetings} meetings into {base}: {build(base, args.meetings):.1f} s", flush=True
        )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "w.duckdb"
        shutil.copyfile(base, db)
        inbox = generate(args.new, work / "inbox", seed=99)
        t0 = time.perf_counter()
        shutil.copyfile(db, work / "copy.duckdb")
        copy_seconds = time.perf_counter() - t0
        (work / "copy.duckdb").unlink()
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "etl", "run", "--input", str(inbox), "--db", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - t0
        summary = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"warehouse: {args.meetings} meetings, {base.stat().st_size / 1e6:.0f} MB")
    print(
        f"refresh of {summary['new']} new releases until published: {seconds:.2f} s "
        f"(the run's own clock: {summary['seconds']:.2f} s); target 10 s -> {'met' if seconds <= 10 else 'MISSED'}"
    )
    print(
        f"baseline, copying the published file alone: {copy_seconds:.2f} s; ratio {seconds / copy_seconds:.1f}x"
    )


if __name__ == "__main__":
    main()
