"""The "bulletin" markup: a Joomla! 1.5 site of about 2011 (module positions, "Written by").

- XHTML, a ``<base href>`` of the page's URL, ``<meta name="author">``, description and generator
  but no canonical link and no og:/JSON-LD; <title> "Headline | Police Oracle". The site name is
  the page's <h1> (the logo); the headline an ``<h2 class="contentheading">``.
- "Written by Name" and "Thursday 12 August 2010 5.04pm"; print and e-mail links are icons whose
  only text is their alt and title ("Print", "E-mail").
- The outage banner is Joomla's system message (``<dl id="system-message">``); the cookie notice a
  bar at the foot.
- The related box is a module ``<div>`` in the right column, its label a ``<div>``: "Related
  Articles", then a <ul>; hrefs absolute on www (some with ``ref``), protocol-relative
  (``//www.../news/article.cfm?id=N``) or root-relative. A "Popular" module (links to other
  articles, not related ones) follows.
- "More News" and "N comments" under the article; threads as a <dl>: "Name wrote on 12/08/20
  17:04:" in <dt>, the comment in <dd>.
- Listings: Joomla's blog layout ("Read more..." links) and pagination "‹", numbered pages, "›".
- Broken pages leave the article's <div> and a <span> unclosed.
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
    dmy_slash,
    meta_charset,
    pick,
    ul,
    weekday_12h,
)

COOKIES = (
    "Cookies help us deliver our services. By using our services, you agree to our use of cookies."
)
PAYWALL = "Subscriber content: the rest of this article is for Police Oracle subscribers."


def _head(title: str, charset: str, base: str, meta: str = "") -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en-gb" lang="en-gb">
<head>
  {charset.replace('">', '" />')}
  <base href="{escape(base)}" />
  <meta name="robots" content="index, follow" />
  <meta name="keywords" content="police, news, policing" />
{meta}  <meta name="generator" content="Joomla! 1.5 - Open Source Content Management" />
  <title>{escape(title)}</title>
  <link href="/templates/oracle/favicon.ico" rel="shortcut icon" type="image/x-icon" />
  <script type="text/javascript" src="/media/system/js/mootools.js"></script>
</head>
<body>
<div id="all">
<div id="header"><h1 id="logo"><a href="/">{SITE_NAME}</a></h1>
<ul class="mainmenu"><li class="item1"><a href="/">Home</a></li><li class="item2 active"><a href="/news/index.cfm">News</a></li><li class="item3"><a href="/jobs/">Jobs</a></li><li class="item4"><a href="/calendar.cfm?month=8&amp;year=2011">Events</a></li><li class="item5"><a href="/login.cfm">Members</a></li></ul>
</div>
<dl id="system-message"><dt class="notice">Notice</dt><dd class="notice message fade"><ul><li>{OUTAGE}</li></ul></dd></dl>
<div id="contentarea">
"""


def _foot(year: int) -> str:
    return f"""<div id="footer"><p class="syndicate"><a href="/rss/news.xml"><img src="/images/livemarks.png" alt="Feed Entries" /></a></p>
<p>Copyright &copy; {year} {SITE_NAME}. All Rights Reserved. <a href="/terms.cfm">Terms</a> | <a href="/privacy.cfm">Privacy</a></p></div>
</div>
<div id="cookie-bar"><span class="cookie-text">{COOKIES}</span> <a class="cookie-ok" href="#">OK</a> <a class="cookie-more" href="/cookies.cfm">Learn more</a></div>
</body>
</html>
"""


def _items(links: list[tuple[str, str]], cls: str) -> str:
    return "\n".join(
        f'<li class="{cls}"><a href="{escape(href)}" class="{cls}">{escape(title)}</a></li>'
        for href, title in links
    )


