"""Boilerplate removal and whitespace normalisation, on plain strings."""

from __future__ import annotations

import pytest

from etl.inputs.clean import (
    find_link,
    is_boilerplate_line,
    is_related_line,
    normalize_whitespace,
    strip_boilerplate,
    unwrap_lines,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufeffHello", "Hello"),
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("trailing   \nspaces\t \n", "trailing\nspaces"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("a\n  \n \t \n\nb", "a\n\nb"),
        ("\n\n  leading and trailing blank lines \n\n\n", "leading and trailing blank lines"),
        ("President of\u00a0Kyrgyzstan", "President of Kyrgyzstan"),
        ("double  spaces\tand\u202ftabs", "double spaces and tabs"),
        ("zero\u200bwidth", "zerowidth"),
        ("para one\r\n\r\npara two", "para one\n\npara two"),
    ],
)
def test_normalize_whitespace(raw: str, expected: str) -> None:
    assert normalize_whitespace(raw) == expected


def test_normalize_whitespace_is_idempotent() -> None:
    text = "\ufeff date 2024-05-17\r\nTitle  \r\n\r\n\r\n\r\nBody\u00a0text.  \r\n"
    once = normalize_whitespace(text)
    assert normalize_whitespace(once) == once


@pytest.mark.parametrize(
    "line",
    [
        "USD 84.70",
        "EUR 94.10",
        "RUB 0.95",
        "KZT 0.17",
        "USD 84.70 EUR 94.10 RUB 0.95 KZT 0.17",
        "USD 84,70 | EUR 94,10",
        "  USD 84.70  ",
        "English",
        "Русский",
        "Кыргызча",
        "Русский | Кыргызча | English",
        "link: https://24.kg/english/298000_news/",
        "Link:https://example.org/a",
        "views: 99",
        "Views: 1 234",
        "Print",
        "Share",
        "Print Share",
    ],
)
def test_boilerplate_lines_are_recognised(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "The exchange rate reached USD 84.70 on Friday.",
        "English teachers from the UK will visit Bishkek.",
        "The president shared his views on the agenda.",
        "Print media representatives attended.",
        "Related parties signed the agreement.",
        "USD",
    ],
)
def test_sentences_mentioning_boilerplate_words_are_kept(line: str) -> None:
    assert not is_boilerplate_line(line)
    assert not is_related_line(line)
    assert strip_boilerplate(line) == line


@pytest.mark.parametrize("line", ["Related", "related", "Related news", "Related:", "Read also"])
def test_related_lines_are_recognised(line: str) -> None:
    assert is_related_line(line)


def test_strip_boilerplate_removes_lines_wherever_they_stand_and_cuts_at_related() -> None:
    text = "\n".join(
        [
            "USD 84.70",
            "EUR 94.10",
            "English",
            " date 2024-05-17 17:32",
            "Headline of the release",
            "views: 99",
            "",
            "First paragraph.",
            "",
            "Print",
            "Share",
            "",
            "Second paragraph.",
            "link: https://24.kg/english/1_headline/",
            "",
            "Related",
            "Another headline about something else",
            "Yet another headline",
        ]
    )
    assert strip_boilerplate(text) == (
        "date 2024-05-17 17:32\nHeadline of the release\n\nFirst paragraph.\n\nSecond paragraph."
    )


def test_strip_boilerplate_is_idempotent() -> None:
    text = "Title\n\nBody.\n\nviews: 3\n\n\nRelated\nOther"
    once = strip_boilerplate(text)
    assert strip_boilerplate(once) == once == "Title\n\nBody."


def test_find_link_returns_the_release_url() -> None:
    text = "date 2024-05-17\nTitle\n\nBody.\nlink: https://24.kg/english/1_a/\nviews: 5"
    assert find_link(text) == "https://24.kg/english/1_a/"


def test_find_link_ignores_links_of_related_headlines_and_absent_links() -> None:
    assert find_link("Title\n\nBody.\nRelated\nOther\nlink: https://24.kg/english/2_other/") is None
    assert find_link("Title\n\nBody mentions link: https://x.org but not as a line.") is None


def test_unwrap_lines_joins_hard_wrapped_paragraphs() -> None:
    wrapped = (
        "BISHKEK, January 16. Kyrgyzstan plays a crucial role as a bridge, Akylbek\n"
        "Japarov, Chairman of the Cabinet of Ministers, said.\n"
        "He said this during a meeting with Vice President of the European\n"
        "Commission Margaritis Schinas.\n\nSecond paragraph."
    )
    assert unwrap_lines(wrapped) == (
        "BISHKEK, January 16. Kyrgyzstan plays a crucial role as a bridge, Akylbek Japarov, Chairman of the "
        "Cabinet of Ministers, said.\nHe said this during a meeting with Vice President of the European "
        "Commission Margaritis Schinas.\n\nSecond paragraph."
    )


@pytest.mark.parametrize(
    "text",
    [
        "One paragraph.\nAnother paragraph.\nA third one.",  # lines that end their sentences
        "Sadyr Japarov\n\nCaption above, paragraph below.",  # a caption alone
        "Heading without stop\nFirst sentence of a paragraph that is much longer than any hard-wrapped "
        "newswire line would ever be.\nLast.",  # long lines are not wrapped
        "Two lines\nonly",
    ],
)
def test_unwrap_lines_leaves_ordinary_text_alone(text: str) -> None:
    assert unwrap_lines(text) == text
