"""Finds people named in a sentence together with the role stated around them.

No statistical model: a person is a run of capitalised name words anchored by an honorific or an office
title before it ("High Commissioner H.E. Santosh Jha") or by an apposition after it ("Eric Walsh, the High
Commissioner of <country>"), or a known office holder from the gazetteer. Which side a person is on is decided
by the extractor from the role.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from etl.extract import place_words
from etl.extract.keywords import Unsupported, WordScanner, expand, max_width

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
# A name word: a capitalised word, initials ("K.D."), or a word in capitals. Its first character is
# factored out of the alternatives, so that `re` skips straight to upper-case letters.
_WORD = rf"(?:[{_UPPER}](?:[\w'’\-]*[\w]|\.(?:\s?[{_UPPER}]\.)*|[{_UPPER}]+))"
_PARTICLE = r"(?:bin|bint|ibn|al|Al|Al-|el|El|de|da|do|dos|das|van|von|der|den|du|le|la|di|del|uulu|kyzy|Thi|Van|Binti|bte)"
_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_WORD}){{1,5}}"

# Office titles and honorifics that stand directly before a name.
TITLE_WORDS = (
    r"President|Vice[- ]President|Prime Minister|Deputy Prime Minister|Minister|Deputy Minister|State Minister|"
    r"Foreign Minister|Secretary|Secretary-General|Secretary General|Under-Secretary-General|Assistant Secretary|"
    r"Ambassador|Ambassador-designate|High Commissioner|Deputy High Commissioner|Chargé d[’']Affaires|Charge d[’']Affaires|"
    r"Envoy|Special Envoy|Nuncio|Apostolic Nuncio|Consul|Consul General|Counsellor|Attaché|"
    r"Chairman|Chairwoman|Chairperson|Chair|Vice Chairman|Deputy Chairman|Speaker|Deputy Speaker|"
    r"Director|Director-General|Director General|Managing Director|Deputy Managing Director|Executive Director|"
    r"Country Director|Regional Director|Resident Representative|Resident Coordinator|Representative|"
    r"Head|Chief|Chief Executive Officer|CEO|Governor|Governor-General|Commissioner|Commander|Admiral|General|"
    r"King|Queen|Emir|Crown Prince|Prince|Princess|Sheikh|Sheikha|Sultan|Senator|Congressman|Congresswoman|"
    r"Mayor|Chancellor|Premier|Pope|Cardinal|Archbishop|Member|Founder|Co-Chair|Delegate|Advisor|Adviser|"
    r"Vice Minister|Parliamentary Secretary|Deputy Secretary|Deputy Director|Deputy Head|Officer|Leader|"
    r"Manager|Country Manager|General Manager|Mission Chief|Economist|Spokesperson|Spokesman|"
    r"Colonel|Lieutenant Colonel|Lieutenant General|Major General|Brigadier|Brigadier General|Commodore|"
    r"Rear Admiral|Vice Admiral|Air Marshal|Air Chief Marshal|Field Marshal|counterpart|Counterpart"
)
HONORIFICS = (
    r"H\.\s?E\.|His Excellency|Her Excellency|Excellency|His Majesty|Her Majesty|His Royal Highness|His Highness|"
    r"His Holiness|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|Prof\.?|Professor|Sir|Dame|Shri|Smt\.?|Hon\.?|Honourable|Lord|Lady"
)
_TITLE_OR_HONORIFIC = rf"(?:\b(?:{TITLE_WORDS})|(?:{HONORIFICS}))"
_TITLE_END = re.compile(rf"{_TITLE_OR_HONORIFIC}[\s,]*$")
_TITLE_START = re.compile(
    rf"^(?:,|\s*[–—]|\s+-|\s+(?:has\s+been\s+(?:appointed|named|accredited)\s+as|is|was|as|,\s+who\s+is))"
    rf"\s+(?:the\s+|a\s+|an\s+)?(?:newly\s+appointed\s+)?(?:[\w\-’'.]+\s+){{0,5}}?(?:{TITLE_WORDS})\b"
)
_RUN = re.compile(rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_WORD})*")
# What every `_RUN` match with white space in it (two name words, or spaced initials) contains: an
# upper-case letter, white space after it, maybe particles, then another upper-case letter.
_SPACED_RUN = re.compile(rf"[{_UPPER}]\S*\s+(?:{_PARTICLE}\s+)*[{_UPPER}]")
_INITIALS = re.compile(r"[A-Z]\.(?:\s?[A-Z]\.)*")
_ANY_TITLE_WORDS = (
    rf"{TITLE_WORDS}|head|ambassador|minister|envoy|president|expert|economist|official|officer|adviser|"
    rf"advisor|representative|diplomat|delegate|consultant|specialist|director|chairman"
)
_ANY_TITLE = re.compile(rf"\b(?:{_ANY_TITLE_WORDS})\b")


def _any_title_scan() -> Callable[[str], bool]:
    """`_ANY_TITLE.search` as a yes/no answer, by one Aho-Corasick pass where it can be reproduced."""
    try:
        scanner = WordScanner([("title", [_ANY_TITLE_WORDS])])
    except Unsupported:
        return lambda text: _ANY_TITLE.search(text) is not None
    return lambda text: bool(scanner.finditer(text))


_has_title = _any_title_scan()
# Words that end or cannot be part of a person's name.
_NOT_NAME = (
    frozenset(
        """President Vice Prime Minister Ministers Deputy State Foreign Secretary Secretary-General Ambassador
    Ambassadors High Commissioner Commission Embassy Republic Democratic Socialist People's Kingdom United
    Federation Government Ministry Department Office Council Parliament Assembly Secretariat Presidential
    Director Managing Chairman Speaker Head Chief Governor General Bank Fund Organization Organisation Agency
    Union Nations Programme Program Foundation Group Company Corporation Limited Ltd University College
    Institute Association Authority Board Committee Forum Summit Conference Court Party Army Navy Force Air
    The A An And Of On In At For With From To By During Today Yesterday Tomorrow This That These Those He She
    They It His Her Their Our We I January February March April May June July August September October
    November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Excellency Mr Mrs Ms Dr
    Republic's Affairs Cooperation Development International National
    Representative Resident Country Regional Executive Delegation Mission Islamic Asian European World Global
    Central Northern Southern Eastern Western New Special Senior Additional Acting Former
    Also Both Following After Before Upon Meanwhile However Speaking Addressing Later Welcoming Minister's
    Honourable Hon Holiness Majesty Highness Royal Highnesses Counter-Terrorism Security Economic Trade
    Investment Finance Energy Defence Defense Education Health Agriculture Tourism Labour Justice Interior
    Sheikh Crown Prince King Queen Emir Sultan Pope Cardinal Admiral Commander Officer Member Members Fleet
    Colonel Lieutenant Brigadier Commodore Marshal States Emirates Indo-Pacific
    Command Corps Guard Airport Hotel Palace Hall House Centre Center Port Project Programme Initiative Plan
    Declaration Agreement Treaty Strategy Day Festival Ceremony Temple Church Mosque Province District City
    Region Island Ocean Sea Road Street Building Complex Square Pacific Atlantic Navy’s Gate Bay Counselor Platform Measures Measure Tariff Tariffs Sanctions
    Ambassador-designate Vice-President Deputy Chargé Charge d’Affaires Affaires Consul Envoy Nuncio Apostolic
    Secretary-General Under-Secretary-General Director-General Governor-General Commissioner High Chairwoman
    Chairperson Chair Minister-Counsellor Counsellor Attaché Excellencies Their Its Your My Dear Advisor Adviser
    Policy Vision Act Law Bill Scheme Fleet Mission Programme Forces Guards Airlines Airways Railway Railways
    Foundation’s Nations’ Agenda Goals Framework Facility Fund’s Club Clubs Institute Academy School College
    Counsel Media Mass Aviation Resources Highways Transport Ports Fisheries Labour Industries Plantation
    Irrigation Lands Livestock Justice Constitutional Buddhasasana Religious Cultural Public Administration
    Provincial Councils Local Government Sports Youth Women Child Rural Urban Housing Power Energy Water
    Supply Trade Commerce Food Technology Science Digital Economy Planning Treasury Private Sector Says
    Keynote Address Celebrations First Maha Political Consultative Research Reform Management Geography
    Mausoleum Bhavan Pagoda Monument Memorial Museum Stadium Hospital Rashtrapati Asia Europe Africa America
    Americas Middle East West Caucasus Eurasia Latin Caribbean Gulf Balkans Oceania Majlis Kenesh Jogorku Milli
    Duma Rada Sejm Knesset Bundestag Sabha Oliy Khural Seimas Saeima Storting Riksdag Folketing
    Verkhovna Mejlis Halk Maslahaty Senate Congress Legislative Credentials Credential Directors Secretaries Representatives Officials
    Managers Manager Officers Advisors Advisers Coordinators Coordinator Consultants Consultant Specialist
    Specialists Experts Expert Analyst Engineer Eng City Party Front Movement""".split()
    )
    | place_words.NOT_NAME
)  # and the place words of etl/data/place_words.toml


@dataclass(frozen=True, slots=True)
class PersonMention:
    name: str
    start: int  # offsets within the sentence given to find_persons
    end: int
    role_left: str  # up to ~120 characters of the clause before the name
    role_right: str  # the apposition after the name, up to the next clause boundary


@lru_cache(maxsize=8192)
def _is_initials(word: str) -> bool:
    return bool(_INITIALS.fullmatch(word))


_TITLE_LEAD = re.compile(
    r"^(?:,\s*(?:who\s+is\s+)?|\s*[–—]\s*|\s+-\s+|\s+(?:has\s+been\s+(?:appointed|named|accredited)\s+as|is|was|as)\s+)"
)
_ENTITY_HEADS = frozenset(
    "City Party Front Movement Alliance Mausoleum Memorial Monument Pagoda Temple Bhavan Palace Hall House Centre Center Museum Square Street Road "
    "University College Institute Foundation Hospital Stadium Airport Hotel Park Bridge Tower Gate Avenue".split()
)
_OF_PLACE = re.compile(r"^\s+(of\s+(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,4})")
_HONORIFIC_WORD = re.compile(rf"^(?:{HONORIFICS})$")
_PARTICLES = {"bin", "al", "Al", "de", "van", "von", "der", "el", "da"}


def _caps_name(word: str, words: list[tuple[str, int]]) -> bool:
    """'ISOMATA Akio', 'Miyon LEE': an upper-case family name next to a capitalised given name."""
    if len(word) < 3 or not word.isalpha():
        return False
    return any(w[:1].isupper() and not w.isupper() and w.rstrip(",") not in _NOT_NAME for w, _ in words)


_NOT_NAME_SUFFIX = re.compile(
    r"(?:tion|sion|ment|ship|ness|ity|ance|ence|ism|ive|ing|ural|ical|ogy|ure|ics|ations|ments)$"
)


@lru_cache(maxsize=8192)
def _not_name_suffix(word: str) -> bool:
    """A long word with the ending of an abstract noun or adjective ("Operations", "Management")."""
    return len(word) > 4 and _NOT_NAME_SUFFIX.search(word.rstrip(",").lower()) is not None


@lru_cache(maxsize=8192)
def _is_honorific(word: str) -> bool:
    return _HONORIFIC_WORD.match(word) is not None


_MONTHS = frozenset(
    "January February March April May June July August September October November December".split()
)


def _name_month(bare: str, word: str, words: list[tuple[str, int]]) -> bool:
    """'March' in 'Juan Antonio March Pujol' is a name: a month word between two capitalised name words."""
    if bare not in _MONTHS:
        return False
    index = [w for w, _ in words].index(word)
    if index == 0 or index + 1 >= len(words):
        return False
    before, after = words[index - 1][0], words[index + 1][0]
    return (
        before[:1].isupper() and after[:1].isupper() and not after[:1].isdigit() and before not in _NOT_NAME
    )


def _name_segments(run: str, run_start: int, is_place: Callable[[str], bool]) -> list[tuple[str, int, str]]:
    """The names inside a capitalised run: (name, offset, the run's words before it)."""
    parts = run.split()  # the words of `\S+`: str.split and `\s` agree on what white space is
    if len(parts) < 2:
        return []  # one word is never a name
    words: list[tuple[str, int]] = []
    at = 0
    for part in parts:
        at = run.find(part, at)
        words.append((part, run_start + at))
        at += len(part)
    segments: list[list[tuple[str, int]]] = [[]]
    for w, pos in words:
        bare = w.rstrip(",")
        if bare.endswith(("’s", "'s")) and len(bare) > 3:
            # "<name>’s Special Envoy": the possessor ends the name and is flagged by the caller
            segments[-1].append((bare[:-2], pos))
            segments.append([])
            continue
        stop = (
            (bare in _NOT_NAME and not _name_month(bare, w, words))
            or is_place(bare)
            or _is_honorific(bare)
            or (bare.isupper() and len(bare) > 1 and not _is_initials(bare) and not _caps_name(bare, words))
        )
        if stop:
            segments.append([])
        else:
            segments[-1].append((w, pos))
    out: list[tuple[str, int, str]] = []
    positions = [pos for _, pos in words]

    def first_after(segment: list[tuple[str, int]]) -> str:
        index = positions.index(segment[-1][1])
        return words[index + 1][0].rstrip(",") if index + 1 < len(words) else ""

    for segment in segments:
        while segment and segment[-1][0] in _PARTICLES:
            segment.pop()
        while segment and segment[0][0] in _PARTICLES:
            segment.pop(0)
        real = [w for w, _ in segment if not _is_initials(w)]
        if len(segment) < 2 or not real or all(len(w) < 2 for w in real):
            continue
        while segment and _not_name_suffix(segment[0][0]):
            segment.pop(0)  # "Operations Mansur Muhtar": the end of an office's name, then the person
        if len(segment) < 2:
            continue
        if any(_not_name_suffix(w) for w, _ in segment):
            continue  # "Business Management", "Vesak Celebrations": capitalised phrases, not people
        nxt = first_after(segment)
        if nxt in _ENTITY_HEADS:
            continue  # "<name> Mausoleum", "<name> Bhavan": part of a place or body's name
        first_pos = segment[0][1]
        last_word, last_pos = segment[-1]
        name = run[first_pos - run_start : last_pos - run_start + len(last_word)]
        out.append((name, first_pos, run[: first_pos - run_start].strip()))
    return out


@lru_cache(maxsize=16384)
def _run_names(run: str, is_place: Callable[[str], bool]) -> tuple[tuple[str, int], ...]:
    """(name, offset in the run) of the names in a capitalised run. Cached: the same runs ("President
    <the president's full name>", "Presidential Secretariat") recur from release to release."""
    return tuple((name, start) for name, start, _prefix in _name_segments(run, 0, is_place))


def _no_places(word: str) -> bool:
    return False


def find_persons(
    sentence: str, is_place: Callable[[str], bool] = _no_places, strict: bool = False
) -> list[PersonMention]:
    """Named people in `sentence` with the role text around each (offsets relative to the sentence).

    A capitalised run counts as a person when a title or honorific stands before it in its clause, or a
    title follows it in apposition; `is_place` tells country and place words apart from names (a pure
    function: its answers are cached per function). `strict` (for headlines, where every word is
    capitalised) wants the title or honorific right before the name.
    """
    if _SPACED_RUN.search(sentence) is None:
        return []  # no run of capitalised words with white space in it, so no name
    candidates: list[tuple[str, int, int]] = []
    for m in _RUN.finditer(sentence):
        run = m.group(0)
        if " " not in run and len(run.split()) < 2:
            continue  # one word is never a name
        for name, offset in _run_names(run, is_place):
            start = m.start() + offset
            candidates.append((name, start, start + len(name)))
    found: list[PersonMention] = []
    for index, (name, start, end) in enumerate(candidates):
        if sentence[end : end + 2] in ("’s", "'s"):
            continue  # "President <name>’s Special Envoy ...": the envoy is the party, not the president
        # the role before a name reaches back to the previous name at most ("Jha and Secretary X")
        floor = candidates[index - 1][2] if index > 0 else 0
        before = sentence[max(floor, start - 160) : start]
        after = sentence[end : end + 160]
        directly = _ends_with_title(before)
        of_place = _OF_PLACE.match(after)
        if of_place and not directly:
            continue  # "<legislature> of the <country>": a body's name, not a person
        if strict and not directly:
            continue
        # the tests above are the cheap ones: the role and apposition only for a name still in the running
        apposition = bool(_TITLE_START.match(after))
        left = _left_role(before)
        if not (strict or apposition or directly or _has_title(left)):
            continue
        next_start = candidates[index + 1][1] if index + 1 < len(candidates) else len(sentence)
        right = _right_role(sentence, end, next_start) if apposition else ""
        if of_place and not right:
            right = of_place.group(1)  # "Chargé d'Affaires Ms. <name> of <country>"
        found.append(PersonMention(name, start, end, left, right))
    return found


_CLAUSE_WORDS = (
    "with by from including were was met meets received receives while paid called held along accompanied "
    "joined attended also who said says included includes sent sends congratulated expressed conveyed "
    "invited thanked noted assured discussed delivered handed informed welcomed greeted hosted led headed "
    "chaired requested urged told briefed"
).split()
_CLAUSE_BREAK = re.compile(rf"[;:—–]|,(?!\s*$)|^\s*and\b|\b(?:{'|'.join(_CLAUSE_WORDS)})\b")
# `_CLAUSE_BREAK` for the reversed text, where its first match is the last one in the text: its matches
# cannot overlap, so the last one ends furthest right. Only for text that does not end in white space,
# where ",(?!\s*$)" is any comma but a last character.
_CLAUSE_BREAK_REVERSED = re.compile(
    rf"[;:—–]|(?!\A),|\bdna\s*\Z|\b(?:{'|'.join(word[::-1] for word in _CLAUSE_WORDS)})\b"
)


_ACRONYM_IN_BRACKETS = re.compile(r"\s*\(([A-Z][A-Za-z.]{1,9})\)")
_HONORIFIC = rf"(?:{HONORIFICS}|Sheikh|Sheikha|Shaikh)"
_TRAILING_HONORIFICS = re.compile(rf"(?:\s*{_HONORIFIC})+\s*$")
_ENDS_WITH_CONJUNCTION = re.compile(r"(?:\band|\bor|&)$")
_LEADING_CONJUNCTION = re.compile(r"^(?:and|or)\s+")
# How far before the end of a text a title or honorific that ends it can start. `$`-anchored searches
# start there: the same answer as searching the whole text, without trying every position before it.
_TITLE_WIDTH = max_width(_TITLE_OR_HONORIFIC)
_HONORIFIC_WIDTH = max_width(_HONORIFIC)


def _last_pieces(pattern: str) -> tuple[str, ...] | None:
    """The end, after its last white space, of every way `pattern` (an alternation of titles or honorifics)
    can be written: a text that ends with a match of it ends its last word with one of these. None when
    `expand` cannot list the ways."""
    try:
        variants = expand(pattern.replace(r"\s?", "(?: )?").replace(r"\s", " "))
    except Unsupported:
        return None
    return tuple(sorted({variant.text.rsplit(" ", 1)[-1] for variant in variants}))


_TITLE_PIECES = _last_pieces(f"(?:{TITLE_WORDS}|{HONORIFICS})")
_HONORIFIC_PIECES = _last_pieces(_HONORIFIC)


def _last_word_ends(text: str, pieces: tuple[str, ...] | None) -> bool:
    """Does the last word of `text` (no trailing white space) end with one of `pieces` (True if unknown)?"""
    if pieces is None:
        return True
    words = text.rsplit(None, 1)
    return bool(words) and words[-1].endswith(pieces)


def _ends_with_title(before: str) -> bool:
    """`_TITLE_END.search(before)`: a title or honorific, then only white space and commas.

    Only white space and commas follow the title or honorific of a match, so it ends at or after the start
    of the trailing white space and commas, and starts at most `_TITLE_WIDTH` characters before that; and
    the last word before them ends as a title or honorific does."""
    if _TITLE_WIDTH is None:
        return _TITLE_END.search(before) is not None
    end = len(before)
    while end and (before[end - 1] == "," or before[end - 1].isspace()):
        end -= 1
    if not _last_word_ends(before[:end], _TITLE_PIECES):
        return False
    return _TITLE_END.search(before, max(0, end - _TITLE_WIDTH)) is not None


def _strip_trailing_honorifics(window: str) -> str:
    """`window` without the honorifics that end it ("... Ambassador H.E. Mr.")."""
    if not _last_word_ends(window.rstrip(), _HONORIFIC_PIECES):
        return window  # a match ends with an honorific, then white space
    if _HONORIFIC_WIDTH is not None:
        # only white space follows the last honorific of a match, which is a match by itself: there is a
        # match starting near the end whenever there is one at all
        near = len(window.rstrip()) - _HONORIFIC_WIDTH
        if _TRAILING_HONORIFICS.search(window, max(0, near)) is None:
            return window
    return _TRAILING_HONORIFICS.sub("", window)


def _left_role(before: str) -> str:
    """The clause before a name, from `before` (the sentence up to the name, from the previous name at
    most): '<demonym> Ambassador to <country>' in '..., <demonym> Ambassador to <country>, <name>'.
    A comma right before the name (apposition) is crossed, no other."""
    window = before.rstrip()
    if "(" in window:
        window = _ACRONYM_IN_BRACKETS.sub(r" \1", window)  # "Minister of State (<acronym>)"
    window = _strip_trailing_honorifics(window).rstrip().rstrip(",").rstrip()
    if window.endswith(("and", "or", "&")) and _ENDS_WITH_CONJUNCTION.search(window):
        return ""  # "Secretary to the President and Her Excellency X, Ambassador of ...": X's role follows
    last = _CLAUSE_BREAK_REVERSED.search(window[::-1])  # the last clause break (`window` ends in no space)
    cut = len(window) - last.start() if last else 0
    role = window[cut:].strip(" ,")
    if not any(ch.isalpha() for ch in role):
        return ""  # "1. Mr. X – Ambassador of ...": a list's number is no role
    return _LEADING_CONJUNCTION.sub("", role) if role.startswith(("and", "or")) else role


def _right_role(sentence: str, end: int, limit: int) -> str:
    """The apposition after a name, up to the next clause or the next person."""
    tail = sentence[end:limit]
    lead = _TITLE_LEAD.match(tail)
    if not lead:
        return ""
    tail = tail[lead.end() :]
    cut = re.search(
        rf"[;()]|,\s+(?:and\s+)?[a-z]|\s(?:met|meets|held|paid|called on|said|stated|noted|received)\b|"
        rf"\s+and\s+(?:{HONORIFICS})",
        tail,
    )
    if re.search(r"\s+and\s*$", tail):
        tail = re.sub(
            r"\s+and\s*$", "", tail
        )  # "X, Deputy Head of Operations ... and Y": Y is another person
    elif cut is None and limit < len(sentence) and not re.search(r"[,.;)]\s*$", tail):
        # "<name>, Minister of Transport ... <name>": the words run into the next name, so they
        # are that person's title, not this one's apposition
        return ""
    return (tail[: cut.start()] if cut else tail).strip(" ,")
