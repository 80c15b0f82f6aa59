"""The "tables" markup: a hand-coded site of about 2003 (Dreamweaver and ColdFusion), all tables.

- Upper-case tags and attributes, <FONT> everywhere, layout in nested <TABLE>s, not one ``class``
  attribute on the page; no canonical link, no og:/JSON-LD metadata (no metadata at all), and the
  site name alone as <TITLE>.
- Headline in ``<FONT SIZE="4"><B>``, then "Author: Name" and "Posted: 12/08/10 17:04" in small
  print; the standfirst in <I>; paragraphs opened by <P> and never closed; bullets in a <UL>.
- The related box is a <TABLE> in the right-hand column whose first cell (a <TD>) holds the label
  "RELATED NEWS:", one row per link; hrefs relative (``article.cfm?id=N``, also with ColdFusion
  ``CFID``/``CFTOKEN`` before or after the id) or ``../news/article.cfm?id=N``, some
  root-relative. A "More news »" row ends it; a "POPULAR" table (links to other articles, not
  related ones) and a "LATEST JOBS" table follow.
- "Comments (N)" under the article; threads in one table cell, comments separated by <HR>.
- Listings: a table of headlines, "Previous", numbered pages, "Next" (no rel).
- The outage banner is the first row of a table; the cookie notice a table at the foot; "Printer
  friendly version" and "E-mail this article" (a javascript: pop-up) links; a subscription box on
  paywalled teasers. Broken pages leave a <FONT> and the main column's cell unclosed.
"""

# ruff: noqa: E501 - the page templates keep their markup lines whole

from __future__ import annotations

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
)

COOKIES = "This site uses cookies. By using this site you agree to our use of cookies."
SECTIONS = ("Crime", "Operational Policing", "Pay and Conditions", "Misconduct", "Training")


def _head(a: FixtureArticle | None, title: str = SITE_NAME) -> str:
    charset = (
        meta_charset(a, html5=False)
        if a
        else '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=utf-8">'
    )
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML>
<HEAD>
{charset.replace("<meta http-equiv", "<META HTTP-EQUIV").replace(" content=", " CONTENT=")}
<TITLE>{escape(title)}</TITLE>
<META NAME="keywords" CONTENT="police, policing, news, police news, constabulary">
<SCRIPT LANGUAGE="JavaScript">function popup(u){{window.open(u,'mail','width=420,height=380');}}</SCRIPT>
</HEAD>
<BODY BGCOLOR="#FFFFFF" TEXT="#000000" LINK="#003399" VLINK="#663399" MARGINWIDTH="0" MARGINHEIGHT="0">
<TABLE WIDTH="100%" CELLPADDING="4" CELLSPACING="0" BORDER="0">
<TR><TD BGCOLOR="#FFCC00"><FONT FACE="Verdana" SIZE="1"><B>{OUTAGE}</B></FONT></TD></TR>
</TABLE>
<TABLE WIDTH="760" CELLPADDING="0" CELLSPACING="0" BORDER="0" ALIGN="center">
<TR><TD COLSPAN="3"><A HREF="/"><IMG SRC="/images/po_logo.gif" ALT="{SITE_NAME}" WIDTH="250" HEIGHT="50" BORDER="0"></A></TD></TR>
<TR><TD COLSPAN="3" BGCOLOR="#003366" HEIGHT="20"><FONT FACE="Verdana" SIZE="1" COLOR="#FFFFFF">&nbsp;<A HREF="/"><FONT COLOR="#FFFFFF">Home</FONT></A> | <A HREF="/news/index.cfm"><FONT COLOR="#FFFFFF">News</FONT></A> | <A HREF="/jobs/"><FONT COLOR="#FFFFFF">Jobs</FONT></A> | <A HREF="/calendar.cfm?month=8&amp;year=2003"><FONT COLOR="#FFFFFF">Events</FONT></A> | <A HREF="/search.cfm?q="><FONT COLOR="#FFFFFF">Search</FONT></A> | <A HREF="/login.cfm"><FONT COLOR="#FFFFFF">Members login</FONT></A></FONT></TD></TR>
<TR>
<TD WIDTH="130" VALIGN="top" BGCOLOR="#EEEEEE"><FONT FACE="Verdana" SIZE="1"><BR>
{"<BR>".join(f'&nbsp;<A HREF="/news/index.cfm?category={escape(s.replace(" ", "+"))}">{escape(s)}</A>' for s in SECTIONS)}
</FONT></TD>
"""


def _foot(year: int) -> str:
    return f"""<TR><TD COLSPAN="3" ALIGN="center" BGCOLOR="#EEEEEE"><FONT FACE="Verdana" SIZE="1">Copyright &copy; 2003-{year} {SITE_NAME}. All rights reserved. | <A HREF="/terms.cfm">Terms of use</A> | <A HREF="/privacy.cfm">Privacy policy</A></FONT></TD></TR>
