"""Articles per month as SVG (publish/charts.py) and the chart route
/-/articles-per-month.svg (publish/trends.py): every month of the range a bar, gaps where there
are no articles, years along the axis, a title and description, well-formed XML whatever the
title holds, a chart saying so when there is nothing to chart or the search cannot run; the
counts for all articles, a force's and a search's, read from the archive's indexes.
"""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publish import forces, reader
from publish.app import DATABASE, make_datasette
from publish.charts import MAX_MONTHS, continuous, month_chart
from publish.trends import counts_sql, plausible
from tests.published_archive import Client, build_archive

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]


def tooltip(bar: ET.Element) -> str:
    title = bar.find(f"{SVG}title")
    assert title is not None
    return title.text or ""


def years(root: ET.Element) -> list[str]:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "years")
    return [t.text or "" for t in group.iter(f"{SVG}text")]


# --- the SVG -------------------------------------------------------------------------------------


def test_every_month_of_the_range_is_a_bar_and_empty_months_are_gaps():
    root = parse(month_chart([("2021-02", 3), ("2020-11", 12), ("2020-12", 0)]))
    drawn = bars(root)
    assert [b.get("data-month") for b in drawn] == ["2020-11", "2020-12", "2021-01", "2021-02"]
    heights = [float(b.get("height") or 0) for b in drawn]
    assert heights[1] == heights[2] == 0 and heights[0] > heights[3] > 0
    assert [tooltip(b) for b in drawn] == [
        "November 2020: 12 articles",
        "December 2020: no articles",
        "January 2021: no articles",
        "February 2021: 3 articles",
    ]
    # the tallest bar fills the plot, the others in proportion, all standing on the axis
    assert heights[0] == pytest.approx(heights[3] * 4)
    assert len({float(b.get("y") or 0) + float(b.get("height") or 0) for b in drawn}) == 1


def test_one_article_the_title_and_the_description():
    root = parse(month_chart([("2021-04", 1)], title="Articles per month", chart_id="c1"))
    (bar,) = bars(root)
    assert tooltip(bar) == "April 2021: 1 article" and float(bar.get("height") or 0) > 0
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Articles per month: 1 article"
    assert desc is not None and desc.text == (
        "1 article from April 2021 to April 2021, one bar a month; the most in April 2021 (1)."
    )
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    assert years(root) == ["2021"]


def test_what_is_not_a_month_is_left_out_and_a_month_given_twice_added_up():
    assert continuous(
        [
            ("2021-13", 4),
            ("garbage", 2),
            ("2021-1", 1),
            ("2021-03", 2),
            ("2021-03", 5),
            ("2021-04x", 1),
            ("2021-05", -3),
            ("2021-06", 0),
        ]  # fmt: skip
    ) == [(2021 * 12 + 2, 7)]


def test_years_label_the_axis_without_overlapping():
    root = parse(month_chart([("2019-03", 1), ("2021-01", 2)]))
    assert years(root) == ["2019", "2020", "2021"]  # the first year from March
    months = [(f"{y}-{m:02d}", 1 + (y + m) % 7) for y in range(2005, 2025) for m in range(1, 13)]
    root = parse(month_chart(months))
    assert len(bars(root)) == 240
    assert years(root) == [str(y) for y in range(2005, 2025)]
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "years")
    xs = [float(t.get("x") or 0) for t in group.iter(f"{SVG}text")]
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 34
    # a century: every fifth year
    root = parse(month_chart([("1925-01", 1), ("2024-12", 1)]))
    assert years(root) == [str(y) for y in range(1925, 2025, 5)]


def test_labels_never_overlap_and_a_few_months_are_a_few_bars():
    ranges = [("2010-01", "2024-11", 400), ("2019-07", "2024-12", 300),
              ("2020-12", "2021-01", 240), ("1990-06", "2024-12", 960)]  # fmt: skip
    for first, last, width in ranges:
        root = parse(month_chart([(first, 1), (last, 2)], width=width))
        group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "years")
        spans = []
        for text in group.iter(f"{SVG}text"):
            x = float(text.get("x") or 0)
            spans.append((x - 26, x) if text.get("text-anchor") == "end" else (x, x + 26))
        assert all(a[1] + 6 <= b[0] for a, b in zip(spans, spans[1:], strict=False)), spans
        assert all(a >= 0 and b <= width for a, b in spans), spans
    (bar,) = bars(parse(month_chart([("2018-11", 1)])))
    assert float(bar.get("width") or 0) <= 24


def test_a_stray_date_long_ago_does_not_make_thousands_of_bars():
    root = parse(month_chart([("0001-01", 1), ("2024-12", 5)]))
    assert len(bars(root)) == MAX_MONTHS
    desc = root.find(f"{SVG}desc")
    assert desc is not None and f"Only the last {MAX_MONTHS:,} months" in (desc.text or "")


