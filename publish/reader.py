"""The article page beyond its row (template ``row-archive-articles.html``), and an article's
stable address, ``/-/article?url=ORIGINAL_URL``.

The stable address is what citations give (`publish.citation`): it redirects (302) to the
article's page in Datasette, whatever Datasette's encoding of the row's key in its URL (tilde
encoding since 0.61, dash encoding before), and it reads as the original URL: only the
characters a query string cannot carry (``&``, ``+``, ``#``, ``%``, spaces, non-ASCII) are
percent-encoded. It finds an article by its canonical URL or by an old address of it
(`url_aliases`: a URL that redirected to it); anything else is a 404.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from datasette import Response
from datasette.database import QueryInterrupted
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound

from publish.app import CANNED_QUERIES_BY_NAME, DATABASE
from publish.citation import Citation

# Comments shown on an article's page (all of them are in the comments table).
MAX_COMMENTS_SHOWN = 200
STABLE_ROUTE = "/-/article"
FORCE_ROUTE = "/-/force/"  # a police force or body's page (publish.forces)
WAYBACK = "https://web.archive.org/web/*/"
# How the article page names the page section a link to it was in.
SECTION_NAMES = {
    "in_other_news": "its In Other News box",
    "more_news": "its More News link",
    "listing": "a listing",
}


# The forces and bodies an article names: those in its headline or standfirst first, then by
# how often it names them.
FORCES_NAMED = """select af.force, coalesce(f.name, af.force) as name
from article_forces as af left join forces as f on f.id = af.force
where af.article_url = ?
order by af.in_headline desc, af.mentions desc, name"""


def article_path(datasette, url: str) -> str:
    """Path of an archived article's page in Datasette."""
    return datasette.urls.row(DATABASE, "articles", tilde_encode(url))


def force_path(datasette, body: str) -> str:
    """Path of the page of a police force or body (its forces.id) in the archive."""
    return datasette.urls.path(FORCE_ROUTE + tilde_encode(body))


def stable_path(datasette, url: str) -> str:
    """The archive's stable path for the article at `url`: ``/-/article?url=URL``, readable."""
    return datasette.urls.path(STABLE_ROUTE) + "?url=" + quote(url, safe=":/?=@,")


def wayback_url(url: str) -> str:
    """The Wayback Machine's list of its captures of `url` (a link, never fetched here)."""
    return WAYBACK + url


async def find_article(datasette, url: str) -> str | None:
    """The canonical URL of the archived article at `url` or at an old address of it."""
    db = datasette.get_database(DATABASE)
    found = await db.execute(
        "select url from articles where url = :url "
        "union all select a.url from url_aliases as u join articles as a on a.url = u.url "
        "where u.alias = :url limit 1",
        {"url": url},
    )
    return found.rows[0][0] if found.rows else None


async def redirect_to_article(datasette, request) -> Response:
    """``/-/article?url=URL``: a redirect to the article's page, or 404."""
    await datasette.ensure_permissions(
        request.actor,
        [("view-table", (DATABASE, "articles")), ("view-database", DATABASE), "view-instance"],
    )
    url = request.args.get("url", "").strip()
    if DATABASE not in datasette.databases or not url:
        raise NotFound("Give an article's original URL: /-/article?url=URL")
    found = await find_article(datasette, url)
    if found is None:
        raise NotFound(f"No archived article has the URL {url}")
    return Response.redirect(article_path(datasette, found))


def paragraphs(text: str) -> list[str]:
    """The article text's paragraphs (it separates them by blank lines)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


async def article_page(datasette, request, url: str) -> dict[str, Any] | None:
    """What the article page shows beyond the row: paragraphs, the forces and bodies it names
    (linked to their pages), where the article comes from (original, archived copy, Wayback
    Machine), related articles, comments, citations."""
    db = datasette.get_database(DATABASE)
    found = await db.execute("select * from articles where url = ?", [url])
    if not found.rows:
        return None
    article = dict(found.first())
    try:
        related = (
            await db.execute(CANNED_QUERIES_BY_NAME["related_articles"].sql, {"url": url})
        ).rows
        comments = (
            await db.execute(
                "select author, posted, text from comments where article_url = ? "
                f"order by position, id limit {MAX_COMMENTS_SHOWN}",
                [url],
            )
        ).rows
        comments_total = (
            await db.execute("select count(*) from comments where article_url = ?", [url])
        ).single_value()
        versions = (
            await db.execute("select count(*) from revisions where url = ?", [url])
        ).single_value()
    except QueryInterrupted:  # a page without its extras beats an error page
        related, comments, comments_total, versions = [], [], 0, 0
    try:
        forces = (await db.execute(FORCES_NAMED, [url], log_sql_errors=False)).rows
    except (QueryInterrupted, sqlite3.OperationalError):  # an archive older than tagging
        forces = []

    def link(row) -> dict[str, Any]:
        return {
            **dict(row),
            "href": article_path(datasette, row["url"]) if row["title"] else None,
            "section_name": SECTION_NAMES.get(row["section"], row["section"]),
        }

    out = [link(r) for r in related if r["direction"] == "out"]
    paras = paragraphs(article["text"])
    stable = datasette.absolute_url(request, stable_path(datasette, url))
    citation = Citation(
        title=article["title"],
        byline=article["author"],
        site=article["site"] or urlsplit(url).hostname or "",
        published=article["published"],
        original_url=url,
        archive_url=stable,
        archive_name=datasette.metadata("title") or DATABASE,
        first_seen=article["first_seen"],
        last_seen=article["last_seen"],
    )
    return {
        "article": article,
        "paragraphs": paras,
        "has_standfirst": bool(paras) and paras[0] == article["standfirst"].strip(),
        "host": urlsplit(article["url"]).hostname or "",
        "in_other_news": [r for r in out if r["section"] == "in_other_news"],
        "more_news": [r for r in out if r["section"] == "more_news"],
        "linked_from": [link(r) for r in related if r["direction"] == "in"],
        "comments": [{**dict(c), "paragraphs": paragraphs(c["text"])} for c in comments],
        "comments_total": comments_total,
        "comments_href": datasette.urls.table(DATABASE, "comments")
        + "?"
        + urlencode({"article_url": url}),
        "versions": versions,
        "forces": [
            {"id": f["force"], "name": f["name"], "href": force_path(datasette, f["force"])}
            for f in forces
        ],
        "versions_href": datasette.urls.query(DATABASE, "article_revisions")
        + "?"
        + urlencode({"url": url}),
        "stable_url": stable,
        "wayback_url": wayback_url(url),
        "citation": citation,
        "cite_text": citation.text(),
        "bibtex": citation.bibtex(),
        "csl_json": citation.csl_json(),
        "downloads": citation.downloads(),
    }
