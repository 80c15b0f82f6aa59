"""Tests of the fixture police-news site itself (sample_site): content, routing, hazards, server.

Everything goes to the fixture server on 127.0.0.1, through urllib with a proxy handler (the way
a crawler with http_proxy set talks to it); a guard fails any test that connects elsewhere.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from sample_site import BASE, TOUCH, WWW, build_site, resolve_href, serve_site
from sample_site.content import CP1252_MARKERS
from tests.loopback import loopback_only, openers  # noqa: F401 - loopback_only: an autouse fixture

ROOT = Path(__file__).resolve().parents[1]

MAX_BODY = 5_000_000  # what our little crawler below is willing to download


# --- plumbing -------------------------------------------------------------------------------


class Client:
    def __init__(self, proxy_url: str):
        self.follow, self.plain = openers(proxy_url)

    def get(self, url: str, *, follow: bool = True, timeout: float = 5.0, max_body=None):
        """(status, headers, body, final URL); status None on a timeout."""
        opener = self.follow if follow else self.plain
        try:
            response = opener.open(url, timeout=timeout)
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read(), err.url
        except TimeoutError:
            return None, None, b"", url
        with response:
            length = int(response.headers.get("Content-Length") or 0)
            if max_body is not None and length > max_body:
                return response.status, response.headers, None, response.url
            return response.status, response.headers, response.read(), response.url


def _decode(body: bytes) -> str:
    """As a browser would: by the <meta> charset (the HTTP header may lie)."""
    return body.decode("cp1252" if b"charset=windows-1252" in body[:600] else "utf-8")


@pytest.fixture(scope="module")
def site():
    return build_site(40, seed=1, hazards=True)


@pytest.fixture(scope="module")
def server(site):
    with serve_site(site) as server:
        yield server


@pytest.fixture(scope="module")
def client(server):
    return Client(server.proxy_url)


# --- content and structure ------------------------------------------------------------------


def test_shape_of_a_full_site():
    site = build_site(400)
    arts = list(site.articles.values())
    modern = [a for a in arts if a.layout == "modern"]
    table = [a for a in arts if a.layout == "table"]
    assert len(modern) == len(table) == 200
    assert all(2013 <= a.published.year <= 2022 for a in modern)
    assert all(2006 <= a.published.year <= 2012 for a in table)
    assert len({a.title for a in arts}) == 400
    assert all(4 <= len(a.paragraphs) <= 9 for a in arts)
    assert all(25 <= len(p.split()) <= 60 for a in arts for p in a.paragraphs)
    assert all(3 <= len(a.related) <= 6 for a in arts)
    assert 0.3 <= sum(bool(a.comments) for a in arts) / 400 <= 0.5
    assert all(1 <= len(a.comments) <= 6 for a in arts if a.comments)
    assert 0.03 <= sum(not a.author for a in arts) / 400 <= 0.14
    assert 0.03 <= sum(a.paywalled for a in modern) / 200 <= 0.09
    assert not any(a.paywalled for a in table)
    assert len(site.hazards["windows_1252"]) == 20
    assert 4 <= len(site.hazards["broken_html"]) <= 8
    assert {a.category for a in arts} >= {"Crime", "Misconduct", "Roads Policing", "Training"}
    vocabulary = {w.lower() for a in arts for w in a.expected_text().split()}
    assert len(vocabulary) > 1500
    # the listing: the newest 60%, newest first; everything else only via In Other News
    assert len(site.listed) == 240 and site.pages == 12
    newest = sorted(site.articles, key=lambda i: site.articles[i].published, reverse=True)
    assert site.listed == newest[:240]
    reachable = site.reachable_ids()
    assert reachable == set(site.articles) - set(site.hazards["unreachable"])
    assert len(site.expected()) == 398


def test_deterministic_and_seeded():
    one, again, other = build_site(40), build_site(40), build_site(40, seed=2)
    assert one.expected() == again.expected()
    assert one.hazards == again.hazards
    assert one.expected() != other.expected()
    # the content does not depend on the hazards switch
    calm = build_site(40, hazards=False)
    assert [a.title for a in calm.articles.values()] == [a.title for a in one.articles.values()]


def test_hazard_free_site():
    site = build_site(60, hazards=False)
    for key, ids in site.hazards.items():
        assert (ids != []) == (key in ("windows_1252", "broken_html")), key
    assert {e["url"] for e in site.expected()} == {
        BASE + f"/news/article.cfm?id={i}" for i in site.articles
    }
    hrefs = [h for a in site.articles.values() for h in a.related]
    kinds = {resolve_href(h)[0] for h in hrefs}
    assert kinds == {"article"}
    assert all(resolve_href(h)[1] in site.articles for h in hrefs)
    assert any("utm_source" in h for h in hrefs) and any("CFID=" in h for h in hrefs)
    assert any(h.startswith(f"http://{TOUCH}/") for h in hrefs)
    assert any(h.startswith("article.cfm?") for h in hrefs)


def test_expected_records(site):
    expected = site.expected()
    by_url = {e["url"]: e for e in expected}
    assert len(by_url) == len(expected)
    keys = {
        "url",
        "title",
        "author",
        "published",
        "standfirst",
        "text",
        "category",
        "paywalled",
        "comment_count",
        "comments",
        "in_other_news",
    }
    for e in expected:
        assert set(e) == keys
        assert re.fullmatch(re.escape(BASE) + r"/news/article\.cfm\?id=\d+", e["url"])
        datetime.strptime(e["published"], "%Y-%m-%dT%H:%M:%S")
        assert e["text"].startswith(e["standfirst"])
        assert e["comment_count"] == len(e["comments"])
        for c in e["comments"]:
            assert set(c) == {"author", "posted", "text"} and c["posted"] > e["published"]
        assert all(u.startswith(BASE + "/news/article.cfm?id=") for u in e["in_other_news"])
    for i in site.hazards["unreachable"]:
        assert i in site.articles and site.canonical_url(i) not in by_url
    # dead and legacy edges are kept, drafts are not
    edges = {u for e in expected for u in e["in_other_news"]}
    for key in ("dead_404", "dead_410", "redirect_loop", "pdf", "stall", "legacy_story"):
        assert site.hazards[key] and {site.canonical_url(i) for i in site.hazards[key]} <= edges
    assert not {site.canonical_url(i) for i in site.hazards["robots_draft"]} & edges


# --- serving --------------------------------------------------------------------------------


def test_robots_txt_on_both_hosts(site, client):
    for host in (WWW, TOUCH):
        status, headers, body, _ = client.get(f"http://{host}/robots.txt")
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        text = body.decode()
        assert "User-agent: *" in text
        for path in site.disallowed_paths():
            assert f"Disallow: {path}\n" in text
    assert set(site.disallowed_paths()) == {"/news/draft.cfm", "/private/", "/search.cfm"}


def test_both_hosts_render(site, client):
    modern = next(i for i in site.listed if site.articles[i].layout == "modern")
    table = next(i for i in site.articles if site.articles[i].layout == "table")
    canonical = f'<link rel="canonical" href="{BASE}/news/article.cfm?id={{}}">'
    status, _, body, _ = client.get(site.url(table))
    page = _decode(body)
    assert status == 200 and "<title>Police Oracle</title>" in page and "Date - " in page
    assert 'rel="canonical"' not in page
    status, _, body, _ = client.get(site.url(modern))
    assert status == 200 and canonical.format(modern) in _decode(body)
    for i in (modern, table):  # the touch host serves every article in the modern layout
        status, _, body, _ = client.get(site.url(i, TOUCH))
        page = _decode(body)
        assert status == 200 and '<body class="touch">' in page
        assert canonical.format(i) in page
    assert site.seeds() == [f"{BASE}/news/index.cfm", site.url(site.touch_seed, TOUCH)]


def test_listing_pages(site, client):
    pages = [_decode(client.get(f"{BASE}{p}")[2]) for p in ("/news/", "/news/index.cfm")]
    first = _decode(client.get(f"{BASE}/news/index.cfm?page=1")[2])
    assert pages == [first, first]
    ids = [resolve_href(h)[1] for h in re.findall(r'<h3><a href="([^"]+)"', first)]
    assert ids == site.listed[:20]
    assert 'href="/news/index.cfm?page=2" rel="next"' in first
    last = _decode(client.get(f"{BASE}/news/index.cfm?page={site.pages}")[2])
    assert [resolve_href(h)[1] for h in re.findall(r'<h3><a href="([^"]+)"', last)] == (
        site.listed[20:]
    )
    assert client.get(f"{BASE}/news/index.cfm?page={site.pages + 1}")[0] == 404
    status, _, body, _ = client.get(f"{BASE}/news/index.cfm?category=Operational+Policing")
    assert status == 200 and b'<ul class="news-list">' in body


def test_other_pages_answer(site, client):
    i = site.listed[0]
    for path in (
        "/",
        f"/news/print.cfm?id={i}",
        f"/news/email.cfm?id={i}",
        "/jobs/",
        "/calendar.cfm?month=8&year=2020",
        "/login.cfm",
        "/cookies.cfm",
        "/terms.cfm",
        "/search.cfm?q=",
        "/subscribe.cfm",
        "/rss/news.xml",
        "/css/site.css",
        f"/news/comments.cfm?id={i}",
        f"/news/draft.cfm?id={site.hazards['unreachable'][0]}",
    ):
        assert client.get(BASE + path)[0] == 200, path
    assert client.get(BASE + "/no/such/page.cfm")[0] == 404


def test_legacy_redirects_and_loop(site, client):
    n = site.hazards["legacy_story"][0]
    status, headers, _, _ = client.get(f"{BASE}/news/story.asp?id={n}", follow=False)
    assert status == 301 and headers["Location"] == f"{BASE}/news/article.cfm?id={n}"
    m = site.hazards["legacy_chain"][0]
    status, headers, _, _ = client.get(f"{BASE}/news/archive/{m}.htm", follow=False)
    assert status == 302 and headers["Location"] == f"{BASE}/news/story.asp?id={m}"
    status, _, body, final = client.get(f"{BASE}/news/archive/{m}.htm")
    assert status == 200 and final == f"{BASE}/news/article.cfm?id={m}"
    assert html.escape(site.articles[m].title) in _decode(body)
    x = site.hazards["redirect_loop"][0]
    status, headers, _, _ = client.get(site.url(x), follow=False)
    assert status == 302 and headers["Location"] == site.url(x) + "&r=1"
    status, headers, _, _ = client.get(site.url(x) + "&r=1", follow=False)
    assert status == 302 and headers["Location"] == site.url(x)
    assert client.get(site.url(x))[0] == 302  # urllib gives up on the loop


def test_retries_then_success(site):
    with serve_site(site) as fresh:  # fresh attempt counts
        client = Client(fresh.proxy_url)
        a = site.hazards["retry_429"][0]
        status, headers, _, _ = client.get(site.url(a))
        assert status == 429 and headers["Retry-After"] == "2"
        assert client.get(site.url(a, TOUCH))[0] == 200  # counted per article, any host
        b = site.hazards["retry_503"][0]
        status, headers, _, _ = client.get(site.url(b))
        assert status == 503 and headers["Retry-After"] == "1"
        assert client.get(site.url(b))[0] == 200
        c = site.hazards["retry_500_twice"][0]
        assert [client.get(site.url(c))[0] for _ in range(3)] == [500, 500, 200]
        d = site.hazards["always_500"][0]
        assert [client.get(site.url(d))[0] for _ in range(4)] == [500] * 4
        assert [r.status for r in fresh.requested(path_prefix=f"/news/article.cfm?id={c}")] == [
            500,
            500,
            200,
        ]


def test_windows_1252_pages(site, client):
    plain = [i for i in site.hazards["windows_1252"] if i not in site.hazards["charset_mismatch"]]
    status, headers, body, _ = client.get(site.url(plain[0]))
    assert status == 200 and headers["Content-Type"] == "text/html"  # no charset in HTTP
    assert b'content="text/html; charset=windows-1252"' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp1252")
    assert all(mark in text for mark in CP1252_MARKERS)
    assert html.escape(site.articles[plain[0]].title) in text
    (trap,) = site.hazards["charset_mismatch"]
    status, headers, body, _ = client.get(site.url(trap))
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert "\x92" in body.decode("iso-8859-1") and "’" in body.decode("cp1252")


def test_dead_and_odd_targets(site, client):
    for i in site.hazards["dead_404"]:
        assert client.get(site.url(i))[0] == 404
    for i in site.hazards["dead_410"]:
        assert client.get(site.url(i))[0] == 410
    status, headers, body, _ = client.get(site.url(site.hazards["pdf"][0]))
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
    status, headers, body, _ = client.get(site.url(site.hazards["empty"][0]))
    assert status == 200 and headers["Content-Type"].startswith("text/html") and body == b""
    status, headers, body, _ = client.get(site.url(site.hazards["huge"][0]), max_body=MAX_BODY)
    assert status == 200 and int(headers["Content-Length"]) >= 12 * 1024 * 1024 and body is None
    started = time.monotonic()
    assert client.get(site.url(site.hazards["stall"][0]), timeout=0.3)[0] is None
    assert time.monotonic() - started < 2


def test_huge_body_streams_whole(site):
    response = site.respond(WWW, f"/news/article.cfm?id={site.hazards['huge'][0]}")
    assert response.streamed and len(response.read()) == int(response.header("Content-Length"))


def test_close_is_prompt_with_a_stalled_request(site):
    server = serve_site(site)
    fresh = server.__enter__()
    client = Client(fresh.proxy_url)
    done = threading.Event()

    def stalled():
        try:
            client.get(site.url(site.hazards["stall"][0]), timeout=30)
        except OSError:  # the server hangs up unanswered
            pass
        finally:
            done.set()

    threading.Thread(target=stalled, daemon=True).start()
    deadline = time.monotonic() + 5
    while not fresh.requested(path_prefix="/news/article.cfm") and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    server.__exit__(None, None, None)
    assert time.monotonic() - started < 2
    assert done.wait(2)  # the client was let go too


def test_foreign_hosts_get_502_and_are_logged(server, client):
    status, _, _, _ = client.get("http://example.com/news/")
    assert status == 502
    status, _, _, _ = client.get("http://www.policeoracle.com/news/article.cfm?id=1")
    assert status == 502
    # origin mode: the Host header decides
    request = urllib.request.Request(server.base + "/", headers={"Host": "www.gov.uk"})
    try:
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=5)
        status = 200
    except urllib.error.HTTPError as err:
        status = err.code
    assert status == 502
    rejected = {(r.host, r.status) for r in server.rejected}
    assert {("example.com", 502), ("www.policeoracle.com", 502), ("www.gov.uk", 502)} <= rejected
    # without a site Host header, the server's own address is the www host
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
        server.base + "/robots.txt", timeout=5
    ) as response:
        assert b"Disallow: /news/draft.cfm" in response.read()


# --- ground truth against the live server ----------------------------------------------------


def _crawl(site, client) -> tuple[set[int], dict[int, str]]:
    """An obeying breadth-first crawl of the live server: the article ids it archives and
    their page HTML."""
    disallowed = site.disallowed_paths()
    queue = deque(site.seeds())
    seen: set[tuple[str, int]] = set()
    found: dict[int, str] = {}
    while queue:
        url = queue.popleft()
        kind, number = resolve_href(url, url)
        key = ("article" if kind == "legacy" else kind, number)
        if kind == "other" or key in seen:
            continue
        if any(urlsplit(url).path.startswith(p) for p in disallowed):
            continue
        seen.add(key)
        for _ in range(3):
            status, headers, body, final = client.get(url, timeout=0.5, max_body=MAX_BODY)
            if status not in (429, 500, 503):
                break
        if status != 200 or not body or not headers["Content-Type"].startswith("text/html"):
            continue
        page = _decode(body)
        final_kind, final_number = resolve_href(final, final)
        if final_kind == "article" and ('class="headline"' in page or "Date - " in page):
            found[final_number] = page
        for href in re.findall(r'href="([^"]*)"', page):
            target = urljoin(final, html.unescape(href))
            if resolve_href(target, target)[0] in ("article", "legacy", "listing", "comments"):
                queue.append(target)
    return set(found), found


def test_expected_is_what_an_obeying_crawler_reaches(site, server, client):
    before = len(server.requests)
    reached, pages = _crawl(site, client)
    expected = site.expected_by_url()
    assert {site.canonical_url(i) for i in reached} == set(expected)
    assert not set(site.hazards["unreachable"]) & reached
    crawled = server.requests[before:]
    assert not [r for r in crawled if any(r.path.startswith(p) for p in site.disallowed_paths())]
    for i, page in pages.items():
        e = expected[site.canonical_url(i)]
        assert html.escape(e["title"]) in page
        # the In Other News box, as rendered, matches the expected edges
        if 'class="in-other-news"' in page:
            box = page.split('class="in-other-news"', 1)[1].split("</section>", 1)[0]
        else:
            box = "".join(re.findall(r'<td class="oth">(.*?)</td>', page))
        edges = []
        for href in re.findall(r'href="([^"]*)"', box):
            kind, target = resolve_href(html.unescape(href), site.url(i))
            if kind in ("article", "legacy"):
                edges.append(site.canonical_url(target))
        assert edges == e["in_other_news"], i


def test_main_module_serves(tmp_path):
    log = tmp_path / "requests.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sample_site",
            "--articles",
            "20",
            "--no-hazards",
            "--request-log",
            str(log),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        assert info["proxy_url"].startswith("http://127.0.0.1:") and len(info["seeds"]) == 2
        status, _, body, _ = Client(info["proxy_url"]).get(info["seeds"][0])
        assert status == 200 and b"news-item" in body
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        proc.stdout.close()
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["host"], r["path"], r["status"]) for r in lines] == [(WWW, "/news/index.cfm", 200)]
