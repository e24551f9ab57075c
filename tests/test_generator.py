"""The benchmark generator makes releases like real ones, reproducibly (benchmarks/generate_releases.py).

The ETL throughput numbers in docs/performance.md are only as honest as the releases they are measured on:
these tests keep the generated releases as long as real ones, with real wording that rarely recurs verbatim.
"""

from __future__ import annotations

import hashlib
import statistics
from pathlib import Path

from benchmarks.generate_releases import TEMPLATE_INPUTS, generate
from etl.extract.rules import rules_for
from etl.extract.sentences import split_sentences
from etl.inputs.readers import iter_inputs
from etl.records import Release


def _bodies(folder: Path) -> list[str]:
    return [item.body for item in iter_inputs([str(folder)]) if isinstance(item, Release)]


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_the_same_seed_makes_the_same_releases(tmp_path: Path) -> None:
    assert _digest(generate(300, tmp_path / "a", seed=3)) == _digest(generate(300, tmp_path / "b", seed=3))
    assert _digest(generate(300, tmp_path / "c", seed=4)) != _digest(tmp_path / "a")


def test_generated_releases_are_as_long_as_the_real_ones(tmp_path: Path) -> None:
    real = _bodies(TEMPLATE_INPUTS[0])
    generated = _bodies(generate(2000, tmp_path / "g"))
    assert len(generated) == 2000
    real_mean = statistics.mean(len(b) for b in real)
    generated_mean = statistics.mean(len(b) for b in generated)
    assert 0.6 * real_mean < generated_mean < 1.4 * real_mean, (real_mean, generated_mean)


def test_recast_sentences_rarely_recur_verbatim(tmp_path: Path) -> None:
    """Moved years, redrawn days and amounts: most sentences with a number differ."""
    bodies = _bodies(generate(2000, tmp_path / "g"))
    sentences = [
        body[s.start : s.end] for body in bodies for s in split_sentences(body, rules_for("en").abbreviations)
    ]
    with_digits = [s for s in sentences if any(c.isdigit() for c in s)]
    assert len(set(with_digits)) > 0.7 * len(with_digits)
