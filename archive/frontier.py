"""A crawl's frontier in the archive: what it has queued, so that a killed crawl can be resumed.

Plain functions of a connection inside the caller's transaction (archive/store.py). The crawler
writes the pages it queues in the same operation as the page that led to them (and the seeds
when it starts), and a fetch marks its URL done in the same operation that stores it: after a
crash, the committed frontier says exactly which queued pages were never stored. The next crawl
resumes the unfinished one (`unfinished_crawl`): it requests the pending pages, never those done.
A finished crawl's frontier is deleted (`clear`): the fetch log keeps what it fetched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, fields

from archive.history import latest_unfinished


@dataclass(frozen=True, slots=True)
class Queued:
    """A page a crawl queued, and how it got there (the crawler's follow step)."""

    url: str
    section: str  # a Section, or 'seed'
    expected: str | None = None  # a PageKind
    anchor: str = ""
    referrer: str | None = None
    hops: int = 0
    pages: int = 0
    barren: int = 0


_COLUMNS = tuple(f.name for f in fields(Queued))


def queue(conn: sqlite3.Connection, crawl_id: int, pages: Iterable[Queued]) -> None:
    """Add `pages` to the crawl's frontier (a page already there keeps its row)."""
    conn.executemany(
        f"INSERT OR IGNORE INTO frontier (crawl_id, {', '.join(_COLUMNS)}) "
        f"VALUES (?, {', '.join('?' * len(_COLUMNS))})",
        # not dataclasses.astuple: it deep-copies every value
        [(crawl_id, *(getattr(page, c) for c in _COLUMNS)) for page in pages],
    )


def done(conn: sqlite3.Connection, crawl_id: int, url: str) -> None:
    """The fetch of `url` is stored (whatever became of it): never requested again by a resume."""
    conn.execute(
        "INSERT INTO frontier (crawl_id, url, section, done) VALUES (?, ?, 'seed', 1) "
        "ON CONFLICT (crawl_id, url) DO UPDATE SET done = 1",
        (crawl_id, url),
    )


def pending(conn: sqlite3.Connection, crawl_id: int) -> list[Queued]:
    """The pages the crawl queued and never stored, in the order queued."""
    rows = conn.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM frontier WHERE crawl_id = ? AND done = 0 "
        "ORDER BY rowid",
        (crawl_id,),
    )
    return [Queued(*row) for row in rows]


def known(conn: sqlite3.Connection, crawl_id: int) -> list[tuple[str, str]]:
    """(url, section) of every page the crawl queued, stored or not."""
    return conn.execute(
        "SELECT url, section FROM frontier WHERE crawl_id = ? ORDER BY rowid", (crawl_id,)
    ).fetchall()


def clear(conn: sqlite3.Connection, crawl_id: int) -> None:
    conn.execute("DELETE FROM frontier WHERE crawl_id = ?", (crawl_id,))


def unfinished_crawl(conn: sqlite3.Connection) -> int | None:
    """The latest crawl, when it did not finish (killed, stopped by a failed write, shut down)
    and left a frontier: the one the next crawl resumes."""
    latest = latest_unfinished(conn)
    if latest is None:
        return None
    has_frontier = conn.execute(
        "SELECT 1 FROM frontier WHERE crawl_id = ? LIMIT 1", (latest[0],)
    ).fetchone()
    return latest[0] if has_frontier else None
