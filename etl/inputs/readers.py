"""Reads the three input forms into Release or Reject records.

Every file an input path leads to comes out as at least one record: a `Release` for what could be read,
a `Reject` with a reason a person can act on for what could not. Nothing raises for a bad input, so one
broken file or line never stops a run or hides the good ones next to it. The CLI decides what to do
with the rejects; this module only reads.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urlsplit

from etl.inputs.clean import find_link, normalize_whitespace, strip_boilerplate, unwrap_lines
from etl.records import Reject, Release

if TYPE_CHECKING:
    from etl.web.pages import ArticleFields

MB = 1024 * 1024
MAX_FILE_BYTES = 10 * MB  # .txt/.json/.html: read whole, so bounded
MAX_LINE_BYTES = 5 * MB  # .jsonl: streamed, but one record is bounded
MIN_HTML_TEXT = 200  # shorter "main text" is navigation or a teaser, not an article
_SNIFF_BYTES = 8192

SUPPORTED = (".txt", ".json", ".jsonl", ".html", ".htm")
_UNSUPPORTED_HINT = "expected .txt, .json, .jsonl, .html or .htm"

_DATE_LINE = re.compile(
    r"date\s*:?\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?", re.IGNORECASE
)
_JSON_WS = re.compile(r"[ \t\n\r]*")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.IGNORECASE)
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# htmldate's output format: keep the time of day where the page states it.
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
# First pass: page metadata only; the wider text search guesses (see _html_date).
_DATE_PARAMS = {"outputformat": _DATE_FORMAT, "extensive_search": False, "original_date": True}


class _Unreadable(Exception):
    """A whole file cannot be read; carries the reason shown in the rejects table."""


# --------------------------------------------------------------------------------------------- walking


def iter_inputs(paths: Sequence[str], source: str | None = None) -> Iterator[Release | Reject]:
    """Yield a Release or Reject for every file the `--input` paths lead to, in a stable order.

    A folder is read recursively, entries sorted by name, hidden files and folders skipped. `source`
    names the publisher for inputs that do not say it themselves.
    """
    for entry in iter_files(paths):
        if isinstance(entry, Reject):
            yield entry
        else:
            yield from read_file(Path(entry), entry, source)


def iter_files(paths: Sequence[str]) -> Iterator[str | Reject]:
    """The files `iter_inputs` reads, in its order, without reading them: each as its `source_ref` (the
    string of its path), or a Reject for what cannot be walked.

    Lets a caller hand the reading of each file (or of parts of it, `jsonl_parts`) to other processes while
    keeping the order of the inputs.
    """
    for given in paths:
        root = Path(given)
        if root.is_dir():
            yield from _walk(str(root), set())
        elif root.exists():
            yield str(root)
        else:
            yield Reject(str(root), str(root), None, "no such file or folder")


def _walk(folder: str, seen: set[tuple[int, int]]) -> Iterator[str | Reject]:
    """The visible files under `folder`, sorted by name, following symlinks without loops.

    Paths are strings spelled as pathlib spells them (`str(Path(folder) / name)` for a folder that is the
    string of a Path), built without pathlib's cost: a run walks hundreds of thousands of files this way.
    """
    try:
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in seen:
            return  # a symlink back into a folder already read
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Reject(folder, folder, None, f"cannot read folder: {exc.strerror or exc}")
        return
    prefix = "" if folder == "." else folder if folder.endswith("/") else folder + "/"
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(prefix + name, seen)
        else:
            yield prefix + name


def read_file(path: Path, ref: str, source: str | None = None) -> Iterator[Release | Reject]:
    """Read one file, dispatching on its suffix; `ref` is the `source_ref` of the file."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        kind = f"'{path.suffix}'" if path.suffix else "(no extension)"
        yield Reject(ref, ref, None, f"unsupported file type {kind}: {_UNSUPPORTED_HINT}")
        return
    try:
        if not path.is_file():
            raise _Unreadable("not a regular file")
        if suffix == ".jsonl":
            yield from _read_jsonl(path, ref, source)
        elif suffix == ".json":
            yield from _read_json(path, ref, source)
        elif suffix == ".txt":
            yield _read_agency_text(path, ref, source)
        else:
            yield _read_html(path, ref, source)
    except _Unreadable as exc:
        yield Reject(ref, ref, None, str(exc))
    except OSError as exc:
        yield Reject(ref, ref, None, f"cannot read file: {exc.strerror or exc}")


