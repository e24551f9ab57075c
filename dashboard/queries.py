"""Every question the dashboard asks the warehouse: a frozen Filters in, a small DataFrame out.

The SQL lives in dashboard/sql/*.sql; queries that follow the global filters are prefixed with
`WITH filtered AS (<filtered.sql>)`, so one definition of "what the analyst selected" serves every page.
All values are named parameters. Aggregation happens in DuckDB: a page never loads all rows into pandas.
No Streamlit here: the pages cache these calls, the tests call them directly.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard.db import reader
from dashboard.filters import Filters

SQL = Path(__file__).resolve().parent / "sql"
GRAINS = ("day", "week", "month", "quarter", "year")
STACKS = ("kind", "topic", "region", "country")
ORDERS = ("date_desc", "date_asc", "kind", "principal")
COUNTERPART_KINDS = ("person", "organization", "country")


@lru_cache(maxsize=64)
def _sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text(encoding="utf-8")


def _selection(text: bool) -> str:
    """The filtered-engagements query, with the text condition only when there is text to search."""
    return _sql("filtered") + (_sql("filtered_text") if text else "")


@lru_cache(maxsize=128)
def _filtered(name: str, text: bool = False) -> str:
    """The query `name` with the filtered CTE in front (merged into its own WITH list if it has one)."""
    body = "\n".join(line for line in _sql(name).splitlines() if not line.lstrip().startswith("--"))
    head = f"WITH filtered AS (\n{_selection(text)}\n)"
    stripped = body.lstrip()
    if stripped[:4].upper() == "WITH":
        return f"{head},\n{stripped[4:]}"
    return f"{head}\n{body}"


_PARAM = re.compile(r"\$(\w+)")


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pd.DataFrame:
    return con.execute(sql, _only(sql, params)).df()


def _row(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> tuple[Any, ...] | None:
    rows = con.execute(sql, _only(sql, params)).fetchall()
    return rows[0] if rows else None


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Summary:
    engagements: int
    countries: int
    persons: int
    organizations: int


def summary(db: Path, filters: Filters) -> Summary:
    """Headline numbers for the filtered period."""
    with reader(db) as con:
        row = _row(con, _filtered("summary", bool(filters.text)), filters.params())
    assert row is not None
    return Summary(*(int(v or 0) for v in row))


def summary_with_previous(db: Path, filters: Filters) -> tuple[Summary, Summary | None]:
    """The period's numbers and those of the period of the same length just before it."""
    previous = filters.previous_period()
    return summary(db, filters), summary(db, previous) if previous else None


def timeline(db: Path, filters: Filters, grain: str = "month", stack: str = "kind") -> pd.DataFrame:
    """Columns: period (date), group, engagements."""
    params = {
        **filters.params(),
        "grain": _choice(grain, GRAINS, "grain"),
        "stack": _choice(stack, STACKS, "stack"),
    }
    with reader(db) as con:
        return _frame(con, _filtered("timeline", bool(filters.text)), params)


def top_counterparts(db: Path, filters: Filters, kind: str = "country", limit: int = 15) -> pd.DataFrame:
    """Columns: counterpart_id, name, kind, country_iso3, engagements, first_contact, last_contact."""
    params = {**filters.params(), "kind": _choice(kind, COUNTERPART_KINDS, "kind"), "limit": int(limit)}
    with reader(db) as con:
        return _frame(con, _filtered("top_counterparts", bool(filters.text)), params)


def topic_mix(db: Path, filters: Filters) -> pd.DataFrame:
    """Columns: topic_id, label, engagements."""
    with reader(db) as con:
        return _frame(con, _filtered("topic_mix", bool(filters.text)), filters.params())


def count(db: Path, filters: Filters) -> int:
    with reader(db) as con:
        row = _row(con, _filtered("count", bool(filters.text)), filters.params())
    return int(row[0]) if row else 0


def engagements(
    db: Path, filters: Filters, order: str = "date_desc", page: int = 1, page_size: int = 50
) -> pd.DataFrame:
    """One page of the list. Columns: meeting_id, meeting_date, kind, principal, source, title, url,
    counterparts, countries, topics."""
    params = {
        **filters.params(),
        "order": _choice(order, ORDERS, "order"),
        "limit": int(page_size),
        "offset": max(0, (int(page) - 1) * int(page_size)),
    }
    with reader(db) as con:
        return _frame(con, _filtered("engagements", bool(filters.text)), params)


