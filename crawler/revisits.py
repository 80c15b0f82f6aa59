"""Recurring crawls: which archived articles a crawl visits again, and asking the server whether
a page changed before downloading it again.

A crawl into an archive that already holds pages is the normal case (a daily timer). Two things
keep it cheap for the site and the archive:

- **Conditional requests** (`ConditionalRequestMiddleware`): every request for a URL the archive
  holds a capture of (a 200) carries that capture's validators, ``If-None-Match`` (its ETag) and
  ``If-Modified-Since`` (its Last-Modified), read from the fetch log (archive/lookup.py). An
  unchanged page then costs a ``304 Not Modified``: the spider records it (outcome
  ``not_modified``), confirms the article as unchanged, and follows the links the archive holds
  for the page, as if it had been downloaded. The request also carries ``revisit_of`` (the
  capture's URI, WARC-Date and payload digest) for the WARC revisit record (crawler/warc.py).
- **The revisit policy** (`RevisitPolicy`): listing pages and comment threads are requested
  whenever the crawl reaches them, but an archived article only when it is due: when the time
  since it was last seen is at least the interval its age calls for. Its age runs from its
  publication date (from when it was first archived, when the page gives none). Articles not
  reached through links but due are seeded from the archive, so every archived article is
  revisited on schedule, the old ones less often. New articles are always requested.

``REVISIT_POLICY`` is a comma-separated list of ``AGE:INTERVAL`` rules, ages increasing, the
last one ``*`` (any age); durations are a number with ``s``, ``m``, ``h``, ``d`` or ``w``
(``0`` alone is zero), or ``never`` for an interval. The default,
``2d:0, 30d:1d, 365d:7d, *:30d``, revisits articles of the last two days at every crawl, those
of the last month daily, of the last year weekly, and older ones monthly. ``*:0`` revisits every
archived article at every crawl (``police-archive crawl --revisit all``), ``*:never`` none
(``--revisit none``: only new articles are fetched).

Settings read: ``REVISIT_POLICY``; ``REVISIT_CONDITIONAL`` (default True: send the validators).
Stats: ``revisit/conditional`` (requests sent with validators), ``revisit/seeded`` (due
articles seeded from the archive); links to archived articles not followed because they are not
due are the bound ``bounds/not_due`` (crawler/follow.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request

    from archive.lookup import ArchiveLookup, ArticleDates

DEFAULT_POLICY = "2d:0, 30d:1d, 365d:7d, *:30d"
POLICY_PRESETS = {"due": DEFAULT_POLICY, "all": "*:0", "none": "*:never"}

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")


class PolicyError(ValueError):
    pass


def _seconds(text: str, what: str, rule: str) -> float:
    text = text.strip().lower()
    if text == "0":
        return 0.0
    match = _DURATION.fullmatch(text)
    if match is None:
        raise PolicyError(
            f"REVISIT_POLICY rule {rule!r}: {what} {text!r} is not a duration "
            "(a number with s, m, h, d or w: 12h, 7d)"
        )
    return float(match[1]) * _UNITS[match[2]]


@dataclass(frozen=True, slots=True)
class RevisitPolicy:
    """(max age, interval) rules in seconds, by increasing age; interval inf: never."""

    rules: tuple[tuple[float, float], ...]

    @classmethod
    def parse(cls, text: str) -> RevisitPolicy:
        text = POLICY_PRESETS.get(text.strip().lower(), text)
        rules: list[tuple[float, float]] = []
        parts = [p.strip() for p in text.split(",") if p.strip()]
        for part in parts:
            age, sep, interval = part.partition(":")
            if not sep:
                raise PolicyError(f"REVISIT_POLICY rule {part!r}: expected AGE:INTERVAL")
            max_age = math.inf if age.strip() == "*" else _seconds(age, "age", part)
            every = (
                math.inf
                if interval.strip().lower() == "never"
                else _seconds(interval, "interval", part)
            )
            if rules and max_age <= rules[-1][0]:
                raise PolicyError(f"REVISIT_POLICY: ages must increase ({part!r})")
            rules.append((max_age, every))
        if not rules or rules[-1][0] != math.inf:
            raise PolicyError(f"REVISIT_POLICY {text!r}: the last rule must be *:INTERVAL")
        return cls(tuple(rules))

    def interval(self, age: float) -> float:
        """Seconds between visits of an article `age` seconds old."""
        for max_age, every in self.rules:
            if age <= max_age:
                return every
        return self.rules[-1][1]

    def due(self, dates: ArticleDates, now: datetime) -> bool:
        """Whether the archived article is due for a visit at `now`."""
        born = _parse_time(dates.published) or _parse_time(dates.first_seen) or now
        seen = _parse_time(dates.last_seen) or born
        age = max(0.0, (now - born).total_seconds())
        return (now - seen).total_seconds() >= self.interval(age)


def _parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time (a 'Z' or no zone: UTC), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ConditionalRequestMiddleware:
    """Adds the archived capture's validators to each request (see the module docstring).

    Reads the archive through the spider's ``lookup`` (an `ArchiveLookup`); does nothing for a
    spider without one, a request that already has validators, or one with meta
    ``revalidate=False``. Place it anywhere before the WARC middleware (e.g. 560)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("REVISIT_CONDITIONAL", True):
            raise NotConfigured("REVISIT_CONDITIONAL is off")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.method != "GET" or request.meta.get("revalidate") is False:
            return None
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return None
        lookup: ArchiveLookup | None = getattr(self.crawler.spider, "lookup", None)
        found = lookup.validators(request.url) if lookup is not None else None
        if found is None:
            return None
        if found.etag:
            request.headers[b"If-None-Match"] = found.etag
        if found.last_modified:
            request.headers[b"If-Modified-Since"] = found.last_modified
        request.meta["revisit_of"] = {"uri": found.uri, "date": found.date, "digest": found.digest}
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("revisit/conditional")
        return None
