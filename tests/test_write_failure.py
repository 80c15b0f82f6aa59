"""A crawl whose archive cannot be written (disk full) stops at once, says so, counts only what
is in the file, and the next crawl fetches again what was lost.

The archive lives on a small tmpfs where the machine lets the test mount one (root, as CI
runs), else on an ordinary folder with the crawl's file size limited (RLIMIT_FSIZE): either way
SQLite's writes start failing partway through the crawl, as on a full disk.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sample_site import build_site, serve_site
from tests.crawl_check import CLI, FAST, loopback_env

SIZE = 512 * 1024  # room for the schema and a few dozen articles, not for 150


@pytest.fixture
def small_disk(tmp_path) -> Iterator[tuple[Path, Callable[[], None] | None]]:
    """(a folder that fills up, a preexec_fn for the crawl or None)."""
    folder = tmp_path / "small"
    folder.mkdir()
    try:
        mount = ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(folder)]
        mounted = subprocess.run(mount, capture_output=True).returncode == 0
    except OSError:  # no mount command
        mounted = False
    if os.environ.get("POLICE_ARCHIVE_TEST_NO_TMPFS"):  # to test the fallback on purpose
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        mounted = False
    if mounted:
        try:
            yield folder, None
        finally:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        return

    def limit() -> None:  # a filesystem that refuses writes past SIZE bytes a file
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (SIZE, SIZE))

    yield folder, limit


def run(server, seeds, db, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CLI, "crawl", *seeds, "--db", str(db), *FAST],
        env=loopback_env(server.proxy_url),
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=preexec,  # noqa: PLW1509 - only sets a resource limit, no threads involved
    )


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchone()[0]


def test_a_full_disk_stops_the_crawl_and_nothing_is_lost(small_disk, tmp_path):
    folder, preexec = small_disk
    site = build_site(150, seed=21, hazards=False)
    expected = site.expected_by_url()
    db = folder / "a.db"
    with serve_site(site) as server:
        first = run(server, site.seeds(), db, preexec)
        fetched_first = len(server.requests)
        # it stopped: non-zero, one clear reason, long before the end of the site
        assert first.returncode == 1, first.stdout + first.stderr[-2000:]
        assert "cannot be written" in first.stderr
        assert "STOPPED" in first.stdout
        # before the end of the site, whatever the timing: the site's article and comment pages
        # alone are twice its articles, and a crawl that stops at its first failed commit has
        # fetched at most a batch (100 operations, or what 2 s gathered) and the pages in flight
        # beyond the rows the file holds
        assert fetched_first < 2 * len(expected)
        assert count(db, "select count(*) from fetches") < len(expected)
        # the summary counts only what the file holds
        stored = count(db, "select count(*) from articles")
        said = int(re.search(r"articles new\s+(\d+)", first.stdout).group(1))
        assert said == stored < len(expected)
        assert count(db, "select count(*) from comments") == int(
            re.search(r"comments new\s+(\d+)", first.stdout).group(1)
        )
        # the next crawl, with room again, completes the archive: nothing lost, nothing twice
        roomy = tmp_path / "roomy"
        roomy.mkdir()
        for part in folder.iterdir():  # the archive, and its WARC folder
            if part.is_dir():
                shutil.copytree(part, roomy / part.name)
            else:
                shutil.copy(part, roomy / part.name)
        second = run(server, site.seeds(), roomy / "a.db")
    assert second.returncode == 0, second.stderr[-2000:]
    again = roomy / "a.db"
    assert count(again, "select count(*) from articles") == len(expected)
    assert count(again, "select count(distinct url) from articles") == len(expected)
    want_comments = sum(len(e["comments"]) for e in expected.values())
    assert count(again, "select count(*) from comments") == want_comments