# --------------------------------------------------------------------------------------------- ids


def release_id_for(key: str) -> str:
    """Stable id from the natural key: the same input gives the same id on every machine."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def content_hash(title: str, published_at: datetime, body: str) -> str:
    """Hash of what extraction depends on, so an unchanged release is not extracted again."""
    payload = "\n".join((title, published_at.isoformat(), body))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def _release(
    *,
    key: str,
    source: str | None,
    ref: str,
    url: str | None,
    published_at: datetime,
    title: str,
    body: str,
    lang: str | None,
) -> Release:
    return Release(
        release_id=release_id_for(key),
        key=key,
        source=source or _host(url),
        source_ref=ref,
        url=url,
        published_at=published_at,
        title=title,
        body=body,
        lang=lang,
        content_hash=content_hash(title, published_at, body),
    )


# --------------------------------------------------------------------------------------------- bytes


def _read_bounded(path: Path) -> bytes:
    """Read a whole file after checking its size by stat, so a huge file is never loaded."""
    size = path.stat().st_size
    if size == 0:
        raise _Unreadable("empty file (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise _Unreadable(
            f"file is {size / MB:.1f} MB, over the {MAX_FILE_BYTES // MB} MB limit for {path.suffix} files: "
            "split it or convert it to .jsonl"
        )
    return path.read_bytes()


def _check_not_binary(data: bytes, offset: int = 0) -> None:
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _Unreadable(f"binary file (NUL byte at offset {offset + nul}): expected UTF-8 text")


def _decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM, or UTF-16 with BOM) or say where the bad byte is."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Unreadable(
                f"invalid UTF-16 at byte offset {exc.start}: re-save the file as UTF-8"
            ) from None
    else:
        _check_not_binary(data)
        text = _decode_utf8(data)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _Unreadable("empty file (only whitespace)")
    return text


def _decode_utf8(data: bytes, offset: int = 0) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise _Unreadable(
            f"invalid UTF-8 at byte offset {offset + exc.start} (byte 0x{bad:02x}): re-save the file as UTF-8"
        ) from None


# --------------------------------------------------------------------------------------------- agency text


def _read_agency_text(path: Path, ref: str, source: str | None) -> Release:
    """Agency text: a date line, a headline, then the body, with site boilerplate anywhere around them."""
    text = normalize_whitespace(_decode(_read_bounded(path)))
    url = find_link(text)
    text = strip_boilerplate(text)
    if not text:
        raise _Unreadable("no text left after removing site boilerplate")
    lines = text.split("\n")
    published_at = _parse_date_line(lines[0])
    rest = iter(enumerate(lines[1:], start=1))
    title = next((line for _, line in rest if line), "")
    if not title:
        raise _Unreadable("no headline: expected it on the line after the date line")
    body = unwrap_lines(normalize_whitespace("\n".join(line for _, line in rest)))
    if not body:
        raise _Unreadable("no body: nothing follows the headline (expected a blank line, then paragraphs)")
    return _release(
        key=url or path.name,
        source=source,
        ref=ref,
        url=url,
        published_at=published_at,
        title=title,
        body=body,
        lang=None,
    )


def _parse_date_line(line: str) -> datetime:
    match = _DATE_LINE.fullmatch(line)
    if match is None:
        raise _Unreadable(
            f"no date line: line 1 should read ' date YYYY-MM-DD HH:MM' but reads {line[:80]!r}"
        )
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise _Unreadable(f"invalid date {line.strip()!r} in the date line: {exc}") from None


# --------------------------------------------------------------------------------------------- records


def _read_json(path: Path, ref: str, source: str | None) -> Iterator[Release | Reject]:
    """A .json file: one object, or a list of objects (each numbered by the line it starts on)."""
    text = _decode(_read_bounded(path))
    try:
        for lineno, obj in _iter_json_values(text):
            yield _record(obj, path.name, ref, lineno, source)
    except json.JSONDecodeError as exc:
        raise _Unreadable(
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            " (records after that point were not read)"
        ) from None
    except RecursionError:
        raise _Unreadable("malformed JSON: nested too deeply") from None


def _iter_json_values(text: str) -> Iterator[tuple[int, Any]]:
    """Yield (line number, value) for a top-level object or each element of a top-level list.

    Parses element by element with `raw_decode` so that id-less records get the line number the
    contract uses as their reference, and the records before a syntax error are still read.
    """
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    if not text.startswith("[", pos):
        value, end = decoder.raw_decode(text, pos)
        if _skip_ws(text, end) != len(text):
            raise json.JSONDecodeError("extra data after the top-level value", text, end)
        yield text.count("\n", 0, pos) + 1, value
        return
    lineno, counted = 1, 0
    pos = _skip_ws(text, pos + 1)
    if text.startswith("]", pos):
        return
    while True:
        value, end = decoder.raw_decode(text, pos)
        lineno += text.count("\n", counted, pos)
        counted = pos
        yield lineno, value
        pos = _skip_ws(text, end)
        if text.startswith(",", pos):
            pos = _skip_ws(text, pos + 1)
            continue
        if text.startswith("]", pos):
            pos = _skip_ws(text, pos + 1)
            if pos != len(text):
                raise json.JSONDecodeError("extra data after the top-level list", text, pos)
            return
        raise json.JSONDecodeError("expected ',' or ']' between list elements", text, pos)


def _skip_ws(text: str, pos: int) -> int:
    """Index of the first character at or after `pos` that is not JSON whitespace."""
    match = _JSON_WS.match(text, pos)
    return match.end() if match else pos


def _read_jsonl(path: Path, ref: str, source: str | None) -> Iterator[Release | Reject]:
    """A .jsonl file, streamed line by line so a file of gigabytes never sits in memory."""
    if path.stat().st_size == 0:
        raise _Unreadable("empty file (0 bytes)")
    with path.open("rb", buffering=MB) as handle:
        _check_not_binary(handle.read(_SNIFF_BYTES))
        handle.seek(0)
        seen_record = False
        for item in _jsonl_lines(handle, 0, None, 0, path.name, ref, source):
            seen_record = True
            yield item
    if not seen_record:
        raise _Unreadable("empty file (no records, only blank lines)")


def jsonl_parts(path: Path, size: int) -> list[tuple[int, int | None, int]]:
    """Split a .jsonl file at line starts into parts of about `size` bytes: (start, end, lines before start).

    The last part's end is None (to the end of the file, as it is when read). Reading every part with
    `read_jsonl_part`, in order, gives what `read_file` gives for the whole file. Costs one pass counting
    newlines, far cheaper than parsing; a file that cannot be read is one part (read it with `read_file`).
    """
    parts: list[tuple[int, int | None, int]] = []
    start, lines_before = 0, 0  # the part being measured
    offset, lines = 0, 0  # bytes and newlines before the buffer
    buffer = bytearray(MB)
    try:
        with path.open("rb", buffering=0) as handle:
            while n := handle.readinto(buffer):
                # a part ends after the first newline once it has `size` bytes
                while (want := start + size - 1 - offset) < n:
                    at = buffer.find(b"\n", max(want, 0), n)
                    if at < 0:
                        break
                    parts.append((start, offset + at + 1, lines_before))
                    start, lines_before = offset + at + 1, lines + buffer.count(b"\n", 0, at + 1)
                lines += buffer.count(b"\n", 0, n)
                offset += n
    except OSError:
        return [(0, None, 0)]
    parts.append((start, None, lines_before))
    return parts


def read_jsonl_part(
    path: Path, ref: str, source: str | None, part: tuple[int, int | None, int]
) -> Iterator[Release | Reject]:
    """The records of the lines starting in one part of a .jsonl file (`jsonl_parts`), as `read_file` reads them.

    What concerns the whole file is said once, by the first part: a binary file or one without any record
    is one Reject there, and nothing in the other parts.
    """
    start, end, lines_before = part
    try:
        with path.open("rb", buffering=MB) as handle:
            try:
                _check_not_binary(handle.read(_SNIFF_BYTES))
            except _Unreadable as exc:
                if start == 0:
                    yield Reject(ref, ref, None, str(exc))
                return
            handle.seek(start)
            seen_record = False
            for item in _jsonl_lines(handle, start, end, lines_before, path.name, ref, source):
                seen_record = True
                yield item
            if start == 0 and not seen_record and end is not None:
                seen_record = (
                    next(_jsonl_lines(handle, end, None, 1, path.name, ref, source), None) is not None
                )
            if start == 0 and not seen_record:
                yield Reject(ref, ref, None, "empty file (no records, only blank lines)")
    except OSError as exc:  # as read_file says it, after the records read before the error
        yield Reject(ref, ref, None, f"cannot read file: {exc.strerror or exc}")


def _jsonl_lines(
    handle: BinaryIO, offset: int, end: int | None, lineno: int, name: str, ref: str, source: str | None
) -> Iterator[Release | Reject]:
    """The records of the lines from `offset` (where `handle` is, after `lineno` lines) up to `end`."""
    while end is None or offset < end:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            break
        lineno += 1
        start = offset
        offset += len(raw)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the oversized line
                raw = handle.readline(MB)
                offset += len(raw)
            yield _line_reject(
                ref, lineno,
                f"line {lineno} is {(offset - start) / MB:.1f} MB, over the {MAX_LINE_BYTES // MB} MB "
                "limit for one record",
            )  # fmt: skip
            continue
        if lineno == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        yield _jsonl_line(raw, start, lineno, name, ref, source)


def _jsonl_line(
    raw: bytes, start: int, lineno: int, name: str, ref: str, source: str | None
) -> Release | Reject:
    if b"\x00" in raw:
        return _line_reject(ref, lineno, f"binary data (NUL byte) on line {lineno}")
    try:
        obj = json.loads(_decode_utf8(raw, start))
    except _Unreadable as exc:
        return _line_reject(ref, lineno, f"line {lineno}: {exc}")
    except json.JSONDecodeError as exc:
        return _line_reject(ref, lineno, f"malformed JSON on line {lineno}, column {exc.colno}: {exc.msg}")
    except RecursionError:
        return _line_reject(ref, lineno, f"malformed JSON on line {lineno}: nested too deeply")
    return _record(obj, name, ref, lineno, source)


def _line_reject(ref: str, lineno: int, reason: str) -> Reject:
    return Reject(f"{ref}#line{lineno}", ref, f"#line{lineno}", reason)


def _record(obj: Any, name: str, ref: str, lineno: int, source: str | None) -> Release | Reject:
    """One JSON record into a Release; a Reject names the field and value that are wrong."""
    if not isinstance(obj, dict):
        return _line_reject(ref, lineno, f"record is a JSON {type(obj).__name__}, expected an object")
    rid = obj.get("id")
    record_id = str(rid).strip() if rid is not None and not isinstance(rid, (dict, list)) else ""
    record_ref = f"#{record_id}" if record_id else f"#line{lineno}"
    source_ref = ref + record_ref

    def reject(reason: str) -> Reject:
        return Reject(source_ref, ref, record_ref, reason)

    published = obj.get("published")
    if published is None or published == "":
        return reject("record has no 'published' date")
    published_at = _parse_iso(published)
    if published_at is None:
        return reject(
            f"unparsable 'published' value {published!r}: expected an ISO date or datetime "
            "such as 2024-09-23 or 2024-09-23T14:05:00+05:30"
        )
    title = obj.get("title")
    title = " ".join(title.split()) if isinstance(title, str) else ""
    if not title:
        return reject("record has no title")
    body = obj.get("body")
    body = unwrap_lines(normalize_whitespace(body)) if isinstance(body, str) else ""
    if not body:
        return reject("record has no body")
    url = _text_field(obj, "url")
    return _release(
        key=url or f"{name}#{record_id or f'line{lineno}'}",
        source=_text_field(obj, "source") or source,
        ref=source_ref,
        url=url,
        published_at=published_at,
        title=title,
        body=body,
        lang=_text_field(obj, "lang"),
    )


def _text_field(obj: dict[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _parse_iso(value: Any) -> datetime | None:
    """ISO date or datetime; an offset is dropped, keeping the local time as the publisher stated it."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


