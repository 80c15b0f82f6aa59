"""Articles per month at a glance: the counts, read from the archive's indexes, and the chart
route ``/-/articles-per-month.svg[?force=ID][&q=SEARCH][&width=PIXELS]``.

The counts are of articles with a plausible publication date (from `EARLIEST_YEAR` to next
year; a value whose first seven characters are not ``YYYY-MM`` is left out by the chart), by
``substr(published, 1, 7)``, read without touching an article's text:

* all articles: the ``articles_published`` index alone;
* a force or body's (``force=ID``, through ``article_forces``) or a search's (``q=``, through
  the full-text index ``articles_fts``): whichever of two ways reads less (`SCAN_RATIO`): each
  match's date looked up by its URL or rowid, or the whole ``published`` index read with each
  entry kept when it is in the matches' list. About 100 ms at most on 100,000 articles.

What a reader types is cleaned as every search box of the archive cleans it
(`publish.search.fts_query`; ``_searchmode=raw`` passes FTS5 syntax as the table page does), so
no search is an error: one that cannot run, or has nothing to search for, gives a chart saying
so (HTTP 200), never a server error; an unknown body is a 404 with a chart saying so.

The pages show the chart beside them (`chart_object`): the page does not wait for the counting.
Counted afresh on each request: nothing is cached that a crawl could make stale. The chart
itself is `publish.charts.month_chart`.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from datasette import Response
from datasette.database import QueryInterrupted

from publish.app import DATABASE
from publish.charts import HEIGHT, WIDTH, month_chart
from publish.search import fts_query

ROUTE = "/-/articles-per-month.svg"
EARLIEST_YEAR = 1900
WIDTHS = (240, 1600)  # the narrowest and the widest chart the route draws (width=)
# The permissions the chart and the force pages need: they show the articles table's data.
PERMISSIONS = [("view-table", (DATABASE, "articles")), ("view-database", DATABASE), "view-instance"]
# Response headers of the SVG: an image that runs nothing, whatever it says.
SVG_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    "x-content-type-options": "nosniff",
}
_DATED = "{c} >= :since and {c} < :until"


def plausible() -> dict[str, str]:
    """The bounds of a plausible publication date: `EARLIEST_YEAR` to the end of next year."""
    return {"since": str(EARLIEST_YEAR), "until": str(datetime.now(UTC).year + 2)}


def dated(column: str) -> str:
    """The SQL condition: `column` is a plausible date (its index answers it); of those, the
    chart leaves out any whose first seven characters are not a month (``YYYY-MM``)."""
    return _DATED.format(c=column)


# Two ways to count a body's or a search's articles by month, whichever reads less:
# - look each match up by its URL or rowid: a read of the articles table an article, costing in
#   proportion to the matches;
# - read the whole ``published`` index (articles_listing holds each article's URL and rowid
#   too) and keep the entries in the matches' list: four to five times cheaper an article
#   (measured at 100,000 articles), costing in proportion to the archive.
# The second when the matches are more than a quarter of the archive.
SCAN_RATIO = 4
_FORCE_LIST = "select article_url from article_forces where force = :force"
_SEARCH_LIST = "select rowid from articles_fts where articles_fts match :q"
# How many articles the archive holds, about: articles are never deleted, so the largest rowid.
ARCHIVE_SIZE = "select coalesce(max(rowid), 0) from articles"
FORCE_MATCHES = "select count(*) from article_forces where force = :force"
SEARCH_MATCHES = f"select count(*) from ({_SEARCH_LIST})"


def reads_every_article(matches: int, size: int) -> bool:
    """Whether `matches` of an archive of `size` articles are counted by reading the whole index
    rather than by looking each up (see SCAN_RATIO)."""
    return matches * SCAN_RATIO > size


def counts_sql(*, force: bool = False, search: bool = False, scan: bool = False) -> str:
    """The SQL counting articles by month: all, naming the body ``:force``, matching the FTS5
    query ``:q``; by reading the whole index (`scan`) or by looking up the body's articles, else
    the search's."""
    where = [dated("a.published")]
    source = "articles as a"
    if scan:  # the unary + keeps SQLite from looking the list's entries up instead
        where += [f"+a.url in ({_FORCE_LIST})"] if force else []
        where += [f"+a.rowid in ({_SEARCH_LIST})"] if search else []
    else:
        if force:  # the body's rows first (CROSS JOIN keeps SQLite from walking every article)
            source = "article_forces as af cross join articles as a on a.url = af.article_url"
            where.insert(0, "af.force = :force")
        where += [f"a.rowid in ({_SEARCH_LIST})"] if search else []
    return (
        "select substr(a.published, 1, 7) as month, count(*) as n\n"
        f"from {source}\nwhere " + "\n  and ".join(where) + "\ngroup by month order by month"
    )


class CannotCount(Exception):
    """A chart's counts could not be read; the message says why, for the chart."""


