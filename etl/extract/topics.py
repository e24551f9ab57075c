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


def _rows(lexicon: Path) -> list[dict[str, str]]:
    with lexicon.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _lowered_groups(lexicon: Path, case_sensitive: frozenset[str]) -> list[tuple[str, list[str]]]:
    """(topic, its case-insensitive alternatives in lower case), for lower-cased text."""
    groups: list[tuple[str, list[str]]] = []
    for row in _rows(lexicon):
        words = [a.lower() for a in _top_level(row["pattern"]) if a.replace("\\", "") not in case_sensitive]
        if words:
            groups.append((row["topic_id"], words))
    return groups


def _exact_groups(lexicon: Path, case_sensitive: frozenset[str]) -> list[tuple[str, list[str]]]:
    """(topic, its case-sensitive acronyms)."""
    groups: list[tuple[str, list[str]]] = []
    for row in _rows(lexicon):
        acronyms = [a for a in _top_level(row["pattern"]) if a.replace("\\", "") in case_sensitive]
        if acronyms:
            groups.append((row["topic_id"], acronyms))
    return groups


def _lowered(lexicon: Path, case_sensitive: frozenset[str]) -> re.Pattern[str]:
    """The case-insensitive alternation in lower case, for lower-cased text: twice as fast as IGNORECASE."""
    groups = [
        f"(?P<{topic}>\\b(?:{'|'.join(words)})\\b)"
        for topic, words in _lowered_groups(lexicon, case_sensitive)
    ]
    return re.compile("|".join(groups))


Scan = Callable[[str], Iterable[tuple[str | None, int, int]]]


def _scan_of(pattern: re.Pattern[str], groups: list[tuple[str, list[str]]]) -> Scan:
    """(topic, start, end) of each match of `pattern`: by a WordScanner when it reproduces the pattern."""
    try:
        return WordScanner(groups).finditer
    except Unsupported:
        return lambda text: ((m.lastgroup, m.start(), m.end()) for m in pattern.finditer(text))


def _scans(lexicon: Path, case_sensitive: frozenset[str]) -> tuple[Scan, Scan, Scan]:
    """Scans for the lower-cased words, the acronyms, and `multilateral` alone (see the patterns)."""
    multilateral = [
        ("multilateral", [row["pattern"]]) for row in _rows(lexicon) if row["topic_id"] == "multilateral"
    ]
    return (
        _scan_of(_lowered(lexicon, case_sensitive), _lowered_groups(lexicon, case_sensitive)),
        _scan_of(_patterns(lexicon, case_sensitive)[1], _exact_groups(lexicon, case_sensitive)),
        _scan_of(_multilateral(lexicon), multilateral),
    )


def _patterns(lexicon: Path, case_sensitive: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two alternations with a named group per topic: case-insensitive words, case-sensitive acronyms."""
    folded: list[str] = []
    exact: list[str] = []
    with lexicon.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            words: list[str] = []
            acronyms: list[str] = []
            for alt in _top_level(row["pattern"]):
                (acronyms if alt.replace("\\", "") in case_sensitive else words).append(alt)
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


def _masked(rules: TopicRules, sentence: str) -> str:
    """The sentence with office names blanked out (same length, so offsets hold): "Minister of Labour and
    Foreign Employment", and a field before its office ("Health Minister", "National Security Adviser")."""
    masked = rules.office_name.sub(lambda m: " " * len(m.group(0)), sentence)
    for head in rules.office_after_field.finditer(masked):
        window = max(0, head.start() - 80)
        field = rules.field_before.search(masked, window, head.start())
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
    if possible & rules.courtesy_bit and len(sentence) < 160 and _courtesy_only(rules, sentence, low):
        return ()
    if possible & rules.attendance_bit and _found(rules.attendance, rules.attendance_twin, sentence, low):
        return ()
    words, acronyms, multilateral = rules.scans
    offices = _masked(rules, sentence) if possible & rules.office_bit else sentence
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


def _courtesy_only(rules: TopicRules, sentence: str, low: str | None) -> bool:
    """`rules.courtesy_only.match(sentence)` (`low` as for `_found`), without its backtracking: a courtesy
    phrase with no full stop anywhere before or after it (and the phrase has none) is the phrase's search in
    a sentence without a full stop."""
    return "." not in sentence and _found(rules.courtesy, rules.courtesy_twin, sentence, low)


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
    courtesy_only: re.Pattern[str]  # a sentence of courtesy only: no topic (tested as `_courtesy_only`)
    courtesy: re.Pattern[str]  # the courtesy phrase of `courtesy_only`
    courtesy_twin: re.Pattern[str] | None  # lower-case twins (`keywords.lower_case_twin`)
    attendance: re.Pattern[str]  # a sentence that only lists who attended: no topic
    attendance_twin: re.Pattern[str] | None
    office_name: re.Pattern[str]  # "<office> of <field>": no topic's evidence
    office_after_field: re.Pattern[str]  # "<field> <office>", with `field_before`
    field_before: re.Pattern[str]


def compile_topics(pack: Pack) -> TopicRules:
    """The topic rules of `pack`: its lexicon (topics.tsv) and topics.toml."""
    ph = pack.topics
    case_sensitive = frozenset(ph.words_of("case_sensitive"))
    courtesy = ph.compile("courtesy")
    courtesy_only = re.compile(rf"^(?:[^.]*{courtesy.pattern}[^.]*)$", courtesy.flags)
    attendance = ph.compile("attendance")
    offices = [*ph.source("offices_of").split("|"), *ph.source("offices_after_field").split("|")]
    filters = NeedleSet()
    courtesy_bit = filters.add_pattern(courtesy_only)
    attendance_bit = filters.add_pattern(attendance)
    # (`office_name`'s look-ahead hides its words from `add_pattern`: every office name holds one of its heads.)
    office_bit = filters.add_stems(sorted({w.lower() for w in offices}))
    return TopicRules(
        filters,
        courtesy_bit,
        attendance_bit,
        office_bit,
        _patterns(pack.lexicon, case_sensitive),
        _scans(pack.lexicon, case_sensitive),
        courtesy_only=courtesy_only,
        courtesy=courtesy,
        courtesy_twin=lower_case_twin(courtesy),
        attendance=attendance,
        attendance_twin=lower_case_twin(attendance),
        office_name=ph.compile("office_name"),
        office_after_field=re.compile(rf"\b(?:{ph.source('offices_after_field')})\b"),
        field_before=ph.compile("field_before"),
    )


@lru_cache(maxsize=1)
def _default_rules() -> TopicRules:
    """The default language's topic rules, for callers that name none."""
    return compile_topics(load())
