"""Keeping the archive over time, end to end: the fixture site crawled, then changed (a second
edition: articles added, three edited, one removed) on the same running server, and crawled
again, with the `police-archive` command, as a timer would run it.

Checked on the archive file, the server's request log and the WARC files, with warcio's own
`index` and `check`: new articles stored; each edited one exactly two revisions, every other
one; the removed one kept and marked gone; at least half of the revisited article requests
answered 304 where the server sends validators; every article URL fetched in the WARC files;
and `reextract` on an unchanged extractor adding no revision.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sample_site import build_site, serve_site
from tests.crawl_check import CLI, FAST, loopback_env, token_f1

WARCIO = str(Path(sys.executable).parent / "warcio")

CASES = [
    # markup, mode, whether the server sends validators
    pytest.param("classic", "proxy", True, id="classic-profiled-host"),
    pytest.param("newsroom", "origin", True, id="newsroom-unknown-site"),
    pytest.param("bulletin", "origin", False, id="bulletin-no-validators"),
]


def crawl(seeds: list[str], db: Path, env: dict, *more: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [CLI, "crawl", *seeds, "--db", str(db), "--no-progress", *FAST, *more],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def query(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def warc_index(folder: Path) -> list[dict]:
    files = sorted(str(p) for p in folder.glob("*.warc.gz"))
    assert files, f"no WARC file in {folder}"
    check = subprocess.run([WARCIO, "check", *files], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fields = "warc-type,warc-target-uri,offset,filename"
    index = subprocess.run(
        [WARCIO, "index", "-f", fields, *files], capture_output=True, text=True, check=True
    )
    return [json.loads(line) for line in index.stdout.splitlines()]


@pytest.mark.parametrize(("markup", "mode", "validators"), CASES)
def test_a_second_crawl_after_the_site_changed(tmp_path, markup, mode, validators):
    site = build_site(40, seed=3, hazards=False, markup=markup)
    db = tmp_path / "police.db"
    with serve_site(site, conditional=validators) as server:
        origin = server.origin if mode == "origin" else None
        env = loopback_env(server.proxy_url if mode == "proxy" else None)
        seeds = site.seeds(origin)
        crawl(seeds, db, env)
        first = {url for (url,) in query(db, "SELECT url FROM articles")}
        assert first == set(site.expected_by_url(origin))

        second = site.next_edition(added=5, edited=3, removed=1)
        server.site = second
        server.clear()
        out = crawl(seeds, db, env, "--revisit", "all").stdout
        requests = server.requests

    want = second.expected_by_url(origin)
    url = {i: second.canonical_url(i, origin) for i in (*second.articles, *site.articles)}
    revisions = dict(query(db, "SELECT url, count(*) FROM revisions GROUP BY url"))
    rows = {r[0]: r[1:] for r in query(db, "SELECT url, status, gone_since, text FROM articles")}
    # the new ones are stored
    for i in second.added_ids:
        assert url[i] in rows and rows[url[i]][0] == "live", url[i]
        assert token_f1(rows[url[i]][2], want[url[i]]["text"]) > 0.95
    # each edited one has exactly two revisions, the second the edited text, shown
    for i in second.edited_ids:
        assert revisions[url[i]] == 2, url[i]
        latest = query(db, "SELECT text, flags FROM revisions WHERE url = ? AND revision = 2",
                       url[i])[0]  # fmt: skip
        assert latest[1] == "" and token_f1(latest[0], want[url[i]]["text"]) > 0.95
        assert rows[url[i]][2] == latest[0]
    # unchanged ones have one
    unchanged = first - {url[i] for i in (*second.edited_ids, *second.removed_ids)}
    assert unchanged and all(revisions[u] == 1 for u in unchanged)
    # the removed one is kept and marked gone, its text intact
    (removed,) = second.removed_ids
    status, gone_since, text = rows[url[removed]]
    assert status == "gone" and gone_since and revisions[url[removed]] == 1
    assert token_f1(text, site.expected_by_url(origin)[url[removed]]["text"]) > 0.95
    assert "articles gone      1" in out and "articles updated   3" in out
    assert query(db, "SELECT count(*) FROM articles WHERE flags IS NOT NULL") == [(0,)]

    # the revisited article requests: at least half answered 304 by a server with validators
    revisited = [r for r in requests if _article_url(r, origin) in first]
    assert revisited
    not_modified = sum(r.status == 304 for r in revisited)
    if validators:
        assert not_modified * 2 >= len(revisited), (not_modified, len(revisited))
        assert all(r.if_none_match for r in revisited)
    else:
        assert not_modified == 0

    # every article URL fetched is in the WARC files, and the fetch log points at its record
    index = warc_index(tmp_path / "warc")
    captured = {(e["warc-target-uri"], e["filename"].rsplit("/", 1)[-1], int(e["offset"]))
                for e in index if e["warc-type"] in ("response", "revisit")}  # fmt: skip
    fetched = query(
        db,
        "SELECT final_url, warc_file, warc_offset FROM fetches "
        "WHERE outcome IN ('article', 'not_modified') OR status IN (404, 410)",
    )
    assert len(fetched) > len(first) and set(fetched) <= captured

    # re-extraction with the same extractor: no revision, nothing lost
    before = query(db, "SELECT url, revision, content_hash FROM revisions ORDER BY id")
    result = subprocess.run([CLI, "reextract", str(db)], capture_output=True, text=True,
                            timeout=240)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "changed (new revision)   0" in result.stdout
    assert query(db, "SELECT url, revision, content_hash FROM revisions ORDER BY id") == before
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    query(db, "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")


def _article_url(record, origin: str | None) -> str:
    """The URL a request log record asked for, as the archive names it."""
    if origin:
        return origin.rstrip("/") + record.path
    return record.url


def test_the_default_policy_revisits_old_articles_later_and_says_so(tmp_path):
    site = build_site(30, seed=5, hazards=False, markup="blog")
    db = tmp_path / "police.db"
    with serve_site(site) as server:
        seeds = site.seeds(server.origin)
        env = loopback_env(None)
        crawl(seeds, db, env)
        server.clear()
        out = crawl(seeds, db, env).stdout
        requests = [r for r in server.requests if r.path != "/robots.txt"]
    # the articles are years old and were seen minutes ago: only the seeds are asked again
    # (conditionally), and the summary says why the rest were not
    assert len(requests) <= len(seeds) + 2, [r.path for r in requests]
    assert all(r.status == 304 for r in requests)
    assert "not due for a revisit" in out and "not modified (304)" in out
