"""The engine picks a release's rules by its language: a second pack, in a folder of its own, is used for
releases in that language with no change to the engine; a language with no pack yields no engagement."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from etl import extract as extraction
from etl.extract import pack, rules
from etl.inputs.readers import iter_inputs
from etl.records import Meeting, Release

MET = "Sadyr Japarov met with Russian President Vladimir Putin in Bishkek today."
PALAVERED = "Sadyr Japarov palavered with Russian President Vladimir Putin in Bishkek today."


@pytest.fixture
def packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A packs folder with `en/` and `xx/`: English with "met" no trigger and "palavered" one."""
    root = tmp_path / "packs"
    shutil.copytree(pack.PACKS / "en", root / "en")
    shutil.copytree(pack.PACKS / "en", root / "xx")
    triggers = root / "xx" / "triggers.toml"
    text = triggers.read_text(encoding="utf-8")
    assert text.count("'\\bmet\\b',") == 1
    text = text.replace("'\\bmet\\b',", "'\\bpalavered\\b',").replace(
        "    'met',", "    'met',\n    'palaver',"
    )
    triggers.write_text(text, encoding="utf-8")
    monkeypatch.setattr(pack, "PACKS", root)
    return root


def _extract(tmp_path: Path, body: str, lang: str | None) -> tuple[Meeting, ...]:
    path = tmp_path / "release.txt"
    path.write_text(f" date 2025-09-01 10:00\nPresident of Kyrgyzstan\n\n{body}\n", encoding="utf-8")
    (release,) = [r for r in iter_inputs([str(path)]) if isinstance(r, Release)]
    return extraction.extract(dataclasses.replace(release, lang=lang))


def _partners(meetings: tuple[Meeting, ...]) -> set[str]:
    return {c.name for m in meetings for c in m.counterparts}


def test_a_second_pack_is_used_for_its_language(tmp_path: Path, packs: Path) -> None:
    assert extraction.languages() == ("en", "xx")
    assert "Vladimir Putin" in _partners(_extract(tmp_path, MET, "en"))
    assert not _extract(tmp_path, PALAVERED, "en")
    assert "Vladimir Putin" in _partners(_extract(tmp_path, PALAVERED, "xx"))
    assert not _extract(tmp_path, MET, "xx")
    assert rules.rules_for("xx") is rules.rules_for("XX")  # compiled once per language


def test_no_language_or_an_undetermined_one_reads_as_english(tmp_path: Path) -> None:
    for lang in (None, "", "und", "en-GB", "EN"):
        assert extraction.has_pack(lang)
        assert "Vladimir Putin" in _partners(_extract(tmp_path, MET, lang))
    assert rules.rules_for(None) is rules.rules_for("en")


def test_a_language_with_no_pack_yields_no_engagement(tmp_path: Path) -> None:
    assert not extraction.has_pack("ru") and "ru" not in extraction.languages()
    assert rules.rules_for("ru") is None
    assert _extract(tmp_path, MET, "ru") == ()