@dataclass(frozen=True)
class Engagement:
    """One engagement, its release text, and the evidence behind each field."""

    meeting: dict[str, object]
    counterparts: pd.DataFrame
    topics: pd.DataFrame
    siblings: pd.DataFrame  # every engagement of the same release, this one included


def engagement(db: Path, meeting_id: str) -> Engagement | None:
    with reader(db) as con:
        rows = _frame(con, _sql("engagement"), {"meeting_id": meeting_id})
        if rows.empty:
            return None
        meeting = rows.iloc[0].to_dict()
        return Engagement(
            meeting=meeting,
            counterparts=_frame(con, _sql("engagement_counterparts"), {"meeting_id": meeting_id}),
            topics=_frame(con, _sql("engagement_topics"), {"meeting_id": meeting_id}),
            siblings=_frame(con, _sql("release_meetings"), {"release_id": meeting["release_id"]}),
        )


@dataclass(frozen=True)
class Profile:
    """A counterpart's record within the filters."""

    kind: str
    name: str
    engagements: pd.DataFrame  # meeting_id, meeting_date, kind, principal, source
    topics: pd.DataFrame  # topic_id, engagements
    first_contact: date | None
    last_contact: date | None
    longest_gap_days: int | None
    gap_from: date | None
    gap_to: date | None


def counterpart_profile(db: Path, filters: Filters, kind: str, name: str) -> Profile:
    """Timeline, kinds, topics, principals, first and last contact and the longest gap between contacts."""
    params = {**filters.params(), "kind": _choice(kind, COUNTERPART_KINDS, "kind"), "name": name}
    with reader(db) as con:
        hits = _filtered("counterpart_hits", bool(filters.text))
        con.execute(f"CREATE TEMP TABLE hits AS {hits}", _only(hits, params))
        rows = _frame(con, _sql("counterpart_timeline"), {})
        topics = _frame(con, _sql("counterpart_topics"), {})
    days = (
        sorted({d.date() if hasattr(d, "date") else d for d in rows["meeting_date"]})
        if not rows.empty
        else []
    )
    gap, gap_from, gap_to = None, None, None
    for a, b in itertools.pairwise(days):
        if gap is None or (b - a).days > gap:
            gap, gap_from, gap_to = (b - a).days, a, b
    return Profile(
        kind=kind,
        name=name,
        engagements=rows,
        topics=topics,
        first_contact=days[0] if days else None,
        last_contact=days[-1] if days else None,
        longest_gap_days=gap,
        gap_from=gap_from,
        gap_to=gap_to,
    )


_OVERVIEW_COLUMNS = "meeting_date, kind, countries, regions, orgs, persons, topics"


@dataclass(frozen=True)
class Overview:
    """Everything the Overview page shows, computed on one connection from one evaluation of the filters."""

    summary: Summary
    previous: Summary | None
    timeline: pd.DataFrame  # period, group, engagements
    top: pd.DataFrame  # counterpart_id, name, kind, country_iso3, engagements, first_contact, last_contact
    topic_mix: pd.DataFrame  # topic_id, label, engagements


def overview(
    db: Path, filters: Filters, grain: str = "month", stack: str = "kind", top_limit: int = 15
) -> Overview:
    """The Overview page's five outputs from one connection (the statements: overview_plan)."""
    plan = overview_plan(filters, grain, stack, top_limit)
    with reader(db) as con:
        for sql in plan.setup:
            con.execute(sql, _only(sql, plan.params))
        row = _row(con, plan.summary, plan.params)
        assert row is not None
        now = Summary(*(int(v or 0) for v in row))
        result_timeline = _frame(con, plan.timeline, plan.params)
        top = _frame(con, plan.top, plan.params)
        mix = _frame(con, plan.topic_mix, plan.params)
        previous = None
        if plan.previous is not None:
            prow = _row(con, plan.previous, plan.previous_params)
            previous = Summary(*(int(v or 0) for v in prow)) if prow else None
    return Overview(now, previous, result_timeline, top, mix)


@dataclass(frozen=True)
class OverviewPlan:
    """The statements behind the Overview, in order: setup, then one query per output."""

    params: dict[str, object]
    setup: tuple[str, ...]
    summary: str
    timeline: str
    top: str
    topic_mix: str
    previous: str | None
    previous_params: dict[str, object]


