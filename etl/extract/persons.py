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

from etl.extract.person_rules import PersonRules

_INITIALS = re.compile(r"[A-Z]\.(?:\s?[A-Z]\.)*")


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


def _caps_name(pr: PersonRules, word: str, words: list[tuple[str, int]]) -> bool:
    """'ISOMATA Akio', 'Miyon LEE': an upper-case family name next to a capitalised given name."""
    if len(word) < 3 or not word.isalpha():
        return False
    return any(w[:1].isupper() and not w.isupper() and w.rstrip(",") not in pr.not_name for w, _ in words)


@lru_cache(maxsize=8192)
def _not_name_suffix(pr: PersonRules, word: str) -> bool:
    """A long word with the ending of an abstract noun or adjective ("Operations", "Management")."""
    return len(word) > 4 and pr.not_name_suffix.search(word.rstrip(",").lower()) is not None


@lru_cache(maxsize=8192)
def _is_honorific(pr: PersonRules, word: str) -> bool:
    return pr.honorific_word.match(word) is not None


def _name_month(pr: PersonRules, bare: str, word: str, words: list[tuple[str, int]]) -> bool:
    """'March' in 'Juan Antonio March Pujol' is a name: a month word between two capitalised name words."""
    if bare not in pr.months:
        return False
    index = [w for w, _ in words].index(word)
    if index == 0 or index + 1 >= len(words):
        return False
    before, after = words[index - 1][0], words[index + 1][0]
    return (
        before[:1].isupper() and after[:1].isupper() and not after[:1].isdigit() and before not in pr.not_name
    )


