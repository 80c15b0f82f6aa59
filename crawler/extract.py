"""Page extraction: fetched HTML -> Article | CommentThread | Listing. No Scrapy here.

`parse_page` is the one entry point; it is a top-level function of picklable arguments, run in the
worker processes of crawler/workers.py. It raises `NotAnArticle(reason, detail)` for pages that
give no record:

- ``not_html``: the content type or the body says it is not HTML (a PDF, an image, a feed...);
- ``empty_body``: nothing (or only whitespace) was fetched;
- ``no_text``: HTML without extractable article text;
- ``too_large``: a page of over 4 million characters that no profile layout reads (trafilatura
  would take seconds on it);
- ``unknown_layout``: a comment thread or listing URL of a profile's site whose page matches none
  of the profile's layouts of that kind, or a page of the site that is of no known kind and does
  not look like an article either (category listings, search results, jobs...).

How a page is read:

1. The body is decoded with w3lib's `html_to_unicode` (BOM, then the Content-Type charset, then a
   `<meta>` declaration, then detection; ISO-8859-1 is read as its superset windows-1252) and parsed
   once with lxml.html, which copes with unclosed and misnested tags.
2. Pages of a site with a profile (crawler/sites.py) are read with the profile's `Layout`s for the
   URL's page kind: the first layout whose `detect` XPath matches reads the page. This module is the
   generic engine; the selectors are data in the profile. The profile path never calls trafilatura:
   it costs a parse and a few XPath queries (well under 5 ms a page).
3. An article of a site without a profile, of a profile layout that matches nothing, or whose
   layout yields no text goes to trafilatura (`extractor == "trafilatura"`); its metadata is cleaned
   (title without a " | Site" suffix, no "By" / e-mail / site-name authors, dates re-read).

Links: an Article carries the links the crawl follows, in page order, deduplicated by target and
only followable ones (crawler/urls.py): In Other News (`in_other_news`), More News (`more_news`) and
its comment thread (`comments`). A CommentThread carries one link, the article it belongs to, with
section `comments` (the link of the article <-> comments relation, seen from the thread's side).
A Listing carries its article links (`listing`) and its pagination (`pagination`); its URL is the
fetched one, canonicalised (a listing's <link rel=canonical> often names its first page). Pages of
sites without a profile carry no links: they are never followed.

URLs: an Article's `url` is its <link rel=canonical> when that names an article of the same site
(on sites without a profile: the same host, not its home page), canonicalised; otherwise the
canonical form of the fetched URL (crawler/urls.py).
"""

from __future__ import annotations

import copy
import html as html_lib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

from archive.article import (
    COMMENTS,
    IN_OTHER_NEWS,
    LISTING,
    MORE_NEWS,
    PAGINATION,
    Article,
    Comment,
    CommentThread,
    Link,
    Listing,
    NotAnArticle,
    Page,
)
from crawler.sites import Layout, SiteProfile, profile_for
from crawler.urls import article_url_for_comments, canonical_url, followable, page_kind, resolve

__all__ = ["parse_page", "parse_date", "decode_html", "clean_title", "clean_author"]

TRAFILATURA = "trafilatura"

# ---------------------------------------------------------------------------------------------
# Dates


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME = (
    r"(?:\s*(?:@|at|,|T|-)?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?"
)
_ISO_DATE = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.I,
)
_YMD_DATE = re.compile(
    r"(?<!\d)(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?!\d)" + _TIME, re.I
)
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?![\d/])" + _TIME, re.I
)
_DAY_MONTH_DATE = re.compile(
    rf"(?<![\d])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RE})\.?,?\s+"
    rf"(?P<y>\d{{4}})(?!\d)" + _TIME,
    re.I,
)
_MONTH_DAY_DATE = re.compile(
    rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)"
    + _TIME,
    re.I,
)

_DATE_PATTERNS = (_ISO_DATE, _YMD_DATE, _DAY_MONTH_DATE, _MONTH_DAY_DATE, _NUMERIC_DATE)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # as strptime's %y: 69-99 -> 1900s, 00-68 -> 2000s
        year += 1900 if year >= 69 else 2000
    return year


