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
   have; no "By", e-mail, job ("Reporter", "Staff writer"), group or site-name authors, and
   only names the page shows; the headline and byline trafilatura keeps at the top of the text
   taken off it; dates from the metadata, else the dateline read day first (with its time), else
   htmldate's (`_generic_published`). The Article carries no links: pages/extract.py adds the
   ones the generic discovery (pages/links.py) found.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura

from archive.records import Article, NotAnArticle, Reason
from pages.body import FALLBACK_MAX, REGION, TRAFILATURA, article_body
from pages.bylines import byline_name, clean_author, clean_title, squash
from pages.dates import parse_date, plausible
from pages.headline import Dateline, dateline, visible_headline
from pages.kinds import Hint, chrome_of
from pages.links import Discovery
from pages.metadata import PageMeta, ParsedPage
from pages.notices import notices
from pages.pagetext import TextBlocks, clean_markup, first_text, node_text, norm
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
    dated = bool(shown.published or page.meta.published(page.day_first))
    blocks, extractor, document = article_body(
        html_text, page.url, region_blocks, date_search=not dated
    )
    if region_blocks is not None and extractor == TRAFILATURA:
        if marked_up(page):
            blocks = lead(region_blocks, blocks) + blocks
        elif fills_in(blocks, region := through_last(region_blocks, blocks)):
            blocks, extractor = region, REGION
    if not blocks:
        raise NotAnArticle(Reason.NO_TEXT, "neither trafilatura nor readability found article text")
    if document is None:  # a page trafilatura could not parse: its metadata from the text
        document = trafilatura.extract_metadata(
            clean_markup(html_text),
            default_url=page.url,
            date_config={"original_date": True, "extensive_search": not dated},
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
    for candidate in (document.author or "", meta.author(), meta.ld("author")):
        # trafilatura joins several authors with "; "
        authors = [clean_author(part, names) for part in candidate.split(";")]
        if candidate is document.author:
            # trafilatura rewrites bylines ("jo.bloggs@x.co.uk" -> "Jo Bloggs-X Co Uk"): only
            # names that the page shows or its metadata gives
            page_text = page_text or _searchable(page.root, meta)
            authors = [a for a in authors if squash(a) in page_text]
        if author := "; ".join(dict.fromkeys(a for a in authors if a)):
            break
    blocks, byline = _strip_heading(blocks, title, names, shown)
    author = author or byline or shown.author
    published = _generic_published(page, document.date, shown.published, original)
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
        paywalled=meta.paywalled() or marks.paywall,
        comment_count=found.comment_count,
        extractor=extractor,
        fetched_url=page.url,
        links=(),
    )


def _searchable(root: Any, meta: PageMeta) -> str:
    """The page's text and metadata values as one lowercase string of letters and digits."""
    values = [
        root.text_content(),
        *meta.metas.values(),
        json.dumps(meta.jsonld, ensure_ascii=False),
    ]
    return squash(" ".join(values))


def _generic_published(
    page: ParsedPage, found: str | None, text_date: str | None, original: str = ""
) -> str | None:
    """The publication date of a page without a profile.

    In order: the page's metadata (ISO dates: unambiguous); else the dateline right under the
    visible headline (`text_date`, pages/headline.py: what a reader takes for the date); else a
    date shown in an element named for a date, read day first on day-first sites, when it agrees
    with htmldate's or htmldate has none: it carries the time, htmldate gives the date alone;
    else htmldate's date. When the two disagree htmldate wins, unless they differ only by the
    order of day and month: on the benchmark's pages that have a metadata date, such a date was
    another one (an update, a related article) on 5 of 40, htmldate's only by a time zone.

    htmldate reads the page as fetched (`original`, with its extensive search and the original
    date, as plain trafilatura's metadata does), not the page without its boxes: on the 851
    dated pages of trafilatura's evaluation set that made 623 dates right instead of 606 (plain
    trafilatura: 632; pages/evalset.py). A metadata timestamp in UTC one day from the date the
    page shows gives way to it (`_local_day`): 8 dates more right and 3 fewer (628 of 851)."""
    day_first = page.day_first
    if published := page.meta.published(day_first):
        return _local_day(published, text_date, original) or published
    if text_date:
        return text_date
    if original:
        # htmldate on the page as fetched, not on the page without its boxes
        from htmldate import find_date

        whole = find_date(clean_markup(original), extensive_search=True, original_date=True)
        found = whole or found
    found = parse_date(found, day_first) if found else None
    shown = _dateline_date(page.root, day_first)
    if shown and (found is None or shown[:10] == found[:10] or _swapped(shown, found)):
        return shown
    return found


def _local_day(published: str, text_date: str | None, original: str) -> str | None:
    """A metadata timestamp in UTC may fall on another day than the page shows (a US evening is
    the next day in UTC): the date the page shows (its dateline, else htmldate's on the page as
    fetched) when it is one day from the UTC timestamp's."""
    if not published.endswith(("+00:00", "Z")) or len(published) < 11:
        return None
    if text_date is None and original:
        from htmldate import find_date

        text_date = find_date(clean_markup(original), extensive_search=True, original_date=True)
    if not text_date:
        return None
    try:
        apart = abs((date.fromisoformat(text_date[:10]) - date.fromisoformat(published[:10])).days)
    except ValueError:
        return None
    return text_date if apart == 1 else None


def _swapped(shown: str, found: str) -> bool:
    """Whether two dates differ only in the order of day and month (12/08 read as 8 December)."""
    return shown[:4] == found[:4] and shown[5:7] == found[8:10] and shown[8:10] == found[5:7]


_KICKER_WORDS = 4  # a section name over a headline ("Pay and Conditions")
_DATELINE_HINT = re.compile(r"date|time|publish|posted|byline|dateline", re.I)
_DATELINE_STRONG = re.compile(r"publish|posted|dateline|byline", re.I)
_DATELINE_SKIP = ("nav", "aside", "footer", "head", "script", "style", "template", "noscript")


def _dateline_date(root: Any, day_first: bool) -> str | None:
    """A date shown in the page's dateline: the text of a <time> element or of a short element
    whose class, id or itemprop names a date, a time, a byline or publication; ones naming
    publication or a byline first, then the others, each in page order."""
    strong: list[str] = []
    weak: list[str] = []
    for el in root.iter("*"):
        if not isinstance(el.tag, str) or el.tag in _DATELINE_SKIP:
            continue
        hint = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
        if el.tag != "time" and not _DATELINE_HINT.search(hint):
            continue
        if any(a.tag in _DATELINE_SKIP for a in el.iterancestors()):
            continue
        text = node_text(el)
        if text and len(text) <= 120:
            (strong if _DATELINE_STRONG.search(hint) else weak).append(text)
    for text in strong + weak:
        if (shown := parse_date(text, day_first)) and plausible(shown):
            return shown
    return None


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
