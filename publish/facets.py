"""The archive's facet types for Datasette, registered by `publish.plugin`.

* ``indexed``: Datasette's column facet counted from a table's covering index when the page is
  filtered or searched (`IndexedColumnFacet`), so that a searched or filtered page does not read
  the text of every article it counts; shown on the first page of a table only (`later_page`).
* ``year`` and ``month`` of an ISO 8601 column (``{"month": "published"}``): newest first;
  choosing one filters with ``published__glob=2020-08*``, which (unlike LIKE, which ignores case)
  SQLite answers from the column's index.
* ``forces`` (``{"forces": "url"}`` on articles): the police forces and bodies the page's
  articles name (`article_forces`), most named first, by name; choosing one filters the articles
  with ``_force=ID`` (`FORCE_ARG`, read by publish/plugin.py's ``filters_from_request``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet, Facet
from datasette.utils import (
    escape_sqlite,
    path_with_added_args,
    path_with_removed_args,
)

from archive.tables import TABLES_BY_NAME
from publish.facetrows import (
    FORCE_ARG,
    FORCES,
    FacetRows,
    counted_whole,
    facet_rows,
    has_index,
    shared_by_page,
    top,
)

# A table's facets are counted from this index when the page is filtered or searched. SQLite
# reaches the columns after an article's `text` only by walking through the text's overflow
# pages; the index holds every column the facets group by and the usual filters test, so the
# count reads the index alone: 10-50 ms at 100,000 articles whatever the filter, where reading
# the rows takes up to 350 ms a facet. (Unfiltered, the one-column indexes are quicker still.)
COVERING_INDEXES = {"articles": "articles_listing"}
# Query-string arguments that only add conditions on rowid (search), on the url (a force: the
# covering index holds it) or none at all.
_NEUTRAL_ARGS = frozenset(
    {FORCE_ARG, "_search", "_searchmode", "_sort", "_sort_desc", "_size", "_col", "_nocol",
     "_columns", "_shape", "_labels", "_nofacet", "_nosuggest", "_facet_size", "_json", "_nl",
     "_stream", "_dl", "_ttl", "_timelimit", "_trace"}
)  # fmt: skip


def _index_columns(table: str, index: str) -> frozenset[str]:
    spec = next(i for i in TABLES_BY_NAME[table].indexes if i.name == index)
    return frozenset(c.split()[0] for c in spec.columns) | {"rowid"}


def covered_sql(facet: Facet) -> str | None:
    """The facet's SQL reading its table through the covering index, or None when that cannot
    help: no index for the table, no filter at all, or a filter on a column the index lacks."""
    index = COVERING_INDEXES.get(facet.table or "")
    if index is None or facet.request is None or " where " not in facet.sql:
        return None
    columns = _index_columns(facet.table, index)
    args = facet.request.args
    for key in args:
        if key.startswith("_facet") or key.startswith("_search_"):
            continue
        if key.startswith("_"):
            if key not in _NEUTRAL_ARGS:
                return None  # _where and friends: arbitrary SQL
        elif key.split("__")[0] not in columns:
            return None
    table = escape_sqlite(facet.table)
    return facet.sql.replace(f" from {table} ", f" from {table} indexed by {index} ", 1)


def later_page(facet: Facet) -> bool:
    """A page after the first: Datasette 0.65 would count its facets over the rows after the
    page's start only (the keyset condition is in the facet's SQL), so they are left out: the
    first page's facets are the table's."""
    return facet.request is not None and "_next" in facet.request.args


async def covering_index(facet: Facet) -> str | None:
    """The covering index the facet's page can be read through: when `covered_sql` says it
    helps and the archive has the index (an archive made before it was added is counted from
    its rows)."""
    if covered_sql(facet) is None:
        return None
    name = COVERING_INDEXES[facet.table]
    return name if await has_index(facet, name) else None


async def read_through_covering_index(facet: Facet) -> None:
    """Point the facet's SQL at its `covering_index`, when it has one."""
    if await covering_index(facet) is not None:
        facet.sql = covered_sql(facet)


async def page_rows(facet: Facet) -> FacetRows | None:
    """The page's rows for its facets (publish/facetrows.py) when the page is a filtered or
    searched articles page, else None (the facet runs its own query)."""
    if not shared_by_page(facet):
        return None
    return await facet_rows(facet, covering_index)