def _tzinfo(text: str | None) -> timezone | None:
    if not text:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def _iso(y: int, m: int, d: int, groups: dict[str, str | None]) -> str:
    """ISO 8601 of a date and the optional time groups; raises ValueError for impossible dates."""
    if groups.get("h") is None:
        return date(y, m, d).isoformat()
    hour, minute, second = int(groups["h"] or 0), int(groups["mi"] or 0), int(groups["s"] or 0)
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    stamp = datetime(y, m, d, hour, minute, second, tzinfo=_tzinfo(groups.get("tz")))
    return stamp.isoformat()


def parse_date(text: str | None, day_first: bool = True) -> str | None:
    """The first date in `text` as ISO 8601, or None when it holds no valid date.

    Reads ISO dates (``2020-08-12T17:04:00+01:00``; the offset is kept when given), numeric dates
    (``12/08/20 @ 17:04``, ``12/08/2020``, ``12.08.2020 17:04``: day first unless `day_first` is
    False; two-digit years as strptime's ``%y``) and dates with month names (``28th September
    2022``, ``Sep 28, 2022 5:04 pm``). A date with a time gives ``YYYY-MM-DDTHH:MM:SS``, a date
    alone ``YYYY-MM-DD``.
    """
    if not text:
        return None
    text = " ".join(text.split())
    matches = sorted(
        (match.start(), rank, match)
        for rank, pattern in enumerate(_DATE_PATTERNS)
        for match in pattern.finditer(text)
    )
    for _, _, match in matches:  # the first date in the text that is a valid one
        g = match.groupdict()
        try:
            if "a" in g:
                first, second = int(g["a"]), int(g["b"])
                d, m = (first, second) if day_first else (second, first)
                return _iso(_year(g["y"]), m, d, g)
            month = _MONTHS[g["mon"].lower()] if "mon" in g else int(g["m"])
            return _iso(int(g["y"]), month, int(g["d"]), g)
        except (ValueError, OverflowError):
            continue
    return None


# ---------------------------------------------------------------------------------------------
# Decoding and parsing

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SNIFF_TYPES = ("", "text/plain", "application/octet-stream", "binary/octet-stream", "unknown")
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"\xd0\xcf\x11\xe0",
    b"OggS",
    b"ID3",
    b"\x00\x00\x01\x00",
)
_HTML_SNIFF = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|title|meta|p|div|table|br|a\s|h[1-6]|article)[\s>/]",
    re.I,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The HTML text of a response body; raises NotAnArticle("empty_body" | "not_html")."""
    if not body or not body.strip():
        raise NotAnArticle("empty_body")
    mime = _mime(content_type)
    head = body[:1024].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    if head.startswith(_BINARY_MAGIC):
        raise NotAnArticle("not_html", f"binary body ({mime or 'no content type'})")
    if mime not in _HTML_TYPES:
        if mime not in _SNIFF_TYPES:
            raise NotAnArticle("not_html", mime)
        if not _HTML_SNIFF.search(head) and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise NotAnArticle("not_html", f"no HTML markup ({mime or 'no content type'})")
    _, text = html_to_unicode(content_type, body)
    return text


def _parse_html(text: str) -> lxml.html.HtmlElement:
    text = _CONTROL.sub("", _XML_DECLARATION.sub("", text, count=1))
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle("no_text", f"unparseable HTML: {exc}") from exc
    if root is None:
        raise NotAnArticle("no_text", "unparseable HTML")
    return root


_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


@lru_cache(maxsize=512)
def _xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression)


def _matches(node: Any, expression: str) -> bool:
    """Whether an XPath finds something (a node set that is not empty, or a true value)."""
    if not expression:
        return False
    result = _xpath(expression)(node)
    return len(result) > 0 if isinstance(result, list) else bool(result)


def _select(node: Any, expression: str) -> list[Any]:
    """Results of an XPath (elements, attribute values or text nodes); [] for an empty one."""
    if not expression:
        return []
    result = _xpath(expression)(node)
    return result if isinstance(result, list) else [result]


# ---------------------------------------------------------------------------------------------
# Text

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_BULLET = re.compile(r"^(?:[\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043]\s*|[-*]\s+)")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BLOCK_TAGS = _words(
    "address article aside blockquote caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul"
)
_SKIP_TAGS = _words(
    "script style noscript template iframe object embed svg canvas button select option "
    "textarea input head title map audio video"
)


def norm(text: str | None) -> str:
    """Whitespace-normalised text: runs of whitespace (nbsp too) as one space, zero-widths gone."""
    if not text:
        return ""
    return " ".join(text.translate(_ZERO_WIDTH).split())


def _node_text(item: Any) -> str:
    """The normalised text of an XPath result: an element's text content or a string result."""
    if isinstance(item, str):
        return norm(item)
    if isinstance(item, etree._Element):
        return norm("".join(_Blocks.inline_text(item)))
    return ""


