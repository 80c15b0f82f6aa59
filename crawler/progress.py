"""A live progress line while a crawl runs: pages fetched, articles new/updated, failures, rate.

Settings read:
- ``PROGRESS_ENABLED``: show the line (the `police-archive crawl` command turns it on).
- ``PROGRESS_INTERVAL``: seconds between refreshes.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.live import Live
from rich.text import Text
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

# The terminal the progress line and the crawl's log messages share (stderr: stdout stays clean).
CONSOLE = Console(stderr=True)


def progress_line(stats: dict, elapsed: float) -> str:
    """One line summarising a running crawl's stats."""
    pages = stats.get("response_received_count", 0)
    rate = pages / elapsed * 60 if elapsed > 0 else 0.0
    return (
        f"pages {pages} | articles new {stats.get('archive/articles/new', 0)}"
        f" updated {stats.get('archive/articles/updated', 0)}"
        f" same {stats.get('archive/articles/unchanged', 0)}"
        f" | comments {stats.get('archive/comments/new', 0)}"
        f" | failed {stats.get('archive/fetches/failed', 0)}"
        f" | {rate:.0f}/min"
    )


class Progress:
    def __init__(self, stats: StatsCollector, interval: float, console: Console | None = None):
        self.stats = stats
        self.interval = interval
        self.console = console or CONSOLE
        self.live: Live | None = None
        self.started = 0.0
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured
        ext = cls(crawler.stats, crawler.settings.getfloat("PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self.live = Live(self._render(), console=self.console, transient=True, auto_refresh=False)
        self.live.start()
        self.loop = task.LoopingCall(self.refresh)
        self.loop.start(self.interval, now=False)

    def _render(self) -> Text:
        elapsed = time.monotonic() - self.started
        return Text(progress_line(self.stats.get_stats(), elapsed), style="bold")

    def refresh(self) -> None:
        if self.live is not None:
            self.live.update(self._render(), refresh=True)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()
