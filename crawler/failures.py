"""Why a fetch failed, as a short reason stored in the fetch log, and whether to try again later.

A plain function of the exception Scrapy hands to a request's errback, so it is testable without a
reactor. Transient failures (server errors, rate limits, timeouts, lost connections) are queued
for the next crawl; permanent ones (404, 410, robots.txt, redirect loops) are only recorded.
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError, ConnectionLost, DNSLookupError, TimeoutError
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 522, 524})


def failure_reason(exc: BaseException) -> str:
    """(interim) the reason of a failure; see _failure_reason."""
    return _failure_reason(exc)[0]


def _failure_reason(exc: BaseException) -> tuple[str, bool]:
    from crawler.boundary import OffsiteRedirect, OffsiteRequest
    from crawler.redirects import RedirectLoop

    if isinstance(exc, OffsiteRedirect):
        return "offsite_redirect", False
    if isinstance(exc, RedirectLoop):
        return "redirect_loop", False
    if isinstance(exc, OffsiteRequest):
        return "ignored", False
    """(reason, transient) for an exception raised while fetching a page."""
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", status in TRANSIENT_STATUSES
    if isinstance(exc, IgnoreRequest):
        message = str(exc).lower()
        if "robots.txt" in message:
            return "robots_disallowed", False
        if "redirect" in message:
            return "redirect_loop", False
        return "ignored", False
    if isinstance(exc, DownloadCancelledError) and "max size" in str(exc).lower():
        return "too_large", False
    if isinstance(exc, (DownloadTimeoutError, TimeoutError)):
        return "timeout", True
    if isinstance(exc, (CannotResolveHostError, DNSLookupError)):
        return "dns", True
    if isinstance(exc, (DownloadConnectionRefusedError, ConnectError)):
        return "connection_refused", True
    if isinstance(
        exc,
        (
            ConnectionLost,
            ResponseFailed,
            ResponseNeverReceived,
            ResponseDataLossError,
            DownloadFailedError,
            DownloadCancelledError,
        ),
    ):
        return "connection_lost", True
    return type(exc).__name__, True
