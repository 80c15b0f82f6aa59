"""The articles table's facets count what SQL counts, however the page is filtered.

Filtered and searched pages count their facets from one read of the page's articles
(publish/facetrows.py), the unfiltered page's year and month facets seek period by period in the
index (publish/facets.py): on a synthetic archive of 600 articles naming forces (the Datasette
benchmark's, written through `Archive` and tagged as a crawl tags), every facet of every page
below is compared with a GROUP BY over the same articles, run here with sqlite3.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest

from publish.app import DATABASE, make_datasette
from tests.published_archive import Client

BENCH = Path(__file__).resolve().parent.parent / "bench"
COLUMNS = ("category", "author", "site", "paywalled", "status")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        import datasette_bench
    finally:
        sys.path.remove(str(BENCH))
    path = tmp_path_factory.mktemp("facets") / "police.db"
    datasette_bench.build_archive(path, 600, seed=3, progress=False)
    return path


@pytest.fixture(scope="module")
def client(archive):
    c = Client(make_datasette(archive, settings={"facet_time_limit_ms": 5000}))
    yield c
    c.close()


def _pages(conn: sqlite3.Connection) -> list[tuple[dict[str, str], str, list[str]]]:
    """(query string, the same articles in SQL, its parameters)."""
    forces = [
        r[0]
        for r in conn.execute(
            "select force from article_forces group by force order by count(*) desc limit 3"
        )
    ]
    word = conn.execute(
        "select category from articles group by category order by count(*) desc"
    ).fetchone()[0]
    fts = "rowid in (select rowid from articles_fts where articles_fts match ?)"
    naming = "url in (select article_url from article_forces where force = ?)"
    return [
        ({"_force": forces[0]}, naming, [forces[0]]),
        ({"_force": forces[2]}, naming, [forces[2]]),
        ({"_search": "police"}, fts, ["police"]),
        ({"_search": "police", "_force": forces[1]}, f"{fts} and {naming}", ["police", forces[1]]),
        ({"category": word}, "category = ?", [word]),
        ({"category": word, "_force": forces[0]}, f"category = ? and {naming}", [word, forces[0]]),
        ({"paywalled": "1", "_search": "court"}, f"paywalled = 1 and {fts}", ["court"]),
    ]


def _expected(conn: sqlite3.Connection, where: str, params: list[str]) -> dict[str, Counter]:
    rows = conn.execute(f"select * from articles where {where}", params).fetchall()
    names = [d[0] for d in conn.execute("select * from articles limit 0").description]
    at = {n: i for i, n in enumerate(names)}
    counts = {c: Counter(r[at[c]] for r in rows if r[at[c]] is not None) for c in COLUMNS}
    dated = [r[at["published"]] for r in rows if r[at["published"]]]
    counts["published"] = Counter(p[:4] for p in dated)
    counts["published_2"] = Counter(p[:7] for p in dated)
    urls = [r[at["url"]] for r in rows]
    counts["forces"] = Counter()
    for url in urls:
        for (force,) in conn.execute(
            "select force from article_forces where article_url = ?", [url]
        ):
            counts["forces"][force] += 1
    counts["_total"] = Counter({"rows": len(rows)})
    return counts


def _shown(facet: dict) -> dict:
    return {v["value"]: v["count"] for v in facet["results"]}


def _check(facet: dict, expected: Counter, name: str, newest_first: bool) -> None:
    shown = _shown(facet)
    assert shown, name
    # every value shown has its true count, and the values shown are the top ones
    for value, count in shown.items():
        key = int(value) if name == "paywalled" else value
        assert expected[key] == count, (name, value)
    if newest_first:
        assert list(shown) == sorted(expected, reverse=True)[: len(shown)], name
    else:
        assert min(shown.values()) >= max(
            (n for v, n in expected.items() if str(v) not in {str(k) for k in shown}), default=0
        ), name
    assert facet["truncated"] == (len(expected) > len(shown)), name


def test_filtered_pages_count_their_facets_as_sql_does(client, archive):
    with sqlite3.connect(archive) as conn:
        pages = _pages(conn)
        for query, where, params in pages:
            expected = _expected(conn, where, params)
            data = client.json(f"/{DATABASE}/articles", **query)
            assert data["filtered_table_rows_count"] == expected["_total"]["rows"], query
            assert not data.get("facets_timed_out"), query
            facets = data["facet_results"]
            for name in (*COLUMNS, "published", "published_2", "forces"):
                _check(facets[name], expected[name], name, name.startswith("published"))


def test_the_whole_table_counts_its_periods_as_sql_does(client, archive):
    with sqlite3.connect(archive) as conn:
        expected = _expected(conn, "1", [])
        # an article without a date, and one with a date the facets do not read as one
        assert expected["_total"]["rows"] == 600
    facets = client.json(f"/{DATABASE}/articles")["facet_results"]
    for name in ("published", "published_2", "forces", *COLUMNS):
        _check(facets[name], expected[name], name, name.startswith("published"))


def test_a_page_filtered_by_force_lists_its_newest_articles_first(client, archive):
    with sqlite3.connect(archive) as conn:
        force = conn.execute(
            "select force from article_forces group by force order by count(*) desc"
        ).fetchone()[0]
        newest = [
            r[0]
            for r in conn.execute(
                "select url from articles where url in (select article_url from article_forces "
                "where force = ?) order by published desc, rowid desc limit 20",
                [force],
            )
        ]
    data = client.json(f"/{DATABASE}/articles", _force=force, _size="20")
    assert [r["url"] for r in data["rows"]] == newest
    later = client.json(f"/{DATABASE}/articles", _force=force, _size="20", _next=data["next"])
    assert not {r["url"] for r in later["rows"]} & set(newest)


def test_a_value_that_is_not_utf8_is_counted_as_datasette_shows_it(archive, tmp_path):
    # the facets read their columns as plain text; a value that is not UTF-8 (written by another
    # tool) is read again as Datasette reads text, with the bytes it cannot decode replaced
    copy = tmp_path / "police.db"
    with sqlite3.connect(archive) as src, sqlite3.connect(copy) as dest:
        src.backup(dest)
        force, url = dest.execute(
            "select force, article_url from article_forces order by article_url limit 1"
        ).fetchone()
        dest.execute("update articles set author = cast(x'ff41' as text) where url = ?", [url])
    c = Client(make_datasette(copy, settings={"facet_time_limit_ms": 5000}))
    try:
        data = c.json(f"/{DATABASE}/articles", _force=force, _facet_size="max")
    finally:
        c.close()
    assert not data.get("facets_timed_out")
    assert _shown(data["facet_results"]["author"])["\ufffdA"] == 1


def _multiplied(archive: Path, dest: Path, times: int) -> str:
    """A copy of `archive` with each article `times` times over (new URLs, short texts), every
    copy naming the most named force as well: returns that force."""
    with sqlite3.connect(archive) as src, sqlite3.connect(dest) as conn:
        src.backup(conn)
        force = conn.execute(
            "select force from article_forces group by force order by count(*) desc"
        ).fetchone()[0]
        names = [r[1] for r in conn.execute("pragma table_info(articles)")]
        # short texts, all matching "police": the full-text index is written quickly
        short = {"url": "url || '#' || n", "text": "'police news'", "standfirst": "''"}
        copied = ", ".join(short.get(c, c) for c in names)
        counter = (
            f"with recursive k(n) as (select 1 union all select n + 1 from k where n < {times})"
        )
        conn.execute(f"{counter} insert into articles ({', '.join(names)}) "
                     f"select {copied} from articles, k")  # fmt: skip
        conn.execute(
            "insert into article_forces (article_url, force, mentions, in_headline) "
            "select url, ?, 1, 0 from articles where url like '%#%'",
            [force],
        )
    return force


def test_facets_that_run_out_of_time_say_so_and_the_page_answers(archive, tmp_path):
    # 20,000 articles to read and 3 ms to read them in (facet_time_limit_ms 1: the shared read
    # has three), with the time checked at every SQLite instruction (Datasette's rule under
    # 20 ms): a million instructions, each a Python call, whatever the machine's speed
    big = tmp_path / "big.db"
    force = _multiplied(archive, big, 33)
    with sqlite3.connect(big) as conn:
        expected = conn.execute(
            "select count(*) from article_forces where force = ?", [force]
        ).fetchone()[0]
    assert expected > 19_800
    c = Client(make_datasette(big, settings={"facet_time_limit_ms": 1}))
    try:
        for query in ({"_force": force}, {"_search": "police"}):
            data = c.json(f"/{DATABASE}/articles", **query)
            if "_force" in query:
                assert data["filtered_table_rows_count"] == expected
            assert not data["facet_results"], query
            page = c.get(f"/{DATABASE}/articles?{urlencode(query)}").text
            said = re.search(r"These facets timed out: ([^<]*)<", page)
            assert said, (query, re.findall(r"[^>]*facet[^<]*", page)[:20])
            assert set(said.group(1).split(", ")) >= {*COLUMNS, "forces", "published"}, query
    finally:
        c.close()


def test_a_column_the_page_reads_in_part_is_counted_by_its_own_query(client, archive):
    # the shared read holds the month of `published` and no title: a facet on either, on a
    # filtered page, counts the values themselves, and each value's link finds its articles
    with sqlite3.connect(archive) as conn:
        force = conn.execute(
            "select force from article_forces group by force order by count(*) desc"
        ).fetchone()[0]
    for column in ("published", "title"):
        data = client.json(f"/{DATABASE}/articles", _force=force, _facet_indexed=column)
        values = data["facet_results"][column]["results"]
        assert values and all(len(str(v["value"])) > 7 for v in values), column
        chosen = client.get(values[0]["toggle_url"].replace("http://localhost", "")).json()
        assert len(chosen["rows"]) == values[0]["count"], column
