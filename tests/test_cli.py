"""The command line of CONTRACT §2, as scheduled jobs call it: `python -m etl ...` in a subprocess."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.cli import build_parser
from etl.evaluate import FIELDS
from etl.pipeline import run
from warehouse import connect

CliRunner = Callable[..., tuple[int, str, str]]

REPO = Path(__file__).resolve().parents[1]
SEED_NAME = "000_5fff5019fe881499.txt"
SUMMARY_KEYS = {"seen", "new", "changed", "unchanged", "rejected", "meetings", "seconds"}


def commands() -> list[str]:
    """Every subcommand the parser defines, found by introspection so a new one cannot be missed."""
    parser = build_parser()
    found = [
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    ]
    assert found, "the parser defines no subcommands"
    return sorted(found)


def summary_of(stdout: str) -> dict[str, object]:
    """The machine-readable summary: exactly one line on stdout, one JSON object."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one summary line on stdout, got {stdout!r}"
    summary = json.loads(lines[0])
    assert isinstance(summary, dict)
    return summary


# --------------------------------------------------------------------------------------------- help


@pytest.mark.parametrize("command", [None, *commands()])
def test_help_exits_0_and_ends_in_an_example(cli: CliRunner, command: str | None) -> None:
    code, out, err = cli(*([command] if command else []), "--help")
    assert code == 0, err
    assert "usage:" in out
    assert "example" in out.lower()


def test_every_command_is_documented_in_the_readme() -> None:
    readme = REPO / "README.md"
    assert readme.is_file(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    undocumented = [c for c in commands() if f"python -m etl {c}" not in text]
    assert undocumented == [], f"README.md does not show `python -m etl <command>` for {undocumented}"


# --------------------------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "COMMAND"),
        (["frobnicate"], "frobnicate"),
        (["run"], "--input"),
        (["run", "--input", "data/sample/seed", "--bogus"], "--bogus"),
        (["evaluate"], "--gold"),
    ],
)
def test_usage_errors_exit_2(cli: CliRunner, fresh_db: Path, args: list[str], message: str) -> None:
    code, out, err = cli(*args, env={"DIPLOMACY_DB": str(fresh_db)})
    assert code == 2
    assert "usage:" in err and message in err
    assert out == ""
    assert not fresh_db.exists()


def test_an_unknown_source_is_a_usage_error(cli: CliRunner, sample_dir: Path, fresh_db: Path) -> None:
    code, out, err = cli(
        "run", "--input", sample_dir / "seed", "--source", "no-such-source", "--db", fresh_db
    )
    assert code == 2
    assert "no-such-source" in err
    assert out == ""
    assert not fresh_db.exists(), "a usage error must not create a warehouse"


# --------------------------------------------------------------------------------------------- run


def test_run_prints_one_json_summary_line(cli: CliRunner, sample_dir: Path, fresh_db: Path) -> None:
    code, out, err = cli("run", "--input", sample_dir / "seed", "--db", fresh_db)
    assert code == 0, err
    summary = summary_of(out)
    assert set(summary) >= SUMMARY_KEYS
    assert {k: summary[k] for k in SUMMARY_KEYS - {"seconds"}} == {
        "seen": 1, "new": 1, "changed": 0, "unchanged": 0, "rejected": 0, "meetings": 1,
    }  # fmt: skip
    assert isinstance(summary["seconds"], int | float) and summary["seconds"] >= 0
    assert err.strip(), "people get a readable line on stderr"

    code, out, err = cli("run", "--input", sample_dir / "seed", "--db", fresh_db)
    assert code == 0, err
    again = summary_of(out)
    assert (again["seen"], again["new"], again["changed"], again["unchanged"]) == (1, 0, 0, 1)


def test_the_rejected_count_is_printed_and_the_run_still_succeeds(
    cli: CliRunner, tmp_path: Path, fresh_db: Path
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "notes.pdf").write_bytes(b"%PDF-1.4")
    (inputs / "empty.txt").write_bytes(b"")
    code, out, err = cli("run", "--input", inputs, "--db", fresh_db)
    assert code == 0, err
    summary = summary_of(out)
    assert (summary["seen"], summary["rejected"], summary["new"]) == (2, 2, 0)
    assert "2 rejected" in err


