"""warehouse/: numbered migrations applied once and recorded, and the schema CONTRACT §3 promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse import connect, migrate
from warehouse.migrate import available

CONTRACT_FACT_COLUMNS = [
    ("meeting_id", "VARCHAR"),
    ("release_id", "VARCHAR"),
    ("source", "VARCHAR"),
    ("source_ref", "VARCHAR"),
    ("url", "VARCHAR"),
    ("title", "VARCHAR"),
    ("published_at", "TIMESTAMP"),
    ("meeting_date", "DATE"),
    ("kind", "VARCHAR"),
    ("principal", "VARCHAR"),
    ("principal_country", "VARCHAR"),
    ("location", "VARCHAR"),
    ("counterpart_persons", "VARCHAR[]"),
    ("counterpart_countries", "VARCHAR[]"),
    ("counterpart_orgs", "VARCHAR[]"),
    ("topics", "VARCHAR[]"),
]
DEFAULT_TOPICS = {
    "trade_economy", "investment_finance", "energy_water", "transport_logistics", "security_defense",
    "counter_terrorism", "crime_drugs", "multilateral", "education_youth", "culture_humanitarian", "health",
    "agriculture_food", "migration_labour", "borders_territory", "environment_climate", "digital_technology",
}  # fmt: skip
CONTRACT_TABLES = {
    "releases": {"release_id", "source", "source_ref", "url", "published_at", "title", "body", "lang",
                 "content_hash", "ingested_at"},
    "meetings": {"meeting_id", "release_id", "meeting_date", "kind", "principal", "principal_country",
                 "location"},
    "counterparts": {"counterpart_id", "kind", "name", "country_iso3"},
    "meeting_counterparts": {"meeting_id", "counterpart_id", "role"},
    "topics": {"topic_id", "label", "parent"},
    "meeting_topics": {"meeting_id", "topic_id"},
    "etl_runs": {"run_id", "started_at", "finished_at", "status", "error"},
    "rejects": {"source_ref", "path", "record_ref", "reason", "rejected_at"},
}  # fmt: skip


def test_migrations_apply_once_and_are_recorded(fresh_db: Path) -> None:
    expected = [(m.version, m.name) for m in available()]
    assert [v for v, _ in expected] == sorted(v for v, _ in expected) and expected
    con = connect(fresh_db)
    try:
        assert migrate(con) == [v for v, _ in expected]
        assert (
            con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall() == expected
        )
        assert migrate(con) == []
    finally:
        con.close()
    con = connect(fresh_db)  # and after reopening the file
    try:
        assert migrate(con) == []
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchone() == (len(expected),)
    finally:
        con.close()


def test_only_the_missing_migrations_are_applied(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_first.sql").write_text("CREATE TABLE first (x INTEGER);")
    con = connect(tmp_path / "w.duckdb")
    try:
        assert migrate(con, folder) == [1]
        (folder / "002_second.sql").write_text(
            "CREATE TABLE second (x INTEGER); INSERT INTO second VALUES (1);"
        )
        assert migrate(con, folder) == [2]
        assert migrate(con, folder) == []
        assert con.execute("SELECT count(*) FROM second").fetchone() == (1,)
    finally:
        con.close()


def test_a_failing_migration_is_rolled_back_and_not_recorded(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_good.sql").write_text("CREATE TABLE good (x INTEGER);")
    (folder / "002_broken.sql").write_text("CREATE TABLE half (x INTEGER);\nSELEC broken;")
    con = connect(tmp_path / "w.duckdb")
    try:
        with pytest.raises(Exception, match=r"(?i)syntax"):
            migrate(con, folder)
        assert con.execute("SELECT version FROM schema_migrations").fetchall() == [(1,)]
        tables = {
            row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        assert "good" in tables
        assert "half" not in tables
    finally:
        con.close()


@pytest.mark.parametrize(
    "bad_name",
    ["1_core.sql", "001-core.sql", "001_Core.sql", "core.sql", "001_core tables.sql", "0001_core.sql"],
)
def test_a_badly_named_migration_raises(tmp_path: Path, bad_name: str) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_ok.sql").write_text("CREATE TABLE ok (x INTEGER);")
    (folder / bad_name).write_text("CREATE TABLE bad (x INTEGER);")
    con = connect(tmp_path / "w.duckdb")
    try:
        with pytest.raises(ValueError, match="NNN_snake_case"):
            migrate(con, folder)
    finally:
        con.close()


def test_duplicate_migration_versions_raise(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_one.sql").write_text("SELECT 1;")
    (folder / "001_other.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match="duplicate"):
        available(folder)


@pytest.fixture
def migrated(fresh_db: Path) -> Path:
    con = connect(fresh_db)
    try:
        migrate(con)
    finally:
        con.close()
    return fresh_db


def test_meeting_facts_has_exactly_the_contract_columns(migrated: Path) -> None:
    con = connect(migrated, read_only=True)
    try:
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_name = 'meeting_facts' ORDER BY ordinal_position"
        ).fetchall()
    finally:
        con.close()
    assert columns == CONTRACT_FACT_COLUMNS


@pytest.mark.parametrize(("table", "columns"), sorted(CONTRACT_TABLES.items()))
def test_contract_tables_have_their_columns(migrated: Path, table: str, columns: set[str]) -> None:
    con = connect(migrated, read_only=True)
    try:
        found = {
            row[0]
            for row in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
        }
    finally:
        con.close()
    assert columns <= found, f"{table} lacks {sorted(columns - found)}"


def test_default_topics_exist(migrated: Path) -> None:
    con = connect(migrated, read_only=True)
    try:
        rows = con.execute("SELECT topic_id, label, parent FROM topics").fetchall()
    finally:
        con.close()
    ids = {topic_id for topic_id, _, _ in rows}
    assert ids >= DEFAULT_TOPICS, f"missing {sorted(DEFAULT_TOPICS - ids)}"
    assert all(label for _, label, _ in rows)
    assert {parent for _, _, parent in rows if parent} <= ids
