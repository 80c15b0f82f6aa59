"""A small HTTP server on 127.0.0.1 for the crawl-safety tests, each path answering as told, and
the crawl command run against it.

    with LoopbackServer({"/robots.txt": text("User-agent: *\\nDisallow: /\\n")}) as server:
        server.url("/news/1")    # "http://127.0.0.1:PORT/news/1"
        server.env()             # os.environ with every proxy variable pointing at this server
        server.paths()           # the paths requested so far, in order

A route is a function of the request's path returning a `Reply`; a path without a route gets a
404. The server also answers as an HTTP proxy (absolute URI in the request line), so a crawl whose
proxy variables point here can reach nothing but this server. Threaded, one thread a connection.

`crawl(seeds, db, env)` runs `police-archive crawl` in a subprocess with the fast settings of
tests/test_crawl.py (FAST).
"""

from __future__ import annotations

import os
import struct
import subprocess
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# the command, the settings that make a crawl of a loopback server fast, its environment
from tests.crawl_check import CLI, FAST, loopback_env


@dataclass
class Reply:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Callable[[], Iterable[bytes]] = b""  # a callable streams (no Content-Length)
    content_length: bool = True  # send Content-Length for a bytes body


def text(body: str, status: int = 200, content_type: str = "text/plain") -> Reply:
    return Reply(status, [("Content-Type", content_type)], body.encode())


Route = Callable[[str], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)  # proxy requests carry an absolute URI
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        owner = self.server.owner
        with owner.lock:
            owner.requested.append(path)
        route = owner.routes.get(parts.path) or owner.fallback
        reply = route(path) if route else text("not here\n", 404)
        try:
            self._send(reply)
        except OSError:  # the client hung up (a cancelled download): expected here
            self.close_connection = True

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if callable(reply.body):
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            for chunk in reply.body():
                self.wfile.write(chunk)
            return
        if reply.content_length:
            self.send_header("Content-Length", str(len(reply.body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(reply.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, owner: LoopbackServer):
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request, client_address) -> None:
        pass  # clients hanging up mid-answer are what these tests are about


class LoopbackServer:
    """The server: `routes` maps a path (without query) to its route; `fallback` answers the
    others (default: 404)."""

    def __init__(self, routes: dict[str, Route] | None = None, fallback: Route | None = None):
        self.routes = dict(routes or {})
        self.fallback = fallback
        self.requested: list[str] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()  # set on exit: routes that stall wait on it
        self._server = _Server(self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self.lock:
            return list(self.requested)

    def env(self) -> dict[str, str]:
        """The environment of a process that can reach nothing but this server."""
        return loopback_env(self.base)


def crawl(
    seeds: list[str], db: str | os.PathLike[str], env: dict[str, str], *extra: str
) -> subprocess.CompletedProcess:
    """`police-archive crawl SEEDS --db DB` with the fast settings and `extra` arguments."""
    return subprocess.run(
        [CLI, "crawl", *seeds, "--db", str(db), *FAST, *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def gzip_bomb(size: int, fill: bytes = b"\0") -> bytes:
    """A valid one-member gzip file that decompresses to `size` bytes (a multiple of 1 MiB) of
    `fill` repeated (its length a power of two), in about size / 1000 bytes, built in well under a
    second for 1 GiB.

    One MiB of it is deflated once and ended with a full flush, which resets the compressor: the
    same bytes then deflate to the same block every time, so the stream is that block repeated,
    the final block, and the gzip trailer (CRC-32 and size of the whole).
    """
    mib = 1 << 20
    assert size % mib == 0 and size > 0 and mib % len(fill) == 0
    chunk = fill * (mib // len(fill))
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate, no header
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    final = deflate.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(size // mib):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no name, no mtime, unix
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + block * (size // mib) + final + trailer
