"""The publishing side's person of an engagement, and whether a sentence names one engaging."""

from datetime import date

from etl.extract.features import _Context, _Draft, _matches, _Sentence
from etl.extract.names import family_key, strip_honorifics
from etl.extract.publisher import _LEADER_OFFICES


def _mentions_principal(ctx: _Context, sentence: _Sentence) -> bool:
    """Does the sentence name someone of the publishing side (or the two sides) engaging?"""
    if sentence.home_people or _matches(sentence, ctx.rules.principal_ref, ctx.rules.principal_ref_bit):
        return True
    if ctx.rules.parties.pronoun_subject.match(sentence.text) and (
        sentence.index - 1 in ctx.home_sentences or sentence.index - 2 in ctx.home_sentences
    ):
        return True  # "He made these remarks during a meeting with X", right after one of ours is named
    if ctx.own_words and ctx.rules.parties.first_person.search(sentence.text):
        return True  # "I met the High Commissioner": the principal's own words
    return any(name in sentence.text for name in ctx.home_names)


def own_words(ctx: _Context) -> bool:
    """Is the release in the principal's own words (a transcript, a press conference, remarks)?"""
    release, pattern = ctx.release, ctx.rules.parties.own_words
    return bool(pattern.search(release.title) or pattern.search(release.body[:200]))


def _principal(ctx: _Context, draft: _Draft, sentences: list[_Sentence]) -> str | None:
    """The publishing-side person of an engagement: named in its sentences, else the head of state.

    Names are canonicalised against the office holders in office that day (a president's family
    name misspelt in a release), and people only guessed to be ours by a title are a last resort.
    """
    first = draft.first.ours or draft.first.home_people  # the sentence that starts it names who engages
    if first:
        return _canonical_principal(ctx, first[0], draft.day)
    for pool in ("ours", "home_people"):
        for sentence in draft.sentences:
            names: list[str] = getattr(sentence, pool)
            if names:
                return _canonical_principal(ctx, names[0], draft.day)
    text = draft.first.text
    if ctx.home and ctx.rules.parties.head_of_state.search(text):
        leaders = ctx.gaz.leaders(ctx.home, draft.day, ("president",))
        if leaders:
            return leaders[0].name
    for sentence in sentences:
        if sentence.ours:
            return _canonical_principal(ctx, sentence.ours[0], draft.day)
    return None


def _canonical_principal(ctx: _Context, name: str, day: date) -> str:
    holder = ctx.gaz.holder(name, day) or ctx.gaz.holder_by_family(name, ctx.home, day)
    if holder is not None:
        return holder.name
    words = strip_honorifics(name).split()
    if ctx.home and len(words) >= 2:
        # same given name and a family name that differs only in spelling ("-ayaka", "-ayake")
        for leader in ctx.gaz.leaders(ctx.home, day, tuple(_LEADER_OFFICES)):
            lw = leader.name.split()
            if lw[0] == words[0] and family_key(leader.name)[:6] == family_key(name)[:6]:
                return leader.name
    return strip_honorifics(name)
