"""The site's pages that are not articles, comment threads or listings: home, jobs, calendar,
search, login and the footer's pages, the feeds (feeds.py), a stylesheet and images, drafts and
the print and e-mail tools. Every markup serves them alike (`responses.simple_page`), with links and
absolute URLs for the mode being served."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from . import feeds
from .links import Bases, to_int
from .markups.classic import _nav
from .model import SITE_NAME, FixtureArticle
from .responses import GIF, FixtureResponse, html_response, not_found, simple_page

if TYPE_CHECKING:
    from .site import Site

_SIMPLE = {
    "/login.cfm": (
        "Log in",
        '<form method="post"><input name="user"><input '
        'name="password" type="password"><button>Log in</button></form>',
    ),
    "/subscribe.cfm": ("Subscribe", "<p>Subscriptions from £9.99 a month.</p>"),
    "/cookies.cfm": ("Cookies", "<p>We use cookies to remember your preferences.</p>"),
    "/terms.cfm": ("Terms and conditions", "<p>Use of this site is subject to terms.</p>"),
    "/privacy.cfm": ("Privacy", "<p>We respect your privacy.</p>"),
    "/menu.cfm": ("Menu", f"{_nav()}"),
    "/contact.cfm": ("Contact", "<p>Write to the news desk.</p>"),
}


def draft(site: Site, a: FixtureArticle) -> FixtureResponse:
    body = (
        '<p class="draft">DRAFT - NOT FOR PUBLICATION. Embargoed until approved by the '
        f'news desk.</p><p><a href="{site.path(a.id)}">{escape(a.title)}</a>'
        f"</p><p>{escape(a.standfirst)}</p>"
    )
    return html_response(simple_page(f"Draft: {a.title}", body, robots="noindex, nofollow"))


def tool(site: Site, path: str, a: FixtureArticle) -> FixtureResponse:
    """/news/print.cfm (a printable copy) and /news/email.cfm (a form) of an article."""
    if path.endswith("print.cfm"):
        paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.visible_paragraphs)
        by = f"<p>By {escape(a.author)}</p>" if a.author else ""
        html = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={a.encoding}">
<title>{escape(a.title)}</title><meta name="robots" content="noindex"></head>
<body onload="window.print()"><h2>{escape(a.title)}</h2>{by}
<p><b>{escape(a.standfirst)}</b></p>
{paras}
<p>&copy; {SITE_NAME} {a.published.year}</p></body></html>
"""
        return html_response(
            html, encoding=a.encoding, header_charset=site.header_charsets.get(a.id)
        )
    body = (
        f'<form action="/news/email.cfm?id={a.id}" method="post"><p>Send '
        f"&quot;{escape(a.title)}&quot; to a friend.</p>"
        '<label>Your e-mail <input name="from"></label>'
        '<label>Their e-mail <input name="to"></label><button>Send</button></form>'
        f'<p><a href="{site.path(a.id)}">Back to the article</a></p>'
    )
    return html_response(simple_page("E-mail this article", body, robots="noindex"))


def misc(site: Site, bases: Bases, path: str, query: dict[str, list[str]]) -> FixtureResponse:
    """Home, nav, footer and tool targets: simple 200 pages; anything else 404."""
    if path in ("/", "/index.cfm", "/default.cfm"):
        latest = "".join(
            f'<li><a href="{site.path(i)}">{escape(site.articles[i].title)}</a></li>'
            for i in site.listed[:5]
        )
        body = f'<ul class="latest">{latest}</ul><p><a href="/news/">All news</a></p>'
        return html_response(simple_page("Police Oracle: news for the police service", body))
    if path in ("/jobs/", "/jobs", "/jobs/index.cfm"):
        jobs = "".join(
            f'<li><a href="/jobs/view.cfm?id={9000 + k}">Vacancy {k}</a></li>' for k in range(3)
        )
        return html_response(simple_page("Jobs", f"<ul>{jobs}</ul>"))
    if path == "/jobs/view.cfm":
        return html_response(
            simple_page("Detective Constable", "<p>Salary: competitive. Apply online.</p>")
        )
    if path == "/calendar.cfm":
        month = to_int(query.get("month")) or 1
        year = to_int(query.get("year")) or 2020
        links = ""
        if site.hazards_enabled:  # a bounded calendar trap for crawlers that follow all
            prev_m, prev_y = (12, year - 1) if month == 1 else (month - 1, year)
            next_m, next_y = (1, year + 1) if month == 12 else (month + 1, year)
            if prev_y >= 2006:
                links += f'<a href="/calendar.cfm?month={prev_m}&amp;year={prev_y}">Prev</a> '
            if next_y <= 2022:
                links += f'<a href="/calendar.cfm?month={next_m}&amp;year={next_y}">Next</a>'
        return html_response(
            simple_page(f"Events: {month}/{year}", f"<p>No events.</p><p>{links}</p>")
        )
    if path == "/search.cfm":
        q = (query.get("q") or [""])[0]
        return html_response(
            simple_page("Search", f"<p>No results for &quot;{escape(q)}&quot;.</p>")
        )
    if path in _SIMPLE:
        title, body = _SIMPLE[path]
        return html_response(simple_page(title, body))
    if path.startswith("/private/"):
        return html_response(simple_page("Staff area", "<p>Staff only.</p>", robots="noindex"))
    if path == feeds.RSS_PATH:
        return feeds.rss(site, bases)
    if path == feeds.ATOM_PATH:
        return feeds.atom(site, bases)
    if path.endswith(".css"):
        return FixtureResponse(
            200, [("Content-Type", "text/css")], b"body{font-family:Arial,sans-serif}\n"
        )
    if path.startswith("/images/") and path.endswith(".gif"):
        return FixtureResponse(200, [("Content-Type", "image/gif")], GIF)
    return not_found()
