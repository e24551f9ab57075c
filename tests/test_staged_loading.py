"""Reading in worker processes and writing many batches per statement change nothing in the warehouse.

The run reads .jsonl files in parts, classifies against a snapshot of the warehouse, and writes batches of
inputs in groups (etl/pipeline.py, etl/store/staged.py, etl/store/load.py). These tests hold each of those to what the
straightforward way gives: the whole file read at once, the warehouse queried per release, one upsert per batch.
"""

from __future__ import annotations

import json
import os
import random
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from test_pipeline import DATA_TABLES, dump, query, record, write_jsonl

import etl.pipeline
from etl.inputs.readers import iter_files, jsonl_parts, read_file, read_jsonl_part, release_id_for
from etl.records import CounterpartMention, Meeting, Reject, Release, Span
from etl.store import load
from etl.store.staged import CHANGED, NEW, UNCHANGED, Stager
from warehouse import connect, migrate

# --------------------------------------------------------------------------------------------- reading in parts

LINE = json.dumps(record("r", "President Anura Kumara Dissanayake met the Ambassador of Japan.")) + "\n"
JSONL_FILES = {
    "records": "".join(LINE.replace('"r"', f'"r{i}"') for i in range(40)),
    "bom, blank lines, id-less and broken records": "\ufeff"
    + "\n  \n".join(LINE.replace('"id": "r", ', "") if i % 3 else "{broken" for i in range(30)),
    "blank lines only": "\n \n\t\n" * 200,
    "a record after many blank lines": "\n" * 300 + LINE,
    "binary": LINE * 3 + "\x00\x01" + LINE * 20,
}


@pytest.mark.parametrize("name", sorted(JSONL_FILES))
@pytest.mark.parametrize("size", [1, 50, 333, 4096])
def test_a_jsonl_file_read_in_parts_is_read_as_a_whole(tmp_path: Path, name: str, size: int) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(JSONL_FILES[name], encoding="utf-8")
    parts = jsonl_parts(path, size)
    assert len(parts) > 1 or path.stat().st_size <= size
    assert parts[0][0] == 0 and parts[-1][1] is None
    read = [item for part in parts for item in read_jsonl_part(path, str(path), None, part)]
    assert read == list(read_file(path, str(path)))


