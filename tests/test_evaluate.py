"""etl.evaluate.score: CONTRACT §5 scoring, pure (no warehouse, no files)."""

from __future__ import annotations

import pytest

from etl.evaluate import FIELDS, Predicted, Score, score


def predicted(
    *,
    diplomatic: bool = True,
    kinds: set[str] | None = None,
    dates: set[str] | None = None,
    persons: set[str] | None = None,
    countries: set[str] | None = None,
    orgs: list[set[str]] | None = None,
    topics: set[str] | None = None,
) -> Predicted:
    return Predicted(
        diplomatic=diplomatic,
        kinds=frozenset(kinds or ()),
        dates=frozenset(dates or ()),
        persons=frozenset(persons or ()),
        countries=frozenset(countries or ()),
        orgs=tuple(frozenset(names) for names in orgs or ()),
        topics=frozenset(topics or ()),
    )


def gold(ref: str = "a.txt", diplomatic: bool = True, **lists: object) -> dict[str, object]:
    return {"ref": ref, "diplomatic": diplomatic, **lists}


def counts(s: Score) -> tuple[int, int, int]:
    return s.tp, s.fp, s.fn


@pytest.mark.parametrize(
    ("gold_persons", "pred_persons", "expected"),
    [
        (["Shavkat Mirziyoev"], {"Shavkat Mirziyoyev"}, (1, 0, 0)),
        (["Kassym-Jomart Tokayev"], {"Kassym-Jomart Tokaev"}, (1, 0, 0)),
        (["Recep Tayyip Erdoğan"], {"Recep Erdogan"}, (1, 0, 0)),
        (["vladimir voronkov"], {"Vladimir VORONKOV"}, (1, 0, 0)),
        (["Vladimir Voronkov"], {"Antonio Guterres"}, (0, 1, 1)),
        (["Vladimir Voronkov", "Antonio Guterres"], {"Voronkov"}, (1, 0, 1)),
        ([], {"Vladimir Voronkov"}, (0, 1, 0)),
    ],
)
def test_persons_match_on_the_family_name(
    gold_persons: list[str], pred_persons: set[str], expected: tuple[int, int, int]
) -> None:
    report = score([gold(persons=gold_persons)], {"a.txt": predicted(persons=pred_persons)})
    assert counts(report.scores["persons"]) == expected


@pytest.mark.parametrize(
    ("gold_orgs", "pred_orgs", "expected"),
    [
        (["United Nations|UN|UNOCT"], [{"united nations"}], (1, 0, 0)),
        (["United Nations|UN|UNOCT"], [{"unoct", "un office of counter terrorism"}], (1, 0, 0)),
        (["United Nations|UN|UNOCT"], [{"un"}], (1, 0, 0)),
        (["UNITED NATIONS"], [{"united nations"}], (1, 0, 0)),
        (["United Nations|UN"], [{"world bank"}], (0, 1, 1)),
        (["United Nations|UN", "World Bank"], [{"world bank"}], (1, 0, 1)),
        ([], [{"world bank"}], (0, 1, 0)),
        # two predicted names of one gold organization: one match, and the second is no error
        (["United Nations|UN|UNOCT"], [{"united nations"}, {"unoct"}], (1, 0, 0)),
    ],
)
def test_orgs_match_on_any_alias(
    gold_orgs: list[str], pred_orgs: list[set[str]], expected: tuple[int, int, int]
) -> None:
    report = score([gold(orgs=gold_orgs)], {"a.txt": predicted(orgs=pred_orgs)})
    assert counts(report.scores["orgs"]) == expected


def test_diplomatic_is_scored_as_detection() -> None:
    lines = [
        gold("tp1.txt", True),
        gold("tp2.txt", True),
        gold("fn.txt", True),
        gold("fp.txt", False),
        gold("tn1.txt", False),
        gold("tn2.txt", False),
    ]
    preds: dict[str, Predicted | None] = {
        "tp1.txt": predicted(diplomatic=True),
        "tp2.txt": predicted(diplomatic=True),
        "fn.txt": predicted(diplomatic=False),
        "fp.txt": predicted(diplomatic=True),
        "tn1.txt": predicted(diplomatic=False),
        "tn2.txt": predicted(diplomatic=False),
    }
    report = score(lines, preds)
    assert counts(report.scores["diplomatic"]) == (2, 1, 1)
    assert report.missing == []
    assert sorted(e["ref"] for e in report.errors["diplomatic"]) == ["fn.txt", "fp.txt"]  # type: ignore[type-var]


