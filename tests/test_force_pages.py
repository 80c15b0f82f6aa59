"""Police forces and bodies in the published archive: a page per body (/-/force/ID,
publish/forces.py) with what it is, its articles, the people named with it and its articles per
month; the index of bodies (/-/forces); the article page naming its forces, linked; the home
page's chart and link; a search's chart on the articles table and the canned search query.
Escaped whatever the articles hold; an unknown body is a 404.

Through Datasette's own client, on the small archive of tests/published_archive.py (Greater
Manchester Police and Kent Police are named) with one more article whose title holds markup.
"""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from datasette.utils import tilde_encode

from archive.records import Article
from archive.store import Archive
from pages.tagging import tag
from publish.app import DATABASE, make_datasette
from publish.forces import MAX_ARTICLES_SHOWN
from tests.published_archive import BURGLAR, CAMERAS, STOP, Client, build_archive

ODD = "https://www.example-police-news.test/news/odd?id=1&x=<y>"
ODD_TITLE = "Kent Police say <script>alert(1)</script> & “no” to O'Brien's plan"
SVG = "{http://www.w3.org/2000/svg}"
SEARCH_CHART = '<figure class="archive-chart search-chart">'


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = build_archive(tmp_path_factory.mktemp("forces") / "police.db")
    with Archive.open(path) as archive:
        crawl = archive.start_crawl(seeds=[], settings={})
        odd = Article(
            ODD, ODD_TITLE, "", "2022-06-01T09:00:00",
            "Officers from Kent Police met Det Supt Mark Lee of Kent Police on Monday. <b>Bold</b>",
            site="",
        )  # fmt: skip
        archive.save_article(tag(odd), crawl_id=crawl)
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={})
    return path


@pytest.fixture(scope="module")
def client(archive_path):
    c = Client(make_datasette(archive_path))
    yield c
    c.close()


def page(url: str) -> str:
    return f"/{DATABASE}/articles/{tilde_encode(url)}"


def content(html: str) -> str:
    return html[html.index('<section class="content">') :]


def chart_of(client: Client, html: str) -> ET.Element:
    """The chart a page loads beside it (an <object> of the chart route), as the route gives it."""
    (data,) = re.findall(r'<object class="month-chart" type="image/svg\+xml" data="([^"]+)"', html)
    return ET.fromstring(client.get(htmllib.unescape(data)).text)


def bar_counts(root: ET.Element) -> dict[str, int]:
    return {
        r.get("data-month") or "": int(r.get("data-count") or 0)
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == "bar"
    }


def test_a_forces_page(client):
    html = content(client.get("/-/force/kent").text)
    assert "<h1>Kent Police</h1>" in html
    assert "A territorial police force, England" in html
    assert "Kent Police; Kent; Maidstone; Canterbury; Medway" in html  # the names articles use
    # its commissioner, linked
    assert '<a href="/-/force/kent-pcc">Police and Crime Commissioner for Kent</a>' in html
    # how many articles name it, linked to them all in force_articles
    every = "/archive/force_articles?force=kent&amp;_sort_desc=published"
    assert f'<a href="{every}">2 archived articles</a> name it' in html
    assert "1 in the headline or standfirst</a>" in html
    # its articles, newest first, linked to their pages, with UK dates
    items = re.findall(
        r"<li><a href=\"([^\"]+)\">(.*?)</a> <span class=\"date\">(.*?)</span>", html
    )
    assert [(href, htmllib.unescape(title)) for href, title, _ in items] == [
        (page(ODD), ODD_TITLE),
        (page(CAMERAS), "Body-worn cameras for every officer"),
    ]
    assert [re.sub("<[^>]+>", "", d) for _, _, d in items] == ["1 June 2022", "2 November 2018"]
    assert html.count('class="in-headline"') == 1  # the odd article's title names it
    # the people named with it: name, rank, articles
    people = re.findall(r"<tr><td><a href=\"([^\"]+)\">(.*?)</a></td><td>(.*?)</td>", html)
    assert [(htmllib.unescape(n), r) for _, n, r in people] == [
        ("Mark Lee", "Detective Superintendent"),
        ("Sean O'Brien", "Chief Constable"),
    ]
    assert people[1][0] == "/archive/people?force=kent&amp;name=Sean+O%27Brien"
    # its articles per month, loaded beside the page
    assert (
        '<object class="month-chart" type="image/svg+xml" '
        'data="/-/articles-per-month.svg?force=kent" width="960" height="120"'
    ) in html
    assert 'aria-label="Articles per month naming Kent Police"' in html
    counts = bar_counts(chart_of(client, html))
    assert {m: n for m, n in counts.items() if n} == {"2018-11": 1, "2022-06": 1}
    assert len(counts) == 44  # November 2018 to June 2022
    assert '<a href="/-/forces">All police forces and bodies</a>' in html


