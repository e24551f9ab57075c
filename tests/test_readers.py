"""The readers: every input form into Release records, every unreadable input into a specific Reject."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pytest

from etl.inputs.readers import content_hash, iter_inputs, read_file, release_id_for
from etl.records import Reject, Release

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

AGENCY = """ date 2024-05-17 17:32
President Sadyr Japarov meets with UN Under-Secretary-General

President of Kyrgyzstan Sadyr Japarov received the Under-Secretary-General of the United Nations.

During the meeting, the parties exchanged views on current issues.
"""
AGENCY_BODY = (
    "President of Kyrgyzstan Sadyr Japarov received the Under-Secretary-General of the United Nations."
    "\n\nDuring the meeting, the parties exchanged views on current issues."
)

ARTICLE = (
    "President Anura Kumara Dissanayake met the Ambassador of Japan, Mizukoshi Hideaki, at the "
    "Presidential Secretariat today. The discussion focused on economic cooperation and investment."
)
ARTICLE_2 = (
    "The Ambassador conveyed the greetings of the Prime Minister of Japan and reaffirmed Japan's continued "
    "support for Sri Lanka's development programmes in education, health and transport."
)
PAGE = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>President meets Ambassador | PMD</title>
<link rel="canonical" href="https://www.pmd.gov.lk/news/ambassador-japan/">
<meta property="og:title" content="President meets Ambassador of Japan">
<meta property="article:published_time" content="2024-10-02T14:30:00+05:30">
<script>var tracker = "SCRIPT_IN_HEAD"; function go() {{ return 1; }}</script>
<style>.menu {{ color: red; }} /* STYLE_TEXT */</style></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>President meets Ambassador of Japan</h1>
<p>{ARTICLE}</p>
<script>document.write("SCRIPT_IN_ARTICLE")</script>
<p>{ARTICLE_2}</p>
</article><footer>Copyright 2024 PMD. All rights reserved.</footer></body></html>
"""
SCRIPTS_ONLY_PAGE = (
    "<html><head><title>Portal</title><script>"
    + "var state = {loading: true};" * 200
    + "</script></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><div id='app'></div>"
    + "<script>window.render('app');</script></body></html>"
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records: dict[str, object] | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def record(rid: str | None = "r1", **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": rid,
        "url": f"https://pmd.gov.lk/news/{rid}/",
        "published": "2024-09-23",
        "title": f"Title {rid}",
        "body": f"Body of {rid}.",
        "lang": "en",
        "source": "pmd.gov.lk",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def releases(items: Iterable[Release | Reject]) -> list[Release]:
    return [item for item in items if isinstance(item, Release)]


def rejects(items: Iterable[Release | Reject]) -> list[Reject]:
    return [item for item in items if isinstance(item, Reject)]


def only_release(items: Iterable[Release | Reject]) -> Release:
    got = list(items)
    assert len(got) == 1 and isinstance(got[0], Release), got
    return got[0]


def only_reject(items: Iterable[Release | Reject]) -> Reject:
    got = list(items)
    assert len(got) == 1 and isinstance(got[0], Reject), got
    return got[0]


# --------------------------------------------------------------------------------------------- agency text


def test_agency_text_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "000_a.txt", AGENCY)
    release = only_release(iter_inputs([str(path)]))
    assert release.title == "President Sadyr Japarov meets with UN Under-Secretary-General"
    assert release.published_at == datetime(2024, 5, 17, 17, 32)
    assert release.body == AGENCY_BODY
    assert release.source_ref == str(path)
    assert release.key == "000_a.txt"
    assert release.release_id == hashlib.sha256(b"000_a.txt").hexdigest()[:16] == release_id_for("000_a.txt")
    assert release.content_hash == content_hash(release.title, release.published_at, release.body)
    assert len(release.content_hash) == 32
    assert (release.url, release.source, release.lang) == (None, None, None)


def test_agency_text_boilerplate_is_removed_and_link_is_the_key(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "USD 84.70",
            "EUR 94.10 RUB 0.95 KZT 0.17",
            "English",
            " date 2024-05-17 17:32",
            "President Sadyr Japarov meets with UN Under-Secretary-General",
            "views: 99",
            "",
            AGENCY_BODY.split("\n\n")[0],
            "",
            "Print",
            "Share",
            "During the meeting, the parties exchanged views on current issues.",
            "link: https://www.24.kg/english/298000_japarov_meets_voronkov/",
            "",
            "Related",
            "Kyrgyzstan and Kazakhstan sign border agreement",
            "Sadyr Japarov receives credentials of Ambassador of Turkey",
        ]
    )
    release = only_release(iter_inputs([str(write(tmp_path / "a.txt", text))]))
    assert release.body == AGENCY_BODY
    assert release.title == "President Sadyr Japarov meets with UN Under-Secretary-General"
    assert release.url == "https://www.24.kg/english/298000_japarov_meets_voronkov/"
    assert release.key == release.url
    assert release.source == "24.kg"
    for leftover in ("USD", "English", "views:", "Print", "Share", "link:", "Related", "border agreement"):
        assert leftover not in release.body