class IndexedColumnFacet(ColumnFacet):
    """Datasette's column facet, counted from the table's covering index when filtered."""

    type = "indexed"

    async def suggest(self):
        return []  # Datasette's column facet suggests columns

    async def facet_results(self):
        if later_page(self):
            return [], []
        columns = [c["config"].get("column") or c["config"]["simple"] for c in self.get_configs()]
        # from the page's rows when they hold the columns whole (the date is read as its month)
        shared = await page_rows(self) if all(map(counted_whole, columns)) else None
        if shared is not None:
            return self._counted_from(shared)
        await read_through_covering_index(self)
        results, timed_out = await super().facet_results()
        for result in results:  # shown and removed as the column facet it is
            result["type"] = "column"
        return results, timed_out

    def _counted_from(self, shared: FacetRows) -> tuple[list[dict[str, Any]], list[str]]:
        """The results Datasette's column facet gives, counted from the page's rows."""
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        qs_pairs = self.get_querystring_pairs()
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            column = (
                source_and_config["config"].get("column") or source_and_config["config"]["simple"]
            )
            if not shared.read:
                timed_out.append(column)
                continue
            counted = top(shared.counts(column), size)
            arg = f"{column}__exact" if column.startswith("_") else column
            chosen = {value for key, value in qs_pairs if key == arg}
            values = [
                {**_value(self, arg, str(value), value, count, chosen), "value": value}
                for value, count in counted[:size]
            ]
            result = _result(self, source_and_config, column, values, len(counted))
            result["type"] = "column"
            result["toggle_url"] = self.ds.urls.path(
                path_with_removed_args(self.request, {"_facet": column})
            )
            results.append(result)
        return results, timed_out


class _PeriodFacet(Facet):
    """Facet by a prefix of an ISO 8601 text column (its year or its month), newest first."""

    length: int  # characters of the prefix: 4 for the year, 7 for the month
    glob: str  # the values that have one
    matches: Callable[[str], Any]  # the same, in Python (counted from the page's rows)

    async def facet_results(self):
        if later_page(self):
            return [], []
        shared = await page_rows(self)
        if shared is None:
            await read_through_covering_index(self)
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        facet_size = self.get_facet_size()
        qs_pairs = self.get_querystring_pairs()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            rows = await self._periods(column, shared, facet_size)
            if rows is None:
                timed_out.append(column)
                continue
            arg = f"{column}__glob"
            chosen = {value for key, value in qs_pairs if key == arg}
            values = [
                _value(self, arg, f"{value}*", value, count, chosen)
                for value, count in rows[:facet_size]
            ]
            results.append(_result(self, source_and_config, column, values, len(rows)))
        return results, timed_out

    async def _periods(
        self, column: str, shared: FacetRows | None, size: int
    ) -> list[tuple[str, int]] | None:
        """The periods newest first with their counts (one more than shown), or None when
        counting ran out of time: from the page's rows, else by a query."""
        if shared is not None:
            if not shared.read:
                return None
            periods = shared.prefixes(column, self.length, self.matches)
            return top(periods, size, order="value")
        col = escape_sqlite(column)
        if " where " not in self.sql and _leads_an_index(self.table, column):
            sql = self._newest_periods_sql(col, size)
        else:
            sql = (
                f"select substr({col}, 1, {self.length}) as value, count(*) as count "
                f"from ({self.sql}) where {col} glob '{self.glob}' "
                f"group by value order by value desc limit {size + 1}"
            )
        rows = await _counted(self, sql)
        return None if rows is None else [(row["value"], row["count"]) for row in rows.rows]

    def _newest_periods_sql(self, col: str, size: int) -> str:
        """The newest periods of a whole table and their counts, from the column's index: each
        period found by one seek below the last, each counted over its range of the index (3 ms
        at 100,000 articles, where grouping every row took 40 to 70 ms)."""
        table = escape_sqlite(self.table or "")
        period = f"substr({col}, 1, {self.length})"
        newest = f"select {period} from {table} where {col} glob '{self.glob}'"
        return (
            f"with recursive periods(value) as (select ({newest} order by {col} desc limit 1) "
            f"union all select ({newest} and {col} < periods.value order by {col} desc limit 1) "
            f"from periods where periods.value is not null limit {size + 2}) "
            f"select value, (select count(*) from {table} where {col} >= value "
            f"and {col} < value || '~') as count from periods where value is not null"
        )


async def _counted(facet: Facet, sql: str) -> Any:
    """The facet query's rows, or None when it ran out of the facet time limit."""
    try:
        return await facet.ds.execute(
            facet.database,
            sql,
            facet.params,
            truncate=False,
            custom_time_limit=facet.ds.setting("facet_time_limit_ms"),
        )
    except QueryInterrupted:
        return None


def _value(
    facet: Facet, arg: str, chosen_as: str, label: str, count: int, chosen: set[str]
) -> dict[str, Any]:
    """One value of a facet: choosing it adds `arg`=`chosen_as` to the page's query string,
    choosing it again removes it."""
    selected = chosen_as in chosen
    toggle = (path_with_removed_args if selected else path_with_added_args)(
        facet.request, {arg: chosen_as}
    )
    return {
        "value": label if arg.endswith("__glob") else chosen_as,
        "label": label,
        "count": count,
        "toggle_url": _origin(facet) + str(facet.ds.urls.path(toggle)),
        "selected": selected,
    }


