"""Keeping the archive over time, at the store: revisions, flagged versions, gone articles,
removed comments and links, the crawl's frontier. Real database files, an injected clock."""

from __future__ import annotations

import sqlite3

import pytest

from archive.records import Article, Comment, CommentThread, Fetch, Link, Outcome, Section
from archive.store import Archive
from tests.test_store import Clock

URL = "https://www.example-police-news.test/news/article.cfm?id=1"
TEXT = (
    "Officers from three forces arrested six people after a series of burglaries.\n\n"
    "The chief constable said the operation had taken months of planning and thanked residents."
)


def article(**changes) -> Article:
    fields = {
        "url": URL,
        "title": "Six arrested after burglaries",
        "author": "Jane Reporter",
        "published": "2024-04-30T09:15:00",
        "text": TEXT,
        "extractor": "trafilatura",
        "extractor_version": "police-news-archive 0.1.0; trafilatura 2.3.1",
        "fetched_url": URL,
    }
    fields.update(changes)
    return Article(**fields)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def archive(tmp_path, clock):
    with Archive.open(tmp_path / "archive.db", now=clock) as arch:
        yield arch


def crawl(archive: Archive) -> int:
    return archive.start_crawl(seeds=[URL], settings={})


def query(archive: Archive, sql: str, *params) -> list[dict]:
    archive.flush()
    return list(archive.db.query(sql, params))


def revisions(archive: Archive, url: str = URL) -> list[dict]:
    return query(archive, "SELECT * FROM revisions WHERE url = ? ORDER BY revision", url)


def shown(archive: Archive, url: str = URL) -> dict:
    return query(archive, "SELECT * FROM articles WHERE url = ?", url)[0]


def test_each_distinct_version_is_a_revision_and_unchanged_ones_add_none(archive, clock):
    first = crawl(archive)
    assert archive.save_article(article(), crawl_id=first) == "new"
    clock.advance()
    second = crawl(archive)
    assert archive.save_article(article(comment_count=4), crawl_id=second) == "unchanged"
    assert len(revisions(archive)) == 1
    edited = TEXT + "\n\nUpdate: two of them have since been charged."
    clock.advance()
    assert archive.save_article(article(text=edited), crawl_id=second) == "updated"
    history = revisions(archive)
    assert [(r["revision"], r["crawl_id"], r["flags"]) for r in history] == [
        (1, first, ""),
        (2, second, ""),
    ]
    assert history[0]["text"] == TEXT and history[1]["text"] == edited
    assert history[0]["extractor_version"].startswith("police-news-archive")
    assert shown(archive)["text"] == edited
    assert archive.crawl_counts(second)["articles_updated"] == 1
    assert archive.crawl_counts(second)["articles_unchanged"] == 0
    third = crawl(archive)
    assert archive.save_article(article(text=edited), crawl_id=third) == "unchanged"
    assert archive.crawl_counts(third)["articles_unchanged"] == 1
    assert len(revisions(archive)) == 2


@pytest.mark.parametrize(
    ("change", "flags"),
    [
        ({"text": "Subscribe to read more."}, "text_shrank"),
        ({"title": ""}, "title_lost"),
        ({"extractor": "readability", "text": TEXT + " More."}, "extractor_changed"),
        ({"title": "", "text": "Cookies."}, "text_shrank,title_lost"),
    ],
)
def test_a_broken_looking_version_is_kept_flagged_and_not_shown(archive, change, flags):
    first = crawl(archive)
    archive.save_article(article(), crawl_id=first)
    second = crawl(archive)
    assert archive.save_article(article(**change), crawl_id=second) == "flagged"
    history = revisions(archive)
    assert [r["flags"] for r in history] == ["", flags]
    row = shown(archive)
    assert row["text"] == TEXT and row["title"] == "Six arrested after burglaries"
    assert row["flags"] == flags and row["last_crawl_id"] == second
    assert archive.crawl_counts(second)["articles_flagged"] == 1
    assert archive.flagged_articles(second) == {URL: flags}
    # the same broken version again: nothing new
    third = crawl(archive)
    assert archive.save_article(article(**change), crawl_id=third) == "unchanged"
    assert len(revisions(archive)) == 2 and shown(archive)["text"] == TEXT
    # a sound version again (the site fixed its pages): shown, the flag cleared
    fourth = crawl(archive)
    assert archive.save_article(article(), crawl_id=fourth) == "updated"
    assert [r["flags"] for r in revisions(archive)] == ["", flags, ""]
    assert shown(archive)["flags"] is None


