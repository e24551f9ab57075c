"""Golden files for extraction: real releases in tests/golden/extraction/ and the expected output beside them.

Each input (`*.json` record or `*.txt` agency text) has `<input>.expected.json`: every engagement with its
kind, date, principal, counterparts, topics and the evidence text. A change here is a change to what
analysts see: regenerate with `pytest tests/test_extraction_golden.py --update-golden` and read the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.extract import extract
from etl.inputs.readers import iter_inputs
from etl.records import Meeting, Release
from etl.sources import load_registry, lookup

GOLDEN = Path(__file__).resolve().parent / "golden" / "extraction"
INPUTS = sorted(
    p for p in GOLDEN.iterdir() if p.suffix in {".json", ".txt"} and not p.name.endswith(".expected.json")
)


def _render(release: Release, meetings: tuple[Meeting, ...]) -> dict[str, object]:
    body = release.body

    def text(start: int, end: int) -> str:
        return body[start:end]

    return {
        "title": release.title,
        "published_at": release.published_at.isoformat(),
        "meetings": [
            {
                "kind": m.kind,
                "date": m.meeting_date.isoformat(),
                "principal": m.principal,
                "principal_country": m.principal_country,
                "location": m.location,
                "evidence": text(m.evidence.start, m.evidence.end),
                "counterparts": [
                    {
                        "kind": c.kind,
                        "name": c.name,
                        "country": c.country_iso3,
                        "role": c.role,
                        "evidence": text(c.evidence.start, c.evidence.end) if c.evidence else None,
                    }
                    for c in m.counterparts
                ],
                "topics": {t.topic_id: text(t.evidence.start, t.evidence.end) for t in m.topics},
            }
            for m in meetings
        ],
    }


def _extract(path: Path) -> dict[str, object]:
    releases = [r for r in iter_inputs([str(path)]) if isinstance(r, Release)]
    assert len(releases) == 1, f"{path.name} should hold exactly one readable release"
    release = releases[0]
    entry = lookup(load_registry(), release.source, release.url)
    return _render(release, extract(release, entry))


def test_there_are_golden_cases() -> None:
    assert len(INPUTS) >= 15


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_extraction_matches_golden_file(path: Path, update_golden: bool) -> None:
    expected_path = path.with_name(path.name + ".expected.json")
    actual = _extract(path)
    if update_golden or not expected_path.exists():
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{expected_path.name} did not exist; written now: review it and commit")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected


def test_evidence_offsets_point_inside_the_body() -> None:
    for path in INPUTS:
        for release in iter_inputs([str(path)]):
            if not isinstance(release, Release):
                continue
            for meeting in extract(release, lookup(load_registry(), release.source, release.url)):
                assert 0 <= meeting.evidence.start < meeting.evidence.end <= len(release.body)
                for topic in meeting.topics:
                    assert meeting.evidence.start <= topic.evidence.start or topic.evidence.end <= len(
                        release.body
                    )
