"""The police-news spider: requests, and what becomes of each response.

Starts from article or listing URLs and follows what leads to articles: each article's In Other
News box, its More News link and comment thread, and listing pagination. Which links those are
is found in each page (pages/, in the worker processes of crawler/workers.py); which of them are
followed is the crawl's follow policy (crawler/follow.py: the crawl's sites, crawler/boundary.py,
and its bounds). Every fetch, failed or not, becomes one `PageItem` for the pipeline.

Spider arguments: ``start`` (one URL or several, comma-separated; the CLI passes a list);
``backfill``, seeds by article id (crawler/backfill.py: a `Backfill`, or ``SITE:FIRST-LAST``).

The crawl also starts from what earlier crawls left undone, read from the archive when the spider
is built (so `scrapy crawl` and `police-archive crawl` start from the same seeds): the URLs of the
retry queue (transient failures, pages lost with a failed write) and, when the latest crawl did
not finish (killed, stopped by a failed write), that crawl: it is resumed, under its own id, from
its frontier in the archive (archive/frontier.py: the pages it queued and never stored are
requested, none it stored). An archive of an older release without a frontier gives its seeds.

A crawl into an archive that holds pages already is a recurring crawl (crawler/revisits.py):
requests carry the archived capture's validators, a 304 is recorded as ``not_modified`` and the
page's archived links are followed as if it had been downloaded; archived articles are requested
only when the revisit policy says they are due, and the due ones no link leads to are seeded.

The spider holds the archive's crawl lock (archive/lock.py) from when it is built until the
engine stops: a second crawl of the same archive is refused with a clear message.

When MAX_PAGES is spent, the requests already made complete and the crawl ends with the finish
reason ``closespider_pagecount``.

Settings read: ``ARCHIVE_DB``, ``ARCHIVE_RETRY_FAILED`` (re-seed from the archive; default True),
``ARCHIVE_RESUME`` (resume an unfinished crawl; default True), ``REVISIT_POLICY``,
``PROFILES_DIRS`` and ``PROFILE_LOCALHOST_MIRRORS`` (pages/profiles.py), ``RELATED_DEPTH_LIMIT``,
``PAGINATION_LIMIT``, ``TRAP_PATIENCE``, ``MAX_PAGES``, ``FOLLOW_FROM_SEEDS`` (crawler/follow.py),
``EXTRACT_WORKERS`` (crawler/workers.py).

Stats: ``links/found`` (links the pages offered in the sections followed), ``links/followed``,
``bounds/<bound>`` (links not followed because of a bound), ``pages/<kind>`` (pages read, by
kind), ``pages/layout_miss`` (pages of a profiled site its layouts did not read).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from archive import lock
from archive.lock import ArchiveLocked
from archive.lookup import ArchiveLookup, StoredPage
from archive.records import (
    OUTCOME_OF_KIND,
    Article,
    CommentThread,
    Fetch,
    Listing,
    NotAnArticle,
    Outcome,
    Page,
    kind_of,
)
from archive.store import Archive, ArchiveError
from crawler.backfill import Backfill, BackfillSeeds
from crawler.backfill import parse as parse_backfill
from crawler.boundary import SiteBoundary
from crawler.failures import failure_reason
from crawler.follow import SEED, FollowPolicy, Step
from crawler.items import PageItem, QueueItem
from crawler.revisits import DEFAULT_POLICY, RevisitPolicy
from crawler.workers import PageParser
from pages.profiles import Profiles, load_profiles
from pages.urls import canonical_url


class PoliceNewsSpider(scrapy.Spider):
    name = "police_news"
    # a conditional request's answer: the archived capture stands (not an error)
    handle_httpstatus_list = [304]
    parser: PageParser  # set in from_crawler: the extraction pool lives as long as the crawl
    policy: FollowPolicy
    boundary: SiteBoundary  # read by crawler.boundary.BoundaryMiddleware
    revisit: RevisitPolicy

    def __init__(
        self,
        start: str | list[str] | None = None,
        backfill: Backfill | str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.start_urls_given = start.split(",") if isinstance(start, str) else list(start or [])
        self.backfill_given = backfill
        self.backfill: BackfillSeeds | None = None  # the seeds by id, when a backfill
        self.profiles: Profiles = ()
        self.seeds: list[str] = []
        self.lookup: ArchiveLookup | None = None  # read by crawler.revisits
        self.resume_id: int | None = None  # the unfinished crawl this one resumes
        self.pending: list[Step] = []  # its pages queued and never stored
        self.now = datetime.now(UTC)
        self._locked: str | None = None

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.profiles = load_profiles(
            settings.getlist("PROFILES_DIRS"),
            localhost_mirrors=settings.getbool("PROFILE_LOCALHOST_MIRRORS"),
        )
        spider.revisit = RevisitPolicy.parse(settings.get("REVISIT_POLICY") or DEFAULT_POLICY)
        backfill = spider.backfill_given
        if isinstance(backfill, str):
            backfill = parse_backfill(backfill, spider.profiles)  # BackfillError: says why
        urls = [u.strip() for u in spider.start_urls_given if u.strip()]
        queued: list[tuple[str, str]] = []
        if db := settings.get("ARCHIVE_DB"):
            lock.acquire(db)  # ArchiveLocked: another crawl is writing the archive
            spider._locked = db
            crawler.signals.connect(spider._unlock, signal=signals.engine_stopped)
            urls, queued = spider._recall(db, urls, settings)
        spider.seeds = list(dict.fromkeys(canonical_url(u, spider.profiles) for u in urls))
        if not spider.seeds and not spider.pending and backfill is None:
            raise ValueError("no start URL: pass -a start=URL[,URL...] or -a backfill=SITE:A-B")
        sites = [*spider.seeds, *([backfill.url(backfill.first)] if backfill else [])]
        spider.boundary = SiteBoundary(sites, spider.profiles)
        spider.policy = FollowPolicy(
            spider.boundary,
            depth_limit=settings.getint("RELATED_DEPTH_LIMIT"),
            pagination_limit=settings.getint("PAGINATION_LIMIT"),
            trap_patience=settings.getint("TRAP_PATIENCE"),
            max_pages=settings.getint("MAX_PAGES"),
            from_seeds=settings.getbool("FOLLOW_FROM_SEEDS", True),
            due=spider._due if spider.lookup is not None else None,
        )
        spider.policy.resume(queued)
        if backfill is not None:
            spider.backfill = BackfillSeeds(
                backfill, crawler, spider.policy, spider.lookup, spider.profiles
            )
        spider.parser = PageParser(
            settings.getint("EXTRACT_WORKERS"),
            profile_dirs=settings.getlist("PROFILES_DIRS"),
            localhost_mirrors=settings.getbool("PROFILE_LOCALHOST_MIRRORS"),
        )
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    def _recall(
        self, db: str, urls: list[str], settings: Any
    ) -> tuple[list[str], list[tuple[str, str]]]:
        """What the archive says about this crawl: an unfinished crawl to resume, the URLs to
        retry, and a lookup for the recurring crawl. Returns the seeds and the resumed crawl's
        queued (url, section)."""
        queued: list[tuple[str, str]] = []
        try:
            with Archive.open(db) as archive:
                if settings.getbool("ARCHIVE_RESUME", True):
                    self.resume_id = archive.unfinished_crawl()
                if self.resume_id is not None:
                    self.pending = [Step.of(q) for q in archive.pending(self.resume_id)]
                    queued = archive.queued(self.resume_id)
                if settings.getbool("ARCHIVE_RETRY_FAILED"):
                    urls = urls + archive.retry_urls()
                if self.resume_id is not None or settings.getbool("ARCHIVE_RETRY_FAILED"):
                    urls = urls + archive.unfinished_seeds()  # their sites are the crawl's
            self.lookup = ArchiveLookup(db)
        except ArchiveLocked:
            raise
        except ArchiveError:
            pass  # the pipeline opens it next, and says why it cannot
        return urls, queued

    def _unlock(self) -> None:
        if self._locked:
            lock.release(self._locked)
            self._locked = None

    def _due(self, url: str) -> bool:
        """Whether a link to `url` is followed as far as revisits go: not an archived article,
        or one due for a visit."""
        assert self.lookup is not None
        dates = self.lookup.article_dates(url)
        return dates is None or self.revisit.due(dates, self.now)

    def _closed(self) -> None:
        self.parser.close()
        if self.lookup is not None:
            self.lookup.close()
        for bound, count in self.policy.bounds.items():
            self.crawler.stats.set_value(f"bounds/{bound}", count)

    def _idle(self) -> None:
        if self.policy.budget_spent:  # every page the budget allowed has been fetched
            raise CloseSpider("closespider_pagecount")

    async def start(self) -> AsyncIterator[scrapy.Request | QueueItem]:
        if self.resume_id is not None:
            self.crawler.stats.set_value("archive/resumed", len(self.pending))
        steps = self.policy.seeds(self.seeds)
        if self.lookup is not None:
            due = [
                (d.url, d.title) for d in self.lookup.articles() if self.revisit.due(d, self.now)
            ]
            revisits = self.policy.revisits(due)
            self.crawler.stats.set_value("revisit/seeded", len(revisits))
            steps += revisits
        if steps:
            yield QueueItem(tuple(steps))
        for step in [*self.pending, *steps]:
            yield self._request(step)
        if self.backfill is not None:  # lazily: a batch of ids at a time
            async for out in self.backfill.start(self._request):
                yield out

    def _request(self, step: Step) -> scrapy.Request:
        return scrapy.Request(step.url, self.parse, errback=self.failed, meta={"step": step})

    async def parse(self, response: Response) -> AsyncIterator[PageItem | scrapy.Request]:
        step: Step = response.meta.get("step") or Step(response.url, SEED)
        stats = self.crawler.stats
        if response.status == 304:
            for out in self._not_modified(response, step):
                yield out
            return
        try:
            page = await self.parser.parse(
                response.url, response.body, _content_type(response), self.policy.hint(step)
            )
        except NotAnArticle as exc:
            yield PageItem(_fetched(response, Outcome.NOT_ARTICLE, exc.reason, exc.detail))
            return
        fetched = canonical_url(response.url, self.profiles)
        self.policy.learn(step, page, fetched)
        kind = kind_of(page)
        stats.inc_value(f"pages/{kind}")
        warning = page.warning
        if warning:
            stats.inc_value(f"pages/{warning}")
        fetch = _fetched(response, OUTCOME_OF_KIND[kind], warning, page.warning_detail)
        for out in self._followed(step, page, fetch, page):
            yield out

    def _followed(
        self, step: Step, page: Page, fetch: Fetch, stored: Page | None
    ) -> Iterator[PageItem | scrapy.Request]:
        """The fetch's item (with `stored`, the record to archive), carrying the pages the
        links of `page` lead to, then their requests."""
        steps = self.policy.follow(page, step)
        self.crawler.stats.inc_value("links/found", len(page.links))
        self.crawler.stats.inc_value("links/followed", len(steps))
        yield PageItem(fetch, stored, tuple(steps))
        for child in steps:
            yield self._request(child)

    def _not_modified(self, response: Response, step: Step) -> Iterator[PageItem | scrapy.Request]:
        """A 304: the archived capture stands; its archived links are followed as if the page
        had been downloaded."""
        stored = self.lookup.stored_page(response.url) if self.lookup is not None else None
        if stored is None:
            detail = "304 Not Modified, but the archive holds no capture of the page"
            yield PageItem(_fetched(response, Outcome.NOT_MODIFIED, detail=detail))
            return
        page = _stored(stored)
        self.policy.learn(step, page, stored.url)
        yield from self._followed(step, page, _fetched(response, Outcome.NOT_MODIFIED), None)

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
                **(_capture(response) if response is not None else {}),
            )
        )


def _stored(stored: StoredPage) -> Page:
    """The archived page, as far as following its links goes."""
    if stored.kind == "article":
        return Article(stored.url, "", "", None, "", links=stored.links)
    if stored.kind == "comments":
        return CommentThread("", (), fetched_url=stored.url, links=stored.links)
    return Listing(stored.url, links=stored.links)


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
        **_capture(response),
    )


def _capture(response: Response) -> dict[str, Any]:
    """The fetch log's pointer to the response's WARC record (crawler/warc.py), and its
    validators."""
    warc = response.meta.get("warc") or {}
    return {
        "warc_file": warc.get("file"),
        "warc_offset": warc.get("offset"),
        "warc_date": warc.get("date"),
        "payload_digest": warc.get("payload_digest"),
        "etag": _header(response, b"ETag"),
        "last_modified": _header(response, b"Last-Modified"),
    }


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _content_type(response: Response) -> str | None:
    return _header(response, b"Content-Type")


def _requested_url(request: scrapy.Request | None, default: str) -> str:
    """The URL first requested, before any redirect."""
    if request is None:
        return default
    redirects = request.meta.get("redirect_urls") or []
    return redirects[0] if redirects else request.url


def _elapsed_ms(meta: dict[str, Any]) -> int | None:
    latency = meta.get("download_latency")
    return round(latency * 1000) if latency is not None else None