def test_a_page_that_answers_404_keeps_its_article_marked_gone_since_then(archive, clock):
    first = crawl(archive)
    archive.save_article(article(), crawl_id=first)
    second = crawl(archive)
    gone_at = clock.advance()
    archive.log_fetch(crawl_id=second, url=URL, status=404, outcome="failed", reason="http_404")
    row = shown(archive)
    assert (row["status"], row["gone_since"], row["text"]) == ("gone", gone_at, TEXT)
    assert archive.crawl_counts(second)["articles_gone"] == 1
    clock.advance()
    third = crawl(archive)
    archive.log_fetch(crawl_id=third, url=URL, status=410, outcome="failed", reason="http_410")
    assert shown(archive)["gone_since"] == gone_at  # first seen gone, not last
    assert archive.crawl_counts(third)["articles_gone"] == 0
    fourth = crawl(archive)
    archive.save_article(article(), crawl_id=fourth)  # it came back
    assert (shown(archive)["status"], shown(archive)["gone_since"]) == ("live", None)
    assert len(revisions(archive)) == 1


def test_a_304_confirms_the_article_unchanged(archive, clock):
    first = crawl(archive)
    archive.save_article(article(), crawl_id=first)
    second = crawl(archive)
    seen = clock.advance()
    fetch = Fetch(url=URL, outcome=Outcome.NOT_MODIFIED, final_url=URL, status=304)
    assert archive.record(fetch, None, crawl_id=second).article == "unchanged"
    row = shown(archive)
    assert (row["last_seen"], row["last_crawl_id"]) == (seen, second)
    counts = archive.crawl_counts(second)
    assert (counts["not_modified"], counts["articles_unchanged"]) == (1, 1)
    assert len(revisions(archive)) == 1


def test_comments_removed_from_a_thread_are_kept_and_marked(archive, clock):
    first = crawl(archive)
    a = Comment("Ann", "2024-05-01T10:00:00", "Well done all.")
    b = Comment("Bob", None, "About time.")
    archive.save_comments(CommentThread(URL, (a, b)), crawl_id=first)
    removed_at = clock.advance()
    archive.save_comments(CommentThread(URL, (a,)), crawl_id=first)
    got = query(archive, "SELECT author, removed FROM comments ORDER BY author")
    assert got == [{"author": "Ann", "removed": None}, {"author": "Bob", "removed": removed_at}]
    # a thread read as empty marks nothing (more likely a page the reader no longer reads)
    archive.save_comments(CommentThread(URL, ()), crawl_id=first)
    assert query(archive, "SELECT count(*) AS n FROM comments WHERE removed IS NULL")[0]["n"] == 1
    clock.advance()
    archive.save_comments(CommentThread(URL, (b, a)), crawl_id=first)  # restored
    assert query(archive, "SELECT count(*) AS n FROM comments WHERE removed IS NULL")[0]["n"] == 2