def _origin(facet: Facet) -> str:
    """The page's scheme and host, as ``Datasette.absolute_url`` gives them, looked up once per
    request: a facet's values each have a link, and ``absolute_url`` of Datasette's path string
    (a str subclass that looks up its every attribute through ``dir()``) cost a fifth of a
    force's articles page."""
    assert facet.request is not None
    scope = facet.request.scope
    origin = scope.get(_ORIGIN_KEY)
    if origin is None:
        origin = scope[_ORIGIN_KEY] = facet.ds.absolute_url(facet.request, "/")[:-1]
    return origin


_ORIGIN_KEY = "police_news_archive.origin"


def _result(
    facet: Facet,
    source_and_config: dict[str, Any],
    column: str,
    values: list[dict[str, Any]],
    rows: int,
    name: str | None = None,
) -> dict[str, Any]:
    """A facet's results as Datasette shows them (truncated when the query found more rows
    than the facet shows)."""
    return {
        "name": name or column,
        "type": facet.type,
        "results": values,
        "hideable": source_and_config["source"] != "metadata",
        "toggle_url": facet.ds.urls.path(
            path_with_removed_args(facet.request, {f"_facet_{facet.type}": column})
        ),
        "truncated": rows > facet.get_facet_size(),
    }


def _leads_an_index(table: str | None, column: str) -> bool:
    """Whether an index of the archive's `table` starts with `column`."""
    spec = TABLES_BY_NAME.get(table or "")
    return spec is not None and any(index.columns[0].split()[0] == column for index in spec.indexes)


class YearFacet(_PeriodFacet):
    type = "year"
    length = 4
    glob = "[0-9][0-9][0-9][0-9]*"
    matches = re.compile(r"[0-9]{4}").match


class MonthFacet(_PeriodFacet):
    type = "month"
    length = 7
    glob = "[0-9][0-9][0-9][0-9]-[0-9][0-9]*"
    matches = re.compile(r"[0-9]{4}-[0-9]{2}").match


class ForceFacet(Facet):
    """The police forces and bodies the page's articles name, most named first: counted from
    `article_forces` alone (its index by force) when the page is neither filtered nor searched,
    else from the page's rows (publish/facetrows.py: the forces each article names, read with
    them); the names are looked up after counting. Choosing one adds ``_force=ID``."""

    type = "forces"

    async def suggest(self):
        return []

    async def facet_results(self):
        if later_page(self) or self.request is None:
            return [], []
        facet_size = self.get_facet_size()
        chosen = set(self.request.args.getlist(FORCE_ARG))
        shared = await page_rows(self)
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        for source_and_config in self.get_configs():
            name = (
                source_and_config["config"].get("column") or source_and_config["config"]["simple"]
            )
            rows = await self._forces(shared, facet_size)
            if rows is None:
                timed_out.append(self.type)  # as it is shown: "forces", not its column
                continue
            values = [
                _value(self, FORCE_ARG, value, label, count, chosen)
                for value, label, count in rows[:facet_size]
            ]
            results.append(_result(self, source_and_config, name, values, len(rows), "forces"))
        return results, timed_out

    async def _forces(
        self, shared: FacetRows | None, size: int
    ) -> list[tuple[str, str, int]] | None:
        """(force, its name, articles) most named first, one more than shown; None when
        counting ran out of time. From the page's rows, else from the index by force."""
        if shared is None:
            among = ""  # every article: the index by force alone
            if " where " in self.sql:  # a table other than articles, filtered
                await read_through_covering_index(self)
                among = f"where article_url in (select url from ({self.sql}))"
            sql = (
                "select counted.force as value, coalesce(f.name, counted.force) as label, "
                "counted.n as count from (select force, count(*) as n from article_forces "
                f"{among} group by force order by n desc limit {size + 1}) as counted "
                "left join forces as f on f.id = counted.force order by count desc, label"
            )
            rows = await _counted(self, sql)
            if rows is None:
                return None
            return [(row["value"], row["label"], row["count"]) for row in rows.rows]
        if not shared.read:
            return None
        counted = top(shared.counts(FORCES), size)
        names = await self._names([str(force) for force, _ in counted])
        named = [(force, names.get(force, force), n) for force, n in counted]
        return sorted(named, key=lambda fln: (-fln[2], fln[1]))

    async def _names(self, forces: list[str]) -> dict[str, str]:
        if not forces:
            return {}
        marks = ", ".join("?" for _ in forces)
        found = await self.ds.execute(
            self.database, f"select id, name from forces where id in ({marks})", forces
        )
        return {row["id"]: row["name"] for row in found.rows}