async def month_counts(
    datasette,
    *,
    force: str | None = None,
    q: str | None = None,
    raw: bool = False,
) -> list[tuple[str, int]]:
    """Articles per month ``[(YYYY-MM, n)]``: all, naming the body `force`, matching the search
    `q` (cleaned unless `raw`), or both. CannotCount when the search cannot run."""
    params: dict[str, Any] = plausible()
    if force is not None:
        params["force"] = force
    if q is not None:
        query = q if raw else fts_query(q)
        if not query.strip() or query == '""':
            raise CannotCount("nothing to search for")
        params["q"] = query
    db = datasette.get_database(DATABASE)
    try:
        scan = True
        if force is not None or q is not None:
            size = (await db.execute(ARCHIVE_SIZE)).single_value()
            sql = FORCE_MATCHES if force is not None else SEARCH_MATCHES
            matches = (await db.execute(sql, params, log_sql_errors=False)).single_value()
            scan = reads_every_article(matches, size)
        sql = counts_sql(force=force is not None, search=q is not None, scan=scan)
        rows = (await db.execute(sql, params, log_sql_errors=False)).rows
    except QueryInterrupted as exc:
        raise CannotCount("counting them took too long") from exc
    except sqlite3.Error as exc:  # a raw search FTS5 refuses
        raise CannotCount(f"the search cannot be run ({exc})") from exc
    return [(row[0], row[1]) for row in rows]


UNTAGGED = (
    "This archive was written before its articles were tagged with the police forces and "
    "bodies they name: police-archive retag tags them"
)


async def is_tagged(db) -> bool:
    """Whether the archive has the police forces its articles name (schema version 4 on)."""
    return bool(await db.table_exists("article_forces") and await db.table_exists("forces"))


async def body_name(datasette, body: str) -> str | None:
    """The name of the force or body `body` (forces.id), its id when only its articles name it,
    or None when the archive knows no such body."""
    db = datasette.get_database(DATABASE)
    if not await is_tagged(db):
        return None
    found = await db.execute(
        "select name from forces where id = :id union all "
        "select force from article_forces where force = :id limit 1",
        {"id": body},
    )
    return found.rows[0][0] if found.rows else None


def chart_title(*, body: str | None = None, q: str | None = None) -> str:
    title = "Articles per month"
    if body is not None:
        title += f" naming {body}"
    if q is not None:
        title += f" {'and ' if body is not None else ''}matching “{q}”"
    return title


def chart_width(value: str | None) -> int:
    """The chart's width in pixels (``width=``): `WIDTHS` bound it, WIDTH by default."""
    try:
        width = int(value or WIDTH)
    except ValueError:
        width = WIDTH
    return min(max(width, WIDTHS[0]), WIDTHS[1])


def chart_path(
    datasette,
    *,
    force: str | None = None,
    q: str | None = None,
    raw: bool = False,
    width: int | None = None,
) -> str:
    """The chart route's path for a body and/or a search, `width` pixels wide."""
    args: dict[str, str] = {k: v for k, v in (("force", force), ("q", q)) if v is not None}
    if raw:
        args["_searchmode"] = "raw"
    if width is not None:
        args["width"] = str(width)
    path = datasette.urls.path(ROUTE)
    return path + ("?" + urlencode(args) if args else "")


async def chart(
    datasette,
    *,
    force: str | None = None,
    q: str | None = None,
    raw: bool = False,
    name: str | None = None,
    **kwargs: Any,
) -> str:
    """The SVG chart of articles per month (see `month_counts`; `name` is the body's, when the
    caller knows it). A search that cannot run gives a chart with nothing in it, saying why."""
    if force is not None and name is None:
        name = (await body_name(datasette, force)) or force
    title = chart_title(body=name, q=q)
    try:
        counts = await month_counts(datasette, force=force, q=q, raw=raw)
        empty = "No articles with a publication date" + (" match" if q is not None else "")
    except CannotCount as exc:
        counts, empty = [], f"No chart: {exc}"
    return month_chart(counts, title=title, empty=empty, **kwargs)


def chart_object(
    datasette,
    *,
    force: str | None = None,
    name: str | None = None,
    q: str | None = None,
    raw: bool = False,
    width: int = WIDTH,
    beside: bool = False,
) -> dict[str, Any]:
    """A chart for an HTML page that loads beside it (template ``_chart_object.html``: an
    ``<object>``, so its bars' tooltips work and the page does not wait for the counting): its
    ``src``, text alternative ``alt``, size, and whether it floats `beside` a search form."""
    return {
        "src": chart_path(
            datasette, force=force, q=q, raw=raw, width=None if width == WIDTH else width
        ),
        "alt": chart_title(body=name or force, q=q),
        "width": width,
        "height": HEIGHT,
        "beside": beside,
    }


async def articles_per_month_svg(datasette, request) -> Response:
    """``/-/articles-per-month.svg``: all articles, ``force=ID`` (articles naming that body),
    ``q=SEARCH`` (matching a search; ``_searchmode=raw`` for FTS5 syntax), or both. An unknown
    body is a 404 with a chart saying so."""
    await datasette.ensure_permissions(request.actor, PERMISSIONS)
    if DATABASE not in datasette.databases:
        svg = month_chart([], empty="This server has no archive")
        return Response(svg, 404, dict(SVG_HEADERS), content_type="image/svg+xml; charset=utf-8")
    force = request.args.get("force")
    q = request.args.get("q")
    raw = request.args.get("_searchmode") == "raw"
    width = chart_width(request.args.get("width"))
    status, name = 200, None
    if force is not None and (name := await body_name(datasette, force)) is None:
        empty = f"No body has the id {force}"
        svg = month_chart([], title=chart_title(body=force), empty=empty, width=width)
        status = 404
    else:
        svg = await chart(datasette, force=force, q=q, raw=raw, name=name, width=width)
    return Response(svg, status, dict(SVG_HEADERS), content_type="image/svg+xml; charset=utf-8")


__all__ = [
    "PERMISSIONS",
    "ROUTE",
    "CannotCount",
    "articles_per_month_svg",
    "body_name",
    "chart",
    "chart_object",
    "chart_path",
    "counts_sql",
    "month_counts",
]
