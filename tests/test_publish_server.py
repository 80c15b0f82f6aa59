"""Hostile use of a real server: `police-archive serve` and `publish --serve` processes on a free
127.0.0.1 port, asked over HTTP. Arbitrary SQL refused on a public server, oversized queries
failing fast while the server keeps answering in bounded memory (peak RSS from /proc), and no
response revealing a file-system path. Which --host makes a server public: through the command,
without a server.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from police_archive.cli import cli
from publish.app import DATABASE
from tests.processes import free_port, stop
from tests.published_archive import Client, build_archive
from tests.test_publish_limits import ARBITRARY_SQL, REVEALING, STILL_SERVED, secret_paths

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="peak memory is read from /proc"
)

POLICE_ARCHIVE = str(Path(sys.executable).parent / "police-archive")
ROWS = "with recursive n(i) as (select 1 union all select i + 1 from n limit 1000) "


class Server:
    """A `police-archive` command serving on a free 127.0.0.1 port until stopped."""

    def __init__(self, args: list[str], log: Path):
        self.port = free_port()
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [POLICE_ARCHIVE, *args, "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"{args} did not start: {log.read_text()}")
                time.sleep(0.1)

    def get(self, path: str, timeout: float = 60) -> tuple[int, bytes, str, float]:
        """Status, body, headers and seconds taken."""
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            return response.status, body, str(response.headers), time.monotonic() - started
        finally:
            conn.close()

    def sql(self, sql: str, **kwargs) -> tuple[int, bytes, str, float]:
        return self.get(f"/{DATABASE}.json?{urlencode({'sql': sql})}", **kwargs)

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory so far (VmHWM), in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        return int(kb) / 1024

    def stop(self) -> None:
        stop(self.process)


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("server") / "police.db")


@pytest.fixture
def start(tmp_path):
    servers: list[Server] = []

    def start(*args: str) -> Server:
        server = Server(list(args), tmp_path / f"server{len(servers)}.log")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def public_commands(archive: Path, tmp_path: Path) -> dict[str, list[str]]:
    return {
        "serve --immutable": ["serve", str(archive), "--immutable"],
        "publish --serve": ["publish", str(archive), str(tmp_path / "public.db"), "--serve"],
    }


# --- arbitrary SQL -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["serve --immutable", "publish --serve"])
def test_a_public_server_refuses_arbitrary_sql(start, archive_path, tmp_path, command):
    server = start(*public_commands(archive_path, tmp_path)[command])
    for path in ARBITRARY_SQL:
        status, body, _, _ = server.get(path)
        assert status == 403, (path, body[:300])
    for path in STILL_SERVED:
        status, body, _, _ = server.get(path)
        assert status == 200, (path, body[:300])
    status, body, _, _ = server.get(f"/{DATABASE}/search.json?q=burglar*&_shape=array")
    assert status == 200 and json.loads(body)[0]["title"].startswith("Burglar jailed")
    status, body, _, _ = server.get(f"/{DATABASE}.db")  # the snapshot is downloadable
    assert status == 200 and body.startswith(b"SQLite format 3\x00")
    assert "arbitrary SQL refused" in server.log.read_text()


def test_a_public_server_allows_sql_when_asked(start, archive_path):
    server = start("serve", str(archive_path), "--immutable", "--allow-sql")
    status, body, _, _ = server.sql("select count(*) as n from articles")
    assert status == 200 and json.loads(body)["rows"] == [[5]]


def served_datasette(monkeypatch, *args: str):
    """What `police-archive ARGS` would serve: its Datasette, without a server."""
    from publish import app

    served = []
    monkeypatch.setattr(app, "serve", lambda ds, **kwargs: served.append(ds))
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return served[0], result.stderr


@pytest.mark.parametrize(
    ("options", "allowed"),
    [
        ([], True),  # the live archive on 127.0.0.1: your working copy
        (["--host", "localhost"], True),
        (["--host", "::1"], True),
        (["--host", "127.0.0.2"], True),
        (["--host", "0.0.0.0"], False),
        (["--host", "::"], False),
        (["--host", "192.168.1.20"], False),
        (["--host", "archive.example.org"], False),
        (["--host", "0.0.0.0", "--allow-sql"], True),
        (["--no-allow-sql"], False),
        (["--immutable"], False),
        (["--immutable", "--allow-sql"], True),
    ],
)
def test_which_servers_allow_sql(monkeypatch, archive_path, options, allowed):
    ds, stderr = served_datasette(monkeypatch, "serve", str(archive_path), *options)
    c = Client(ds)
    try:
        c.get(f"/{DATABASE}.json?sql=select+1", status=200 if allowed else 403)
    finally:
        c.close()
    assert ("arbitrary SQL allowed" if allowed else "arbitrary SQL refused") in stderr


def test_limits_sqlite_does_not_have_are_refused(archive_path, tmp_path):
    metadata = tmp_path / "metadata.json"
    metadata.write_text(json.dumps(
        {"plugins": {"police-news-archive": {"limits": {"sqlite": {"ROWS": 10}}}}}))  # fmt: skip
    result = CliRunner().invoke(cli, ["serve", str(archive_path), "--metadata", str(metadata)])
    assert result.exit_code == 1 and "SQLite has no limit ROWS" in result.output


# --- oversized queries -------------------------------------------------------------------------

OVERSIZED = [
    "select printf('%.*c', 5e8, 'x')",  # 500 MB in one call
    "select replace(hex(zeroblob(1e8)), '0', 'xx')",  # 200 MB, then 400 MB
    ROWS + "select zeroblob(16000000) as z from n",  # 16 GB in 1,000 rows under the limit
]


@pytest.mark.parametrize(
    "args",
    [["serve", "{archive}"], ["serve", "{archive}", "--immutable", "--allow-sql"]],
    ids=["live local", "public --allow-sql"],
)
def test_oversized_queries_fail_fast_while_the_server_answers(start, archive_path, args):
    """Three oversized queries at once (as many as Datasette has SQL threads) each fail fast with
    a clear error; a normal query sent meanwhile answers promptly; the server's memory stays
    far below what the queries ask for (each over 500 MB)."""
    server = start(*(a.format(archive=archive_path) for a in args))
    baseline = server.peak_rss_mb()
    results: dict[int, tuple] = {}

    def attack(i: int) -> None:
        results[i] = server.sql(OVERSIZED[i])

    threads = [threading.Thread(target=attack, args=(i,)) for i in range(len(OVERSIZED))]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    status, body, _, seconds = server.sql("select count(*) from articles")
    for thread in threads:
        thread.join(timeout=60)
    assert status == 200 and json.loads(body)["rows"] == [[5]]
    assert seconds < 2, f"a normal query took {seconds:.1f} s"
    for i, sql in enumerate(OVERSIZED):
        status, body, _, seconds = results[i]
        error = json.loads(body)["error"]
        assert status == 400 and "too big" in error, (sql, status, body[:300])
        assert seconds < 5, (sql, seconds)
    peak = server.peak_rss_mb()
    assert peak < 400, f"peak RSS {peak:.0f} MB (at start {baseline:.0f} MB)"
    # and the server is still itself
    status, body, _, _ = server.get(f"/{DATABASE}/search.json?q=burglar&_shape=array")
    assert status == 200 and json.loads(body)


# --- no file-system path -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["serve", "serve --immutable", "publish --serve"])
def test_no_response_of_a_server_reveals_a_path(start, archive_path, tmp_path, command):
    commands = {"serve": ["serve", str(archive_path)], **public_commands(archive_path, tmp_path)}
    server = start(*commands[command])
    secrets = secret_paths(archive_path, tmp_path / "public.db")
    for path in REVEALING:
        status, body, headers, _ = server.get(path)
        seen = body.decode("utf-8", "replace") + headers
        for secret in secrets:
            assert secret not in seen, (path, status, secret)
    status, body, _, _ = server.get("/-/databases.json")
    assert status == 200 and "path" not in json.loads(body)[0]
