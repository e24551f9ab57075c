"""Literal keyword scanning that gives exactly what the rules' regular expressions give, in one pass.

The topic lexicon and the trigger lists are regular expressions because analysts write them that way, but
they are nearly all alternations of words. Python's `re` tries every alternative at every position of a
sentence; an Aho-Corasick automaton finds every occurrence of every word in one pass of C. Two tools, both
exact, both refusing (None) a pattern they cannot reproduce so that callers keep the regular expression:

- `WordScanner`: the matches of `finditer` over `(?P<a>\\b(?:...)\\b)|(?P<b>\\b(?:...)\\b)|...` (the same
  spans, in the same order, with the same group), for alternatives made of literals, optional parts,
  character sets, negative lookarounds and a trailing `\\w+`/`\\w*`;
- `needles` and `NeedleSet`: literals one of which every match of a pattern contains, so one pass over a
  lower-cased sentence tells which patterns cannot match it and need not be run;
- `max_width`: how far back from the end of a text a pattern anchored there can start.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick

# The parser `re` itself uses: private, so any surprise in it only disables the fast paths (Unsupported).
_p: Any
_c: Any
try:
    _p = importlib.import_module("re._parser")
    _c = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover
    _p = _c = None

_MAX_VARIANTS = 4096


class Unsupported(Exception):
    """A construct the literal expansion does not reproduce exactly."""


# Text containing "ı", "İ" or "ſ" gets no pre-test on its lower-cased form: they are the only characters
# that `re.IGNORECASE` equates with an ASCII letter but `str.lower()` does not turn into it (checked over
# all of Unicode; "İ" also lengthens the text).
def foldable(text: str) -> bool:
    """Does a literal that `re.IGNORECASE` finds in `text` also occur in `text.lower()`, lower-cased?"""
    return "ı" not in text and "İ" not in text and "ſ" not in text


def _is_word(ch: str) -> bool:
    """`\\w` of a `str` pattern: alphanumeric (str.isalnum) or the underscore."""
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True, slots=True)
class _Variant:
    """One way an alternative can match: a literal, negative lookarounds at offsets into it, and an
    optional trailing run of at least `tail` word characters (greedy)."""

    text: str
    conditions: tuple[tuple[int, bool, tuple[str, ...]], ...]  # (offset, ahead, strings that must not occur)
    tail: int | None


def _seq(items: Any) -> list[_Variant]:
    """The variants of a parsed sequence, in the order backtracking tries them."""
    out = [_Variant("", (), None)]
    for op, av in items:
        options = _node(op, av)
        combined: list[_Variant] = []
        for head in out:
            if head.tail is not None:
                raise Unsupported("text after a trailing word run")
            shift = len(head.text)
            for opt in options:
                moved = tuple((off + shift, ahead, s) for off, ahead, s in opt.conditions)
                combined.append(_Variant(head.text + opt.text, head.conditions + moved, opt.tail))
        if len(combined) > _MAX_VARIANTS:
            raise Unsupported("too many variants")
        out = combined
    return out


def _plain(items: Any) -> tuple[str, ...]:
    variants = _seq(items)
    if any(v.conditions or v.tail is not None for v in variants):
        raise Unsupported("lookaround inside a lookaround")
    return tuple(v.text for v in variants)


def _node(op: Any, av: Any) -> list[_Variant]:
    if op is _c.LITERAL:
        return [_Variant(chr(av), (), None)]
    if op is _c.IN:
        if all(kind is _c.LITERAL for kind, _ in av):
            return [_Variant(chr(code), (), None) for _, code in av]
        raise Unsupported("character class")
    if op is _c.BRANCH:
        return [v for alternative in av[1] for v in _seq(alternative)]
    if op is _c.SUBPATTERN:
        group, add_flags, del_flags, items = av
        if group is not None or add_flags or del_flags:
            raise Unsupported("capturing group or inline flags")
        return _seq(items)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        low, high, items = av
        if (low, high) == (0, 1):
            empty = [_Variant("", (), None)]
            return _seq(items) + empty if op is _c.MAX_REPEAT else empty + _seq(items)
        word = [(_c.IN, [(_c.CATEGORY, _c.CATEGORY_WORD)])]
        if op is _c.MAX_REPEAT and high is _c.MAXREPEAT and low in (0, 1) and list(items) == word:
            return [_Variant("", (), low)]
        raise Unsupported("repetition")
    if op is _c.ASSERT_NOT:
        direction, items = av
        return [_Variant("", ((0, direction > 0, _plain(items)),), None)]
    raise Unsupported(str(op))


def expand(pattern: str) -> list[_Variant]:
    """The variants of one alternative (a case-sensitive `str` pattern), in the order `re` tries them."""
    if _p is None:
        raise Unsupported("no regular expression parser")
    try:
        parsed = _p.parse(pattern, 0)
        if parsed.state.flags & ~re.UNICODE:
            raise Unsupported("flags")
        variants = _seq(parsed.data)
    except Unsupported:
        raise
    except Exception as exc:  # a parser that changed shape
        raise Unsupported(f"unexpected parse: {exc}") from exc
    if any(not v.text for v in variants):
        raise Unsupported("an alternative that can match without a literal")
    return variants


class WordScanner:
    """`finditer` of `(?P<g>\\b(?:a1|a2|...)\\b)|...` (case-sensitive, Unicode) by one Aho-Corasick pass.

    At each position `re` takes the first alternative, in pattern order, that matches there, and goes on
    after its end; the scanner collects every occurrence of every variant, keeps those whose word
    boundaries and lookarounds hold, and replays that choice.
    """

    def __init__(self, groups: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Raises Unsupported for a pattern it cannot reproduce exactly."""
        by_literal: dict[str, list[tuple[int, _Variant, str]]] = {}
        order = 0
        for name, alternatives in groups:
            for alternative in alternatives:
                for variant in expand(alternative):
                    by_literal.setdefault(variant.text, []).append((order, variant, name))
                    order += 1
        self._automaton = ahocorasick.Automaton()
        for literal, entries in by_literal.items():
            # (order, group, variant, plain: no lookaround or word run, so the match ends with the literal)
            compiled = tuple(
                (rank, name, variant, not variant.conditions and variant.tail is None)
                for rank, variant, name in entries
            )
            self._automaton.add_word(
                literal, (len(literal), _is_word(literal[0]), _is_word(literal[-1]), compiled)
            )
        self.empty = not by_literal
        if not self.empty:
            self._automaton.make_automaton()

    def finditer(self, text: str) -> list[tuple[str, int, int]]:
        """(group, start, end) of every match, as `re.finditer` over the same text yields them."""
        if self.empty:
            return []
        n = len(text)
        found: list[tuple[int, int, int, str]] = []
        for last, (length, first_word, last_word, entries) in self._automaton.iter(text):
            start = last - length + 1
            if start > 0:
                previous = text[start - 1]
                if (previous.isalnum() or previous == "_") == first_word:
                    continue  # no word boundary before
            elif not first_word:
                continue
            for order, name, variant, plain in entries:
                if plain:
                    end = last + 1
                    if end < n:
                        after = text[end]
                        if (after.isalnum() or after == "_") == last_word:
                            continue  # no word boundary after
                    elif not last_word:
                        continue
                else:
                    end = _match_end(text, n, start, variant)
                    if end < 0:
                        continue
                found.append((start, order, end, name))
                break
        if len(found) > 1:
            found.sort()
        out: list[tuple[str, int, int]] = []
        position = 0
        for start, _order, end, name in found:
            if start < position:
                continue  # inside the previous match, or a later alternative at the same start
            out.append((name, start, end))
            position = end if end > start else start + 1
        return out


