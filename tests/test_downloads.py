"""crawler/downloads.py without a reactor: which cancelled downloads are `ResponseTooLarge`, and the
compression middleware's typed refusal. (tests/test_hostile_downloads.py crawls the real thing.)"""

from __future__ import annotations

import gzip
import pickle

import pytest
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from crawler.downloads import (
    DecompressionLimitMiddleware,
    ResponseTooLarge,
    SizeLimitMiddleware,
    over_limit,
)
from crawler.failures import failure_reason
from tests.hostile_server import gzip_bomb

CAP = 1000


@pytest.fixture
def middleware() -> SizeLimitMiddleware:
    return SizeLimitMiddleware.from_crawler(get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": CAP}))


def outcome(middleware: SizeLimitMiddleware, request: Request, exc: Exception) -> Exception:
    """The exception the download ends with after the middleware's process_exception."""
    try:
        assert middleware.process_exception(request, exc) is None
    except Exception as raised:
        return raised
    return exc


def test_over_limit_compares_as_scrapy_does():
    assert over_limit(1001, 1000) and not over_limit(1000, 1000)
    assert not over_limit(10**12, 0)  # 0: no cap


def test_a_declared_length_over_the_cap(middleware):
    request = Request("http://x/declared")
    middleware.headers_received({}, CAP + 1, request)
    exc = outcome(middleware, request, DownloadCancelledError("Expected to receive..."))
    assert isinstance(exc, ResponseTooLarge)
    assert (exc.size, exc.limit, exc.stage, exc.url) == (CAP + 1, CAP, "declared", request.url)
    assert failure_reason(exc) == "too_large"
    assert middleware.stats.get_value("downloads/too_large/declared") == 1


def test_a_body_without_length_cut_at_the_cap(middleware):
    request = Request("http://x/undeclared")
    middleware.headers_received({}, object(), request)  # twisted's UNKNOWN_LENGTH
    for _ in range(4):
        middleware.bytes_received(b"x" * 300, request)
    exc = outcome(middleware, request, DownloadCancelledError())  # no size in the message
    assert isinstance(exc, ResponseTooLarge) and exc.stage == "received" and exc.size == 1200


def test_a_cancellation_under_the_cap_stays_what_it_is(middleware):
    request = Request("http://x/stopped")
    middleware.headers_received({}, 500, request)
    middleware.bytes_received(b"x" * 200, request)
    cancelled = DownloadCancelledError()  # e.g. the crawl shutting down
    assert outcome(middleware, request, cancelled) is cancelled
    assert failure_reason(cancelled) == "connection_lost"


def test_only_a_cancellation_becomes_too_large(middleware):
    request = Request("http://x/slow")
    middleware.headers_received({}, CAP + 1, request)
    timeout = DownloadTimeoutError("took too long")
    assert outcome(middleware, request, timeout) is timeout


def test_the_request_meta_cap_wins(middleware):
    request = Request("http://x/big-ok", meta={"download_maxsize": 10 * CAP})
    middleware.headers_received({}, 2 * CAP, request)
    middleware.bytes_received(b"x" * 2 * CAP, request)
    cancelled = DownloadCancelledError()
    assert outcome(middleware, request, cancelled) is cancelled


def test_a_new_response_starts_a_new_count(middleware):
    """A retried or redirected download of the same request object counts from zero."""
    request = Request("http://x/again")
    middleware.headers_received({}, None, request)
    middleware.bytes_received(b"x" * 800, request)
    response = Response(request.url, body=b"x" * 800, request=request)
    assert middleware.process_response(request, response) is response
    middleware.headers_received({}, None, request)
    middleware.bytes_received(b"x" * 800, request)
    cancelled = DownloadCancelledError()
    assert outcome(middleware, request, cancelled) is cancelled
    assert not middleware._received and not middleware._over  # nothing kept after the download


def test_the_exception_survives_pickling():
    exc = pickle.loads(pickle.dumps(ResponseTooLarge("http://x/", 9, 8, "received")))
    assert (exc.url, exc.size, exc.limit, exc.stage) == ("http://x/", 9, 8, "received")
    assert isinstance(exc, IgnoreRequest)


@pytest.fixture
def compression() -> DecompressionLimitMiddleware:
    crawler = get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 1 << 20})
    return DecompressionLimitMiddleware.from_crawler(crawler)


def gzipped(body: bytes) -> tuple[Request, Response]:
    request = Request("http://x/page")
    response = HtmlResponse(
        request.url, body=body, headers={"Content-Encoding": "gzip"}, request=request
    )
    return request, response


def test_a_gzip_bomb_is_too_large(compression):
    request, response = gzipped(gzip_bomb(64 << 20))
    with pytest.raises(ResponseTooLarge) as info:
        compression.process_response(request, response)
    assert info.value.stage == "decompressed" and info.value.limit == 1 << 20
    assert failure_reason(info.value) == "too_large"
    assert compression.stats.get_value("downloads/too_large/decompressed") == 1


def test_a_gzip_page_under_the_cap_is_decompressed(compression):
    request, response = gzipped(gzip.compress(b"<html><p>hello</p></html>"))
    result = compression.process_response(request, response)
    assert result.body == b"<html><p>hello</p></html>"
