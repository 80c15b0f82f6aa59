"""robots.txt before any request to a host, for every request waiting on it (crawler/robots.py).

Real crawls (`police-archive crawl` in a subprocess) of a loopback server of our own, into a real
SQLite file.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from scrapy.settings import Settings
from twisted.internet.defer import CancelledError, Deferred

from crawler.robots import RobotsTxtDisallowed, relay_to
from pages.urls import canonical_url
from tests.hostile_server import LoopbackServer, Reply, crawl, text

ARTICLE = (
    "<html><head><title>Station to close</title></head><body><article><h1>Station to close</h1>"
    + "<p>Officers from the county force attended the scene on the high street.</p>" * 20
    + "</article></body></html>"
)


def page(path: str) -> Reply:
    return text(ARTICLE, content_type="text/html; charset=utf-8")


def slow_robots(body: str, delay: float = 0.3):
    """robots.txt answered after `delay` seconds, so that every seed waits for it."""

    def route(path: str) -> Reply:
        time.sleep(delay)
        return text(body)

    return route


def fetches(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select url, outcome, reason from fetches order by url").fetchall()


def test_disallow_all_refuses_every_waiting_seed(tmp_path):
    """20 seeds all waiting for one robots.txt: robots.txt fetched once, no page fetched, each
    seed recorded as robots_disallowed (Scrapy 2.19 lets all but the first two through)."""
    robots = slow_robots("User-agent: *\nDisallow: /\n")
    with LoopbackServer({"/robots.txt": robots}, fallback=page) as server:
        seeds = [server.url(f"/news/article-{i}.html") for i in range(20)]
        result = crawl(seeds, tmp_path / "a.db", server.env())
        requested = server.paths()
    assert result.returncode == 0, result.stderr[-3000:]
    assert requested == ["/robots.txt"]
    rows = fetches(tmp_path / "a.db")
    assert rows == sorted((canonical_url(s), "failed", "robots_disallowed") for s in seeds)


def test_a_partial_disallow_refuses_only_what_it_names(tmp_path):
    robots = slow_robots("User-agent: *\nDisallow: /private/\n")
    with LoopbackServer({"/robots.txt": robots}, fallback=page) as server:
        open_seeds = [server.url(f"/news/open-{i}.html") for i in range(6)]
        closed_seeds = [server.url(f"/private/closed-{i}.html") for i in range(6)]
        result = crawl(open_seeds + closed_seeds, tmp_path / "a.db", server.env())
        requested = server.paths()
    assert result.returncode == 0, result.stderr[-3000:]
    assert requested.count("/robots.txt") == 1
    assert not [p for p in requested if p.startswith("/private/")]
    assert sorted(p for p in requested if p.startswith("/news/")) == sorted(
        f"/news/open-{i}.html" for i in range(6)
    )
    reasons = {url: reason for url, _, reason in fetches(tmp_path / "a.db")}
    assert all(reasons[canonical_url(s)] == "robots_disallowed" for s in closed_seeds)
    assert all(reasons[canonical_url(s)] != "robots_disallowed" for s in open_seeds)


def test_a_robots_txt_that_fails_allows_everything_as_scrapy_does(tmp_path):
    """robots.txt answering 500 (retried, then given up): the pages are fetched."""
    with LoopbackServer(
        {"/robots.txt": lambda p: text("oops", status=500)}, fallback=page
    ) as server:
        seeds = [server.url(f"/news/article-{i}.html") for i in range(5)]
        result = crawl(seeds, tmp_path / "a.db", server.env(), "-s", "RETRY_TIMES=1")
        requested = server.paths()
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p for p in requested if p.startswith("/news/")) == sorted(
        f"/news/article-{i}.html" for i in range(5)
    )
    assert "robots_disallowed" not in {reason for _, _, reason in fetches(tmp_path / "a.db")}


def test_the_refusal_is_typed_and_keeps_its_url_across_processes():
    import pickle

    exc = pickle.loads(pickle.dumps(RobotsTxtDisallowed("http://x/news/1")))
    assert isinstance(exc, RobotsTxtDisallowed) and exc.url == "http://x/news/1"
    assert "robots.txt" in str(exc)


def test_the_project_registers_its_middleware_in_place_of_scrapys():
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert middlewares["crawler.robots.RobotsTxtMiddleware"] == 100  # Scrapy's place


def test_the_upstream_bug_asfuture_hands_none_to_every_later_waiter():
    """Why crawler/robots.py exists: Scrapy 2.19's waiters each await `asFuture` of one shared
    Deferred. When this starts failing, Twisted or Scrapy changed: see whether it can go."""
    loop = asyncio.new_event_loop()
    try:
        shared: Deferred = Deferred()
        futures = [shared.asFuture(loop) for _ in range(3)]
        shared.callback("the parser")
        assert [future.result() for future in futures] == ["the parser", None, None]
    finally:
        loop.close()


def test_every_waiter_gets_the_shared_result_and_cancelling_one_spares_the_others():
    shared: Deferred = Deferred()
    waiters = [Deferred() for _ in range(5)]
    for waiter in waiters:
        shared.addBoth(relay_to(waiter))
    waiters[2].cancel()  # e.g. its request dropped at shutdown
    waiters[2].addErrback(lambda failure: failure.trap(CancelledError))
    shared.callback("the parser")
    results = []
    for waiter in waiters[:2] + waiters[3:]:
        waiter.addCallback(results.append)
    assert results == ["the parser"] * 4
    assert shared.result == "the parser"  # passed on unchanged


def test_a_failure_reaches_every_waiter():
    shared: Deferred = Deferred()
    waiters = [Deferred() for _ in range(3)]
    for waiter in waiters:
        shared.addBoth(relay_to(waiter))
    shared.errback(RuntimeError("boom"))
    errors = []
    for waiter in waiters:
        waiter.addErrback(lambda failure: errors.append(failure.value))
    shared.addErrback(lambda failure: None)  # handled: no "unhandled error" at collection
    assert [str(e) for e in errors] == ["boom"] * 3
