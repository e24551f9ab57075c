"""The publishing side (home country) of a release without a registry entry, and the release-level signals
about foreign parties: headline leaders, the lead sentence's subject, the dateline, the focus country, the
posts of the home side's own envoys."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING

from etl.extract import place_words
from etl.extract.features import _diplomat_named
from etl.extract.gazetteer import Gazetteer, Hit, OfficeHolder
from etl.records import Release
from etl.sources import Source

if TYPE_CHECKING:
    from etl.extract.rules import Rules

_LEADER_BEFORE = re.compile(
    r"(?:President|Prime\s+Minister|Chairman\s+of\s+the\s+Cabinet(?:\s+of\s+Ministers)?|Speaker|King|Emir|"
    rf"Chancellor|[Hh]ead\s+of\s+(?:the\s+)?[Ss]tate|Government|Parliament|{place_words.alternation('legislatures')})"
    r"(?:\s+of)?\s+(?:the\s+)?$"
)
_LEADER_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:President|Prime\s+Minister|[Hh]ead\s+of\s+[Ss]tate|leader|Government)\b"
)
_DIPLOMAT_BEFORE = re.compile(
    r"(?:Ambassador|High\s+Commissioner|Embassy|Envoy|Chargé\s+d['’]Affaires)(?:\s+\w+){0,3}\s+(?:of|from)\s+(?:the\s+)?$"
)
_DIPLOMAT_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:Ambassador|High\s+Commissioner|Embassy|Envoy|delegation|side)\b"
)


def _home_country(release: Release, hits: list[Hit], title_hits: list[Hit], gaz: Gazetteer) -> str | None:
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
    in_title = _title_leaders(release.title, title_hits, gaz, day)
    if in_title:
        return _preferred(in_title)
    lead = _lead_subject(release.body, hits, gaz, day)
    if lead:
        return _preferred(lead)
    in_body = _leader_countries([h for h in hits if not _as_object(release.body, h.start)], gaz, day)
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
                _DIPLOMAT_BEFORE.search(before) or _DIPLOMAT_AFTER.match(after)
            )
            if guest and not re.match(r"\s+to\s", after):
                score[hit.key] -= 2
                continue
            leader = hit.kind != "capital" and bool(
                _LEADER_BEFORE.search(before) or _LEADER_AFTER.match(after)
            )
            if leader and not _as_object(text, hit.start):
                score[hit.key] += 1
    if not score:
        return None
    ranked = score.most_common()
    top = ranked[0][1]
    if top <= 0:
        return None
    return _preferred([country for country, points in ranked if points == top])


_TITLE_WORD = re.compile(r"\b[A-Z][a-z][\w\-’']+")


def _title_leaders(title: str, title_hits: list[Hit], gaz: Gazetteer, day: date) -> list[str]:
    """The countries of the leaders a headline names, in order: office holders named in full, by family
    name alone when exactly one holder in office has it ("<family name> to meet with <leader's full name>"),
    and countries named with a leader's office ("<demonym> President <name>", "<demonym>, <demonym> Presidents")."""
    found: list[tuple[int, str | None]] = []  # (where, country): None for a holder who leads nothing
    objects = 0  # leaders named as the one met, called or congratulated
    for hit in title_hits:
        if hit.kind == "person":
            country = _leader_country(gaz.holder(hit.key, day), day)
            objects += country is not None and _as_object(title, hit.start)
            found.append((hit.start, country))
        elif hit.kind in ("country", "demonym") and (
            _LEADER_BEFORE.search(title[max(0, hit.start - 60) : hit.start])
            or _TITLE_LEADER_AFTER.match(title[hit.end : hit.end + 40])
        ):
            found.append((hit.start, hit.key))
    covered = [(h.start, h.end) for h in title_hits]
    for m in _TITLE_WORD.finditer(title):
        if any(a <= m.start() < b for a, b in covered):
            continue
        if _TITLE_OBJECT_BEFORE.search(title, 0, m.start()):
            continue  # "Cabinet Chairman tells <family name>": the one spoken to is the guest
        found.append((m.start(), _leader_country(gaz.holder_by_family(m.group(0), None, day), day)))
    if objects and objects == sum(c is not None for _, c in found):
        return []  # "Prime Minister meets with President <name>": only the guest is named
    out: list[str] = []
    for _, country in sorted((at, c) for at, c in found if c is not None):
        if country not in out:
            out.append(country)
    return out


def _as_object(text: str, start: int) -> bool:
    """Is the name at `start` the object of an engagement ("met with <demonym> President <name>"), with at
    most ten capitalised title words (or 'of', 'the') between the verb and the name?"""
    return _OBJECT_BEFORE.search(text, max(0, start - 90), start) is not None