class _Blocks:
    """Collects the text blocks of an element tree.

    Block-level elements and <br><br> end a block; one <br> ends a line inside a block. Lines that
    start with a bullet character are list items, each a block of its own (bullet dropped).
    """

    def __init__(self, drop: set[Any] | None = None, start: Any = None, end: Any = None):
        self.blocks: list[str] = []
        self.lines: list[list[str]] = [[]]
        self.brs = 0
        self.drop = drop or set()
        self.start, self.end = start, end
        self.started = start is None
        self.stopped = False

    @staticmethod
    def inline_text(el: Any) -> Iterable[str]:
        """The text of `el` and its descendants, without skipped elements; not el's tail."""
        if el.text:
            yield el.text
        for child in el:
            if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
                if child.tag == "br":
                    yield " "
                else:
                    yield from _Blocks.inline_text(child)
            if child.tail:
                yield child.tail

    def text(self, text: str | None) -> None:
        if not text or not self.started:
            return
        if not text.isspace():
            if self.brs >= 2:
                self.flush()
            elif self.brs == 1:
                self.lines.append([])
            self.brs = 0
        self.lines[-1].append(text)

    def flush(self) -> None:
        self.brs = 0
        lines = [norm("".join(parts)) for parts in self.lines]
        self.lines = [[]]
        prose: list[str] = []
        for line in lines:
            if not line:
                continue
            bullet = _BULLET.match(line)
            if bullet and line[bullet.end() :].strip():
                if prose:
                    self.blocks.append("\n".join(prose))
                    prose = []
                self.blocks.append(line[bullet.end() :].strip())
            else:
                prose.append(line)
        if prose:
            self.blocks.append("\n".join(prose))

    def walk(self, el: Any, tail: bool = True) -> None:
        if self.stopped:
            return
        if el is self.end:
            self.stopped = True
            return
        tag = el.tag
        if isinstance(tag, str) and tag not in _SKIP_TAGS and el not in self.drop:
            if el is self.start:
                self.started = True
            else:
                block = tag in _BLOCK_TAGS
                if block and self.started:
                    self.flush()
                if tag == "br":
                    if self.started:
                        self.brs += 1
                else:
                    self.text(el.text)
                    for child in el:
                        self.walk(child)
                        if self.stopped:
                            return
                if block and self.started:
                    self.flush()
        if tail:
            self.text(el.tail)

    def feed(self, items: Iterable[Any]) -> None:
        """Walk XPath results: elements (without their tails) and text nodes."""
        for item in items:
            if isinstance(item, str):
                self.text(str(item))
            elif isinstance(item, etree._Element):
                if item.tag == "br":
                    self.walk(item)
                else:
                    self.walk(item, tail=False)

    def result(self) -> list[str]:
        self.flush()
        return self.blocks


# ---------------------------------------------------------------------------------------------
# Metadata common to all pages (meta tags, JSON-LD, canonical link)

_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "report")
_DATE_METAS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "pubdate",
    "publish-date",
    "publishdate",
    "parsely-pub-date",
    "sailthru.date",
)
_AUTHOR_METAS = (
    "author",
    "article:author",
    "dc.creator",
    "byl",
    "parsely-author",
    "sailthru.author",
)