def _match_end(text: str, n: int, start: int, variant: _Variant) -> int:
    """Where `variant` (found literally at `start`) ends with its conditions and final boundary, else -1."""
    for offset, ahead, strings in variant.conditions:
        at = start + offset
        if ahead:
            if any(text.startswith(s, at) for s in strings):
                return -1
        elif any(text.endswith(s, 0, at) for s in strings):
            return -1
    end = start + len(variant.text)
    if variant.tail is not None:
        run = end
        while run < n and _is_word(text[run]):
            run += 1
        if run - end < variant.tail:
            return -1
        end = run
    if end < n:
        last, after = text[end - 1], text[end]
        if (last.isalnum() or last == "_") == (after.isalnum() or after == "_"):
            return -1  # no word boundary after
    elif not _is_word(text[end - 1]):
        return -1
    return end


def max_width(pattern: str) -> int | None:
    """The most characters a match of `pattern` can span, or None when unbounded or unknown."""
    if _p is None:
        return None
    try:
        width = int(_p.parse(pattern, 0).getwidth()[1])
    except Exception:  # a parser that changed shape: callers fall back to scanning everything
        return None
    return width if width < int(_c.MAXREPEAT) - 1 else None


def lower_case_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The case-insensitive `pattern` in lower case, without IGNORECASE, for `text.lower()` of a
    `foldable` text: it matches there exactly where `pattern` matches in `text` (same spans, same groups
    but lower-cased), and Python's `re` is about twice as fast without IGNORECASE. None unless lower-casing
    cannot change what the pattern means: ASCII, no escape like `\\S`, `\\B` or a character code, no
    letter in a character class, no inline flag (group names keep their case)."""
    source = pattern.pattern
    if not pattern.flags & re.IGNORECASE or not source.isascii() or "(?-" in source:
        return None
    if re.search(r"\\[A-Z0-9xu]|\(\?(?!P[<=])[A-Za-z]", source):  # escapes, inline flags
        return None
    for members in re.findall(r"\[((?:\\.|[^\]])*)\]", source):
        if re.search(r"[A-Za-z]", re.sub(r"\\[a-z]", "", members)):
            return None
    parts = re.split(r"(\(\?P[<=][A-Za-z_]\w*[>)])", source)  # group names at odd indices
    lowered = "".join(part if index % 2 else part.lower() for index, part in enumerate(parts))
    return re.compile(lowered, pattern.flags & ~re.IGNORECASE)


# --- pre-tests -------------------------------------------------------------------------------------------


def needles(pattern: re.Pattern[str], shortest: int = 3) -> frozenset[str] | None:
    """Lower-case ASCII strings one of which occurs in `text.lower()` whenever `pattern` matches `text`
    (for a `foldable` text), or None when the pattern has none of at least `shortest` characters."""
    if _p is None:
        return None
    try:
        found = _required(_p.parse(pattern.pattern, pattern.flags).data)
    except Exception:  # a parser that changed shape: no pre-test, the pattern always runs
        return None
    if found is None or min(len(s) for s in found) < shortest:
        return None
    return frozenset(found)


def _required(items: Any) -> set[str] | None:
    """Literals one of which every match of the sequence contains (None: none known)."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, av in items:
        char = None
        if op is _c.LITERAL:
            char = chr(av)
        elif op is _c.IN and len(av) == 1 and av[0][0] is _c.LITERAL:
            char = chr(av[0][1])
        if char is not None and char.isascii():
            run.append(char.lower())
            continue
        if op is _c.BRANCH and run:
            # `re` factors a shared prefix out of alternatives ("met|meeting" is "me(?:t|eting)"): the
            # prefix and each alternative's leading literal are one needle
            leads = [_leading_literal(alternative) for alternative in av[1]]
            if all(leads):
                candidates.append({"".join(run) + lead for lead in leads})
        flush()
        inner: set[str] | None = None
        if op is _c.SUBPATTERN:
            inner = _required(av[3])
        elif op is _c.BRANCH:
            parts = [_required(alternative) for alternative in av[1]]
            if all(part is not None for part in parts):
                inner = set().union(*(part for part in parts if part is not None))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            inner = _required(av[2])
        if inner:
            candidates.append(inner)
    flush()
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(len(s) for s in c), -len(c)))


