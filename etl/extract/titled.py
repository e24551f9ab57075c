"""Office holders named by title and family name alone ("President <family name>", "Foreign Minister
<family name>"): the gazetteer's full names miss them, and readouts and transcripts use them on
every line. A family name after a leader's title is taken as the office holder it names when exactly one
holder in office on the day has it (etl/extract/gazetteer.py `holder_by_family`); otherwise it is left alone."""

from bisect import bisect_right
from datetime import date

from etl.extract.gazetteer import Gazetteer, Hit
from etl.extract.person_rules import PersonRules


def titled_holders(pr: PersonRules, gaz: Gazetteer, text: str, hits: list[Hit], day: date) -> list[Hit]:
    """`hits` with a person hit added for each titled family name (`pr.titled`: a title's last word, then
    the name; the words before some last words checked too) that resolves to one holder in office; in text
    order, none overlapping an existing hit."""
    if not text:
        return hits
    added: list[Hit] = []
    starts = [h.start for h in hits]
    for m in pr.titled.finditer(text):
        name = m.group("name")
        if name in pr.titled_not_names:
            continue
        at = m.start()
        if at > 0 and text[at - 1].isalnum():
            continue  # inside a word ("Vice-President" and "Secretary-General" are titles)
        title = text[at : m.start("name")].rstrip()
        needs = pr.titled_needs_before.get(title)
        if needs is not None and not needs.search(text, max(0, at - 20), at):
            continue
        start, end = m.start("name"), m.end("name")
        i = bisect_right(starts, start) - 1
        if i >= 0 and hits[i].end > start:
            continue  # inside a longer name or a country the gazetteer found
        if i + 1 < len(hits) and hits[i + 1].start < end:
            continue
        nxt = text[end : end + 2]
        if nxt[:1] == " " and nxt[1:2].isupper():
            continue  # "President <first> <family>": a full name, the person scanner's
        holder = gaz.holder_by_family(name, None, day)
        if holder is None:
            continue
        added.append(Hit(start, end, "person", holder.name, name))
    if not added:
        return hits
    return sorted([*hits, *added], key=lambda h: h.start)
