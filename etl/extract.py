"""Finds the diplomatic engagements of one release: kind, date, principal, counterparts, topics, evidence.

A pure function of the release and its source registry entry. Rules and gazetteers, no statistical model,
so every value points at the sentence it came from. The stages, in order:
1. the publishing side (the registry entry, else inferred from the office holders and countries named);
2. per sentence: engagement triggers (when no sentence has one nor speaks of a trip, no meeting can start
   and the release is done), then gazetteer hits, people with their roles, dates;
3. an engagement is a sentence with a trigger and a foreign party (a foreign official, a diplomat, a
   foreign state as a party, an international organization); consecutive sentences about the same
   parties, kind and day form one meeting; an official trip adds one `visit`;
4. counterparts are the foreign parties of the meeting's sentences and of the sentences that follow
   it, and topics the lexicon hits of the same sentences.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter

from etl import dates, topics
from etl.dates import DateMention, find_dates, narrative_day
from etl.gazetteer import Gazetteer, Hit, OfficeHolder, gazetteer
from etl.keywords import NeedleSet, foldable, lower_case_twin
from etl.names import family_key, fold, person_key, strip_honorifics
from etl.persons import TITLE_WORDS, PersonMention, find_persons
from etl.records import CounterpartMention, Meeting, Release, Span
from etl.sentences import split_sentences
from etl.sources import Source
from etl.topics import find_topics

EXTRACTOR_VERSION = "0.1.0"

# --- engagement triggers, by kind (checked in this order; the first that matches names the kind) -------
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "credentials",
        re.compile(r"\bcredentials\b|\bletters? of credence\b|\bcredence\b", re.IGNORECASE),
    ),
    (
        "phone_call",
        re.compile(
            r"\b(?:tele)?phone\s+(?:conversation|call|talks?)|\bby\s+(?:tele)?phone\b|\bover\s+the\s+(?:tele)?phone\b|"
            r"\bphoned\b|\btelephoned\b|\bspoke\s+on\s+the\s+(?:tele)?phone\b|\btelephone\b",
            re.IGNORECASE,
        ),
    ),
    (
        "video_conference",
        re.compile(
            r"\bvideo\s?(?:conference|link|call|format|conferencing)|\bvideoconference\b|\bvirtual(?:ly)?\b|"
            r"\bonline\s+(?:meeting|format|talks|summit)|\bvia\s+(?:video|zoom)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "correspondence",
        re.compile(
            r"\b(?:congratulatory|condolence|sympathy|greeting)\s+(?:message|letter|telegram|note|cable)s?\b|"
            r"\b(?:sent|send|sends|addressed|conveyed)\s+(?:a\s+|his\s+|her\s+|the\s+)?(?:congratulatory\s+|"
            r"condolence\s+|personal\s+|official\s+)?(?:message|letter|telegram)s?\b|"
            r"\bmessage\s+of\s+(?:congratulations?|condolences?|sympathy)\b|"
            r"\b(?:congratulated|congratulates|congratulating)\b(?=[^.]{0,80}\b(?:message|letter|telegram|cable|"
            r"note|tweet|post|wrote|writing)\b)|^\s*congratulations\s+to\b|\bcongratulations\s+to\b(?=[^.]{0,60}"
            r"\b(?:on\s+(?:his|her|your|the)\s+(?:election|re-election|appointment|victory|inauguration)))|"
            r"\b(?:expressed|expresses|extended|extends|conveyed|offered|offers)\s+(?:his\s+|her\s+|their\s+)?"
            r"(?:deep(?:est)?\s+|sincere\s+|heartfelt\s+|profound\s+)?condolences\b|\btelegram\b|"
            r"\bletter\s+(?:to|from|addressed)\b|\bcondolence\s+book\b|"
            r"\bcongratulat\w+\b(?:[^.]|(?<=\b[A-Z])\.){0,80}\bon\s+(?:his|her|the|your)\s+(?:re-?)?(?:election|appointment|victory|"
            r"inauguration|assumption)\b|"
            r"\b(?:extended|extends|conveyed|conveys|sent|sends)\s+(?:his\s+|her\s+|their\s+)?(?:warm(?:est)?\s+|"
            r"heartfelt\s+|sincere\s+)?congratulations\b",
            re.IGNORECASE,
        ),
    ),
    (
        "summit",
        re.compile(
            r"\bsummit\b|\bforum\b|\bsession\s+of\s+the\b|\b(?:ministerial|multilateral)\s+meeting\b|"
            r"\bmeeting\s+of\s+the\s+(?:heads|leaders|council|foreign\s+ministers|ministers)\b|"
            r"\bGeneral\s+Assembly\b|\bCouncil\s+of\s+(?:Heads|Ministers|Foreign\s+Ministers)\b|"
            r"\bhigh-level\s+(?:meeting|segment|dialogue|conference)\b|\bconference\s+(?:of|on)\b|"
            r"\bIntergovernmental\s+Council\b|\bDay\s+of\s+Vesak\b",
            re.IGNORECASE,
        ),
    ),
    (
        "meeting",
        re.compile(
            r"\bmet\b|\bmeets?\b|\bmeeting\b|\breceived\b|\breceives\b|\breceiving\b|\bhosted\b|\bhosts\b|"
            r"\btalks\b|\bdiscussions?\b|\bdiscussed\b|\bcalled\s+on\b|\bcalls\s+on\b|\bcourtesy\s+(?:call|visit)\b|"
            r"\baudience\b|\bconsultations\b|\bnegotiations\b|\bexchanged\s+views\b|\bwelcomed\b|"
            r"\binterlocutors\b|\bthe\s+parties\b|\bthe\s+sides\b|\bconversation\b|\bdialogue\b|\bconferred\b|"
            r"\bpresented\b|\bhanded\s+over\b|\bsigned\b|\b(?:state\s+|official\s+)?(?:dinner|luncheon|banquet)\b|"
            r"\bin\s+honou?r\s+of\b|\bwelcom(?:ing|e)\s+ceremony\b|\bguard\s+of\s+honou?r\b",
            re.IGNORECASE,
        ),
    ),
)
# An official trip; its alternatives with a keyword ("visit", "arrived", ...) run only where the keyword is.
_VISIT_WORDS = (
    r"\b(?:state|official|working|bilateral|friendly|\w+-day)\s+visit\b|\bon\s+a\s+visit\s+to\b|"
    r"\b(?:arrived|arrives|arriving|arrival)\s+(?:in|at)\b|\b(?:departed|departs|left|leaves)\s+(?:for|on)\b|"
    r"\bvisit\s+to\b|\bduring\s+(?:his|her|their|the)\s+(?:\w+\s+){0,2}visit\b|"
    r"\bconclud(?:ed|es|ing)\s+(?:his|her|the|a)\s+(?:\w+\s+){0,3}visit\b|\bon\s+the\s+sidelines\s+of\b|"
    r"\bwho\s+is\s+on\s+an?\b"
)
_VISIT_BEING_IN = r"\b(?:is|was|are|were)\s+(?:currently\s+)?(?:in|visiting)\s+(?:the\s+)?(?-i:(?=[A-Z]))"
_VISIT = re.compile(f"{_VISIT_WORDS}|{_VISIT_BEING_IN}", re.IGNORECASE)
_VISIT_PARTS = (re.compile(_VISIT_WORDS, re.IGNORECASE), re.compile(_VISIT_BEING_IN, re.IGNORECASE))
_NOT_TRIP = re.compile(
    r"\binvit\w*\b[^.]{0,80}\bto\s+(?:visit|undertake|pay|make)\b|\bfuture\s+visit\b|\bnext\s+year\b|"
    r"\bexpected\s+to\s+visit\b|\bat\s+an?\s+(?:early|convenient|mutually)\b|\bvisited\s+(?:the\s+)?President\b|"
    r"\b(?:previous|last|earlier|past)\s+visit\b|\bvisit\s+(?:by|of)\s+(?:the\s+)?(?:students|pupils)\b",
    re.IGNORECASE,
)
_PRIVATE_TRIP = re.compile(r"\b(?:private|personal|business)\s+(?:visit|trip)\b", re.IGNORECASE)
# Someone named as the sender of greetings, a message or an invitation is absent, not a counterpart;
# so is the deceased of a condolence (whose country still is one).
# Also absent: whoever someone else's words or greetings are conveyed *to* ("conveyed the words of support
# of the President to the Emir of Qatar X": X is not on the call; but "conveyed his condolences to Prime
# Minister X" is said to X), and whoever is praised ("thanks to the personal efforts of President X").
_GREETING_FROM = re.compile(
    r"(?:(?:greetings|salutations|wishes|regards|message|letter|invitation|congratulations|gratitude|thanks|"
    r"respects)"
    r"(?:\s+and\s+(?:best\s+)?\w+)?(?:\s+(?!to\b)\w+){0,3}?\s+(?:from|of|on\s+behalf\s+of)|on\s+behalf\s+of|"
    r"invited\s+by|at\s+the\s+invitation\s+of|sent\s+by|(?:greetings|salutations|regards|wishes)\s+to|"
    r"\b(?:conveyed|transmitted|passed\s+on)\b"
    r"(?=[^.;]{0,80}?\b(?:words|greetings|salutations|wishes|regards|support|message|condolences|congratulations)\b)"
    r"[^.;]{0,100}?(?:\b(?:of|from)\b|['’]s\b)[^.;]{0,80}?\bto|"
    r"\bthanks\s+to\s+(?:\S+\s+){0,4}?(?:of|with|by))\s+[^,.;]{0,90}$",
    re.IGNORECASE,
)
_ABBREVIATION = re.compile(r"\b([A-Z][a-z]?)\.")


def _absent_context(text: str) -> str:
    """The text before a name with abbreviation dots removed ("wishes of H.E. Olaf Scholz"), so the
    greeting and condolence patterns, which stop at a full stop, read across honorifics and initials."""
    return _ABBREVIATION.sub(r"\1 ", text) if "." in text else text


_DECEASED = re.compile(
    r"(?:demise|passing|death|funeral|memory|assassination|killing)\s+of\s+[^,.;]{0,90}$|\blate\s+[^,.;]{0,60}$",
    re.IGNORECASE,
)
_DIPLOMAT = re.compile(
    r"\b(?:Ambassador|ambassador|High\s+Commissioner|Chargé|Charge\s+d|Envoy|envoy|Nuncio|Consul|"
    r"Embassy|embassy|High\s+Commission|Counsellor|Attaché|Minister[- ]Counsellor|Defence\s+Attach|"
    r"diplomat|Diplomat|Deputy\s+Chief\s+of\s+(?:the\s+)?Mission)",
)
_PARTY_NOUNS = (
    r"delegation|Delegation|side|officials|government|Government|authorities|counterpart|counterparts|leader|"
    r"leaders|leadership|President|Vice[- ]President|Prime\s+Minister|Premier|Minister|Ambassador|ambassador|"
    r"High\s+Commissioner|Deputy\s+High\s+Commissioner|Embassy|embassy|High\s+Commission|envoy|Envoy|Chargé|"
    r"Consul|Foreign\s+Minister|External\s+Affairs\s+Minister|Deputy|Speaker|King|Queen|Emir|Crown\s+Prince|"
    r"Chancellor|Governor-General|Governor\s+General|Parliament|parliamentarians|businessmen|investors|"
    r"companies|company|team|mission|Mission|Navy|Army|Air\s+Force|military|State\s+Councillor|Secretary|"
    r"Vice\s+Minister|Deputy\s+Minister|State\s+Minister|Sultan|Sheikh|Federal|Chief|Director|Commander"
)
_PARTY_AFTER = re.compile(rf"^(?:['’]s)?\s+(?:[A-Z][\w\-]+\s+){{0,3}}?(?:{_PARTY_NOUNS})\b")
_PARTY_BEFORE = re.compile(
    rf"(?:{_PARTY_NOUNS})\s+(?:\w+\s+){{0,4}}?(?:of|from)\s+(?:the\s+)?(?:Government\s+of\s+(?:the\s+)?)?$"
)


def _reversed_words(alternation: str) -> str:
    """An alternation of words, `\\s+` and `[- ]` for reversed text: each alternative backwards."""
    out = []
    for alternative in alternation.split("|"):
        units = re.findall(r"\\s\+|\[[^\]]*\]|[^\\\[\]()]", alternative)
        if "".join(units) != alternative:
            raise ValueError(f"not a plain alternative: {alternative}")
        out.append("".join(reversed(units)))
    return "|".join(out)


# `_PARTY_BEFORE` read backwards from the end of the reversed text: a search that must end at `$` tries
# every start, this one match tries one (only whether there is a match is wanted).
_PARTY_BEFORE_REVERSED = re.compile(
    rf"\n?(?:(?:\s+eht)?\s+fo\s+tnemnrevoG)?(?:\s+eht)?\s+(?:fo|morf)(?:\s+\w+){{0,4}}\s+"
    rf"(?:{_reversed_words(_PARTY_NOUNS)})"
)


def _party_before(before: str) -> bool:
    """`_PARTY_BEFORE.search(before)`: "the Ambassador of", "delegation from the Government of"."""
    return _may_end_party_before(before) and _PARTY_BEFORE_REVERSED.match(before[::-1]) is not None


_DESTINATION_BEFORE = re.compile(
    r"(?:visit\s+to|visits?|visiting|arrived\s+(?:in|at)|arrives\s+(?:in|at)|arrival\s+in|departed\s+for|"
    r"left\s+for|departs\s+for|trip\s+to|tour\s+of|in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ORG_PARTY_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:[A-Z][\w\-]+\s+){0,2}?(?:delegation|Delegation|team|mission|Mission|representatives?|"
    r"Representative|officials|President|Vice\s+President|Managing\s+Director|Director|Director-General|"
    r"Secretary-General|Secretary\s+General|Chairman|Chair|Head|Chief|Country\s+Director|Regional\s+Director|"
    r"Resident\s+Representative|Resident\s+Coordinator|Ambassador|Special\s+Envoy|Commissioner|staff|"
    r"Executive\s+Director|experts|leadership|Board|Administrator|CEO)\b"
)
_ORG_PARTY_BEFORE = re.compile(
    r"(?:\b(?:met|meets|meeting|talks|discussions?|consultations|call|conversation|videoconference|conference|"
    r"negotiations|dialogue)\s+(?:\w+\s+){0,2}?with\s+(?:the\s+|a\s+|an\s+)?(?:[\w\-]+\s+){0,2}?"
    r"|\b(?:met|received|receives|between|called\s+on|calls\s+on|hosted|joined)\s+(?:the\s+|a\s+|an\s+)?(?:[\w\-]+\s+){0,2}?"
    r"|\b(?:delegations?|representatives?|officials?|team|mission|[Hh]eads?|Presidents?|Directors?|Chief|"
    r"Secretary-General|Managing\s+Director|Chairman|Chair|staff|experts|leadership|Vice\s+Presidents?|"
    r"Governors?|Representatives?|Prime\s+Ministers|Ministers|[Ll]eaders)"
    r"\s+(?:\w+\s+){0,3}?(?:of|from)\s+(?:the\s+)?)$",
)
_ORG_SUBJECT = re.compile(r"^\s*(?:The\s+)?$")
_ORG_SUBJECT_VERB = re.compile(
    r"^\s+(?:has|have|will|pledged|pledges|expressed|expresses|agreed|agrees|assured|assures|committed|commits|"
    r"reaffirmed|reaffirms|announced|welcomed|welcomes|congratulated|extended|extends|offered|offers|praised|"
    r"appreciated|thanked|invited|proposed|requested|provided)\b"
)
_PRINCIPAL_TITLE = re.compile(
    r"\b(?:President|Prime\s+Minister|Head\s+of\s+State|head\s+of\s+state|Chairman\s+of\s+the\s+Cabinet|"
    r"Cabinet\s+Chairman|Speaker|Foreign\s+Minister|Minister\s+of\s+Foreign\s+Affairs|Secretary\s+to\s+the\s+President)\b"
)
_LOCATION_AT = re.compile(
    r"\bat\s+(?:the\s+)?((?:[A-Z][\w’'\-]+\s+){0,5}(?:Secretariat|House|Palace|Office|Hall|Complex|Residence|"
    r"Headquarters|Ministry|Embassy|Kremlin|Ak\s+Orda|Ala-Archa|Yntymak\s+Ordo|Hotel|Centre|Center|Airport|"
    r"Parliament|Assembly|Temple|Building))\b"
)


@dataclass(slots=True)
class _Party:
    """A foreign party found in a sentence, before it becomes a counterpart."""

    kind: str  # person | organization | country
    key: str
    name: str
    country: str | None
    alias: str
    role: str | None
    span: Span
    org: tuple[str, str] | None = None  # (org_id, surface) of the organization a person speaks for


@dataclass(eq=False, slots=True)  # compared by identity: `in` tests on lists of sentences compare no fields
class _Sentence:
    index: int
    span: Span
    text: str
    hits: list[Hit]
    kinds: list[str]
    visit: bool
    dates: list[DateMention]
    parties: list[_Party] = field(default_factory=list)
    home_people: list[str] = field(default_factory=list)
    ours: list[str] = field(default_factory=list)  # people shown as ours by their role or the gazetteer
    unknown: list[tuple[str, Span]] = field(default_factory=list)  # named people of no stated side
    possible: int = -1  # `_filter(text)`: the patterns that may match it (all, unless computed)


@dataclass(slots=True)
class _Draft:
    kind: str
    day: date
    first: _Sentence
    sentences: list[_Sentence]
    parties: dict[str, _Party]


_LEADER_BEFORE = re.compile(
    r"(?:President|Prime\s+Minister|Chairman\s+of\s+the\s+Cabinet(?:\s+of\s+Ministers)?|Speaker|King|Emir|"
    r"Chancellor|[Hh]ead\s+of\s+(?:the\s+)?[Ss]tate|Government|Parliament|Jogorku\s+Kenesh)"
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
       Kyrgyzstan X met with ...": the sending state; "Kyrgyz Deputy Foreign Minister X and ...");
    3. the first leader named anywhere in the body;
    4. a score over every country mention: +3 when named as a leader's country ("President of the
       Kyrgyz Republic"), +1 per other mention, -2 as a guest diplomat's or delegation's country.
    Where a step offers several countries ("Ilham Aliyev congratulates Sadyr Japarov"), the one with
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
    in_body = _leader_countries(hits, gaz, day)
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
            score[hit.key] += 3 if leader else 1
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
    name alone when exactly one holder in office has it ("Abylgaziev to meet with Shavkat Mirziyoyev"),
    and countries named with a leader's office ("Kyrgyz President Japarov", "Kazakh, Kyrgyz Presidents")."""
    found: list[tuple[int, str | None]] = []  # (where, country): None for a holder who leads nothing
    for hit in title_hits:
        if hit.kind == "person":
            found.append((hit.start, _leader_country(gaz.holder(hit.key, day), day)))
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
            continue  # "Cabinet Chairman tells Mishustin": the one spoken to is the guest
        found.append((m.start(), _leader_country(gaz.holder_by_family(m.group(0), None, day), day)))
    out: list[str] = []
    for _, country in sorted((at, c) for at, c in found if c is not None):
        if country not in out:
            out.append(country)
    return out


