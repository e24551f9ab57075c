"""Every query the Overview, Engagements, Counterparts and Map pages issue, at a million meetings: p50 and p95,
against two baselines measured in the same run on the same file.

- bare DuckDB: the very same SQL the dashboard issues, run on one open connection with fetchall (no
  cursor per query, no parameters filtering, no DataFrame): what our layer adds on top of DuckDB;
- pandas: what most dashboards do: load `meeting_facts` into a DataFrame once, then filter and group it
  in pandas for every view (the load is reported separately; the per-view time excludes it). Each view
  computes the same outputs as the dashboard's function for that page (the Overview: headline numbers,
  the previous period's, the timeline, the top counterparts of each kind and the topic mix).

    python -m benchmarks.dashboard_queries --meetings 1000000
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from functools import partial
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
        plan = queries.overview_plan(f)
        for sql in plan.setup:
            cur.execute(sql, queries._only(sql, plan.params))
        for sql in (plan.summary, plan.timeline, plan.top, plan.topic_mix):
            cur.execute(sql, queries._only(sql, plan.params)).fetchall()
        if plan.previous:
            cur.execute(plan.previous, queries._only(plan.previous, plan.previous_params)).fetchall()
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

    region_of = dict(con.execute("SELECT iso3, region FROM w.countries").fetchall())
    name_of = dict(con.execute("SELECT iso3, name FROM w.countries").fetchall())

    def pandas_filter(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
        if f.kinds:
            frame = frame[frame["kind"].isin(f.kinds)]
        if f.start:
            frame = frame[frame["meeting_date"] >= pd.Timestamp(f.start)]
        if f.end:
            frame = frame[frame["meeting_date"] <= pd.Timestamp(f.end)]
        if f.countries:
            frame = frame[frame["counterpart_countries"].map(lambda cs: any(c in f.countries for c in cs))]
        if f.regions:
            frame = frame[
                frame["counterpart_countries"].map(lambda cs: any(region_of.get(c) in f.regions for c in cs))
            ]
        if f.topics:
            frame = frame[frame["topics"].map(lambda ts: any(t in f.topics for t in ts))]
        return frame

    def pandas_summary(frame: pd.DataFrame) -> tuple[int, ...]:
        columns = ("counterpart_countries", "counterpart_persons", "counterpart_orgs")
        return (len(frame), *(frame[column].explode().nunique() for column in columns))

    def pandas_view(name: str, f: Filters) -> object:
        """The same outputs as the dashboard's function for the page, computed the straightforward way."""
        frame = pandas_filter(facts, f)
        if name.startswith("overview"):
            summary = pandas_summary(frame)
            timeline = frame.groupby([frame["meeting_date"].dt.to_period("M"), "kind"]).size()
            top = []
            for column in ("counterpart_countries", "counterpart_persons", "counterpart_orgs"):
                exploded = frame[["meeting_date", column]].explode(column).dropna()
                per = exploded.groupby(column)["meeting_date"].agg(["count", "min", "max"])
                top.append(per.nlargest(15, "count"))
            mix = frame["topics"].explode().value_counts()
            previous = f.previous_period()
            before = pandas_summary(pandas_filter(facts, previous)) if previous else None
            return summary, timeline, top, mix, before
        if name == "engagements: count":
            return len(frame)
        if name == "engagements: page 1":
            return frame.sort_values("meeting_date", ascending=False).head(50)
        if name == "map":
            counts = frame["counterpart_countries"].explode().dropna().value_counts().rename("engagements")
            table = counts.to_frame()
            table["country"] = table.index.map(name_of)
            table["region"] = table.index.map(region_of)
            return table
        hits = frame[frame["counterpart_countries"].map(lambda cs: "IND" in cs)]
        days = hits["meeting_date"].drop_duplicates().sort_values()
        gap = days.diff().max()
        topics = hits["topics"].explode().value_counts()
        return hits[["meeting_id", "meeting_date", "kind", "principal", "source"]], topics, gap

    for f in FILTERS:  # the peer answers the same question, or its times mean nothing
        ours_summary = queries.overview(db, f).summary
        theirs = pandas_summary(pandas_filter(facts, f))
        if (
            ours_summary.engagements,
            ours_summary.countries,
            ours_summary.persons,
            ours_summary.organizations,
        ) != theirs:
            raise SystemExit(f"pandas peer disagrees for {f}: ours {ours_summary}, pandas {theirs}")

    print(
        f"warehouse: {db}, {args.meetings} meetings; pandas load of meeting_facts: {load_seconds:.1f} s, "
        f"{facts.memory_usage(deep=True).sum() / 1e6:.0f} MB"
    )
    print(
        f"{'query':<24} {'p50 s':>7} {'p95 s':>7} {'bare p50':>9} {'x bare':>7} {'pandas p50':>10} {'pandas/ours':>11}"
    )
    for name, fn in page_queries.items():
        ours = [t for f in FILTERS for t in _timed(partial(fn, f), args.repeat)]
        base = [t for f in FILTERS for t in _timed(partial(bare[name], f), args.repeat)]
        panda = [t for f in FILTERS for t in _timed(partial(pandas_view, name, f), 1)]
        p50 = statistics.median(ours)
        print(
            f"{name:<24} {p50:>7.3f} {_p(ours, 0.95):>7.3f} {statistics.median(base):>9.3f} "
            f"{p50 / statistics.median(base):>7.1f} {statistics.median(panda):>10.3f} "
            f"{statistics.median(panda) / p50:>11.1f}"
        )


if __name__ == "__main__":
    main()
