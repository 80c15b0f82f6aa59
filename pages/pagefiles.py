"""Saved pages -> records: the engine of `police-archive extract` and of the corpus quality gate.

A saved page (an HTML file, gzip-compressed or not) goes through exactly the crawler's extraction,
`pages.extract.parse_page`, as if it had been fetched from its URL: the site profile when one
matches that URL, trafilatura (checked against readability) otherwise. No Scrapy here.

The URL a file is read as:

- the one given (`police-archive extract --url URL`), which also picks the site profile;
- else the page's own absolute http(s) `<link rel=canonical>` or `og:url`, as a saved article
  usually carries one;
- else the file's `file:` URI: no profile matches it, so the page goes to the generic fallback
  (its `site` is then empty).

The body is decoded as a fetched one without a Content-Type header: BOM, then `<meta>` charset,
then UTF-8 if it is valid UTF-8, else windows-1252.

Files are read, and gzip data decompressed, a chunk at a time, up to `MAX_PAGE_BYTES` (8 MiB, the
crawler's ``DOWNLOAD_MAXSIZE``): a page over it is ``too_large`` as soon as the cap is passed, as
the crawler refuses the same bytes downloaded, so a gzip bomb costs neither the time nor the
memory of unpacking it.

With several processes (`process_pool`), the workers die with the process that made them, however
it dies, SIGKILL included: each watches a pipe only that process holds the write end of, and
exits when it reads end-of-file there (see `die_with_parent`). The forkserver and the resource
tracker that multiprocessing starts then exit by themselves: each waits for end-of-file on a pipe
held only by that process and by the workers. (``prctl(PR_SET_PDEATHSIG)`` would not do: a
forkserver worker's parent is the forkserver, which outlives the process that made the pool.)
The crawler's extraction pool (crawler/workers.py) is this one.

Each file gives one JSON-ready dict: ``{"file", "kind", ...}`` with the fields of the Article
(`kind` "article"), CommentThread ("comments") or Listing ("listing"); or, for a file that gives
no record, ``{"file", "error", "detail"}`` where `error` is the NotAnArticle reason (``no_text``,
``not_html``, ``empty_body``, ``too_large``, ``unknown_layout``), ``unreadable`` (a missing file,
bad gzip data) or ``extract_error`` (a bug: an exception in extraction). One failing file never
stops a batch.

No settings read: the cap is `MAX_PAGE_BYTES`, or the `max_size` argument of `read_page` and
`extract_file`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import multiprocessing
import os
import signal
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from archive.records import Article, CommentThread, Listing, NotAnArticle, PageKind, Reason
from pages.profiles import Profiles

GZIP_MAGIC = b"\x1f\x8b"
UNREADABLE = "unreadable"
EXTRACT_ERROR = "extract_error"
MAX_PAGE_BYTES = 8 * 1024 * 1024  # the crawler's DOWNLOAD_MAXSIZE (crawler/settings.py)
READ_CHUNK = 256 * 1024  # bytes read, or decompressed, at a time

Job = tuple[str, str | None]  # (path, URL or None)


class Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


class PageFileError(Exception):
    """A saved page that cannot be read: a missing file, bad gzip data."""


def read_page(path: str | os.PathLike[str], max_size: int = MAX_PAGE_BYTES) -> bytes:
    """The page's bytes, decompressed when the file is gzip data (told by its magic bytes, not
    its name). Raises PageFileError for a file that cannot be read, NotAnArticle(too_large) past
    `max_size` bytes (0: no cap), read or decompressed."""
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed below, errors told apart
    except OSError as exc:
        raise PageFileError(exc.strerror or str(exc)) from exc
    with file:
        try:
            is_gzip = file.peek(len(GZIP_MAGIC))[: len(GZIP_MAGIC)] == GZIP_MAGIC
            if not is_gzip:
                return read_capped(file, max_size, "")
        except OSError as exc:
            raise PageFileError(exc.strerror or str(exc)) from exc
        try:
            with gzip.GzipFile(fileobj=file, mode="rb") as unpacked:
                return read_capped(unpacked, max_size, " once decompressed")
        except (OSError, EOFError, zlib.error) as exc:
            raise PageFileError(f"bad gzip data: {exc}") from exc


def read_capped(stream: Readable, max_size: int, what: str = "") -> bytes:
    """All of `stream`, a chunk at a time; NotAnArticle(too_large) as soon as it is over
    `max_size` bytes (0: no cap), having held no more than that and one chunk."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(READ_CHUNK):
        size += len(chunk)
        if max_size and size > max_size:
            raise NotAnArticle(Reason.TOO_LARGE, f"over {max_size} bytes{what}")
        chunks.append(chunk)
    return b"".join(chunks)


def page_url(body: bytes, path: str | os.PathLike[str]) -> str:
    """The URL to read a saved page as when none is given: its absolute http(s) canonical link or
    og:url, else the file's `file:` URI."""
    from pages.metadata import page_declared_url

    return page_declared_url(body) or Path(path).resolve().as_uri()


