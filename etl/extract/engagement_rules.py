"""A pack's engagements.toml compiled: what joins sentences into one engagement, where and when it took place,
the length of a trip (read by etl/extract/engagements.py through `rules.Rules.engagements`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from etl.extract.pack import Pack


@dataclass(frozen=True, slots=True, eq=False)
class EngagementRules:
    held_on: re.Pattern[str]  # a later sentence dating the engagement before it
    back_reference: re.Pattern[str]  # "The two leaders": the engagement before goes on
    trip_length: re.Pattern[str]  # "four-day", its number in group `n`
    trip_length_numbers: dict[str, int]
    trip_end: re.Pattern[str]
    arrival_before: re.Pattern[str]
    departure_before: re.Pattern[str]
    in_capital_before: re.Pattern[str]
    in_country_before: re.Pattern[str]
    resident_before: re.Pattern[str]
    coming: re.Pattern[str]
    later_occasion: re.Pattern[
        str
    ]  # a sentence about another, later occasion: its parties are not this one's
    occasion_before: re.Pattern[str]
    at_event_before: re.Pattern[str]
    event_after: re.Pattern[str]


def compile_engagements(pack: Pack) -> EngagementRules:
    """The engagement patterns of `pack` (its engagements.toml; the sentence tests with a pre-test bit,
    `medium`, `home_diplomat`, `delegation_or_envoys`, are `rules.Rules` fields)."""
    ph = pack.engagements
    names = [f.name for f in fields(EngagementRules) if f.name != "trip_length_numbers"]
    return EngagementRules(
        **{name: ph.compile(name) for name in names},
        trip_length_numbers=ph.numbers_of("trip_length_numbers"),
    )
