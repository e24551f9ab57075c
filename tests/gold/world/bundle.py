"""Copies the releases of the world dev sets whose licence allows it into tests/gold/world/texts/.

The collected releases live outside the repository (their publishers' copyright); this keeps in the repository
only those that may be redistributed: US federal works (public domain), the UK Open Government Licence v3.0
and the European Union's reuse decision (Commission Decision 2011/833/EU), each with its attribution in
tests/gold/world/README.md. Two records that share a URL (a mirror's listing page that held several
releases) get their id as the URL's fragment, so that each stays its own release.

    python tests/gold/world/bundle.py /work/devdata/world
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLED_LICENCES = frozenset({"public-domain-us", "ogl-uk-3.0", "eu-reuse"})


def licences(set_name: str) -> dict[str, str]:
    with open(HERE / f"{set_name}_sources.tsv", encoding="utf-8", newline="") as handle:
        return {row["id"]: row["licence"] for row in csv.DictReader(handle, delimiter="\t")}


def distinct_urls(records: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: dict[str, int] = {}
    for record in records:
        seen[record["url"]] = seen.get(record["url"], 0) + 1
    return [{**r, "url": f"{r['url'].split('#')[0]}#{r['id']}"} if seen[r["url"]] > 1 else r for r in records]


def main(folder: Path) -> None:
    for path in sorted(folder.glob("*.jsonl")):
        set_name = path.stem
        if not (HERE / f"{set_name}.jsonl").exists():
            continue
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        records = distinct_urls(records)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        allowed = licences(set_name)
        kept = [r for r in records if allowed.get(r["id"]) in BUNDLED_LICENCES]
        out = HERE / "texts" / f"{set_name}.jsonl"
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
        print(f"{set_name}: {len(kept)} of {len(records)} releases bundled -> {out.relative_to(HERE)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/devdata/world"))
