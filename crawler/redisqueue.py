"""The shared frontier of a distributed crawl, in Redis: requests handed out on lease.

Every key of a crawl NAME starts with ``pna:NAME:`` (`CrawlKeys`):

- ``requests``: the queue, a sorted set as scrapy-redis's `PriorityQueue` keeps it (a pickled
  request dict per member, scored by minus its priority);
- ``dupefilter``: the fingerprints of every request ever queued (scrapy-redis's
  `RFPDupeFilter`: method, canonical URL, body);
- ``workers``: the ids of the registered worker processes; ``alive:ID``: a worker's heartbeat, a
  key that expires `ttl` seconds after its last beat; ``leases:ID``: the requests the worker has
  taken and not yet handed back (lease id -> "score request");
- ``lease_seq``, ``started`` (workers ever started), ``seeds``, ``settings``, ``items`` (the item
  stream: crawler/itemstream.py), ``crawl`` (the writer's crawl: crawler/writer.py),
  ``worker_stats``;
- ``writer``: the one writer's claim on the crawl (crawler/writerclaim.py); not among the keys
  deleted when the crawl is done (a writer left running keeps it for the next crawl).

Leases make a killed worker lose nothing. scrapy-redis pops a request out of Redis into the
worker's memory (and its fingerprint is in the duplicate filter already): a worker killed then
takes it with it. Here `LeasedQueue.pop` moves the request from the queue into the worker's
lease hash in one Lua script and puts the lease id in ``request.meta["lease"]``; the lease ends
when the fetch's item is pushed to the item stream (crawler/itemstream.py, in one MULTI with the
XADD), or when a request carrying it (a retry, a redirect: they copy meta) goes back to the
queue, in the same script as that push. `requeue_dead` (run by every worker and the writer, about
once a second) puts the leased requests of workers whose heartbeat has expired back in the queue.
Pushing is atomic too: the fingerprint is added to the duplicate filter only with the request in
the queue, so no request is ever marked seen without being queued or leased.

Delivery is therefore at least once: a worker whose heartbeat lapses while it is alive (blocked
longer than the TTL) may see a request it holds fetched again by another. The scripts use keys
they are not passed, so the crawl's Redis must be a single server (not Redis Cluster).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import dataclass, field
from typing import Any

import redis
from scrapy import Request
from scrapy_redis.queue import PriorityQueue

PREFIX = "pna:"
LEASE = "lease"  # the request.meta key of a leased request's lease id

# KEYS: queue, leases of the worker, lease counter, workers. ARGV: worker id.
_POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
local lease = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], lease, found[2] .. ' ' .. found[1])
redis.call('SADD', KEYS[4], ARGV[1])
return {tostring(lease), found[1]}
"""

# KEYS: queue, dupefilter, leases of the worker. ARGV: request, score, fingerprint or '', lease
# or ''. 1 when queued, 0 when the fingerprint was seen (the lease is then kept).
_PUSH = """
if ARGV[3] ~= '' and redis.call('SADD', KEYS[2], ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[3], ARGV[4]) end
return 1
"""

# KEYS: workers, queue. ARGV: key prefix, and a worker id to treat as dead whatever its
# heartbeat says ('' for none). The number of requests put back in the queue.
_REQUEUE = """
local moved = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if w == ARGV[2] or redis.call('EXISTS', ARGV[1] .. 'alive:' .. w) == 0 then
    local leases = ARGV[1] .. 'leases:' .. w
    for _, v in ipairs(redis.call('HVALS', leases)) do
      local cut = string.find(v, ' ', 1, true)
      redis.call('ZADD', KEYS[2], string.sub(v, 1, cut - 1), string.sub(v, cut + 1))
      moved = moved + 1
    end
    redis.call('DEL', leases)
    redis.call('SREM', KEYS[1], w)
  end
end
return moved
"""

# KEYS: workers, queue, started. ARGV: key prefix. {queued, leased, live workers, started}.
_STATUS = """
local leased, live = 0, 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  leased = leased + redis.call('HLEN', ARGV[1] .. 'leases:' .. w)
  live = live + redis.call('EXISTS', ARGV[1] .. 'alive:' .. w)
end
return {redis.call('ZCARD', KEYS[2]), leased, live, tonumber(redis.call('GET', KEYS[3]) or '0')}
"""


_SHARED = ("requests", "dupefilter", "workers", "lease_seq", "started", "seeds", "settings",
           "items", "crawl", "worker_stats")  # fmt: skip


@dataclass(frozen=True)
class CrawlKeys:
    """The Redis keys of the distributed crawl `name` (see the module docstring)."""

    name: str

    @property
    def prefix(self) -> str:
        return f"{PREFIX}{self.name}:"

    def __post_init__(self) -> None:
        if not self.name or any(c.isspace() or c == ":" for c in self.name):
            raise ValueError(f"a crawl name has no spaces nor colons: {self.name!r}")
        for part in _SHARED:  # keys.requests, keys.dupefilter, ...
            object.__setattr__(self, part, self.prefix + part)

    requests: str = field(init=False, repr=False)
    dupefilter: str = field(init=False, repr=False)
    workers: str = field(init=False, repr=False)
    lease_seq: str = field(init=False, repr=False)
    started: str = field(init=False, repr=False)
    seeds: str = field(init=False, repr=False)
    settings: str = field(init=False, repr=False)
    items: str = field(init=False, repr=False)
    crawl: str = field(init=False, repr=False)
    worker_stats: str = field(init=False, repr=False)

    @property
    def writer(self) -> str:
        return f"{self.prefix}writer"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}alive:{worker}"

    def leases(self, worker: str) -> str:
        return f"{self.prefix}leases:{worker}"

    def all(self) -> list[str]:
        """The crawl's shared keys (not the per-worker ones)."""
        return [self.prefix + part for part in _SHARED]


