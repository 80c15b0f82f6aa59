"""The "divsoup" markup: a PHP CMS of about 2008, <div>s with ids, next to no classes.

- XHTML 1.0 Transitional; layout in ``<div id=...>`` (page, top, menu, main, right, footer); no
  canonical link, no og:/JSON-LD metadata (no metadata at all); <title> "Police Oracle - Headline".
- The outage banner is a <p> at the top of the main column; the cookie notice a <div> at the foot.
- Headline in a large ``<b style="font-size:20px">``, then the dateline "By Name | 12th August
  2010 at 17:04"; the standfirst a bold first paragraph; bullets in a <ul>.
- The right-hand sidebar holds sibling boxes WITHOUT wrappers: ``<h3>In Other News</h3><ul>...</ul>
  <h3>Most Read</h3><ul>...</ul><h3>Latest Jobs</h3><ul>...</ul>``; no class on the related links or
  any of their ancestors. Most Read links to other articles of the site (not related ones).
- hrefs root-relative, with ``utm_*`` or ``ref`` parameters, ``id`` after a tracking parameter,
  fragments, some absolute on www.
- "All news" after the article, "Print story", "Email story", share links (Facebook, Twitter),
  "Read comments (N)"; subscription prompt in a <div> on paywalled teasers.
- Comment threads: one <div> per comment, the text then "Posted by Name at 17:04 on 12 August
  2010". Listings: "Newer", numbered pages, "Older" (no rel).
- Broken pages leave the story <div> and its last <p> unclosed.
"""

# ruff: noqa: E501 - the page templates keep their markup lines whole

from __future__ import annotations

import random
from datetime import datetime
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
    long_date,
    meta_charset,
    ordinal_at,
    pick,
    ul,
)

COOKIES = "This website uses cookies to improve your experience. We'll assume you're ok with this."
JOB = "Digital Forensics Examiner"