_TITLE_OBJECT_BEFORE = re.compile(
    r"\b(?:tells?|told|with|meets?|met|receives?|received|hosts?|hosted|welcomes?|welcomed|calls?|called|"
    r"congratulates?|congratulated|thanks?|thanked|invites?|invited|to|and)\s+$"
)
# A leader's office after a country's name or demonym in a headline ("Kyrgyz President", "Kazakh,
# Kyrgyz Presidents", "Kyrgyzstan's Prime Minister").
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


# A dateline opening the lead ("BISHKEK, Kyrgyzstan, April 17.", "Bishkek, June 9, 2023. / Kabar /.",
# "BISHKEK. KAZINFORM", "(MENAFN- Trend News Agency) BAKU, December 16."): where the story is filed,
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
    ("Assistant Secretary of State X met with Kyrgyz Foreign Minister Y" in a deployment that reads Kyrgyz
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
}


def _registry_sources() -> list[Source]:
    from etl.sources import load_registry

    return list(load_registry().values())


# Word stems every trigger contains: a plain substring test rules out most sentences before any regex runs.
_TRIGGER_STEMS = (
    "met",
    "meet",
    "receiv",
    "host",
    "talk",
    "discuss",
    "call",
    "courtesy",
    "audience",
    "consultation",
    "negotiation",
    "view",
    "interlocutor",
    "parties",
    "sides",
    "conversation",
    "dialogue",
    "confer",
    "present",
    "hand",
    "sign",
    "dinner",
    "lunch",
    "banquet",
    "honour",
    "honor",
    "welcom",
    "guard",
    "phone",
    "video",
    "virtual",
    "online",
    "via ",
    "credential",
    "credence",
    "congratul",
    "condolenc",
    "sympath",
    "greeting",
    "message",
    "letter",
    "telegram",
    "summit",
    "forum",
    "session",
    "assembly",
    "council",
    "conference",
    "ministerial",
    "multilateral",
    "high-level",
    "vesak",
)


