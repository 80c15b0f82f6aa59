"""Why a fetch failed: reasons and transience, from the exceptions Scrapy hands to errbacks."""

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.failures import failure_reason


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
        (IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed", False),
        (IgnoreRequest("max redirections reached"), "redirect_loop", False),
        (
            DownloadCancelledError(
                "Expected to receive 12624904 bytes which is larger than download max size"
                " (8388608) in request <GET http://x>."
            ),
            "too_large",
            False,
        ),
        (DownloadTimeoutError("took longer than 3.0 seconds"), "timeout", True),
        (CannotResolveHostError("x"), "dns", True),
        (DownloadConnectionRefusedError("x"), "connection_refused", True),
        (ValueError("odd"), "ValueError", True),
    ],
)
def test_failure_reason(exc, reason, transient):
    assert failure_reason(exc) == (reason, transient)
