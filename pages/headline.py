"""The headline and the dateline a reader sees, on pages that do not declare them. No Scrapy.

Old pages often have no metadata at all: `<title>` is the site's name, there is no `<h1>`, the
date and author are a line of text ("Date - 12/08/2010 @ 17:04 | Author: Jo Bloggs"). A reader
still finds them at once: the prominent line at the top of the main column is the headline, the
short line with a date under it is the dateline. So does this module, for pages/generic.py:

- `visible_headline`: the page's one `<h1>` outside its navigation, header and footer (not a logo
  linking home); else the element whose text is the text of the link that led here (a related
  box names the article by its headline); else the most prominent short text just above the
  dateline (a heading element, bold or large type), two to thirty words.
- `dateline`: the first short text near the top of the main content that holds a date (with its
  time when shown), and the author it names ("By Jo Bloggs", "Author: Jo Bloggs", "Written by",
  "Posted by"...), read day first unless the page is US English; among `main_elements` (the
  page's blocks outside its chrome) or those it is given (pages/kinds.py: the blocks over a
  listing's entries, where an article would show its dateline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pages.boxes import is_related_label
from pages.bylines import clean_authors, looks_like_name
from pages.dates import parse_date, plausible
from pages.kinds import chrome_of
from pages.metadata import ParsedPage
from pages.pagetext import node_text, norm

__all__ = ["Dateline", "dateline", "main_elements", "visible_headline"]

_TAGS = ("h1", "p", "div", "span", "td", "li", "time", "small", "em", "i", "b", "strong", "font",
           "h2", "h3", "h4", "h5", "h6", "address", "dd", "dt", "section", "header")  # fmt: skip
_PROMINENT_TAGS = frozenset({"h1", "h2", "h3", "b", "strong", "big"})
_LARGE = re.compile(
    r"font-size\s*:\s*(?:(\d+(?:\.\d+)?)(px|pt|em|rem)|(?:x+-)?large|larger)|"
    r"font-weight\s*:\s*(?:bold|[6-9]00)",
    re.I,
)
_BYLINE = re.compile(
    r"(?:^|[\s|,;(])(?:written\s+by|posted\s+by|reported\s+by|by|author\s*:|reporter\s*:|"
    r"words\s*:)\s*(?P<name>[^\W\d_][\w'’.\-]*(?:\s+[^\W\d_][\w'’.\-]*){0,4})",
    re.I,
)
_LINE_BLOCKS = ("p", "div", "td", "li", "dd", "span", "header", "address", "small")
_INLINE = frozenset({"br", "a", "span", "b", "strong", "em", "i", "font", "time", "small", "abbr"})
_MAX_DATELINE_WORDS = 30
# where a name in a dateline ends: a separator, or a word that starts the next field
_NAME_END = re.compile(
    r"\s*[|,;(\u2013\u2014]\s*|\s+-\s+|\s+(?:on|at|in)(?:\s+|$)|\s+(?=(?:posted|published|"
    r"updated|date|filed|last|modified|photo|image|picture|source|tags?)\b)",
    re.I,
)
_LOOK_AHEAD = 40  # elements after the headline searched for the dateline


@dataclass(frozen=True, slots=True)
class Dateline:
    published: str | None
    author: str
    element: Any = None


def main_elements(root: Any) -> list[Any]:
    """The block elements of the page outside its navigation, header, footer and forms."""
    body = root.find("body")
    chrome = chrome_of(root)
    return [el for el in (body if body is not None else root).iter(_TAGS) if el not in chrome]


def _own_text(el: Any) -> str:
    """The element's text without that of its block-level children; a <br> is " | "."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "br":
            parts.append(" | ")
        elif isinstance(child.tag, str) and child.tag in _INLINE:
            parts.append(" " + node_text(child) + " ")
        parts.append(child.tail or "")
    return norm("".join(parts))


def dateline(page: ParsedPage, start: Any = None, elements: list[Any] | None = None) -> Dateline:
    """The page's dateline (see the module docstring); after `start` (the headline) if given."""
    day_first = page.day_first
    seen_start = start is None
    looked = 0
    for el in elements if elements is not None else main_elements(page.root):
        if not seen_start:
            seen_start = el is start
            continue
        looked += 1
        if looked > _LOOK_AHEAD:
            break
        text = _own_text(el)
        if not text or len(text.split()) > _MAX_DATELINE_WORDS:
            continue
        stamp = el.get("datetime") if el.tag == "time" else None
        published = parse_date(stamp, day_first) if stamp else None
        published = published or parse_date(text, day_first)
        if published and plausible(published):
            names = page.site_names
            author = byline_author(text, names) or _block_author(el, names)
            return Dateline(published, author, el)
    return Dateline(None, "")


def byline_author(text: str, site_names: list[str]) -> str:
    """The author a dateline names ("By Jo Bloggs", "Author: Jo Bloggs"); "" for none."""
    for match in _BYLINE.finditer(text):
        if text[match.end() : match.end() + 1] in ("@", "."):  # an e-mail address, not a name
            continue
        name = _NAME_END.split(match.group("name"))[0]
        author = clean_authors(name, site_names)
        if author and looks_like_name(author):
            return author
    return ""


def _block_author(el: Any, site_names: list[str]) -> str:
    """A byline in the short block that holds the dateline's element (a `<time>` in a line
    "Posted on <time> by Name"), or in a short element right before or after it."""
    for block in el.iterancestors(_LINE_BLOCKS):
        text = _own_text(block) if block.tag != "header" else node_text(block)
        if len(text.split()) > _MAX_DATELINE_WORDS:
            break
        if author := byline_author(text, site_names):
            return author
    for near in (_sibling(el.itersiblings(preceding=True)), _sibling(el.itersiblings())):
        if near is not None:
            text = node_text(near)
            if text and len(text.split()) <= 8 and (author := byline_author(text, site_names)):
                return author
    return ""


def _sibling(siblings: Any) -> Any:
    """The first of an element's siblings that is not a <br> or a comment (None for none)."""
    return next((s for s in siblings if isinstance(s.tag, str) and s.tag != "br"), None)


def _prominent(el: Any) -> bool:
    if el.tag in _PROMINENT_TAGS:
        return True
    if el.tag == "font":
        size = (el.get("size") or "").strip()
        return size.lstrip("+").isdigit() and (size.startswith("+") or int(size) >= 4)
    match = _LARGE.search(el.get("style") or "")
    if match and match.group(1):
        size, unit = float(match.group(1)), match.group(2).lower()
        return size >= {"pt": 14, "px": 16}.get(unit, 1.2)
    return bool(match)


def _headline_text(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 30 and not is_related_label(text) and not text.endswith(":")


def visible_headline(page: ParsedPage, anchor: str = "") -> tuple[str, Any]:
    """(the headline a reader sees, its element); ("", None) when nothing stands out."""
    elements = main_elements(page.root)
    h1s = [
        el
        for el in elements
        if el.tag == "h1" and _headline_text(node_text(el)) and el.find(".//a[@href='/']") is None
    ]
    if len(h1s) == 1:
        return node_text(h1s[0]), h1s[0]
    key = norm(anchor).casefold()
    if key:
        for el in elements:
            if norm(node_text(el)).casefold() == key and _headline_text(node_text(el)):
                return node_text(el), el
    found = dateline(page, None, elements)
    if found.element is None:
        return "", None
    previous: Any = None
    for el in elements:
        if el is found.element:
            break
        text = node_text(el)
        if _prominent(el) and _headline_text(text) and el.find(".//a") is None:
            previous = el
    return (node_text(previous), previous) if previous is not None else ("", None)