class Bulletin(Markup):
    name = "bulletin"
    picks = 4
    box = ('<div class="module-title">Related Articles</div>', "</ul>")

    def article(self, v: ArticleView) -> str:
        a = v.a
        parts = blocks(a, ul)
        body = "\n".join(html if kind == "list" else f"<p>{html}</p>" for kind, html in parts)
        meta = f'  <meta name="description" content="{escape(a.standfirst)}" />\n'
        if a.author:
            meta = f'  <meta name="author" content="{escape(a.author)}" />\n' + meta
        written = f'<span class="small">Written by {escape(a.author)}</span> ' if a.author else ""
        paywall = (
            f'<div class="subscriber-notice"><p><strong>{PAYWALL}</strong></p><p>{SUBSCRIBE}</p><p><a href="/subscribe.cfm">Subscribe</a> | <a href="/login.cfm">Log in</a></p></div>\n'
            if a.paywalled
            else ""
        )
        count = len(a.comments)
        return (
            _head(f"{a.title} | {SITE_NAME}", meta_charset(a, html5=False), v.canonical, meta)
            + f"""<div id="breadcrumbs"><span class="breadcrumbs pathway"><a href="/" class="pathway">Home</a> &raquo; <a href="/news/index.cfm" class="pathway">News</a> &raquo; <a href="/news/index.cfm?category={quote(a.category)}" class="pathway">{escape(a.category)}</a></span></div>
<div id="main">
<div class="contentpaneopen">
<h2 class="contentheading">{escape(a.title)}</h2>
<p class="buttonheading"><a href="/news/print.cfm?id={a.id}" title="Print" onclick="window.open(this.href,'win2','width=640,height=480'); return false;" rel="nofollow"><img src="/images/M_images/printButton.png" alt="Print" /></a> <a href="/news/email.cfm?id={a.id}" title="E-mail" rel="nofollow"><img src="/images/M_images/emailButton.png" alt="E-mail" /></a></p>
<p class="iteminfo">{written}<span class="createdate">{weekday_12h(a.published)}</span></p>
<p class="introtext"><strong>{escape(a.standfirst)}</strong></p>
{body}
{paywall}{"<span>" if a.broken else ""}<span class="article_separator">&nbsp;</span>
<p class="jcomments-links"><a class="comment-link" href="/news/comments.cfm?id={a.id}">{count} comments</a> | <a class="readon" href="/news/index.cfm">More News</a></p>
{"" if a.broken else "</div>"}
</div>
<div id="right">
<div class="moduletable_related">
<div class="module-title">Related Articles</div>
<ul class="relateditems">
{_items(v.related, "relateditem")}
</ul>
</div>
<div class="moduletable_popular">
<div class="module-title">Popular</div>
<ul class="mostread">
{_items(v.picks, "mostread")}
</ul>
</div>
</div>
</div>
"""
            + _foot(a.published.year)
        )

    def comments(self, v: CommentsView) -> str:
        a = v.a
        items = "\n".join(
            f"<dt>{escape(c.author)} wrote on {dmy_slash(c.posted, long_year=False, at=False)}:</dt>\n<dd>{escape(c.text)}</dd>"
            for c in a.comments
        )
        return (
            _head(f"Comments: {a.title} | {SITE_NAME}", meta_charset(a, html5=False), v.url)
            + f"""<div id="main">
<h2 class="contentheading">Comments</h2>
<p><a href="{v.article_path}">Back to: {escape(a.title)}</a></p>
<dl class="comment-list">
{items}
</dl>
{"" if a.comments else "<p>Be the first to comment.</p>"}
</div>
</div>
"""
            + _foot(a.published.year)
        )

    def listing(self, v: ListingView) -> str:
        items = "\n".join(
            f'<div class="leading"><h2 class="contentheading"><a href="{escape(href)}" class="contentpagetitle">{escape(title)}</a></h2><p>{escape(teaser)}</p><a href="{escape(href)}" class="readon">Read more...</a></div>'
            for href, title, teaser in v.entries
        )
        nav = v.pager(
            '<li><a href="{href}" title="{p}">{p}</a></li>',
            "<li><span>{p}</span></li>",
            '<li><a href="{href}" title="Prev">&lsaquo;</a></li>',
            '<li><a href="{href}" title="Next">&rsaquo;</a></li>',
        )
        return (
            _head(
                f"News | {SITE_NAME}",
                '<meta http-equiv="content-type" content="text/html; charset=utf-8">',
                v.base + v.page_path(v.page),
            )
            + f"""<div id="main">
<div class="blog">
{items}
</div>
<ul class="pagenav">{"".join(nav)}</ul>
<p class="counter">Page {v.page} of {v.pages}</p>
</div>
</div>
"""
            + _foot(2022)
        )

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        out = [
            OUTAGE,
            COOKIES,
            "Related Articles",
            "Popular",
            "More News",
            "Feed Entries",
            "All Rights Reserved",
            "Learn more",
        ]
        if a is None:
            return [*out, PAYWALL, SUBSCRIBE]
        out.append(f"{len(a.comments)} comments")
        return out + ([PAYWALL, SUBSCRIBE] if a.paywalled else [])

    def related_link(self, rng: random.Random, kind: str, path: str) -> Link:
        if kind != "article":
            return Link(path, "absolute")
        return pick(
            rng,
            [
                (40, lambda: Link(path, "absolute")),
                (15, lambda: Link(with_params(path, "ref=related"), "absolute")),
                (25, lambda: Link(path, "protocol")),
                (20, lambda: Link(path)),
            ],
        )

    def listing_link(self, rng: random.Random, path: str) -> Link:
        return Link(path, "absolute")