class _Meta:
    """Lazily read page-level metadata: <meta> tags, JSON-LD, <title>, <link rel=canonical>."""

    def __init__(self, root: Any):
        self.root = root
        self._metas: dict[str, str] | None = None
        self._jsonld: dict[str, Any] | None = None

    @property
    def metas(self) -> dict[str, str]:
        if self._metas is None:
            self._metas = {}
            for el in self.root.iter("meta"):
                key = el.get("property") or el.get("name") or el.get("itemprop")
                content = el.get("content")
                if key and content and content.strip():
                    self._metas.setdefault(key.strip().lower(), content.strip())
        return self._metas

    def meta(self, *keys: str) -> str:
        for key in keys:
            if value := self.metas.get(key):
                return norm(value)
        return ""

    @property
    def jsonld(self) -> dict[str, Any]:
        """The page's (first) article object of its JSON-LD, or its first object; {} for none."""
        if self._jsonld is None:
            objects: list[dict[str, Any]] = []
            for script in self.root.iter("script"):
                if (script.get("type") or "").strip().lower() != "application/ld+json":
                    continue
                try:
                    data = json.loads(script.text or "", strict=False)
                except ValueError:
                    continue
                stack = [data]
                while stack:
                    item = stack.pop(0)
                    if isinstance(item, list):
                        stack.extend(item)
                    elif isinstance(item, dict):
                        if "@graph" in item:
                            stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [])
                        objects.append(item)
            article = next((o for o in objects if _is_article(o)), None)
            self._jsonld = article or (objects[0] if objects else {})
        return self._jsonld

    def ld(self, key: str) -> str:
        """A JSON-LD field as text (a name for objects, the first item for lists)."""
        return _ld_text(self.jsonld.get(key))

    @property
    def title_tag(self) -> str:
        title = self.root.find(".//title")
        return norm(title.text_content()) if title is not None else ""

    def site_names(self) -> list[str]:
        publisher = self.jsonld.get("publisher")
        return [
            name
            for name in (
                self.meta("og:site_name", "application-name", "twitter:site"),
                _ld_text(publisher) if publisher else "",
            )
            if name
        ]

    def published(self, day_first: bool) -> str | None:
        for value in (self.meta(*_DATE_METAS), self.ld("datePublished"), self.ld("dateCreated")):
            if value and (parsed := parse_date(value, day_first)):
                return parsed
        for value in _select(self.root, "//time/@datetime"):
            if parsed := parse_date(str(value), day_first):
                return parsed
        return None

    def paywalled(self) -> bool:
        free = self.jsonld.get("isAccessibleForFree")
        if free is None:
            part = self.jsonld.get("hasPart")
            if isinstance(part, dict):
                free = part.get("isAccessibleForFree")
        return str(free).strip().lower() == "false" if free is not None else False

    def canonical(self) -> str:
        for el in self.root.iter("link"):
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and (href := (el.get("href") or "").strip()):
                return href
        return ""

    def base(self, url: str) -> str:
        """The URL relative links resolve against: the first <base href>, else the page's."""
        el = next(self.root.iter("base"), None)
        href = el.get("href") if el is not None else None
        return (resolve(url, href) if href else None) or url


def _is_article(obj: dict[str, Any]) -> bool:
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types)


def _ld_text(value: Any) -> str:
    if isinstance(value, list):
        return next((t for t in map(_ld_text, value) if t), "")
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("@value") or "")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return norm(html_lib.unescape(str(value)))
    return ""


# ---------------------------------------------------------------------------------------------
# Cleaning titles and authors

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|\u2013|\u2014|::|\u00bb|\u2022|\u00b7)\s+")
_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:written|posted|words|report(?:ed)?|story)\s+)?by\b[:\s]*", re.I
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URLISH = re.compile(r"^(?:https?://|www\.)", re.I)


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _is_site_name(text: str, site_names: Iterable[str]) -> bool:
    key = _squash(text)
    if not key:
        return False
    for name in site_names:
        name_key = _squash(name)
        # "policeoracle", "Police Oracle", "policeoracle.com", "www.policeoracle.localhost"
        if name_key and (key == name_key or key == _squash(_host_label(name))):
            return True
    return False


