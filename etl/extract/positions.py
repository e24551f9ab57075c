"""Whether a named country, organization or person is a party to a sentence's engagement, from where it
stands in the sentence ("the Ambassador of <country>", "met with the <organization> delegation")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from etl.extract import place_words
from etl.extract.absent import _deceased, _greeting_from
from etl.extract.features import _Context, _home_names, _matches, _Party, _Sentence
from etl.extract.gazetteer import Gazetteer, Hit
from etl.extract.names import person_key, strip_honorifics
from etl.extract.pack import Pack
from etl.extract.persons import PersonMention
from etl.extract.phrases import fill_in
from etl.records import Span


@dataclass(frozen=True, slots=True, eq=False)
class PartyRules:
    """A pack's parties.toml compiled: where a country, organization or person stands to be a party."""

    party_after: re.Pattern[str]
    party_before_reversed: re.Pattern[str]  # "the Ambassador of", read backwards (`_party_before`)
    party_before_ends: tuple[str, ...]  # the last words of every `party_before` match
    destination_before: re.Pattern[str]
    list_entry_before: re.Pattern[str]
    talks_with_before: re.Pattern[str]
    home_between: str  # with `${home}` for the home country's names (`_home_pair_patterns`)
    home_and: str
    org_party_after: re.Pattern[str]
    org_party_before: re.Pattern[str]
    org_subject: re.Pattern[str]
    org_subject_verb: re.Pattern[str]
    org_event_around: re.Pattern[str]
    chairing_before: re.Pattern[str]
    chairing_after: re.Pattern[str]
    domestic_role: re.Pattern[str]
    host_before: re.Pattern[str]
    posted_abroad: re.Pattern[str]
    ministry_role: re.Pattern[str]
    delegation_words: re.Pattern[str]
    article: re.Pattern[str]
    diplomat_parts: tuple[str, ...]  # one is in every match of `rules.Rules.diplomat`
    pronoun_subject: re.Pattern[str]  # principal.py
    head_of_state: re.Pattern[str]
    state_chair_before: re.Pattern[str]  # "<name>, Chair of the": a state, when the name is a country's
    envoy_of_before: re.Pattern[str]  # "<name> of <country>" in a sentence about envoys
    own_words: re.Pattern[str]  # a release in the principal's own words (principal.py)
    first_person: re.Pattern[str]
    # parties.py: lists of people and countries, the principal by title
    principal_title: re.Pattern[str]
    list_verb: re.Pattern[str]
    listing_words: re.Pattern[str]
    honorific_dot: re.Pattern[str]
    portfolio: re.Pattern[str]
    sent_to_before: re.Pattern[str]
    country_list_gap: re.Pattern[str]


