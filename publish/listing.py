"""The archive's tables on the home page (articles first) and on their own pages (the column
descriptions folded away).

The home page lists them in the order a reader wants them (`publish.app.HOME_TABLES`: articles
first, the crawler's logs last), each with the first sentence of its description; a table page
shows its column descriptions folded in a ``<details>`` above its rows instead of a long list
above the search form. Descriptions are the schema's (`archive.schemadoc`), their `backticks`
shown as code.
"""

from __future__ import annotations

import re
from typing import Any

import markupsafe

from publish.app import DATABASE, HOME_TABLES

_BACKTICKS = re.compile(r"`([^`\n]+)`")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(`'\"])")


def with_code(text: object) -> markupsafe.Markup:
    """`text` HTML-escaped, with each `backticked` part as ``<code>``."""
    escaped = str(markupsafe.escape("" if text is None else text))
    return markupsafe.Markup(_BACKTICKS.sub(r"<code>\1</code>", escaped))


def first_sentence(text: str) -> str:
    """The first sentence of a description."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text else ""


async def home_tables(datasette, actor) -> list[dict[str, Any]]:
    """The archive's tables and views the actor may see, as the home page lists them: in the
    order of `HOME_TABLES`, then any other by name; hidden tables (full-text indexes, the crawl
    frontier) are not listed."""
    if DATABASE not in datasette.databases:
        return []
    db = datasette.get_database(DATABASE)
    hidden = set(await db.hidden_table_names())
    names = [t for t in await db.table_names() if t not in hidden] + await db.view_names()
    rank = {name: i for i, name in enumerate(HOME_TABLES)}
    listed = []
    for name in sorted(dict.fromkeys(names), key=lambda n: (rank.get(n, len(rank)), n)):
        visible, private = await datasette.check_visibility(actor, "view-table", (DATABASE, name))
        if visible:
            description = datasette.table_metadata(DATABASE, name).get("description") or ""
            listed.append(
                {
                    "name": name,
                    "href": datasette.urls.table(DATABASE, name),
                    "description": with_code(first_sentence(description)),
                    "private": private,
                }
            )
    return listed


def table_page_metadata(datasette, table: str) -> dict[str, Any]:
    """Template variables of a table page of the archive: its `metadata` as Datasette gives it,
    without the column descriptions (Datasette's table page lists them above the search form)
    and with its description's backticks as code; the descriptions, as
    ``archive_column_descriptions``, for the table templates to fold away."""
    metadata = dict(datasette.table_metadata(DATABASE, table))
    datasette.update_with_inherited_metadata(metadata)
    columns = metadata.pop("columns", None) or {}
    if metadata.get("description") and not metadata.get("description_html"):
        metadata["description_html"] = with_code(metadata["description"])
    return {
        "metadata": metadata,
        "archive_column_descriptions": [(name, with_code(text)) for name, text in columns.items()],
    }
