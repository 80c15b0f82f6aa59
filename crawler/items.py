"""What the spider hands to the pipeline: one `PageItem` for every URL it tried to fetch.

Every fetch becomes exactly one item, success or failure, so the archive's fetch log is complete
and every failure is stored with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.records import Page


@dataclass(frozen=True, slots=True)
class Fetch:
    url: str  # the URL requested (after redirects: `final_url`)
    outcome: str  # one of archive.records.FETCH_OUTCOMES
    final_url: str | None = None
    status: int | None = None
    size: int | None = None
    content_type: str | None = None
    elapsed_ms: int | None = None
    reason: str | None = None  # why the page is not an article or failed, e.g. "http_404"
    retry_later: bool = False  # a transient failure: queue the URL for the next crawl


@dataclass(frozen=True, slots=True)
class PageItem:
    fetch: Fetch
    page: Page | None = None