def compile_parties(pack: Pack) -> PartyRules:
    """The party patterns of `pack` (its parties.toml)."""
    ph = pack.parties
    links, articles = ph.words_of("party_before_links"), ph.words_of("party_before_articles")
    government = ph.words_of("party_before_government")
    return PartyRules(
        party_after=ph.compile("party_after"),
        party_before_reversed=re.compile(
            _party_before_reversed(ph.source("party_nouns"), links, articles, government)
        ),
        party_before_ends=tuple(dict.fromkeys(w.split()[-1] for w in (*links, *articles, *government))),
        destination_before=ph.compile("destination_before"),
        list_entry_before=ph.compile("list_entry_before"),
        talks_with_before=ph.compile("talks_with_before"),
        home_between=ph.source("home_between"),
        home_and=ph.source("home_and"),
        org_party_after=ph.compile("org_party_after"),
        org_party_before=ph.compile("org_party_before"),
        org_subject=ph.compile("org_subject"),
        org_subject_verb=ph.compile("org_subject_verb"),
        org_event_around=ph.compile("org_event_around"),
        chairing_before=ph.compile("chairing_before"),
        chairing_after=ph.compile("chairing_after"),
        domestic_role=ph.compile("domestic_role"),
        host_before=ph.compile("host_before"),
        posted_abroad=ph.compile("posted_abroad"),
        ministry_role=ph.compile("ministry_role"),
        delegation_words=ph.compile("delegation_words"),
        article=ph.compile("article"),
        diplomat_parts=ph.words_of("diplomat_parts"),
        pronoun_subject=ph.compile("pronoun_subject"),
        head_of_state=ph.compile("head_of_state"),
        state_chair_before=ph.compile("state_chair_before"),
        envoy_of_before=ph.compile("envoy_of_before"),
        own_words=re.compile(ph.source("own_words"), re.MULTILINE),
        first_person=ph.compile("first_person"),
        principal_title=ph.compile("principal_title"),
        list_verb=ph.compile("list_verb"),
        listing_words=ph.compile("listing_words"),
        honorific_dot=ph.compile("honorific_dot"),
        portfolio=ph.compile("portfolio"),
        sent_to_before=ph.compile("sent_to_before"),
        country_list_gap=ph.compile("country_list_gap"),
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


def _reversed_phrases(words: tuple[str, ...]) -> str:
    """Phrases of plain words (single spaces) as an alternation for reversed text."""
    return _reversed_words("|".join(r"\s+".join(map(re.escape, w.split())) for w in words))


def _party_before_reversed(
    nouns: str, links: tuple[str, ...], articles: tuple[str, ...], government: tuple[str, ...]
) -> str:
    """The pattern that reads, backwards from the end of the reversed text,
    `(?:<noun>),?\\s+(?:\\w+\\s+){0,4}?(?:<link>)\\s+(?:<article>\\s+)?(?:<government>\\s+(?:<article>\\s+)?)?$`
    ("the Ambassador of", "delegation from the Government of"): a search that must end at `$` tries every
    start, this one match tries one (only whether there is a match is wanted)."""
    article = rf"(?:\s+(?:{_reversed_phrases(articles)}))?"
    return (
        rf"\n?(?:{article}\s+(?:{_reversed_phrases(government)}))?{article}\s+(?:{_reversed_phrases(links)})"
        rf"(?:\s+\w+){{0,4}}\s+,?(?:{_reversed_words(nouns)})"
    )


def _party_before(rules: PartyRules, before: str) -> bool:
    """Does `before` end in "the Ambassador of", "delegation from the Government of" (the pack's
    `party_before_*`)?"""
    return (
        before[-1:].isspace()
        and before.rstrip().endswith(rules.party_before_ends)
        and rules.party_before_reversed.match(before[::-1]) is not None
    )


def _country_party(ctx: _Context, body: str, hit: Hit, sentence: _Sentence) -> bool:
    """Is this country mention a party to an engagement (not trade figures or background)?"""
    pr = ctx.rules.parties
    after = body[hit.end : hit.end + 60]
    before = body[max(sentence.span.start, hit.start - 80) : hit.start]
    if hit.kind == "demonym":
        return bool(pr.party_after.match(after))
    if pr.party_after.match(after) or _party_before(pr, before):
        return True
    if pr.list_entry_before.fullmatch(before) and not body[hit.end : sentence.span.end].strip(" .;,"):
        return True  # a line that is only a country ("3. The <country>"): an entry of a list of
        # the parties, which joins the engagement it follows (the credentials of "the following countries")
    if sentence.visit and pr.destination_before.search(before):
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
    between_home, and_home = _home_pair_patterns(ctx.gaz, ctx.home, pr.home_between, pr.home_and)
    if "between" in before and between_home.search(before):
        return True
    if and_home.match(after):
        return True
    return "with" in before and pr.talks_with_before.search(before) is not None


@lru_cache(maxsize=64)
def _home_pair_patterns(
    gaz: Gazetteer, home: str | None, between: str, and_home: str
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns for "between <home> and" before a country and "and <home>" after it (the pack's
    `home_between`, `home_and`), compiled once per home country."""
    names = "|".join(re.escape(n) for n in _home_names(gaz, home)) or "(?!)"
    return re.compile(fill_in(between, {"home": names})), re.compile(fill_in(and_home, {"home": names}))


def _org_party(ctx: _Context, body: str, hit: Hit, sentence: _Sentence, kind: str = "") -> bool:
    """Is this organization engaged (a party), not only named (an agenda, a venue, a programme)?"""
    pr = ctx.rules.parties
    if "summit" in sentence.kinds and not _matches(
        sentence, ctx.rules.strong_meeting, ctx.rules.strong_meeting_bit
    ):
        # the organization whose summit or session the principal attends
        around = body[max(0, hit.start - 40) : hit.end + 30]
        if pr.org_event_around.search(around):
            return True
    after = body[hit.end : hit.end + 60]
    before = body[max(sentence.span.start, hit.start - 50) : hit.start]
    if re.search(r"\(\s*$", before):  # "(IMF)" right after the full name: the full name decides
        return False
    if pr.org_subject.match(body[sentence.span.start : hit.start]) and pr.org_subject_verb.match(
        re.sub(r"^\s*\([^)]*\)", "", after)
    ):
        return (
            True  # "The Bill & Melinda Gates Foundation has committed ...": the body acts in the engagement
        )
    if pr.chairing_before.search(before) or pr.chairing_after.match(after):
        return False  # "priorities as ASEAN Chair", "its chairmanship of the G20": a state chairs it
    chair = pr.state_chair_before.search(before)
    if chair is not None and any(h.kind == "country" for h in ctx.gaz.find(chair.group("state"))):
        return False  # "<country>, Chair of the G20": the state that chairs it, not someone of the body
    return bool(pr.org_party_after.match(after) or pr.org_party_before.search(before))


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
    pr = ctx.rules.parties
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
        if role is person.role_right and _looks_domestic(pr.domestic_role, person.role_left):
            return "home", None  # "Secretary to the President X, KOICA Country Director Y": X is ours
        # "Country Division Director – <country>, <country> and <country> – World Bank Group": an official of
        # the organization, whose countries are a portfolio, not the state the person represents
        portfolio = any(h.kind == "org" for h in hits) and sum(h.kind == "country" for h in hits) >= 2
        for h in hits:
            if h.kind in ("country", "demonym") and country is None and not portfolio:
                # "Ambassador of X to Y": the sending state comes first; "to Y", "in Y" is the host
                if pr.host_before.search(role[: h.start]):
                    continue
                country = h.key
            elif h.kind == "org" and org_key is None and country is None:
                org_key = h.key
                org_name = h.surface
        if country or org_key:
            break
    if country is None and org_key is None:
        if _looks_domestic(pr.domestic_role, person.role_left) or (
            not person.role_left and _looks_domestic(pr.domestic_role, person.role_right)
        ):
            return "home", None
        role_text = f"{person.role_left} {person.role_right}"
        if ctx.rules.diplomat.search(role_text) and pr.posted_abroad.search(role_text):
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
        and not _looks_domestic(pr.domestic_role, person.role_left or person.role_right)
        and not pr.ministry_role.search(person.role_left or person.role_right)
    ):
        org_key, org_name = sentence_org, ctx.gaz.organizations[sentence_org].name
    stated_role = person.role_left or person.role_right or None
    if country is None and org_key is None:
        if holder is None and sentence_foreign and not _looks_domestic(pr.domestic_role, person.role_left):
            if (
                ctx.rules.diplomat.search(person.role_left or "")
                or ctx.rules.diplomat.search(person.role_right or "")
                or (pr.delegation_words.search(sentence.text) and not _HOME_DEMONYMS.search(sentence.text))
            ):
                country = sentence_foreign
        elif holder is None and (
            ctx.rules.diplomat.search(person.role_left or "")
            or ctx.rules.diplomat.search(person.role_right or "")
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
        role=_tidy_role(pr.article, stated_role),
        span=Span(start, end),
    )
    if org_key is not None:
        party.org = (org_key, org_name or org_key)
    before = body[sentence.span.start : start][-160:]
    absent = _greeting_from(ctx.rules.absent, sentence, before) or _deceased(
        ctx.rules.absent, sentence, before
    )
    return ("absent" if absent else "foreign"), party


# States whose head and envoys are named by title, not by the state's name (etl/data/place_words.toml).
_TITLE_STATES = tuple(
    (iso3, re.compile(rf"\b(?:{'|'.join(map(re.escape, titles))})\b"))
    for iso3, titles in place_words.TITLE_STATES
)
_HOME_DEMONYMS = re.compile(rf"\b(?:{place_words.alternation('home_demonyms', ' ')})\b")


@lru_cache(maxsize=8192)
def _looks_domestic(domestic_role: re.Pattern[str], role: str) -> bool:
    """Is `role` one of the publishing side's own (the pack's `domestic_role`)?"""
    return bool(domestic_role.search(role or ""))


def _tidy_role(article: re.Pattern[str], role: str | None) -> str | None:
    if not role:
        return None
    role = article.sub("", role.strip(" ,"))
    return role[:160] or None
