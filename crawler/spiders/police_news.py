"""The police-news spider: requests, and what becomes of each response.

Starts from article or listing URLs and follows what leads to articles: each article's In Other
News box, its More News link and comment thread, and listing pagination. Which links those are
is found in each page (pages/, in the worker processes of crawler/workers.py); which of them are
followed is the crawl's follow policy (crawler/follow.py: the crawl's sites, crawler/boundary.py,
and its bounds). Every fetch, failed or not, becomes one `PageItem` for the pipeline.

Spider arguments: ``start`` (one URL or several, comma-separated; the CLI passes a list).

The crawl also starts from what earlier crawls left undone, read from the archive when the spider
is built (so `scrapy crawl` and `police-archive crawl` start from the same seeds): the URLs of the
retry queue (transient failures, pages lost with a failed write) and, when the latest crawl did
not finish (killed, stopped by a failed write), that crawl's seeds.

When MAX_PAGES is spent, the requests already made complete and the crawl ends with the finish
reason ``closespider_pagecount``.

Settings read: ``ARCHIVE_DB``, ``ARCHIVE_RETRY_FAILED`` (re-seed from the archive; default True),
``PROFILES_DIRS`` and ``PROFILE_LOCALHOST_MIRRORS`` (pages/profiles.py), ``RELATED_DEPTH_LIMIT``,
``PAGINATION_LIMIT``, ``TRAP_PATIENCE``, ``MAX_PAGES`` (crawler/follow.py), ``EXTRACT_WORKERS``
(crawler/workers.py).

Stats: ``links/found`` (links the pages offered in the sections followed), ``links/followed``,
``bounds/<bound>`` (links not followed because of a bound), ``pages/<kind>`` (pages read, by
kind), ``pages/layout_miss`` (pages of a profiled site its layouts did not read).
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

from archive.records import OUTCOME_OF_KIND, Fetch, NotAnArticle, Outcome, kind_of
from archive.store import Archive, ArchiveError
from crawler.boundary import SiteBoundary
from crawler.failures import failure_reason
from crawler.follow import SEED, FollowPolicy, Step
from crawler.items import PageItem
from crawler.workers import PageParser
from pages.profiles import Profiles, load_profiles
from pages.urls import canonical_url


class PoliceNewsSpider(scrapy.Spider):
    name = "police_news"
    parser: PageParser  # set in from_crawler: the extraction pool lives as long as the crawl
    policy: FollowPolicy
    boundary: SiteBoundary  # read by crawler.boundary.BoundaryMiddleware

    def __init__(self, start: str | list[str] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.start_urls_given = start.split(",") if isinstance(start, str) else list(start or [])
        self.profiles: Profiles = ()
        self.seeds: list[str] = []

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.profiles = load_profiles(
            settings.getlist("PROFILES_DIRS"),
            localhost_mirrors=settings.getbool("PROFILE_LOCALHOST_MIRRORS"),
        )
        urls = [u.strip() for u in spider.start_urls_given if u.strip()]
        if settings.getbool("ARCHIVE_RETRY_FAILED") and settings.get("ARCHIVE_DB"):
            urls += _unfinished(settings.get("ARCHIVE_DB"))
        spider.seeds = list(dict.fromkeys(canonical_url(u, spider.profiles) for u in urls))
        if not spider.seeds:
            raise ValueError("no start URL: pass -a start=URL[,URL...]")
        spider.boundary = SiteBoundary(spider.seeds, spider.profiles)
        spider.policy = FollowPolicy(
            spider.boundary,
            depth_limit=settings.getint("RELATED_DEPTH_LIMIT"),
            pagination_limit=settings.getint("PAGINATION_LIMIT"),
            trap_patience=settings.getint("TRAP_PATIENCE"),
            max_pages=settings.getint("MAX_PAGES"),
        )
        spider.parser = PageParser(
            settings.getint("EXTRACT_WORKERS"),
            profile_dirs=settings.getlist("PROFILES_DIRS"),
            localhost_mirrors=settings.getbool("PROFILE_LOCALHOST_MIRRORS"),
        )
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    def _closed(self) -> None:
        self.parser.close()
        for bound, count in self.policy.bounds.items():
            self.crawler.stats.set_value(f"bounds/{bound}", count)

    def _idle(self) -> None:
        if self.policy.budget_spent:  # every page the budget allowed has been fetched
            raise CloseSpider("closespider_pagecount")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for step in self.policy.seeds(self.seeds):
            yield self._request(step)

    def _request(self, step: Step) -> scrapy.Request:
        return scrapy.Request(step.url, self.parse, errback=self.failed, meta={"step": step})

    async def parse(self, response: Response) -> AsyncIterator[PageItem | scrapy.Request]:
        step: Step = response.meta.get("step") or Step(response.url, SEED)
        stats = self.crawler.stats
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
        yield PageItem(
            _fetched(response, OUTCOME_OF_KIND[kind], warning, page.warning_detail), page
        )
        steps = self.policy.follow(page, step)
        stats.inc_value("links/found", len(page.links))
        stats.inc_value("links/followed", len(steps))
        for child in steps:
            yield self._request(child)

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
