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
* Cells (``render_cell``, HTML only: JSON and CSV keep the stored values): a title beside its URL
  links to the archived article's page; ``snippet`` columns show the search match highlighted;
  ``diff`` columns (`publish.diffs.text_diff`, an SQL function here) show what changed between
  two versions of an article; date columns (`DATE_COLUMNS`) read "12 April 2021, 13:05", UTC
  shown in UK time, in a ``<time>`` keeping the stored value (`publish.dates`), and so do the
  templates' dates (Jinja filters ``archive_date``, ``archive_day``).
* Pages: the home page shows the articles per month and lists the tables articles first
  (`publish.listing`); a table page folds its column descriptions away; a search of the
  articles table or the canned query ``search`` shows its articles per month beside the form;
  the article page (template ``row-archive-articles.html``, `publish.reader`) reads as an
  article, with paragraphs, the original URL, the archived copy and the Wayback Machine's
  captures, the forces and bodies it names (linked to their pages), its related articles in and
  out, its comments and a citation as text, BibTeX and CSL-JSON (`publish.citation`); the
  articles table shows the columns a reader wants first (`ARTICLE_TABLE_COLUMNS`).
* Routes: ``/-/article?url=URL``, the archive's stable address of an article (a redirect to its
  page: `publish.reader`), which citations give; ``/-/force/ID`` and ``/-/forces``, a page for
  each police force or body the articles name and their index (`publish.forces`);
  ``/-/articles-per-month.svg`` (``force=ID``, ``q=SEARCH``), the chart of articles per month
  the pages show (`publish.trends`, drawn by `publish.charts`).
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
import sqlite3
import threading
from typing import Any

import markupsafe
from datasette import Response, hookimpl
from datasette.filters import FilterArguments
from datasette.utils import urlsafe_components

from publish import limits
from publish.app import ARTICLE_TABLE_COLUMNS, DATABASE, DATE_COLUMNS, PLUGIN
from publish.dates import date_filter, day_filter, time_element
from publish.diffs import render_diff, text_diff
from publish.facetrows import force_filter
from publish.facets import FORCE_ARG, ForceFacet, IndexedColumnFacet, MonthFacet, YearFacet
from publish.forces import FORCES_ROUTE, force_page, forces_page
from publish.listing import home_tables, table_page_metadata, with_code
from publish.reader import (
    FORCE_ROUTE,
    STABLE_ROUTE,
    article_page,
    article_path,
    redirect_to_article,
)
from publish.search import SNIPPET_END, SNIPPET_START, fts_query
from publish.trends import PERMISSIONS, ROUTE, articles_per_month_svg, chart_object, is_tagged

ARTICLE_TEMPLATE = f"row-{DATABASE}-articles.html"
SEARCH_TEMPLATE = f"query-{DATABASE}-search.html"
# A search's chart sits beside the search form, in the room Datasette leaves there, so that the
# first results stay on the first screen (1280x800).
SEARCH_CHART_WIDTH = 400


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
    # Plugin routes come before Datasette's own: the last two replace two of its /-/ pages.
    article = [
        (rf"^{STABLE_ROUTE}$", redirect_to_article),
        (rf"^{FORCE_ROUTE}(?P<id>[^/]+)$", force_page),
        (rf"^{FORCES_ROUTE}$", forces_page),
        (rf"^{ROUTE.replace('.', '[.]')}$", articles_per_month_svg),
    ]
    if _config(datasette) is None:
        return article
    from datasette.views.special import JsonDataView

    return [
        *article,
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
    return [IndexedColumnFacet, YearFacet, MonthFacet, ForceFacet]


@hookimpl
def filters_from_request(request, database, table, datasette):
    """Articles naming a force: ``?_force=ID`` (repeatable: naming every one), the filter the
    ``forces`` facet toggles (publish/facets.py)."""
    if table != "articles" or FORCE_ARG not in request.args:
        return None
    wanted = list(dict.fromkeys(request.args.getlist(FORCE_ARG)))[:10]
    where = [force_filter(f":p_force{i}") for i in range(len(wanted))]
    params = {f"p_force{i}": force for i, force in enumerate(wanted)}
    return FilterArguments(where, params, [f"naming the force or body {f!r}" for f in wanted])


# ---------------------------------------------------------------------------------------------
# Cells

# A title column and the URL column beside it: the title links to the archived article.
TITLE_URL_COLUMNS = {"title": "url", "from_title": "from_url", "to_title": "to_url"}


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
    if column in DATE_COLUMNS:
        return time_element(value)  # None (Datasette's own rendering) when it is not a date
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


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["archive_date"] = date_filter
    env.filters["archive_day"] = day_filter
    env.filters["with_code"] = with_code


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if request is None:
        return None
    if view_name == "index":

        async def home():
            tables = await home_tables(datasette, request.actor)
            extra = {"archive_home_tables": tables, "archive_database": DATABASE}
            if (
                tables
                and (await datasette.check_visibility(request.actor, permissions=PERMISSIONS))[0]
            ):
                extra["archive_chart"] = chart_object(datasette)
                if await is_tagged(datasette.get_database(DATABASE)):
                    extra["archive_forces_href"] = datasette.urls.path(FORCES_ROUTE)
            return extra

        return home
    if database != DATABASE:
        return None
    if template == ARTICLE_TEMPLATE:

        async def inner():
            pks = urlsafe_components(request.url_vars["pks"])
            return {"reader": await article_page(datasette, request, pks[0])}

        return inner
    if view_name == "table" and table:
        extra = table_page_metadata(datasette, table)
        if table == "articles":
            extra["archive_table_columns"] = ARTICLE_TABLE_COLUMNS
            extra["archive_search_chart"] = search_chart(datasette, request, "_search")
        return extra
    if template == SEARCH_TEMPLATE:  # the canned query `search`
        return {"archive_search_chart": search_chart(datasette, request, "q")}
    return None


def search_chart(datasette, request, arg: str) -> dict[str, Any] | None:
    """The chart of a search's articles per month, beside the search form, when the page has a
    search (`arg`)."""
    q = request.args.get(arg, "").strip()
    if not q:
        return None
    raw = arg == "_search" and request.args.get("_searchmode") == "raw"
    return chart_object(datasette, q=q, raw=raw, width=SEARCH_CHART_WIDTH, beside=True)
