"""Creating, checking and upgrading the archive's database file. No Scrapy here.

- `inspect` tells an empty database, an archive (of this or an older schema version) and anything
  else (refused) apart, without writing.
- `check_path` refuses, with a clear message, a path SQLite would fail on obscurely;
- `ensure_schema` creates whatever the current schema (archive/schema.py) has and the database
  lacks, and upgrades an older archive through archive/migrations.py, all in one transaction.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from archive.migrations import pending
from archive.schema import APPLICATION_ID, SCHEMA_VERSION, SQLITE_HEADER, ArchiveError, Table
from archive.tables import TABLES


def inspect(db: Database) -> str:
    """Classify an open database without modifying it.

    Returns "empty" (no tables: a new archive can be created in it) or "archive" (an archive of
    this or an older schema version); raises ArchiveError for anything else. Raises
    sqlite3.DatabaseError when the file is not an SQLite database at all.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
        )
        if not r[0].startswith("sqlite_")
    ]
    if app_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                f"archive schema version {version} is newer than this program supports "
                f"({SCHEMA_VERSION}): upgrade police-news-archive"
            )
        return "archive"
    if not names and version == 0 and app_id == 0:
        return "empty"
    listed = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    raise ArchiveError(
        "not a police-news archive: an SQLite database from another application "
        f"(user_version={version}, application_id={app_id}, tables: {listed or 'none'}); "
        "refusing to modify it"
    )


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def ensure_schema(db: Database) -> None:
    """Create every table, index, FTS index, trigger and view that is missing, and upgrade an
    archive of an older schema version with its pending migrations, idempotently.

    Must be called outside a transaction; runs in one IMMEDIATE transaction of its own (so that
    two processes opening the same archive at once do not interleave, and a failed migration
    leaves the archive as it was). Call `inspect` first: this function assumes the database is
    empty or an archive.
    """
    db.enable_wal()  # a no-op when already in WAL mode; cannot run inside a transaction
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        if inspect(db) == "archive":  # again, now that we hold the write lock
            for migration in pending(schema_version(db)):
                migration.apply(conn)
        for table in TABLES:
            if table.kind == "table":
                _create_table(db, table)
        for table in TABLES:
            if table.kind == "fts":
                _create_fts(db, table)
            elif table.kind == "view":
                assert table.sql is not None, table.name
                # replaced when this release defines it otherwise (a view holds no data: its
                # columns are the contract, its SQL may change); left alone when the same
                db.create_view(table.name, table.sql, replace=True)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _create_table(db: Database, table: Table) -> None:
    db.table(table.name).create(
        {c.name: c.type for c in table.columns},
        pk=table.pk,
        not_null=[c.name for c in table.columns if c.not_null],
        defaults={c.name: c.default for c in table.columns if c.default is not None},
        if_not_exists=True,
    )
    for index in table.indexes:
        unique = "UNIQUE " if index.unique else ""
        sql = f"CREATE {unique}INDEX {index.name} ON {table.name} ({', '.join(index.columns)})"
        found = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [index.name]
        ).fetchone()
        if found is not None and found[0] == sql:
            continue
        if found is not None:  # an index this release defines otherwise: rebuilt
            db.execute(f"DROP INDEX {index.name}")
        db.execute(sql)


def _create_fts(db: Database, fts: Table) -> None:
    if db.table(fts.name).exists():
        return
    assert fts.source is not None, fts.name
    source = db.table(fts.source)
    columns = fts.column_names
    source.enable_fts(columns, fts_version="FTS5", create_triggers=True, tokenize="porter")
    # sqlite-utils' update trigger fires on any column; re-index only when an indexed column
    # changes, so that bumping last_seen on a re-crawl does not rewrite the full-text index.
    cols = ", ".join(columns)
    old = ", ".join(f"old.{c}" for c in columns)
    new = ", ".join(f"new.{c}" for c in columns)
    db.execute(f"DROP TRIGGER IF EXISTS {fts.source}_au")
    db.execute(
        f"CREATE TRIGGER {fts.source}_au AFTER UPDATE OF {cols} ON {fts.source} BEGIN\n"
        f"  INSERT INTO {fts.name} ({fts.name}, rowid, {cols})\n"
        f"    VALUES ('delete', old.rowid, {old});\n"
        f"  INSERT INTO {fts.name} (rowid, {cols}) VALUES (new.rowid, {new});\n"
        "END"
    )


def check_path(path: Path, *, create: bool) -> None:
    """Refuse, with a clear message, paths SQLite would fail on obscurely or that hold another
    kind of file."""
    if path.exists():
        if path.is_dir():
            raise ArchiveError(f"cannot open archive {path}: it is a directory")
        try:
            with path.open("rb") as f:
                header = f.read(len(SQLITE_HEADER))
        except OSError as e:
            raise ArchiveError(f"cannot open archive {path}: {e.strerror or e}") from e
        if header and header != SQLITE_HEADER:
            raise ArchiveError(
                f"cannot open archive {path}: not an SQLite database "
                "(the file does not start with the SQLite header); refusing to modify it"
            )
        if not os.access(path, os.R_OK | os.W_OK):
            raise ArchiveError(f"cannot open archive {path}: the file is not writable")
    else:
        if not create:
            raise ArchiveError(f"no archive at {path} (and create=False)")
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            raise ArchiveError(f"cannot create archive {path}: {parent} is not a directory")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ArchiveError(
                f"cannot create archive {path}: cannot create directory {parent}: {e.strerror or e}"
            ) from e
    parent = path.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ArchiveError(
            f"cannot open archive {path}: directory {parent} is not writable "
            "(SQLite needs to create its -wal and -shm files there)"
        )
