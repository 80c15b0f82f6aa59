"""Tests of the fixture site over time: conditional GET on the fixture server (sample_site/
conditional.py), later editions of a site (sample_site/editions.py) and swapping the edition a
running server serves.

Everything goes to the fixture server on 127.0.0.1 through urllib (tests/loopback.py); a guard
fails any test that connects elsewhere.
"""

from __future__ import annotations

import html
import re
import threading
import urllib.error
import urllib.request
from datetime import UTC, timedelta
from email.utils import format_datetime

import pytest

from sample_site import MARKUPS, TOUCH, build_site, serve_site
from sample_site.conditional import etag, none_match, not_modified_since
from tests.loopback import loopback_only, openers  # noqa: F401 - loopback_only: an autouse fixture

SMALL = 30  # articles of the per-markup sites


def _get(opener, url: str, headers: dict | None = None, method: str = "GET"):
    """(status, headers, body) of one request, redirects not followed."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers, err.read()


def _date(ts) -> str:
    return format_datetime(ts.replace(tzinfo=UTC), usegmt=True)


_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def _linked_articles(site, page: bytes, page_url: str) -> list[int]:
    """Ids of the articles a page links to, in page order (first link of each)."""
    out: list[int] = []
    for m in _HREF.finditer(page.decode("utf-8")):
        kind, number = site.resolve(html.unescape(m.group(1) or m.group(2)), page_url)
        if kind == "article" and number not in out:
            out.append(number)
    return out


@pytest.fixture(scope="module")
def classic():
    """A classic site with hazards, served in proxy mode; (site, server, no-redirect opener)."""
    site = build_site(40, seed=5, hazards=True, markup="classic")
    with serve_site(site) as server:
        yield site, server, openers(server.proxy_url)[1]


# --- conditional GET --------------------------------------------------------------------------


def test_pages_carry_validators(classic):
    site, _, opener = classic
    a = site.articles[site.touch_seed]
    status, headers, body = _get(opener, site.url(a.id))
    assert status == 200 and headers["ETag"] == etag(body)
    assert re.fullmatch(r'"[0-9a-f]{32}"', headers["ETag"])  # strong: no W/
    assert headers["Last-Modified"] == _date(a.published)
    assert _get(opener, site.url(a.id))[1]["ETag"] == headers["ETag"]  # stable
    # the touch edition of the page is another representation: another tag
    touch = _get(opener, site.url(a.id, TOUCH))[1]
    assert touch["ETag"] != headers["ETag"] and touch["Last-Modified"] == headers["Last-Modified"]
    # listing pages, comment threads, robots.txt: an ETag, no Last-Modified
    for url in (site.listing_url(1), site.comments_url(a.id), f"{site.base}/robots.txt"):
        status, headers, body = _get(opener, url)
        assert status == 200 and headers["ETag"] == etag(body), url
        assert "Last-Modified" not in headers, url


def test_if_none_match(classic):
    site, server, opener = classic
    url = site.url(site.touch_seed)
    _, headers, body = _get(opener, url)
    tag, modified = headers["ETag"], headers["Last-Modified"]
    for value in (
        tag,
        "W/" + tag,  # weak comparison
        f'"0123", {tag}',  # a list
        f'W/"x,y", "z" ,{tag}',
        "*",
    ):
        status, headers, body = _get(opener, url, {"If-None-Match": value})
        assert (status, body) == (304, b""), value
        assert headers["ETag"] == tag and headers["Last-Modified"] == modified
        assert "Content-Length" not in headers and "Content-Type" not in headers
        record = server.requests[-1]
        assert record.status == 304 and record.if_none_match == value
    for value in ('"0123"', 'W/"0123"', tag[:-2] + '"', '"x", W/"y"', "junk"):
        status, headers, body = _get(opener, url, {"If-None-Match": value})
        assert status == 200 and headers["ETag"] == tag == etag(body), value
        assert server.requests[-1].status == 200
    # HEAD too
    status, headers, _ = _get(opener, url, {"If-None-Match": tag}, method="HEAD")
    assert status == 304 and headers["ETag"] == tag


def test_if_modified_since(classic):
    site, server, opener = classic
    a = site.articles[site.touch_seed]
    url = site.url(a.id)
    _, headers, _ = _get(opener, url)
    tag, modified = headers["ETag"], headers["Last-Modified"]
    for ts in (a.published, a.published + timedelta(days=400)):
        status, headers, body = _get(opener, url, {"If-Modified-Since": _date(ts)})
        assert (status, body) == (304, b"") and headers["ETag"] == tag
        assert headers["Last-Modified"] == modified
        assert server.requests[-1].if_modified_since == _date(ts)
    # asctime and RFC 850 dates are HTTP-dates too
    ts = a.published
    asctime = f"{ts:%a %b} {ts.day:2d} {ts:%H:%M:%S %Y}"
    rfc850 = f"{ts:%A, %d-%b-%y %H:%M:%S} GMT"
    for value in (asctime, rfc850):
        assert _get(opener, url, {"If-Modified-Since": value})[0] == 304, value
    for value in (_date(a.published - timedelta(seconds=1)), "yesterday", ""):
        status, headers, body = _get(opener, url, {"If-Modified-Since": value})
        assert status == 200 and body and headers["ETag"] == tag, value
    # If-None-Match wins over If-Modified-Since, whichever way it goes
    later = _date(a.published + timedelta(days=1))
    early = _date(a.published - timedelta(days=1))
    assert _get(opener, url, {"If-None-Match": '"x"', "If-Modified-Since": later})[0] == 200
    assert _get(opener, url, {"If-None-Match": tag, "If-Modified-Since": early})[0] == 304
    # a page without Last-Modified ignores If-Modified-Since
    status, _, body = _get(opener, site.listing_url(1), {"If-Modified-Since": later})
    assert status == 200 and body


def test_header_lines_and_dates():
    """Several If-None-Match lines form one list; one If-Modified-Since line only."""
    assert none_match(['"a", "b"', 'W/"c"'], '"c"') and not none_match(['"a"', '"b"'], '"c"')
    assert none_match([" * "], '"c"') and not none_match([""], '"c"')
    site = build_site(5, seed=1, hazards=False)
    published = site.articles[site.touch_seed].published
    assert not_modified_since([_date(published)], published)
    assert not not_modified_since([_date(published)] * 2, published)


def test_redirects_errors_and_hazards_are_not_conditional(classic):
    site, server, opener = classic
    hz = site.hazards
    cases = [
        (site.hazard_urls("legacy_story")[0], 301),
        (site.hazard_urls("legacy_chain")[0], 302),
        (site.hazard_urls("redirect_loop")[0], 302),
        (site.hazard_urls("dead_404")[0], 404),
        (site.hazard_urls("dead_410")[0], 410),
        (site.hazard_urls("always_500")[0], 500),
        (site.hazard_urls("pdf")[0], 200),
        (site.hazard_urls("empty")[0], 200),
        (site.base + "/news/nothing-here.cfm", 404),
        (site.listing_url(99), 404),
    ]
    for url, expected in cases:
        for value in ("*", '"x"'):
            status, headers, _ = _get(opener, url, {"If-None-Match": value})
            assert status == expected, (url, value)
            assert "ETag" not in headers and "Last-Modified" not in headers, url
    # the first attempt at a rate-limited or failing article: the error, without validators
    for key, expected in (("retry_429", 429), ("retry_503", 503), ("retry_500_twice", 500)):
        status, headers, _ = _get(opener, site.url(hz[key][0]), {"If-None-Match": "*"})
        assert status == expected and "ETag" not in headers, key
    status, headers, _ = _get(
        opener, site.hazard_urls("huge")[0], {"If-None-Match": "*"}, method="HEAD"
    )
    assert status == 200 and "ETag" not in headers


def test_server_without_validators():
    site = build_site(20, seed=4, hazards=False, markup="blog")
    with serve_site(site, conditional=False) as server:
        opener = openers(None)[1]
        url = site.canonical_url(site.touch_seed, server.origin)
        plain = _get(opener, url)
        assert plain[0] == 200 and "ETag" not in plain[1] and "Last-Modified" not in plain[1]
        published = site.articles[site.touch_seed].published
        for headers in (
            {"If-None-Match": "*"},
            {"If-None-Match": etag(plain[2])},
            {"If-Modified-Since": _date(published + timedelta(days=9))},
        ):
            status, got, body = _get(opener, url, headers)
            assert status == 200 and body == plain[2] and "ETag" not in got
        assert {r.status for r in server.requests} == {200}


# --- editions ---------------------------------------------------------------------------------


def test_editions_are_deterministic_and_leave_the_old_site_alone():
    site = build_site(60, seed=7, hazards=True, markup="magazine")
    before = site.expected()
    page = site.respond("www.policeoracle.localhost", site.path(site.touch_seed)).read()
    e2 = site.next_edition()
    again = build_site(60, seed=7, hazards=True, markup="magazine").next_edition()
    assert (e2.added_ids, e2.edited_ids, e2.removed_ids, e2.retitled_ids) == (
        again.added_ids,
        again.edited_ids,
        again.removed_ids,
        again.retitled_ids,
    )
    assert e2.expected() == again.expected() and e2.edition_time == again.edition_time
    other = site.next_edition(seed=99)
    assert (other.edited_ids, other.removed_ids) != (e2.edited_ids, e2.removed_ids)
    # the same articles change whatever the markup
    tables = build_site(60, seed=7, hazards=True, markup="tables").next_edition()
    assert (tables.added_ids, tables.edited_ids, tables.removed_ids) == (
        e2.added_ids,
        e2.edited_ids,
        e2.removed_ids,
    )
    assert tables.expected_by_url().keys() == e2.expected_by_url().keys()
    # the old site is as it was
    assert site.edition == 1 and site.edition_time is None and site.expected() == before
    assert site.added_ids == site.edited_ids == site.removed_ids == []
    assert site.respond("www.policeoracle.localhost", site.path(site.touch_seed)).read() == page
    assert set(e2.removed_ids) <= set(site.articles)
    # counts, and chaining
    assert (len(e2.added_ids), len(e2.edited_ids), len(e2.removed_ids)) == (5, 3, 1)
    e3 = e2.next_edition(added=2, edited=4, removed=2)
    assert (e2.edition, e3.edition) == (2, 3)
    assert (len(e3.added_ids), len(e3.edited_ids), len(e3.removed_ids)) == (2, 4, 2)
    assert min(e3.added_ids) > max(e2.added_ids) and e3.edition_time > e2.edition_time
    assert e3.first_targets.keys() >= e2.first_targets.keys()
    with pytest.raises(ValueError):
        build_site(6, seed=1, hazards=False).next_edition(removed=6)


def test_what_an_edition_changes():
    site = build_site(60, seed=8, hazards=True, markup="classic")
    e2 = site.next_edition()
    hazard_ids = {i for ids in site.hazards.values() for i in ids}
    reach = site.reachable_ids()
    # added: newest, at the top of the listing, ordinary, linking to reachable articles
    assert min(e2.added_ids) > max(set(site.articles) | set(site.phantoms))
    assert e2.listed[: len(e2.added_ids)] == e2.added_ids[::-1]
    by_id = sorted(e2.articles)
    dates = [e2.articles[i].published for i in by_id]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    newest = max(
        [a.published for a in site.articles.values()]
        + [c.posted for a in site.articles.values() for c in a.comments]
    )
    assert e2.articles[e2.added_ids[0]].published > newest
    assert e2.edition_time > max(
        [a.published for a in e2.articles.values()]
        + [c.posted for a in e2.articles.values() for c in a.comments]
    )
    for i in e2.added_ids:
        a = e2.articles[i]
        assert not set(e2.added_ids) & hazard_ids and not a.paywalled
        assert 3 <= len(a.related_targets) <= 6
        assert all(k == "article" and t in reach - hazard_ids for k, t in a.related_targets)
        assert e2.last_modified(i) == a.published
    assert any(e2.articles[i].comments for i in e2.added_ids)
    # edited: visibly changed text, one new title; the rest of them as it was
    for i in e2.edited_ids:
        old, new = site.articles[i], e2.articles[i]
        assert i in reach and i not in hazard_ids and not old.paywalled
        assert new.expected_text() != old.expected_text()
        assert new.paragraphs[-1].startswith("Update: ")
        assert sum(p != q for p, q in zip(old.paragraphs, new.paragraphs, strict=False)) == 1
        assert (new.title != old.title) == (i in e2.retitled_ids)
        assert new.related == old.related and new.comments == old.comments
        assert e2.url(i) == site.url(i) and e2.last_modified(i) == e2.edition_time
    assert len(e2.retitled_ids) == 1
    # removed: reachable ordinary articles, gone from the site and the listing
    for i in e2.removed_ids:
        assert i in reach and i not in hazard_ids and i != site.touch_seed
        assert i not in e2.articles and i not in e2.listed
    # every other article is as it was
    changed = set(e2.edited_ids) | set(e2.removed_ids)
    assert all(e2.articles[i] == a for i, a in site.articles.items() if i not in changed)
    assert e2.hazards == site.hazards


def test_edition_ground_truth():
    site = build_site(80, seed=9, hazards=True, markup="newsroom")
    e2 = site.next_edition(added=6, edited=4, removed=3)
    for origin in (None, "http://127.0.0.1:8642"):
        old = site.expected_by_url(origin)
        new = e2.expected_by_url(origin)
        url = {i: site.canonical_url(i, origin) for i in site.articles}
        assert new.keys() == (
            old.keys() - {url[i] for i in e2.removed_ids}
            | {e2.canonical_url(i, origin) for i in e2.added_ids}
        )
        assert e2.reachable_ids() == site.reachable_ids() - set(e2.removed_ids) | set(e2.added_ids)
        for i in e2.edited_ids:
            before, after = old[url[i]], new[url[i]]
            assert after["text"] != before["text"] and "Update: " in after["text"]
            assert (after["title"] != before["title"]) == (i in e2.retitled_ids)
            assert {k: v for k, v in after.items() if k not in ("text", "title")} == {
                k: v for k, v in before.items() if k not in ("text", "title")
            }
        unchanged = old.keys() - {url[i] for i in e2.edited_ids + e2.removed_ids}
        assert all(new[u] == old[u] for u in unchanged)
        # links to removed articles stay in the boxes (dead links)
        dead = {url[i] for i in e2.removed_ids}
        assert [u for e in new.values() for u in e["in_other_news"] if u in dead]
        for i in e2.added_ids:
            e = new[e2.canonical_url(i, origin)]
            assert e["title"] == e2.articles[i].title and e["in_other_news"]
            assert all(u in new for u in e["in_other_news"])
    # the hazard links are all still on reachable pages
    reach = e2.reachable_ids()
    for aid in site.reachable_ids() - set(e2.removed_ids):
        for kind, target in site.articles[aid].related_targets:
            if kind != "article" or target in site.phantoms:
                assert aid in reach and (kind, target) in e2.articles[aid].related_targets


def _pages(site, host, origin):
    """Every article and comment page of the site: {path: bytes}."""
    out = {}
    for i in site.articles:
        for path in (site.path(i), site.scheme.comments(site.target(i))):
            response = site.respond(host, path, lambda key: 9, origin=origin)  # no retries
            if response.status == 200:
                out[path] = response.read()
    return out


@pytest.mark.parametrize("markup", MARKUPS)
def test_each_markup_in_both_modes(markup):
    """In process, for every host and mode: unchanged pages byte-identical, edited ones
    changed, removed ones 404, added ones first on the listing."""
    for hazards in (True, False):
        site = build_site(SMALL, seed=11, hazards=hazards, markup=markup)
        e2 = site.next_edition()
        for origin in (None, "http://127.0.0.1:8642"):
            hosts = site.hosts if origin is None else ("127.0.0.1",)
            for host in hosts:
                old, new = _pages(site, host, origin), _pages(e2, host, origin)
                changed = {site.path(i) for i in e2.edited_ids} | {
                    site.scheme.comments(site.target(i)) for i in e2.retitled_ids
                }
                gone = {site.path(i) for i in e2.removed_ids} | {
                    site.scheme.comments(site.target(i)) for i in e2.removed_ids
                }
                for path, body in old.items():
                    if path in gone:
                        assert e2.respond(host, path, origin=origin).status == 404
                    elif path in changed:
                        assert new[path] != body, path
                    else:
                        assert new[path] == body, (markup, hazards, host, path)
                assert {site.path(i) for i in e2.edited_ids} <= changed & old.keys()
                listing = e2.respond(host, e2.scheme.listing(1), origin=origin).read()
                page_url = e2.listing_url(1, origin)
                linked = _linked_articles(e2, listing, page_url)
                assert linked[: len(e2.added_ids)] == e2.added_ids[::-1], (markup, host)
                assert not set(linked) & set(e2.removed_ids)


@pytest.mark.parametrize("markup", MARKUPS)
def test_swapping_the_edition_of_a_running_server(markup):
    """Origin mode, over HTTP: fetch edition 1, swap the server to edition 2 and fetch again
    with the validators of edition 1."""
    site = build_site(SMALL, seed=12, hazards=markup in MARKUPS[::2], markup=markup)
    e2 = site.next_edition()
    opener = openers(None)[1]
    with serve_site(site) as server:
        origin = server.origin
        ids = sorted(site.reachable_ids())
        first = {}
        for i in ids:
            status, headers, body = _get(opener, site.canonical_url(i, origin))
            if status == 200:  # (retry hazards answer 429/503/500 first)
                first[i] = headers["ETag"], headers["Last-Modified"], body
        server.site = e2
        assert server.site is e2 and server.origin == origin
        for i, (tag, modified, body) in first.items():
            url = e2.canonical_url(i, origin) if i in e2.articles else site.canonical_url(i, origin)
            by_tag = _get(opener, url, {"If-None-Match": tag})
            by_date = _get(opener, url, {"If-Modified-Since": modified})
            if i in e2.removed_ids:
                assert by_tag[0] == by_date[0] == 404, url
                assert _get(opener, site.comments_url(i, origin))[0] == 404
            elif i in e2.edited_ids:
                status, headers, new = by_tag
                assert status == 200 and headers["ETag"] not in (tag, None) and new != body
                assert headers["Last-Modified"] == _date(e2.edition_time)
                assert b"Update: " in new
                assert by_date[0] == 200 and by_date[2] == new
                assert _get(opener, url, {"If-None-Match": headers["ETag"]})[0] == 304
            else:
                assert by_tag[0] == by_date[0] == 304, url
                assert by_tag[1]["ETag"] == tag and by_tag[1]["Last-Modified"] == modified
        assert set(e2.edited_ids) | set(e2.removed_ids) <= first.keys()
        # the added articles: on listing page 1, served with their validators
        status, _, listing = _get(opener, e2.listing_url(1, origin))
        linked = _linked_articles(e2, listing, e2.listing_url(1, origin))
        assert status == 200 and linked[: len(e2.added_ids)] == e2.added_ids[::-1]
        for i in e2.added_ids:
            status, headers, _ = _get(opener, e2.canonical_url(i, origin))
            assert status == 200 and headers["Last-Modified"] == _date(e2.articles[i].published)
        unchanged = len(first) - len(e2.edited_ids) - len(e2.removed_ids)
        statuses = [r.status for r in server.requests]
        assert statuses.count(304) == 2 * unchanged + len(e2.edited_ids)


def test_swapping_under_load():
    """Requests racing a swap get one edition's page or the other's, whole."""
    site = build_site(SMALL, seed=13, hazards=False, markup="lite")
    e2 = site.next_edition()
    with serve_site(site) as server:
        url = site.listing_url(1, server.origin)
        opener = openers(None)[0]
        pages = {_get(opener, url)[2]}
        server.set_site(e2)
        pages.add(_get(opener, url)[2])
        assert len(pages) == 2
        seen: list[bytes] = []
        errors: list[BaseException] = []

        def fetch() -> None:
            try:
                for _ in range(15):
                    status, headers, body = _get(opener, url)
                    assert status == 200 and headers["ETag"] == etag(body)
                    seen.append(body)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        for t in threads:
            t.start()
        for k in range(30):
            server.site = site if k % 2 else e2
        for t in threads:
            t.join(timeout=30)
        assert not errors and len(seen) == 60 and set(seen) <= pages
        with pytest.raises(TypeError):
            server.set_site("not a site")  # type: ignore[arg-type]
