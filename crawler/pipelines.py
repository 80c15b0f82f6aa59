"""Stores every fetch and page in the SQLite archive; stops the crawl when the archive cannot
commit.

Each `PageItem` is one `Archive.record` operation (the page's rows, the fetch log's row, a
transient failure's retry-queue entry, and the crawl's frontier: the fetch done, the pages it
leads to queued; all or nothing); a `QueueItem` (the seeds) goes to the frontier. A crawl that
resumes an unfinished one (the spider's ``resume_id``) writes under that crawl's id. A record
the archive refuses (bad data) is logged as a failed fetch with reason ``store_error`` and
retried next crawl; the crawl goes on.
When the archive cannot write at all (a commit fails, SQLite abandons the batch: disk full, I/O
error), the crawl stops at once with finish reason ``archive_write_failed``: nothing more would be
kept. The URLs of the lost batch are queued for the next crawl when the archive accepts that
write, and named in the log either way; the next crawl fetches them again (its seeds include the
retry queue and, when the last crawl did not finish, that crawl's seeds: crawler/spiders).

At the end the crawl's counts are counted from the archive's rows (`Archive.finish_crawl`), so the
summary only counts what is in the file; they are kept in the stats as ``archive/counted/<name>``
(crawler/report.py prints them). What is written, and how, is crawler/recorder.py's (`Recorder`,
shared with the distributed crawl's archive writer); this class ties it to the crawl.

Settings read:
- ``ARCHIVE_DB``: path of the archive (created when missing). Empty disables the pipeline.
- ``ARCHIVE_RECORDED_SETTINGS``: the settings copied into the crawl's row in `crawls`.

Stats written (slash-separated, as Scrapy's own components do), live counters for the progress
line: ``archive/fetches/<outcome>``, ``archive/reasons/<reason>``,
``archive/articles/new|updated|unchanged``, ``archive/comments/new``,
``archive/errors/<exception>``;
and ``archive/crawl_id``, ``archive/write_failed`` (the one-line reason), ``archive/lost_urls``,
``archive/flagged`` (the articles given a flagged revision: "URL (flags)", at most 20).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from archive.store import Archive
from crawler.items import PageItem, QueueItem
from crawler.recorder import Recorder

logger = logging.getLogger(__name__)

WRITE_FAILED = "archive_write_failed"  # the finish reason of a crawl stopped by a failed write


class ArchivePipeline:
    def __init__(self, crawler: Crawler, path: str, recorded: list[str]):
        self.crawler = crawler
        self.path = path
        self.recorded = recorded
        self.recorder: Recorder | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        path = crawler.settings.get("ARCHIVE_DB")
        if not path:
            raise NotConfigured("ARCHIVE_DB is empty")
        pipeline = cls(crawler, path, crawler.settings.getlist("ARCHIVE_RECORDED_SETTINGS"))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.request_dropped, signal=signals.request_dropped)
        return pipeline

    @property
    def failed(self) -> str | None:
        """Why the archive stopped accepting writes (None while it accepts them)."""
        return self.recorder.failed if self.recorder is not None else None

    @property
    def crawl_id(self) -> int:
        return self.recorder.crawl_id if self.recorder is not None else 0

    def open_spider(self) -> None:
        settings = self.crawler.settings
        recorded = {name: settings.get(name) for name in self.recorded}
        spider = self.crawler.spider
        assert self.crawler.stats is not None
        self.recorder = Recorder(Archive.open(self.path), self.crawler.stats, self._stop)
        self.recorder.begin(
            seeds=list(getattr(spider, "seeds", [])),
            settings=recorded,
            resume_id=getattr(spider, "resume_id", None),
        )

    def process_item(self, item: Any) -> Any:
        if self.recorder is None:
            return item
        if isinstance(item, PageItem):
            self.recorder.record(item.fetch, item.page, item.queued)
        elif isinstance(item, QueueItem):
            self.recorder.queue(item.steps)
        return item

    def _stop(self) -> None:
        """The archive cannot write (crawler/recorder.py logged why): stop the crawl at once."""
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=WRITE_FAILED))

    def request_dropped(self, request: Request) -> None:
        """A redirect to a page already fetched in this crawl: record where the old URL led."""
        redirects = request.meta.get("redirect_urls")
        if not redirects or self.recorder is None:
            return
        boundary = getattr(self.crawler.spider, "boundary", None)
        on_site = boundary is None or boundary.allows(request.url)
        self.recorder.redirect_dropped(list(redirects), request.url, on_site=on_site)

    def spider_closed(self, reason: str) -> None:
        recorder, self.recorder = self.recorder, None
        if recorder is not None:
            recorder.finish(reason)
