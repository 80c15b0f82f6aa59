"""The end-of-crawl summary: what a crawl did, in words, from the archive's own counts.

`summary(stats, db)` turns a finished crawl's stats into the lines `police-archive crawl` prints
(and `scrapy crawl` logs, through the `CrawlReport` extension). Its numbers are the ones
crawler/pipelines.py counted in the archive at the end (``archive/counted/...``), never live
counters, so the summary never reports rows that are not in the file; and it says plainly what
went wrong: a failed write, pages of a profiled site that matched no layout, a crawl that followed
no link, the bounds that stopped link chains. For a backfill (crawler/backfill.py) it says which
ids were skipped, what was requested, and how many ids had no article (404 or 410): those are no
failures of the crawl, and are counted apart from them; they too are counted in the archive
(``archive/counted/missing_ids/...``: `crawler.backfill.missing_ids`, which the caller, here
`CrawlReport`, adds to the stats once the crawl's rows are committed).

Settings read by `CrawlReport`: ``CRAWL_REPORT_ENABLED`` (log the summary when the crawl closes).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.backfill import MISSING, missing_ids

logger = logging.getLogger(__name__)

COUNTED = "archive/counted/"


def _counted(stats: dict[str, Any], name: str) -> int:
    return int(stats.get(COUNTED + name, 0) or 0)


def _group(stats: dict[str, Any], prefix: str) -> list[tuple[str, int]]:
    """(name, count) of the stats under `prefix`, most frequent first."""
    items = [(k.removeprefix(prefix), int(v)) for k, v in stats.items() if k.startswith(prefix)]
    return sorted(items, key=lambda kv: (-kv[1], kv[0]))


def summary(stats: dict[str, Any], db: str) -> str:
    """What a finished crawl did, for the terminal."""
    reason = stats.get("finish_reason", "?")
    lines = [f"Crawl {stats.get('archive/crawl_id', '?')} finished ({reason}) into {db}"]
    if (resumed := stats.get("archive/resumed")) is not None:
        lines.append(
            f"  (resumed an unfinished crawl: {resumed} page(s) it had queued and not stored "
            "were fetched; none it stored)"
        )
    # a backfill's ids without an article, by the reason their fetches are recorded with
    missing = dict(_group(stats, MISSING))
    if "backfill/ids" in stats:
        lines.append(_backfill_line(stats))
    if failed := stats.get("archive/write_failed"):
        lost = stats.get("archive/lost_urls", 0)
        lines.append(f"  STOPPED: {failed}")
        lines.append(
            f"  {lost} fetched page(s) were not stored; the next crawl fetches them again. "
            "The counts below are what the archive holds."
        )
    lines += [
        f"  pages fetched      {_counted(stats, 'pages_fetched')}",
        f"  articles new       {_counted(stats, 'articles_new')}",
        f"  articles updated   {_counted(stats, 'articles_updated')}",
        f"  articles unchanged {_counted(stats, 'articles_unchanged')}",
        f"  articles gone      {_counted(stats, 'articles_gone')}",
        f"  not modified (304) {_counted(stats, 'not_modified')}",
        f"  comments new       {_counted(stats, 'comments_saved')}",
        f"  failed fetches     {max(0, _counted(stats, 'failures') - sum(missing.values()))}",
    ]
    if sum(missing.values()):
        lines.append(
            f"  {sum(missing.values())} id(s) had no article (404 or 410): ids the site never "
            "used or took down, recorded in `fetches` and not counted as failures"
        )
    if flagged := _counted(stats, "articles_flagged"):
        lines.append(
            f"  WARNING: {flagged} article(s) changed in a way that looks like broken extraction "
            "(text shrank by more than half, title lost, or another extractor): the new version "
            "is kept as a flagged revision, the archive still shows the previous one. Has the "
            "site changed its markup?"
        )
        lines += [f"    {named}" for named in stats.get("archive/flagged") or []]
    if warc_errors := int(stats.get("warc/errors", 0) or 0):
        lines.append(
            f"  WARNING: {warc_errors} response(s) could not be written to WARC (the log says "
            "why): their pages are archived, without the raw capture."
        )
    reasons = [
        (r, n - missing.get(r, 0))
        for r, n in _group(stats, COUNTED + "reason/")
        if r != "layout_miss" and n > missing.get(r, 0)
    ]
    if reasons:
        lines.append("  not stored, by reason:")
        lines += [f"    {name:<22} {count}" for name, count in reasons]
    for site, count in _group(stats, COUNTED + "layout_miss/"):
        lines.append(
            f"  {count} page(s) of {site} matched no layout: the site may have changed. They "
            "were read by the generic reader; `police-archive check-site URL` shows what it sees."
        )
    for bound, count in _group(stats, "bounds/"):
        lines.append(f"  {count} link(s) not followed: {BOUND_HELP.get(bound, bound)}")
    if (note := no_links_note(stats)) is not None:
        lines.append(f"  {note}")
    return "\n".join(lines)


# The bounds crawler/spiders counts in stats as ``bounds/<name>``.
BOUND_HELP = {
    "depth": "beyond the depth limit (RELATED_DEPTH_LIMIT)",
    "pagination": "beyond the pagination cap of a listing (PAGINATION_LIMIT)",
    "trap": "listing pages that brought no new article (a pagination trap)",
    "max_pages": "the crawl's page budget was spent (MAX_PAGES / --max-pages)",
    "not_due": "archived articles not due for a revisit yet (REVISIT_POLICY; --revisit all)",
    "seeds_only": "from the seeds, only their comment threads are followed (FOLLOW_FROM_SEEDS; "
    "backfill --follow)",
}


def _backfill_line(stats: dict[str, Any]) -> str:
    """What a backfill skipped and requested."""
    seeded = stats.get("backfill/seeded", 0)
    if (resumed := stats.get("archive/resumed")) is None:
        requested = f"{seeded} requested"
    else:  # its other ids were queued by the interrupted crawl, and requested from its frontier
        requested = f"{seeded} newly requested; {resumed} page(s) of the interrupted crawl resumed"
    if threads := stats.get("backfill/threads", 0):
        requested += f", and the comment threads of {threads} archived article(s), never fetched"
    return (
        f"  backfill of {stats.get('backfill/range', '?')}: {stats['backfill/ids']} id(s), "
        f"{stats.get('backfill/archived', 0)} already archived and "
        f"{stats.get('backfill/gone', 0)} known to be gone (404/410) skipped, {requested}"
    )


def no_links_note(stats: dict[str, Any]) -> str | None:
    """A plain warning when the crawl followed no link at all, with the likely reason."""
    if stats.get("archive/write_failed") or stats.get("finish_reason") != "finished":
        return None
    if "backfill/ids" in stats:  # its seeds are the crawl: following links is no part of it
        return None
    if any(k.startswith("bounds/") and v for k, v in stats.items()):
        return None  # the bounds that stopped the links are named above
    followed = int(stats.get("links/followed", 0) or 0)
    pages = _counted(stats, "pages_fetched")
    if followed or not pages:
        return None
    found = int(stats.get("links/found", 0) or 0)
    if found:
        why = (
            f"the pages offered {found} link(s), none of them to an article, listing or comment "
            "thread of the seeds' sites"
        )
    else:
        why = (
            "no In Other News box, More News link, pagination or comment link was recognised "
            "on the pages fetched (markup the crawler does not understand?)"
        )
    return (
        f"WARNING: the crawl followed no link: {why}. "
        "`police-archive check-site URL` shows what the crawler sees on a page."
    )


class CrawlReport:
    """Logs the summary when the crawl closes (`scrapy crawl` shows it like the CLI prints it)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReport:
        if not crawler.settings.getbool("CRAWL_REPORT_ENABLED"):
            raise NotConfigured
        report = cls(crawler)
        # after the pipeline has counted in the archive (at spider_closed)
        crawler.signals.connect(report.engine_stopped, signal=signals.engine_stopped)
        return report

    def engine_stopped(self) -> None:
        db = self.crawler.settings.get("ARCHIVE_DB")
        for name, value in missing_ids(self.crawler.stats.get_stats(), db).items():
            self.crawler.stats.set_value(name, value)
        logger.info("%s", summary(self.crawler.stats.get_stats(), db))