def _host_label(name: str) -> str:
    """The main label of a host name ("www.policeoracle.com" -> "policeoracle"); else `name`."""
    labels = [label for label in name.lower().split(".") if label]
    if len(labels) < 2 or " " in name:
        return name
    labels = [label for label in labels if label not in ("www", "touch", "m", "mobile")]
    return labels[0] if len(labels) >= 2 else name


def clean_title(title: str, site_names: Iterable[str] = ()) -> str:
    """The headline: without a leading or trailing " | Site" / " - Site" part naming the site;
    "" when the title is nothing but the site name."""
    title = norm(title)
    names = [n for n in site_names if n]
    if not title or _is_site_name(title, names):
        return ""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        seps = _TITLE_SEPARATORS.findall(title)
        if _is_site_name(parts[-1], names):
            return norm(title[: title.rfind(seps[-1])])
        if _is_site_name(parts[0], names):
            return norm(title[title.find(seps[0]) + len(seps[0]) :])
    return title


def clean_author(author: str, site_names: Iterable[str] = ()) -> str:
    """A byline's name: without "By"; "" for no name, an e-mail address, a URL or the site."""
    author = norm(author)
    author = _AUTHOR_PREFIX.sub("", author).strip(" ,;:|-")
    author = _EMAIL.sub("", author).strip(" ,;:|-()")
    if (
        not author
        or len(author) > 100
        or _URLISH.match(author)
        or not re.search(r"[^\W\d_]", author)
        or _is_site_name(author, site_names)
    ):
        return ""
    return author


# ---------------------------------------------------------------------------------------------
# Links


def _canonical(url: str) -> str | None:
    try:
        return canonical_url(url)
    except ValueError:
        return None


def _links(
    root: Any, base: str, self_url: str, specs: Sequence[tuple[str, str]]
) -> tuple[Link, ...]:
    """Followable links of the (xpath, section) specs, in page order, deduplicated by target."""
    found: list[tuple[Any, str]] = []
    for expression, section in specs:
        for el in _select(root, expression):
            if isinstance(el, etree._Element) and el.get("href"):
                found.append((el, section))
    if not found:
        return ()
    if len({section for _, section in found}) > 1:
        order = {el: i for i, el in enumerate(root.iter("a", "link", "area"))}
        found.sort(key=lambda pair: order.get(pair[0], len(order)))
    links: list[Link] = []
    seen = {self_url}
    for el, section in found:
        absolute = resolve(base, el.get("href", ""))
        target = _canonical(absolute) if absolute else None
        if target and target not in seen and followable(target):
            seen.add(target)
            anchor = _node_text(el) if el.tag == "a" else ""
            links.append(Link(target, section, anchor))
    return tuple(links)


# ---------------------------------------------------------------------------------------------
# The page parser


@dataclass
class _Page:
    """One fetched page, parsed."""

    url: str  # as fetched
    root: Any
    meta: _Meta
    profile: SiteProfile | None
    kind: str | None

    @property
    def base(self) -> str:
        return self.meta.base(self.url)

    @property
    def site_names(self) -> list[str]:
        names = self.meta.site_names()
        if self.profile:
            names.append(self.profile.name)
        names.append(urlsplit(self.url).hostname or "")
        return names

    @property
    def day_first(self) -> bool:
        return self.profile.day_first if self.profile else True

    def canonical(self, kind: str | None) -> str:
        """The canonical URL: the page's <link rel=canonical> when it names a page of the same
        site and kind (on a site without a profile: the same host, and not just its home page),
        else the canonical form of the fetched URL."""
        fetched = _canonical(self.url) or self.url
        href = self.meta.canonical()
        absolute = resolve(self.base, href) if href else None
        declared = _canonical(absolute) if absolute else None
        if not declared:
            return fetched
        if self.profile is not None:
            return declared if kind and page_kind(declared) == kind else fetched
        here, there = urlsplit(fetched), urlsplit(declared)
        same_host = _bare_host(here.hostname) == _bare_host(there.hostname)
        home = there.path in ("", "/") and not there.query
        return declared if same_host and (not home or here.path in ("", "/")) else fetched

    def layouts(self, kind: str) -> Iterable[Layout]:
        if self.profile is None:
            return
        for layout in self.profile.layouts:
            if layout.kind == kind and _matches(self.root, layout.detect):
                yield layout


