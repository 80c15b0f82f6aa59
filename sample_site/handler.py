"""The HTTP side of the fixture server (sample_site/server.py): the threaded server, the request
handler (proxy and origin mode, conditional GET) and the request log's records."""

from __future__ import annotations

import re
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import conditional as cond
from .links import DOMAIN, is_site_host
from .responses import FixtureResponse

if TYPE_CHECKING:
    from .server import FixtureServer

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
    if_none_match: str = ""  # the validators the request carried (header lines joined by ", ")
    if_modified_since: str = ""

    @property
    def url(self) -> str:
        return f"http://{self.host}{self.path}"


class FixtureHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], fixture: FixtureServer):
        self.fixture = fixture
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, FixtureHandler)

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


class FixtureHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/6.0"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 120  # an idle keep-alive connection is dropped after this
    server: FixtureHTTPServer

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
        if_none_match = self.headers.get_all("If-None-Match") or []
        if_modified_since = self.headers.get_all("If-Modified-Since") or []
        record.if_none_match = ", ".join(if_none_match)
        record.if_modified_since = ", ".join(if_modified_since)
        started = time.monotonic()
        if origin is None and not is_site_host(host):
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
                if fixture.conditional:
                    response = cond.answer(response, self.command, if_none_match, if_modified_since)
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
        if not callable(body) and "content-length" not in names and status not in (204, 304):
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
