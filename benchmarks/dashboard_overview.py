"""How long the Overview takes to render after a filter change, in server time, at a million engagements.

Drives the real app with Streamlit's AppTest (the same script run the server does, without a browser)
over a synthetic warehouse (benchmarks/make_warehouse.py), changes one filter at a time, and times each
rerun. Each change is a cache miss (new filters), so it measures the queries and the page, not the cache.
The baseline in the same run is the bare DuckDB aggregate the page's headline number needs.

    python -m benchmarks.dashboard_overview --meetings 1000000
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import duckdb

from benchmarks.make_warehouse import build

CHANGES: list[tuple[str, list[str]]] = [
    ("f_kinds", ["visit"]),
    ("f_kinds", ["meeting", "summit"]),
    ("f_kinds", []),
    ("f_topics", ["energy_water"]),
    ("f_topics", ["trade_economy", "security_defense"]),
    ("f_topics", []),
    ("f_regions", ["Asia"]),
    ("f_countries", ["CHN"]),
    ("f_countries", ["IND", "RUS"]),
    ("f_regions", []),
    ("f_countries", []),
    ("f_sources", ["kabar.kg"]),
    ("f_sources", []),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="reuse (or create) this warehouse")
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/chancery-bench-{args.meetings}.duckdb")
    if not db.exists():
        print(f"building {args.meetings} meetings into {db} ...", flush=True)
        print(f"  {build(db, args.meetings):.1f} s")
    os.environ["DIPLOMACY_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=300
    )
    t0 = time.perf_counter()
    app.run()
    first = time.perf_counter() - t0
    assert not app.exception, app.exception
    timings: list[float] = []
    for key, value in CHANGES:
        t0 = time.perf_counter()
        app.sidebar.multiselect(key=key).set_value(value).run()
        timings.append(time.perf_counter() - t0)
        print(f"  {key}={value}: {timings[-1]:.3f} s", flush=True)
        assert not app.exception, app.exception

    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS w (READ_ONLY)", [str(db)])
    bare: list[float] = []
    for kinds in (["visit"], ["meeting", "summit"], ["phone_call"]):
        t0 = time.perf_counter()
        con.execute("SELECT count(*) FROM w.meetings WHERE list_contains(?, kind)", [kinds]).fetchall()
        bare.append(time.perf_counter() - t0)

    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"warehouse: {db} ({db.stat().st_size / 1e6:.0f} MB, {args.meetings} meetings)")
    print(f"first render (cold caches, filter options included): {first:.2f} s")
    print(
        f"overview after a filter change, {len(timings)} changes: p50 {p50:.3f} s, p95 {p95:.3f} s, max {max(timings):.3f} s"
    )
    print(f"baseline, bare DuckDB count of one filter: median {statistics.median(bare):.3f} s")
    print(
        f"ratio p50 / baseline: {p50 / statistics.median(bare):.1f}x; target: every change under 1 s -> "
        f"{'met' if max(timings) < 1 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