# One Aho-Corasick pass over a sentence's lower-cased text tells which of these can match it: only those run.
_FILTERS = NeedleSet()
_STEMS_BIT = _FILTERS.add_stems(_TRIGGER_STEMS)
_KIND_BITS = tuple((kind, pattern, _FILTERS.add_pattern(pattern)) for kind, pattern in _KIND_PATTERNS)
_VISIT_WORDS_BIT = _FILTERS.add_pattern(_VISIT_PARTS[0])
_NOT_TRIP_BIT = _FILTERS.add_pattern(_NOT_TRIP)
_PRIVATE_TRIP_BIT = _FILTERS.add_pattern(_PRIVATE_TRIP)
# The date and topic pre-tests ride on the same pass: `_DATES_SHIFT`, `_TOPICS_SHIFT` place their bits.
_DATES_SHIFT = _FILTERS.include(dates.FILTERS)
_TOPICS_SHIFT = _FILTERS.include(topics.FILTERS)
_DATES_BITS = dates.FILTERS.bits
_TOPICS_BITS = topics.FILTERS.bits


def _date_bits(possible: int) -> int:
    return (possible >> _DATES_SHIFT) & _DATES_BITS


def _topic_bits(possible: int) -> int:
    return (possible >> _TOPICS_SHIFT) & _TOPICS_BITS


# Lower-case twins of the case-insensitive triggers, for the lower-cased sentence (`keywords.lower_case_twin`).
_KIND_TWINS = {kind: lower_case_twin(pattern) for kind, pattern in _KIND_PATTERNS}


def _filter(text: str) -> int:
    """The `_FILTERS` bits of the patterns that may match `text`."""
    return _FILTERS.mask(text, text.lower())


def _kinds(text: str, possible: int | None = None) -> list[str]:
    """The kinds whose triggers occur in `text`, in priority order (a cheap substring test first).

    `possible` is `_filter(text)` when the caller has it."""
    if possible is None:
        possible = _filter(text)
    if not possible & _STEMS_BIT:
        return []
    low = text.lower() if foldable(text) else None
    return [
        kind
        for kind, pattern, bit in _KIND_BITS
        if possible & bit
        and _found(pattern, _KIND_TWINS[kind], text, low)
        and (kind != "summit" or _attended_event(text, pattern))
    ]


def _found(pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str, low: str | None) -> bool:
    """`pattern.search(text)`, by its lower-case twin on `low` (`text.lower()` of a foldable text) if any."""
    if twin is not None and low is not None:
        return twin.search(low) is not None
    return pattern.search(text) is not None


# An event that is only being prepared ("discussed the preparation of the upcoming summit") is not one
# the principal attends.
_PREPARED = re.compile(
    r"\bprepar(?:ation|ations|ing|e|es)\s+(?:for|of)\s+(?:the\s+)?(?:[\w\-+]+\s+){0,8}$", re.IGNORECASE
)


def _attended_event(text: str, pattern: re.Pattern[str]) -> bool:
    """Is some mention of a multilateral event in `text` not one that is only being prepared?"""
    if "prepar" not in text.lower():
        return True
    return any(
        not _PREPARED.search(text[max(0, m.start() - 100) : m.start()]) for m in pattern.finditer(text)
    )


# Every match of `_VISIT_BEING_IN` in a `foldable` text is, lower-cased, a match of this case-sensitive
# pattern in the lower-cased text: a cheap pre-test for the slow case-insensitive one.
_BEING_IN_LOWER = re.compile(r"(?:is|was|are|were)\s+(?:currently\s+)?(?:in|visiting)\s")


def _visit_search(text: str, possible: int, low: str | None = None) -> bool:
    """`_VISIT.search(text)`, its keyword alternatives only where a keyword is. `low` is `text.lower()`
    of a foldable text, for the lower-case twins, if the caller has it."""
    if low is None and foldable(text):
        low = text.lower()
    if possible & _VISIT_WORDS_BIT and _found(_VISIT_PARTS[0], _VISIT_WORDS_TWIN, text, low):
        return True
    if low is not None and _BEING_IN_LOWER.search(low) is None:
        return False
    return _VISIT_PARTS[1].search(text) is not None


def _is_visit(text: str, possible: int) -> bool:
    """Does `text` speak of an official trip (`_VISIT`, and neither a private nor a planned one)?"""
    low = text.lower() if foldable(text) else None
    if not _visit_search(text, possible, low):
        return False
    if possible & _PRIVATE_TRIP_BIT and _found(_PRIVATE_TRIP, _PRIVATE_TRIP_TWIN, text, low):
        return False
    return not (possible & _NOT_TRIP_BIT and _found(_NOT_TRIP, _NOT_TRIP_TWIN, text, low))


_VISIT_WORDS_TWIN = lower_case_twin(_VISIT_PARTS[0])
_PRIVATE_TRIP_TWIN = lower_case_twin(_PRIVATE_TRIP)
_NOT_TRIP_TWIN = lower_case_twin(_NOT_TRIP)


class _Context:
    """What the rules need to know about the release as a whole."""

    def __init__(self, release: Release, home: str | None, gaz: Gazetteer) -> None:
        self.release = release
        self.home = home
        self.gaz = gaz
        self.day = release.published_at.date()
        self.focus: str | None = None  # the foreign country the release is mostly about, if one dominates
        self.is_place = _place_test(gaz)
        self.home_sentences: frozenset[int] = frozenset()  # indices of sentences naming one of ours
        # (offset, country) of each mention of a home envoy's posting ("Kyrgyz Ambassador to Japan")
        self.envoy_posts: tuple[tuple[int, str], ...] = ()

    @property
    def home_names(self) -> tuple[str, ...]:
        """The home country's names, longest first (for regexes)."""
        return _home_names(self.gaz, self.home)


@lru_cache(maxsize=64)
def _home_names(gaz: Gazetteer, home: str | None) -> tuple[str, ...]:
    if not home:
        return ()
    return tuple(sorted(gaz.country_names.get(home, []), key=len, reverse=True))


_PLACE_WORDS = frozenset({"Sri", "Lanka", "Lankan", "Kyrgyz", "Republic", "U.S.", "UAE", "UK", "EU", "UN"})


# Words of multi-word country names that are also given or family names ("Saint Martin", "Sierra Leone").
_NAME_LIKE_PLACE_WORDS = frozenset(
    "New South North The Saint San Santa Martin Vincent Lucia Helena Marino Thomas Pierre Leone Salvador "
    "Marshall Solomon Christopher Kitts Nevis Barthelemy Barthélemy Heard Mcdonald McDonald Howland Baker "
    "Johnston Wake Jarvis Palmyra Kingman Navassa Norfolk Clipperton Bouvet Christmas Cocos Keeling Pitcairn "
    "Wallis Futuna Turks Caicos Georgia Jordan Chad Israel Jersey".split()
)


@lru_cache(maxsize=1)
def _place_test(gaz: Gazetteer) -> Callable[[str], bool]:
    """`is_place` for `find_persons`: one function per gazetteer, so that its answers can be cached."""
    known = _known_words(gaz)

    def is_place(word: str) -> bool:
        """A word of a country's, demonym's or organization's name: never part of a person's name."""
        return word in _PLACE_WORDS or word in known

    return is_place


@lru_cache(maxsize=1)
def _known_words(gaz: Gazetteer) -> frozenset[str]:
    words: set[str] = set(gaz.demonym_of)
    for names in gaz.country_names.values():
        for name in names:
            words.update(name.split())
    for org in gaz.organizations.values():
        words.update(a for a in org.aliases if " " not in a)
    return frozenset(w for w in words if w[:1].isupper() and w not in _NAME_LIKE_PLACE_WORDS)


def _hits_in(hits: list[Hit], starts: list[int], span: Span) -> list[Hit]:
    i = bisect_right(starts, span.start - 1)
    out = []
    while i < len(hits) and hits[i].start < span.end:
        out.append(hits[i])
        i += 1
    return out


# An enumeration of the countries that diplomats or delegations come from or represent.
_REPRESENTED = re.compile(
    r"\b(?:represent(?:s|ing|ed)?|from|of\s+the\s+following\s+countries:?)\s+"
    r"(?:(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:and\s+|of\s+(?:the\s+)?)?[A-Z][\w’'\-]*)*\s*(?:,\s*|,?\s+and\s+))*(?:the\s+)?$"
)
_DIPLOMATS_NAMED = re.compile(
    r"\b(?:[Aa]mbassadors?|[Hh]igh\s+[Cc]ommissioners?|[Ee]nvoys|[Dd]iplomats|[Dd]elegations?|[Rr]epresentatives)\b"
)


def _country_party(ctx: _Context, body: str, hit: Hit, sentence: _Sentence) -> bool:
    """Is this country mention a party to an engagement (not trade figures or background)?"""
    after = body[hit.end : hit.end + 60]
    before = body[max(sentence.span.start, hit.start - 80) : hit.start]
    if hit.kind == "demonym":
        return bool(_PARTY_AFTER.match(after))
    if _PARTY_AFTER.match(after) or _party_before(before):
        return True
    if sentence.visit and _DESTINATION_BEFORE.search(before):
        return True
    if (
        sentence.possible & _REPRESENTED_BIT
        and _REPRESENTED.search(body[sentence.span.start : hit.start])
        and _matches(sentence, _DIPLOMATS_NAMED, _DIPLOMATS_NAMED_BIT)
    ):
        return True  # "The new ambassadors represent Burkina Faso, Bosnia and Herzegovina, ... and Kenya."
    if not sentence.kinds:
        return False
    # "talks between Sri Lanka and India", "India and Sri Lanka signed", "held talks with China"
    between_home, and_home = _home_pair_patterns(ctx.gaz, ctx.home)
    if "between" in before and between_home.search(before):
        return True
    if and_home.match(after):
        return True
    return "with" in before and _TALKS_WITH_BEFORE.search(before) is not None


