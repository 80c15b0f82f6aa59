"""A Redis server for the tests of the distributed crawl (tests/test_distributed.py).

`redis_url` (a pytest fixture, one server per test module) is the URL of a Redis the tests may
use: the one named by the environment variable POLICE_ARCHIVE_TEST_REDIS when it is set (CI
starts one, .ci/run), else a ``redis-server`` of its own, started on a free port of 127.0.0.1 in a
temporary directory, persisting nothing, and stopped afterwards. Tests keep out of each other's
way by crawl names of their own (every key of a crawl starts with ``pna:NAME:``); the keys of a
shared server are deleted at the end.

Without redis-server (and without POLICE_ARCHIVE_TEST_REDIS) the tests skip, saying why, except
under CI=true, where they fail: a suite that silently skips is no gate.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.processes import free_port, stop

ENV = "POLICE_ARCHIVE_TEST_REDIS"
PREFIX = "pna:"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _unavailable(message: str) -> None:
    if _in_ci():
        pytest.fail(message)
    pytest.skip(message)


def _wait_for(url: str, process: subprocess.Popen | None, deadline_s: float = 30) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    deadline = time.monotonic() + deadline_s
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError as exc:
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"redis-server exited with {process.returncode}") from exc
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no Redis answering at {url} after {deadline_s}s") from exc
                time.sleep(0.05)
    finally:
        client.close()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    shared = os.environ.get(ENV, "").strip()
    if shared:
        try:
            _wait_for(shared, None, deadline_s=5)
        except RuntimeError as exc:
            _unavailable(f"{ENV}={shared}: {exc}")
        yield shared
        client = redis.Redis.from_url(shared)
        keys = list(client.scan_iter(match=PREFIX + "*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
        return
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).is_file():
        _unavailable(f"no redis-server (apt-get install redis-server), and {ENV} is not set")
    port = free_port()
    directory: Path = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
            "--logfile",
            str(directory / "redis.log"),
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for(url, process)
        yield url
    finally:
        stop(process)
