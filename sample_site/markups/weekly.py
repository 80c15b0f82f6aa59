"""The "weekly" markup: an ASP.NET WebForms site of about 2010 (server controls, a view state).

- The whole page is one ``<form id="aspnetForm">`` with a ``__VIEWSTATE`` blob; ids like
  ``ctl00_cph_lblHeadline``, PascalCase CSS classes; no canonical link, no og:/JSON-LD metadata (no
  metadata at all); <title> "Police Oracle - Headline" on three lines, as WebForms writes it.
- The headline is a bold, large ``<span>`` (a Label with Font-Bold and Font-Size), then "By Name"
  and "Published: 12/08/2010 @ 17:04" in spans; the standfirst a bold span; paragraphs in <p>.
- The outage banner is a <span> at the very top; the cookie notice a panel with a Close button.
- The related box is a panel (``<div>``) in the side column whose label is a ``<span>``: "Other
  News", its links separated by ``<br />`` (no list); hrefs relative ``article.cfm?id=N``,
  root-relative with ``utm_*`` or ColdFusion ``CFID``/``CFTOKEN``, absolute on www. "More News"
  follows it. An "Editor's picks" panel under the article links other articles (not related).
- "Print" and "E-mail a friend" links; "View Comments N"; threads in a GridView table (name and
  date in one cell, the comment in the next). Listings: "‹ Prev", numbered pages, "Next ›".
- Broken pages leave a <div> and a <span> of the article text unclosed.
"""

# ruff: noqa: E501 - the page templates keep their markup lines whole

from __future__ import annotations

import base64
import random
from html import escape

from ..links import Link, session, with_params
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
)

COOKIES = "Our website uses cookies. Continue browsing if you are happy with this, or find out how to manage cookies."


def _viewstate(seed: int) -> str:
    raw = (b"/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWBAIBDw8WAh4EVGV4dAUH" + str(seed).encode()) * 6
    return base64.b64encode(raw).decode()[:320]


def _head(title: str, charset: str, action: str, seed: int) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head id="ctl00_Head1">{charset.replace('">', '" />')}<title>
\t{escape(title)}
</title><link href="/App_Themes/Oracle/Site.css" type="text/css" rel="stylesheet" /></head>
<body>
<form name="aspnetForm" method="post" action="{escape(action)}" id="aspnetForm">
<div>
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{_viewstate(seed)}" />
</div>
<span id="ctl00_lblSiteMessage" class="SiteMessage" style="display:block;background-color:#FFFFCC;">{OUTAGE}</span>
<div id="ctl00_pnlCookies" class="CookiePanel">{COOKIES} <a id="ctl00_lnkCookies" href="/cookies.cfm">Cookie information</a> <input type="submit" name="ctl00$btnCookies" value="Close" id="ctl00_btnCookies" /></div>
<div class="PageWrapper">
<div class="Masthead"><a id="ctl00_lnkLogo" href="/"><img src="/images/logo.gif" alt="{SITE_NAME}" style="border-width:0px;" /></a></div>
<div class="TopMenu"><a href="/">Home</a> | <a href="/news/index.cfm">News</a> | <a href="/jobs/">Jobs</a> | <a href="/calendar.cfm?month=8&amp;year=2010">Events</a> | <a href="/login.cfm">Sign in</a></div>
"""


def _foot(year: int) -> str:
    return f"""<div class="Footer">&copy; {year} {SITE_NAME} Ltd | <a href="/terms.cfm">Terms &amp; Conditions</a> | <a href="/privacy.cfm">Privacy Statement</a> | <a href="/contact.cfm">Contact Us</a></div>
</div>
<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {{ theForm.__EVENTTARGET.value = eventTarget; theForm.submit(); }}
//]]>
</script>
</form>
</body>
</html>
"""


def _panel_links(links: list[tuple[str, str]], repeater: str) -> str:
    return "\n".join(
        f'<a id="ctl00_cph_{repeater}_ctl{k:02d}_lnkItem" href="{escape(href)}">{escape(title)}</a><br />'
        for k, (href, title) in enumerate(links)
    )


class Weekly(Markup):
    name = "weekly"
    picks = 3
    box = ('<span id="ctl00_cph_lblRelated" class="PanelTitle">Other News</span><br />', "</div>")

    def article(self, v: ArticleView) -> str:
        a = v.a
        parts = blocks(a, ul)
        body = "\n".join(html if kind == "list" else f"<p>{html}</p>" for kind, html in parts)
        byline = (
            f'<span id="ctl00_cph_lblByline" class="Byline">By {escape(a.author)}</span><br />'
            if a.author
            else ""
        )
        paywall = (
            f'<div id="ctl00_cph_pnlPaywall" class="PaywallPanel"><span id="ctl00_cph_lblPaywall">{SUBSCRIBE}</span> <a id="ctl00_cph_lnkSubscribe" href="/subscribe.cfm">Subscribe</a></div>\n'
            if a.paywalled
            else ""
        )
        broken = "<div><span>" if a.broken else ""
        return (
            _head(
                f"{SITE_NAME} - {a.title}",
                meta_charset(a, html5=False),
                f"article.cfm?id={a.id}",
                a.id,
            )
            + f"""<div class="MainColumn">
