"""The publication date of a page without a profile when its metadata timestamp is in UTC and the
page shows the local day (pages/generic.py: `_local_day`)."""

from __future__ import annotations

import pytest

from pages.extract import parse_page

TEXT = " ".join(
    "The council approved the new policing plan after a long debate about patrols."
    for _ in range(6)
)


def page(meta_time: str, shown: str) -> bytes:
    return f"""<html><head><title>Plan approved</title>
<meta property="article:published_time" content="{meta_time}"></head>
<body><header><nav><a href="/">Home</a></nav></header>
<main><h1>Plan approved</h1><p class="dateline">{shown}</p>
<p>{TEXT}</p><p>{TEXT}</p><p>{TEXT}</p></main></body></html>""".encode()


@pytest.mark.parametrize(
    ("meta_time", "shown", "published"),
    [
        # a US evening is the next day in UTC: the day the page shows
        ("2023-11-09T03:30:59+00:00", "November 8, 2023", "2023-11-08"),
        # the same day: the metadata's timestamp, with its time
        ("2023-11-08T15:30:59+00:00", "November 8, 2023", "2023-11-08T15:30:59+00:00"),
        # an offset of its own is the local time already
        ("2023-11-08T22:30:59-05:00", "November 9, 2023", "2023-11-08T22:30:59-05:00"),
        # days apart: not a time zone, the metadata stands
        ("2023-11-12T03:30:59+00:00", "November 8, 2023", "2023-11-12T03:30:59+00:00"),
    ],
)
def test_a_utc_timestamp_gives_way_to_the_day_the_page_shows(meta_time, shown, published):
    article = parse_page(
        "http://127.0.0.1:1/news/plan", page(meta_time, shown), content_type="text/html"
    )
    assert article.published is not None
    assert article.published[: len(published)] == published


def dated(url: str, shown_html: str, head: str = "") -> str | None:
    body = f"""<html><head><title>Plan approved</title>{head}</head>
<body><main><h1>Plan approved</h1>{shown_html}
<p>{TEXT}</p><p>{TEXT}</p><p>{TEXT}</p></main></body></html>""".encode()
    return parse_page(url, body, content_type="text/html").published


def test_htmldate_decides_elsewhere_and_the_uk_rules_stand_on_uk_pages():
    """A page whose URL names one day and whose dateline shows another, a week later: htmldate's
    reading (the URL's day) on a page of anywhere; on a UK page (a .uk host) the UK rules: the
    dateline under the headline. With metadata, both take its timestamp."""
    shown = '<p class="dateline">Updated 12 November 2023</p>'
    assert dated("https://news.example/2023/11/05/plan", shown) == "2023-11-05"
    assert dated("https://news.example.co.uk/2023/11/05/plan", shown) == "2023-11-12"
    meta = '<meta property="article:published_time" content="2023-11-05T10:00:00">'
    for host in ("news.example", "news.example.co.uk"):
        # htmldate's day, with the time the metadata gives
        assert dated(f"https://{host}/2023/11/05/plan", shown, meta) == "2023-11-05T10:00:00"


def test_the_uk_page_test():
    from pages.metadata import PageMeta, ParsedPage
    from pages.pagetext import parse_html
    from pages.published import uk_page

    def page(url: str, html: str) -> ParsedPage:
        root = parse_html(html)
        return ParsedPage(url, root, PageMeta(root), None, None, None)

    assert uk_page(page("https://www.bbc.co.uk/news/1", "<html><body></body></html>"))
    assert uk_page(page("https://news.example/1", '<html lang="en-GB"><body></body></html>'))
    locale = '<html><head><meta property="og:locale" content="en_GB"></head></html>'
    assert uk_page(page("https://news.example/1", locale))
    assert not uk_page(page("https://news.example/1", '<html lang="en-US"><body></body></html>'))
    assert not uk_page(page("https://www.example.de/1", '<html lang="de"><body></body></html>'))
