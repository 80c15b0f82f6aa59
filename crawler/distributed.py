"""A distributed crawl's worker: the police-news spider on a frontier shared in Redis.

`police-archive worker`, on scrapy-redis 0.9.1 and Scrapy 2.19.

Several worker processes, on one machine or many, crawl the same sites: they share the queue of
requests and the duplicate filter in Redis (crawler/redisqueue.py) and push every item to a
Redis stream (crawler/itemstream.py) that one archive writer drains into SQLite
(crawler/writer.py). Every worker is given the same seeds (they define the crawl's sites); a
seed's request goes through the shared duplicate filter like any other, so it is fetched once.

The adapter: what it takes to run scrapy-redis 0.9.1 on Scrapy 2.19 without a warning, and
without forking the engine. Only scrapy-redis's scheduler, queue, duplicate filter and
connection helpers are used, not its `RedisSpider`: that one reads start URLs from a Redis list
in ``start_requests()``, which Scrapy 2.13 deprecated and Scrapy 2.19 no longer calls (it gets
them only through its idle polling, with deprecation warnings); our spider implements ``async
def start()``, and the seeds come from the command line. `LeasedScheduler` subclasses
scrapy-redis's `Scheduler`:

- ``open`` builds the queue and the duplicate filter itself: scrapy-redis's calls ``Spider.log``
  (deprecated in Scrapy 2.19) when the queue holds requests;
- ``enqueue_request`` and ``next_request`` count their stats without the ``spider=`` argument
  that Scrapy 2.19's stats collector warns about; ``enqueue_request`` takes the fingerprint from
  scrapy-redis's `RFPDupeFilter.request_fingerprint` (its own SHA1 of method, canonical URL and
  body: Scrapy's ``REQUEST_FINGERPRINTER`` settings do not apply) and hands it to the queue,
  which adds it to the filter in the same Lua script as the request (crawler/redisqueue.py);
- ``close`` never flushes: the frontier outlives a worker (the writer deletes it with the crawl);
- requests are encoded by scrapy-redis's queue with ``Request.to_dict`` and
  ``request_from_dict`` (Scrapy's own since 2.6), callbacks by name.

The engine polls an idle scheduler only on its 5-second heartbeat. crawler/coordinator.py wakes
it sooner with the public ``engine.crawl``: it `take`s a request from Redis (leased) and hands it
to the engine, and ``enqueue_request`` keeps that one in memory (``held``, served first) rather
than pushing it back.

`DistributedSpider` is the police-news spider with two changes: a fetch's `PageItem` comes after
the requests it leads to (Scrapy hands a callback's output on in order, and a request reaches
Redis synchronously, so by the time the item's lease ends its children are queued: a worker
killed in between loses none), wrapped in a `Handover` with the lease; and the spider refuses an
archive: workers never open SQLite, so revisits and conditional requests (which read the
archive), resuming an unfinished crawl and the retry queue are not available, and the
``MAX_PAGES`` budget would be per worker: refused. What the follow policy learns as pages come
back (URL shapes, the entries listings gave, for the trap bound) is each worker's own.

`worker_settings`: the project's settings, made a worker's. Per-site politeness
(``DOWNLOAD_DELAY``, ``CONCURRENT_REQUESTS_PER_DOMAIN``, AutoThrottle) is per worker: N workers on
one site fetch from it up to N times as fast. The raw capture (crawler/warc.py) is written only
into a folder named with ``-s WARC_DIR=...``, each worker's files named after the crawl and the
worker (``WARC_PREFIX``); the fetch log's pointers name files in that folder.

Settings read: ``DISTRIBUTED_CRAWL`` (the crawl's name), ``DISTRIBUTED_WORKER_ID``, and
scrapy-redis's ``REDIS_URL``, ``SCHEDULER_QUEUE_KEY``, ``SCHEDULER_DUPEFILTER_KEY``; the
coordinator's in crawler/coordinator.py. Stats: ``scheduler/enqueued/redis``,
``scheduler/dequeued/redis``, and those of crawler/itemstream.py and crawler/coordinator.py.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.python.failure import Failure

from crawler.items import PageItem
from crawler.itemstream import Handover
from crawler.redisqueue import LEASE, CrawlKeys, LeasedQueue, new_worker_id
from crawler.run import crawl_settings, run_spider
from crawler.spiders.police_news import PoliceNewsSpider

DEFAULT_CRAWL = "police_news"
DEFAULT_MAX_IDLE = 5.0  # seconds the whole crawl stays drained before a worker closes
DEFAULT_LEASE_TTL = 20.0  # seconds without a heartbeat before a worker counts as dead


class LeasedScheduler(Scheduler):
    """scrapy-redis's scheduler on a `LeasedQueue` (see the module docstring)."""

    queue: LeasedQueue
    df: RFPDupeFilter

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.held: deque[scrapy.Request] = deque()  # taken from Redis, leased, not yet fetched
        self._holding: set[int] = set()  # ids of held requests on their way through the engine

    def open(self, spider: scrapy.Spider) -> None:
        self.spider = spider
        queue_cls = load_object(self.queue_cls)
        if not issubclass(queue_cls, LeasedQueue):
            raise ValueError(f"SCHEDULER_QUEUE_CLASS must be a LeasedQueue, not {self.queue_cls}")
        self.queue = queue_cls(
            server=self.server, spider=spider, key=self.queue_key, serializer=self.serializer
        )
        if not self.df:
            self.df = RFPDupeFilter.from_spider(spider)
        if self.flush_on_start:
            self.flush()

    def close(self, reason: str) -> None:
        """The shared frontier outlives this worker: only its connections are closed."""
        self.server.close()
        if self.df is not None:
            self.df.server.close()

    def enqueue_request(self, request: scrapy.Request) -> bool:
        if id(request) in self._holding:  # a held request the engine saw: it waits here
            self._holding.discard(id(request))
            self.held.append(request)
            return True
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        if not self.queue.push(request, fingerprint):
            return False  # seen: the engine signals request_dropped
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> scrapy.Request | None:
        request = self.held.popleft() if self.held else self.queue.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.held) or len(self.queue) > 0

    def take(self) -> scrapy.Request | None:
        """Lease the next request from Redis for the engine to be handed (``engine.crawl``):
        its enqueue_request keeps it here instead of pushing it back."""
        request = self.queue.pop()
        if request is not None:
            self._holding.add(id(request))
        return request


