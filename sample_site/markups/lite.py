"""The "lite" markup: a text-only, accessible edition of about 2012 (as for screen readers and
slow connections), almost no styling.

- HTML5 with a canonical link but no og:/JSON-LD metadata; <title> "Headline | Police Oracle";
  a "Skip to content" link; nav, banner and cookie notice as plain paragraphs (the banner in a
  ``<div role="status">``); <hr> between header, content and footer.
- Headline in <h1>, then "By Name" and "12 August 2010, 17:04" in one paragraph; the standfirst in
  <em>; print ("Print") and e-mail ("Send to a friend") links as text.
- The related links come right after the article in the same <div>: ``<p><strong>Read
  more:</strong></p>`` then a <ul>; hrefs root-relative (some with ``ref`` or a ``#main``
  fragment) or absolute on www. "More stories" and "Leave a Comment" follow.
- Threads: an <ol> of comments, "Name (12 August 2010, 17:04)" in bold then the text.
- Listings: an <ol> of headlines, "Previous" and "Next" with rel=prev/next, numbered pages.
- Broken pages leave the last <p> of the article and its <div> unclosed.
"""

# ruff: noqa: E501 - the page templates keep their markup lines whole

from __future__ import annotations

import random
from html import escape

from ..links import Link, with_params
from ..model import OUTAGE, SITE_NAME, SUBSCRIBE, FixtureArticle
from .base import (
    ArticleView,
    CommentsView,
    ListingView,
    Markup,
    blocks,
    long_comma,
    meta_charset,
    pick,
    ul,
)

COOKIES = "This edition stores one cookie to remember that you chose the text-only site."


def _head(title: str, charset: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
{charset}
<title>{escape(title)}</title>
{extra}<meta name="viewport" content="width=device-width">
</head>
<body>
<p class="skip"><a href="#main">Skip to content</a></p>
<div role="status"><p>{OUTAGE}</p></div>
<p>{COOKIES} <a href="/cookies.cfm">Cookie settings</a></p>
<p><a href="/">{SITE_NAME}</a> | <a href="/news/index.cfm">News</a> | <a href="/jobs/">Jobs</a> | <a href="/search.cfm?q=">Search</a> | <a href="/login.cfm">Sign in</a></p>
<hr>
"""


def _foot(base: str, year: int) -> str:
    return f"""<hr>
<p class="lite-foot">&copy; {SITE_NAME} {year}. <a href="/terms.cfm">Terms</a> | <a href="/privacy.cfm">Privacy</a> | <a href="{base}/">Full site</a></p>
</body>
</html>
"""


class Lite(Markup):
    name = "lite"
    box = ("<p><strong>Read more:</strong></p>", "</ul>")

    def article(self, v: ArticleView) -> str:
        a = v.a
        parts = blocks(a, ul)
        body = "\n".join(html if kind == "list" else f"<p>{html}</p>" for kind, html in parts)
        by = f"By {escape(a.author)}<br>" if a.author else ""
        paywall = (
            f'<p><strong>{SUBSCRIBE}</strong> <a href="/subscribe.cfm">Subscribe</a></p>\n'
            if a.paywalled
            else ""
        )
        related = "\n".join(
            f'<li><a href="{escape(href)}">{escape(title)}</a></li>' for href, title in v.related
        )
        extra = f'<link rel="canonical" href="{escape(v.canonical)}">\n'
        end = "<p>" if a.broken else "</div>"
        return (
            _head(f"{a.title} | {SITE_NAME}", meta_charset(a), extra)
            + f"""<div id="main">
<p>{escape(a.category)}</p>
<h1>{escape(a.title)}</h1>
<p class="lite-meta">{by}{long_comma(a.published)}</p>
<p><em>{escape(a.standfirst)}</em></p>
{body}
{paywall}<p><a href="/news/print.cfm?id={a.id}">Print</a> | <a href="/news/email.cfm?id={a.id}">Send to a friend</a></p>
<p><strong>Read more:</strong></p>
<ul>
{related}
</ul>
<p><a href="/news/index.cfm">More stories</a> | <a href="/news/comments.cfm?id={a.id}#add">Leave a Comment</a></p>
{end}
"""
            + _foot(v.base, a.published.year)
        )

    def comments(self, v: CommentsView) -> str:
        a = v.a
        items = "\n".join(
            f"<li><p><b>{escape(c.author)}</b> ({long_comma(c.posted)})</p><p>{escape(c.text)}</p></li>"
            for c in a.comments
        )
        return (
            _head(f"Comments: {a.title} | {SITE_NAME}", meta_charset(a))
            + f"""<div id="main">
<h1>Comments</h1>
<p>On: <a href="{v.article_path}">{escape(a.title)}</a></p>
<ol>
{items}
</ol>
<p id="add"><a href="/login.cfm">Sign in to leave a comment</a></p>
</div>
"""
            + _foot(v.base, a.published.year)
        )

    def listing(self, v: ListingView) -> str:
        items = "\n".join(
            f'<li><a href="{escape(href)}">{escape(title)}</a><br>{escape(teaser)}</li>'
            for href, title, teaser in v.entries
        )
        nav = v.pager(
            '<a href="{href}">{p}</a>',
            "{p}",
            '<a href="{href}" rel="prev">Previous</a>',
            '<a href="{href}" rel="next">Next</a>',
        )
        start = (v.page - 1) * 20 + 1
        return (
            _head(f"News | {SITE_NAME}", '<meta charset="utf-8">')
            + f"""<div id="main">
<h1>News</h1>
<ol start="{start}">
{items}
</ol>
<p>{" | ".join(nav)}</p>
</div>
"""
            + _foot(v.base, 2022)
        )

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        out = [
            OUTAGE,
            COOKIES,
            "Skip to content",
            "Cookie settings",
            "Read more:",
            "More stories",
            "Leave a Comment",
            "Send to a friend",
            "Full site",
            "Print",
            "Terms",
            "Privacy",
        ]
        if a is None or a.paywalled:
            out.append(SUBSCRIBE)
        return out

    def related_link(self, rng: random.Random, kind: str, path: str) -> Link:
        if kind != "article":
            return Link(path)
        return pick(
            rng,
            [
                (50, lambda: Link(path)),
                (20, lambda: Link(path, "absolute")),
                (15, lambda: Link(path, fragment="main")),
                (15, lambda: Link(with_params(path, "ref=lite"))),
            ],
        )