_TALKS_WITH_BEFORE = re.compile(
    r"\b(?:talks|met|meeting|negotiations|consultations|agreement|agreements|memorandum)\s+with\s+(?:the\s+)?(?:Government\s+of\s+(?:the\s+)?)?$"
)


@lru_cache(maxsize=64)
def _home_pair_patterns(gaz: Gazetteer, home: str | None) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns for "between <home> and" before a country and "and <home>" after it, compiled once
    per home country."""
    names = "|".join(re.escape(n) for n in _home_names(gaz, home)) or "(?!)"
    return (
        re.compile(rf"between\s+(?:the\s+)?(?:{names})\s+and\s+(?:the\s+)?$"),
        re.compile(rf"^\s+and\s+(?:the\s+)?(?:{names})\b"),
    )


def _org_party(body: str, hit: Hit, sentence: _Sentence, kind: str = "") -> bool:
    """Is this organization engaged (a party), not only named (an agenda, a venue, a programme)?"""
    if "summit" in sentence.kinds and not _matches(sentence, _STRONG_MEETING, _STRONG_MEETING_BIT):
        # the organization whose summit or session the principal attends
        around = body[max(0, hit.start - 40) : hit.end + 30]
        if re.search(
            r"(?:[Ss]ummit|[Ss]ession|[Mm]eeting|[Ff]orum|[Cc]ouncil|[Aa]ssembly|[Cc]onference)", around
        ):
            return True
    after = body[hit.end : hit.end + 60]
    before = body[max(sentence.span.start, hit.start - 50) : hit.start]
    if re.search(r"\(\s*$", before):  # "(IMF)" right after the full name: the full name decides
        return False
    if _ORG_SUBJECT.match(body[sentence.span.start : hit.start]) and _ORG_SUBJECT_VERB.match(
        re.sub(r"^\s*\([^)]*\)", "", after)
    ):
        return (
            True  # "The Bill & Melinda Gates Foundation has committed ...": the body acts in the engagement
        )
    return bool(_ORG_PARTY_AFTER.match(after) or _ORG_PARTY_BEFORE.search(before))


def _role_hits(ctx: _Context, role: str) -> list[Hit]:
    return ctx.gaz.find(role) if role else []


def _person_party(
    ctx: _Context,
    body: str,
    sentence: _Sentence,
    person: PersonMention,
    sentence_foreign: str | None,
    sentence_org: str | None = None,
) -> tuple[str, _Party | None]:
    """('home' | 'foreign' | 'unknown' | 'absent', party) for one named person."""
    start = sentence.span.start + person.start
    end = sentence.span.start + person.end
    holder = ctx.gaz.holder(person.name, ctx.day) or ctx.gaz.holder_by_family(person.name, None, ctx.day)
    country: str | None = None
    org_key: str | None = None
    org_name: str | None = None
    if holder is not None and holder.country_iso3 == ctx.home and holder.in_office(ctx.day):
        return "home", None
    left_hits = _role_hits(ctx, person.role_left)
    right_hits = _role_hits(ctx, person.role_right)
    for role, hits in ((person.role_left, left_hits), (person.role_right, right_hits)):
        if role is person.role_right and _looks_domestic(person.role_left):
            return "home", None  # "Secretary to the President X, KOICA Country Director Y": X is ours
        # "Country Division Director – Maldives, Nepal and Sri Lanka – World Bank Group": an official of
        # the organization, whose countries are a portfolio, not the state the person represents
        portfolio = any(h.kind == "org" for h in hits) and sum(h.kind == "country" for h in hits) >= 2
        for h in hits:
            if h.kind in ("country", "demonym") and country is None and not portfolio:
                # "Ambassador of X to Y": the sending state comes first; "to Y", "in Y" is the host
                if _HOST_BEFORE.search(role[: h.start]):
                    continue
                country = h.key
            elif h.kind == "org" and org_key is None and country is None:
                org_key = h.key
                org_name = h.surface
        if country or org_key:
            break
    if country is None and org_key is None:
        if _looks_domestic(person.role_left) or (not person.role_left and _looks_domestic(person.role_right)):
            return "home", None
        role_text = f"{person.role_left} {person.role_right}"
        if _DIPLOMAT.search(role_text) and _POSTED_ABROAD.search(role_text):
            return (
                "home",
                None,
            )  # "High Commissioner to India" with no sending state: one of ours, posted abroad
    if holder is not None and country is None:
        country = holder.country_iso3 or None
    if country is None and _HOLY_SEE.search(f"{person.role_left} {person.role_right}"):
        country = "VAT"  # the Holy See's head and envoys are named by title, not by country
    if (
        country is None
        and org_key is None
        and holder is None
        and sentence_org is not None
        and (person.role_left or person.role_right)
        and not _looks_domestic(person.role_left or person.role_right)
        and not _MINISTRY_ROLE.search(person.role_left or person.role_right)
    ):
        org_key, org_name = sentence_org, ctx.gaz.organizations[sentence_org].name
    stated_role = person.role_left or person.role_right or None
    if country is None and org_key is None:
        if holder is None and sentence_foreign and not _looks_domestic(person.role_left):
            if (
                _DIPLOMAT.search(person.role_left or "")
                or _DIPLOMAT.search(person.role_right or "")
                or (_DELEGATION_WORDS.search(sentence.text) and not _HOME_DEMONYMS.search(sentence.text))
            ):
                country = sentence_foreign
        elif holder is None and (
            _DIPLOMAT.search(person.role_left or "") or _DIPLOMAT.search(person.role_right or "")
        ):
            country = "?"  # a diplomat of a country named elsewhere in the release
    if country is None and org_key is None:
        return "unknown", None
    if country == ctx.home and org_key is None:
        return "home", None
    canonical = holder.name if holder is not None else strip_honorifics(person.name)
    party = _Party(
        kind="person",
        key=f"person:{person_key(canonical)}",
        name=canonical,
        country=country,
        alias=person.name,
        role=_tidy_role(stated_role),
        span=Span(start, end),
    )
    if org_key is not None:
        party.org = (org_key, org_name or org_key)
    before = body[sentence.span.start : start][-160:]
    absent = _greeting_from(sentence, before) or _deceased(sentence, before)
    return ("absent" if absent else "foreign"), party


_PRINCIPAL_REF = re.compile(
    r"\b(?:President|Prime\s+Minister|Premier|Minister|Speaker|[Hh]ead\s+of\s+(?:the\s+)?(?:[Ss]tate|[Gg]overnment)|"
    r"Secretary\s+to\s+the\s+President|Chairman|Cabinet|[Gg]overnment|"
    r"Presidential\s+(?:Secretariat|Administration|Office|Palace|Residence|Complex)|"
    r"the\s+(?:two|both)\s+(?:leaders|sides|parties|countries|presidents|ministers)|[Bb]oth\s+(?:leaders|sides|parties)|"
    r"the\s+(?:parties|sides|interlocutors)|bilateral)\b"
)


def _mentions_principal(ctx: _Context, sentence: _Sentence) -> bool:
    """Does the sentence name someone of the publishing side (or the two sides) engaging?"""
    if sentence.home_people or _matches(sentence, _PRINCIPAL_REF, _PRINCIPAL_REF_BIT):
        return True
    if _PRONOUN_SUBJECT.match(sentence.text) and (
        sentence.index - 1 in ctx.home_sentences or sentence.index - 2 in ctx.home_sentences
    ):
        return True  # "He made these remarks during a meeting with X", right after one of ours is named
    return any(name in sentence.text for name in ctx.home_names)


# A later sentence that dates the engagement the previous ones told of.
_HELD_ON = re.compile(
    r"\b(?:meeting|talks|conversation|call|ceremony|consultations|negotiations)\s+(?:was|were)\s+held\b|"
    r"\b(?:meeting|talks|conversation|call|ceremony|consultations|negotiations)\s+took\s+place\b",
    re.IGNORECASE,
)
_PRONOUN_SUBJECT = re.compile(r"\s*(?:He|She)\s")


_HOME_DIPLOMAT = re.compile(
    r"\b(?:Sri\s+Lankan?|Kyrgyz|our)\s+(?:Ambassador|High\s+Commissioner|envoy|Embassy|diplomat)|"
    r"\bnewly\s+appointed\s+(?:state\s+)?(?:diplomats|ambassadors|envoys|heads\s+of\s+missions?)|\bForeign\s+Service\b"
)
_PLAN = re.compile(
    r"\b(?:expected\s+to|plans?\s+to|planning\s+to|intends?\s+to|hopes?\s+to|would\s+like\s+to|could|should|may)\b",
    re.IGNORECASE,
)


_DELEGATION_OR_ENVOYS = re.compile(r"\bdelegation\b|\benvoys\b")


def _foreign_diplomats(sentence: _Sentence) -> bool:
    """Does the sentence speak of foreign diplomats or a delegation without naming their country?"""
    if not _matches(sentence, _DIPLOMAT, _DIPLOMAT_BIT) and not _matches(
        sentence, _DELEGATION_OR_ENVOYS, _DELEGATION_OR_ENVOYS_BIT
    ):
        return False
    return not _matches(sentence, _HOME_DIPLOMAT, _HOME_DIPLOMAT_BIT)


_DOMESTIC_ROLE = re.compile(
    r"\bto the President\b|\bof the President\b|\bMP\b|Member of Parliament|Central Bank|"
    r"\bPresidential\s+(?:Senior\s+)?(?:Advis[eo]r|Secretary|Task\s+Force|Administration)|\bState Minister\b|"
    r"President[’']s Counsel|Cabinet Minister"
)
_HOST_BEFORE = re.compile(r"\b(?:to|in|for|at)\s+(?:the\s+)?$")
_POSTED_ABROAD = re.compile(r"\b(?:Ambassador|High\s+Commissioner|Consul\w*)(?:-designate)?\s+(?:to|for)\b")
_HOLY_SEE = re.compile(r"\b(?:Pope|Pontiff|Nuncio)\b")
_MINISTRY_ROLE = re.compile(r"\bMinist(?:er|ry)\b|\bMP\b|\bSecretary\s+to\b")
_DELEGATION_WORDS = re.compile(r"\bdelegation\b|\bside\b|\binterlocutor", re.IGNORECASE)
_HOME_DEMONYMS = re.compile(r"\bSri Lankan?\b|\bKyrgyz\b")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _looks_domestic(role: str) -> bool:
    return bool(_DOMESTIC_ROLE.search(role or ""))


def _tidy_role(role: str | None) -> str | None:
    if not role:
        return None
    role = _ARTICLE.sub("", role.strip(" ,"))
    return role[:160] or None


_LIST_VERB = re.compile(
    r"\b(?:met|meets|received|receives|called|held|said|stated|noted|thanked|discussed|welcomed|invited|"
    r"informed|assured|presented|handed)\b"
)
# A portfolio named without a country ("Minister of Labour") is an office of the publishing side in its own
# releases: foreign ministers are named with their country.
_PORTFOLIO = re.compile(
    r"\bMinist(?:er|ry)\s+of\b|\bMinistry\b|\bTreasury\b|\bSecretary\s+to\b|\bCentral\s+Bank\b|\bMP\b"
)


_ROLE_LINE = re.compile(rf"^(?:the\s+)?(?:[\w\-’']+\s+){{0,3}}?(?:{TITLE_WORDS})\b", re.IGNORECASE)


def _roles_on_next_line(ctx: _Context, sentences: list[_Sentence]) -> None:
    """Lists that put a name on one line and the office below it ("1. Mr. Haris Hrle" / "Ambassador-
    designate of Bosnia and Herzegovina based in New Delhi"): the office line speaks for the name."""
    for sentence, following in itertools.pairwise(sentences):
        if not sentence.unknown or not _ROLE_LINE.match(following.text):
            continue
        if find_persons(following.text, ctx.is_place):
            continue
        country = next(
            (
                h.key
                for h in following.hits
                if h.kind in ("country", "demonym")
                and h.key != ctx.home
                and not re.search(
                    r"\b(?:to|in|at)\s+(?:the\s+)?$", following.text[: h.start - following.span.start]
                )
            ),
            None,
        )
        if country is None:
            continue
        name, span = sentence.unknown.pop()
        canonical = strip_honorifics(name)
        sentence.parties.append(
            _Party(
                "person",
                f"person:{person_key(canonical)}",
                canonical,
                country,
                name,
                _tidy_role(following.text),
                span,
            )
        )
        sentence.parties.append(_country(ctx, country, name, span))


def _promote_known_people(ctx: _Context, sentences: list[_Sentence]) -> None:
    """A person named with a foreign role in one sentence keeps that side where named bare elsewhere."""
    known: dict[str, _Party] = {}
    for sentence in sentences:
        for p in sentence.parties:
            if p.kind == "person":
                known.setdefault(family_key(p.name), p)
    if not known:
        return
    for sentence in sentences:
        for name, span in sentence.unknown:
            party = known.get(family_key(name))
            if party is None:
                continue
            sentence.parties.append(
                _Party("person", party.key, party.name, party.country, name, party.role, span)
            )
            if party.org is not None:
                sentence.parties.append(_org_party_of(ctx, party.org[0], party.org[1], span))
            if party.country and party.country not in ("?", ctx.home):
                sentence.parties.append(_country(ctx, party.country, name, span))


def _drop_home_people(sentences: list[_Sentence]) -> None:
    """Someone the release shows as one of ours in one sentence is ours in every sentence."""
    home_keys = {family_key(name) for s in sentences for name in s.ours}
    if not home_keys:
        return
    for sentence in sentences:
        dropped = {
            p.alias for p in sentence.parties if p.kind == "person" and family_key(p.name) in home_keys
        }
        if dropped:
            sentence.parties = [
                p
                for p in sentence.parties
                if not (p.kind == "person" and family_key(p.name) in home_keys)
                and not (p.kind == "country" and p.alias in dropped)
            ]


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


def _foreign_signal(gaz: Gazetteer, home: str | None, hits: list[Hit], release: Release) -> bool:
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
    return _diplomat_named(release.body) or _diplomat_named(release.title)


# Every match of `_DIPLOMAT` contains one of these: a plain substring test rules out most texts.
_DIPLOMAT_PARTS = (
    "mbass",  # Ambassador, ambassador, Embassy, embassy
    "High",  # High Commissioner, High Commission
    "Charg",  # Chargé, Charge d
    "nvoy",  # Envoy, envoy
    "Nuncio",
    "Consul",
    "Counsellor",  # Counsellor, Minister-Counsellor
    "Attach",  # Attaché, Defence Attach
    "iplomat",  # diplomat, Diplomat
    "Deputy",  # Deputy Chief of Mission
)


def _diplomat_named(text: str) -> bool:
    """`_DIPLOMAT.search(text)`, after a substring pre-test."""
    for part in _DIPLOMAT_PARTS:
        if part in text:
            return _DIPLOMAT.search(text) is not None
    return False


# An engagement is reported within weeks, or announced within months; other dates are history
# ("relations established on 21 July 1970").
_REPORTED_WITHIN = timedelta(days=62)
_ANNOUNCED_WITHIN = timedelta(days=183)


def _plausible(day: date, published: date) -> bool:
    return published - _REPORTED_WITHIN <= day <= published + _ANNOUNCED_WITHIN


def _analyse(ctx: _Context, release: Release, hits: list[Hit]) -> list[_Sentence]:
    """The release's sentences with their triggers, gazetteer hits and dates.

    None when no sentence has an engagement trigger or speaks of a trip: every meeting starts at such a
    sentence, so the release has none, and nothing else about its sentences need be found.
    """
    body = release.body
    triggers: list[tuple[Span, str, int, tuple[str, ...], bool]] = []
    any_trigger = False
    for span in split_sentences(body):
        text = body[span.start : span.end]
        possible, kinds, visit = _triggers(text)
        any_trigger = any_trigger or bool(kinds) or visit
        triggers.append((span, text, possible, kinds, visit))
    if not any_trigger:
        return []
    published = release.published_at.date()
    ctx.day = narrative_day(body, release.published_at.date())
    starts = [h.start for h in hits]
    return [
        _Sentence(
            index=index,
            span=span,
            text=text,
            hits=_hits_in(hits, starts, span),
            kinds=list(kinds),
            visit=visit,
            dates=[
                d
                for d in find_dates(text, ctx.day, span.start, _date_bits(possible))
                if _plausible(d.day, published)
            ],
            possible=possible,
        )
        for index, (span, text, possible, kinds, visit) in enumerate(triggers)
    ]


def _triggers(text: str) -> tuple[int, tuple[str, ...], bool]:
    """A sentence's `_filter` bits, trigger kinds and whether it tells of a trip."""
    possible = _filter(text)
    return possible, tuple(_kinds(text, possible)), _is_visit(text, possible)


def _title_triggers(title: str) -> tuple[int, tuple[str, ...], bool]:
    """`_triggers` of a headline, where `_VISIT` alone tells of a trip."""
    possible = _filter(title)
    return possible, tuple(_kinds(title, possible)), _visit_search(title, possible)


_SENT_TO_BEFORE = re.compile(r"\b(?:to|for)\s+(?:the\s+)?$")
_HONORIFIC_DOT = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|H\.\s?E|Hon|Eng|Rev|Ven)\.")
_LISTING_WORDS = re.compile(r"\band\b|\balong\s+with\b|\btogether\s+with\b|\bas\s+well\s+as\b")