def test_agency_text_bom_crlf_and_stray_whitespace_read_like_clean_text(tmp_path: Path) -> None:
    clean = only_release(iter_inputs([str(write(tmp_path / "clean" / "a.txt", AGENCY))]))
    messy = (
        "\ufeffdate: 2024-05-17 17:32  \r\n"
        "President Sadyr Japarov meets with UN  Under-Secretary-General \r\n"
        "\r\n\r\n\r\n"
        "President of\u00a0Kyrgyzstan Sadyr Japarov received the Under-Secretary-General of the United "
        "Nations.  "
        "\r\n\r\n\r\n\r\n"
        "\tDuring the meeting, the parties exchanged views on current issues.\r\n\r\n"
    )
    release = only_release(iter_inputs([str(write(tmp_path / "messy" / "a.txt", messy.encode("utf-8")))]))
    assert release.title == clean.title
    assert release.body == clean.body == AGENCY_BODY
    assert release.published_at == clean.published_at
    assert release.content_hash == clean.content_hash
    assert release.release_id == clean.release_id  # keyed by the file name


@pytest.mark.parametrize(
    ("date_line", "expected"),
    [
        (" date 2024-05-17 17:32", datetime(2024, 5, 17, 17, 32)),
        ("date 2024-05-17 17:32", datetime(2024, 5, 17, 17, 32)),
        (" date 2024-05-17", datetime(2024, 5, 17)),
        ("Date: 2024-05-17 09:05", datetime(2024, 5, 17, 9, 5)),
        (" date 2024-05-17 17:32:10", datetime(2024, 5, 17, 17, 32, 10)),
    ],
)
def test_agency_date_line_variants(tmp_path: Path, date_line: str, expected: datetime) -> None:
    path = write(tmp_path / "a.txt", date_line + "\nHeadline\n\nBody text.")
    assert only_release(iter_inputs([str(path)])).published_at == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Headline\n\nBody without a date line.", "no date line"),
        (" date 2024-13-45 10:00\nHeadline\n\nBody.", "invalid date"),
        (" date 2024-05-17 10:00\n", "no headline"),
        (" date 2024-05-17 10:00\nHeadline only\n\n", "no body"),
        (" date 2024-05-17 10:00\nHeadline\n\nRelated\nOther headline", "no body"),
        ("USD 84.70\nEnglish\nviews: 3\n", "no text left after removing site boilerplate"),
        ("   \n\n\t\n", "empty file (only whitespace)"),
    ],
)
def test_agency_text_rejects(tmp_path: Path, text: str, reason: str) -> None:
    path = write(tmp_path / "bad.txt", text)
    reject = only_reject(iter_inputs([str(path)]))
    assert reason in reject.reason
    assert (reject.path, reject.source_ref, reject.record_ref) == (str(path), str(path), None)


def test_agency_text_saved_as_utf16_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", AGENCY.encode("utf-16"))  # Notepad's "Unicode": BOM, then NULs
    assert only_release(iter_inputs([str(path)])).body == AGENCY_BODY


# --------------------------------------------------------------------------------------------- json / jsonl


