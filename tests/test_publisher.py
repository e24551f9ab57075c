"""Who published a release: the registry, the directory of press services by domain, or the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.pipeline import run
from etl.sources import (
    DOMAIN,
    INFERRED,
    REGISTRY,
    RegistryError,
    Source,
    load_registry,
    lookup,
    parse_press_services,
    publisher,
)
from warehouse import connect

DIRECTORY = parse_press_services(
    "domain\tcountry_iso3\toffice\tname\tsource\n"
    "state.gov\tUSA\tforeign_ministry\tU.S. Department of State\ttest\n"
    "usembassy.gov\tUSA\tembassy_pattern\tU.S. embassies\ttest\n"
    "gov.uk\tGBR\tgovernment_portal\tGOV.UK\ttest\n"
    "mofa.go.jp\tJPN\tforeign_ministry\tMinistry of Foreign Affairs of Japan\ttest\n"
    "japan.kantei.go.jp\tJPN\thead_of_government\tPrime Minister's Office of Japan\ttest\n"
    "thepresidency.gov.za\tZAF\thead_of_state\tThe Presidency\ttest\n"
)


@pytest.mark.parametrize(
    ("source", "url", "country", "basis"),
    [
        ("state.gov", None, "USA", DOMAIN),
        (None, "https://www.state.gov/readout-of-a-call/", "USA", DOMAIN),
        (None, "https://lk.usembassy.gov/a-release/", "USA", DOMAIN),  # a subdomain of a pattern
        ("www.gov.uk", None, "GBR", DOMAIN),
        (None, "https://www.mofa.go.jp/press/release/page1e_000001.html", "JPN", DOMAIN),
        ("pmd.gov.lk", "https://www.state.gov/x", "LKA", REGISTRY),  # the curated registry wins
        (None, "https://en.kabar.kg/news/1/", "KGZ", REGISTRY),  # a subdomain of a registry host
        (None, "https://example.org/news/1", None, INFERRED),
        (None, "https://notstate.gov/x", None, INFERRED),  # a suffix, not a parent domain
        (None, "https://jis.gov.jm/news/1", "JAM", DOMAIN),  # a government's site under its country's code
        (None, "https://mzv.gov.cz/x", "CZE", DOMAIN),
        (None, "https://en.trend.az/x", None, INFERRED),  # a news site's code tells nothing (agencies abroad)
        ("kantei.go.jp", None, "JPN", DOMAIN),  # the parent of a listed site, of one country only
        (None, "https://www.co.za/news/x", None, INFERRED),  # a public second level is no one's
        (None, "https://www.gov.za/news/x", "ZAF", DOMAIN),  # ... but a government's is its country's
        (None, None, None, INFERRED),
    ],
)
def test_a_release_resolves_to_its_publisher(
    source: str | None, url: str | None, country: str | None, basis: str
) -> None:
    side = publisher(load_registry(), DIRECTORY, source, url)
    assert side.basis == basis
    assert (side.source.country if side.source else None) == country


def test_a_declared_source_applies_only_where_the_release_says_nothing() -> None:
    declared = load_registry()["kabar.kg"]
    assert publisher(load_registry(), DIRECTORY, None, None, declared) == publisher(
        load_registry(), {}, None, None, declared
    )
    assert publisher(load_registry(), DIRECTORY, None, None, declared).source == declared
    own = publisher(load_registry(), DIRECTORY, None, "https://www.state.gov/x", declared)
    assert own.source is not None and own.source.country == "USA"


def test_a_malformed_url_is_no_publisher() -> None:
    assert lookup(load_registry(), None, "http://[::1/x") is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("state\tUSA\tforeign_ministry\tX\tt", "not a domain"),
        ("state.gov/press\tUSA\tforeign_ministry\tX\tt", "not a domain"),
        ("state.gov\tUS\tforeign_ministry\tX\tt", "alpha-3"),
        ("state.gov\tUSA\tforeign_ministry", "columns"),
    ],
)
def test_a_malformed_directory_row_is_refused_with_its_line(row: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message) as caught:
        parse_press_services("domain\tcountry_iso3\toffice\tname\tsource\n" + row + "\n", "dir.tsv")
    assert "dir.tsv:2" in str(caught.value)


def test_the_shipped_directory_parses_and_names_real_countries() -> None:
    from etl.sources import load_press_services

    directory = load_press_services()
    codes = {
        line.split("\t")[0]
        for line in (Path(__file__).parents[1] / "etl/data/countries.tsv").read_text().splitlines()[1:]
    }
    assert directory, "etl/data/press_services.tsv is missing or empty"
    assert all(isinstance(s, Source) for s in directory.values())
    assert {s.country for s in directory.values()} - codes <= {"EUU", "UNO"}


def _records(path: Path) -> Path:
    body = (
        "Secretary of State Antony J. Blinken spoke today with Japanese Foreign Minister Yoko Kamikawa. "
        "The two discussed regional security."
    )
    rows = [
        {"id": "a", "url": "https://www.state.gov/readout-a/", "published": "2024-03-01",
         "title": "Secretary Blinken's Call with Japanese Foreign Minister Kamikawa", "body": body, "lang": "en"},
        {"id": "b", "url": "https://example.org/b", "published": "2024-10-02",
         "title": "President meets the Ambassador of Japan",
         "body": "President Anura Kumara Dissanayake met the Ambassador of Japan to Sri Lanka, "
                 "Akio Isomata, at the Presidential Secretariat today (02). They discussed trade.", "lang": "en"},
        {"id": "c", "url": "https://pmd.gov.lk/news/c/", "published": "2024-10-02", "title": "Weather",
         "body": "Heavy rain is expected in the Western Province today.", "lang": "en"},
        {"id": "d", "url": "https://example.org/d", "published": "2024-10-02",
         "title": "President Anura Kumara Dissanayake opens a new hospital",
         "body": "President Anura Kumara Dissanayake opened the new wing of the district hospital today.", "lang": "en"},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_warehouse_stores_each_release_s_publisher_and_basis(
    tmp_path: Path, fresh_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "press_services.tsv"
    directory.write_text(
        "domain\tcountry_iso3\toffice\tname\tsource\nstate.gov\tUSA\tforeign_ministry\tState\ttest\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("DIPLOMACY_PRESS_SERVICES", str(directory))
    from etl import pipeline, sources

    sources._load_press_services.cache_clear()
    pipeline._SIDES.clear()
    try:
        run([str(_records(tmp_path / "in.jsonl"))], fresh_db, workers=1)
    finally:
        sources._load_press_services.cache_clear()
        pipeline._SIDES.clear()
    con = connect(fresh_db, read_only=True)
    try:
        rows = dict(
            (ref.rsplit("#", 1)[1], (country, basis))
            for ref, country, basis in con.execute(
                "SELECT source_ref, publisher_country, publisher_basis FROM releases"
            ).fetchall()
        )
    finally:
        con.close()
    # "d" holds no engagement: its side is still inferred, from the leader its headline names
    assert rows == {
        "a": ("USA", DOMAIN),
        "b": ("LKA", INFERRED),
        "c": ("LKA", REGISTRY),
        "d": ("LKA", INFERRED),
    }
