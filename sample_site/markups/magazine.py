"""The "magazine" markup: a responsive redesign of about 2016 (BEM classes), with a touch edition.

- HTML5; canonical link and og: metadata (no JSON-LD); <title> "Headline | Police Oracle".
- The outage banner is a ``<div role="alert">``; a cookie bar with a "Got it" button; a masthead
  with nav and a "Subscribe" button; share links (Twitter, Facebook, e-mail) and "Print".
- Headline in <h1>, "By Name" and ``<time datetime="2020-08-12T17:04">12 August 2020,
  17:04</time>``; the standfirst a paragraph of its own.
- The related box is an ``<aside>`` beside the article: ``<h2>You may also like</h2>`` and a <ul>;
  hrefs absolute on www or on the touch host, protocol-relative, root-relative (some with
  ``utm_*``). "More stories" ends it. An "Editor's picks" <section> under the article links other
  articles (not related ones).
- "Comments (N)" under the article; threads as an <ol> of <li> with the author in <cite> and a
  <time>. Listings: an <ol>, "‹ Previous", numbered pages and "Next ›" with rel=prev/next on the
  <a> and <link rel=next> in the head.
- The touch edition (``touch.`` host, proxy mode only) is a lighter template of the same article:
  canonical link to www, the related box a <div> whose label is ``<b>You may also like</b>``.
- Broken pages leave the body <div> and a <p> unclosed.
"""

# ruff: noqa: E501 - the page templates keep their markup lines whole

from __future__ import annotations

import random
from html import escape
from urllib.parse import quote

from ..links import Link, with_params
from ..model import OUTAGE, SITE_NAME, SUBSCRIBE, FixtureArticle
from .base import (
    ArticleView,
    CommentsView,
    ListingView,
    Markup,
    blocks,
    iso_minutes,
    long_comma,
    meta_charset,
    pick,
    ul,
)

COOKIES = "We use cookies to personalise content and to analyse our traffic."
PAYWALL_TITLE = "Subscribe to keep reading"


def _head(title: str, charset: str, extra: str, body_class: str) -> str:
    return f"""<!doctype html>
<html lang="en-GB" class="no-js">
<head>
{charset}
<meta http-equiv="x-ua-compatible" content="ie=edge">
<title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{extra}<link rel="stylesheet" href="/assets/css/main.min.css?v=3.2.1">
</head>
<body class="{body_class}">
"""


def _chrome() -> str:
    return f"""<div class="c-alert" role="alert"><p class="c-alert__text">{OUTAGE}</p></div>
<div class="c-cookie-bar" id="cookie-bar"><p class="c-cookie-bar__text">{COOKIES}</p><button class="c-cookie-bar__btn" type="button">Got it</button> <a class="c-cookie-bar__link" href="/cookies.cfm">Cookie policy</a></div>
<header class="c-masthead"><a class="c-masthead__logo" href="/">{SITE_NAME}</a>
<nav class="c-nav" aria-label="Main"><ul class="c-nav__list"><li class="c-nav__item"><a href="/news/index.cfm">News</a></li><li class="c-nav__item"><a href="/jobs/">Jobs</a></li><li class="c-nav__item"><a href="/calendar.cfm?month=8&amp;year=2016">Events</a></li><li class="c-nav__item"><a href="/search.cfm?q=">Search</a></li></ul></nav>
<a class="c-masthead__subscribe" href="/subscribe.cfm">Subscribe</a> <a class="c-masthead__login" href="/login.cfm">Sign in</a></header>
"""


def _foot(year: int) -> str:
    return f"""<footer class="c-footer"><p class="c-footer__copy">&copy; {year} {SITE_NAME}. All rights reserved.</p>
<ul class="c-footer__links"><li><a href="/terms.cfm">Terms and conditions</a></li><li><a href="/privacy.cfm">Privacy notice</a></li><li><a href="/contact.cfm">Contact</a></li></ul></footer>
<script src="/assets/js/main.min.js"></script>
</body>
</html>
"""


