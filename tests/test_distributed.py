"""The distributed crawl: `police-archive worker` processes sharing a frontier in Redis, one
`police-archive writer` storing what they fetch (crawler/distributed.py, crawler/writer.py).

Real components throughout: the fixture site on 127.0.0.1, a real Redis (tests/redis_server.py:
skipped without redis-server, failed under CI=true), real SQLite files, the commands run as a
user runs them. Workers run with warnings as errors (`-W error`): scrapy-redis on Scrapy 2.19
must not warn. Waits are bounded by generous deadlines on conditions, never timings.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from archive.records import Article, Fetch, Link, Section
from crawler.items import PageItem, QueueItem
from crawler.redisqueue import CrawlKeys, SharedFrontier
from sample_site import build_site, serve_site
from tests import redis_server
from tests.crawl_check import CLI, FAST, loopback_env

# warnings are errors in the workers, but urllib3's at trafilatura's import (as in pyproject)
STRICT = [sys.executable, "-W", "error", "-W", "ignore:SOCKS support in urllib3"]
# slow enough that the three workers share the crawl (each waits between its requests)
# (and a timeout no loaded machine reaches: a retry would fetch a page twice)
PACED = ["-s", "EXTRACT_WORKERS=1", "-s", "CONCURRENT_REQUESTS=4", "-s", "DOWNLOAD_TIMEOUT=60",
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.25"]  # fmt: skip


redis_url = redis_server.redis_url  # the fixture: a Redis of the tests' own


@pytest.fixture
def client(redis_url) -> Iterator[redis.Redis]:
    server = redis.Redis.from_url(redis_url)
    yield server
    server.close()


def crawl_name() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


def start_worker(url: str, crawl: str, seeds: list[str], tmp: Path, agent: str, *extra: str):
    """A `police-archive worker` process; its user agent names it in the site's request log."""
    command = [*STRICT, CLI, "worker", *seeds, "--redis", url, "--crawl", crawl, "--max-idle",
               "2", "--stats", str(tmp / f"{agent}.json"), *FAST, *PACED,
               "-s", f"USER_AGENT={agent}", *extra]  # fmt: skip
    with (tmp / f"{agent}.out").open("w") as out, (tmp / f"{agent}.err").open("w") as err:
        return subprocess.Popen(command, env=loopback_env(None), stdout=out, stderr=err)


def writer_command(url: str, crawl: str, db: Path, *extra: str) -> list[str]:
    return [CLI, "writer", "--redis", url, "--crawl", crawl, "--db", str(db), *extra]


def wait_for(condition: Callable[[], bool], what: str, deadline_s: float = 180) -> None:
    deadline = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {deadline_s}s")
        time.sleep(0.05)


def finish(process: subprocess.Popen, tmp: Path, agent: str) -> str:
    """Wait for a worker; its stderr, which must hold no warning and no traceback."""
    assert process.wait(timeout=300) == 0, (tmp / f"{agent}.err").read_text()[-3000:]
    err = (tmp / f"{agent}.err").read_text()
    assert "Traceback" not in err and "Warning" not in err, err[-3000:]
    return err


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql, params).fetchall()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl_keys_left(server: redis.Redis, crawl: str) -> list[bytes]:
    return list(server.scan_iter(match=f"pna:{crawl}:*"))


# -- the whole crawl ----------------------------------------------------------------------------