def test_links_a_page_no_longer_shows_are_kept_and_come_back(archive, clock):
    first = crawl(archive)
    one, two = URL + "1", URL + "2"
    archive.save_article(
        article(links=(Link(one, Section.IN_OTHER_NEWS), Link(two, Section.IN_OTHER_NEWS))),
        crawl_id=first,
    )
    later = clock.advance()
    archive.save_article(article(links=(Link(one, Section.IN_OTHER_NEWS),)), crawl_id=first)
    got = query(archive, "SELECT to_url, removed FROM links ORDER BY to_url")
    assert got == [{"to_url": one, "removed": None}, {"to_url": two, "removed": later}]
    archive.save_article(article(links=(Link(two, Section.IN_OTHER_NEWS),)), crawl_id=first)
    got = query(archive, "SELECT to_url, removed FROM links ORDER BY to_url")
    assert got == [
        {"to_url": one, "removed": later},
        {"to_url": two, "removed": None},
    ]


def test_the_frontier_says_what_a_killed_crawl_left_undone(tmp_path, clock):
    from archive.frontier import Queued

    path = tmp_path / "archive.db"
    listing = "https://www.example-police-news.test/news/"
    with Archive.open(path, now=clock) as archive:
        crawl_id = crawl(archive)
        archive.queue([Queued(listing, "seed")], crawl_id=crawl_id)
        page = Fetch(url=listing, outcome=Outcome.LISTING, final_url=listing, status=200)
        children = [
            Queued(URL, "listing", "article", "Six arrested", listing),
            Queued(URL + "2", "listing"),
        ]
        archive.record(page, None, crawl_id=crawl_id, queued=children)
        archive.record(
            Fetch(url=URL, outcome=Outcome.FAILED, reason="timeout"), None, crawl_id=crawl_id
        )
    # the process died here: the crawl has no finish
    with Archive.open(path, now=clock) as archive:
        assert archive.unfinished_crawl() == crawl_id
        assert archive.pending(crawl_id) == [Queued(URL + "2", "listing")]
        assert {u for u, _ in archive.queued(crawl_id)} == {listing, URL, URL + "2"}
        archive.resume_crawl(crawl_id)
        archive.finish_crawl(crawl_id, finish_reason="finished", stats={})
        assert archive.unfinished_crawl() is None
        assert query(archive, "SELECT count(*) AS n FROM frontier")[0]["n"] == 0  # cleared
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM crawls").fetchone()[0] == 1


def test_what_a_recurring_crawl_looks_up(tmp_path, clock):
    from archive.lookup import ArchiveLookup

    path = tmp_path / "archive.db"
    alias = URL.replace("article.cfm?id=", "story.asp?id=")
    failed = URL + "9"
    with Archive.open(path, now=clock) as archive:
        with ArchiveLookup(path) as empty:  # a first crawl asks nothing
            assert empty.empty and empty.validators(URL) is None
        crawl_id = crawl(archive)
        fetch = Fetch(url=URL, outcome=Outcome.ARTICLE, final_url=URL, status=200, etag='"v1"',
                      warc_file="a.warc.gz", warc_offset=0, payload_digest="sha1:X")  # fmt: skip
        links = (Link(URL + "2", Section.IN_OTHER_NEWS, "Two"),)
        archive.record(fetch, article(links=links), crawl_id=crawl_id)
        archive.add_alias(alias, URL, crawl_id=crawl_id)
        # a page fetched but not stored (the archive refused it): to download again, never a 304
        archive.log_fetch(crawl_id=crawl_id, url=failed, final_url=failed, status=200,
                          outcome="failed", reason="store_error", etag='"v1"')  # fmt: skip
    with ArchiveLookup(path) as lookup:
        assert not lookup.empty
        found = lookup.validators(URL)
        assert found is not None and (found.etag, found.digest) == ('"v1"', "sha1:X")
        assert lookup.validators(failed) is None and lookup.stored_page(failed) is None
        stored = lookup.stored_page(URL)
        assert stored is not None and (stored.kind, stored.links) == ("article", links)
        dates = lookup.article_dates(alias)
        assert dates is not None and (dates.url, dates.title) == (URL, article().title)
        assert [d.url for d in lookup.articles()] == [URL]
