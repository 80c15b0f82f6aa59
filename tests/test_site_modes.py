"""Tests of the fixture server's two modes (proxy and origin), the URL schemes of the markups and
``python -m sample_site --markup NAME --origin``. See test_site_markups.py for the pages."""

from __future__ import annotations

import html
import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sample_site import MARKUPS, TOUCH, WWW, build_site, get_markup, serve_site
from sample_site.links import PROXY
from tests.loopback import NoRedirect, loopback_only  # noqa: F401 - loopback_only: an autouse fixture

ROOT = Path(__file__).resolve().parents[1]


def _get(url: str, *, proxy: str | None = None, headers: dict | None = None):
    """(status, headers, body) without following redirects; `proxy`: send through it."""
    handler = urllib.request.ProxyHandler({"http": proxy} if proxy else {})
    opener = urllib.request.build_opener(handler, NoRedirect())
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=5) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers, err.read()


@pytest.fixture(scope="module")
def blog():
    site = build_site(30, seed=2, markup="blog")
    with serve_site(site) as server:
        yield site, server


def test_origin_mode_is_an_unknown_site(blog):
    site, server = blog
    origin = server.origin
    assert origin == f"http://127.0.0.1:{server.port}" == server.base
    listing, article = site.seeds(origin)
    assert listing == origin + "/news/" and article == site.canonical_url(site.touch_seed, origin)
    status, headers, body = _get(article)
    assert status == 200 and f'<link rel="canonical" href="{article}" />'.encode() in body
    assert b"policeoracle.localhost" not in body
    # an absolute URI naming the server (a crawler with http_proxy set) is origin mode too
    status, _, body = _get(article, proxy=server.proxy_url)
    assert status == 200 and b"policeoracle.localhost" not in body
    # the name the client used is the origin's
    status, _, body = _get(article, headers={"Host": f"localhost:{server.port}"})
    assert status == 200 and f"http://localhost:{server.port}/news/".encode() in body
    old = site.hazard_urls("legacy_story", origin)[0]
    status, headers, _ = _get(old)
    assert status == 301 and headers["Location"] == site.canonical_url(
        site.hazards["legacy_story"][0], origin
    )
    records = [r for r in server.requests if r.origin]
    assert records and {r.host for r in records} >= {f"127.0.0.1:{server.port}"}
    assert not server.rejected
    # another port of the loopback is another site: refused
    status, _, _ = _get(article, headers={"Host": f"127.0.0.1:{server.port + 1}"})
    assert status == 502 and server.rejected


def test_proxy_mode_hosts(blog):
    site, server = blog
    proxy = server.proxy_url
    article = site.url(site.touch_seed)
    assert article.startswith(f"http://{WWW}/news/") and site.seeds() == [
        f"http://{WWW}/news/",
        article,
    ]
    assert _get(article, proxy=proxy)[0] == 200
    # no touch edition: the touch host redirects to www, as m. and the bare domain do
    status, headers, _ = _get(site.url(site.touch_seed, TOUCH), proxy=proxy)
    assert status == 301 and headers["Location"] == article
    assert [r.origin for r in server.requested(host=WWW)] and not any(
        r.origin for r in server.requested(host=WWW)
    )


