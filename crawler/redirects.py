"""Redirects with typed failures: a loop, or a chain longer than ``REDIRECT_MAX_TIMES``, raises
`RedirectLoop` (reason ``redirect_loop``), so that the reason comes from the exception's type,
not from Scrapy's message text. Everything else is Scrapy's RedirectMiddleware and
MetaRefreshMiddleware; where a redirect may go is crawler/boundary.py's decision, applied to the
redirected request like to any other.

Settings read: those of Scrapy's redirect middlewares (``REDIRECT_ENABLED``,
``REDIRECT_MAX_TIMES``, ``REDIRECT_PRIORITY_ADJUST``, ``METAREFRESH_ENABLED``...).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest


class RedirectLoop(IgnoreRequest):
    """A redirect chain that loops or exceeds REDIRECT_MAX_TIMES."""


class _TypedLoops:
    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
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
