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
- an archived article whose comment thread (its `comments` link in `links`) was never fetched,
  or last failed for a reason worth another try, is not done: its thread is requested, as if
  followed from the article (`FollowPolicy.threads`), the article is not. So a backfill stopped
  before its articles' threads came (``--max-pages``, whose crawl finishes and is not resumed; a
  killed one, when another crawl ran since) is finished by running it again, nothing fetched
  twice; a killed or interrupted one is resumed from its frontier besides (crawler/spiders);
- the rest are seeds expected to be articles, queued in the crawl's frontier a batch at a time
  (with the threads), and requested as the downloader has room: Scrapy reads ``start()`` as fast
  as the scheduler takes requests, so while the engine needs to back out the seeding waits for
  the scheduler to run empty. Whatever the range, one batch of requests is in memory;
- the crawl's budget (``MAX_PAGES``) ends the seeding once spent.

Otherwise the crawl is an ordinary one: the same spider, politeness (robots.txt, DOWNLOAD_DELAY,
AutoThrottle), fetch log and summary. What it follows from its seeds is ``FOLLOW_FROM_SEEDS``
(crawler/follow.py: `police-archive backfill` turns it off but with ``--follow``). An id the site
answers 404 or 410 for is recorded as any such fetch is (outcome ``failed``, reason ``http_404``),
and counted apart in the summary ("N ids had no article"): ids the site never used or took down
are no failures of the crawl. They are counted in the archive once the crawl is over
(`missing_ids`: the crawl's 404 and 410 fetches of the site's URLs by id), as the summary's other
counts are, so a resumed backfill counts those of its interrupted part too.

Stats: ``backfill/range`` (the site and ids), ``backfill/url`` (the canonical URL by id, ``{id}``
for the id), ``backfill/ids`` (ids in the range), ``backfill/archived`` and ``backfill/gone``
(ids skipped), ``backfill/seeded`` (ids requested), ``backfill/threads`` (comment threads of
archived articles requested); and at the end ``archive/counted/missing_ids/<reason>``
(`missing_ids`: by ``http_404`` or ``http_410``).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler

from archive.lookup import ArchiveLookup
from archive.records import Link, PageKind
from crawler.follow import FollowPolicy, Step
from crawler.items import QueueItem
from pages.profiles import Profiles
from pages.urls import canonical_url

__all__ = ["BATCH", "MAX_IDS", "Backfill", "BackfillError", "BackfillSeeds", "missing_ids", "plan"]

logger = logging.getLogger(__name__)

# The most ids one backfill takes: 50 years of Police Oracle at 2,000 a year. What a range costs
# is in README.md ("Backfilling").
MAX_IDS = 100_000
BATCH = 500  # ids looked up in the archive, and queued in the frontier, at a time
MISSING = "archive/counted/missing_ids/"  # the stats of the ids without an article, by reason
_SENTINEL = 987_654_321_012_345  # an id no URL holds otherwise
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

    def canonical_template(self, profiles: Profiles) -> str:
        """The canonical URL of the article by id (the URLs requested), ``{id}`` for the id."""
        return canonical_url(self.url(_SENTINEL), profiles).replace(str(_SENTINEL), "{id}")


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


class Batch(NamedTuple):
    """A batch of ids: the URLs to request, and the archived articles' threads not fetched."""

    urls: list[str]
    threads: list[tuple[str, Link]]  # (the article's URL, its comment link)


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

    def batches(self) -> Iterator[Batch]:
        """The canonical URLs to request and the threads to fetch, a batch of ids at a time,
        lazily; counts the ids skipped."""
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("backfill/range", self.backfill.describe())
        stats.set_value("backfill/url", self.backfill.canonical_template(self.profiles))
        stats.set_value("backfill/ids", len(self.backfill.ids))
        ids = iter(self.backfill.ids)
        while batch := list(islice(ids, BATCH)):
            urls = [canonical_url(self.backfill.url(i), self.profiles) for i in batch]
            archived: set[str] = set()
            gone: set[str] = set()
            threads: list[tuple[str, Link]] = []
            if self.lookup is not None:
                archived = self.lookup.archived(urls)
                if not self.backfill.retry_missing:
                    gone = self.lookup.gone(u for u in urls if u not in archived)
                if archived:
                    threads = self.lookup.unfetched_threads(u for u in urls if u in archived)
            stats.inc_value("backfill/archived", len(archived))
            stats.inc_value("backfill/gone", len(gone))
            yield Batch([u for u in urls if u not in archived and u not in gone], threads)

    async def start(
        self, request: Callable[[Step], scrapy.Request]
    ) -> AsyncIterator[QueueItem | scrapy.Request]:
        """The seeds' frontier items and requests (`request` makes one), paced by the engine."""
        stats = self.crawler.stats
        assert stats is not None
        for batch in self.batches():
            threads = self.policy.threads(batch.threads)
            seeds = self.policy.seeds(batch.urls, expected=PageKind.ARTICLE)
            stats.inc_value("backfill/threads", len(threads))
            stats.inc_value("backfill/seeded", len(seeds))
            if steps := [*threads, *seeds]:
                yield QueueItem(tuple(steps))
            for step in steps:
                await self._room()
                yield request(step)
            if self.policy.budget_spent:
                return

    async def _room(self) -> None:
        """Wait, while the engine needs to back out, until the scheduler has run empty."""
        engine = self.crawler.engine
        if engine is not None and engine.running and engine.needs_backout():
            await self.crawler.signals.wait_for(signals.scheduler_empty)


def missing_ids(stats: Mapping[str, Any], db: str) -> dict[str, int]:
    """For a finished backfill's `stats` (none for another crawl): its ids without an article
    (404 or 410), counted in the archive `db` (``archive/counted/missing_ids/<reason>``)."""
    template, crawl_id = stats.get("backfill/url"), stats.get("archive/crawl_id")
    if not template or crawl_id is None:
        return {}
    try:
        with ArchiveLookup(db) as lookup:
            counts = lookup.missing_ids(int(crawl_id), template)
    except sqlite3.Error as exc:
        logger.error("could not count the backfill's ids without an article in %s: %s", db, exc)
        return {}
    return {MISSING + reason: n for reason, n in counts.items()}
