"""Serve a fixture Site on 127.0.0.1, as a forward HTTP proxy and as an origin server.

Proxy mode: the request line carries an absolute URI (``GET http://www.policeoracle.localhost/news/
... HTTP/1.1``), which is what Scrapy (and urllib) send when ``http_proxy`` points here; the host is
taken from the URI and nothing is looked up in DNS. The site answers for its hosts (``www.``, and
``touch.`` when the markup has a touch edition) as `Site.respond` says.

Origin mode: a request for this server's own address (``Host: 127.0.0.1:PORT``, or an absolute
URI naming it) is answered as an unknown site on that origin: every absolute URL in the pages,
canonical links, redirects' Location headers and robots.txt is on ``http://127.0.0.1:PORT``
(``localhost:PORT`` if that is the name used), there is no touch host, and no response mentions
``policeoracle.localhost``. Requests are recorded with the host ``127.0.0.1:PORT`` and
``origin=True``.

Any other host (another site, or another port of the loopback) gets a 502 and is recorded like
every request: the server never opens a connection anywhere, it only answers. ``CONNECT`` (https
through the proxy) gets a 502 too.

    with serve_site(build_site(40, markup="blog")) as server:
        server.proxy_url   # "http://127.0.0.1:PORT": for http_proxy
        server.origin      # "http://127.0.0.1:PORT": the site in origin mode (also server.base)
        server.requests    # [RequestRecord(time, method, host, path, status, ...)], a snapshot

Threaded (one thread per connection), HTTP/1.1 with Content-Length and keep-alive, Nagle off.
Closing is prompt: a stalled answer waits on an event that closing sets, open keep-alive
connections are shut down, and handler threads are daemons.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO
from urllib.parse import urlsplit

from .links import DOMAIN, is_site_host
from .responses import AttemptCounter, FixtureResponse
from .site import Site

_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


@dataclass
class RequestRecord:
    time: float  # time.time() when the request arrived
    method: str
    host: str  # lower-case, without port; "127.0.0.1:PORT" in origin mode
    path: str  # path and query
    status: int | None = None  # None until answered (or if the client went away first)
    proxied: bool = False  # absolute URI in the request line
    duration_s: float | None = None  # time to produce the answer (stalls included)
    bytes_sent: int = 0  # body bytes written (in the file log: 0, it is written first)
    user_agent: str = ""  # the User-Agent header sent
    origin: bool = False  # answered in origin mode

    @property
    def url(self) -> str:
        return f"http://{self.host}{self.path}"


def _is_site_host(host: str) -> bool:
    return is_site_host(host)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], fixture: FixtureServer):
        self.fixture = fixture
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address):
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError) or self.fixture.stopping.is_set():
            return  # clients hanging up, or the server closing
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/6.0"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 120  # an idle keep-alive connection is dropped after this
    server: _Server

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        self._handle(send_body=True)

    def do_HEAD(self) -> None:
        self._handle(send_body=False)

    def do_POST(self) -> None:
        self._handle(send_body=True)

    def do_PUT(self) -> None:
        self._handle(send_body=True)

    def do_DELETE(self) -> None:
        self._handle(send_body=True)

    def do_OPTIONS(self) -> None:
        self._handle(send_body=True)

    def do_CONNECT(self) -> None:
        host = self.path.rsplit(":", 1)[0].strip("[]").lower()
        record = self.server.fixture._record("CONNECT", host, self.path, proxied=True)
        self.close_connection = True
        response = FixtureResponse(502, [("Content-Type", "text/plain")], b"no tunnels\n")
        record.status = 502
        self.server.fixture._logged(record)
        self._send(record, response, True)

    # ------------------------------------------------------------------------------------------

    def _target(self) -> tuple[str, str, bool, str | None]:
        """(host, path and query, proxied, origin) of the request; origin is the origin-mode
        origin ("http://127.0.0.1:PORT") when the request is for this server itself, else None."""
        fixture = self.server.fixture
        raw = self.path
        if _ABSOLUTE.match(raw):
            parts = urlsplit(raw)
            host = (parts.hostname or "").lower()
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            if parts.scheme.lower() != "http":
                return f"{parts.scheme.lower()}://{host}", path, True, None
            if host in _LOOPBACK_NAMES:
                netloc = f"{host}:{parts.port or 80}"
                own = (parts.port or 80) == fixture.port
                return netloc, path, True, f"http://{netloc}" if own else None
            return host, path, True, None
        header = (self.headers.get("Host") or "").strip().lower()
        host, _, port = header.rpartition(":") if header.count(":") == 1 else (header, "", "")
        host = host.rstrip(".")
        if host in _LOOPBACK_NAMES or not host:
            netloc = f"{host or '127.0.0.1'}:{port or fixture.port}"
            own = port in ("", str(fixture.port))
            return netloc, raw, False, f"http://{netloc}" if own else None
        return host, raw, False, None

    def _handle(self, *, send_body: bool) -> None:
        fixture = self.server.fixture
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        host, path, proxied, origin = self._target()
        record = fixture._record(self.command, host, path, proxied=proxied)
        record.user_agent = self.headers.get("User-Agent", "")
        record.origin = origin is not None
        started = time.monotonic()
        if origin is None and not _is_site_host(host):
            response = FixtureResponse(
                502,
                [("Content-Type", "text/plain; charset=utf-8")],
                f"502 Bad Gateway: this proxy serves only *.{DOMAIN}, not {host}\n".encode(),
            )
        elif self.command not in ("GET", "HEAD"):
            response = FixtureResponse(
                405, [("Content-Type", "text/plain"), ("Allow", "GET, HEAD")], b"GET only\n"
            )
        else:
            try:
                response = fixture.site.respond(host, path, fixture.attempts, origin=origin)
            except Exception:  # a fixture bug: say so loudly, answer 500
                traceback.print_exc()
                response = FixtureResponse(500, [("Content-Type", "text/plain")], b"fixture bug\n")
        if response.delay_s and fixture.stopping.wait(response.delay_s):
            self.close_connection = True
            return  # closing: drop the stalled request unanswered
        record.status = response.status
        record.duration_s = time.monotonic() - started
        fixture._logged(record)  # before answering: a client that saw the answer sees the line
        self._send(record, response, send_body)

    def _send(self, record: RequestRecord, response: FixtureResponse, send_body: bool) -> None:
        status = response.status
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        headers = list(response.headers)
        names = {k.lower() for k, _ in headers}
        body = response.body
        if not callable(body) and "content-length" not in names:
            headers.append(("Content-Length", str(len(body))))
        headers.append(("Date", self.date_time_string()))
        headers.append(("Server", self.server_version))
        if self.close_connection:
            headers.append(("Connection", "close"))
        head = f"HTTP/1.1 {status} {phrase}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
        head_bytes = (head + "\r\n").encode("latin-1")
        record.status = status
        stopping = self.server.fixture.stopping
        try:
            if not send_body:
                self.wfile.write(head_bytes)
            elif callable(body):
                self.wfile.write(head_bytes)
                for chunk in body():
                    if stopping.is_set():
                        self.close_connection = True
                        return
                    self.wfile.write(chunk)
                    record.bytes_sent += len(chunk)
            else:
                self.wfile.write(head_bytes + body)
                record.bytes_sent = len(body)
        except OSError:
            self.close_connection = True


class FixtureServer:
    """A running fixture server; see the module docstring. Use `serve_site`."""

    def __init__(
        self,
        site: Site,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        request_log: IO[str] | None = None,
    ):
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise ValueError("the fixture server listens on the loopback only")
        self.site = site
        self.attempts = AttemptCounter()
        self.stopping = threading.Event()
        self._requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._log = request_log
        self._httpd = _Server((host, port), self)
        self.port: int = self._httpd.server_address[1]
        self.proxy_url = f"http://127.0.0.1:{self.port}"
        self.origin = self.proxy_url  # the site in origin mode
        self.base = self.origin
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fixture-site:{self.port}",
            daemon=True,
        )
        self._started = False

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FixtureServer:
        if not self._started:
            self._thread.start()
            self._started = True
        return self

    def close(self) -> None:
        self.stopping.set()
        if self._started:
            self._httpd.shutdown()
        with self._httpd.sockets_lock:
            sockets = list(self._httpd.open_sockets)
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        if self._started:
            self._thread.join(timeout=5)

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the request log ----------------------------------------------------------------------

    def _record(self, method: str, host: str, path: str, *, proxied: bool) -> RequestRecord:
        record = RequestRecord(time.time(), method, host, path, proxied=proxied)
        with self._lock:
            self._requests.append(record)
        return record

    def _logged(self, record: RequestRecord) -> None:
        if self._log is not None:
            line = json.dumps(asdict(record)) + "\n"
            with self._lock:
                self._log.write(line)
                self._log.flush()

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request so far, in arrival order (a snapshot)."""
        with self._lock:
            return list(self._requests)

    @property
    def rejected(self) -> list[RequestRecord]:
        """Requests for hosts that are not the site's (answered 502): attempts to leave."""
        return [r for r in self.requests if not r.origin and not _is_site_host(r.host)]

    def requested(self, host: str | None = None, path_prefix: str = "") -> list[RequestRecord]:
        return [
            r
            for r in self.requests
            if (host is None or r.host == host) and r.path.startswith(path_prefix)
        ]

    def clear(self) -> None:
        """Forget the request log and the attempt counts (a fresh rate-limit state)."""
        with self._lock:
            self._requests.clear()
        self.attempts = AttemptCounter()


@contextmanager
def serve_site(
    site: Site, *, port: int = 0, request_log: IO[str] | None = None
) -> Iterator[FixtureServer]:
    """Serve `site` on 127.0.0.1:`port` (0: any free port) for the duration of the block."""
    server = FixtureServer(site, port=port, request_log=request_log)
    server.start()
    try:
        yield server
    finally:
        server.close()
