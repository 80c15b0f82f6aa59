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
