"""Engagements from the analysed sentences: kinds, trips, drafts that join consecutive sentences about the
same parties and day, and the main loop, `extract`."""

from datetime import date, timedelta
from operator import itemgetter

from etl.extract import place_words
from etl.extract.counterparts import _counterparts, _location
from etl.extract.features import (
    _analyse,
    _Context,
    _country,
    _Draft,
    _matches,
    _Party,
    _Sentence,
)
from etl.extract.gazetteer import Gazetteer, Hit, gazetteer
from etl.extract.names import family_key
from etl.extract.parties import _sentence_parties, _title_parties
from etl.extract.people import _drop_home_people, _promote_known_people, _roles_on_next_line
from etl.extract.principal import _mentions_principal, _principal, own_words
from etl.extract.publisher import _envoy_posts, _focus, _foreign_signal, _home_country
from etl.extract.rules import Rules, rules_for
from etl.extract.titled import titled_holders
from etl.extract.topics import find_topics
from etl.records import Meeting, Release, Span, TopicMention
from etl.sources import Source


def _foreign_diplomats(ctx: _Context, sentence: _Sentence) -> bool:
    """Does the sentence speak of foreign diplomats or a delegation without naming their country?"""
    r = ctx.rules
    if not _matches(sentence, r.diplomat, r.diplomat_bit) and not _matches(
        sentence, r.delegation_or_envoys, r.delegation_or_envoys_bit
    ):
        return False
    return not _matches(sentence, r.home_diplomat, r.home_diplomat_bit)


def _meeting_kind(ctx: _Context, sentence: _Sentence) -> str | None:
    """The kind of engagement a sentence states: a meeting on the sidelines of a summit is a meeting, and a
    summit or session held by video is a summit (video_conference is for talks by video link)."""
    kinds = [k for k in sentence.kinds if k != "meeting"]
    if "summit" in kinds and _matches(sentence, ctx.rules.strong_meeting, ctx.rules.strong_meeting_bit):
        kinds.remove("summit")
    if "summit" in kinds and "video_conference" in kinds:
        kinds.remove("video_conference")
    if kinds:
        return kinds[0]
    return "meeting" if sentence.kinds else None


def _trip_days(ctx: _Context, sentence: _Sentence) -> list[tuple[int, date]]:
    """Candidate first days of a trip, ranked: a stated range or arrival (0), other days (1), departure (2).

    A trip reported at its end ("concluding his four-day state visit ... tonight (17)") started N-1 days
    before that day.
    """
    out: list[tuple[int, date]] = []
    explicit = [d for d in sentence.dates if d.explicit]
    if not explicit:
        return out
    en = ctx.rules.engagements
    length = en.trip_length.search(sentence.text)
    if length and en.trip_end.search(sentence.text):
        n = length.group("n").lower()
        lasted = timedelta(days=(int(n) if n.isdigit() else en.trip_length_numbers[n]) - 1)
        return [(0, d.day - lasted) for d in explicit]
    for d in explicit:
        before = sentence.text[max(0, d.start - sentence.span.start - 60) : d.start - sentence.span.start]
        if en.arrival_before.search(before):
            priority = 0
        elif en.departure_before.search(before):
            priority = 2
        else:
            priority = 1
        out.append((priority, d.day))
    return out


def _envoy_at_post(ctx: _Context, sentence: _Sentence, country: str) -> bool:
    """Does the sentence name a home envoy posted to `country` (so its engagement there is no trip)?"""
    span = sentence.span
    return any(c == country and span.start <= at < span.end for at, c in ctx.envoy_posts)


def _abroad(ctx: _Context, sentence: _Sentence, body: str) -> str | None:
    """The foreign country where an engagement takes place ("talks in <capital>", "held in <city>")."""
    en = ctx.rules.engagements
    for hit in sentence.hits:
        if hit.kind not in ("capital", "country") or hit.key == ctx.home:
            continue
        before = body[max(sentence.span.start, hit.start - 40) : hit.start]
        if hit.kind == "capital":
            if not en.in_capital_before.search(before[-8:]):
                continue
        elif not en.in_country_before.search(before):
            continue
        if en.resident_before.search(before):
            continue
        if en.coming.search(before):
            continue  # "at the upcoming conference in <city>": where a later event is, not this one
        return hit.key
    return None


