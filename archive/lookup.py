"""What a recurring crawl asks the archive as it goes: read-only lookups, no Scrapy here.

`ArchiveLookup` holds a connection of its own, for queries only (WAL mode lets it read while the
pipeline writes; each query is its own short read, so it never holds back a checkpoint) and
answers, for a URL about to be requested or just answered 304:

- `validators`: the ETag and Last-Modified of its latest capture (a 200 the archive stored a
  page from: never one whose page failed to store, which must be downloaded again), for a
  conditional request, and that capture's WARC target, date and payload digest (a 304's revisit
  record refers to it);
- `stored_page`: what its latest capture was (article, comments or listing) and the links the
  archive holds for it, so that a 304 page is followed as if it had been downloaded;
- `article_dates`: for an archived article, its publication date, when it was first archived
  and when last seen, for the crawl's revisit policy; and `articles` lists them all (the crawl
  seeds the articles due for a revisit);
- for a backfill's batch of URLs (crawler/backfill.py): those `archived` (an article's URL, or
  an alias of one), those `gone` (their latest fetch answered 404 or 410), and the
  `unfetched_threads` of the archived ones (their comment threads never fetched); and once the
  crawl is over, its `missing_ids` (the ids its fetches found no article at).

It sees what earlier crawls committed: that is all a crawl needs of it, since a crawl never
requests a URL twice.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.records import Link, Outcome, Section, is_transient
from archive.rows import GONE_REASONS, resolved

_BATCH = 500  # URLs a query asks about at once (SQLite's limit on parameters is far above)


@dataclass(frozen=True, slots=True)
class Validators:
    """The latest capture of a URL: what to send back, and what a revisit record refers to."""

    etag: str | None
    last_modified: str | None
    uri: str  # the capture's target URI (the URL as fetched)
    date: str | None  # the capture's WARC-Date (None before the WARC capture existed)
    digest: str | None  # its payload digest


@dataclass(frozen=True, slots=True)
class StoredPage:
    url: str  # the key the archive files it under (the article's URL when this is an alias)
    kind: str  # 'article', 'comments' or 'listing'
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class ArticleDates:
    url: str
    published: str | None
    first_seen: str
    last_seen: str
    title: str = ""


class ArchiveLookup:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        # not mode=ro: a read-only connection cannot create the WAL index when it is missing
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA query_only = 1")
        # An archive that held no capture when the crawl began has nothing to look up for it
        # (a crawl never requests a URL twice): a first crawl asks nothing per request.
        self.empty = self._conn.execute("SELECT 1 FROM fetches LIMIT 1").fetchone() is None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ArchiveLookup:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def validators(self, url: str) -> Validators | None:
        if self.empty:
            return None
        row = self._conn.execute(
            # a capture the archive stored a page from: a page that could not be stored must be
            # downloaded again, not confirmed by a 304
            "SELECT etag, last_modified, final_url, warc_date, payload_digest FROM fetches "
            "WHERE final_url = ? AND status = 200 "
            "AND outcome IN ('article', 'comments', 'listing') ORDER BY id DESC LIMIT 1",
            (url,),
        ).fetchone()
        if row is None or not (row[0] or row[1]):
            return None
        return Validators(*row)

    def stored_page(self, url: str) -> StoredPage | None:
        if self.empty:
            return None
        row = self._conn.execute(
            "SELECT outcome FROM fetches WHERE final_url = ? AND status = 200 "
            "AND outcome IN ('article', 'comments', 'listing') ORDER BY id DESC LIMIT 1",
            (url,),
        ).fetchone()
        if row is None:
            return None
        key = resolved(self._conn, url)
        links = tuple(
            Link(to_url, Section(section), anchor)
            for to_url, section, anchor in self._conn.execute(
                "SELECT to_url, section, anchor FROM links WHERE from_url = ? AND removed IS NULL "
                "ORDER BY rowid",
                (key,),
            )
        )
        return StoredPage(key, row[0], links)

    def article_dates(self, url: str) -> ArticleDates | None:
        if self.empty:
            return None
        row = self._conn.execute(
            "SELECT url, published, first_seen, last_seen, title FROM articles WHERE url = "
            "coalesce((SELECT url FROM url_aliases WHERE alias = :url), :url)",
            {"url": url},
        ).fetchone()
        return ArticleDates(*row) if row else None

    def articles(self) -> Iterator[ArticleDates]:
        """Every archived article, least recently seen first."""
        for row in self._conn.execute(
            "SELECT url, published, first_seen, last_seen, title FROM articles "
            "ORDER BY last_seen, url"
        ):
            yield ArticleDates(*row)

    def archived(self, urls: Iterable[str]) -> set[str]:
        """Those of `urls` that are archived articles: an article's URL or an alias of one."""
        found: set[str] = set()
        for batch in [] if self.empty else _batches(urls):
            marks = ", ".join("?" * len(batch))
            found.update(
                row[0]
                for row in self._conn.execute(
                    f"SELECT url FROM articles WHERE url IN ({marks}) UNION "
                    f"SELECT alias FROM url_aliases JOIN articles USING (url) WHERE alias IN "
                    f"({marks})",
                    batch * 2,
                )
            )
        return found

    def gone(self, urls: Iterable[str]) -> set[str]:
        """Those of `urls` whose latest fetch (as requested) failed with a 404 or 410."""
        latest = {} if self.empty else self._latest_fetches(urls)
        return {url for url, (_, reason) in latest.items() if reason in GONE_REASONS}

    def unfetched_threads(self, articles: Iterable[str]) -> list[tuple[str, Link]]:
        """The comment threads of archived articles (`articles`: their URLs or aliases) that are
        not done: never fetched, or their latest fetch failed for a reason worth another try.
        Each as (the article's URL, its `comments` link)."""
        found: list[tuple[str, str, str]] = []
        for batch in [] if self.empty else _batches(articles):
            marks = ", ".join("?" * len(batch))
            found += self._conn.execute(
                "SELECT from_url, to_url, anchor FROM links WHERE section = 'comments' "
                "AND removed IS NULL AND from_url IN (SELECT url FROM articles WHERE url IN "
                f"({marks}) UNION SELECT url FROM url_aliases WHERE alias IN ({marks})) "
                "ORDER BY rowid",
                batch * 2,
            ).fetchall()
        latest = self._latest_fetches(to_url for _, to_url, _ in found)
        return [
            (article, Link(thread, Section.COMMENTS, anchor))
            for article, thread, anchor in found
            if thread not in latest or _worth_another_try(*latest[thread])
        ]

    def _latest_fetches(self, urls: Iterable[str]) -> dict[str, tuple[str, str | None]]:
        """The outcome and reason of the latest fetch (as requested) of each of `urls` fetched."""
        latest: dict[str, tuple[str, str | None]] = {}
        for batch in _batches(urls):
            marks = ", ".join("?" * len(batch))
            for url, outcome, reason in self._conn.execute(
                f"SELECT url, outcome, reason FROM fetches WHERE url IN ({marks}) ORDER BY id",
                batch,
            ):
                latest[url] = (outcome, reason)
        return latest

    def missing_ids(self, crawl_id: int, template: str) -> dict[str, int]:
        """How many of the crawl's fetches of the URLs `template` gives for an id (``{id}`` in
        it: a backfill's) failed with a 404 or 410, by reason (``http_404``, ``http_410``)."""
        before, _, after = template.partition("{id}")
        by_id = re.compile(re.escape(before) + r"\d+" + re.escape(after))
        marks = ", ".join("?" * len(GONE_REASONS))
        rows = self._conn.execute(
            f"SELECT url, reason FROM fetches WHERE crawl_id = ? AND reason IN ({marks})",
            (crawl_id, *sorted(GONE_REASONS)),
        )
        return dict(Counter(reason for url, reason in rows if by_id.fullmatch(url)))


def _worth_another_try(outcome: str, reason: str | None) -> bool:
    """Whether a page whose latest fetch had this outcome and reason is to be fetched again."""
    return outcome == Outcome.FAILED and reason is not None and is_transient(reason)


def _batches(urls: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for url in urls:
        batch.append(url)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
