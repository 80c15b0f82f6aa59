"""The archive writer of a distributed crawl: the one process that writes the SQLite archive
(`police-archive writer`). SQLite has one writer at a time; the workers (crawler/distributed.py)
only push items to the crawl's Redis stream (crawler/itemstream.py), and this drains it.

It holds the archive's crawl lock (archive/lock.py) and the crawl's writer claim in Redis
(crawler/writerclaim.py: one writer per crawl, a second one is refused with `WriterClaimed`)
while it runs, reads the stream as the one consumer of a consumer group, in batches of up to
`batch` entries (XREADGROUP), and for each batch: stores every entry as the single-process
pipeline would (crawler/recorder.py: the same code), with a `deliveries` row naming the entry,
commits once, and only then acknowledges and deletes the entries (XACK, XDEL). So:

- a writer killed before its commit loses nothing: the entries are still pending, and a restarted
  writer reads its pending entries first (XREADGROUP from id 0);
- a writer killed between its commit and the acknowledgement stores nothing twice: the entries
  come back, and those the archive has a `deliveries` row for are skipped (``writer/redelivered``);
- an entry that cannot be read is logged, counted (``writer/unreadable``) and acknowledged;
- when the archive cannot write (disk full...), the writer stops at once, acknowledging nothing
  of the failed batch (`WriterFailed`); started again, it stores those entries;
- when Redis fails under it, its stream is deleted under it (by hand) or it lost its claim (frozen
  longer than the claim's TTL), it stops before its next commit (`RedisFailed`, saying which),
  finishing the crawl's row as ``shutdown``.

The crawl's row in `crawls` is started when the first entry comes (its seeds and settings are the
workers', from Redis), and resumed by a restarted writer (Redis names it, ``pna:NAME:crawl``). The
crawl is done when a worker has started, no worker is alive (a dead one's leased requests are
put back in the queue first), no request is queued or leased and the stream is empty: the
writer then finishes the crawl's row with the counts of what the archive holds, adds up the
workers' own stats (bounds, links, downloads), deletes the crawl's keys from Redis (its name can
be used again) and returns the stats; ``until_done`` ends there, otherwise it waits for the next
crawl. Stopped (`stop` set, e.g. by SIGTERM), it finishes the row as ``shutdown``: unfinished, so a
restarted writer resumes it.

Stats (besides crawler/recorder.py's): ``writer/entries`` (stored), ``writer/batches``,
``writer/redelivered``, ``writer/unreadable``, ``writer/write_seconds`` (time spent storing and
committing), ``writer/entries_per_second`` (entries per second of that time: the writer's
capacity), ``distributed/workers`` (workers whose stats were added up), ``distributed/requeued``
(dead workers' requests put back in the queue, by the writer and, added up, the workers).
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis

from archive import lock
from archive.history import UNFINISHED
from archive.store import Archive, ArchiveError
from crawler.items import PageItem, QueueItem
from crawler.itemstream import Entry, acknowledge, decode, ensure_group, read
from crawler.recorder import Recorder, Stats
from crawler.redisqueue import CrawlKeys, SharedFrontier
from crawler.writerclaim import WRITER_TTL, WriterClaim, WriterClaimed

__all__ = ["ArchiveWriter", "RedisFailed", "WriterClaimed", "WriterFailed"]

logger = logging.getLogger(__name__)

WRITE_FAILED = "archive_write_failed"
_MAXIMA = ("memusage/", "elapsed_time_seconds")  # worker stats that do not add up
_OWN = ("archive/", "writer/", "distributed/unstored")  # worker stats the writer does not take


class WriterFailed(Exception):
    """The archive cannot be written; the entries of the failed batch stay in Redis."""


class RedisFailed(WriterFailed):
    """Redis failed under the writer, its stream vanished or it lost its claim: it stopped, the
    crawl's row left unfinished (``shutdown``)."""