_OBJECT_BEFORE = re.compile(
    r"\b(?:tells?|told|with|meets?|met|receives?|received|hosts?|hosted|welcomes?|welcomed|calls?|called|"
    r"congratulates?|congratulated|thanks?|thanked|invites?|invited|to|and)\s+(?:the\s+)?"
    r"(?:(?:[A-Z][\w.\-’']*|of|the)\s+){0,10}$"
)
_TITLE_OBJECT_BEFORE = re.compile(
    r"\b(?:tells?|told|with|meets?|met|receives?|received|hosts?|hosted|welcomes?|welcomed|calls?|called|"
    r"congratulates?|congratulated|thanks?|thanked|invites?|invited|to|and)\s+$"
)
# A leader's office after a country's name or demonym in a headline ("<demonym> President",
# "<demonym>, <demonym> Presidents", "<country>'s Prime Minister").
_TITLE_LEADER_AFTER = re.compile(
    r"^(?:['’]s)?(?:,\s+[A-Z][\w\-]+)*\s+(?:Presidents?|Prime\s+Ministers?|[Hh]eads?\s+of\s+[Ss]tate|[Ll]eaders?|Premiers?)\b"
)


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


# A dateline opening the lead ("<CAPITAL>, <country>, April 17.", "<capital>, June 9, 2023. / <agency> /.",
# "<CAPITAL>. <AGENCY>", "(<wire>- <agency>) <CAPITAL>, December 16."): where the story is filed,
# not who tells it.
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"^(?:\([^)]{0,60}\)\s*)?"
    r"(?:[A-Z][\w\-’']+(?:\s[A-Z][\w\-’']+)?,\s(?:[A-Z][\w\-’']+,\s)?"
    rf"(?:{_MONTHS}\s\d{{1,2}}|\d{{1,2}}\s{_MONTHS})(?:,\s\d{{4}})?\s?[.:—–-]"
    r"|[A-Z]{3,}(?:\s[A-Z]{3,})?\s?[.:—–-](?:\s+[A-Z]{3,}\b)?)"
    r"(?:\s*/\s*[^/\n]{1,25}\s*/\s*\.?)?"
)
# The first verb of a lead sentence: what comes before it is the subject.
_LEAD_VERB = re.compile(
    r"\b(?:met|meets|meeting\s+with|received|receives|held|holds|had|has|have|discussed|discuss|took\s+part|"
    r"takes\s+part|spoke|speaks|sent|sends|congratulated|congratulates|accepted|accepts|paid|pays|visited|"
    r"visits|arrived|arrives|signed|signs|addressed|addresses|was|were|is|are|will|called|calls|expressed|"
    r"hosted|hosts|participated|attended|attends|presented|presents|welcomed|welcomes|said|says|stated|told|"
    r"conveyed|handed|paid|talked|talks|exchanged|noted|emphasized|stressed)\b"
)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])[.!?](?=\s+[\"“«(]?[A-Z])|\n")


def _lead_subject(body: str, hits: list[Hit], gaz: Gazetteer, day: date) -> list[str]:
    """Countries of the lead sentence, the subject's first: leaders' countries, then countries and demonyms
    named before the first verb (a dateline excepted), then those after it, for the registry preference
    ("<foreign title> X met with <demonym> Foreign Minister Y" in a deployment that reads that country's
    press). Empty when the lead names no country before its verb or opens otherwise (a quote)."""
    dateline = _DATELINE.match(body)
    begin = dateline.end() if dateline else 0
    end_match = _SENTENCE_END.search(body, begin)
    sentence_end = end_match.start() if end_match else len(body)
    verb = _LEAD_VERB.search(body, begin, sentence_end)
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


_ENVOY_TO = re.compile(
    r"\b(?:Ambassador|High\s+Commissioner|Permanent\s+Representative|Consul(?:\s+General)?|"
    r"Charg[ée]\s+d['’]\s?Affaires|Envoy)\b(?:\s+[\w\-]+){0,9}?\s+(?:to|in)\s+(?:the\s+)?$"
)


def _envoy_posts(body: str, hits: list[Hit], home: str | None) -> tuple[tuple[int, str], ...]:
    """Where the home side's own envoys serve ("Ambassador of the <home country> to <country>", "<home
    demonym> Ambassador to <country>"), as (offset, country): an envoy's meetings there are work, not a trip."""
    if home is None or ("mbassador" not in body and "nvoy" not in body and "ommissioner" not in body):
        return ()
    posts: list[tuple[int, str]] = []
    for i, hit in enumerate(hits):
        if hit.kind != "country" or hit.key == home:
            continue
        before = body[max(0, hit.start - 120) : hit.start]
        if not _ENVOY_TO.search(before):
            continue
        window_start = hit.start - 120
        if any(h.key == home and h.start >= window_start for h in hits[max(0, i - 4) : i]):
            posts.append((hit.start, hit.key))
    return tuple(posts)
