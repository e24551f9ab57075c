"""Rules for press services the extractor was not built on, on their real releases (tests/gold/world/texts/:
US federal works and UK Open Government Licence texts), and on short made-up sentences for the negatives."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest

from etl.extract import extract
from etl.inputs.readers import iter_inputs
from etl.pipeline import extract_release, publishing_side
from etl.records import Meeting, Release
from etl.sources import DOMAIN, load_registry

TEXTS = Path(__file__).resolve().parent / "gold" / "world" / "texts" / "dev_a.jsonl"


@cache
def _releases() -> dict[str, Release]:
    return {r.source_ref.rsplit("#", 1)[1]: r for r in iter_inputs([str(TEXTS)]) if isinstance(r, Release)}


def _meetings(record_id: str) -> tuple[Meeting, ...]:
    return extract_release(_releases()[record_id], None, load_registry())


def _names(meetings: tuple[Meeting, ...], kind: str) -> set[str]:
    return {c.name for m in meetings for c in m.counterparts if c.kind == kind}


def test_a_readout_that_says_spoke_with_is_a_phone_call_with_the_foreign_minister() -> None:
    # state.gov: "On July 21, Secretary Pompeo spoke with Russian Foreign Minister Sergey Lavrov."
    release = _releases()["dev_a-022"]
    side = publishing_side(release, None, load_registry())
    assert side.basis == DOMAIN and side.source is not None and side.source.country == "USA"
    (call,) = _meetings("dev_a-022")
    assert (call.kind, call.meeting_date, call.principal_country) == ("phone_call", date(2018, 7, 21), "USA")
    assert _names((call,), "person") == {"Sergey Lavrov"}
    assert _names((call,), "country") == {"Russia"}


def test_spoke_to_the_president_is_one_call_and_the_leaders_looking_forward_to_a_summit_adds_nothing() -> (
    None
):
    # gov.uk: "The Prime Minister spoke to the President of the United States, Joe Biden, this evening. ...
    # The leaders looked forward to meeting in person at the upcoming G20 Summit in Indonesia."
    meetings = _meetings("dev_a-025")
    assert [m.kind for m in meetings] == ["phone_call"]
    assert _names(meetings, "person") == {"Joe Biden"}
    assert "Indonesia" not in _names(meetings, "country")


def test_the_leaders_welcomed_continues_the_call_it_follows() -> None:
    # gov.uk: "The Prime Minister spoke to Albanian Prime Minister Edi Rama this afternoon. The leaders
    # welcomed the longstanding close partnership ..."
    meetings = _meetings("dev_a-036")
    assert [m.kind for m in meetings] == ["phone_call"]
    assert _names(meetings, "person") == {"Edi Rama"}
    assert {"trade_economy", "security_defense"} <= {t.topic_id for m in meetings for t in m.topics}


def test_a_leader_named_by_title_and_family_name_alone_is_a_counterpart() -> None:
    # gov.uk: "Prime Minister Boris Johnson met President Trump of the United States of America ..."
    meetings = _meetings("dev_a-006")
    assert "Donald Trump" in _names(meetings, "person")
    assert "United States" in _names(meetings, "country")


def test_the_principal_under_another_form_of_the_name_is_not_a_counterpart() -> None:
    # state.gov: "Secretary of State Michael R. Pompeo spoke today with Guyanese President Mohamed Irfaan Ali."
    meetings = _meetings("dev_a-041")
    assert [m.kind for m in meetings] == ["phone_call"]
    assert not any("Pompeo" in name for name in _names(meetings, "person"))
    assert "Guyana" in _names(meetings, "country")


def _made_up(title: str, body: str, day: str = "2024-03-12") -> tuple[Meeting, ...]:
    release = Release(
        release_id="0" * 64,
        key="made-up",
        source=None,
        source_ref="made-up",
        url=None,
        published_at=datetime.fromisoformat(day),
        title=title,
        body=body,
        lang="en",
        content_hash="0" * 64,
    )
    return extract(release, load_registry()["pmd.gov.lk"])


@pytest.mark.parametrize(
    "sentence",
    [
        "The President spoke to reporters after his meeting with the Ambassador of Japan.",
        "The President spoke with journalists about the visit of the Ambassador of Japan.",
    ],
)
def test_speaking_to_the_press_is_no_call(sentence: str) -> None:
    assert all(m.kind != "phone_call" for m in _made_up("The President speaks to the media", sentence))


def test_a_summit_met_on_the_sidelines_of_is_a_venue_not_attended() -> None:
    meetings = _made_up(
        "President meets the Prime Minister of Japan",
        "President Anura Kumara Disanayake met the Prime Minister of Japan, Fumio Kishida, on the sidelines "
        "of the G7 Summit in Hiroshima today (12). They discussed trade and investment.",
    )
    assert "meeting" in {m.kind for m in meetings}
    assert "summit" not in {m.kind for m in meetings}  # a meeting abroad is also a trip (a visit), no summit
    assert not _names(meetings, "organization")
    assert "Japan" in _names(meetings, "country")


def test_a_state_chairing_an_organization_does_not_engage_it() -> None:
    meetings = _made_up(
        "President meets the Foreign Minister of Malaysia",
        "President Anura Kumara Disanayake met the Minister of Foreign Affairs of Malaysia at the Presidential "
        "Secretariat today (12). They exchanged views on Malaysia's priorities as ASEAN Chair.",
    )
    assert meetings
    assert "Association of Southeast Asian Nations" not in _names(meetings, "organization")


def test_the_countries_listed_line_by_line_after_a_credentials_announcement_are_its_counterparts() -> None:
    meetings = _made_up(
        "President to receive Letters of Credence",
        "President Anura Kumara Disanayake will on Thursday, 14 March 2024, receive Letters of Credence from "
        "Heads of Mission-Designate at the Presidential Secretariat.\n\n"
        "The Heads of Mission-Designate are from the following countries:\n\n"
        "1. The Republic of Gabon\n2. The Russian Federation\n3. Canada\n4. The Federal Democratic Republic of Nepal",
    )
    assert [m.kind for m in meetings] == ["credentials"]
    assert meetings[0].meeting_date == date(2024, 3, 14)
    assert _names(meetings, "country") == {"Gabon", "Russia", "Canada", "Nepal"}


@pytest.mark.parametrize(
    ("title", "body", "day", "expected"),
    [
        (
            "President congratulates",
            "President Anura Kumara Disanayake sent a congratulatory message to Vladimir Putin on his "
            "re-election as President of Russia on 10 March.",
            "2024-03-13",
            date(2024, 3, 13),
        ),
        (
            "President condoles",
            "President Anura Kumara Disanayake conveyed his condolences to the Prime Minister of Japan, Fumio "
            "Kishida, over the earthquake that struck the country on 1 January.",
            "2024-01-03",
            date(2024, 1, 3),
        ),
    ],
)
def test_a_message_is_dated_by_itself_not_by_its_occasion(
    title: str, body: str, day: str, expected: date
) -> None:
    meetings = _made_up(title, body, day)
    assert [(m.kind, m.meeting_date) for m in meetings] == [("correspondence", expected)]


def test_his_counterpart_is_a_title_before_a_name() -> None:
    meetings = _made_up(
        "Foreign Minister speaks with his counterpart",
        "Minister of Foreign Affairs Vijitha Herath had a telephone conversation with his Israeli counterpart "
        "Israel Katz today (12).",
    )
    assert [m.kind for m in meetings] == ["phone_call"]
    assert _names(meetings, "person") == {"Israel Katz"}
    assert _names(meetings, "country") == {"Israel"}


def test_in_a_transcript_the_first_person_is_the_principal() -> None:
    meetings = _made_up(
        "Press conference - Colombo",
        "PRESIDENT ANURA KUMARA DISSANAYAKE: Good afternoon. This morning I met again with the High "
        "Commissioner from the United Kingdom, Andrew Patrick, to discuss trade and investment.",
    )
    assert [m.kind for m in meetings] == ["meeting"]
    assert _names(meetings, "country") == {"United Kingdom"}
    # the same words in a release that is not the principal's own are no engagement of ours
    assert not _made_up(
        "Foreign envoys meet business leaders",
        "The envoy said: This morning I met again with the High Commissioner from the United Kingdom, "
        "Andrew Patrick, to discuss trade and investment.",
    )


def test_envoys_named_before_the_country_they_represent_are_its_people() -> None:
    meetings = _made_up(
        "New envoys present credentials",
        "President Anura Kumara Disanayake received the credentials of new envoys at the Presidential "
        "Secretariat today (12). The new envoys who presented their letters of credence included Anna Berg of "
        "Sweden, Paolo Rossi, of Italy, and the High Commissioner of India.",
    )
    assert {"Anna Berg", "Paolo Rossi"} <= _names(meetings, "person")
    assert {"Sweden", "Italy", "India"} <= _names(meetings, "country")
    assert "High Commissioner" not in _names(meetings, "person")
