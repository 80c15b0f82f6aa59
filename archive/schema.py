"""The archive's SQLite schema: a documented, stable contract that scripts query directly.

`TABLES` describes every table, full-text index and view with a one-line description per column;
it is the single source of truth: `ensure_schema` creates the database from it, `schema_markdown`
renders it for the README and `datasette_metadata` for Datasette.

Conventions, for everyone querying the archive:

* timestamps written by the archive (`first_seen`, `fetched_at`, ...) are UTC, ISO 8601 with a
  trailing ``Z`` and second precision (``2024-05-01T12:00:00Z``), so they sort as text;
* `published` and `posted` are whatever the page gives, ISO 8601 without a zone (or NULL);
* URLs are canonical (see the crawler), except `fetched_url` / `fetches.url` which are as fetched;
* booleans are INTEGER 0/1, JSON values are TEXT.

The schema version is kept in ``PRAGMA user_version`` (`SCHEMA_VERSION`) and the file is marked
with ``PRAGMA application_id`` (`APPLICATION_ID`), so a foreign database is never mistaken for an
archive. Any change to the tables below must bump `SCHEMA_VERSION` and add a migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

SCHEMA_VERSION = 1
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


def _c(name: str, type_: str, description: str, *, not_null: bool = False, default=None) -> Column:
    return Column(name, type_, description, not_null=not_null, default=default)


TEXT, INT = "TEXT", "INTEGER"

ARTICLES = Table(
    "articles",
    "One row per news article (keyed by canonical URL), as last extracted; updated in place when "
    "its content changes.",
    (
        _c("url", TEXT, "Canonical URL of the article: the primary key.", not_null=True),
        _c("title", TEXT, "Headline.", not_null=True),
        _c("author", TEXT, "Byline; empty when the page has none.", not_null=True, default=""),
        _c(
            "published",
            TEXT,
            "Publication date or date-time as the page gives it (ISO 8601), or NULL.",
        ),
        _c(
            "text",
            TEXT,
            "Article text only: standfirst, paragraphs and list items separated by blank lines.",
            not_null=True,
        ),
        _c(
            "standfirst",
            TEXT,
            "The introductory summary paragraph; empty when none.",
            not_null=True,
            default="",
        ),
        _c(
            "category",
            TEXT,
            "Section or category the site files the article under; may be empty.",
            not_null=True,
            default="",
        ),
        _c(
            "site",
            TEXT,
            "Site profile name (e.g. 'policeoracle'), or the host for generic pages.",
            not_null=True,
            default="",
        ),
        _c(
            "paywalled",
            INT,
            "1 when the page is a subscriber-only teaser (`text` holds only the "
            "visible part), else 0.",
            not_null=True,
            default=0,
        ),
        _c(
            "comment_count",
            INT,
            "Number of comments the article page shows, NULL when it shows none.",
        ),
        _c(
            "word_count",
            INT,
            "Number of whitespace-separated words in `text`.",
            not_null=True,
            default=0,
        ),
        _c(
            "extractor",
            TEXT,
            "Which profile layout or fallback extracted the record: 'profile:policeoracle/table',"
            " 'trafilatura' or 'readability'.",
            not_null=True,
            default="",
        ),
        _c(
            "fetched_url",
            TEXT,
            "The URL last fetched for this article (before canonicalisation).",
            not_null=True,
            default="",
        ),
        _c(
            "status",
            TEXT,
            "'live', or 'gone' once a later fetch of the URL answered 404/410.",
            not_null=True,
            default="live",
        ),
        _c(
            "content_hash",
            TEXT,
            "SHA-256 (hex) of title, author, published and text: tells an "
            "updated article from an unchanged one.",
            not_null=True,
        ),
        _c("first_seen", TEXT, "When the article was first archived (UTC).", not_null=True),
        _c(
            "last_seen",
            TEXT,
            "When the article was last fetched and extracted (UTC).",
            not_null=True,
        ),
        _c(
            "last_changed",
            TEXT,
            "When the content (`content_hash`) last changed; equals first_seen "
            "for never-updated articles (UTC).",
            not_null=True,
        ),
        _c("first_crawl_id", INT, "The crawl (`crawls.id`) that first archived the article."),
        _c("last_crawl_id", INT, "The crawl (`crawls.id`) that last saw the article."),
    ),
    pk="url",
    indexes=(
        Index("articles_published", ("published",)),
        Index("articles_site", ("site",)),
        # The published archive lists articles newest first (keyset pagination, the primary key
        # breaking ties), straight from this index; it also holds every column its facets and
        # usual filters use, so that the facets of a filtered page or a search are counted from
        # the index alone, never reading an article's text.
        Index(
            "articles_listing",
            ("published DESC", "url", "category", "author", "site", "paywalled", "status"),
        ),
        # The published archive's facets (publish.app) group by these columns: with an index
        # a facet reads the index alone instead of every article's text.
        Index("articles_category", ("category",)),
        Index("articles_author", ("author",)),
        Index("articles_paywalled", ("paywalled",)),
        Index("articles_status", ("status",)),
    ),
)

LINKS = Table(
    "links",
    "Links between archived pages, by page section; a page's outgoing links are replaced each "
    "time it is saved.",
    (
        _c("from_url", TEXT, "Canonical URL of the page holding the link.", not_null=True),
        _c("to_url", TEXT, "Canonical URL of the link target.", not_null=True),
        _c(
            "section",
            TEXT,
            "Page section the link is in: in_other_news, more_news, pagination, "
            "listing or comments.",
            not_null=True,
        ),
        _c(
            "anchor",
            TEXT,
            "The link's visible text, whitespace-normalised.",
            not_null=True,
            default="",
        ),
        _c("first_seen", TEXT, "When the link was first seen on the page (UTC).", not_null=True),
        _c("last_seen", TEXT, "When the link was last seen on the page (UTC).", not_null=True),
    ),
    indexes=(
        # also serves lookups by from_url (its leading column)
        Index("links_identity", ("from_url", "to_url", "section"), unique=True),
        Index("links_to_url", ("to_url",)),
    ),
)

COMMENTS = Table(
    "comments",
    "Reader comments, one row per comment; kept when they later disappear from the thread "
    "(`last_seen` then stops advancing).",
    (
        _c("id", INT, "Row id."),
        _c(
            "article_url",
            TEXT,
            "Canonical URL of the article the comment belongs to.",
            not_null=True,
        ),
        _c("author", TEXT, "Commenter's name as shown.", not_null=True, default=""),
        _c("posted", TEXT, "When the comment was posted (ISO 8601 as the page gives it), or NULL."),
        _c("text", TEXT, "The comment text.", not_null=True),
        _c("position", INT, "1-based position in the thread when last seen.", not_null=True),
        _c("first_seen", TEXT, "When the comment was first archived (UTC).", not_null=True),
        _c("last_seen", TEXT, "When the comment was last seen in its thread (UTC).", not_null=True),
    ),
    pk="id",
    indexes=(
        # NULL `posted` values must compare equal for de-duplication, hence coalesce();
        # the leading column also serves lookups by article_url.
        Index(
            "comments_identity",
            ("article_url", "author", "coalesce(posted, '')", "text"),
            unique=True,
        ),
        # The published archive lists comments newest first, with facets by author and month.
        Index("comments_posted", ("posted DESC",)),
        Index("comments_author", ("author",)),
    ),
)

CRAWLS = Table(
    "crawls",
    "One row per crawl run; counts and stats are filled in when it finishes (NULL while running "
    "or after a crash).",
    (
        _c("id", INT, "Crawl id, referenced by fetches, retry_queue and articles."),
        _c("started", TEXT, "When the crawl started (UTC).", not_null=True),
        _c("finished", TEXT, "When the crawl finished (UTC); NULL while running or if it crashed."),
        _c("seeds", TEXT, "JSON list of the seed URLs.", not_null=True),
        _c("settings", TEXT, "JSON object of the crawl settings that matter.", not_null=True),
        _c(
            "finish_reason",
            TEXT,
            "Why the crawl stopped, e.g. 'finished', 'shutdown', 'closespider_pagecount'.",
        ),
        _c("pages_fetched", INT, "Responses received."),
        _c("articles_new", INT, "Articles archived for the first time."),
        _c("articles_updated", INT, "Articles whose content changed since the previous crawl."),
        _c("articles_unchanged", INT, "Articles re-fetched with unchanged content."),
        _c("comments_saved", INT, "New comments archived."),
        _c("failures", INT, "Fetches that failed."),
        _c("stats", TEXT, "JSON object: the crawler's full stats counters."),
    ),
    pk="id",
)

FETCHES = Table(
    "fetches",
    "The fetch log: one row per page fetch attempt, successful or not.",
    (
        _c("id", INT, "Row id (increases with time)."),
        _c("crawl_id", INT, "The crawl (`crawls.id`) the fetch belongs to.", not_null=True),
        _c("url", TEXT, "URL requested.", not_null=True),
        _c("final_url", TEXT, "URL after redirects, NULL when not fetched or not redirected."),
        _c("status", INT, "HTTP status, NULL when no response was received."),
        _c("fetched_at", TEXT, "When the fetch completed (UTC).", not_null=True),
        _c("size", INT, "Response body size in bytes."),
        _c("content_type", TEXT, "Response Content-Type header."),
        _c("outcome", TEXT, "article, comments, listing, not_article or failed.", not_null=True),
        _c(
            "reason",
            TEXT,
            "NULL on success, else a short reason: http_404, timeout, not_html, "
            "too_large, empty_body, dns, robots, ...",
        ),
        _c("elapsed_ms", INT, "Download time in milliseconds."),
    ),
    pk="id",
    indexes=(
        Index("fetches_url", ("url",)),
        Index("fetches_crawl_id", ("crawl_id",)),
    ),
)

RETRY_QUEUE = Table(
    "retry_queue",
    "URLs whose fetch failed transiently, to retry in a later crawl; a URL leaves the queue "
    "when it is later fetched successfully.",
    (
        _c("url", TEXT, "URL to retry.", not_null=True),
        _c("reason", TEXT, "Reason of the latest failure (as in fetches.reason).", not_null=True),
        _c("attempts", INT, "Number of failed attempts so far.", not_null=True, default=1),
        _c("first_failed", TEXT, "When the URL first failed (UTC).", not_null=True),
        _c("last_failed", TEXT, "When the URL last failed (UTC).", not_null=True),
        _c("crawl_id", INT, "The crawl of the latest failure."),
    ),
    pk="url",
)

ARTICLES_FTS = Table(
    "articles_fts",
    "FTS5 full-text index (Porter stemming) of articles, kept in sync by triggers; join on "
    "articles.rowid = articles_fts.rowid.",
    (
        _c("title", TEXT, "Indexed copy of articles.title."),
        _c("standfirst", TEXT, "Indexed copy of articles.standfirst."),
        _c("text", TEXT, "Indexed copy of articles.text."),
    ),
    kind="fts",
    source="articles",
)

COMMENTS_FTS = Table(
    "comments_fts",
    "FTS5 full-text index (Porter stemming) of comments, kept in sync by triggers; join on "
    "comments.id = comments_fts.rowid.",
    (
        _c("text", TEXT, "Indexed copy of comments.text."),
        _c("author", TEXT, "Indexed copy of comments.author."),
    ),
    kind="fts",
    source="comments",
)

ARTICLE_LINKS = Table(
    "article_links",
    "Links with the titles of the pages at both ends (NULL when that end is not an archived "
    "article).",
    (
        _c("from_url", TEXT, "Page holding the link."),
        _c("from_title", TEXT, "Title of that page, when it is an archived article."),
        _c("to_url", TEXT, "Link target."),
        _c("to_title", TEXT, "Title of the target, when it is an archived article."),
        _c("section", TEXT, "Page section the link is in."),
        _c("anchor", TEXT, "The link's visible text."),
        _c("first_seen", TEXT, "When the link was first seen (UTC)."),
        _c("last_seen", TEXT, "When the link was last seen (UTC)."),
    ),
    kind="view",
    sql="""SELECT l.from_url, fa.title AS from_title, l.to_url, ta.title AS to_title,
       l.section, l.anchor, l.first_seen, l.last_seen