def _sentence_date(ctx: _Context, sentence: _Sentence, current: date, kind: str | None = None) -> date:
    """The date of the engagement a sentence states: of several, the one nearest its trigger verb
    ("who arrived yesterday, today (15) held talks" is the 15th)."""
    explicit = [d for d in sentence.dates if d.explicit] or sentence.dates
    if kind == "correspondence" and explicit:
        # "congratulated X on his election on 10 March": the day of the occasion, not of the message, which
        # the release then does not date (the publication day)
        explicit = [
            d
            for d in explicit
            if not ctx.rules.engagements.occasion_before.search(
                ctx.release.body, max(sentence.span.start, d.start - 80), d.start
            )
        ]
        if not explicit:
            return ctx.day
    if not explicit:
        return current
    if len(explicit) == 1 or kind is None:
        return explicit[0].day
    pattern = ctx.rules.triggers.kind_patterns.get(kind)
    trigger = pattern.search(sentence.text) if pattern is not None else None
    if trigger is None:
        return explicit[0].day
    at = sentence.span.start + trigger.start()
    return min(explicit, key=lambda d: min(abs(d.start - at), abs(d.end - at))).day


def inferred_side(release: Release) -> str | None:
    """The publishing side of a release whose source nobody registered, as `extract` infers it (ISO3), for
    a release that holds no engagement to carry it: the headline's and lead's leaders, never the country
    named most. None for a language with no pack, or when the text does not say."""
    if _LAST_INFERRED and _LAST_INFERRED[0][0] is release:
        return _LAST_INFERRED[0][1]  # `extract` just inferred it: the gazetteer pass is not done twice
    rules = rules_for(release.lang)
    if rules is None:
        return None
    gaz = gazetteer()
    return _inferred(rules, gaz, release, gaz.find(release.title), gaz.find(release.body))[2]


# The side `extract` last inferred, with its release: the pipeline asks `inferred_side` of the same release
# right after extracting one that held no engagement. One entry per process.
_LAST_INFERRED: list[tuple[Release, str | None]] = []


def _titled(
    rules: Rules, gaz: Gazetteer, release: Release, title_hits: list[Hit], hits: list[Hit]
) -> tuple[list[Hit], list[Hit]]:
    """The headline's and the body's gazetteer hits with the office holders named by title and family name."""
    day = release.published_at.date()
    return (
        titled_holders(rules.persons, gaz, release.title, title_hits, day),
        titled_holders(rules.persons, gaz, release.body, hits, day),
    )


def _inferred(
    rules: Rules, gaz: Gazetteer, release: Release, title_hits: list[Hit], hits: list[Hit]
) -> tuple[list[Hit], list[Hit], str | None]:
    """The hits with titled family names, and the publishing side inferred from them (remembered for
    `inferred_side`)."""
    title_hits, hits = _titled(rules, gaz, release, title_hits, hits)
    home = _home_country(rules.publisher, release, hits, title_hits, gaz)
    _LAST_INFERRED[:] = [(release, home)]
    return title_hits, hits, home