def test_no_counts_give_a_chart_that_says_so():
    svg = month_chart([], title="Articles per month", empty="No articles match")
    root = parse(svg)
    assert bars(root) == []
    message = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "empty"]
    assert message == ["No articles match"]
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Articles per month: No articles match"


def test_text_is_escaped_and_what_xml_cannot_hold_replaced():
    title = "Matching “<script>alert(1)</script>” & \"quotes\" 'n' \x00\x08\ud800 ]]>"
    svg = month_chart([("2021-04", 2)], title=title, chart_id='x" onload="alert(1)')
    assert "<script>" not in svg and "onload=" not in svg.replace('onload="', "")
    root = parse(svg)
    expected = title.replace("\x00", "\ufffd").replace("\x08", "\ufffd").replace("\ud800", "\ufffd")
    node = root.find(f"{SVG}title")
    assert node is not None and node.text == f"{expected}: 2 articles"
    assert root.get("aria-labelledby") == "x--onload--alert-1--title x--onload--alert-1--desc"


@settings(max_examples=200, deadline=None)
@given(
    st.text(),
    st.lists(
        st.tuples(
            st.builds("{:04d}-{:02d}".format, st.integers(1, 9999), st.integers(0, 13)),
            st.integers(-5, 10**9),
        ),
        max_size=30,
    ),
)
def test_any_title_and_counts_make_a_well_formed_chart(title, counts):
    root = parse(month_chart(counts, title=title, empty=title))
    drawn = bars(root)
    assert len(drawn) == len(continuous(counts)) <= MAX_MONTHS
    assert all(float(b.get("height") or 0) >= 0 for b in drawn)


# --- the route ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    c = Client(make_datasette(build_archive(tmp_path_factory.mktemp("charts") / "police.db")))
    yield c
    c.close()


def chart(client: Client, status: int = 200, **args: str) -> ET.Element:
    response = client.get("/-/articles-per-month.svg?" + urlencode(args), status=status)
    assert response.headers["content-type"] == "image/svg+xml; charset=utf-8"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return parse(response.text)


def counted(root: ET.Element) -> dict[str, int]:
    return {b.get("data-month") or "": int(b.get("data-count") or 0) for b in bars(root)}


def test_all_articles_per_month(client):
    root = chart(client)
    months = counted(root)
    # the small archive's five articles: November 2018 to January 2021, every month a bar
    assert len(months) == 27 and list(months)[0] == "2018-11" and list(months)[-1] == "2021-01"
    assert {m: n for m, n in months.items() if n} == {
        "2018-11": 1, "2019-03": 1, "2020-08": 2, "2021-01": 1
    }  # fmt: skip
    assert sum(1 for b in bars(root) if float(b.get("height") or 0) > 0) == 4


def test_a_forces_articles_per_month(client):
    assert counted(chart(client, force="kent")) == {"2018-11": 1}
    assert counted(chart(client, force="greater-manchester")) == {"2019-03": 1}
    root = chart(client, force="metropolitan")  # a body no article names
    assert bars(root) == []
    assert "Metropolitan Police Service" in (root.find(f"{SVG}title").text or "")  # type: ignore[union-attr]


def test_the_charts_width(client):
    assert chart(client, width="400").get("width") == "400"
    assert chart(client, width="10").get("width") == "240"  # bounded
    assert chart(client, width="99999").get("width") == "1600"
    assert chart(client, width="wide").get("width") == "960"  # the default
    assert len(bars(chart(client, width="300"))) == 27


def test_an_unknown_force_is_a_404_with_a_chart_saying_so(client):
    root = chart(client, status=404, force="<nosuch>")
    assert bars(root) == []
    assert any(t.text == "No body has the id <nosuch>" for t in root.iter(f"{SVG}text"))


def test_a_searchs_articles_per_month(client):
    for q in ("crime", "burglar*", '"knife crime"', "officer OR federation", "crime -knife"):
        found = client.json(f"/{DATABASE}/articles", _search=q, _size="max")["rows"]
        by_month: dict[str, int] = {}
        for row in found:
            by_month[row["published"][:7]] = by_month.get(row["published"][:7], 0) + 1
        assert {m: n for m, n in counted(chart(client, q=q)).items() if n} == by_month, q
    assert counted(chart(client, q="cameras", force="kent")) == {"2018-11": 1}
    assert bars(chart(client, q="burglar", force="kent")) == []
    title = chart(client, q="knife").find(f"{SVG}title")
    assert title is not None and (title.text or "").startswith(
        "Articles per month matching “knife”"
    )


@pytest.mark.parametrize(
    "q",
    ['"((', "AND OR NOT", "*", "-", '"', "NEAR(", "title:", "^", "''", "\u202e", "x" * 2000, ""],
)
def test_a_garbage_search_gives_a_chart_never_an_error(client, q):
    root = chart(client, q=q)
    assert all(int(b.get("data-count") or 0) >= 0 for b in bars(root))
    root = chart(client, q=q, _searchmode="raw")  # FTS5 syntax, refused by FTS5: a message
    if not bars(root):
        assert any(t.get("class") == "empty" for t in root.iter(f"{SVG}text"))


