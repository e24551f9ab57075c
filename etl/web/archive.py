"""The archive of fetched article pages: one file per URL under `<root>/<source>/<yyyy>/<mm>/`, its URL inside.

The archive is an input folder like any other: `python -m etl run --input <root>/<source> --source <source>`
reads it, and `python -m etl reprocess` does so for every source. A page's URL is what the release is keyed
by, so a page that does not name its canonical URL gets a `<link rel="canonical">` with the URL it was fetched
from; nothing else of the page is changed.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import os
import re
import uuid
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from warehouse.db import PROJECT_ROOT

ENV_VAR = "DIPLOMACY_ARCHIVE"
_CANONICAL = re.compile(rb"""<link\b[^>]*\brel\s*=\s*["']?\s*canonical\b""", re.IGNORECASE)
_HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)
_HTML = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_SNIFF = 64 * 1024  # the <head> of any real page starts within this


def default_archive_dir() -> Path:
    """`warehouse/archive` under the project root."""
    return PROJECT_ROOT / "warehouse" / "archive"


def resolve_archive_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The --archive argument, else $DIPLOMACY_ARCHIVE, else the default folder."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else default_archive_dir()


def source_folder(root: Path, source: str) -> Path:
    """Where a source's pages are kept; the registry key must be a plain folder name."""
    if not source or source != Path(source).name or source.startswith("."):
        raise ValueError(f"source name {source!r} cannot be an archive folder name")
    return root / source


def page_name(url: str) -> str:
    """The file name of a URL's page: the SHA-1 of the URL, so the same URL always lands on the same file."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest() + ".html"


def save_page(
    root: Path, source: str, url: str, content: bytes, when: datetime, *, final_url: str | None = None
) -> Path:
    """Write a page fetched from `url` (landing on `final_url` after redirects) into the archive, atomically.

    A URL already archived (in any month) is rewritten in place, so a page fetched again never becomes a
    second file; a new one goes under the year and month it was first fetched. Returns the file's path.
    """
    folder = source_folder(root, source)
    name = page_name(url)
    path = next(iter(sorted(folder.glob(f"*/*/{name}"))), None) or folder / f"{when:%Y}" / f"{when:%m}" / name
    data = with_canonical(content, final_url or url)
    if path.is_file() and path.read_bytes() == data:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{name}.{uuid.uuid4().hex[:8]}.tmp")  # hidden: input walks skip it
    try:
        scratch.write_bytes(data)
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)
    return path


def with_canonical(content: bytes, url: str) -> bytes:
    """The page with `<link rel="canonical" href=URL>` added to its head, unless it names one already.

    The URL is percent-encoded to ASCII, so the bytes are right in any ASCII-compatible charset; a UTF-16
    page is re-encoded as UTF-8 first (the reader tries UTF-8 before any declared charset).
    """
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            content = content.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return content  # the reader rejects it with the reason; nothing to key
    if _CANONICAL.search(content, 0, _SNIFF):
        return content
    href = html.escape(quote(url, safe=":/?#[]@!$&'()*+,;=%~"), quote=True).encode("ascii")
    tag = b'<link rel="canonical" href="' + href + b'">'
    for pattern in (_HEAD, _HTML):
        match = pattern.search(content, 0, _SNIFF)
        if match:
            return content[: match.end()] + tag + content[match.end() :]
    return tag + content


def archived_sources(root: Path) -> list[str]:
    """The sources that have a folder in the archive, sorted."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
