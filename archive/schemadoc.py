"""The schema as documentation: Markdown for the README, table and column descriptions for
Datasette, both rendered from archive/schema.py so they cannot drift from it.

    python -m archive.schemadoc README.md   # regenerate the README's schema section
"""

from __future__ import annotations

from typing import Any

from archive.schema import SCHEMA_VERSION
from archive.tables import TABLES


def schema_markdown(heading_level: int = 3) -> str:
    """The schema as Markdown: one section per table, FTS index and view, with a column table."""
    h = "#" * heading_level
    kinds = {"table": "table", "fts": "full-text index", "view": "view"}
    out = [
        f"Schema version {SCHEMA_VERSION} (`PRAGMA user_version`). Timestamps written by the "
        "archive are UTC ISO 8601 with a `Z` suffix; booleans are 0/1; JSON is stored as text.",
        "",
    ]
    for table in TABLES:
        out += [f"{h} `{table.name}` ({kinds[table.kind]})", "", table.description, ""]
        out += ["| Column | Type | Description |", "| --- | --- | --- |"]
        for col in table.columns:
            notes = [col.type]
            if col.name == table.pk:
                notes.append("primary key")
            elif col.not_null:
                notes.append("not null")
            if col.default is not None:
                notes.append(f"default {col.default!r}")
            out.append(f"| `{col.name}` | {', '.join(notes)} | {_md_escape(col.description)} |")
        if table.indexes:
            idx = "; ".join(
                f"{'unique ' if i.unique else ''}`{i.name}` ({', '.join(i.columns)})"
                for i in table.indexes
            )
            out += ["", f"Indexes: {idx}."]
        out.append("")
    return "\n".join(out)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def datasette_metadata(database: str = "archive") -> dict[str, Any]:
    """Datasette metadata (table and column descriptions) for an archive served as `database`."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        tables[table.name] = {
            "description": table.description,
            "columns": {c.name: c.description for c in table.columns},
        }
    return {"databases": {database: {"tables": tables}}}


README_START, README_END = "<!-- schema:start -->", "<!-- schema:end -->"


def readme_with_schema(readme: str) -> str:
    """`readme` with the text between the schema markers replaced by `schema_markdown()`."""
    head, _, rest = readme.partition(README_START)
    _, _, tail = rest.partition(README_END)
    return f"{head}{README_START}\n{schema_markdown()}\n{README_END}{tail}"


if __name__ == "__main__":  # python -m archive.schemadoc README.md: regenerate the schema section
    import sys
    from pathlib import Path

    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(readme_with_schema(path.read_text()))