def test_an_oversized_line_is_one_reject_in_whichever_part(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(LINE * 5 + "x" * (6 * 1024 * 1024) + "\n" + LINE * 5 + "y" * (6 * 1024 * 1024))
    whole = list(read_file(path, str(path)))
    assert sum(isinstance(item, Reject) for item in whole) == 2
    for size in (100, 1 << 20):
        parts = jsonl_parts(path, size)
        assert [item for part in parts for item in read_jsonl_part(path, str(path), None, part)] == whole


def test_files_are_listed_as_pathlib_spells_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/b/x.txt", "a/y.jsonl", "z.json", ".hidden"):
        (tmp_path / name).write_text("x")
    monkeypatch.chdir(tmp_path)
    for spelling in (
        str(tmp_path),
        f"{tmp_path}/",
        f"{tmp_path}//a/./b",
        ".",
        "./",
        "a",
        "./a//b",
        "a/y.jsonl",
    ):
        root = Path(spelling)
        expected = [str(p) for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")]
        if root.is_file():
            expected = [str(root)]
        assert sorted(iter_files([spelling])) == sorted(expected), spelling


# --------------------------------------------------------------------------------------------- classifying


def test_known_releases_classify_as_the_warehouse_would(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    rows = [
        (release_id_for("same"), "a" * 32, "v1"),
        (release_id_for("edited"), "b" * 32, "v1"),
        (release_id_for("older extractor"), "c" * 32, "v0"),
        ("not-one-of-ours", "d" * 32, "v1"),
        (release_id_for("odd hash"), "not hex", "v1"),
    ]
    for rid, digest, version in rows:
        con.execute(
            "INSERT INTO releases VALUES (?, NULL, 'ref', NULL, now()::TIMESTAMP, 't', 'b', NULL, ?, now()::TIMESTAMP, ?, NULL, NULL, NULL)",
            [rid, digest, version],
        )
    known = load.known_releases(con, "v1")
    assert known.status(release_id_for("same"), "a" * 32) == UNCHANGED
    assert known.status(release_id_for("edited"), "e" * 32) == CHANGED
    assert known.status(release_id_for("older extractor"), "c" * 32) == CHANGED
    assert known.status(release_id_for("odd hash"), "0" * 32) == CHANGED
    assert known.status(release_id_for("never seen"), "a" * 32) == NEW
    assert len(known.ids) == 4  # the id that is not 16 hex digits can be no input's


# --------------------------------------------------------------------------------------------- writing in groups


def _release(i: int) -> Release:
    return Release(
        release_id=release_id_for(f"r{i}"),
        key=f"r{i}",
        source="pmd.gov.lk",
        source_ref=f"in.jsonl#r{i}",
        url=None,
        published_at=datetime(2024, 1, 1),
        title=f"title {i}",
        body="body",
        lang=None,
        content_hash=f"{i:032x}",
    )


def _per_batch_reference(
    mentions: list[list[tuple[str, str, str | None, str]]], batch_size: int, existing: dict[str, Any]
) -> dict[str, tuple[str, str | None, list[str]]]:
    """The counterparts one upsert per batch gives (the loader before it wrote many batches at once)."""
    table = dict(existing)
    for start in range(0, len(mentions), batch_size):
        entities: dict[str, tuple[str, str | None, set[str]]] = {}
        for item in mentions[start : start + batch_size]:
            for key, name, country, alias in item:
                if key not in entities:
                    entities[key] = (name, country, {alias, name})
                else:
                    entities[key][2].add(alias)
        for key, (name, country, aliases) in entities.items():
            old = table.get(key)
            if old is None:
                table[key] = (name, country, sorted(aliases))
                continue
            better = len(name) > len(old[0]) or (len(name) == len(old[0]) and name < old[0])
            table[key] = (name if better else old[0], old[1] or country, sorted(set(old[2]) | aliases))
    return table


@pytest.mark.parametrize("seed", range(16))
def test_counterparts_merge_as_one_upsert_per_batch(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    names = ["Li Wei", "Wei Li", "Li Bo", "Bo Li", "Li Qi", "Qi Li", "Li Yi", "Yi Li"]  # ties in length
    aliases = ["Li", "Mr Li", "the Premier"]
    mentions = [
        [
            (
                f"person:{rng.choice('ab')}",
                rng.choice(names),
                rng.choice([None, None, "CHN", "SGP"]),
                rng.choice(names),
            )
            for _ in range(rng.randint(0, 3))
        ]
        for _ in range(40)
    ]
    existing = {"person:a": ("Li Qiang", None, ["Li Qiang"])} if seed % 2 else {}
    batch_size = rng.randint(1, 12)
    stager = Stager()
    for i, found in enumerate(mentions):
        counterparts = tuple(
            CounterpartMention("person", key, name, country, alias, None, None)
            for key, name, country, alias in found
        )
        meeting = Meeting(0, date(2024, 1, 1), "meeting", None, None, None, Span(0, 4), counterparts)
        stager.release(_release(i), NEW, [meeting] if found else [])
    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    for key, (name, country, aliases) in existing.items():
        con.execute(
            "INSERT INTO counterparts VALUES (?, ?, 'person', ?, ?, ?)",
            [load.stable_id(key), key, name, country, aliases],
        )
    staged = stager.build()
    cut = (
        rng.randint(1, 39) // batch_size * batch_size
    )  # two groups of whole batches: as one upsert per batch
    for part in (staged.without(range(cut, 40)), staged.without(range(cut)).shifted(0)):
        load.write_staged(con, part, run_id="r", now=datetime(2024, 1, 1), version="v", batch_size=batch_size)
    got = {
        key: (name, country, list(aliases))
        for key, name, country, aliases in con.execute(
            "SELECT entity_key, name, country_iso3, aliases FROM counterparts"
        ).fetchall()
    }
    assert got == _per_batch_reference(mentions, batch_size, existing)


def _reject_then_release(path: Path) -> None:
    write_jsonl(
        path,
        {**record("x", "President met the Ambassador of Japan."), "published": ""},  # a reject of #x
        record("a", "President met the Ambassador of India."),
        record("x", "President met the Ambassador of Japan."),  # #x loads
    )


@pytest.mark.parametrize(("batch_size", "kept"), [(1, False), (2, False), (3, True)])
def test_a_reject_is_gone_once_its_input_loads_in_a_later_batch(
    tmp_path: Path, fresh_db: Path, batch_size: int, kept: bool
) -> None:
    path = tmp_path / "in.jsonl"
    _reject_then_release(path)
    etl.pipeline.run([str(path)], fresh_db, batch_size=batch_size)
    rejected = query(fresh_db, "SELECT source_ref FROM rejects")
    assert rejected == ([(f"{path}#x",)] if kept else [])  # within one batch, releases load before rejects


# --------------------------------------------------------------------------------------------- whole runs


def test_how_a_run_is_cut_into_tasks_and_groups_changes_nothing(
    sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small tasks (the sample's .jsonl in many parts), a write per task, workers or not: the same warehouse."""
    extra = write_jsonl(
        tmp_path / "later" / "more.jsonl",
        record("dup", "President met the Ambassador of Japan."),
        record("dup", "President met the Ambassador of India."),  # same id, other content: a reject
        "{broken",
    )
    inputs = [str(sample_dir), str(extra)]
    timestamps = frozenset({"rejected_at"})
    runs = []
    for task_bytes, group_items, workers in ((1 << 20, 20_000, 1), (40_000, 1, 2), (40_000, 150, 1)):
        monkeypatch.setattr(etl.pipeline, "TASK_BYTES", task_bytes)
        monkeypatch.setattr(etl.pipeline, "GROUP_ITEMS", group_items)
        db = tmp_path / f"w-{task_bytes}-{group_items}-{workers}.duckdb"
        summary = etl.pipeline.run(inputs, db, batch_size=50, workers=workers)
        runs.append((summary.seen, summary.new, summary.unchanged, summary.rejected, summary.meetings))
        runs.append(dump(db, (*DATA_TABLES, "meeting_search"), exclude=timestamps))
    assert runs[0] == runs[2] == runs[4]
    assert runs[1] == runs[3] == runs[5]


@pytest.mark.parametrize("search_slice", [load.SEARCH_SLICE, 7])
def test_meeting_search_is_what_its_query_gives_after_a_run(
    sample_dir: Path, fresh_db: Path, monkeypatch: pytest.MonkeyPatch, search_slice: int
) -> None:
    """Counterparts renamed by later batches show their final names there too (one refresh, at the end, in
    slices of SEARCH_SLICE releases: a million at once overran DuckDB's memory limit)."""
    monkeypatch.setattr(load, "SEARCH_SLICE", search_slice)
    etl.pipeline.run([str(sample_dir)], fresh_db, batch_size=50)
    sql = (Path(load.__file__).parents[2] / "warehouse" / "sql" / "search_rows.sql").read_text(
        encoding="utf-8"
    )
    con = connect(fresh_db, read_only=True)
    try:
        con.execute("CREATE TEMP TABLE search_scope AS SELECT release_id FROM releases")
        expected = sorted(con.execute(sql).fetchall())
        assert sorted(con.execute("SELECT * FROM meeting_search").fetchall()) == expected
        assert expected
    finally:
        con.close()


def test_workers_read_the_files(sample_dir: Path, fresh_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With workers, the run's own process reads no input (it only plans parts of the big .jsonl files)."""
    monkeypatch.setattr(etl.pipeline, "TASK_BYTES", 100_000)
    parent = os.getpid()
    real = etl.pipeline._stage
    stagers: set[int] = set()

    def staged_where(context: Any, units: Any) -> Any:
        stagers.add(os.getpid())
        return real(context, units)

    monkeypatch.setattr(etl.pipeline, "_stage", staged_where)  # inherited by the forked workers
    summary = etl.pipeline.run([str(sample_dir)], fresh_db, workers=2)
    assert summary.seen == 600
    assert parent not in stagers  # recorded in the workers only: the set here stays as it was
