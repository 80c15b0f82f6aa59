"""What a page is, without a profile: an article, a listing or a comment thread. No Scrapy here.

The crawler says what it expects (`Hint.kind`: the section of the link that led here, or what
pages of the same URL shape turned out to be, pages/shapes.py); the page has the last word, by
what a reader sees:

- **an article** declares itself (`og:type` article, a JSON-LD NewsArticle/Article/BlogPosting)
  or reads like one: paragraphs of running text outside links, under one headline;
- **a listing** is a list of links to pages of one shape with headline-like texts (its entries,
  `listing_entries`), of another shape than its own, and little running text of its own: what
  a reader sees is its entries, one card each (pages/cards.py, `reads_as_listing`), and no
  article's body or dateline, however few the entries and whether or not it has pagination;
  a JSON-LD CollectionPage or ItemList (`declares_listing`) weighs in, but a page must still
  read as a list (SEO plugins say CollectionPage of blog posts). Besides, a page of five
  entries or more with its pagination, or of ten and no running text, is one too (when a link
  said it was an article: of eight with its pagination, and it must read plainly as a list);
- **a comment thread** is what a comments link leads to (or a URL that says "comment" with
  comments on it).

`classify` weighs these signals; `content_links` are the links of a page outside its navigation,
header, footer and forms, which a listing's entries are taken from.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from archive.records import PageKind, Section
from pages.cards import column, entry_cards, own_prose
from pages.links import Discovery
from pages.metadata import ParsedPage
from pages.notices import notices
from pages.pagetext import node_text
from pages.shapes import family, listing_entries
from pages.urls import page_kind, resolve, same_site

__all__ = ["Hint", "classify", "content_links", "entries_of"]

_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "report")
_COLLECTION_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage"})
_CHROME_TAGS = frozenset({"nav", "footer", "script", "style", "noscript", "template"})
# A form is chrome (search, log in, a comment box) unless it wraps the page (ASP.NET WebForms).
_FORM_WORDS = 150
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar"})
_LONG_BLOCK = 25  # words: a paragraph of running text, not a teaser line
_HEADLINE_WORDS = 3  # the fewest words of a listing's links, on average: headlines
_ARTICLE_MASS = 150  # words of running text in one place: an article's body
_TEXT_BLOCKS = ("p", "div", "td", "section", "article", "li", "dd", "blockquote", "font", "span")
_INLINE = frozenset({"b", "strong", "em", "i", "span", "font", "u", "small", "big", "br", "sup"})


@dataclass(frozen=True, slots=True)
class Hint:
    """What the crawler knows of a page before reading it (all optional)."""

    kind: PageKind | None = None  # what the link that led here says the page is
    anchor: str = ""  # that link's text: usually the article's headline
    referrer: str | None = None  # the canonical URL of the page that linked here
    article_shapes: frozenset[str] = frozenset()  # URL shapes known to be articles on this site


def in_chrome(el: Any) -> bool:
    """Whether an element is in the page's navigation, page header, footer or a form."""
    return el in chrome_of(el.getroottree().getroot())


@lru_cache(maxsize=2)
def chrome_of(root: Any) -> frozenset[Any]:
    """The elements of a page's navigation, page header, footer and forms (and their
    descendants), found once per page."""
    chrome: set[Any] = set()
    page_chars = len(root.text_content())
    for node in root.iter(etree.Element):
        if node in chrome:
            continue
        tag = node.tag
        if (
            tag in _CHROME_TAGS
            or (node.get("role") or "").lower() in _CHROME_ROLES
            or tag == "header"
            and not any(a.tag in ("article", "main") for a in node.iterancestors())
            or tag == "form"
            and _small_form(node.text_content(), page_chars)
        ):
            chrome.update(node.iter())
    return frozenset(chrome)


def _small_form(text: str, page_chars: int) -> bool:
    """Whether a form is chrome: under _FORM_WORDS words and not around most of the page (an
    ASP.NET page is one <form>, however short its article)."""
    return len(text.split()) < _FORM_WORDS and len(text) < 0.8 * page_chars


