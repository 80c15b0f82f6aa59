"""The "newsroom" markup: a server-rendered JavaScript site of about 2021 (Next.js, CSS modules),
ids in the path after the section.

- URLs: ``/news/crime/N/headline-slug``, ``.../comments``, ``/news/page/N`` (page 1: ``/news``),
  no trailing slashes; drafts ``/news/drafts/N/`` (disallowed); the old ColdFusion URLs redirect
  as for blog (see schemes.py). Every link to an article uses its one path.
- HTML5; canonical link, og: metadata and JSON-LD (NewsArticle); <title> "Headline | Police
  Oracle"; hashed CSS-module classes (``Article_headline__8Yu1i``); the page's data again in a
  ``__NEXT_DATA__`` script.
- Headline in <h1>, "By Name" and ``<time dateTime="2020-08-12T17:04:00">12 August 2020</time>``:
  the time of day only in the attribute (and the metadata).
- The outage banner is a ``<div role="alert">``; the cookie notice a dialog with "Accept all";
  share links are icons with an aria-label.
- The related box is a ``<nav aria-label="More on this story">`` with no visible heading, a <ul>
  of root-relative hrefs (some with ``ref`` or a ``#main-content`` fragment, some absolute). "All
  news" follows; a "Most Read" <section> (an <ol> of other articles, not related ones) closes the
  page.
- "Comments (N)"; threads as a <ul> of <article>s, the author in <h3> and a <time>.
- Listings: cards whose whole block is the link, and "«", numbered pages and "»" (aria-labels
  "Previous page" and "Next page"), <link rel=next> and rel=prev in the head.
- Broken pages leave the body <div> and a <p> unclosed.
"""

# ruff: noqa: E501 - the page templates keep their markup lines whole

from __future__ import annotations

import json
import random
from html import escape
from urllib.parse import quote

from ..links import Link, with_params
from ..model import OUTAGE, SITE_NAME, SUBSCRIBE, FixtureArticle
from ..schemes import PathIds, slugify
from .base import (
    ArticleView,
    CommentsView,
    ListingView,
    Markup,
    blocks,
    json_ld,
    long_date,
    meta_charset,
    pick,
    ul,
)

COOKIES = "We and our partners use cookies to measure how our site is used and to show you relevant content."
PAYWALL = "Continue reading with a subscription"
LABEL = "More on this story"


def _head(title: str, charset: str, extra: str) -> str:
    return f"""<!DOCTYPE html><html lang="en-GB"><head>{charset}<meta name="viewport" content="width=device-width"/>
<title>{escape(title)}</title>
{extra}<link rel="preload" href="/_next/static/css/2f1e3a9c.css" as="style"/><link rel="stylesheet" href="/_next/static/css/2f1e3a9c.css"/>
</head>
<body><div id="__next">
<div role="alert" class="Banner_root__3kX9a">{OUTAGE}</div>
<header class="Header_root__1aB2c"><a class="Header_logo__9dE1f" href="/" aria-label="{SITE_NAME} home">{SITE_NAME}</a>
<nav aria-label="Sections" class="Header_nav__x1Lm0"><a href="/news">News</a><a href="/jobs/">Jobs</a><a href="/calendar.cfm?month=8&amp;year=2021">Events</a><a href="/search.cfm?q=">Search</a></nav>
<a class="Header_cta__4Rt5y" href="/subscribe.cfm">Subscribe</a></header>
<main class="Layout_main__7Hj2k" id="main-content">
"""


def _foot(data: dict, year: int) -> str:
    blob = json.dumps(data).replace("<", "\\u003c")
    return f"""</main>
<footer class="Footer_root__6Hj3k"><p>&copy; {year} {SITE_NAME} Ltd. Registered in England and Wales.</p><a href="/terms.cfm">Terms of use</a> <a href="/privacy.cfm">Privacy</a> <a href="/cookies.cfm">Cookies</a></footer>
<div class="Cookie_root__2Kl4m" role="dialog" aria-label="Cookie consent"><p>{COOKIES}</p><button type="button">Accept all</button><button type="button">Manage preferences</button></div>
</div>
<script id="__NEXT_DATA__" type="application/json">{blob}</script>
</body></html>
"""


