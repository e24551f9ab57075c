"""Release text as safe HTML with the evidence of an engagement marked, so an analyst sees why.

Everything from the release is HTML-escaped: markup or script inside a release is shown as text and
never runs. Only the <mark> elements this module adds are markup.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    css: str  # "sentence", "counterpart" or "topic"
    title: str  # shown on hover: what the marked text is evidence of


def render(body: str, marks: Iterable[Mark]) -> str:
    """`body` as HTML paragraphs with `marks` (character offsets into body) wrapped in <mark> elements.

    Marks may nest or overlap: the text is cut at every mark boundary and each piece carries the classes
    of all marks covering it.
    """
    valid = [m for m in marks if 0 <= m.start < m.end <= len(body)]
    cuts = sorted({0, len(body), *(m.start for m in valid), *(m.end for m in valid)})
    pieces: list[str] = []
    for a, b in itertools.pairwise(cuts):
        text = html.escape(body[a:b]).replace("\n", "<br>")
        covering = [m for m in valid if m.start <= a and b <= m.end]
        if not covering:
            pieces.append(text)
            continue
        classes = " ".join(sorted({f"ev-{m.css}" for m in covering}))
        titles = "; ".join(dict.fromkeys(m.title for m in covering if m.title))
        pieces.append(f'<mark class="{classes}" title="{html.escape(titles, quote=True)}">{text}</mark>')
    return '<div class="release-text">' + "".join(pieces) + "</div>"


STYLE = """
<style>
.release-text { line-height: 1.6; font-size: 1rem; white-space: normal; }
.release-text mark { padding: 0 1px; border-radius: 2px; background: transparent; color: inherit; }
.release-text mark.ev-sentence { background: rgba(255, 214, 0, 0.28); }
.release-text mark.ev-counterpart { background: rgba(0, 114, 178, 0.25); border-bottom: 2px solid #0072b2; }
.release-text mark.ev-topic { border-bottom: 2px dashed #d55e00; }
</style>
"""
