"""What the spider hands to the pipeline: one `PageItem` for every URL it tried to fetch.

Every fetch becomes exactly one item, success or failure, so the archive's fetch log is complete
and every failure is stored with its reason. A page's item carries the pages it leads to, so that
the archive's frontier (what a killed crawl resumes from) is written with the page; the seeds go
in a `QueueItem`. `Fetch` and the page records are the archive's
contract (archive/records.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.records import Fetch, Page
from crawler.follow import Step


@dataclass(frozen=True, slots=True)
class PageItem:
    fetch: Fetch
    page: Page | None = None
    queued: tuple[Step, ...] = ()  # the pages it leads to, requested next (the crawl's frontier)


@dataclass(frozen=True, slots=True)
class QueueItem:
    """Pages the crawl requests that no page led to (its seeds), for the frontier."""

    steps: tuple[Step, ...]


__all__ = ["Fetch", "PageItem", "QueueItem"]
