"""etl.extract.pack: the English pack loads, validates, and gives the engine's patterns exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.extract import pack


def test_the_english_pack_loads() -> None:
    en = pack.load("en")
    assert en.lang == "en"
    assert [kind for kind, _ in en.kinds] == [
        "credentials",
        "phone_call",
        "video_conference",
        "correspondence",
        "summit",
        "meeting",
    ]
    assert "en" in pack.languages()
    assert en.lexicon.is_file()


def test_an_unknown_key_is_refused(tmp_path: Path) -> None:
    shutil.copytree(pack.PACKS / "en", tmp_path / "xx")
    path = tmp_path / "xx" / "negatives.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\nsurprise = ['x']\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown \\['surprise'\\]"):
        pack.load("xx", tmp_path)


def test_a_pattern_that_does_not_compile_is_refused(tmp_path: Path) -> None:
    shutil.copytree(pack.PACKS / "en", tmp_path / "xx")
    path = tmp_path / "xx" / "negatives.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("plan = [", "plan = [\n    '(unclosed',", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="plan"):
        pack.load("xx", tmp_path)


def test_a_missing_pack_is_refused() -> None:
    with pytest.raises(ValueError, match="no language pack"):
        pack.load("zz")


def test_a_date_pattern_that_does_not_compile_is_refused(tmp_path: Path) -> None:
    shutil.copytree(pack.PACKS / "en", tmp_path / "xx")
    path = tmp_path / "xx" / "dates.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("weekday = '", "weekday = '(unclosed", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"dates\.toml patterns\.weekday"):
        pack.load("xx", tmp_path)


def test_a_missing_date_file_is_refused(tmp_path: Path) -> None:
    shutil.copytree(pack.PACKS / "en", tmp_path / "xx")
    (tmp_path / "xx" / "dates.toml").unlink()
    with pytest.raises(ValueError, match=r"xx/dates\.toml: missing"):
        pack.load("xx", tmp_path)


def test_a_missing_phrase_key_is_refused(tmp_path: Path) -> None:
    shutil.copytree(pack.PACKS / "en", tmp_path / "xx")
    path = tmp_path / "xx" / "parties.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nhost_before = ", "\nhost_before_renamed = ", 1), encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"xx/parties\.toml: missing \['host_before'\], unknown \['host_before_renamed'\]"
    ):
        pack.load("xx", tmp_path)


def test_a_phrase_that_does_not_compile_is_refused(tmp_path: Path) -> None:
    shutil.copytree(pack.PACKS / "en", tmp_path / "xx")
    path = tmp_path / "xx" / "parties.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nhost_before = '", "\nhost_before = '(unclosed", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"xx/parties\.toml host_before: missing \)"):
        pack.load("xx", tmp_path)


def test_a_phrase_refers_only_to_patterns_of_its_file(tmp_path: Path) -> None:
    shutil.copytree(pack.PACKS / "en", tmp_path / "xx")
    path = tmp_path / "xx" / "parties.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("(?:${party_nouns})", "(?:${party_noun})", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"parties\.toml party_after: no pattern 'party_noun'"):
        pack.load("xx", tmp_path)


def test_party_before_read_backwards_matches_as_forwards() -> None:
    """The pattern built backwards from the pack's words answers as its forward form would."""
    import re

    from etl.extract.positions import _party_before
    from etl.extract.rules import rules_for

    rules = rules_for("en")
    assert rules is not None
    en = pack.load("en").parties
    forward = re.compile(
        rf"(?:{en.source('party_nouns')}),?\s+(?:\w+\s+){{0,4}}?(?:of|from)\s+(?:the\s+)?"
        rf"(?:Government\s+of\s+(?:the\s+)?)?$"
    )
    for before in (
        "talks with the Ambassador of ",
        "a delegation from the Government of the ",
        "the Prime Minister, who came from ",
        "the new Vice-President of the ",
        "the Ambassador to ",
        "relations of ",
        "Deputy High Commissioner of the",
    ):
        assert _party_before(rules.parties, before) == bool(forward.search(before)), before


def test_a_pack_file_that_is_not_toml_is_refused_with_its_name(tmp_path: Path) -> None:
    shutil.copytree(pack.PACKS / "en", tmp_path / "en")
    (tmp_path / "en" / "triggers.toml").write_text("stems = ['met'\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"en/triggers\.toml: not valid TOML"):
        pack.load("en", tmp_path)