<span id="ctl00_cph_lblCategory" class="Kicker">{escape(a.category)}</span><br />
<span id="ctl00_cph_lblHeadline" class="ArticleHeadline" style="font-size:Large;font-weight:bold;">{escape(a.title)}</span><br />
{byline}
<span id="ctl00_cph_lblDate" class="DateStamp">Published: {dmy_slash(a.published)}</span><br /><br />
<span id="ctl00_cph_lblStandfirst" class="Standfirst" style="font-weight:bold;">{escape(a.standfirst)}</span>
<div id="ctl00_cph_pnlBody" class="ArticleText">
{broken}{body}
</div>
{paywall}<div class="ArticleTools"><a id="ctl00_cph_lnkPrint" href="/news/print.cfm?id={a.id}" target="_blank">Print</a> | <a id="ctl00_cph_lnkEmail" href="/news/email.cfm?id={a.id}">E-mail a friend</a></div>
<a id="ctl00_cph_lnkComments" class="CommentsLink" href="comments.cfm?id={a.id}">View Comments {len(a.comments)}</a>
<div id="ctl00_cph_pnlPicks" class="PicksPanel">
<span id="ctl00_cph_lblPicks" class="PanelTitle">Editor's picks</span><br />
{_panel_links(v.picks, "rptPicks")}
</div>
</div>
<div class="SideColumn">
<div id="ctl00_cph_pnlRelated" class="RelatedPanel">
<span id="ctl00_cph_lblRelated" class="PanelTitle">Other News</span><br />
{_panel_links(v.related, "rptRelated")}
</div>
<a id="ctl00_cph_lnkMoreNews" class="MoreLink" href="/news/index.cfm">More News</a>
</div>
"""
            + _foot(a.published.year)
        )

    def comments(self, v: CommentsView) -> str:
        a = v.a
        rows = "\n".join(
            f'<tr><td valign="top"><b>{escape(c.author)}</b><br />{dmy_slash(c.posted, at=False)}</td><td>{escape(c.text)}</td></tr>'
            for c in a.comments
        )
        grid = (
            f'<table class="CommentGrid" cellspacing="0" rules="all" border="1" id="ctl00_cph_gvComments" style="border-collapse:collapse;">\n<tr><th scope="col">Posted by</th><th scope="col">Comment</th></tr>\n{rows}\n</table>'
            if a.comments
            else '<span id="ctl00_cph_lblNoComments">No comments have been posted.</span>'
        )
        return (
            _head(
                f"{SITE_NAME} - Comments",
                meta_charset(a, html5=False),
                f"comments.cfm?id={a.id}",
                a.id,
            )
            + f"""<div class="MainColumn">
<span class="ArticleHeadline" style="font-size:Large;font-weight:bold;">Comments: {escape(a.title)}</span><br />
<a id="ctl00_cph_lnkBack" href="article.cfm?id={a.id}">Back to article</a><br /><br />
{grid}
</div>
"""
            + _foot(a.published.year)
        )

    def listing(self, v: ListingView) -> str:
        items = "\n".join(
            f'<div class="NewsItem"><a id="ctl00_cph_rptNews_ctl{k:02d}_lnkTitle" class="NewsItemTitle" href="{escape(href)}">{escape(title)}</a><br /><span class="NewsItemTeaser">{escape(teaser)}</span></div>'
            for k, (href, title, teaser) in enumerate(v.entries)
        )
        nav = v.pager(
            '<a href="{href}">{p}</a>',
            '<span class="CurrentPage">{p}</span>',
            '<a href="{href}">&lsaquo; Prev</a>',
            '<a href="{href}">Next &rsaquo;</a>',
        )
        return (
            _head(
                f"{SITE_NAME} - News",
                '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
                "index.cfm",
                v.page,
            )
            + f"""<div class="MainColumn">
<span class="ArticleHeadline" style="font-size:Large;font-weight:bold;">Latest News</span><br />
{items}
<div class="Pager">{" ".join(nav)}</div>
</div>
"""
            + _foot(2022)
        )

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        out = [
            OUTAGE,
            COOKIES,
            "Cookie information",
            "Other News",
            "Editor's picks",
            "More News",
            "E-mail a friend",
            "View Comments",
            "Terms & Conditions",
            "Privacy Statement",
            "Contact Us",
            "Print",
            "Sign in",
        ]
        if a is not None:
            out.append(f"View Comments {len(a.comments)}")
        if a is None or a.paywalled:
            out.append(SUBSCRIBE)
        return out

    def related_link(self, rng: random.Random, kind: str, path: str) -> Link:
        if kind != "article":
            return Link(path)
        return pick(
            rng,
            [
                (30, lambda: Link(path, "relative")),
                (
                    25,
                    lambda: Link(
                        with_params(
                            path, "utm_source=weekly&utm_medium=web&utm_campaign=other-news"
                        )
                    ),
                ),
                (15, lambda: Link(with_params(path, session(rng)))),
                (15, lambda: Link(path, "absolute")),
                (15, lambda: Link(path)),
            ],
        )
