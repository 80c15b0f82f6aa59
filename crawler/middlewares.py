"""Downloader middleware: retries that wait, honouring ``Retry-After``.

Scrapy's RetryMiddleware re-schedules a failed request at once and ignores ``Retry-After``
(scrapy/scrapy#3849), so a rate-limited or overloaded server is hit again immediately.
`RetryAfterMiddleware` replaces it (same retry accounting through `get_retry_request`: stats
``retry/count``, ``retry/reason_count/<reason>``, ``retry/max_reached``; same ``dont_retry``,
``max_retry_times`` and ``priority_adjust`` meta keys) and waits before handing back the retry:

- a 429 or 503 response with a ``Retry-After`` header (delta-seconds or an HTTP-date) waits that
  long; a ``Retry-After`` longer than ``RETRY_AFTER_MAX`` gives up on the URL at once (the
  response goes on to the spider's errback as an HTTP error, so the failure is recorded and the
  URL queued for a later crawl) and counts ``retry/retry_after_too_long``;
- any other retryable response (5xx, 408, a 429 without ``Retry-After``) and any retryable
  download error (timeouts, refused or lost connections) waits
  ``RETRY_BACKOFF_BASE * 2 ** (retry_times - 1)`` seconds, at most ``RETRY_BACKOFF_MAX``.

How the wait happens: Scrapy 2.19 awaits coroutine ``process_response``/``process_exception``
methods of downloader middlewares, so both are ``async def`` and await `scrapy.utils.asyncio.sleep`
(``asyncio.sleep`` under the asyncio reactor, Twisted's ``deferLater`` otherwise): the reactor goes
on serving every other request meanwhile. This is the simplest correct approach: no custom
scheduler or queue, and nothing is lost if the wait ends. Its costs: a waiting request keeps its
place among ``CONCURRENT_REQUESTS`` (so many rate-limited URLs slow the whole crawl, which is the
point), but it no longer occupies its host's download slot, so other URLs of that host are still
fetched at the normal pace (AutoThrottle and ``DOWNLOAD_DELAY`` pace those); and a crawl that is
stopped waits for pending retries (at most ``RETRY_AFTER_MAX`` seconds).

Settings read (once, when the middleware is built): ``RETRY_ENABLED``, ``RETRY_TIMES``,
``RETRY_HTTP_CODES``, ``RETRY_PRIORITY_ADJUST``, ``RETRY_GIVE_UP_LOG_LEVEL``, ``RETRY_EXCEPTIONS``
(as Scrapy's RetryMiddleware), and
- ``RETRY_AFTER_MAX`` (seconds, default 120): the longest ``Retry-After`` honoured;
- ``RETRY_BACKOFF_BASE`` (seconds, default 1.0): the wait before the first retry;
- ``RETRY_BACKOFF_MAX`` (seconds, default 30): the longest backoff wait.

Stats: ``retry/after_wait_seconds`` sums the seconds waited before retries (``Retry-After`` and
backoff waits alike); ``retry/retry_after_too_long`` counts URLs given up for a long Retry-After.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import UTC
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import sleep as scrapy_sleep
from scrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = frozenset({429, 503})  # RFC 9110 10.2.3, RFC 6585 4
_DELTA_SECONDS = re.compile(r"\d+(\.\d+)?")

Sleep = Callable[[float], Awaitable[None]]


def parse_retry_after(value: bytes | str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header value at time `now` (a Unix timestamp).

    Accepts delta-seconds ("120") and an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"; a date in
    the past means no wait). None when the header is missing or unreadable.
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" or no zone: HTTP-dates are always GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def _status_message(status: int) -> str:
    """The status and its reason phrase, e.g. "429 Too Many Requests" (Twisted lacks some)."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return response_status_message(status)


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before each retry, as the module docstring describes."""

    def __init__(
        self,
        settings: BaseSettings,
        *,
        sleep: Sleep | None = None,
        clock: Callable[[], float] | None = None,
    ):
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        self._sleep: Sleep = sleep or scrapy_sleep  # injectable for tests
        self._clock = clock or time.time  # Unix time, to read HTTP-date Retry-After values

    @classmethod
    def from_crawler(
        cls,
        crawler: Crawler,
        *,
        sleep: Sleep | None = None,
        clock: Callable[[], float] | None = None,
    ) -> Self:
        middleware = cls(crawler.settings, sleep=sleep, clock=clock)
        middleware.crawler = crawler
        return middleware

    # Coroutine methods: Scrapy 2.19 awaits them, its own class's stubs are synchronous.
    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        reason = _status_message(response.status)
        delay = self.backoff(request)
        if response.status in RETRY_AFTER_STATUSES:
            retry_after = parse_retry_after(response.headers.get(b"Retry-After"), self._clock())
            if retry_after is not None and retry_after > self.retry_after_max:
                self.crawler.stats.inc_value("retry/retry_after_too_long")
                logger.log(
                    self._give_up_level(request),
                    "Gave up retrying %(request)s: %(reason)s with Retry-After %(after).0fs, "
                    "over RETRY_AFTER_MAX (%(max).0fs)",
                    {
                        "request": request,
                        "reason": reason,
                        "after": retry_after,
                        "max": self.retry_after_max,
                    },
                    extra={"spider": self.crawler.spider},
                )
                return response
            if retry_after is not None:
                delay = retry_after
        retry = self._retry(request, reason)
        if retry is None:  # retries exhausted: no point waiting
            return response
        await self._wait(delay, retry, reason)
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
            "dont_retry", False
        ):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await self._wait(self.backoff(request), retry, exception)
        return retry

    def backoff(self, request: Request) -> float:
        """Seconds to wait before the next retry of `request`: doubling, from the base."""
        retry_times = request.meta.get("retry_times", 0) + 1
        return min(self.backoff_base * 2 ** (retry_times - 1), self.backoff_max)

    async def _wait(self, delay: float, retry: Request, reason: object) -> None:
        if delay <= 0:
            return
        logger.debug(
            "Waiting %(delay).1fs before retrying %(request)s (%(reason)s)",
            {"delay": delay, "request": retry, "reason": reason},
            extra={"spider": self.crawler.spider},
        )
        self.crawler.stats.inc_value("retry/after_wait_seconds", delay)  # type: ignore[arg-type]
        await self._sleep(delay)

    def _give_up_level(self, request: Request) -> int:
        level = request.meta.get("give_up_log_level", self.give_up_log_level)
        if isinstance(level, str):
            level = logging.getLevelName(level)
        return level if isinstance(level, int) else logging.ERROR
