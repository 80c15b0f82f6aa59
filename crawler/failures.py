"""Why a fetch failed: the fetch log's reason, from the exception's type, never its message.

`failure_reason(exc)` reads the exception Scrapy hands to a request's errback: an ``HttpError``
gives ``http_NNN`` (`archive.records.http_reason`), any other exception the `Reason` of the
nearest of its classes (its own, then its bases, in method resolution order) found in
`FAILURE_REASONS`; an exception no entry covers is ``download_error``, a plain ``IgnoreRequest``
(a downloader middleware refusing the request for a reason it does not type) ``ignored``.

Whether a failure is worth another try in a later crawl is `archive.records.is_transient(reason)`.

A plain function of the exception, testable without a reactor; no settings read.
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
from twisted.internet import error as tx
from twisted.web._newclient import ResponseFailed

from archive.records import Reason, http_reason
from crawler.boundary import OffsiteRedirect, OffsiteRequest
from crawler.downloads import ResponseTooLarge
from crawler.redirects import RedirectLoop
from crawler.robots import RobotsTxtDisallowed

# Exception type -> reason. Looked up along the exception's MRO, so a subclass listed here wins
# over its base (ResponseTooLarge over IgnoreRequest, twisted's TimeoutError over ConnectError).
FAILURE_REASONS: dict[type[BaseException], Reason] = {
    # typed refusals of the project's downloader middlewares (all IgnoreRequest subclasses)
    RobotsTxtDisallowed: Reason.ROBOTS_DISALLOWED,  # crawler/robots.py
    ResponseTooLarge: Reason.TOO_LARGE,  # crawler/downloads.py
    RedirectLoop: Reason.REDIRECT_LOOP,  # crawler/redirects.py
    OffsiteRedirect: Reason.OFFSITE_REDIRECT,  # crawler/boundary.py
    OffsiteRequest: Reason.IGNORED,  # crawler/boundary.py: never a followed link
    IgnoreRequest: Reason.IGNORED,  # any other middleware's refusal
    # Scrapy 2.19's download errors (scrapy.utils._download_handlers.wrap_twisted_exceptions)
    DownloadTimeoutError: Reason.TIMEOUT,
    CannotResolveHostError: Reason.DNS,
    DownloadConnectionRefusedError: Reason.CONNECTION_REFUSED,
    DownloadFailedError: Reason.CONNECTION_LOST,  # twisted's ResponseFailed, wrapped
    ResponseDataLossError: Reason.CONNECTION_LOST,  # a body shorter than its Content-Length
    DownloadCancelledError: Reason.CONNECTION_LOST,  # cancelled otherwise than by size: shutdown
    # Twisted's own, as they reach errbacks unwrapped
    tx.TimeoutError: Reason.TIMEOUT,
    tx.TCPTimedOutError: Reason.TIMEOUT,  # the connection attempt timed out
    tx.DNSLookupError: Reason.DNS,
    tx.ConnectError: Reason.CONNECTION_REFUSED,  # refused, no route to host...
    tx.ConnectionClosed: Reason.CONNECTION_LOST,  # ConnectionLost, ConnectionDone
    ResponseFailed: Reason.CONNECTION_LOST,  # ResponseNeverReceived too
}


def failure_reason(exc: BaseException) -> str:
    """The fetch log's reason for a failed fetch: a `Reason`, or ``http_NNN`` for an HTTP error
    status (see the module docstring)."""
    if isinstance(exc, HttpError) and exc.response is not None:
        return http_reason(exc.response.status)
    for cls in type(exc).__mro__:
        if (reason := FAILURE_REASONS.get(cls)) is not None:
            return reason
    return Reason.DOWNLOAD_ERROR
