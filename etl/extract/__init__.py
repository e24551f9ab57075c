"""Finds the diplomatic engagements of one release: kind, date, principal, counterparts, topics, evidence.

A pure function of the release and its source registry entry. Rules and gazetteers, no statistical model,
so every value points at the sentence it came from. The stages, in order, each a module of this package:
1. the publishing side (`publisher`: the registry entry, else inferred from the office holders and countries
   named);
2. per sentence (`features`, `triggers`): engagement triggers (when no sentence has one nor speaks of a
   trip, no meeting can start and the release is done), then gazetteer hits (`gazetteer`), people with
   their roles (`persons`), dates (`dates`);
3. the parties of each sentence (`parties`, `positions`, `companies`, `people`, `absent`);
4. an engagement is a sentence with a trigger and a foreign party (a foreign official, a diplomat, a
   foreign state as a party, an international organization); consecutive sentences about the same
   parties, kind and day form one meeting; an official trip adds one `visit` (`engagements`);
5. counterparts are the foreign parties of the meeting's sentences and of the sentences that follow
   it (`counterparts`), the principal the publishing side's person (`principal`), and topics the lexicon
   hits of the same sentences (`topics`).

The phrasing of each language is data, a pack (`packs/<lang>/`, `pack`), compiled once per language into
the `rules.Rules` that every stage reads from the context; a release's `lang` picks it (none: English).
A release in a language with no pack yields no engagement: `has_pack(lang)` tells, `languages()` lists them.
"""

from etl.extract.engagements import extract, inferred_side
from etl.extract.rules import has_pack, languages

# Stored with every release; a run with a new version re-extracts every release (counted as `changed`).
# 0.2.0: publishers by domain, office holders of every state, the rules for other press services.
EXTRACTOR_VERSION = "0.2.0"

__all__ = ["EXTRACTOR_VERSION", "extract", "has_pack", "inferred_side", "languages"]
