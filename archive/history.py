"""A crawl's history in the archive, read back: its counts, reasons and what it left undone.

Plain functions of an open connection (the archive's own, which sees its uncommitted batch, or a
read-only one); `Archive` (archive/store.py) offers them as methods. Counted from the crawl's
rows, never kept beside them: what they say is what the file holds.
"""

from __future__ import annotations

import json
import sqlite3

# `crawls` columns `Archive.finish_crawl` fills in, each counted from the crawl's rows.
COUNT_COLUMNS = (
    "pages_fetched",
    "articles_new",
    "articles_updated",
    "articles_unchanged",
    "articles_flagged",
    "articles_gone",
    "not_modified",
    "comments_saved",
    "failures",
)
_COUNT_SQL = {
    "pages_fetched": "SELECT count(*) FROM fetches WHERE crawl_id = :id AND status IS NOT NULL",
    "articles_new": "SELECT count(*) FROM articles WHERE first_crawl_id = :id",
    "articles_updated": "SELECT count(DISTINCT url) FROM revisions WHERE crawl_id = :id "
    "AND revision > 1 AND flags = ''",
    "articles_unchanged": "SELECT count(*) FROM articles AS a WHERE last_crawl_id = :id "
    "AND first_crawl_id IS NOT :id AND NOT EXISTS "
    "(SELECT 1 FROM revisions AS r WHERE r.url = a.url AND r.crawl_id = :id)",
    "articles_flagged": "SELECT count(DISTINCT url) FROM revisions WHERE crawl_id = :id "
    "AND flags != ''",
    "articles_gone": "SELECT count(*) FROM articles WHERE status = 'gone' "
    "AND gone_since >= :started",
    "not_modified": "SELECT count(*) FROM fetches WHERE crawl_id = :id "
    "AND outcome = 'not_modified'",
    "comments_saved": "SELECT count(*) FROM comments WHERE first_crawl_id = :id",
    "failures": "SELECT count(*) FROM fetches WHERE crawl_id = :id AND outcome = 'failed'",
}


def crawl_counts(conn: sqlite3.Connection, crawl_id: int) -> dict[str, int]:
    """The crawl's counts (COUNT_COLUMNS), counted from its rows in the archive."""
    found = conn.execute("SELECT started FROM crawls WHERE id = ?", (crawl_id,)).fetchone()
    if found is None:
        raise LookupError(f"no crawl with id {crawl_id}")
    params = {"id": crawl_id, "started": found[0]}
    return {name: conn.execute(sql, params).fetchone()[0] for name, sql in _COUNT_SQL.items()}


def crawl_reasons(conn: sqlite3.Connection, crawl_id: int) -> dict[str, int]:
    """How many of the crawl's fetches had each reason (failures, pages that gave no record,
    warnings such as layout_miss), most frequent first."""
    sql = (
        "SELECT reason, count(*) AS n FROM fetches WHERE crawl_id = ? AND reason IS NOT NULL "
        "GROUP BY reason ORDER BY n DESC, reason"
    )
    return dict(conn.execute(sql, (crawl_id,)).fetchall())


def layout_misses(conn: sqlite3.Connection, crawl_id: int) -> dict[str, int]:
    """Pages of each profiled site that matched none of its layouts in the crawl (their
    `detail` starts with the profile's name: "policeoracle: modern, table")."""
    sql = (
        "SELECT substr(detail, 1, instr(detail, ':') - 1) AS site, count(*) FROM fetches "
        "WHERE crawl_id = ? AND reason = 'layout_miss' GROUP BY site ORDER BY site"
    )
    return dict(conn.execute(sql, (crawl_id,)).fetchall())


def flagged_articles(conn: sqlite3.Connection, crawl_id: int) -> dict[str, str]:
    """The articles given a flagged revision by the crawl: url -> flags."""
    sql = (
        "SELECT url, flags FROM revisions WHERE crawl_id = ? AND flags != '' "
        "GROUP BY url ORDER BY url"
    )
    return dict(conn.execute(sql, (crawl_id,)).fetchall())


def retry_urls(conn: sqlite3.Connection, max_attempts: int | None = None) -> list[str]:
    """Queued URLs, oldest failure first; with `max_attempts`, only those tried fewer times."""
    sql = "SELECT url FROM retry_queue"
    params: tuple = ()
    if max_attempts is not None:
        sql += " WHERE attempts < ?"
        params = (max_attempts,)
    sql += " ORDER BY first_failed, url"
    return [r[0] for r in conn.execute(sql, params)]


# A crawl that ended so is picked up again by the next one: killed (NULL), stopped by a write
# that failed, shut down by Ctrl-C.
UNFINISHED = (None, "archive_write_failed", "shutdown")


def latest_unfinished(conn: sqlite3.Connection) -> tuple[int, list[str]] | None:
    """The id and seeds of the latest crawl when it did not finish; None when it did (or there
    is none)."""
    row = conn.execute(
        "SELECT id, seeds, finish_reason FROM crawls ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None or row[2] not in UNFINISHED:
        return None
    return row[0], [u for u in json.loads(row[1] or "[]") if isinstance(u, str)]


def unfinished_seeds(conn: sqlite3.Connection) -> list[str]:
    """The seeds of the latest crawl when it did not finish: a new crawl starts from them too,
    so nothing it would have found is lost."""
    latest = latest_unfinished(conn)
    return latest[1] if latest else []
