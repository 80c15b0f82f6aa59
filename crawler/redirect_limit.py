"""Downloader middleware: a redirect chain past the limit is `TooManyRedirects`, a typed refusal.

INTERIM: stands in until crawler/redirects.py (redirect loops and off-site redirects, typed) takes
its place; it only keeps the ``redirect_loop`` reason now that crawler/failures.py no longer
reads Scrapy's message ("max redirections reached").

`RedirectLimitMiddleware` is Scrapy's RedirectMiddleware, raising `TooManyRedirects` (an
``IgnoreRequest``) where Scrapy raises a plain ``IgnoreRequest``: when a redirect would go past
``REDIRECT_MAX_TIMES`` hops or the request's ``redirect_ttl``, the only case in which its
``_redirect`` raises.

Settings read (Scrapy's own, once, when the middleware is built): ``REDIRECT_ENABLED``,
``REDIRECT_MAX_TIMES``, ``REDIRECT_PRIORITY_ADJUST``.
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request


class TooManyRedirects(IgnoreRequest):
    """A redirect chain longer than the limit, loops included (reason ``redirect_loop``)."""

    def __init__(self, url: str, hops: int):
        super().__init__(f"{url}: more than {hops - 1} redirects")
        self.url = url
        self.hops = hops

    def __reduce__(self):
        return (type(self), (self.url, self.hops))


class RedirectLimitMiddleware(RedirectMiddleware):
    """RedirectMiddleware with a typed refusal past the redirect limit."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest as exc:
            hops = request.meta.get("redirect_times", 0) + 1
            raise TooManyRedirects(request.url, hops) from exc
