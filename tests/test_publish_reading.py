"""What a researcher reads in the published archive: dates as people in the UK write them (and
the stored values kept in JSON, CSV and the markup), the column descriptions folded away, the
articles first on the home page, an article's sources, its stable address (/-/article?url=)
and its citation as text, BibTeX and CSL-JSON, escaped whatever the title holds.

The Datasette instance is the one `police-archive serve` runs, through Datasette's own client;
tests/test_browser.py looks at the same pages in Chromium.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from datasette.utils import tilde_encode
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.records import Article
from archive.store import Archive
from archive.tables import TABLES
from publish.app import DATABASE, DATE_COLUMNS, HOME_TABLES, make_datasette
from publish.citation import Citation, bib_url, latex, one_line
from publish.dates import date_filter, iso_day, readable, time_element
from tests.published_archive import BASE, BURGLAR, KNIFE, Client, build_archive

ODD = "https://www.example-police-news.test/news/a&b?id=7#top"
ODD_TITLE = 'Chief says "no" to <script>alert(1)</script> & {braces} \\ 100% #1 ~ ^ $ _'
GARBAGE_DATE = "sometime in May"
ALIAS = BASE.replace("article.cfm?id=", "story.asp?id=") + "1001"  # BURGLAR's old address


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2020-08-30", "30 August 2020"),  # a date alone
        ("2020-08-12T17:04:00", "12 August 2020, 17:04"),  # no offset: as the page gave it
        ("2020-08-12 17:04", "12 August 2020, 17:04"),
        # UTC in UK time: GMT in winter, BST in summer
        ("2021-01-12T12:05:00Z", "12 January 2021, 12:05"),
        ("2021-04-12T12:05:00Z", "12 April 2021, 13:05"),
        ("2021-04-12T12:05:00+00:00", "12 April 2021, 13:05"),
        ("2021-04-12T12:05:00.123456Z", "12 April 2021, 13:05"),
        ("2021-06-30T23:30:00Z", "1 July 2021, 00:30"),  # the next day in the UK
        # clocks go forward at 01:00 UTC on the last Sunday of March
        ("2021-03-28T00:59:00Z", "28 March 2021, 00:59"),
        ("2021-03-28T01:00:00Z", "28 March 2021, 02:00"),
        # ...and back at 01:00 UTC on the last Sunday of October: 01:00-01:59 happens twice
        ("2021-10-31T00:30:00Z", "31 October 2021, 01:30 BST"),
        ("2021-10-31T01:30:00Z", "31 October 2021, 01:30 GMT"),
        ("2021-10-31T02:30:00Z", "31 October 2021, 02:30"),
        ("2021-10-30T23:59:00Z", "31 October 2021, 00:59"),
        # UK time's own offset is UK time; any other keeps its wall time and says so
        ("2021-04-12T13:05:00+01:00", "12 April 2021, 13:05"),
        ("2021-01-12T13:05:00+01:00", "12 January 2021, 13:05 (UTC+01:00)"),
        ("2021-04-12T14:05:00+02:00", "12 April 2021, 14:05 (UTC+02:00)"),
        ("2021-04-12T07:05:00-0500", "12 April 2021, 07:05 (UTC-05:00)"),
    ],
)
def test_dates_as_people_in_the_uk_write_them(stored, shown):
    assert readable(stored) == shown
    assert readable(stored, day_only=True) == shown.split(",")[0]
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", readable(stored, day_only=True) or "")


@pytest.mark.parametrize(
    "value",
    [
        "", " ", GARBAGE_DATE, "2021", "2021-04", "2021-13-01", "2021-02-29", "2021-04-31",
        "2021-04-12T25:00", "2021-04-12T12:60", "2021-04-12T12:05:00+24:00", "12/04/2021",
        "2021-04-12T12:05:00 UTC", "2021-04-12x", "x2021-04-12", None, 20210412, b"2021-04-12",
    ],
)  # fmt: skip
def test_what_is_not_a_date_is_left_alone(value):
    assert readable(value) is None and iso_day(value) is None and time_element(value) is None
    assert date_filter(value) == ("" if value is None else value)


def test_the_markup_keeps_the_stored_value():
    assert str(time_element("2021-04-12T12:05:00")) == (
        '<time datetime="2021-04-12T12:05:00">12 April 2021, 12:05</time>'
    )
    assert str(time_element("2021-04-12")) == '<time datetime="2021-04-12">12 April 2021</time>'
    converted = str(time_element("2021-04-12T12:05:00Z"))
    assert converted.startswith('<time datetime="2021-04-12T12:05:00Z" title="UK time; stored as')
    assert converted.endswith(">12 April 2021, 13:05</time>")
    assert iso_day("2021-06-30T23:30:00Z") == "2021-07-01"
    assert iso_day("2021-06-30T23:30:00") == "2021-06-30"


def test_every_date_column_of_the_schema_is_shown_as_a_date():
    for table in TABLES:
        for column in table.columns:
            described = column.description
            if described.startswith("When") or re.search(r"\bdate\b", described, re.I):
                assert column.name in DATE_COLUMNS, (table.name, column.name)


# --- citations ---------------------------------------------------------------------------------


def citation(**changes) -> Citation:
    fields = {
        "title": ODD_TITLE, "byline": "Jane Smith; PA Media", "site": "policeoracle",
        "published": "2019-03-14T10:00:00", "original_url": ODD,
        "archive_url": "http://127.0.0.1:8001/-/article?url=" + quote(ODD, safe=":/?=@,"),
        "archive_name": "Police news archive", "first_seen": "2024-05-01T12:00:00Z",
        "last_seen": "2024-06-30T23:30:00Z",
    }  # fmt: skip
    return Citation(**{**fields, **changes})


def balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_escapes_what_latex_would_read():
    assert latex(ODD_TITLE) == (
        r'Chief says "no" to \textless{}script\textgreater{}alert(1)\textless{}/script'
        r"\textgreater{} \& \textbraceleft{}braces\textbraceright{} \textbackslash{} 100\% \#1 "
        r"\textasciitilde{} \textasciicircum{} \$ \_"
    )
    assert bib_url("https://x.test/a b{c}\\é?q=1%20&r#f") == (
        "https://x.test/a%20b%7Bc%7D%5C%C3%A9?q=1%20&r#f"
    )
    entry = citation().bibtex()
    assert entry.startswith("@online{policeoracle2019chief,\n")
    assert "  author = {{Jane Smith} and {PA Media}},\n" in entry
    assert "  date = {2019-03-14},\n" in entry
    assert "  organization = {policeoracle},\n" in entry
    assert "  url = {https://www.example-police-news.test/news/a&b?id=7#top},\n" in entry
    assert "  urldate = {2024-07-01},\n" in entry  # last seen, in UK time
    assert r"\url{http://127.0.0.1:8001/-/article?url=https://www.example-police-news.test/" in (
        entry
    )
    assert r"a\%26b?id=7\%23top}" in entry
    assert balanced(entry)


def test_csl_json_is_json_with_the_fields_of_a_newspaper_article():
    (item,) = json.loads(citation().csl_json())
    assert item["type"] == "article-newspaper" and item["title"] == ODD_TITLE
    assert item["author"] == [{"literal": "Jane Smith"}, {"literal": "PA Media"}]
    assert item["issued"] == {"date-parts": [[2019, 3, 14]]}
    assert item["accessed"] == {"date-parts": [[2024, 7, 1]]}
    assert item["URL"] == ODD and item["container-title"] == "policeoracle"
    assert item["archive_location"].endswith("a%26b?id=7%23top")


def test_a_citation_without_byline_or_date():
    c = citation(byline="", published=GARBAGE_DATE, title="Untitled")
    assert "  author = " not in c.bibtex() and "  date = " not in c.bibtex()
    assert "issued" not in json.loads(c.csl_json())[0]
    assert c.text().startswith("“Untitled”, policeoracle. https://")


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_any_title_and_byline_make_a_sound_entry(title, byline):
    c = citation(title=title, byline=byline)
    assert balanced(c.bibtex())
    assert json.loads(c.csl_json())[0]["title"] == one_line(title)


# --- the pages -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = build_archive(tmp_path_factory.mktemp("reading") / "police.db")
    clock = [datetime(2024, 7, 1, 0, 30, tzinfo=UTC)]  # 01:30 BST

    def now():
        clock[0] += timedelta(seconds=1)
        return clock[0]

    with Archive.open(path, now=now) as archive:
        crawl = archive.start_crawl(seeds=[ODD], settings={})
        odd = Article(ODD, ODD_TITLE, "Jane Smith; PA Media", GARBAGE_DATE, "Text.", site="")
        archive.save_article(odd, crawl_id=crawl)
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={})
    c = Client(make_datasette(path))
    yield c
    c.close()


def page(url: str) -> str:
    return f"/{DATABASE}/articles/{tilde_encode(url)}"


def test_dates_are_readable_in_html_and_stored_values_in_json_and_csv(client):
    table = client.get(f"/{DATABASE}/articles?_columns=all").text
    assert '<time datetime="2020-08-12T17:04:00">12 August 2020, 17:04</time>' in table
    assert '<time datetime="2020-08-30">30 August 2020</time>' in table
    first_seen = client.json(f"/{DATABASE}/articles", url=KNIFE)["rows"][0]["first_seen"]
    assert first_seen.endswith("Z")
    assert str(time_element(first_seen)) in table
    assert GARBAGE_DATE in table and f">{GARBAGE_DATE}</time>" not in table
    rows = client.json(f"/{DATABASE}/articles", _sort="url")["rows"]
    assert {r["url"]: r["published"] for r in rows}[KNIFE] == "2020-08-12T17:04:00"
    exported = client.get(f"/{DATABASE}/articles.csv?_size=max").text
    published = {r["url"]: r["published"] for r in csv.DictReader(io.StringIO(exported))}
    assert published[KNIFE] == "2020-08-12T17:04:00" and published[ODD] == GARBAGE_DATE
    # canned queries, other tables, row pages
    crawls = client.json(f"/{DATABASE}/crawl_history")["rows"]
    history = client.get(f"/{DATABASE}/crawl_history").text
    assert all(str(time_element(r["started"])) in history for r in crawls)
    assert "1 July 2024, 01:30 BST" not in history  # 00:30 UTC on 1 July is not ambiguous
    assert "1 July 2024, 01:30" in history
    assert str(time_element(crawls[-1]["finished"])) in client.get(f"/{DATABASE}/crawls/1").text
    comments = client.get(f"/{DATABASE}/comments").text
    assert '<time datetime="2019-03-14T12:00:00">14 March 2019, 12:00</time>' in comments
    assert re.search(r"<time datetime=\S+Z\" title=\"UK time", client.get(
        f"/{DATABASE}/revisions").text)  # fmt: skip
    article = client.get(page(BURGLAR)).text
    assert '<time datetime="2019-03-14T10:00:00">14 March 2019, 10:00</time>' in article


def test_column_descriptions_are_folded_after_the_search_form(client):
    for table in ("articles", "comments", "crawls"):
        html = client.get(f"/{DATABASE}/{table}").text
        form = html.index('<form class="filters"')
        folded = re.search(r"<details class=\"column-descriptions\"( open)?>", html)
        assert folded and not folded.group(1) and folded.start() > form, table
        assert html.count('<dl class="column-descriptions">') == 1
        assert html.index('<dl class="column-descriptions">') > folded.start()
    html = client.get(f"/{DATABASE}/articles").text
    assert (
        "<dt>paywalled</dt><dd>1 when the page is a subscriber-only teaser (<code>text</code>"
        in (html)
    )
    assert "in <code>revisions</code>; a crawl never deletes a row" in html  # the description
    folded = html[html.index('<details class="column-descriptions">') :]
    assert "`" not in folded[: folded.index("</details>")]


def test_the_home_page_lists_articles_first(client):
    html = client.get("/").text
    listed = re.findall(r'<li><a href="/archive/(\w+)">', html)
    assert listed[0] == "articles"
    assert listed == [t for t in HOME_TABLES if t in listed] + sorted(
        t for t in listed if t not in HOME_TABLES
    )
    assert {"comments", "crawls", "fetches", "revisions"} <= set(listed)
    assert not {"frontier", "articles_fts", "comments_fts_data"} & set(listed)
    assert "One row per news article" in html


def test_the_stable_address_of_an_article(client):
    for url in (BURGLAR, ALIAS):
        response = client.get("/-/article?" + "url=" + quote(url, safe=":/?=@,"), status=302)
        assert response.headers["location"] == page(BURGLAR)
    odd = client.get("/-/article?url=" + quote(ODD, safe=":/?=@,"), status=302)
    assert odd.headers["location"] == page(ODD)
    client.get("/-/article?url=" + quote(BASE + "9999"), status=404)
    client.get("/-/article", status=404)
    html = client.get(page(BURGLAR)).text
    stable = f"http://localhost/-/article?url={BURGLAR}"
    assert f'<a class="archived-copy" href="{stable}">{stable}</a>' in html


def test_the_citation_on_an_article_page(client):
    html = client.get(page(ODD)).text
    assert "<script>alert(1)" not in html
    assert f'href="https://web.archive.org/web/*/{htmllib.escape(ODD)}"' in html
    text = htmllib.unescape(re.search(r'<p class="cite-text">(.*?)</p>', html, re.S)[1])
    stable = (
        "http://localhost/-/article?url=https://www.example-police-news.test/news/a%26b?id=7%23top"
    )
    assert text == (
        f"Cite as: Jane Smith and PA Media, “{ODD_TITLE}”, www.example-police-news.test. "
        f"{ODD}. Archived 1 July 2024, Police news archive: {stable}"
    )
    bibtex = htmllib.unescape(re.search(r'<pre class="bibtex">(.*?)</pre>', html, re.S)[1])
    assert bibtex.startswith("@online{wwwexamplepolicenewstestchief,\n") and balanced(bibtex)
    assert r"\textless{}script\textgreater{}" in bibtex
    csl = htmllib.unescape(re.search(r'<pre class="csl-json">(.*?)</pre>', html, re.S)[1])
    (item,) = json.loads(csl)
    assert item["title"] == ODD_TITLE and item["archive_location"] == stable
    assert "issued" not in item  # the page gave no date
    downloads = re.findall(r'download="([^"]+)" href="data:([^,"]+),([^"]+)"', html)
    assert [(name, kind) for name, kind, _ in downloads] == [
        ("wwwexamplepolicenewstestchief.bib", "application/x-bibtex;charset=utf-8"),
        ("wwwexamplepolicenewstestchief.json",
         "application/vnd.citationstyles.csl+json;charset=utf-8"),
    ]  # fmt: skip
