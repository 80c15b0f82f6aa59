"""The article region: where on a page without a profile the article is, as a reader sees it.

pages/generic.py reads an article with trafilatura; what this module adds is what a reader
knows at a glance and trafilatura may not:

- `prune`: the boxes, links and notices found (pages/links.py, pages/notices.py) go, and with
  them anything they leave without a word;
- `article_region`: the smallest element holding the visible headline (pages/headline.py) and
  nearly all the page's running text (`_REGION_SHARE`): the article without the banners,
  notices and sidebars around it; `region_document` makes it a page of its own, from the
  headline on, without the headline and dateline (read apart);
- on pages that do not mark their article up (`marked_up`: no article metadata, no <article>
  or <main>) trafilatura reads that region alone, and the region's own text replaces
  trafilatura's where trafilatura left a passage out (`fills_in`); on the others trafilatura
  reads the whole page, and only a lead (a standfirst) it left out is added (`lead`).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from typing import Any

import lxml.html

from pages.kinds import text_mass
from pages.metadata import ParsedPage
from pages.pagetext import norm

__all__ = ["article_region", "fills_in", "lead", "marked_up", "prune", "region_document"]

_WORD = re.compile(r"[^\W\d_]")  # a letter: what is left without one is punctuation, counts
# The share of a page's running text the article region must hold, or the whole page is read.
_REGION_SHARE = 0.8
_FILL_IN_MIN_WORDS = 8


def marked_up(page: ParsedPage) -> bool:
    """Whether the page marks up its article: Open Graph or JSON-LD article metadata, or an
    <article> or <main> element."""
    meta = page.meta
    if meta.meta("og:title", "og:type") or meta.ld("headline"):
        return True
    return page.root.find(".//article") is not None or page.root.find(".//main") is not None


def article_region(root: Any, headline: Any) -> Any | None:
    """The smallest element that holds the headline and the article's main text, when it holds
    nearly all the page's running text (`_REGION_SHARE`): what a reader reads, without the
    banners, notices and sidebars around it. None when there is no such element."""
    if headline is None:
        return None
    mass = text_mass(root)
    if mass.element is None:
        return None
    around = {id(a) for a in (headline, *headline.iterancestors())}
    chain = (mass.element, *mass.element.iterancestors())
    region = next((a for a in chain if id(a) in around), None)
    if region is None or region.tag in ("html", "body"):
        return None
    inside = {id(el) for el in region.iter()}
    held = sum(words for el, words in mass.blocks if id(el) in inside)
    return region if held >= _REGION_SHARE * mass.total else None


def lead(walked: list[str], found: list[str]) -> list[str]:
    """The lead (a standfirst) trafilatura left out: the region's sentences between the
    headline and the first block trafilatura kept, if they are not in its text, are whole
    sentences of eight words or more and sixty words at most in all."""
    if not found:
        return []
    first = norm(found[0])
    index = next((i for i, b in enumerate(walked) if norm(b) == first), None)
    if not index:
        return []
    kept = " ".join(found)
    lead = [
        b
        for b in walked[:index]
        if len(b.split()) >= _FILL_IN_MIN_WORDS and b[-1] in '.!?\u201d"' and b not in kept
    ]
    return lead if 0 < sum(len(b.split()) for b in lead) <= 60 else []


def through_last(walked: list[str], found: list[str]) -> list[str]:
    """The region's text blocks up to the one that ends trafilatura's text: what trafilatura
    leaves out inside or before the article is article text, what follows its last passage
    (a comment teaser, an author's blurb, a "share this" line) is not. All of `walked` when
    that passage is not found in it, or there is nothing after it."""
    if not found:
        return walked
    tail = " ".join(norm(found[-1]).split()[-_FILL_IN_MIN_WORDS:])
    ends = [i for i, block in enumerate(walked) if tail and tail in norm(block)]
    return walked[: ends[-1] + 1] if ends else walked


def fills_in(found: list[str], walked: list[str]) -> bool:
    """Whether the article region's own text (`walked`) is trafilatura's (`found`) and a little
    more (text trafilatura leaves out: a line of loose text before the first paragraph,
    <br>-separated paragraphs): all but 3% of trafilatura's words, and at least a passage more
    (`_FILL_IN_MIN_WORDS`: not a byline) but at most a quarter more, or 40 words (a standfirst)."""
    mine, theirs = Counter(" ".join(walked).split()), Counter(" ".join(found).split())
    total, more = sum(theirs.values()), sum(mine.values())
    if not total or more < total + _FILL_IN_MIN_WORDS:
        return False
    return sum((mine & theirs).values()) >= 0.97 * total and more <= total + max(total / 4, 40)


def region_document(root: Any, region: Any, headline: Any, shown: Any) -> tuple[str, Any]:
    """An HTML document of the page's <head> and, as its body, `region` from its headline on,
    without the headline and the dateline (`shown`) themselves: what comes before the
    headline (a breadcrumb, a notice) is not the article, and the headline and dateline are
    read apart."""
    head = root.find("head")
    body = copy.deepcopy(region)
    body.tail = None
    order = {el: i for i, el in enumerate(region.iter())}
    marks = [el for el in (headline, shown) if el is not None and el in order]
    copies = {el: _counterpart(region, body, el) for el in marks}
    start = copies.get(headline)
    # the headline starts the article when a dateline follows it, or when (nearly) all the
    # region's text comes after it; a short article under a long notice is the first case
    if start is not None and (
        (shown in order and order[shown] > order[headline])
        or _before_all_text(order, headline, region)
    ):
        _drop_before(body, start)
    for el in marks:
        twin = copies[el]
        if twin is not None and twin.getparent() is not None:
            twin.drop_tree()
    parts = ["<html>", lxml.html.tostring(head, encoding="unicode") if head is not None else ""]
    parts += ["<body>", lxml.html.tostring(body, encoding="unicode")]
    return "".join([*parts, "</body></html>"]), body


def _counterpart(region: Any, copy_root: Any, el: Any) -> Any | None:
    """The element of a deep copy of `region` that is `el` in the original."""
    path = []
    node = el
    while node is not region:
        parent = node.getparent()
        if parent is None:
            return None
        path.append(parent.index(node))
        node = parent
    twin = copy_root
    for index in reversed(path):
        twin = twin[index]
    return twin


def _before_all_text(order: dict[Any, int], headline: Any, region: Any) -> bool:
    """Whether the headline comes before (nearly) all the region's text, as it usually does:
    at most a quarter of the region's words come before it."""
    ancestors = set(headline.iterancestors())
    before = total = 0
    for el in region.iter():
        words = len((el.text or "").split()) + len((el.tail or "").split())
        total += words
        if order[el] < order[headline] and el not in ancestors:
            before += words
    return before * 4 <= total


def _drop_before(root: Any, el: Any) -> None:
    """Take out everything that comes before `el` in `root` (a copy)."""
    node = el
    while node is not root:
        parent = node.getparent()
        if parent is None:
            return
        for sibling in list(node.itersiblings(preceding=True)):
            parent.remove(sibling)
        parent.text = None
        node = parent


def prune(root: Any, elements: list[Any]) -> bool:
    """Take `elements` out of the page, and any element they leave without a word (the " | "
    between two links); whether anything was taken out."""
    for el in elements:
        parent = el.getparent()
        if parent is None:
            continue
        el.drop_tree()
        while parent is not None and parent.tag not in ("body", "html", "td", "main", "article"):
            if _WORD.search(parent.text_content()) or len(parent.xpath(".//img|.//table")):
                break
            if parent.getparent() is None:  # already taken out with an ancestor
                break
            grand = parent.getparent()
            parent.drop_tree()
            parent = grand
    return bool(elements)