def overview_plan(
    filters: Filters, grain: str = "month", stack: str = "kind", top_limit: int = 15
) -> OverviewPlan:
    """How the Overview shares one selection between its charts, chosen by what the filters cost.

    Measured at a million engagements (benchmarks/dashboard_queries.py): filters on plain columns (period,
    kind, source, principal) cost 2-5 ms to re-evaluate, less than copying their selection, so each chart
    re-applies them; with no filter at all the charts read meeting_search in place; filters on the lists
    (topics, counterparts, regions) or on the text cost 10-35 ms per evaluation and select few rows, so
    they are evaluated once into a temporary table of the columns the charts read.
    """
    params = {
        **filters.params(),
        "grain": _choice(grain, GRAINS, "grain"),
        "stack": _choice(stack, STACKS, "stack"),
        "limit": int(top_limit),
    }
    setup: list[str] = []
    if filters == Filters():
        setup.append(f"CREATE TEMP VIEW filtered AS {_sql('everything')}")
        query = _sql
    elif _on_lists(filters):
        selection = f"SELECT {_OVERVIEW_COLUMNS} FROM ({_selection(bool(filters.text))})"
        setup.append(f"CREATE TEMP TABLE filtered AS {selection}")
        query = _sql
    else:
        query = _filtered
    setup.append(f"CREATE TEMP TABLE totals AS {query('counterpart_totals')}")
    previous = filters.previous_period()
    return OverviewPlan(
        params=params,
        setup=tuple(setup),
        summary=query("summary_from_totals"),
        timeline=query("timeline"),
        top=_sql("top_from_totals"),
        topic_mix=query("topic_mix"),
        previous=_filtered("summary", bool(previous.text)) if previous else None,
        previous_params=previous.params() if previous else {},
    )


def _on_lists(filters: Filters) -> bool:
    """Whether the filters test the list columns or the text (the costly predicates, see overview_plan)."""
    return bool(
        filters.topics
        or filters.countries
        or filters.regions
        or filters.orgs
        or filters.persons
        or filters.text
    )


def _only(sql: str, params: dict[str, object]) -> dict[str, object]:
    wanted = set(_PARAM.findall(sql))
    return {k: v for k, v in params.items() if k in wanted}


def topic_drivers(db: Path, filters: Filters, topic: str, limit: int = 15) -> pd.DataFrame:
    """Columns: name, kind, country_iso3, engagements."""
    with reader(db) as con:
        return _frame(
            con,
            _filtered("topic_drivers", bool(filters.text)),
            {**filters.params(), "topic": topic, "limit": int(limit)},
        )


def map_counts(db: Path, filters: Filters) -> pd.DataFrame:
    """Columns: iso3, country, region, engagements."""
    with reader(db) as con:
        return _frame(con, _filtered("map", bool(filters.text)), filters.params())


def network(db: Path, filters: Filters, limit: int = 60, with_countries: bool = False) -> pd.DataFrame:
    """Columns: principal, counterpart, counterpart_kind, country_iso3, engagements."""
    params = {**filters.params(), "limit": int(limit), "with_countries": bool(with_countries)}
    with reader(db) as con:
        return _frame(con, _filtered("network", bool(filters.text)), params)


def export_rows(db: Path, filters: Filters) -> pd.DataFrame:
    """The filtered meeting_facts rows, exactly as the view defines them."""
    with reader(db) as con:
        return _frame(con, _filtered("export", bool(filters.text)), filters.params())


def runs(db: Path, limit: int = 20) -> pd.DataFrame:
    with reader(db) as con:
        return _frame(con, _sql("runs"), {"limit": int(limit)})


def rejects(db: Path, limit: int = 200) -> pd.DataFrame:
    with reader(db) as con:
        return _frame(con, _sql("rejects"), {"limit": int(limit)})


def evaluation(db: Path) -> pd.DataFrame:
    with reader(db) as con:
        return _frame(con, _sql("evaluation"), {})


@dataclass(frozen=True, slots=True)
class Freshness:
    refreshed_at: datetime | None
    last_status: str | None
    last_started_at: datetime | None
    last_error: str | None
    extractor_version: str | None


def freshness(db: Path) -> Freshness:
    with reader(db) as con:
        row = con.execute(_sql("freshness")).fetchone()
    assert row is not None
    return Freshness(*row)


def options(db: Path) -> pd.DataFrame:
    """Columns: field, value, label, n: what each filter widget can offer."""
    with reader(db) as con:
        return _frame(con, _sql("options"), {})


def date_bounds(db: Path) -> tuple[date | None, date | None]:
    with reader(db) as con:
        row = con.execute(_sql("date_bounds")).fetchone()
    return (row[0], row[1]) if row else (None, None)
