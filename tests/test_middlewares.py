"""crawler/middlewares.py: RetryAfterMiddleware waits before retrying, honouring Retry-After.

The middleware's coroutines are driven with `asyncio.run`; `scrapy.utils.asyncio.sleep` uses the
running asyncio loop, so no Twisted reactor is needed. Most tests inject the sleep function and
the clock, so they are instant and deterministic; one sleeps for real.
"""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefusedError

from crawler.middlewares import RetryAfterMiddleware, parse_retry_after

URL = "http://www.policeoracle.localhost/news/article.cfm?id=5"
NOW = 1_700_000_000.0  # the injected clock


class FakeSleep:
    """Records the waits instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make(settings: dict[str, Any] | None = None, *, real_sleep: bool = False):
    crawler = get_crawler(Spider, settings)
    crawler.spider = crawler._create_spider("test")
    sleep = FakeSleep()
    mw = RetryAfterMiddleware.from_crawler(
        crawler, sleep=None if real_sleep else sleep, clock=lambda: NOW
    )
    return mw, sleep, crawler.stats


def response(status: int, retry_after: str | None = None, request: Request | None = None):
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Response(URL, status=status, headers=headers, request=request or Request(URL))


def run(coro):
    return asyncio.run(coro)


def test_429_retry_after_seconds() -> None:
    mw, sleep, stats = make()
    request = Request(URL)
    result = run(mw.process_response(request, response(429, "2", request)))
    assert isinstance(result, Request)
    assert result.url == URL
    assert result.meta["retry_times"] == 1
    assert result.dont_filter
    assert sleep.calls == [2.0]
    assert stats.get_value("retry/count") == 1
    assert stats.get_value("retry/reason_count/429 Too Many Requests") == 1
    assert stats.get_value("retry/after_wait_seconds") == 2.0


def test_503_retry_after_http_date() -> None:
    mw, sleep, stats = make()
    request = Request(URL)
    when = formatdate(NOW + 45, usegmt=True)  # e.g. "Tue, 14 Nov 2023 22:14:05 GMT"
    result = run(mw.process_response(request, response(503, when, request)))
    assert isinstance(result, Request)
    assert sleep.calls == [45.0]
    assert stats.get_value("retry/reason_count/503 Service Unavailable") == 1


def test_retry_after_in_the_past_retries_at_once() -> None:
    mw, sleep, stats = make()
    request = Request(URL)
    result = run(mw.process_response(request, response(429, formatdate(NOW - 60, usegmt=True))))
    assert isinstance(result, Request)
    assert sleep.calls == []
    assert stats.get_value("retry/after_wait_seconds") is None


def test_retry_after_over_the_cap_gives_up() -> None:
    mw, sleep, stats = make({"RETRY_AFTER_MAX": 60})
    request = Request(URL)
    resp = response(429, "3600", request)
    result = run(mw.process_response(request, resp))
    assert result is resp  # on to HttpErrorMiddleware and the spider's errback
    assert sleep.calls == []
    assert stats.get_value("retry/retry_after_too_long") == 1
    assert stats.get_value("retry/count") is None


def test_retry_after_max_default_is_120() -> None:
    mw, sleep, _ = make()
    assert mw.retry_after_max == 120
    assert isinstance(run(mw.process_response(Request(URL), response(429, "120"))), Request)
    assert sleep.calls == [120.0]
    assert not isinstance(run(mw.process_response(Request(URL), response(429, "121"))), Request)


def test_unreadable_retry_after_falls_back_to_backoff() -> None:
    mw, sleep, _ = make({"RETRY_BACKOFF_BASE": 0.5})
    run(mw.process_response(Request(URL), response(429, "in a while")))
    run(mw.process_response(Request(URL), response(429)))
    assert sleep.calls == [0.5, 0.5]


def test_retry_after_ignored_on_500() -> None:
    mw, sleep, _ = make()
    run(mw.process_response(Request(URL), response(500, "90")))
    assert sleep.calls == [1.0]


def test_500_backoff_doubles_and_is_capped() -> None:
    mw, sleep, stats = make({"RETRY_TIMES": 6, "RETRY_BACKOFF_BASE": 1.0, "RETRY_BACKOFF_MAX": 5})
    request = Request(URL)
    for _ in range(6):
        request = run(mw.process_response(request, response(500, request=request)))
        assert isinstance(request, Request)
    assert sleep.calls == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert stats.get_value("retry/after_wait_seconds") == 22.0
    assert stats.get_value("retry/count") == 6


def test_max_retries_respected() -> None:
    mw, sleep, stats = make({"RETRY_TIMES": 2})
    request = Request(URL)
    for _ in range(2):
        request = run(mw.process_response(request, response(502, request=request)))
        assert isinstance(request, Request)
    last = response(502, request=request)
    assert run(mw.process_response(request, last)) is last
    assert sleep.calls == [1.0, 2.0]  # no wait before giving up
    assert stats.get_value("retry/count") == 2
    assert stats.get_value("retry/max_reached") == 1


def test_max_retry_times_meta() -> None:
    mw, sleep, stats = make({"RETRY_TIMES": 5})
    request = Request(URL, meta={"max_retry_times": 0})
    resp = response(503, "1", request)
    assert run(mw.process_response(request, resp)) is resp
    assert sleep.calls == []
    assert stats.get_value("retry/max_reached") == 1


@pytest.mark.parametrize("status", [200, 301, 404, 410])
def test_non_retryable_passes_through(status: int) -> None:
    mw, sleep, stats = make()
    request = Request(URL)
    resp = response(status, "5", request)
    assert run(mw.process_response(request, resp)) is resp
    assert sleep.calls == []
    assert stats.get_value("retry/count") is None


def test_dont_retry() -> None:
    mw, sleep, _ = make()
    request = Request(URL, meta={"dont_retry": True})
    resp = response(429, "1", request)
    assert run(mw.process_response(request, resp)) is resp
    assert run(mw.process_exception(request, DownloadTimeoutError())) is None
    assert sleep.calls == []


def test_429_is_retried_by_default() -> None:
    mw, _, _ = make()
    assert 429 in mw.retry_http_codes


@pytest.mark.parametrize(
    "exception", [DownloadTimeoutError(), TxConnectionRefusedError(), ConnectionRefusedError()]
)
def test_exception_backoff(exception: Exception) -> None:
    mw, sleep, stats = make({"RETRY_BACKOFF_BASE": 2.0})
    request = Request(URL)
    retry = run(mw.process_exception(request, exception))
    assert isinstance(retry, Request)
    assert retry.meta["retry_times"] == 1
    assert sleep.calls == [2.0]
    assert stats.get_value("retry/count") == 1


def test_exception_max_retries() -> None:
    mw, sleep, stats = make({"RETRY_TIMES": 1})
    request = run(mw.process_exception(Request(URL), DownloadTimeoutError()))
    assert isinstance(request, Request)
    assert run(mw.process_exception(request, DownloadTimeoutError())) is None
    assert sleep.calls == [1.0]
    assert stats.get_value("retry/max_reached") == 1


def test_other_exceptions_are_not_retried() -> None:
    mw, sleep, _ = make()
    assert run(mw.process_exception(Request(URL), IgnoreRequest())) is None
    assert run(mw.process_exception(Request(URL), ValueError("bug"))) is None
    assert sleep.calls == []


def test_real_sleep_does_not_block_the_loop() -> None:
    mw, _, stats = make(real_sleep=True)
    request = Request(URL)
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.02)

    async def scenario() -> tuple[Any, float]:
        task = asyncio.create_task(ticker())
        started = time.monotonic()
        result = await mw.process_response(request, response(429, "0.3", request))
        elapsed = time.monotonic() - started
        task.cancel()
        return result, elapsed

    result, elapsed = run(scenario())
    assert isinstance(result, Request)
    assert 0.3 <= elapsed < 2.0
    assert len(ticks) >= 5  # the loop kept running while the retry waited
    assert stats.get_value("retry/after_wait_seconds") == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"2", 2.0),
        ("  120 ", 120.0),
        ("0", 0.0),
        ("1.5", 1.5),
        (formatdate(NOW + 10, usegmt=True), 10.0),
        (formatdate(NOW + 10), 10.0),  # "-0000" zone
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past
        ("-5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: bytes | str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


def test_settings_are_read_once() -> None:
    mw, _, _ = make({"RETRY_AFTER_MAX": 10, "RETRY_BACKOFF_BASE": 0.25, "RETRY_BACKOFF_MAX": 3})
    assert (mw.retry_after_max, mw.backoff_base, mw.backoff_max) == (10.0, 0.25, 3.0)
