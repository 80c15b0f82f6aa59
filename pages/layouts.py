"""The profile engine: a page read with a site profile's `Layout` (pages/profiles.py). No Scrapy.

A layout's selectors are data in the profile; this module applies them: the article's fields,
body text and links (`layout_article`), a comment thread's comments (`layout_comments`), a
listing's links (`layout_links`). The profile path never imports trafilatura: it costs a parse
and a few XPath queries (well under 5 ms a page). What a layout leaves empty is left to the
generic reader by the caller (pages/extract.py).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

import lxml.html
from lxml import etree

from archive.records import Article, Comment, Link, Section
from pages.bylines import clean_authors, clean_title
from pages.dates import parse_date
from pages.metadata import ParsedPage
from pages.pagetext import TextBlocks, first_text, matches, node_text, norm, select
from pages.profiles import Layout, Profiles
from pages.urls import canonical_url_or_none, resolve

__all__ = ["first_date", "layout_article", "layout_comments", "layout_links", "layouts_of"]


def layouts_of(page: ParsedPage, kind: str) -> list[Layout]:
    """The profile's layouts of page kind `kind` whose `detect` matches the page, in order."""
    if page.profile is None:
        return []
    return [
        layout
        for layout in page.profile.layouts
        if layout.kind == kind and matches(page.root, layout.detect)
    ]


def layout_names(page: ParsedPage, kind: str) -> list[str]:
    """The names of all the profile's layouts of page kind `kind` (what a miss tried)."""
    if page.profile is None:
        return []
    return [layout.name for layout in page.profile.layouts if layout.kind == kind]


# ---------------------------------------------------------------------------------------------
# Articles


def layout_article(page: ParsedPage, layout: Layout) -> Article | None:
    """The article as the layout reads it; None when the layout finds no text."""
    root, names = page.root, page.site_names
    profile = page.profile
    assert profile is not None

    # the body first: a page the layout does not read should cost few queries
    blocks = _body_blocks(root, layout)
    paywalled = matches(root, layout.paywall)
    if not blocks and not paywalled:
        return None
    standfirst = first_text(root, layout.standfirst)
    if blocks and standfirst and blocks[0] == standfirst:
        blocks = blocks[1:]
    if not blocks and not standfirst:
        return None  # a teaser with nothing visible

    title = clean_title(first_text(root, layout.title), names)
    author = clean_authors(first_text(root, layout.author), names)
    published = first_date(root, layout.published, profile.day_first)
    if layout.dateline and layout.dateline_pattern is not None:
        match = layout.dateline_pattern.search(first_text(root, layout.dateline))
        if match:
            groups = match.groupdict()
            published = published or parse_date(groups.get("date"), profile.day_first)
            author = author or clean_authors(groups.get("author") or "", names)
    meta = page.meta
    title = title or _meta_title(page)
    published = published or meta.published(profile.day_first)
    category = first_text(root, layout.category) or meta.meta("article:section")

    url = page.canonical("article")
    specs = [
        (layout.in_other_news, Section.IN_OTHER_NEWS),
        (layout.more_news, Section.MORE_NEWS),
        (layout.comments_link, Section.COMMENTS),
    ]
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
        comment_count=_count(first_text(root, layout.comment_count)),
        extractor=f"profile:{profile.name}/{layout.name}",
        fetched_url=page.url,
        links=layout_links(page, url, specs),
    )


def _body_blocks(root: Any, layout: Layout) -> list[str]:
    bodies = [el for el in select(root, layout.body) if isinstance(el, etree._Element)]
    if not bodies:
        return []
    start = end = None
    if layout.body_start:
        start = next(iter(select(root, layout.body_start)), None)
        if start is None:
            return []  # the layout's landmark is missing: not this layout after all
    if layout.body_end:
        end = next(iter(select(root, layout.body_end)), None)
    blocks: list[str] = []
    for body in bodies:
        drop = {el for expression in layout.body_drop for el in select(body, expression)}
        collector = TextBlocks(drop, start, end)
        try:
            collector.walk(body, tail=False)
        except RecursionError:
            return []
        blocks.extend(collector.result())
    return blocks


def _count(text: str) -> int | None:
    match = re.search(r"\d[\d,]*", text)
    return int(match.group().replace(",", "")) if match else None


def _meta_title(page: ParsedPage) -> str:
    meta, names = page.meta, page.site_names
    for candidate in (meta.meta("og:title", "twitter:title"), meta.ld("headline"), meta.title_tag):
        if title := clean_title(candidate, names):
            return title
    return ""


def first_date(root: Any, expression: str, day_first: bool) -> str | None:
    """The first date in the results of an XPath, in document order; an element's `datetime`
    attribute (a `<time>`) before its text."""
    for item in select(root, expression):
        stamp = item.get("datetime") if isinstance(item, etree._Element) else None
        if stamp and (parsed := parse_date(stamp, day_first)):
            return parsed
        if parsed := parse_date(node_text(item), day_first):
            return parsed
    return None


# ---------------------------------------------------------------------------------------------
# Comment threads


def layout_comments(page: ParsedPage, layout: Layout) -> tuple[Comment, ...]:
    if layout.comment:
        found = select(page.root, layout.comment)
        elements = [el for el in found if isinstance(el, etree._Element)]
    elif layout.comment_split:
        elements = [
            chunk
            for container in select(page.root, layout.comment_split)
            if isinstance(container, etree._Element)
            for chunk in _split_on_hr(container)
        ]
    else:
        elements = []
    day_first = page.day_first
    comments = []
    for el in elements:
        author = first_text(el, layout.comment_author)
        posted = first_date(el, layout.comment_posted, day_first)
        collector = TextBlocks()
        collector.feed(select(el, layout.comment_text))
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


# ---------------------------------------------------------------------------------------------
# Links


def layout_links(
    page: ParsedPage,
    self_url: str,
    specs: Sequence[tuple[str, Section]],
    profiles: Profiles | None = None,
) -> tuple[Link, ...]:
    """The links of the (xpath, section) specs, in page order, deduplicated by target, as
    canonical URLs; never the page itself."""
    root = page.root
    found: list[tuple[Any, Section]] = []
    for expression, section in specs:
        for el in select(root, expression):
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
        absolute = resolve(page.base, el.get("href", ""))
        target = canonical_url_or_none(absolute, profiles or page.profiles) if absolute else None
        if target and target not in seen:
            seen.add(target)
            anchor = node_text(el) if el.tag == "a" else ""
            links.append(Link(target, section, anchor))
    return tuple(links)
