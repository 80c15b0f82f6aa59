"""HTML text: fetched bytes -> str -> lxml tree -> text blocks. No Scrapy here.

The page-level plumbing every reader of a page shares (pages/layouts.py, the profile engine;
pages/metadata.py; pages/generic.py):

1. `decode_html`: a response body -> its HTML text, or NotAnArticle(Reason.EMPTY_BODY | "not_html")
   for an empty body, binary data (magic bytes) or a content type that is not HTML (bodies without
   a useful content type are sniffed for markup). Decoded with w3lib's `html_to_unicode`: BOM,
   then the Content-Type charset, then a `<meta>` declaration; undeclared: UTF-8 if it is valid
   UTF-8, else detected (pages/charsets.py: charset-normalizer for other scripts, windows-1252
   for Western text); ISO-8859-1 is read as its superset windows-1252.
2. `parse_html`: the text -> an lxml.html tree (which copes with unclosed and misnested tags),
   or NotAnArticle(Reason.NO_TEXT) for markup lxml cannot read. `clean_markup` and `HTML_PARSER` are
   its pieces, for the fallback's other readers of the same text (readability).
3. `select`, `matches`, `first_text`: XPath queries, compiled once and cached.
4. `TextBlocks`, `norm`, `node_text`: an element tree -> normalised text blocks (paragraphs,
   headings, list items), as an Article's `text` holds them, joined by blank lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

from archive.records import NotAnArticle, Reason
from pages.charsets import undeclared_encoding

__all__ = [
    "BLOCK_TAGS",
    "HTML_PARSER",
    "SKIP_TAGS",
    "TextBlocks",
    "clean_markup",
    "decode_html",
    "fold",
    "first_text",
    "matches",
    "node_text",
    "norm",
    "parse_html",
    "select",
    "word_set",
]

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
# the tags of the WHATWG MIME sniffing standard's HTML signatures ("identifying a resource with
# an unknown MIME type": script, style, iframe, font, b, a comment...) and a few more: a saved
# page may start with a <script> or a <style> block before its <html>
_HTML_SNIFF = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|title|meta|link|script|style|iframe|font|b|p|div"
    rb"|span|table|br|a|h[1-6]|article|main|header|nav|section)[\s>/]|<!--",
    re.I,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The HTML text of a response body; raises NotAnArticle(Reason.EMPTY_BODY | "not_html")."""
    if not body or not body.strip():
        raise NotAnArticle(Reason.EMPTY_BODY)
    mime = _mime(content_type)
    head = body[:1024].lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    if head.startswith(_BINARY_MAGIC):
        raise NotAnArticle(Reason.NOT_HTML, f"binary body ({mime or 'no content type'})")
    if mime not in _HTML_TYPES:
        if mime not in _SNIFF_TYPES:
            raise NotAnArticle(Reason.NOT_HTML, mime)
        if not _HTML_SNIFF.search(head) and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise NotAnArticle(Reason.NOT_HTML, f"no HTML markup ({mime or 'no content type'})")
    _, text = html_to_unicode(content_type, body, auto_detect_fun=_undeclared_encoding)
    return text


def _undeclared_encoding(body: bytes) -> str | None:
    """The encoding of a body that declares none (no BOM, charset or <meta>): pages/charsets.py
    (UTF-8 when valid, else detected; windows-1252 for Western text)."""
    return undeclared_encoding(body)


def clean_markup(text: str) -> str:
    """HTML text lxml parses: no XML declaration (refused in a str), no control characters."""
    return _CONTROL.sub("", _XML_DECLARATION.sub("", text, count=1))


# comments and processing instructions are never text; ids are not looked up. Every element is
# an lxml.html.HtmlElement, chosen in C: lxml.html's own lookup (a FormElement for a <form>, an
# InputElement for an <input>...) is a Python call for every element the readers touch, a tenth
# of the time of reading a page, for classes no reader uses.
HTML_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
HTML_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse_html(text: str) -> lxml.html.HtmlElement:
    """The document tree of an HTML text; NotAnArticle(Reason.NO_TEXT) when lxml cannot read it."""
    try:
        root = lxml.html.document_fromstring(clean_markup(text), parser=HTML_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle(Reason.NO_TEXT, f"unparseable HTML: {exc}") from exc
    if root is None:
        raise NotAnArticle(Reason.NO_TEXT, "unparseable HTML")
    return root


# ---------------------------------------------------------------------------------------------
# Selecting


@lru_cache(maxsize=512)
def _xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression)


def matches(node: Any, expression: str) -> bool:
    """Whether an XPath finds something (a node set that is not empty, or a true value)."""
    if not expression:
        return False
    result = _xpath(expression)(node)
    return len(result) > 0 if isinstance(result, list) else bool(result)


def select(node: Any, expression: str) -> list[Any]:
    """Results of an XPath (elements, attribute values or text nodes); [] for an empty one."""
    if not expression:
        return []
    result = _xpath(expression)(node)
    return result if isinstance(result, list) else [result]


# ---------------------------------------------------------------------------------------------
# Text

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_HAS_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BULLET = re.compile(r"^(?:[\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043]\s*|[-*]\s+)")


def word_set(text: str) -> frozenset[str]:
    """The set of the space-separated words of `text`: word lists written as one string."""
    return frozenset(text.split())


BLOCK_TAGS = word_set(
    "address article aside blockquote caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul"
)
SKIP_TAGS = word_set(
    "script style noscript template iframe object embed svg canvas button select option "
    "textarea input head title map audio video"
)


_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


def fold(text: str) -> str:
    """Text as labels are compared: normalised, lower case, without surrounding punctuation."""
    return _EDGES.sub("", norm(text).casefold())


def norm(text: str | None) -> str:
    """Whitespace-normalised text: runs of whitespace (nbsp too) as one space, zero-widths gone."""
    if not text:
        return ""
    if _HAS_ZERO_WIDTH.search(text):  # rare: translating every text costs more than looking
        text = text.translate(_ZERO_WIDTH)
    return " ".join(text.split())


def node_text(item: Any) -> str:
    """The normalised text of an XPath result: an element's text content or a string result."""
    if isinstance(item, str):
        return norm(item)
    if isinstance(item, etree._Element):
        return norm("".join(TextBlocks.inline_text(item)))
    return ""


def first_text(root: Any, expression: str) -> str:
    """The first non-empty normalised text among an XPath's results; "" when there is none."""
    for item in select(root, expression):
        if text := node_text(item):
            return text
    return ""


class TextBlocks:
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
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                if child.tag == "br":
                    yield " "
                else:
                    yield from TextBlocks.inline_text(child)
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
        if isinstance(tag, str) and tag not in SKIP_TAGS and el not in self.drop:
            if el is self.start:
                self.started = True
            else:
                block = tag in BLOCK_TAGS
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
