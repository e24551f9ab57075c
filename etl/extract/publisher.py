"""The publishing side (home country) of a release without a registry entry, and the release-level signals
about foreign parties: headline leaders, the lead sentence's subject, the dateline, the focus country, the
posts of the home side's own envoys."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING

from etl.extract.features import _diplomat_named
from etl.extract.gazetteer import Gazetteer, Hit, OfficeHolder
from etl.extract.pack import Pack
from etl.records import Release
from etl.sources import Source

if TYPE_CHECKING:
    from etl.extract.rules import Rules


@dataclass(frozen=True, slots=True, eq=False)
class PublisherRules:
    """A pack's publisher.toml compiled: how a release shows whose side it is written from."""

    leader_before: re.Pattern[str]
    leader_after: re.Pattern[str]
    diplomat_before: re.Pattern[str]
    diplomat_after: re.Pattern[str]
    posted_to_after: re.Pattern[str]
    title_word: re.Pattern[str]
    object_before: re.Pattern[str]
    title_object_before: re.Pattern[str]
    title_leader_after: re.Pattern[str]
    dateline: re.Pattern[str]
    lead_verb: re.Pattern[str]
    sentence_end: re.Pattern[str]
    envoy_to: re.Pattern[str]
    envoy_parts: tuple[str, ...]  # one is in every text `envoy_to` can find a posting in


def compile_publisher(pack: Pack) -> PublisherRules:
    """The publisher patterns of `pack` (its publisher.toml)."""
    ph = pack.publisher
    names = [f.name for f in fields(PublisherRules) if f.name != "envoy_parts"]
    return PublisherRules(
        **{name: ph.compile(name) for name in names}, envoy_parts=ph.words_of("envoy_parts")
    )


def _home_country(
    pu: PublisherRules, release: Release, hits: list[Hit], title_hits: list[Hit], gaz: Gazetteer
) -> str | None:
    """The publishing side when no registry entry says it, from how the text speaks of each country.

    A release is written from its publisher's side and opens with its own official: in order,
    1. the leaders (office holders in office, from the gazetteer) named in the headline;
    2. the subject of the lead sentence, before its first verb, past any dateline ("Ambassador of
       <country> X met with ...": the sending state; "<demonym> Deputy Foreign Minister X and ...");
    3. the first leader named anywhere in the body;
    4. the country most often named as a leader's country ("President of the <country>"), less the
       times it is named as a guest diplomat's or delegation's country; never the country merely named
       most (a release about a visit names the host country on every line).
    Where a step offers several countries ("<leader A> congratulates <leader B>"), the one with
    the most press services in the source registry wins, then the first named: the registry says whose
    press this deployment reads.
    """
    day = release.published_at.date()
    in_title = _title_leaders(pu, release.title, title_hits, gaz, day)
    if in_title:
        return _preferred(in_title)
    lead = _lead_subject(pu, release.body, hits, gaz, day)
    if lead:
        return _preferred(lead)
    in_body = _leader_countries([h for h in hits if not _as_object(pu, release.body, h.start)], gaz, day)
    if in_body:
        return in_body[0]
    score: Counter[str] = Counter()
    for text, found in ((release.title, title_hits), (release.body, hits)):
        for hit in found:
            if hit.kind not in ("country", "demonym", "capital"):
                continue
            before = text[max(0, hit.start - 60) : hit.start]
            after = text[hit.end : hit.end + 40]
            guest = hit.kind != "capital" and bool(
                pu.diplomat_before.search(before) or pu.diplomat_after.match(after)
            )
            if guest and not pu.posted_to_after.match(after):
                score[hit.key] -= 2
                continue
            leader = hit.kind != "capital" and bool(
                pu.leader_before.search(before) or pu.leader_after.match(after)
            )
            if leader and not _as_object(pu, text, hit.start):
                score[hit.key] += 1
    if not score:
        return None
    ranked = score.most_common()
    top = ranked[0][1]
    if top <= 0:
        return None
    return _preferred([country for country, points in ranked if points == top])


def _title_leaders(
    pu: PublisherRules, title: str, title_hits: list[Hit], gaz: Gazetteer, day: date
) -> list[str]:
    """The countries of the leaders a headline names, in order: office holders named in full, by family
    name alone when exactly one holder in office has it ("<family name> to meet with <leader's full name>"),
    and countries named with a leader's office ("<demonym> President <name>", "<demonym>, <demonym> Presidents")."""
    found: list[tuple[int, str | None]] = []  # (where, country): None for a holder who leads nothing
    objects = 0  # leaders named as the one met, called or congratulated
    for hit in title_hits:
        if hit.kind == "person":
            country = _leader_country(gaz.holder(hit.key, day), day)
            objects += country is not None and _as_object(pu, title, hit.start)
            found.append((hit.start, country))
        elif hit.kind in ("country", "demonym") and (
            pu.leader_before.search(title[max(0, hit.start - 60) : hit.start])
            or pu.title_leader_after.match(title[hit.end : hit.end + 40])
        ):
            found.append((hit.start, hit.key))
    covered = [(h.start, h.end) for h in title_hits]
    for m in pu.title_word.finditer(title):
        if any(a <= m.start() < b for a, b in covered):
            continue
        if pu.title_object_before.search(title, 0, m.start()):
            continue  # "Cabinet Chairman tells <family name>": the one spoken to is the guest
        found.append((m.start(), _leader_country(gaz.holder_by_family(m.group(0), None, day), day)))
    if objects and objects == sum(c is not None for _, c in found):
        return []  # "Prime Minister meets with President <name>": only the guest is named
    out: list[str] = []
    for _, country in sorted((at, c) for at, c in found if c is not None):
        if country not in out:
            out.append(country)
    return out


