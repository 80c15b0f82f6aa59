"""The article's text on a page without a profile: trafilatura, then a second opinion.
No Scrapy here; imported with pages/generic.py, only when the generic fallback runs.

`article_body` gives the text blocks and the extractor that found them:

- trafilatura with options chosen on real pages (`_TRAFILATURA_OPTIONS`): "trafilatura";
- readability-lxml as a second opinion, taken when it holds at least twice as many words
  (`_SECOND_OPINION_RATIO`, with its measurements; the figures in README.md): "readability";
- where the page has an article region a reader sees (pages/region.py) and trafilatura's main
  extractor keeps none of it, the region's own text: "region".

Pages of over 1 million characters get trafilatura's fast mode alone (`_FALLBACK_FAST_ABOVE`);
pages/generic.py refuses those over 4 million (`FALLBACK_MAX`). The page is parsed once and its
metadata (trafilatura's Document: title, author, date, site name, categories) read once,
however many passes the text takes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import justext.core
import lxml.html
import trafilatura
from lxml import etree
from readability import Document
from readability.readability import Unparseable
from trafilatura.utils import load_html

from pages.pagetext import HTML_PARSER, TextBlocks, clean_markup, norm

__all__ = ["FALLBACK_MAX", "READABILITY", "REGION", "TRAFILATURA", "article_body"]


def _remembered_stoplists(define: Callable[[Any], frozenset[str]]) -> Callable[[Any], frozenset]:
    """justext's `define_stoplist`, answering again from memory for a stoplist it has seen.

    trafilatura's justext fallback passes the union of every justext language's stopwords (some
    150,000 words, one tuple made once per process) to `classify_paragraphs`, which lower-cases
    it into a frozenset on every call. justext remembers the answer (an lru_cache), but finding
    it there hashes and compares the whole tuple: 7 ms a page, a quarter of the time the generic
    reader takes on an article trafilatura's fallbacks read. Here the same (immutable) tuple
    object is found by identity; any other stoplist is defined as before."""
    seen: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}

    def define_stoplist(stoplist: Any) -> frozenset[str]:
        if not isinstance(stoplist, tuple):
            return define(stoplist)
        known = seen.get(id(stoplist))
        if known is None or known[0] is not stoplist:
            if len(seen) >= 8:  # trafilatura has one; kept with it, never a growing pile
                seen.clear()
            known = seen[id(stoplist)] = (stoplist, define(stoplist))
        return known[1]

    define_stoplist.remembers_stoplists = True  # type: ignore[attr-defined]
    return define_stoplist


_define = getattr(justext.core, "define_stoplist", None)  # a later justext may have none
if _define is not None and not hasattr(_define, "remembers_stoplists"):
    justext.core.define_stoplist = _remembered_stoplists(_define)

# trafilatura takes about 1.5 s a megabyte on table-heavy pages (its fallback extractors and the
# extensive date search grow with the page): over `_FALLBACK_FAST_ABOVE` characters both are
# skipped, and so is the readability second opinion (about 0.6 s a megabyte), over `FALLBACK_MAX`
# the page is refused as "too_large".
_FALLBACK_FAST_ABOVE = 1_000_000
FALLBACK_MAX = 4_000_000

# trafilatura's options, chosen deliberately and measured on the 181 real pages of the article
# extraction benchmark (`python -m pages.quality`: F1 of the body text). With everything below
# our F1 is 0.974; each choice flipped alone (the figures below). Measured again in November
# 2026 on both development sets and on each half of each (`make quality`; benchmark 0.9760,
# trafilatura-eval 0.9379 with everything below): comments on 0.9760 / 0.9370; precision mode
# off 0.9684 / 0.9395 (the second set gains on one half only); tables off 0.9741 / 0.9348; no
# second opinion 0.9606 / 0.9320; its ratio at 1.5 0.9749 / 0.9366, at 3 0.9714 / 0.9373.
_TRAFILATURA_OPTIONS: dict[str, Any] = {
    # reader comments are not the article. Plain trafilatura keeps them (0.953, 0.960 without);
    # here precision mode and the second opinion already drop them (no change)
    "include_comments": False,
    # precision mode drops more of what surrounds the article (related links, share bars,
    # teasers) for a little recall: without it 0.966, with favor_recall instead 0.965
    "favor_precision": True,
    # a table inside the article is article text (results, figures, a timetable): without 0.973
    "include_tables": True,
    # no `deduplicate`: its cache is process-wide and drops a page seen three times (a re-crawl,
    # a touch. and a www. copy) as a duplicate of itself; a fresh cache per page (repeated
    # paragraphs only) drops a few legitimate repeats: 0.974 -> 0.974 (-0.0002)
    "deduplicate": False,
}

# The selection rule. readability-lxml finds the page's main block by another method (scoring
# paragraphs and their containers by text length, commas and link density, where trafilatura
# walks the tree and filters elements). When readability's block holds at least
# `_SECOND_OPINION_RATIO` times as many words as trafilatura kept, trafilatura has lost part of
# the article (a body split across containers it took for boilerplate) or kept the wrong block,
# and readability's text is taken; below that trafilatura's (more precise) text stands. It
# decides 4 of the 181 pages. Measured: without the second opinion 0.964; ratio 1.5: 0.973,
# 1.8 to 2.0: 0.974, 3.0: 0.970 (on either half of the set alone, too, 1.8 to 2.0 is best); no
# single page was looked at to choose it. `_SECOND_OPINION_MIN_WORDS`: a block shorter than a
# paragraph or two is as likely a link list as an article and never replaces trafilatura's text
# (no benchmark page is that short).
_SECOND_OPINION_RATIO = 2.0
_SECOND_OPINION_MIN_WORDS = 50

TRAFILATURA = "trafilatura"
READABILITY = "readability"
REGION = "region"  # the article region's own text, where trafilatura left some of it out


def article_body(
    html_text: str,
    url: str | None = None,
    walked: list[str] | None = None,
) -> tuple[list[str], str, Any]:
    """The article text blocks of a page without a profile, the extractor that found them
    (TRAFILATURA, READABILITY or REGION) and trafilatura's metadata of the page (a Document;
    None when trafilatura cannot parse it). [] when no extractor finds any text. This is the
    fallback path of `parse_page`.

    `walked`: the text blocks of the article region a reader sees (pages/region.py), if the
    page has one. When the region holds less than `_SECOND_OPINION_RATIO` times the words
    trafilatura keeps (first without its fallbacks, then with them), nothing was lost that a
    fallback or a second opinion could find (the region holds nearly all the page's running
    text): that text stands, and the fallbacks or readability are not asked. When the region is
    all trafilatura's main extractor misses (it keeps nothing), the region's own text is taken.
    The metadata's date is read without htmldate's extensive search: the date is
    pages/published.py's, htmldate's extensive one on the page as fetched, and this one stands
    in only when that finds none.

    The page is parsed once and its metadata read once, however many passes the text takes
    (each pass works on its own copy of the tree)."""
    tree = load_html(html_text)
    blocks: list[str] = []
    document = None
    large = len(html_text) > _FALLBACK_FAST_ABOVE
    if tree is not None:
        document = trafilatura.extract_metadata(
            tree,
            default_url=url,
            date_config={"original_date": True, "extensive_search": False},
        )
    if large:
        blocks = _trafilatura(tree, url, fast=True) if tree is not None else []
        return blocks, TRAFILATURA, document
    passes = () if tree is None else (True, False) if walked is not None else (False,)
    for fast in passes:
        blocks = _trafilatura(tree, url, fast=fast)
        if (
            walked is not None
            and blocks
            and _word_count(walked) < _SECOND_OPINION_RATIO * _word_count(blocks)
        ):
            return blocks, TRAFILATURA, document
        if walked and fast and not blocks:
            return walked, REGION, document
    second = _readability_blocks(html_text, url)
    words, second_words = _word_count(blocks), _word_count(second)
    if second_words >= _SECOND_OPINION_MIN_WORDS and second_words >= _SECOND_OPINION_RATIO * words:
        return second, READABILITY, document
    return blocks, TRAFILATURA, document


def _trafilatura(tree: Any, url: str | None, *, fast: bool) -> list[str]:
    """trafilatura's text blocks of the page ([] when it finds none); `fast`: without its
    fallback extractors. The tree is left as it was (trafilatura works on a copy)."""
    document = trafilatura.bare_extraction(
        tree, url=url, fast=fast, with_metadata=False, **_TRAFILATURA_OPTIONS
    )
    assert not isinstance(document, dict)  # as_dict is off: a Document or None
    return _trafilatura_blocks(document.body) if document is not None else []


def _word_count(blocks: list[str]) -> int:
    return sum(len(block.split()) for block in blocks)


def _readability_blocks(html_text: str, url: str | None) -> list[str]:
    """The text blocks of readability-lxml's main block; [] when it finds none."""
    # readability logs its failures with a traceback at ERROR level: here they are an expected
    # outcome (no second opinion), not an error to show on the terminal
    logging.getLogger("readability.readability").disabled = True
    try:
        summary = Document(clean_markup(html_text), url=url).summary(html_partial=True)
    except (Unparseable, etree.LxmlError, ValueError, RecursionError):
        return []  # a second opinion only: trafilatura's answer stands
    # readability answers with the whole <body> (or document) when it finds no main block, and
    # with a <div> holding the block when it finds one
    if not summary.lstrip().startswith("<div"):
        return []
    try:
        root = lxml.html.document_fromstring(summary, parser=HTML_PARSER)
    except (etree.LxmlError, ValueError):
        return []
    collector = TextBlocks()
    collector.walk(root, tail=False)
    return collector.result()


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
