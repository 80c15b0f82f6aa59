"""What the fixture-site tests share to reach the site on 127.0.0.1 with urllib, and only there.

A test module imports `loopback_only` (an autouse fixture: importing it is using it) to fail any
connection to another address, and builds its openers from `openers`.
"""

from __future__ import annotations

import socket
import urllib.request
from urllib.parse import urlsplit

import pytest


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail any connection to an address other than 127.0.0.1."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        assert address[0] == "127.0.0.1", f"tried to connect to {address!r}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


class NeverBypassProxy(urllib.request.ProxyHandler):
    """A ProxyHandler that never bypasses the proxy (urllib would honour no_proxy)."""

    def proxy_open(self, req, proxy, type):  # noqa: A002 - urllib's signature
        req.set_proxy(urlsplit(proxy).netloc, "http")
        return None  # let HTTPHandler connect to the proxy


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as they are, not followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def openers(proxy_url: str | None) -> tuple[urllib.request.OpenerDirector, ...]:
    """(an opener that follows redirects, one that does not): through the fixture server as
    a proxy that is never bypassed, or, with no `proxy_url`, straight to the address and never
    through a proxy from the environment."""

    def handler() -> urllib.request.ProxyHandler:
        if proxy_url:
            return NeverBypassProxy({"http": proxy_url})
        return urllib.request.ProxyHandler({})

    return urllib.request.build_opener(handler()), urllib.request.build_opener(
        handler(), NoRedirect()
    )
