"""Page extraction: fetched HTML -> Article | CommentThread | Listing. No Scrapy here.

`parse_page` is the one entry point; it is a top-level function of picklable arguments, run in the
worker processes of crawler/workers.py (and by crawler/pagefiles.py on saved pages). It raises
`NotAnArticle(reason, detail)` for pages that give no record:

- ``not_html``: the content type or the body says it is not HTML (a PDF, an image, a feed...);
- ``empty_body``: nothing (or only whitespace) was fetched;
- ``no_text``: HTML without extractable article text;
- ``too_large``: a page of over 4 million characters that no profile layout reads (trafilatura
  would take seconds on it);
- ``unknown_layout``: a comment thread or listing URL of a profile's site whose page matches none
  of the profile's layouts of that kind, or a page of the site that is of no known kind and does
  not look like an article either (category listings, search results, jobs...).

How a page is read, one module a stage:

1. crawler/pagetext.py: the body is decoded (BOM, Content-Type charset, `<meta>`; undeclared:
   UTF-8 if valid, else windows-1252) and parsed once with lxml.html.
2. crawler/metadata.py: the parsed page (`ParsedPage`): its metadata, site profile
   (crawler/sites.py), page kind and canonical URL; titles and bylines are cleaned there, dates
   read by crawler/dates.py.
3. This module, the profile engine: pages of a site with a profile are read with the profile's
   `Layout`s for the URL's page kind: the first layout whose `detect` XPath matches reads the page.
   The selectors are data in the profile. The profile path never imports trafilatura: it costs a
   parse and a few XPath queries (well under 5 ms a page).
4. crawler/generic.py, the generic fallback: an article of a site without a profile, of a profile
   layout that matches nothing, or whose layout yields no text goes to trafilatura, with
   readability-lxml as a second opinion (`extractor` "trafilatura" or "readability"), its
   metadata cleaned. That module is imported only when the fallback runs.

Links: an Article carries the links the crawl follows, in page order, deduplicated by target and
only followable ones (crawler/urls.py): In Other News (`in_other_news`), More News (`more_news`) and
its comment thread (`comments`). A CommentThread carries one link, the article it belongs to, with
section `comments` (the link of the article <-> comments relation, seen from the thread's side).
A Listing carries its article links (`listing`) and its pagination (`pagination`); its URL is the
fetched one, canonicalised (a listing's <link rel=canonical> often names its first page). Pages of
sites without a profile carry no links: they are never followed.

URLs: an Article's `url` is its <link rel=canonical> when that names an article of the same site
(on sites without a profile: the same host, not its home page), canonicalised; otherwise the
canonical form of the fetched URL (`ParsedPage.canonical`, crawler/urls.py).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from typing import Any

import lxml.html
from lxml import etree

from archive.records import (
    Article,
    Comment,
    CommentThread,
    Link,
    Listing,
    NotAnArticle,
    Page,
    Reason,
    Section,
)
from pages.dates import parse_date
from pages.metadata import PageMeta, ParsedPage, clean_author, clean_title
from pages.pagetext import (
    TextBlocks,
    decode_html,
    first_text,
    matches,
    node_text,
    norm,
    parse_html,
    select,
)
from pages.sites import Layout, profile_for
from pages.urls import (
    article_url_for_comments,
    canonical_url_or_none,
    followable,
    page_kind,
    resolve,
)

__all__ = ["parse_page"]

# ---------------------------------------------------------------------------------------------
# The entry point


def parse_page(url: str, body: bytes, *, content_type: str | None = None) -> Page:
    """The Article, CommentThread or Listing of a fetched page; raises NotAnArticle.

    `url` is the URL fetched (after redirects), `content_type` the Content-Type header, if any.
    """
    text = decode_html(body, content_type)
    root = parse_html(text)
    profile = profile_for(url)
    kind = page_kind(url) if profile is not None else None
    page = ParsedPage(url, root, PageMeta(root), profile, kind)

    if kind == "comments":
        return _comment_thread(page)
    if kind == "listing":
        return _listing(page)
    for layout in _layouts(page, "article"):
        article = _profile_article(page, layout)
        if article is not None:
            return article
    if profile is not None and kind is None:
        raise NotAnArticle(Reason.UNKNOWN_LAYOUT, f"not an article page of {profile.name}: {url}")
    from pages.generic import generic_article  # here: the profile path never imports trafilatura

    return generic_article(page, text)


def _layouts(page: ParsedPage, kind: str) -> Iterable[Layout]:
    """The profile's layouts of page kind `kind` whose `detect` XPath matches the page, in the
    profile's order."""
    if page.profile is None:
        return
    for layout in page.profile.layouts:
        if layout.kind == kind and matches(page.root, layout.detect):
            yield layout


