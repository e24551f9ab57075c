"""Every query the Overview, Engagements, Counterparts and Map pages issue, at a million meetings: p50 and p95,
against two baselines measured in the same run on the same file.

- bare DuckDB: the very same SQL the dashboard issues, run on one open connection with fetchall (no
  cursor per query, no parameters filtering, no DataFrame): what our layer adds on top of DuckDB;
- pandas: what most dashboards do: load `meeting_facts` into a DataFrame once, then filter and group it
  in pandas for every view (the load is reported separately; the per-view time excludes it).

    python -m benchmarks.dashboard_queries --meetings 1000000
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from benchmarks.make_warehouse import build
from dashboard import queries
from dashboard.filters import Filters

FILTERS = [
    Filters(),
    Filters(kinds=("visit",)),
    Filters(countries=("CHN",)),
    Filters(start=date(2015, 1, 1), end=date(2016, 12, 31)),
    Filters(topics=("energy_water",), regions=("Asia",)),
    Filters(kinds=("meeting", "summit"), countries=("IND", "RUS")),
]


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/chancery-bench-{args.meetings}.duckdb")
    if not db.exists():
        print(f"building {args.meetings} meetings into {db}: {build(db, args.meetings):.1f} s", flush=True)

    page_queries: dict[str, Callable[[Filters], object]] = {
        "overview (all charts)": lambda f: queries.overview(db, f),
        "engagements: count": lambda f: queries.count(db, f),
        "engagements: page 1": lambda f: queries.engagements(db, f),
        "counterparts: profile": lambda f: queries.counterpart_profile(db, f, "country", "IND"),
        "map": lambda f: queries.map_counts(db, f),
    }
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS w (READ_ONLY)", [str(db)])

    def same_sql(name: str, extra: dict[str, object] | None = None) -> Callable[[Filters], object]:
        """The very statement the dashboard issues, run on one open connection with fetchall: the bare
        DuckDB cost of the same aggregate, without our layer (cursor, parameters, DataFrame)."""

        def run(f: Filters) -> object:
            sql = queries._filtered(name, bool(f.text))
            return con.execute(sql, queries._only(sql, {**f.params(), **(extra or {})})).fetchall()

        return run

    def bare_overview(f: Filters) -> object:
        cur = con.cursor()
        selection = queries._selection(bool(f.text))
        params = {**f.params(), "grain": "month", "stack": "kind", "limit": 15}
        cur.execute(f"CREATE TEMP TABLE filtered AS {selection}", queries._only(selection, params))
        cur.execute(f"CREATE TEMP TABLE totals AS {queries._sql('counterpart_totals')}")
        for name in ("summary_from_totals", "timeline", "top_from_totals", "topic_mix"):
            sql = queries._sql(name)
            cur.execute(sql, queries._only(sql, params)).fetchall()
        cur.close()
        return None

    def bare_profile(f: Filters) -> object:
        cur = con.cursor()
        hits = queries._filtered("counterpart_hits", bool(f.text))
        cur.execute(
            f"CREATE TEMP TABLE hits AS {hits}",
            queries._only(hits, {**f.params(), "kind": "country", "name": "IND"}),
        )
        cur.execute(queries._sql("counterpart_timeline")).fetchall()
        cur.execute(queries._sql("counterpart_topics")).fetchall()
        cur.close()
        return None

    bare: dict[str, Callable[[Filters], object]] = {
        "overview (all charts)": bare_overview,
        "engagements: count": same_sql("count"),
        "engagements: page 1": same_sql("engagements", {"order": "date_desc", "limit": 50, "offset": 0}),
        "counterparts: profile": bare_profile,
        "map": same_sql("map"),
    }
    t0 = time.perf_counter()
    facts = con.execute("SELECT * FROM w.meeting_facts").df()
    load_seconds = time.perf_counter() - t0

    def pandas_view(name: str, f: Filters) -> object:
        frame = facts
        if f.kinds:
            frame = frame[frame["kind"].isin(f.kinds)]
        if f.start and f.end:
            frame = frame[
                (frame["meeting_date"] >= pd.Timestamp(f.start))
                & (frame["meeting_date"] <= pd.Timestamp(f.end))
            ]
        if f.countries:
            frame = frame[frame["counterpart_countries"].map(lambda cs: any(c in f.countries for c in cs))]
        if f.topics:
            frame = frame[frame["topics"].map(lambda ts: any(t in f.topics for t in ts))]
        if name.startswith("overview"):
            return frame.groupby([frame["meeting_date"].dt.to_period("M"), "kind"]).size()
        if name == "engagements: count":
            return len(frame)
        if name == "engagements: page 1":
            return frame.sort_values("meeting_date", ascending=False).head(50)
        if name == "map":
            return frame["counterpart_countries"].explode().value_counts()
        return frame[frame["counterpart_countries"].map(lambda cs: "IND" in cs)]["meeting_date"]

    print(
        f"warehouse: {db}, {args.meetings} meetings; pandas load of meeting_facts: {load_seconds:.1f} s, "
        f"{facts.memory_usage(deep=True).sum() / 1e6:.0f} MB"
    )
    print(
        f"{'query':<24} {'p50 s':>7} {'p95 s':>7} {'bare p50':>9} {'x bare':>7} {'pandas p50':>10} {'pandas/ours':>11}"
    )
    for name, fn in page_queries.items():
        ours = [t for f in FILTERS for t in _timed(lambda f=f, fn=fn: fn(f), args.repeat)]
        base = [t for f in FILTERS for t in _timed(lambda f=f, name=name: bare[name](f), args.repeat)]
        panda = [t for f in FILTERS for t in _timed(lambda f=f, name=name: pandas_view(name, f), 1)]
        p50 = statistics.median(ours)
        print(
            f"{name:<24} {p50:>7.3f} {_p(ours, 0.95):>7.3f} {statistics.median(base):>9.3f} "
            f"{p50 / statistics.median(base):>7.1f} {statistics.median(panda):>10.3f} "
            f"{statistics.median(panda) / p50:>11.1f}"
        )


if __name__ == "__main__":
    main()