def test_jsonl_records(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pmd" / "releases.jsonl",
        jsonl(
            record(
                "2024-09-23-en-3bba97",
                published="2024-09-23T14:05:00+05:30",
                body="Para one.  \r\n\r\n\r\nTwo.",
            ),
            record(None, url=None, source=None, lang=None),
        )
        + "\n"
        + jsonl(record("r3", source=None, published="2024-09-25 08:00")),
    )
    first, second, third = releases(iter_inputs([str(tmp_path / "pmd")]))

    assert first.source_ref == f"{path}#2024-09-23-en-3bba97"
    assert first.key == first.url == "https://pmd.gov.lk/news/2024-09-23-en-3bba97/"
    assert first.published_at == datetime(2024, 9, 23, 14, 5)  # local time as given, offset dropped
    assert first.body == "Para one.\n\nTwo."
    assert (first.title, first.lang, first.source) == ("Title 2024-09-23-en-3bba97", "en", "pmd.gov.lk")

    assert second.source_ref == f"{path}#line2"
    assert second.key == "releases.jsonl#line2"
    assert second.published_at == datetime(2024, 9, 23)
    assert (second.url, second.lang, second.source) == (None, None, None)

    assert third.source_ref == f"{path}#r3"  # after a blank line 3, on line 4
    assert third.source == "pmd.gov.lk"  # from the URL's host
    assert third.published_at == datetime(2024, 9, 25, 8, 0)


def test_source_precedence(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.jsonl",
        jsonl(
            record("a", source="pmd.gov.lk"),
            record("b", source=None, url="https://www.president.kg/en/news/1"),
            record("c", source=None, url=None),
        ),
    )
    assert [r.source for r in releases(iter_inputs([str(path)]))] == ["pmd.gov.lk", "president.kg", None]
    assert [r.source for r in releases(iter_inputs([str(path)], source="kg_president"))] == [
        "pmd.gov.lk",
        "kg_president",
        "kg_president",
    ]


def test_json_single_object_and_list(tmp_path: Path) -> None:
    one = write(tmp_path / "one.json", json.dumps(record("solo"), indent=2))
    many = write(
        tmp_path / "many.json",
        "[\n" + json.dumps(record("x")) + ",\n\n" + json.dumps(record(None, url=None)) + "\n]\n",
    )
    solo = only_release(iter_inputs([str(one)]))
    assert solo.source_ref == f"{one}#solo"
    assert solo.key == "https://pmd.gov.lk/news/solo/"
    x, idless = releases(iter_inputs([str(many)]))
    assert x.source_ref == f"{many}#x"
    assert idless.source_ref == f"{many}#line4"
    assert idless.key == "many.json#line4"


def test_record_ids_are_stable_across_calls_and_root_spellings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "in" / "r.jsonl", jsonl(record("a"), record("b", url=None)))
    write(tmp_path / "in" / "agency" / "k.txt", AGENCY + "link: https://24.kg/english/1_k/\n")
    write(tmp_path / "in" / "agency" / "n.txt", AGENCY)
    monkeypatch.chdir(tmp_path)
    spellings = [str(tmp_path / "in"), "in", "./in/", "in/../in", str(tmp_path / "in" / "agency" / "..")]
    runs = [releases(iter_inputs([spelling])) for spelling in spellings]
    runs.append(releases(iter_inputs([str(tmp_path / "in")])))  # a second call, same spelling
    ids = [[r.release_id for r in run] for run in runs]
    assert all(run_ids == ids[0] for run_ids in ids)
    assert len(set(ids[0])) == 4
    assert [r.source_ref for r in runs[1]] == [
        "in/agency/k.txt",
        "in/agency/n.txt",
        "in/r.jsonl#a",
        "in/r.jsonl#b",
    ]
    assert [r.key for r in runs[0]] == [
        "https://24.kg/english/1_k/",
        "n.txt",
        "https://pmd.gov.lk/news/a/",
        "r.jsonl#b",
    ]


@pytest.mark.parametrize(
    ("obj", "reason"),
    [
        (record("p1", published=None), "record has no 'published' date"),
        (record("p2", published="23.09.2024"), "unparsable 'published' value '23.09.2024'"),
        (record("p3", published=20240923), "unparsable 'published' value 20240923"),
        (record("t1", title=""), "record has no title"),
        (record("t2", title=None), "record has no title"),
        (record("b1", body="  \n "), "record has no body"),
    ],
)
def test_record_rejects_name_the_field(tmp_path: Path, obj: dict[str, object], reason: str) -> None:
    path = write(tmp_path / "r.jsonl", jsonl(obj))
    reject = only_reject(iter_inputs([str(path)]))
    assert reason in reject.reason
    assert reject.path == str(path)
    assert reject.record_ref == f"#{obj['id']}"
    assert reject.source_ref == f"{path}#{obj['id']}"


def test_non_object_record_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "r.jsonl", '["not", "an", "object"]\n')
    reject = only_reject(iter_inputs([str(path)]))
    assert reject.record_ref == "#line1"
    assert "record is a JSON list, expected an object" in reject.reason