def extract(release: Release, source: Source | None = None) -> tuple[Meeting, ...]:
    """Every diplomatic engagement of `release`, in the order the release tells them, by the rules of its
    language (`rules.rules_for`): none for a language with no pack (`rules.has_pack`)."""
    rules = rules_for(release.lang)
    if rules is None:
        return ()
    gaz = gazetteer()
    body = release.body
    title_hits, hits = gaz.find(release.title), gaz.find(body)
    if source is None:  # the headline's and lead's leaders decide the side: titled family names count
        title_hits, hits, home = _inferred(rules, gaz, release, title_hits, hits)
    else:
        home = source.country
    if not _foreign_signal(rules, gaz, home, [*hits, *title_hits], release):
        return ()  # most releases: nothing foreign is named, so nothing below can find an engagement
    if source is not None:  # only now, for the releases that can hold an engagement
        title_hits, hits = _titled(rules, gaz, release, title_hits, hits)
    ctx = _Context(release, home, gaz, rules)
    sentences = _analyse(ctx, release, hits)
    if not sentences:
        return ()  # no sentence with a trigger or a trip: no meeting can start anywhere
    ctx.focus = _focus(gaz, home, [*title_hits, *hits])
    ctx.own_words = own_words(ctx)
    ctx.envoy_posts = _envoy_posts(rules.publisher, body, hits, home)
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
    # countries of the places the trip's engagements are held in ("talks in <city>"): where the trip names
    # no other country, its destination; where it does, only a venue (a city that seats an organization)
    visit_places: dict[str, _Party] = {}
    for sentence in sentences:
        if sentence.dates:
            current_day = _sentence_date(ctx, sentence, current_day)
        parties = list(sentence.parties)
        for p in parties:
            if p.kind == "person" and p.country == "?":
                p.country = main_country
        if (
            not parties
            and (sentence.index == 0 or (ctx.own_words and not drafts))
            and (sentence.kinds or sentence.visit)
        ):
            # the headline's parties for the lead, or in a leader's own words for the first engagement told
            # ("Opening remarks during his meeting with the Foreign Secretary of <country>")
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
                or (abroad is not None and _meeting_kind(ctx, sentence) is not None)
            )
            # the trip's first sentence names who travels; later ones ("He arrived in <capital>") continue it
            and (
                visit is not None
                or bool(sentence.home_people)
                or _matches(sentence, rules.principal_ref, rules.principal_ref_bit)
            )
            # a trip only looked forward to, with no day of its own, has not begun
            and not (
                visit is None
                and _matches(sentence, rules.plan, rules.plan_bit)
                and not any(d.explicit for d in sentence.dates)
            )
        )
        if trip:
            visit_days.extend(_trip_days(ctx, sentence))
            if visit is None:
                visit = _Draft("visit", _sentence_date(ctx, sentence, current_day), sentence, [sentence], {})
                drafts.append(visit)
            elif sentence not in visit.sentences:
                visit.sentences.append(sentence)
            for p in parties:
                if p.kind in ("country", "person"):
                    visit.parties.setdefault(p.key, p)
                elif p.kind == "organization":
                    visit_orgs.setdefault(p.key, p)
            if abroad is not None:  # the country of the place: a party only if no other country is (below)
                place = _country(ctx, abroad, abroad, sentence.span)
                visit_places.setdefault(place.key, place)
        kind = _meeting_kind(ctx, sentence)
        if (
            kind == "correspondence"
            and not _matches(sentence, rules.medium, rules.medium_bit)
            and (current is not None or _matches(sentence, rules.strong_meeting, rules.strong_meeting_bit))
        ):
            kind = (
                "meeting" if current is None else None
            )  # congratulations said in person: part of the meeting
        # "foreign ambassadors presented their credentials": the parties are named in the sentences after
        pending = kind is not None and not has_party and _foreign_diplomats(ctx, sentence)
        if (
            kind is not None
            and _matches(sentence, rules.plan, rules.plan_bit)
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
                and ctx.rules.engagements.held_on.search(sentence.text)
            ):
                target.day = _sentence_date(ctx, sentence, current_day)  # "The meeting was held on 24 July."
            if target is not None:
                if sentence not in target.sentences:
                    target.sentences.append(sentence)
                if (
                    parties
                    and _matches(sentence, rules.plan, rules.plan_bit)
                    and rules.engagements.later_occasion.search(sentence.text) is not None
                    and not any(d.explicit for d in sentence.dates)
                ):
                    continue  # "The leaders looked forward to meeting at the G20 Summit": no party of this one
                for p in parties:
                    if target.kind == "summit" and p.kind != "organization":
                        continue  # "The summit was attended by ...": fellow participants, not engaged
                    if p.kind == "person" or target is current:
                        target.parties.setdefault(p.key, p)
            continue
        if (
            current is not None
            and kind == "meeting"
            and ctx.rules.engagements.back_reference.match(sentence.text)
        ):
            # "The two leaders welcomed the agreement reached last night": the same encounter goes on; the
            # day it mentions is the agreement's, and the countries it names are its subject
            current.sentences.append(sentence)
            continue
        day = _sentence_date(ctx, sentence, current_day, kind)
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
        if not sentence.dates:
            # no day of its own: a sentence about parties an engagement of this kind already has is more of
            # that engagement, whatever day an earlier sentence spoke of
            same = next(
                (d for d in reversed(drafts) if d.kind == kind and keys and keys <= set(d.parties)), None
            )
            if same is not None:
                same.sentences.append(sentence)
                continue
        current = _Draft(kind, day, sentence, [sentence], {p.key: p for p in parties})
        drafts.append(current)
    if visit is not None and visit_days:
        visit.day = min(visit_days)[1]
    if visit is not None and visit_places and not any(p.kind == "country" for p in visit.parties.values()):
        visit.parties.update(visit_places)
    if visit is not None and main_country and not any(p.kind == "country" for p in visit.parties.values()):
        party = _country(ctx, main_country, main_country, visit.first.span)
        visit.parties[party.key] = party
    if visit is not None and not visit.parties:  # "an official visit by a European Union delegation"
        visit.parties.update(visit_orgs)

    org_names = [Span(h.start, h.end) for h in hits if h.kind == "org"]
    meetings: list[Meeting] = []
    for ordinal, draft in enumerate(drafts):
        if home in place_words.PUBLISHER_BODIES:
            _drop_home_body(ctx, draft, place_words.PUBLISHER_BODIES[home])
        principal = _principal(ctx, draft, sentences)
        counterparts = _counterparts(draft, home)
        if principal is not None:  # the principal under another form of the name is not the other side
            own = family_key(principal)
            counterparts = tuple(c for c in counterparts if c.kind != "person" or family_key(c.name) != own)
        if not counterparts:
            continue
        topic_spans = [s.span for s in draft.sentences]
        meetings.append(
            Meeting(
                ordinal=ordinal,
                meeting_date=draft.day,
                kind=draft.kind,
                principal=principal,
                principal_country=home,
                location=_location(ctx, body, draft),
                evidence=draft.first.span,
                counterparts=counterparts,
                topics=_with_agenda_bodies(
                    find_topics(
                        body,
                        topic_spans,
                        org_names,
                        [rules.topic_bits(s.possible) for s in draft.sentences],
                        rules.topics,
                    ),
                    ctx,
                    draft,
                ),
            )
        )
    return tuple(meetings)