def new_worker_id() -> str:
    """host:pid:random, unique among the crawl's workers."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"


@dataclass(frozen=True, slots=True)
class Status:
    queued: int  # requests in the shared queue
    leased: int  # requests taken by a registered worker and not handed back
    live: int  # registered workers with a heartbeat
    started: int  # workers ever started on the crawl

    @property
    def drained(self) -> bool:
        """No request waits and none is being fetched: no new one can appear."""
        return self.queued == 0 and self.leased == 0


class SharedFrontier:
    """The scripts on a crawl's keys, for one worker (or the writer: worker None)."""

    def __init__(self, server: redis.Redis, keys: CrawlKeys, worker: str | None = None):
        self.server = server
        self.keys = keys
        self.worker = worker or ""
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self._requeue = server.register_script(_REQUEUE)
        self._status = server.register_script(_STATUS)

    def push(self, data: bytes, score: float, fingerprint: str | None, lease: str | None) -> bool:
        """Queue `data` unless `fingerprint` was seen; end `lease` when queued."""
        keys = [self.keys.requests, self.keys.dupefilter, self.keys.leases(self.worker)]
        return bool(self._push(keys=keys, args=[data, repr(score), fingerprint or "", lease or ""]))

    def pop(self) -> tuple[str, bytes] | None:
        """The next request (lease id, data), now leased to this worker; None when none."""
        keys = [self.keys.requests, self.keys.leases(self.worker), self.keys.lease_seq,
                self.keys.workers]  # fmt: skip
        found = self._pop(keys=keys, args=[self.worker])
        if not found:
            return None
        lease, data = found
        return _text(lease), data

    def release(self, lease: str) -> None:
        self.server.hdel(self.keys.leases(self.worker), lease)

    def lease_ids(self) -> set[str]:
        """This worker's leases."""
        return {_text(k) for k in self.server.hkeys(self.keys.leases(self.worker))}

    def requeue_dead(self, *, also: str | None = None) -> int:
        """Put the leased requests of workers without a heartbeat (and of `also`) back in the
        queue; the number of requests."""
        keys = [self.keys.workers, self.keys.requests]
        return int(self._requeue(keys=keys, args=[self.keys.prefix, also or ""]))

    def status(self) -> Status:
        keys = [self.keys.workers, self.keys.requests, self.keys.started]
        return Status(*(int(v) for v in self._status(keys=keys, args=[self.keys.prefix])))

    # -- the worker's registration ------------------------------------------------------------

    def register(self, seeds: list[str], settings: dict[str, Any], ttl: float) -> None:
        """A worker starts: its heartbeat, the crawl's seeds and (the first worker's) settings,
        for the writer's crawl row."""
        pipe = self.server.pipeline(transaction=True)
        pipe.incr(self.keys.started)
        if seeds:
            pipe.sadd(self.keys.seeds, *seeds)
        pipe.setnx(self.keys.settings, json.dumps(settings, sort_keys=True, default=str))
        pipe.execute()
        self.beat(ttl)

    def beat(self, ttl: float) -> None:
        pipe = self.server.pipeline(transaction=True)
        pipe.sadd(self.keys.workers, self.worker)
        pipe.set(self.keys.alive(self.worker), "1", px=max(1, int(ttl * 1000)))
        pipe.execute()

    def unregister(self, stats: dict[str, Any]) -> int:
        """A worker leaves: what it still holds goes back to the queue (the number of requests),
        its final stats are kept for the writer's summary."""
        moved = self.requeue_dead(also=self.worker)
        numbers = {k: v for k, v in stats.items() if isinstance(v, int | float)}
        pipe = self.server.pipeline(transaction=True)
        pipe.hset(self.keys.worker_stats, self.worker, json.dumps(numbers, sort_keys=True))
        pipe.delete(self.keys.alive(self.worker))
        pipe.srem(self.keys.workers, self.worker)
        pipe.execute()
        return moved


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue, whose pop leases (see the module docstring). Built by the
    scheduler (crawler/distributed.py) with the spider, whose settings name the worker."""

    def __init__(self, server: redis.Redis, spider: Any, key: str, serializer: Any = None):
        super().__init__(server, spider, key, serializer)
        settings = spider.crawler.settings
        self.frontier = SharedFrontier(
            server,
            CrawlKeys(settings.get("DISTRIBUTED_CRAWL")),
            settings.get("DISTRIBUTED_WORKER_ID"),
        )

    def push(self, request: Request, fingerprint: str | None = None) -> bool:
        """Queue the request unless its fingerprint (None: do not filter) was seen; a request
        carrying this worker's lease (a retry, a redirect) ends it. True when queued."""
        data = self._encode_request(request)
        lease = request.meta.get(LEASE)
        return self.frontier.push(data, -request.priority, fingerprint, lease)

    def pop(self, timeout: int = 0) -> Request | None:
        found = self.frontier.pop()
        if found is None:
            return None
        lease, data = found
        request = self._decode_request(data)
        request.meta[LEASE] = lease
        return request


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
