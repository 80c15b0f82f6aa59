"""The generic fallback: a page no profile layout reads -> Article. No Scrapy here.

pages/extract.py imports this module only when the fallback runs (an article of a site without a
profile, of a profile layout that matches nothing, or whose layout yields no text), so the profile
path never imports trafilatura or readability.

1. The text (pages/body.py: `article_body`): trafilatura, readability-lxml as a second
   opinion, the article region's own text where trafilatura keeps none of it. Pages of over 4
   million characters are refused (NotAnArticle(Reason.TOO_LARGE)); no text at all is
   NotAnArticle(Reason.NO_TEXT).
2. The metadata (`generic_article`), from trafilatura's document and the page's own
   (pages/metadata.py), cleaned: title without a " | Site" suffix or anything the <h1> does not
   have; authors without "By", e-mail, job ("Reporter", "Staff writer") or the site's name, a
   desk or an agency as named, several joined by "; ", and only names the page shows; the
   headline and byline trafilatura keeps at the top of the text taken off it; the standfirst
   (`_standfirst`: the page's description shown over the text, or the lead trafilatura left
   out); the date by pages/published.py (htmldate's, with the UK rules on UK pages). The Article
   carries no links: pages/extract.py adds the ones the generic discovery (pages/links.py) found.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura

from archive.records import Article, NotAnArticle, Reason
from pages.body import FALLBACK_MAX, REGION, TRAFILATURA, article_body
from pages.bylines import AUTHOR_SEPARATOR, byline_name, clean_authors, clean_title, squash
from pages.headline import Dateline, dateline, visible_headline
from pages.kinds import Hint, chrome_of
from pages.links import Discovery
from pages.metadata import PageMeta, ParsedPage
from pages.notices import notices
from pages.pagetext import TextBlocks, clean_markup, first_text, node_text, norm
from pages.published import generic_published
from pages.region import (
    article_region,
    fills_in,
    lead,
    marked_up,
    prune,
    region_document,
    through_last,
)

__all__ = ["generic_article"]


def generic_article(
    page: ParsedPage, html_text: str, found: Discovery | None = None, hint: Hint | None = None
) -> Article:
    """The article of a page no profile layout reads; raises NotAnArticle(Reason.TOO_LARGE |
    Reason.NO_TEXT). `found` is the page's link discovery (pages/links.py): its boxes and links
    are taken out of the page before the text is extracted; `hint` what the crawler expects."""
    if len(html_text) > FALLBACK_MAX:
        raise NotAnArticle(
            Reason.TOO_LARGE, f"{len(html_text)} characters of HTML without a layout"
        )
    found = found or Discovery()
    hint = hint or Hint()
    original = html_text  # the page as fetched: the boxes are taken out of html_text below
    marks = notices(page.root, page.base)
    chrome_of(page.root)  # the page's chrome as a reader sees it, before anything is pruned
    # the related box, More News, comment, pagination and tool links, notices
    pruned = prune(page.root, [*found.boxes, *found.other_boxes, *found.chrome, *marks.elements])
    visible, headline_element = visible_headline(page, hint.anchor)
    shown = dateline(page, headline_element)
    # where the article is: on pages that mark it up (metadata, <article>, <main>) trafilatura
    # reads the whole page, on the others only the article region a reader sees; on both, the
    # region's own text fills in what trafilatura left out
    region = article_region(page.root, headline_element)
    body = None
    region_blocks: list[str] | None = None
    if region is not None:
        doc, body = region_document(page.root, region, headline_element, shown.element)
        walked = TextBlocks()
        walked.walk(body, tail=False)
        region_blocks = walked.result()
        if not marked_up(page):
            html_text = doc
        elif pruned:
            html_text = lxml.html.tostring(page.root, encoding="unicode")
    elif pruned:
        html_text = lxml.html.tostring(page.root, encoding="unicode")
    blocks, extractor, document = article_body(html_text, page.url, region_blocks)
    # the lead trafilatura left out, between the headline and its text: the text's opening,
    # and the standfirst when the page's description gives none
    led: list[str] = []
    if region_blocks is not None and extractor == TRAFILATURA:
        if marked_up(page):
            led = lead(region_blocks, blocks)
            blocks = led + blocks
        elif fills_in(blocks, region := through_last(region_blocks, blocks)):
            blocks, extractor = region, REGION
    if not blocks:
        raise NotAnArticle(Reason.NO_TEXT, "neither trafilatura nor readability found article text")
    if document is None:  # a page trafilatura could not parse: its metadata from the text
        document = trafilatura.extract_metadata(
            clean_markup(html_text),
            default_url=page.url,
            date_config={"original_date": True, "extensive_search": False},
        )

    meta, names = page.meta, page.site_names
    sitename = norm(document.sitename or "")
    # trafilatura may take the headline half of "Site - Headline" for the site's name
    if sitename and sitename.casefold() not in norm(visible).casefold():
        names.append(sitename)
    headline = first_text(page.root, "//h1") or visible
    candidates = [document.title or "", meta.meta("og:title"), meta.ld("headline")]
    if visible and not meta.meta("og:title") and not meta.ld("headline"):
        # no title metadata: what the reader sees as the headline, before <title>
        candidates.insert(0, visible)
    title = ""
    for candidate in (*candidates, headline, meta.title_tag):
        if title := clean_title(candidate, names, headline=headline):
            break
    author = ""
    page_text = ""  # read only when trafilatura names an author
    for candidate in (document.author or "", meta.author(), meta.ld_names("author")):
        # trafilatura joins several authors with "; ", as the archive stores them
        authors = clean_authors(candidate, names).split(AUTHOR_SEPARATOR)
        if candidate is document.author:
            # trafilatura rewrites bylines ("jo.bloggs@x.co.uk" -> "Jo Bloggs-X Co Uk"): only
            # names that the page shows or its metadata gives
            page_text = page_text or _searchable(page.root, meta)
            authors = [a for a in authors if squash(a) in page_text]
        if author := AUTHOR_SEPARATOR.join(dict.fromkeys(a for a in authors if a)):
            break
    blocks, byline = _strip_heading(blocks, title, names, shown)
    author = author or byline or shown.author
    published = generic_published(page, shown.published, original, document.date)
    description = norm(document.description or "")
    standfirst = _standfirst(page.root, description, blocks) or " ".join(led)
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
        paywalled=meta.paywalled() or marks.paywall,
        comment_count=found.comment_count,
        extractor=extractor,
        fetched_url=page.url,
        links=(),
    )


_SENTENCE_END = (".", "!", "?", "\u2026", '"', "\u201d")


def _standfirst(root: Any, description: str, blocks: list[str]) -> str:
    """The standfirst: the page's description (trafilatura's, from its metadata) when the text
    opens with it, or when the page shows it and the text left it out: a summary of a sentence
    or more over the article (the lead trafilatura's precision mode drops with the teasers).
    A description the page does not show, or a fragment of one, is no standfirst."""
    if not description:
        return ""
    if norm(blocks[0]) == description:
        return description
    if len(description.split()) < 8 or not description.endswith(_SENTENCE_END):
        return ""
    if description in norm(" ".join(blocks)):
        return ""  # the text's own first sentences, not a summary over them
    body = root.find("body")
    return description if body is not None and description in norm(body.text_content()) else ""


def _searchable(root: Any, meta: PageMeta) -> str:
    """The page's text and metadata values as one lowercase string of letters and digits."""
    values = [
        root.text_content(),
        *meta.metas.values(),
        json.dumps(meta.jsonld, ensure_ascii=False),
    ]
    return squash(" ".join(values))


_KICKER_WORDS = 4  # a section name over a headline ("Pay and Conditions")


def _strip_heading(
    blocks: list[str], title: str, names: list[str], shown: Dateline | None = None
) -> tuple[list[str], str]:
    """Blocks without the headline, byline and dateline trafilatura keeps at the top (or, on
    some pages, at the bottom); and the byline's name.

    Only a repeat of the title with the short line before it (a section name), and among the
    first three blocks a short "By Name" line or the page's dateline (`shown`) are removed, so
    that the body is never cut."""
    byline = ""
    head = 0
    dateline_text = node_text(shown.element) if shown and shown.element is not None else ""
    key = title.casefold()
    while head < min(len(blocks) - 1, 3):
        block = blocks[head]
        if key and norm(block).casefold() == key:
            head += 1
        elif (
            key
            and head + 2 < len(blocks)
            and norm(blocks[head + 1]).casefold() == key
            and (len(block.split()) <= _KICKER_WORDS)
        ):
            head += 2  # a section name over the headline
        elif not byline and (name := byline_name(block, names)):
            byline = name
            head += 1
        elif dateline_text and norm(block) == dateline_text:
            head += 1
        else:
            break
    rest = blocks[head:]
    # the headline again further down (a short text read with its header after the body)
    repeats = {i for i, block in enumerate(rest) if key and norm(block).casefold() == key}
    repeats |= {i - 1 for i in repeats if i > 0 and len(rest[i - 1].split()) <= _KICKER_WORDS}
    if repeats and len(repeats) < len(rest):
        rest = [block for i, block in enumerate(rest) if i not in repeats]
    return rest, byline
