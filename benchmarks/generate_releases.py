"""Generates N realistic releases, reproducibly, by recombining the structure of real ones.

Both input forms the ETL reads: JSON records (jsonl files of 10,000) and agency-format text files with
their site boilerplate. Releases span twenty years and two publishers (Sri Lanka's and Kyrgyzstan's).

Three in four are real releases recast (`REAL_SHARE`): the bundled sample (data/sample: 599 releases of
Sri Lanka's PMD and the seed) and the agency-format dev gold texts (tests/gold/agency), with every foreign
country, demonym and capital the gazetteer finds swapped for another country's (consistently within the
release), years moved to the new publication year, other numbers redrawn, and now and then the paragraphs
of another release of the same publisher appended. So lengths (about 2,000 characters and 13 sentences on
average, as the PMD releases), wording, and the share of negatives (two in three of a press service's
releases are domestic) are those of real releases. The rest are short synthetic stories (ambassadors
received, phone calls, state visits, letters, organizations, and domestic negatives) whose counterparts
come from the gazetteers.

Sentences that name a country or a number rarely recur verbatim, but the others do: 57% of the sentences
of 20,000 generated releases recur, against 4.5% in the 600 real ones. So the extractor must not memoise
whole sentences: it would be measured faster here than it is on a real archive.

    python -m benchmarks.generate_releases --n 100000 --out /tmp/releases-100k --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from etl.extract.gazetteer import gazetteer
from etl.inputs.readers import iter_inputs
from etl.records import Release

ROOT = Path(__file__).resolve().parent.parent
# Real releases to recast: bundled with the project, so the generator needs nothing beside it.
TEMPLATE_INPUTS = (ROOT / "data" / "sample", ROOT / "tests" / "gold" / "agency")
REAL_SHARE = 0.75
# A whole number not glued to another (times, thousands, decimals keep their digits): years move to the new
# publication year, days and other numbers are redrawn, so recast sentences differ as real ones do.
_NUMBER = re.compile(r"(?<![\d:.,])\d+(?![\d:]|[.,]\d)")
_YEAR = re.compile(r"19[6-9]\d|20[0-4]\d")

TOPIC_SENTENCES = [
    "The parties discussed expanding bilateral trade and investment, including joint ventures in {sector}.",
    "Special attention was paid to cooperation in hydropower and energy, and to transit transport corridors.",
    "The sides exchanged views on regional security and on countering terrorism and drug trafficking.",
    "They discussed scholarships and training programmes for young specialists.",
    "The discussion also covered tourism, cultural exchanges and direct flights between the capitals.",
    "The President highlighted cooperation in agriculture and food security.",
    "Both sides noted the importance of digitalisation and innovation.",
    "The {org} pledged financial support and concessional loans for infrastructure projects.",
    "Issues of labour migration and the protection of the rights of migrants were raised.",
    "Climate change and the protection of glaciers were also on the agenda.",
]
COURTESY = [
    "The meeting was held in a warm and friendly atmosphere.",
    "Both sides reaffirmed their commitment to strengthening long-standing friendly relations.",
]
NEGATIVES = [
    (
        "{leader} chairs a meeting on the national budget",
        "{title} {leader} today ({day}) chaired a meeting with the heads of ministries on the execution of the "
        "national budget. The Minister of Finance reported on revenue collection. Instructions were given to "
        "accelerate road construction in the regions.",
    ),
    (
        "New secretary appointed to the Ministry of {ministry}",
        "{title} {leader} has appointed a new Secretary to the Ministry of {ministry}. The appointment letter was "
        "handed over today ({day}) at the Presidential Secretariat.",
    ),
    (
        "Trade turnover grows by {pct} percent",
        "According to the National Statistics Committee, foreign trade turnover grew by {pct} percent in the "
        "first half of the year. Exports to {country} and {country2} increased, while imports from {country3} "
        "declined. Exchange rates remained stable.",
    ),
    (
        "{leader} visits a school in the {region} region",
        "{title} {leader} today ({day}) visited a school in the {region} region and met with teachers and "
        "students. The head of state inspected the new classrooms and the library.",
    ),
]
BOILERPLATE_TOP = ["USD 87.45", "EUR 94.10", "RUB 0.95", "English"]
SECTORS = ["mining", "textiles", "pharmaceuticals", "logistics", "tourism", "agro-processing"]
MINISTRIES = ["Finance", "Education", "Health", "Agriculture", "Transport", "Energy"]
REGIONS = ["Northern", "Eastern", "Southern", "Western", "Central"]


@dataclass(frozen=True)
class Publisher:
    source: str
    country: str
    home: str  # the country's name as the releases write it
    leaders: tuple[tuple[str, str, str], ...]  # (title, name, office start ISO)
    url: str


PUBLISHERS = (
    Publisher(
        "pmd.gov.lk",
        "LKA",
        "Sri Lanka",
        (
            ("President", "Mahinda Rajapaksa", "2005"),
            ("President", "Maithripala Sirisena", "2015"),
            ("President", "Gotabaya Rajapaksa", "2019"),
            ("President", "Ranil Wickremesinghe", "2022"),
            ("President", "Anura Kumara Dissanayake", "2024"),
        ),
        "https://pmd.gov.lk/news/",
    ),
    Publisher(
        "kabar.kg",
        "KGZ",
        "Kyrgyzstan",
        (
            ("President", "Almazbek Atambayev", "2011"),
            ("President", "Sooronbay Jeenbekov", "2017"),
            ("President", "Sadyr Japarov", "2021"),
        ),
        "https://kabar.kg/eng/news/",
    ),
)


def _leader(pub: Publisher, day: date) -> tuple[str, str]:
    chosen = pub.leaders[0]
    for leader in pub.leaders:
        if day.year >= int(leader[2]):
            chosen = leader
    return chosen[0], chosen[1]


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        gaz = gazetteer()
        self.countries = [
            (c.iso3, c.name) for c in gaz.countries.values() if c.iso3 not in ("LKA", "KGZ") and c.region
        ]
        demonyms: dict[str, str] = {}
        for demonym, iso3 in gaz.demonym_of.items():
            demonyms.setdefault(iso3, demonym)
        self.demonyms = demonyms
        self.orgs = [o for o in gaz.organizations.values() if o.aliases]
        self.first = ["Ahmed", "Maria", "Kenji", "Olga", "David", "Aigerim", "Luis", "Fatima", "Jonas", "Mei"]
        self.last = [
            "Hassan",
            "Novak",
            "Tanaka",
            "Petrova",
            "Miller",
            "Sultanova",
            "Garcia",
            "Rahman",
            "Berg",
        ]

        self.names = {c.iso3: c.name for c in gaz.countries.values()}
        self.templates = _templates()
        self.by_home: dict[str, list[_Template]] = {}  # a release's paragraphs go with its publisher's
        for template in self.templates:
            self.by_home.setdefault(template.home, []).append(template)

    def person(self) -> str:
        return f"{self.rng.choice(self.first)} {self.rng.choice(self.last)}"

    def release(self, i: int) -> tuple[Publisher, dict[str, object]]:
        rng = self.rng
        pub = rng.choice(PUBLISHERS)
        day = date(2006, 1, 1) + timedelta(days=rng.randrange(20 * 365))
        if self.templates and rng.random() < REAL_SHARE:
            return self._recast(i, day)
        title_, leader = _leader(pub, day)
        iso3, country = rng.choice(self.countries)
        demonym = self.demonyms.get(iso3, country)
        story = rng.random()
        if story < 0.62:  # most of a press service's output is domestic
            head, body = rng.choice(NEGATIVES)
            c2, c3 = rng.choice(self.countries)[1], rng.choice(self.countries)[1]
            values = {
                "leader": leader,
                "title": title_,
                "day": f"{day.day:02d}",
                "ministry": rng.choice(MINISTRIES),
                "pct": rng.randint(2, 30),
                "country": country,
                "country2": c2,
                "country3": c3,
                "region": rng.choice(REGIONS),
            }
            headline, paragraphs = head.format(**values), [body.format(**values)]
        else:
            headline, paragraphs = self._engagement(pub, leader, title_, day, country, demonym)
        return pub, {
            "id": f"bench-{i:08d}",
            "url": f"{pub.url}bench-{i:08d}/",
            "published": f"{day.isoformat()}T{rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}:00",
            "title": headline,
            "body": "\n\n".join(paragraphs),
            "lang": "en",
            "source": pub.source,
        }

    def _recast(self, i: int, day: date) -> tuple[Publisher, dict[str, object]]:
        """A real release with its foreign countries swapped, its years moved to `day`'s, and now and then the
        paragraphs of another release of its publisher appended."""
        rng = self.rng
        template = rng.choice(self.templates)
        pub = next(p for p in PUBLISHERS if p.country == template.home)
        swap: dict[str, str] = {}
        body = template.body
        if rng.random() < 0.3:
            other = rng.choice(self.by_home[template.home])
            body += "\n\n" + other.body
        shift = day.year - template.year

        def recast(text: str) -> str:
            out: list[str] = []
            last = 0
            for hit in gazetteer().find(text):
                if hit.kind not in ("country", "demonym", "capital") or hit.key == template.home:
                    continue
                iso3 = swap.setdefault(hit.key, rng.choice(self.countries)[0])
                name = self.names[iso3]
                surface = self.demonyms.get(iso3, name) if hit.kind == "demonym" else name
                out += [text[last : hit.start], surface]
                last = hit.end
            out.append(text[last:])
            return _NUMBER.sub(redraw, "".join(out))

        def redraw(match: re.Match[str]) -> str:
            number = match.group()
            if _YEAR.fullmatch(number):
                return str(int(number) + shift)
            if number.startswith("0"):
                return number
            if int(number) <= 31:  # a day of the month, or a count as small
                return str(rng.randint(1, 28))
            return str(rng.randrange(10 ** (len(number) - 1), 10 ** len(number)))

        published = datetime.combine(day, template.time)
        return pub, {
            "id": f"bench-{i:08d}",
            "url": f"{pub.url}bench-{i:08d}/",
            "published": published.isoformat(),
            "title": recast(template.title),
            "body": recast(body),
            "lang": "en",
            "source": pub.source,
        }

    def _engagement(
        self, pub: Publisher, leader: str, title_: str, day: date, country: str, demonym: str
    ) -> tuple[str, list[str]]:
        rng = self.rng
        kind = rng.random()
        envoy = self.person()
        org = rng.choice(self.orgs)
        if kind < 0.45:
            headline = f"{title_} {leader} receives {demonym} Ambassador"
            lead = (
                f"{title_} {leader} today ({day.day:02d}) received the Ambassador of {country} to {pub.home} "
                f"{envoy} at the Presidential Secretariat."
            )
        elif kind < 0.6:
            headline = f"{leader} holds phone talks with the President of {country}"
            lead = f"{title_} {leader} yesterday had a telephone conversation with President of {country} {envoy}."
        elif kind < 0.75:
            headline = f"{leader} meets {org.aliases[0]} delegation"
            lead = (
                f"{title_} {leader} met with a delegation of the {org.name} led by Vice President {envoy} "
                f"today ({day.day:02d})."
            )
        elif kind < 0.9:
            headline = f"{title_} {leader} on a state visit to {country}"
            lead = (
                f"{title_} {leader}, who arrived in {country} on a state visit yesterday, today ({day.day:02d}) "
                f"held talks with Prime Minister of {country} {envoy}."
            )
        else:
            headline = f"{leader} sends a congratulatory message to the leader of {country}"
            lead = (
                f"{title_} {leader} sent a congratulatory message to President of {country} {envoy} on the "
                "occasion of the National Day."
            )
        topics = rng.sample(TOPIC_SENTENCES, rng.randint(1, 4))
        body = [lead] + [t.format(sector=rng.choice(SECTORS), org=org.aliases[0]) for t in topics]
        if rng.random() < 0.5:
            body.append(rng.choice(COURTESY))
        return headline, body


@dataclass(frozen=True)
class _Template:
    home: str  # the publisher's country (ISO 3166 alpha-3): its name is never swapped
    title: str
    body: str
    year: int
    time: time


def _templates() -> list[_Template]:
    """The real releases to recast (TEMPLATE_INPUTS): Sri Lanka's from the sample, Kyrgyzstan's agency texts."""
    found: list[_Template] = []
    for item in iter_inputs([str(p) for p in TEMPLATE_INPUTS if p.exists()]):
        if not isinstance(item, Release) or not item.body.strip():
            continue
        home = "LKA" if item.source == "pmd.gov.lk" else "KGZ"
        found.append(
            _Template(home, item.title or "", item.body, item.published_at.year, item.published_at.time())
        )
    return found


def agency_text(record: dict[str, object], rng: random.Random) -> str:
    """The record in the agency text format, with site boilerplate around it (CONTRACT §1)."""
    published = datetime.fromisoformat(str(record["published"]))
    lines = [f" date {published:%Y-%m-%d %H:%M}", str(record["title"]), ""]
    if rng.random() < 0.5:
        lines += [*rng.sample(BOILERPLATE_TOP, 2), ""]
    lines.append(str(record["body"]))
    lines += ["", f"link: {record['url']}", f"views: {rng.randint(10, 5000)}", "Print"]
    if rng.random() < 0.6:
        lines += ["Related", "President receives Ambassador of Japan", "Cabinet discusses the budget"]
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = 7, text_share: float = 0.2) -> Path:
    """Write `n` releases under `out` (jsonl chunks and .txt files); returns `out`."""
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    chunk: list[str] = []
    chunk_no = 0

    def flush() -> None:
        nonlocal chunk, chunk_no
        if chunk:
            (out / f"records-{chunk_no:05d}.jsonl").write_text("".join(chunk), encoding="utf-8")
            chunk, chunk_no = [], chunk_no + 1

    for i in range(n):
        _, record = gen.release(i)
        if gen.rng.random() < text_share:
            folder = out / "agency" / f"{i // 10000:04d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{record['id']}.txt").write_text(agency_text(record, gen.rng), encoding="utf-8")
        else:
            chunk.append(json.dumps(record, ensure_ascii=False) + "\n")
            if len(chunk) >= 10000:
                flush()
    flush()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.n, args.out, args.seed)
    print(f"{args.n} releases in {args.out}")


if __name__ == "__main__":
    main()
