"""People's offices and the topics of a sentence, on sentences as real releases write them.

The golden files pin whole releases; these pin the rules a whole release exercises only in passing.
"""

from __future__ import annotations

import pytest

from etl.extract.person_rules import PersonRules
from etl.extract.persons import find_persons
from etl.extract.rules import rules_for
from etl.extract.topics import find_topics
from etl.records import Span


def _persons() -> PersonRules:
    rules = rules_for("en")
    assert rules is not None
    return rules.persons


def _roles(sentence: str) -> dict[str, tuple[str, str]]:
    return {p.name: (p.role_left, p.role_right) for p in find_persons(sentence, _persons())}


@pytest.mark.parametrize("dash", ["–", "—", " -"])
def test_an_office_after_a_dash_is_the_persons_office(dash: str) -> None:
    roles = _roles(
        f"1. Mr. Alem Woldemariam{dash} Ambassador of the State of Eritrea (Resident in New Delhi)"
    )
    assert roles == {"Alem Woldemariam": ("", "Ambassador of the State of Eritrea")}


def test_a_hyphenated_name_is_not_an_apposition() -> None:
    assert "Marie-Noelle Duris" in _roles("Chargé d'Affaires Ms. Marie-Noelle Duris met the Minister.")


@pytest.mark.parametrize(
    ("sentence", "name", "rank"),
    [
        (
            "Lieutenant Colonel Anthony C. Nelson of the U.S. Army was also present.",
            "Anthony C. Nelson",
            "Lieutenant Colonel",
        ),
        ("Rear Admiral John Smith met the delegation.", "John Smith", "Rear Admiral"),
        ("Air Chief Marshal Udeni Rajapaksa was present.", "Udeni Rajapaksa", "Air Chief Marshal"),
    ],
)
def test_military_ranks_are_titles(sentence: str, name: str, rank: str) -> None:
    assert _roles(sentence)[name][0] == rank


def test_a_country_in_a_long_office_is_not_a_name() -> None:
    roles = _roles(
        "Senior Foreign Policy Advisor to the United States Indo-Pacific Command David Ranz was also present."
    )
    assert list(roles) == ["David Ranz"]


def _topics(sentence: str) -> list[str]:
    return [t.topic_id for t in find_topics(sentence, [Span(0, len(sentence))])]


@pytest.mark.parametrize(
    "sentence",
    [
        # every title of a list of ministers, not only the first
        "Minister of Foreign Affairs, Foreign Employment and Tourism Vijitha Herath, Minister of Health and "
        "Mass Media Nalinda Jayatissa, Minister of Fisheries, Aquatic and Ocean Resources Ramalingam "
        "Chandrasekar and Minister of Science and Technology Chrishantha Abeysena welcomed him.",
        # the field before the office
        "He will meet Finance and Corporate Affairs Minister Nirmala Sitharaman and Health Minister J.P. Nadda.",
        "Accompanying him are National Security Advisor Ajit Doval and officials.",
        # an acting office and the deputy's office after it
        "Acting Minister of Digital Economy – Deputy Minister of Digital Economy Eranga Weeraratne.",
        # ceremony and metaphor
        "The President inspected a guard of honour presented by the Indian Armed Forces.",
        "In a strong society, power is shared through equality.",
    ],
)
def test_offices_ceremonies_and_metaphors_are_no_topics(sentence: str) -> None:
    assert _topics(sentence) == []


def test_the_subject_itself_still_counts_beside_an_office() -> None:
    assert _topics("The Health Minister discussed health care and power generation with the Ambassador.") == [
        "health",
        "energy_water",
    ]


@pytest.mark.parametrize(
    ("sentence", "topics"),
    [
        ("He highlighted the investor-friendly environment in Sri Lanka.", ["investment_finance"]),
        ("They spoke of a peaceful maritime environment.", []),
        ("Governor of the Central Bank Dr. Nandalal Weerasinghe was present.", []),
        ("They discussed protecting the environment.", ["environment_climate"]),
    ],
)
def test_an_environment_for_business_and_a_bank_governor_are_no_topics(
    sentence: str, topics: list[str]
) -> None:
    assert _topics(sentence) == topics
