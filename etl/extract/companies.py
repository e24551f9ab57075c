"""Foreign companies, foundations and banks not in the gazetteer, when a sentence engages them as such."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.extract.features import _Context, _country, _Party, _Sentence
from etl.extract.gazetteer import Hit
from etl.extract.names import fold
from etl.extract.pack import Pack
from etl.extract.positions import _org_party
from etl.records import Span


def _add_companies(ctx: _Context, body: str, sentence: _Sentence, covered: list[tuple[int, int]]) -> None:
    """Add the foreign companies engaged in the sentence, outside the `covered` spans, with their country."""
    for company in _company_parties(ctx, body, sentence, covered):
        sentence.parties.append(company)
        if company.country and company.country != ctx.home:
            sentence.parties.append(_country(ctx, company.country, company.alias, company.span))


@dataclass(frozen=True, slots=True, eq=False)
class CompanyRules:
    """A pack's companies.toml compiled (`rules.Rules.companies`; `company` is also a sentence test)."""

    company: re.Pattern[str]
    titled_company: re.Pattern[str]
    possessive_country: re.Pattern[str]
    generic_org_words: frozenset[str]
    list_lead: re.Pattern[str]
    list_gap: re.Pattern[str]


def compile_companies(pack: Pack) -> CompanyRules:
    """The company patterns of `pack` (its companies.toml)."""
    ph = pack.companies
    return CompanyRules(
        company=ph.compile("company"),
        titled_company=ph.compile("titled_company"),
        possessive_country=ph.compile("possessive_country"),
        generic_org_words=frozenset(ph.words_of("generic_org_words")),
        list_lead=ph.compile("list_lead"),
        list_gap=ph.compile("list_gap"),
    )


def _listed_company(cr: CompanyRules, sentence: _Sentence, start: int) -> bool:
    """Is the company at `start` (offset in the sentence) one of a list of the companies an engagement
    sentence says were met ("held discussions with business groups, including ...")?"""
    if not (sentence.kinds or sentence.visit):
        return False
    before = sentence.text[:start]
    return any(cr.list_gap.fullmatch(before, lead.end()) for lead in cr.list_lead.finditer(before))


def _company_parties(
    ctx: _Context, body: str, sentence: _Sentence, covered: list[tuple[int, int]]
) -> list[_Party]:
    """Foreign companies, foundations and banks not in the gazetteer, when engaged as such.

    Accepted only in a party position ("met with representatives of <country>'s ROX Group", "Oracle
    Corporation's Executive Vice Chairman") and only when foreign: named with a foreign country or
    demonym, or in a sentence whose other parties are all of one foreign country.
    """
    out: list[_Party] = []
    if not sentence.possible & ctx.rules.company_bit:
        return out
    cr = ctx.rules.companies
    foreign = {p.country for p in sentence.parties if p.country and p.country not in ("?", ctx.home)}
    for m in cr.company.finditer(sentence.text):
        start = sentence.span.start + m.start(1)
        end = sentence.span.start + m.end(1)
        if any(s < end and start < e for s, e in covered):
            continue
        name = m.group(1)
        probe_start = start
        titled = cr.titled_company.match(name)
        if titled:  # "Executive Vice Chairman of Oracle Corporation"
            start += titled.end()
            probe_start = start
            name = name[titled.end() :]
        country: str | None = None
        lead = cr.possessive_country.match(name)
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
        if all(w.strip(",.") in cr.generic_org_words for w in name.split()):
            continue  # "the Central Bank", "National Development Bank": a kind of body, not a named one
        if country is None:
            if len(foreign) == 1:
                country = next(iter(foreign))
            elif not foreign and ctx.focus and sentence.kinds:
                country = (
                    ctx.focus
                )  # "the President also held talks with Sun Group" during a visit to <country>
            else:
                continue
        probe = Hit(probe_start, end, "org", "", name)
        if (
            not _org_party(ctx, body, probe, sentence)
            and not ctx.rules.strong_meeting.search(body[max(0, start - 40) : start])
            and not _listed_company(cr, sentence, probe_start - sentence.span.start)
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