def test_three_workers_and_a_writer_fetch_and_store_every_article_once(redis_url, client, tmp_path):
    crawl, db = crawl_name(), tmp_path / "archive.db"
    site = build_site(30, seed=3, hazards=False)
    with serve_site(site) as server:
        seeds = site.seeds(server.origin)
        agents = [f"worker{i}" for i in range(3)]
        workers = [start_worker(redis_url, crawl, seeds, tmp_path, a) for a in agents]
        written = subprocess.run(
            writer_command(redis_url, crawl, db, "--until-done", "--stats", str(tmp_path / "w")),
            env=loopback_env(None), capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        for process, agent in zip(workers, agents, strict=True):
            finish(process, tmp_path, agent)
        requests = server.requests
        expected = site.expected_by_url(server.origin)

    assert written.returncode == 0, written.stderr[-3000:]
    assert "Crawl 1 finished (finished)" in written.stdout
    # every page fetched once across the workers (robots.txt: once by each), by more than one
    fetched = Counter(r.path for r in requests if r.path != "/robots.txt")
    assert [p for p, n in fetched.items() if n > 1] == []
    assert all(fetched[path_of(url)] == 1 for url in expected)
    assert len({r.user_agent for r in requests if r.path != "/robots.txt"}) > 1
    # every article stored, once, with its one fetch
    assert {u for (u,) in rows(db, "select url from articles")} == set(expected)
    assert rows(db, "select url from fetches group by url having count(*) > 1") == []
    assert rows(db, "select finish_reason, articles_new from crawls") == [("finished", 30)]
    # every entry the workers pushed is stored once; the stream is acknowledged, the keys gone
    pushed = 0
    for agent in agents:
        stats = json.loads((tmp_path / f"{agent}.json").read_text())
        assert stats["finish_reason"] == "finished"
        pushed += sum(stats.get(f"stream/pushed/{k}", 0) for k in ("page", "queue", "dropped"))
    assert rows(db, "select count(*) from deliveries") == [(pushed,)]
    assert crawl_keys_left(client, crawl) == []


def test_a_worker_killed_mid_crawl_loses_nothing(redis_url, client, tmp_path):
    crawl, db = crawl_name(), tmp_path / "archive.db"
    site = build_site(30, seed=4, hazards=False)
    with serve_site(site) as server:
        seeds = site.seeds(server.origin)
        ttl = ("--lease-ttl", "3")
        writer = subprocess.Popen(
            writer_command(redis_url, crawl, db, "--until-done", "--stats", str(tmp_path / "w")),
            env=loopback_env(None), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        # the victim is slow (a second between its requests): it always holds leases
        victim = start_worker(redis_url, crawl, seeds, tmp_path, "victim", *ttl,
                              "-s", "DOWNLOAD_DELAY=1")  # fmt: skip

        def by(agent: str) -> int:
            return sum(1 for r in server.requests if r.user_agent == agent)

        def victim_leases() -> int:
            found = client.keys(f"pna:{crawl}:leases:*:{victim.pid}:*")
            return sum(client.hlen(k) for k in found)

        wait_for(lambda: by("victim") >= 1, "the victim's first request")
        survivors = [start_worker(redis_url, crawl, seeds, tmp_path, a, *ttl) for a in ("a", "b")]
        wait_for(
            lambda: by("victim") >= 3 and by("a") >= 1 and by("b") >= 1 and victim_leases() > 0,
            "the survivors at work while the victim holds leases",
        )
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=60)
        for agent, process in zip(("a", "b"), survivors, strict=True):
            finish(process, tmp_path, agent)
        out, err = writer.communicate(timeout=300)
        expected = site.expected_by_url(server.origin)

    assert writer.returncode == 0, err[-3000:]
    assert {u for (u,) in rows(db, "select url from articles")} == set(expected)
    assert rows(db, "select finish_reason, articles_new from crawls") == [("finished", 30)]
    stats = json.loads((tmp_path / "w").read_text())
    assert stats["distributed/requeued"] >= 1  # the victim's leases went back to the queue
    assert crawl_keys_left(client, crawl) == []


# -- the writer ---------------------------------------------------------------------------------

BASE = "http://www.policeoracle.localhost/news"


def article_item(n: int) -> PageItem:
    url = f"{BASE}/article.cfm?id={n}"
    article = Article(
        url=url,
        title=f"Story {n}",
        author="Jane Smith",
        published="2020-08-12T17:04:00",
        text=f"Officers of force {n} were praised. " * 20,
        links=(Link(f"{BASE}/article.cfm?id={n + 1}", Section.IN_OTHER_NEWS, "Next story"),),
    )
    return PageItem(Fetch(url=url, outcome="article", status=200, size=9000), article)


def push(server: redis.Redis, keys: CrawlKeys, items: list) -> None:
    """What workers push (crawler/itemstream.py), by hand: a worker started, the items."""
    pipe = server.pipeline()
    pipe.incr(keys.started)
    for item in items:
        pipe.xadd(keys.items, {"item": pickle.dumps(item, protocol=5), "worker": "hand"})
    pipe.execute()


def test_a_writer_killed_mid_drain_and_started_again_stores_everything_once(
    redis_url, client, tmp_path
):
    crawl, db, n = crawl_name(), tmp_path / "archive.db", 1000
    keys = CrawlKeys(crawl)
    push(client, keys, [article_item(i) for i in range(n)])

    def delivered() -> int:
        try:
            return rows(db, "select count(*) from deliveries")[0][0]
        except sqlite3.OperationalError:  # not created yet
            return 0

    first = subprocess.Popen(writer_command(redis_url, crawl, db, "--batch", "10"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    wait_for(lambda: delivered() >= 100 or first.poll() is not None, "the first writer's commits")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=60)
    assert client.xlen(keys.items) > 0  # killed with entries left
    second = subprocess.run(
        writer_command(redis_url, crawl, db, "--until-done", "--stats", str(tmp_path / "w")),
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert second.returncode == 0, second.stderr[-3000:]
    assert rows(db, "select count(*), count(distinct url) from fetches") == [(n, n)]
    assert rows(db, "select count(*) from articles") == [(n,)]
    assert rows(db, "select count(*) from deliveries") == [(n,)]
    # the killed writer's crawl, resumed and finished
    assert rows(db, "select id, finish_reason from crawls") == [(1, "finished")]
    assert "Crawl 1 finished (finished)" in second.stdout
    assert crawl_keys_left(client, crawl) == []


def test_entries_delivered_again_are_skipped(redis_url, client, tmp_path, monkeypatch):
    """A writer killed after its commit and before its acknowledgement: the entries come back,
    and are not stored twice."""
    from crawler import writer as writer_module
    from crawler.writer import ArchiveWriter, RedisFailed

    crawl, db = crawl_name(), tmp_path / "archive.db"
    keys = CrawlKeys(crawl)
    push(client, keys, [article_item(i) for i in range(5)])
    push(client, keys, [QueueItem(())])

    def lost(*args):
        raise redis.ConnectionError("Redis went away after the commit")

    monkeypatch.setattr(writer_module, "acknowledge", lost)
    with pytest.raises(RedisFailed, match="Redis failed .ConnectionError: Redis went away"):
        ArchiveWriter(client, keys, db).run(until_done=True)
    assert rows(db, "select count(*) from fetches") == [(5,)]
    assert rows(db, "select finish_reason from crawls") == [("shutdown",)]  # resumable
    monkeypatch.undo()

    stats = ArchiveWriter(client, keys, db).run(until_done=True)
    assert stats["writer/redelivered"] == 6 and stats.get("writer/entries", 0) == 0
    assert rows(db, "select count(*) from fetches") == [(5,)]
    assert rows(db, "select count(*) from deliveries") == [(6,)]
    assert rows(db, "select id, finish_reason, articles_new from crawls") == [(1, "finished", 5)]


def test_a_writer_left_running_takes_one_crawl_after_another(redis_url, client, tmp_path):
    import threading

    from crawler.writer import ArchiveWriter

    crawl, db = crawl_name(), tmp_path / "archive.db"
    keys = CrawlKeys(crawl)
    finished: list[dict] = []
    writer = ArchiveWriter(client, keys, db, on_finish=finished.append)
    stop = threading.Event()
    running = threading.Thread(target=writer.run, kwargs={"stop": stop})
    running.start()
    try:
        push(client, keys, [article_item(1), article_item(2)])
        wait_for(lambda: len(finished) == 1, "the first crawl's end", 60)
        push(client, keys, [article_item(2), article_item(3)])  # the next crawl, same name
        wait_for(lambda: len(finished) == 2, "the second crawl's end", 60)
    finally:
        stop.set()
        running.join(timeout=60)
    assert [s["writer/entries"] for s in finished] == [2, 2]
    assert rows(db, "select id, finish_reason, articles_new from crawls") == [
        (1, "finished", 2),
        (2, "finished", 1),
    ]


def test_an_unreadable_entry_is_said_and_skipped(redis_url, client, tmp_path, caplog):
    from crawler.writer import ArchiveWriter

    crawl, db = crawl_name(), tmp_path / "archive.db"
    keys = CrawlKeys(crawl)
    push(client, keys, [article_item(1)])
    client.xadd(keys.items, {"item": b"not a pickle", "worker": "hand"})
    stats = ArchiveWriter(client, keys, db).run(until_done=True)
    assert stats["writer/unreadable"] == 1 and stats["writer/entries"] == 2
    assert "unreadable item" in caplog.text
    assert rows(db, "select count(*) from articles") == [(1,)]


# -- one writer per crawl, and saying so -------------------------------------------------------


def test_a_crawl_has_one_writer_a_second_is_refused(redis_url, client, tmp_path):
    from click.testing import CliRunner

    from crawler.writerclaim import WriterClaim, WriterClaimed
    from police_archive.cli import cli

    crawl, first_db, second_db = crawl_name(), tmp_path / "a.db", tmp_path / "b.db"
    keys = CrawlKeys(crawl)
    first = WriterClaim(client, keys, first_db)  # a writer of this crawl, running (this process)
    assert first.take() is None and first.renew()
    try:
        refused = CliRunner().invoke(cli, writer_command(redis_url, crawl, second_db)[1:])
    finally:
        first.release()
    assert refused.exit_code == 75, refused.output
    assert refused.stdout == "" and len(refused.stderr.splitlines()) == 1
    assert f"crawl '{crawl}' has a writer already (pid {os.getpid()} on host" in refused.stderr
    assert str(first_db.resolve()) in refused.stderr
    assert not second_db.exists() and crawl_keys_left(client, crawl) == []

    # a claim its heartbeat no longer renews lapses: then the next writer takes the crawl
    # (a writer of this machine killed -9 is taken over at once: the restart test above)
    short = WriterClaim(client, keys, first_db, ttl=0.5)
    short.take()
    with pytest.raises(WriterClaimed):
        WriterClaim(client, keys, second_db).take()
    later = WriterClaim(client, keys, second_db)

    def taken() -> bool:
        try:
            return later.take() is None
        except WriterClaimed:
            return False

    wait_for(taken, "the lapsed claim", 60)
    assert not short.renew() and "another writer holds it" in (short.lost or "")
    later.release()
    assert crawl_keys_left(client, crawl) == []


def test_a_writer_whose_stream_is_deleted_stops_cleanly(redis_url, client, tmp_path):
    crawl, db = crawl_name(), tmp_path / "archive.db"
    keys = CrawlKeys(crawl)
    SharedFrontier(client, keys, "hand:1:a").register([], {}, ttl=120)  # a worker at work
    push(client, keys, [article_item(i) for i in range(3)])
    writer = subprocess.Popen(
        writer_command(redis_url, crawl, db, "--until-done"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def stored() -> bool:
        try:
            return rows(db, "select count(*) from deliveries") == [(3,)]
        except sqlite3.OperationalError:  # not created yet
            return writer.poll() is not None

    wait_for(stored, "the writer's first commit", 120)
    client.delete(keys.items)  # by hand, while the writer waits for more
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 1, err[-3000:]
    assert "Traceback" not in err
    assert (
        f"Error: the writer of crawl '{crawl}' stopped: its stream {keys.items} was deleted "
        "under it (by hand?), its crawl left unfinished (shutdown)"
    ) in err
    assert "Crawl 1 finished (shutdown)" in out
    assert rows(db, "select finish_reason, articles_new from crawls") == [("shutdown", 3)]
    assert not client.exists(keys.writer)
    client.delete(*crawl_keys_left(client, crawl))


def test_a_worker_of_a_crawl_no_writer_stores_says_so(redis_url, client, tmp_path):
    """A mistyped --crawl: the writer waits for crawl `meant`, the worker crawls `typed`."""
    from crawler.writer import ArchiveWriter

    meant, typed, db = crawl_name(), crawl_name(), tmp_path / "archive.db"
    idle = subprocess.Popen(
        writer_command(redis_url, meant, tmp_path / "meant.db"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    site = build_site(4, seed=5, hazards=False)
    with serve_site(site) as server:
        wait_for(lambda: client.exists(CrawlKeys(meant).items) or idle.poll() is not None,
                 "the writer", 120)  # fmt: skip
        worker = start_worker(redis_url, typed, site.seeds(server.origin), tmp_path, "typo",
                              "--max-idle", "0.5", "-s", "DOWNLOAD_DELAY=0")  # fmt: skip
        finish(worker, tmp_path, "typo")
        expected = site.expected_by_url(server.origin)
    idle.send_signal(signal.SIGINT)
    out, err = idle.communicate(timeout=120)

    # the writer said what it waits for, and that nothing came; it leaves no key behind
    assert idle.returncode == 0, err[-3000:]
    assert out.splitlines() == [
        f"waiting for the workers of crawl '{meant}' on {redis_url} (storing into "
        f"{tmp_path / 'meant.db'}); Ctrl-C to stop",
        f"stopped: no worker of crawl '{meant}' came",
    ]
    assert crawl_keys_left(client, meant) == []
    # the worker said nobody stores what it fetched, and where a writer runs
    waiting = client.xlen(CrawlKeys(typed).items)
    assert waiting > len(expected)
    assert (
        f"WARNING: no writer is storing crawl '{typed}': {waiting} entries wait in Redis; start "
        f"`police-archive writer --redis {redis_url} --crawl {typed} --db FILE` to store them "
        f"(writers run for: {meant}: a mistyped --crawl?)"
    ) in (tmp_path / "typo.out").read_text()
    assert json.loads((tmp_path / "typo.json").read_text())["distributed/unstored"] == waiting
    # nothing is lost: the writer it names stores it
    stats = ArchiveWriter(client, CrawlKeys(typed), db).run(until_done=True)
    assert stats["finish_reason"] == "finished" and stats["writer/entries"] == waiting
    assert set(expected) <= {u for (u,) in rows(db, "select url from articles")}
    assert crawl_keys_left(client, typed) == []


# -- the shared frontier ------------------------------------------------------------------------


def test_a_dead_workers_leases_go_back_to_the_queue(redis_url, client):
    keys = CrawlKeys(crawl_name())
    alive, dead = (
        SharedFrontier(client, keys, "alive:1:a"),
        SharedFrontier(client, keys, "dead:2:b"),
    )
    for frontier in (alive, dead):
        frontier.register([], {}, ttl=60)
    for i in range(4):
        assert alive.push(f"request {i}".encode(), -i, f"fp{i}", None)
    assert not alive.push(b"request 0 again", 0, "fp0", None)  # seen: not queued
    taken = [dead.pop(), dead.pop(), alive.pop()]
    assert all(t is not None for t in taken)
    assert alive.status().queued == 1 and alive.status().leased == 3

    client.delete(keys.alive("dead:2:b"))  # its heartbeat expired
    assert alive.requeue_dead() == 2
    status = alive.status()
    assert (status.queued, status.leased, status.live) == (3, 1, 1)
    assert client.sismember(keys.workers, "dead:2:b") == 0
    # the living worker's lease ends with its request pushed back (a retry) or with its item
    lease, data = taken[2]  # type: ignore[misc]
    assert alive.push(data, 0, None, lease)
    assert alive.status().leased == 0 and alive.status().queued == 4
    # a worker leaving hands back what it holds
    assert alive.pop() is not None
    assert alive.unregister({"pages": 1}) == 1
    assert alive.status() == type(status)(queued=4, leased=0, live=0, started=2)
    client.delete(*keys.all())


def test_the_scheduler_leases_and_restores_requests(redis_url, client):
    """scrapy-redis's scheduler on Scrapy 2.19, through the adapter: a request goes to Redis
    with its meta, comes back leased, a duplicate is refused."""
    import warnings

    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawler.distributed import DistributedSpider, LeasedScheduler, worker_settings
    from crawler.follow import SEED, Step
    from crawler.redisqueue import LEASE

    crawl = crawl_name()
    settings = worker_settings(redis_url=redis_url, crawl=crawl)
    own = ("REDIS_URL", "SCHEDULER_QUEUE_KEY", "SCHEDULER_QUEUE_CLASS", "SCHEDULER_DUPEFILTER_KEY",
           "DUPEFILTER_CLASS", "DISTRIBUTED_CRAWL", "DISTRIBUTED_WORKER_ID")  # fmt: skip
    crawler = get_crawler(DistributedSpider, {name: settings[name] for name in own})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spider = DistributedSpider.from_crawler(crawler, start=f"{BASE}/index.cfm")
        crawler.spider = spider
        scheduler = LeasedScheduler.from_crawler(crawler)
        scheduler.open(spider)
        step = Step(f"{BASE}/article.cfm?id=1", SEED)
        assert scheduler.enqueue_request(spider._request(step))
        assert not scheduler.enqueue_request(spider._request(step))  # seen
        assert scheduler.has_pending_requests()
        request = scheduler.next_request()
        assert isinstance(request, Request) and request.url == step.url
        assert request.meta["step"] == step and request.callback == spider.parse
        assert request.meta[LEASE] and scheduler.next_request() is None
        scheduler.close("finished")
    spider.parser.close()
    client.delete(*CrawlKeys(crawl).all(), *client.keys(f"pna:{crawl}:*"))


def test_the_commands_refuse_what_they_cannot_do(redis_url, tmp_path):
    from click.testing import CliRunner

    from police_archive.cli import cli

    runner = CliRunner()
    worker = ["worker", "http://www.policeoracle.localhost/news/", "--redis", redis_url]
    refused = runner.invoke(cli, [*worker, "-s", "MAX_PAGES=5"])
    assert refused.exit_code == 2 and "a budget per worker, not per crawl" in refused.output
    refused = runner.invoke(cli, [*worker, "-s", "ARCHIVE_DB=police.db"])
    assert refused.exit_code == 2 and "ARCHIVE_DB" in refused.output
    refused = runner.invoke(cli, [*worker, "--crawl", "two words"])
    assert refused.exit_code == 2 and "no spaces nor colons" in refused.output
    unreachable = ["--redis", "redis://127.0.0.1:1/0"]
    refused = runner.invoke(cli, ["worker", "http://www.policeoracle.localhost/", *unreachable])
    assert refused.exit_code == 1
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in refused.output
    refused = runner.invoke(cli, ["writer", *unreachable, "--db", str(tmp_path / "a.db")])
    assert refused.exit_code == 1 and "cannot reach Redis" in refused.output
