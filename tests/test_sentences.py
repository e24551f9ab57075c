"""etl.extract.sentences.split_sentences: spans that cut the body into sentences, abbreviations left whole."""

from __future__ import annotations

import random
import re

import pytest

from etl.extract.rules import rules_for
from etl.extract.sentences import _boundaries, split_sentences

ENGLISH = rules_for("en").abbreviations  # the English pack's abbreviations


def sentences(text: str) -> list[str]:
    return [text[span.start : span.end] for span in split_sentences(text, ENGLISH)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The President met the envoy. They discussed trade.",
         ["The President met the envoy.", "They discussed trade."]),
        ("Did they agree? Yes! The talks ended.", ["Did they agree?", "Yes!", "The talks ended."]),
        ("Talks began in 2024. 12 agreements followed.", ["Talks began in 2024.", "12 agreements followed."]),
        # abbreviations and initials do not end a sentence
        ("President Dissanayake met Mr. Smith today. They discussed trade.",
         ["President Dissanayake met Mr. Smith today.", "They discussed trade."]),
        ("Dr. Rao attended the talks. H.E. Mr. Eric Walsh spoke next.",
         ["Dr. Rao attended the talks.", "H.E. Mr. Eric Walsh spoke next."]),
        ("The U.S. Ambassador met the President. Talks followed.",
         ["The U.S. Ambassador met the President.", "Talks followed."]),
        ("Former Member of Parliament, Mr K.D. Lal Kantha, was also present. The visit ended.",
         ["Former Member of Parliament, Mr K.D. Lal Kantha, was also present.", "The visit ended."]),
        ("Prof. A. B. Perera spoke. Then Gen. Silva spoke.",
         ["Prof. A. B. Perera spoke.", "Then Gen. Silva spoke."]),
        # a closing quote or bracket stays with its sentence
        ('He said "We agree." Then he left.', ['He said "We agree."', "Then he left."]),
        ("The talks (held today.) Then lunch.", ["The talks (held today.)", "Then lunch."]),
        # a lower-case word after a dot is no new sentence
        ("The meeting was held at 10 a.m. on Monday.", ["The meeting was held at 10 a.m. on Monday."]),
        # a line break always ends a sentence, with or without a full stop
        ("A headline without a stop\nThe first paragraph.",
         ["A headline without a stop", "The first paragraph."]),
        ("One.\n\nTwo.\r\nThree", ["One.", "Two.", "Three"]),
        ("The President met the envoy of\nthe Republic of Korea.", ["The President met the envoy of",
                                                                  "the Republic of Korea."]),
        # bullet lists: one item per sentence
        ("The agreements cover:\n- trade\n- energy\n• health care",
         ["The agreements cover:", "- trade", "- energy", "• health care"]),
        ("Topics:\n1. Trade.\n2. Energy.", ["Topics:", "1. Trade.", "2. Energy."]),
        # white space around sentences is not part of them
        ("  Leading space. Trailing space.  ", ["Leading space.", "Trailing space."]),
        ("", []),
        (" \n\t\n ", []),
    ],
)  # fmt: skip
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "President Anura Kumara Dissanayake met the Ambassador of Japan today. The talks were on trade.\n\n"
        "Mr. K.D. Lal Kantha was present.\n- item one\n- item two",
        '  He said "Yes."  Then (briefly) he left!  \n',
    ],
)
def test_spans_are_ordered_disjoint_trimmed_and_cover_every_word(text: str) -> None:
    spans = split_sentences(text, ENGLISH)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip()
        assert "\n" not in piece
        previous_end = span.end
    covered = {i for span in spans for i in range(span.start, span.end)}
    assert [ch for i, ch in enumerate(text) if not ch.isspace() and i not in covered] == []


def test_boundaries_are_the_alternation_of_end_marks_and_line_breaks() -> None:
    boundary = re.compile(r"[.!?][\"'”’)\]]*[ \t]+(?=[\"“‘(]?[A-Z0-9À-Ý])|\s*\n\s*")
    rng = random.Random(5)
    pieces = [*'.!? \t\n\r\xa0Aa1"”)(Éx', "Mr", " \n "]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert _boundaries(text) == [m.span() for m in boundary.finditer(text)], repr(text)
