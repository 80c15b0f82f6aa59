"""RSS and Atom feeds: a fetched feed -> its entries, read with feedparser. No Scrapy here.

A feed is a seed like any other: `pages.extract.parse_page` asks `read_feed` first, and a feed
becomes a Listing whose entries (`listing` links, the entry's title as the anchor) the crawl
follows as articles. So a feed URL works as a seed of `police-archive crawl`, of a recurring
crawl and of a backfill, on any site.

What is a feed (`is_feed`): a response whose Content-Type says so (``application/rss+xml``,
``application/atom+xml``, ``application/x-rss+xml``), or one whose Content-Type may hide one
(HTML, XML, RDF, plain text, none) and whose first element is a feed's, as browsers sniff it
(the WHATWG MIME sniffing standard's "feed or HTML" rules): ``<rss>`` (RSS 0.9x and 2.0),
``<feed>`` (Atom), or ``<rdf:RDF>`` naming the RSS 1.0 and RDF namespaces (RSS 1.0), after any
BOM, XML declaration, comments and doctype. Anything else is left to the HTML reader.

How it is read (`read_feed`): feedparser, on the bytes (never a URL: it would fetch it), with the
fetched URL as the base of relative links (and any ``xml:base`` of the feed), without its HTML
sanitizer and relative-URI rewriting of content (only links and titles are kept). An entry's
link is its ``rel="alternate"`` link (RSS ``<link>``, or a ``<guid isPermaLink="true">``);
entries without one are counted, not followed. Titles are plain text (an HTML title loses its
tags). feedparser reads broken XML with a lenient parser and says so (``bozo``):

- a feed it read entries from is kept, and the problem named in `Feed.problem`;
- a response that claimed or looked to be a feed and gave no entry with a link while feedparser
  found it broken (or not a feed at all) raises ``NotAnArticle(not_html, "a broken feed ...")``,
  recorded in the fetch log with feedparser's words (`Reason.NOT_HTML`: "not HTML (a PDF, an
  image, a feed...)"; the archive's vocabulary is unchanged);
- a well-formed feed without entries is a feed of no entries.

The wrong Content-Type on a feed (``text/html``, ``text/xml`` without a charset) and an encoding
declared one way and found another are no problems: feedparser flags them, and copes.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from xml.sax import SAXParseException

from archive.records import NotAnArticle, Reason

__all__ = ["Feed", "FeedEntry", "is_feed", "read_feed"]

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/x-rss+xml")
# Content-Types a feed is often served as, sniffed for one
_SNIFFED_TYPES = (
    "", "text/html", "application/xhtml+xml", "text/xml", "application/xml", "application/rdf+xml",
    "text/plain", "application/octet-stream", "binary/octet-stream", "unknown",
)  # fmt: skip
_HEAD = 2048  # bytes sniffed
# what may come before the first element: whitespace, the XML declaration and other processing
# instructions, comments, a doctype
_PROLOG = re.compile(
    rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.S | re.I
)
_FEED_ROOT = re.compile(rb"<(?:rss|feed)[\s>/]")
_RSS1_NAMESPACES = (b"http://purl.org/rss/1.0/", b"http://www.w3.org/1999/02/22-rdf-syntax-ns#")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str  # absolute
    title: str  # plain text, whitespace-normalised


@dataclass(frozen=True, slots=True)
class Feed:
    format: str  # "RSS 2.0", "Atom 1.0", "RSS 1.0"... (feedparser's names)
    entries: tuple[FeedEntry, ...]
    without_link: int = 0  # entries that name no page
    problem: str = ""  # what feedparser found wrong in a feed it still read

    def describe(self, kept: int | None = None) -> str:
        """For the fetch log: "feed (RSS 2.0): 20 entries", with the entries `kept` when not
        all were (the others are not on the feed's site), and any problem."""
        text = f"feed ({self.format}): {len(self.entries)} entries"
        if kept is not None and kept != len(self.entries):
            text += f", {kept} distinct pages of its site"
        if self.without_link:
            text += f", {self.without_link} without a link"
        if self.problem:
            text += f"; read despite: {self.problem}"
        return text


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_feed(body: bytes, content_type: str | None = None) -> bool:
    """Whether a response is a feed (see the module docstring)."""
    mime = _mime(content_type)
    if mime in FEED_TYPES:
        return True
    if mime not in _SNIFFED_TYPES:
        return False
    head = body[:_HEAD].removeprefix(b"\xef\xbb\xbf")
    prolog = _PROLOG.match(head)
    rest = head[prolog.end() if prolog else 0 :]
    if _FEED_ROOT.match(rest):
        return True
    return rest.startswith(b"<rdf:RDF") and all(ns in head for ns in _RSS1_NAMESPACES)


def _problem(parsed) -> str:
    """What feedparser found wrong, "" for nothing that matters (a non-XML Content-Type, an
    encoding declared one way and found another)."""
    import feedparser

    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if exc is None or isinstance(
        exc, feedparser.NonXMLContentType | feedparser.CharacterEncodingOverride
    ):
        return ""
    if isinstance(exc, SAXParseException):  # "<unknown>:1:80: unclosed token": say where
        return f"{exc.getMessage()} (line {exc.getLineNumber()}, column {exc.getColumnNumber()})"
    return f"{type(exc).__name__}: {exc}"


def _text(detail: dict | None, value: str) -> str:
    """An entry's title as plain text (an HTML title without its tags and entities)."""
    if detail and "html" in (detail.get("type") or ""):
        value = html.unescape(_TAG.sub(" ", value))
    return " ".join(value.split())


def read_feed(url: str, body: bytes, content_type: str | None = None) -> Feed | None:
    """The feed a response is, None when it is no feed; raises NotAnArticle(not_html) for a
    response that is a broken feed (see the module docstring). `url` is the URL fetched: the
    base of relative links."""
    if not is_feed(body, content_type):
        return None
    # here: a crawl that meets no feed never imports it (0.1 s)
    import feedparser
    from feedparser.api import SUPPORTED_VERSIONS

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(
        io.BytesIO(body),  # bytes, never a string: feedparser fetches a string that is a URL
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    problem = _problem(parsed)
    entries, without_link = [], 0
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            without_link += 1
            continue
        entries.append(FeedEntry(link, _text(entry.get("title_detail"), entry.get("title", ""))))
    version = parsed.get("version") or ""
    if not entries and (problem or not version):
        served = _mime(content_type) or "no Content-Type"
        why = problem or "not a feed feedparser knows"
        raise NotAnArticle(Reason.NOT_HTML, f"a broken feed ({served}): feedparser: {why}")
    name = SUPPORTED_VERSIONS.get(version, version) if version else "unknown"
    return Feed(name, tuple(entries), without_link, problem)
