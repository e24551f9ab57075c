"""What web pages hold, found by the CSS selectors of a source's crawl definition; pure functions over text.

A listing page gives article links and the link to the next (older) listing page; a feed gives its entries'
links; an article page gives its headline, date and body. The crawler uses the first two, the HTML reader the
third, so a page read from the archive is read the same way on every run (and again after a selector changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.etree
import lxml.html

from etl.inputs.clean import normalize_whitespace, strip_boilerplate
from etl.sources import AUTO, Crawl

# Tried, in this order, on a date selector's text when the source gives no date_format.
_COMMON_DATE_FORMATS = (
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d %B %Y %H:%M",
    "%d %B %Y, %H:%M",
    "%d %B %Y",
    "%B %d, %Y %H:%M",
    "%B %d, %Y",
    "%d %b %Y",
    "%b %d, %Y",
)
_SAMPLE = datetime(2000, 12, 28, 23, 59, 59)  # to count the words a date format spells


class FeedError(ValueError):
    """A feed that is not readable RSS or Atom."""


@dataclass(frozen=True, slots=True)
class Listing:
    """Article links of one listing page, in page order (newest first), and the next page's URL."""

    links: tuple[str, ...]
    next: str | None


@dataclass(frozen=True, slots=True)
class ArticleFields:
    """What the selectors found on an article page; None where a selector is "auto" or found nothing."""

    title: str | None = None
    published_at: datetime | None = None
    body: str | None = None


# --------------------------------------------------------------------------------------------- listings


def parse_listing(content: bytes, url: str, links: str, next_selector: str | None) -> Listing:
    """Article links (absolute, without fragments, each once) and the next page of a listing page."""
    doc = _document(content, url)
    found: list[str] = []
    for element in doc.cssselect(links):
        href = _href(element)
        if href and href not in found and href != url:
            found.append(href)
    following = None
    if next_selector:
        for element in doc.cssselect(next_selector):
            following = _href(element)
            if following:
                break
    return Listing(tuple(found), following if following != url else None)


def parse_feed(content: bytes, url: str) -> tuple[str, ...]:
    """The entry links of an RSS 0.9x/1.0/2.0 or Atom feed, in feed order."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = lxml.etree.fromstring(content, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise FeedError(f"not a readable RSS/Atom feed: {exc}") from None
    if root is None or lxml.etree.QName(root).localname not in {"rss", "RDF", "feed"}:
        raise FeedError("not an RSS or Atom feed (the root element is neither <rss>, <rdf:RDF> nor <feed>)")
    found: list[str] = []
    for entry in root.xpath("//*[local-name()='item' or local-name()='entry']"):
        link = None
        for candidate in entry.xpath("*[local-name()='link']"):
            href = candidate.get("href")
            if href is not None and candidate.get("rel", "alternate") == "alternate":
                link = href
                break
            if href is None and (candidate.text or "").strip():
                link = candidate.text.strip()
                break
        if link:
            absolute = _absolute(link, url)
            if absolute and absolute not in found:
                found.append(absolute)
    return tuple(found)


# --------------------------------------------------------------------------------------------- articles


def article_fields(html: str, crawl: Crawl) -> ArticleFields:
    """Headline, date and body of an article page by the crawl definition's selectors."""
    if not crawl.selects:
        return ArticleFields()
    doc = _document(html.encode("utf-8"), None)
    for junk in doc.xpath("//script | //style | //noscript | //template"):
        junk.drop_tree()
    title = None
    if crawl.title != AUTO:
        title = next((t for t in (_text(e) for e in doc.cssselect(crawl.title)) if t), None)
    published_at = None
    if crawl.date != AUTO:
        for element in doc.cssselect(crawl.date):
            published_at = parse_date(_date_text(element), crawl.date_format)
            if published_at is not None:
                break
    body = None
    if crawl.body != AUTO:
        paragraphs = [p for element in doc.cssselect(crawl.body) for p in _paragraphs(element)]
        body = strip_boilerplate(normalize_whitespace("\n\n".join(paragraphs))) or None
    return ArticleFields(title=title, published_at=published_at, body=body)


def parse_date(text: str, date_format: str = AUTO) -> datetime | None:
    """The date in `text` (e.g. "Views: 12 | 25.02.2025 17:32"), by the format hint or common formats.

    Words around the date are allowed: every run of as many words as the format spells is tried. A time zone
    is dropped, keeping the local time as the publisher stated it (as the readers do).
    """
    text = " ".join(text.replace("|", " ").split())
    if not text:
        return None
    if date_format == AUTO:
        try:
            return datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            pass
    words = text.split(" ")
    for fmt in (date_format,) if date_format != AUTO else _COMMON_DATE_FORMATS:
        width = len(_SAMPLE.strftime(fmt).split())
        for start in range(len(words) - width + 1):
            candidate = " ".join(words[start : start + width]).strip(",;")
            try:
                return datetime.strptime(candidate, fmt).replace(tzinfo=None)
            except ValueError:
                continue
    return None


# --------------------------------------------------------------------------------------------- helpers


def _document(content: bytes, url: str | None) -> lxml.html.HtmlElement:
    doc = lxml.html.document_fromstring(content or b"<html></html>", base_url=url)
    if url:
        doc.make_links_absolute(url, resolve_base_href=True, handle_failures="discard")
    return doc


def _href(element: lxml.html.HtmlElement) -> str | None:
    """The element's own link, else the first link inside it (a selector may name the headline's box)."""
    href = element.get("href")
    if href is None:
        inner = element.xpath(".//a[@href]")
        href = inner[0].get("href") if inner else None
    return _absolute(href, element.base_url) if href else None


def _absolute(href: str, base: str | None) -> str | None:
    url = urldefrag(urljoin(base or "", href.strip())).url
    return url if urlsplit(url).scheme in {"http", "https"} else None


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _date_text(element: lxml.html.HtmlElement) -> str:
    """A machine-readable date where the element carries one (<time datetime>, <meta content>), else its text."""
    return element.get("datetime") or element.get("content") or element.text_content()


_BLOCKS = ("p", "li", "blockquote", "h2", "h3", "h4")


def _paragraphs(element: lxml.html.HtmlElement) -> list[str]:
    """The element's paragraphs: its block children's texts, or its whole text when it has no blocks."""
    blocks = element.xpath(" | ".join(f".//{tag}" for tag in _BLOCKS))
    inside = set(blocks)
    # A block nested in another (a <p> inside a <blockquote>) is read with its outer block only.
    outer = [b for b in blocks if not any(a in inside for a in b.iterancestors())]
    texts = [_text(b) for b in outer] if outer else [_text(element)]
    return [t for t in texts if t]
