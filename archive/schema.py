"""The archive's SQLite schema: a documented, stable contract that scripts query directly.

`archive.tables.TABLES` describes every table, full-text index and view with a one-line
description per column; it is the single source of truth: archive/database.py creates (and
migrates) the database from it, archive/schemadoc.py renders it for the README and for Datasette.
The vocabularies stored in its columns (page kinds, link sections, fetch outcomes, failure
reasons) are archive/records.py's.

Conventions, for everyone querying the archive:

* timestamps written by the archive (`first_seen`, `fetched_at`, ...) are UTC, ISO 8601 with a
  trailing ``Z`` and second precision (``2024-05-01T12:00:00Z``), so they sort as text;
* `published` and `posted` are whatever the page gives, ISO 8601 without a zone (or NULL);
* URLs are canonical (see the crawler), except `fetched_url` / `fetches.url` which are as fetched;
* booleans are INTEGER 0/1, JSON values are TEXT.

The schema version is kept in ``PRAGMA user_version`` (`SCHEMA_VERSION`) and the file is marked
with ``PRAGMA application_id`` (`APPLICATION_ID`), so a foreign database is never mistaken for an
archive. Any change to the tables below must bump `SCHEMA_VERSION` and add a migration
(archive/migrations.py) that takes an archive of the previous version to this one.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 2
APPLICATION_ID = 0x504E4131  # "PNA1": police-news archive

SQLITE_HEADER = b"SQLite format 3\x00"


class ArchiveError(Exception):
    """The archive cannot be opened or written (the message says which file and why)."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # SQLite type: "TEXT" or "INTEGER"
    description: str
    not_null: bool = False
    default: str | int | None = None


@dataclass(frozen=True, slots=True)
class Index:
    name: str
    columns: tuple[str, ...]  # column names or SQL expressions
    unique: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    kind: str = "table"  # "table" | "fts" (an FTS5 index of `source`) | "view"
    pk: str | None = None  # None: SQLite's implicit rowid
    indexes: tuple[Index, ...] = ()
    source: str | None = None  # for "fts": the indexed table
    sql: str | None = None  # for "view": the SELECT

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "ArchiveError",
    "Column",
    "Index",
    "Table",
]