def test_diplomacy_db_is_honoured_without_db(cli: CliRunner, sample_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "from_env" / "w.duckdb"
    code, out, err = cli("run", "--input", sample_dir / "seed", env={"DIPLOMACY_DB": str(target)})
    assert code == 0, err
    assert summary_of(out)["db"] == str(target)
    con = connect(target, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM releases").fetchone() == (1,)
    finally:
        con.close()


def test_db_wins_over_diplomacy_db(cli: CliRunner, sample_dir: Path, tmp_path: Path, fresh_db: Path) -> None:
    ignored = tmp_path / "ignored.duckdb"
    code, _, err = cli(
        "run", "--input", sample_dir / "seed", "--db", fresh_db, env={"DIPLOMACY_DB": str(ignored)}
    )
    assert code == 0, err
    assert fresh_db.exists()
    assert not ignored.exists()


# --------------------------------------------------------------------------------------------- evaluate


def test_evaluate_on_a_missing_warehouse_exits_2(cli: CliRunner, tmp_path: Path, fresh_db: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"ref": f"seed/{SEED_NAME}", "diplomatic": True}) + "\n")
    code, _, err = cli("evaluate", "--gold", gold, "--db", fresh_db)
    assert code == 2
    assert str(fresh_db) in err and "run" in err
    assert not fresh_db.exists()


@pytest.fixture
def seed_db(sample_dir: Path, fresh_db: Path) -> Path:
    run([str(sample_dir / "seed")], fresh_db)
    return fresh_db


def test_evaluate_with_a_malformed_gold_file_exits_2(cli: CliRunner, tmp_path: Path, seed_db: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"ref": "a.txt", "diplomatic": true}\n{"ref": "b.txt", \n')
    code, _, err = cli("evaluate", "--gold", gold, "--db", seed_db)
    assert code == 2
    assert ":2" in err  # names the line


def test_evaluate_prints_every_field_and_records_the_scores(
    cli: CliRunner, tmp_path: Path, seed_db: Path
) -> None:
    gold = tmp_path / "gold.jsonl"
    lines = [
        {"ref": f"seed/{SEED_NAME}", "diplomatic": True, "kinds": ["meeting"], "dates": ["2024-05-17"],
         "persons": ["Vladimir Voronkov"], "countries": [], "orgs": ["United Nations|UN|UNOCT"],
         "topics": ["counter_terrorism", "multilateral"], "publisher": "KGZ"},
        {"ref": "seed/not_loaded.txt", "diplomatic": False},
    ]  # fmt: skip
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, out, err = cli("evaluate", "--gold", gold, "--db", seed_db)
    assert code == 0, err
    header, *rows = [line.split() for line in out.splitlines() if line.strip()]
    by_field = {row[0]: row for row in rows if row and row[0] in FIELDS}
    assert set(by_field) == {
        "diplomatic",
        "kinds",
        "dates",
        "persons",
        "countries",
        "orgs",
        "topics",
        "publisher",
    }
    columns = next(row for row in [header, *rows] if "precision" in row)
    assert {"precision", "recall", "f1"} <= set(columns)
    assert all(len(row) >= 4 for row in by_field.values())

    con = connect(seed_db, read_only=True)
    try:
        recorded = con.execute(
            "SELECT field, releases, missing, tp, fp, fn, precision, recall, f1 FROM evaluations"
            " ORDER BY field"
        ).fetchall()
        [(evaluations,)] = con.execute("SELECT count(DISTINCT evaluation_id) FROM evaluations").fetchall()
    finally:
        con.close()
    assert evaluations == 1
    assert sorted(row[0] for row in recorded) == sorted(FIELDS)
    assert all((row[1], row[2]) == (2, 1) for row in recorded)
    diplomatic = next(row for row in recorded if row[0] == "diplomatic")
    assert diplomatic[3:6] == (1, 0, 0)  # the seed is detected; the missing line is a true negative
    publisher = next(row for row in recorded if row[0] == "publisher")
    assert publisher[3:6] == (1, 0, 0)  # no registry entry, no URL: inferred from the principal, Kyrgyzstan
