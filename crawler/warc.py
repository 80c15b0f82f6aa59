"""Downloader middleware: every request and response of the crawl, raw, in WARC files.

`WarcMiddleware` writes each response the downloader gets, with its request, to the crawl's WARC
files (crawler/warcfiles.py: `WarcWriterSet`), whatever its status (redirects, 404s, 500s, the
robots.txt fetches too), and a ``304 Not Modified`` as a ``revisit`` record (profile
``server-not-modified``) referring to the earlier capture named by the request's ``revisit_of``
meta key: ``{"uri": ..., "date": ..., "digest": ...}``, the earlier response record's target URI,
``WARC-Date`` and ``WARC-Payload-Digest`` (all three are in that capture's pointer). A download
that failed without a response writes nothing; a response served from Scrapy's HTTP cache
(flag ``cached``) is not a fetch and is not written either.

Where it goes: at order 880 of ``DOWNLOADER_MIDDLEWARES``, between DownloaderStats (850) and the
download handler, so its ``process_response`` runs first and sees each raw response before any
other middleware changes it: before decompression (the body is stored content-coded, as sent),
before redirects are followed (each hop is a capture of its own) and before retries (each
attempt is). What the handler has already done is in crawler/warcfiles.py: Twisted keeps the
connection headers (``Connection``, ``Keep-Alive``, ``Transfer-Encoding``) out of the response's
headers and has removed the chunked coding from the body; Scrapy restores ``Content-Length``
(first) from the parsed length and title-cases header names. The request record holds the headers
the middlewares before it (lower orders) set, plus the ``Host`` header the handler adds.

The pointer: ``request.meta["warc"]`` (``response.meta["warc"]`` once the engine attaches the
request to its response) is set to the response (or revisit) record's `WarcPointer` as a plain
dict: ``file`` (the name in the WARC directory), ``offset``, ``record_id``, ``date``,
``payload_digest``, for the spider to put in the fetch log. ``process_request`` removes a pointer
a request inherited (a redirect or retry copies its meta), so a pointer always describes the
response to that very request.

Files: one set per crawl, named after ``WARC_PREFIX``, the crawl id (the stats value
``archive/crawl_id``, which the archive pipeline sets when the spider opens; 0 without it) and
the time the middleware was built, opened at the first response and closed on ``spider_closed``.

A failed write (disk full, permissions) does not stop the crawl: the page is archived without a
pointer, ``warc/errors`` counts it, and the first error of each kind is logged (at ERROR); the
next fetch goes to a new file (crawler/warcfiles.py says why that is safe).

Settings read (once, when the middleware is built):
- ``WARC_ENABLED`` (default True): False disables the middleware (NotConfigured);
- ``WARC_DIR`` (default "": a ``warc`` folder beside the ``ARCHIVE_DB`` file);
- ``WARC_MAX_SIZE`` (bytes, default 1_000_000_000): a file this large is closed and the next
  started (0: never);
- ``WARC_PREFIX`` (default "": the ``ARCHIVE_DB`` file's stem, e.g. ``police``);
- ``ROBOTSTXT_OBEY`` and ``USER_AGENT``, for the warcinfo records.

Stats: ``warc/records`` (records written, one warcinfo per file included), ``warc/bytes`` (bytes
written to WARC files), ``warc/files`` (files started), ``warc/revisits`` (304s written as
revisits), ``warc/errors`` (fetches not written).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.warcfiles import Exchange, WarcPointer, WarcWriterSet

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.http.headers import Headers
    from scrapy.statscollectors import StatsCollector

__all__ = ["WarcMiddleware", "WarcPointer", "WarcWriterSet", "exchange_of"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_SIZE = 1_000_000_000
TRUNCATED = {"dataloss": "disconnect", "download_stopped": "unspecified"}  # flag: WARC-Truncated


def header_pairs(headers: Headers) -> list[tuple[str, str]]:
    """Scrapy headers as (name, value) pairs, a name repeated for each of its values."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def revisit_reference(value: Any) -> dict[str, str] | None:
    """The ``revisit_of`` meta value, if it is a mapping: its string values."""
    if not isinstance(value, Mapping):
        return None
    return {str(k): v for k, v in value.items() if isinstance(v, str) and v}