class Newsroom(Markup):
    name = "newsroom"
    scheme = PathIds(slash=False, category=True)
    picks = 5
    box = (f'<nav aria-label="{LABEL}" class="Related_root__5Sd6f">', "</nav>")

    def article(self, v: ArticleView) -> str:
        a = v.a
        parts = blocks(a, ul)
        body = "".join(html if kind == "list" else f"<p>{html}</p>" for kind, html in parts)
        if a.broken:
            body = "<p>" + body
        extra = f"""<link rel="canonical" href="{escape(v.canonical)}"/>
<meta name="description" content="{escape(a.standfirst)}"/>
<meta property="og:title" content="{escape(a.title)}"/><meta property="og:url" content="{escape(v.canonical)}"/><meta property="og:type" content="article"/><meta property="og:image" content="{v.base}/images/og/{a.id}.jpg"/>
<meta name="twitter:card" content="summary_large_image"/>
{json_ld(v, site_name=SITE_NAME)}
"""
        by = (
            f'<span>By <a href="/news?author={a.id % 7}">{escape(a.author)}</a></span>'
            if a.author
            else ""
        )
        paywall = (
            f'<div class="Paywall_root__7Gh2j"><h2>{PAYWALL}</h2><p>{SUBSCRIBE}</p><a href="/subscribe.cfm">Start your subscription</a></div>'
            if a.paywalled
            else ""
        )
        shared = quote(v.canonical, safe="")
        related = "".join(
            f'<li><a href="{escape(href)}">{escape(title)}</a></li>' for href, title in v.related
        )
        most = "".join(
            f'<li><a href="{escape(href)}">{escape(title)}</a></li>' for href, title in v.picks
        )
        data = {
            "props": {
                "pageProps": {"article": {"id": a.id, "title": a.title, "slug": slugify(a.title)}}
            },
            "page": "/news/[section]/[id]/[slug]",
            "buildId": "k3Jd9sQ2",
        }
        return (
            _head(f"{a.title} | {SITE_NAME}", meta_charset(a).replace('">', '"/>'), extra)
            + f"""<article class="Article_root__4Tm8p">
<a class="Article_section__2Qw3e" href="/news?category={quote(a.category)}">{escape(a.category)}</a>
<h1 class="Article_headline__8Yu1i">{escape(a.title)}</h1>
<p class="Article_standfirst__5Re4t">{escape(a.standfirst)}</p>
<div class="Article_meta__6Ui7o">{by}<time dateTime="{v.iso}">{long_date(a.published)}</time></div>
<div class="Share_root__1Op9i"><a aria-label="Share on Twitter" href="https://twitter.com/intent/tweet?url={shared}"><svg width="20" height="20"></svg></a><a aria-label="Share on Facebook" href="https://www.facebook.com/sharer/sharer.php?u={shared}"><svg width="20" height="20"></svg></a><a aria-label="Print this article" href="/news/print.cfm?id={a.id}"><svg width="20" height="20"></svg></a><button type="button">Copy link</button></div>
<div class="Article_body__3Lk0m">{body}{"" if a.broken else "</div>"}
{paywall}<a class="Article_comments__0Zx1c" href="{v.comments_path}">Comments ({len(a.comments)})</a>
</article>
<nav aria-label="{LABEL}" class="Related_root__5Sd6f"><ul class="Related_list__2Df4g">{related}</ul></nav>
<a class="Article_more__1Fd3g" href="{v.listing_path}">All news</a>
<section class="MostRead_root__8Jk2l" aria-labelledby="most-read"><h2 id="most-read">Most Read</h2><ol>{most}</ol></section>
"""
            + _foot(data, a.published.year)
        )

    def comments(self, v: CommentsView) -> str:
        a = v.a
        items = "".join(
            f'<li><article><h3>{escape(c.author)}</h3><time dateTime="{c.posted:%Y-%m-%dT%H:%M:%S}">{long_date(c.posted)} at {c.posted:%H:%M}</time><p>{escape(c.text)}</p></article></li>'
            for c in a.comments
        )
        extra = f'<link rel="canonical" href="{escape(v.url)}"/>\n'
        return (
            _head(f"Comments: {a.title} | {SITE_NAME}", meta_charset(a).replace('">', '"/>'), extra)
            + f"""<h1 class="Comments_title__9Kj2h">Comments</h1>
<p><a href="{v.article_path}">Back to the story: {escape(a.title)}</a></p>
<ul class="Comments_list__3Hg5f">{items}</ul>
{"" if a.comments else "<p>No comments yet.</p>"}
"""
            + _foot({"page": "/news/[section]/[id]/[slug]/comments"}, a.published.year)
        )

    def listing(self, v: ListingView) -> str:
        cards = "".join(
            f'<article class="Card_root__0Po9i"><a class="Card_link__6Yt5r" href="{escape(href)}"><h2 class="Card_title__2We3q">{escape(title)}</h2><p>{escape(teaser)}</p></a></article>'
            for href, title, teaser in v.entries
        )
        links = "".join(
            f'<link rel="{rel}" href="{v.base}{path}"/>\n' for rel, path in v.neighbours()
        )
        nav = v.pager(
            '<a href="{href}">{p}</a>',
            '<a aria-current="page">{p}</a>',
            '<a href="{href}" aria-label="Previous page">&laquo;</a>',
            '<a href="{href}" aria-label="Next page">&raquo;</a>',
        )
        return (
            _head(f"News | {SITE_NAME}", '<meta charset="utf-8"/>', links)
            + f"""<h1 class="Listing_title__5Tg6h">News</h1>
<div class="Listing_grid__8Uj7k">{cards}</div>
<nav aria-label="Pagination" class="Pager_root__2Zx3c">{"".join(nav)}</nav>
"""
            + _foot({"page": "/news/page/[page]", "query": {"page": v.page}}, 2022)
        )

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        out = [
            OUTAGE,
            COOKIES,
            LABEL,
            "Most Read",
            "All news",
            "Copy link",
            "Accept all",
            "Manage preferences",
            "Registered in England and Wales",
            "Print this article",
            "Terms of use",
            "Privacy",
        ]
        if a is None:
            return [*out, "Comments (", PAYWALL, SUBSCRIBE]
        out.append(f"Comments ({len(a.comments)})")
        return out + ([PAYWALL, SUBSCRIBE] if a.paywalled else [])

    def related_link(self, rng: random.Random, kind: str, path: str) -> Link:
        if kind != "article":
            return Link(path)
        return pick(
            rng,
            [
                (50, lambda: Link(path)),
                (20, lambda: Link(with_params(path, "ref=more-on-this-story"))),
                (15, lambda: Link(path, fragment="main-content")),
                (15, lambda: Link(path, "absolute")),
            ],
        )
