"""Tests of the fixture site's markups (sample_site/markups/), in proxy and origin mode.

Every markup is served on 127.0.0.1 and read with urllib: through a proxy handler in proxy mode
(``http://www.policeoracle.localhost/...``), directly in origin mode (``http://127.0.0.1:PORT``).
A guard fails any test that connects elsewhere.
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from itertools import combinations
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
import pytest

from sample_site import MARKUPS, TOUCH, WWW, build_site, serve_site
from sample_site.links import PROXY
from tests.loopback import loopback_only, openers  # noqa: F401 - loopback_only: an autouse fixture

N_ARTICLES = 40
MODES = ("proxy", "origin")
TRACKING = re.compile(r"^(utm_.*|ref|cfid|cftoken|jsessionid|sid)$", re.I)


# --- plumbing -------------------------------------------------------------------------------


class Client:
    """urllib through the fixture server as a proxy (proxy mode) or straight to it (origin)."""

    def __init__(self, proxy_url: str | None):
        self.follow, self.plain = openers(proxy_url)

    def get(self, url: str, *, follow: bool = True, retries: int = 3):
        """(status, headers, body, final URL), retrying 429/500/503 as an obeying crawler."""
        for _ in range(retries):
            opener = self.follow if follow else self.plain
            try:
                with opener.open(url, timeout=5) as response:
                    return response.status, response.headers, response.read(), response.url
            except urllib.error.HTTPError as err:
                result = err.code, err.headers, err.read(), err.url
                err.close()
                if err.code not in (429, 500, 503):
                    return result
        return result


class Served:
    def __init__(self, site, server, mode: str):
        self.site = site
        self.server = server
        self.mode = mode
        self.origin = server.origin if mode == "origin" else None
        self.client = Client(server.proxy_url if mode == "proxy" else None)

    def page(self, url: str) -> tuple[int, str, str, bytes, dict]:
        status, headers, body, final = self.client.get(url)
        return status, _decode(body), final, body, headers

    def canonical(self, url: str) -> str:
        """The URL without tracking parameters and fragment, touch mapped to www."""
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        query = [(k, v) for k, v in query if not TRACKING.match(k)]
        netloc = WWW if parts.netloc == TOUCH else parts.netloc
        return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), ""))


def _decode(body: bytes) -> str:
    head = body[:1024].lower()
    return body.decode("cp1252" if b"charset=windows-1252" in head else "utf-8")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text_of(page: str) -> str:
    """What a reader sees, whitespace normalised (tags dropped, entities decoded)."""
    parser = _Text()
    parser.feed(page)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def norm(text: str) -> str:
    return " ".join(text.split())


_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def hrefs(fragment: str) -> list[str]:
    return [
        html.unescape(next(g for g in m.groups() if g is not None))
        for m in _HREF.finditer(fragment)
    ]


@pytest.fixture(scope="module", params=MARKUPS)
def served_site(request):
    site = build_site(N_ARTICLES, seed=1, hazards=True, markup=request.param)
    with serve_site(site) as server:
        yield site, server


@pytest.fixture(params=MODES)
def served(served_site, request):
    site, server = served_site
    return Served(site, server, request.param)


# --- every markup, both modes ---------------------------------------------------------------


def test_article_pages(served):
    """Each expected article answers 200 with its headline, standfirst, paragraphs, list,
    byline, the boilerplate it claims, links to its thread and More News, and a related box
    whose links lead (after redirects, minus tracking parameters) to `in_other_news`; so does
    the touch edition of some, when the markup has one (proxy mode)."""
    site, origin = served.site, served.origin
    touch = origin is None and site.markup.touch_edition
    for k, e in enumerate(site.expected(origin)):
        a = site.articles[site.resolve(e["url"])[1]]
        page, text = _check_article_page(served, e["url"], e, a)
        for string in site.boilerplate(a.id):
            assert norm(string) in text or html.escape(string) in page, (a.id, string)
        if touch and k % 4 == 0:
            page, _ = _check_article_page(served, site.url(a.id, TOUCH), e, a)
            assert f'<link rel="canonical" href="{e["url"]}">' in page


def _check_article_page(served, url, e, a) -> tuple[str, str]:
    site, origin = served.site, served.origin
    status, page, final, body, headers = served.page(url)
    assert status == 200, url
    assert served.canonical(final) == e["url"]
    text = text_of(page)
    for piece in [
        a.title,
        a.standfirst,
        *a.visible_paragraphs,
        *a.bullets[: 9 * (not a.paywalled)],
    ]:
        assert norm(piece) in text, (url, piece)
    assert a.author in text and a.published.strftime("%M") in page
    links = [served.canonical(urljoin(final, h)) for h in hrefs(page)]
    assert served.canonical(site.comments_url(a.id, origin)) in links
    assert served.canonical(site.listing_url(1, origin)) in links  # More News
    box = site.markup.related_box(page)
    resolved = []
    for href in hrefs(box):
        target = urljoin(final, href)
        kind, number = site.resolve(target, final)
        assert kind in ("article", "legacy", "draft"), (url, href)
        if kind == "draft":
            assert any(urlsplit(target).path.startswith(p) for p in site.disallowed_paths())
            continue
        if kind == "legacy":
            status, _, _, target = served.client.get(target)
            assert status == 200, href
        resolved.append(served.canonical(target))
    assert resolved == e["in_other_news"], url
    if origin:
        assert b"policeoracle.localhost" not in body, url
        assert "policeoracle.localhost" not in str(headers)
    return page, text


def test_listing_pages_cover_the_listed_articles(served):
    site, origin = served.site, served.origin
    queue = deque([site.seeds(origin)[0]])
    seen_pages: set[int] = set()
    found: list[int] = []
    while queue:
        url = queue.popleft()
        kind, page = site.resolve(url, url)
        if kind != "listing" or page in seen_pages:
            continue
        seen_pages.add(page)
        status, text, final, body, _ = served.page(url)
        assert status == 200, url
        ids = []
        for href in hrefs(text):
            target = urljoin(final, href)
            kind, number = site.resolve(target, final)
            if kind == "listing":
                queue.append(target)
            elif kind == "article" and number not in ids:
                ids.append(number)
        assert ids[: len(site.listing_page(page))] == site.listing_page(page), url
        found += ids
        if origin:
            assert b"policeoracle.localhost" not in body
    assert seen_pages == set(range(1, site.pages + 1))
    assert set(found) >= set(site.listed)


def test_comment_threads(served):
    site, origin = served.site, served.origin
    for e in site.expected(origin):
        a = site.articles[site.resolve(e["url"])[1]]
        if not a.comments and a.id % 3:
            continue  # every thread with comments, and some empty ones
        url = site.comments_url(a.id, origin)
        status, page, final, body, _ = served.page(url)
        assert status == 200, url
        text = text_of(page)
        for c in a.comments:
            assert norm(c.author) in text and norm(c.text) in text, url
            assert c.posted.strftime("%M") in text  # the time is shown
        back = [served.canonical(urljoin(final, h)) for h in hrefs(page)]
        assert e["url"] in back, url
        if origin:
            assert b"policeoracle.localhost" not in body


def test_seeds_hazards_and_redirects(served):
    site, origin, client = served.site, served.origin, served.client
    listing, article = site.seeds(origin)
    if origin is None and site.markup.touch_edition:
        assert urlsplit(article).hostname == TOUCH
    else:
        assert article == site.canonical_url(site.touch_seed, origin)
    for url in (listing, article):
        assert client.get(url)[0] == 200
    robots = client.get(urljoin(listing, "/robots.txt"))[2].decode()
    for path in site.disallowed_paths():
        assert f"Disallow: {path}\n" in robots
    for key in ("legacy_story", "legacy_chain"):
        for url, i in zip(site.hazard_urls(key, origin), site.hazards[key], strict=True):
            status, headers, _, _ = client.get(url, follow=False)
            assert status in (301, 302) and headers["Location"].startswith("http")
            if origin:
                assert headers["Location"].startswith(origin)
            status, _, _, final = client.get(url)
            assert status == 200 and final == site.canonical_url(i, origin)
    for url in site.hazard_urls("robots_draft", origin):
        assert any(urlsplit(url).path.startswith(p) for p in site.disallowed_paths())
    (loop,) = site.hazard_urls("redirect_loop", origin)
    status, headers, _, _ = client.get(loop, follow=False)
    assert status == 302
    status, headers, _, _ = client.get(headers["Location"], follow=False)
    assert status == 302 and headers["Location"] == loop
    assert [client.get(u)[0] for u in site.hazard_urls("dead_404", origin)] == [404] * 3
    assert [client.get(u)[0] for u in site.hazard_urls("dead_410", origin)] == [410] * 2
    status, headers, body, _ = client.get(site.hazard_urls("pdf", origin)[0])
    assert headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    (trap,) = site.hazards["charset_mismatch"]
    status, headers, body, _ = client.get(site.canonical_url(trap, origin))
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1" and b"\x92" in body
    if origin:
        for path in ("/robots.txt", "/", "/rss/news.xml", f"/news/print.cfm?id={trap}"):
            assert b"policeoracle.localhost" not in client.get(origin + path)[2], path


# --- the markups against each other ---------------------------------------------------------


@pytest.fixture(scope="module")
def sites():
    return {name: build_site(N_ARTICLES, seed=1, hazards=True, markup=name) for name in MARKUPS}


def _article_html(site, article_id, *, touch=False):
    return site.markup.article(site.article_view(site.articles[article_id], PROXY, touch=touch))


def test_same_content_in_every_markup(sites):
    def neutral(site):
        out = []
        for e in site.expected():
            ids = [site.resolve(u)[1] for u in e["in_other_news"]]
            out.append({**e, "url": site.resolve(e["url"])[1], "in_other_news": ids})
        return out

    first = neutral(sites["classic"])
    assert len(MARKUPS) >= 6 and MARKUPS[0] == "classic"
    for name, site in sites.items():
        assert neutral(site) == first, name
        assert site.hazards == sites["classic"].hazards


def test_markups_really_differ(sites):
    vocabularies = {}
    unclassed = []
    for name, site in sites.items():
        classes: set[str] = set()
        touch = (False, True) if site.markup.touch_edition else (False,)
        for i, on_touch in [(i, t) for i in site.articles for t in touch]:
            page = _article_html(site, i, touch=on_touch)
            for value in re.findall(r'class="([^"]*)"', page, re.I):
                classes.update(value.split())
        vocabularies[name] = classes
        i = site.listed[0]
        tree = lxml.html.fromstring(_article_html(site, i))
        first = site.related_links[i][0].href()
        (anchor,) = [el for el in tree.iter("a") if el.get("href") == first][:1]
        if not any(el.get("class") for el in [anchor, *anchor.iterancestors()]):
            unclassed.append(name)
    for one, other in combinations(vocabularies, 2):
        assert not vocabularies[one] & vocabularies[other], (one, other)
    assert unclassed


def test_boilerplate_is_never_article_text():
    for name in MARKUPS:
        site = build_site(200, seed=3, markup=name)
        texts = [a.expected_text() + "\n" + a.title for a in site.articles.values()]
        strings = set(site.boilerplate())
        for i in site.articles:
            strings.update(site.boilerplate(i)[: -len(site.picks.get(i, [])) or None])
        for string in strings:
            assert string.strip(), name
            leaks = [t for t in texts if string in t]
            assert not leaks, (name, string)