def test_everything_an_article_holds_is_escaped_on_the_force_page(client):
    html = client.get("/-/force/kent").text
    assert "<script>alert(1)" not in html and "<b>" not in html
    assert htmllib.escape(ODD_TITLE, quote=False) in html.replace("&#39;", "'")
    assert f'href="{htmllib.escape(page(ODD))}"' in html


def test_a_commissioners_page_names_the_force_it_oversees(client):
    html = content(client.get("/-/force/kent-pcc").text)
    assert "<h1>Police and Crime Commissioner for Kent</h1>" in html
    assert '<dd class="oversees"><a href="/-/force/kent">Kent Police</a></dd>' in html
    assert "0 archived articles</a> name it" in html
    assert "No archived article names it." in html
    assert bar_counts(chart_of(client, html)) == {}  # a chart saying there is nothing to chart


@pytest.mark.parametrize("body", ["nosuch", "<script>alert(1)</script>", "kent/pcc", "KENT"])
def test_an_unknown_body_is_a_404_with_a_clear_message(client, body):
    # Datasette redirects a percent-encoded path to its own tilde encoding
    moved = client.get("/-/force/" + quote(body, safe=""), status=None)
    path = moved.headers["location"] if moved.status_code == 302 else "/-/force/" + body
    assert path == "/-/force/" + tilde_encode(body)
    html = client.get(path, status=404).text
    assert f"No police force or body has the id “{htmllib.escape(body)}”" in html
    assert "<script>alert(1)" not in html


def test_the_index_of_forces_and_bodies(client, archive_path):
    html = content(client.get("/-/forces").text)
    sections = re.findall(r"<h2>(.*?)</h2>", html)
    assert sections == ["Territorial police forces"]
    listed = re.findall(r'<li><a href="([^"]+)">(.*?)</a> <span class="count">\((.*?)\)', html)
    assert listed == [
        ("/-/force/greater-manchester", "Greater Manchester Police", "1 article"),
        ("/-/force/kent", "Kent Police", "2 articles"),
    ]
    assert "Metropolitan" not in html  # no article names it
    assert str(archive_path.parent) not in html  # no file-system path


def test_the_home_page_links_the_forces_and_charts_the_articles(client):
    html = content(client.get("/").text)
    assert '<a href="/-/forces">Police forces and bodies</a>' in html
    assert 'data="/-/articles-per-month.svg"' in html
    assert 'aria-label="Articles per month"' in html
    counts = bar_counts(chart_of(client, html))
    assert sum(counts.values()) == 6 and len(counts) == 44
    # above the tables
    assert html.index("<object ") < html.index('<ul class="archive-tables">')


def test_the_article_page_names_its_forces(client):
    html = client.get(page(CAMERAS)).text
    assert '<p class="forces-named">Forces named: <a href="/-/force/kent">Kent Police</a></p>' in (
        html
    )
    html = client.get(page(BURGLAR)).text
    assert 'Forces named: <a href="/-/force/greater-manchester">Greater Manchester Police</a>' in (
        html
    )
    assert 'class="forces-named"' not in client.get(page(STOP)).text


