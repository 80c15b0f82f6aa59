"""Writing crawl results to the SQLite archive.

`Archive` is a plain class, free of Scrapy: the crawler's pipeline calls it, and so can scripts and
tests. Writes go into an open transaction that is committed per batch (every `batch_size`
operations or `batch_seconds` seconds, whichever comes first, and at `flush`/`close`); each
operation (a fetch and the page it gave, an article and its links, a comment thread, ...) runs in
a SAVEPOINT, so it is written whole or not at all (archive/rows.py writes the rows). A failing
operation is rolled back alone and raises `ArchiveWriteError`; the rest of the batch is kept,
unless SQLite itself abandoned the transaction (disk full, I/O error: `batch_lost`). A failed
commit raises `ArchiveCommitError`, naming the URLs of the operations lost with it. Reads on the
archive's own connection (`known_urls`, the new/updated/unchanged decision) see the uncommitted
batch.

A crawl's counts are counted in the archive, from its rows (`crawl_counts`), never kept beside
them: what the summary says is what the file holds.

The archive is single-threaded: use one `Archive` per thread (SQLite's WAL mode lets readers such
as Datasette read while it writes).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive import frontier, rows
from archive.database import check_path, ensure_schema, inspect
from archive.deliveries import ArchiveDeliveries
from archive.frontier import Queued
from archive.history import COUNT_COLUMNS, UNFINISHED
from archive.reading import ArchiveReads
from archive.records import Article, CommentThread, Fetch, Listing, Outcome, Page
from archive.rows import content_hash, iso_utc, json_text, utc_now
from archive.schema import ArchiveCommitError, ArchiveError, ArchiveWriteError
from archive.tags import ArchiveTags


@dataclass(frozen=True, slots=True)
class Recorded:
    """What `Archive.record` did with a fetch: the article's fate ('new', 'updated',
    'unchanged'; None for other pages) and the number of new comments."""

    article: str | None = None
    new_comments: int = 0


class Archive(ArchiveReads, ArchiveTags, ArchiveDeliveries):
    """An open archive. Create with `Archive.open(path)`; use as a context manager or `close()`.
    Its reading methods are archive/reading.py's, its tagging ones archive/tags.py's, the
    distributed writer's bookkeeping archive/deliveries.py's."""

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
        self._pending: list[str] = []  # URLs of the operations in the open, uncommitted batch
        self._batch_started = 0.0  # time.monotonic() of the batch's first operation

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
        """Open the archive at `path`, creating it (and its directory) when missing if `create`,
        and upgrading an archive of an older schema version (archive/migrations.py).

        Raises ArchiveError when the file is not an SQLite database, is an SQLite database of
        another application or of a newer schema version, or when the file or its directory is
        not writable (SQLite writes -wal and -shm files next to the database).
        """
        path = Path(path)
        check_path(path, create=create)
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
        """Commit the pending batch (a no-op when nothing is pending); raises
        ArchiveCommitError, with the URLs lost, when the commit fails."""
        conn = self._connection()
        pending, self._pending = self._pending, []
        if not conn.in_transaction:
            return
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            raise ArchiveCommitError(
                f"commit to {self.path} failed, {len(pending)} pending operation(s) lost: {e}",
                lost_urls=tuple(dict.fromkeys(u for u in pending if u)),
            ) from e

    @property
    def pending_urls(self) -> tuple[str, ...]:
        """URLs of the operations written since the last commit (lost if it fails)."""
        return tuple(self._pending)

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
                (self._stamp(), json_text(list(seeds)), json_text(dict(settings))),
            )
            crawl_id = cur.lastrowid
        assert crawl_id is not None
        self.flush()
        return crawl_id

    def finish_crawl(
        self, crawl_id: int, *, finish_reason: str, stats: dict, counts: dict | None = None
    ) -> dict[str, int]:
        """Record the end of a crawl, commit, and return its counts.

        The counts are `crawl_counts` (counted from the crawl's rows, after the pending batch is
        committed), except those given in `counts` (keys among COUNT_COLUMNS). `stats` is stored
        as JSON (non-JSON values such as datetimes as strings).
        """
        counts = dict(counts or {})
        unknown = set(counts) - set(COUNT_COLUMNS)
        if unknown:
            raise ValueError(f"unknown crawl count(s) {sorted(unknown)}; known: {COUNT_COLUMNS}")
        self.flush()  # count what is in the file
        try:
            counted = self.crawl_counts(crawl_id)
        except LookupError as e:
            raise ArchiveWriteError(str(e)) from e
        final = {c: int(counts[c]) if c in counts else counted[c] for c in COUNT_COLUMNS}
        assignments = ", ".join(f"{c} = ?" for c in COUNT_COLUMNS)
        with self._write("finish crawl") as conn:
            if finish_reason not in UNFINISHED:  # the next crawl need not resume it
                frontier.clear(conn, crawl_id)
            conn.execute(
                f"UPDATE crawls SET finished = ?, finish_reason = ?, stats = ?, {assignments} "
                "WHERE id = ?",
                (self._stamp(), finish_reason, json_text(dict(stats)), *final.values(), crawl_id),
            )
        self.flush()
        return final

    # -- one fetch and its page ---------------------------------------------------------------

    def record(
        self, fetch: Fetch, page: Page | None, *, crawl_id: int, queued: Iterable[Queued] = ()
    ) -> Recorded:
        """Store a fetch and the page it gave, as one operation: the page's rows (a new revision
        for an article that changed), the fetch log's row, the retry queue's entry for a
        transient failure, and the crawl's frontier (the fetch done, the pages it led to
        `queued`), all or nothing. A 304 (outcome not_modified) confirms the article at the
        URL, if any, as unchanged."""
        now = self._stamp()
        result = Recorded()
        with self._write("page", fetch.url) as conn:
            fetch_id = rows.insert_fetch(conn, crawl_id, fetch, now)
            if isinstance(page, Article):
                _check_url(page.url, "article", fetch.url)
                saved = rows.save_article(
                    conn, page, crawl_id, now, aliases=(fetch.url,), fetch_id=fetch_id
                )
                result = Recorded(article=saved)
            elif isinstance(page, CommentThread):
                _check_url(page.article_url, "comment thread", fetch.url)
                result = Recorded(new_comments=rows.save_comments(conn, page, crawl_id, now))
            elif isinstance(page, Listing):
                _check_url(page.url, "listing", fetch.url)
                rows.save_listing(conn, page, now)
            elif fetch.outcome == Outcome.NOT_MODIFIED and rows.confirm(
                conn, fetch.url, crawl_id, now
            ):
                result = Recorded(article="unchanged")
            if fetch.retry_later:
                rows.queue_retry(conn, fetch.url, fetch.reason or "", crawl_id, now)
            frontier.queue(conn, crawl_id, queued)
            frontier.done(conn, crawl_id, fetch.url)
        return result

    def queue(self, pages: Iterable[Queued], *, crawl_id: int) -> None:
        """Add pages to the crawl's frontier (its seeds: pages found on a page go with it)."""
        with self._write("frontier") as conn:
            frontier.queue(conn, crawl_id, pages)

    def resume_crawl(self, crawl_id: int) -> None:
        """Take up an unfinished crawl again (`unfinished_crawl`): it is running again."""
        with self._write("resume crawl") as conn:
            conn.execute(
                "UPDATE crawls SET finished = NULL, finish_reason = NULL WHERE id = ?", (crawl_id,)
            )
        self.flush()

    def reextracted(self, article: Article, *, run_id: int, fetch_id: int | None) -> str:
        """Store what a re-reading of an article's stored capture (`fetch_id`) gave, as run
        `run_id` (a row of `crawls`): a new revision only when the content changed, flagged as a
        crawl's would be; the extractor's versions are recorded either way. 'updated',
        'flagged' or 'unchanged'."""
        _check_url(article.url, "article", article.url)
        with self._write("reextract", article.url) as conn:
            return rows.save_article(
                conn, article, run_id, self._stamp(), fetch_id=fetch_id, source="reextract"
            )

    # -- the same, one record at a time (scripts and tests) -----------------------------------

    def save_article(self, article: Article, *, crawl_id: int) -> str:
        """Store an article and its outgoing links; return 'new', 'updated', 'flagged' or
        'unchanged'.

        'updated' means title, author, published or text changed (see `content_hash`): a new
        revision, shown by the row; 'flagged', a new revision that looks like broken extraction,
        not shown (archive/rows.py); other fields (comment count, category, ...) are refreshed
        either way, and status becomes 'live'.
        A successful save takes the article's URLs off the retry queue.
        """
        _check_url(article.url, "article", article.url)
        with self._write("article", article.url) as conn:
            return rows.save_article(conn, article, crawl_id, self._stamp())

    def save_comments(self, thread: CommentThread, *, crawl_id: int) -> int:
        """Store a comment thread; return how many comments were new.

        Comments are identified by (article_url, author, posted, text): re-saving a thread only
        refreshes `position` and `last_seen` of the ones already stored; comments no longer in the
        thread are kept. When `thread.fetched_url` is set, the comments page's outgoing links are
        replaced by `thread.links` and the URL leaves the retry queue.
        """
        _check_url(thread.article_url, "comment thread", thread.fetched_url)
        with self._write("comments", thread.fetched_url or thread.article_url) as conn:
            return rows.save_comments(conn, thread, crawl_id, self._stamp())

    def save_listing(self, listing: Listing, *, crawl_id: int) -> None:
        """Replace a listing page's outgoing links by `listing.links`; the URL leaves the retry
        queue."""
        _check_url(listing.url, "listing", listing.url)
        with self._write("listing", listing.url) as conn:
            rows.save_listing(conn, listing, self._stamp())

    def log_fetch(self, *, crawl_id: int, url: str, outcome: str, **fields: Any) -> None:
        """Append a row to the fetch log; `fields` are `Fetch`'s other fields (status, reason,
        final_url, ...).

        `outcome` must be an `Outcome` (else ValueError); a failure without a reason is stored
        with reason 'unknown'. A successful outcome takes `url` and `final_url` off the retry
        queue; a failure with reason http_404 or http_410 marks an archived article at `url` as
        'gone'.
        """
        if outcome not in set(Outcome):
            raise ValueError(f"outcome must be one of {tuple(Outcome)}, not {outcome!r}")
        fetch = Fetch(url=url, outcome=Outcome(outcome), **fields)
        with self._write("fetch log", url) as conn:
            rows.insert_fetch(conn, crawl_id, fetch, self._stamp())

    def add_alias(self, alias: str, url: str, *, crawl_id: int) -> None:
        """Record `alias` as another URL of the article at `url` (a redirect to it): links to
        the alias become links to the article, now and later."""
        if alias and alias != url:
            with self._write("alias", alias) as conn:
                rows.add_alias(conn, alias, url, crawl_id, self._stamp())

    def queue_retry(self, url: str, *, reason: str, crawl_id: int) -> None:
        """Queue `url` for a later crawl (or count one more failed attempt if already queued)."""
        with self._write("retry queue", url) as conn:
            rows.queue_retry(conn, url, reason, crawl_id, self._stamp())

    # -- internals ----------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ArchiveError(f"archive {self.path} is closed")
        return self._conn

    def _stamp(self) -> str:
        return iso_utc(self._now())

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
            self._pending = []
            self._batch_started = time.monotonic()
        conn.execute("SAVEPOINT archive_op")
        try:
            yield conn
        except BaseException as e:
            # Some errors (disk full, I/O) make SQLite abandon the whole transaction.
            batch_lost = not conn.in_transaction
            if not batch_lost:
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
        self._pending.append(url or "")
        if (
            len(self._pending) >= self.batch_size
            or time.monotonic() - self._batch_started >= self.batch_seconds
        ):
            self.flush()


def _check_url(url: str, what: str, name: str | None = None) -> None:
    """Refuse a record without its key URL (it could never be found again)."""
    if not url:
        raise ArchiveWriteError(f"{what} has no url", url=name)


__all__ = [
    "COUNT_COLUMNS",
    "Archive",
    "ArchiveCommitError",
    "ArchiveError",
    "ArchiveWriteError",
    "Recorded",
    "content_hash",
    "iso_utc",
]
