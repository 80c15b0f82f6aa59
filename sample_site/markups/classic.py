"""The classic markup: Police Oracle as it was, in two layouts by age, with a touch edition.

The modern layout (2013-2022 articles; semantic tags, canonical link, meta tags and JSON-LD, as on
www. and on the touch. mobile edition, which serves every article in it) and the old table layout
(2006-2012 articles; headline in a styled <span>, "Date - 12/08/2010 @ 17:04 | Author: Name",
<br><br> paragraphs, boxes in a right-hand column, no useful <title>, no canonical link, no
metadata). The related box: a <section> with <h2>In Other News</h2> (modern), a <table> whose
first cell is <b>In Other News</b> (table). Ids in the query (`schemes.QUERY`); hrefs relative,
root-relative, absolute on www and touch, with tracking and session parameters, ``id`` not first,
fragments. Listings: "Next »" with rel=next (and <link rel=next>), "« Previous", numbered pages.
"More News"; "Leave a Comment | View Comments N"; comment threads as <div>s (modern) or
<hr>-separated in a table (table). Every page carries the outage banner (<div role="alert">), a
cookie notice, nav, print and e-mail links and a footer.

The render functions are the first release's templates, unchanged (tests/golden relies on them).
"""

# ruff: noqa: E501 - the page templates keep their markup lines whole

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from html import escape
from urllib.parse import quote_plus

from ..model import COOKIES, OUTAGE, SITE_NAME, SUBSCRIBE, FixtureArticle
from .base import ArticleView, CommentsView, ListingView, Markup


def _dmy(ts: datetime, *, long_year: bool) -> str:
    return ts.strftime("%d/%m/%Y @ %H:%M" if long_year else "%d/%m/%y @ %H:%M")


def _nav() -> str:
    return (
        '<ul class="nav">'
        '<li><a href="/">Home</a></li>'
        '<li><a href="/news/index.cfm">News</a></li>'
        '<li><a href="/news/index.cfm?category=Crime">Crime</a></li>'
        '<li><a href="/news/index.cfm?category=Operational+Policing">Operational Policing</a></li>'
        '<li><a href="/jobs/">Jobs</a></li>'
        '<li><a href="/calendar.cfm?month=8&amp;year=2020">Events</a></li>'
        '<li><a href="/search.cfm?q=">Search</a></li>'
        '<li><a href="/login.cfm">Log in</a></li>'
        '<li><a href="https://twitter.example/policeoracle">Follow us</a></li>'
        "</ul>"
    )


def _paragraph(a: FixtureArticle, i: int, para: str) -> str:
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


def _body_blocks(a: FixtureArticle, *, table: bool) -> list[str]:
    out = []
    for i, para in enumerate(a.visible_paragraphs):
        out.append(_paragraph(a, i, para))
        if i == 1 and a.bullets and not a.paywalled:
            if table:
                out.append("<br>".join("&#8226; " + escape(b) for b in a.bullets))
            else:
                out.append("<ul>" + "".join(f"<li>{escape(b)}</li>" for b in a.bullets) + "</ul>")
    return out


def _js(text: str) -> str:
    """A JSON string literal safe inside <script>: no "</script>", no entity-looking text."""
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _q(text: str) -> str:
    """A query-string value, as the site writes it into hrefs (spaces as +)."""
    return escape(quote_plus(text))


def _meta_charset(a: FixtureArticle) -> str:
    if a.encoding == "utf-8":
        return '<meta charset="utf-8">'
    return f'<meta http-equiv="Content-Type" content="text/html; charset={a.encoding}">'


