"""The parties of one sentence (and of the headline): people, countries and organizations, with the listing
and absence rules that carry a side from one name to the next."""

from etl.extract import place_words
from etl.extract.absent import _deceased, _greeting_from
from etl.extract.companies import _add_companies
from etl.extract.features import _Context, _country, _matches, _org_party_of, _Party, _Sentence
from etl.extract.gazetteer import Hit
from etl.extract.names import person_key, strip_honorifics
from etl.extract.persons import PersonMention, find_persons
from etl.extract.positions import PartyRules, _country_party, _org_party, _person_party, _tidy_role
from etl.extract.triggers import _title_triggers
from etl.records import Release, Span


def _listing(pr: PartyRules, gap: str) -> bool:
    """Do the words between two names list them: `[^.:]*(?:[,;]|<listing_words>)[^.:]*` as a full match,
    tested without the backtracking that costs (a mark has neither "." nor ":")."""
    if "." in gap or ":" in gap:
        return False
    return "," in gap or ";" in gap or pr.listing_words.search(gap) is not None


def _sentence_parties(ctx: _Context, body: str, sentence: _Sentence, strict: bool = False) -> None:
    """Fill `sentence.parties` with the foreign parties named in it, and `home_people` with the principals."""
    home, pr = ctx.home, ctx.rules.parties
    persons = find_persons(sentence.text, ctx.rules.persons, ctx.is_place, strict=strict)
    if not persons and not sentence.hits:  # most sentences: no one and nothing named
        if home is not None:
            _add_companies(ctx, body, sentence, [])
        return
    foreign_countries = [
        h.key
        for h in sentence.hits
        if h.kind in ("country", "demonym", "capital")
        and h.key != home
        and not pr.sent_to_before.search(body[max(0, h.start - 12) : h.start])
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
        if covering is not None and body[start:covering] in place_words.NAME_LIKE and " " in person.name:
            covering = None  # a given name that is also a country's ("<country-word> <family name>")
        if covering is not None:
            trimmed = _after_entity(sentence, person, covering)
            if trimmed is None:
                continue
            person, start = trimmed, sentence.span.start + trimmed.start
        status, party = _person_party(ctx, body, sentence, person, sentence_foreign, sentence_org)
        gap = body[previous[2] : start] if previous is not None else ""
        if "." in gap:
            gap = pr.honorific_dot.sub(" ", gap)
        listed = (
            previous is not None and len(gap) < 120 and _listing(pr, gap) and not pr.list_verb.search(gap)
        )
        if listed and previous is not None and previous[0] == "absent" and status in ("unknown", "foreign"):
            # "greetings from King <name> and the Prime Minister, Sir <name>": both absent
            status, party = "absent", None
        if (
            status == "unknown"
            and listed
            and previous is not None
            and previous[0] == "foreign"
            and previous[1] is not None
            and not pr.portfolio.search(f"{person.role_left} {person.role_right}")
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
                _tidy_role(pr.article, person.role_left or person.role_right),
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
            if holder is None and pr.principal_title.search(person.role_left or ""):
                sentence.home_people.append(person.name)
            else:
                sentence.unknown.append((person.name, Span(start, sentence.span.start + person.end)))
        elif status == "absent" and party is not None:
            before = body[sentence.span.start : start][-160:]
            if (
                _deceased(ctx.rules.absent, sentence, before)
                and party.country
                and party.country not in ("?", home)
            ):
                sentence.parties.append(_country(ctx, party.country, party.alias, party.span))
        elif status == "foreign" and party is not None:
            sentence.parties.append(party)
            if party.org is not None:
                sentence.parties.append(_org_party_of(ctx, party.org[0], party.org[1], party.span))
                if party.country is None and person.role_right:
                    # an official's portfolio ("Country Director – <country> and <country> – World Bank"):
                    # its countries are not parties
                    at = body.find(person.role_right, sentence.span.start + person.end, sentence.span.end)
                    if at >= 0:
                        person_spans.append((at, at + len(person.role_right)))
            if party.country and party.country not in ("?", home):
                sentence.parties.append(_country(ctx, party.country, party.alias, party.span))
    listed_after = -1  # the end of the last country that was a party, while a list of them may go on
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
            if _greeting_from(ctx.rules.absent, sentence, before) or _deceased(
                ctx.rules.absent, sentence, before
            ):
                if (
                    holder.country_iso3
                    and holder.country_iso3 != home
                    and _deceased(ctx.rules.absent, sentence, before)
                ):
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
            listed = (
                listed_after >= 0 and pr.country_list_gap.fullmatch(body, listed_after, hit.start) is not None
            )
            if listed or _country_party(ctx, body, hit, sentence):
                if _greeting_from(
                    ctx.rules.absent, sentence, body[max(sentence.span.start, hit.start - 160) : hit.start]
                ):
                    continue
                sentence.parties.append(_country(ctx, hit.key, hit.surface, Span(hit.start, hit.end)))
                listed_after = hit.end  # "counterparts from <A>, <B> and <C>": the list goes on
                continue
            listed_after = -1
        elif hit.kind == "org" and (
            (listed_after >= 0 and pr.country_list_gap.fullmatch(body, listed_after, hit.start) is not None)
            or _org_party(ctx, body, hit, sentence, ctx.gaz.organizations[hit.key].kind)
        ):
            if _greeting_from(
                ctx.rules.absent, sentence, body[max(sentence.span.start, hit.start - 160) : hit.start]
            ):
                continue
            sentence.parties.append(_org_party_of(ctx, hit.key, hit.surface, Span(hit.start, hit.end)))
            listed_after = -1  # "... <B>, and the <organization>": a list of parties ends with a body
    if sentence.hits and _matches(sentence, ctx.rules.diplomat, ctx.rules.diplomat_bit):
        _envoys_of_countries(ctx, body, sentence, person_spans)
    if home is not None:
        _add_companies(
            ctx, body, sentence, [(h.start, h.end) for h in sentence.hits if h.kind == "org"] + person_spans
        )


def _envoys_of_countries(
    ctx: _Context, body: str, sentence: _Sentence, person_spans: list[tuple[int, int]]
) -> None:
    """In a sentence about envoys, people named with no title before the country they represent ("the new
    envoys included <name> of <country>, <name>, of <country>") are that country's."""
    pattern = ctx.rules.parties.envoy_of_before
    for hit in sentence.hits:
        if hit.kind != "country" or hit.key == ctx.home:
            continue
        window = max(sentence.span.start, hit.start - 80)
        m = pattern.search(body, window, hit.start)
        if m is None:
            continue
        start, end = m.start("name"), m.end("name")
        words = m.group("name").split()
        while words and (ctx.is_place(words[0]) or words[0] in {"The", "And"}):
            start += len(words[0]) + 1  # "... and <name>": the list's joining word is no part of the name
            words = words[1:]
        if len(words) < 2 or any(s < end and start < e for s, e in person_spans):
            continue
        if ctx.rules.persons.has_title(" ".join(words)) or any(
            w in ctx.rules.persons.not_name or ctx.is_place(w) for w in words
        ):
            continue  # "High Commissioner of <country>", "Diplomatic Academy of <country>": no name
        name = " ".join(words)
        person_spans.append((start, end))
        sentence.parties.append(
            _Party("person", f"person:{person_key(name)}", name, hit.key, name, None, Span(start, end))
        )
        if not any(p.kind == "country" and p.country == hit.key for p in sentence.parties):
            sentence.parties.append(_country(ctx, hit.key, hit.surface, Span(hit.start, hit.end)))


def _after_entity(sentence: _Sentence, person: PersonMention, entity_end: int) -> PersonMention | None:
    """The name left when a candidate starts inside a country's or body's name: "President of <two-word
    country> Maria Novak" gives "Maria Novak" with the whole "President of <two-word country>" as the role."""
    cut = entity_end - sentence.span.start
    rest = sentence.text[cut : person.end].strip()
    if len(rest.split()) < 2:
        return None
    start = sentence.text.index(rest, cut)
    role = f"{person.role_left} {sentence.text[person.start : start]}".strip()
    return PersonMention(rest, start, start + len(rest), role, person.role_right)


def _title_parties(ctx: _Context, release: Release, title_hits: list[Hit]) -> list[_Party]:
    """Parties named in the headline: they stand for the lead sentence when it only says 'the Ambassador'.

    `title_hits` are the gazetteer's hits in the headline."""
    title = release.title
    possible, kinds, visit = _title_triggers(ctx.rules.triggers, title)
    fake = _Sentence(
        0, Span(0, len(title)), title, list(title_hits), list(kinds), visit, [], possible=possible
    )
    _sentence_parties(ctx, title, fake, strict=True)  # headlines are in Title Case: only titled names count
    for p in fake.parties:
        p.span = Span(0, 0)
    return fake.parties
