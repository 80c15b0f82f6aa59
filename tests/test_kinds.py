"""pages/kinds.py: what a page is without a profile, on the fixture's markups and on real pages."""

from __future__ import annotations

import gzip
import json
import os

import pytest

from archive.records import PageKind
from pages import quality
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
