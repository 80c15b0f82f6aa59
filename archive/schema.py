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

SCHEMA_VERSION = 5
APPLICATION_ID = 0x504E4131  # "PNA1": police-news archive

SQLITE_HEADER = b"SQLite format 3\x00"


class ArchiveError(Exception):
    """The archive cannot be opened or written (the message says which file and why)."""


class ArchiveWriteError(ArchiveError):
    """One write operation failed and was rolled back; the archive stays usable.

    `url` names the record, `batch_lost` is True in the rare case where SQLite itself abandoned
    the whole open transaction (disk full, I/O error): the batch's earlier writes are then lost.
    """

    def __init__(self, message: str, *, url: str | None = None, batch_lost: bool = False):
        super().__init__(message)
        self.url = url
        self.batch_lost = batch_lost


class ArchiveCommitError(ArchiveError):
    """A batch could not be committed: its operations are not in the file. `lost_urls` are the
    URLs of those operations, to fetch again."""

    def __init__(self, message: str, *, lost_urls: tuple[str, ...] = ()):
        super().__init__(message)
        self.lost_urls = lost_urls


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # SQLite type: "TEXT" or "INTEGER"
    description: str
    not_null: bool = False
    default: str | int | None = None


TEXT, INT = "TEXT", "INTEGER"


def column(
    name: str,
    type_: str,
    description: str,
    *,
    not_null: bool = False,
    default: str | int | None = None,
) -> Column:
    return Column(name, type_, description, not_null=not_null, default=default)


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
    "ArchiveCommitError",
    "ArchiveError",
    "ArchiveWriteError",
    "INT",
    "TEXT",
    "Column",
    "Index",
    "Table",
    "column",
]