# ---------------------------------------------------------------------------------------------
# Articles, with a profile layout


def _profile_article(page: ParsedPage, layout: Layout) -> Article | None:
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
    author = clean_author(first_text(root, layout.author), names)
    published = _first_date(root, layout.published, profile.day_first)
    if layout.dateline and layout.dateline_pattern is not None:
        match = layout.dateline_pattern.search(first_text(root, layout.dateline))
        if match:
            groups = match.groupdict()
            published = published or parse_date(groups.get("date"), profile.day_first)
            author = author or clean_author(groups.get("author") or "", names)
    meta = page.meta
    title = title or _meta_title(page)
    published = published or meta.published(profile.day_first)
    category = first_text(root, layout.category) or meta.meta("article:section")

    url = page.canonical("article")
    links = _links(
        root,
        page.base,
        url,
        [
            (layout.in_other_news, Section.IN_OTHER_NEWS),
            (layout.more_news, Section.MORE_NEWS),
            (layout.comments_link, Section.COMMENTS),
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
        comment_count=_count(first_text(root, layout.comment_count)),
        extractor=f"profile:{profile.name}/{layout.name}",
        fetched_url=page.url,
        links=links,
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


def _first_date(root: Any, expression: str, day_first: bool) -> str | None:
    """The first date in the results of an XPath, in document order."""
    for item in select(root, expression):
        if parsed := parse_date(node_text(item), day_first):
            return parsed
    return None


# ---------------------------------------------------------------------------------------------
# Comment threads


def _comment_thread(page: ParsedPage) -> CommentThread:
    url = page.canonical("comments")
    for layout in _layouts(page, "comments"):
        comments = _comments(page, layout)
        back = _links(page.root, page.base, url, [(layout.article_link, Section.COMMENTS)])
        article = next((link for link in back if page_kind(link.to_url) == "article"), None)
        article_url = article.to_url if article else article_url_for_comments(url)
        if article_url is None:
            raise NotAnArticle(
                Reason.UNKNOWN_LAYOUT, f"no article for the comments page {page.url}"
            )
        link = article or Link(article_url, Section.COMMENTS, "")
        return CommentThread(
            article_url=article_url, comments=comments, fetched_url=page.url, links=(link,)
        )
    raise NotAnArticle(Reason.UNKNOWN_LAYOUT, f"no comments layout matches {page.url}")


def _comments(page: ParsedPage, layout: Layout) -> tuple[Comment, ...]:
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
        posted = _first_date(el, layout.comment_posted, day_first)
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
# Listings


def _listing(page: ParsedPage) -> Listing:
    # not the <link rel=canonical>: sites often give every page of a listing its first page's
    url = page.fetched_canonical
    for layout in _layouts(page, "listing"):
        specs = [(layout.listing, Section.LISTING), (layout.pagination, Section.PAGINATION)]
        return Listing(url=url, links=_links(page.root, page.base, url, specs))
    # no layout: every link to an article is a listing entry, every link to a listing pagination
    links = []
    for link in _links(page.root, page.base, url, [("//a[@href]", Section.LISTING)]):
        kind = page_kind(link.to_url)
        if kind in ("article", "listing"):
            section = Section.LISTING if kind == "article" else Section.PAGINATION
            links.append(Link(link.to_url, section, link.anchor))
    return Listing(url=url, links=tuple(links))


# ---------------------------------------------------------------------------------------------
# Links


def _links(
    root: Any, base: str, self_url: str, specs: Sequence[tuple[str, Section]]
) -> tuple[Link, ...]:
    """Followable links of the (xpath, section) specs, in page order, deduplicated by target."""
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
        absolute = resolve(base, el.get("href", ""))
        target = canonical_url_or_none(absolute) if absolute else None
        if target and target not in seen and followable(target):
            seen.add(target)
            anchor = node_text(el) if el.tag == "a" else ""
            links.append(Link(target, section, anchor))
    return tuple(links)
