"""Foreign companies, foundations and banks not in the gazetteer, when a sentence engages them as such."""

import re

from etl.extract.features import _Context, _country, _Party, _Sentence
from etl.extract.gazetteer import Hit
from etl.extract.names import fold
from etl.extract.positions import _org_party
from etl.records import Span


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
# discussions were the <country> Communications Construction Company Ltd (CCCC), ...": a list of companies.
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
    foreign = {p.country for p in sentence.parties if p.country and p.country not in ("?", ctx.home)}
    for m in ctx.rules.company.finditer(sentence.text):
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
                )  # "the President also held talks with Sun Group" during a visit to <country>
            else:
                continue
        probe = Hit(probe_start, end, "org", "", name)
        if (
            not _org_party(ctx, body, probe, sentence)
            and not ctx.rules.strong_meeting.search(body[max(0, start - 40) : start])
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
