"""Assigns the default topics (CONTRACT §4) to the sentences of an engagement, with evidence offsets.

One alternation with a named group per topic, so a sentence is scanned once; the alternation is run as an
Aho-Corasick scan (etl/extract/keywords.py) that gives exactly its matches, and as the regular expression
itself for a lexicon the scan cannot reproduce. The lexicon is data, the language pack's topics.tsv
(etl/extract/packs/en/topics.tsv); analysts who add topics add a row there.
"""

from __future__ import annotations

import csv
import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from etl.extract.keywords import NeedleSet, Unsupported, WordScanner, foldable, lower_case_twin
from etl.extract.pack import Pack, load
from etl.records import Span, TopicMention

# Case-sensitive words: acronyms that are ordinary words in lower case ("AI" vs "ai", "IT" vs "it").
_CASE_SENSITIVE = {"AI", "IT", "EFF", "FTA", "SCO", "CIS", "ICT", "LNG", "UN", "GSP", "SME", "SMEs", "BRICS"}
# Courtesy does not make a topic: "economic" in "friendly relations" sentences is kept only with substance.
_COURTESY_ONLY = re.compile(
    r"^(?:[^.]*\b(?:friendly|cordial|warm|long-?standing|historic|traditional|brotherly)\s+(?:relations|ties|welcome)\b[^.]*)$",
    re.IGNORECASE,
)


def _rows(lexicon: Path) -> list[dict[str, str]]:
    with lexicon.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _lowered_groups(lexicon: Path) -> list[tuple[str, list[str]]]:
    """(topic, its case-insensitive alternatives in lower case), for lower-cased text."""
    groups: list[tuple[str, list[str]]] = []
    for row in _rows(lexicon):
        words = [a.lower() for a in _top_level(row["pattern"]) if a.replace("\\", "") not in _CASE_SENSITIVE]
        if words:
            groups.append((row["topic_id"], words))
    return groups


def _exact_groups(lexicon: Path) -> list[tuple[str, list[str]]]:
    """(topic, its case-sensitive acronyms)."""
    groups: list[tuple[str, list[str]]] = []
    for row in _rows(lexicon):
        acronyms = [a for a in _top_level(row["pattern"]) if a.replace("\\", "") in _CASE_SENSITIVE]
        if acronyms:
            groups.append((row["topic_id"], acronyms))
    return groups


def _lowered(lexicon: Path) -> re.Pattern[str]:
    """The case-insensitive alternation in lower case, for lower-cased text: twice as fast as IGNORECASE."""
    groups = [f"(?P<{topic}>\\b(?:{'|'.join(words)})\\b)" for topic, words in _lowered_groups(lexicon)]
    return re.compile("|".join(groups))


Scan = Callable[[str], Iterable[tuple[str | None, int, int]]]


def _scan_of(pattern: re.Pattern[str], groups: list[tuple[str, list[str]]]) -> Scan:
    """(topic, start, end) of each match of `pattern`: by a WordScanner when it reproduces the pattern."""
    try:
        return WordScanner(groups).finditer
    except Unsupported:
        return lambda text: ((m.lastgroup, m.start(), m.end()) for m in pattern.finditer(text))


def _scans(lexicon: Path) -> tuple[Scan, Scan, Scan]:
    """Scans for the lower-cased words, the acronyms, and `multilateral` alone (see the patterns)."""
    multilateral = [
        ("multilateral", [row["pattern"]]) for row in _rows(lexicon) if row["topic_id"] == "multilateral"
    ]
    return (
        _scan_of(_lowered(lexicon), _lowered_groups(lexicon)),
        _scan_of(_patterns(lexicon)[1], _exact_groups(lexicon)),
        _scan_of(_multilateral(lexicon), multilateral),
    )