def render_modern(a: FixtureArticle, *, base: str, touch: bool = False) -> str:
    """The modern layout. `base` is the canonical origin, e.g. "http://www.policeoracle.localhost"."""
    canonical = f"{base}/news/article.cfm?id={a.id}"
    iso = a.published.strftime("%Y-%m-%dT%H:%M:%S")
    jsonld = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", '
        f'"headline": {_js(a.title)}, "datePublished": "{iso}", '
        + (f'"author": {{"@type": "Person", "name": {_js(a.author)}}}, ' if a.author else "")
        + f'"articleSection": {_js(a.category)}, '
        f'"publisher": {{"@type": "Organization", "name": "{SITE_NAME}"}}}}'
    )
    blocks = _body_blocks(a, table=False)
    body = "\n".join(b if b.startswith("<ul>") else f"<p>{b}</p>" for b in blocks)
    byline = (
        f'<p class="byline">By <a class="author" href="/news/index.cfm?author={a.id % 7}">'
        f"{escape(a.author)}</a></p>"
        if a.author
        else ""
    )
    paywall = (
        f'<div class="subscribe-prompt"><p>{SUBSCRIBE}</p>'
        '<a href="/subscribe.cfm" class="button">Subscribe</a> '
        '<a href="/login.cfm">Log in</a></div>'
        if a.paywalled
        else ""
    )
    related = "\n".join(
        f'<li><a href="{escape(href)}">{escape(title)}</a></li>'
        for href, title in zip(a.related, a.related_titles, strict=True)
    )
    n = len(a.comments)
    comment_box = (
        '<div class="comment-links">'
        f'<a href="/news/comments.cfm?id={a.id}#add">Leave a Comment</a> | '
        f'<a href="/news/comments.cfm?id={a.id}">View Comments {n}</a></div>'
    )
    header = (
        '<header class="touch-header"><a href="/" class="logo">Police Oracle</a>'
        '<a href="/menu.cfm" class="menu">Menu</a></header>'
        if touch
        else f'<header class="site-header"><a href="/" class="logo">{SITE_NAME}</a>'
        f"<nav>{_nav()}</nav></header>"
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
{_meta_charset(a)}
<title>{escape(a.title)} | {SITE_NAME}</title>
<link rel="canonical" href="{canonical}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{escape(a.standfirst)}">
<meta property="og:title" content="{escape(a.title)}">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:type" content="article">
<meta property="og:url" content="{canonical}">
<meta property="article:published_time" content="{iso}">
<meta property="article:section" content="{escape(a.category)}">
<script type="application/ld+json">{jsonld}</script>
<link rel="stylesheet" href="/css/site.css">
</head>
<body class="{"touch" if touch else "desktop"}">
<div class="outage-banner" role="alert">{OUTAGE}</div>
<div id="cookie-notice" class="cookie-notice"><p>{COOKIES}</p>
<a href="/cookies.cfm">Find out more</a> <button type="button">Accept</button></div>
{header}
<main id="content">
<article class="news-article">
<p class="category"><a href="/news/index.cfm?category={_q(a.category)}">{escape(a.category)}</a></p>
<h1 class="headline">{escape(a.title)}</h1>
<p class="standfirst">{escape(a.standfirst)}</p>
{byline}
<p class="dateline"><time datetime="{iso}">{_dmy(a.published, long_year=False)}</time></p>
<ul class="article-tools">
<li><a href="/news/print.cfm?id={a.id}" rel="nofollow">Print</a></li>
<li><a href="/news/email.cfm?id={a.id}" rel="nofollow">E-mail this article</a></li>
<li><a href="javascript:window.print()">Print this page</a></li>
</ul>
<div class="article-body">
{body}
</div>
{paywall}
{comment_box}
</article>
<aside class="sidebar">
<section class="in-other-news"><h2>In Other News</h2>
<ul>
{related}
</ul>
</section>
<p class="more-news"><a href="/news/index.cfm">More News</a></p>
<section class="most-read"><h2>Jobs</h2><ul><li><a href="/jobs/view.cfm?id=9{a.id}">Detective Constable</a></li></ul></section>
</aside>
</main>
<footer class="site-footer">
<p>&copy; {a.published.year} {SITE_NAME}. All rights reserved.</p>
<ul><li><a href="/terms.cfm">Terms</a></li><li><a href="/privacy.cfm">Privacy</a></li>
<li><a href="mailto:editor@policeoracle.example">Contact the editor</a></li>
<li><a href="/rss/news.xml">RSS</a></li></ul>
</footer>
</body>
</html>
"""


def render_table(a: FixtureArticle) -> str:
    """The old table layout: no canonical link, no metadata, the site name as <title>."""
    blocks = _body_blocks(a, table=True)
    body = "<br><br>\n".join(blocks)
    author = f" | Author: {escape(a.author)}" if a.author else ""
    related = "\n".join(
        f'<tr><td class="oth"><a href="{escape(href)}">{escape(title)}</a></td></tr>'
        for href, title in zip(a.related, a.related_titles, strict=True)
    )
    n = len(a.comments)
    paywall = (
        f'<br><br><table class="subs"><tr><td><b>{SUBSCRIBE}</b> '
        '<a href="/subscribe.cfm">Subscribe</a></td></tr></table>'
        if a.paywalled
        else ""
    )
    close_p = "" if a.broken else "</font>"
    stray_div = '<div class="advert">' if a.broken else ""  # never closed
    stray_p = "<p>" if a.broken else ""  # never closed
    return f"""<html>
<head>
{_meta_charset(a)}
<title>{SITE_NAME}</title>
<link rel="stylesheet" type="text/css" href="/styles.css">
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">
<div class="outage">{OUTAGE}</div>
<div id="cookiebar">{COOKIES} <a href="/cookies.cfm">More</a></div>
<table width="980" border="0" cellpadding="0" cellspacing="0" align="center">
<tr><td colspan="2" class="top"><img src="/images/logo.gif" alt="{SITE_NAME}" width="300" height="60">
{_nav()}</td></tr>
<tr>
<td width="680" valign="top" class="maincol">
<font face="Arial" size="2">
<a href="/news/index.cfm">News</a> &gt; <a href="/news/index.cfm?category={_q(a.category)}">{escape(a.category)}</a><br><br>
<span style="font-size:18px;font-weight:bold;color:#003366">{escape(a.title)}</span><br>
<span class="date">Date - {_dmy(a.published, long_year=True)}{author}</span><br><br>
<b>{escape(a.standfirst)}</b><br><br>
{body}{paywall}{stray_div}
<br><br>{stray_p}
<a href="/news/print.cfm?id={a.id}"><img src="/images/print.gif" alt="Print" border="0"> Print</a> |
<a href="/news/email.cfm?id={a.id}">Email this article to a friend</a>
<br><br>
<a href="comments.cfm?id={a.id}#add">Leave a Comment</a> | <a href="comments.cfm?id={a.id}">View Comments {n}</a>
{close_p}
</td>
<td width="300" valign="top" class="rightcol">
<table width="100%" class="box"><tr><td class="boxhead"><b>In Other News</b></td></tr>
{related}
<tr><td><a href="/news/index.cfm"><b>More News</b></a></td></tr>
</table>
<br>
<table width="100%" class="box"><tr><td class="boxhead"><b>Latest Jobs</b></td></tr>
<tr><td><a href="/jobs/view.cfm?id=8{a.id}">Police Staff Investigator</a></td></tr></table>
</td>
</tr>
<tr><td colspan="2" class="footer">&copy; {SITE_NAME} {a.published.year} |
<a href="/terms.cfm">Terms &amp; Conditions</a> | <a href="mailto:editor@policeoracle.example">Contact</a></td></tr>
</table>
</body>
</html>
"""


def render_comments(a: FixtureArticle, *, base: str) -> str:
    """An article's comment thread page. Modern articles get a modern thread, old ones a table."""
    if a.layout == "modern":
        items = "\n".join(
            f'<div class="comment"><p class="comment-meta"><span class="comment-author">'
            f"{escape(c.author)}</span> ({_dmy(c.posted, long_year=False)})</p>"
            f'<div class="comment-text"><p>{escape(c.text)}</p></div></div>'
            for c in a.comments
        )
        thread = (
            f'<section class="comments"><h2>Comments ({len(a.comments)})</h2>\n{items}\n</section>'
        )
    else:
        items = "\n".join(
            f"<b>{escape(c.author)}</b> ({_dmy(c.posted, long_year=False)})<br>\n"
            f"{escape(c.text)}<br><hr>"
            for c in a.comments
        )
        thread = f'<table class="comments"><tr><td>\n{items}\n</td></tr></table>'
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head>{_meta_charset(a)}
<title>Comments: {escape(a.title)} | {SITE_NAME}</title>
<link rel="canonical" href="{base}/news/comments.cfm?id={a.id}">
</head>
<body>
<div class="outage-banner" role="alert">{OUTAGE}</div>
<header class="site-header"><a href="/" class="logo">{SITE_NAME}</a><nav>{_nav()}</nav></header>
<main id="content">
<h1 class="comments-title">Comments on: <a href="/news/article.cfm?id={a.id}" class="back">{escape(a.title)}</a></h1>
{thread}
<form class="add-comment" id="add" action="/news/comments.cfm?id={a.id}" method="post">
<label>Leave a Comment</label><textarea name="comment"></textarea>
<p>You must be <a href="/login.cfm">logged in</a> to comment.</p></form>
</main>
<footer class="site-footer"><p>&copy; {SITE_NAME}</p></footer>
</body></html>
"""


def render_listing(page: int, pages: int, entries: list[tuple[str, str, str]]) -> str:
    """A news listing page: (href, title, teaser) entries and pagination links."""
    items = "\n".join(
        f'<li class="news-item"><h3><a href="{escape(href)}">{escape(title)}</a></h3>'
        f"<p>{escape(teaser)}</p></li>"
        for href, title, teaser in entries
    )
    nav = []
    if page > 1:
        nav.append(f'<a href="/news/index.cfm?page={page - 1}" rel="prev">&laquo; Previous</a>')
    for p in range(max(1, page - 2), min(pages, page + 2) + 1):
        nav.append(
            f"<span>{p}</span>" if p == page else f'<a href="/news/index.cfm?page={p}">{p}</a>'
        )
    if page < pages:
        nav.append(f'<a href="/news/index.cfm?page={page + 1}" rel="next">Next &raquo;</a>')
    next_link = f'<link rel="next" href="/news/index.cfm?page={page + 1}">' if page < pages else ""
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>News | {SITE_NAME}</title>
{next_link}
</head>
<body>
<div class="outage-banner" role="alert">{OUTAGE}</div>
<header class="site-header"><a href="/" class="logo">{SITE_NAME}</a><nav>{_nav()}</nav></header>
<main id="content">
<h1>Latest News</h1>
<ul class="news-list">
{items}
</ul>
<div class="pagination">{" ".join(nav)}</div>
</main>
<footer class="site-footer"><p>&copy; {SITE_NAME}</p></footer>
</body></html>
"""


class Classic(Markup):
    name = "classic"
    touch_edition = True

    def article(self, v: ArticleView) -> str:
        a = replace(v.a, related=[href for href, _ in v.related])
        if v.touch:
            return render_modern(a, base=v.base, touch=True)
        if a.layout == "modern":
            return render_modern(a, base=v.base)
        return render_table(a)

    def comments(self, v: CommentsView) -> str:
        return render_comments(v.a, base=v.base)

    def listing(self, v: ListingView) -> str:
        return render_listing(v.page, v.pages, v.entries)

    def related_box(self, html: str) -> str:
        if 'class="in-other-news"' in html:
            return html.split('class="in-other-news"', 1)[1].split("</section>", 1)[0]
        return "".join(re.findall(r'<td class="oth">(.*?)</td>', html))

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        if a is None:
            return [
                *_COMMON,
                SUBSCRIBE,
                "View Comments",
                "E-mail this article",
                "Print this page",
                "All rights reserved",
                "Contact the editor",
                "Police Staff Investigator",
                "Latest Jobs",
                "Email this article to a friend",
                "Terms & Conditions",
            ]
        out = [*_COMMON, f"View Comments {len(a.comments)}"]
        if a.layout == "modern":
            out += ["E-mail this article", "Print this page", "All rights reserved"]
            out += ["Contact the editor"]
        else:
            out += ["Police Staff Investigator", "Latest Jobs", "Email this article to a friend"]
            out += ["Terms & Conditions"]
        return out + ([SUBSCRIBE] if a.paywalled else [])


_COMMON = [OUTAGE, COOKIES, "In Other News", "More News", "Leave a Comment", "Follow us"]
