"""The site's feeds: ``/rss/news.xml`` (RSS 2.0) and ``/rss/news.atom`` (Atom 1.0), each with the
newest `FEED_SIZE` listed articles, newest first.

The RSS feed is the one the real site has (linked from the pages' footer or navigation, never from
an article's boxes or a listing's entries, so no crawl reaches it unless it is a seed): absolute
links, RFC 822 ``pubDate``, the standfirst as ``description``, a ``guid`` that is no permalink.
The Atom feed is spelt as many CMSs spell theirs: an ``xml:base`` and root-relative ``href``s,
an ``<updated>`` only on every other entry, HTML titles (``type="html"``, entities escaped). Both
are written for the mode being served (absolute URLs on the proxy hosts or on the origin)."""

from __future__ import annotations

from datetime import UTC
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING

from .links import Bases
from .model import SITE_NAME
from .responses import FixtureResponse

if TYPE_CHECKING:
    from .site import Site

FEED_SIZE = 20
RSS_PATH, ATOM_PATH = "/rss/news.xml", "/rss/news.atom"


def newest(site: Site) -> list[int]:
    """The ids of the feeds' entries, newest first."""
    return site.listed[:FEED_SIZE]


def rss(site: Site, bases: Bases) -> FixtureResponse:
    items = []
    for i in newest(site):
        a = site.articles[i]
        date = format_datetime(a.published.replace(tzinfo=UTC))
        items.append(
            f"<item><title>{escape(a.title)}</title><link>{bases.www}{site.path(i)}</link>"
            f"<description>{escape(a.standfirst)}</description><pubDate>{date}</pubDate>"
            f'<guid isPermaLink="false">police-oracle-{i}</guid></item>'
        )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{SITE_NAME}</title><link>{bases.www}/</link>{''.join(items)}</channel></rss>"
    )
    return _feed(xml, "application/rss+xml")


def atom(site: Site, bases: Bases) -> FixtureResponse:
    entries = []
    for k, i in enumerate(newest(site)):
        a = site.articles[i]
        updated = f"<updated>{a.published.isoformat()}Z</updated>" if k % 2 == 0 else ""
        entries.append(
            f'<entry><title type="html">{escape(escape(a.title))}</title>'
            f'<link rel="alternate" type="text/html" href="{escape(site.path(i))}"/>'
            f"<id>tag:police-oracle,{a.published.year}:{i}</id>{updated}</entry>"
        )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{bases.www}/">'
        f'<title>{SITE_NAME}</title><link rel="alternate" href="/"/>'
        f'<link rel="self" href="{ATOM_PATH}"/>{"".join(entries)}</feed>'
    )
    return _feed(xml, "application/atom+xml")


def _feed(xml: str, content_type: str) -> FixtureResponse:
    return FixtureResponse(200, [("Content-Type", f"{content_type}; charset=utf-8")], xml.encode())
