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

Conditional GET (conditional.py): 200 pages of text carry a strong ``ETag`` (a hash of the body)
and article pages a ``Last-Modified`` (the article's date, or its last edit); a GET or HEAD whose
``If-None-Match`` matches (``*``, lists, ``W/`` weak comparison) or, without one, whose
``If-Modified-Since`` is not earlier than ``Last-Modified`` gets ``304 Not Modified`` (validators,
no body), recorded with status 304 and the validators sent (`RequestRecord.if_none_match`,
``if_modified_since``). Redirects, errors and hazard answers never carry validators.
``serve_site(site, conditional=False)``: a server that sends no validators and ignores them.

Editions: ``server.site = site.next_edition()`` (or ``server.set_site(...)``) serves another
edition of the site from the next request on, on the same port and so at the same URLs; a request
being answered finishes with the site it started with. The request log and the attempt counts
(rate-limit hazards) are kept: ``server.clear()`` forgets them.

    with serve_site(site) as server:
        ...                                   # crawl edition 1
        server.site = site2 = site.next_edition()
        ...                                   # crawl edition 2: site2.expected(), added_ids...

Threaded (one thread per connection), HTTP/1.1 with Content-Length and keep-alive, Nagle off.
Closing is prompt: a stalled answer waits on an event that closing sets, open keep-alive
connections are shut down, and handler threads are daemons. The HTTP side is in handler.py.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict
from typing import IO

from .handler import FixtureHTTPServer, RequestRecord
from .links import is_site_host
from .responses import AttemptCounter
from .site import Site

__all__ = ["FixtureServer", "RequestRecord", "serve_site"]


class FixtureServer:
    """A running fixture server; see the module docstring. Use `serve_site`."""

    def __init__(
        self,
        site: Site,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        request_log: IO[str] | None = None,
        conditional: bool = True,
    ):
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise ValueError("the fixture server listens on the loopback only")
        self._site = site
        self._site_lock = threading.Lock()
        self.conditional = conditional  # validators and 304s (see the module docstring)
        self.attempts = AttemptCounter()
        self.stopping = threading.Event()
        self._requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._log = request_log
        self._httpd = FixtureHTTPServer((host, port), self)
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

    # --- the site served -----------------------------------------------------------------------

    @property
    def site(self) -> Site:
        """The site being served; assigning another (a later edition) is `set_site`."""
        with self._site_lock:
            return self._site

    @site.setter
    def site(self, site: Site) -> None:
        self.set_site(site)

    def set_site(self, site: Site) -> None:
        """Serve `site` (normally another edition of the one served) from the next request on,
        at the same address; thread-safe."""
        if not isinstance(site, Site):
            raise TypeError(f"not a Site: {site!r}")
        with self._site_lock:
            self._site = site

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
        return [r for r in self.requests if not r.origin and not is_site_host(r.host)]

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
    site: Site,
    *,
    port: int = 0,
    request_log: IO[str] | None = None,
    conditional: bool = True,
) -> Iterator[FixtureServer]:
    """Serve `site` on 127.0.0.1:`port` (0: any free port) for the duration of the block;
    `conditional=False`: no validators sent, none honoured (see the module docstring)."""
    server = FixtureServer(site, port=port, request_log=request_log, conditional=conditional)
    server.start()
    try:
        yield server
    finally:
        server.close()
