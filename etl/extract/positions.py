"""Whether a named country, organization or person is a party to a sentence's engagement, from where it
stands in the sentence ("the Ambassador of <country>", "met with the <organization> delegation")."""

import re
from functools import lru_cache

from etl.extract import place_words
from etl.extract.absent import _deceased, _greeting_from
from etl.extract.features import _DIPLOMAT, _Context, _home_names, _matches, _Party, _Sentence
from etl.extract.gazetteer import Gazetteer, Hit
from etl.extract.names import person_key, strip_honorifics
from etl.extract.persons import PersonMention
from etl.records import Span

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
    rf"(?:{_PARTY_NOUNS}),?\s+(?:\w+\s+){{0,4}}?(?:of|from)\s+(?:the\s+)?(?:Government\s+of\s+(?:the\s+)?)?$"
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
    rf"\n?(?:(?:\s+eht)?\s+fo\s+tnemnrevoG)?(?:\s+eht)?\s+(?:fo|morf)(?:\s+\w+){{0,4}}\s+,?"
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


# An enumeration of the countries that diplomats or delegations come from or represent.
_REPRESENTED = re.compile(
    r"\b(?:represent(?:s|ing|ed)?|from|of\s+the\s+following\s+countries:?)\s+"
    r"(?:(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:and\s+|of\s+(?:the\s+)?)?[A-Z][\w’'\-]*)*\s*(?:,\s*|,?\s+and\s+))*(?:the\s+)?$"
)
_DIPLOMATS_NAMED = re.compile(
    r"\b(?:[Aa]mbassadors?|[Hh]igh\s+[Cc]ommissioners?|[Ee]nvoys|[Dd]iplomats|[Dd]elegations?|[Rr]epresentatives)\b"
)


_LIST_ENTRY_BEFORE = re.compile(
    r"\s*(?:(?:\d{1,3}|[a-z])[.)]|[-•*–·])?\s*(?:[Tt]he\s+)?(?:(?:[A-Z][\w\-’']+\s+){1,4}of\s+(?:the\s+)?)?"
)


def _country_party(ctx: _Context, body: str, hit: Hit, sentence: _Sentence) -> bool:
    """Is this country mention a party to an engagement (not trade figures or background)?"""
    after = body[hit.end : hit.end + 60]
    before = body[max(sentence.span.start, hit.start - 80) : hit.start]
    if hit.kind == "demonym":
        return bool(_PARTY_AFTER.match(after))
    if _PARTY_AFTER.match(after) or _party_before(before):
        return True
    if _LIST_ENTRY_BEFORE.fullmatch(before) and not body[hit.end : sentence.span.end].strip(" .;,"):
        return True  # a line that is only a country ("3. The <country>"): an entry of a list of
        # the parties, which joins the engagement it follows (the credentials of "the following countries")
    if sentence.visit and _DESTINATION_BEFORE.search(before):
        return True
    if (
        sentence.possible & ctx.rules.represented_bit
        and ctx.rules.represented.search(body[sentence.span.start : hit.start])
        and _matches(sentence, ctx.rules.diplomats_named, ctx.rules.diplomats_named_bit)
    ):
        return True  # "The new ambassadors represent <country>, <country>, ... and <country>."
    if not sentence.kinds:
        return False
    # "talks between <home> and <country>", "<country> and <home> signed", "held talks with <country>"
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


def _org_party(ctx: _Context, body: str, hit: Hit, sentence: _Sentence, kind: str = "") -> bool:
    """Is this organization engaged (a party), not only named (an agenda, a venue, a programme)?"""
    if "summit" in sentence.kinds and not _matches(
        sentence, ctx.rules.strong_meeting, ctx.rules.strong_meeting_bit
    ):
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
    if _CHAIRING_BEFORE.search(before) or _CHAIRING_AFTER.match(after):
        return False  # "priorities as ASEAN Chair", "its chairmanship of the G20": a state chairs it
    return bool(_ORG_PARTY_AFTER.match(after) or _ORG_PARTY_BEFORE.search(before))


