"""One crawl at a time per archive: an exclusive lock beside the database file.

A timer that starts a crawl while a slow one is still running must not start a second crawl on
the same archive (two frontiers, two crawls resuming the same unfinished one). `writer_lock(path)`
takes an exclusive `flock` on ``<archive>.lock`` for as long as the block runs and writes who holds
it there (process id, command, since when); a second taker gets `ArchiveLocked` at once, with
that holder in the message. The kernel releases the lock when its holder exits, however it
exits (SIGKILL included): a stale lock file never blocks the next crawl.

The lock is re-entrant within a process (the `police-archive crawl` command holds it, and the
spider it runs takes it again, as `scrapy crawl` does on its own). Readers (Datasette, scripts)
take no lock: SQLite's WAL mode lets them read during a crawl.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from archive.schema import ArchiveError


class ArchiveLocked(ArchiveError):
    """Another process holds the archive's crawl lock."""


_held: dict[str, tuple[int, int]] = {}  # lock file -> (fd, depth), in this process
_guard = threading.Lock()


def lock_path(db: str | Path) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".lock")


def acquire(db: str | Path) -> None:
    """Take the archive's crawl lock (again, if this process holds it); ArchiveLocked if another
    process holds it."""
    path = str(lock_path(db).resolve())
    with _guard:
        if path in _held:
            fd, depth = _held[path]
            _held[path] = (fd, depth + 1)
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise ArchiveLocked(
                f"another crawl is writing {db} ({holder or 'holder unknown'}); not starting a "
                f"second one. It holds {path} until it exits."
            ) from None
        except OSError as e:
            os.close(fd)
            raise ArchiveError(f"cannot lock {db}: {e.strerror or e}") from e
        since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.ftruncate(fd, 0)
        command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))
        os.pwrite(fd, f"pid {os.getpid()}, since {since}: {command[:300]}\n".encode(), 0)
        _held[path] = (fd, 1)


def release(db: str | Path) -> None:
    """Give back one `acquire`; the lock is released with the last one."""
    path = str(lock_path(db).resolve())
    with _guard:
        if path not in _held:
            return
        fd, depth = _held.pop(path)
        if depth > 1:
            _held[path] = (fd, depth - 1)
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the descriptor releases the flock


@contextlib.contextmanager
def writer_lock(db: str | Path) -> Iterator[None]:
    acquire(db)
    try:
        yield
    finally:
        release(db)


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 500, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