class ArchiveWriter:
    def __init__(
        self,
        server: redis.Redis,
        keys: CrawlKeys,
        db: str | Path,
        *,
        batch: int = 200,
        block_ms: int = 500,
        claim_ttl: float = WRITER_TTL,
        on_start: Callable[[], None] | None = None,
        on_finish: Callable[[dict[str, Any]], None] | None = None,
    ):
        if batch < 1:
            raise ValueError("batch must be at least 1")
        self.server = server
        self.keys = keys
        self.db = Path(db)
        self.batch = batch
        self.block_ms = block_ms
        self.on_start = on_start  # called once the crawl is claimed, before the first read
        self.on_finish = on_finish  # called with the stats of each crawl finished
        self.claim = WriterClaim(server, keys, self.db, ttl=claim_ttl)
        self.crawls_finished = 0
        self.frontier = SharedFrontier(server, keys)
        self.recorder: Recorder | None = None
        self.stats = Stats()
        self._warned_stranded = False

    def run(self, *, until_done: bool = False, stop: threading.Event | None = None) -> dict:
        """Drain the stream into the archive; returns the stats of the crawl finished
        (`until_done`) or stopped, {} when stopped with no crawl in progress. Raises
        ArchiveLocked when another process writes the archive, WriterClaimed when another
        writer holds the crawl, WriterFailed when the archive cannot be written (RedisFailed
        when Redis failed)."""
        stop = stop or threading.Event()
        lock.acquire(self.db)
        try:
            try:
                self.claim.take()
            except redis.RedisError as exc:
                raise self._redis_failed(exc) from exc
            self.claim.start()
            try:
                return self._drain(until_done, stop)
            finally:
                try:
                    self.claim.release()
                except redis.RedisError as exc:
                    logger.warning("could not give back the claim on crawl %s (it lapses within "
                                   "%g s): %s", self.keys.name, self.claim.ttl, exc)  # fmt: skip
        finally:
            lock.release(self.db)

    def _drain(self, until_done: bool, stop: threading.Event) -> dict:
        try:
            if self.on_start is not None:
                self.on_start()
            ensure_group(self.server, self.keys)
            pending = True  # entries given to this consumer before and never acknowledged
            while not stop.is_set():
                self._check_claim()
                entries = read(self.server, self.keys, self.batch, block_ms=self.block_ms,
                               pending=pending)  # fmt: skip
                if entries:
                    self._store(entries)
                elif pending:
                    pending = False
                elif self._done():
                    stats = self._finish("finished")
                    if until_done:
                        return stats
                    ensure_group(self.server, self.keys)  # for the next crawl of the name
            if self.recorder is None:
                return {}
            return self._finish("shutdown", clean=False)  # unfinished: a new writer resumes it
        except RedisFailed:
            self._stopped("shutdown")
            raise
        except WriterFailed:
            self._stopped(WRITE_FAILED)
            raise
        except redis.RedisError as exc:
            failure = self._redis_failed(exc)  # while the crawl's row is open
            self._stopped("shutdown")
            raise failure from exc
        except BaseException:
            self._stopped("shutdown")
            raise

    def _stopped(self, reason: str) -> None:
        if self.recorder is not None:
            self._finish(reason, clean=False)

    def _check_claim(self) -> None:
        if self.claim.lost:
            raise RedisFailed(f"the writer stopped: {self.claim.lost}")

    def _redis_failed(self, exc: redis.RedisError) -> RedisFailed:
        text = str(exc)
        if isinstance(exc, redis.ResponseError) and ("no longer exists" in text or
                                                     "NOGROUP" in text):  # fmt: skip
            why = f"its stream {self.keys.items} was deleted under it (by hand?)"
        else:
            why = f"Redis failed ({type(exc).__name__}: {text})"
        unfinished = ", its crawl left unfinished (shutdown)" if self.recorder else ""
        return RedisFailed(f"the writer of crawl '{self.keys.name}' stopped: {why}{unfinished}")

    # -- one batch ----------------------------------------------------------------------------

    def _store(self, entries: list[tuple[str, dict[bytes, bytes]]]) -> None:
        recorder = self.recorder or self._begin()
        archive, stats = recorder.archive, self.stats
        started = time.perf_counter()
        ids = [f"{self.keys.items} {entry_id}" for entry_id, _ in entries]
        try:
            stored = archive.delivered(ids)
            for (entry_id, fields), delivery in zip(entries, ids, strict=True):
                if delivery in stored:
                    stats.inc_value("writer/redelivered")
                    continue
                try:
                    entry, worker = decode(fields)
                except ValueError as exc:
                    logger.error("entry %s of %s skipped: %s", entry_id, self.keys.items, exc)
                    stats.inc_value("writer/unreadable")
                    entry, worker = None, "?"
                if entry is not None:
                    self._apply(recorder, entry)
                if recorder.failed:
                    raise WriterFailed(recorder.failed)
                archive.deliver(delivery, crawl_id=recorder.crawl_id, worker=worker)
                stats.inc_value("writer/entries")
            self._check_claim()  # a writer that lost its claim commits nothing more
            archive.flush()
        except (ArchiveError, WriterFailed) as exc:
            archive.abandon()  # nothing of the batch is kept, nothing acknowledged
            if isinstance(exc, WriterFailed):
                raise
            raise WriterFailed(f"the archive {self.db} cannot be written: {exc}") from exc
        except BaseException:
            archive.abandon()
            raise
        acknowledge(self.server, self.keys, [entry_id for entry_id, _ in entries])
        stats.inc_value("writer/batches")
        stats.inc_value("writer/write_seconds", time.perf_counter() - started)

    @staticmethod
    def _apply(recorder: Recorder, entry: Entry) -> None:
        if isinstance(entry, PageItem):
            recorder.record(entry.fetch, entry.page, entry.queued)
        elif isinstance(entry, QueueItem):
            recorder.queue(entry.steps)
        else:
            recorder.redirect_dropped(list(entry.redirects), entry.url, on_site=entry.on_site)

    # -- the crawl's row ----------------------------------------------------------------------

    def _begin(self) -> Recorder:
        """Open the archive and start the crawl's row, or resume the one a previous writer of
        this crawl left unfinished in this archive."""
        # committed by the writer alone, once per batch (never by the archive's own batching)
        archive = Archive.open(self.db, batch_size=10**9, batch_seconds=math.inf)
        self.stats = Stats()
        recorder = Recorder(archive, self.stats, on_stop=lambda: None)
        try:
            seeds = sorted(_text(s) for s in self.server.smembers(self.keys.seeds))
            settings = json.loads(self.server.get(self.keys.settings) or "{}")
            recorder.begin(seeds=seeds, settings=settings, resume_id=self._resumable(archive))
        except BaseException:
            archive.close()
            raise
        self.server.set(
            self.keys.crawl, json.dumps({"db": str(self.db.resolve()), "id": recorder.crawl_id})
        )
        self.recorder = recorder
        self.started = time.monotonic()
        return recorder

    def _resumable(self, archive: Archive) -> int | None:
        named = json.loads(self.server.get(self.keys.crawl) or "{}")
        if named.get("db") != str(self.db.resolve()):
            return None
        row = archive.db.execute(
            "SELECT finish_reason FROM crawls WHERE id = ?", (named.get("id"),)
        ).fetchone()
        return int(named["id"]) if row is not None and row[0] in UNFINISHED else None

    def _done(self) -> bool:
        """Whether the crawl is over (see the module docstring)."""
        if moved := self.frontier.requeue_dead():
            self.stats.inc_value("distributed/requeued", moved)
        status = self.frontier.status()
        if status.started and not status.live and status.queued and not self._warned_stranded:
            self._warned_stranded = True
            logger.warning(
                "%d request(s) wait in the shared queue of crawl %s and no worker is alive: "
                "start a worker (police-archive worker URL... --crawl %s)",
                status.queued,
                self.keys.name,
                self.keys.name,
            )
        if not status.started or status.live or not status.drained:
            return False
        if self.server.xlen(self.keys.items):
            return False
        if self.recorder is None:
            self._begin()  # a crawl that pushed nothing still gets its row
        return True

    def _finish(self, reason: str, *, clean: bool = True) -> dict[str, Any]:
        recorder, self.recorder = self.recorder, None
        assert recorder is not None
        stats = self.stats
        stats.set_value("finish_reason", reason)
        try:
            self._add_worker_stats()
        except redis.RedisError as exc:
            logger.warning("the workers' stats could not be read from Redis: %s", exc)
        seconds = float(stats.get_value("writer/write_seconds", 0.0))
        if seconds > 0:
            rate = stats.get_value("writer/entries", 0) / seconds
            stats.set_value("writer/entries_per_second", round(rate, 1))
        recorder.finish(reason, keep_lost=False)
        if reason == "finished" and clean:
            self.server.delete(*self.keys.all())
            self._warned_stranded = False
            self.crawls_finished += 1
        final = dict(stats.get_stats())
        if self.on_finish is not None:
            self.on_finish(final)
        return final

    def _add_worker_stats(self) -> None:
        found = self.server.hgetall(self.keys.worker_stats)
        for raw in found.values():
            try:
                values = json.loads(raw)
            except ValueError:
                continue
            for key, value in values.items():
                if key.startswith(_OWN) or not isinstance(value, int | float):
                    continue
                if key.startswith(_MAXIMA):
                    self.stats.set_value(key, max(value, self.stats.get_value(key, value)))
                else:
                    self.stats.inc_value(key, value)
        self.stats.set_value("distributed/workers", len(found))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
