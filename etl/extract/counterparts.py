"""An engagement's counterparts (from its parties) and its venue."""

from etl.extract.features import _Context, _Draft
from etl.records import CounterpartMention


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


def _location(ctx: _Context, body: str, draft: _Draft) -> str | None:
    for sentence in [draft.first, *draft.sentences[:3]]:
        for hit in sentence.hits:
            if hit.kind == "capital":
                return hit.surface
        place = _location_at(ctx, sentence.text) if sentence.possible & ctx.rules.location_at_bit else None
        if place is not None:
            return place
    return None


def _location_at(ctx: _Context, text: str) -> str | None:
    """The venue a sentence names ("at the Presidential Secretariat")."""
    m = ctx.rules.location_at.search(text)
    return m.group(1).strip() if m else None
