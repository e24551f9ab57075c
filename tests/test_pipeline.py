"""The real pipeline into a real DuckDB file: idempotent, incremental, tolerant of bad inputs, atomic."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import etl.pipeline
from etl.extract.names import fold
from etl.inputs.readers import read_file
from etl.pipeline import RunFailed, RunSummary, run
from etl.records import Meeting, Release
from etl.sources import Source, load_registry
from warehouse import connect

CliRunner = Callable[..., tuple[int, str, str]]

SEED_NAME = "000_5fff5019fe881499.txt"
# Every table a run writes (etl_runs aside: it gains a row per run by design).
DATA_TABLES = (
    "releases", "meetings", "counterparts", "meeting_counterparts", "meeting_topics", "rejects", "topics",
)  # fmt: skip
# Columns that say when and by which run a row was written, not what it holds.
RUN_COLUMNS = {"ingested_at", "run_id"}

JAPAN = (
    "President Anura Kumara Dissanayake met the Ambassador of Japan to Sri Lanka, Akio Isomata, at the "
    "Presidential Secretariat today (02). The discussion focused on economic cooperation, investment and the "
    "development of the port of Colombo."
)
INDIA = (
    "President Anura Kumara Dissanayake met the High Commissioner of India to Sri Lanka, Santosh Jha, at the "
    "Presidential Secretariat today (02). They discussed energy cooperation and fisheries."
)
VIETNAM = (
    "President Anura Kumara Dissanayake received the Prime Minister of Vietnam, Pham Minh Chinh, at the "
    "Presidential Secretariat today (02). The leaders discussed trade and agriculture."
)


def record(rid: str, body: str, published: str = "2024-10-02") -> dict[str, str]:
    return {
        "id": rid,
        "url": f"https://pmd.gov.lk/news/{rid}/",
        "published": published,
        "title": f"President meets a visitor ({rid})",
        "body": body,
        "lang": "en",
        "source": "pmd.gov.lk",
    }


def write_jsonl(path: Path, *lines: dict[str, str] | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8"
    )
    return path


def dump(
    db: Path, tables: tuple[str, ...] = DATA_TABLES, exclude: frozenset[str] = frozenset()
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, without the columns that only say which run wrote it."""
    con = connect(db, read_only=True)
    try:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            columns = [
                name
                for (name,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                    " ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if name not in RUN_COLUMNS | exclude
            ]
            assert columns, f"no table {table}"
            # identifiers come from the constants above, never from input
            out[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def counts(db: Path) -> dict[str, int]:
    return {table: len(rows) for table, rows in dump(db).items()}


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def assert_no_orphans(db: Path) -> None:
    orphans = {
        "meeting_counterparts without meeting": "SELECT count(*) FROM meeting_counterparts"
        " WHERE meeting_id NOT IN (SELECT meeting_id FROM meetings)",
        "meeting_counterparts without counterpart": "SELECT count(*) FROM meeting_counterparts"
        " WHERE counterpart_id NOT IN (SELECT counterpart_id FROM counterparts)",
        "meeting_topics without meeting": "SELECT count(*) FROM meeting_topics"
        " WHERE meeting_id NOT IN (SELECT meeting_id FROM meetings)",
        "meetings without release": "SELECT count(*) FROM meetings WHERE release_id NOT IN"
        " (SELECT release_id FROM releases)",
    }
    found = {name: query(db, sql)[0][0] for name, sql in orphans.items()}
    assert found == dict.fromkeys(orphans, 0)


def only_release(path: Path, record_id: str) -> Release:
    [release] = [
        r for r in read_file(path, str(path)) if isinstance(r, Release) and r.source_ref.endswith(record_id)
    ]
    return release


# --------------------------------------------------------------------------------------------- idempotence


@pytest.fixture(scope="module")
def sample_warehouse(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    """The bundled sample, loaded once for the module; tests that write copy it first."""
    db = tmp_path_factory.mktemp("sample") / "diplomacy.duckdb"
    return db, run([str(sample_dir)], db, workers=2)  # the sample is big enough for worker processes


def test_a_second_run_on_the_sample_changes_no_row(
    sample_dir: Path, sample_warehouse: tuple[Path, RunSummary], fresh_db: Path
) -> None:
    built, first = sample_warehouse
    assert first.new > 0 and first.meetings > 0
    shutil.copyfile(built, fresh_db)
    before = dump(fresh_db)
    second = run([str(sample_dir)], fresh_db)
    assert (second.new, second.changed, second.meetings) == (0, 0, 0)
    assert second.unchanged == first.new
    assert (second.seen, second.rejected) == (first.seen, first.rejected)
    after = dump(fresh_db)
    for table in DATA_TABLES:
        assert len(after[table]) == len(before[table]), table
        assert after[table] == before[table], table
    assert query(fresh_db, "SELECT status, count(*) FROM etl_runs GROUP BY ALL") == [("succeeded", 2)]
    assert_no_orphans(fresh_db)


def test_extraction_in_worker_processes_gives_the_same_warehouse(
    sample_dir: Path, sample_warehouse: tuple[Path, RunSummary], fresh_db: Path
) -> None:
    parallel, _ = sample_warehouse
    serial = run([str(sample_dir)], fresh_db, workers=1)
    assert serial.meetings > 0
    timestamps = frozenset({"rejected_at"})  # two separate loads: only the time of the rejects may differ
    assert dump(fresh_db, exclude=timestamps) == dump(parallel, exclude=timestamps)


def test_every_input_of_the_sample_is_a_release_or_a_reject(
    sample_warehouse: tuple[Path, RunSummary],
) -> None:
    db, summary = sample_warehouse
    [(releases,)] = query(db, "SELECT count(*) FROM releases")
    [(rejects,)] = query(db, "SELECT count(*) FROM rejects")
    assert summary.seen == releases + rejects == summary.new + summary.rejected


def test_evidence_offsets_point_into_the_body(sample_warehouse: tuple[Path, RunSummary]) -> None:
    db, _ = sample_warehouse
    bad = query(
        db,
        "SELECT m.meeting_id, m.evidence_start, m.evidence_end, length(r.body) FROM meetings m"
        " JOIN releases r USING (release_id)"
        " WHERE NOT (0 <= m.evidence_start AND m.evidence_start < m.evidence_end"
        " AND m.evidence_end <= length(r.body))",
    )
    assert bad == []
    assert query(db, "SELECT count(*) FROM meetings")[0][0] > 0


def test_counterpart_countries_never_include_the_principal_country(
    sample_warehouse: tuple[Path, RunSummary],
) -> None:
    db, _ = sample_warehouse
    assert (
        query(
            db,
            "SELECT meeting_id, principal_country, counterpart_countries FROM meeting_facts"
            " WHERE list_contains(counterpart_countries, principal_country)",
        )
        == []
    )


# --------------------------------------------------------------------------------------------- incremental


def test_a_changed_release_replaces_its_old_rows(tmp_path: Path, fresh_db: Path) -> None:
    path = write_jsonl(tmp_path / "in" / "releases.jsonl", record("a", JAPAN), record("b", INDIA))
    first = run([str(path)], fresh_db)
    assert (first.seen, first.new, first.changed, first.unchanged, first.rejected) == (2, 2, 0, 0, 0)
    [(release_a,)] = query(fresh_db, "SELECT release_id FROM releases WHERE source_ref LIKE '%#a'")
    links_sql = (
        "SELECT DISTINCT c.entity_key FROM meetings m JOIN meeting_counterparts mc USING (meeting_id)"
        " JOIN counterparts c USING (counterpart_id) WHERE m.release_id = ?"
    )
    old_links = {key for (key,) in query(fresh_db, links_sql, [release_a])}
    assert old_links, "precondition: the first version of release a yields counterparts"
    untouched_b = query(fresh_db, "SELECT * FROM meeting_facts WHERE source_ref LIKE '%#b' ORDER BY ALL")

    write_jsonl(path, record("a", VIETNAM), record("b", INDIA))
    second = run([str(path)], fresh_db)
    assert (second.seen, second.new, second.changed, second.unchanged, second.rejected) == (2, 0, 1, 1, 0)

    # the release row is the new content, under the same id
    new_a = only_release(path, "#a")
    assert new_a.release_id == release_a
    assert query(fresh_db, "SELECT body, content_hash FROM releases WHERE release_id = ?", [release_a]) == [
        (VIETNAM, new_a.content_hash)
    ]
    # its meetings, counterparts and topics are exactly what the new content yields
    expected: tuple[Meeting, ...] = etl.pipeline.extract_release(new_a, None, load_registry())
    assert query(fresh_db, "SELECT count(*) FROM meetings WHERE release_id = ?", [release_a]) == [
        (len(expected),)
    ]
    new_links = {key for (key,) in query(fresh_db, links_sql, [release_a])}
    assert new_links == {cp.key for m in expected for cp in m.counterparts}
    assert old_links - new_links, "the old counterparts of the changed release must be gone"
    topics = query(
        fresh_db,
        "SELECT DISTINCT t.topic_id FROM meetings m JOIN meeting_topics t USING (meeting_id)"
        " WHERE m.release_id = ?",
        [release_a],
    )
    assert {t for (t,) in topics} == {t.topic_id for m in expected for t in m.topics}
    # the unchanged release is untouched, and nothing points at rows that are gone
    assert (
        query(fresh_db, "SELECT * FROM meeting_facts WHERE source_ref LIKE '%#b' ORDER BY ALL") == untouched_b
    )
    assert query(fresh_db, "SELECT count(*) FROM releases") == [(2,)]
    assert_no_orphans(fresh_db)


def test_the_same_release_twice_in_one_run_is_loaded_once(tmp_path: Path, fresh_db: Path) -> None:
    one = write_jsonl(tmp_path / "one" / "releases.jsonl", record("a", JAPAN))
    two = write_jsonl(tmp_path / "two" / "releases.jsonl", record("a", JAPAN))
    summary = run([str(one), str(two)], fresh_db)
    assert (summary.seen, summary.new, summary.unchanged, summary.rejected) == (2, 1, 1, 0)
    assert query(fresh_db, "SELECT count(*) FROM releases") == [(1,)]


# --------------------------------------------------------------------------------------------- bad inputs


def make_mixed_inputs(root: Path, sample_dir: Path) -> tuple[Path, set[str], set[str]]:
    """A folder of good inputs beside bad ones; returns (folder, good source_refs, bad source_refs)."""
    good, bad = root / "good", root / "bad"
    good.mkdir(parents=True)
    bad.mkdir()
    shutil.copyfile(sample_dir / "seed" / SEED_NAME, good / SEED_NAME)
    write_jsonl(
        bad / "mixed.jsonl",
        record("ok-1", JAPAN),
        '{"id": "broken", "url": "https://pmd.gov.lk/news/broken/", "title": "Half a rec',
        record("ok-2", INDIA),
    )
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b" date 2024-05-17 10:00\nTitle\n\n\x00\x01\x02\x03 body\x00")
    (bad / "invalid_utf8.txt").write_bytes(
        b" date 2024-05-17 10:00\nTitle\n\nThe President met \xff\xfe envoys.\n"
    )
    (bad / "no_date.txt").write_text("President meets envoy\n\nThe President met the envoy of Japan.\n")
    with (bad / "huge.txt").open("wb") as handle:
        handle.write(b" date 2024-05-17 10:00\nA huge release\n\n")
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, instant to write
    (bad / "portal.html").write_text(
        "<html><head><title>Portal</title><script>"
        + "var state = {loading: true};" * 200
        + "</script></head>"
        "<body><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/about'>About</a></nav>"
        "<div id='app'></div><script>window.render('app');</script></body></html>",
        encoding="utf-8",
    )
    (bad / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    goods = {str(good / SEED_NAME), f"{bad / 'mixed.jsonl'}#ok-1", f"{bad / 'mixed.jsonl'}#ok-2"}
    broken = (
        "empty.txt",
        "binary.txt",
        "invalid_utf8.txt",
        "no_date.txt",
        "huge.txt",
        "portal.html",
        "report.pdf",
    )
    bads = {f"{bad / 'mixed.jsonl'}#line2", *(str(bad / name) for name in broken)}
    return root, goods, bads


@pytest.fixture
def mixed_inputs(tmp_path: Path, sample_dir: Path) -> tuple[Path, set[str], set[str]]:
    return make_mixed_inputs(tmp_path / "inputs", sample_dir)


@pytest.fixture(scope="module")
def mixed_warehouse(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(inputs folder, warehouse) for the mixed inputs, loaded once in-process."""
    folder = tmp_path_factory.mktemp("mixed")
    root, _, _ = make_mixed_inputs(folder / "inputs", sample_dir)
    run([str(root)], folder / "diplomacy.duckdb")
    return root, folder / "diplomacy.duckdb"


def test_bad_inputs_are_rejected_and_never_stop_the_good_ones(
    mixed_inputs: tuple[Path, set[str], set[str]], fresh_db: Path, cli: CliRunner
) -> None:
    root, goods, bads = mixed_inputs
    code, out, err = cli("run", "--input", root, "--db", fresh_db)
    assert code == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert (summary["seen"], summary["new"], summary["rejected"]) == (
        len(goods) + len(bads),
        len(goods),
        len(bads),
    )
    assert str(len(bads)) in err and "reject" in err  # the count is printed for people too

    released = {ref for (ref,) in query(fresh_db, "SELECT source_ref FROM releases")}
    assert released == goods
    rejected: dict[str, str] = dict(query(fresh_db, "SELECT source_ref, reason FROM rejects"))
    assert set(rejected) == bads
    assert all(reason and reason.strip() for reason in rejected.values()), rejected
    # nothing disappears: every input the run saw is a release or a reject of that run
    [(run_id, seen)] = query(fresh_db, "SELECT run_id, seen FROM etl_runs WHERE status = 'succeeded'")
    [(loaded,)] = query(fresh_db, "SELECT count(*) FROM releases WHERE run_id = ?", [run_id])
    [(refused,)] = query(fresh_db, "SELECT count(*) FROM rejects WHERE run_id = ?", [run_id])
    assert seen == summary["seen"] == loaded + refused


@pytest.mark.parametrize(
    ("name", "reason_words"),
    [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("invalid_utf8.txt", "utf-8"),
        ("no_date.txt", "date"),
        ("huge.txt", "mb"),
        ("portal.html", "article"),
        ("report.pdf", "unsupported"),
        ("mixed.jsonl#line2", "json"),
    ],
)
def test_reject_reasons_say_what_is_wrong(
    mixed_warehouse: tuple[Path, Path], name: str, reason_words: str
) -> None:
    root, db = mixed_warehouse
    [(reason,)] = query(db, "SELECT reason FROM rejects WHERE source_ref = ?", [str(root / "bad" / name)])
    assert reason_words in reason.lower()


# --------------------------------------------------------------------------------------------- atomic publish


def test_a_failed_run_publishes_nothing(
    tmp_path: Path, sample_dir: Path, fresh_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(
        [
            str(sample_dir / "seed"),
            str(write_jsonl(tmp_path / "first.jsonl", record("a", JAPAN), record("b", INDIA))),
        ],
        fresh_db,
    )
    before = dump(fresh_db)
    assert before["releases"] and before["meetings"]
    later = write_jsonl(
        tmp_path / "later.jsonl",
        *(record(f"n{i}", body) for i, body in enumerate([VIETNAM, JAPAN, INDIA, VIETNAM])),
    )

    real = etl.pipeline.extract_release
    calls: list[str] = []

    def fails_on_the_third(
        release: Release, declared: Source | None, registry: dict[str, Source]
    ) -> tuple[Meeting, ...]:
        calls.append(release.release_id)
        if len(calls) == 3:
            raise RuntimeError("extractor exploded on purpose")
        return real(release, declared, registry)

    monkeypatch.setattr(etl.pipeline, "extract_release", fails_on_the_third)
    with pytest.raises(RunFailed, match="extractor exploded on purpose"):
        run([str(later)], fresh_db)
    assert len(calls) == 3

    assert dump(fresh_db) == before
    assert sorted(os.listdir(fresh_db.parent)) == [fresh_db.name], "temporary files left beside the warehouse"
    runs = query(fresh_db, "SELECT status, error FROM etl_runs ORDER BY started_at")
    assert [status for status, _ in runs] == ["succeeded", "failed"]
    assert "extractor exploded on purpose" in str(runs[1][1])


def test_a_failed_first_run_leaves_no_warehouse_behind(
    tmp_path: Path, fresh_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(
        release: Release, declared: Source | None, registry: dict[str, Source]
    ) -> tuple[Meeting, ...]:
        raise RuntimeError("boom")

    monkeypatch.setattr(etl.pipeline, "extract_release", explode)
    with pytest.raises(RunFailed, match="boom"):
        run([str(write_jsonl(tmp_path / "in.jsonl", record("a", JAPAN)))], fresh_db)
    leftovers = [name for name in os.listdir(fresh_db.parent) if name != fresh_db.name]
    assert leftovers == []
    if fresh_db.exists():  # an audit-only warehouse is acceptable; data is not
        assert counts(fresh_db)["releases"] == 0
        assert query(fresh_db, "SELECT status FROM etl_runs") == [("failed",)]


# --------------------------------------------------------------------------------------------- acceptance


@pytest.fixture
def seed_warehouse(sample_dir: Path, fresh_db: Path) -> Path:
    run([str(sample_dir / "seed")], fresh_db)
    return fresh_db


def test_the_seed_release_yields_its_one_meeting(seed_warehouse: Path) -> None:
    rows = query(
        seed_warehouse,
        "SELECT meeting_date, kind, principal_country, counterpart_persons, counterpart_countries,"
        " counterpart_orgs, topics FROM meeting_facts WHERE source_ref LIKE ?",
        [f"%{SEED_NAME}"],
    )
    assert len(rows) == 1, rows
    day, kind, principal_country, persons, countries, orgs, topics = rows[0]
    assert day == date(2024, 5, 17)
    assert kind == "meeting"
    assert principal_country == "KGZ"
    assert "Vladimir Voronkov" in persons
    assert "United Nations" in orgs
    assert set(topics) >= {"counter_terrorism", "multilateral"}
    assert "KGZ" not in countries


def test_an_absent_sender_of_greetings_is_no_counterpart(seed_warehouse: Path) -> None:
    """Voronkov conveyed greetings from Antonio Guterres: Guterres is not a counterpart anywhere."""
    names = query(seed_warehouse, "SELECT name, aliases FROM counterparts")
    assert names, "precondition: the seed yields counterparts"
    assert [n for n, aliases in names if "guterres" in fold(" ".join([n, *aliases]))] == []
    persons = query(seed_warehouse, "SELECT unnest(counterpart_persons) FROM meeting_facts")
    assert not any("guterres" in fold(str(p)) for (p,) in persons)


# --------------------------------------------------------------------------------------------- corpus


def _cli_run(cli: CliRunner, corpus: str, db: Path) -> dict[str, int]:
    code, out, err = cli("run", "--input", corpus, "--db", db)
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    summary: dict[str, int] = json.loads(lines[0])
    return summary


@pytest.mark.corpus
def test_the_shared_corpus_twice(shared_corpus: Path, fresh_db: Path, cli: CliRunner) -> None:
    corpus = os.path.relpath(shared_corpus, Path(__file__).resolve().parents[1])  # ../shared/corpus
    first = _cli_run(cli, corpus, fresh_db)
    assert first["new"] > 0 and first["meetings"] > 0
    before = counts(fresh_db)
    second = _cli_run(cli, corpus, fresh_db)
    assert (second["new"], second["changed"], second["meetings"]) == (0, 0, 0)
    assert second["unchanged"] == first["new"]
    assert counts(fresh_db) == before
    assert_no_orphans(fresh_db)