def _head(title: str, charset: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
{charset.replace('">', '" />')}
<title>{escape(title)}</title>
<link rel="stylesheet" href="/css/style.css" type="text/css" />
<script type="text/javascript" src="/js/jquery-1.2.6.min.js"></script>
</head>
<body>
<div id="page">
<div id="top"><a href="/"><img src="/images/logo.gif" alt="{SITE_NAME}" width="300" height="60" /></a>
<div id="menu"><a href="/">Home</a> <a href="/news/index.cfm">News</a> <a href="/jobs/">Jobs</a> <a href="/calendar.cfm?month=8&amp;year=2008">Events</a> <a href="/login.cfm">Login</a>
<form id="search" action="/search.cfm" method="get"><input type="text" name="q" /> <input type="submit" value="Go" /></form></div>
</div>
<div id="main">
<p><b>{OUTAGE}</b></p>
"""


def _foot(year: int) -> str:
    return f"""<div id="footer">&copy; {year} {SITE_NAME} | <a href="/terms.cfm">Terms</a> | <a href="/privacy.cfm">Privacy</a> | <a href="/contact.cfm">Contact us</a></div>
</div>
<div id="cookies">{escape(COOKIES)} <a href="/cookies.cfm">Find out more</a> <a href="#" onclick="document.getElementById('cookies').style.display='none';return false;">OK</a></div>
</body>
</html>
"""


def _posted(ts: datetime) -> str:
    return f"{ts:%H:%M} on {long_date(ts)}"


def _items(links: list[tuple[str, str]]) -> str:
    return "\n".join(
        f'<li><a href="{escape(href)}">{escape(title)}</a></li>' for href, title in links
    )


class Divsoup(Markup):
    name = "divsoup"
    picks = 5
    box = ("<h3>In Other News</h3>", "<h3>Most Read</h3>")

    def article(self, v: ArticleView) -> str:
        a = v.a
        parts = blocks(a, lambda items: ul(items, ' class="points"'))
        body = "\n".join(html if kind == "list" else f"<p>{html}</p>" for kind, html in parts)
        if a.broken:
            body = body.removesuffix("</p>")
        by = f"By <b>{escape(a.author)}</b> | " if a.author else ""
        paywall = (
            f'<div id="subscribe"><p>{SUBSCRIBE}</p><p><a href="/subscribe.cfm">Subscribe</a> | <a href="/login.cfm">Login</a></p></div>\n'
            if a.paywalled
            else ""
        )
        shared = quote(v.canonical, safe="")
        return (
            _head(f"{SITE_NAME} - {a.title}", meta_charset(a, html5=False))
            + f"""<div id="crumbs"><a href="/">Home</a> &raquo; <a href="/news/index.cfm">News</a> &raquo; <a href="/news/index.cfm?category={quote(a.category)}">{escape(a.category)}</a></div>
<div id="headline"><b style="font-size:20px;color:#1a3c6e">{escape(a.title)}</b></div>
<div id="dateline">{by}{ordinal_at(a.published)}</div>
<div id="story">
<p class="intro"><b>{escape(a.standfirst)}</b></p>
{body}
{"" if a.broken else "</div>"}
{paywall}<div id="tools"><a href="/news/print.cfm?id={a.id}" onclick="window.print();return false;">Print story</a> | <a href="/news/email.cfm?id={a.id}">Email story</a> | Share: <a href="http://www.facebook.com/sharer.php?u={shared}">Facebook</a> <a href="http://twitter.com/home?status={shared}">Twitter</a></div>
<p><a href="/news/comments.cfm?id={a.id}">Read comments</a> ({len(a.comments)})</p>
<p><a href="/news/index.cfm">All news</a></p>
</div>
<div id="right">
<h3>In Other News</h3>
<ul>
{_items(v.related)}
</ul>
<h3>Most Read</h3>
<ul>
{_items(v.picks)}
</ul>
<h3>Latest Jobs</h3>
<ul>
<li><a href="/jobs/view.cfm?id=6{a.id}">{JOB}</a></li>
<li><a href="/jobs/">More jobs</a></li>
</ul>
</div>
"""
            + _foot(a.published.year)
        )

    def comments(self, v: CommentsView) -> str:
        a = v.a
        items = "\n".join(
            f'<div id="c{k}"><p>{escape(c.text)}</p><div>Posted by <b>{escape(c.author)}</b> at {_posted(c.posted)}</div></div>'
            for k, c in enumerate(a.comments, 1)
        )
        return (
            _head(f"{SITE_NAME} - Comments: {a.title}", meta_charset(a, html5=False))
            + f"""<h2>Comments: <a href="{v.article_path}">{escape(a.title)}</a></h2>
{items or "<p>There are no comments yet.</p>"}
<form action="/news/comments.cfm?id={a.id}" method="post"><p>Add your comment:</p><textarea name="comment" rows="5" cols="50"></textarea><br /><input type="submit" value="Post" /></form>
</div>
"""
            + _foot(a.published.year)
        )

    def listing(self, v: ListingView) -> str:
        items = "\n".join(
            f'<div><h4><a href="{escape(href)}">{escape(title)}</a></h4><p>{escape(teaser)}</p></div>'
            for href, title, teaser in v.entries
        )
        nav = v.pager(
            '<a href="{href}">{p}</a>',
            "{p}",
            '&laquo; <a href="{href}">Newer</a>',
            '<a href="{href}">Older</a> &raquo;',
        )
        return (
            _head(
                f"{SITE_NAME} - News",
                '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
            )
            + f"""<h2>News</h2>
{items}
<div id="pages">{" | ".join(nav)}</div>
</div>
"""
            + _foot(2022)
        )

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        out = [
            OUTAGE,
            COOKIES,
            "In Other News",
            "Most Read",
            "Latest Jobs",
            JOB,
            "More jobs",
            "All news",
            "Read comments",
            "Print story",
            "Email story",
            "Share:",
            "Contact us",
            "Terms",
            "Privacy",
            "Find out more",
        ]
        if a is None or a.paywalled:
            out.append(SUBSCRIBE)
        return out

    def related_link(self, rng: random.Random, kind: str, path: str) -> Link:
        if kind != "article":
            return Link(path)
        number = path.rsplit("=", 1)[1]
        return pick(
            rng,
            [
                (40, lambda: Link(path)),
                (20, lambda: Link(with_params(path, "utm_source=sidebar&utm_medium=web"))),
                (10, lambda: Link(f"/news/article.cfm?utm_campaign=related&id={number}")),
                (10, lambda: Link(path, fragment="story")),
                (10, lambda: Link(with_params(path, "ref=sidebar"))),
                (10, lambda: Link(path, "absolute")),
            ],
        )
