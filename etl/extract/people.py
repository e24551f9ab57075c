"""Cross-sentence rules for people: an office on the line below a name, a person's side carried to where the
name is given bare, and ours kept ours throughout."""

import itertools

from etl.extract.features import _Context, _country, _org_party_of, _Party, _Sentence
from etl.extract.names import family_key, person_key, strip_honorifics
from etl.extract.persons import find_persons
from etl.extract.positions import _tidy_role


def _roles_on_next_line(ctx: _Context, sentences: list[_Sentence]) -> None:
    """Lists that put a name on one line and the office below it ("1. Mr. Haris Hrle" / "Ambassador-
    designate of <country> based in <city>"): the office line speaks for the name."""
    pr = ctx.rules.persons
    for sentence, following in itertools.pairwise(sentences):
        if not sentence.unknown or not pr.role_line.match(following.text):
            continue
        if find_persons(following.text, pr, ctx.is_place):
            continue
        country = next(
            (
                h.key
                for h in following.hits
                if h.kind in ("country", "demonym")
                and h.key != ctx.home
                and not pr.role_line_posted_before.search(following.text[: h.start - following.span.start])
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
                _tidy_role(ctx.rules.parties.article, following.text),
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
