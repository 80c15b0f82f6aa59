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
(crawler/report.py prints them).

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
import sqlite3
from dataclasses import replace
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from archive.records import Fetch, Outcome, Page, Reason
from archive.store import Archive, ArchiveCommitError, ArchiveError, ArchiveWriteError, Recorded
from crawler.follow import Step
from crawler.items import PageItem, QueueItem
from pages.tagging import gazetteer_rows

logger = logging.getLogger(__name__)

WRITE_FAILED = "archive_write_failed"  # the finish reason of a crawl stopped by a failed write


class ArchivePipeline:
    def __init__(self, crawler: Crawler, path: str, recorded: list[str]):
        self.crawler = crawler
        self.path = path
        self.recorded = recorded
        self.archive: Archive | None = None
        self.crawl_id = 0
        self.failed: str | None = None  # why the archive stopped accepting writes
        self.lost: list[str] = []  # URLs whose records were lost with a failed batch

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
        spider = self.crawler.spider
        seeds = list(getattr(spider, "seeds", []))
        resume_id = getattr(spider, "resume_id", None)
        if resume_id is not None:
            self.archive.resume_crawl(resume_id)
            self.crawl_id = resume_id
        else:
            self.crawl_id = self.archive.start_crawl(seeds=seeds, settings=recorded)
        # the police gazetteer the articles are tagged with (their `forces` rows name its bodies)
        self.archive.save_gazetteer(*gazetteer_rows())
        self.crawler.stats.set_value("archive/crawl_id", self.crawl_id)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            self._record(item.fetch, item.page, item.queued)
        elif isinstance(item, QueueItem):
            self._queue(item.steps)
        return item

    def _queue(self, steps: tuple[Step, ...]) -> None:
        if self.archive is None or self.failed:
            return
        try:
            self.archive.queue([s.queued() for s in steps], crawl_id=self.crawl_id)
        except ArchiveCommitError as exc:
            self._stop(exc, list(exc.lost_urls))
        except ArchiveWriteError as exc:
            if exc.batch_lost:
                self._stop(exc, list(self.archive.pending_urls))
            else:  # the seeds are still requested; only a resume would miss them
                logger.error("could not queue the seeds: %s", exc)

    def _record(self, fetch: Fetch, page: Page | None, queued: tuple[Step, ...] = ()) -> None:
        if self.archive is None:
            return
        if self.failed:  # the crawl is stopping: nothing more can be kept
            self.lost.append(fetch.url)
            return
        try:
            result = self.archive.record(
                fetch, page, crawl_id=self.crawl_id, queued=[s.queued() for s in queued]
            )
        except ArchiveCommitError as exc:
            self._stop(exc, [*exc.lost_urls, fetch.url])
            return
        except ArchiveWriteError as exc:
            if exc.batch_lost:
                self._stop(exc, [*self.archive.pending_urls, fetch.url])
                return
            # this record alone was refused: keep the fetch, without its page, and retry it later
            logger.error("could not store %s: %s", fetch.url, exc)
            self.crawler.stats.inc_value(f"archive/errors/{type(exc.__cause__).__name__}")
            failed = replace(
                fetch, outcome=Outcome.FAILED, reason=Reason.STORE_ERROR, detail=str(exc)[:500]
            )
            self._record(failed, None, queued)
            return
        self._count(fetch, result)

    def _count(self, fetch: Fetch, result: Recorded) -> None:
        stats = self.crawler.stats
        stats.inc_value(f"archive/fetches/{fetch.outcome}")
        if fetch.reason:
            stats.inc_value(f"archive/reasons/{fetch.reason}")
        if result.article:
            stats.inc_value(f"archive/articles/{result.article}")
        if result.new_comments:
            stats.inc_value("archive/comments/new", result.new_comments)

    def _stop(self, exc: ArchiveError, lost: list[str]) -> None:
        """The archive cannot write: stop the crawl at once, and keep the lost URLs if we can."""
        self.failed = f"the archive {self.path} cannot be written: {exc}"
        self.lost.extend(u for u in lost if u)
        logger.error("%s; stopping the crawl", self.failed)
        stats = self.crawler.stats
        stats.set_value("archive/write_failed", self.failed)
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=WRITE_FAILED))

    def request_dropped(self, request: Request) -> None:
        """A redirect to a page already fetched in this crawl: record where the old URL led."""
        redirects = request.meta.get("redirect_urls")
        if not redirects:
            return
        loop = request.url in redirects
        fetch = Fetch(
            url=redirects[0],
            final_url=request.url,
            outcome=Outcome.FAILED if loop else Outcome.NOT_ARTICLE,
            reason=Reason.REDIRECT_LOOP if loop else Reason.REDIRECT_TO_SEEN,
        )
        self._record(fetch, None)
        boundary = getattr(self.crawler.spider, "boundary", None)
        on_site = boundary is None or boundary.allows(request.url)
        if not loop and on_site and self.archive is not None and not self.failed:
            # the old URL is another URL of the page it led to: links to it are links there
            try:
                self.archive.add_alias(redirects[0], request.url, crawl_id=self.crawl_id)
            except ArchiveError as exc:
                logger.error("could not record %s as an alias of %s: %s", redirects[0],
                             request.url, exc)  # fmt: skip

    def spider_closed(self, reason: str) -> None:
        archive = self.archive
        if archive is None:
            return
        self.archive = None
        stats = self.crawler.stats
        counts: dict[str, int] | None = None
        try:
            if self.failed:
                self._keep_lost(archive)
            counts = archive.finish_crawl(
                self.crawl_id, finish_reason=reason, stats=stats.get_stats()
            )
        except ArchiveError as exc:
            if not self.failed:
                self.failed = f"the archive {self.path} cannot be written: {exc}"
                stats.set_value("archive/write_failed", self.failed)
            logger.error("could not record the end of crawl %s: %s", self.crawl_id, exc)
        breakdown: dict[str, int] = {}
        try:
            counts = counts or archive.crawl_counts(self.crawl_id)  # what the file holds
            for why, n in archive.crawl_reasons(self.crawl_id).items():
                breakdown[f"reason/{why}"] = n
            for site, n in archive.layout_misses(self.crawl_id).items():
                breakdown[f"layout_miss/{site}"] = n
            flagged = archive.flagged_articles(self.crawl_id)
            if flagged:
                named = [f"{url} ({flags})" for url, flags in list(flagged.items())[:20]]
                stats.set_value("archive/flagged", named)
        except (ArchiveError, LookupError, sqlite3.Error) as exc:
            logger.error("could not count crawl %s: %s", self.crawl_id, exc)
        finally:
            try:
                archive.close()
            except ArchiveError as exc:
                logger.error("%s", exc)
        for name, value in (counts or {}).items():
            stats.set_value(f"archive/counted/{name}", value)
        for name, value in breakdown.items():
            stats.set_value(f"archive/counted/{name}", value)
        if self.lost:
            stats.set_value("archive/lost_urls", len(set(self.lost)))

    def _keep_lost(self, archive: Archive) -> None:
        """Queue the URLs of the lost batch for the next crawl, if the archive lets us now."""
        lost = list(dict.fromkeys(self.lost))
        logger.error(
            "%d page(s) were fetched but not stored; the next crawl fetches them again: %s",
            len(lost),
            " ".join(lost[:20]) + (" ..." if len(lost) > 20 else ""),
        )
        try:
            for url in lost:
                archive.queue_retry(url, reason=Reason.STORE_ERROR, crawl_id=self.crawl_id)
            archive.flush()
        except ArchiveError as exc:
            logger.error("could not queue them for retry either: %s", exc)
