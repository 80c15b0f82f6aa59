"""The facets of a filtered or searched articles page, counted in one pass.

Datasette counts each facet with a query of its own, and each of those queries finds the page's
articles again: eight facets, eight times the filter (80 ms each at 100,000 articles, for a
force or a search). Here the first facet to run reads the page's articles once, the facet
columns only (`FACET_COLUMNS`, from a covering index: never an article's text) and the forces
each names, and every facet of the request counts from those columns in Python.

Which index: `BY_URL_INDEX` when the page is filtered by a force (``_force=``) or searched (the
matches' URLs are looked up: `_search_by_url`), else the listing index, scanned in full once
(`publish.facets.COVERING_INDEXES`); a filter on a column neither index holds reads the rows.
On a page of one force's articles alone, the forces named with it are counted from
`article_forces` alone (`_NAMED_WITH`). The read has three times the facet time limit (it does
the work of eight facet queries); when it runs out, every facet of the page says so.

An unfiltered page is not counted here: its facets are counted from one-column indexes.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.tracer import trace
from datasette.utils import escape_sqlite, sqlite_timelimit

# The columns the articles' facets group by, in the covering indexes.
FACET_COLUMNS = ("url", "published", "category", "author", "site", "paywalled", "status")
_COUNTED = FACET_COLUMNS[1:]  # those the facets count (the URL only finds the forces)
BY_URL_INDEX = "articles_by_url"  # (url, then the other FACET_COLUMNS): a force's articles
# The query-string argument choosing a force (publish/plugin.py: `filters_from_request`).
FORCE_ARG = "_force"
FORCES = "forces"  # the rows' extra value: the IDs of the forces the article names
# A force's articles, as the page's filter (publish/plugin.py). Said to hold for most articles
# (`likelihood`), so that SQLite reads the page's newest articles in the order of the index on
# `published` until the page is full (10-25 ms at 100,000 articles) rather than looking the
# force's articles up by URL and sorting them all (reading every one's text: 100 ms for 15,000);
# counting them still looks them up by URL (3-20 ms), and so do the facets (`BY_URL_INDEX`).
_FORCE_FILTER = "likelihood(url in (select article_url from article_forces where force = {}), 0.9)"
# What the read takes of a column, when not all of it: of the date published, its month (the
# longest period the facets count), so that the months are counted among a few hundred values.
_READ = {"published": "substr(page.published, 1, 7)"}
_SEPARATOR = "\x1f"  # between force IDs in one value (IDs are slugs: never in one)
# The read does the work of every facet's query: it has the time of this many of them.
SHARED_TIME_LIMITS = 3
_SCOPE_KEY = "police_news_archive.facet_rows"


@dataclass(frozen=True, slots=True)
class FacetRows:
    """The page's articles as far as the facets go, column by column (`FACET_COLUMNS`, then
    the forces each names, as tuples), or None when reading them ran out of time."""

    columns: dict[str, tuple[Any, ...]] | None
    forces: Counter[Any] | None = None  # counted apart (a page of one force's articles)

    @classmethod
    def of(cls, rows: list[Any], forces: Counter[Any] | None = None) -> FacetRows:
        """From the read's rows: `FACET_COLUMNS`, then (unless `forces` counts them apart) the
        forces each article names, joined by `_SEPARATOR`."""
        width = len(_COUNTED)
        columns: dict[str, tuple[Any, ...]] = dict.fromkeys((*_COUNTED, FORCES), ())
        if rows:
            values = list(zip(*rows, strict=True))
            columns.update(zip(_COUNTED, values[:width], strict=True))
            if forces is None:
                columns[FORCES] = tuple(v.split(_SEPARATOR) if v else () for v in values[width])
        return cls(columns, forces)

    @property
    def read(self) -> bool:
        return self.columns is not None

    def counts(self, name: str) -> Counter[Any]:
        """How many of the articles have each value of the column (NULL is not counted)."""
        assert self.columns is not None
        if name == FORCES:
            if self.forces is not None:
                return self.forces
            return Counter(chain.from_iterable(self.columns[FORCES]))
        counted = Counter(self.columns[name])
        counted.pop(None, None)
        return counted

    def prefixes(self, name: str, length: int, matches: Callable[[str], Any]) -> Counter[Any]:
        """How many of the articles have each prefix of `length` characters of the text column
        `name`, among the prefixes `matches` accepts (a year, a month)."""
        assert self.columns is not None
        counted: Counter[Any] = Counter()
        for value, count in Counter(self.columns[name]).items():
            if isinstance(value, str) and len(value) >= length and matches(value[:length]):
                counted[value[:length]] += count
        return counted


def counted_whole(column: str) -> bool:
    """Whether the page's rows hold the column's values whole, to count (`FacetRows.counts`)."""
    return column in _COUNTED and column not in _READ


def force_filter(param: str) -> str:
    """The condition on articles naming the force `param` (a named parameter: ":p_force0")."""
    return _FORCE_FILTER.format(param)


def shared_by_page(facet: Facet) -> bool:
    """Whether the facet counts from the page's rows: a filtered or searched articles page."""
    return facet.table == "articles" and facet.request is not None and " where " in facet.sql


async def facet_rows(
    facet: Facet, covering_index: Callable[[Facet], Awaitable[str | None]]
) -> FacetRows:
    """The rows of the facet's page, read once per request whichever facet asks first;
    `covering_index` names the index the page's filters allow (None: the rows themselves)."""
    assert facet.request is not None
    scope = facet.request.scope
    task = scope.get(_SCOPE_KEY)
    if task is None:
        task = scope[_SCOPE_KEY] = asyncio.ensure_future(_read(facet, covering_index))
    return await asyncio.shield(task)


