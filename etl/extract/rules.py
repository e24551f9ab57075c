"""One language's rules, compiled: the engine reads every pattern through a `Rules`, chosen by the release's
language (`rules_for`), built once per language on first use, never before.

A `Rules` holds a pack's patterns compiled with their speed machinery: the one Aho-Corasick pre-test pass
over a sentence (`filters`, which tells which patterns can match it and takes in the date and topic
pre-tests), lower-case twins, needles. No stage keeps a pattern of its own language at module level: each
reads `ctx.rules`, so adding `packs/<lang>/` needs no change here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from etl.extract import pack as packs
from etl.extract.absent import Absent, compile_absent
from etl.extract.companies import CompanyRules, compile_companies
from etl.extract.dates import DateRules, compile_dates
from etl.extract.engagement_rules import EngagementRules, compile_engagements
from etl.extract.keywords import NeedleSet
from etl.extract.pack import Pack
from etl.extract.person_rules import PersonRules, compile_persons
from etl.extract.positions import PartyRules, compile_parties
from etl.extract.publisher import PublisherRules, compile_publisher
from etl.extract.topics import TopicRules, compile_topics
from etl.extract.triggers import Triggers, compile_triggers

# Language tags that name no language: read as the default one.
_UNDETERMINED = frozenset({"", "und", "zxx", "mul"})


@dataclass(frozen=True, slots=True, eq=False)
class Rules:
    """A pack compiled: per stage, its patterns and their `filters` bits (compared by identity, so
    memo caches may key on it)."""

    pack: Pack
    filters: NeedleSet  # the one pre-test pass over a sentence
    triggers: Triggers
    dates: DateRules
    topics: TopicRules
    absent: Absent
    parties: PartyRules  # parties.toml: where a party stands
    publisher: PublisherRules  # publisher.toml: the publishing side
    engagements: EngagementRules  # engagements.toml: joining sentences, where and when
    persons: PersonRules  # persons.toml: a person's name and the titles and role around it
    companies: CompanyRules  # companies.toml: companies the gazetteer does not know
    abbreviations: frozenset[str]  # sentences.toml: words whose dot ends no sentence
    dates_shift: int  # `dates.filters` bits within `filters`
    topics_shift: int
    # sentence tests of the later stages: (pattern, its `filters` bit)
    diplomat: re.Pattern[str]
    diplomat_bit: int
    strong_meeting: re.Pattern[str]
    strong_meeting_bit: int
    represented: re.Pattern[str]
    represented_bit: int
    diplomats_named: re.Pattern[str]
    diplomats_named_bit: int
    company: re.Pattern[str]
    company_bit: int
    location_at: re.Pattern[str]
    location_at_bit: int
    principal_ref: re.Pattern[str]
    principal_ref_bit: int
    medium: re.Pattern[str]
    medium_bit: int
    plan: re.Pattern[str]
    plan_bit: int
    delegation_or_envoys: re.Pattern[str]
    delegation_or_envoys_bit: int
    home_diplomat: re.Pattern[str]
    home_diplomat_bit: int

    @property
    def lang(self) -> str:
        return self.pack.lang

    def filter(self, text: str) -> int:
        """The `filters` bits of the patterns that may match `text`."""
        return self.filters.mask(text, text.lower())

    def date_bits(self, possible: int) -> int:
        """The `dates.filters` bits within `possible` (a `filter` result)."""
        return (possible >> self.dates_shift) & self.dates.filters.bits

    def topic_bits(self, possible: int) -> int:
        """The `topics.filters` bits within `possible` (a `filter` result)."""
        return (possible >> self.topics_shift) & self.topics.filters.bits


def compile_rules(pack: Pack) -> Rules:
    """`pack` compiled (`rules_for` keeps one per language)."""
    filters = NeedleSet()
    triggers = compile_triggers(pack, filters)
    dates, topics = compile_dates(pack), compile_topics(pack)
    dates_shift = filters.include(dates.filters)
    topics_shift = filters.include(topics.filters)
    absent = compile_absent(pack, filters)
    plan = pack.plan.compile()
    ph = pack.parties
    diplomat, strong_meeting = ph.compile("diplomat"), ph.compile("strong_meeting")
    represented, diplomats_named = ph.compile("represented"), ph.compile("diplomats_named")
    location_at, principal_ref = ph.compile("location_at"), ph.compile("principal_ref")
    en = pack.engagements
    medium, home_diplomat = en.compile("medium"), en.compile("home_diplomat")
    delegation_or_envoys = en.compile("delegation_or_envoys")
    companies = compile_companies(pack)

    def bit(pattern: re.Pattern[str]) -> int:
        return filters.add_pattern(pattern)

    return Rules(
        pack=pack,
        filters=filters,
        triggers=triggers,
        dates=dates,
        topics=topics,
        absent=absent,
        dates_shift=dates_shift,
        topics_shift=topics_shift,
        parties=compile_parties(pack),
        publisher=compile_publisher(pack),
        engagements=compile_engagements(pack),
        persons=compile_persons(pack),
        companies=companies,
        abbreviations=frozenset(pack.sentences.words_of("abbreviations")),
        diplomat=diplomat,
        diplomat_bit=bit(diplomat),
        strong_meeting=strong_meeting,
        strong_meeting_bit=bit(strong_meeting),
        represented=represented,
        represented_bit=bit(represented),
        diplomats_named=diplomats_named,
        diplomats_named_bit=bit(diplomats_named),
        company=companies.company,
        company_bit=bit(companies.company),
        location_at=location_at,
        location_at_bit=bit(location_at),
        principal_ref=principal_ref,
        principal_ref_bit=bit(principal_ref),
        medium=medium,
        medium_bit=bit(medium),
        plan=plan,
        plan_bit=bit(plan),
        delegation_or_envoys=delegation_or_envoys,
        delegation_or_envoys_bit=bit(delegation_or_envoys),
        home_diplomat=home_diplomat,
        home_diplomat_bit=bit(home_diplomat),
    )


def pack_language(lang: str | None) -> str:
    """The pack language a release's `lang` tag asks for: its primary subtag in lower case ("en-GB" is
    "en"); none or an undetermined one is the default language."""
    primary = (lang or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return packs.DEFAULT_LANG if primary in _UNDETERMINED else primary


# Compiled rules by (language, packs folder); None for a language with no pack. A plain dict, not a memo
# cache: benchmarks empty those between passes, and compiling is load-once work.
_COMPILED: dict[tuple[str, Path], Rules | None] = {}


def rules_for(lang: str | None) -> Rules | None:
    """The rules of `lang` (a release's `lang`; `pack_language` reads it), None when it has no pack."""
    language = pack_language(lang)
    key = (language, packs.PACKS)
    if key not in _COMPILED:
        _COMPILED[key] = compile_rules(packs.load(language)) if has_pack(language) else None
    return _COMPILED[key]


def has_pack(lang: str | None) -> bool:
    """Is there a pack for `lang` (read as `rules_for` reads it)?"""
    return pack_language(lang) in packs.languages()


def languages() -> tuple[str, ...]:
    """The languages with a pack."""
    return packs.languages()