def _bare_host(host: str | None) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def parse_page(url: str, body: bytes, *, content_type: str | None = None) -> Page:
    """The Article, CommentThread or Listing of a fetched page; raises NotAnArticle.

    `url` is the URL fetched (after redirects), `content_type` the Content-Type header, if any.
    """
    text = decode_html(body, content_type)
    root = _parse_html(text)
    profile = profile_for(url)
    kind = page_kind(url) if profile is not None else None
    page = _Page(url, root, _Meta(root), profile, kind)

    if kind == "comments":
        return _comment_thread(page)
    if kind == "listing":
        return _listing(page)
    for layout in page.layouts("article"):
        article = _profile_article(page, layout)
        if article is not None:
            return article
    if profile is not None and kind is None:
        raise NotAnArticle("unknown_layout", f"not an article page of {profile.name}: {url}")
    return _trafilatura_article(page, text)


# --- articles, with a profile layout


def _first_text(root: Any, expression: str) -> str:
    for item in _select(root, expression):
        if text := _node_text(item):
            return text
    return ""


def _profile_article(page: _Page, layout: Layout) -> Article | None:
    """The article as the layout reads it; None when the layout finds no text."""
    root, names = page.root, page.site_names
    profile = page.profile
    assert profile is not None

    # the body first: a page the layout does not read should cost few queries
    blocks = _body_blocks(root, layout)
    paywalled = _matches(root, layout.paywall)
    if not blocks and not paywalled:
        return None
    standfirst = _first_text(root, layout.standfirst)
    if blocks and standfirst and blocks[0] == standfirst:
        blocks = blocks[1:]
    if not blocks and not standfirst:
        return None  # a teaser with nothing visible

    title = clean_title(_first_text(root, layout.title), names)
    author = clean_author(_first_text(root, layout.author), names)
    published = None
    for item in _select(root, layout.published):
        if published := parse_date(_node_text(item), profile.day_first):
            break
    if layout.dateline and layout.dateline_pattern is not None:
        match = layout.dateline_pattern.search(_first_text(root, layout.dateline))
        if match:
            groups = match.groupdict()
            published = published or parse_date(groups.get("date"), profile.day_first)
            author = author or clean_author(groups.get("author") or "", names)
    meta = page.meta
    title = title or _meta_title(page)
    published = published or meta.published(profile.day_first)
    category = _first_text(root, layout.category) or meta.meta("article:section")

    url = page.canonical("article")
    links = _links(
        root,
        page.base,
        url,
        [
            (layout.in_other_news, IN_OTHER_NEWS),
            (layout.more_news, MORE_NEWS),
            (layout.comments_link, COMMENTS),
        ],
    )
    return Article(
        url=url,
        title=title,
        author=author,
        published=published,
        text="\n\n".join([standfirst, *blocks] if standfirst else blocks),
        standfirst=standfirst,
        category=category,
        site=profile.name,
        paywalled=paywalled,
        comment_count=_count(_first_text(root, layout.comment_count)),
        extractor=f"profile:{profile.name}/{layout.name}",
        fetched_url=page.url,
        links=links,
    )


def _body_blocks(root: Any, layout: Layout) -> list[str]:
    bodies = [el for el in _select(root, layout.body) if isinstance(el, etree._Element)]
    if not bodies:
        return []
    start = end = None
    if layout.body_start:
        start = next(iter(_select(root, layout.body_start)), None)
        if start is None:
            return []  # the layout's landmark is missing: not this layout after all
    if layout.body_end:
        end = next(iter(_select(root, layout.body_end)), None)
    blocks: list[str] = []
    for body in bodies:
        drop = {el for expression in layout.body_drop for el in _select(body, expression)}
        collector = _Blocks(drop, start, end)
        try:
            collector.walk(body, tail=False)
        except RecursionError:
            return []
        blocks.extend(collector.result())
    return blocks


