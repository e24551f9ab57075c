"""The extractor's accuracy on the annotated dev gold set may not fall below the agreed floor.

Builds a real warehouse from the bundled sample and the agency-format gold releases, scores it with
`etl evaluate`'s scorer against tests/gold/pmd_dev.jsonl + tests/gold/agency.jsonl together, and checks
each field's F1. The floors are the acceptance targets of the pipeline issue; raise them as the extractor
improves, never lower them to make a change pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.evaluate import evaluate_file, read_gold
from etl.pipeline import run

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold"
FLOORS = {
    "diplomatic": 0.95,
    "countries": 0.92,
    "persons": 0.90,
    "orgs": 0.80,
    "kinds": 0.88,
    "dates": 0.95,
    "topics": 0.70,
}


def _report(folder: Path, inputs: list[Path], lines: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    """A real warehouse of `inputs`, scored against the gold `lines` (nothing recorded)."""
    db = folder / "warehouse.duckdb"
    run([str(path) for path in inputs], db)
    gold = folder / "gold.jsonl"
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return evaluate_file(gold, db, record=False)


@pytest.fixture(scope="module")
def dev_report(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    lines = [*read_gold(GOLD / "pmd_dev.jsonl"), *read_gold(GOLD / "agency.jsonl")]
    return _report(tmp_path_factory.mktemp("accuracy"), [REPO / "data" / "sample", GOLD / "agency"], lines)


def test_every_gold_release_is_in_the_warehouse(dev_report) -> None:  # type: ignore[no-untyped-def]
    assert dev_report.missing == []
    assert dev_report.releases >= 170


@pytest.mark.parametrize(("field", "floor"), sorted(FLOORS.items()))
def test_field_f1_is_above_the_floor(dev_report, field: str, floor: float) -> None:  # type: ignore[no-untyped-def]
    f1 = dev_report.scores[field].f1
    assert f1 is not None and f1 >= floor, f"{field}: F1 {f1} is below the floor {floor}"


# Releases of press services the rules were not built on whose texts the repository may hold (US federal
# works, UK Open Government Licence, EU reuse: tests/gold/world/README.md): a floor under the rules for other
# publishers. Set a little under the scores of the session that added them; raise, never lower.
WORLD_FLOORS = {
    "diplomatic": 0.95,
    "countries": 0.86,
    "persons": 0.88,
    "kinds": 0.87,
    "dates": 0.82,
    "topics": 0.75,
    "publisher": 0.98,
}


@pytest.fixture(scope="module")
def world_report(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    texts = GOLD / "world" / "texts"
    bundled = {
        f"{path.stem}.jsonl#{json.loads(line)['id']}"
        for path in texts.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    lines = [
        g for path in sorted((GOLD / "world").glob("*.jsonl")) for g in read_gold(path) if g["ref"] in bundled
    ]
    assert len(lines) == len(bundled) >= 25
    return _report(tmp_path_factory.mktemp("world"), [texts], lines)


@pytest.mark.parametrize(("field", "floor"), sorted(WORLD_FLOORS.items()))
def test_world_field_f1_is_above_the_floor(world_report, field: str, floor: float) -> None:  # type: ignore[no-untyped-def]
    assert world_report.missing == []
    f1 = world_report.scores[field].f1
    assert f1 is not None and f1 >= floor, f"{field}: F1 {f1} is below the floor {floor}"


def test_gold_files_are_well_formed() -> None:
    allowed = {
        "ref",
        "diplomatic",
        "kinds",
        "dates",
        "persons",
        "countries",
        "orgs",
        "topics",
        "note",
        "publisher",
    }
    kinds = {"meeting", "phone_call", "video_conference", "visit", "summit", "credentials", "correspondence"}
    for path in sorted([*GOLD.glob("*.jsonl"), *(GOLD / "world").glob("*.jsonl")]):
        refs = set()
        for line in read_gold(path):
            assert set(line) <= allowed, f"{path.name}: unknown keys {set(line) - allowed}"
            assert line["ref"] not in refs, f"{path.name}: {line['ref']} twice"
            refs.add(line["ref"])
            assert set(line.get("kinds", [])) <= kinds  # type: ignore[arg-type]
            if not line["diplomatic"]:
                assert not any(
                    line.get(k) for k in ("kinds", "dates", "persons", "countries", "orgs", "topics")
                )
            for country in line.get("countries", []):  # type: ignore[attr-defined]
                assert len(country) == 3 and country.isupper()
            publisher = line.get("publisher", "LKA")
            assert isinstance(publisher, str) and len(publisher) == 3 and publisher.isupper(), path.name
