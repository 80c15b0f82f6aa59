"""Hostile use of the published archive, through Datasette's own client: SQLite's limits on every
connection, oversized results failing fast, arbitrary SQL refused on a public server, and no page
revealing a file-system path. (The same through a real server process: test_publish_server.py.)
"""

from __future__ import annotations

import sqlite3
import sys
import sysconfig
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from datasette.utils import tilde_encode
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.records import Article
from archive.store import Archive
from publish.app import DATABASE, make_datasette
from tests.published_archive import BURGLAR, Client, build_archive

# What is new with the limits is imported where used, so that every test of this module runs
# (and fails for what it tests) on a version without them.
REPO = Path(__file__).resolve().parent.parent
PLUGIN = "police-news-archive"  # publish.app.PLUGIN
MiB = 1024 * 1024
ROWS = "with recursive n(i) as (select 1 union all select i + 1 from n limit 1000) "


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("limits") / "police.db")


@pytest.fixture(scope="module")
def client(archive_path):
    c = Client(make_datasette(archive_path))  # the local server: SQL allowed
    yield c
    c.close()


def query(c: Client, sql: str, status: int | None = 200, **params):
    return c.get(f"/{DATABASE}.json?{urlencode({'sql': sql, **params})}", status=status)


def page(url: str) -> str:
    return f"/{DATABASE}/articles/{tilde_encode(url)}"


# --- the limits are on every connection ---------------------------------------------------------

# Pages that open connections: tables, rows, searches, facets, exports and Datasette's own /-/ pages
PAGES = [
    "/",
    f"/{DATABASE}",
    f"/{DATABASE}/articles",
    f"/{DATABASE}/articles.json?_search=burglar*&_size=max",
    f"/{DATABASE}/comments.csv?_stream=on",
    f"/{DATABASE}/search?q=crime",
    page(BURGLAR),
    "/-/databases.json",
    "/-/threads.json",
    "/-/versions.json",
    "/-/search?q=knife",
]


@pytest.mark.parametrize("immutable", [False, True], ids=["live", "immutable"])
def test_every_connection_to_the_archive_has_the_limits(archive_path, monkeypatch, immutable):
    """Datasette's read connections (one per SQL thread) and its write connection all get them:
    the plugin sets them in prepare_connection, which Datasette calls for each."""
    from publish import limits

    opened: list[tuple[str, sqlite3.Connection]] = []
    connect = sqlite3.connect

    def recording_connect(database, *args, **kwargs):
        conn = connect(database, *args, **kwargs)
        opened.append((str(database), conn))
        return conn

    monkeypatch.setattr(sqlite3, "connect", recording_connect)
    c = Client(make_datasette(archive_path, immutable=immutable))
    try:
        for path in PAGES:
            c.get(path)
        if not immutable:  # the write thread's connection (no page of ours writes)
            db = c.ds.get_database(DATABASE)
            c.loop.run_until_complete(db.execute_write_fn(lambda conn: None))
        archive = [(name, conn) for name, conn in opened if str(archive_path) in name]
        reads = [conn for name, conn in archive if "mode=ro" in name or "immutable=1" in name]
        writes = [conn for name, conn in archive if "?" not in name]
        assert reads and len(writes) == (0 if immutable else 1), opened
        for conn in reads + writes:
            for name, value in limits.SQLITE_LIMITS.items():
                assert conn.getlimit(getattr(sqlite3, f"SQLITE_LIMIT_{name}")) == value, name
            assert isinstance(conn.row_factory, limits.ResultBudget)
    finally:
        c.close()


# --- oversized results fail fast ---------------------------------------------------------------

OVERSIZED = {
    # 500 MB in one call; SQLite 3.40 would spend seconds on it whatever its length limit
    "printf precision": "select printf('%.*c', 5e8, 'x')",
    "printf width": "select printf('%999999999d', 1)",
    # 200 MB, then 400 MB
    "replace hex zeroblob": "select replace(hex(zeroblob(1e8)), '0', 'xx')",
    "zeroblob": "select zeroblob(1e9)",
    # each part under the limit, the result over it
    "grows past the limit": "select replace(hex(zeroblob(6e6)), '0', 'xx')",
    "concatenation": "select hex(zeroblob(5e6)) || hex(zeroblob(5e6))",
    "group_concat": ROWS + "select length(group_concat(printf('%.*c', 1e6, 'x'))) from n",
}