def _count(text: str) -> int | None:
    match = re.search(r"\d[\d,]*", text)
    return int(match.group().replace(",", "")) if match else None


def _meta_title(page: _Page) -> str:
    meta, names = page.meta, page.site_names
    for candidate in (meta.meta("og:title", "twitter:title"), meta.ld("headline"), meta.title_tag):
        if title := clean_title(candidate, names):
            return title
    return ""


# --- articles, with trafilatura


# trafilatura takes about 1.5 s a megabyte on table-heavy pages (its fallback extractors and the
# extensive date search grow with the page): over `_FALLBACK_FAST_ABOVE` characters both are
# skipped (about 0.6 s a megabyte), over `_FALLBACK_MAX` the page is refused as "too_large".
_FALLBACK_FAST_ABOVE = 1_000_000
_FALLBACK_MAX = 4_000_000


def _trafilatura_article(page: _Page, html_text: str) -> Article:
    import trafilatura  # imported here: the profile path never needs it

    if len(html_text) > _FALLBACK_MAX:
        raise NotAnArticle("too_large", f"{len(html_text)} characters of HTML without a layout")
    large = len(html_text) > _FALLBACK_FAST_ABOVE
    document = trafilatura.bare_extraction(
        html_text,
        url=page.url,
        fast=large,
        with_metadata=True,
        date_extraction_params={"original_date": True, "extensive_search": not large},
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        # no `deduplicate`: its cache is process-wide and drops a page seen three times (a
        # re-crawl, a touch. and a www. copy) as a duplicate of itself
        deduplicate=False,
    )
    blocks = _trafilatura_blocks(document.body) if document is not None else []
    if not blocks:
        raise NotAnArticle("no_text", "trafilatura found no article text")

    meta, names = page.meta, page.site_names
    if document.sitename:
        names.append(document.sitename)
    title = ""
    for candidate in (
        document.title or "",
        meta.meta("og:title"),
        meta.ld("headline"),
        _first_text(page.root, "//h1"),
        meta.title_tag,
    ):
        if title := clean_title(candidate, names):
            break
    author = ""
    for candidate in (document.author or "", meta.meta(*_AUTHOR_METAS), meta.ld("author")):
        # trafilatura joins several authors with "; "
        authors = [clean_author(part, names) for part in candidate.split(";")]
        if author := "; ".join(a for a in authors if a):
            break
    blocks, byline = _strip_heading(blocks, title, names)
    author = author or byline
    published = meta.published(page.day_first) or parse_date(document.date, page.day_first)
    description = norm(document.description or "")
    standfirst = description if description and blocks[0] == description else ""
    categories = [norm(c) for c in (document.categories or []) if norm(c)]
    category = (
        meta.meta("article:section") or meta.ld("articleSection") or next(iter(categories), "")
    )
    url = page.canonical("article")
    return Article(
        url=url,
        title=title,
        author=author,
        published=published,
        text="\n\n".join(blocks),
        standfirst=standfirst,
        category=category,
        site=page.profile.name if page.profile else (urlsplit(url).hostname or ""),
        paywalled=meta.paywalled(),
        comment_count=None,
        extractor=TRAFILATURA,
        fetched_url=page.url,
        links=(),
    )


def _strip_heading(blocks: list[str], title: str, names: list[str]) -> tuple[list[str], str]:
    """Blocks without the headline and byline trafilatura keeps at the top; and the byline's name.

    Only the first blocks are looked at, and only a repeat of the title or a short "By Name" line
    is removed, so that the body is never cut."""
    byline = ""
    head = 0
    while head < min(len(blocks) - 1, 3):
        block = blocks[head]
        if title and norm(block).casefold() == title.casefold():
            head += 1
        elif (
            not byline
            and _AUTHOR_PREFIX.match(block)
            and _looks_like_name(name := clean_author(block, names))
        ):
            byline = name
            head += 1
        else:
            break
    return blocks[head:], byline


