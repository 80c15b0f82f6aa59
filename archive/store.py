"""Writing crawl results to the SQLite archive.

`Archive` is a plain class, free of Scrapy: the crawler's pipeline calls it, and so can scripts and
tests. Writes go into an open transaction that is committed per batch (every `batch_size`
operations or `batch_seconds` seconds, whichever comes first, and at `flush`/`close`); each
operation (an article and its links, a comment thread, a fetch-log row, ...) runs in a SAVEPOINT,
so it is written whole or not at all. A failing operation is rolled back alone and raises
`ArchiveWriteError`; the rest of the batch is kept. Reads on the archive's own connection
(`known_urls`, the new/updated/unchanged decision) see the uncommitted batch.

The archive is single-threaded: use one `Archive` per thread (SQLite's WAL mode lets readers such
as Datasette read while it writes).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive.records import (
    FAILED,
    FETCH_OUTCOMES,
    LINK_SECTIONS,
    Article,
    CommentThread,
    Link,
    Listing,
)
from archive.schema import SQLITE_HEADER, ArchiveError, ensure_schema, inspect

SUCCESS_OUTCOMES = frozenset(FETCH_OUTCOMES) - {FAILED}
# Fetch failures that mean an archived article has been taken down.
GONE_REASONS = frozenset({"http_404", "http_410"})
# `crawls` columns `finish_crawl(counts=...)` fills in.
COUNT_COLUMNS = (
    "pages_fetched",
    "articles_new",
    "articles_updated",
    "articles_unchanged",
    "comments_saved",
    "failures",
)


class ArchiveWriteError(ArchiveError):
    """One write operation failed and was rolled back; the archive stays usable.

    `url` names the record, `batch_lost` is True in the rare case where SQLite itself abandoned
    the whole open transaction (disk full, I/O error): the batch's earlier writes are then lost.
    """

    def __init__(self, message: str, *, url: str | None = None, batch_lost: bool = False):
        super().__init__(message)
        self.url = url
        self.batch_lost = batch_lost


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """`moment` as the archive writes timestamps: UTC, second precision, 'Z' suffix."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_hash(article: Article) -> str:
    """SHA-256 (hex) of what makes an article 'updated': title, author, published and text."""
    parts = (article.title, article.author, article.published or "", article.text)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