FROM links AS l
LEFT JOIN articles AS fa ON fa.url = l.from_url
LEFT JOIN articles AS ta ON ta.url = l.to_url""",
)

FAILURES = Table(
    "failures",
    "URLs whose latest fetch failed, with that fetch's reason.",
    (
        _c("url", TEXT, "URL requested."),
        _c("final_url", TEXT, "URL after redirects, if any."),
        _c("status", INT, "HTTP status of the latest fetch, NULL when no response."),
        _c("reason", TEXT, "Why the latest fetch failed."),
        _c("fetched_at", TEXT, "When the latest fetch happened (UTC)."),
        _c("crawl_id", INT, "Crawl of the latest fetch."),
        _c("failed_fetches", INT, "How many fetches of this URL have failed in all."),
    ),
    kind="view",
    sql="""SELECT f.url, f.final_url, f.status, f.reason, f.fetched_at, f.crawl_id,
       (SELECT count(*) FROM fetches AS f2
        WHERE f2.url = f.url AND f2.outcome = 'failed') AS failed_fetches
FROM fetches AS f
WHERE f.outcome = 'failed'
  AND f.id = (SELECT max(f3.id) FROM fetches AS f3 WHERE f3.url = f.url)""",
)

TABLES: tuple[Table, ...] = (
    ARTICLES,
    LINKS,
    COMMENTS,
    CRAWLS,
    FETCHES,
    RETRY_QUEUE,
    ARTICLES_FTS,
    COMMENTS_FTS,
    ARTICLE_LINKS,
    FAILURES,
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Shadow tables FTS5 creates for each index; internal, not part of the contract.
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")


def is_internal(name: str) -> bool:
    """True for SQLite's and FTS5's own tables, which are not part of the documented schema."""
    if name.startswith("sqlite_"):
        return True
    return any(
        name == fts.name + suffix
        for fts in TABLES
        if fts.kind == "fts"
        for suffix in FTS5_SHADOW_SUFFIXES
    )


# ---------------------------------------------------------------------------------------------
# Creating and checking a database


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


def ensure_schema(db: Database) -> None:
    """Create every table, index, FTS index, trigger and view that is missing, idempotently.

    Must be called outside a transaction; runs in one IMMEDIATE transaction of its own (so that
    two processes creating the same archive at once do not interleave). Call `inspect` first: this
    function assumes the database is empty or an archive.
    """
    db.enable_wal()  # a no-op when already in WAL mode; cannot run inside a transaction
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        inspect(db)  # again, now that we hold the write lock
        for table in TABLES:
            if table.kind == "table":
                _create_table(db, table)
        for table in TABLES:
            if table.kind == "fts":
                _create_fts(db, table)
            elif table.kind == "view":
                assert table.sql is not None, table.name
                db.create_view(table.name, table.sql, ignore=True)
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
        db.execute(
            f"CREATE {unique}INDEX IF NOT EXISTS {index.name} "
            f"ON {table.name} ({', '.join(index.columns)})"
        )


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


# ---------------------------------------------------------------------------------------------
# Documentation


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


__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "TABLES",
    "TABLES_BY_NAME",
    "ArchiveError",
    "Column",
    "Index",
    "Table",
    "datasette_metadata",
    "ensure_schema",
    "inspect",
    "is_internal",
    "schema_markdown",
]


README_START, README_END = "<!-- schema:start -->", "<!-- schema:end -->"


def readme_with_schema(readme: str) -> str:
    """`readme` with the text between the schema markers replaced by `schema_markdown()`."""
    head, _, rest = readme.partition(README_START)
    _, _, tail = rest.partition(README_END)
    return f"{head}{README_START}\n{schema_markdown()}\n{README_END}{tail}"


if __name__ == "__main__":  # python -m archive.schema README.md: regenerate the schema section
    import sys
    from pathlib import Path

    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(readme_with_schema(path.read_text()))
