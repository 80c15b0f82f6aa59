"""pages/urls.py: canonical URLs, page kinds, link resolution and what the crawler follows."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pages.profiles import SiteProfile, UrlPattern, default_profiles
from pages.urls import (
    article_url_for_comments,
    canonical_url,
    comments_url_for_article,
    followable,
    page_kind,
    resolve,
)

LOCAL = "http://www.policeoracle.localhost"
REAL = "https://www.policeoracle.com"

CANONICAL = [
    # the real site's mobile edition
    (
        "https://touch.policeoracle.com/news/article.cfm?id=111966",
        f"{REAL}/news/article.cfm?id=111966",
    ),
    # alias subdomains and the bare domain map to www.
    ("http://touch.policeoracle.localhost/news/article.cfm?id=5", f"{LOCAL}/news/article.cfm?id=5"),
    ("http://m.policeoracle.localhost/news/article.cfm?id=5", f"{LOCAL}/news/article.cfm?id=5"),
    (
        "http://mobile.policeoracle.localhost/news/article.cfm?id=5",
        f"{LOCAL}/news/article.cfm?id=5",
    ),
    ("http://policeoracle.localhost/news/article.cfm?id=5", f"{LOCAL}/news/article.cfm?id=5"),
    ("https://policeoracle.com/news/article.cfm?id=5", f"{REAL}/news/article.cfm?id=5"),
    # upper-case scheme and host, trailing dot, default port
    ("HTTP://WWW.PoliceOracle.LOCALHOST/news/article.cfm?id=5", f"{LOCAL}/news/article.cfm?id=5"),
    ("http://www.policeoracle.localhost./news/article.cfm?id=5", f"{LOCAL}/news/article.cfm?id=5"),
    (
        "http://www.policeoracle.localhost:80/news/article.cfm?id=5",
        f"{LOCAL}/news/article.cfm?id=5",
    ),
    ("https://touch.policeoracle.com:443/news/article.cfm?id=5", f"{REAL}/news/article.cfm?id=5"),
    # a non-default port is kept, on the canonical host
    (
        "http://touch.policeoracle.localhost:8080/news/article.cfm?id=5",
        "http://www.policeoracle.localhost:8080/news/article.cfm?id=5",
    ),
    # fragment
    (f"{LOCAL}/news/article.cfm?id=5#comments", f"{LOCAL}/news/article.cfm?id=5"),
    # tracking and session parameters
    (
        f"{LOCAL}/news/article.cfm?id=5&utm_source=twitter&utm_medium=social&ref=home",
        f"{LOCAL}/news/article.cfm?id=5",
    ),
    (f"{LOCAL}/news/article.cfm?CFID=123&CFTOKEN=456&id=5", f"{LOCAL}/news/article.cfm?id=5"),
    (f"{LOCAL}/news/article.cfm;jsessionid=A1B2C3?id=5", f"{LOCAL}/news/article.cfm?id=5"),
    # the article id is kept, every other article parameter dropped
    (f"{LOCAL}/news/article.cfm?id=5&page=2&utm_source=x", f"{LOCAL}/news/article.cfm?id=5"),
    (f"{LOCAL}/news/article.cfm?page=2&id=5&print=1", f"{LOCAL}/news/article.cfm?id=5"),
    (f"{LOCAL}/news/article.cfm?ID=5", f"{LOCAL}/news/article.cfm?id=5"),
    (f"{LOCAL}/news/article.cfm?id=5&id=6", f"{LOCAL}/news/article.cfm?id=5"),
    (f"{LOCAL}/News/Article.CFM?id=5", f"{LOCAL}/news/article.cfm?id=5"),
    # comment threads
    (
        "http://touch.policeoracle.localhost/news/comments.cfm?utm_campaign=x&id=7#c3",
        f"{LOCAL}/news/comments.cfm?id=7",
    ),
    # listings: page 1 is the listing itself
    (f"{LOCAL}/news/", f"{LOCAL}/news/index.cfm"),
    (f"{LOCAL}/news/index.cfm", f"{LOCAL}/news/index.cfm"),
    (f"{LOCAL}/news/index.cfm?page=1", f"{LOCAL}/news/index.cfm"),
    (f"{LOCAL}/news/index.cfm?page=2", f"{LOCAL}/news/index.cfm?page=2"),
    (f"{LOCAL}/news/?page=2&utm_source=rss", f"{LOCAL}/news/index.cfm?page=2"),
    # other pages of the site: tracking removed, parameters sorted, blank values kept
    (f"{LOCAL}/news/print.cfm?id=5&b=&a=1&sid=9", f"{LOCAL}/news/print.cfm?a=1&b=&id=5"),
    (
        "http://touch.policeoracle.localhost/news/index.cfm?category=Crime&page=2",
        f"{LOCAL}/news/index.cfm?category=Crime&page=2",
    ),
    ("https://touch.policeoracle.com", f"{REAL}/"),
    # other subdomains of the domain are not the news site: host kept
    (
        "https://JOBS.policeoracle.com/news/article.cfm?id=5&utm_source=x",
        "https://jobs.policeoracle.com/news/article.cfm?id=5",
    ),
    # any other site: generic canonicalisation only
    (
        "HTTP://Example.COM:80/a/./b/../c?z=1&a=2&utm_source=x&fbclid=y&gclid=z#frag",
        "http://example.com/a/c?a=2&z=1",
    ),
    (
        "https://touch.example.com/p?mc_cid=1&mc_eid=2&PHPSESSID=3&sessionid=4&UTM_Term=5&q=x",
        "https://touch.example.com/p?q=x",
    ),
    ("http://example.com:8080/a%7eb/c%2fd?q=a%20b", "http://example.com:8080/a~b/c%2Fd?q=a+b"),
    ("http://example.com/caf\u00e9?q=\u00e9", "http://example.com/caf%C3%A9?q=%C3%A9"),
    ("  http://example.com/a  ", "http://example.com/a"),
    # not http(s): stripped, otherwise unchanged
    ("mailto:desk@policeoracle.com", "mailto:desk@policeoracle.com"),
]


@pytest.mark.parametrize(("url", "expected"), CANONICAL)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(("url", "expected"), CANONICAL)
def test_canonical_url_is_idempotent_on_the_table(url: str, expected: str) -> None:
    assert canonical_url(expected) == expected


def test_malformed_url_raises_value_error() -> None:
    with pytest.raises(ValueError):
        canonical_url("http://www.policeoracle.localhost:99999/news/")


PAGE_KINDS = [
    (f"{LOCAL}/news/article.cfm?id=5", "article"),
    ("https://touch.policeoracle.com/news/article.cfm?id=111966", "article"),
    (f"{LOCAL}/news/article.cfm?id=5&utm_source=x", "article"),
    (f"{LOCAL}/news/article.cfm", None),  # no id
    (f"{LOCAL}/news/article.cfm?id=", None),  # blank id
    (f"{LOCAL}/news/comments.cfm?id=5", "comments"),
    (f"{LOCAL}/news/", "listing"),
    (f"{LOCAL}/news/index.cfm?page=3", "listing"),
    (f"{LOCAL}/news/index.cfm?category=Crime", None),
    (f"{LOCAL}/news/index.cfm?category=", None),
    (f"{LOCAL}/news/index.cfm?author=Jane+Smith", None),
    (f"{LOCAL}/news/index.cfm?tag=knife-crime", None),
    (f"{LOCAL}/news/print.cfm?id=5", None),
    (f"{LOCAL}/news/email.cfm?id=5", None),
    (f"{LOCAL}/events/calendar.cfm", None),
    (f"{LOCAL}/search.cfm?q=taser", None),
    (f"{LOCAL}/login.cfm", None),
    (f"{LOCAL}/jobs/", None),
    (f"{LOCAL}/", None),
    ("https://jobs.policeoracle.com/news/article.cfm?id=5", None),
    ("https://example.com/news/article.cfm?id=5", None),
    ("mailto:desk@policeoracle.com", None),
    ("http://www.policeoracle.localhost:99999/news/", None),
]


@pytest.mark.parametrize(("url", "kind"), PAGE_KINDS)
def test_page_kind(url: str, kind: str | None) -> None:
    assert page_kind(url) == kind
    assert followable(url) is (kind is not None)


@pytest.mark.parametrize(
    "url",
    [
        f"{LOCAL}/news/article.cfm?id=5",
        f"{LOCAL}/news/comments.cfm?id=5",
        f"{LOCAL}/news/index.cfm?page=2",
        "http://touch.policeoracle.localhost/news/",
        "https://touch.policeoracle.com/news/article.cfm?id=111966",
    ],
)
def test_followable(url: str) -> None:
    assert followable(url)


@pytest.mark.parametrize(
    "url",
    [
        f"{LOCAL}/news/print.cfm?id=5",
        f"{LOCAL}/news/email.cfm?id=5",
        f"{LOCAL}/news/index.cfm?category=Crime",
        f"{LOCAL}/news/index.cfm?page=2&category=Crime",
        f"{LOCAL}/events/calendar.cfm?month=2020-08",
        f"{LOCAL}/search.cfm?q=taser",
        f"{LOCAL}/login.cfm",
        f"{LOCAL}/jobs/index.cfm",
        "mailto:desk@policeoracle.com",
        "javascript:void(0)",
        "javascript:window.print()",
        "tel:+441234567890",
        "data:text/html,<p>x</p>",
        "ftp://www.policeoracle.localhost/news/article.cfm?id=5",
        "https://www.bbc.co.uk/news/article.cfm?id=5",
        "https://twitter.com/share?url=http://www.policeoracle.com/news/article.cfm?id=5",
    ],
)
def test_not_followable(url: str) -> None:
    assert not followable(url)


def test_article_and_comments_urls() -> None:
    comments = "http://touch.policeoracle.localhost/news/comments.cfm?id=7&utm_source=x#c2"
    article = "http://m.policeoracle.localhost/news/article.cfm?page=2&id=7"
    assert article_url_for_comments(comments) == f"{LOCAL}/news/article.cfm?id=7"
    assert comments_url_for_article(article) == f"{LOCAL}/news/comments.cfm?id=7"
    assert (
        comments_url_for_article("https://touch.policeoracle.com/news/article.cfm?id=111966")
        == f"{REAL}/news/comments.cfm?id=111966"
    )
    # the wrong kind of page, or no profile
    assert article_url_for_comments(article) is None
    assert comments_url_for_article(comments) is None
    assert article_url_for_comments(f"{LOCAL}/news/index.cfm") is None
    assert comments_url_for_article("https://example.com/news/article.cfm?id=7") is None
    assert comments_url_for_article("mailto:x@example.com") is None


def test_counterparts_round_trip() -> None:
    article = f"{LOCAL}/news/article.cfm?id=42"
    comments = comments_url_for_article(article)
    assert comments is not None
    assert article_url_for_comments(comments) == article


BASE = f"{LOCAL}/news/article.cfm?id=1"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("article.cfm?id=3", f"{LOCAL}/news/article.cfm?id=3"),
        ("  article.cfm?id=3\n", f"{LOCAL}/news/article.cfm?id=3"),
        ("article.cfm?\n\tid=3", f"{LOCAL}/news/article.cfm?id=3"),
        ("/news/comments.cfm?id=1", f"{LOCAL}/news/comments.cfm?id=1"),
        ("../news/index.cfm?page=2", f"{LOCAL}/news/index.cfm?page=2"),
        ("?id=9", f"{LOCAL}/news/article.cfm?id=9"),
        ("//touch.policeoracle.localhost/news/", "http://touch.policeoracle.localhost/news/"),
        ("https://www.bbc.co.uk/news", "https://www.bbc.co.uk/news"),
        ("#comments", f"{BASE}#comments"),
        ("mailto:desk@policeoracle.com", None),
        ("javascript:void(0)", None),
        (" JavaScript:void(0)", None),
        ("tel:+441234567890", None),
        ("data:text/html,x", None),
        ("ftp://example.com/file", None),
        ("http://", None),
        ("//", None),
        ("http://[::1", None),
        ("http://example.com:99999/", None),
    ],
)
def test_resolve(href: str, expected: str | None) -> None:
    assert resolve(BASE, href) == expected


def test_resolve_then_canonicalise() -> None:
    resolved = resolve(BASE, "article.cfm?id=3&utm_source=x#top")
    assert resolved is not None
    assert canonical_url(resolved) == f"{LOCAL}/news/article.cfm?id=3"
    assert followable(resolved)


def test_profiles_argument() -> None:
    other = SiteProfile(
        name="other",
        domains=("other.localhost",),
        article=UrlPattern(re.compile(r"^/story/\d+$"), params=()),
    )
    assert page_kind("http://m.other.localhost/story/12?utm_source=x", (other,)) == "article"
    assert canonical_url("http://m.other.localhost/story/12?x=1", (other,)) == (
        "http://www.other.localhost/story/12"
    )
    assert page_kind("http://www.other.localhost/story/12") is None  # not in the default profiles
    assert page_kind(f"{LOCAL}/news/article.cfm?id=5", (other,)) is None
    assert default_profiles()  # the default


# --- idempotence on generated URLs --------------------------------------------------------------

_hosts = st.sampled_from(
    [
        "www.policeoracle.localhost",
        "touch.policeoracle.localhost",
        "policeoracle.localhost",
        "M.PoliceOracle.com",
        "jobs.policeoracle.com",
        "example.com",
        "EXAMPLE.org.",
        "127.0.0.1",
        "[::1]",
    ]
)
_ports = st.sampled_from(["", ":80", ":443", ":8080"])
_segments = st.sampled_from(
    [
        "news",
        "article.cfm",
        "comments.cfm",
        "index.cfm",
        "print.cfm",
        ".",
        "..",
        "a b",
        "caf\u00e9",
        "%7E",
        "%2f",
        "x;jsessionid=1",
        "",
        "A%20B",
    ]
)
_names = st.sampled_from(
    ["id", "ID", "page", "category", "utm_source", "ref", "CFID", "q", "a", "b", "x%20y", "\u00e9"]
)
_values = st.sampled_from(["", "1", "2", "5", "a b", "a+b", "%20", "%41", "\u00e9", "x&y", "/"])


@st.composite
def _urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP"]))
    path = "/" + "/".join(draw(st.lists(_segments, max_size=4)))
    params = draw(st.lists(st.tuples(_names, _values), max_size=4))
    query = "&".join(f"{n}={v}" if v or draw(st.booleans()) else n for n, v in params)
    fragment = draw(st.sampled_from(["", "#", "#top"]))
    return f"{scheme}://{draw(_hosts)}{draw(_ports)}{path}{'?' + query if query else ''}{fragment}"


@settings(max_examples=500, deadline=None, database=None)  # no .hypothesis/ in the repo
@given(_urls())
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert page_kind(once) == page_kind(url)


@pytest.mark.parametrize(
    ("legacy", "article"),
    [
        ("http://www.policeoracle.localhost/news/story.asp?id=12", "article.cfm?id=12"),
        ("http://touch.policeoracle.localhost/news/story.asp?ref=ion&id=12", "article.cfm?id=12"),
        ("http://www.policeoracle.localhost/news/archive/12.htm", "article.cfm?id=12"),
        ("https://policeoracle.com/News/Story.asp?ID=12&utm_source=x", "article.cfm?id=12"),
    ],
)
def test_legacy_urls_name_the_article_directly(legacy, article):
    url = canonical_url(legacy)
    assert url.endswith("/news/" + article)
    assert page_kind(url) == "article" and followable(legacy)


def test_legacy_rule_needs_the_whole_id():
    assert page_kind("http://www.policeoracle.localhost/news/story.asp?id=12x") is None
