"""Keeps a distributed crawl's worker in step with the others: heartbeat, wake-ups, dead
workers' requests, when to stop.

crawler/distributed.py has the worker, crawler/redisqueue.py the keys.

- Heartbeat: a thread (so a busy reactor cannot miss it) sets the worker's ``alive`` key every
  third of ``DISTRIBUTED_LEASE_TTL``; a worker killed stops beating, and once its key expires
  any other worker (or the writer) puts the requests it had leased back in the queue.
- Every ``DISTRIBUTED_POLL_INTERVAL`` seconds, on the reactor: dead workers' requests are
  re-queued (at most once a second); when the engine can take a request and Redis has one, it is
  handed over with ``engine.crawl`` (Scrapy itself polls an idle scheduler only every 5 seconds);
  and a worker whose engine is idle but still holds leases (which nothing here will end: a bug)
  (the same ones two ticks in a row) puts them back in the queue, saying so, rather than keep the
  crawl from ending.
- Stopping: a worker does not close because its own queue is empty while others still fetch
  (``spider_idle`` is answered with DontCloseSpider); it closes, reason ``finished``, once its
  engine is idle and the whole crawl has been drained (no request queued, none leased by any
  worker) for ``DISTRIBUTED_MAX_IDLE`` seconds. At ``spider_closed`` (also after Ctrl-C) it
  returns what it still holds to the queue and leaves, keeping its final stats in Redis for the
  writer's summary.
- No writer: when it closes, a worker whose crawl no writer has claimed (crawler/writerclaim.py)
  while entries wait in the stream says so (a warning, the stat ``distributed/unstored``, the
  crawls that have a writer on this Redis): typically a mistyped ``--crawl``. Nothing is lost: a
  writer started later stores them.
- A Redis error stops the worker (reason ``redis_error``), with the error in the log: its
  leases are re-queued by the others once its heartbeat expires.

Settings read: ``DISTRIBUTED_CRAWL``, ``DISTRIBUTED_WORKER_ID``, ``DISTRIBUTED_LEASE_TTL``
(seconds, default 20), ``DISTRIBUTED_MAX_IDLE`` (seconds, default 5),
``DISTRIBUTED_POLL_INTERVAL`` (seconds, default 0.25), ``ARCHIVE_RECORDED_SETTINGS``.
Stats: ``distributed/requeued`` (dead workers' requests this worker put back),
``distributed/returned`` (its own, put back when it closed), ``distributed/orphaned``,
``distributed/unstored`` (entries waiting in the stream when it closed with no writer) and
``distributed/crawls_with_a_writer`` (the names, then),
``distributed/spider_errors`` (fetches whose callback failed: their lease ended, logged).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet import task
from twisted.python.failure import Failure

from crawler.distributed import DEFAULT_LEASE_TTL, DEFAULT_MAX_IDLE, LeasedScheduler
from crawler.redisqueue import LEASE, PREFIX, CrawlKeys, SharedFrontier, Status

logger = logging.getLogger(__name__)

REDIS_ERROR = "redis_error"  # the finish reason of a worker stopped by a Redis error


class Coordinator:
    def __init__(self, crawler: Crawler, frontier: SharedFrontier, *, ttl: float,
                 max_idle: float, poll: float):  # fmt: skip
        self.crawler = crawler
        self.frontier = frontier
        self.ttl = ttl
        self.max_idle = max_idle
        self.poll = poll
        self.status = Status(0, 0, 0, 0)
        self.checked = 0.0  # time.monotonic() of the last re-queue and status
        self.drained_since: float | None = None
        self.suspects: set[str] = set()  # leases held while the engine was idle, last tick
        self.closing = False
        self.loop: task.LoopingCall | None = None
        self._stop = threading.Event()
        self._beating: threading.Thread | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Coordinator:
        settings = crawler.settings
        if not settings.get("DISTRIBUTED_CRAWL"):
            raise NotConfigured("not a distributed crawl's worker")
        frontier = SharedFrontier(
            get_redis_from_settings(settings),
            CrawlKeys(settings.get("DISTRIBUTED_CRAWL")),
            settings.get("DISTRIBUTED_WORKER_ID"),
        )
        coordinator = cls(
            crawler,
            frontier,
            ttl=settings.getfloat("DISTRIBUTED_LEASE_TTL", DEFAULT_LEASE_TTL),
            max_idle=settings.getfloat("DISTRIBUTED_MAX_IDLE", DEFAULT_MAX_IDLE),
            poll=settings.getfloat("DISTRIBUTED_POLL_INTERVAL", 0.25),
        )
        for handler, signal in (
            (coordinator.spider_opened, signals.spider_opened),
            (coordinator.spider_idle, signals.spider_idle),
            (coordinator.spider_closed, signals.spider_closed),
            (coordinator.spider_error, signals.spider_error),
        ):
            crawler.signals.connect(handler, signal=signal)
        return coordinator

    def spider_opened(self) -> None:
        spider = self.crawler.spider
        settings = self.crawler.settings
        recorded = {n: settings.get(n) for n in settings.getlist("ARCHIVE_RECORDED_SETTINGS")}
        recorded["DISTRIBUTED_CRAWL"] = self.frontier.keys.name
        self.frontier.register(list(getattr(spider, "seeds", [])), recorded, self.ttl)
        self._beating = threading.Thread(
            target=self._beat, name=f"heartbeat:{self.frontier.worker}", daemon=True
        )
        self._beating.start()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.poll, now=False)

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                self.frontier.beat(self.ttl)
            except redis.RedisError as exc:
                logger.error("could not renew the worker's heartbeat in Redis: %s", exc)

    def spider_idle(self) -> None:
        if not self.closing:  # the crawl is over when all of it is drained: tick() decides
            raise DontCloseSpider

    def tick(self) -> None:
        engine = self.crawler.engine
        if self.closing or engine is None or engine.spider is None:
            return
        stats = self.crawler.stats
        assert stats is not None
        try:
            now = time.monotonic()
            if now - self.checked >= 1.0:
                self.checked = now
                if moved := self.frontier.requeue_dead():
                    stats.inc_value("distributed/requeued", moved)
                    logger.warning("re-queued %d request(s) of worker(s) that stopped", moved)
                self.status = self.frontier.status()
            scheduler = engine.scheduler
            if (
                not engine.needs_backout()
                and isinstance(scheduler, LeasedScheduler)
                and not scheduler.held
                and (request := scheduler.take()) is not None
            ):
                engine.crawl(request)  # wakes the engine now, not at its next heartbeat
                self.drained_since = None
                return
            if not engine.spider_is_idle():
                self.drained_since = None
                self.suspects = set()
                return
            held = self.frontier.lease_ids()
            if held:
                # the same leases at two idle ticks in a row: nothing here will end them
                if held == self.suspects:
                    self._orphaned(len(held))
                self.suspects = held
                return
            self.suspects = set()
            if not self.status.drained:
                self.drained_since = None
            elif self.drained_since is None:
                self.drained_since = now
            elif now - self.drained_since >= self.max_idle:
                self.status = self.frontier.status()  # fresh: the decision is final
                if self.status.drained:
                    self._close("finished")
                else:
                    self.drained_since = None
        except redis.RedisError as exc:
            logger.error(
                "Redis failed (%s): this worker stops; the requests it held are fetched by the "
                "others once its heartbeat expires",
                exc,
            )
            self._close(REDIS_ERROR)

    def _orphaned(self, held: int) -> None:
        """Leases no request in this worker's engine holds: back to the queue."""
        stats = self.crawler.stats
        assert stats is not None
        moved = self.frontier.requeue_dead(also=self.frontier.worker)
        self.frontier.beat(self.ttl)
        stats.inc_value("distributed/orphaned", moved)
        logger.error(
            "%d request(s) leased to this idle worker were neither fetched nor handed back: "
            "re-queued (a bug: please report it)",
            held,
        )
        self.status = self.frontier.status()
        self.drained_since = None
        self.suspects = set()

    def _close(self, reason: str) -> None:
        self.closing = True
        engine = self.crawler.engine
        assert engine is not None
        deferred_from_coro(engine.close_spider_async(reason=reason))

    def spider_error(self, failure: Failure, response: Response | Failure | None) -> None:
        """A callback or errback failed (a bug, logged by Scrapy): its fetch gives no item, so
        its lease ends here; the page is not fetched again."""
        # the response, or the download's failure (the scraper gives it the request)
        request: Request | None = getattr(response, "request", None)
        lease = request.meta.get(LEASE) if request is not None else None
        if lease:
            self.frontier.release(lease)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("distributed/spider_errors")

    def _check_writer(self) -> None:
        """Say so when no writer claims this crawl and entries wait in its stream."""
        server, keys = self.frontier.server, self.frontier.keys
        try:
            if server.exists(keys.writer) or not (waiting := int(server.xlen(keys.items))):
                return
            found = server.scan_iter(match=f"{PREFIX}*:writer", count=1000)
            names = (k.decode() if isinstance(k, bytes) else k for k in found)
            others = sorted(n[len(PREFIX) : -len(":writer")] for n in names)
        except redis.RedisError:
            return  # said when the worker leaves the crawl, below
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("distributed/unstored", waiting)
        stats.set_value("distributed/crawls_with_a_writer", others)
        logger.warning(
            "no writer is storing crawl %r: %d entries wait in Redis (%s); %s",
            keys.name,
            waiting,
            keys.items,
            f"the crawls with a writer here: {', '.join(others)}"
            if others
            else "no crawl on this Redis has a writer",
        )

    def spider_closed(self, reason: str) -> None:
        self.closing = True
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self._stop.set()
        if self._beating is not None:
            self._beating.join(timeout=5)
        stats = self.crawler.stats
        assert stats is not None
        if reason != REDIS_ERROR:
            self._check_writer()
        values: dict[str, Any] = dict(stats.get_stats())
        values["finish_reason"] = reason
        try:
            if returned := self.frontier.unregister(values):
                stats.set_value("distributed/returned", returned)
                logger.warning(
                    "%d request(s) this worker held went back to the shared queue", returned
                )
        except redis.RedisError as exc:
            logger.error(
                "could not leave the crawl in Redis (%s): the requests this worker held are "
                "fetched by the others once its heartbeat expires",
                exc,
            )
        finally:
            self.frontier.server.close()
