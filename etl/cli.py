"""The command line that operators' scheduled jobs call: a thin layer over etl.pipeline and etl.evaluate.

Exit status (CONTRACT §2): 0 success (rejected inputs included), 1 the run failed and published nothing,
2 usage error. People read standard error; machines read the one JSON line on standard output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from warehouse import resolve_db_path

EXAMPLES = {
    "run": "example:\n  python -m etl run --input ../shared/corpus --db /tmp/w.duckdb",
    "evaluate": "example:\n  python -m etl evaluate --gold tests/gold/pmd_dev.jsonl --db /tmp/w.duckdb",
}


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; this only keeps the message readable."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m etl",
        description="Chancery ETL: official releases in, diplomatic engagements out, into DuckDB.",
        epilog="examples:\n  python -m etl run --input data/sample\n"
        "  python -m etl evaluate --gold tests/gold/pmd_dev.jsonl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="ingest, extract and load releases (idempotent and incremental)",
        description="Read every release under the inputs, extract the engagements of new or changed ones, and "
        "publish the warehouse atomically. Bad inputs are recorded in the rejects table and never stop the run.",
        epilog=EXAMPLES["run"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--input", action="append", required=True, metavar="PATH", help="a file or folder (repeatable)"
    )
    run.add_argument(
        "--source",
        metavar="NAME",
        help="source registry entry (etl/data/sources.toml) for inputs that do not say who published them",
    )
    run.add_argument(
        "--db", metavar="DB", help="warehouse file (default: $DIPLOMACY_DB or warehouse/diplomacy.duckdb)"
    )
    run.add_argument(
        "--workers", type=int, metavar="N", help="extraction processes (default: one per core; 1 disables)"
    )

    evaluate = commands.add_parser(
        "evaluate",
        help="score the warehouse against a gold file (precision, recall, F1 per field)",
        description="Score what the warehouse holds against an annotated gold file (CONTRACT §5) and record "
        "the scores in the evaluations table, where the dashboard shows them.",
        epilog=EXAMPLES["evaluate"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument(
        "--gold", required=True, metavar="GOLD.jsonl", help="gold file, one JSON object per line"
    )
    evaluate.add_argument(
        "--db", metavar="DB", help="warehouse file (default: $DIPLOMACY_DB or warehouse/diplomacy.duckdb)"
    )
    evaluate.add_argument(
        "--errors",
        metavar="FIELD",
        action="append",
        default=[],
        help="also list each release where FIELD is wrong (repeatable; 'all' for every field)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db_path = resolve_db_path(args.db)
    if args.command == "run":
        return _run(args.input, db_path, args.source, args.workers)
    return _evaluate(args.gold, db_path, args.errors)


def _run(inputs: list[str], db_path: Path, source: str | None, workers: int | None = None) -> int:
    from etl.pipeline import RunFailed, run

    try:
        summary = run(inputs, db_path, source=source, workers=workers)
    except ValueError as exc:  # configuration the operator can fix: unknown source, bad registry
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RunFailed as exc:
        print(f"error: the run failed and published nothing: {exc}", file=sys.stderr)
        print(json.dumps({"status": "failed", "error": str(exc)}))
        return 1
    print(
        f"loaded {summary.new} new and {summary.changed} changed releases ({summary.unchanged} unchanged), "
        f"{summary.meetings} engagements, {summary.rejected} rejected, in {summary.seconds:.1f} s "
        f"({summary.releases_per_second:.0f} releases/s) into {summary.db}",
        file=sys.stderr,
    )
    if summary.rejected:
        print("see the rejects table for what was rejected and why", file=sys.stderr)
    print(json.dumps(summary.as_dict()))
    return 0


def _evaluate(gold: str, db_path: Path, show: list[str]) -> int:
    from etl.evaluate import FIELDS, GoldError, evaluate_file, format_report

    if not db_path.exists():
        print(f"error: no warehouse at {db_path}; build it first with `python -m etl run`", file=sys.stderr)
        return 2
    try:
        report = evaluate_file(gold, db_path)
    except (GoldError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    for name in FIELDS if "all" in show else show:
        for error in report.errors.get(name, []):
            print(f"{name}\t" + json.dumps(error, ensure_ascii=False))
    return 0
