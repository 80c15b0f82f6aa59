"""One crawl at a time per archive (archive/lock.py), and the revisit policy's rules
(crawler/revisits.py): real processes, real lock files."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive import lock
from archive.lookup import ArticleDates
from crawler.revisits import DEFAULT_POLICY, PolicyError, RevisitPolicy
from tests.crawl_check import CLI

HOLD = """
import sys, time
from archive import lock
from archive.store import Archive
lock.acquire(sys.argv[1])
if sys.argv[2] == "writing":  # and in the middle of a write, as a running crawl is
    archive = Archive.open(sys.argv[1])
    archive.db.conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(120)
"""


def stop(holder: subprocess.Popen) -> None:
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert holder.stdout is not None
    holder.stdout.close()


def hold(db: Path, writing: bool = False) -> subprocess.Popen:
    """Another process holding the archive's lock (and, `writing`, SQLite's write lock), until
    `stop`ped (SIGKILL)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), "writing" if writing else "idle"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_process_is_refused_with_the_holder_named(tmp_path):
    db = tmp_path / "police.db"
    holder = hold(db)
    try:
        with pytest.raises(lock.ArchiveLocked, match=rf"pid {holder.pid}, since .*Z"):
            lock.acquire(db)
    finally:
        stop(holder)
    # the kernel released it with the process (SIGKILL): no stale lock
    lock.acquire(db)
    lock.release(db)


def test_the_lock_is_reentrant_in_one_process_and_released_with_the_last_holder(tmp_path):
    db = tmp_path / "police.db"
    with lock.writer_lock(db), lock.writer_lock(db):
        pass
    with lock.writer_lock(db):  # taken again: the first block released it fully
        script = "from archive import lock; import sys; lock.acquire(sys.argv[1])"
        holder = subprocess.run(
            [sys.executable, "-c", script, str(db)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parent.parent,
        )
        assert holder.returncode != 0 and "ArchiveLocked" in holder.stderr


def test_a_crawl_while_another_writes_the_archive_exits_75_with_a_clear_message(tmp_path):
    db = tmp_path / "police.db"
    # the other crawl is mid-write: the lock is asked first, never SQLite's (which would wait)
    holder = hold(db, writing=True)
    try:
        started = time.monotonic()
        result = subprocess.run(
            [CLI, "crawl", "http://127.0.0.1:9/news/", "--db", str(db), "--no-progress"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        stop(holder)
    assert result.returncode == 75, result.stderr
    assert "another crawl is writing" in result.stderr and str(holder.pid) in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 60  # refused at once, not after waiting
    result = subprocess.run(
        [CLI, "reextract", str(db)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 75  # and once the holder is gone, it is free


NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def dates(published: str | None, last_seen: datetime, first_seen: str = "2026-01-01T00:00:00Z"):
    stamp = last_seen.strftime("%Y-%m-%dT%H:%M:%SZ")
    return ArticleDates("u", published, first_seen, stamp)


@pytest.mark.parametrize(
    ("published", "seen_ago", "due"),
    [
        ("2026-11-28T10:00:00", timedelta(minutes=5), True),  # a day old: every crawl
        ("2026-11-10", timedelta(hours=23), False),  # weeks old: daily
        ("2026-11-10", timedelta(days=1), True),
        ("2026-03-01", timedelta(days=6), False),  # months old: weekly
        ("2026-03-01", timedelta(days=7), True),
        ("2012-03-01", timedelta(days=29), False),  # years old: monthly
        ("2012-03-01", timedelta(days=30), True),
        (None, timedelta(days=2), True),  # no date: aged from first_seen (months ago)... weekly
    ],
)
def test_the_default_revisit_policy_by_age(published, seen_ago, due):
    policy = RevisitPolicy.parse(DEFAULT_POLICY)
    got = policy.due(dates(published, NOW - seen_ago, "2026-11-26T00:00:00Z"), NOW)
    assert got is due


def test_revisit_policy_presets_and_errors():
    assert RevisitPolicy.parse("all").rules == ((math.inf, 0.0),)
    never = RevisitPolicy.parse("none")
    assert not never.due(dates("2000-01-01", NOW - timedelta(days=9999)), NOW)
    assert RevisitPolicy.parse("12h:0, 2w:12h, *:never").interval(3 * 86400) == 12 * 3600
    for bad in ("7d:0", "*:soon", "7d:0, 2d:1d, *:7d", "7d", ""):
        with pytest.raises(PolicyError):
            RevisitPolicy.parse(bad)


def test_a_bad_revisit_option_is_a_usage_error(tmp_path):
    result = subprocess.run(
        [CLI, "crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "x.db"), "--revisit", "often"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "--revisit" in result.stderr
    assert not (tmp_path / "x.db").exists()