def test_a_raw_search_that_fts5_refuses_says_why(client):
    root = chart(client, q='"((', _searchmode="raw")
    (message,) = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "empty"]
    assert message.startswith("No chart: the search cannot be run")
    assert counted(chart(client, q="title:knife", _searchmode="raw")) == {"2020-08": 1}
    root = chart(client, q="AND OR NOT")
    (message,) = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "empty"]
    assert message == "No chart: nothing to search for"


def test_a_date_that_is_not_plausible_is_not_counted(tmp_path):
    from archive.records import Article
    from archive.store import Archive

    db = build_archive(tmp_path / "police.db")
    with Archive.open(db) as archive:
        crawl = archive.start_crawl(seeds=[], settings={})
        for n, published in enumerate(("0001-01-01", "9999-12-31", "sometime", "2021-13-01")):
            archive.save_article(
                Article(f"https://x.test/{n}", f"Odd {n}", "", published, "Text."), crawl_id=crawl
            )
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={})
    c = Client(make_datasette(db))
    try:
        months = counted(chart(c))
        assert list(months)[0] == "2018-11" and list(months)[-1] == "2021-01"
    finally:
        c.close()


# --- the queries read indexes, never an article's text ------------------------------------------

QUERIES = {
    "all": counts_sql(),
    "force": counts_sql(force=True),
    "search": counts_sql(search=True),
    "force and search": counts_sql(force=True, search=True),
    "force, read in order": counts_sql(force=True, scan=True),
    "search, read in order": counts_sql(search=True, scan=True),
    "force and search, read in order": counts_sql(force=True, search=True, scan=True),
    "force page: counts": forces._COUNTS,
    "force page: newest articles": forces._NEWEST,
    "force page: newest articles, read in order": forces._NEWEST_IN_ORDER,
    "force page: people": forces._PEOPLE,
    "forces index": forces._INDEX,
    "article page: forces named": reader.FORCES_NAMED.replace("?", ":id"),
}


@pytest.mark.parametrize("name", QUERIES)
def test_the_queries_use_the_indexes(client, name):
    conn = sqlite3.connect(client.ds.get_database(DATABASE).path)
    try:
        params = {**plausible(), "force": "kent", "q": '"crime"', "id": "kent"}
        plan = [r[3] for r in conn.execute("explain query plan " + QUERIES[name], params)]
    finally:
        conn.close()
    # never a read of every article's row: an index, or rows looked up by key
    scans = [step for step in plan if re.match(r"SCAN (a|articles|people|af)\b(?! USING)", step)]
    assert not scans, plan
    reads = [s for s in plan if re.match(r"(SCAN|SEARCH) (a|articles)\b", s)]
    assert all("COVERING INDEX" in s or "(url=?)" in s or "(rowid=?)" in s for s in reads), plan
    joined = " ".join(plan)
    if name == "all" or name.endswith("read in order"):
        assert re.search(r"(a|articles) USING COVERING INDEX articles_(published|listing)", joined)
    elif name in ("force", "force and search", "force page: counts", "force page: newest articles"):
        assert "COVERING INDEX article_forces_force (force=?)" in plan[0], plan
    elif name == "forces index":
        assert "COVERING INDEX article_forces_force" in joined, plan
    elif name == "force page: people":
        assert "people_force (force=?)" in joined, plan


@pytest.mark.parametrize("ratio", [0, 10**9])  # always read in order, always look up
def test_both_ways_of_counting_count_the_same(client, monkeypatch, ratio):
    from publish import trends

    expected = {
        (): {"2018-11": 1, "2019-03": 1, "2020-08": 2, "2021-01": 1},
        (("force", "kent"),): {"2018-11": 1},
        (("q", "crime"),): {"2020-08": 1},
        (("q", "burglar*"),): {"2019-03": 1},
        (("force", "greater-manchester"), ("q", "burglar*")): {"2019-03": 1},
        (("force", "kent"), ("q", "burglar*")): {},
    }
    monkeypatch.setattr(trends, "SCAN_RATIO", ratio)
    for args, months in expected.items():
        assert {m: n for m, n in counted(chart(client, **dict(args))).items() if n} == months


@pytest.mark.parametrize("in_order", [True, False])
def test_both_ways_of_listing_a_forces_newest_articles(client, monkeypatch, in_order):
    monkeypatch.setattr(forces, "reads_in_order", lambda articles, size: in_order)
    html = client.get("/-/force/greater-manchester").text
    assert "Burglar jailed after string of burglaries</a>" in html
    assert '<span class="date"><time datetime="2019-03-14T10:00:00">14 March 2019</time>' in html
