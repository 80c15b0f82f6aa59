"""Stores every fetch and page in the SQLite archive and counts the outcomes in stats.

Settings read:
- ``ARCHIVE_DB``: path of the archive (created when missing). Empty disables the pipeline.
- ``ARCHIVE_RECORDED_SETTINGS``: the settings copied into the crawl's row in `crawls`.

Stats written (slash-separated, as Scrapy's own components do): ``archive/fetches/<outcome>``,
``archive/reasons/<reason>``, ``archive/articles/new|updated|unchanged``,
``archive/comments/new``, ``archive/errors/<exception>``.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, replace
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.records import FAILED, NOT_ARTICLE, Article, CommentThread, Listing
from archive.store import Archive
from crawler.items import Fetch, PageItem

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, crawler: Crawler, path: str, recorded: list[str]):
        self.crawler = crawler
        self.path = path
        self.recorded = recorded
        self.archive: Archive | None = None
        self.crawl_id = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        path = crawler.settings.get("ARCHIVE_DB")
        if not path:
            raise NotConfigured("ARCHIVE_DB is empty")
        pipeline = cls(crawler, path, crawler.settings.getlist("ARCHIVE_RECORDED_SETTINGS"))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.request_dropped, signal=signals.request_dropped)
        return pipeline

    def open_spider(self) -> None:
        self.archive = Archive.open(self.path)
        settings = self.crawler.settings
        recorded = {name: settings.get(name) for name in self.recorded}
        seeds = list(getattr(self.crawler.spider, "seeds", []))
        self.crawl_id = self.archive.start_crawl(seeds=seeds, settings=recorded)
        self.crawler.stats.set_value("archive/crawl_id", self.crawl_id)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or self.archive is None:
            return item
        stats = self.crawler.stats
        fetch, page = item.fetch, item.page
        try:
            if isinstance(page, Article):
                result = self.archive.save_article(page, crawl_id=self.crawl_id)
                stats.inc_value(f"archive/articles/{result}")
            elif isinstance(page, CommentThread):
                new = self.archive.save_comments(page, crawl_id=self.crawl_id)
                stats.inc_value("archive/comments/new", new)
            elif isinstance(page, Listing):
                self.archive.save_listing(page, crawl_id=self.crawl_id)
        except Exception as exc:  # one bad record must not lose the crawl: log it as a failed fetch
            logger.exception("could not store %s", fetch.url)
            stats.inc_value(f"archive/errors/{type(exc).__name__}")
            fetch = replace(fetch, outcome=FAILED, reason="store_error", retry_later=True)
        self._log(fetch)
        return item

    def _log(self, fetch: Fetch) -> None:
        assert self.archive is not None
        stats = self.crawler.stats
        stats.inc_value(f"archive/fetches/{fetch.outcome}")
        if fetch.reason:
            stats.inc_value(f"archive/reasons/{fetch.reason}")
        fields = asdict(fetch)
        retry_later = fields.pop("retry_later")
        self.archive.log_fetch(crawl_id=self.crawl_id, **fields)
        if retry_later:
            self.archive.queue_retry(fetch.url, reason=fetch.reason or "", crawl_id=self.crawl_id)

    def request_dropped(self, request: Request) -> None:
        """A redirect to a page already fetched in this crawl: record where the old URL led."""
        redirects = request.meta.get("redirect_urls")
        if not redirects or self.archive is None:
            return
        loop = request.url in redirects
        self._log(
            Fetch(
                url=redirects[0],
                final_url=request.url,
                outcome=FAILED if loop else NOT_ARTICLE,
                reason="redirect_loop" if loop else "redirect_to_seen",
            )
        )

    def spider_closed(self, reason: str) -> None:
        if self.archive is None:
            return
        stats = self.crawler.stats.get_stats()
        counts = {
            "pages_fetched": stats.get("response_received_count", 0),
            "articles_new": stats.get("archive/articles/new", 0),
            "articles_updated": stats.get("archive/articles/updated", 0),
            "articles_unchanged": stats.get("archive/articles/unchanged", 0),
            "comments_saved": stats.get("archive/comments/new", 0),
            "failures": stats.get("archive/fetches/failed", 0),
        }
        self.archive.finish_crawl(self.crawl_id, finish_reason=reason, counts=counts, stats=stats)
        self.archive.close()
        self.archive = None