def test_path_ids_have_one_url_per_article():
    site = build_site(60, seed=2, markup="newsroom")
    i = site.listed[0]
    path = site.path(i)
    section, number, slug = path.split("/")[2:]
    assert (
        number == str(i) and slug and section == site.articles[i].category.lower().replace(" ", "-")
    )
    for other in (f"/news/{i}", f"/news/{section}/{i}/wrong-slug", f"/news/{i}/{slug}", path + "/"):
        response = site.respond(WWW, other)
        assert response.status == 301 and response.header("Location") == site.canonical_url(i)
    assert site.respond(WWW, path + "?utm_source=x").status in (200, 429, 503, 500)
    old = {
        f"/news/article.cfm?id={i}": site.canonical_url(i),
        f"/news/comments.cfm?id={i}": site.comments_url(i),
        "/news/index.cfm?page=2": site.listing_url(2),
        f"/news/story.asp?id={i}": f"http://{WWW}/news/article.cfm?id={i}",
    }
    for url, location in old.items():
        response = site.respond(WWW, url)
        assert response.status == 301 and response.header("Location") == location, url
    assert site.respond(WWW, "/news/page/99").status == 404
    assert site.resolve(site.comments_url(i)) == ("comments", i)
    assert site.resolve("/news/page/2", site.canonical_url(i)) == ("listing", 2)
    assert site.resolve("/news/drafts/5/") == ("draft", 5)
    assert site.resolve(f"http://127.0.0.1:9/news/{section}/{i}/{slug}") == ("article", i)
    assert "Disallow: /news/drafts/\n" in site.robots_txt()


def test_markup_names():
    assert MARKUPS[0] == "classic" and len(set(MARKUPS)) == len(MARKUPS) >= 6
    assert {m: get_markup(m).name for m in MARKUPS} == {m: m for m in MARKUPS}
    with pytest.raises(ValueError, match="unknown markup"):
        build_site(10, markup="nope")
    for name in MARKUPS:  # every module says what it varies
        doc = sys.modules[type(get_markup(name)).__module__].__doc__
        assert doc and len(doc) > 400, name


def test_markup_boilerplate_appears_on_article_pages():
    """Each string of `boilerplate()` is on some article page of the markup."""
    for name in MARKUPS:
        site = build_site(60, seed=1, markup=name)
        pages = [site.markup.article(site.article_view(a, PROXY)) for a in site.articles.values()]
        text = html.unescape("\n".join(pages))
        for string in site.boilerplate():
            assert string in text, (name, string)


def test_main_module_serves_a_markup_in_origin_mode(tmp_path):
    expected = tmp_path / "expected.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sample_site",
            "--articles",
            "20",
            "--no-hazards",
            "--markup",
            "magazine",
            "--origin",
            "--expected",
            str(expected),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        origin = info["origin"]
        assert info["mode"] == "origin" and info["markup"] == "magazine"
        assert origin.startswith("http://127.0.0.1:") and all(
            s.startswith(origin + "/") for s in info["seeds"]
        )
        status, _, body = _get(info["seeds"][0])
        assert status == 200 and b"c-list__item" in body and b"policeoracle" not in body
        urls = [e["url"] for e in json.loads(expected.read_text())]
        assert len(urls) == info["expected"] == 20
        assert all(urlsplit(u).netloc == urlsplit(origin).netloc for u in urls)
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        proc.stdout.close()


def test_origin_mode_never_names_the_proxy_domain():
    """Every kind of answer, for every id, in every markup: no policeoracle.localhost."""
    origin = "http://127.0.0.1:8642"
    misc = ["/", "/robots.txt", "/rss/news.xml", "/jobs/", "/login.cfm", "/nothing", "/news"]
    for name in MARKUPS:
        site = build_site(20, seed=4, markup=name)
        paths = list(misc)
        for i in sorted(set(site.articles) | set(site.phantoms)):
            target = site.target(i)
            paths += [site.path(i), site.scheme.comments(target), site.scheme.draft(target)]
            paths += [site.scheme.legacy(k, i) for k in ("legacy_story", "legacy_chain")]
            paths += [f"/news/print.cfm?id={i}", f"/news/email.cfm?id={i}", site.path(i) + "?r=1"]
        paths += [site.scheme.listing(p) for p in range(1, site.pages + 1)]
        for path in paths:
            response = site.respond("ignored", path, origin=origin)
            head = next(iter(response.body())) if response.streamed else response.body
            assert b"policeoracle.localhost" not in head, (name, path)
            assert "policeoracle.localhost" not in str(response.headers), (name, path)


def test_no_module_of_the_fixture_site_is_over_400_lines():
    for path in (ROOT / "sample_site").rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path