def _patterns(lexicon: Path) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two alternations with a named group per topic: case-insensitive words, case-sensitive acronyms."""
    folded: list[str] = []
    exact: list[str] = []
    with lexicon.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            words: list[str] = []
            acronyms: list[str] = []
            for alt in _top_level(row["pattern"]):
                (acronyms if alt.replace("\\", "") in _CASE_SENSITIVE else words).append(alt)
            if words:
                folded.append(f"(?P<{row['topic_id']}>\\b(?:{'|'.join(words)})\\b)")
            if acronyms:
                exact.append(f"(?P<{row['topic_id']}>\\b(?:{'|'.join(acronyms)})\\b)")
    return re.compile("|".join(folded), re.IGNORECASE), re.compile("|".join(exact) or "(?!)")


def _multilateral(lexicon: Path) -> re.Pattern[str]:
    """The `multilateral` alternatives alone, for text where organization names stay visible."""
    with lexicon.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["topic_id"] == "multilateral":
                return re.compile(rf"(?P<multilateral>\b(?:{row['pattern']})\b)")
    return re.compile("(?!)")


def _top_level(pattern: str) -> list[str]:
    """Split a pattern on the bars that are not inside brackets."""
    out: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in pattern:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    if current:
        out.append("".join(current).strip())
    return [p for p in out if p]


def topic_ids(rules: TopicRules | None = None) -> list[str]:
    return list((rules or _default_rules()).patterns[0].groupindex)


# Office and institution names are not subjects: "Minister of Labour and Foreign Employment", "Health
# Minister" and "National Security Adviser" discuss nothing. A name's capitalised words stop where the next
# office begins, so a list of ministers ("Minister of Health Nalinda Jayatissa, Minister of Fisheries ...")
# is masked title by title; before the office, up to five capitalised words name its field (the office itself is left to
# the first form, which may go on with "of ...").
_OFFICE_HEAD = r"(?:Minister|Ministry|Ministers|Deputy\s+Minister|State\s+Minister)\b"
# The offices named "<office> of <field>" and those named "<field> <office>".
_OFFICES_OF = (
    "Minister Ministry Ministers Secretary Department Committee Commission Authority Board Bureau Agency "
    "Council Chamber Institute Corporation Bank Fund Director Chairman Head Office Governor"
).split()
_OFFICES_AFTER_FIELD = ("Minister", "Ministry", "Advisor", "Adviser", "Secretary")
_OFFICE_NAME = re.compile(
    rf"\b(?:Deputy\s+Minister|State\s+Minister|{'|'.join(_OFFICES_OF)})"
    rf"\s+(?:of|for|on)\s+(?:the\s+)?(?:(?!{_OFFICE_HEAD})[A-Z][\w’'\-]*(?:,)?\s*(?:and\s+|&\s+)?)+"
)
_OFFICE_AFTER_FIELD = re.compile(rf"\b(?:{'|'.join(_OFFICES_AFTER_FIELD)})\b")
_FIELD_BEFORE = re.compile(r"\b(?:[A-Z][\w’'\-]*\s+(?:and\s+|&\s+)?){1,5}\Z")
_ATTENDANCE = re.compile(
    r"\b(?:also\s+(?:present|attended|participated|joined)|were\s+(?:also\s+)?present|was\s+(?:also\s+)?present|"
    r"participated\s+in\s+(?:the|this)|took\s+part\s+in\s+(?:the|this)|attended\s+(?:the|this)|"
    r"were\s+among\s+those|among\s+those\s+present|accompanied\s+(?:the|by)|guard\s+of\s+honou?r)\b",
    re.IGNORECASE,
)


def _masked(sentence: str) -> str:
    """The sentence with office names blanked out (same length, so offsets hold)."""
    masked = _OFFICE_NAME.sub(lambda m: " " * len(m.group(0)), sentence)
    for head in _OFFICE_AFTER_FIELD.finditer(masked):  # "Health Minister", "National Security Adviser"
        window = max(0, head.start() - 80)
        field = _FIELD_BEFORE.search(masked, window, head.start())
        if field is not None:
            masked = masked[: field.start()] + " " * (field.end() - field.start()) + masked[field.end() :]
    return masked


def find_topics(
    text: str,
    spans: list[Span],
    names: Sequence[Span] = (),
    possibles: Sequence[int] | None = None,
    rules: TopicRules | None = None,
) -> list[TopicMention]:
    """The first evidence of each topic within the given sentence spans of `text`.

    Sentences that only list who attended, office names ("Ministry of Health") and the names in `names`
    (organizations: "UN Counter-Terrorism Office" is a body, not a subject) are not evidence.
    `possibles` are `rules.filters.mask` of each span's sentence when the caller has them; `rules` those of
    the release's language (default: the default language's).
    """
    if rules is None:
        rules = _default_rules()
    seen: dict[str, TopicMention] = {}
    in_order = all(a.start <= b.start for a, b in itertools.pairwise(names))
    for index, span in enumerate(spans):
        sentence = text[span.start : span.end]
        possible = rules.filters.mask(sentence, sentence.lower()) if possibles is None else possibles[index]
        inside = _names_inside(names, span, in_order) if names else ()
        for topic, start, end in _sentence_topics(rules, sentence, possible, inside):
            if topic and topic not in seen:
                seen[topic] = TopicMention(topic, Span(span.start + start, span.start + end))
    return list(seen.values())


def _names_inside(names: Sequence[Span], span: Span, in_order: bool) -> tuple[tuple[int, int], ...]:
    """The `names` that lie within `span`, in their order, as offsets into it. Names `in_order` of their
    start (as the extractor gives them) are found by bisection, others by a look at each."""
    if in_order:
        i = bisect_left(names, span.start, key=attrgetter("start"))
        out = []
        while i < len(names) and names[i].start < span.end:
            if names[i].end <= span.end:
                out.append((names[i].start - span.start, names[i].end - span.start))
            i += 1
        return tuple(out)
    return tuple(
        (name.start - span.start, name.end - span.start)
        for name in names
        if span.start <= name.start and name.end <= span.end
    )


def _sentence_topics(
    rules: TopicRules, sentence: str, possible: int, names: tuple[tuple[int, int], ...]
) -> tuple[tuple[str | None, int, int], ...]:
    """(topic, start, end) of the lexicon's matches in one sentence (`possible` its `rules.filters.mask`, `names`
    the organization names in it), in the order `find_topics` takes them.

    `multilateral` is searched again in the text with organization names visible ("the UN Security Council
    seat"); `find_topics` keeps only the first evidence of a topic, so a second one does no harm."""
    low = sentence.lower() if foldable(sentence) else None  # for the lower-case twins
    if possible & rules.courtesy_bit and len(sentence) < 160 and _courtesy_only(sentence, low):
        return ()
    if possible & rules.attendance_bit and _found(_ATTENDANCE, _ATTENDANCE_TWIN, sentence, low):
        return ()
    words, acronyms, multilateral = rules.scans
    offices = _masked(sentence) if possible & rules.office_bit else sentence
    masked = offices
    for a, b in names:
        masked = masked[:a] + " " * (b - a) + masked[b:]
    low = masked.lower()  # (of the masked sentence, not the one above)
    runs: list[Iterable[tuple[str | None, int, int]]]
    if len(low) == len(masked):  # lower() keeps offsets for all but a few scripts
        runs = [words(low), acronyms(masked)]
    else:
        runs = [((m.lastgroup, m.start(), m.end()) for m in p.finditer(masked)) for p in rules.patterns]
    if names:
        runs.append(multilateral(offices))
    return tuple(found for run in runs for found in run)


def _found(pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str, low: str | None) -> bool:
    """`pattern.search(text)`, by its lower-case twin on `low` (`text.lower()`, foldable) if it has one."""
    if twin is not None and low is not None:
        return twin.search(low) is not None
    return pattern.search(text) is not None


# `_COURTESY_ONLY` is a courtesy phrase with no full stop anywhere before or after it (and the phrase has
# none): `_COURTESY_ONLY.match(sentence)` is this search in a sentence without a full stop.
_COURTESY_PHRASE = re.compile(_COURTESY_ONLY.pattern[len("^(?:[^.]*") : -len("[^.]*)$")], re.IGNORECASE)


def _courtesy_only(sentence: str, low: str | None) -> bool:
    """`_COURTESY_ONLY.match(sentence)` (`low` as for `_found`), without its backtracking."""
    return "." not in sentence and _found(_COURTESY_PHRASE, _COURTESY_TWIN, sentence, low)


# Lower-case twins of the case-insensitive sentence tests (`keywords.lower_case_twin`).
_COURTESY_TWIN = lower_case_twin(_COURTESY_PHRASE)
_ATTENDANCE_TWIN = lower_case_twin(_ATTENDANCE)


@dataclass(frozen=True, slots=True, eq=False)
class TopicRules:
    """One pack's topic lexicon, compiled and scanned, with the pre-tests (`filters`) of the sentence tests:
    a sentence without any of a pattern's words is not run through it (the extractor's own pass over its
    sentences includes these: `rules.Rules`)."""

    filters: NeedleSet
    courtesy_bit: int
    attendance_bit: int
    office_bit: int
    patterns: tuple[re.Pattern[str], re.Pattern[str]]  # the lexicon: case-insensitive words, acronyms
    scans: tuple[Scan, Scan, Scan]  # `_scans` of the lexicon


def compile_topics(pack: Pack) -> TopicRules:
    """The topic rules of `pack`."""
    filters = NeedleSet()
    courtesy_bit = filters.add_pattern(_COURTESY_ONLY)
    attendance_bit = filters.add_pattern(_ATTENDANCE)
    # (`_OFFICE_NAME`'s look-ahead hides its words from `add_pattern`: every office name holds one of its heads.)
    office_bit = filters.add_stems(sorted({w.lower() for w in (*_OFFICES_OF, *_OFFICES_AFTER_FIELD)}))
    return TopicRules(
        filters, courtesy_bit, attendance_bit, office_bit, _patterns(pack.topics), _scans(pack.topics)
    )


@lru_cache(maxsize=1)
def _default_rules() -> TopicRules:
    """The default language's topic rules, for callers that name none."""
    return compile_topics(load())