def _drop_home_body(ctx: _Context, draft: _Draft, body: str) -> None:
    """A publisher that is an international body: its own bodies and their officials are its side, not the
    counterparts ("the High Representative of the <body>" on the body's own site)."""

    def ours(org_id: str | None) -> bool:
        seen = 0
        while org_id is not None and seen < 8:
            if org_id == body:
                return True
            org = ctx.gaz.organizations.get(org_id)
            org_id, seen = (org.parent if org else None), seen + 1
        return False

    def official(party: _Party) -> bool:
        if party.org is not None and ours(party.org[0]):
            return True
        holder = ctx.gaz.holder(party.name, ctx.day)
        return holder is not None and holder.office.startswith("head_of_org:") and ours(holder.office[12:])

    for key, party in list(draft.parties.items()):
        if (party.kind == "organization" and ours(key.removeprefix("org:"))) or (
            party.kind == "person" and official(party)
        ):
            del draft.parties[key]


# Kinds of organization (etl/data/organizations.tsv) whose naming in an engagement puts the multilateral
# agenda on it: the UN and its bodies, regional organizations, leaders' forums (CONTRACT §4 `multilateral`).
_AGENDA_BODIES = frozenset({"un", "un_body", "regional", "forum"})


# ... but not a body that is only where the engagement happens (the pack's `at_event_before`, `event_after`).
def _with_agenda_bodies(topics: list[TopicMention], ctx: _Context, draft: _Draft) -> tuple[TopicMention, ...]:
    """The engagement's topics, with `multilateral` where its sentences name the UN, one of its bodies, a
    regional organization or a forum as a subject, not as the party engaged, and no lexicon word already
    gave it (evidence: the first such name)."""
    if any(t.topic_id == "multilateral" for t in topics):
        return tuple(topics)
    engaged = {p.key for p in draft.parties.values() if p.kind == "organization"}
    for sentence in draft.sentences:
        for hit in sentence.hits:
            if (
                hit.kind == "org"
                and ctx.gaz.organizations[hit.key].kind in _AGENDA_BODIES
                and f"org:{hit.key}" not in engaged
                and not ctx.release.body[max(0, hit.start - 3) : hit.start].rstrip().endswith("(")
                and not ctx.rules.engagements.at_event_before.search(
                    ctx.release.body, max(0, hit.start - 60), hit.start
                )
                and not ctx.rules.engagements.event_after.match(ctx.release.body, hit.end)
            ):
                return (*topics, TopicMention("multilateral", Span(hit.start, hit.end)))
    return tuple(topics)


def _another_partner(ctx: _Context, current: _Draft, parties: list[_Party], sentence: _Sentence) -> bool:
    """Does a sentence of the same kind and day start a separate engagement ("<minister> also spoke by
    telephone with the Foreign Minister of <country B>" after a call with <country A>'s)? Yes when someone of
    ours engages a party of another country than every country the current engagement has."""
    ours = {p.country for p in current.parties.values() if p.country and p.country != "?"}
    theirs = {p.country for p in parties if p.country and p.country != "?"}
    return bool(ours and theirs and not ours & theirs and _mentions_principal(ctx, sentence))
