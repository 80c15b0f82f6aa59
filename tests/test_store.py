"""The SQLite archive: schema and store, on real database files."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from archive.records import (
    Article,
    Comment,
    CommentThread,
    Link,
    Listing,
    Section,
)
from archive.schema import APPLICATION_ID, SCHEMA_VERSION
from archive.schemadoc import datasette_metadata, schema_markdown
from archive.store import Archive, ArchiveError, ArchiveWriteError, content_hash
from archive.tables import TABLES, TABLES_BY_NAME, is_internal

URL = "https://www.policeoracle.com/news/article-1"


class Clock:
    """An injectable clock that only moves when told to."""

    def __init__(self) -> None:
        self.moment = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: int = 60) -> str:
        self.moment += timedelta(seconds=seconds)
        return self.stamp

    @property
    def stamp(self) -> str:
        return self.moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def article(url: str = URL, **changes) -> Article:
    fields = {
        "url": url,
        "title": "Officers praised",
        "author": "Jane Reporter",
        "published": "2024-04-30T09:15:00",
        "text": "Officers were arresting suspects.\n\nThe chief constable praised them.",
        "standfirst": "Officers were arresting suspects.",
        "category": "Operational",
        "site": "policeoracle",
        "comment_count": 2,
        "extractor": "profile:policeoracle",
        "fetched_url": url + "?utm_source=x",
    }
    fields.update(changes)
    return Article(**fields)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def path(tmp_path):
    return tmp_path / "archive.db"


@pytest.fixture
def archive(path, clock):
    with Archive.open(path, now=clock) as arch:
        yield arch


@pytest.fixture
def crawl(archive) -> int:
    return archive.start_crawl(seeds=["https://www.policeoracle.com/news/"], settings={})


def row(archive: Archive, sql: str, *params) -> dict | None:
    rows = list(archive.db.query(sql, params))
    return rows[0] if rows else None


def rows(archive: Archive, sql: str, *params) -> list[dict]:
    return list(archive.db.query(sql, params))


# -- articles ----------------------------------------------------------------------------------


def test_new_updated_unchanged(archive, crawl, clock):
    t0 = clock.stamp
    assert archive.save_article(article(), crawl_id=crawl) == "new"
    stored = row(archive, "SELECT * FROM articles WHERE url = ?", URL)
    assert stored["title"] == "Officers praised"
    assert stored["paywalled"] == 0 and stored["status"] == "live"
    assert stored["word_count"] == 9
    assert stored["content_hash"] == content_hash(article())
    assert stored["first_seen"] == stored["last_seen"] == stored["last_changed"] == t0
    assert t0.endswith("Z")
    assert stored["first_crawl_id"] == stored["last_crawl_id"] == crawl

    # Same content, other metadata changed: unchanged, but the metadata is refreshed.
    crawl2 = archive.start_crawl(seeds=[], settings={})
    t1 = clock.advance()
    assert archive.save_article(article(comment_count=5), crawl_id=crawl2) == "unchanged"
    stored = row(archive, "SELECT * FROM articles WHERE url = ?", URL)
    assert stored["comment_count"] == 5
    assert (stored["first_seen"], stored["last_seen"], stored["last_changed"]) == (t0, t1, t0)
    assert (stored["first_crawl_id"], stored["last_crawl_id"]) == (crawl, crawl2)

    t2 = clock.advance()
    corrected = "Officers were arresting two suspects.\n\nThe chief constable praised them."
    assert archive.save_article(article(text=corrected), crawl_id=crawl2) == "updated"
    stored = row(archive, "SELECT * FROM articles WHERE url = ?", URL)
    assert stored["text"] == corrected and stored["word_count"] == 10
    assert (stored["first_seen"], stored["last_seen"], stored["last_changed"]) == (t0, t2, t2)
    assert (
        archive.save_article(article(published=None, text=corrected), crawl_id=crawl2) == "updated"
    )
    assert archive.known_urls() == {URL}
    assert row(archive, "SELECT count(*) AS n FROM articles")["n"] == 1


def test_article_authors_has_one_row_per_author(archive, crawl):
    archive.save_article(article(author="Jo Bloggs; PA Media; Ann Smith"), crawl_id=crawl)
    archive.save_article(article(url=URL + "0", author="News desk"), crawl_id=crawl)
    archive.save_article(article(url=URL + "00", author=""), crawl_id=crawl)
    found = rows(archive, "SELECT article_url, position, author FROM article_authors")
    assert sorted((r["article_url"], r["position"], r["author"]) for r in found) == [
        (URL, 1, "Jo Bloggs"),
        (URL, 2, "PA Media"),
        (URL, 3, "Ann Smith"),
        (URL + "0", 1, "News desk"),
    ]
    by_agency = rows(archive, "SELECT title FROM article_authors WHERE author = 'PA Media'")
    assert [r["title"] for r in by_agency] == ["Officers praised"]


def test_links_replaced_keeping_first_seen(archive, crawl, clock):
    other, third, gone = URL + "-other", URL + "-third", URL + "-gone"
    archive.save_article(article(other, title="Other story", links=()), crawl_id=crawl)
    t0 = clock.stamp
    links = (
        Link(other, Section.IN_OTHER_NEWS, "Other story"),
        Link(gone, Section.MORE_NEWS, "Gone"),
        Link(other, Section.IN_OTHER_NEWS, "duplicate"),
    )
    archive.save_article(article(links=links), crawl_id=crawl)
    assert len(rows(archive, "SELECT * FROM links WHERE from_url = ?", URL)) == 2

    t1 = clock.advance()
    archive.save_article(
        article(
            links=(
                Link(other, Section.IN_OTHER_NEWS, "Other story"),
                Link(third, Section.MORE_NEWS, "3rd"),
            )
        ),
        crawl_id=crawl,
    )
    got = rows(
        archive,
        "SELECT to_url, section, anchor, first_seen, last_seen FROM links "
        "WHERE from_url = ? AND removed IS NULL ORDER BY to_url",
        URL,
    )
    assert got == [
        {
            "to_url": other,
            "section": Section.IN_OTHER_NEWS,
            "anchor": "Other story",
            "first_seen": t0,
            "last_seen": t1,
        },
        {
            "to_url": third,
            "section": Section.MORE_NEWS,
            "anchor": "3rd",
            "first_seen": t1,
            "last_seen": t1,
        },
    ]
    # the link the page no longer shows is kept, marked removed
    assert row(archive, "SELECT last_seen, removed FROM links WHERE to_url = ?", gone) == {
        "last_seen": t0,
        "removed": t1,
    }
    view = row(archive, "SELECT * FROM article_links WHERE to_url = ?", other)
    assert (view["from_title"], view["to_title"]) == ("Officers praised", "Other story")
    assert row(archive, "SELECT to_title FROM article_links WHERE to_url = ?", third) == {
        "to_title": None
    }

    # A listing's links are replaced the same way.
    archive.save_listing(
        Listing("https://x/news/", (Link(URL, Section.LISTING, "Officers"),)), crawl_id=crawl
    )
    assert row(archive, "SELECT section FROM links WHERE from_url = 'https://x/news/'") == {
        "section": Section.LISTING
    }


def test_failed_article_rolls_back_alone(path, clock):
    with Archive.open(path, now=clock, batch_size=1000, batch_seconds=3600) as archive:
        crawl = archive.start_crawl(seeds=[], settings={})
        archive.save_article(article(links=(Link(URL + "-a", Section.MORE_NEWS),)), crawl_id=crawl)
        bad_url = URL + "-bad"
        # The article row is written before the link that cannot be encoded fails.
        bad = article(bad_url, links=(Link(URL, Section.MORE_NEWS, "bad \ud800 anchor"),))
        with pytest.raises(ArchiveWriteError, match="article-1-bad") as err:
            archive.save_article(bad, crawl_id=crawl)
        assert err.value.url == bad_url and not err.value.batch_lost
        with pytest.raises(ArchiveWriteError, match="unknown section 'sidebar'"):
            archive.save_article(article(bad_url, links=(Link(URL, "sidebar"),)), crawl_id=crawl)
        assert archive.known_urls() == {URL}
        # the batch is intact and still committable
        assert archive.save_article(article(URL + "-c"), crawl_id=crawl) == "new"
    other = sqlite3.connect(path)
    assert {r[0] for r in other.execute("SELECT url FROM articles")} == {URL, URL + "-c"}
    assert other.execute(
        "SELECT count(*) FROM links WHERE from_url = ?", (bad_url,)
    ).fetchone() == (0,)
    other.close()


# -- comments ----------------------------------------------------------------------------------


def test_comments_deduplicated_on_resave(archive, crawl, clock):
    first = (
        Comment("Bob", None, "Well done all."),
        Comment("Sue", "2024-05-01T10:00:00", "Agreed"),
    )
    thread = CommentThread(URL, first + (first[0],), fetched_url=URL + "/comments")
    assert archive.save_comments(thread, crawl_id=crawl) == 2
    t0 = clock.stamp
    t1 = clock.advance()
    newer = CommentThread(URL, (Comment("Al", None, "First!"),) + first)
    assert archive.save_comments(newer, crawl_id=crawl) == 1
    assert archive.save_comments(newer, crawl_id=crawl) == 0
    got = rows(
        archive,
        "SELECT author, posted, position, first_seen, last_seen FROM comments "
        "WHERE article_url = ? ORDER BY position",
        URL,
    )
    assert got == [
        {"author": "Al", "posted": None, "position": 1, "first_seen": t1, "last_seen": t1},
        {"author": "Bob", "posted": None, "position": 2, "first_seen": t0, "last_seen": t1},
        {
            "author": "Sue",
            "posted": "2024-05-01T10:00:00",
            "position": 3,
            "first_seen": t0,
            "last_seen": t1,
        },
    ]
    hits = rows(
        archive,
        "SELECT c.author FROM comments_fts JOIN comments c "
        "ON c.id = comments_fts.rowid WHERE comments_fts MATCH 'agree'",
    )
    assert hits == [{"author": "Sue"}]


# -- full-text search --------------------------------------------------------------------------


def search(archive: Archive, query: str) -> list[str]:
    return [
        r["url"]
        for r in rows(
            archive,
            "SELECT a.url FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY a.url",
            query,
        )
    ]


def test_fts_stemmed_and_kept_in_sync(archive, crawl):
    archive.save_article(article(), crawl_id=crawl)
    archive.save_article(
        article(URL + "-2", title="Burglaries rise", text="Burglaries rose.", standfirst=""),
        crawl_id=crawl,
    )
    assert search(archive, "arrest") == [URL]  # "arresting", stemmed
    assert search(archive, "burglary") == [URL + "-2"]
    archive.save_article(article(), crawl_id=crawl)  # unchanged: index untouched
    archive.save_article(
        article(
            title="Robbery case",
            text="A robbery was solved.\n\nThe chief constable praised the detectives.",
            standfirst="",
        ),
        crawl_id=crawl,
    )
    assert search(archive, "arrest") == []
    assert search(archive, "robberies") == [URL]
    archive.flush()
    archive.db.execute(
        "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
    )
    archive.db.execute(
        "INSERT INTO comments_fts (comments_fts, rank) VALUES ('integrity-check', 1)"
    )


# -- crawls, fetch log, retry queue ------------------------------------------------------------


def test_crawl_lifecycle(archive, clock):
    started = clock.stamp
    crawl = archive.start_crawl(
        seeds=["https://a/", "https://b/"], settings={"DOWNLOAD_DELAY": 1.0, "ROBOTSTXT_OBEY": True}
    )
    got = row(archive, "SELECT * FROM crawls WHERE id = ?", crawl)
    assert got["started"] == started and got["finished"] is None
    assert json.loads(got["seeds"]) == ["https://a/", "https://b/"]
    assert json.loads(got["settings"]) == {"DOWNLOAD_DELAY": 1.0, "ROBOTSTXT_OBEY": True}

    archive.save_article(article(), crawl_id=crawl)
    archive.log_fetch(crawl_id=crawl, url=URL, status=200, outcome="article")
    archive.log_fetch(
        crawl_id=crawl, url=URL + "x", status=404, outcome="failed", reason="http_404"
    )
    finished = clock.advance(90)
    archive.finish_crawl(
        crawl,
        finish_reason="finished",
        counts={"pages_fetched": 7},
        stats={"start_time": datetime(2024, 5, 1, tzinfo=UTC), "n": 3},
    )
    got = row(archive, "SELECT * FROM crawls WHERE id = ?", crawl)
    assert got["finished"] == finished and got["finish_reason"] == "finished"
    assert got["pages_fetched"] == 7  # given by the caller
    # missing counts come from the archive's own tally
    assert (
        got["articles_new"],
        got["articles_updated"],
        got["articles_unchanged"],
        got["comments_saved"],
        got["failures"],
    ) == (1, 0, 0, 0, 1)
    assert json.loads(got["stats"]) == {"start_time": "2024-05-01 00:00:00+00:00", "n": 3}
    with pytest.raises(ValueError, match="articles_neww"):
        archive.finish_crawl(crawl, finish_reason="x", counts={"articles_neww": 1}, stats={})
    with pytest.raises(ArchiveWriteError, match="no crawl with id 999"):
        archive.finish_crawl(999, finish_reason="x", counts={}, stats={})


def test_fetch_log_and_failures_view(archive, crawl, clock):
    archive.save_article(article(), crawl_id=crawl)
    archive.log_fetch(
        crawl_id=crawl,
        url="https://x/a",
        final_url="https://x/b",
        status=200,
        size=1234,
        content_type="text/html",
        outcome="listing",
        elapsed_ms=80,
    )
    archive.log_fetch(crawl_id=crawl, url="https://x/c", outcome="failed", reason="timeout")
    archive.log_fetch(
        crawl_id=crawl, url="https://x/c", status=503, outcome="failed", reason="http_503"
    )
    archive.log_fetch(crawl_id=crawl, url="https://x/d", outcome="failed", reason="dns")
    archive.log_fetch(crawl_id=crawl, url="https://x/d", status=200, outcome="not_article")
    archive.log_fetch(crawl_id=crawl, url=URL, status=404, outcome="failed", reason="http_404")

    first = row(archive, "SELECT * FROM fetches WHERE url = 'https://x/a'")
    assert first == {
        "id": 1,
        "crawl_id": crawl,
        "url": "https://x/a",
        "final_url": "https://x/b",
        "status": 200,
        "fetched_at": clock.stamp,
        "size": 1234,
        "content_type": "text/html",
        "outcome": "listing",
        "reason": None,
        "elapsed_ms": 80,
        "detail": None,
        **dict.fromkeys(
            ("warc_file", "warc_offset", "warc_date", "payload_digest", "etag", "last_modified")
        ),
    }
    assert row(archive, "SELECT count(*) AS n FROM fetches WHERE crawl_id = ?", crawl)["n"] == 6
    failing = rows(archive, "SELECT url, status, reason, failed_fetches FROM failures ORDER BY url")
    assert failing == [
        {"url": URL, "status": 404, "reason": "http_404", "failed_fetches": 1},
        {"url": "https://x/c", "status": 503, "reason": "http_503", "failed_fetches": 2},
    ]
    # a 404 marks the archived article gone; saving it again brings it back
    assert row(archive, "SELECT status FROM articles")["status"] == "gone"
    archive.save_article(article(), crawl_id=crawl)
    assert row(archive, "SELECT status FROM articles")["status"] == "live"
    archive.log_fetch(crawl_id=crawl, url="https://x/e", outcome="failed")
    assert (
        row(archive, "SELECT reason FROM fetches WHERE url = 'https://x/e'")["reason"] == "unknown"
    )
    with pytest.raises(ValueError, match="outcome"):
        archive.log_fetch(crawl_id=crawl, url="u", outcome="ok")


def test_retry_queue(archive, crawl, clock):
    t0 = clock.stamp
    archive.queue_retry("https://x/1", reason="timeout", crawl_id=crawl)
    archive.queue_retry("https://x/2", reason="dns", crawl_id=crawl)
    archive.queue_retry(URL + "?utm_source=x", reason="http_503", crawl_id=crawl)
    archive.queue_retry("https://x/4", reason="timeout", crawl_id=crawl)
    t1 = clock.advance()
    archive.queue_retry("https://x/1", reason="http_503", crawl_id=crawl)
    assert row(archive, "SELECT * FROM retry_queue WHERE url = 'https://x/1'") == {
        "url": "https://x/1",
        "reason": "http_503",
        "attempts": 2,
        "first_failed": t0,
        "last_failed": t1,
        "crawl_id": crawl,
    }
    assert len(archive.retry_urls()) == 4
    assert "https://x/1" not in archive.retry_urls(max_attempts=2)

    # success removes: a successful fetch (also via its final URL), an article (by its fetched
    # URL), a comments page
    archive.log_fetch(crawl_id=crawl, url="https://x/1", status=200, outcome="listing")
    archive.log_fetch(
        crawl_id=crawl, url="https://y", final_url="https://x/2", status=200, outcome="not_article"
    )
    archive.save_article(article(), crawl_id=crawl)
    assert archive.retry_urls() == ["https://x/4"]
    archive.log_fetch(crawl_id=crawl, url="https://x/4", outcome="failed", reason="timeout")
    assert archive.retry_urls() == ["https://x/4"]  # a failure does not remove it
    archive.save_comments(CommentThread(URL, (), fetched_url="https://x/4"), crawl_id=crawl)
    assert archive.retry_urls() == []


# -- opening -----------------------------------------------------------------------------------


def test_open_creates_wal_archive_and_reopens(path, clock):
    with Archive.open(path, now=clock) as archive:
        crawl = archive.start_crawl(seeds=[], settings={})
        archive.save_article(article(), crawl_id=crawl)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    conn.close()
    with Archive.open(path, create=False, now=clock) as archive:  # idempotent
        assert archive.known_urls() == {URL}
        assert archive.save_article(article(), crawl_id=crawl) == "unchanged"


def test_open_refuses_non_sqlite_file(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database, just some notes\n")
    with pytest.raises(ArchiveError, match=r"notes\.db: not an SQLite database"):
        Archive.open(path)
    assert path.read_text() == "not a database, just some notes\n"


def test_open_refuses_foreign_sqlite_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ArchiveError, match=r"other\.db: not a police-news archive.*users"):
        Archive.open(path)
    assert path.read_bytes() == before  # untouched: not even switched to WAL


def test_open_refuses_newer_schema(path):
    Archive.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ArchiveError, match="newer than this program supports"):
        Archive.open(path)


def test_open_missing_without_create(tmp_path):
    with pytest.raises(ArchiveError, match="no archive at"):
        Archive.open(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(ArchiveError, match="is a directory"):
        Archive.open(tmp_path)


def test_open_unwritable_location(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(ArchiveError, match="a-file is not a directory"):
        Archive.open(blocker / "archive.db")
    with pytest.raises(ArchiveError, match="cannot create directory"):
        Archive.open(blocker / "sub" / "archive.db")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_open_read_only_directory(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ArchiveError, match="is not writable"):
            Archive.open(locked / "archive.db")
    finally:
        locked.chmod(0o700)


# -- batching ----------------------------------------------------------------------------------


def test_batching_commits_per_batch_and_on_flush(path, clock):
    other = None
    with Archive.open(path, now=clock, batch_size=3, batch_seconds=3600) as archive:
        other = sqlite3.connect(path)

        def committed() -> int:
            return other.execute("SELECT count(*) FROM articles").fetchone()[0]

        crawl = archive.start_crawl(seeds=[], settings={})  # committed at once
        assert other.execute("SELECT count(*) FROM crawls").fetchone() == (1,)
        archive.save_article(article(URL + "-1"), crawl_id=crawl)
        archive.save_article(article(URL + "-2"), crawl_id=crawl)
        assert committed() == 0  # still in the open batch...
        assert len(archive.known_urls()) == 2  # ...which the archive itself sees
        assert archive.save_article(article(URL + "-2"), crawl_id=crawl) == "unchanged"
        assert committed() == 2  # third operation: the batch is committed
        archive.save_article(article(URL + "-3"), crawl_id=crawl)
        assert committed() == 2
        archive.flush()
        assert committed() == 3
        archive.save_article(article(URL + "-4"), crawl_id=crawl)
        assert committed() == 3
    assert committed() == 4  # close flushes
    other.close()
    with pytest.raises(ArchiveError, match="closed"):
        archive.known_urls()
    archive.close()  # twice is fine


def test_batching_by_time(path, clock):
    with Archive.open(path, now=clock, batch_size=1000, batch_seconds=0) as archive:
        other = sqlite3.connect(path)
        archive.log_fetch(crawl_id=1, url="u", status=200, outcome="listing")
        assert other.execute("SELECT count(*) FROM fetches").fetchone() == (1,)
        other.close()


# -- schema description ------------------------------------------------------------------------


def test_schema_description_matches_database(archive):
    conn = archive.db.conn
    actual = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"):
        if is_internal(name):
            continue
        actual[name] = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
    described = {t.name: list(t.column_names) for t in TABLES}
    assert actual == described
    for table in TABLES:
        if table.kind == "table":
            types = {r[1]: r[2] for r in conn.execute(f"PRAGMA table_info({table.name})")}
            assert types == {c.name: c.type for c in table.columns}
        assert table.description
        assert all(c.description for c in table.columns)


def test_schema_markdown_and_metadata():
    md = schema_markdown()
    for table in TABLES:
        assert f"`{table.name}`" in md
        for col in table.columns:
            assert f"| `{col.name}` |" in md
    meta = datasette_metadata("police")["databases"]["police"]["tables"]
    assert meta["articles"]["columns"]["url"] == TABLES_BY_NAME["articles"].columns[0].description
