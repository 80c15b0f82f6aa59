"""The archive's facet types for Datasette, registered by `publish.plugin`.

* ``indexed``: Datasette's column facet counted from a table's covering index when the page is
  filtered or searched (`IndexedColumnFacet`), so that a searched or filtered page does not read
  the text of every article it counts; shown on the first page of a table only (`later_page`).
* ``year`` and ``month`` of an ISO 8601 column (``{"month": "published"}``): newest first;
  choosing one filters with ``published__glob=2020-08*``, which (unlike LIKE, which ignores case)
  SQLite answers from the column's index.
"""

from __future__ import annotations

from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet, Facet
from datasette.utils import (
    escape_sqlite,
    path_with_added_args,
    path_with_removed_args,
)

from archive.tables import TABLES_BY_NAME

# A table's facets are counted from this index when the page is filtered or searched. SQLite
# reaches the columns after an article's `text` only by walking through the text's overflow
# pages; the index holds every column the facets group by and the usual filters test, so the
# count reads the index alone: 10-50 ms at 100,000 articles whatever the filter, where reading
# the rows takes up to 350 ms a facet. (Unfiltered, the one-column indexes are quicker still.)
COVERING_INDEXES = {"articles": "articles_listing"}
# Query-string arguments that only add conditions on rowid (search) or none at all.
_NEUTRAL_ARGS = frozenset(
    {"_search", "_searchmode", "_sort", "_sort_desc", "_size", "_col", "_nocol", "_columns",
     "_shape", "_labels", "_nofacet", "_nosuggest", "_facet_size", "_json", "_nl", "_stream",
     "_dl", "_ttl", "_timelimit", "_trace"}
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


async def read_through_covering_index(facet: Facet) -> None:
    """Point the facet's SQL at the covering index when `covered_sql` says it helps and the
    archive has the index (an archive made before it was added is counted from its rows)."""
    sql = covered_sql(facet)
    if sql is None:
        return
    found = await facet.ds.execute(
        facet.database,
        "select 1 from sqlite_master where type = 'index' and name = ?",
        [COVERING_INDEXES[facet.table]],
    )
    if found.rows:
        facet.sql = sql


class IndexedColumnFacet(ColumnFacet):
    """Datasette's column facet, counted from the table's covering index when filtered."""

    type = "indexed"

    async def suggest(self):
        return []  # Datasette's column facet suggests columns

    async def facet_results(self):
        if later_page(self):
            return [], []
        await read_through_covering_index(self)
        results, timed_out = await super().facet_results()
        for result in results:  # shown and removed as the column facet it is
            result["type"] = "column"
        return results, timed_out


class _PeriodFacet(Facet):
    """Facet by a prefix of an ISO 8601 text column (its year or its month), newest first."""

    length: int  # characters of the prefix: 4 for the year, 7 for the month
    glob: str  # the values that have one

    async def facet_results(self):
        if later_page(self):
            return [], []
        await read_through_covering_index(self)
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        facet_size = self.get_facet_size()
        qs_pairs = self.get_querystring_pairs()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            sql = (
                f"select substr({col}, 1, {self.length}) as value, count(*) as count "
                f"from ({self.sql}) where {col} glob '{self.glob}' "
                f"group by value order by value desc limit {facet_size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            arg = f"{column}__glob"
            chosen = {value for key, value in qs_pairs if key == arg}
            values = []
            for row in rows.rows[:facet_size]:
                value = row["value"]
                pattern = f"{value}*"
                selected = pattern in chosen
                toggle = (path_with_removed_args if selected else path_with_added_args)(
                    self.request, {arg: pattern}
                )
                values.append(
                    {
                        "value": value,
                        "label": value,
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {f"_facet_{self.type}": column})
                    ),
                    "truncated": len(rows) > facet_size,
                }
            )
        return results, timed_out


class YearFacet(_PeriodFacet):
    type = "year"
    length = 4
    glob = "[0-9][0-9][0-9][0-9]*"


class MonthFacet(_PeriodFacet):
    type = "month"
    length = 7
    glob = "[0-9][0-9][0-9][0-9]-[0-9][0-9]*"