</TABLE>
<TABLE WIDTH="100%" CELLPADDING="4" BORDER="0"><TR><TD BGCOLOR="#DDDDDD" ALIGN="center"><FONT FACE="Verdana" SIZE="1">{COOKIES} <A HREF="/cookies.cfm">Cookie policy</A></FONT></TD></TR></TABLE>
</BODY>
</HTML>
"""


def _rows(links: list[tuple[str, str]]) -> str:
    return "\n".join(
        f'<TR><TD><FONT FACE="Verdana" SIZE="1"><IMG SRC="/images/arrow.gif" WIDTH="7" HEIGHT="7"> <A HREF="{escape(href)}">{escape(title)}</A></FONT></TD></TR>'
        for href, title in links
    )


class Tables(Markup):
    name = "tables"
    picks = 3
    box = ("RELATED NEWS:</TD></TR>", '<TR><TD ALIGN="right">')

    def article(self, v: ArticleView) -> str:
        a = v.a
        body = "\n".join(
            f"<P>{html}" if kind == "p" else html
            for kind, html in blocks(
                a, lambda items: "<UL>" + "".join(f"<LI>{escape(b)}" for b in items) + "</UL>"
            )
        )
        author = f"Author: {escape(a.author)}<BR>" if a.author else ""
        paywall = (
            f'<BR><TABLE BORDER="1" BORDERCOLOR="#CC0000" CELLPADDING="6" CELLSPACING="0"><TR><TD><FONT FACE="Verdana" SIZE="2">{SUBSCRIBE} <A HREF="/subscribe.cfm"><B>Subscribe now</B></A></FONT></TD></TR></TABLE>'
            if a.paywalled
            else ""
        )
        close = "" if a.broken else "</FONT></TD>"
        return (
            _head(a)
            + f"""<TD WIDTH="450" VALIGN="top"><TABLE WIDTH="100%" CELLPADDING="8" BORDER="0"><TR><TD>
<FONT FACE="Verdana" SIZE="1"><A HREF="/news/index.cfm">News</A> &gt; {escape(a.category)}</FONT><BR><BR>
<FONT FACE="Verdana" SIZE="4" COLOR="#003366"><B>{escape(a.title)}</B></FONT><BR>
<FONT FACE="Verdana" SIZE="1" COLOR="#666666">{author}Posted: {dmy_slash(a.published, long_year=False, at=False)}</FONT><BR><BR>
<FONT FACE="Verdana" SIZE="2">
<I>{escape(a.standfirst)}</I>
{body}
</FONT>{paywall}
<BR><BR><FONT FACE="Verdana" SIZE="1"><A HREF="/news/print.cfm?id={a.id}" TARGET="_blank">Printer friendly version</A> | <A HREF="javascript:popup('/news/email.cfm?id={a.id}')">E-mail this article</A></FONT>
<BR><BR><FONT FACE="Verdana" SIZE="2"><B><A HREF="comments.cfm?id={a.id}">Comments ({len(a.comments)})</A></B>
{close}</TR></TABLE></TD>
<TD WIDTH="180" VALIGN="top" BGCOLOR="#F5F5F5">
<TABLE WIDTH="100%" BORDER="0" CELLPADDING="3" CELLSPACING="0">
<TR><TD BGCOLOR="#003366" STYLE="color:#FFFFFF;font:bold 10px Verdana">RELATED NEWS:</TD></TR>
{_rows(v.related)}
<TR><TD ALIGN="right"><FONT FACE="Verdana" SIZE="1"><A HREF="/news/index.cfm">More news &raquo;</A></FONT></TD></TR>
</TABLE><BR>
<TABLE WIDTH="100%" BORDER="0" CELLPADDING="3" CELLSPACING="0">
<TR><TD BGCOLOR="#990000" STYLE="color:#FFFFFF;font:bold 10px Verdana">POPULAR</TD></TR>
{_rows(v.picks)}
</TABLE><BR>
<TABLE WIDTH="100%" BORDER="0" CELLPADDING="3" CELLSPACING="0">
<TR><TD BGCOLOR="#336600" STYLE="color:#FFFFFF;font:bold 10px Verdana">LATEST JOBS</TD></TR>
{_rows([(f"/jobs/view.cfm?id=7{a.id}", "Force Control Room Operator"), ("/jobs/", "All vacancies")])}
</TABLE>
</TD></TR>
"""
            + _foot(a.published.year)
        )

    def comments(self, v: CommentsView) -> str:
        a = v.a
        items = "".join(
            f'<B>{escape(c.author)}</B> - {dmy_slash(c.posted, long_year=False, at=False)}<BR>\n{escape(c.text)}\n<HR SIZE="1" NOSHADE>\n'
            for c in a.comments
        )
        empty = "" if a.comments else '<I>No comments yet.</I><HR SIZE="1" NOSHADE>\n'
        return (
            _head(a, f"{SITE_NAME} - Comments")
            + f"""<TD WIDTH="630" COLSPAN="2" VALIGN="top"><TABLE WIDTH="100%" CELLPADDING="8" BORDER="0"><TR><TD><FONT FACE="Verdana" SIZE="2">
