"""Splits a body into sentences with character offsets, so every fact can point at its sentence."""

from __future__ import annotations

import re

from etl.records import Span

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before white space and an
# upper-case letter, digit or opening quote - unless the dot ends an abbreviation (the pack's) or an initial.
_END_MARK = re.compile(r"[.!?][\"'”’)\]]*[ \t]+(?=[\"“‘(]?[A-Z0-9À-Ý])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_LIST_NUMBER = re.compile(r"\s*\d{1,3}\.")  # "1. Trade." is one list item, not "1." and "Trade."


def split_sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> list[Span]:
    """Sentence spans of `text`, trimmed of surrounding white space; empty sentences are dropped.

    `abbreviations` are the language's words whose dot ends no sentence (its pack's sentences.toml).

    A line break always ends a sentence: bodies keep one paragraph or list item per line.
    """
    spans: list[Span] = []
    start = 0
    for mark, mark_end in _boundaries(text):
        stop = mark + 1  # just after the . ! ?
        # a sentence keeps its closing quote or bracket: 'He said "We agree."' (white space is trimmed below)
        end = mark_end if text[mark] in ".!?" else mark
        if text[mark] == ".":
            if _LIST_NUMBER.fullmatch(text, start, stop):
                continue
            tail = _LAST_WORD.search(text, max(start, stop - 12), stop)
            if tail:
                word = tail.group(1).lower().rstrip(".")
                # "Mr." or "K.D." or a single initial "A." do not end a sentence
                if word in abbreviations or len(word) == 1 or "." in word:
                    continue
        _append(spans, text, start, end)
        start = mark_end
    _append(spans, text, start, len(text))
    return spans


def _boundaries(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence boundary in order: a match of `_END_MARK`, or white space that runs
    through a line break (`\\s*\\n\\s*`). As one alternation, `re` would stop at every space to try it; the
    two never touch (an end mark's white space is followed by a letter, digit or quote), so they are found
    apart: the end marks by `re`, the line breaks by `str.find`."""
    found = [(m.start(), m.end()) for m in _END_MARK.finditer(text)]
    at = text.find("\n")
    if at < 0:
        return found
    n = len(text)
    while at >= 0:
        start, end = at, at + 1
        while start > 0 and text[start - 1].isspace():
            start -= 1
        while end < n and text[end].isspace():
            end += 1
        found.append((start, end))
        at = text.find("\n", end)
    found.sort()
    return found


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))