def _meta(v: ArticleView) -> str:
    a = v.a
    author = f'<meta property="article:author" content="{escape(a.author)}">\n' if a.author else ""
    return f"""<link rel="canonical" href="{escape(v.canonical)}">
<meta name="description" content="{escape(a.standfirst)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(a.title)}">
<meta property="og:description" content="{escape(a.standfirst)}">
<meta property="og:url" content="{escape(v.canonical)}">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="article:published_time" content="{v.iso}">
{author}<meta name="twitter:card" content="summary">
"""


def _list(links: list[tuple[str, str]], item: str, link: str) -> str:
    return "\n".join(
        f'<li class="{item}"><a class="{link}" href="{escape(href)}">{escape(title)}</a></li>'
        for href, title in links
    )


class Magazine(Markup):
    name = "magazine"
    touch_edition = True
    picks = 3

    def article(self, v: ArticleView) -> str:
        a = v.a
        parts = blocks(a, ul)
        body = "\n".join(html if kind == "list" else f"<p>{html}</p>" for kind, html in parts)
        if a.broken:
            body = "<p>" + body
        by = (
            f'<span class="c-article__author">By <a href="/news/index.cfm?author={a.id % 7}">{escape(a.author)}</a></span> '
            if a.author
            else ""
        )
        when = f'<time class="c-article__date" datetime="{iso_minutes(a.published)}">{long_comma(a.published)}</time>'
        paywall = (
            f'<div class="c-paywall"><h2 class="c-paywall__title">{PAYWALL_TITLE}</h2><p>{SUBSCRIBE}</p><a class="c-btn" href="/subscribe.cfm">Subscribe</a></div>\n'
            if a.paywalled
            else ""
        )
        comments = f'<a href="/news/comments.cfm?id={a.id}">Comments ({len(a.comments)})</a>'
        if v.touch:
            return self._touch(v, body, by + when, paywall, comments)
        shared = quote(v.canonical, safe="")
        return (
            _head(f"{a.title} | {SITE_NAME}", meta_charset(a), _meta(v), "t-article")
            + _chrome()
            + f"""<main class="o-wrapper">
<div class="o-layout">
<article class="c-article o-layout__main">
<a class="c-article__kicker" href="/news/index.cfm?category={quote(a.category)}">{escape(a.category)}</a>
<h1 class="c-article__title">{escape(a.title)}</h1>
<p class="c-article__standfirst">{escape(a.standfirst)}</p>
<div class="c-article__meta">{by}{when}</div>
<ul class="c-share"><li><a class="c-share__link" href="https://twitter.com/intent/tweet?url={shared}">Share on Twitter</a></li><li><a class="c-share__link" href="https://www.facebook.com/sharer/sharer.php?u={shared}">Share on Facebook</a></li><li><a class="c-share__link" href="/news/email.cfm?id={a.id}">Share by email</a></li><li><a class="c-share__link" href="/news/print.cfm?id={a.id}" rel="nofollow">Print</a></li></ul>
<div class="c-article__body">
{body}
{"" if a.broken else "</div>"}
{paywall}<p class="c-article__comments">{comments}</p>
<section class="c-picks"><h3 class="c-picks__title">Editor's picks</h3>
<ul class="c-picks__list">
{_list(v.picks, "c-picks__item", "c-picks__link")}
</ul></section>
</article>
<aside class="c-related o-layout__side">
<h2 class="c-related__title">You may also like</h2>
<ul class="c-related__list">
{_list(v.related, "c-related__item", "c-related__link")}
</ul>
<a class="c-related__more" href="/news/index.cfm">More stories</a>
</aside>
</div>
</main>
"""
            + _foot(a.published.year)
        )

    def _touch(self, v: ArticleView, body: str, meta: str, paywall: str, comments: str) -> str:
        a = v.a
        related = "\n".join(
            f'<li><a href="{escape(href)}">{escape(title)}</a></li>' for href, title in v.related
        )
        return (
            _head(
                f"{a.title} | {SITE_NAME}",
                meta_charset(a),
                f'<link rel="canonical" href="{escape(v.canonical)}">\n',
                "m-body",
            )
            + f"""<div class="m-alert" role="alert">{OUTAGE}</div>
<header class="m-header"><a href="/">{SITE_NAME}</a> <a class="m-header__menu" href="/menu.cfm">Menu</a></header>
<article class="m-article">
<h1>{escape(a.title)}</h1>
<p class="m-article__meta">{meta}</p>
<p class="m-article__standfirst">{escape(a.standfirst)}</p>
{body}
{paywall}<p class="m-article__comments">{comments}</p>
</article>
<div class="m-more"><b>You may also like</b>
<ul>
{related}
</ul>
<p><a href="/news/index.cfm">More stories</a></p></div>
<footer class="m-footer"><p>{COOKIES}</p><p>&copy; {SITE_NAME} | <a href="{v.base}/">Desktop site</a></p></footer>
</body>
</html>
"""
        )

    def related_box(self, html: str) -> str:
        start = "<b>You may also like</b>" if 'class="m-body"' in html else "You may also like</h2>"
        return html.split(start, 1)[1].split("</ul>", 1)[0]

    def comments(self, v: CommentsView) -> str:
        a = v.a
        items = "\n".join(
            f'<li class="c-comment"><cite class="c-comment__author">{escape(c.author)}</cite> <time class="c-comment__date" datetime="{iso_minutes(c.posted)}">{long_comma(c.posted)}</time><div class="c-comment__body"><p>{escape(c.text)}</p></div></li>'
            for c in a.comments
        )
        extra = f'<link rel="canonical" href="{escape(v.url)}">\n'
        return (
            _head(f"Comments: {a.title} | {SITE_NAME}", meta_charset(a), extra, "t-comments")
            + _chrome()
            + f"""<main class="o-wrapper">
<h1 class="c-comments__title">Comments on <a href="{v.article_path}">{escape(a.title)}</a></h1>
<ol class="c-comments">
{items}
</ol>
{"" if a.comments else '<p class="c-comments__empty">No comments yet.</p>'}
</main>
"""
            + _foot(a.published.year)
        )

    def listing(self, v: ListingView) -> str:
        items = "\n".join(
            f'<li class="c-list__item"><h3 class="c-list__title"><a href="{escape(href)}">{escape(title)}</a></h3><p class="c-list__teaser">{escape(teaser)}</p></li>'
            for href, title, teaser in v.entries
        )
        links = "".join(
            f'<link rel="{rel}" href="{v.base}{path}">\n' for rel, path in v.neighbours()
        )
        nav = v.pager(
            '<a class="c-pager__num" href="{href}">{p}</a>',
            '<span class="c-pager__current">{p}</span>',
            '<a class="c-pager__prev" rel="prev" href="{href}">&lsaquo; Previous</a>',
            '<a class="c-pager__next" rel="next" href="{href}">Next &rsaquo;</a>',
        )
        return (
            _head(f"News | {SITE_NAME}", '<meta charset="utf-8">', links, "t-listing")
            + _chrome()
            + f"""<main class="o-wrapper">
<h1 class="c-list__heading">Latest news</h1>
<ol class="c-list">
{items}
</ol>
<nav class="c-pager" aria-label="Pagination">{" ".join(nav)}</nav>
</main>
"""
            + _foot(2022)
        )

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        out = [
            OUTAGE,
            COOKIES,
            "Got it",
            "Cookie policy",
            "You may also like",
            "Editor's picks",
            "More stories",
            "Share on Twitter",
            "Share on Facebook",
            "Share by email",
            "All rights reserved",
            "Terms and conditions",
            "Privacy notice",
            "Print",
            "Sign in",
        ]
        if a is None:
            return [*out, "Comments (", PAYWALL_TITLE, SUBSCRIBE]
        out.append(f"Comments ({len(a.comments)})")
        return out + ([PAYWALL_TITLE, SUBSCRIBE] if a.paywalled else [])

    def related_link(self, rng: random.Random, kind: str, path: str) -> Link:
        if kind != "article":
            return Link(path)
        return pick(
            rng,
            [
                (30, lambda: Link(path, "absolute")),
                (15, lambda: Link(path, "touch")),
                (20, lambda: Link(path, "protocol")),
                (20, lambda: Link(with_params(path, "utm_source=related&utm_medium=onsite"))),
                (15, lambda: Link(path)),
            ],
        )
