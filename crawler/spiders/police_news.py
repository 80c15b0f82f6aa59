"""The police-news spider: requests and link following only.

Starts from article or listing URLs and follows what leads to articles: each article's In Other
News box, its More News link and comment thread, and listing pagination. Which links those are is
decided by the site profile when the page is parsed (crawler/extract.py, in worker processes);
this module only turns them into requests and every fetch, failed or not, into a `PageItem`.

Spider arguments: ``start`` (one URL or several, comma-separated; the CLI passes a list).
Settings read: ``EXTRACT_WORKERS`` (see crawler/workers.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import Response
from twisted.python.failure import Failure

from archive.records import (
    ARTICLE_FETCHED,
    COMMENTS_FETCHED,
    FAILED,
    LISTING_FETCHED,
    NOT_ARTICLE,
    Article,
    CommentThread,
    NotAnArticle,
    Page,
)
from crawler.failures import failure_reason
from crawler.items import Fetch, PageItem
from crawler.workers import PageParser
from pages.urls import canonical_url


def _outcome(page: Page) -> str:
    if isinstance(page, Article):
        return ARTICLE_FETCHED
    if isinstance(page, CommentThread):
        return COMMENTS_FETCHED
    return LISTING_FETCHED


class PoliceNewsSpider(scrapy.Spider):
    name = "police_news"
    parser: PageParser  # set in from_crawler: the extraction pool lives as long as the crawl

    def __init__(self, start: str | list[str] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        urls = start.split(",") if isinstance(start, str) else list(start or [])
        self.seeds = [canonical_url(u.strip()) for u in urls if u.strip()]
        if not self.seeds:
            raise ValueError("no start URL: pass -a start=URL[,URL...]")
        self.parsed: set[str] = set()  # canonical URLs of pages parsed in this crawl

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.parser = PageParser(crawler.settings.getint("EXTRACT_WORKERS"))
        crawler.signals.connect(spider._close_parser, signal=signals.spider_closed)
        return spider

    def _close_parser(self) -> None:
        self.parser.close()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.seeds:
            yield self._request(url, "seed")

    def _request(self, url: str, section: str) -> scrapy.Request:
        return scrapy.Request(url, self.parse, errback=self.failed, meta={"section": section})

    async def parse(self, response: Response) -> AsyncIterator[PageItem | scrapy.Request]:
        try:
            page = await self.parser.parse(response.url, response.body, _content_type(response))
        except NotAnArticle as exc:
            yield PageItem(_fetched(response, NOT_ARTICLE, exc.reason))
            return
        self.parsed.add(canonical_url(response.url))
        if isinstance(page, Article):
            self.parsed.add(page.url)  # its <link rel=canonical>, when that differs
        yield PageItem(_fetched(response, _outcome(page)), page)
        for link in page.links:
            if link.to_url not in self.parsed:
                yield self._request(link.to_url, link.section)

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        reason, transient = failure_reason(failure.value)
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        yield PageItem(
            Fetch(
                url=_requested_url(request, request.url),
                final_url=request.url,
                outcome=FAILED,
                status=response.status if response is not None else None,
                size=len(response.body) if response is not None else None,
                reason=reason,
                retry_later=transient,
            )
        )


def _fetched(response: Response, outcome: str, reason: str | None = None) -> Fetch:
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