def test_a_search_shows_its_articles_per_month(client):
    html = client.get(f"/{DATABASE}/articles?_search=crime").text
    (chart,) = re.findall(SEARCH_CHART + r"<object ([^>]+)>", html)
    assert 'data="/-/articles-per-month.svg?q=crime&amp;width=400"' in chart
    assert 'aria-label="Articles per month matching “crime”"' in chart
    assert {m: n for m, n in bar_counts(chart_of(client, html)).items() if n} == {"2020-08": 1}
    # beside the search form (floated right of it), the rows after
    assert html.index(SEARCH_CHART) < html.index('<form class="filters"')
    assert html.index(SEARCH_CHART) < html.index('<table class="rows-and-columns">')
    # a raw search charts the raw search; an odd one is escaped
    html = client.get(f"/{DATABASE}/articles?_search=title:knife&_searchmode=raw").text
    assert 'data="/-/articles-per-month.svg?q=title%3Aknife&amp;_searchmode=raw&amp;width=400"' in (
        html
    )
    html = client.get(f"/{DATABASE}/articles?_search=" + quote('"<b>x</b>')).text
    assert "<b>x" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    # no search, no chart
    assert SEARCH_CHART not in client.get(f"/{DATABASE}/articles").text
    assert SEARCH_CHART not in client.get(f"/{DATABASE}/comments?_search=crime").text


def test_the_canned_search_shows_its_articles_per_month(client):
    html = client.get(f"/{DATABASE}/search?q=knife").text
    assert 'data="/-/articles-per-month.svg?q=knife&amp;width=400"' in html
    assert "Knife crime falls in the capital" in html  # the results are still there
    assert SEARCH_CHART not in client.get(f"/{DATABASE}/search").text


def test_the_force_page_caps_its_list(tmp_path):
    path = build_archive(tmp_path / "police.db")
    with Archive.open(path) as archive:
        crawl = archive.start_crawl(seeds=[], settings={})
        for n in range(MAX_ARTICLES_SHOWN + 5):
            article = Article(
                f"https://x.test/{n}", f"Kent Police story {n}", "", f"2023-{1 + n % 12:02d}-01",
                "Officers from Kent Police said so.",
            )  # fmt: skip
            archive.save_article(tag(article), crawl_id=crawl)
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={})
    c = Client(make_datasette(path))
    try:
        html = c.get("/-/force/kent").text
        assert html.count('<span class="date">') == MAX_ARTICLES_SHOWN
        assert f"The newest {MAX_ARTICLES_SHOWN} of 106:" in html
        every = "/archive/force_articles?force=kent&amp;_sort_desc=published"
        assert f'<a class="all-articles" href="{every}">' in html
        assert sum(bar_counts(chart_of(c, html)).values()) == 106
    finally:
        c.close()


def test_without_the_archive_the_pages_are_404s(tmp_path):
    import sqlite3

    from datasette.app import Datasette

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (title text)")
    c = Client(Datasette([str(other)]))
    try:
        assert "month-chart" not in c.get("/").text
        assert "/-/forces" not in c.get("/").text
        c.get("/-/forces", status=404)
        c.get("/-/force/kent", status=404)
        svg = c.get("/-/articles-per-month.svg", status=404).text
        assert "This server has no archive" in svg
    finally:
        c.close()


def test_an_archive_from_before_tagging(tmp_path):
    """An archive of schema version 3 (no forces yet), served as it is: the chart of all its
    articles and of a search, and force pages that say what to do."""
    import shutil
    from pathlib import Path

    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "archive-v3.db", old)
    c = Client(make_datasette(old, immutable=True))
    try:
        home = c.get("/").text
        assert 'data="/-/articles-per-month.svg"' in home and "/-/forces" not in home
        assert bar_counts(ET.fromstring(c.get("/-/articles-per-month.svg").text))
        c.get("/-/articles-per-month.svg?q=police")
        c.get("/-/articles-per-month.svg?force=kent", status=404)
        for path in ("/-/forces", "/-/force/kent"):
            assert "police-archive retag" in c.get(path, status=404).text
    finally:
        c.close()
