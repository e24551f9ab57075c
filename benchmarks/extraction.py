"""Extraction alone, one process, one cold pass: microseconds per release, against reading the same releases.

The ETL's speed is extraction's (docs/performance.md). This measures it without workers or the warehouse:
the releases are read first (the baseline in the same run: reading, parsing and hashing them), then
extracted once each with the caches empty, as a fresh worker would, split by whether a release yields an
engagement. `--dump` writes every release's extraction (its id and the repr of what was found), so a
rewrite that must not change results can be checked with `cmp` against the dump of the code before it.

    python -m benchmarks.extraction                      # the bundled PMD sample and 5,000 generated releases
    python -m benchmarks.extraction --inputs ../shared/corpus --dump /tmp/after.txt
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import tempfile
import time
from pathlib import Path

import etl
from benchmarks.generate_releases import generate
from etl.inputs.readers import iter_inputs
from etl.pipeline import extract_release
from etl.records import Meeting, Release
from etl.sources import load_registry

ROOT = Path(__file__).resolve().parent.parent


def _clear_memos() -> None:
    """Empty etl's memo caches (not the load-once ones: gazetteer, registry, compiled lexicons), so that each
    measured pass starts as a fresh worker does."""
    for module in pkgutil.walk_packages(etl.__path__, "etl."):
        if module.name.rsplit(".", 1)[-1].startswith("_"):
            continue  # __main__ would run the CLI
        for value in vars(importlib.import_module(module.name)).values():
            parameters = getattr(value, "cache_parameters", None)
            if parameters is not None and (parameters()["maxsize"] or 1 << 30) > 8:
                value.cache_clear()


def measure(folder: Path, dump: Path | None) -> str:
    """One line: releases, read µs/release, extraction µs/release (all, with engagements, without)."""
    t0 = time.perf_counter()
    releases = [item for item in iter_inputs([str(folder)]) if isinstance(item, Release)]
    read_us = (time.perf_counter() - t0) / max(1, len(releases)) * 1e6
    registry = load_registry()
    for release in releases:  # an untimed pass loads the gazetteer and compiles every lazy pattern ...
        extract_release(release, None, registry)
    _clear_memos()  # ... and the timed pass starts with empty memo caches, as a fresh worker does
    found: list[tuple[Meeting, ...]] = []
    spent: list[float] = []
    for release in releases:
        start = time.perf_counter()
        found.append(extract_release(release, None, registry))
        spent.append(time.perf_counter() - start)
    if dump is not None:
        with dump.open("a", encoding="utf-8") as out:
            for release, meetings in zip(releases, found, strict=True):
                out.write(f"{release.release_id}\t{meetings!r}\n")
    with_ = [s for s, m in zip(spent, found, strict=True) if m]
    without = [s for s, m in zip(spent, found, strict=True) if not m]

    def mean_us(values: list[float]) -> float:
        return sum(values) / max(1, len(values)) * 1e6

    return (
        f"{str(folder)[-40:]:>40} {len(releases):>8} {read_us:>8.0f} {mean_us(spent):>8.0f} "
        f"{mean_us(with_):>8.0f} {mean_us(without):>8.0f} {mean_us(spent) / max(read_us, 1e-9):>8.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=Path, action="append", help="folders of releases (repeatable)")
    parser.add_argument("--generated", type=int, default=5000, help="generated releases to add (0: none)")
    parser.add_argument("--dump", type=Path, default=None, help="write every release's extraction here")
    args = parser.parse_args()
    if args.dump is not None:
        args.dump.write_text("", encoding="utf-8")
    print(
        f"{'inputs':>40} {'releases':>8} {'read us':>8} {'extr us':>8} {'with':>8} {'without':>8} "
        f"{'x read':>8}"
    )
    for folder in args.inputs or [ROOT / "data" / "sample"]:
        print(measure(folder, args.dump), flush=True)
    if args.generated:
        with tempfile.TemporaryDirectory() as scratch:
            print(measure(generate(args.generated, Path(scratch) / "generated"), args.dump))


if __name__ == "__main__":
    main()
