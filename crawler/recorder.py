"""A crawl's items into the open archive, without Scrapy.

What the crawl's pipeline (crawler/pipelines.py) and a distributed crawl's archive writer
(crawler/writer.py) both do.

`Recorder` starts (or resumes) the crawl's row, stores each `PageItem` as one `Archive.record`
operation and each `QueueItem` in the frontier, records where a redirect to a page already
fetched led, and at the end finishes the crawl's row and counts it from the archive's rows. A
record the archive refuses (bad data) is stored as a failed fetch with reason ``store_error``
(retried next crawl); when the archive cannot write at all (a commit fails, SQLite abandons the
batch) the recorder stops accepting writes, keeps the URLs lost, and calls its `on_stop` once:
the pipeline closes the crawl, the writer stops without acknowledging the entries.

Stats written (to anything with Scrapy's `inc_value`/`set_value`/`get_stats`: the crawler's
stats, or `Stats`): ``archive/fetches/<outcome>``, ``archive/reasons/<reason>``,
``archive/articles/new|updated|unchanged``, ``archive/comments/new``,
``archive/errors/<exception>``, ``archive/crawl_id``, ``archive/write_failed`` (the one-line
reason), ``archive/lost_urls``, ``archive/flagged`` (at most 20 "URL (flags)"), and at the end
``archive/counted/<name>`` (what the archive holds: crawler/report.py prints them).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, Protocol

from archive.records import Fetch, Outcome, Page, Reason
from archive.store import Archive, ArchiveCommitError, ArchiveError, ArchiveWriteError, Recorded
from crawler.follow import Step
from pages.tagging import gazetteer_rows

logger = logging.getLogger(__name__)


class StatsLike(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...
    def set_value(self, key: str, value: Any) -> None: ...
    def get_value(self, key: str, default: Any = None) -> Any: ...
    def get_stats(self) -> dict[str, Any]: ...


class Stats:
    """Scrapy's stats API, in a dict: for a recorder that runs without a crawler."""

    def __init__(self) -> None:
        self._stats: dict[str, Any] = {}

    def inc_value(self, key: str, count: float = 1, start: float = 0) -> None:
        self._stats[key] = self._stats.get(key, start) + count

    def set_value(self, key: str, value: Any) -> None:
        self._stats[key] = value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self._stats.get(key, default)

    def get_stats(self) -> dict[str, Any]:
        return self._stats


class Recorder:
    def __init__(self, archive: Archive, stats: StatsLike, on_stop: Callable[[], None]):
        self.archive = archive
        self.stats = stats
        self.on_stop = on_stop
        self.crawl_id = 0
        self.failed: str | None = None  # why the archive stopped accepting writes
        self.lost: list[str] = []  # URLs whose records were lost with a failed batch

    def begin(self, *, seeds: list[str], settings: dict, resume_id: int | None = None) -> int:
        """Start the crawl's row (or take up the unfinished crawl `resume_id`), and store the
        police gazetteer the articles are tagged with (their `forces` rows name its bodies)."""
        if resume_id is not None:
            self.archive.resume_crawl(resume_id)
            self.crawl_id = resume_id
        else:
            self.crawl_id = self.archive.start_crawl(seeds=seeds, settings=settings)
        self.archive.save_gazetteer(*gazetteer_rows())
        self.stats.set_value("archive/crawl_id", self.crawl_id)
        return self.crawl_id

    def queue(self, steps: Iterable[Step]) -> None:
        """Pages the crawl requests that no page led to (its seeds), into the frontier."""
        if self.failed:
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

    def record(self, fetch: Fetch, page: Page | None, queued: Iterable[Step] = ()) -> None:
        """One fetch, the page it gave and the pages it leads to, as one operation."""
        queued = tuple(queued)
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
            self.stats.inc_value(f"archive/errors/{type(exc.__cause__).__name__}")
            failed = replace(
                fetch, outcome=Outcome.FAILED, reason=Reason.STORE_ERROR, detail=str(exc)[:500]
            )
            self.record(failed, None, queued)
            return
        self._count(fetch, result)

    def redirect_dropped(self, redirects: list[str], url: str, *, on_site: bool) -> None:
        """A redirect from redirects[0] (through `redirects`) to `url`, a page already fetched
        in this crawl: the fetch log says where the old URL led, and (not a loop, on the
        crawl's sites) the old URL becomes another URL of that page: links to it are links
        there."""
        loop = url in redirects
        fetch = Fetch(
            url=redirects[0],
            final_url=url,
            outcome=Outcome.FAILED if loop else Outcome.NOT_ARTICLE,
            reason=Reason.REDIRECT_LOOP if loop else Reason.REDIRECT_TO_SEEN,
        )
        self.record(fetch, None)
        if not loop and on_site and not self.failed:
            try:
                self.archive.add_alias(redirects[0], url, crawl_id=self.crawl_id)
            except ArchiveError as exc:
                logger.error("could not record %s as an alias of %s: %s", redirects[0], url, exc)

    def _count(self, fetch: Fetch, result: Recorded) -> None:
        stats = self.stats
        stats.inc_value(f"archive/fetches/{fetch.outcome}")
        if fetch.reason:
            stats.inc_value(f"archive/reasons/{fetch.reason}")
        if result.article:
            stats.inc_value(f"archive/articles/{result.article}")
        if result.new_comments:
            stats.inc_value("archive/comments/new", result.new_comments)

    def _stop(self, exc: ArchiveError, lost: list[str]) -> None:
        """The archive cannot write: stop at once, and remember the URLs lost."""
        first = self.failed is None
        self.failed = f"the archive {self.archive.path} cannot be written: {exc}"
        self.lost.extend(u for u in lost if u)
        logger.error("%s; stopping the crawl", self.failed)
        self.stats.set_value("archive/write_failed", self.failed)
        if first:
            self.on_stop()

    def finish(self, reason: str, *, keep_lost: bool = True) -> dict[str, int] | None:
        """Record the end of the crawl (its counts counted from the archive's rows, kept in the
        stats as ``archive/counted/<name>``) and close the archive. `keep_lost`: queue the URLs
        of a lost batch for the next crawl (the pipeline; the writer's lost entries are simply
        not acknowledged, and delivered again). Returns the counts, None when they could not
        be counted."""
        archive, stats = self.archive, self.stats
        counts: dict[str, int] | None = None
        try:
            if self.failed and keep_lost:
                self._keep_lost()
            counts = archive.finish_crawl(
                self.crawl_id, finish_reason=reason, stats=stats.get_stats()
            )
        except ArchiveError as exc:
            if not self.failed:
                self.failed = f"the archive {archive.path} cannot be written: {exc}"
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
        return counts

    def _keep_lost(self) -> None:
        """Queue the URLs of the lost batch for the next crawl, if the archive lets us now."""
        lost = list(dict.fromkeys(self.lost))
        logger.error(
            "%d page(s) were fetched but not stored; the next crawl fetches them again: %s",
            len(lost),
            " ".join(lost[:20]) + (" ..." if len(lost) > 20 else ""),
        )
        try:
            for url in lost:
                self.archive.queue_retry(url, reason=Reason.STORE_ERROR, crawl_id=self.crawl_id)
            self.archive.flush()
        except ArchiveError as exc:
            logger.error("could not queue them for retry either: %s", exc)
