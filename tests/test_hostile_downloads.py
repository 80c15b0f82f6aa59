"""Hostile answers and unreachable hosts, crawled for real (`police-archive crawl` in a subprocess,
a loopback server of our own, a real SQLite file).

- A body over DOWNLOAD_MAXSIZE is ``too_large`` however it comes: declared by Content-Length,
  without Content-Length (cut at the cap), or gzip-encoded and over the cap once decompressed;
  never queued for a later crawl, never fetched twice.
- A host that refuses connections costs a few lines on stderr, not tracebacks, and its failure is
  recorded with its reason.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pages.urls import canonical_url
from tests.hostile_server import LoopbackServer, Reply, crawl, gzip_bomb, loopback_env, text
from tests.test_robots import ARTICLE

MiB = 1 << 20
CAP = 8 * MiB  # DOWNLOAD_MAXSIZE, the project's default


def stream(total: int, chunk: int = 64 * 1024):
    def body() -> Iterator[bytes]:
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
        for _ in range(total // chunk):
            yield block

    return body


HOSTILE = {
    # Content-Length over the cap: Scrapy refuses it as soon as the headers arrive
    "/declared.html": lambda p: Reply(
        200,
        [("Content-Type", "text/html"), ("Content-Length", str(CAP + MiB))],
        stream(CAP + MiB),
    ),
    # no Content-Length: read until the cap, then cut
    "/undeclared.html": lambda p: Reply(200, [("Content-Type", "text/html")], stream(3 * CAP)),
    # 64 KiB on the wire, 64 MiB once decompressed
    "/bomb.html": lambda p: Reply(
        200,
        [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        gzip_bomb(8 * CAP),
    ),
    "/fine.html": lambda p: text(ARTICLE, content_type="text/html; charset=utf-8"),
}


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "a.db"
    with LoopbackServer(HOSTILE) as server:
        seeds = [server.url(path) for path in HOSTILE]
        # a slow machine may take seconds to stream the 8 MiB: no timeout in the way
        result = crawl(seeds, db, server.env(), "-s", "DOWNLOAD_TIMEOUT=30")
        yield server, db, result, server.paths()


@pytest.mark.parametrize("path", ["/declared.html", "/undeclared.html", "/bomb.html"])
def test_over_the_size_cap_is_too_large_whatever_the_path(hostile_crawl, path):
    server, db, result, requested = hostile_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    url = canonical_url(server.url(path))
    fetched = rows(db, f"select outcome, reason from fetches where url = '{url}'")
    assert fetched == [("failed", "too_large")]
    assert requested.count(path) == 1  # not retried in this crawl
    assert not rows(db, f"select * from retry_queue where url = '{url}'")  # nor in the next


def test_the_rest_of_the_crawl_goes_on(hostile_crawl):
    server, db, result, _ = hostile_crawl
    url = canonical_url(server.url("/fine.html"))
    assert rows(db, f"select outcome from fetches where url = '{url}'") == [("article",)]
    assert "too_large              3" in result.stdout  # the summary, by reason


@contextmanager
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound (so nothing else takes it), not listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_an_unreachable_host_is_a_few_clear_lines(tmp_path):
    with closed_port() as port:
        url = f"http://127.0.0.1:{port}/news/"
        env = loopback_env(None)  # no proxy: straight to the closed port
        result = crawl([url], tmp_path / "a.db", env, "-s", "RETRY_TIMES=1")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) <= 12, result.stderr
    assert any(str(port) in line for line in lines)  # it says which host
    db = tmp_path / "a.db"
    assert rows(db, "select url, outcome, reason, status from fetches") == [
        (canonical_url(url), "failed", "connection_refused", None)
    ]
    assert rows(db, "select url, reason from retry_queue") == [
        (canonical_url(url), "connection_refused")
    ]
