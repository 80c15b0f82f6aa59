"""Redis for bench/distributed_bench.py: a server of its own, what a crawl's keys hold while it
runs, and memory per queued and per seen URL.

- `RedisServer`: ``redis-server`` on a free port of 127.0.0.1 (as tests/redis_server.py starts
  one), persisting nothing; its CPU from /proc, ``used_memory`` from ``INFO memory``, a key's
  size from ``MEMORY USAGE key SAMPLES 0`` (every element counted).
- `RedisProbe`: called on every sampling tick of a crawl, keeps the peaks of its queue
  (``pna:NAME:requests``), seen set (``dupefilter``), stream (``items``) and ``used_memory``; with
  ``usage``, the queue's bytes when it is at its largest (at most once a second: MEMORY USAGE
  walks the whole key).
- `redis_per_url`: N requests shaped like a force news site's, encoded as a worker encodes them
  (scrapy-redis: ``Request.to_dict`` pickled; the fingerprint of scrapy-redis's `RFPDupeFilter`)
  and queued with the crawl's own Lua script (crawler/redisqueue.py `SharedFrontier.push`: the
  request into the queue, its fingerprint into the seen set); ``used_memory`` before, after, and
  after deleting the queue (what is left is the seen set), divided by N.
"""

from __future__ import annotations

import pickle
import random
import shutil
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import redis
from crawl_bench import CLOCK_TICKS, read_stat


class RedisServer:
    """A redis-server of the benchmark's own on a free port of 127.0.0.1 (as tests/redis_server.py
    starts one), persisting nothing."""

    def __init__(self, work: Path):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).is_file():
            raise SystemExit("no redis-server on this machine (apt-get install redis-server)")
        directory = work / "redis"
        directory.mkdir()
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port := _free_port()),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
                "--logfile",
                str(directory / "log"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"redis://127.0.0.1:{port}/0"
        self.client = redis.Redis.from_url(self.url, socket_connect_timeout=2)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.client.ping()
                break
            except redis.ConnectionError as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"redis-server did not start ({directory}/log)") from exc
                time.sleep(0.05)
        self.version = self.client.info("server")["redis_version"]

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_s(self) -> float:
        st = read_stat(self.pid)
        return st.cpu_ticks / CLOCK_TICKS if st else 0.0

    def used_memory(self) -> int:
        return int(self.client.info("memory")["used_memory"])

    def usage(self, key: str) -> int:
        return int(self.client.memory_usage(key, samples=0) or 0)

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisProbe:
    """Peaks of a crawl's keys while it runs (called on every sampling tick)."""

    def __init__(self, server: RedisServer, crawl: str, *, usage: bool):
        self.server, self.usage = server, usage
        self.requests, self.dupefilter, self.items = (
            f"pna:{crawl}:{part}" for part in ("requests", "dupefilter", "items")
        )
        self.peak: dict[str, int] = Counter()
        self.last_usage = 0.0
        self.errors: list[str] = []

    def __call__(self, now: float) -> None:
        try:
            self._sample(now)
        except redis.RedisError as exc:  # a figure missed, not a failed crawl: say so
            self.errors.append(str(exc))

    def _sample(self, now: float) -> None:
        pipe = self.server.client.pipeline(transaction=False)
        pipe.zcard(self.requests).scard(self.dupefilter).xlen(self.items).info("memory")
        queued, seen, stream, memory = pipe.execute()
        if self.usage and queued > self.peak["queued"] and now - self.last_usage >= 1.0:
            self.last_usage = now  # MEMORY USAGE walks the whole key: at most once a second
            self.peak["queued_bytes"] = self.server.usage(self.requests)
            self.peak["queued_at_bytes"] = queued
        for name, value in (
            ("queued", queued),
            ("seen", seen),
            ("stream", stream),
            ("used_memory", int(memory["used_memory"])),
        ):
            self.peak[name] = max(self.peak[name], value)


# --- memory per URL ---------------------------------------------------------------------------

FORCES = [
    "met",
    "west-midlands",
    "greater-manchester",
    "west-yorkshire",
    "thames-valley",
    "kent",
    "essex",
    "hampshire",
    "avon-somerset",
    "northumbria",
    "merseyside",
    "sussex",
]
HEADLINE_WORDS = """man charged after serious assault in town centre appeal for witnesses
following burglary at home officers arrest two people drugs warrant in city woman jailed for fraud
police seek driver collision on road teenager missing from area update court sentences robbery
gang knife crime operation results community"""


def redis_per_url(redis_server: RedisServer, n: int, seed: int) -> dict:
    """Redis memory per queued and per seen request, queued as a worker queues them."""
    from scrapy import Request, Spider
    from scrapy_redis.dupefilter import RFPDupeFilter

    from archive.records import PageKind, Section
    from crawler.follow import Step
    from crawler.redisqueue import CrawlKeys, SharedFrontier

    class Stub(Spider):  # the callback names a worker's requests carry
        name = "police_news"

        def parse(self, response):  # pragma: no cover - never called
            return None

        def failed(self, failure):  # pragma: no cover
            return None

    client, stub, rng = redis_server.client, Stub(), random.Random(seed)
    vocabulary = sorted(set(HEADLINE_WORDS.split()))
    client.flushdb()
    keys = CrawlKeys("memory")
    frontier = SharedFrontier(client, keys, "bench:1:0")
    fingerprints = RFPDupeFilter(client, keys.dupefilter)
    frontier.push(b"warm-up", 0, "warm-up", None)  # the Lua script cached before counting
    client.delete(keys.requests, keys.dupefilter)
    before = redis_server.used_memory()
    url_chars = request_bytes = 0
    for i in range(n):
        force = rng.choice(FORCES)
        words = rng.sample(vocabulary, rng.randint(6, 10))
        site = f"https://www.{force}.police.uk/news/{force}/news"
        url = f"{site}/2024/{rng.choice(['march', 'june', 'october'])}/{'-'.join(words)}-{i}/"
        step = Step(
            url,
            Section.LISTING,
            PageKind.ARTICLE,
            " ".join(words).capitalize(),
            f"{site}/?page={i % 500}",
            0,
            0,
            0,
        )
        request = Request(
            url, callback=stub.parse, errback=stub.failed, meta={"step": step, "depth": 2}
        )
        data = pickle.dumps(request.to_dict(spider=stub), protocol=-1)  # scrapy-redis's encoding
        frontier.push(data, -request.priority, fingerprints.request_fingerprint(request), None)
        url_chars += len(url)
        request_bytes += len(data)
    both = redis_server.used_memory()
    usage = {
        "queue": redis_server.usage(keys.requests),
        "seen": redis_server.usage(keys.dupefilter),
    }
    client.delete(keys.requests)
    seen_only = redis_server.used_memory()
    client.flushdb()
    return {
        "urls": n,
        "url_chars": url_chars / n,
        "request_pickle_bytes": request_bytes / n,
        "used_memory_before": before,
        "used_memory_queued_and_seen": both,
        "used_memory_seen_only": seen_only,
        "bytes_per_queued": (both - seen_only) / n,
        "bytes_per_seen": (seen_only - before) / n,
        "memory_usage_per_queued": usage["queue"] / n,
        "memory_usage_per_seen": usage["seen"] / n,
    }
