"""What every markup provides, the views it renders, and helpers shared by markups.

A markup renders three kinds of page from a view: an article (`ArticleView`), its comment thread
(`CommentsView`) and a listing page (`ListingView`). Views carry the data and every href already
spelt for the mode being served (proxy or origin), so a markup never builds an absolute URL
itself except from `view.base`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from ..links import Bases, Link, with_params
from ..model import FixtureArticle
from ..schemes import QUERY, QueryIds


@dataclass
class ArticleView:
    a: FixtureArticle
    bases: Bases
    url: str  # this page's own URL (on the touch host for the touch edition)
    canonical: str  # the article's URL on www (or the origin)
    path: str  # the article's root-relative path
    comments_path: str
    listing_path: str  # listing page 1 (More News)
    related: list[tuple[str, str]]  # In Other News: (href, title), in order
    picks: list[tuple[str, str]] = field(default_factory=list)  # other boxes: (href, title)
    touch: bool = False

    @property
    def base(self) -> str:
        return self.bases.www

    @property
    def iso(self) -> str:
        return self.a.published.strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class CommentsView:
    a: FixtureArticle
    bases: Bases
    url: str  # the thread's URL
    article_path: str
    article_url: str  # the article's canonical URL

    @property
    def base(self) -> str:
        return self.bases.www


@dataclass
class ListingView:
    page: int
    pages: int  # 1 for a filtered listing (category, author...)
    entries: list[tuple[str, str, str]]  # (href, title, teaser)
    bases: Bases
    page_path: Callable[[int], str]  # root-relative path of listing page N

    @property
    def base(self) -> str:
        return self.bases.www

    def window(self) -> range:
        """The numbered page links every listing shows: two either side of this page."""
        return range(max(1, self.page - 2), min(self.pages, self.page + 2) + 1)

    def neighbours(self) -> list[tuple[str, str]]:
        """("prev", path) and ("next", path) of the pages before and after this one, if any."""
        steps = (("prev", self.page - 1), ("next", self.page + 1))
        return [(rel, self.page_path(p)) for rel, p in steps if 1 <= p <= self.pages]

    def pager(self, number: str, current: str, prev: str, next_: str) -> list[str]:
        """The pagination a reader sees, in order: `prev` (when there is a page before), the
        numbered pages of `window` (`current` for this one, `number` for the others), `next_`
        (when there is a page after). Templates: {href} is a page's path, {p} its number."""
        nav = [prev.format(href=path) for rel, path in self.neighbours() if rel == "prev"]
        nav += [
            current.format(p=p) if p == self.page else number.format(href=self.page_path(p), p=p)
            for p in self.window()
        ]
        return nav + [next_.format(href=path) for rel, path in self.neighbours() if rel == "next"]


class Markup:
    """One way of writing the site. Subclasses set the class attributes and render the pages;
    their module docstring says what they vary."""

    name = ""
    scheme: QueryIds = QUERY
    touch_edition = False  # a touch. host in proxy mode, serving `article(view)` with touch=True
    picks = 0  # how many links to other articles its other boxes (Most Read...) carry
    box = ("", "")  # HTML strings just before and after the related box's links (tests)

    def article(self, v: ArticleView) -> str:
        raise NotImplementedError

    def comments(self, v: CommentsView) -> str:
        raise NotImplementedError

    def listing(self, v: ListingView) -> str:
        raise NotImplementedError

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        """Strings on article pages that are never article text; with `a`, those of its page
        only (all present on it), else those of the markup (each on some article page)."""
        raise NotImplementedError

    def related_box(self, html: str) -> str:
        """The part of an article page holding exactly its related links (for tests)."""
        start, end = self.box
        return html.split(start, 1)[1].split(end, 1)[0]

    # --- link spelling (drawn at build time with a random.Random of the markup's own) ---------

    def related_link(self, rng: random.Random, kind: str, path: str) -> Link:
        """How this markup writes an In Other News link to `path` (kind: see LINK_KINDS)."""
        return Link(path)

    def listing_link(self, rng: random.Random, path: str) -> Link:
        return Link(path)

    def pick_link(self, path: str) -> Link:
        return Link(path)