def _as_object(pu: PublisherRules, text: str, start: int) -> bool:
    """Is the name at `start` the object of an engagement ("met with <demonym> President <name>"), with at
    most ten capitalised title words (or 'of', 'the') between the verb and the name?"""
    return pu.object_before.search(text, max(0, start - 90), start) is not None


def _leader_countries(found: list[Hit], gaz: Gazetteer, day: date) -> list[str]:
    """The countries of the leaders in office named in `found`, in order of mention."""
    out: list[str] = []
    for hit in found:
        if hit.kind != "person":
            continue
        country = _leader_country(gaz.holder(hit.key, day), day)
        if country is not None and country not in out:
            out.append(country)
    return out


def _leader_country(holder: OfficeHolder | None, day: date) -> str | None:
    """The country of `holder` when a leader in office on `day` (`_LEADER_OFFICES`)."""
    if holder and holder.in_office(day) and holder.office in _LEADER_OFFICES and holder.country_iso3:
        return holder.country_iso3
    return None


def _preferred(countries: list[str]) -> str:
    """The candidate with the most press services in the source registry; the first named on a tie."""
    weight = Counter(s.country for s in _registry_sources())
    return max(countries, key=lambda c: (weight[c], -countries.index(c)))


def _lead_subject(pu: PublisherRules, body: str, hits: list[Hit], gaz: Gazetteer, day: date) -> list[str]:
    """Countries of the lead sentence, the subject's first: leaders' countries, then countries and demonyms
    named before the first verb (a dateline excepted), then those after it, for the registry preference
    ("<foreign title> X met with <demonym> Foreign Minister Y" in a deployment that reads that country's
    press). Empty when the lead names no country before its verb or opens otherwise (a quote)."""
    dateline = pu.dateline.match(body)
    begin = dateline.end() if dateline else 0
    end_match = pu.sentence_end.search(body, begin)
    sentence_end = end_match.start() if end_match else len(body)
    verb = pu.lead_verb.search(body, begin, sentence_end)
    if verb is None:
        return []
    subject = [h for h in hits if begin <= h.start and h.end <= verb.start()]
    rest = [h for h in hits if verb.start() <= h.start and h.end <= sentence_end]
    out: list[str] = []
    for found in (subject, rest):
        if not out and found is rest:
            break  # no subject country: the lead does not say whose story it is
        for country in _leader_countries(found, gaz, day):
            if country not in out:
                out.append(country)
        for hit in found:
            if hit.kind in ("country", "demonym") and hit.key not in out:
                out.append(hit.key)
    return out


_LEADER_OFFICES = {
    "president",
    "prime_minister",
    "head_of_government",
    "speaker",
    "foreign_minister",
    "king",
    "emir",
    "head_of_state",
}


def _registry_sources() -> list[Source]:
    from etl.sources import load_registry

    return list(load_registry().values())


def _focus(gaz: Gazetteer, home: str | None, hits: list[Hit]) -> str | None:
    """The one foreign country a release is about: at least two thirds of its foreign country mentions."""
    keys = [h.key for h in hits if h.kind in ("country", "demonym", "capital") and h.key != home]
    if not keys:
        return None
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    country, n = max(counts.items(), key=itemgetter(1))  # the first named of the most named
    return country if n >= 2 and n * 3 >= 2 * len(keys) else None


def _foreign_signal(
    rules: Rules, gaz: Gazetteer, home: str | None, hits: list[Hit], release: Release
) -> bool:
    """Is anything foreign named at all: a foreign country, an organization, a foreign leader, a diplomat?"""
    day = release.published_at.date()
    for hit in hits:
        if hit.kind == "org":
            return True
        if hit.kind in ("country", "demonym", "capital") and hit.key != home:
            return True
        if hit.kind == "person":
            holder = gaz.holder(hit.key, day)
            if holder is not None and holder.country_iso3 != home:
                return True
    return _diplomat_named(rules, release.body) or _diplomat_named(rules, release.title)


def _envoy_posts(
    pu: PublisherRules, body: str, hits: list[Hit], home: str | None
) -> tuple[tuple[int, str], ...]:
    """Where the home side's own envoys serve ("Ambassador of the <home country> to <country>", "<home
    demonym> Ambassador to <country>"), as (offset, country): an envoy's meetings there are work, not a trip."""
    if home is None or not any(part in body for part in pu.envoy_parts):
        return ()
    posts: list[tuple[int, str]] = []
    for i, hit in enumerate(hits):
        if hit.kind != "country" or hit.key == home:
            continue
        before = body[max(0, hit.start - 120) : hit.start]
        if not pu.envoy_to.search(before):
            continue
        window_start = hit.start - 120
        if any(h.key == home and h.start >= window_start for h in hits[max(0, i - 4) : i]):
            posts.append((hit.start, hit.key))
    return tuple(posts)