def _leading_literal(items: Any) -> str:
    """The lower-cased ASCII literal a parsed sequence starts with ("" if none)."""
    out: list[str] = []
    for op, av in items:
        if op is not _c.LITERAL or not chr(av).isascii():
            break
        out.append(chr(av).lower())
    return "".join(out)


class NeedleSet:
    """Which of several patterns may match a text, from one Aho-Corasick pass over its lower-cased form.

    Entry i owns bit 1 << i. A pattern entry's bit is set when one of its needles occurs, when it has
    none, or when the text is not `foldable`; a stems entry's bit only when one of its stems occurs.
    """

    def __init__(self) -> None:
        self._stems: dict[str, int] = {}
        self._always = 0  # patterns without needles
        self._patterns = 0  # bits of pattern entries (set for unfoldable texts)
        self._count = 0
        self._automaton: Any = None

    def _bit(self) -> int:
        if self._automaton is not None:
            raise RuntimeError("NeedleSet is complete")
        bit = 1 << self._count
        self._count += 1
        return bit

    def add_pattern(self, pattern: re.Pattern[str], avoid: str = "") -> int:
        """An entry for `pattern`; with `avoid`, needles containing one of its characters are not used
        (the caller tests the pattern on texts where those characters may stand for others)."""
        bit = self._bit()
        self._patterns |= bit
        found = needles(pattern)
        if found is not None and any(ch in s for s in found for ch in avoid):
            found = None
        if found is None:
            self._always |= bit
        else:
            for s in found:
                self._stems[s] = self._stems.get(s, 0) | bit
        return bit

    def add_stems(self, stems: Sequence[str]) -> int:
        """An entry set exactly when one of `stems` (lower case) is a substring of the lower-cased text."""
        bit = self._bit()
        for s in stems:
            self._stems[s] = self._stems.get(s, 0) | bit
        return bit

    def include(self, other: NeedleSet) -> int:
        """Take in every entry of `other` (which gets no more), shifted: one pass then serves both sets,
        `(self.mask(text, low) >> shift) & other.bits` being `other.mask(text, low)`. Returns the shift."""
        shift = self._count
        for _ in range(other._count):
            self._bit()
        for s, bit in other._stems.items():
            self._stems[s] = self._stems.get(s, 0) | bit << shift
        self._always |= other._always << shift
        self._patterns |= other._patterns << shift
        return shift

    @property
    def bits(self) -> int:
        """Every entry's bit."""
        return (1 << self._count) - 1

    def mask(self, text: str, low: str) -> int:
        """The bits of the entries that may match `text` (`low` is `text.lower()`)."""
        automaton = self._automaton
        if automaton is None:
            automaton = self._automaton = ahocorasick.Automaton()
            for s, bit in self._stems.items():
                automaton.add_word(s, bit)
            if self._stems:
                automaton.make_automaton()
        found = self._always if foldable(text) else self._always | self._patterns
        if self._stems:
            for _, bit in automaton.iter(low):
                found |= bit
        return found