def exchange_of(request: Request, response: Response) -> Exchange:
    """The fetch of `request` that got `response`, as crawler/warcfiles.py writes it."""
    truncated = next((TRUNCATED[f] for f in response.flags if f in TRUNCATED), None)
    return Exchange(
        url=response.url,
        status=response.status,
        response_headers=header_pairs(response.headers),
        body=response.body,
        method=request.method,
        request_headers=header_pairs(request.headers),
        request_body=request.body,
        protocol=response.protocol or "HTTP/1.1",
        ip_address=str(response.ip_address) if response.ip_address else None,
        truncated=truncated,
        revisit_of=revisit_reference(request.meta.get("revisit_of")),
    )


class WarcMiddleware:
    """Writes every response and its request to WARC files (see the module docstring)."""

    def __init__(
        self,
        stats: StatsCollector,
        directory: Path,
        *,
        prefix: str,
        max_size: int = DEFAULT_MAX_SIZE,
        robots: str = "obey",
        info: Mapping[str, str] | None = None,
    ):
        self.stats = stats
        self.directory = directory
        self.prefix = prefix
        self.max_size = max_size
        self.robots = robots
        self.info = dict(info or {})
        self.started = datetime.now(UTC)
        self.writer: WarcWriterSet | None = None  # built at the first response
        self._logged: set[type[BaseException]] = set()  # kinds of write errors logged

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC_ENABLED is False")
        assert crawler.stats is not None
        database = Path(settings.get("ARCHIVE_DB") or "")
        user_agent = settings.get("USER_AGENT")
        middleware = cls(
            crawler.stats,
            Path(settings.get("WARC_DIR") or database.parent / "warc"),
            prefix=settings.get("WARC_PREFIX") or database.stem or "crawl",
            max_size=settings.getint("WARC_MAX_SIZE", DEFAULT_MAX_SIZE),
            robots="obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            info={"http-header-user-agent": user_agent} if user_agent else None,
        )
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        request.meta.pop("warc", None)  # inherited from the request this one was copied from

    def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags:
            return response
        writer = self._writer()
        try:
            pointer = writer.write(exchange_of(request, response))
        except Exception as exc:  # a capture that failed must not stop the crawl
            self._failed(exc, response.url)
            return response
        request.meta["warc"] = pointer.as_dict()
        self.stats.set_value("warc/records", writer.records)
        self.stats.set_value("warc/bytes", writer.bytes)
        self.stats.set_value("warc/files", writer.files)
        if writer.revisits:
            self.stats.set_value("warc/revisits", writer.revisits)
        return response

    def spider_closed(self) -> None:
        if self.writer is None:
            return
        self.writer.close()
        if self.writer.records:
            logger.info(
                "WARC capture: %(records)d records in %(files)d file(s) under %(directory)s",
                {
                    "records": self.writer.records,
                    "files": self.writer.files,
                    "directory": self.directory,
                },
            )

    def _writer(self) -> WarcWriterSet:
        if self.writer is None:
            self.writer = WarcWriterSet(
                self.directory,
                prefix=self.prefix,
                crawl_id=int(self.stats.get_value("archive/crawl_id", 0) or 0),
                max_size=self.max_size,
                started=self.started,
                robots=self.robots,
                info=self.info,
            )
        return self.writer

    def _failed(self, exc: Exception, url: str) -> None:
        self.stats.inc_value("warc/errors")
        if type(exc) in self._logged:
            return
        self._logged.add(type(exc))
        logger.error(
            "Could not write %(url)s to the WARC files under %(directory)s: %(error)s "
            "(the crawl goes on; warc/errors counts the fetches not written)",
            {"url": url, "directory": self.directory, "error": exc},
            exc_info=not isinstance(exc, OSError),  # a bug, not the disk: its traceback
        )
