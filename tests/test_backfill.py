"""`police-archive backfill`: a site's articles by numeric id (crawler/backfill.py).

The fixture site in proxy mode (its ids rise with gaps, as Police Oracle's do) is backfilled with
the packaged policeoracle profile's `article_by_id`, on the site's loopback replica (`--origin`):
the archive ends with exactly the ids that exist, the ids without an article are recorded as
404s and counted apart from failures, and a second backfill requests neither the ids already
archived nor those known to be gone, but the comment threads the first, stopped by --max-pages,
never fetched (the fixture server's request log says what was asked). A backfill interrupted
and resumed counts the ids without an article of both its parts, from the archive.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.utils.test import get_crawler

from archive.lookup import ArchiveLookup
from archive.records import Article, CommentThread, Fetch, Link, Outcome, Section
from archive.store import Archive
from crawler.backfill import MAX_IDS, BackfillError, BackfillSeeds, missing_ids, parse, plan
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
    first = next(batches).urls
    assert len(first) == 500 and first[0].endswith(f"?id={MAX_IDS - 1}")
    assert crawler.stats.get_value("backfill/ids") == MAX_IDS
    assert crawler.stats.get_value("backfill/url") == backfill.template
    assert next(batches).urls[0].endswith(f"?id={MAX_IDS - 501}")


def test_the_archive_says_which_threads_of_archived_articles_are_not_done(tmp_path):
    """Never fetched, or last failed for a reason worth another try: to fetch; a thread fetched,
    or gone, is done. And the ids without an article are the 404s of URLs by id only."""
    path, url = tmp_path / "a.db", "https://www.policeoracle.com/news/{}.cfm?id={}"
    with Archive.open(path) as archive:
        crawl_id = archive.start_crawl(seeds=[], settings={})
        for i, (status, reason) in enumerate([(None, None), (None, "timeout"), (404, "http_404"),
                                              (200, None)]):  # fmt: skip
            article, thread = url.format("article", i), url.format("comments", i)
            links = (Link(thread, Section.COMMENTS, f"Comments {i}"),)
            fetch = Fetch(url=article, outcome=Outcome.ARTICLE, final_url=article, status=200)
            page = Article(article, f"Title {i}", "", None, "Some text.", links=links)
            archive.record(fetch, page, crawl_id=crawl_id)
            if reason or status:
                outcome = Outcome.COMMENTS if status == 200 else Outcome.FAILED
                thread_page = (
                    CommentThread(article, (), fetched_url=thread) if status == 200 else None
                )
                fetch = Fetch(url=thread, outcome=outcome, status=status, reason=reason)
                archive.record(fetch, thread_page, crawl_id=crawl_id)
        gone = url.format("article", 9)
        archive.record(Fetch(url=gone, outcome=Outcome.FAILED, status=404, reason="http_404"),
                       None, crawl_id=crawl_id)  # fmt: skip
    with ArchiveLookup(path) as lookup:
        articles = [url.format("article", i) for i in range(5)]
        assert lookup.unfetched_threads(articles) == [
            (
                url.format("article", i),
                Link(url.format("comments", i), Section.COMMENTS, f"Comments {i}"),
            )
            for i in (0, 1)
        ]
        assert lookup.missing_ids(crawl_id, url.format("article", "{id}")) == {"http_404": 1}
    stats = {"backfill/url": url.format("article", "{id}"), "archive/crawl_id": crawl_id}
    assert missing_ids(stats, str(path)) == {"archive/counted/missing_ids/http_404": 1}


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
        "archive/counted/missing_ids/http_404": 3,
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
    # resumed: what it requested anew, and what the interrupted crawl had queued
    resumed = {**stats, "archive/resumed": 45, "backfill/seeded": 0, "backfill/threads": 2}
    text = summary({**resumed, "bounds/max_pages": 4}, "x.db")
    said = " ".join(text.split())
    assert "0 newly requested; 45 page(s) of the interrupted crawl resumed" in said
    assert "and the comment threads of 2 archived article(s), never fetched" in said
    assert "4 link(s) not followed: the crawl's page budget was spent (MAX_PAGES" in said


# --- backfilling the fixture site --------------------------------------------------------------


def _command(db, first: int, last: int, *extra: str) -> list[str]:
    return [CLI, "backfill", "--site", "policeoracle", "--from-id", str(first), "--to-id",
            str(last), "--db", str(db), "--origin", ORIGIN, *FAST, *extra]  # fmt: skip


def _backfill(server, db, first: int, last: int, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(db, first, last, *extra),
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
    budget = 12  # the first backfill stops after the first 12 ids: before any comment thread
    db = tmp_path / "backfill.db"
    with serve_site(site) as server:
        first = _backfill(server, db, low, middle, "--max-pages", str(budget))
        first_requests = server.requests
        server.clear()
        second = _backfill(server, db, high, low)  # the whole range, newest first
        second_requests = server.requests
        server.clear()
        some = [i for i in range(low, middle + 1) if i not in site.articles][:3]
        third = _backfill(server, db, some[0], some[-1], "--retry-missing")
        third_requests = server.requests

    # the first: the first ids of its range requested once, its budget spent on them (so no
    # comment thread), nothing else (no In Other News link followed)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "finished (closespider_pagecount)" in first.stdout
    assert "not followed: the crawl's page budget was spent" in first.stdout
    in_first = [i for i in ids if i < low + budget]
    assert len(in_first) >= 3
    assert sorted(_ids(first_requests, "article.cfm")) == list(range(low, low + budget))
    assert {r.path for r in first_requests} <= (
        {"/robots.txt"} | {f"/news/article.cfm?id={i}" for i in range(low, low + budget)}
    )  # fmt: skip
    missing = budget - len(in_first)
    assert f"{missing} id(s) had no article (404 or 410)" in first.stdout
    assert re.search(r"failed fetches\s+0\n", first.stdout), first.stdout
    gone = _rows(db, "select url, status, reason, outcome from fetches where crawl_id = 1 "
                 "and status = 404")  # fmt: skip
    assert len(gone) == missing
    assert {(s, r, o) for _, s, r, o in gone} == {(404, "http_404", "failed")}

    # the second: the ids the first did not reach, newest first, and the comment threads of the
    # first's articles (their articles not again): every page of the site asked for once in all
    assert second.returncode == 0, second.stderr[-2000:]
    asked = _ids(second_requests, "article.cfm")
    assert sorted(asked, reverse=True) == list(range(high, low + budget - 1, -1))
    half = len(asked) // 2  # newest first, give or take the concurrent requests
    assert sum(asked[:half]) > sum(asked[-half:])
    assert f"{len(in_first)} already archived and {missing} known to be gone" in second.stdout
    assert f"the comment threads of {len(in_first)} archived article(s)" in second.stdout
    assert "not due" not in second.stdout  # a thread's link back to its article is no new page
    assert set(_ids(second_requests, "comments.cfm")) == set(ids)
    twice = Counter(r.path for r in [*first_requests, *second_requests] if r.path != "/robots.txt")
    assert {path for path, n in twice.items() if n > 1} == set()
    archived = {url for (url,) in _rows(db, "select url from articles")}
    assert archived == {site.canonical_url(i) for i in ids}
    unfetched = _rows(db, "select to_url from links where section = 'comments' and from_url in "
                      "(select url from articles) and to_url not in "
                      "(select url from fetches where outcome = 'comments')")  # fmt: skip
    assert unfetched == []
    threads = {u for (u,) in _rows(db, "select distinct article_url from comments")}
    assert threads == {site.canonical_url(i) for i in ids if site.articles[i].comments}
    assert re.search(r"failed fetches\s+0\n", second.stdout), second.stdout

    # --retry-missing asks for the ids known to be gone again, never the archived ones
    assert third.returncode == 0, third.stderr[-2000:]
    assert set(_ids(third_requests, "article.cfm")) == set(some)


def test_a_resumed_backfill_counts_the_ids_without_an_article_from_the_archive(tmp_path):
    """Interrupted (Ctrl-C) and run again, a backfill is resumed under its crawl's id, and its
    summary counts the ids without an article of both parts apart from failures, as a backfill
    run at once does."""
    site = build_site(12, seed=5, hazards=False)
    ids = sorted(site.articles)
    low, high = ids[0], ids[-1]
    missing = high - low + 1 - len(ids)
    db = tmp_path / "resumed.db"
    slow = ["-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    with serve_site(site) as server:
        env = loopback_env(server.proxy_url)
        run = subprocess.Popen(_command(db, low, high, *slow), env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 120
        while run.poll() is None and len(server.requests) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        run.send_signal(signal.SIGINT)
        run.wait(timeout=120)
        again = _backfill(server, db, low, high)

    assert _rows(db, "select id, finish_reason from crawls") == [(1, "finished")], again.stdout
    assert "resumed an unfinished crawl" in again.stdout, "the backfill ended before Ctrl-C"
    assert re.search(
        r"0 newly requested; \d+ page\(s\) of the interrupted crawl resumed", again.stdout
    )
    assert f"{missing} id(s) had no article (404 or 410)" in again.stdout, again.stdout
    assert re.search(r"failed fetches\s+0\n", again.stdout), again.stdout
    assert "http_404" not in again.stdout
    assert _rows(db, "select count(*) from fetches where status = 404") == [(missing,)]
    assert {u for (u,) in _rows(db, "select url from articles")} == {
        site.canonical_url(i) for i in ids
    }