def content_links(page: ParsedPage, found: Discovery) -> Iterator[tuple[str, str, int]]:
    """(absolute URL, text, position among the page's links) of the page's links to its own
    site outside navigation, header, footer, forms, related boxes and the links `found` sorted
    into sections."""
    boxes = set(found.boxes)
    chrome = set(found.chrome)
    for position, a in enumerate(page.root.iter("a", "link")):
        href = a.get("href")
        if a.tag != "a" or not href or a in chrome or in_chrome(a):
            continue
        if any(p in boxes for p in a.iterancestors()):
            continue
        url = resolve(page.base, href)
        if url and same_site(page.url, url, page.profiles):
            yield url, node_text(a), position


def entries_of(page: ParsedPage, found: Discovery, hint: Hint) -> set[str]:
    """The absolute URLs of a listing page's entries (pages/shapes.py `listing_entries`)."""
    own = page.fetched_canonical
    links = [(url, text) for url, text, _ in content_links(page, found) if url != own]
    entries = listing_entries(links, hint.article_shapes)
    if page.profile is not None:  # the profile names its article URLs
        profiles = page.profiles
        entries |= {url for url, _ in links if page_kind(url, profiles) == PageKind.ARTICLE}
    return entries


def _types(page: ParsedPage) -> set[str]:
    value = page.meta.jsonld.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.lower() for v in values if isinstance(v, str)}


def _own_words(el: Any) -> int:
    """Words of an element's own running text: its text and its inline children's, not its
    blocks' and not its links'."""
    parts = [el.text or ""]
    for child in el:
        if child.tag in _INLINE:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return len(" ".join(parts).split())


@dataclass(frozen=True, slots=True)
class TextMass:
    """Where a page's running text is (blocks of 25 words or more outside its chrome)."""

    element: Any  # the parent holding the most of it (None: no running text)
    words: int  # the running words under `element`
    total: int  # the running words of the whole page
    blocks: tuple[tuple[Any, int], ...]  # every running block and its words


def text_mass(
    root: Any,
    entries: frozenset[str] | set[str] = frozenset(),
    base: str = "",
    skip: Collection[Any] = frozenset(),
) -> TextMass:
    """The parent that holds the most running text, not counting a parent with an entry link
    for every 50 words: an article's body is one such mass, a listing's teasers sit between its
    links. Blocks in `skip` (a listing's cards) are not running text either."""
    mass: dict[Any, int] = {}
    blocks = []
    chrome = chrome_of(root)
    for el in root.iter(*_TEXT_BLOCKS):
        words = _own_words(el)
        if words >= _LONG_BLOCK and el not in chrome and el not in skip:
            blocks.append((el, words))
            parent = el.getparent()
            key = parent if parent is not None else el
            mass[key] = mass.get(key, 0) + words
    best, best_words = None, 0
    for parent, words in sorted(mass.items(), key=lambda kv: -kv[1]):
        if words <= best_words:
            break
        links = 0
        if entries:
            links = sum(
                1 for a in parent.iter("a") if resolve(base, a.get("href") or "") in entries
            )
        if links * 50 <= words:
            best, best_words = parent, words
    return TextMass(best, best_words, sum(w for _, w in blocks), tuple(blocks))


def declares_article(page: ParsedPage) -> bool:
    """Whether the page says it is an article (`og:type`, its JSON-LD's type)."""
    og = page.meta.meta("og:type").lower()
    return og == "article" or bool(_types(page) & set(_ARTICLE_TYPES))


def declares_listing(page: ParsedPage) -> bool:
    """Whether the page's JSON-LD says it is a list of things (a CollectionPage, an ItemList, a
    SearchResultsPage). Not proof: blogs' SEO plugins say CollectionPage of a post, and an
    article that says so as well is an article (`declares_article` is asked first)."""
    return bool(page.meta.ld_types & _COLLECTION_TYPES)


