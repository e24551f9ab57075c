"""Rules of `etl.extract` that the golden releases exercise only in passing, on agency-format releases."""

from __future__ import annotations

from pathlib import Path

from etl.extract import extract
from etl.inputs.readers import iter_inputs
from etl.records import Meeting, Release
from etl.sources import load_registry, lookup


def _extract(tmp_path: Path, title: str, body: str, day: str = "2025-09-01") -> tuple[Meeting, ...]:
    path = tmp_path / "release.txt"
    path.write_text(f" date {day} 10:00\n{title}\n\n{body}\n", encoding="utf-8")
    (release,) = [r for r in iter_inputs([str(path)]) if isinstance(r, Release)]
    return extract(release, lookup(load_registry(), release.source, release.url))


def test_leaders_listed_as_attending_a_summit_are_not_its_counterparts(tmp_path: Path) -> None:
    meetings = _extract(
        tmp_path,
        "Sadyr Japarov addresses SCO summit in Tianjin",
        "President of Kyrgyzstan Sadyr Japarov addressed the meeting of the Council of Heads of State of the "
        "Shanghai Cooperation Organization (SCO) in Tianjin.\n\n"
        "The summit was attended by Russian President Vladimir Putin, Uzbek President Shavkat Mirziyoyev "
        "and Indian Prime Minister Narendra Modi.\n\n"
        "In his speech, the head of state spoke of regional security.",
    )
    summits = [m for m in meetings if m.kind == "summit"]
    assert summits
    names = {c.name for m in summits for c in m.counterparts}
    assert "Shanghai Cooperation Organisation" in names
    assert not names & {
        "Vladimir Putin",
        "Shavkat Mirziyoyev",
        "Narendra Modi",
        "Russia",
        "Uzbekistan",
        "India",
    }


def test_a_meeting_on_the_sidelines_of_a_summit_keeps_its_partner(tmp_path: Path) -> None:
    meetings = _extract(
        tmp_path,
        "Sadyr Japarov meets Vladimir Putin in Tianjin",
        "President of Kyrgyzstan Sadyr Japarov addressed the meeting of the Council of Heads of State of the "
        "Shanghai Cooperation Organization (SCO) in Tianjin.\n\n"
        "On the sidelines of the summit, Sadyr Japarov met with Russian President Vladimir Putin. "
        "They discussed trade and energy.",
    )
    assert "Vladimir Putin" in {c.name for m in meetings for c in m.counterparts}


def test_the_countries_of_an_officials_portfolio_are_not_counterparts(tmp_path: Path) -> None:
    meetings = _extract(
        tmp_path,
        "Sadyr Japarov receives World Bank delegation",
        "President of Kyrgyzstan Sadyr Japarov today met with a World Bank delegation in Bishkek. They "
        "discussed energy projects.\n\n"
        "The meeting was attended by Tatiana Proskuryakova, Regional Country Director – Kazakhstan, Tajikistan "
        "and Kyrgyzstan – World Bank Group.",
    )
    counterparts = {c.key for m in meetings for c in m.counterparts}
    assert any(k.startswith("org:world_bank") for k in counterparts)
    assert not counterparts & {"country:KAZ", "country:TJK"}


def test_an_organizations_official_visit_is_a_visit(tmp_path: Path) -> None:
    meetings = _extract(
        tmp_path,
        "Sadyr Japarov meets EU delegation",
        "President of Kyrgyzstan Sadyr Japarov today met with the Managing Director of the European External "
        "Action Service John Smith.\n\n"
        "The meeting was held at the presidential residence with President Sadyr Japarov, as part of an "
        "official visit by a European Union delegation to Kyrgyzstan.",
    )
    assert {"meeting", "visit"} <= {m.kind for m in meetings}


def _keys(meetings: tuple[Meeting, ...]) -> set[str]:
    return {c.key for m in meetings for c in m.counterparts}


def test_a_headlines_leader_named_with_his_countrys_office_is_ours(tmp_path: Path) -> None:
    """ "Kyrgyz President Japarov meets Emperor Naruhito of Japan", as a foreign agency files it from Bishkek:
    Japarov is ours (named by family name and office), Naruhito and Japan are the counterparts."""
    meetings = _extract(
        tmp_path,
        "Kyrgyz President Japarov meets Emperor Naruhito of Japan",
        "BISHKEK, Kyrgyzstan, December 19. President of the Kyrgyz Republic Sadyr Japarov met with Emperor "
        "Naruhito of Japan today as part of his official visit to the country and discussed expanding "
        "cultural cooperation.",
        day="2025-12-19",
    )
    keys = _keys(meetings)
    assert "country:JPN" in keys
    assert "country:KGZ" not in keys
    assert {m.principal for m in meetings} == {"Sadyr Japarov"}


def test_the_leader_a_headline_speaks_to_is_the_guest(tmp_path: Path) -> None:
    meetings = _extract(
        tmp_path,
        "Kyrgyzstan ready to assist Russian investors, Cabinet Chairman tells Mishustin",
        "MOSCOW, October 21. /TASS/. The authorities of Kyrgyzstan are ready to assist Russian investors, "
        "Chairman of the Cabinet of Ministers of Kyrgyzstan Akylbek Japarov said at a meeting with Russian "
        "Prime Minister Mikhail Mishustin in Moscow.",
        day="2024-10-21",
    )
    keys = _keys(meetings)
    assert "country:RUS" in keys
    assert "country:KGZ" not in keys