def _listing(gap: str) -> bool:
    """Do the words between two names list them: `[^.:]*(?:[,;]|<_LISTING_WORDS>)[^.:]*` as a full match,
    tested without the backtracking that costs (a mark has neither "." nor ":")."""
    if "." in gap or ":" in gap:
        return False
    return "," in gap or ";" in gap or _LISTING_WORDS.search(gap) is not None


def _sentence_parties(ctx: _Context, body: str, sentence: _Sentence, strict: bool = False) -> None:
    """Fill `sentence.parties` with the foreign parties named in it, and `home_people` with the principals."""
    home = ctx.home
    persons = find_persons(sentence.text, ctx.is_place, strict=strict)
    if not persons and not sentence.hits:  # most sentences: no one and nothing named
        if home is not None:
            _add_companies(ctx, body, sentence, [])
        return
    foreign_countries = [
        h.key
        for h in sentence.hits
        if h.kind in ("country", "demonym", "capital")
        and h.key != home
        and not _SENT_TO_BEFORE.search(body[max(0, h.start - 12) : h.start])
    ]
    sentence_foreign = foreign_countries[0] if len(set(foreign_countries)) == 1 else None
    orgs_here = {h.key for h in sentence.hits if h.kind == "org"}
    sentence_org = next(iter(orgs_here)) if len(orgs_here) == 1 and not foreign_countries else None
    person_spans: list[tuple[int, int]] = []
    entity_spans = [(h.start, h.end) for h in sentence.hits if h.kind in ("org", "country", "capital")]
    previous: tuple[str, _Party | None, int] | None = None
    for person in persons:
        start = sentence.span.start + person.start
        covering = next((e for s, e in entity_spans if s <= start < e), None)
        if covering is not None:
            trimmed = _after_entity(sentence, person, covering)
            if trimmed is None:
                continue
            person, start = trimmed, sentence.span.start + trimmed.start
        status, party = _person_party(ctx, body, sentence, person, sentence_foreign, sentence_org)
        gap = body[previous[2] : start] if previous is not None else ""
        if "." in gap:
            gap = _HONORIFIC_DOT.sub(" ", gap)
        listed = previous is not None and len(gap) < 120 and _listing(gap) and not _LIST_VERB.search(gap)
        if listed and previous is not None and previous[0] == "absent" and status in ("unknown", "foreign"):
            # "greetings from King Charles III and the Prime Minister, Sir Keir Starmer": both absent
            status, party = "absent", None
        if (
            status == "unknown"
            and listed
            and previous is not None
            and previous[0] == "foreign"
            and previous[1] is not None
            and not _PORTFOLIO.search(f"{person.role_left} {person.role_right}")
        ):
            # an enumeration of one delegation: "Minister X, Advisor Y and Secretary Z"
            prev = previous[1]
            status = "foreign"
            party = _Party(
                "person",
                f"person:{person_key(strip_honorifics(person.name))}",
                strip_honorifics(person.name),
                prev.country,
                person.name,
                _tidy_role(person.role_left or person.role_right),
                Span(start, start + len(person.name)),
            )
            party.org = prev.org
        previous = (status, party, sentence.span.start + person.end)
        person_spans.append((start, sentence.span.start + person.end))
        if status == "home":
            sentence.home_people.append(person.name)
            sentence.ours.append(person.name)
        elif status == "unknown":
            holder = ctx.gaz.holder(person.name, ctx.day)
            if holder is None and _PRINCIPAL_TITLE.search(person.role_left or ""):
                sentence.home_people.append(person.name)
            else:
                sentence.unknown.append((person.name, Span(start, sentence.span.start + person.end)))
        elif status == "absent" and party is not None:
            before = body[sentence.span.start : start][-160:]
            if _deceased(sentence, before) and party.country and party.country not in ("?", home):
                sentence.parties.append(_country(ctx, party.country, party.alias, party.span))
        elif status == "foreign" and party is not None:
            sentence.parties.append(party)
            if party.org is not None:
                sentence.parties.append(_org_party_of(ctx, party.org[0], party.org[1], party.span))
                if party.country is None and person.role_right:
                    # an official's portfolio ("Country Director – Kazakhstan and Tajikistan – World Bank"):
                    # its countries are not parties
                    at = body.find(person.role_right, sentence.span.start + person.end, sentence.span.end)
                    if at >= 0:
                        person_spans.append((at, at + len(person.role_right)))
            if party.country and party.country not in ("?", home):
                sentence.parties.append(_country(ctx, party.country, party.alias, party.span))
    for hit in sentence.hits:
        if person_spans and any(s <= hit.start < e for s, e in person_spans):
            continue
        if hit.kind == "person":
            holder = ctx.gaz.holder(hit.key, ctx.day)
            if holder is None:
                continue
            if holder.country_iso3 == home:
                sentence.home_people.append(holder.name)
                continue
            before = body[sentence.span.start : hit.start][-160:]
            if _greeting_from(sentence, before) or _deceased(sentence, before):
                if holder.country_iso3 and holder.country_iso3 != home and _deceased(sentence, before):
                    sentence.parties.append(
                        _country(ctx, holder.country_iso3, hit.surface, Span(hit.start, hit.end))
                    )
                continue
            sentence.parties.append(
                _Party(
                    "person",
                    f"person:{person_key(holder.name)}",
                    holder.name,
                    holder.country_iso3 or None,
                    hit.surface,
                    None,
                    Span(hit.start, hit.end),
                )
            )
            if holder.country_iso3 and holder.country_iso3 != home:
                sentence.parties.append(
                    _country(ctx, holder.country_iso3, hit.surface, Span(hit.start, hit.end))
                )
        elif hit.kind in ("country", "demonym", "capital") and hit.key != home:
            if hit.kind == "capital":
                continue
            if _country_party(ctx, body, hit, sentence):
                if _greeting_from(sentence, body[max(sentence.span.start, hit.start - 160) : hit.start]):
                    continue
                sentence.parties.append(_country(ctx, hit.key, hit.surface, Span(hit.start, hit.end)))
        elif hit.kind == "org" and _org_party(body, hit, sentence, ctx.gaz.organizations[hit.key].kind):
            if _greeting_from(sentence, body[max(sentence.span.start, hit.start - 160) : hit.start]):
                continue
            sentence.parties.append(_org_party_of(ctx, hit.key, hit.surface, Span(hit.start, hit.end)))
    if home is not None:
        _add_companies(
            ctx, body, sentence, [(h.start, h.end) for h in sentence.hits if h.kind == "org"] + person_spans
        )