class Archive:
    """An open archive. Create with `Archive.open(path)`; use as a context manager or `close()`."""

    def __init__(
        self,
        db: Database,
        path: Path,
        *,
        batch_size: int = 100,
        batch_seconds: float = 2.0,
        now: Callable[[], datetime] = utc_now,
    ):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.db = db  # the sqlite-utils Database, for queries; write through the methods below
        self.path = path
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self._now = now
        self._conn: sqlite3.Connection | None = db.conn
        self._pending = 0  # operations in the open, uncommitted batch
        self._batch_started = 0.0  # time.monotonic() of the batch's first operation
        self._tallies: dict[int, Counter[str]] = {}

    # -- opening and closing ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        batch_size: int = 100,
        batch_seconds: float = 2.0,
        now: Callable[[], datetime] = utc_now,
    ) -> Archive:
        """Open the archive at `path`, creating it (and its directory) when missing if `create`.

        Raises ArchiveError when the file is not an SQLite database, is an SQLite database of
        another application or of a newer schema version, or when the file or its directory is
        not writable (SQLite writes -wal and -shm files next to the database).
        """
        path = Path(path)
        _check_path(path, create=create)
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        except sqlite3.Error as e:
            raise ArchiveError(f"cannot open archive {path}: {e}") from e
        try:
            db = Database(conn)
            inspect(db)  # read-only: a foreign database is refused before anything is written
            ensure_schema(db)
        except ArchiveError as e:
            conn.close()
            raise ArchiveError(f"cannot open archive {path}: {e}") from e
        except sqlite3.DatabaseError as e:
            conn.close()
            raise ArchiveError(
                f"cannot open archive {path}: not a usable SQLite database ({e})"
            ) from e
        return cls(db, path, batch_size=batch_size, batch_seconds=batch_seconds, now=now)

    def flush(self) -> None:
        """Commit the pending batch (a no-op when nothing is pending)."""
        conn = self._connection()
        pending, self._pending = self._pending, 0
        if not conn.in_transaction:
            return
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            raise ArchiveError(
                f"commit to {self.path} failed, {pending} pending operation(s) lost: {e}"
            ) from e

    def close(self) -> None:
        """Commit the pending batch and close the database. Safe to call twice."""
        if self._conn is None:
            return
        try:
            self.flush()
        finally:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # Every committed operation is whole, so committing is right even after an exception.
        self.close()

    # -- crawls -------------------------------------------------------------------------------

    def start_crawl(self, *, seeds: list[str], settings: dict) -> int:
        """Record the start of a crawl (committed at once) and return its id."""
        with self._write("start crawl") as conn:
            cur = conn.execute(
                "INSERT INTO crawls (started, seeds, settings) VALUES (?, ?, ?)",
                (self._stamp(), _json(list(seeds)), _json(dict(settings))),
            )
            crawl_id = cur.lastrowid
        assert crawl_id is not None
        self.flush()
        self._tallies[crawl_id] = Counter()
        return crawl_id

    def finish_crawl(self, crawl_id: int, *, finish_reason: str, counts: dict, stats: dict) -> None:
        """Record the end of a crawl and commit.

        `counts` has keys among COUNT_COLUMNS; a missing key falls back to this Archive's own
        tally for the crawl (articles saved by outcome, new comments, fetches logged with an HTTP
        status for pages_fetched, 'failed' fetches for failures). `stats` is stored as JSON
        (non-JSON values such as datetimes as strings).
        """
        unknown = set(counts) - set(COUNT_COLUMNS)
        if unknown:
            raise ValueError(f"unknown crawl count(s) {sorted(unknown)}; known: {COUNT_COLUMNS}")
        tally = self._tallies.get(crawl_id, Counter())
        values = [int(counts[c]) if c in counts else tally[c] for c in COUNT_COLUMNS]
        assignments = ", ".join(f"{c} = ?" for c in COUNT_COLUMNS)
        with self._write("finish crawl") as conn:
            cur = conn.execute(
                f"UPDATE crawls SET finished = ?, finish_reason = ?, stats = ?, {assignments} "
                "WHERE id = ?",
                (self._stamp(), finish_reason, _json(dict(stats)), *values, crawl_id),
            )
            if cur.rowcount != 1:
                raise LookupError(f"no crawl with id {crawl_id}")
        self.flush()

    # -- articles, comments, listings ---------------------------------------------------------

    def save_article(self, article: Article, *, crawl_id: int) -> str:
        """Store an article and replace its outgoing links; return 'new', 'updated' or 'unchanged'.

        'updated' means title, author, published or text changed (see `content_hash`); other
        fields (comment count, category, ...) are refreshed either way, and status becomes 'live'.
        A successful save takes the article's URLs off the retry queue.
        """
        if not article.url:
            raise ArchiveWriteError("article has no url", url=article.url)
        now = self._stamp()
        digest = content_hash(article)
        meta = {
            "category": article.category,
            "site": article.site,
            "paywalled": int(bool(article.paywalled)),
            "comment_count": article.comment_count,
            "extractor": article.extractor,
            "fetched_url": article.fetched_url,
            "status": "live",
            "last_seen": now,
            "last_crawl_id": crawl_id,
        }
        content = {
            "title": article.title,
            "author": article.author,
            "published": article.published,
            "text": article.text,
            "standfirst": article.standfirst,
            "word_count": len(article.text.split()),
            "content_hash": digest,
        }
        with self._write("article", article.url) as conn:
            row = conn.execute(
                "SELECT content_hash FROM articles WHERE url = ?", (article.url,)
            ).fetchone()
            if row is None:
                outcome = "new"
                values = {
                    "url": article.url,
                    **content,
                    **meta,
                    "first_seen": now,
                    "last_changed": now,
                    "first_crawl_id": crawl_id,
                }
                conn.execute(
                    f"INSERT INTO articles ({', '.join(values)}) "
                    f"VALUES ({', '.join('?' * len(values))})",
                    tuple(values.values()),
                )
            else:
                if row[0] == digest:
                    outcome, values = "unchanged", meta
                else:
                    outcome, values = "updated", {**content, **meta, "last_changed": now}
                conn.execute(
                    f"UPDATE articles SET {', '.join(f'{k} = ?' for k in values)} WHERE url = ?",
                    (*values.values(), article.url),
                )
            self._replace_links(conn, article.url, article.links, now)
            self._forget_retry(conn, article.url, article.fetched_url)
        self._tally(crawl_id, f"articles_{outcome}")
        return outcome

    def save_comments(self, thread: CommentThread, *, crawl_id: int) -> int:
        """Store a comment thread; return how many comments were new.

        Comments are identified by (article_url, author, posted, text): re-saving a thread only
        refreshes `position` and `last_seen` of the ones already stored; comments no longer in the
        thread are kept. When `thread.fetched_url` is set, the comments page's outgoing links are
        replaced by `thread.links` and the URL leaves the retry queue.
        """
        if not thread.article_url:
            raise ArchiveWriteError("comment thread has no article_url", url=thread.fetched_url)
        now = self._stamp()
        new = 0
        with self._write("comments", thread.fetched_url or thread.article_url) as conn:
            seen: set[tuple[str, str | None, str]] = set()
            for position, comment in enumerate(thread.comments, start=1):
                key = (comment.author, comment.posted, comment.text)
                if key in seen:  # the same comment twice on one page: store it once
                    continue
                seen.add(key)
                cur = conn.execute(
                    "UPDATE comments SET position = ?, last_seen = ? "
                    "WHERE article_url = ? AND author = ? "
                    "AND coalesce(posted, '') = coalesce(?, '') AND text = ?",
                    (position, now, thread.article_url, *key),
                )
                if cur.rowcount == 0:
                    conn.execute(
                        "INSERT INTO comments (article_url, author, posted, text, position, "
                        "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (thread.article_url, *key, position, now, now),
                    )
                    new += 1
            if thread.fetched_url:
                self._replace_links(conn, thread.fetched_url, thread.links, now)
                self._forget_retry(conn, thread.fetched_url)
        self._tally(crawl_id, "comments_saved", new)
        return new

    def save_listing(self, listing: Listing, *, crawl_id: int) -> None:
        """Replace a listing page's outgoing links by `listing.links`; the URL leaves the retry
        queue."""
        if not listing.url:
            raise ArchiveWriteError("listing has no url", url=listing.url)
        with self._write("listing", listing.url) as conn:
            self._replace_links(conn, listing.url, listing.links, self._stamp())
            self._forget_retry(conn, listing.url)

    # -- fetch log and retry queue ------------------------------------------------------------

    def log_fetch(
        self,
        *,
        crawl_id: int,
        url: str,
        final_url: str | None = None,
        status: int | None = None,
        size: int | None = None,
        content_type: str | None = None,
        outcome: str,
        reason: str | None = None,
        elapsed_ms: int | None = None,
    ) -> None:
        """Append a row to the fetch log.

        `outcome` must be one of FETCH_OUTCOMES (else ValueError); a failure without a reason is
        stored with reason 'unknown'. A successful outcome takes `url` and `final_url` off the
        retry queue; a failure with reason http_404 or http_410 marks an archived article at `url`
        as 'gone'.
        """
        if outcome not in FETCH_OUTCOMES:
            raise ValueError(f"outcome must be one of {FETCH_OUTCOMES}, not {outcome!r}")
        if outcome == "failed" and not reason:
            reason = "unknown"  # every failure is stored with a reason
        with self._write("fetch log", url) as conn:
            conn.execute(
                "INSERT INTO fetches (crawl_id, url, final_url, status, fetched_at, size, "
                "content_type, outcome, reason, elapsed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    crawl_id,
                    url,
                    final_url,
                    status,
                    self._stamp(),
                    size,
                    content_type,
                    outcome,
                    reason,
                    elapsed_ms,
                ),
            )
            if outcome in SUCCESS_OUTCOMES:
                self._forget_retry(conn, url, final_url)
            elif reason in GONE_REASONS:
                conn.execute(
                    "UPDATE articles SET status = 'gone' WHERE url = ? AND status != 'gone'",
                    (url,),
                )
        if status is not None:
            self._tally(crawl_id, "pages_fetched")
        if outcome == "failed":
            self._tally(crawl_id, "failures")

    def queue_retry(self, url: str, *, reason: str, crawl_id: int) -> None:
        """Queue `url` for a later crawl (or count one more failed attempt if already queued)."""
        now = self._stamp()
        with self._write("retry queue", url) as conn:
            conn.execute(
                "INSERT INTO retry_queue (url, reason, attempts, first_failed, last_failed, "
                "crawl_id) VALUES (?, ?, 1, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET reason = excluded.reason, "
                "attempts = attempts + 1, last_failed = excluded.last_failed, "
                "crawl_id = excluded.crawl_id",
                (url, reason, now, now, crawl_id),
            )

    def retry_urls(self, *, max_attempts: int | None = None) -> list[str]:
        """Queued URLs, oldest failure first; with `max_attempts`, only those tried fewer times."""
        sql = "SELECT url FROM retry_queue"
        params: tuple = ()
        if max_attempts is not None:
            sql += " WHERE attempts < ?"
            params = (max_attempts,)
        sql += " ORDER BY first_failed, url"
        return [r[0] for r in self._connection().execute(sql, params)]

    def known_urls(self) -> set[str]:
        """URLs of the articles already stored (including the uncommitted batch)."""
        return {r[0] for r in self._connection().execute("SELECT url FROM articles")}

    # -- internals ----------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ArchiveError(f"archive {self.path} is closed")
        return self._conn

    def _stamp(self) -> str:
        return iso_utc(self._now())

    def _tally(self, crawl_id: int, key: str, n: int = 1) -> None:
        self._tallies.setdefault(crawl_id, Counter())[key] += n

    @contextlib.contextmanager
    def _write(self, what: str, url: str | None = None) -> Iterator[sqlite3.Connection]:
        """One atomic operation in the current batch: a SAVEPOINT inside the batch transaction."""
        conn = self._connection()
        if not conn.in_transaction:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise ArchiveWriteError(
                    f"cannot write to {self.path} ({what}{f' {url}' if url else ''}): {e}", url=url
                ) from e
            self._pending = 0
            self._batch_started = time.monotonic()
        conn.execute("SAVEPOINT archive_op")
        try:
            yield conn
        except BaseException as e:
            # Some errors (disk full, I/O) make SQLite abandon the whole transaction.
            batch_lost = not conn.in_transaction
            if batch_lost:
                self._pending = 0
            else:
                conn.execute("ROLLBACK TO archive_op")
                conn.execute("RELEASE archive_op")
            if not isinstance(e, Exception):
                raise
            lost = "; the whole uncommitted batch was lost" if batch_lost else ""
            raise ArchiveWriteError(
                f"failed to save {what}{f' {url}' if url else ''}: {type(e).__name__}: {e}{lost}",
                url=url,
                batch_lost=batch_lost,
            ) from e
        conn.execute("RELEASE archive_op")
        self._pending += 1
        if (
            self._pending >= self.batch_size
            or time.monotonic() - self._batch_started >= self.batch_seconds
        ):
            self.flush()

    def _replace_links(
        self, conn: sqlite3.Connection, from_url: str, links: Iterable[Link], now: str
    ) -> None:
        """Make `links` the outgoing links of `from_url`, keeping first_seen of persisting ones."""
        wanted: dict[tuple[str, str], str] = {}
        for link in links:
            if link.section not in LINK_SECTIONS:
                raise ValueError(
                    f"link to {link.to_url} has unknown section {link.section!r} "
                    f"(expected one of {LINK_SECTIONS})"
                )
            key = (link.to_url, link.section)
            if not wanted.get(key):  # first non-empty anchor wins
                wanted[key] = link.anchor
        existing = {
            (r[0], r[1])
            for r in conn.execute(
                "SELECT to_url, section FROM links WHERE from_url = ?", (from_url,)
            )
        }
        conn.executemany(
            "DELETE FROM links WHERE from_url = ? AND to_url = ? AND section = ?",
            [(from_url, *key) for key in existing - wanted.keys()],
        )
        conn.executemany(
            "INSERT INTO links (from_url, to_url, section, anchor, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (from_url, to_url, section) DO UPDATE SET "
            "anchor = excluded.anchor, last_seen = excluded.last_seen",
            [(from_url, to, section, anchor, now, now) for (to, section), anchor in wanted.items()],
        )

    @staticmethod
    def _forget_retry(conn: sqlite3.Connection, *urls: str | None) -> None:
        for url in {u for u in urls if u}:
            conn.execute("DELETE FROM retry_queue WHERE url = ?", (url,))


def _check_path(path: Path, *, create: bool) -> None:
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


__all__ = [
    "COUNT_COLUMNS",
    "FETCH_OUTCOMES",
    "Archive",
    "ArchiveError",
    "ArchiveWriteError",
    "content_hash",
    "iso_utc",
]
