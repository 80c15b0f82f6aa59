"""Reading an archive's history on the archive's own connection (which sees its uncommitted
batch): the methods `Archive` (archive/store.py) offers over archive/history.py and
archive/frontier.py.
"""

from __future__ import annotations

import sqlite3

from archive import frontier, history
from archive.frontier import Queued


class ArchiveReads:
    def _connection(self) -> sqlite3.Connection:
        raise NotImplementedError

    def crawl_counts(self, crawl_id: int) -> dict[str, int]:
        """The crawl's counts (COUNT_COLUMNS), counted from its rows (archive/history.py)."""
        return history.crawl_counts(self._connection(), crawl_id)

    def crawl_reasons(self, crawl_id: int) -> dict[str, int]:
        """The crawl's fetches by reason, most frequent first (archive/history.py)."""
        return history.crawl_reasons(self._connection(), crawl_id)

    def layout_misses(self, crawl_id: int) -> dict[str, int]:
        """Pages of each profiled site no layout read in the crawl (archive/history.py)."""
        return history.layout_misses(self._connection(), crawl_id)

    def retry_urls(self, *, max_attempts: int | None = None) -> list[str]:
        """Queued URLs, oldest failure first (archive/history.py)."""
        return history.retry_urls(self._connection(), max_attempts)

    def unfinished_seeds(self) -> list[str]:
        """The seeds of the latest crawl if it did not finish (archive/history.py)."""
        return history.unfinished_seeds(self._connection())

    def known_urls(self) -> set[str]:
        """URLs of the articles already stored (including the uncommitted batch)."""
        return {r[0] for r in self._connection().execute("SELECT url FROM articles")}

    def flagged_articles(self, crawl_id: int) -> dict[str, str]:
        """The articles given a flagged revision by the crawl: url -> flags."""
        return history.flagged_articles(self._connection(), crawl_id)

    def unfinished_crawl(self) -> int | None:
        """The latest crawl when it did not finish and left a frontier to resume from."""
        return frontier.unfinished_crawl(self._connection())

    def pending(self, crawl_id: int) -> list[Queued]:
        """The pages the crawl queued and never stored, in the order queued."""
        return frontier.pending(self._connection(), crawl_id)

    def queued(self, crawl_id: int) -> list[tuple[str, str]]:
        """(url, section) of every page the crawl queued, stored or not."""
        return frontier.known(self._connection(), crawl_id)