def _add_companies(ctx: _Context, body: str, sentence: _Sentence, covered: list[tuple[int, int]]) -> None:
    """Add the foreign companies engaged in the sentence, outside the `covered` spans, with their country."""
    for company in _company_parties(ctx, body, sentence, covered):
        sentence.parties.append(company)
        if company.country and company.country != ctx.home:
            sentence.parties.append(_country(ctx, company.country, company.alias, company.span))


_COMPANY = re.compile(
    r"\b((?:[A-Z][\w&\-’'.]*\s+(?:&\s+|and\s+|of\s+(?:the\s+)?)?){0,6}?"
    r"(?:Corporation|Corp\.|Group|Company|Holdings|Foundation|Association|Chamber\s+of\s+Commerce|Bank|Fund|"
    r"Limited|Ltd\.?|Inc\.?|PLC|Enterprises?|Industries|University|Institute))\b"
    r"(?:\s+\(([A-Z][\w&\-]{1,9}(?:\s+(?:Group|Corporation|Company|Holdings))?)\))?"
)
_TITLE_HEADS = (
    r"Chairman|Chairwoman|Chair|President|Director|Director-General|CEO|Chief\s+Executive\s+Officer|Founder|"
    r"Head|Representatives?|Members?|Officials?|Governor|Secretary|Board|delegation|Delegation|team"
)
_GENERIC_ORG_WORDS = frozenset(
    "Central National Development Bank Fund Group Company Corporation Foundation Association Institute "
    "University Limited Ltd Industries Enterprise Enterprises Holdings Chamber Commerce of the and State "
    "People's Reserve International Investment Trust Agency Export Import Savings Commercial Regional".split()
)
_POSSESSIVE_COUNTRY = re.compile(r"^([A-Z][\w\s]*?)['’]s\s+")


# "business groups, including Vingroup, Sun Group and FPT Corporation", "the companies involved in these
# discussions were the China Communications Construction Company Ltd (CCCC), ...": a list of companies.
_COMPANY_LIST_LEAD = re.compile(
    r"\b(?:compan(?:y|ies)|corporations|groups|firms|enterprises|conglomerates|investors)\b[^.;]{0,60}?"
    r"(?:\bincluding|\bsuch\s+as|\bnamely|\bwere|:)\s+(?:the\s+)?"
)
# What may stand between the list's lead and one of its later names: other names, commas, "and".
# (Each word ends at a separator, so a word cannot be split in two and a failed match does not backtrack.)
_LIST_GAP = re.compile(r"(?:(?:[A-Z(][\w&\-’'.()]*|and|the|&)(?:[\s,]+|\Z))*")


def _listed_company(sentence: _Sentence, start: int) -> bool:
    """Is the company at `start` (offset in the sentence) one of a list of the companies an engagement
    sentence says were met ("held discussions with business groups, including ...")?"""
    if not (sentence.kinds or sentence.visit):
        return False
    before = sentence.text[:start]
    return any(_LIST_GAP.fullmatch(before, lead.end()) for lead in _COMPANY_LIST_LEAD.finditer(before))


def _after_entity(sentence: _Sentence, person: PersonMention, entity_end: int) -> PersonMention | None:
    """The name left when a candidate starts inside a country's or body's name: "President of Sierra
    Leone Maria Novak" gives "Maria Novak" with the whole "President of Sierra Leone" as the role."""
    cut = entity_end - sentence.span.start
    rest = sentence.text[cut : person.end].strip()
    if len(rest.split()) < 2:
        return None
    start = sentence.text.index(rest, cut)
    role = f"{person.role_left} {sentence.text[person.start : start]}".strip()
    return PersonMention(rest, start, start + len(rest), role, person.role_right)


def _company_parties(
    ctx: _Context, body: str, sentence: _Sentence, covered: list[tuple[int, int]]
) -> list[_Party]:
    """Foreign companies, foundations and banks not in the gazetteer, when engaged as such.

    Accepted only in a party position ("met with representatives of Vietnam's ROX Group", "Oracle
    Corporation's Executive Vice Chairman") and only when foreign: named with a foreign country or
    demonym, or in a sentence whose other parties are all of one foreign country.
    """
    out: list[_Party] = []
    if not sentence.possible & _COMPANY_BIT:
        return out
    foreign = {p.country for p in sentence.parties if p.country and p.country not in ("?", ctx.home)}
    for m in _COMPANY.finditer(sentence.text):
        start = sentence.span.start + m.start(1)
        end = sentence.span.start + m.end(1)
        if any(s < end and start < e for s, e in covered):
            continue
        name = m.group(1)
        probe_start = start
        titled = re.match(rf"^(?:.*\s)?(?:{_TITLE_HEADS})\s+(?:of|at)\s+(?:the\s+)?", name)
        if titled:  # "Executive Vice Chairman of Oracle Corporation"
            start += titled.end()
            probe_start = start
            name = name[titled.end() :]
        country: str | None = None
        lead = _POSSESSIVE_COUNTRY.match(name)
        name_hits = ctx.gaz.find(name)
        for h in name_hits:
            if h.kind in ("country", "demonym", "capital"):
                country = h.key
                break
        if lead:
            start += lead.end()
            name = name[lead.end() :]
        if len(name.split()) < 2 or country == ctx.home or any(n in name for n in ctx.home_names):
            continue
        if all(w.strip(",.") in _GENERIC_ORG_WORDS for w in name.split()):
            continue  # "the Central Bank", "National Development Bank": a kind of body, not a named one
        if country is None:
            if len(foreign) == 1:
                country = next(iter(foreign))
            elif not foreign and ctx.focus and sentence.kinds:
                country = (
                    ctx.focus
                )  # "the President also held talks with Sun Group" during a visit to Vietnam
            else:
                continue
        probe = Hit(probe_start, end, "org", "", name)
        if (
            not _org_party(body, probe, sentence)
            and not _STRONG_MEETING.search(body[max(0, start - 40) : start])
            and not _listed_company(sentence, probe_start - sentence.span.start)
        ):
            continue
        aliases = [name] + ([m.group(2)] if m.group(2) else [])
        out.append(
            _Party(
                "organization",
                f"org:{fold(name).replace(' ', '_')}",
                name,
                country,
                aliases[-1],
                None,
                Span(start, start + len(name)),
            )
        )
    return out


def _country(ctx: _Context, iso3: str, alias: str, span: Span) -> _Party:
    country = ctx.gaz.countries.get(iso3)
    name = country.name if country else iso3
    return _Party("country", f"country:{iso3}", name, iso3, alias, None, span)


def _org_party_of(ctx: _Context, org_id: str, alias: str, span: Span) -> _Party:
    org = ctx.gaz.organizations[org_id]
    return _Party("organization", f"org:{org_id}", org.name, org.country_iso3, alias, None, span)


