"""Scores the warehouse against a gold file (CONTRACT §5): precision, recall and F1 per field.

Micro-averaged over (release, value) pairs. Persons match on the family name (case and transliteration
tolerant), organizations on any alias, countries on ISO3, kinds, dates and topics exactly; `diplomatic` is
detection (does the release yield at least one meeting); `publisher`, where the gold gives it, is the
publishing country (ISO3) against `releases.publisher_country`: a wrong country is one false positive and one
false negative, no country one false negative.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from etl.extract import EXTRACTOR_VERSION
from etl.extract.names import family_key, fold
from etl.store.lock import writer_lock
from etl.store.publish import working_copy
from warehouse import connect

FIELDS = ("diplomatic", "kinds", "dates", "persons", "countries", "orgs", "topics", "publisher")
_GOLD_KEYS = {"ref", "diplomatic", "kinds", "dates", "persons", "countries", "orgs", "topics", "publisher"}


class GoldError(ValueError):
    """The gold file is malformed; the message names the line."""


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    gold_file: str
    releases: int
    missing: list[str]
    scores: dict[str, Score]
    errors: dict[str, list[dict[str, object]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Predicted:
    """What the warehouse says about one release, as sets comparable with a gold line."""

    diplomatic: bool
    kinds: frozenset[str]
    dates: frozenset[str]
    persons: frozenset[str]
    countries: frozenset[str]
    orgs: tuple[frozenset[str], ...]  # each organization as the set of its folded names and aliases
    topics: frozenset[str]
    publisher: str | None = None  # releases.publisher_country


def read_gold(path: str | Path) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            missing = {"ref", "diplomatic"} - set(obj)
            if missing:
                raise GoldError(f"{path}:{number}: missing keys {sorted(missing)}")
            lines.append(obj)
    return lines


def _match_refs(con: duckdb.DuckDBPyConnection, refs: list[str]) -> dict[str, str]:
    """Gold ref -> release_id, where the ref is the end of `releases.source_ref` (newest load wins)."""
    tails = {ref.replace("\\", "/").rsplit("/", 1)[-1] for ref in refs}
    rows = con.execute(
        "SELECT release_id, replace(source_ref, '\\', '/') AS ref, ingested_at FROM releases "
        "WHERE regexp_extract(replace(source_ref, '\\', '/'), '[^/]*$') IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY ingested_at",
        [sorted(tails)],
    ).fetchall()
    by_tail: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for release_id, ref, _ in rows:
        by_tail[ref.rsplit("/", 1)[-1]].append((release_id, ref))
    found: dict[str, str] = {}
    for ref in refs:
        norm = ref.replace("\\", "/")
        for release_id, source_ref in by_tail.get(norm.rsplit("/", 1)[-1], []):
            if source_ref == norm or source_ref.endswith("/" + norm):
                found[ref] = release_id  # ordered by ingested_at: the last one wins
    return found


def _predictions(con: duckdb.DuckDBPyConnection, release_ids: list[str]) -> dict[str, Predicted]:
    rows = con.execute(
        "SELECT release_id, kind, CAST(meeting_date AS VARCHAR), counterpart_persons, counterpart_countries,"
        " topics, meeting_id FROM meeting_facts WHERE release_id IN (SELECT unnest(?::VARCHAR[]))",
        [release_ids],
    ).fetchall()
    org_rows = con.execute(
        "SELECT m.release_id, c.name, c.aliases FROM meetings m "
        "JOIN meeting_counterparts mc USING (meeting_id) JOIN counterparts c USING (counterpart_id) "
        "WHERE c.kind = 'organization' AND m.release_id IN (SELECT unnest(?::VARCHAR[]))",
        [release_ids],
    ).fetchall()
    publishers = dict(
        con.execute(
            "SELECT release_id, publisher_country FROM releases WHERE release_id IN (SELECT unnest(?::VARCHAR[]))",
            [release_ids],
        ).fetchall()
    )
    acc: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for release_id, kind, day, persons, countries, topics, _ in rows:
        entry = acc[release_id]
        entry["kinds"].add(kind)
        entry["dates"].add(day)
        entry["persons"].update(persons)
        entry["countries"].update(countries)
        entry["topics"].update(topics)
    orgs: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for release_id, name, aliases in org_rows:
        orgs[release_id][name] = frozenset(fold(a) for a in [name, *aliases])
    out: dict[str, Predicted] = {}
    for release_id in release_ids:
        entry = acc.get(release_id, {})
        out[release_id] = Predicted(
            diplomatic=release_id in acc,
            kinds=frozenset(entry.get("kinds", ())),
            dates=frozenset(entry.get("dates", ())),
            persons=frozenset(entry.get("persons", ())),
            countries=frozenset(entry.get("countries", ())),
            orgs=tuple(orgs.get(release_id, {}).values()),
            topics=frozenset(entry.get("topics", ())),
            publisher=publishers.get(release_id),
        )
    return out


def _score_sets(gold: set[str], pred: set[str]) -> tuple[int, int, int]:
    return len(gold & pred), len(pred - gold), len(gold - pred)


def _score_persons(gold: list[str], pred: frozenset[str]) -> tuple[int, int, int, list[str], list[str]]:
    gold_keys = {family_key(g): g for g in gold}
    pred_keys = {family_key(p): p for p in pred}
    tp = len(set(gold_keys) & set(pred_keys))
    fps = [pred_keys[k] for k in set(pred_keys) - set(gold_keys)]
    fns = [gold_keys[k] for k in set(gold_keys) - set(pred_keys)]
    return tp, len(fps), len(fns), sorted(fns), sorted(fps)


def _score_orgs(
    gold: list[str], pred: tuple[frozenset[str], ...]
) -> tuple[int, int, int, list[str], list[str]]:
    groups = [frozenset(fold(a) for a in entry.split("|") if a.strip()) for entry in gold]
    matched_gold: set[int] = set()
    fps: list[str] = []
    for names in pred:
        hit = next((i for i, g in enumerate(groups) if i not in matched_gold and g & names), None)
        if hit is None:
            if not any(g & names for g in groups):  # a second name of an org already matched is no error
                fps.append(min(names, key=len))
        else:
            matched_gold.add(hit)
    fns = [gold[i] for i in range(len(groups)) if i not in matched_gold]
    return len(matched_gold), len(fps), len(fns), fns, sorted(fps)


def score(gold_lines: list[dict[str, object]], predictions: dict[str, Predicted | None]) -> Report:
    """Pure scoring: `predictions` maps each gold ref to what the warehouse holds (None: not loaded)."""
    scores = {f: Score() for f in FIELDS}
    errors: dict[str, list[dict[str, object]]] = defaultdict(list)
    missing: list[str] = []
    empty = Predicted(False, frozenset(), frozenset(), frozenset(), frozenset(), (), frozenset())
    for line in gold_lines:
        ref = str(line["ref"])
        pred = predictions.get(ref)
        if pred is None:
            missing.append(ref)
            pred = empty
        gold_dip = bool(line["diplomatic"])
        s = scores["diplomatic"]
        s.tp += gold_dip and pred.diplomatic
        s.fp += (not gold_dip) and pred.diplomatic
        s.fn += gold_dip and not pred.diplomatic
        if gold_dip != pred.diplomatic:
            errors["diplomatic"].append({"ref": ref, "gold": gold_dip, "pred": pred.diplomatic})
        for name in ("kinds", "dates", "countries", "topics"):
            g = set(_strings(line, name))
            p = set(getattr(pred, name))
            tp, fp, fn = _score_sets(g, p)
            _add(scores[name], tp, fp, fn)
            if fp or fn:
                errors[name].append({"ref": ref, "missed": sorted(g - p), "extra": sorted(p - g)})
        persons = _strings(line, "persons")
        tp, fp, fn, missed, extra = _score_persons(persons, pred.persons)
        _add(scores["persons"], tp, fp, fn)
        if fp or fn:
            errors["persons"].append({"ref": ref, "missed": missed, "extra": extra})
        orgs = _strings(line, "orgs")
        tp, fp, fn, missed, extra = _score_orgs(orgs, pred.orgs)
        _add(scores["orgs"], tp, fp, fn)
        if fp or fn:
            errors["orgs"].append({"ref": ref, "missed": missed, "extra": extra})
        if line.get("publisher"):
            gold_pub, pred_pub = str(line["publisher"]), pred.publisher
            right = pred_pub == gold_pub
            _add(scores["publisher"], int(right), int(pred_pub is not None and not right), int(not right))
            if not right:
                errors["publisher"].append({"ref": ref, "gold": gold_pub, "pred": pred_pub})
    return Report(gold_file="", releases=len(gold_lines), missing=missing, scores=scores, errors=dict(errors))


def _strings(line: dict[str, object], key: str) -> list[str]:
    value = line.get(key) or []
    if not isinstance(value, list):
        raise GoldError(f"{line.get('ref')}: {key!r} must be a list, got {type(value).__name__}")
    return [str(v) for v in value]


def _add(s: Score, tp: int, fp: int, fn: int) -> None:
    s.tp += tp
    s.fp += fp
    s.fn += fn


def evaluate_file(
    gold_path: str | Path, db_path: Path, record: bool = True, lock_timeout: float | None = None
) -> Report:
    """Score the warehouse at `db_path` against `gold_path`, and record the scores in it.

    Recording publishes, so it holds the writer lock (etl/store/lock.py), from the read to the swap: the scores
    land in the very warehouse they were computed on. LockTimeout after `lock_timeout` seconds of waiting.
    """
    gold_lines = read_gold(gold_path)
    with writer_lock(db_path, lock_timeout) if record else contextlib.nullcontext():
        con = connect(db_path, read_only=True)
        try:
            refs = [str(line["ref"]) for line in gold_lines]
            found = _match_refs(con, refs)
            preds = _predictions(con, sorted(set(found.values())))
        finally:
            con.close()
        report = score(gold_lines, {ref: preds.get(rid) for ref, rid in found.items()})
        report.gold_file = str(gold_path)
        if record:
            _record(report, db_path)
    return report


def _record(report: Report, db_path: Path) -> None:
    evaluation_id = uuid.uuid4().hex[:16]
    now = datetime.now()
    with working_copy(db_path) as con:
        for name, s in report.scores.items():
            con.execute(
                "INSERT INTO evaluations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    evaluation_id,
                    now,
                    report.gold_file,
                    report.releases,
                    len(report.missing),
                    name,
                    s.tp,
                    s.fp,
                    s.fn,
                    s.precision,
                    s.recall,
                    s.f1,
                    EXTRACTOR_VERSION,
                ],
            )


def format_report(report: Report) -> str:
    def pct(x: float | None) -> str:
        return "  n/a" if x is None else f"{x:5.3f}"

    lines = [
        f"gold: {report.gold_file}  releases: {report.releases}  not in warehouse: {len(report.missing)}",
        f"{'field':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'tp':>5} {'fp':>5} {'fn':>5}",
    ]
    for name in FIELDS:
        s = report.scores[name]
        lines.append(
            f"{name:<12} {pct(s.precision):>9} {pct(s.recall):>7} {pct(s.f1):>6} {s.tp:>5} {s.fp:>5} {s.fn:>5}"
        )
    if report.missing:
        lines.append(
            "not in warehouse: "
            + ", ".join(report.missing[:10])
            + (" ..." if len(report.missing) > 10 else "")
        )
    return "\n".join(lines)