# --------------------------------------------------------------------------------------------- html


def _read_html(path: Path, ref: str, source: str | None) -> Release:
    """A saved page: trafilatura finds headline, date and main text; scripts and navigation stay out."""
    import trafilatura  # deferred: costly to import, and only pages need it

    html = _decode_html(_read_bounded(path))
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
        )
    except Exception as exc:  # a third-party parser: one odd page must not stop the run
        raise _Unreadable(f"could not parse the page: {type(exc).__name__}: {exc}") from None
    page_url = _doc_field(doc, "url")  # the canonical link or og:url
    url = page_url if page_url.startswith(("http://", "https://")) else None
    chosen = _selected_fields(html, source, url)
    title = chosen.title or " ".join(_doc_field(doc, "title").split())
    body = chosen.body or _html_body(_doc_field(doc, "text"), title)
    if len(body) < MIN_HTML_TEXT:
        raise _Unreadable("no article text found in the page (scripts/navigation only?)")
    if not title:
        raise _Unreadable("no headline found in the page")
    published_at = chosen.published_at or _html_date(html, _doc_field(doc, "date"))
    if published_at is None:
        raise _Unreadable("no publication date found in the page")
    lang = _HTML_LANG.search(html, 0, 4096)
    return _release(
        key=url or path.name,
        source=source,
        ref=ref,
        url=url,
        published_at=published_at,
        title=title,
        body=body,
        lang=lang.group(1).lower() if lang else None,
    )