async def _read(
    facet: Facet, covering_index: Callable[[Facet], Awaitable[str | None]]
) -> FacetRows:
    assert facet.request is not None
    index = await covering_index(facet)
    one_force = _one_force(facet)
    table = escape_sqlite(facet.table)
    source = _search_by_url(facet.sql, table)
    by_url = FORCE_ARG in facet.request.args or source != facet.sql
    if index is not None and by_url and await has_index(facet, BY_URL_INDEX):
        # a force's articles, or a search's, looked up by URL: 50 ms for 15,000 articles of
        # 100,000, 10-15 ms for a search matching 1,000-2,000, where the listing index is read
        # in full (40-100 ms)
        index = BY_URL_INDEX
    else:
        source = facet.sql
    if index is not None:
        source = source.replace(f" from {table} ", f" from {table} indexed by {index} ", 1)
    columns = ", ".join(_READ.get(c, f"page.{c}") for c in _COUNTED)
    forces = "" if one_force else _NAMED_FORCES
    limit = SHARED_TIME_LIMITS * facet.ds.setting("facet_time_limit_ms")
    read = read_plain(
        facet, f"select {columns}{forces} from ({source}) as page", facet.params, limit
    )
    try:
        if not one_force:
            return FacetRows.of(await read)
        # the forces named with it, from article_forces alone, read meanwhile
        named = read_plain(facet, _NAMED_WITH, {"force": one_force}, limit)
        rows, cooccurring = await asyncio.gather(read, named)
    except QueryInterrupted:
        return FacetRows(None)
    return FacetRows.of(rows, Counter(dict(cooccurring)))


async def read_plain(facet: Facet, sql: str, params: Any, time_limit_ms: int) -> list[tuple]:
    """The rows of one of the facets' own queries, as plain tuples, within `time_limit_ms`
    (QueryInterrupted past it), traced as Datasette traces its queries.

    Not through ``Database.execute``: its rows go through the connection's row factory (the
    result budget, publish/limits.py, there for queries a visitor writes) and its text through
    Datasette's text factory, two Python calls a row and one a value. For the 15,000 rows of a
    big force's articles that is 50 ms more, and several times that while the page's other
    queries hold the GIL. These queries return a few short columns, bounded by the archive."""

    # Datasette's rule: the shorter of this and the SQL time limit (0 or None: the latter)
    sql_limit = facet.ds.sql_time_limit_ms
    limit = time_limit_ms if time_limit_ms and time_limit_ms < sql_limit else sql_limit

    def read(conn: sqlite3.Connection) -> list[tuple]:
        row_factory, text_factory = conn.row_factory, conn.text_factory
        conn.row_factory = None
        deadline = time.perf_counter() + limit / 1000
        try:
            with sqlite_timelimit(conn, limit):
                # as plain text; text that is not UTF-8 is read again as Datasette reads it
                for factory in (str, text_factory):
                    conn.text_factory = factory
                    try:
                        return conn.execute(sql, params).fetchall()
                    except sqlite3.OperationalError as e:
                        # interrupted, or failed because it was ("vtable constructor failed"
                        # when the time runs out as SQLite opens the full-text index)
                        if e.args == ("interrupted",) or time.perf_counter() >= deadline:
                            raise QueryInterrupted(e, sql, params) from e
                        if factory is text_factory or "decode" not in str(e):
                            raise
                raise AssertionError("read twice")  # the second read returns or raises
        finally:
            conn.row_factory, conn.text_factory = row_factory, text_factory

    with trace("sql", database=facet.database, sql=sql, params=params):
        return await facet.ds.get_database(facet.database).execute_fn(read)


# The forces each article of the page names, with it.
_NAMED_FORCES = (
    ", (select group_concat(force, char(31)) from article_forces "
    "where article_url = page.url) as forces"
)
# The forces named by the articles naming :force, counted (a force's own page: 25 ms for 15,000
# articles, where each article's forces cost 50 ms).
_NAMED_WITH = (
    "select other.force, count(*) from article_forces as one join article_forces as other "
    "on other.article_url = one.article_url where one.force = :force group by other.force"
)


def _search_by_url(sql: str, table: str) -> str:
    """The page's SQL with Datasette's full-text search condition (rowid in the matches) turned
    into one on the matches' URLs, which the index by URL finds (URL is an article's first
    column: reading it never reads the text)."""
    fts = escape_sqlite(f"{table}_fts")
    for match in ("escape_fts(:search)", ":search"):
        clause = f"rowid in (select rowid from {fts} where {fts} match {match})"
        sql = sql.replace(clause, f"url in (select url from {table} where {clause})")
    return sql


def _one_force(facet: Facet) -> str | None:
    """The force when the page is the articles naming one force, and nothing else."""
    where = facet.sql.split(" where ", 1)[-1].strip()
    if where == force_filter(":p_force0") and isinstance(facet.params, dict):
        return facet.params.get("p_force0")
    return None


async def has_index(facet: Facet, name: str) -> bool:
    """Whether the facet's database has the index `name`."""
    found = await facet.ds.execute(
        facet.database, "select 1 from sqlite_master where type = 'index' and name = ?", [name]
    )
    return bool(found.rows)


def top(counted: Counter[Any], size: int, order: str = "count") -> list[tuple[Any, int]]:
    """The facet's first `size` + 1 values (one more than shown: the facet is then truncated),
    most frequent first (then by value), or by value newest first (`order` = "value")."""
    if order == "value":
        return sorted(counted.items(), key=lambda kv: kv[0], reverse=True)[: size + 1]
    return sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[: size + 1]
