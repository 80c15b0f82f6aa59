"""Extraction off the reactor thread: a process pool fed with `run_in_executor`.

HTML parsing and extraction are CPU-bound; run on the reactor thread they stall every download,
and threads do not help (the GIL). Pages are parsed in worker processes, so downloads go on while
both cores extract.

The pool is `pages.pagefiles.process_pool`, the one `police-archive extract -j N` uses: forkserver
workers that die with the crawl process however it dies (SIGKILL included), and with them the
forkserver and the resource tracker multiprocessing starts (see pages/pagefiles.py).

Settings read (by the spider, which owns the pool):
- ``EXTRACT_WORKERS``: worker processes; 0 means one per CPU core but one (`default_workers`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from archive.records import NotAnArticle, Page, Reason
from pages.kinds import Hint
from pages.pagefiles import process_pool
from pages.profiles import Profiles

logger = logging.getLogger(__name__)


_PROFILES: Profiles | None = None  # the crawl's site profiles, loaded once per worker


def _warm_up(profile_dirs: Sequence[str], localhost_mirrors: bool) -> None:
    """Import the extraction stack and load the site profiles once per worker, not on its first
    page."""
    global _PROFILES
    # Ctrl-C is the crawler's to handle: it shuts the pool down after the pages in hand
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import pages.extract  # noqa: F401
    from pages.profiles import load_profiles

    _PROFILES = load_profiles(profile_dirs, localhost_mirrors=localhost_mirrors)


def _parse(url: str, body: bytes, content_type: str | None, hint: Hint | None) -> Page:
    from pages.extract import parse_page

    return parse_page(url, body, content_type=content_type, hint=hint, profiles=_PROFILES)


def default_workers() -> int:
    """The extraction workers of a crawl that does not say: one per core this process may run
    on, but one, which the crawl process itself keeps busy (the reactor, Scrapy, the archive's
    writes take as much CPU as extraction); at least one. On two cores a second worker only
    competes with the crawl process: it made the crawl benchmark's CPU per article 25% higher
    and its wall time no shorter (bench/README.md)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) - 1)


class PageParser:
    """Parses fetched pages in a pool of worker processes."""

    def __init__(
        self,
        workers: int = 0,
        *,
        profile_dirs: Sequence[str] = (),
        localhost_mirrors: bool = True,
    ):
        self.workers = workers or default_workers()
        self._init_args = (tuple(profile_dirs), localhost_mirrors)
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # forkserver: never fork the reactor process itself (threads, open sockets); the workers
        # die with this process
        return process_pool(self.workers, initializer=_warm_up, initargs=self._init_args)

    async def parse(
        self, url: str, body: bytes, content_type: str | None, hint: Hint | None = None
    ) -> Page:
        """The page's Article, CommentThread or Listing; raises NotAnArticle with the reason."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, _parse, url, body, content_type, hint)
        except NotAnArticle:
            raise
        except BrokenProcessPool as exc:
            # a worker died (out of memory, a crash in C code): replace the pool, lose one page
            logger.error("extraction worker died on %s; restarting the pool", url)
            self._pool.shutdown(wait=False, cancel_futures=False)
            self._pool = self._new_pool()
            raise NotAnArticle(Reason.EXTRACT_CRASHED, url) from exc
        except Exception as exc:  # a bug in extraction must cost one page, not the crawl
            logger.exception("extraction failed on %s", url)
            raise NotAnArticle(Reason.EXTRACT_ERROR, f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