@pytest.mark.parametrize("name", OVERSIZED)
def test_an_oversized_value_fails_fast_with_a_clear_error(client, name):
    started = time.monotonic()
    response = query(client, OVERSIZED[name], status=400)
    assert response.json()["error"] == "string or blob too big"
    assert time.monotonic() - started < 2


def test_many_big_rows_stop_at_the_result_budget(client):
    """Each row under the length limit, together far over what one query may return: stopped
    after a few rows, not after the time limit's 1,000 SQLite instructions (hundreds of rows)."""
    started = time.monotonic()
    response = query(client, ROWS + "select zeroblob(4000000) as z from n", status=400)
    assert "query result too big" in response.json()["error"]
    assert time.monotonic() - started < 2
    # a big page of ordinary rows is no such thing
    assert len(query(client, ROWS + "select i, printf('%.*c', 1000, 'x') from n").json()["rows"])


# A guard: printf() below the limit (no change from before) is SQLite's own.
def test_printf_below_the_limit_is_sqlites_own(client):
    sql = (
        "select printf('%5d|%-4s|%.2f|%.*c|%q', 42, 'ab', 3.14159, 3, '*', 'it''s') as p, "
        "format('%s', 'x') as f, printf(null) as n"
    )
    rows = query(client, sql, _shape="array")
    assert rows.json() == [{"p": "   42|ab  |3.14|***|it''s", "f": "x", "n": None}]


@pytest.mark.parametrize(
    ("fmt", "args", "too_big"),
    [
        ("%.*c", (5e8, "x"), True),
        ("%.*c", ("500000000", "x"), True),
        ("%.*c", (-500000000, "x"), True),  # a negative precision is its absolute value
        ("%.*c", (2**32 + 5, "x"), False),  # read as a C int: 5
        ("%.100000000c", ("x",), True),
        ("%100000000s", ("x",), True),
        ("%*d", (100000000, 1), True),
        ("%.*s", (500000000, "x"), False),  # a precision only cuts a string
        ("%s %.*c", ("a", 500000000, "x"), True),
        ("%%%.*c", (500000000, "x"), True),
        ("%5d %s %.3f", (1, "x", 2.0), False),
        ("%k%.*c", (500000000, "x"), False),  # SQLite stops at an unknown conversion
        ("%.*c", (), False),
        (None, (), False),
    ],
)
def test_printf_too_big(fmt, args, too_big):
    from publish import limits

    assert limits.printf_too_big(fmt, args, limits.MAX_LENGTH) is too_big


_FORMAT_BITS = st.sampled_from(
    ["%d", "%5d", "%-5d", "%05d", "%+d", "%s", "%10s", "%.2s", "%-8.3s", "%q", "%Q", "%w",
     "%c", "%.3c", "%*d", "%.*f", "%x", "%X", "%o", "%e", "%g", "%.3g", "%,d", "%!.3f", "%%",
     "%z", "%lld", "%i", "%u", "%p", "%r", "abc ", "%"]
)  # fmt: skip
_ARGS = st.one_of(
    st.none(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False, width=32),
    st.text(max_size=8), st.binary(max_size=8), st.integers(-20, 20),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_FORMAT_BITS, max_size=5), st.lists(_ARGS, max_size=6))
def test_printf_is_sqlites_own_for_any_format(bits, args):
    from publish import limits

    fmt = "".join(bits)
    native = sqlite3.connect(":memory:")
    guarded = sqlite3.connect(":memory:")
    try:
        limits.apply(guarded)
        guarded.row_factory = None
        for conn in (native, guarded):  # as Datasette reads text
            conn.text_factory = lambda value: str(value, "utf-8", "replace")
        marks = ", ".join("?" * (len(args) + 1))
        for name in ("printf", "format"):
            sql = f"select {name}({marks})"
            if limits.printf_too_big(fmt, tuple(args), limits.MAX_LENGTH):
                with pytest.raises(sqlite3.DataError, match="string or blob too big"):
                    guarded.execute(sql, (fmt, *args)).fetchone()
            else:
                expected = native.execute(sql, (fmt, *args)).fetchone()
                assert guarded.execute(sql, (fmt, *args)).fetchone() == expected
    finally:
        native.close()
        guarded.close()