def reads_as_listing(
    page: ParsedPage, found: Discovery, entries: set[str], *, strict: bool = False
) -> bool:
    """Whether the page is its entries, as a reader sees it (pages/cards.py):

    - a list of three cards or more, with at least half the page's cards, under headlines
      (`_HEADLINE_WORDS` words a link or more: a menu of pages is no such list);
    - no two paragraphs of running text in one place besides (`text_mass`: an article's body);
    - less running text of its own, in the column of its headline and list and after that
      headline, than a paragraph (`_LONG_BLOCK` words) or, unless `strict`, than a quarter of
      the words of its cards (up to two paragraphs: a line of introduction, a notice);
    - no dateline (an article's date or byline) between its headline and its list."""
    from pages.headline import dateline, main_elements  # here: pages.headline imports this

    root = page.root
    skip = set(chrome_of(root))  # where `content_links` takes no entry from
    for box in (*found.boxes, *found.chrome):
        skip.update(box.iter())
    cards = entry_cards(root, page.base, entries, skip)
    listed = cards.listed
    if len(listed) < 3 or 2 * len(listed) < len(cards.cards):
        return False  # the entries are not one list, but links scattered over the page
    if cards.headlines < _HEADLINE_WORDS * len(listed):
        return False  # a list, but not of headlines (a menu of pages)
    if text_mass(root, entries, page.base, cards.elements).words >= 2 * _LONG_BLOCK:
        return False  # two paragraphs of running text in one place, besides the list
    # nor is the text of other boxes of links (a list under its heading may be the listing's
    # own) or of notices running text
    for element in (*found.other_boxes, *notices(root, page.base).notices):
        skip.update(element.iter())
    # the page's headline: its one <h1> outside them, over the entries, not a link (a logo, a
    # linked headline); the text of a page without one is read whole
    h1s = [h for h in root.iter("h1") if h not in skip and h not in cards.elements]
    start = h1s[0] if len(h1s) == 1 and h1s[0].find(".//a") is None else None
    if start is not None and _first_of(root, start, listed[0]) is not start:
        start = None
    prose = own_prose(column(root, start, cards), start, skip | cards.elements)
    allowed = _LONG_BLOCK if strict else max(_LONG_BLOCK, min(cards.words / 4, 2 * _LONG_BLOCK))
    if prose >= allowed:
        return False
    main = set(main_elements(root))
    above: list[Any] = []  # what a reader reads before the first entry
    for element in root.iter():
        if element is listed[0]:
            break
        if element in main:
            above.append(element)
    return dateline(page, start if start in above else None, above).published is None


def _first_of(root: Any, one: Any, other: Any) -> Any:
    """Whichever of two elements comes first in the page."""
    return next(el for el in root.iter() if el is one or el is other)


def classify(page: ParsedPage, found: Discovery, hint: Hint) -> PageKind:
    """The kind of a page no profile pattern names (see the module docstring)."""
    if declares_article(page):
        return PageKind.ARTICLE
    if hint.kind is PageKind.COMMENTS:
        return PageKind.COMMENTS
    path = urlsplit(page.url)
    if "comment" in (path.path + "?" + path.query).lower() and hint.kind is None:
        from pages.comments import read_comments

        if read_comments(page.root, day_first=page.day_first):
            return PageKind.COMMENTS
    entry_urls = entries_of(page, found, hint)
    entries = len(entry_urls)
    paginated = bool(found.of(Section.PAGINATION))
    mass = text_mass(page.root, entry_urls, page.base).words
    if hint.kind is PageKind.LISTING:
        listing = (entries >= 3 or paginated) and mass < _ARTICLE_MASS * 2
        return PageKind.LISTING if listing else PageKind.ARTICLE
    if mass >= _ARTICLE_MASS:
        return PageKind.ARTICLE
    # a listing lists pages of another shape than its own (an article among its site's other
    # articles is one of them), and reads as a list of them: its entries' cards and little
    # running text of its own (`reads_as_listing`), whatever their number; when a link said
    # "article", plainly so, unless the page says it is a collection
    listed = entries >= 3 and not _own_shape(page.url, entry_urls)
    strict = hint.kind is PageKind.ARTICLE and not declares_listing(page)
    if listed and reads_as_listing(page, found, entry_urls, strict=strict):
        return PageKind.LISTING
    if hint.kind is PageKind.ARTICLE:
        listing = entries >= 8 and paginated and mass < _LONG_BLOCK * 2
        return PageKind.LISTING if listing else PageKind.ARTICLE
    # nobody said what it is (a seed, a saved page): also its pagination, or ten entries and no
    # running text of its own
    if entries < 5 or not listed:
        return PageKind.ARTICLE
    single = entries >= 10 and mass < _LONG_BLOCK * 2  # a listing of one page
    return PageKind.LISTING if paginated or single else PageKind.ARTICLE


def _own_shape(url: str, entries: set[str]) -> bool:
    """Whether most entries have the URL shape of the page itself."""
    own = family(url)
    return sum(family(entry) == own for entry in entries) * 2 >= len(entries)
