"""The archive's Datasette plugin: how the archive's pages look and search.

Registered through the ``datasette`` entry point in pyproject.toml. It acts only on the database
served as `publish.app.DATABASE` (as `police-archive serve` names it), so other databases in
the same Datasette are left alone.

* Search: `publish.search.fts_query` replaces Datasette's ``escape_fts()`` SQL function, which
  Datasette's table search (``?_search=``) and the canned search queries call, so every search
  box takes words, "phrases", prefix* and OR / NOT, and nothing typed is an FTS5 syntax error
  (``?_searchmode=raw`` still passes FTS5 syntax through untouched).
* Facets: ``indexed`` (counted from the articles' covering index), ``year`` and ``month``
  (`publish.facets`).
* Cells: a title beside its URL links to the archived article's page; ``snippet`` columns show
  the search match highlighted; ``diff`` columns (`publish.diffs.text_diff`, an SQL function
  here) show what changed between two versions of an article.
* Pages: the article page (template ``row-archive-articles.html``) reads as an article, with
  paragraphs, the link to the original, its related articles in and out and its comments; the
  articles table shows the columns a reader wants first (`ARTICLE_TABLE_COLUMNS`).
* Limits: every connection to the archive gets `publish.limits` (SQLite's length and other
  limits, a guarded printf, a cap on the rows one query returns); an oversized result is an
  HTTP 400 error on every page, not only on the SQL page.

On a Datasette made by `publish.app.make_datasette` (the plugin's configuration, `PLUGIN`, is
present) also:

* Arbitrary SQL (``execute-sql``: ``?sql=``, ``_where=``) refused when the configuration says
  ``allow_sql: false`` (a public server), whatever a metadata ``allow_sql`` block says; canned
  queries, tables, search, facets and exports are not arbitrary SQL.
* No file-system path in any page: ``/-/databases`` lists the databases without their file's
  path, ``/-/threads`` the threads without the asyncio tasks (whose descriptions name source
  files) or thread idents (memory addresses).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from typing import Any
from urllib.parse import urlencode, urlsplit

import markupsafe
from datasette import Response, hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import (
    tilde_encode,
    urlsafe_components,
)

from publish import limits
from publish.app import ARTICLE_TABLE_COLUMNS, CANNED_QUERIES_BY_NAME, DATABASE, PLUGIN
from publish.diffs import render_diff, text_diff
from publish.facets import IndexedColumnFacet, MonthFacet, YearFacet
from publish.search import SNIPPET_END, SNIPPET_START, fts_query

ARTICLE_TEMPLATE = f"row-{DATABASE}-articles.html"
# Comments shown on an article's page (all of them are in the comments table).
MAX_COMMENTS_SHOWN = 200


def _escape_fts(value: Any) -> str:
    return fts_query("" if value is None else str(value))


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so that this one wins
def prepare_connection(conn, database, datasette):
    # Datasette 0.65 calls this for every connection it opens to a database: each SQL thread's
    # read connection and the write connection (tests/test_publish_limits.py checks it).
    if database == DATABASE:
        conn.create_function("escape_fts", 1, _escape_fts, deterministic=True)
        conn.create_function("text_diff", 2, text_diff, deterministic=True)
        limits.apply(conn, (datasette.plugin_config(PLUGIN) or {}).get("limits"))


# ---------------------------------------------------------------------------------------------
# What a server built by publish.app reveals and allows


def _config(datasette) -> dict[str, Any] | None:
    """The plugin's configuration: present on a Datasette made by `publish.app.make_datasette`."""
    return datasette.plugin_config(PLUGIN)


@hookimpl(trylast=True)  # the last word: a metadata allow_sql block does not re-open SQL
def permission_allowed(datasette, actor, action, resource):
    config = _config(datasette)
    if action == "execute-sql" and config is not None and config.get("allow_sql") is False:
        return False
    return None


def databases_without_paths(datasette) -> list[dict[str, Any]]:
    """/-/databases without the `path` of each file."""
    return [
        {
            "name": name,
            "route": db.route,
            "size": db.size,
            "is_mutable": db.is_mutable,
            "is_memory": db.is_memory,
            "hash": db.hash,
        }
        for name, db in datasette.databases.items()
        if name != "_internal"
    ]