<B>Comments on: <A HREF="article.cfm?id={a.id}">{escape(a.title)}</A></B>
<HR SIZE="1" NOSHADE>
{items}{empty}<A HREF="/login.cfm">Log in to post a comment</A>
</FONT></TD></TR></TABLE></TD></TR>
"""
            + _foot(a.published.year)
        )

    def listing(self, v: ListingView) -> str:
        rows = "\n".join(
            f'<TR><TD><FONT FACE="Verdana" SIZE="2"><B><A HREF="{escape(href)}">{escape(title)}</A></B><BR>{escape(teaser)}</FONT><BR><BR></TD></TR>'
            for href, title, teaser in v.entries
        )
        nav = v.pager(
            '<A HREF="{href}">{p}</A>',
            "<B>{p}</B>",
            '<A HREF="{href}">Previous</A>',
            '<A HREF="{href}">Next</A>',
        )
        return (
            _head(None)
            + f"""<TD WIDTH="630" COLSPAN="2" VALIGN="top"><TABLE WIDTH="100%" CELLPADDING="8" BORDER="0">
<TR><TD><FONT FACE="Verdana" SIZE="3" COLOR="#003366"><B>Latest news</B></FONT> <FONT FACE="Verdana" SIZE="1">Page {v.page} of {v.pages}</FONT></TD></TR>
{rows}
<TR><TD ALIGN="center"><FONT FACE="Verdana" SIZE="1">{" | ".join(nav)}</FONT></TD></TR>
</TABLE></TD></TR>
"""
            + _foot(2022)
        )

    def boilerplate(self, a: FixtureArticle | None = None) -> list[str]:
        out = [
            OUTAGE,
            COOKIES,
            "RELATED NEWS:",
            "POPULAR",
            "LATEST JOBS",
            "Force Control Room Operator",
            "All vacancies",
            "More news »",
            "Printer friendly version",
            "E-mail this article",
            "Members login",
            "All rights reserved",
            "Terms of use",
            "Privacy policy",
            "Cookie policy",
        ]
        if a is None:
            return [*out, SUBSCRIBE, "Subscribe now", "Comments ("]
        out.append(f"Comments ({len(a.comments)})")
        return out + ([SUBSCRIBE, "Subscribe now"] if a.paywalled else [])

    def related_link(self, rng: random.Random, kind: str, path: str) -> Link:
        if kind != "article":
            return Link(path, "relative" if path.startswith("/news/") else "root")
        number = path.rsplit("=", 1)[1]
        return pick(
            rng,
            [
                (45, lambda: Link(path, "relative")),
                (20, lambda: Link(path, "dotdot")),
                (15, lambda: Link(with_params(path, session(rng)), "relative")),
                (10, lambda: Link(f"/news/article.cfm?{session(rng)}&id={number}", "relative")),
                (10, lambda: Link(path)),
            ],
        )