# A state holding an organization's chair or presidency is not an engagement with the organization.
_CHAIRING_BEFORE = re.compile(
    r"(?:\bas\s+(?:the\s+)?(?:incoming\s+|current\s+|outgoing\s+|next\s+)?"
    r"(?:(?:Chair|Presidency)\s+of\s+(?:the\s+)?)?|\b(?:[Cc]hairmanship|[Cc]hairship|[Pp]residency)\s+of\s+(?:the\s+)?)$"
)
_CHAIRING_AFTER = re.compile(r"^(?:['’]s)?\s+(?:Chair|Chairmanship|Chairship|Presidency)\b(?!\s+[A-Z])")


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
    bare = strip_honorifics(person.name)  # "Dr <name>", "Hon. <name>": the gazetteer has the name alone
    holder = (
        ctx.gaz.holder(person.name, ctx.day)
        or ctx.gaz.holder(bare, ctx.day)
        or ctx.gaz.holder_by_family(person.name, None, ctx.day)
    )
    country: str | None = None
    org_key: str | None = None
    org_name: str | None = None
    if holder is not None and holder.country_iso3 == ctx.home and holder.in_office(ctx.day):
        return "home", None
    left_hits = _role_hits(ctx, person.role_left)
    right_hits = _role_hits(ctx, person.role_right)
    if (
        holder is not None
        and holder.country_iso3 == ctx.home
        and not any(h.kind in ("country", "demonym") and h.key != ctx.home for h in left_hits)
    ):
        # one of ours by the gazetteer (its dates may be stale), whose own title names no other state: the
        # words after the name ("will host the Minister of <country>") are someone else's
        return "home", None
    for role, hits in ((person.role_left, left_hits), (person.role_right, right_hits)):
        if role is person.role_right and _looks_domestic(person.role_left):
            return "home", None  # "Secretary to the President X, KOICA Country Director Y": X is ours
        # "Country Division Director – <country>, <country> and <country> – World Bank Group": an official of
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
            )  # "High Commissioner to <country>" with no sending state: one of ours, posted abroad
    if holder is not None and country is None:
        country = holder.country_iso3 or None
        if country is not None and country == ctx.home and org_key is None:
            return "home", None  # a holder of the home side, out of office by the gazetteer's (stale) dates
    if country is None:
        # a state whose head and envoys are named by title, not by the state's name
        country = next(
            (
                iso3
                for iso3, title in _TITLE_STATES
                if title.search(f"{person.role_left} {person.role_right}")
            ),
            None,
        )
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
    absent = _greeting_from(ctx.rules.absent, sentence, before) or _deceased(
        ctx.rules.absent, sentence, before
    )
    return ("absent" if absent else "foreign"), party


_DOMESTIC_ROLE = re.compile(
    r"\bto the President\b|\bof the President\b|\bMP\b|Member of Parliament|Central Bank|"
    r"\bPresidential\s+(?:Senior\s+)?(?:Advis[eo]r|Secretary|Task\s+Force|Administration)|\bState Minister\b|"
    r"President[’']s Counsel|Cabinet Minister"
)
_HOST_BEFORE = re.compile(r"\b(?:to|in|for|at)\s+(?:the\s+)?$")
_POSTED_ABROAD = re.compile(r"\b(?:Ambassador|High\s+Commissioner|Consul\w*)(?:-designate)?\s+(?:to|for)\b")
# States whose head and envoys are named by title, not by the state's name (etl/data/place_words.toml).
_TITLE_STATES = tuple(
    (iso3, re.compile(rf"\b(?:{'|'.join(map(re.escape, titles))})\b"))
    for iso3, titles in place_words.TITLE_STATES
)
_MINISTRY_ROLE = re.compile(r"\bMinist(?:er|ry)\b|\bMP\b|\bSecretary\s+to\b")
_DELEGATION_WORDS = re.compile(r"\bdelegation\b|\bside\b|\binterlocutor", re.IGNORECASE)
_HOME_DEMONYMS = re.compile(rf"\b(?:{place_words.alternation('home_demonyms', ' ')})\b")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _looks_domestic(role: str) -> bool:
    return bool(_DOMESTIC_ROLE.search(role or ""))


def _tidy_role(role: str | None) -> str | None:
    if not role:
        return None
    role = _ARTICLE.sub("", role.strip(" ,"))
    return role[:160] or None


_STRONG_MEETING = re.compile(
    r"\b(?:met|meets|meeting\s+with|held\s+(?:bilateral\s+)?(?:talks|discussions|a\s+meeting)|talks\s+with|"
    r"bilateral\s+(?:meeting|talks|discussions)|called\s+on|calls\s+on|courtesy\s+call|received|receives)\b",
    re.IGNORECASE,
)


def _may_end_party_before(before: str) -> bool:
    """False where `_PARTY_BEFORE` cannot match: it ends in "of", "from" or "the" and white space."""
    return before[-1:].isspace() and before.rstrip().endswith(("of", "from", "the"))
