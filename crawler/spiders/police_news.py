"""The police-news spider: requests and link following only.

Starts from article or listing URLs and follows what leads to articles: each article's In Other
News box, its More News link and comment thread, and listing pagination. Which links those are is
decided by the site profile when the page is parsed (crawler/extract.py, in worker processes);
this module only turns them into requests and every fetch, failed or not, into a `PageItem`.

Spider arguments: ``start`` (one URL or several, comma-separated; the CLI passes a list).

The crawl also starts from what earlier crawls left undone, read from the archive when the spider
is built (so `scrapy crawl` and `police-archive crawl` start from the same seeds): the URLs of the
retry queue (transient failures, pages lost with a failed write) and, when the latest crawl did
not finish (killed, stopped by a failed write), that crawl's seeds.

Bounds: ``MAX_PAGES`` (0: none) caps the pages the crawl requests, seeds included (robots.txt,
redirect hops and retries of a page do not count): once spent, further links are counted
(``bounds/max_pages``) and not followed, the requests already made complete, and the crawl ends
with the finish reason ``closespider_pagecount``.

Settings read: ``ARCHIVE_DB``, ``ARCHIVE_RETRY_FAILED`` (re-seed from the archive; default True),
``MAX_PAGES``, ``EXTRACT_WORKERS`` (see crawler/workers.py).

Stats: ``links/found`` (followable links the pages offered), ``links/followed`` (requests made for
them), ``bounds/<bound>`` (links not followed because of a bound).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from archive.records import Article, CommentThread, Fetch, NotAnArticle, Outcome, Page
from archive.store import Archive, ArchiveError
from crawler.failures import failure_reason
from crawler.items import PageItem
from crawler.workers import PageParser
from pages.urls import canonical_url


def _outcome(page: Page) -> Outcome:
    if isinstance(page, Article):
        return Outcome.ARTICLE
    if isinstance(page, CommentThread):
        return Outcome.COMMENTS
    return Outcome.LISTING


class PoliceNewsSpider(scrapy.Spider):
    name = "police_news"
    parser: PageParser  # set in from_crawler: the extraction pool lives as long as the crawl

    def __init__(self, start: str | list[str] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        urls = start.split(",") if isinstance(start, str) else list(start or [])
        self.seeds = [canonical_url(u.strip()) for u in urls if u.strip()]
        self.parsed: set[str] = set()  # canonical URLs of pages parsed in this crawl
        self.requested: set[str] = set()  # canonical URLs the spider has requested
        self.max_pages = 0  # MAX_PAGES: the most pages the spider requests (0: no limit)
        self.budget_spent = False

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if settings.getbool("ARCHIVE_RETRY_FAILED") and settings.get("ARCHIVE_DB"):
            for url in _unfinished(settings.get("ARCHIVE_DB")):
                if (seed := canonical_url(url)) not in spider.seeds:
                    spider.seeds.append(seed)
        if not spider.seeds:
            raise ValueError("no start URL: pass -a start=URL[,URL...]")
        spider.max_pages = settings.getint("MAX_PAGES")
        spider.parser = PageParser(settings.getint("EXTRACT_WORKERS"))
        crawler.signals.connect(spider._close_parser, signal=signals.spider_closed)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    def _idle(self) -> None:
        if self.budget_spent:  # every page the budget allowed has been fetched
            raise CloseSpider("closespider_pagecount")

    def _close_parser(self) -> None:
        self.parser.close()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.seeds:
            if request := self._request(url, "seed"):
                yield request

    def _request(self, url: str, section: str) -> scrapy.Request | None:
        """The request for a page, or None when it was requested before or a bound says no."""
        if url in self.requested or url in self.parsed:
            return None
        if self.max_pages and len(self.requested) >= self.max_pages:
            self.budget_spent = True
            self.crawler.stats.inc_value("bounds/max_pages")
            return None
        self.requested.add(url)
        return scrapy.Request(url, self.parse, errback=self.failed, meta={"section": section})

    async def parse(self, response: Response) -> AsyncIterator[PageItem | scrapy.Request]:
        try:
            page = await self.parser.parse(response.url, response.body, _content_type(response))
        except NotAnArticle as exc:
            yield PageItem(_fetched(response, Outcome.NOT_ARTICLE, exc.reason, exc.detail))
            return
        self.parsed.add(canonical_url(response.url))
        if isinstance(page, Article):
            self.parsed.add(page.url)  # its <link rel=canonical>, when that differs
        yield PageItem(_fetched(response, _outcome(page)), page)
        self.crawler.stats.inc_value("links/found", len(page.links))
        for link in page.links:
            if request := self._request(link.to_url, link.section):
                self.crawler.stats.inc_value("links/followed")
                yield request

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        reason = failure_reason(failure.value)
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        yield PageItem(
            Fetch(
                url=_requested_url(request, request.url),
                final_url=request.url,
                outcome=Outcome.FAILED,
                status=response.status if response is not None else None,
                size=len(response.body) if response is not None else None,
                reason=reason,
                detail=str(failure.value)[:500],
            )
        )


def _unfinished(path: str) -> list[str]:
    """What earlier crawls into the archive at `path` left undone (see the module docstring)."""
    if not Path(path).exists():
        return []
    try:
        with Archive.open(path) as archive:
            return archive.retry_urls() + archive.unfinished_seeds()
    except ArchiveError:
        return []  # the pipeline opens it next, and says why it cannot


def _fetched(
    response: Response, outcome: Outcome, reason: str | None = None, detail: str = ""
) -> Fetch:
    """The fetch log's record of a response."""
    return Fetch(
        url=_requested_url(response.request, response.url),
        outcome=outcome,
        final_url=response.url,
        status=response.status,
        size=len(response.body),
        content_type=_content_type(response),
        elapsed_ms=_elapsed_ms(response.meta),
        reason=reason,
        detail=detail,
    )


def _content_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else None


def _requested_url(request: scrapy.Request | None, default: str) -> str:
    """The URL first requested, before any redirect."""
    if request is None:
        return default
    redirects = request.meta.get("redirect_urls") or []
    return redirects[0] if redirects else request.url


def _elapsed_ms(meta: dict[str, Any]) -> int | None:
    latency = meta.get("download_latency")
    return round(latency * 1000) if latency is not None else None