def extract_file(
    path: str | os.PathLike[str],
    url: str | None = None,
    max_size: int = MAX_PAGE_BYTES,
    profiles: Profiles | None = None,
    kind: PageKind | None = None,
) -> dict[str, Any]:
    """The record of one saved page, or its error: never raises for a bad page. `profiles` are
    the site profiles to read it with (default: the packaged ones); `kind` what the page is
    said to be (PageKind.ARTICLE: read as the crawler reads a page an article link led to; a
    page plainly of another kind is still read as that), None: nobody says (a crawl's seed)."""
    from pages.extract import Hint, parse_page

    name = os.fspath(path)
    try:
        body = read_page(path, max_size)
        page = parse_page(
            url or page_url(body, path),
            body,
            content_type=None,
            hint=Hint(kind=kind) if kind else None,
            profiles=profiles,
        )
    except PageFileError as exc:
        return {"file": name, "error": UNREADABLE, "detail": str(exc)}
    except NotAnArticle as exc:
        return {"file": name, "error": exc.reason, "detail": exc.detail}
    except Exception as exc:  # a bug in extraction costs this file, not the batch; reported
        return {"file": name, "error": EXTRACT_ERROR, "detail": f"{type(exc).__name__}: {exc}"}
    return {"file": name, **record(page)}


def record(page: Article | CommentThread | Listing) -> dict[str, Any]:
    """A parsed page as a JSON-ready dict with its `kind`."""
    kind = {Article: "article", CommentThread: "comments", Listing: "listing"}[type(page)]
    return {"kind": kind, **dataclasses.asdict(page)}


def _job(job: tuple[str, str | None, Profiles | None, PageKind | None]) -> dict[str, Any]:
    path, url, profiles, kind = job
    return extract_file(path, url, profiles=profiles, kind=kind)


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # import the extraction stack once per worker: the profile engine and the fallback
    # (trafilatura, readability)
    import pages.extract  # noqa: F401
    import pages.generic  # noqa: F401


# (pid of the process that made it, read end, write end): the pipe whose end-of-file tells the
# workers that process is gone. Its write end never leaves that process.
_lifeline: tuple[int, Connection, Connection] | None = None
_lifeline_lock = threading.Lock()


def lifeline() -> Connection:
    """The read end of this process's lifeline: a pipe only this process holds the write end
    of (never written to), so that reading it ends, with end-of-file, when this process dies."""
    global _lifeline
    with _lifeline_lock:
        if _lifeline is None or _lifeline[0] != os.getpid():
            reader, writer = multiprocessing.Pipe(duplex=False)  # not inheritable
            _lifeline = (os.getpid(), reader, writer)
        return _lifeline[1]


def die_with_parent(lifeline: Connection) -> None:
    """In a worker: exit at once when the process that made the pool dies, however it dies.

    A daemon thread blocks reading `lifeline`, which nothing writes to: the read ends only when
    the write end's last holder, that process, is gone (the kernel closes a killed process's
    descriptors), or if this worker's own copy is closed. The thread then ends the worker with
    ``os._exit``, whatever the main thread is doing (blocked waiting for work, or parsing).
    """

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv_bytes()
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _init_worker(
    lifeline: Connection, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> None:
    die_with_parent(lifeline)
    initializer(*initargs)


def process_pool(
    workers: int,
    initializer: Callable[..., None] = _worker_init,
    initargs: tuple[Any, ...] = (),
) -> ProcessPoolExecutor:
    """A pool of extraction processes, the extraction stack imported once in each (or
    `initializer(*initargs)` run, a module-level function), that die with this process
    (module docstring)."""
    # forkserver: never fork a process that may run threads (the crawler's reactor). The fork
    # server imports the extraction stack once, before it forks the first worker: each worker
    # starts with it in memory (shared until written) instead of importing it again.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pages.extract", "pages.generic"])
    return ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(lifeline(), initializer, initargs),
    )


def extract_files(
    jobs: Iterable[Job],
    *,
    workers: int = 1,
    pool: Executor | None = None,
    profiles: Profiles | None = None,
    kind: PageKind | None = None,
) -> Iterator[dict[str, Any]]:
    """The records of many saved pages, in order: `jobs` are (path, URL or None) pairs. Pages are
    extracted in this process, or in `pool`, or in a pool of `workers` processes, with
    `profiles` (default: the packaged ones), each said to be of `kind` (`extract_file`)."""
    tasks = ((path, url, profiles, kind) for path, url in jobs)
    if pool is not None:
        yield from pool.map(_job, tasks, chunksize=4)
    elif workers <= 1:
        yield from map(_job, tasks)
    else:
        with process_pool(workers) as own:
            yield from own.map(_job, tasks, chunksize=4)
