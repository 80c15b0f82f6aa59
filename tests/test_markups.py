"""Crawls of the fixture site in every markup, under the profiled domain and as an unknown site.

The unseen-markup issue's targets, on each of sample_site's markups (sample_site/markups/: the
same articles written as nine different CMSs would), each crawled twice: through the proxy as
``www.policeoracle.localhost`` (the Police Oracle profile applies; its layouts read only the
classic markup, so the others are read the generic way and recorded as layout misses), and
served directly on 127.0.0.1:PORT, a site no profile knows. Every crawl must store every
reachable article once with its In Other News edges and comments, fields exact, no boilerplate
in any body, no robots.txt violation and no request off the site.

The eighteen crawls run three at a time (most of their time is the fixture's hazards waiting:
stalls, Retry-After), about a minute and a half in all.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from sample_site import MARKUPS
from tests.crawl_check import Report, crawl_and_check

MODES = ("proxy", "origin")
ARTICLES = 30
QUICKER = ["-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_BACKOFF_BASE=0.1"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[tuple[str, str], Report]:
    folder = tmp_path_factory.mktemp("markups")

    def one(job: tuple[str, str]) -> Report:
        markup, mode = job
        db = folder / f"{markup}-{mode}.db"
        return crawl_and_check(markup, mode, db, articles=ARTICLES, extra=QUICKER)

    jobs = [(markup, mode) for markup in MARKUPS for mode in MODES]
    with ThreadPoolExecutor(3) as pool:
        return {(r.markup, r.mode): r for r in pool.map(one, jobs)}


def test_there_are_at_least_six_markups():
    assert len(MARKUPS) >= 6 and "classic" in MARKUPS


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("markup", MARKUPS)
def test_every_markup_is_crawled_completely(reports, markup, mode):
    r = reports[(markup, mode)]
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.recall >= 0.995, r.misses.get("articles")
    assert not r.extra, r.extra[:5]  # nothing else stored as an article: no listing, no thread
    assert r.edge_recall >= 0.99, (r.edges_found, r.edges_expected)
    for name in ("title", "author", "published"):
        assert r.share(name) >= 0.99, r.misses.get(name, [])[:3]
    assert r.f1_min >= 0.98, r.misses.get("text", [])[:3]
    assert not r.leaks, r.leaks[:5]
    assert r.comments_found == r.comments_expected, (r.comments_found, r.comments_expected)
    assert not r.robots_violations and not r.offsite


@pytest.mark.parametrize("markup", MARKUPS)
def test_layout_misses_are_reported_not_silent(reports, markup):
    """Under the profiled domain, a markup the profile's layouts do not read is read the generic
    way, and the summary and the fetch log say so; the classic markup is the profile's own."""
    r = reports[(markup, "proxy")]
    with sqlite3.connect(r.db) as conn:
        misses = conn.execute("select count(*) from fetches where reason = 'layout_miss'")
        (count,) = misses.fetchone()
    if markup == "classic":
        assert count == 0 and "matched no layout" not in r.stdout
    else:
        assert count > 0
        assert f"{count} page(s) of policeoracle matched no layout" in r.stdout
    origin = reports[(markup, "origin")]
    assert "matched no layout" not in origin.stdout  # no profile there, nothing to miss