_NAME_PARTICLES = _words("and & de da del della der di du la le van von of")


def _looks_like_name(text: str) -> bool:
    """A person's name (or two): 1-8 capitalised words, not a sentence."""
    words = text.replace(",", " ").split()
    return (
        0 < len(words) <= 8
        and not text.endswith((".", "!", "?", ":"))
        and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)
    )


def _trafilatura_blocks(body: Any) -> list[str]:
    """Text blocks of trafilatura's output tree: paragraphs, headings, quotes, list items."""
    if body is None:
        return []
    blocks: list[str] = []
    for el in body:
        if el.tag == "list":
            items = el.iter("item")
            blocks.extend(t for item in items if (t := norm(" ".join(item.itertext()))))
        elif text := norm(" ".join(el.itertext())):
            blocks.append(text)
    return blocks


# --- comment threads


def _comment_thread(page: _Page) -> CommentThread:
    url = page.canonical("comments")
    for layout in page.layouts("comments"):
        comments = _comments(page, layout)
        back = _links(page.root, page.base, url, [(layout.article_link, COMMENTS)])
        article = next((link for link in back if page_kind(link.to_url) == "article"), None)
        article_url = article.to_url if article else article_url_for_comments(url)
        if article_url is None:
            raise NotAnArticle("unknown_layout", f"no article for the comments page {page.url}")
        link = article or Link(article_url, COMMENTS, "")
        return CommentThread(
            article_url=article_url, comments=comments, fetched_url=page.url, links=(link,)
        )
    raise NotAnArticle("unknown_layout", f"no comments layout matches {page.url}")


def _comments(page: _Page, layout: Layout) -> tuple[Comment, ...]:
    if layout.comment:
        found = _select(page.root, layout.comment)
        elements = [el for el in found if isinstance(el, etree._Element)]
    elif layout.comment_split:
        elements = [
            chunk
            for container in _select(page.root, layout.comment_split)
            if isinstance(container, etree._Element)
            for chunk in _split_on_hr(container)
        ]
    else:
        elements = []
    day_first = page.day_first
    comments = []
    for el in elements:
        author = _first_text(el, layout.comment_author)
        posted = None
        for item in _select(el, layout.comment_posted):
            if posted := parse_date(_node_text(item), day_first):
                break
        collector = _Blocks()
        collector.feed(_select(el, layout.comment_text))
        text = "\n\n".join(collector.result())
        if text or author:
            comments.append(Comment(author=author, posted=posted, text=text))
    return tuple(comments)


def _split_on_hr(container: Any) -> list[Any]:
    """The content of `container` cut at its <hr> children, each piece in a new <div>."""
    chunks = [lxml.html.Element("div")]
    chunks[0].text = container.text
    for child in container:
        if child.tag == "hr":
            chunks.append(lxml.html.Element("div"))
            chunks[-1].text = child.tail
        else:
            chunks[-1].append(copy.deepcopy(child))  # deepcopy keeps the tail
    return [c for c in chunks if norm("".join(c.itertext()))]


# --- listings


def _listing(page: _Page) -> Listing:
    # not the <link rel=canonical>: sites often give every page of a listing its first page's
    url = _canonical(page.url) or page.url
    for layout in page.layouts("listing"):
        specs = [(layout.listing, LISTING), (layout.pagination, PAGINATION)]
        return Listing(url=url, links=_links(page.root, page.base, url, specs))
    # no layout: every link to an article is a listing entry, every link to a listing pagination
    links = []
    for link in _links(page.root, page.base, url, [("//a[@href]", LISTING)]):
        kind = page_kind(link.to_url)
        if kind in ("article", "listing"):
            section = LISTING if kind == "article" else PAGINATION
            links.append(Link(link.to_url, section, link.anchor))
    return Listing(url=url, links=tuple(links))
