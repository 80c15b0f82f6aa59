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


def _v3(conn: sqlite3.Connection) -> None:
    # keeping the archive over time: nothing a crawl captured is overwritten or deleted
    for table, column in (
        ("articles", "gone_since TEXT"),
        ("articles", "flags TEXT"),
        ("articles", "extractor_version TEXT NOT NULL DEFAULT ''"),
        ("comments", "removed TEXT"),
        ("links", "removed TEXT"),
        ("crawls", "articles_flagged INTEGER"),
        ("crawls", "articles_gone INTEGER"),
        ("crawls", "not_modified INTEGER"),
        ("fetches", "warc_file TEXT"),
        ("fetches", "warc_offset INTEGER"),
        ("fetches", "warc_date TEXT"),
        ("fetches", "payload_digest TEXT"),
        ("fetches", "etag TEXT"),
        ("fetches", "last_modified TEXT"),
    ):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    # the article_links view gains links.removed: ensure_schema creates it again
    conn.execute("DROP VIEW IF EXISTS article_links")
    # an article already gone: since when is not known, the latest failed fetch is the best guess
    conn.execute(
        "UPDATE articles SET gone_since = coalesce((SELECT max(f.fetched_at) FROM fetches AS f "
        "WHERE f.url = articles.url AND f.reason IN ('http_404', 'http_410')), last_seen) "
        "WHERE status = 'gone'"
    )
    # every article's version as the archive holds it becomes its first revision (the versions
    # an older release overwrote are lost); the revisions table is created first
    conn.execute(_REVISIONS_V3)
    conn.execute(
        "INSERT INTO revisions (url, revision, crawl_id, fetch_id, fetched_at, source, "
        "content_hash, title, author, published, standfirst, text, category, paywalled, "
        "word_count, extractor, extractor_version, flags) "
        "SELECT url, 1, CASE WHEN last_changed = first_seen THEN first_crawl_id END, NULL, "
        "last_changed, 'migration', content_hash, title, author, published, standfirst, text, "
        "category, paywalled, word_count, extractor, '', '' FROM articles ORDER BY rowid"
    )


# revisions as schema version 3 creates it (archive/tables.py: REVISIONS; ensure_schema adds
# its indexes and checks nothing else differs)
_REVISIONS_V3 = """CREATE TABLE IF NOT EXISTS [revisions] (
   [id] INTEGER PRIMARY KEY,
   [url] TEXT NOT NULL,
   [revision] INTEGER NOT NULL,
   [crawl_id] INTEGER,
   [fetch_id] INTEGER,
   [fetched_at] TEXT NOT NULL,
   [source] TEXT NOT NULL,
   [content_hash] TEXT NOT NULL,
   [title] TEXT NOT NULL,
   [author] TEXT NOT NULL DEFAULT '',
   [published] TEXT,
   [standfirst] TEXT NOT NULL DEFAULT '',
   [text] TEXT NOT NULL,
   [category] TEXT NOT NULL DEFAULT '',
   [paywalled] INTEGER NOT NULL DEFAULT 0,
   [word_count] INTEGER NOT NULL DEFAULT 0,
   [extractor] TEXT NOT NULL DEFAULT '',
   [extractor_version] TEXT NOT NULL DEFAULT '',
   [flags] TEXT NOT NULL DEFAULT ''
)"""


def _v4(conn: sqlite3.Connection) -> None:
    # the gazetteer version an article was tagged with: '' (not yet) for every existing article,
    # which `police-archive retag` tags; the new tables and views are created with the schema
    conn.execute("ALTER TABLE articles ADD COLUMN tagged TEXT NOT NULL DEFAULT ''")


def _v5(conn: sqlite3.Connection) -> None:
    """Nothing to change: the new `deliveries` table (a distributed crawl's archive writer) is
    created with the schema's other missing tables."""


MIGRATIONS: tuple[Migration, ...] = (
    # (the new url_aliases table is created with the schema's other missing tables)
    Migration(2, "fetches.detail; comments.first_crawl_id; url_aliases", _v2),
    Migration(
        3,
        "revisions; frontier; articles.gone_since, flags, extractor_version; comments.removed; "
        "links.removed; the fetch log's WARC pointers and validators; crawls' new counts",
        _v3,
    ),
    Migration(
        4,
        "articles.tagged; forces, article_forces, people; the article_authors and "
        "force_articles views",
        _v4,
    ),
    Migration(
        5,
        "deliveries (the distributed crawl's archive writer); the articles' facet indexes with "
        "published, articles_by_url, and force_articles without its join (rebuilt as every "
        "index and view this release defines otherwise)",
        _v5,
    ),
)


def pending(version: int) -> list[Migration]:
    """The migrations an archive of schema `version` needs, in order."""
    return [m for m in MIGRATIONS if m.version > version]
