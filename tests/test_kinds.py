"""pages/kinds.py: what a page is without a profile, on the fixture's markups and on real pages."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from archive.records import PageKind
from pages import quality
from pages.extract import parse_page
from pages.kinds import Hint, classify
from pages.links import discover
from pages.metadata import PageMeta, ParsedPage
from pages.pagetext import decode_html, parse_html
from sample_site import MARKUPS, build_site

ORIGIN = "http://127.0.0.1:9999"


def kind(url: str, body: bytes, content_type: str | None, hint: Hint) -> PageKind:
    root = parse_html(decode_html(body, content_type))
    page = ParsedPage(url, root, PageMeta(root), None, None)
    return classify(page, discover(root, page.base, url), hint)


def fetch(site, url: str) -> tuple[bytes, str | None]:
    response = site.respond("127.0.0.1:9999", url.split("9999", 1)[1], origin=ORIGIN)
    return response.read(), response.header("Content-Type")


@pytest.mark.parametrize("markup", MARKUPS)
def test_the_fixture_pages_of_every_markup(markup):
    site = build_site(60, seed=2, hazards=False, markup=markup)
    expected = site.expected(ORIGIN)
    for hint in (Hint(), Hint(kind=PageKind.LISTING)):
        for page in (1, 2):
            url = site.listing_url(page, origin=ORIGIN)
            assert kind(url, *fetch(site, url), hint) is PageKind.LISTING, (url, hint)
    for entry in expected[:8]:
        for hint in (Hint(), Hint(kind=PageKind.ARTICLE)):
            assert kind(entry["url"], *fetch(site, entry["url"]), hint) is PageKind.ARTICLE


def test_a_comments_link_leads_to_a_thread():
    body = b"<html><body><h1>Comments</h1><p>No comments yet.</p></body></html>"
    hint = Hint(kind=PageKind.COMMENTS)
    assert kind("http://x.localhost/c/1", body, None, hint) is PageKind.COMMENTS


def test_a_declared_article_is_an_article_whatever_the_link_said():
    body = (
        b'<html><head><meta property="og:type" content="article"></head><body>'
        + b"".join(b'<p><a href="/a/%d">Story number %d here</a></p>' % (i, i) for i in range(20))
        + b'<a href="/list?page=2">Next</a></body></html>'
    )
    hint = Hint(kind=PageKind.LISTING)
    assert kind("http://x.localhost/list", body, None, hint) is PageKind.ARTICLE


def test_real_articles_are_never_taken_for_listings():
    """The 181 pages of the article-extraction benchmark are articles, read as seeds (no hint)
    and as related links."""
    corpora = quality.corpus_dir()
    folder = corpora / quality.BENCHMARK
    if not (folder / "ground-truth.json").is_file():
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"no {quality.BENCHMARK} corpus in {corpora}")
        pytest.skip(f"no {quality.BENCHMARK} corpus")
    truth = json.loads((folder / "ground-truth.json").read_text())
    wrong = []
    for page_id, item in truth.items():
        body = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        for hint in (Hint(), Hint(kind=PageKind.ARTICLE)):
            if kind(item["url"], body, None, hint) is not PageKind.ARTICLE:
                wrong.append((item["url"], hint.kind))
    assert not wrong, wrong


SECTIONS = ["crime", "roads-policing", "pay-and-conditions", "misconduct", "training", "courts"]


def _card(i: int) -> str:
    section = SECTIONS[i % len(SECTIONS)]
    return (
        f'<article><a href="/news/{section}/{200 + i}/story-number-{i}-of-the-day">'
        f"<h2>Story number {i} of the day in {section}</h2><p>A short summary.</p></a></article>"
    )


def test_a_one_page_listing_of_many_sections_is_a_listing():
    # entries in /news/<section>/<id>/<slug>: one family of URLs, whatever the section
    cards = "".join(_card(i) for i in range(12))
    body = (
        f"<html><body><header><a href='/'>Home</a></header><main><h1>News</h1>{cards}</main>"
        "<footer>(c) 2022</footer></body></html>"
    ).encode()
    assert kind("http://x.localhost/news", body, None, Hint()) is PageKind.LISTING


def test_an_article_among_other_sections_is_an_article():
    related = "".join(f"<li>{_card(i)}</li>" for i in range(8))
    body = (
        "<html><body><main><h1>Officer cleared after inquiry</h1><p>By Jo Bloggs</p>"
        "<p>The officer was cleared on Friday.</p>"
        f"<aside><h3>In Other News</h3><ul>{related}</ul></aside></main></body></html>"
    ).encode()
    url = "http://x.localhost/news/courts/999/officer-cleared-after-inquiry"
    assert kind(url, body, None, Hint()) is PageKind.ARTICLE


ASPNET_ARTICLE = """<html><head><title>Police Oracle - Overtime budget cut by 7m</title></head>
<body><form method="post" action="article.cfm?id=7" id="aspnetForm">
<div class="Menu"><a href="/">Home</a> | <a href="/news/index.cfm">News</a></div>
<span class="Kicker">Pay</span><br/>
<span style="font-size:Large;font-weight:bold;">Overtime budget cut by 7m</span><br/>
<span>By Tom Smith</span><br/><span>Published: 15/07/2016 @ 19:14</span><br/>
<div class="Body"><p>A survey of 254 members found 34 per cent had considered leaving.</p></div>
<div><span>Other News</span><br/><a href="/news/article.cfm?id=5">Thief jailed for six years</a>
<br/><a href="/news/article.cfm?id=6">Speed limit cut on the M4</a></div>
</form></body></html>"""


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9999/news/article.cfm?id=7",
        "http://www.policeoracle.com/news/article.cfm?id=7",
    ],
)
def test_a_short_article_in_a_page_wide_form_keeps_its_headline(url):
    # an ASP.NET page is one <form>; a short (paywalled) article leaves it under the word count
    # of a search or log-in form, which is chrome: this one is the page, with or without a
    # profile (whose URL patterns skip classification) reading it
    article = parse_page(url, ASPNET_ARTICLE.encode(), content_type="text/html; charset=utf-8")
    assert article.title == "Overtime budget cut by 7m"
    assert article.author == "Tom Smith"
    assert article.published == "2016-07-15T19:14:00"
    assert article.text.startswith("A survey of 254 members")
