"""A crawl killed with SIGKILL at a random point, then run again, ends with the archive an
uninterrupted crawl makes: no committed row lost, none half-written, no duplicate, and no page
it had stored fetched again (the crawl's frontier in the archive: archive/frontier.py).

The whole process group is killed (the crawl and its extraction workers), as the OOM killer or
a power cut would; the point is drawn at random each run (printed on failure, with the seed).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from sample_site import build_site, serve_site
from tests.crawl_check import CLI, FAST, loopback_env

# slow enough that a kill lands mid-crawl (the archive commits every 2 s or 100 pages)
SLOW = [*FAST, "-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]

CONTENT = {
    "articles": "url, title, author, published, text, standfirst, category, paywalled, "
    "comment_count, status, word_count, content_hash",
    "revisions": "url, revision, content_hash, flags",
    "comments": "article_url, author, posted, text, position, removed",
    "links": "from_url, to_url, section, anchor, removed",
    "url_aliases": "alias, url",
}


def command(seeds: list[str], db: Path) -> list[str]:
    return [CLI, "crawl", *seeds, "--db", str(db), "--no-progress", *SLOW]


def content(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        conn.execute("INSERT INTO comments_fts (comments_fts, rank) VALUES ('integrity-check', 1)")
        return {
            table: sorted(conn.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)
            for table, columns in CONTENT.items()
        }


def committed(db: Path, sql: str) -> list[tuple]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchall()
    except sqlite3.Error:  # not created yet
        return []


def test_a_crawl_killed_at_a_random_point_resumes_to_the_same_archive(tmp_path):
    seed = int.from_bytes(os.urandom(4), "big")
    target = random.Random(seed).randint(1, 90)  # committed fetches before the kill
    site = build_site(60, seed=7, hazards=False, markup="magazine")
    with serve_site(site) as server:
        seeds = site.seeds(server.origin)
        env = loopback_env(None)
        reference = tmp_path / "reference.db"
        done = subprocess.run(command(seeds, reference), env=env, capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]

        db = tmp_path / "killed.db"
        crawl = subprocess.Popen(
            command(seeds, db),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        count = "SELECT count(*) FROM fetches"
        try:
            while crawl.poll() is None and committed(db, count)[:1] < [(target,)]:
                time.sleep(0.02)
        finally:
            if crawl.poll() is None:
                os.killpg(crawl.pid, signal.SIGKILL)
            crawl.wait()
        why = (
            f"killed after {committed(db, count)} committed fetches (target {target}, seed {seed})"
        )
        assert crawl.returncode == -signal.SIGKILL, f"the crawl ended before the kill: {why}"
        stored = {
            url
            for (url,) in committed(
                db, "SELECT url FROM fetches WHERE outcome IN ('article', 'comments', 'listing')"
            )
        }
        assert committed(db, "SELECT finished FROM crawls") == [(None,)], why

        server.clear()
        again = subprocess.run(command(seeds, db), env=env, capture_output=True, text=True,
                               timeout=300)  # fmt: skip
        assert again.returncode == 0, again.stderr[-2000:]
        refetched = {r.url.replace(f"http://{r.host}", server.origin) for r in server.requests}

    assert "resumed an unfinished crawl" in again.stdout, again.stdout
    assert not stored & refetched, f"{why}: fetched again: {sorted(stored & refetched)[:5]}"
    got, want = content(db), content(reference)
    for table in CONTENT:
        assert len(set(got[table])) == len(got[table]), f"{why}: duplicate rows in {table}"
        assert got[table] == want[table], f"{why}: {table} differs from an uninterrupted crawl"
    with sqlite3.connect(db) as conn:
        crawls = conn.execute("SELECT id, finish_reason FROM crawls").fetchall()
        assert crawls == [(1, "finished")], why  # one crawl, resumed under its own id
        assert conn.execute("SELECT count(*) FROM frontier").fetchone() == (0,)