# --- shared helpers -------------------------------------------------------------------------


def pick(rng: random.Random, weighted: list[tuple[float, Callable[[], Link]]]) -> Link:
    """One of the weighted spellings (weights need not sum to 1)."""
    x = rng.random() * sum(w for w, _ in weighted)
    for weight, make in weighted:
        x -= weight
        if x < 0:
            return make()
    return weighted[-1][1]()


def tracked(path: str, params: str, *, first: bool = False) -> str:
    return with_params(path, params, first=first)


def paragraph(a: FixtureArticle, i: int, para: str) -> str:
    """A paragraph's HTML; the link sentence carries an inline link mid-sentence."""
    if a.link_sentence != i:
        return escape(para)
    words = para.split(" ")
    cut = max(1, len(words) // 2)
    head, linked, tail = " ".join(words[:cut]), words[cut], " ".join(words[cut + 1 :])
    link = (
        f'<a href="https://www.gov.uk/government/publications/report-{a.id}">{escape(linked)}</a>'
    )
    return f"{escape(head)} {link} {escape(tail)}".rstrip()


def blocks(a: FixtureArticle, bullets: Callable[[list[str]], str]) -> list[tuple[str, str]]:
    """("p", html) for each visible paragraph and ("list", html) for the bullet list, in order;
    `bullets` writes the list."""
    out = []
    for i, para in enumerate(a.visible_paragraphs):
        out.append(("p", paragraph(a, i, para)))
        if i == 1 and a.bullets and not a.paywalled:
            out.append(("list", bullets(a.bullets)))
    return out


def ul(items: list[str], attrs: str = "") -> str:
    return f"<ul{attrs}>" + "".join(f"<li>{escape(b)}</li>" for b in items) + "</ul>"


def meta_charset(a: FixtureArticle, *, html5: bool = True) -> str:
    if a.encoding == "utf-8":
        return (
            '<meta charset="utf-8">'
            if html5
            else ('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">')
        )
    return f'<meta http-equiv="Content-Type" content="text/html; charset={a.encoding}">'


def js(text: str) -> str:
    """A JSON string literal safe inside <script>: no "</script>", no entity-looking text."""
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def json_ld(v: ArticleView, *, site_name: str) -> str:
    a = v.a
    author = f'"author": {{"@type": "Person", "name": {js(a.author)}}}, ' if a.author else ""
    return (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        f'"@type": "NewsArticle", "mainEntityOfPage": {js(v.canonical)}, '
        f'"headline": {js(a.title)}, "datePublished": "{v.iso}", {author}'
        f'"articleSection": {js(a.category)}, '
        f'"publisher": {{"@type": "Organization", "name": {js(site_name)}}}}}</script>'
    )


# --- dates, as the markups show them ---------------------------------------------------------


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def clock12(ts: datetime, sep: str = ".") -> str:
    """5.04pm"""
    hour = ts.hour % 12 or 12
    return f"{hour}{sep}{ts.minute:02d}{'am' if ts.hour < 12 else 'pm'}"


def dmy_slash(ts: datetime, *, long_year: bool = True, at: bool = True) -> str:
    """12/08/2010 @ 17:04, 12/08/10 17:04"""
    date = ts.strftime("%d/%m/%Y" if long_year else "%d/%m/%y")
    return f"{date} @ {ts:%H:%M}" if at else f"{date} {ts:%H:%M}"


def long_date(ts: datetime) -> str:
    """12 August 2020"""
    return f"{ts.day} {ts:%B %Y}"


def long_comma(ts: datetime) -> str:
    """12 August 2020, 17:04"""
    return f"{long_date(ts)}, {ts:%H:%M}"


def weekday_12h(ts: datetime) -> str:
    """Thursday 12 August 2020 5.04pm"""
    return f"{ts:%A} {long_date(ts)} {clock12(ts)}"


def ordinal_at(ts: datetime) -> str:
    """12th August 2020 at 17:04"""
    return f"{ordinal(ts.day)} {ts:%B %Y} at {ts:%H:%M}"


def iso_minutes(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M")
