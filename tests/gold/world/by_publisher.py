"""F1 per field for each publisher of the world gold sets: the README's per-publisher accuracy table.

Scores a warehouse that holds the sets' releases (built with `python -m etl run --input <folder of the
sets' releases>`) against each set's gold lines, grouped by the publisher's domain as the set's
`<set>_sources.tsv` gives it, and prints a Markdown table; nothing is recorded in the warehouse.

    python tests/gold/world/by_publisher.py --db /tmp/world.duckdb dev_a dev_b dev_c blind_d blind_e
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from etl.evaluate import FIELDS, Score, evaluate_file  # noqa: E402


def publishers(set_name: str) -> dict[str, tuple[str, str]]:
    """Record id -> (publisher domain, country) from the set's sources file."""
    with open(HERE / f"{set_name}_sources.tsv", encoding="utf-8", newline="") as handle:
        return {
            r["id"]: (r["publisher_domain"], r["country"]) for r in csv.DictReader(handle, delimiter="\t")
        }


def table(db: Path, sets: list[str]) -> str:
    groups: dict[tuple[str, str, str], list[dict[str, object]]] = defaultdict(list)
    for set_name in sets:
        by_id = publishers(set_name)
        for line in (HERE / f"{set_name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                gold = json.loads(line)
                domain, country = by_id[str(gold["ref"]).rsplit("#", 1)[-1]]
                groups[(set_name, domain, country)].append(gold)
    head = ["set", "publisher", "country", "releases", *FIELDS]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    with tempfile.TemporaryDirectory() as tmp:
        for (set_name, domain, country), lines in sorted(groups.items()):
            path = Path(tmp) / f"{set_name}-{domain}.jsonl"
            path.write_text("".join(json.dumps(g) + "\n" for g in lines), encoding="utf-8")
            report = evaluate_file(path, db, record=False)
            cells = [_cell(report.scores[f]) for f in FIELDS]
            rows.append(f"| {set_name} | {domain} | {country} | {len(lines)} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _cell(score: Score) -> str:
    """F1 to two places; 0 where the gold has values and nothing was found; a dash where neither has any."""
    if score.tp + score.fp + score.fn == 0:
        return "–"
    return f"{score.f1 or 0.0:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("sets", nargs="+")
    args = parser.parse_args()
    print(table(args.db, args.sets))


if __name__ == "__main__":
    main()
