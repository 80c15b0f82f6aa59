"""An article's versions in the published archive: the canned queries `article_revisions` (with
what changed, rendered as a diff) and `changed_articles`, and the article page's pointer to them.
The Datasette instance is the one `police-archive serve` runs, through Datasette's own client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from datasette.utils import tilde_encode

from archive.records import Article
from archive.store import Archive
from publish.app import DATABASE, make_datasette
from publish.diffs import text_diff
from tests.published_archive import Client

URL = "https://www.example-police-news.test/news/article.cfm?id=7"
GONE = "https://www.example-police-news.test/news/article.cfm?id=8"
FIRST = (
    "Officers arrested six people after a series of burglaries in the town centre.\n\n"
    "The chief constable thanked residents for their help.\n\n"
    "Anyone with information should call 101."
)
SECOND = (
    "Officers arrested six people after a series of burglaries in the town centre.\n\n"
    "The chief constable thanked residents and local <script>alert(1)</script> businesses.\n\n"
    "Anyone with information should call 101.\n\n"
    "Update: two of them have since been charged."
)


def article(url: str = URL, **changes) -> Article:
    fields = {"url": url, "title": "Six arrested", "author": "", "published": "2024-05-01",
              "text": FIRST, "extractor": "trafilatura", "fetched_url": url}  # fmt: skip
    return Article(**{**fields, **changes})


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("revisions") / "police.db"
    moment = [datetime(2024, 5, 1, 12, tzinfo=UTC)]

    def now():
        moment[0] += timedelta(hours=1)
        return moment[0]

    with Archive.open(path, now=now) as archive:
        for text, title in ((FIRST, "Six arrested"), (SECOND, "Six arrested, two charged")):
            crawl = archive.start_crawl(seeds=[URL], settings={})
            archive.save_article(article(text=text, title=title), crawl_id=crawl)
            archive.save_article(article(GONE, title="Stop and search"), crawl_id=crawl)
        crawl = archive.start_crawl(seeds=[URL], settings={})
        archive.save_article(article(text="Subscribe to read.", title=""), crawl_id=crawl)
        archive.log_fetch(crawl_id=crawl, url=GONE, status=404, outcome="failed",
                          reason="http_404")  # fmt: skip
    c = Client(make_datasette(path))
    yield c
    c.close()


def test_text_diff_by_paragraph():
    diff = text_diff(FIRST, SECOND)
    assert diff is not None
    lines = diff.splitlines()
    assert "-The chief constable thanked residents for their help." in lines
    assert "+Update: two of them have since been charged." in lines
    long = "\n\n".join(f"Paragraph {i}." for i in range(10))
    assert text_diff(long, long + "\n\nUpdate.").splitlines() == [  # one paragraph of context
        "@@ -10 +10,2 @@",
        " Paragraph 9.",
        "+Update.",
    ]
    assert text_diff(None, FIRST) is None and text_diff(FIRST, FIRST) == ""


def test_an_articles_versions_with_what_changed(client):
    rows = client.json(f"/{DATABASE}/article_revisions", url=URL)["rows"]
    assert [(r["revision"], r["flags"]) for r in rows] == [
        (1, ""),
        (2, ""),
        (3, "text_shrank,title_lost"),
    ]
    assert rows[0]["diff"] is None
    assert "-Six arrested" in rows[1]["diff"] and "+Six arrested, two charged" in rows[1]["diff"]
    assert "+Update: two of them have since been charged." in rows[1]["diff"]
    html = client.get(f"/{DATABASE}/article_revisions?" + urlencode({"url": URL})).text
    assert 'class="diff"' in html and "line-through" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_changed_articles_and_the_article_page(client):
    rows = client.json(f"/{DATABASE}/changed_articles")["rows"]
    by_url = {r["url"]: r for r in rows}
    assert by_url[URL]["versions"] == 3 and by_url[URL]["flags"] == "text_shrank,title_lost"
    assert by_url[GONE]["status"] == "gone" and by_url[GONE]["gone_since"]
    page = client.get(f"/{DATABASE}/articles/{tilde_encode(URL)}").text
    assert "3 versions: what changed" in page and "looked like broken extraction" in page
    assert "two charged" in page  # the sound version is the one shown
    gone = client.get(f"/{DATABASE}/articles/{tilde_encode(GONE)}").text
    assert "removed from the site (found gone" in gone
