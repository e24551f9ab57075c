"""The dashboard tests' warehouse, built once per session by the real ETL from real releases.

Inputs: the golden releases (tests/golden/extraction/), one agency release whose text carries markup and a
script (an ambassador meeting the President: the Engagement page must show it as text), and one broken
file (so the rejects table has a row). A small gold file for some of those releases is evaluated, so the
evaluations table has rows for the Data quality page. A second warehouse of generated one-engagement
releases has more than one page of the Engagements list and dates simple enough to check by hand.
tests/conftest.py imports the fixtures from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from etl.evaluate import evaluate_file
from etl.pipeline import run

GOLDEN = Path(__file__).resolve().parent / "golden" / "extraction"
SCRIPT = '<script>alert("x")</script>'
BOLD = "<b>bold</b>"
MARKUP_FILE = "agency_kg_markup.txt"
MARKUP_RELEASE = f"""\
 date 2025-05-20 11:05
President Sadyr Japarov receives Ambassador of Japan

link: https://kabar.kg/eng/news/president-sadyr-japarov-receives-ambassador-of-japan-markup/

President of the Kyrgyz Republic Sadyr Japarov today (20) received Ambassador Extraordinary and \
Plenipotentiary of Japan to the Kyrgyz Republic Hideo Matsuda {SCRIPT} and {BOLD} words.

The parties discussed cooperation in trade, investment and education.

views: 12

Related
Kyrgyzstan and Japan discuss cooperation
"""
# A record without a body: the ETL rejects it with a reason (Data quality lists it).
BROKEN_FILE = "broken_record.json"
BROKEN_RECORD = {"id": "broken-1", "title": "A record without a body", "published": "2025-01-01"}
PAGED_RELEASES = 56  # more than one page (50 rows) of the Engagements list


@dataclass(frozen=True, slots=True)
class DashboardWarehouse:
    path: Path
    inputs: tuple[Path, ...]
    markup_meeting_id: str  # the engagement of the release with <script> in its text
    gold: Path  # the gold file evaluated into the warehouse


def golden_inputs() -> list[Path]:
    return sorted(
        p for p in GOLDEN.iterdir() if p.suffix in {".json", ".txt"} and not p.name.endswith(".expected.json")
    )


def _gold_lines(inputs: list[Path]) -> list[dict[str, object]]:
    """Gold annotations for a few of the fixture releases, written from what their texts say."""
    by_name = {p.name: p for p in inputs}
    pmd = next(p for p in inputs if p.name.startswith("pmd_2024-10-25"))
    record_id = json.loads(pmd.read_text(encoding="utf-8"))["id"]
    assert "agency_kg_005.txt" in by_name
    return [
        {
            "ref": MARKUP_FILE,
            "diplomatic": True,
            "kinds": ["meeting"],
            "dates": ["2025-05-20"],
            "persons": ["Hideo Matsuda"],
            "countries": ["JPN"],
            "orgs": [],
            "topics": ["trade_economy", "investment_finance", "education_youth"],
        },
        {
            "ref": "agency_kg_005.txt",
            "diplomatic": True,
            "kinds": ["visit", "meeting"],
            "dates": ["2025-04-14", "2025-04-15"],
            "persons": ["Recep Tayyip Erdoğan", "Numan Kurtulmuş"],
            "countries": ["TUR"],
            "orgs": [],
            "topics": ["trade_economy", "investment_finance", "security_defense", "education_youth"],
        },
        {
            "ref": f"{pmd.name}#{record_id}",
            "diplomatic": True,
            "kinds": ["meeting"],
            "dates": ["2024-10-25"],
            "persons": [],
            "countries": ["DEU", "FRA", "ITA", "NLD", "ROU"],
            "orgs": ["European Union|EU"],
            "topics": ["trade_economy"],
        },
        {"ref": "not_in_the_warehouse.txt", "diplomatic": False},
    ]


def build(folder: Path) -> DashboardWarehouse:
    """Run the ETL over the fixture releases into folder/diplomacy.duckdb and evaluate a gold file."""
    extra = folder / "inputs"
    extra.mkdir(parents=True)
    markup = extra / MARKUP_FILE
    markup.write_text(MARKUP_RELEASE, encoding="utf-8")
    broken = extra / BROKEN_FILE
    broken.write_text(json.dumps(BROKEN_RECORD), encoding="utf-8")
    inputs = [*golden_inputs(), markup, broken]
    db = folder / "diplomacy.duckdb"
    run([str(p) for p in inputs], db, workers=1)
    gold = folder / "gold.jsonl"
    gold.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in _gold_lines(inputs)),
        encoding="utf-8",
    )
    evaluate_file(gold, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT m.meeting_id FROM meetings AS m JOIN releases AS r USING (release_id) "
            "WHERE r.source_ref = ? ORDER BY m.ordinal",
            [str(markup)],
        ).fetchall()
    finally:
        con.close()
    assert rows, f"the ETL found no engagement in {markup}: the markup tests need one"
    return DashboardWarehouse(db, tuple(inputs), rows[0][0], gold)


def build_paged(folder: Path, n: int = PAGED_RELEASES) -> Path:
    """A warehouse of `n` one-engagement releases (ambassadors received on consecutive days)."""
    inputs = folder / "inputs"
    inputs.mkdir(parents=True)
    countries = ("Japan", "Germany", "France", "Italy", "India", "Egypt", "Brazil", "Canada")
    for i in range(n):
        country = countries[i % len(countries)]
        day = 1 + i % 28
        month = 1 + i // 28
        (inputs / f"agency_paged_{i:03d}.txt").write_text(
            f" date 2025-{month:02d}-{day:02d} 10:00\n"
            f"President Sadyr Japarov receives Ambassador of {country}\n\n"
            f"link: https://kabar.kg/eng/news/paged-{i:03d}/\n\n"
            f"President of the Kyrgyz Republic Sadyr Japarov today ({day}) received Ambassador "
            f"Extraordinary and Plenipotentiary of {country} to the Kyrgyz Republic.\n\n"
            "The parties discussed cooperation in trade.\n\nviews: 3\n",
            encoding="utf-8",
        )
    db = folder / "diplomacy.duckdb"
    run([str(inputs)], db, workers=1)
    return db


@pytest.fixture(scope="session")
def dashboard_wh(tmp_path_factory: pytest.TempPathFactory) -> DashboardWarehouse:
    """The dashboard tests' warehouse (read it only: it is shared by the whole session)."""
    return build(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="session")
def paged_wh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with more engagements than one page of the Engagements list."""
    return build_paged(tmp_path_factory.mktemp("paged"))