_MEDIUM = re.compile(
    r"\b(?:message|letter|telegram|cable|note|tweet|post|wrote|writing|X\s+\(formerly|Twitter|social\s+media)\b",
    re.IGNORECASE,
)
_STRONG_MEETING = re.compile(
    r"\b(?:met|meets|meeting\s+with|held\s+(?:bilateral\s+)?(?:talks|discussions|a\s+meeting)|talks\s+with|"
    r"bilateral\s+(?:meeting|talks|discussions)|called\s+on|calls\s+on|courtesy\s+call|received|receives)\b",
    re.IGNORECASE,
)


def _meeting_kind(sentence: _Sentence) -> str | None:
    """The kind of engagement a sentence states: a meeting on the sidelines of a summit is a meeting, and a
    summit or session held by video is a summit (video_conference is for talks by video link)."""
    kinds = [k for k in sentence.kinds if k != "meeting"]
    if "summit" in kinds and _matches(sentence, _STRONG_MEETING, _STRONG_MEETING_BIT):
        kinds.remove("summit")
    if "summit" in kinds and "video_conference" in kinds:
        kinds.remove("video_conference")
    if kinds:
        return kinds[0]
    return "meeting" if sentence.kinds else None


_LENGTH = re.compile(r"\b(?P<n>two|three|four|five|six|seven|\d)-day\b", re.IGNORECASE)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _trip_days(sentence: _Sentence) -> list[tuple[int, date]]:
    """Candidate first days of a trip, ranked: a stated range or arrival (0), other days (1), departure (2).

    A trip reported at its end ("concluding his four-day state visit ... tonight (17)") started N-1 days
    before that day.
    """
    out: list[tuple[int, date]] = []
    explicit = [d for d in sentence.dates if d.explicit]
    if not explicit:
        return out
    length = _LENGTH.search(sentence.text)
    if length and re.search(r"\bconclu|\breturn|\bfinal\s+day|\blast\s+day", sentence.text, re.IGNORECASE):
        n = length.group("n").lower()
        lasted = timedelta(days=(int(n) if n.isdigit() else _NUMBERS[n]) - 1)
        return [(0, d.day - lasted) for d in explicit]
    for d in explicit:
        before = sentence.text[max(0, d.start - sentence.span.start - 60) : d.start - sentence.span.start]
        if re.search(r"\bfrom\s*$|\barriv\w*\b", before, re.IGNORECASE):
            priority = 0
        elif re.search(r"\b(?:depart\w*|left|leaves|leaving)\b", before, re.IGNORECASE):
            priority = 2
        else:
            priority = 1
        out.append((priority, d.day))
    return out


_ENVOY_TO = re.compile(
    r"\b(?:Ambassador|High\s+Commissioner|Permanent\s+Representative|Consul(?:\s+General)?|"
    r"Charg[ée]\s+d['’]\s?Affaires|Envoy)\b(?:\s+[\w\-]+){0,9}?\s+(?:to|in)\s+(?:the\s+)?$"
)


def _envoy_posts(body: str, hits: list[Hit], home: str | None) -> tuple[tuple[int, str], ...]:
    """Where the home side's own envoys serve ("Ambassador of the Kyrgyz Republic to Japan", "Kyrgyz
    Ambassador to Japan"), as (offset, country): an envoy's meetings there are work, not a trip."""
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


def _envoy_at_post(ctx: _Context, sentence: _Sentence, country: str) -> bool:
    """Does the sentence name a home envoy posted to `country` (so its engagement there is no trip)?"""
    span = sentence.span
    return any(c == country and span.start <= at < span.end for at, c in ctx.envoy_posts)


def _abroad(ctx: _Context, sentence: _Sentence, body: str) -> str | None:
    """The foreign country where an engagement takes place ("talks in Beijing", "held in New Delhi")."""
    for hit in sentence.hits:
        if hit.kind not in ("capital", "country") or hit.key == ctx.home:
            continue
        before = body[max(sentence.span.start, hit.start - 40) : hit.start]
        if hit.kind == "capital":
            if not re.search(r"\b(?:in|at)\s+(?:the\s+)?$", before[-8:]):
                continue
        elif not re.search(
            r"\b(?:held|took\s+place|meeting|met|talks|summit|forum|arrived|arrives|visit|visiting)\s+"
            r"(?:\w+\s+){0,2}?in\s+(?:the\s+)?$|\bin\s+(?:[A-Z][\w’'\-]*\s+){1,4}?[A-Z][\w’'\-]*,\s*$",
            before,
        ):
            continue
        if re.search(
            r"\b(?:resid\w*|based|located|accredited|employed|working|invest\w*|studying)\s+(?:\w+\s+){0,2}?in\s+(?:the\s+)?$",
            before,
        ):
            continue
        return hit.key
    return None


def _sentence_date(sentence: _Sentence, current: date, kind: str | None = None) -> date:
    """The date of the engagement a sentence states: of several, the one nearest its trigger verb
    ("who arrived yesterday, today (15) held talks" is the 15th)."""
    explicit = [d for d in sentence.dates if d.explicit] or sentence.dates
    if not explicit:
        return current
    if len(explicit) == 1 or kind is None:
        return explicit[0].day
    pattern = dict(_KIND_PATTERNS).get(kind)
    trigger = pattern.search(sentence.text) if pattern is not None else None
    if trigger is None:
        return explicit[0].day
    at = sentence.span.start + trigger.start()
    return min(explicit, key=lambda d: min(abs(d.start - at), abs(d.end - at))).day


def _title_parties(ctx: _Context, release: Release, title_hits: list[Hit]) -> list[_Party]:
    """Parties named in the headline: they stand for the lead sentence when it only says 'the Ambassador'.

    `title_hits` are the gazetteer's hits in the headline."""
    title = release.title
    possible, kinds, visit = _title_triggers(title)
    fake = _Sentence(
        0, Span(0, len(title)), title, list(title_hits), list(kinds), visit, [], possible=possible
    )
    _sentence_parties(ctx, title, fake, strict=True)  # headlines are in Title Case: only titled names count
    for p in fake.parties:
        p.span = Span(0, 0)
    return fake.parties


# Sentence-level patterns that run only where `_filter` finds one of their words. The greeting and
# condolence patterns read `_absent_context` of a part of the sentence, which only turns dots into spaces:
# their words, which have neither, occur there only if they occur in the sentence.
_COMPANY_BIT = _FILTERS.add_pattern(_COMPANY)
_GREETING_FROM_BIT = _FILTERS.add_pattern(_GREETING_FROM, avoid=". ")
_DECEASED_BIT = _FILTERS.add_pattern(_DECEASED, avoid=". ")
_STRONG_MEETING_BIT = _FILTERS.add_pattern(_STRONG_MEETING)
_MEDIUM_BIT = _FILTERS.add_pattern(_MEDIUM)
_PLAN_BIT = _FILTERS.add_pattern(_PLAN)
_PRINCIPAL_REF_BIT = _FILTERS.add_pattern(_PRINCIPAL_REF)
_LOCATION_AT_BIT = _FILTERS.add_pattern(_LOCATION_AT)
_REPRESENTED_BIT = _FILTERS.add_pattern(_REPRESENTED)
_DIPLOMATS_NAMED_BIT = _FILTERS.add_pattern(_DIPLOMATS_NAMED)
_DIPLOMAT_BIT = _FILTERS.add_pattern(_DIPLOMAT)
_DELEGATION_OR_ENVOYS_BIT = _FILTERS.add_pattern(_DELEGATION_OR_ENVOYS)
_HOME_DIPLOMAT_BIT = _FILTERS.add_pattern(_HOME_DIPLOMAT)


def _matches(sentence: _Sentence, pattern: re.Pattern[str], bit: int) -> bool:
    """`pattern.search(sentence.text)`, skipped where `_filter` rules it out."""
    return bool(sentence.possible & bit) and pattern.search(sentence.text) is not None


def _greeting_from(sentence: _Sentence, before: str) -> bool:
    """Is a name after `before` (a part of `sentence`) a sender of greetings, a message or an invitation?"""
    return bool(sentence.possible & _GREETING_FROM_BIT) and _absent_search(
        before, _GREETING_FROM, _GREETING_IN
    )


def _deceased(sentence: _Sentence, before: str) -> bool:
    """Is a name after `before` (a part of `sentence`) the deceased of a condolence?"""
    return bool(sentence.possible & _DECEASED_BIT) and _absent_search(before, _DECEASED, _DECEASED_IN)


# The sentence's pre-test says a greeting or condolence word is somewhere in it; this one, whether it is in
# the text before the name (the patterns are slow).
_ABSENT_FILTERS = NeedleSet()
_GREETING_IN = _ABSENT_FILTERS.add_pattern(_GREETING_FROM)
_DECEASED_IN = _ABSENT_FILTERS.add_pattern(_DECEASED)


def _absent_search(before: str, pattern: re.Pattern[str], bit: int) -> bool:
    """`pattern.search(_absent_context(before))`, after its pre-test."""
    context = _absent_context(before)
    return bool(_ABSENT_FILTERS.mask(context, context.lower()) & bit) and pattern.search(context) is not None


def _may_end_party_before(before: str) -> bool:
    """False where `_PARTY_BEFORE` cannot match: it ends in "of", "from" or "the" and white space."""
    return before[-1:].isspace() and before.rstrip().endswith(("of", "from", "the"))


