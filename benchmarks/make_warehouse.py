"""Makes a synthetic warehouse of N meetings fast, with the real schema, for dashboard benchmarks.

Twenty years of releases from a few sources, one engagement each, 1-3 counterparts (a country, and a
person or an organization) drawn with a skewed distribution like real diplomatic data (a few partners
dominate), 0-3 topics. Reproducible: the same N and seed give the same warehouse.

    python -m benchmarks.make_warehouse --meetings 1000000 --db /tmp/bench.duckdb
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from etl.extract.gazetteer import gazetteer
from etl.pipeline import _country_rows
from etl.store.load import refresh_search, write_countries
from warehouse import connect, migrate

KINDS = (
    ["meeting"] * 12
    + ["visit"] * 4
    + ["phone_call"] * 2
    + ["summit", "credentials", "correspondence", "video_conference"]
)
SOURCES = ["pmd.gov.lk", "kabar.kg", "president.kg", "akorda.kz", "mfa.gov.lk"]
TOPICS = [
    "trade_economy",
    "investment_finance",
    "energy_water",
    "transport_logistics",
    "security_defense",
    "counter_terrorism",
    "crime_drugs",
    "multilateral",
    "education_youth",
    "culture_humanitarian",
    "health",
    "agriculture_food",
    "migration_labour",
    "borders_territory",
    "environment_climate",
    "digital_technology",
]


def build(db: Path, meetings: int, seed: float = 0.42) -> float:
    """Create the warehouse at `db` (replacing it); returns the seconds it took."""
    t0 = time.perf_counter()
    db.unlink(missing_ok=True)
    con = connect(db)
    migrate(con)
    write_countries(con, _country_rows())
    countries = sorted(c for c in gazetteer().countries if c not in ("LKA", "KGZ"))
    orgs = sorted(gazetteer().organizations.values(), key=lambda o: o.org_id)
    con.execute("SELECT setseed(?)", [seed])
    con.execute(
        "CREATE TEMP TABLE cty AS SELECT row_number() OVER () - 1 AS i, iso3 FROM (SELECT unnest(?::VARCHAR[]) AS iso3)",
        [countries],
    )
    con.execute(
        "CREATE TEMP TABLE org AS SELECT row_number() OVER () - 1 AS i, name FROM (SELECT unnest(?::VARCHAR[]) AS name)",
        [[o.name for o in orgs]],
    )
    n_cty, n_org, n_person = len(countries), len(orgs), 4000
    # counterparts: countries, organizations, persons (each person belongs to one country); ids as the loader
    # makes them (etl.store.load.stable_id: the first 16 hex digits of sha256 of the entity key), countries under
    # the gazetteer's names as the loader names them (else a first run renames them all)
    con.execute(
        """
        INSERT INTO counterparts
        SELECT left(sha256('country:' || iso3), 16), 'country:' || iso3, 'country', k.name, iso3, [k.name]
        FROM cty JOIN countries AS k USING (iso3)
        UNION ALL
        SELECT left(sha256('org:' || i), 16), 'org:' || i, 'organization', name, NULL, [name] FROM org
        UNION ALL
        SELECT left(sha256('person:' || p), 16), 'person:' || p, 'person', 'Person ' || p,
               list_extract($countries, 1 + CAST(p % $n_cty AS INTEGER)), ['Person ' || p]
        FROM range($n_person) AS t(p)
        """,
        {"n_cty": n_cty, "n_person": n_person, "countries": countries},
    )
    con.execute(
        """
        INSERT INTO releases
        SELECT md5('r' || i), list_extract($sources, 1 + CAST(i % 5 AS INTEGER)),
               'bench/releases.jsonl#' || i, 'https://example.invalid/' || i,
               TIMESTAMP '2005-01-01' + to_days(CAST(floor(random() * 7300) AS INTEGER)),
               'President meets delegation ' || i,
               'The President received the delegation today. The parties discussed trade, investment and '
               || 'energy cooperation, and agreed to expand education and cultural exchanges. ' || i,
               'en', md5('h' || i), now(), 'bench', NULL
        FROM range($n) AS t(i)
        """,
        {"n": meetings, "sources": SOURCES},
    )
    con.execute(
        """
        INSERT INTO meetings
        SELECT md5('m' || r.i), md5('r' || r.i), 0, CAST(rel.published_at AS DATE),
               list_extract($kinds, 1 + CAST(floor(random() * $n_kinds) AS INTEGER)),
               'Principal ' || (r.i % 20), CASE WHEN r.i % 5 = 1 OR r.i % 5 = 2 THEN 'KGZ' ELSE 'LKA' END,
               NULL, 0, 40
        FROM range($n) AS r(i) JOIN releases AS rel ON rel.release_id = md5('r' || r.i)
        """,
        {"n": meetings, "kinds": KINDS, "n_kinds": len(KINDS)},
    )
    # a skewed pick: floor(n * u^3) puts most engagements on the first few partners
    con.execute(
        """
        INSERT INTO meeting_counterparts
        SELECT DISTINCT ON (meeting_id, counterpart_id) meeting_id, counterpart_id, NULL, NULL, NULL FROM (
            SELECT md5('m' || i) AS meeting_id,
                   left(sha256('country:' || list_extract($countries, 1 + CAST(floor($n_cty * pow(random(), 3)) AS INTEGER))), 16)
                       AS counterpart_id
            FROM range($n) AS t(i)
            UNION ALL
            SELECT md5('m' || i), left(sha256('person:' || CAST(floor($n_person * pow(random(), 2)) AS INTEGER)), 16)
            FROM range($n) AS t(i) WHERE random() < 0.7
            UNION ALL
            SELECT md5('m' || i), left(sha256('org:' || CAST(floor($n_org * pow(random(), 3)) AS INTEGER)), 16)
            FROM range($n) AS t(i) WHERE random() < 0.35
        )
        """,
        {"n": meetings, "n_cty": n_cty, "n_person": n_person, "n_org": n_org, "countries": countries},
    )
    con.execute(
        """
        INSERT INTO meeting_topics
        SELECT DISTINCT ON (meeting_id, topic_id) meeting_id, topic_id, NULL, NULL FROM (
            SELECT md5('m' || i) AS meeting_id, list_extract($topics, 1 + CAST(floor(16 * pow(random(), 2)) AS INTEGER)) AS topic_id
            FROM range($n) AS t(i), range(3) AS k(j)
            WHERE random() < 0.55
        )
        """,
        {"n": meetings, "topics": TOPICS},
    )
    refresh_search(con)  # meeting_search, as the loader keeps it
    con.execute(
        "INSERT INTO etl_runs (run_id, started_at, finished_at, status, seen, new, changed, unchanged, rejected,"
        " meetings, seconds, extractor_version) VALUES ('bench', now(), now(), 'succeeded', $n, $n, 0, 0, 0, $n, 0, 'bench')",
        {"n": meetings},
    )
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/chancery-bench.duckdb"))
    parser.add_argument("--seed", type=float, default=0.42)
    args = parser.parse_args()
    seconds = build(args.db, args.meetings, args.seed)
    print(f"{args.meetings} meetings in {args.db} ({args.db.stat().st_size / 1e6:.0f} MB) in {seconds:.1f} s")


if __name__ == "__main__":
    main()
