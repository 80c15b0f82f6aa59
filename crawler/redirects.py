"""Redirects with typed failures: a loop is `RedirectLoop`, a redirect off the crawl's sites
`OffsiteRedirect`.

A loop, or a chain longer than ``REDIRECT_MAX_TIMES``, raises `RedirectLoop` (reason
``redirect_loop``), so that the reason comes from the exception's type, not from Scrapy's message
text; a redirect off the crawl's sites (crawler/boundary.py decides) raises `OffsiteRedirect`
(reason ``offsite_redirect``) here, before the redirected request is even scheduled (a redirect
to a URL requested before would otherwise be dropped as a duplicate, unrecorded). Everything else
is Scrapy's RedirectMiddleware and MetaRefreshMiddleware.

Settings read: those of Scrapy's redirect middlewares (``REDIRECT_ENABLED``,
``REDIRECT_MAX_TIMES``, ``REDIRECT_PRIORITY_ADJUST``, ``METAREFRESH_ENABLED``...).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.boundary import OffsiteRedirect


class RedirectLoop(IgnoreRequest):
    """A redirect chain that loops or exceeds REDIRECT_MAX_TIMES."""


class _TypedLoops:
    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        crawler = self.crawler  # type: ignore[attr-defined]
        boundary = getattr(crawler.spider, "boundary", None)
        if boundary is not None and not boundary.allows(redirected.url):
            crawler.stats.inc_value("boundary/offsite_redirect")
            raise OffsiteRedirect(f"redirect to {redirected.url} leaves the crawl's sites")
        try:
            return super()._redirect(redirected, request, reason)  # type: ignore[misc]
        except RedirectLoop:
            raise
        except IgnoreRequest as exc:  # Scrapy's "max redirections reached"
            chain = [*request.meta.get("redirect_urls", []), request.url, redirected.url]
            raise RedirectLoop(f"redirect chain of {len(chain) - 1}: {' -> '.join(chain)}") from exc


class TypedRedirectMiddleware(_TypedLoops, RedirectMiddleware):
    pass


class TypedMetaRefreshMiddleware(_TypedLoops, MetaRefreshMiddleware):
    pass