def _name_segments(
    pr: PersonRules, run: str, run_start: int, is_place: Callable[[str], bool]
) -> list[tuple[str, int, str]]:
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
        if bare.endswith(pr.possessive) and len(bare) > 3:
            # "<name>’s Special Envoy": the possessor ends the name and is flagged by the caller
            suffix = next(p for p in pr.possessive if bare.endswith(p))
            segments[-1].append((bare[: -len(suffix)], pos))
            segments.append([])
            continue
        stop = (
            (bare in pr.not_name and not _name_month(pr, bare, w, words))
            or is_place(bare)
            or _is_honorific(pr, bare)
            or (
                bare.isupper()
                and len(bare) > 1
                and not _is_initials(bare)
                and not _caps_name(pr, bare, words)
            )
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
        while segment and segment[-1][0] in pr.edge_particles:
            segment.pop()
        while segment and segment[0][0] in pr.edge_particles:
            segment.pop(0)
        real = [w for w, _ in segment if not _is_initials(w)]
        if len(segment) < 2 or not real or all(len(w) < 2 for w in real):
            continue
        while segment and _not_name_suffix(pr, segment[0][0]):
            segment.pop(0)  # "Operations Mansur Muhtar": the end of an office's name, then the person
        if len(segment) < 2:
            continue
        if any(_not_name_suffix(pr, w) for w, _ in segment):
            continue  # "Business Management", "Vesak Celebrations": capitalised phrases, not people
        nxt = first_after(segment)
        if nxt in pr.entity_heads:
            continue  # "<name> Mausoleum", "<name> Bhavan": part of a place or body's name
        first_pos = segment[0][1]
        last_word, last_pos = segment[-1]
        name = run[first_pos - run_start : last_pos - run_start + len(last_word)]
        out.append((name, first_pos, run[: first_pos - run_start].strip()))
    return out


@lru_cache(maxsize=16384)
def _run_names(pr: PersonRules, run: str, is_place: Callable[[str], bool]) -> tuple[tuple[str, int], ...]:
    """(name, offset in the run) of the names in a capitalised run. Cached on the pack's rules too: the
    same runs ("President <the president's full name>", "Presidential Secretariat") recur from release to
    release, and what is a name is the language's."""
    return tuple((name, start) for name, start, _prefix in _name_segments(pr, run, 0, is_place))


def _no_places(word: str) -> bool:
    return False


def find_persons(
    sentence: str, pr: PersonRules, is_place: Callable[[str], bool] = _no_places, strict: bool = False
) -> list[PersonMention]:
    """Named people in `sentence` with the role text around each (offsets relative to the sentence), by the
    person phrasing `pr` of its language (`rules.Rules.persons`).

    A capitalised run counts as a person when a title or honorific stands before it in its clause, or a
    title follows it in apposition; `is_place` tells country and place words apart from names (a pure
    function: its answers are cached per function). `strict` (for headlines, where every word is
    capitalised) wants the title or honorific right before the name.
    """
    if pr.spaced_run.search(sentence) is None:
        return []  # no run of capitalised words with white space in it, so no name
    candidates: list[tuple[str, int, int]] = []
    for m in pr.run.finditer(sentence):
        run = m.group(0)
        if " " not in run and len(run.split()) < 2:
            continue  # one word is never a name
        for name, offset in _run_names(pr, run, is_place):
            start = m.start() + offset
            candidates.append((name, start, start + len(name)))
    found: list[PersonMention] = []
    for index, (name, start, end) in enumerate(candidates):
        if sentence.startswith(pr.possessive, end):
            continue  # "President <name>’s Special Envoy ...": the envoy is the party, not the president
        # the role before a name reaches back to the previous name at most ("Jha and Secretary X")
        floor = candidates[index - 1][2] if index > 0 else 0
        before = sentence[max(floor, start - 160) : start]
        after = sentence[end : end + 160]
        directly = _ends_with_title(pr, before)
        of_place = pr.of_place.match(after)
        if of_place and not directly:
            continue  # "<legislature> of the <country>": a body's name, not a person
        if strict and not directly:
            continue
        # the tests above are the cheap ones: the role and apposition only for a name still in the running
        apposition = bool(pr.title_start.match(after))
        left = _left_role(pr, before)
        if not (strict or apposition or directly or pr.has_title(left)):
            continue
        next_start = candidates[index + 1][1] if index + 1 < len(candidates) else len(sentence)
        right = _right_role(pr, sentence, end, next_start) if apposition else ""
        if of_place and not right:
            right = of_place.group(1)  # "Chargé d'Affaires Ms. <name> of <country>"
        found.append(PersonMention(name, start, end, left, right))
    return found


_ACRONYM_IN_BRACKETS = re.compile(r"\s*\(([A-Z][A-Za-z.]{1,9})\)")


def _last_word_ends(text: str, pieces: tuple[str, ...] | None) -> bool:
    """Does the last word of `text` (no trailing white space) end with one of `pieces` (True if unknown)?"""
    if pieces is None:
        return True
    words = text.rsplit(None, 1)
    return bool(words) and words[-1].endswith(pieces)


def _ends_with_title(pr: PersonRules, before: str) -> bool:
    """`pr.title_end.search(before)`: a title or honorific, then only white space and commas.

    Only white space and commas follow the title or honorific of a match, so it ends at or after the start
    of the trailing white space and commas, and starts at most `pr.title_width` characters before that; and
    the last word before them ends as a title or honorific does."""
    if pr.title_width is None:
        return pr.title_end.search(before) is not None
    end = len(before)
    while end and (before[end - 1] == "," or before[end - 1].isspace()):
        end -= 1
    if not _last_word_ends(before[:end], pr.title_pieces):
        return False
    return pr.title_end.search(before, max(0, end - pr.title_width)) is not None


def _strip_trailing_honorifics(pr: PersonRules, window: str) -> str:
    """`window` without the honorifics that end it ("... Ambassador H.E. Mr.")."""
    if not _last_word_ends(window.rstrip(), pr.honorific_pieces):
        return window  # a match ends with an honorific, then white space
    if pr.honorific_width is not None:
        # only white space follows the last honorific of a match, which is a match by itself: there is a
        # match starting near the end whenever there is one at all
        near = len(window.rstrip()) - pr.honorific_width
        if pr.trailing_honorifics.search(window, max(0, near)) is None:
            return window
    return pr.trailing_honorifics.sub("", window)


def _left_role(pr: PersonRules, before: str) -> str:
    """The clause before a name, from `before` (the sentence up to the name, from the previous name at
    most): '<demonym> Ambassador to <country>' in '..., <demonym> Ambassador to <country>, <name>'.
    A comma right before the name (apposition) is crossed, no other."""
    window = before.rstrip()
    if "(" in window:
        window = _ACRONYM_IN_BRACKETS.sub(r" \1", window)  # "Minister of State (<acronym>)"
    window = _strip_trailing_honorifics(pr, window).rstrip().rstrip(",").rstrip()
    if window.endswith(pr.conjunction_ends) and pr.ends_with_conjunction.search(window):
        return ""  # "Secretary to the President and Her Excellency X, Ambassador of ...": X's role follows
    last = pr.clause_break_reversed.search(window[::-1])  # the last clause break (`window` ends in no space)
    cut = len(window) - last.start() if last else 0
    role = window[cut:].strip(" ,")
    if not any(ch.isalpha() for ch in role):
        return ""  # "1. Mr. X – Ambassador of ...": a list's number is no role
    return pr.leading_conjunction.sub("", role) if role.startswith(pr.conjunctions) else role


def _right_role(pr: PersonRules, sentence: str, end: int, limit: int) -> str:
    """The apposition after a name, up to the next clause or the next person."""
    tail = sentence[end:limit]
    lead = pr.title_lead.match(tail)
    if not lead:
        return ""
    tail = tail[lead.end() :]
    cut = pr.role_end.search(tail)
    if pr.trailing_and.search(tail):
        tail = pr.trailing_and.sub("", tail)  # "X, Deputy Head of Operations ... and Y": Y is another person
    elif cut is None and limit < len(sentence) and not re.search(r"[,.;)]\s*$", tail):
        # "<name>, Minister of Transport ... <name>": the words run into the next name, so they
        # are that person's title, not this one's apposition
        return ""
    return (tail[: cut.start()] if cut else tail).strip(" ,")
