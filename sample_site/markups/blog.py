"""The "blog" markup: a WordPress theme of about 2014 (Yoast SEO, Jetpack), ids in the path.

- URLs: ``/news/N/headline-slug/``, ``/news/N/headline-slug/comments/``, ``/news/page/N/`` (page
  1: ``/news/``), drafts ``/news/drafts/N/`` (disallowed); the old ColdFusion URLs redirect (see
  schemes.py): the ``legacy_story`` links are ``/news/article.cfm?id=N``, the ``legacy_chain``
  ones ``/news/story.asp?id=N``. Every link to an article uses its one path.
- HTML5; canonical link and og: metadata from Yoast (no JSON-LD); <title> "Headline | Police
  Oracle"; WordPress's body and post classes.
- Headline in ``<h1 class="entry-title">``, then the dateline "Posted on 12 August 2020, 17:04 by
  Name" (a <time datetime> in it); the standfirst a bold first paragraph.
- The outage banner is a <div> notice above the header; the cookie notice a plugin's bar at the
  foot with "Accept" and "Read More".
- The related box is Jetpack's ``<section>`` after the article: ``<h4>Related Stories</h4>`` and a
  <ul>; hrefs absolute on www (some with ``utm_*``, some with ``#comments`` or ``#respond``),
  protocol-relative or root-relative. Sidebar widgets (``<aside>``): search, "Popular" (links to
  other articles, not related ones) and a newsletter box.
- "Leave a Comment" (no comments) or "N comments"; "More stories"; share links and "Print".
  Threads: WordPress's <ol> of comments, each an <article> with "Name says:" and a <time>.
- Listings: an archive of entry titles with "« Newer stories", numbered pages (page-numbers) and
  "Older stories »", with <link rel=next> and rel=prev in the head.
- Broken pages leave the entry content's <div> and a <p> unclosed.
"""

# ruff: noqa: E501 - the page templates keep their markup lines whole

from __future__ import annotations

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
    long_comma,
    meta_charset,
    pick,
    ul,
)

COOKIES = (
    "This website uses cookies to improve your experience while you navigate through the website."
)
NEWSLETTER = "Get the day's police news by e-mail every morning."


def _head(
    title: str, base: str, extra: str, body_class: str, charset: str = '<meta charset="UTF-8">'
) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
{charset}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="profile" href="http://gmpg.org/xfn/11">
<link rel="pingback" href="{base}/xmlrpc.php">
{extra}<link rel='stylesheet' id='oracle-style-css' href='{base}/wp-content/themes/oracle/style.css?ver=4.0' type='text/css' media='all' />
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" href="{base}/rss/news.xml" />
</head>
<body class="{body_class}">
<div class="notice-bar"><p>{OUTAGE}</p></div>
<div id="page" class="hfeed site">
<header id="masthead" class="header-main" role="banner">
<div class="site-branding"><p class="site-title"><a href="{base}/" rel="home">{SITE_NAME}</a></p><p class="site-description">News for the police service</p></div>
<nav id="primary-navigation" class="primary-navigation" role="navigation"><ul id="menu-main" class="nav-menu"><li class="menu-item"><a href="{base}/news/">News</a></li><li class="menu-item"><a href="{base}/jobs/">Jobs</a></li><li class="menu-item"><a href="{base}/calendar.cfm?month=8&amp;year=2014">Events</a></li><li class="menu-item"><a href="{base}/login.cfm">Log in</a></li></ul></nav>
</header>
<div id="main" class="site-main">
"""


def _foot(base: str, year: int) -> str:
    return f"""</div>
<footer id="colophon" class="colophon-area" role="contentinfo"><div class="site-info">&copy; {year} {SITE_NAME} &middot; <a href="{base}/terms.cfm">Terms</a> &middot; <a href="{base}/privacy.cfm">Privacy</a> &middot; <a href="https://wordpress.org/">Proudly powered by WordPress</a></div></footer>
</div>
<div id="cookie-law-info-bar"><span>{COOKIES} <a href="#" id="cookie_action_close_header" class="cli-plugin-button">Accept</a> <a href="{base}/cookies.cfm" class="cli-plugin-main-link">Read More</a></span></div>
<script type='text/javascript' src='{base}/wp-includes/js/wp-embed.min.js?ver=4.0'></script>
</body>
</html>
"""


def _comments_text(n: int) -> str:
    return "Leave a Comment" if n == 0 else f"{n} comment{'s' if n != 1 else ''}"


class Blog(Markup):
    name = "blog"
    scheme = PathIds(slash=True, category=False)
    picks = 5
    box = ('<h4 class="jp-relatedposts-headline">Related Stories</h4>', "</ul>")

    def article(self, v: ArticleView) -> str:
        a, base = v.a, v.base
        parts = blocks(a, ul)
        body = "\n".join(html if kind == "list" else f"<p>{html}</p>" for kind, html in parts)
        if a.broken:
            body = "<p>" + body
        yoast = f"""<!-- This site is optimized with the Yoast SEO plugin v2.3.5 - https://yoast.com/wordpress/plugins/seo/ -->
