"""Downloader middlewares: a body over the size cap is `ResponseTooLarge`, whatever the path.

Scrapy 2.19 refuses a body over ``DOWNLOAD_MAXSIZE`` in three places, and says so with three
unrelated exceptions:

- a Content-Length over the cap: the HTTP/1.1 handler raises ``DownloadCancelledError`` as soon as
  the headers arrive (with the size in the message);
- no Content-Length (or a false one), and the body grows past the cap: the handler cancels the
  download, which ends as a ``DownloadCancelledError`` too, with no size in it, exactly like a
  download cancelled for any other reason (the crawl stopping): it used to be recorded as
  ``connection_lost`` and queued for every later crawl;
- a Content-Encoding (gzip, deflate, br, zstd) that decompresses past the cap:
  ``HttpCompressionMiddleware`` raises a plain ``IgnoreRequest`` (recorded as ``ignored``).

`SizeLimitMiddleware` watches the ``headers_received`` and ``bytes_received`` signals, which the
handler sends just before it checks the cap, and compares the declared and received sizes with
the same cap (``DOWNLOAD_MAXSIZE``, or the request's ``download_maxsize`` meta key); when the
download then ends in ``DownloadCancelledError``, it raises `ResponseTooLarge` in its place.
`DecompressionLimitMiddleware` is Scrapy's compression middleware raising `ResponseTooLarge` when
decompression goes past the cap. `ResponseTooLarge` is an ``IgnoreRequest``: nothing retries it,
and crawler/failures.py maps the type to ``too_large``, which is not transient.

`SizeLimitMiddleware` goes on the downloader side of the retry middleware (its
``process_exception`` runs first and ends the chain), e.g. 800, just below DownloaderStats (850),
which then still counts the cancellation; `DecompressionLimitMiddleware` takes the compression
middleware's place (590). The declared-size case relies on the HTTP/1.1 handler (Scrapy's default
for http and https) sending ``headers_received`` before it refuses the body.

Settings read (once, when each middleware is built): ``DOWNLOAD_MAXSIZE``; the compression
middleware also reads Scrapy's ``COMPRESSION_ENABLED`` and ``DOWNLOAD_WARNSIZE``.

Stats: ``downloads/too_large/declared``, ``downloads/too_large/received`` and
``downloads/too_large/decompressed``: responses refused at each stage.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest

# private, but the only way to tell Scrapy's refusal by size from any other IgnoreRequest:
# the compression middleware raises IgnoreRequest(...) from it (Scrapy 2.19, pinned <2.20)
from scrapy.utils._compression import _DecompressionMaxSizeExceeded

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

Stage = Literal["declared", "received", "decompressed"]


class ResponseTooLarge(IgnoreRequest):
    """A response body over the size cap (fetch log reason ``too_large``).

    `stage` says how it was found: ``declared`` (its Content-Length), ``received`` (the bytes
    read before the download was cut) or ``decompressed`` (its Content-Encoding unpacked)."""

    def __init__(self, url: str, size: int, limit: int, stage: Stage = "declared"):
        found = {
            "declared": f"declares {size} bytes",
            "received": f"sent {size} bytes and more",
            "decompressed": f"decompresses to {size} bytes and more",
        }[stage]
        super().__init__(f"{url} {found}: over the size limit ({limit} bytes)")
        self.url = url
        self.size = size
        self.limit = limit
        self.stage: Stage = stage

    def __reduce__(self):
        return (type(self), (self.url, self.size, self.limit, self.stage))


def over_limit(size: int, limit: int) -> bool:
    """Whether `size` bytes are over the cap `limit` (0: no cap), as Scrapy compares them."""
    return bool(limit) and size > limit


class SizeLimitMiddleware:
    """Turns a download cut at the size cap (``DownloadCancelledError``) into `ResponseTooLarge`
    (see the module docstring)."""

    def __init__(self, maxsize: int, stats: StatsCollector):
        self.maxsize = maxsize
        self.stats = stats
        # per download in progress: bytes received so far; and the sizes found over the cap
        self._received: WeakKeyDictionary[Request, int] = WeakKeyDictionary()
        self._over: WeakKeyDictionary[Request, tuple[int, Stage]] = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        middleware = cls(crawler.settings.getint("DOWNLOAD_MAXSIZE"), crawler.stats)
        crawler.signals.connect(middleware.headers_received, signal=signals.headers_received)
        crawler.signals.connect(middleware.bytes_received, signal=signals.bytes_received)
        return middleware

    def limit(self, request: Request) -> int:
        return int(request.meta.get("download_maxsize", self.maxsize))

    def headers_received(self, headers: Any, body_length: Any, request: Request) -> None:
        self._received[request] = 0  # a new response (a retry reuses no counter)
        self._over.pop(request, None)
        if isinstance(body_length, int) and over_limit(body_length, self.limit(request)):
            self._over[request] = (body_length, "declared")

    def bytes_received(self, data: bytes, request: Request) -> None:
        size = self._received.get(request, 0) + len(data)
        self._received[request] = size
        if request not in self._over and over_limit(size, self.limit(request)):
            self._over[request] = (size, "received")

    def process_response(self, request: Request, response: Response) -> Response:
        self._forget(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        over = self._forget(request)
        if over is None or not isinstance(exception, DownloadCancelledError):
            return None
        size, stage = over
        self.stats.inc_value(f"downloads/too_large/{stage}")
        raise ResponseTooLarge(request.url, size, self.limit(request), stage) from exception

    def _forget(self, request: Request) -> tuple[int, Stage] | None:
        self._received.pop(request, None)
        return self._over.pop(request, None)


class DecompressionLimitMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware, raising `ResponseTooLarge` for a body that decompresses
    past the cap (Scrapy raises a plain IgnoreRequest)."""

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            cause = exc.__cause__
            if not isinstance(cause, _DecompressionMaxSizeExceeded):
                raise
            if self.stats:
                self.stats.inc_value("downloads/too_large/decompressed")
            raise ResponseTooLarge(
                response.url, cause.decompressed_size, cause.max_size, "decompressed"
            ) from cause
