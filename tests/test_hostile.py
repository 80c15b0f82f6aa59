"""A crawl against hostile and failing servers on 127.0.0.1: it stays on its site, stops where a
site never ends, and never reports lost data as stored.

Each test serves a small site of its own (tests/hostile_server.py) and runs the real
`police-archive crawl` on it; another server plays everything the crawl must never reach (a
cloud metadata address, another port of the loopback, another domain), and records any request.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile_server import LoopbackServer, Reply, crawl, text

SECRET = "SECRET-TOKEN aws_secret_access_key=AKIAEXAMPLE"


def html(body: str, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Reply:
    page = f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"
    return Reply(status, [("Content-Type", "text/html; charset=utf-8"), *(headers or [])],
                 page.encode())  # fmt: skip


def article(number: int, related: list[tuple[str, str]]) -> Reply:
    items = "".join(f'<li><a href="{href}">{title}</a></li>' for href, title in related)
    paragraphs = "".join(
        f"<p>Paragraph {i} of story {number}: officers in the county attended a number of "
        f"incidents over the weekend and made several arrests, the force said on Monday.</p>"
        for i in range(4)
    )
    return html(
        f"<main><h1>Police story number {number} of the day</h1><p>By Jo Bloggs | 12 August "
        f"2020, 17:04</p>{paragraphs}</main><aside><h3>In Other News</h3><ul>{items}</ul></aside>"
    )


def redirect(location: str) -> Callable[[str], Reply]:
    return lambda path: Reply(302, [("Location", location)], b"")


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def elsewhere():
    """Everything off the crawl's site: it answers with a secret and records each request."""
    with LoopbackServer(fallback=lambda path: text(SECRET)) as server:
        yield server


def test_redirects_off_the_site_are_recorded_and_never_followed(tmp_path, elsewhere):
    other = elsewhere.port
    targets = {
        "/r/metadata": "http://169.254.169.254/latest/meta-data/iam/",
        "/r/other-port": f"http://127.0.0.1:{other}/secret",
        "/r/localhost": f"http://localhost:{other}/secret",
        "/r/protocol-relative": f"//127.0.0.1:{other}/secret",
        "/r/other-domain": "http://evil.example/secret",
        "/r/other-scheme": f"https://127.0.0.1:{other}/secret",
    }
    related = [(path, f"Story behind {path}") for path in targets] + [("/news/2", "Story 2")]
    routes = {path: redirect(location) for path, location in targets.items()}
    routes["/news/1"] = lambda path: article(1, related)
    routes["/news/2"] = lambda path: article(2, [("/news/1", "Story 1")])
    with LoopbackServer(routes) as site:
        db = tmp_path / "a.db"
        result = crawl([site.url("/news/1")], db, site.env())
        asked = site.paths()
    assert result.returncode == 0, result.stderr[-2000:]
    # nothing off the site was requested: not through the proxy, not directly
    assert not elsewhere.paths()
    assert not [p for p in asked if "secret" in p or "meta-data" in p], asked
    # every off-site redirect is one fetch-log row with its reason, and nothing was stored
    reasons = dict(rows(db, "select url, reason from fetches where url like '%/r/%'"))
    assert reasons == {site.url(path): "offsite_redirect" for path in targets}
    assert not rows(db, f"select url from articles where text like '%{SECRET[:12]}%'")
    assert {r[0] for r in rows(db, "select url from articles")} == {
        site.url("/news/1"),
        site.url("/news/2"),
    }