def test_a_value_over_the_length_limit_is_a_400_on_every_page(tmp_path):
    """Not only on the SQL page: a table, a row page or a search reading an oversized value is an
    HTTP 400 with SQLite's message, not a 500. (Here the limit is lowered to 1,000 bytes: over
    the archive's schema, under one article's text.)"""
    path = build_archive(tmp_path / "police.db")
    long = "https://www.policeoracle.com/news/article.cfm?id=88888"
    with Archive.open(path) as archive:
        crawl = archive.start_crawl(seeds=[], settings={})
        text = "A long burglary trial. " * 100
        archive.save_article(Article(long, "Long", "", "2024-06-01", text), crawl_id=crawl)
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={})
    small = {"plugins": {PLUGIN: {"limits": {"sqlite": {"LENGTH": 1000}}}}}
    c = Client(make_datasette(path, metadata_overrides=small))
    try:
        for path in (page(long) + ".json", f"/{DATABASE}/articles.json?_search=trial"):
            response = c.get(path, status=400)
            assert response.json()["error"] == "string or blob too big", path
        assert "string or blob too big" in c.get(page(long), status=400).text
        assert "string or blob too big" in c.get(f"/{DATABASE}/articles", status=400).text
        c.get(page(BURGLAR))  # shorter values: fine
        c.get(f"/{DATABASE}/links.json")
    finally:
        c.close()


def test_the_longest_article_the_crawler_can_store_is_served(tmp_path):
    """An article of the largest size the crawler can store (text from an 8 MiB page, here
    15 MiB of UTF-8: a legacy-encoded page of accented letters) reads on every page; a value
    over the length limit does not."""
    path = build_archive(tmp_path / "police.db")
    word = "procédure "  # 11 bytes of UTF-8
    paragraph = word * 99 + "burglar"
    text = "\n\n".join([paragraph] * ((15 * MiB) // len(paragraph.encode())))
    assert 14 * MiB < len(text.encode()) < 16 * MiB  # publish.limits.MAX_LENGTH
    url = "https://www.policeoracle.com/news/article.cfm?id=77777"
    with Archive.open(path) as archive:
        crawl = archive.start_crawl(seeds=[], settings={})
        archive.save_article(
            Article(url, "The longest article", "", "2024-06-01", text), crawl_id=crawl
        )
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={})
    c = Client(make_datasette(path))
    try:
        assert c.json(page(url) + ".json")["rows"][0]["text"] == text
        assert text[:2000] in c.get(page(url)).text
        rows = c.get(f"/{DATABASE}/articles.json?_shape=array&_size=max").json()
        assert len(rows) == 6 and any(r["text"] == text for r in rows)
        assert c.get(f"/{DATABASE}/articles.csv?_stream=on").text.count(word) >= text.count(word)
        found = c.json(f"/{DATABASE}/search", q="burglar")["rows"]
        assert [r["url"] for r in found][:1] == [url]
        assert "<mark>burglar</mark>" in found[0]["snippet"]
        c.get(f"/{DATABASE}/articles?_sort=word_count")
        # twice the text is over the limit
        error = query(c, "select text || text from articles where url = :u", status=400, u=url)
        assert error.json()["error"] == "string or blob too big"
    finally:
        c.close()


def test_a_deployer_may_change_the_limits_but_not_invent_them(archive_path):
    lower = {"plugins": {PLUGIN: {"limits": {"sqlite": {"length": 1_000_000}}}}}
    c = Client(make_datasette(archive_path, metadata_overrides=lower))
    try:
        error = query(c, "select hex(zeroblob(600000))", status=400).json()["error"]
        assert error == "string or blob too big"
    finally:
        c.close()
    for wrong in ({"sqlite": {"NO_SUCH_LIMIT": 1}}, {"max_rows": 5}):
        overrides = {"plugins": {PLUGIN: {"limits": wrong}}}
        with pytest.raises(ValueError, match="limit"):
            make_datasette(archive_path, metadata_overrides=overrides)


# --- arbitrary SQL on a public server ------------------------------------------------------------

ARBITRARY_SQL = [
    f"/{DATABASE}.json?sql=select+1",
    f"/{DATABASE}?sql=select+1",
    f"/{DATABASE}.csv?sql=select+1",
    f"/{DATABASE}/articles.json?_where=1%3D1",
]
# What a public server keeps serving: tables, rows, search, facets, canned queries, exports.
STILL_SERVED = [
    f"/{DATABASE}",
    f"/{DATABASE}/articles.json?_search=burglar*&category=Crime",
    f"/{DATABASE}/articles?_facet=site",
    f"/{DATABASE}/search.json?q=burglar",
    f"/{DATABASE}/most_linked.csv",
    f"/{DATABASE}/related_articles.json?url={tilde_encode(BURGLAR)}",
    f"/{DATABASE}/comments.csv?_stream=on",
    f"/{DATABASE}/articles.json?_shape=array&_nl=on",
    page(BURGLAR),
    "/-/search?q=knife",
]


@pytest.mark.parametrize(
    "options",
    [{"immutable": True}, {"public": True}, {"public": True, "metadata_overrides": {
        "allow_sql": True, "databases": {DATABASE: {"allow_sql": True}}}}],
    ids=["immutable", "public live", "metadata allow_sql ignored"],
)  # fmt: skip
def test_a_public_server_refuses_arbitrary_sql(archive_path, options):
    c = Client(make_datasette(archive_path, **options))
    try:
        for path in ARBITRARY_SQL:
            c.get(path, status=403)
        assert c.get("/-/settings.json").json()["default_allow_sql"] is False
        for path in STILL_SERVED:
            c.get(path)
        rows = c.json(f"/{DATABASE}/search", q="burglar*")["rows"]
        assert rows[0]["url"] == BURGLAR
        assert 'action="/archive"' not in c.get(f"/{DATABASE}").text  # no SQL box
    finally:
        c.close()


@pytest.mark.parametrize(
    ("options", "allowed"),
    [
        ({}, True),  # the local working copy
        ({"allow_sql": False}, False),
        ({"immutable": True, "allow_sql": True}, True),
        ({"public": True, "allow_sql": True}, True),
    ],
)
def test_allow_sql_decides(archive_path, options, allowed):
    c = Client(make_datasette(archive_path, **options))
    try:
        c.get(f"/{DATABASE}.json?sql=select+1", status=200 if allowed else 403)
        if allowed:  # with the limits
            query(c, OVERSIZED["printf precision"], status=400)
    finally:
        c.close()


# --- no file-system path -----------------------------------------------------------------------


def secret_paths(*archives: Path) -> set[str]:
    """Where the archive, the code and Python live: no response may contain any of them."""
    paths = {str(REPO), sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path.cwd())}
    paths |= {p for key, p in sysconfig.get_paths().items()}
    for archive in archives:
        paths |= {str(archive), str(archive.resolve()), str(archive.parent.resolve())}
    return {p for p in paths if p.count("/") >= 2}  # whole paths, not "/" or "/usr"


