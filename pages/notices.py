"""What is on an article page but not part of the article, found by what a reader sees. No Scrapy.

- **Tool links**: "Print", "Printer friendly version", "E-mail this article (to a friend)",
  "Share", by their text or by a link to a print, e-mail or share page (pages/shapes.py knows
  those pages).
- **Notices**: a short block (under 80 words) about cookies; a subscription prompt ("available
  to subscribers only... Subscribe / Log in"), whose presence also marks a teaser as paywalled.
- **Copyright lines**: a short line with "©" or "All rights reserved".
- **Comment teasers**: a short block labelled as a reader's comment ("Latest comment:", "Top
  comment -", "Most recent comments:"): the comment belongs to the thread, not the article.
- **Link bars**: a short line that is links and little else, such as a breadcrumb ("Home » News
  » Crime"), share buttons ("Share: Twitter Facebook") or a footer's "Terms | Privacy".

pages/generic.py takes them out of the page before extracting its text, as it does the boxes
and links pages/links.py finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pages.dates import parse_date
from pages.pagetext import fold, node_text
from pages.urls import resolve

__all__ = ["Notices", "notices"]

TOOL_TEXT = re.compile(
    r"(?:print|e-?mail|share|send|forward|save|bookmark)(?: (?:this|the))?"
    r"(?: (?:article|page|story|item))?(?: to a friend)?|printer[- ]friendly(?: version| page)?|"
    r"print(?:able)? version|tweet(?: this)?|share on \w+"
)
_COOKIES = re.compile(r"\bcookies?\b", re.I)
_WEBSITE = re.compile(
    r"\b(?:website|site|browsing|browse|consent|accept|agree|experience|privacy)\b", re.I
)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\ball rights reserved\b|^copyright\b", re.I)
_SUBSCRIBE = re.compile(r"\bsubscri(?:be|bers?|ption)\b", re.I)
_ACCESS = re.compile(r"\b(?:log ?in|sign ?in|subscribe|register|members?)\b", re.I)
_COMMENT_TEASER = re.compile(
    r"^(?:the\s+)?(?:latest|last|newest|most\s+recent|recent|top|featured|best|readers?'?s?|your)"
    r"\s+(?:reader\s+)?comments?\s*(?:[:\-\u2013\u2014|]|\(\d+\)\s*:?)",
    re.I,
)
_NOTICE_TAGS = ("p", "div", "table", "td", "section", "aside", "span", "font", "b", "strong",
                "ul", "ol", "nav")  # fmt: skip
_MAX_NOTICE_WORDS = 80
_MAX_BAR_WORDS = 15


@dataclass
class Notices:
    tools: list[Any] = field(default_factory=list)  # tool links
    notices: list[Any] = field(default_factory=list)  # cookie notices, subscription prompts
    paywall: bool = False  # a subscription prompt was found

    @property
    def elements(self) -> list[Any]:
        return [*self.tools, *self.notices]


def notices(root: Any, base: str) -> Notices:
    """The tool links and notices of a parsed page (see the module docstring)."""
    found = Notices()
    for a in root.iter("a"):
        text = fold(node_text(a))
        href = a.get("href") or ""
        url = resolve(base, href) if href and not href.lower().startswith("javascript:") else None
        if (text and len(text) <= 40 and TOOL_TEXT.fullmatch(text)) or (
            url is not None and _tool_path(url)
        ):
            found.tools.append(a)
    taken: set[Any] = set()
    counts = _word_counts(root)
    for el in root.iter(*_NOTICE_TAGS):
        if el in taken or not 0 < counts.get(el, 0) <= _MAX_NOTICE_WORDS:
            continue
        text = " ".join(el.text_content().split())
        words = len(text.split())
        if not text or words > _MAX_NOTICE_WORDS:
            continue
        if _link_bar(el, words):
            found.notices.append(el)
            taken.update(el.iter())
            continue
        subscription = (
            bool(_SUBSCRIBE.search(text))
            and bool(_ACCESS.search(text))
            and (el.find(".//a") is not None or el.find(".//button") is not None)
        )
        cookies = _COOKIES.search(text) and _WEBSITE.search(text) and words >= 8
        teaser = _COMMENT_TEASER.match(text)
        copyright_line = words <= _MAX_BAR_WORDS * 2 and _COPYRIGHT.search(text)
        if subscription or cookies or teaser or copyright_line:
            found.notices.append(el)
            found.paywall = found.paywall or subscription
            taken.update(el.iter())
    return found


def _word_counts(root: Any) -> dict[Any, int]:
    """Every element's number of words (its text and its descendants'), in one pass."""
    counts: dict[Any, int] = {}
    for el in reversed(list(root.iter())):  # children before their parents
        n = len((el.text or "").split()) if isinstance(el.tag, str) else 0
        for child in el:
            n += counts.get(child, 0) + len((child.tail or "").split())
        counts[el] = n
    return counts


def _link_bar(el: Any, words: int) -> bool:
    """Two links or more and at most a few words besides: at most 15 words, two thirds links."""
    if words > _MAX_BAR_WORDS or el.tag in ("td", "table"):
        return False
    anchors = [a for a in el.iter("a") if a.get("href")]
    if len(anchors) < 2:
        return False
    linked = sum(len(a.text_content().split()) for a in anchors)
    # a dateline whose date and author are links ("Posted on <a>date</a> by <a>Name</a>") is not
    return linked * 3 >= words * 2 and parse_date(el.text_content()) is None


_TOOL_PATH = re.compile(
    r"(?:^|/)(?:print|printable|e-?mail\w*|share|sharer|sendtofriend)(?:\.|/|$)"
)


def _tool_path(url: str) -> bool:
    return bool(_TOOL_PATH.search(urlsplit(url).path.lower()))