def test_a_link_to_another_port_or_host_is_not_followed(tmp_path, elsewhere):
    other = f"http://127.0.0.1:{elsewhere.port}"
    related = [(f"{other}/news/3", "Elsewhere 3"), ("http://localhost/news/4", "Local 4"),
               ("http://10.0.0.1/news/5", "Private 5"), ("/news/2", "Story 2")]  # fmt: skip
    routes = {
        "/news/1": lambda path: article(1, related),
        "/news/2": lambda path: article(2, []),
    }
    with LoopbackServer(routes) as site:
        db = tmp_path / "a.db"
        result = crawl([site.url("/news/1")], db, site.env())
        asked = site.paths()
    assert result.returncode == 0, result.stderr[-2000:]
    assert not elsewhere.paths()
    assert set(asked) <= {"/robots.txt", "/news/1", "/news/2"}
    # the archive's links are between pages of its sites: the story on the site is linked
    edges = {r[0] for r in rows(db, "select to_url from links where section = 'in_other_news'")}
    assert edges == {site.url("/news/2")}


def _listing(page: int, entries: list[str]) -> Reply:
    items = "".join(f'<li><h3><a href="{e}">Entry {e} of the news listing</a></h3></li>'
                    for e in entries)  # fmt: skip
    return html(f'<h1>News</h1><ul>{items}</ul><p><a href="/news/?page={page + 1}">Next</a></p>')


def test_a_listing_that_never_ends_is_stopped_as_a_trap(tmp_path):
    """Page N always links to page N+1 and lists the same few articles: after TRAP_PATIENCE
    pages without a new entry the chain stops, and the summary says why."""
    entries = [f"/news/story/{i}" for i in range(1, 7)]

    def listing(path: str) -> Reply:
        page = int(path.partition("page=")[2] or 1)
        return _listing(page, entries)

    routes = {"/news/": listing}
    stories = {e: (lambda path, e=e: article(int(e.rsplit("/", 1)[1]), [])) for e in entries}
    routes.update(stories)
    with LoopbackServer(routes) as site:
        result = crawl([site.url("/news/")], tmp_path / "a.db", site.env())
        listings = [p for p in site.paths() if p.startswith("/news/?") or p == "/news/"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(listings) <= 2 + 5 + 1  # page 1, then TRAP_PATIENCE pages without news, at most
    assert "listing pages that brought no new article" in result.stdout
    assert len(rows(tmp_path / "a.db", "select url from articles")) == 6


def test_pagination_is_capped(tmp_path):
    """Page N links to page N+1 and lists one new article each time: the pagination cap ends
    the chain, counted and named in the summary."""

    def listing(path: str) -> Reply:
        page = int(path.partition("page=")[2] or 1)
        return _listing(page, [f"/news/story/{1000 + page * 10 + i}" for i in range(5)])

    def story(path: str) -> Reply:
        return article(int(path.rsplit("/", 1)[1]), [])

    with LoopbackServer({"/news/": listing}, fallback=story) as site:
        result = crawl(
            [site.url("/news/")], tmp_path / "a.db", site.env(), "-s", "PAGINATION_LIMIT=8"
        )
        listings = [p for p in site.paths() if p.startswith("/news/?")]
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(listings) == 8
    assert "beyond the pagination cap of a listing (PAGINATION_LIMIT)" in result.stdout


def test_related_chains_are_bounded_by_depth(tmp_path):
    """Every article links to the next one, for ever: RELATED_DEPTH_LIMIT ends the chain."""

    def story(path: str) -> Reply:
        number = int(path.rsplit("/", 1)[1])
        return article(number, [(f"/news/story/{number + 1}", f"Story {number + 1}")])

    with LoopbackServer(fallback=story) as site:
        db = tmp_path / "a.db"
        result = crawl([site.url("/news/story/1")], db, site.env(), "-s", "RELATED_DEPTH_LIMIT=6")
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(rows(db, "select url from articles")) == 7  # the seed and six hops
    assert "beyond the depth limit (RELATED_DEPTH_LIMIT)" in result.stdout


def test_the_bounds_have_defaults(tmp_path):
    import crawler.settings as s

    assert s.RELATED_DEPTH_LIMIT > 0 and s.PAGINATION_LIMIT > 0 and s.TRAP_PATIENCE > 0
