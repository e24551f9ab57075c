"""etl.extract.keywords: the Aho-Corasick scans and pre-tests give exactly what the regular expressions give."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from etl.extract import parties, persons, topics, triggers
from etl.extract.keywords import (
    NeedleSet,
    Unsupported,
    WordScanner,
    foldable,
    lower_case_twin,
    max_width,
    needles,
)
from etl.extract.rules import Rules, rules_for
from etl.extract.sentences import split_sentences
from etl.inputs.readers import iter_inputs
from etl.records import Release

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def _english() -> Rules:
    rules = rules_for("en")
    assert rules is not None
    return rules


EN = _english()

# Pieces that meet the lexicon's edges: boundaries, lookarounds, word runs, optional parts, acronyms.
WORDS = (
    "trade trades trader security food security food energy security security situation environment for "
    "environment conducive environment agri-food agri- agro agroindustry manufacturing manufactur GSP+ gsp+x "
    "SMEs SME AI IT sector ICT FTA EFF LNG UN Security Council power plants power plant power harbour harbors "
    "cyber crime cybercrime workers’ rights investments invest tea team said aid Ai multilateralism tourists "
    "COVID-19 covid- non-permanent membership economic zone in the framework of the"
)
PIECES = [*WORDS.split(), "_", "-", " ", ", ", ".", "’", "'", "(", ")", "é", "İ", "2", "x"]


def _sentences() -> list[str]:
    out: list[str] = []
    for release in iter_inputs([str(SAMPLE)]):
        if isinstance(release, Release):
            out += [
                release.body[s.start : s.end]
                for s in split_sentences(release.body, rules_for("en").abbreviations)
            ]
    rng = random.Random(7)
    for _ in range(3000):
        words = [rng.choice(PIECES) + rng.choice(["", " ", "  ", "-", "_", ",", "x"]) for _ in range(8)]
        text = "".join(words)
        out.append(text.lower() if rng.random() < 0.5 else text)
    return out


SENTENCES = _sentences()


def _regex_matches(pattern: re.Pattern[str], text: str) -> list[tuple[str | None, int, int]]:
    return [(m.lastgroup, m.start(), m.end()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("which", ["words", "acronyms", "multilateral"])
def test_topic_scans_match_the_lexicon_patterns(which: str) -> None:
    lexicon = EN.pack.lexicon
    words, acronyms, multilateral = EN.topics.scans
    scan, pattern, lower = {
        "words": (
            words,
            topics._lowered(lexicon, frozenset(EN.pack.topics.words_of("case_sensitive"))),
            True,
        ),
        "acronyms": (acronyms, EN.topics.patterns[1], False),
        "multilateral": (multilateral, topics._multilateral(lexicon), False),
    }[which]
    assert isinstance(getattr(scan, "__self__", None), WordScanner)  # the fast path is in use
    for sentence in SENTENCES:
        text = sentence.lower() if lower else sentence
        assert list(scan(text)) == _regex_matches(pattern, text), text


def test_word_scanner_constructs() -> None:
    groups = [
        ("a", [r"(?<!food )security(?: council)?", r"agro\w*", r"agri-\w+"]),
        ("b", [r"environment(?! for)", r"harbou?rs?", r"gsp\+?", r"secur"]),
    ]
    pattern = re.compile("|".join(f"(?P<{g}>\\b(?:{'|'.join(alts)})\\b)" for g, alts in groups))
    scanner = WordScanner(groups)
    for text in [
        "food security and security council, agro agroindustry agri- agri-food",
        "environment for all; environment; harbors harbour gsp+ gsp+x gsp",
        "securit security_ _security",
    ]:
        assert scanner.finditer(text) == _regex_matches(pattern, text)


@pytest.mark.parametrize("alternative", [r"a\s+b", r"[a-z]+", r"(a)b", r"(?i:ab)", r"x{2}", r"a?"])
def test_word_scanner_refuses_what_it_cannot_reproduce(alternative: str) -> None:
    with pytest.raises(Unsupported):
        WordScanner([("g", [alternative])])


PRETESTED = [
    *(p for _, p, _, _ in EN.triggers.kinds),
    EN.triggers.visit_words,
    EN.triggers.not_trip,
    EN.absent.greeting_from,
    EN.absent.deceased,
    EN.company,
    EN.diplomat,
    EN.principal_ref,
    EN.topics.attendance,
    EN.topics.office_name,
    *(p for _, p, _, _ in EN.dates.patterns),
]


def test_needles_are_in_every_match() -> None:
    for pattern in PRETESTED:
        found = needles(pattern)
        if found is None:
            continue
        for sentence in SENTENCES[::3]:
            for variant in (sentence, sentence.upper()):
                m = pattern.search(variant)
                if m is not None and foldable(variant):
                    assert any(n in m.group(0).lower() for n in found), (pattern.pattern, variant)


def test_needle_set_bits() -> None:
    checks = NeedleSet()
    meeting = checks.add_pattern(re.compile(r"\bmet\b|\bmeeting\b", re.IGNORECASE))  # me(?:t|eting)
    stems = checks.add_stems(["phone"])
    anything = checks.add_pattern(re.compile(r"\d"))  # no needle: always possible
    text = "They MET by Telephone."
    assert checks.mask(text, text.lower()) == meeting | stems | anything
    assert checks.mask("nothing", "nothing") == anything
    # "ı" matches "i" under IGNORECASE but is not lower-cased to it: every pattern may match, stems exactly
    assert checks.mask("mıt", "mıt") == meeting | anything


def test_foldable() -> None:
    assert foldable("Erdoğan, Ankara")
    assert not foldable("İstanbul") and not foldable("Kılıçdaroğlu") and not foldable("ſ")


def test_max_width() -> None:
    assert max_width(r"Mr\.?|His Royal Highness") == len("His Royal Highness")
    assert max_width(r"a+") is None


def test_anchored_title_searches_match_the_full_search() -> None:
    rng = random.Random(3)
    tails = ["Mr.", "H.E.", "H. E.", "Ambassador", "Prime Minister", ",", " ", "  ,", "\n", "and", "Sir X"]
    for sentence in SENTENCES[:2000]:
        text = sentence[: rng.randint(0, len(sentence))] + " ".join(rng.sample(tails, 3))
        pr = EN.persons
        assert persons._ends_with_title(pr, text) == bool(pr.title_end.search(text)), text
        assert persons._strip_trailing_honorifics(pr, text) == pr.trailing_honorifics.sub("", text), text


def test_sentence_pre_tests_keep_the_trigger_answers() -> None:
    for sentence in SENTENCES:
        for text in (sentence, sentence.upper()):
            t = EN.triggers
            possible = triggers._filter(t, text)
            assert triggers._visit_search(t, text, possible) == bool(t.visit.search(text)), text
            low = text.lower()
            expected = (
                [kind for kind, pattern, _, _ in t.kinds if pattern.search(text)]
                if any(stem in low for stem in EN.pack.stems)
                else []
            )
            assert triggers._kinds(t, text, possible) == expected, text


def _twins() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    t = EN.triggers
    pairs = [(pattern, twin) for _, pattern, twin, _ in t.kinds]
    pairs += [(pattern, twin) for _, pattern, twin, _ in EN.dates.patterns]
    pairs += [
        (EN.dates.future, EN.dates.future_twin),
        (EN.dates.pinned_today, EN.dates.pinned_today_twin),
        (t.visit_words, t.visit_words_twin),
        (t.private_trip, t.private_trip_twin),
        (t.not_trip, t.not_trip_twin),
        (EN.topics.courtesy, EN.topics.courtesy_twin),
        (EN.topics.attendance, EN.topics.attendance_twin),
    ]
    return [(pattern, twin) for pattern, twin in pairs if twin is not None]


def test_lower_case_twins_match_where_their_patterns_match() -> None:
    pairs = _twins()
    assert len(pairs) >= 12
    extra = ["Today (25) he met", "TONIGHT (3rd)", "is currently IN Japan", "a Private Visit", "K met"]
    for sentence in [*SENTENCES, *extra]:
        for text in (sentence, sentence.upper(), sentence.title()):
            if not foldable(text):
                continue
            low = text.lower()
            for pattern, twin in pairs:
                expected = [(m.span(), [g and g.lower() for g in m.groups()]) for m in pattern.finditer(text)]
                assert [(m.span(), list(m.groups())) for m in twin.finditer(low)] == expected, (pattern, text)


def test_lower_case_twin_refuses_what_lower_casing_changes() -> None:
    assert lower_case_twin(re.compile(r"[A-Z]\.", re.IGNORECASE)) is None  # a letter in a class
    assert lower_case_twin(re.compile(r"\bX\S", re.IGNORECASE)) is None  # \S is not \s
    assert lower_case_twin(re.compile(r"(?-i:A)b", re.IGNORECASE)) is None
    assert lower_case_twin(re.compile(r"Ab")) is None  # case-sensitive already
    twin = lower_case_twin(re.compile(r"(?P<Day>Today)\s+\d", re.IGNORECASE))
    assert twin is not None and twin.pattern == r"(?P<Day>today)\s+\d"


def test_needle_set_include() -> None:
    inner = NeedleSet()
    meeting = inner.add_pattern(re.compile(r"\bmeeting\b", re.IGNORECASE))
    digit = inner.add_pattern(re.compile(r"\d"))
    outer = NeedleSet()
    phone = outer.add_stems(["phone"])
    shift = outer.include(inner)
    for text in ("A meeting by phone", "nothing", "mıt 5", "MEETING"):
        mask = outer.mask(text, text.lower())
        assert (mask >> shift) & inner.bits == inner.mask(text, text.lower()), text
        assert bool(mask & phone) == ("phone" in text.lower())
    assert inner.bits == meeting | digit


def test_rewritten_tests_give_what_the_patterns_give() -> None:
    rng = random.Random(11)
    bits = [
        ",",
        ";",
        ":",
        ".",
        " and ",
        "along with",
        " as well as ",
        "x",
        " ",
        "with",
        "friendly relations",
        "\n",
    ]
    for sentence in SENTENCES[:1500]:
        noise = "".join(rng.choice(bits) for _ in range(4))
        for text in (sentence, sentence[: len(sentence) // 2] + noise):
            listing = re.fullmatch(
                r"[^.:]*(?:[,;]|\band\b|\balong\s+with\b|\btogether\s+with\b|\bas\s+well\s+as\b)[^.:]*", text
            )
            assert parties._listing(EN.parties, text) == bool(listing), text
            assert topics._courtesy_only(EN.topics, text, text.lower() if foldable(text) else None) == bool(
                EN.topics.courtesy_only.match(text)
            ), text
            window = text.rstrip()
            last = 0
            for m in EN.persons.clause_break.finditer(window):
                last = m.end()
            reversed_break = EN.persons.clause_break_reversed.search(window[::-1])
            assert (len(window) - reversed_break.start() if reversed_break else 0) == last, window