def threads_without_tasks() -> dict[str, Any]:
    """/-/threads: the threads by name, and how many asyncio tasks (whose descriptions name
    source files), without thread idents (memory addresses)."""
    threads = threading.enumerate()
    try:
        tasks = len(asyncio.all_tasks())
    except RuntimeError:  # no running loop
        tasks = 0
    return {
        "num_threads": len(threads),
        "threads": [{"name": t.name, "daemon": t.daemon} for t in threads],
        "num_tasks": tasks,
    }


@hookimpl
def register_routes(datasette):
    # Plugin routes come before Datasette's own: these replace two of its /-/ pages.
    if _config(datasette) is None:
        return []
    from datasette.views.special import JsonDataView

    return [
        (
            r"^/-/databases(\.(?P<format>json))?$",
            JsonDataView.as_view(
                datasette, "databases.json", lambda: databases_without_paths(datasette)
            ),
        ),
        (
            r"^/-/threads(\.(?P<format>json))?$",
            JsonDataView.as_view(datasette, "threads.json", threads_without_tasks),
        ),
    ]


@hookimpl
def handle_exception(datasette, request, exception):
    """An oversized value or result ("string or blob too big", "query result too big") or
    SQLite out of its memory cap: HTTP 400 with the message, on every page (Datasette's own
    handler makes it a 500 outside the SQL page)."""
    if _config(datasette) is None:
        return None
    if isinstance(exception, sqlite3.DataError):
        message = str(exception)
    elif isinstance(exception, MemoryError):
        message = (
            "out of memory: the query needs more memory than the server gives SQLite; "
            "ask for fewer or shorter rows"
        )
    else:
        return None
    info = {"ok": False, "error": message, "status": 400, "title": "Result too big"}

    async def inner():
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=400)
        html = await datasette.render_template(["400.html", "error.html"], info, request=request)
        return Response.html(html, status=400)

    return inner


@hookimpl
def register_facet_classes():
    return [IndexedColumnFacet, YearFacet, MonthFacet]


# ---------------------------------------------------------------------------------------------
# Cells

# A title column and the URL column beside it: the title links to the archived article.
TITLE_URL_COLUMNS = {"title": "url", "from_title": "from_url", "to_title": "to_url"}


def article_path(datasette, url: str) -> str:
    """Path of an archived article's page in Datasette."""
    return datasette.urls.row(DATABASE, "articles", tilde_encode(url))


def highlight(snippet: str) -> markupsafe.Markup:
    """An FTS5 snippet, HTML-escaped, with only its match markers turned into <mark>."""
    escaped = str(markupsafe.escape(snippet))
    for marker in (SNIPPET_START, SNIPPET_END):
        escaped = escaped.replace(str(markupsafe.escape(marker)), marker)
    return markupsafe.Markup(escaped)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if database != DATABASE or not isinstance(value, str) or not value:
        return None
    if column == "snippet":
        return highlight(value)
    if column == "diff":
        return render_diff(value)
    url_column = TITLE_URL_COLUMNS.get(column)
    if url_column:
        try:
            url = row[url_column]
        except (IndexError, KeyError):
            return None
        if isinstance(url, str) and url:
            return markupsafe.Markup('<a href="{}">{}</a>').format(
                article_path(datasette, url), value
            )
    return None


# ---------------------------------------------------------------------------------------------
# Pages


def paragraphs(text: str) -> list[str]:
    """The article text's paragraphs (it separates them by blank lines)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


async def article_page(datasette, request, url: str) -> dict[str, Any] | None:
    """What the article page shows beyond the row: paragraphs, related articles, comments."""
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

    def link(row) -> dict[str, Any]:
        return {
            **dict(row),
            "href": article_path(datasette, row["url"]) if row["title"] else None,
        }

    out = [link(r) for r in related if r["direction"] == "out"]
    paras = paragraphs(article["text"])
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
        "versions_href": datasette.urls.query(DATABASE, "article_revisions")
        + "?"
        + urlencode({"url": url}),
        "page_url": datasette.absolute_url(request, article_path(datasette, url)),
    }


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if database != DATABASE or request is None:
        return None
    if template == ARTICLE_TEMPLATE:

        async def inner():
            pks = urlsafe_components(request.url_vars["pks"])
            return {"reader": await article_page(datasette, request, pks[0])}

        return inner
    if view_name == "table" and table == "articles":
        return {"archive_table_columns": ARTICLE_TABLE_COLUMNS}
    return None
