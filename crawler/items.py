"""What the spider hands to the pipeline: one `PageItem` for every URL it tried to fetch.

Every fetch becomes exactly one item, success or failure, so the archive's fetch log is complete
and every failure is stored with its reason. `Fetch` and the page records are the archive's
contract (archive/records.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.records import Fetch, Page


@dataclass(frozen=True, slots=True)
class PageItem:
    fetch: Fetch
    page: Page | None = None


__all__ = ["Fetch", "PageItem"]