def extract(release: Release, source: Source | None = None) -> tuple[Meeting, ...]:
    """Every diplomatic engagement of `release`, in the order the release tells them."""
    gaz = gazetteer()
    body = release.body
    title_hits = gaz.find(release.title)
    hits = gaz.find(body)
    home = source.country if source is not None else _home_country(release, hits, title_hits, gaz)
    if not _foreign_signal(gaz, home, [*hits, *title_hits], release):
        return ()  # most releases: nothing foreign is named, so nothing below can find an engagement
    ctx = _Context(release, home, gaz)
    sentences = _analyse(ctx, release, hits)
    if not sentences:
        return ()  # no sentence with a trigger or a trip: no meeting can start anywhere
    ctx.focus = _focus(gaz, home, [*title_hits, *hits])
    ctx.envoy_posts = _envoy_posts(body, hits, home)
    for sentence in sentences:
        _sentence_parties(ctx, body, sentence)
    title_parties = _title_parties(ctx, release, title_hits)
    _drop_home_people(sentences)
    ctx.home_sentences = frozenset(s.index for s in sentences if s.home_people)
    _roles_on_next_line(ctx, sentences)
    _promote_known_people(ctx, sentences)

    # the release's main foreign country fills in diplomats whose country is said elsewhere
    main_counter: dict[str, int] = {}
    for sentence in sentences:
        for p in sentence.parties:
            if p.kind == "country" and p.country:
                main_counter[p.country] = main_counter.get(p.country, 0) + 1
    for p in title_parties:
        if p.kind == "country" and p.country:
            main_counter[p.country] = main_counter.get(p.country, 0) + 2
    # the most named, the first named of those (as `Counter.most_common` would give)
    main_country = max(main_counter.items(), key=itemgetter(1))[0] if main_counter else None

    drafts: list[_Draft] = []
    current_day = ctx.day
    current: _Draft | None = None
    visit: _Draft | None = None
    visit_days: list[tuple[int, date]] = []  # (priority, day): a stated range or arrival beats other days
    visit_orgs: dict[str, _Party] = {}  # organizations named in the trip's sentences
    for sentence in sentences:
        if sentence.dates:
            current_day = _sentence_date(sentence, current_day)
        parties = list(sentence.parties)
        for p in parties:
            if p.kind == "person" and p.country == "?":
                p.country = main_country
        if not parties and sentence.index == 0 and (sentence.kinds or sentence.visit):
            parties = list(title_parties)
            sentence.parties = parties
        has_party = bool(parties)
        abroad = _abroad(ctx, sentence, body) if (sentence.kinds or sentence.visit) else None
        trip = (
            home is not None
            # an envoy's meeting in the country of posting starts no trip (one already under way goes on)
            and not (
                visit is None
                and abroad is not None
                and not sentence.visit
                and _envoy_at_post(ctx, sentence, abroad)
            )
            and (
                (sentence.visit and (has_party or main_country is not None or abroad is not None))
                or (abroad is not None and _meeting_kind(sentence) is not None)
            )
            # the trip's first sentence names who travels; later ones ("He arrived in Hanoi") continue it
            and (
                visit is not None
                or bool(sentence.home_people)
                or _matches(sentence, _PRINCIPAL_REF, _PRINCIPAL_REF_BIT)
            )
        )
        if trip:
            visit_days.extend(_trip_days(sentence))
            if visit is None:
                visit = _Draft("visit", _sentence_date(sentence, current_day), sentence, [sentence], {})
                drafts.append(visit)
            elif sentence not in visit.sentences:
                visit.sentences.append(sentence)
            for p in parties:
                if p.kind in ("country", "person"):
                    visit.parties.setdefault(p.key, p)
                elif p.kind == "organization":
                    visit_orgs.setdefault(p.key, p)
            if abroad is not None:
                party = _country(ctx, abroad, abroad, sentence.span)
                visit.parties.setdefault(party.key, party)
        kind = _meeting_kind(sentence)
        if (
            kind == "correspondence"
            and not _matches(sentence, _MEDIUM, _MEDIUM_BIT)
            and (current is not None or _matches(sentence, _STRONG_MEETING, _STRONG_MEETING_BIT))
        ):
            kind = (
                "meeting" if current is None else None
            )  # congratulations said in person: part of the meeting
        # "foreign ambassadors presented their credentials": the parties are named in the sentences after
        pending = kind is not None and not has_party and _foreign_diplomats(sentence)
        if (
            kind is not None
            and _matches(sentence, _PLAN, _PLAN_BIT)
            and not any(d.explicit for d in sentence.dates)
        ):
            kind = None  # a plan with no date is no engagement (CONTRACT §3: announced ones need a date)
        implicit = kind == "correspondence" and sentence.index <= 1  # a leader's own message names no sender
        if kind is not None and current is None and not implicit and not _mentions_principal(ctx, sentence):
            kind = None  # foreign names in a speech or background, with no one of ours engaging them
        if kind is None or not (has_party or pending):
            target = current if current is not None else visit
            if (
                target is not None
                and target is current
                and sentence.dates
                and not any(d.explicit for d in target.first.dates)
                and any(d.explicit for d in sentence.dates)
                and _HELD_ON.search(sentence.text)
            ):
                target.day = _sentence_date(sentence, current_day)  # "The meeting was held on 24 July."
            if target is not None:
                if sentence not in target.sentences:
                    target.sentences.append(sentence)
                for p in parties:
                    if target.kind == "summit" and p.kind != "organization":
                        continue  # "The summit was attended by ...": fellow participants, not engaged
                    if p.kind == "person" or target is current:
                        target.parties.setdefault(p.key, p)
            continue
        day = _sentence_date(sentence, current_day, kind)
        keys = {p.key for p in parties}
        if (
            current is not None
            and current.kind == kind
            and current.day == day
            and not _another_partner(ctx, current, parties, sentence)
        ):
            current.sentences.append(sentence)
            for p in parties:
                if kind == "summit" and p.kind != "organization":
                    continue  # "The summit was attended by ...": fellow participants, not engaged
                current.parties.setdefault(p.key, p)
            continue
        if current is not None and kind == "meeting" and keys <= set(current.parties) and current.day == day:
            current.sentences.append(sentence)
            continue
        current = _Draft(kind, day, sentence, [sentence], {p.key: p for p in parties})
        drafts.append(current)
    if visit is not None and visit_days:
        visit.day = min(visit_days)[1]
    if visit is not None and main_country and not any(p.kind == "country" for p in visit.parties.values()):
        party = _country(ctx, main_country, main_country, visit.first.span)
        visit.parties[party.key] = party
    if visit is not None and not visit.parties:  # "an official visit by a European Union delegation"
        visit.parties.update(visit_orgs)

    org_names = [Span(h.start, h.end) for h in hits if h.kind == "org"]
    meetings: list[Meeting] = []
    for ordinal, draft in enumerate(drafts):
        counterparts = _counterparts(draft, home)
        if not counterparts:
            continue
        topic_spans = [s.span for s in draft.sentences]
        meetings.append(
            Meeting(
                ordinal=ordinal,
                meeting_date=draft.day,
                kind=draft.kind,
                principal=_principal(ctx, draft, sentences),
                principal_country=home,
                location=_location(ctx, body, draft),
                evidence=draft.first.span,
                counterparts=counterparts,
                topics=tuple(
                    find_topics(
                        body, topic_spans, org_names, [_topic_bits(s.possible) for s in draft.sentences]
                    )
                ),
            )
        )
    return tuple(meetings)


def _another_partner(ctx: _Context, current: _Draft, parties: list[_Party], sentence: _Sentence) -> bool:
    """Does a sentence of the same kind and day start a separate engagement ("Kulubaev also spoke by
    telephone with the Foreign Minister of Malaysia" after a call with Armenia's)? Yes when someone of
    ours engages a party of another country than every country the current engagement has."""
    ours = {p.country for p in current.parties.values() if p.country and p.country != "?"}
    theirs = {p.country for p in parties if p.country and p.country != "?"}
    return bool(ours and theirs and not ours & theirs and _mentions_principal(ctx, sentence))


def _counterparts(draft: _Draft, home: str | None) -> tuple[CounterpartMention, ...]:
    out: list[CounterpartMention] = []
    seen: set[str] = set()
    for party in draft.parties.values():
        if party.kind == "country" and (party.country == home or party.country is None):
            continue
        if party.key in seen:
            continue
        seen.add(party.key)
        out.append(
            CounterpartMention(
                kind=party.kind,
                key=party.key,
                name=party.name,
                country_iso3=party.country if party.country != home else None,
                alias=party.alias,
                role=party.role,
                evidence=party.span if party.span.end > party.span.start else None,
            )
        )
    # a person's country is a counterpart country too
    for party in list(draft.parties.values()):
        if party.kind == "person" and party.country and party.country not in (home, "?"):
            key = f"country:{party.country}"
            if key not in seen:
                seen.add(key)
                out.append(
                    CounterpartMention(
                        "country", key, party.country, party.country, party.country, None, None
                    )
                )
    return tuple(out)


def _principal(ctx: _Context, draft: _Draft, sentences: list[_Sentence]) -> str | None:
    """The publishing-side person of an engagement: named in its sentences, else the head of state.

    Names are canonicalised against the office holders in office that day ("Anura Kumara Disanayaka"
    is the president's name misspelt), and people only guessed to be ours by a title are a last resort.
    """
    first = draft.first.ours or draft.first.home_people  # the sentence that starts it names who engages
    if first:
        return _canonical_principal(ctx, first[0], draft.day)
    for pool in ("ours", "home_people"):
        for sentence in draft.sentences:
            names: list[str] = getattr(sentence, pool)
            if names:
                return _canonical_principal(ctx, names[0], draft.day)
    text = draft.first.text
    if ctx.home and re.search(r"\bPresident\b|\bhead of state\b|\bHead of State\b", text):
        leaders = ctx.gaz.leaders(ctx.home, draft.day, ("president",))
        if leaders:
            return leaders[0].name
    for sentence in sentences:
        if sentence.ours:
            return _canonical_principal(ctx, sentence.ours[0], draft.day)
    return None


def _canonical_principal(ctx: _Context, name: str, day: date) -> str:
    holder = ctx.gaz.holder(name, day) or ctx.gaz.holder_by_family(name, ctx.home, day)
    if holder is not None:
        return holder.name
    words = strip_honorifics(name).split()
    if ctx.home and len(words) >= 2:
        # same given name and a family name that differs only in spelling ("Disanayaka", "Dissanayake")
        for leader in ctx.gaz.leaders(ctx.home, day, tuple(_LEADER_OFFICES)):
            lw = leader.name.split()
            if lw[0] == words[0] and family_key(leader.name)[:6] == family_key(name)[:6]:
                return leader.name
    return strip_honorifics(name)


def _location(ctx: _Context, body: str, draft: _Draft) -> str | None:
    for sentence in [draft.first, *draft.sentences[:3]]:
        for hit in sentence.hits:
            if hit.kind == "capital":
                return hit.surface
        place = _location_at(sentence.text) if sentence.possible & _LOCATION_AT_BIT else None
        if place is not None:
            return place
    return None


def _location_at(text: str) -> str | None:
    """The venue a sentence names ("at the Presidential Secretariat")."""
    m = _LOCATION_AT.search(text)
    return m.group(1).strip() if m else None
