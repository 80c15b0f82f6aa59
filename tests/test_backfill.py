"""`police-archive backfill`: a site's articles by numeric id (crawler/backfill.py).

The fixture site in proxy mode (its ids rise with gaps, as Police Oracle's do) is backfilled with
the packaged policeoracle profile's `article_by_id`, on the site's loopback replica (`--origin`):
the archive ends with exactly the ids that exist, the ids without an article are recorded as
404s and counted apart from failures, and a second backfill requests neither the ids already
archived nor those known to be gone (the fixture server's request log says what was asked).
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.utils.test import get_crawler

from archive.records import Article, Link, Section
from crawler.backfill import MAX_IDS, BackfillError, BackfillSeeds, parse, plan
from crawler.boundary import SiteBoundary
from crawler.follow import SEED, FollowPolicy, Step
from crawler.report import summary
from pages.profiles import ProfileError, load_profile, load_profiles
from police_archive.cli import cli
from sample_site import build_site, serve_site
from tests.crawl_check import CLI, FAST, loopback_env

ROOT = Path(__file__).parent.parent
ORIGIN = "http://www.policeoracle.localhost"
PROFILES = load_profiles()


# --- the plan ---------------------------------------------------------------------------------


def test_the_policeoracle_profile_names_its_articles_by_id():
    backfill = plan("policeoracle", 5, 3, PROFILES)
    assert list(backfill.ids) == [5, 4, 3]  # B below A: newest first
    assert backfill.url(4) == "https://www.policeoracle.com/news/article.cfm?id=4"
    mirrored = plan("policeoracle", 1, 2, PROFILES, origin=ORIGIN)
    assert mirrored.url(2) == f"{ORIGIN}/news/article.cfm?id=2"
    assert list(parse(" policeoracle : 7-9 ", PROFILES).ids) == [7, 8, 9]


@pytest.mark.parametrize(
    ("args", "origin", "said"),
    [
        (("policeoracle", 0, MAX_IDS), None, "a backfill takes at most 100,000"),
        (("policeoracle", -1, 3), None, "whole numbers from 0"),
        (("nosuch", 1, 2), None, "no site profile is named 'nosuch'"),
        (("policeoracle", 1, 2), "ftp://www.policeoracle.com", "not an http(s) origin"),
        (("policeoracle", 1, 2), "http://www.policeoracle.com/news/", "not an http(s) origin"),
        (("policeoracle", 1, 2), "http://example.com", "example.com is not a host of"),
    ],
)
def test_a_backfill_that_cannot_be_done_says_why(args, origin, said):
    with pytest.raises(BackfillError, match=re.escape(said)):
        plan(*args, PROFILES, origin=origin)
    assert len(plan("policeoracle", 0, MAX_IDS - 1, PROFILES).ids) == MAX_IDS


def test_a_site_without_ids_names_the_sites_that_have_them():
    profiles = load_profiles([ROOT / "examples" / "profiles"])
    with pytest.raises(BackfillError) as refused:
        plan("weeklyconstable", 1, 2, profiles)
    message = str(refused.value)
    assert "the profile has no article_by_id: 'weeklyconstable'" in message
    assert "the profiles that can be backfilled: policeoracle" in message


@pytest.mark.parametrize(
    ("template", "said"),
    [
        ("https://www.example.com/news/article.cfm", "must hold {id} once"),
        ("https://www.example.com/{id}/{id}", "must hold {id} once"),
        ("https://www.example.com/{slug}/{id}", "must hold {id} once"),
        ("https://{id}.example.com/news", "must hold {id} once, after the host"),
        ("https://www.elsewhere.org/?id={id}", "on the site's domains (example.com)"),
        ("ftp://www.example.com/?id={id}", "must be an http(s) URL"),
    ],
)
def test_a_broken_id_template_is_refused_when_the_profile_loads(tmp_path, template, said):
    path = tmp_path / "example.toml"
    path.write_text(f'name = "example"\ndomains = ["example.com"]\narticle_by_id = "{template}"\n')
    with pytest.raises(ProfileError, match=re.escape(said)):
        load_profile(path)


def test_the_cli_refuses_what_it_cannot_backfill_before_touching_the_archive(tmp_path):
    db = tmp_path / "never.db"
    runner = CliRunner()
    cases = [
        (["--site", "nosuch", "--from-id", "1", "--to-id", "2"], "profiles that can be backfilled"),
        (["--site", "policeoracle", "--from-id", "0", "--to-id", "200000"], "split the range"),
        (["--site", "policeoracle", "--from-id", "-5", "--to-id", "2"], "-5 is not in the range"),
    ]
    for args, said in cases:
        result = runner.invoke(cli, ["backfill", *args, "--db", str(db)])
        assert result.exit_code == 2, result.output
        assert said in result.output
    assert not db.exists()


# --- the seeds: lazily, and nothing beyond them ------------------------------------------------


def test_the_ids_are_turned_into_urls_a_batch_at_a_time():
    """A range of 100,000 ids: the first batch is ready without the others being built."""
    crawler = get_crawler()
    crawler.stats.open_spider()
    backfill = plan("policeoracle", MAX_IDS - 1, 0, PROFILES)
    policy = FollowPolicy(SiteBoundary([backfill.url(1)], PROFILES))
    seeds = BackfillSeeds(backfill, crawler, policy, None, PROFILES)
    batches = seeds.batches()
    first = next(batches)
    assert len(first) == 500 and first[0].endswith(f"?id={MAX_IDS - 1}")
    assert crawler.stats.get_value("backfill/ids") == MAX_IDS
    assert next(batches)[0].endswith(f"?id={MAX_IDS - 501}")


def test_without_following_a_seed_leads_only_to_its_comment_thread():
    url = f"{ORIGIN}/news/article.cfm?id=1"
    links = (
        Link(f"{ORIGIN}/news/article.cfm?id=2", Section.IN_OTHER_NEWS, "Other"),
        Link(f"{ORIGIN}/news/index.cfm", Section.MORE_NEWS, "More News"),
        Link(f"{ORIGIN}/news/comments.cfm?id=1", Section.COMMENTS, "View Comments"),
    )
    page = Article(url, "Title", "", None, "text", links=links)
    for from_seeds, followed in ((True, 3), (False, 1)):
        policy = FollowPolicy(SiteBoundary([url], PROFILES), from_seeds=from_seeds)
        (seed,) = policy.seeds([url])
        steps = policy.follow(page, seed)
        assert len(steps) == followed
        if not from_seeds:
            assert steps[0].section == Section.COMMENTS and policy.bounds["seeds_only"] == 2
            # a page the seeds led to is followed as in any crawl
            other = Step(f"{ORIGIN}/news/comments.cfm?id=9", Section.COMMENTS)
            assert len(policy.follow(page, other)) == 2
    assert seed.section == SEED


def test_the_summary_counts_ids_without_an_article_apart_from_failures():
    stats = {
        "finish_reason": "finished",
        "archive/crawl_id": 3,
        "backfill/range": "policeoracle ids 10 to 20",
        "backfill/ids": 11,
        "backfill/archived": 2,
        "backfill/gone": 1,
        "backfill/seeded": 8,
        "backfill/missing/404": 3,
        "archive/counted/pages_fetched": 9,
        "archive/counted/failures": 4,
        "archive/counted/reason/http_404": 3,
        "archive/counted/reason/timeout": 1,
    }
    text = summary(stats, "x.db")
    assert "backfill of policeoracle ids 10 to 20: 11 id(s), 2 already archived" in text
    assert "1 known to be gone (404/410) skipped, 8 requested" in text
    assert re.search(r"failed fetches\s+1\n", text)
    assert "3 id(s) had no article (404 or 410)" in text
    assert "http_404" not in text and re.search(r"timeout\s+1", text)
    assert "followed no link" not in text  # the seeds are the crawl


# --- backfilling the fixture site --------------------------------------------------------------


def _backfill(server, db, first: int, last: int, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CLI, "backfill", "--site", "policeoracle", "--from-id", str(first), "--to-id",
         str(last), "--db", str(db), "--origin", ORIGIN, *FAST, *extra],
        env=loopback_env(server.proxy_url), capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _rows(db, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def _ids(requests, path: str) -> list[int]:
    """The ids of the requests for `path` (article.cfm or comments.cfm), in order."""
    return [
        int(r.path.rpartition("=")[2]) for r in requests if r.path.startswith(f"/news/{path}?id=")
    ]


def test_backfill_archives_the_ids_that_exist_and_never_asks_twice(tmp_path):
    site = build_site(30, seed=3, hazards=False)
    ids = sorted(site.articles)  # 20598 ... 20666, with gaps
    low, high, middle = ids[0], ids[-1], ids[14]
    db = tmp_path / "backfill.db"
    with serve_site(site) as server:
        first = _backfill(server, db, low, middle)
        first_requests = server.requests
        server.clear()
        second = _backfill(server, db, high, low)  # the whole range, newest first
        second_requests = server.requests
        server.clear()
        some = [i for i in range(low, middle + 1) if i not in site.articles][:3]
        third = _backfill(server, db, some[0], some[-1], "--retry-missing")
        third_requests = server.requests

    # the first: every id of its range requested once, its articles and their threads archived,
    # nothing else (no In Other News link followed)
    assert first.returncode == 0, first.stderr[-2000:]
    in_first = [i for i in ids if i <= middle]
    assert sorted(_ids(first_requests, "article.cfm")) == list(range(low, middle + 1))
    assert set(_ids(first_requests, "comments.cfm")) <= set(in_first)
    assert {r.path for r in first_requests} <= (
        {"/robots.txt"} | {f"/news/{p}?id={i}" for i in range(low, middle + 1)
                           for p in ("article.cfm", "comments.cfm")}
    )  # fmt: skip
    missing = middle - low + 1 - len(in_first)
    assert f"{missing} id(s) had no article (404 or 410)" in first.stdout
    assert re.search(r"failed fetches\s+0\n", first.stdout), first.stdout
    gone = _rows(db, "select url, status, reason, outcome from fetches where crawl_id = 1 "
                 "and status = 404")  # fmt: skip
    assert len(gone) == missing
    assert {(s, r, o) for _, s, r, o in gone} == {(404, "http_404", "failed")}

    # the second: the ids above the first's range only, newest first
    assert second.returncode == 0, second.stderr[-2000:]
    asked = _ids(second_requests, "article.cfm")
    assert sorted(asked, reverse=True) == list(range(high, middle, -1))
    half = len(asked) // 2  # newest first, give or take the concurrent requests
    assert sum(asked[:half]) > sum(asked[-half:])
    assert f"{len(in_first)} already archived and {missing} known to be gone" in second.stdout
    archived = {url for (url,) in _rows(db, "select url from articles")}
    assert archived == {site.canonical_url(i) for i in ids}
    threads = {u for (u,) in _rows(db, "select distinct article_url from comments")}
    assert threads == {site.canonical_url(i) for i in ids if site.articles[i].comments}

    # --retry-missing asks for the ids known to be gone again, never the archived ones
    assert third.returncode == 0, third.stderr[-2000:]
    assert set(_ids(third_requests, "article.cfm")) == set(some)
