"""Removes site boilerplate and normalises whitespace; pure functions.

Kept apart from the readers so the rules can be tested on plain strings and shared by every input form:
a release body that differs only in line endings or a currency ticker must hash and extract the same.
"""

from __future__ import annotations

import re

# Invisible or exotic spaces that agency sites put between words (the seed file is full of NBSPs):
# extraction patterns and content hashes should see plain spaces. A chain of `str.replace` guarded by
# `in` is several times faster here than `str.translate` or one regex with a callback.
_REPLACEMENTS = (
    ("\t", " "),
    ("\v", " "),
    ("\f", " "),
    ("\u00a0", " "),  # no-break space
    ("\u2002", " "),
    ("\u2003", " "),
    ("\u2007", " "),  # figure space
    ("\u2009", " "),  # thin space
    ("\u200a", " "),
    ("\u202f", " "),  # narrow no-break space
    ("\u3000", " "),
    ("\u0085", "\n"),
    ("\u2028", "\n"),
    ("\u2029", "\n\n"),
    ("\u200b", ""),  # zero-width space
    ("\ufeff", ""),  # BOM, also when it turns up mid-file after a bad concatenation
)
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")

# Whole lines that are site furniture, never release text. Matched against a stripped line with
# fullmatch, so a sentence that merely mentions "USD 84.70" or "English" is left alone.
_CURRENCIES = "USD|EUR|RUB|KZT|CNY|GBP|JPY|CHF|TRY|UZS|TJS|KGS|AED|INR|LKR"
_LANGUAGES = (
    "English|Русский|Русская версия|Кыргызча|Кыргыз тили|Қазақша|Qazaqsha|O[ʻ'‘]zbekcha|Ўзбекча|Тоҷикӣ"
    "|Türkçe|Deutsch|Français|Español|中文|العربية|EN|RU|KG|KY|KZ|UZ"
)
_SEP = r"[\s|/·•,;]*"
_BOILERPLATE_LINE = re.compile(
    "|".join(
        (
            rf"(?:(?:{_CURRENCIES}){_SEP}[:=]?{_SEP}\d+(?:[.,]\d+)?(?:\s*[-+−▲▼↑↓]\s*\d+(?:[.,]\d+)?)?{_SEP})+",
            rf"(?:(?:{_LANGUAGES}){_SEP})+",
            r"link\s*:\s*\S*",
            r"(?:views?|просмотр\w*)\s*:?\s*\d[\d\s.,]*",
            rf"(?:(?:Print|Share|Версия для печати|Поделиться){_SEP})+",
        )
    ),
    re.IGNORECASE,
)
# A line opening the trailing list of other headlines: it and everything after it go.
_RELATED_LINE = re.compile(
    r"(?:Related(?:\s+(?:news|articles|stories|materials|posts))?|Read also|Читайте также|Похожие новости)"
    r"\s*:?",
    re.IGNORECASE,
)
_LINK_LINE = re.compile(r"link\s*:\s*(https?://\S+)", re.IGNORECASE)
# How a line that ends its sentence ends: punctuation, possibly inside closing quotes or brackets.
_LINE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$|[\"”»]$")
_WRAP_WIDTH = 100  # lines of hard-wrapped text (newswire feeds, e-mail copies) are shorter than this
_WRAP_MIN = 45  # ... and, but for a paragraph's last line, not much shorter: signature blocks and lists are
_ITEM = re.compile(r"[•▪◦‣*·\-–—]|\d{1,2}[.)]\s")  # a list item starts its own line


def normalize_whitespace(text: str) -> str:
    """Return `text` with one whitespace convention, so equal content always hashes equal.

    Strips a BOM, turns CRLF/CR into LF, maps exotic spaces to plain ones, collapses runs of spaces,
    strips every line, keeps paragraphs apart by exactly one blank line and trims the ends.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for odd, plain in _REPLACEMENTS:
        if odd in text:
            text = text.replace(odd, plain)
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return text.strip()


def is_boilerplate_line(line: str) -> bool:
    """True for a line that is site furniture (currency ticker, language switch, link, views, print/share)."""
    return _BOILERPLATE_LINE.fullmatch(line.strip()) is not None


def is_related_line(line: str) -> bool:
    """True for the line that opens the trailing list of other headlines ("Related")."""
    return _RELATED_LINE.fullmatch(line.strip()) is not None


def strip_boilerplate(text: str) -> str:
    """Drop boilerplate lines wherever they stand and cut at a `Related` line.

    Expects LF line endings (run `normalize_whitespace` first). Removed lines vanish instead of leaving
    blanks behind, so the date line and headline of agency text stay the first two lines.
    """
    kept: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        if _RELATED_LINE.fullmatch(stripped):
            break
        if _BOILERPLATE_LINE.fullmatch(stripped):
            continue
        kept.append(line)
    return _BLANK_RUN.sub("\n\n", "\n".join(kept)).strip()


def unwrap_lines(text: str) -> str:
    """Join the lines of hard-wrapped paragraphs ("<given name>\n<family name>, Chairman of ...") back into one line.

    Newswire copies (MENAFN, e-mail digests) break lines at a fixed width inside sentences, which would
    split names and sentences, since a line break ends a sentence. A paragraph (lines between blank lines)
    counts as wrapped when it has at least three lines, all shorter than the wrap width, and most of its
    inner lines are long and stop mid-sentence; then each line that stops mid-sentence is joined to the
    next, unless the next is a list item. Captions, headings, signature blocks ("Name / President /
    date"), bullet lists and ordinary one-line paragraphs are left alone.
    """
    if "\n" not in text:
        return text
    out: list[str] = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        inner = lines[:-1]
        if (
            len(lines) < 3
            or max(len(line) for line in lines) > _WRAP_WIDTH
            or sum(len(line) >= _WRAP_MIN and not _LINE_END.search(line) for line in inner) * 3
            < len(inner) * 2
        ):
            out.append(block)
            continue
        joined = [lines[0]]
        for line in lines[1:]:
            if _LINE_END.search(joined[-1]) or not line or _ITEM.match(line):
                joined.append(line)
            else:
                joined[-1] = f"{joined[-1]} {line}"
        out.append("\n".join(joined))
    return "\n\n".join(out)


def find_link(text: str) -> str | None:
    """Return the URL of the agency's `link: https://…` line, if any, ignoring the `Related` tail.

    The release's own URL is its most stable natural key; links of other headlines are not it.
    """
    for line in text.split("\n"):
        stripped = line.strip()
        if _RELATED_LINE.fullmatch(stripped):
            return None
        match = _LINK_LINE.fullmatch(stripped)
        if match:
            return match.group(1)
    return None