<link rel="canonical" href="{escape(v.canonical)}" />
<meta property="og:locale" content="en_GB" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{escape(a.title)} - {SITE_NAME}" />
<meta property="og:description" content="{escape(a.standfirst)}" />
<meta property="og:url" content="{escape(v.canonical)}" />
<meta property="og:site_name" content="{SITE_NAME}" />
<meta property="article:section" content="{escape(a.category)}" />
<meta property="article:published_time" content="{v.iso}" />
<!-- / Yoast SEO plugin. -->
"""
        by = (
            f' by <span class="vcard"><a class="url fn n" href="{base}/news/?author={a.id % 7}" rel="author">{escape(a.author)}</a></span>'
            if a.author
            else ""
        )
        paywall = (
            f'<div class="pmpro_content_message">{SUBSCRIBE} <a href="{base}/subscribe.cfm">Subscribe</a> or <a href="{base}/login.cfm">log in</a>.</div>\n'
            if a.paywalled
            else ""
        )
        shared = quote(v.canonical, safe="")
        related = "\n".join(
            f'<li class="jp-relatedposts-post"><a class="jp-relatedposts-post-a" href="{escape(href)}" title="{escape(title)}">{escape(title)}</a></li>'
            for href, title in v.related
        )
        popular = "\n".join(
            f'<li><a href="{escape(href)}" class="bump-view">{escape(title)}</a></li>'
            for href, title in v.picks
        )
        slug = slugify(a.category)
        return (
            _head(
                f"{a.title} | {SITE_NAME}",
                base,
                yoast,
                f"post-template-default single single-post postid-{a.id} single-format-standard",
                meta_charset(a),
            )
            + f"""<div id="primary" class="content-area"><div id="content" class="site-content" role="main">
