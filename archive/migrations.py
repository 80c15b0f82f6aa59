"""Schema migrations: how an archive written by an older release becomes one of this release.

`MIGRATIONS` is a numbered list: migration N takes an archive of schema version N - 1 to version
N. Each is a plain function of the connection; archive/database.py applies the ones an archive
needs, in order, in one transaction, when it is opened, then stamps the new version: an archive
is never left half-migrated. Migrations only add (columns, tables, indexes): nothing an archive
holds is rewritten or dropped, so scripts written against an older schema keep working.

A test (tests/test_migrations.py) opens an archive written by each earlier release, committed under
tests/fixtures/, and checks that every row survives and that the result has exactly the schema a
new archive gets.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int  # the schema version this migration produces
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _v2(conn: sqlite3.Connection) -> None:
    # the fetch log says why, for people (error messages, the layouts a page missed)
    conn.execute("ALTER TABLE fetches ADD COLUMN detail TEXT")
    # the crawl that first archived a comment, to count a crawl's new comments in SQL
    conn.execute("ALTER TABLE comments ADD COLUMN first_crawl_id INTEGER")


MIGRATIONS: tuple[Migration, ...] = (
    # (the new url_aliases table is created with the schema's other missing tables)
    Migration(2, "fetches.detail; comments.first_crawl_id; url_aliases", _v2),
)


def pending(version: int) -> list[Migration]:
    """The migrations an archive of schema `version` needs, in order."""
    return [m for m in MIGRATIONS if m.version > version]