class DistributedSpider(PoliceNewsSpider):
    """The police-news spider as a distributed crawl's worker (see the module docstring)."""

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        settings = crawler.settings
        if settings.get("ARCHIVE_DB"):
            raise ValueError("a distributed crawl's worker opens no archive: ARCHIVE_DB is set")
        if settings.getint("MAX_PAGES"):
            raise ValueError(
                "MAX_PAGES is not available in a distributed crawl (it would be per worker)"
            )
        if not settings.get("DISTRIBUTED_CRAWL"):
            raise ValueError("DISTRIBUTED_CRAWL (the crawl's name) is not set")
        return super().from_crawler(crawler, *args, **kwargs)

    async def parse(self, response: Response) -> AsyncIterator[Any]:
        held: list[PageItem] = []
        async for out in super().parse(response):
            if isinstance(out, PageItem):
                held.append(out)  # after the requests it leads to
            else:
                yield out
        for item in held:
            yield Handover(item, response.meta.get(LEASE))

    def failed(self, failure: Failure) -> Iterator[Any]:  # Handover items
        request = failure.request  # type: ignore[attr-defined]
        for item in super().failed(failure):
            yield Handover(item, request.meta.get(LEASE))


# The settings that make a process a worker: not for -s.
WORKER_SETTINGS = frozenset(
    {"ARCHIVE_DB", "ARCHIVE_RESUME", "SCHEDULER", "SCHEDULER_QUEUE_CLASS",
     "DUPEFILTER_CLASS", "SCHEDULER_PERSIST", "SCHEDULER_QUEUE_KEY", "SCHEDULER_DUPEFILTER_KEY",
     "REDIS_URL", "ITEM_PIPELINES", "DISTRIBUTED_CRAWL", "DISTRIBUTED_WORKER_ID",
     "DISTRIBUTED_MAX_IDLE", "DISTRIBUTED_LEASE_TTL"}
)  # fmt: skip


def worker_settings(
    *,
    redis_url: str,
    crawl: str = DEFAULT_CRAWL,
    max_idle: float = DEFAULT_MAX_IDLE,
    lease_ttl: float = DEFAULT_LEASE_TTL,
    overrides: dict[str, str] | None = None,
    worker_id: str | None = None,
) -> Settings:
    """The project settings of a worker of the crawl `crawl` on the Redis at `redis_url`, with
    the command line's `overrides` (any setting but those that make it a worker)."""
    keys = CrawlKeys(crawl)
    worker = worker_id or new_worker_id()
    if "MAX_PAGES" in (overrides or {}):
        raise ValueError(
            "MAX_PAGES is not available to a worker: it would be a budget per worker, not per crawl"
        )
    refused = sorted(set(overrides or {}) & WORKER_SETTINGS)
    if refused:
        raise ValueError(
            f"{', '.join(refused)}: set by the worker itself (its options name the crawl and "
            "its Redis; it opens no archive)"
        )
    settings = crawl_settings(db="", overrides=overrides, retry=False)
    warc_prefix = settings.get("WARC_PREFIX") or f"{crawl}-{worker.replace(':', '-')}"
    fixed = {
        "ARCHIVE_DB": "",  # no archive: no lock, no lookup, no revisits
        "ARCHIVE_RESUME": False,
        "SCHEDULER": "crawler.distributed.LeasedScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.redisqueue.LeasedQueue",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "REDIS_URL": redis_url,
        "ITEM_PIPELINES": {"crawler.itemstream.StreamPipeline": 300},
        "DISTRIBUTED_CRAWL": crawl,
        "DISTRIBUTED_WORKER_ID": worker,
        "DISTRIBUTED_MAX_IDLE": max_idle,
        "DISTRIBUTED_LEASE_TTL": lease_ttl,
        "WARC_PREFIX": warc_prefix,  # the workers' files side by side in a shared folder
    }
    for name, value in fixed.items():
        settings.set(name, value, priority="cmdline")
    extensions = settings.getdict("EXTENSIONS")
    extensions["crawler.coordinator.Coordinator"] = 520
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    # conditional requests read the archive; the raw capture needs a folder named for it
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    middlewares["crawler.revisits.ConditionalRequestMiddleware"] = None
    if not (settings.getbool("WARC_ENABLED") and settings.get("WARC_DIR")):
        middlewares["crawler.warc.WarcMiddleware"] = None
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    return settings


def run_worker(seeds: list[str], settings: Settings) -> dict[str, Any]:
    """Run one worker (settings from `worker_settings`) until the crawl is done or it is
    stopped; returns its stats. Logs as `police-archive crawl` does (crawler/run.py)."""
    return run_spider(DistributedSpider, settings, start=seeds)
