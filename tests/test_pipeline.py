"""The archive pipeline on its own: a crawler from get_crawler, hand-made items, a real file."""

from __future__ import annotations

import json
import sqlite3

from scrapy import Request
from scrapy.utils.test import get_crawler

from archive.records import Article, Comment, CommentThread, Fetch, Link, Section
from crawler.items import PageItem
from crawler.pipelines import ArchivePipeline
from crawler.spiders.police_news import PoliceNewsSpider

BASE = "http://www.policeoracle.localhost/news"


def make_pipeline(tmp_path):
    crawler = get_crawler(
        PoliceNewsSpider,
        {"ARCHIVE_DB": str(tmp_path / "a.db"), "ARCHIVE_RECORDED_SETTINGS": ["ROBOTSTXT_OBEY"]},
    )
    crawler.spider = PoliceNewsSpider.from_crawler(crawler, start=f"{BASE}/index.cfm")
    crawler.stats.open_spider()
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return crawler, pipeline


def article(n: int, text: str = "Officers were praised.") -> Article:
    return Article(
        url=f"{BASE}/article.cfm?id={n}",
        title=f"Story {n}",
        author="Jane Smith",
        published="2020-08-12T17:04:00",
        text=text,
        links=(Link(f"{BASE}/article.cfm?id={n + 1}", Section.IN_OTHER_NEWS, "Next story"),),
    )


def test_items_become_rows_and_stats(tmp_path):
    crawler, pipeline = make_pipeline(tmp_path)
    url = f"{BASE}/article.cfm?id=1"
    pipeline.process_item(PageItem(Fetch(url=url, outcome="article", status=200), article(1)))
    pipeline.process_item(PageItem(Fetch(url=url, outcome="article", status=200), article(1)))
    thread = CommentThread(url, (Comment("Bob", "2020-08-13T09:00:00", "Well done."),))
    pipeline.process_item(
        PageItem(Fetch(url=f"{BASE}/comments.cfm?id=1", outcome="comments"), thread)
    )
    gone = f"{BASE}/article.cfm?id=9"
    pipeline.process_item(PageItem(Fetch(url=gone, outcome="failed", reason="http_404")))
    slow = f"{BASE}/article.cfm?id=8"
    pipeline.process_item(PageItem(Fetch(url=slow, outcome="failed", reason="timeout")))
    pipeline.spider_closed("finished")

    stats = crawler.stats.get_stats()
    assert stats["archive/articles/new"] == 1
    assert stats["archive/articles/unchanged"] == 1
    assert stats["archive/comments/new"] == 1
    assert stats["archive/reasons/http_404"] == 1
    assert stats["archive/fetches/failed"] == 2

    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("select count(*) from articles").fetchone() == (1,)
        assert conn.execute("select to_url, section from links").fetchall() == [
            (f"{BASE}/article.cfm?id=2", "in_other_news")
        ]
        assert conn.execute("select url from retry_queue").fetchall() == [(slow,)]
        assert conn.execute("select count(*) from fetches").fetchone() == (5,)
        crawl = conn.execute("select finish_reason, settings, failures from crawls").fetchone()
    assert crawl[0] == "finished"
    assert json.loads(crawl[1]) == {"ROBOTSTXT_OBEY": False}  # get_crawler's defaults
    assert crawl[2] == 2


def test_a_record_the_archive_refuses_is_logged_not_lost(tmp_path):
    crawler, pipeline = make_pipeline(tmp_path)
    bad = Article(
        url=f"{BASE}/article.cfm?id=3",
        title="Bad links",
        author="",
        published=None,
        text="Text.",
        links=(Link(f"{BASE}/article.cfm?id=4", "no_such_section"),),
    )
    item = PageItem(Fetch(url=bad.url, outcome="article"), bad)
    assert pipeline.process_item(item) is item
    pipeline.process_item(PageItem(Fetch(url=f"{BASE}/x", outcome="article"), article(5)))
    pipeline.spider_closed("finished")
    assert crawler.stats.get_value("archive/reasons/store_error") == 1
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("select url from articles").fetchall() == [(article(5).url,)]
        assert conn.execute(
            "select count(*) from links where from_url = ?", (bad.url,)
        ).fetchone() == (0,)
        assert conn.execute(
            "select outcome, reason from fetches where url = ?", (bad.url,)
        ).fetchall() == [("failed", "store_error")]
        assert conn.execute("select url from retry_queue").fetchall() == [(bad.url,)]


def test_redirect_to_a_page_already_fetched_is_recorded(tmp_path):
    crawler, pipeline = make_pipeline(tmp_path)
    target = f"{BASE}/article.cfm?id=1"
    old = "http://www.policeoracle.localhost/old/1"
    pipeline.request_dropped(Request(target, meta={"redirect_urls": [old]}))
    loop = f"{BASE}/article.cfm?id=7"
    pipeline.request_dropped(Request(loop, meta={"redirect_urls": [loop, loop + "&r=1"]}))
    pipeline.request_dropped(Request(f"{BASE}/article.cfm?id=2"))  # a plain duplicate: nothing
    pipeline.spider_closed("finished")
    with sqlite3.connect(tmp_path / "a.db") as conn:
        rows = conn.execute("select url, final_url, outcome, reason from fetches").fetchall()
    assert rows == [
        (old, target, "not_article", "redirect_to_seen"),
        (loop, loop, "failed", "redirect_loop"),
    ]