<article id="post-{a.id}" class="post-{a.id} post type-post status-publish format-standard hentry category-{slug}">
<header class="entry-header">
<div class="entry-cats"><span class="cat-links"><a href="{base}/news/?category={quote(a.category)}" rel="category tag">{escape(a.category)}</a></span></div>
<h1 class="entry-title">{escape(a.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{escape(v.canonical)}" rel="bookmark"><time class="entry-date published" datetime="{v.iso}">{long_comma(a.published)}</time></a></span>{by}</div>
</header>
<div class="entry-content">
<p class="lead-in"><strong>{escape(a.standfirst)}</strong></p>
{body}
{paywall}<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul class="sd-list"><li class="share-twitter"><a rel="nofollow" class="sd-button" href="https://twitter.com/intent/tweet?url={shared}" title="Click to share on Twitter">Twitter</a></li><li class="share-facebook"><a rel="nofollow" class="sd-button" href="https://www.facebook.com/sharer.php?u={shared}" title="Click to share on Facebook">Facebook</a></li><li class="share-print"><a rel="nofollow" class="sd-button" href="{base}/news/print.cfm?id={a.id}" title="Click to print">Print</a></li><li class="share-email"><a rel="nofollow" class="sd-button" href="{base}/news/email.cfm?id={a.id}" title="Click to email this to a friend">Email</a></li></ul></div>
{"" if a.broken else "</div>"}
<footer class="entry-footer"><span class="comments-link"><a href="{base}{v.comments_path}">{_comments_text(len(a.comments))}</a></span></footer>
</article>
<section id="jp-relatedposts" class="jp-relatedposts">
<h4 class="jp-relatedposts-headline">Related Stories</h4>
<ul class="jp-relatedposts-list">
{related}
</ul>
</section>
<p class="more-stories"><a href="{base}{v.listing_path}">More stories</a></p>
</div></div>
<div id="secondary" class="widget-area" role="complementary">
<aside id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{base}/search.cfm"><label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" name="q"></label></form></aside>
<aside id="popular-3" class="widget widget_popular"><h2 class="widget-title">Popular</h2><ul>
{popular}
</ul></aside>
<aside id="text-4" class="widget widget_text"><h2 class="widget-title">Newsletter</h2><div class="textwidget">{escape(NEWSLETTER)} <a href="{base}/subscribe.cfm">Sign up</a></div></aside>
</div>
"""
            + _foot(base, a.published.year)
        )

    def comments(self, v: CommentsView) -> str:
        a, base = v.a, v.base
        items = "\n".join(
            f'<li id="comment-{k}" class="comment depth-1"><article id="div-comment-{k}" class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{escape(c.author)}</b> <span class="says">says:</span></div><div class="comment-metadata"><a href="#comment-{k}"><time datetime="{c.posted:%Y-%m-%dT%H:%M:%S}">{c.posted.day} {c.posted:%B %Y} at {c.posted:%H:%M}</time></a></div></footer><div class="comment-content"><p>{escape(c.text)}</p></div></article></li>'
            for k, c in enumerate(a.comments, 1)
        )
        n = len(a.comments)
        extra = f'<link rel="canonical" href="{escape(v.url)}" />\n'
        return (
            _head(
                f"Comments on {a.title} | {SITE_NAME}",
                base,
                extra,
                "comments-page",
                meta_charset(a),
            )
            + f"""<div id="primary" class="content-area"><div id="comments" class="comments-area">
<h2 class="thread-title">{n} thought{"s" if n != 1 else ""} on &ldquo;<a href="{v.article_url}">{escape(a.title)}</a>&rdquo;</h2>
<ol class="comment-list">
{items}
</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><p class="must-log-in">You must be <a href="{base}/login.cfm">logged in</a> to post a comment.</p></div>
</div></div>
"""
            + _foot(base, a.published.year)
        )

    def listing(self, v: ListingView) -> str:
        base = v.base
        items = "\n".join(
            f'<article class="post type-post status-publish hentry"><header class="entry-header"><h2 class="entry-title"><a href="{escape(href)}" rel="bookmark">{escape(title)}</a></h2></header><div class="entry-summary"><p>{escape(teaser)}</p></div></article>'
            for href, title, teaser in v.entries
        )
        links = "".join(
            f'<link rel="{rel}" href="{base}{path}" />\n' for rel, path in v.neighbours()
        )
        nav = v.pager(
            f'<a class="page-numbers" href="{base}{{href}}">{{p}}</a>',
            '<span class="page-numbers current">{p}</span>',
            f'<a class="prev page-numbers" href="{base}{{href}}">&laquo; Newer stories</a>',
            f'<a class="next page-numbers" href="{base}{{href}}">Older stories &raquo;</a>',
        )
        return (
            _head(f"News | {SITE_NAME}", base, links, "archive category")
            + f"""<div id="primary" class="content-area"><div id="content" class="site-content" role="main">
<header class="archive-header"><h1 class="archive-title">News</h1></header>
{items}
<nav class="navigation paging-navigation" role="navigation"><div class="nav-links">{" ".join(nav)}</div></nav>
</div></div>
"""
            + _foot(base, 2022)
        )

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        out = [
            OUTAGE,
            COOKIES,
            "News for the police service",
            "Related Stories",
            "Popular",
            "Newsletter",
            NEWSLETTER,
            "More stories",
            "Share this:",
            "Proudly powered by WordPress",
            "Print",
            "Email",
            "Terms",
            "Privacy",
        ]
        if a is None:
            return [*out, "Leave a Comment", SUBSCRIBE]
        out.append(_comments_text(len(a.comments)))
        return out + ([SUBSCRIBE] if a.paywalled else [])

    def related_link(self, rng: random.Random, kind: str, path: str) -> Link:
        if kind != "article":
            return Link(path, "absolute")
        return pick(
            rng,
            [
                (40, lambda: Link(path, "absolute")),
                (
                    20,
                    lambda: Link(
                        with_params(path, "utm_source=jetpack&utm_medium=related"), "absolute"
                    ),
                ),
                (15, lambda: Link(path, "protocol")),
                (10, lambda: Link(path, "absolute", rng.choice(("comments", "respond")))),
                (15, lambda: Link(path)),
            ],
        )

    def listing_link(self, rng: random.Random, path: str) -> Link:
        return Link(path, "absolute")

    def pick_link(self, path: str) -> Link:
        return Link(path, "absolute")
