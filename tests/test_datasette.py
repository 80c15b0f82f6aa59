"""The published archive through Datasette's own client: every configured facet, canned query and
search mode, the article page, exports and the safety settings.

The Datasette instance is the one `police-archive serve` runs (`publish.app.make_datasette`),
on the small archive of tests/published_archive.py.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from datasette.utils import tilde_encode
from markupsafe import escape as html_escape

from archive.tables import TABLES
from publish import app as publish_app
from publish.app import (
    ARTICLE_TABLE_COLUMNS,
    CANNED_QUERIES,
    DATABASE,
    SETTINGS,
    TABLE_CONFIG,
    configuration,
    datasette_metadata,
    descriptive_metadata,
    make_datasette,
)
from tests.published_archive import (
    BURGLAR,
    CAMERAS,
    KNIFE,
    NOT_ARCHIVED,
    PAY,
    STOP,
    Client,
    LiveWriter,
    build_archive,
)


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("published") / "police.db")


@pytest.fixture(scope="module")
def client(archive_path):
    c = Client(make_datasette(archive_path))
    yield c
    c.close()


def page(url: str) -> str:
    return f"/{DATABASE}/articles/{tilde_encode(url)}"


def titles(rows) -> list[str]:
    return [r["title"] for r in rows]


# --- metadata and configuration ----------------------------------------------------------------


def test_descriptive_metadata_and_configuration_are_separate_blocks():
    def leaves(d, prefix=()):
        for k, v in d.items():
            if isinstance(v, dict) and v:
                yield from leaves(v, (*prefix, k))
            else:
                yield (*prefix, k)

    meta, config = descriptive_metadata(), configuration()
    assert set(meta) == {
        "title", "description_html", "source", "source_url", "license", "databases"
    }  # fmt: skip
    assert set(config) == {"settings", "plugins", "databases"}
    assert not set(leaves(meta)) & set(leaves(config))  # no key in both
    config.pop("settings")  # passed to Datasette as settings, not metadata
    merged = datasette_metadata()
    assert set(leaves(merged)) == set(leaves(meta)) | set(leaves(config))


def test_every_table_and_column_is_described(client):
    served = client.get("/-/metadata.json").json()
    assert served == datasette_metadata()
    tables = served["databases"][DATABASE]["tables"]
    for table in TABLES:
        assert tables[table.name]["description"] == table.description
        assert set(tables[table.name]["columns"]) == set(table.column_names)
    for name, config in TABLE_CONFIG.items():
        assert name in tables, f"configured table {name} is not in the schema"
        for key in ("sort_desc", "label_column"):
            if key in config:
                assert config[key] in tables[name]["columns"]


def test_home_page_says_what_the_archive_is(client):
    html = client.get("/").text
    assert "Police news archive" in html
    assert "How it was collected" in html
    assert "robots.txt" in html
    assert "copyright of their publishers" in html


def test_settings_are_applied(client):
    served = client.get("/-/settings.json").json()
    for name, value in SETTINGS.items():
        assert served[name] == value, name


def test_the_configuration_is_the_files_datasette_reads(client):
    # publish/config/: metadata.yaml, datasette.yaml and one queries/NAME.sql per canned query,
    # served as they are written
    import yaml

    config_dir = Path(publish_app.__file__).parent / "config"
    written = yaml.safe_load((config_dir / "datasette.yaml").read_text("utf-8"))
    about = yaml.safe_load((config_dir / "metadata.yaml").read_text("utf-8"))
    served = client.get("/-/metadata.json").json()
    assert served["title"] == about["title"] and served["license"] == about["license"]
    assert (
        served["databases"][DATABASE]["tables"]["articles"]["facets"]
        == (written["tables"]["articles"]["facets"])
    )
    assert client.get("/-/settings.json").json() | written["settings"] == (
        client.get("/-/settings.json").json()
    )
    queries = served["databases"][DATABASE]["queries"]
    sql_files = sorted(p.stem for p in (config_dir / "queries").glob("*.sql"))
    assert sorted(queries) == sql_files == sorted(written["queries"])
    for name in sql_files:
        assert queries[name]["sql"] == (config_dir / "queries" / f"{name}.sql").read_text().strip()
        assert queries[name]["title"] == written["queries"][name]["title"]


def test_database_page_lists_tables_and_canned_queries(client):
    html = client.get(f"/{DATABASE}").text
    for query in CANNED_QUERIES:
        assert html_escape(query.title) in html
    for table in ("articles", "comments", "links", "crawls", "fetches"):
        assert f'href="/{DATABASE}/{table}"' in html


# --- the articles table ------------------------------------------------------------------------


def test_articles_newest_first_with_titles_linked(client):
    data = client.json(f"/{DATABASE}/articles")
    assert titles(data["rows"]) == [
        "Stop and search powers reviewed",
        "Federation warns over pay award",
        "Knife crime falls in the capital",
        "Burglar jailed after string of burglaries",
        "Body-worn cameras for every officer",
    ]
    html = client.get(f"/{DATABASE}/articles").text
    assert f'<a href="{page(KNIFE)}">Knife crime falls in the capital</a>' in html


def test_articles_table_shows_the_main_columns_then_all(client):
    html = client.get(f"/{DATABASE}/articles").text
    for column in ARTICLE_TABLE_COLUMNS:
        assert f'data-column="{column}"' in html
    assert 'data-column="content_hash"' not in html
    assert "Show every column" in html
    everything = client.get(f"/{DATABASE}/articles?_columns=all").text
    assert 'data-column="content_hash"' in everything
    assert 'data-column="first_crawl_id"' in everything


EXPECTED_ARTICLE_FACETS = {
    "category": {"Crime": 2, "Justice": 1, "Pay and Conditions": 1, "Technology": 1},
    "author": {"Jane Smith": 2, "Tom Brown": 2, "": 1},
    "site": {"policeoracle": 4, "policeprofessional": 1},
    "published": {"2021": 1, "2020": 2, "2019": 1, "2018": 1},  # year
    "published_2": {"2021-01": 1, "2020-08": 2, "2019-03": 1, "2018-11": 1},  # month
    "paywalled": {0: 4, 1: 1},
    "status": {"live": 4, "gone": 1},
    "forces": {"greater-manchester": 1, "kent": 1},  # the forces the articles name
}


def test_every_configured_articles_facet(client):
    facets = client.json(f"/{DATABASE}/articles")["facet_results"]
    assert set(facets) == set(EXPECTED_ARTICLE_FACETS)
    for name, expected in EXPECTED_ARTICLE_FACETS.items():
        assert {v["value"]: v["count"] for v in facets[name]["results"]} == expected, name
    assert facets["published"]["type"] == "year"
    assert facets["published_2"]["type"] == "month"
    # time facets are newest first
    assert [v["value"] for v in facets["published_2"]["results"]][0] == "2021-01"


@pytest.mark.parametrize(
    ("table", "facet", "value", "count"),
    [
        ("comments", "author", "Sarah", 1),
        ("comments", "posted", "2019-03", 2),  # month
        ("links", "section", "in_other_news", 7),
        ("article_links", "section", "more_news", 1),
        ("fetches", "outcome", "failed", 2),
        ("fetches", "reason", "timeout", 1),
        ("fetches", "crawl_id", 1, 8),
        ("retry_queue", "reason", "timeout", 1),
        ("failures", "reason", "http_404", 1),
        ("revisions", "flags", "", 5),
        ("revisions", "source", "crawl", 5),
        ("revisions", "crawl_id", 1, 5),
        ("article_authors", "author", "Jane Smith", 2),
        ("article_authors", "site", "policeprofessional", 1),
        ("forces", "kind", "pcc", 42),
        ("forces", "nation", "Wales", 8),
        ("article_forces", "force", "greater-manchester", 1),
        ("article_forces", "in_headline", 0, 2),
        ("people", "rank", "Chief Constable", 1),
        ("people", "force", "kent", 1),
    ],
)
def test_every_configured_facet_of_the_other_tables(client, table, facet, value, count):
    facets = client.json(f"/{DATABASE}/{table}")["facet_results"]
    configured = [f if isinstance(f, str) else next(iter(f.values())) for f in
                  TABLE_CONFIG[table]["facets"]]  # fmt: skip
    assert {name.removesuffix("_2") for name in facets} == set(configured)
    assert {v["value"]: v["count"] for v in facets[facet]["results"]}[value] == count


def test_articles_by_the_forces_they_name(client):
    """The `forces` facet of the articles table and the `_force` filter it toggles."""
    data = client.json(f"/{DATABASE}/articles")
    forces = data["facet_results"]["forces"]
    counts = {v["label"]: v["count"] for v in forces["results"]}
    assert counts == {"Greater Manchester Police": 1, "Kent Police": 1}
    kent = next(v for v in forces["results"] if v["value"] == "kent")
    path = urlsplit(kent["toggle_url"])
    assert ("_force", "kent") in parse_qsl(path.query)
    chosen = client.json(path.path, **dict(parse_qsl(path.query)))
    assert titles(chosen["rows"]) == ["Body-worn cameras for every officer"]
    assert next(v for v in chosen["facet_results"]["forces"]["results"])["selected"]
    # with a search and a force: both hold
    table = f"/{DATABASE}/articles"
    searched = client.json(table, _search="burglar", _force="greater-manchester")
    assert titles(searched["rows"]) == ["Burglar jailed after string of burglaries"]
    assert client.json(table, _search="burglar", _force="kent")["rows"] == []
    html = client.get(f"/{DATABASE}/articles?_force=kent").text
    assert "naming the force or body" in html


def test_all_configured_facets_are_tested():
    tested = {("articles", f) for f in ("category", "author", "site", "published", "paywalled",
                                         "status", "url")}  # fmt: skip
    for params in test_every_configured_facet_of_the_other_tables.pytestmark[0].args[1]:
        tested.add((params[0], params[1]))
    for table, config in TABLE_CONFIG.items():
        for facet in config.get("facets", []):
            column = facet if isinstance(facet, str) else next(iter(facet.values()))
            assert (table, column) in tested, (table, facet)


@pytest.mark.parametrize(
    ("facet", "value", "expected"),
    [
        ("published", "2020", [
            "Federation warns over pay award", "Knife crime falls in the capital"]),
        ("published_2", "2019-03", ["Burglar jailed after string of burglaries"]),
    ],
)  # fmt: skip
def test_selecting_a_year_or_month(client, facet, value, expected):
    facets = client.json(f"/{DATABASE}/articles")["facet_results"]
    toggle = next(v for v in facets[facet]["results"] if v["value"] == value)["toggle_url"]
    path = urlsplit(toggle)
    assert ("published__glob", f"{value}*") in parse_qsl(path.query)
    data = client.get(f"{path.path}?{path.query}").json()
    assert titles(data["rows"]) == expected
    chosen = next(v for v in data["facet_results"][facet]["results"] if v["value"] == value)
    assert chosen["selected"]
    html = client.get(f"/{DATABASE}/articles?published__glob={value}*").text
    assert expected[0] in html
    assert f"published glob &#34;{value}*&#34;" in html


def test_filters_combine_with_facets(client):
    data = client.json(f"/{DATABASE}/articles", category="Crime", author="Tom Brown")
    assert titles(data["rows"]) == ["Knife crime falls in the capital"]


# --- search ------------------------------------------------------------------------------------

SEARCHES = [
    # (what the reader types, titles found), with the table's default (forgiving) search mode
    ("burglar", ["Burglar jailed after string of burglaries"]),
    ("burglar*", ["Burglar jailed after string of burglaries"]),  # prefix: also burglaries
    ('"knife crime"', ["Knife crime falls in the capital"]),
    ('"crime knife"', []),  # a phrase is in order
    (
        "knife OR federation",
        ["Federation warns over pay award", "Knife crime falls in the capital"],
    ),
    ("crime -knife", []),
    # Porter stemming: officer, officers and office are all "offic"
    (
        "officer",
        [
            "Stop and search powers reviewed",
            "Knife crime falls in the capital",
            "Body-worn cameras for every officer",
        ],
    ),
    ("officer NOT camera", ["Stop and search powers reviewed", "Knife crime falls in the capital"]),
    ("O'Brien", ["Body-worn cameras for every officer"]),
    ("co-operation", ["Burglar jailed after string of burglaries"]),
    ('"(', []),  # not an error
    ("AND OR NOT", []),
]


@pytest.mark.parametrize(("q", "expected"), SEARCHES)
def test_table_search(client, q, expected):
    data = client.json(f"/{DATABASE}/articles", _search=q)
    assert titles(data["rows"]) == expected


def test_porter_stemming_alone_misses_what_a_prefix_finds(client):
    def found(q):
        return titles(client.json(f"/{DATABASE}/search", q=q)["rows"])

    assert found("burglaries") == found("burglary") == ["Burglar jailed after string of burglaries"]
    assert found("burglar*") == ["Burglar jailed after string of burglaries"]


def test_raw_search_mode_passes_fts5_syntax(client):
    data = client.json(f"/{DATABASE}/articles", _search="title:knife OR title:stop",
                       _searchmode="raw")  # fmt: skip
    assert titles(data["rows"]) == [
        "Stop and search powers reviewed",
        "Knife crime falls in the capital",
    ]
    bad = client.get(f"/{DATABASE}/articles.json?_search=%22(&_searchmode=raw", status=400)
    assert bad.json()["title"] == "Invalid SQL"  # what the forgiving default mode avoids


def test_search_one_column(client):
    data = client.json(f"/{DATABASE}/articles", _search_title="crime")
    assert titles(data["rows"]) == ["Knife crime falls in the capital"]


def test_search_with_facets(client):
    data = client.json(f"/{DATABASE}/articles", _search="crime OR burglar*")
    counts = {v["value"]: v["count"] for v in data["facet_results"]["category"]["results"]}
    assert counts == {"Crime": 2}


def test_comments_table_search(client):
    data = client.json(f"/{DATABASE}/comments", _search="burglary")
    assert [r["author"] for r in data["rows"]] == ["jane [at] example [dot] org", "John Doe"]


def test_ranked_search_query(client):
    data = client.json(f"/{DATABASE}/search", q="crime")
    # a match in the title ranks above one in the text only
    assert titles(data["rows"]) == ["Knife crime falls in the capital"]
    row = data["rows"][0]
    assert row["snippet"].startswith("<mark>Knife</mark> <mark>crime</mark>") or (
        "<mark>crime</mark>" in row["snippet"]
    )
    assert row["url"] == KNIFE
    ranked = titles(client.json(f"/{DATABASE}/search", q="officer*")["rows"])
    assert ranked[0] == "Body-worn cameras for every officer"


def test_search_highlights_are_html_and_the_text_is_escaped(client):
    html = client.get(f"/{DATABASE}/search?q=patrols").text
    assert "<mark>patrols</mark>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert f'<a href="{page(KNIFE)}">Knife crime falls in the capital</a>' in html


def test_search_comments_query(client):
    data = client.json(f"/{DATABASE}/search_comments", q="knife")
    assert [(r["author"], r["title"]) for r in data["rows"]] == [
        ("Sarah", "Knife crime falls in the capital")
    ]
    assert "<mark>Knife</mark>" in data["rows"][0]["snippet"]


def test_empty_search_finds_nothing_without_error(client):
    assert client.json(f"/{DATABASE}/search", q="")["rows"] == []
    assert client.json(f"/{DATABASE}/search_comments")["rows"] == []


def test_search_all_tables_plugin(client):
    html = client.get("/-/search?q=knife").text
    assert f"/{DATABASE}/articles" in html
    assert f"/{DATABASE}/comments" in html


# --- canned queries ----------------------------------------------------------------------------

CANNED = {
    "search": ({"q": "burglar*"}, lambda rows: titles(rows) == [
        "Burglar jailed after string of burglaries"]),
    "search_comments": ({"q": "result"}, lambda rows: [r["author"] for r in rows] == [
        "Constable Dave"]),
    "most_linked": ({}, lambda rows: [(r["title"], r["inbound_links"]) for r in rows] == [
        ("Burglar jailed after string of burglaries", 3),
        ("Federation warns over pay award", 2),
        ("Knife crime falls in the capital", 1),
    ]),
    "related_articles": ({"url": BURGLAR}, lambda rows: [
        (r["direction"], r["section"], r["title"], r["url"]) for r in rows] == [
        ("out", "in_other_news", "Federation warns over pay award", PAY),
        ("out", "in_other_news", "Knife crime falls in the capital", KNIFE),
        ("out", "in_other_news", None, NOT_ARCHIVED),
        ("out", "more_news", "Knife crime falls in the capital", KNIFE),
        ("in", "in_other_news", "Stop and search powers reviewed", STOP),
        ("in", "in_other_news", "Federation warns over pay award", PAY),
        ("in", "in_other_news", "Knife crime falls in the capital", KNIFE),
    ]),
    "articles_per_month": ({}, lambda rows: [(r["month"], r["articles"], r["paywalled"])
                                             for r in rows] == [
        ("2021-01", 1, 0), ("2020-08", 2, 1), ("2019-03", 1, 0), ("2018-11", 1, 0)]),
    "comment_activity": ({}, lambda rows: [tuple(r.values()) for r in rows] == [
        ("2020-08", 1, 1, 1), ("2019-04", 1, 1, 1), ("2019-03", 2, 1, 2)]),
    "most_commented": ({}, lambda rows: [(r["title"], r["comments_archived"],
                                          r["comments_shown"]) for r in rows] == [
        ("Burglar jailed after string of burglaries", 3, 3),
        ("Knife crime falls in the capital", 1, 1)]),
    "crawl_history": ({}, lambda rows: [(r["id"], r["finish_reason"], r["articles_new"],
                                         r["failures"], r["comments_saved"]) for r in rows] == [
        (1, "finished", 5, 2, 4)] and rows[0]["seconds"] >= 0),
    "failures_by_reason": ({}, lambda rows: sorted(
        (r["reason"], r["fetches"]) for r in rows) == [("http_404", 1), ("timeout", 1)]),
    # one version each; the article that answered 404 is gone (tests/test_publish_revisions.py
    # has articles with several versions)
    "changed_articles": ({}, lambda rows: [(r["url"], r["versions"], r["status"])
                                           for r in rows] == [(STOP, 1, "gone")]),
    "article_revisions": ({"url": BURGLAR}, lambda rows: [
        (r["revision"], r["source"], r["flags"], r["diff"]) for r in rows] == [
        (1, "crawl", "", None)]),
}  # fmt: skip


def test_every_canned_query_is_tested():
    assert set(CANNED) == {q.name for q in CANNED_QUERIES}


@pytest.mark.parametrize("query", CANNED_QUERIES, ids=lambda q: q.name)
def test_canned_query(client, query):
    params, check = CANNED[query.name]
    assert set(params) <= set(query.params)
    rows = client.json(f"/{DATABASE}/{query.name}", **params)["rows"]
    assert check(rows), rows
    html = client.get(f"/{DATABASE}/{query.name}?{urlencode(params)}").text
    assert html_escape(query.title) in html
    csv_text = client.get(f"/{DATABASE}/{query.name}.csv?{urlencode(params)}").text
    assert len(list(csv.reader(io.StringIO(csv_text)))) == len(rows) + 1


def test_related_articles_link_to_archived_pages(client):
    html = client.get(f"/{DATABASE}/related_articles?url={BURGLAR}").text
    assert f'<a href="{page(PAY)}">Federation warns over pay award</a>' in html
    assert f'href="{NOT_ARCHIVED}"' in html  # not archived: the original URL


# --- the article page --------------------------------------------------------------------------


def test_article_page_reads_as_an_article(client):
    html = client.get(page(BURGLAR)).text
    assert "<title>Burglar jailed after string of burglaries</title>" in html
    assert '<p class="standfirst">A prolific burglar has been jailed for six years.</p>' in html
    assert "<p>Detectives from Greater Manchester Police linked him to forty burglaries.</p>" in (
        html
    )
    assert f'<a class="original" href="{BURGLAR}"' in html
    assert f">{BURGLAR}</a>" in html  # the original URL, shown: it outlives a moved site
    assert f'href="https://web.archive.org/web/*/{BURGLAR}"' in html
    assert "By Jane Smith" in html
    assert '<time datetime="2019-03-14T10:00:00">14 March 2019, 10:00</time>' in html
    related = html[html.index("In Other News") : html.index("Articles that link here")]
    knife = f'<a class="archived" href="{page(KNIFE)}">Knife crime falls in the capital</a>'
    assert knife in related
    assert "anchor 9999" in related and "on the original site (not in this archive)" in related
    linked_from = html[html.index("Articles that link here") : html.index("Cite this article")]
    assert "Stop and search powers reviewed" in linked_from
    assert "in its In Other News box" in linked_from
    assert "Reader comments (3)" in html
    assert "Good result for the team." in html
    assert "Cite as: Jane Smith, “Burglar jailed after string of burglaries”" in html
    assert "Every field of this record" in html  # and the usual record table below
    assert 'data-column="content_hash"' in html


def test_article_page_marks_paywalled_and_gone(client):
    assert "Subscriber-only article" in client.get(page(PAY)).text
    assert "removed from the site" in client.get(page(STOP)).text
    html = client.get(page(CAMERAS)).text
    assert "Reader comments" not in html and "Linked from" not in html


def test_article_json_is_the_record(client):
    row = client.json(page(BURGLAR) + ".json")["rows"][0]
    assert row["url"] == BURGLAR and row["text"].startswith("A prolific burglar")


def test_missing_article_is_404(client):
    client.get(page(NOT_ARCHIVED), status=404)


# --- exports -----------------------------------------------------------------------------------


def test_csv_and_json_exports(client):
    text = client.get(f"/{DATABASE}/articles.csv?_size=max").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5 and rows[0]["title"] == "Stop and search powers reviewed"
    streamed = client.get(f"/{DATABASE}/comments.csv?_stream=on").text
    assert len(list(csv.DictReader(io.StringIO(streamed)))) == 4
    array = client.get(f"/{DATABASE}/articles.json?_shape=array&_col=title").json()
    assert len(array) == 5 and set(array[0]) == {"url", "title"}
    jsonl = client.get(f"/{DATABASE}/links.json?_shape=array&_nl=on").text.splitlines()
    assert len(jsonl) == 10


# --- safety ------------------------------------------------------------------------------------


def test_robots_txt_turns_crawlers_away(client):
    assert client.get("/robots.txt").text.splitlines() == ["User-agent: *", "Disallow: /"]


def test_read_only(client, archive_path):
    error = client.get(f"/{DATABASE}.json?sql=delete+from+articles", status=400).json()
    assert "Statement must be a SELECT" in error["error"]
    count = sqlite3.connect(archive_path).execute("select count(*) from articles").fetchone()
    assert count == (5,)
    # the live archive is never offered for download
    client.get(f"/{DATABASE}.db", status=403)


def test_row_limit(client):
    sql = "with recursive n(i) as (select 1 union all select i + 1 from n limit 1500) "
    sql += "select i from n"
    data = client.get(f"/{DATABASE}.json?{urlencode({'sql': sql, '_shape': 'objects'})}").json()
    assert data["truncated"] and len(data["rows"]) == SETTINGS["max_returned_rows"]


def test_sql_time_limit(archive_path):
    limited = Client(make_datasette(archive_path, settings={"sql_time_limit_ms": 50}))
    try:
        sql = "with recursive n(i) as (select 1 union all select i + 1 from n) "
        sql += "select count(*) from n"
        response = limited.get(f"/{DATABASE}.json?{urlencode({'sql': sql})}", status=400)
        assert "SQL query took too long" in response.text
    finally:
        limited.close()


def test_immutable_snapshot_is_downloadable(archive_path):
    immutable = Client(make_datasette(archive_path, immutable=True))
    try:
        response = immutable.get(f"/{DATABASE}.db")
        assert response.content.startswith(b"SQLite format 3\x00")
        assert f'href="/{DATABASE}.db"' in immutable.get(f"/{DATABASE}").text
    finally:
        immutable.close()


def test_the_plugin_leaves_other_databases_alone(tmp_path):
    from datasette.app import Datasette

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (title text, url text)")
        conn.execute("insert into notes values ('x', 'https://example.org/')")
    c = Client(Datasette([str(other)]))
    try:
        assert client_escape(c, "burglar*") == '"burglar*"'  # Datasette's own escape_fts
        html = c.get("/other/notes").text
        assert "/archive/articles/" not in html
    finally:
        c.close()


def client_escape(c: Client, text: str) -> str:
    sql = urlencode({"sql": "select escape_fts(:q) as e", "q": text, "_shape": "array"})
    return c.get(f"/other.json?{sql}").json()[0]["e"]


def test_serving_the_live_archive_while_a_crawl_writes(tmp_path):
    """WAL mode: Datasette reads while the writer commits batches; new articles appear."""
    path = build_archive(tmp_path / "live.db")
    c = Client(make_datasette(path))
    with LiveWriter(
        path, first_id=50000, limit=400, text="Burglar text " * 50, batch_size=5, batch_seconds=0.05
    ) as writer:
        counts = []
        try:
            for _ in range(30):
                data = c.json(f"/{DATABASE}/articles", _search="burglar", _size=1)
                counts.append(data["filtered_table_rows_count"])
                c.get(f"/{DATABASE}/articles?_search=live")
                c.get(f"/{DATABASE}/search?q=live")
                if writer.written:
                    c.get(page(writer.written[0]))
        finally:
            c.close()
    errors, written = writer.errors, writer.written
    assert not errors, errors
    assert counts == sorted(counts)  # never goes backwards
    final = Client(make_datasette(path))
    try:
        total = final.json(f"/{DATABASE}/articles", _search="burglar", _size=1)
        assert total["filtered_table_rows_count"] == 1 + len(written)
    finally:
        final.close()


def test_a_deployers_metadata_file_overrides_the_defaults(archive_path, tmp_path):
    from publish.app import load_metadata_file

    own = tmp_path / "metadata.yaml"
    own.write_text("title: Our archive\nlicense: CC BY 4.0\nplugins:\n  datasette-block-robots:\n"
                   "    disallow: ['/archive.db']\n")  # fmt: skip
    c = Client(make_datasette(archive_path, metadata_overrides=load_metadata_file(own)))
    try:
        served = c.get("/-/metadata.json").json()
        assert served["title"] == "Our archive" and served["license"] == "CC BY 4.0"
        assert served["databases"][DATABASE]["tables"]["articles"]["facets"]  # kept
        assert c.get("/robots.txt").text.splitlines()[-1] == "Disallow: /archive.db"
    finally:
        c.close()
