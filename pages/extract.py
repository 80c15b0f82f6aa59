"""Page extraction: fetched HTML -> Article | CommentThread | Listing. No Scrapy here.

`parse_page` is the one entry point; a top-level function of picklable arguments, run in the
worker processes of crawler/workers.py (and by pages/pagefiles.py on saved pages). It raises
`NotAnArticle(reason, detail)` for pages that give no record (`Reason`: not_html, empty_body,
no_text, too_large, unknown_layout).

How a page is read, one module a stage:

0. A feed (RSS or Atom, pages/feeds.py) is a Listing of its entries, read by feedparser; the
   fetch log's detail says so ("feed (RSS 2.0): 20 entries").
1. pages/pagetext.py decodes and parses it once; pages/metadata.py reads what the page says
   about itself; pages/profiles.py finds the site's profile, if it has one.
2. pages/links.py finds, by what a reader sees, its related-articles box, More News link,
   pagination and comment links, on every page, profile or not.
3. Its kind: the profile's URL patterns when they name one, else pages/kinds.py (what the
   crawler expects, `Hint`, weighed against what the page shows).
4. Read by its kind: with the first of the profile's layouts of that kind whose `detect` matches
   (pages/layouts.py); else, or when the profile has no layout for it, the generic way:
   pages/generic.py (article text through trafilatura, with readability as a second opinion,
   after the boxes and links step 2 found are taken out), pages/comments.py (comment threads),
   or the listing's entries (pages/kinds.py). A page of a profiled site that none of its layouts
   of that kind reads is read the generic way and carries the warning ``layout_miss``, with the
   layouts tried: the site may have changed.

Links: a page carries the links the crawl may follow, in page order, deduplicated by target, as
canonical URLs (pages/urls.py), never itself: an Article its In Other News, More News and comment
links (the layout's and those step 2 found); a CommentThread the link back to its article; a
Listing its entries (`listing`) and pagination. Which of them the crawl follows is the crawler's
decision (its sites, bounds and robots.txt).

URLs: an Article's `url` is its <link rel=canonical> when that names an article of the same site
(on sites without a profile: the same host, not its home page), canonicalised; otherwise the
canonical form of the fetched URL (`ParsedPage.canonical`, pages/urls.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from archive.records import (
    Article,
    CommentThread,
    Link,
    Listing,
    NotAnArticle,
    Page,
    PageKind,
    Reason,
    Section,
)
from pages.feeds import Feed, read_feed
from pages.kinds import Hint, classify, content_links, declares_article, entries_of
from pages.layouts import layout_article, layout_comments, layout_links, layout_names, layouts_of
from pages.links import Discovery, discover
from pages.metadata import PageMeta, ParsedPage
from pages.pagetext import decode_html, parse_html
from pages.profiles import Profiles, SiteProfile, profile_for
from pages.shapes import worth_following
from pages.tagging import tag
from pages.urls import (
    article_url_for_comments,
    canonical_url_or_none,
    page_kind,
    resolve,
    same_site,
)
from pages.versions import extractor_version

__all__ = ["Hint", "parse_page"]

# Pages larger than this are read by a profile layout or not at all: the generic reading takes
# seconds on them (pages/generic.py refuses them, too).
MAX_GENERIC_CHARS = 4_000_000


def parse_page(
    url: str,
    body: bytes,
    *,
    content_type: str | None = None,
    hint: Hint | None = None,
    profiles: Profiles | None = None,
) -> Page:
    """The Article, CommentThread or Listing of a fetched page; raises NotAnArticle.

    `url` is the URL fetched (after redirects), `content_type` the Content-Type header, if any;
    `hint` what the crawler expects of the page; `profiles` the crawl's site profiles (default:
    the packaged ones). An Article names the versions that extracted it (pages/versions.py)
    and the police forces and people it names (pages/tagging.py).
    """
    page = _parse_page(url, body, content_type, hint or Hint(), profiles)
    if isinstance(page, Article):
        version = extractor_version(page.extractor, profile_for(url, profiles))
        # the police forces and people it names (pages/tagging.py: about half a millisecond)
        page = tag(replace(page, extractor_version=version))
    return page


def _parse_page(
    url: str, body: bytes, content_type: str | None, hint: Hint, profiles: Profiles | None
) -> Page:
    if (feed := read_feed(url, body, content_type)) is not None:
        return _feed_listing(url, feed, profiles)
    text = decode_html(body, content_type)
    root = parse_html(text)
    profile = profile_for(url, profiles)
    by_url = page_kind(url, profiles) if profile is not None else None
    page = ParsedPage(url, root, PageMeta(root), profile, by_url, profiles)
    if len(text) > MAX_GENERIC_CHARS:
        return _huge(page, text)
    found = discover(root, page.base, page.fetched_canonical)
    kind = PageKind(by_url) if by_url else classify(page, found, hint)
    if kind is PageKind.COMMENTS:
        return _comment_thread(page, found, hint)
    if kind is PageKind.LISTING:
        return _listing(page, found, hint)
    for layout in layouts_of(page, "article"):
        article = layout_article(page, layout)
        if article is not None:
            return replace(article, links=_article_links(page, found, article))
    if profile is not None and by_url is None and hint.kind is None and not declares_article(page):
        # a page of a profiled site the profile does not know, nobody said was an article
        raise NotAnArticle(Reason.UNKNOWN_LAYOUT, f"not an article page of {profile.name}: {url}")
    from pages.generic import generic_article  # here: the profile path never imports trafilatura

    article = generic_article(page, text, found, hint)
    article = replace(article, links=_article_links(page, found, article))
    if tried := layout_names(page, "article"):
        assert profile is not None
        detail = f"{profile.name}: {', '.join(tried)}"
        article = replace(article, warning=Reason.LAYOUT_MISS, warning_detail=detail)
    return article


# ---------------------------------------------------------------------------------------------
# Links

_ARTICLE_SECTIONS = (Section.IN_OTHER_NEWS, Section.MORE_NEWS, Section.COMMENTS)


def _keep(page: ParsedPage, target: str, section: Section, *, pinned: bool = False) -> bool:
    """Whether a page's link is one the crawl may follow: to the page's own site, and for a
    related or listing link, to a page worth following (pages/shapes.py). On a profiled site a
    URL of one of the profile's page kinds always is; one it does not know is kept only when the
    generic reader found it (a layout's selectors name what the profile knows)."""
    return _keep_link(page.url, page.profile, page.profiles, target, section, pinned=pinned)


def _keep_link(
    url: str,
    profile: SiteProfile | None,
    profiles: Profiles | None,
    target: str,
    section: Section,
    *,
    pinned: bool = False,
) -> bool:
    """`_keep`, for a link on the page at `url` of the site of `profile`."""
    if not same_site(url, target, profiles):
        return False
    if profile is not None:
        if page_kind(target, profiles) is not None:
            return True
        if pinned:
            return False
    return section not in (Section.IN_OTHER_NEWS, Section.LISTING) or worth_following(target)


def _links(
    page: ParsedPage, found: Discovery, self_url: str, sections: Iterable[Section]
) -> tuple[Link, ...]:
    """The links `found` of `sections` the crawl may follow, canonical and deduplicated."""
    wanted = set(sections)
    links = []
    for link in found.links:
        if link.section not in wanted:
            continue
        target = canonical_url_or_none(link.url, page.profiles)
        if target and _keep(page, target, link.section):
            links.append(Link(target, link.section, link.anchor))
    return _merge((), tuple(links), self_url)


def _article_links(page: ParsedPage, found: Discovery, article: Article) -> tuple[Link, ...]:
    """An article's links: the layout's, filtered, and for each section the layout does not
    pin (or whose selector found nothing), those the generic discovery found."""
    pinned = tuple(
        link for link in article.links if _keep(page, link.to_url, link.section, pinned=True)
    )
    have = {link.section for link in pinned}
    rest = [s for s in _ARTICLE_SECTIONS if s not in have]
    return _merge(pinned, _links(page, found, article.url, rest), article.url)


def _merge(first: tuple[Link, ...], more: tuple[Link, ...], self_url: str = "") -> tuple[Link, ...]:
    """`first`, then the links of `more` to targets not in `first` (nor the page itself)."""
    seen = {link.to_url for link in first} | ({self_url} if self_url else set())
    merged = list(first)
    for link in more:
        if link.to_url not in seen:
            seen.add(link.to_url)
            merged.append(link)
    return tuple(merged)


def _huge(page: ParsedPage, text: str) -> Page:
    """A page too large to read but with a profile layout: only a layout may read it."""
    for layout in layouts_of(page, "article"):
        if (article := layout_article(page, layout)) is not None:
            return replace(article, links=_article_links(page, Discovery(), article))
    raise NotAnArticle(Reason.TOO_LARGE, f"{len(text)} characters of HTML without a layout")


# ---------------------------------------------------------------------------------------------
# Comment threads


def _comment_thread(page: ParsedPage, found: Discovery, hint: Hint) -> CommentThread:
    url = page.canonical("comments")
    layouts = layouts_of(page, "comments")
    warning, detail = None, ""
    if layouts:
        layout = layouts[0]
        comments = layout_comments(page, layout)
        back = layout_links(page, url, [(layout.article_link, Section.COMMENTS)])
    else:
        from pages.comments import read_comments

        comments = read_comments(page.root, day_first=page.day_first)
        back = ()
        if tried := layout_names(page, "comments"):
            assert page.profile is not None
            warning, detail = Reason.LAYOUT_MISS, f"{page.profile.name}: {', '.join(tried)}"
    article_url = _article_of_thread(page, url, back, hint)
    if article_url is None:
        raise NotAnArticle(Reason.UNKNOWN_LAYOUT, f"no article for the comments page {page.url}")
    link = next((b for b in back if b.to_url == article_url), Link(article_url, Section.COMMENTS))
    return CommentThread(
        article_url=article_url,
        comments=comments,
        fetched_url=page.url,
        links=(link,),
        warning=warning,
        warning_detail=detail,
    )


def _article_of_thread(
    page: ParsedPage, url: str, back: tuple[Link, ...], hint: Hint
) -> str | None:
    """The canonical URL of the article a comment thread belongs to: the link back to it the
    layout names; else the article that linked here when the thread links back to it; else a
    link in the thread's headline; else the profile's URL scheme (comments.cfm?id=N ->
    article.cfm?id=N)."""
    profiles = page.profiles
    for link in back:
        if page.profile is None or page_kind(link.to_url, profiles) == PageKind.ARTICLE:
            return link.to_url
    targets: list[tuple[str, bool]] = []
    for a in page.root.iter("a"):
        absolute = resolve(page.base, a.get("href") or "") if a.get("href") else None
        target = canonical_url_or_none(absolute, profiles) if absolute else None
        if target and target != url:
            heading = any(p.tag in ("h1", "h2", "h3") for p in a.iterancestors())
            targets.append((target, heading))
    if hint.referrer and any(t == hint.referrer for t, _ in targets):
        return hint.referrer
    in_heading = [t for t, heading in targets if heading]
    if in_heading:
        return in_heading[0]
    return article_url_for_comments(url, profiles)


# ---------------------------------------------------------------------------------------------
# Listings


def _listing(page: ParsedPage, found: Discovery, hint: Hint) -> Listing:
    # not the <link rel=canonical>: sites often give every page of a listing its first page's
    url = page.fetched_canonical
    layouts = layouts_of(page, "listing")
    if layouts:
        layout = layouts[0]
        specs = [(layout.listing, Section.LISTING), (layout.pagination, Section.PAGINATION)]
        links = layout_links(page, url, specs)
        kept = tuple(link for link in links if _keep(page, link.to_url, link.section, pinned=True))
        return Listing(url=url, links=kept)
    entries = entries_of(page, found, hint)
    ordered: list[tuple[int, Link]] = []
    for link_url, text, position in content_links(page, found):
        target = canonical_url_or_none(link_url, page.profiles) if link_url in entries else None
        if target and _keep(page, target, Section.LISTING):
            ordered.append((position, Link(target, Section.LISTING, text)))
    for found_link in found.of(Section.PAGINATION):
        target = canonical_url_or_none(found_link.url, page.profiles)
        if target and _keep(page, target, Section.PAGINATION):
            ordered.append(
                (found_link.position, Link(target, Section.PAGINATION, found_link.anchor))
            )
    links = _merge((), tuple(link for _, link in sorted(ordered, key=lambda p: p[0])), url)
    warning, detail = None, ""
    if tried := layout_names(page, "listing"):
        assert page.profile is not None
        warning, detail = Reason.LAYOUT_MISS, f"{page.profile.name}: {', '.join(tried)}"
    return Listing(url=url, links=links, warning=warning, warning_detail=detail)


# ---------------------------------------------------------------------------------------------
# Feeds


def _feed_listing(url: str, feed: Feed, profiles: Profiles | None) -> Listing:
    """A feed as a Listing: its entries on its own site, as a listing page's entries are kept,
    the entry's title their anchor; the fetch log's detail describes the feed."""
    here = canonical_url_or_none(url, profiles) or url
    profile = profile_for(url, profiles)
    links = []
    for entry in feed.entries:
        target = canonical_url_or_none(entry.url, profiles)
        if target and _keep_link(url, profile, profiles, target, Section.LISTING):
            links.append(Link(target, Section.LISTING, entry.title))
    kept = _merge((), tuple(links), here)
    return Listing(url=here, links=kept, warning_detail=feed.describe(len(kept)))