# Every /-/ page, the JSON of the home and database pages, errors of each kind.
REVEALING = [
    "/.json", "/-/databases.json", "/-/databases", "/-/metadata.json", "/-/settings.json",
    "/-/plugins.json", "/-/plugins.json?all=1", "/-/versions.json", "/-/threads.json",
    "/-/threads", "/-/actor.json", "/-/messages", "/-/allow-debug", "/-/permissions",
    "/-/patterns", "/-/search.json?q=knife", f"/{DATABASE}.json", f"/{DATABASE}",
    f"/{DATABASE}/articles.json?_trace=1", f"/{DATABASE}/nosuchtable",
    f"/{DATABASE}/articles.json?_sort=nosuch", f"/{DATABASE}.json?sql=select+*+from+nosuch",
    f"/{DATABASE}.json?sql=attach+database+%27x%27+as+y",
    f"/{DATABASE}/articles.json?_search=%22(&_searchmode=raw", "/nosuchdatabase",
    f"/{DATABASE}.db", "/-/static/nosuch.css",
]  # fmt: skip


@pytest.mark.parametrize("options", [{}, {"immutable": True}], ids=["live", "immutable"])
def test_no_page_reveals_a_file_system_path(archive_path, options):
    secrets = secret_paths(archive_path)
    c = Client(make_datasette(archive_path, **options))
    try:
        databases = c.get("/-/databases.json").json()
        assert [d["name"] for d in databases] == [DATABASE] and "path" not in databases[0]
        assert "tasks" not in c.get("/-/threads.json").json()
        for path in REVEALING:
            response = c.get(path, status=None)
            seen = response.content.decode("utf-8", "replace") + str(response.headers)
            for secret in secrets:
                assert secret not in seen, (path, secret)
    finally:
        c.close()
