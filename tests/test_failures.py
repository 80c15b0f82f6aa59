"""Why a fetch failed: the reason comes from the exception's type (or the HTTP status), never from
its message; whether to try again later is `archive.records.is_transient(reason)`."""

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from archive.records import Reason, is_transient
from crawler.boundary import OffsiteRedirect
from crawler.downloads import ResponseTooLarge
from crawler.failures import FAILURE_REASONS, failure_reason
from crawler.redirects import RedirectLoop
from crawler.robots import RobotsTxtDisallowed


def http_error(status: int) -> HttpError:
    return HttpError(HtmlResponse("http://www.policeoracle.localhost/x", status=status), "")


@pytest.mark.parametrize(
    ("exc", "reason", "transient"),
    [
        (http_error(404), "http_404", False),
        (http_error(410), "http_410", False),
        (http_error(429), "http_429", True),
        (http_error(500), "http_500", True),
        (http_error(503), "http_503", True),
        (RobotsTxtDisallowed("http://x/"), Reason.ROBOTS_DISALLOWED, False),
        (RedirectLoop("redirect chain of 6: http://x/ -> ..."), Reason.REDIRECT_LOOP, False),
        (
            OffsiteRedirect("redirect to http://169.254.169.254/ leaves"),
            Reason.OFFSITE_REDIRECT,
            False,
        ),
        (ResponseTooLarge("http://x/", 12_624_904, 8_388_608), Reason.TOO_LARGE, False),
        (ResponseTooLarge("http://x/", 9_000_000, 8_388_608, "decompressed"), "too_large", False),
        (DownloadTimeoutError("took longer than 3.0 seconds"), Reason.TIMEOUT, True),
        (tx.TimeoutError(), Reason.TIMEOUT, True),
        (tx.TCPTimedOutError(), Reason.TIMEOUT, True),
        (CannotResolveHostError("x"), Reason.DNS, True),
        (tx.DNSLookupError("x"), Reason.DNS, True),
        (DownloadConnectionRefusedError("x"), Reason.CONNECTION_REFUSED, True),
        (tx.ConnectionRefusedError(), Reason.CONNECTION_REFUSED, True),
        (tx.NoRouteError(), Reason.CONNECTION_REFUSED, True),
        (tx.ConnectionLost(), Reason.CONNECTION_LOST, True),
        (tx.ConnectionDone(), Reason.CONNECTION_LOST, True),
        (ResponseFailed([]), Reason.CONNECTION_LOST, True),
        (ResponseNeverReceived([]), Reason.CONNECTION_LOST, True),
        (ResponseDataLossError(), Reason.CONNECTION_LOST, True),
        (DownloadFailedError("x"), Reason.CONNECTION_LOST, True),
        (DownloadCancelledError(), Reason.CONNECTION_LOST, True),  # e.g. the crawl stopping
        (IgnoreRequest("Filtered offsite request"), Reason.IGNORED, False),
        (ValueError("odd"), Reason.DOWNLOAD_ERROR, True),
    ],
)
def test_failure_reason(exc, reason, transient):
    assert failure_reason(exc) == reason
    assert is_transient(failure_reason(exc)) is transient


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        # what the old code read from the message; only the type counts now
        (IgnoreRequest("Forbidden by robots.txt"), Reason.IGNORED),
        (IgnoreRequest("max redirections reached"), Reason.IGNORED),
        (
            DownloadCancelledError(
                "Expected to receive 12624904 bytes which is larger than download max size"
                " (8388608) in request <GET http://x>."
            ),
            Reason.CONNECTION_LOST,
        ),
        (RobotsTxtDisallowed("http://x/too_large"), Reason.ROBOTS_DISALLOWED),
    ],
)
def test_the_message_never_decides(exc, reason):
    assert failure_reason(exc) == reason


def test_subclasses_take_their_nearest_ancestor_reason():
    class Custom(DownloadTimeoutError):
        pass

    class Refused(RobotsTxtDisallowed):
        pass

    assert failure_reason(Custom("x")) == Reason.TIMEOUT
    assert failure_reason(Refused("http://x/")) == Reason.ROBOTS_DISALLOWED


def test_every_reason_in_the_table_is_a_reason_of_the_contract():
    assert all(isinstance(reason, Reason) for reason in FAILURE_REASONS.values())
    assert FAILURE_REASONS[IgnoreRequest] == Reason.IGNORED


def test_typed_refusals_are_ignore_requests():
    """Scrapy handles them as it handles any IgnoreRequest (no error log, no retry)."""
    for exc_type in (RobotsTxtDisallowed, ResponseTooLarge, RedirectLoop, OffsiteRedirect):
        assert issubclass(exc_type, IgnoreRequest)
