"""Downloader middleware: robots.txt before any request to a host, for every request waiting on it.

`RobotsTxtMiddleware` replaces Scrapy 2.19's middleware of the same name (same settings, stats
and ``robots_parsed`` signal) and fixes how requests wait for a host's robots.txt.

The upstream bug: the first request to a host starts the robots.txt download and stores a shared
Deferred; every other request to the host arriving meanwhile awaits that one Deferred through
``maybe_deferred_to_future``, i.e. ``Deferred.asFuture``. asFuture's callback returns None, so
it hands the parser to the first waiter and None (the value of "no robots.txt": everything
allowed) to every later one. Measured with ``Disallow: /`` and 10 seeds: 8 of them fetched.
Here each waiter gets a Deferred of its own, fired by a callback that passes the parser on, so
every waiter gets it (and cancelling one waiter, e.g. at shutdown, cancels only that one).

A robots.txt that cannot be downloaded (refused, timed out, unresolvable...) is treated as Scrapy
treats it: as no robots.txt, everything allowed. It is said in one warning line per host, naming
the robots.txt URL and the error, without a traceback (Scrapy logs an error naming the page that
asked, with the chained traceback of the download error: 160 lines of stderr for an unreachable
host); the retry middleware's give-up for the robots.txt request is at DEBUG level, this warning
says it instead.

A refused request raises `RobotsTxtDisallowed`, an `IgnoreRequest`: the fetch log's reason
(``robots_disallowed``) comes from that type (crawler/failures.py), never from the message.

Settings read (once, when the middleware is built; all Scrapy's own): ``ROBOTSTXT_OBEY``,
``ROBOTSTXT_USER_AGENT``, ``USER_AGENT``, ``ROBOTSTXT_PARSER``.

Stats: Scrapy's ``robotstxt/request_count``, ``robotstxt/response_count``,
``robotstxt/response_status_count/<status>``, ``robotstxt/exception_count/<type>`` and
``robotstxt/forbidden``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

if TYPE_CHECKING:
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)


class RobotsTxtDisallowed(IgnoreRequest):
    """The site's robots.txt forbids the URL (fetch log reason ``robots_disallowed``)."""

    def __init__(self, url: str):
        super().__init__(f"Forbidden by robots.txt: {url}")
        self.url = url

    def __reduce__(self):
        return (type(self), (self.url,))


def relay_to(waiter: Deferred) -> Any:
    """A callback for a shared Deferred that fires `waiter` with the shared result and passes
    that result on unchanged to the next callback (unlike ``asFuture``'s, which returns None)."""

    def relay(result: Any) -> Any:
        if not waiter.called:  # a cancelled waiter has been called already
            if isinstance(result, Failure):
                waiter.errback(result)
            else:
                waiter.callback(result)
        return result

    return relay


def describe_error(exc: BaseException) -> str:
    """An exception in one line: its type and message."""
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware with every waiting request served, typed refusals and a one
    line warning for a robots.txt that cannot be fetched (see the module docstring)."""

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if rp is None:
            return
        useragent: str | bytes | None = self._robotstxt_useragent
        if not useragent:
            useragent = request.headers.get(b"User-Agent", self._default_useragent)
            assert useragent is not None
        if not rp.allowed(request.url, useragent):
            logger.debug(
                "Forbidden by robots.txt: %(request)s",
                {"request": request},
                extra={"spider": self.crawler.spider},
            )
            self._stats.inc_value("robotstxt/forbidden")
            raise RobotsTxtDisallowed(request.url)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            await self._fetch_robots(f"{url.scheme}://{netloc}/robots.txt", netloc, request)
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            # Not `await maybe_deferred_to_future(parser)` as upstream: see the module docstring.
            waiter: Deferred[RobotParser | None] = Deferred()
            parser.addBoth(relay_to(waiter))
            return await maybe_deferred_to_future(waiter)
        return parser

    async def _fetch_robots(self, robots_url: str, netloc: str, request: Request) -> None:
        """Download and parse a host's robots.txt; fires the host's Deferred either way."""
        robots_request = Request(
            robots_url,
            priority=self.DOWNLOAD_PRIORITY,
            # the warning below says it when retries give up
            meta={"dont_obey_robotstxt": True, "give_up_log_level": logging.DEBUG},
            callback=NO_CALLBACK,
        )
        try:
            response = await self.crawler.engine.download_async(robots_request)
            await self._parse_robots(response, netloc, request)
        except Exception as exc:
            if not isinstance(exc, IgnoreRequest):
                logger.warning(
                    "Could not fetch %(robots)s (%(error)s): crawling %(netloc)s as if it had "
                    "no robots.txt",
                    {"robots": robots_url, "error": describe_error(exc), "netloc": netloc},
                    extra={"spider": self.crawler.spider},
                )
            self._robots_error(exc, netloc)
        self._stats.inc_value("robotstxt/request_count")
