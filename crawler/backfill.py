"""Backfill: a crawl seeded with a site's articles by numeric id, for the years no link reaches.

A site profile that says where its articles are by id (`article_by_id`, pages/profiles.py; Police
Oracle's is ``https://www.policeoracle.com/news/article.cfm?id={id}``, its ids rising about
2,000 a year) can be backfilled. `plan` checks a range of ids (A to B, either way round: B below
A goes newest first) and returns a `Backfill`; the spider (crawler/spiders/police_news.py, its
argument ``backfill``: a `Backfill`, or ``SITE:A-B`` from ``scrapy crawl -a``) seeds its URLs in
that order, lazily, through `BackfillSeeds`:

- `BATCH` ids at a time: their URLs (canonical) are looked up in the archive (archive/lookup.py),
  and those of archived articles (or of aliases of one) are skipped, and those the archive knows
  are gone (the latest fetch of the URL answered 404 or 410) unless `Backfill.retry_missing`;
- the rest are seeds expected to be articles, queued in the crawl's frontier a batch at a time,
  and requested as the downloader has room: Scrapy reads ``start()`` as fast as the scheduler
  takes requests, so while the engine needs to back out the seeding waits for the scheduler to
  run empty. Whatever the range, one batch of requests is in memory, never the range's;
- the crawl's budget (``MAX_PAGES``) ends the seeding once spent.

Otherwise the crawl is an ordinary one: the same spider, politeness (robots.txt, DOWNLOAD_DELAY,
AutoThrottle), fetch log and summary. What it follows from its seeds is ``FOLLOW_FROM_SEEDS``
(crawler/follow.py: `police-archive backfill` turns it off but with ``--follow``). An id the site
answers 404 or 410 for is recorded as any such fetch is (outcome ``failed``, reason ``http_404``),
and counted apart in the summary ("N ids had no article"): ids the site never used or took down
are no failure of the crawl.

Stats: ``backfill/range`` (the site and ids), ``backfill/ids`` (ids in the range),
``backfill/archived`` and ``backfill/gone`` (ids skipped), ``backfill/seeded`` (ids requested),
``backfill/missing/404`` and ``backfill/missing/410`` (seeds the site answered so).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler

from archive.lookup import ArchiveLookup
from archive.records import PageKind
from crawler.follow import FollowPolicy, Step
from crawler.items import QueueItem
from pages.profiles import Profiles
from pages.urls import canonical_url

__all__ = ["BATCH", "MAX_IDS", "Backfill", "BackfillError", "BackfillSeeds", "plan"]

# The most ids one backfill takes: 50 years of Police Oracle at 2,000 a year. What a range costs
# is in README.md ("Backfilling").
MAX_IDS = 100_000
BATCH = 500  # ids looked up in the archive, and queued in the frontier, at a time
MISSING = (404, 410)  # the statuses of an id without an article
_SPEC = re.compile(r"^\s*([\w.-]+)\s*:\s*(\d+)\s*-\s*(\d+)\s*$")


class BackfillError(ValueError):
    """A backfill that cannot be done (the message says why, and what can)."""


@dataclass(frozen=True, slots=True)
class Backfill:
    """The ids `first` to `last` (either way round) of the site of profile `site`."""

    site: str
    template: str  # the article URL, "{id}" for the id
    first: int
    last: int
    retry_missing: bool = False  # request the ids the archive knows are gone, too

    @property
    def ids(self) -> range:
        step = 1 if self.last >= self.first else -1
        return range(self.first, self.last + step, step)

    def url(self, article_id: int) -> str:
        return self.template.replace("{id}", str(article_id))

    def describe(self) -> str:
        return f"{self.site} ids {self.first} to {self.last}"


def plan(
    site: str,
    first: int,
    last: int,
    profiles: Profiles,
    *,
    origin: str | None = None,
    retry_missing: bool = False,
) -> Backfill:
    """A backfill of ids `first` to `last` of the site of profile `site`, its URLs on `origin`
    (scheme://host[:port], a host of that site, e.g. its NAME.localhost mirror) when given;
    raises BackfillError."""
    if first < 0 or last < 0:
        raise BackfillError(f"ids are whole numbers from 0: got {first} to {last}")
    count = abs(last - first) + 1
    if count > MAX_IDS:
        raise BackfillError(
            f"ids {first} to {last} are {count:,} ids; a backfill takes at most {MAX_IDS:,} "
            "(50 years of Police Oracle): split the range"
        )
    able = sorted(p.name for p in profiles if p.article_by_id) or ["none"]
    profile = next((p for p in profiles if p.name == site), None)
    if profile is None or not profile.article_by_id:
        why = "no site profile is named" if profile is None else "the profile has no article_by_id:"
        raise BackfillError(
            f"{why} {site!r}, so its articles cannot be found by id; the profiles that can be "
            f"backfilled: {', '.join(able)} (a profile's article_by_id is the URL of the article "
            "with id {id})"
        )
    template = profile.article_by_id
    if origin:
        parts = urlsplit(origin.strip())
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or parts.path.strip("/") or parts.query:
            raise BackfillError(f"not an http(s) origin (scheme://host[:port]): {origin!r}")
        if not profile.domain_of(host):
            raise BackfillError(f"{host} is not a host of {site} ({', '.join(profile.domains)})")
        own = urlsplit(template)
        template = urlunsplit((parts.scheme, parts.netloc, own.path, own.query, own.fragment))
    return Backfill(site, template, first, last, retry_missing)


def parse(spec: str, profiles: Profiles) -> Backfill:
    """The backfill ``SITE:A-B`` (the spider argument of ``scrapy crawl -a backfill=...``)."""
    match = _SPEC.match(spec)
    if match is None:
        raise BackfillError(f"backfill: expected SITE:FIRST-LAST (policeoracle:1-99), got {spec!r}")
    return plan(match[1], int(match[2]), int(match[3]), profiles)


class BackfillSeeds:
    """The spider's seeding of a backfill (see the module docstring)."""

    def __init__(
        self,
        backfill: Backfill,
        crawler: Crawler,
        policy: FollowPolicy,
        lookup: ArchiveLookup | None,
        profiles: Profiles,
    ):
        self.backfill = backfill
        self.crawler = crawler
        self.policy = policy
        self.lookup = lookup
        self.profiles = profiles

    def batches(self) -> Iterator[list[str]]:
        """The canonical URLs to request, a batch at a time, lazily; counts the skipped ones."""
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("backfill/range", self.backfill.describe())
        stats.set_value("backfill/ids", len(self.backfill.ids))
        ids = iter(self.backfill.ids)
        while batch := list(islice(ids, BATCH)):
            urls = [canonical_url(self.backfill.url(i), self.profiles) for i in batch]
            archived: set[str] = set()
            gone: set[str] = set()
            if self.lookup is not None:
                archived = self.lookup.archived(urls)
                if not self.backfill.retry_missing:
                    gone = self.lookup.gone(u for u in urls if u not in archived)
            stats.inc_value("backfill/archived", len(archived))
            stats.inc_value("backfill/gone", len(gone))
            yield [u for u in urls if u not in archived and u not in gone]

    async def start(
        self, request: Callable[[Step], scrapy.Request]
    ) -> AsyncIterator[QueueItem | scrapy.Request]:
        """The seeds' frontier items and requests (`request` makes one), paced by the engine."""
        stats = self.crawler.stats
        assert stats is not None
        for urls in self.batches():
            steps = self.policy.seeds(urls, expected=PageKind.ARTICLE)
            stats.inc_value("backfill/seeded", len(steps))
            if steps:
                yield QueueItem(tuple(steps))
            for step in steps:
                await self._room()
                seed = request(step)
                seed.meta["backfill"] = True
                yield seed
            if self.policy.budget_spent:
                return

    async def _room(self) -> None:
        """Wait, while the engine needs to back out, until the scheduler has run empty."""
        engine = self.crawler.engine
        if engine is not None and engine.running and engine.needs_backout():
            await self.crawler.signals.wait_for(signals.scheduler_empty)

    def missing(self, request: scrapy.Request, status: int | None) -> bool:
        """Count a seed of the backfill the site answered 404 or 410; whether it was one."""
        if not request.meta.get("backfill") or status not in MISSING:
            return False
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"backfill/missing/{status}")
        return True