def _selected_fields(html: str, source: str | None, url: str | None) -> ArticleFields:
    """Headline, date and body by the CSS selectors of the page's source, where its crawl section gives them.

    The source is the declared one, else the one of the page's URL (etl/sources.py). A field a selector does
    not find (or that is "auto") is left to trafilatura, as for any other page.
    """
    from etl.sources import load_registry, lookup
    from etl.web.pages import ArticleFields, article_fields  # deferred like trafilatura: only pages need it

    entry = lookup(load_registry(), source, url)
    if entry is None or entry.crawl is None or not entry.crawl.selects:
        return ArticleFields()
    try:
        return article_fields(html, entry.crawl)
    except Exception:  # lxml on an odd page: the page is still read, by trafilatura alone
        return ArticleFields()


def _doc_field(doc: Any, name: str) -> str:
    """A text field of trafilatura's result: a Document since 2.0, a dict before, None if nothing."""
    value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
    return value if isinstance(value, str) else ""


def _decode_html(data: bytes) -> str:
    """UTF-8, or the charset the page declares; anything else is a bad encoding."""
    _check_not_binary(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        declared = _CHARSET.search(data, 0, 4096)
        charset = declared.group(1).decode("ascii") if declared else ""
        if not _known(charset) or codecs.lookup(charset).name == "utf-8":
            raise _Unreadable(
                f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x}) and no other "
                "charset declared in the page: re-save it as UTF-8"
            ) from None
        try:
            text = data.decode(charset)
        except UnicodeDecodeError as exc2:
            raise _Unreadable(
                f"invalid {charset} at byte offset {exc2.start}: re-save the page as UTF-8"
            ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _Unreadable("empty file (only whitespace)")
    return text


def _known(charset: str) -> bool:
    if not charset:
        return False
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


def _html_body(text: str, title: str) -> str:
    """Main text as paragraphs; trafilatura gives one per line and often repeats the headline first."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    if lines and lines[0] == title:
        lines = lines[1:]
    return strip_boilerplate(normalize_whitespace("\n\n".join(line for line in lines if line)))


def _html_date(html: str, found: str | None) -> datetime | None:
    """The page's publication date: metadata first, then a wider search of the text.

    The wider search falls back to month-only and copyright-year guesses, which come out as the 1st
    of a month; such a date is kept only if the page states it, since a wrong date misplaces every
    relative date in the release.
    """
    if not found:
        from htmldate import find_date  # a trafilatura dependency

        try:
            found = find_date(html, extensive_search=True, original_date=True, outputformat=_DATE_FORMAT)
        except Exception:  # as above: a failed guess is no date, not a failed run
            found = None
        if found and found[8:10] == "01" and not _states_first_of_month(html, found):
            return None
    if not found:
        return None
    try:
        return datetime.fromisoformat(found).replace(tzinfo=None)
    except ValueError:
        return None


def _states_first_of_month(html: str, found: str) -> bool:
    year, month = found[:4], int(found[5:7])
    name = _MONTHS[month - 1]
    lowered = html.lower()
    forms = (
        f"{year}-{month:02d}-01",
        f"01.{month:02d}.{year}",
        f"01/{month:02d}/{year}",
        f"1 {name} {year}",
        f"01 {name} {year}",
        f"{name} 1, {year}",
        f"{name} 01, {year}",
    )
    return any(form in lowered for form in forms)
