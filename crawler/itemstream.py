"""The item stream of a distributed crawl: the workers push, the one archive writer reads.

A worker stores nothing: its `StreamPipeline` pushes every item to the crawl's Redis stream
(``pna:NAME:items``, crawler/redisqueue.py) with XADD, one entry per item: ``item`` is the item
pickled (the dataclasses of crawler/items.py and archive/records.py, so the writer stores exactly
what the single-process pipeline would), ``worker`` the worker's id. The entry's id (Redis gives
it) is the delivery's unique id. Pickle means the crawl's Redis must be trusted, as scrapy-redis
already requires for its pickled requests: whoever can write to it runs code in the workers and
the writer.

Three kinds of entries: a `PageItem` (every fetch, failed or not), a `QueueItem` (a worker's
seeds, for the frontier) and a `Dropped` (a redirect to a page already fetched in the crawl: the
fetch log says where the old URL led, as crawler/pipelines.py records it). A leased request's
item is pushed and its lease ended in one MULTI/EXEC, so a worker killed at any point either
pushed the item and gave the request up, or did neither (the request is fetched again).

The spider (crawler/distributed.py) hands the pipeline a `Handover`: the item and the lease of
the request it came from. A redirect to a page already fetched is dropped by the scheduler
(Scrapy's ``request_dropped`` signal): the pipeline pushes its `Dropped` and ends its lease.

The writer's side: `ensure_group`, `read` (entries delivered and never acknowledged first, then
new ones) and `acknowledge` (XACK, then XDEL: the stream holds only what is not stored yet).

Settings read: ``DISTRIBUTED_CRAWL``, ``DISTRIBUTED_WORKER_ID``, ``REDIS_URL`` (through
scrapy-redis's connection settings). Stats: ``stream/pushed/<kind>`` (entries pushed, by kind:
page, queue, dropped), ``stream/leases_ended``.
"""

from __future__ import annotations

import logging
import pickle
from dataclasses import dataclass
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy_redis.connection import get_redis_from_settings

from crawler.items import PageItem, QueueItem
from crawler.redisqueue import LEASE, CrawlKeys

logger = logging.getLogger(__name__)

GROUP = "writer"  # the consumer group of the archive writer
CONSUMER = "writer"  # its one consumer: a restarted writer reads what it was given before


@dataclass(frozen=True, slots=True)
class Dropped:
    """A redirect from redirects[0] to `url`, a page already fetched in the crawl."""

    redirects: tuple[str, ...]
    url: str
    on_site: bool  # whether `url` is on the crawl's sites (then the old URL is its alias)


Entry = PageItem | QueueItem | Dropped


@dataclass(frozen=True, slots=True)
class Handover:
    """An item and the lease of the request it came from (None: a seed's QueueItem)."""

    item: PageItem | QueueItem
    lease: str | None = None


def kind(entry: Entry) -> str:
    return {PageItem: "page", QueueItem: "queue", Dropped: "dropped"}[type(entry)]


class StreamPipeline:
    """Pushes each item to the item stream, ending its request's lease in the same MULTI."""

    def __init__(self, crawler: Crawler, server: redis.Redis, keys: CrawlKeys, worker: str):
        self.crawler = crawler
        self.server = server
        self.keys = keys
        self.worker = worker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StreamPipeline:
        settings = crawler.settings
        name, worker = settings.get("DISTRIBUTED_CRAWL"), settings.get("DISTRIBUTED_WORKER_ID")
        if not name or not worker:
            raise NotConfigured("not a distributed crawl's worker (DISTRIBUTED_CRAWL is empty)")
        pipeline = cls(crawler, get_redis_from_settings(settings), CrawlKeys(name), worker)
        crawler.signals.connect(pipeline.request_dropped, signal=signals.request_dropped)
        return pipeline

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Handover):
            self.push(item.item, item.lease)
        elif isinstance(item, PageItem | QueueItem):
            self.push(item, None)
        else:
            raise TypeError(f"not an item of this crawl: {item!r}")
        return item

    def close_spider(self) -> None:
        self.server.close()

    def push(self, entry: Entry, lease: str | None) -> None:
        pipe = self.server.pipeline(transaction=True)
        pipe.xadd(self.keys.items, {"item": pickle.dumps(entry, protocol=5), "worker": self.worker})
        if lease:
            pipe.hdel(self.keys.leases(self.worker), lease)
        pipe.execute()
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"stream/pushed/{kind(entry)}")
        if lease:
            stats.inc_value("stream/leases_ended")

    def request_dropped(self, request: Request) -> None:
        """A request the shared duplicate filter refused. A redirect (or a retry of one) to a
        page already fetched: its `Dropped`. A plain link to a page already queued: nothing, but
        a request still holding a lease ends it (it cannot be fetched under that lease now)."""
        redirects = request.meta.get("redirect_urls")
        lease = request.meta.get(LEASE)
        if redirects:
            boundary = getattr(self.crawler.spider, "boundary", None)
            on_site = boundary is None or boundary.allows(request.url)
            self.push(Dropped(tuple(redirects), request.url, on_site), lease)
        elif lease:
            self.server.hdel(self.keys.leases(self.worker), lease)


# -- the writer's side ------------------------------------------------------------------------


def ensure_group(server: redis.Redis, keys: CrawlKeys) -> None:
    """The writer's consumer group on the stream (and the stream), from its first entry."""
    try:
        server.xgroup_create(keys.items, GROUP, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def read(
    server: redis.Redis, keys: CrawlKeys, count: int, *, block_ms: int, pending: bool
) -> list[tuple[str, dict[bytes, bytes]]]:
    """Up to `count` entries (id, fields): those delivered to the writer before and never
    acknowledged (`pending`), or new ones, waiting at most `block_ms` for one."""
    answer: Any = server.xreadgroup(
        GROUP,
        CONSUMER,
        {keys.items: "0" if pending else ">"},
        count=count,
        block=None if pending else block_ms,
    )
    entries = []
    for _stream, messages in answer or []:
        for entry_id, fields in messages:
            # an entry deleted while pending comes back without its fields: decode says so
            entries.append((_text(entry_id), fields or {}))
    return entries


def acknowledge(server: redis.Redis, keys: CrawlKeys, ids: list[str]) -> None:
    """The entries are stored: acknowledged and deleted from the stream, in one MULTI."""
    if not ids:
        return
    pipe = server.pipeline(transaction=True)
    pipe.xack(keys.items, GROUP, *ids)
    pipe.xdel(keys.items, *ids)
    pipe.execute()


def decode(fields: dict[bytes, bytes]) -> tuple[Entry, str]:
    """The entry's item and its worker; ValueError when it cannot be read."""
    if b"item" not in fields:
        raise ValueError("the entry has no item (deleted from the stream?)")
    try:
        entry = pickle.loads(fields[b"item"])
    except Exception as exc:  # a damaged or foreign entry: say what, never crash the writer
        raise ValueError(f"unreadable item ({type(exc).__name__}: {exc})") from exc
    if not isinstance(entry, PageItem | QueueItem | Dropped):
        raise ValueError(f"not an item of this crawl: {type(entry).__name__}")
    return entry, _text(fields.get(b"worker", b"?"))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
