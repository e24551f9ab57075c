"""The command line that operators' scheduled jobs call: a thin layer over etl.pipeline and etl.evaluate.

Exit status (CONTRACT §2): 0 success (rejected inputs included), 1 the run failed and published nothing,
2 usage error. People read standard error; machines read the one JSON line on standard output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from warehouse import resolve_db_path

EXAMPLES = {
    "run": "example:\n  python -m etl run --input ../shared/corpus --db /tmp/w.duckdb",
    "evaluate": "example:\n  python -m etl evaluate --gold tests/gold/pmd_dev.jsonl --db /tmp/w.duckdb",
    "schedule": "example:\n  python -m etl schedule --every 30m --input /data/inbox --db warehouse/diplomacy.duckdb",
    "crawl": "examples:\n  python -m etl crawl --db /tmp/w.duckdb\n"
    "  python -m etl crawl --source kabar.kg --max-pages 5 --archive /data/archive",
    "reprocess": "examples:\n  python -m etl reprocess --db /tmp/w.duckdb\n"
    "  python -m etl reprocess --source kabar.kg --archive /data/archive",
}


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; this only keeps the message readable."""


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give 0 or more seconds")
    return value


def _interval(text: str) -> timedelta:
    from etl.schedule import parse_every

    try:
        return parse_every(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_lock_timeout(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--lock-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="wait this long for another run holding the warehouse's writer lock, then fail with status 1 "
        "(default: $DIPLOMACY_LOCK_TIMEOUT, else 600)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m etl",
        description="Chancery ETL: official releases in, diplomatic engagements out, into DuckDB.",
        epilog="examples:\n  python -m etl run --input data/sample\n"
        "  python -m etl evaluate --gold tests/gold/pmd_dev.jsonl\n"
        "  python -m etl schedule --every 30m --input /data/inbox",
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
    _add_lock_timeout(run)

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
    _add_lock_timeout(evaluate)

    schedule = commands.add_parser(
        "schedule",
        help="refresh on a schedule in one long-lived process: `run` now, then every interval",
        description="Run `etl run` on the inputs now and then every --every, in this process (APScheduler), "
        "until SIGINT or SIGTERM. One run at a time: a run still going when the next is due is not doubled, "
        "and runs missed meanwhile become one. Each run prints its JSON summary line; a failed run is logged "
        "and the schedule goes on. Stopping lets the current run finish (a second signal aborts it, which "
        "publishes nothing). Exit status 0 when stopped, 2 on a usage error.",
        epilog=EXAMPLES["schedule"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    schedule.add_argument(
        "--every",
        required=True,
        type=_interval,
        metavar="INTERVAL",
        help="time between runs: a whole number and s, m, h or d (30s, 15m, 2h, 1d)",
    )
    schedule.add_argument(
        "--input", action="append", required=True, metavar="PATH", help="a file or folder (repeatable)"
    )
    schedule.add_argument("--source", metavar="NAME", help="as for `run`")
    schedule.add_argument(
        "--db", metavar="DB", help="warehouse file (default: $DIPLOMACY_DB or warehouse/diplomacy.duckdb)"
    )
    schedule.add_argument("--workers", type=int, metavar="N", help="as for `run`")
    _add_lock_timeout(schedule)
    _add_web_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db_path = resolve_db_path(args.db)
    if args.command == "run":
        return _run(args.input, db_path, args.source, args.workers, args.lock_timeout)
    if args.command == "schedule":
        return _schedule(args, db_path)
    if args.command == "crawl":
        return _crawl(args, db_path)
    if args.command == "reprocess":
        return _reprocess(args, db_path)
    return _evaluate(args.gold, db_path, args.errors, args.lock_timeout)


def _run(
    inputs: list[str],
    db_path: Path,
    source: str | None,
    workers: int | None = None,
    lock_timeout: float | None = None,
) -> int:
    from etl.pipeline import RunFailed, run

    try:
        summary = run(inputs, db_path, source=source, workers=workers, lock_timeout=lock_timeout)
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


def _evaluate(gold: str, db_path: Path, show: list[str], lock_timeout: float | None = None) -> int:
    from etl.evaluate import FIELDS, GoldError, evaluate_file, format_report
    from etl.store.lock import LockTimeout, resolve_timeout

    if not db_path.exists():
        print(f"error: no warehouse at {db_path}; build it first with `python -m etl run`", file=sys.stderr)
        return 2
    try:
        report = evaluate_file(gold, db_path, lock_timeout=resolve_timeout(lock_timeout))
    except (GoldError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except LockTimeout as exc:
        print(f"error: the scores were not recorded: {exc}", file=sys.stderr)
        return 1
    print(format_report(report))
    for name in FIELDS if "all" in show else show:
        for error in report.errors.get(name, []):
            print(f"{name}\t" + json.dumps(error, ensure_ascii=False))
    return 0


def _schedule(args: argparse.Namespace, db_path: Path) -> int:
    import functools
    import logging

    from etl.pipeline import declared_source
    from etl.schedule import run_every
    from etl.store.lock import resolve_timeout

    try:  # what would make every run fail is a usage error now, not a failure every interval
        declared_source(args.source)
        lock_timeout = resolve_timeout(args.lock_timeout)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # its skips and misfires are warnings
    job = functools.partial(_run, args.input, db_path, args.source, args.workers, lock_timeout)
    return run_every(args.every, job)


# --------------------------------------------------------------------------------------------- web sources


def _pages(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of pages, 1 or more")
    return int(text)


def _add_web_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`crawl` and `reprocess`: the web sources of the registry (etl/web/crawl.py)."""
    db_help = "warehouse file (default: $DIPLOMACY_DB or warehouse/diplomacy.duckdb)"
    archive_help = "folder of fetched pages (default: $DIPLOMACY_ARCHIVE or warehouse/archive)"
    crawl = commands.add_parser(
        "crawl",
        help="fetch new releases from the web sources in the registry, archive them and load them",
        description="Fetch the new releases of each source that has a crawl section in the registry "
        "(etl/data/sources.toml, or $DIPLOMACY_SOURCES): walk its listing pages or feed down to the first "
        "article already archived, fetch the new pages politely (robots.txt, a delay between requests, "
        "timeouts, retries, conditional GET), save them under the archive and load them with the pipeline, "
        "as `run` would. A page that cannot be fetched is recorded in the rejects table with the reason and "
        "retried on the next crawl; it never stops the crawl. Exit status 1 if a source's load failed.",
        epilog=EXAMPLES["crawl"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    crawl.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="a registry entry with a crawl section (repeatable; default: every such entry)",
    )
    crawl.add_argument("--db", metavar="DB", help=db_help)
    crawl.add_argument("--archive", metavar="DIR", help=archive_help)
    crawl.add_argument(
        "--max-pages",
        type=_pages,
        metavar="N",
        help="article pages fetched per source at most (default: the source's max_pages)",
    )
    crawl.add_argument("--workers", type=int, metavar="N", help="as for `run`")
    _add_lock_timeout(crawl)

    reprocess = commands.add_parser(
        "reprocess",
        help="re-run the pipeline over the archive of fetched pages, fetching nothing",
        description="Read the archived pages of every source (or of one) again and load them, as `run` "
        "would: unchanged releases stay as they are, and with a new extractor version every release is "
        "extracted again. Makes no HTTP request.",
        epilog=EXAMPLES["reprocess"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reprocess.add_argument(
        "--source", action="append", metavar="NAME", help="an archived source (repeatable; default: all)"
    )
    reprocess.add_argument("--db", metavar="DB", help=db_help)
    reprocess.add_argument("--archive", metavar="DIR", help=archive_help)
    reprocess.add_argument("--workers", type=int, metavar="N", help="as for `run`")
    _add_lock_timeout(reprocess)


def _crawl(args: argparse.Namespace, db_path: Path) -> int:
    from etl.store.lock import resolve_timeout
    from etl.web.archive import resolve_archive_dir
    from etl.web.crawl import crawl

    try:
        summary = crawl(
            db_path,
            resolve_archive_dir(args.archive),
            sources=args.source,
            max_pages=args.max_pages,
            workers=args.workers,
            lock_timeout=resolve_timeout(args.lock_timeout),
        )
    except ValueError as exc:  # an unknown source, one without a crawl section, a malformed registry
        print(f"error: {exc}", file=sys.stderr)
        return 2
    line = summary.as_dict()
    if summary.failed_sources:
        print(f"error: nothing was published for {', '.join(summary.failed_sources)}", file=sys.stderr)
        print(json.dumps({"status": "failed", **line}))
        return 1
    if line["failed"]:
        print("see the rejects table for the pages that could not be fetched, and why", file=sys.stderr)
    print(json.dumps(line))
    return 0


def _reprocess(args: argparse.Namespace, db_path: Path) -> int:
    from etl.pipeline import RunFailed
    from etl.store.lock import resolve_timeout
    from etl.web.archive import resolve_archive_dir
    from etl.web.crawl import reprocess

    try:
        summary = reprocess(
            db_path,
            resolve_archive_dir(args.archive),
            sources=args.source,
            workers=args.workers,
            lock_timeout=resolve_timeout(args.lock_timeout),
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RunFailed as exc:
        print(f"error: the run failed and published nothing: {exc}", file=sys.stderr)
        print(json.dumps({"status": "failed", "error": str(exc)}))
        return 1
    print(json.dumps(summary.as_dict()))
    return 0