def test_a_missing_release_counts_as_all_false_negatives() -> None:
    line = gold(
        "lost.txt",
        True,
        kinds=["meeting", "visit"],
        dates=["2024-05-17"],
        persons=["Vladimir Voronkov"],
        countries=["JPN", "IND"],
        orgs=["United Nations|UN"],
        topics=["counter_terrorism", "multilateral", "trade_economy"],
        publisher="LKA",
    )
    report = score([line], {})
    assert report.missing == ["lost.txt"]
    assert report.releases == 1
    expected_fn = {
        "diplomatic": 1,
        "kinds": 2,
        "dates": 1,
        "persons": 1,
        "countries": 2,
        "orgs": 1,
        "topics": 3,
        "publisher": 1,
    }
    assert {name: counts(report.scores[name]) for name in FIELDS} == {
        name: (0, 0, fn) for name, fn in expected_fn.items()
    }
    assert all(report.scores[name].recall == 0.0 for name in FIELDS)
    assert all(report.scores[name].precision is None for name in FIELDS)


def test_a_missing_non_diplomatic_release_costs_nothing() -> None:
    report = score([gold("quiet.txt", False)], {"quiet.txt": None})
    assert report.missing == ["quiet.txt"]
    assert all(counts(report.scores[name]) == (0, 0, 0) for name in FIELDS)


def test_micro_averaged_precision_recall_f1_by_hand() -> None:
    # release 1: gold {a, b, c}, predicted {a, b, x}  -> tp 2, fp 1, fn 1
    # release 2: gold {d},       predicted {d, y, z}  -> tp 1, fp 2, fn 0
    # micro: tp 3, fp 3, fn 1 -> precision 3/6 = 0.5, recall 3/4 = 0.75, F1 = 2*0.5*0.75/1.25 = 0.6
    # (a macro average would give precision (2/3 + 1/3)/2 = 0.5 but recall (2/3 + 1)/2 = 0.833...)
    lines = [gold("r1.txt", topics=["a", "b", "c"]), gold("r2.txt", topics=["d"])]
    preds: dict[str, Predicted | None] = {
        "r1.txt": predicted(topics={"a", "b", "x"}),
        "r2.txt": predicted(topics={"d", "y", "z"}),
    }
    topics = score(lines, preds).scores["topics"]
    assert counts(topics) == (3, 3, 1)
    assert topics.precision == pytest.approx(0.5)
    assert topics.recall == pytest.approx(0.75)
    assert topics.f1 == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "precision", "recall", "f1"),
    [
        (3, 1, 2, 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35),
        (1, 0, 0, 1.0, 1.0, 1.0),
        (0, 2, 3, 0.0, 0.0, 0.0),
        (0, 0, 4, None, 0.0, None),
        (0, 3, 0, 0.0, None, None),
        (0, 0, 0, None, None, None),
    ],
)
def test_score_arithmetic(
    tp: int, fp: int, fn: int, precision: float | None, recall: float | None, f1: float | None
) -> None:
    s = Score(tp, fp, fn)
    assert s.precision == (None if precision is None else pytest.approx(precision))
    assert s.recall == (None if recall is None else pytest.approx(recall))
    assert s.f1 == (None if f1 is None else pytest.approx(f1))


@pytest.mark.parametrize(
    ("field", "gold_values", "pred_values", "expected"),
    [
        ("kinds", ["meeting", "visit"], {"meeting"}, (1, 0, 1)),
        ("dates", ["2024-05-17"], {"2024-05-18"}, (0, 1, 1)),
        ("countries", ["JPN"], {"JPN", "IND"}, (1, 1, 0)),
        ("topics", ["trade_economy"], {"trade_economy"}, (1, 0, 0)),
    ],
)
def test_other_fields_match_exactly(
    field: str, gold_values: list[str], pred_values: set[str], expected: tuple[int, int, int]
) -> None:
    report = score([gold(**{field: gold_values})], {"a.txt": predicted(**{field: pred_values})})  # type: ignore[arg-type]
    assert counts(report.scores[field]) == expected
