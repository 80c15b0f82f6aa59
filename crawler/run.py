"""Run one crawl from Python: what the `police-archive crawl` command calls.

`scrapy crawl police_news -a start=URL -s ARCHIVE_DB=police.db` runs the same spider with the
same settings; this adds the settings the command line offers and returns the crawl's stats.
A backfill (`police-archive backfill`) is the same crawl, seeded by id (crawler/backfill.py).
"""

from __future__ import annotations

import logging
from typing import Any

import scrapy
from rich.logging import RichHandler
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings

from crawler.backfill import Backfill
from crawler.progress import CONSOLE
from crawler.spiders.police_news import PoliceNewsSpider


def crawl_settings(
    *,
    db: str,
    max_pages: int = 0,
    overrides: dict[str, str] | None = None,
    progress: bool = False,
    retry: bool = True,
) -> Settings:
    """The project settings with the command line's choices on top, as `scrapy crawl -s` does.

    The log shows warnings and errors only (`-s LOG_LEVEL=INFO` for more, `-s LOG_FILE=PATH` to
    write it to a file); the summary printed at the end says the rest.
    """
    settings = Settings()  # this project's settings, whatever Scrapy project the cwd is in
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ARCHIVE_DB", db, priority="cmdline")
    if max_pages:
        settings.set("MAX_PAGES", max_pages, priority="cmdline")
    settings.set("PROGRESS_ENABLED", progress, priority="cmdline")
    settings.set("ARCHIVE_RETRY_FAILED", retry, priority="cmdline")
    settings.set("CRAWL_REPORT_ENABLED", False, priority="cmdline")  # the CLI prints it
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")  # the summary says the rest
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    seeds: list[str], settings: Settings, *, backfill: Backfill | None = None
) -> dict[str, Any]:
    """Crawl from `seeds` (and the ids of `backfill`) into the archive named by ARCHIVE_DB;
    returns the crawl's stats."""
    return run_spider(PoliceNewsSpider, settings, start=seeds, backfill=backfill)


def run_spider(spider: type[scrapy.Spider], settings: Settings, **kwargs: Any) -> dict[str, Any]:
    """Run `spider` (its arguments `kwargs`) to its end with `settings`, logging to the
    terminal (or LOG_FILE) at LOG_LEVEL; returns its stats. What the crawl and worker commands
    run."""
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # ours is below
    process = AsyncCrawlerProcess(settings)
    handler: logging.Handler
    if settings.get("LOG_FILE"):
        handler = logging.FileHandler(settings.get("LOG_FILE"), encoding="utf-8")
        handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT")))
    else:
        handler = RichHandler(console=CONSOLE, show_path=False, markup=False)
    handler.setLevel(settings.get("LOG_LEVEL"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(settings.get("LOG_LEVEL"))
    try:
        crawler = process.create_crawler(spider)
        process.crawl(crawler, **kwargs)
        process.start()
    finally:
        root.removeHandler(handler)
    assert crawler.stats is not None
    return crawler.stats.get_stats()