def test_malformed_json_file_keeps_records_before_the_error(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.json", "[\n" + json.dumps(record("ok")) + ',\n{"id": "bad",,}\n]')
    got = list(iter_inputs([str(path)]))
    assert [r.source_ref for r in releases(got)] == [f"{path}#ok"]
    (reject,) = rejects(got)
    assert reject.reason.startswith("malformed JSON at line 3 column")


def test_jsonl_oversized_line_is_rejected_and_the_rest_still_loads(tmp_path: Path) -> None:
    huge = json.dumps(record("huge", body="x" * (6 * 1024 * 1024)))
    path = write(tmp_path / "r.jsonl", jsonl(record("a"), huge, record("b")))
    got = list(iter_inputs([str(path)]))
    assert [r.source_ref for r in releases(got)] == [f"{path}#a", f"{path}#b"]
    (reject,) = rejects(got)
    assert reject.record_ref == "#line2"
    assert "over the 5 MB limit for one record" in reject.reason


def test_jsonl_invalid_utf8_line_names_the_byte_offset(tmp_path: Path) -> None:
    good = jsonl(record("a")).encode()
    path = write(
        tmp_path / "r.jsonl", good + b'{"id": "bad", "title": "Caf\xe9"}\n' + jsonl(record("b")).encode()
    )
    got = list(iter_inputs([str(path)]))
    assert len(releases(got)) == 2
    (reject,) = rejects(got)
    assert reject.record_ref == "#line2"
    assert f"invalid UTF-8 at byte offset {len(good) + 27}" in reject.reason


# --------------------------------------------------------------------------------------------- html


def test_html_page(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", PAGE)
    release = only_release(iter_inputs([str(path)]))
    assert release.title == "President meets Ambassador of Japan"
    assert release.published_at == datetime(2024, 10, 2, 14, 30)
    assert release.body == f"{ARTICLE}\n\n{ARTICLE_2}"
    assert release.url == release.key == "https://www.pmd.gov.lk/news/ambassador-japan/"
    assert release.source == "pmd.gov.lk"
    assert release.lang == "en"
    assert release.source_ref == str(path)
    for leaked in ("SCRIPT_IN_HEAD", "SCRIPT_IN_ARTICLE", "STYLE_TEXT", "color", "Home", "Copyright"):
        assert leaked not in release.body


def test_html_date_found_in_the_text(tmp_path: Path) -> None:
    page = PAGE.replace('<meta property="article:published_time" content="2024-10-02T14:30:00+05:30">', "")
    page = page.replace("<h1>", "<p>Posted on 7 October 2024</p><h1>")
    release = only_release(iter_inputs([str(write(tmp_path / "page.htm", page))]))
    assert release.published_at == datetime(2024, 10, 7)


def test_html_without_date_is_rejected_not_guessed_from_the_copyright_year(tmp_path: Path) -> None:
    page = PAGE.replace('<meta property="article:published_time" content="2024-10-02T14:30:00+05:30">', "")
    reject = only_reject(iter_inputs([str(write(tmp_path / "page.html", page))]))
    assert reject.reason == "no publication date found in the page"


def test_html_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1251"').replace(
        "Ambassador of Japan</h1>", "Посол</h1>"
    )
    path = write(tmp_path / "page.html", page.encode("cp1251"))
    assert only_release(iter_inputs([str(path)])).title


def test_html_parser_failure_is_a_reject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError("tree too deep")

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    reject = only_reject(iter_inputs([str(write(tmp_path / "page.html", PAGE))]))
    assert reject.reason == "could not parse the page: ValueError: tree too deep"


# --------------------------------------------------------------------------------------------- walking


def test_folder_is_read_recursively_sorted_with_hidden_entries_skipped(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for rel in ("b.txt", "a/z.txt", "a/b/c.txt", "c.txt", ".hidden.txt", ".git/x.txt", "d/.cache/y.txt"):
        write(root / rel, AGENCY)
    refs = [r.source_ref for r in iter_inputs([str(root)])]
    assert refs == [str(root / rel) for rel in ("a/b/c.txt", "a/z.txt", "b.txt", "c.txt")]


def test_an_explicitly_named_hidden_file_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / ".draft.txt", AGENCY)
    assert only_release(iter_inputs([str(path)])).source_ref == str(path)


def test_missing_path_is_a_reject(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope")
    reject = only_reject(iter_inputs([missing]))
    assert reject == Reject(missing, missing, None, "no such file or folder")


def test_several_inputs_are_read_in_order(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", AGENCY)
    b = write(tmp_path / "b.jsonl", jsonl(record("x")))
    assert [r.source_ref for r in iter_inputs([str(b), str(a)])] == [f"{b}#x", str(a)]


def test_read_file_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "a.TXT", AGENCY)
    assert only_release(read_file(path, "ref/a.TXT")).source_ref == "ref/a.TXT"


def test_bad_inputs_folder(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    write(root / "good.txt", AGENCY)
    write(root / "good.html", PAGE)
    write(root / "mixed.jsonl", jsonl(record("first"), '{"id": "broken", "title": ', record("third")))
    write(root / "empty.txt", b"")
    write(root / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    bad_utf8 = b" date 2024-05-17 10:00\nHeadline\n\nCaf\xe9 and more text."
    write(root / "latin1.txt", bad_utf8)
    write(root / "nodate.txt", "Headline\n\nBody without a date.")
    with (root / "huge.txt").open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    write(root / "scripts.html", SCRIPTS_ONLY_PAGE)
    write(root / "report.pdf", b"%PDF-1.7\n")
    write(root / "empty.jsonl", "\n\n")

    got = list(iter_inputs([str(root)]))

    assert sorted(r.source_ref for r in releases(got)) == sorted(
        [
            str(root / "good.txt"),
            str(root / "good.html"),
            f"{root / 'mixed.jsonl'}#first",
            f"{root / 'mixed.jsonl'}#third",
        ]
    )
    reasons = {(Path(r.path).name, r.record_ref): r.reason for r in rejects(got)}
    expected = {
        ("empty.txt", None): "empty file (0 bytes)",
        ("binary.txt", None): "binary file (NUL byte at offset 8): expected UTF-8 text",
        ("latin1.txt", None): (
            f"invalid UTF-8 at byte offset {bad_utf8.index(0xE9)} (byte 0xe9): re-save the file as UTF-8"
        ),
        (
            "nodate.txt",
            None,
        ): "no date line: line 1 should read ' date YYYY-MM-DD HH:MM' but reads 'Headline'",
        (
            "huge.txt",
            None,
        ): "file is 50.0 MB, over the 10 MB limit for .txt files: split it or convert it to .jsonl",
        ("scripts.html", None): "no article text found in the page (scripts/navigation only?)",
        ("report.pdf", None): "unsupported file type '.pdf': expected .txt, .json, .jsonl, .html or .htm",
        ("empty.jsonl", None): "empty file (no records, only blank lines)",
    }
    broken = reasons.pop(("mixed.jsonl", "#line2"))
    assert broken.startswith("malformed JSON on line 2, column")
    assert reasons == expected
    assert len(got) == 4 + 1 + len(expected)  # every input accounted for, nothing silently dropped


# --------------------------------------------------------------------------------------------- real corpus


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "seed").is_dir(), reason="shared corpus not present")
def test_real_seed_file() -> None:
    path = CORPUS / "seed" / "000_5fff5019fe881499.txt"
    release = only_release(iter_inputs([str(path)]))
    assert release.title == "President Sadyr Japarov meets with UN Under-Secretary-General"
    assert release.published_at == datetime(2024, 5, 17, 17, 32)
    assert release.source_ref.endswith("corpus/seed/000_5fff5019fe881499.txt")
    assert release.key == "000_5fff5019fe881499.txt"
    assert release.body.startswith(
        "President of Kyrgyzstan Sadyr Japarov received the Under-Secretary-General"
    )
    assert release.body.endswith("for promotion of the counter-terrorism agenda.")
    assert "\u00a0" not in release.body
    assert len(release.body.split("\n\n")) == 10  # paragraphs


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "pmd").is_dir(), reason="shared corpus not present")
def test_real_pmd_records() -> None:
    path = CORPUS / "pmd" / "releases.jsonl"
    got = list(iter_inputs([str(path)]))
    with path.open(encoding="utf-8") as handle:
        lines = sum(1 for line in handle if line.strip())
    assert len(got) == lines
    good = releases(got)
    assert len(good) > 0.95 * lines
    assert len({r.release_id for r in good}) == len(good)
    assert all(r.source == "pmd.gov.lk" and r.url and r.source_ref.startswith(f"{path}#") for r in good)
    assert all(r.reason == "record has no body" for r in rejects(got))
