"""End to end in a real browser: `police-archive serve`, then headless Chromium (Debian's
/usr/bin/chromium, driven by Playwright) at 1280x800 opens the archive's home page (articles
listed first), searches (the first result above the fold, the search's articles per month
beside the form, the column descriptions folded away, dates as "12 August 2020, 17:04"), opens an
article (the window's width used, the original URL, the archived copy and the Wayback Machine, a
citation whose CSL-JSON parses) and follows a related link; then the home page's articles per
month (drawn, on the first screen), the police forces and bodies, Kent Police's page (its chart,
people and articles) and back from its article. A screenshot of each step is saved to
$BROWSER_SCREENSHOTS (CI keeps the directory as an artifact), else to the test's temporary
directory.

Skipped without /usr/bin/chromium, except in CI (CI=true), where .ci/run installs it and its
absence is a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.records import Article
from archive.store import Archive
from tests.processes import free_port, stop
from tests.published_archive import BASE, build_archive

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and quiet: without the networking flags Chromium calls Google's servers.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server(tmp_path):
    """`police-archive serve` on the small archive, with enough more articles for every facet
    to fill up (40 authors, 17 categories, 15 years), on a free 127.0.0.1 port."""
    db = build_archive(tmp_path / "police.db")
    with Archive.open(db) as archive:
        crawl = archive.start_crawl(seeds=[], settings={})
        for i in range(200):
            when = f"{2010 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}T0{i % 10}:15:00"
            text = "Officers said crime in the area had changed. " * 20
            site = ("policeoracle", "policeprofessional", "www.police.uk")[i % 3]
            archive.save_article(
                Article(f"{BASE}{5000 + i}", f"Crime report {i}", f"Reporter {i % 40}", when,
                        text, category=f"Section {i % 17}", site=site),
                crawl_id=crawl,
            )  # fmt: skip
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={})
    port = free_port()
    command = [str(Path(sys.executable).parent / "police-archive"), "serve", str(db)]
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"serve did not start: {(tmp_path / 'serve.log').read_text()}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
        log.close()


# The bars of the charts on a page, inline or in an <object> (the chart route): where each is
# drawn in the window, and the count it stands for.
BARS = """() => {
    const bars = [];
    for (const svg of document.querySelectorAll("svg.month-chart")) bars.push([svg, 0, 0]);
    for (const o of document.querySelectorAll("object.month-chart")) {
        const svg = o.contentDocument && o.contentDocument.querySelector("svg.month-chart");
        const box = o.getBoundingClientRect();
        if (svg) bars.push([svg, box.x, box.y]);
    }
    return bars.flatMap(([svg, x, y]) => [...svg.querySelectorAll("rect.bar")].map(r => {
        const box = r.getBoundingClientRect();
        return {height: box.height, top: y + box.top, bottom: y + box.bottom,
                count: +r.getAttribute("data-count")};
    }));
}"""


def wait_for_bars(page) -> list[dict]:
    """The bars of the page's charts, once every chart in an <object> has loaded."""
    page.wait_for_function(
        """() => [...document.querySelectorAll("object.month-chart")].every(
            o => o.contentDocument && o.contentDocument.querySelector("svg.month-chart"))"""
    )
    return page.evaluate(BARS)


DATE = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{4}\b"
)


def screenshots_dir(tmp_path: Path) -> Path:
    """Where the screenshots go: $BROWSER_SCREENSHOTS (CI keeps it as an artifact), else the
    test's own temporary directory."""
    path = Path(os.environ.get("BROWSER_SCREENSHOTS") or tmp_path)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def chromium_page(tmp_path: Path) -> Iterator[tuple[Any, Callable[..., None]]]:
    """A page of Debian's headless Chromium at 1280x800, and `shoot(name, full_page=True)`,
    which saves a screenshot of it in `screenshots_dir`; each screenshot is checked (not blank)
    and named when the browser has closed."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    out = screenshots_dir(tmp_path)
    shots: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})

            def shoot(name: str, *, full_page: bool = True) -> None:
                shots.append(out / name)
                page.screenshot(path=shots[-1], full_page=full_page)

            yield page, shoot
        finally:
            browser.close()
    for shot in shots:
        assert shot.stat().st_size > 10_000
        print(f"screenshot: {shot}")


def need_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


def test_search_read_and_follow_a_related_link(server, tmp_path):
    from playwright.sync_api import expect

    with chromium_page(tmp_path) as (page, shoot):
        # the home page: what the archive is, its tables with articles first
        page.goto(server + "/")
        expect(page).to_have_title(re.compile("^Police news archive"))
        tables = page.locator("ul.archive-tables > li > a")
        expect(tables.first).to_have_text("articles")
        assert {"comments", "crawls"} <= set(tables.all_inner_texts())
        shoot("browser-1-home.png")
        tables.first.click()

        # a search with many results and every facet: the rows start above the fold
        page.fill("#_search", "crime")
        page.keyboard.press("Enter")
        page.wait_for_url("**/archive/articles?*_search=crime*")
        first_row = page.locator("table.rows-and-columns tbody tr").first
        box = first_row.bounding_box()
        assert box is not None and box["y"] < 800, box
        # the search's articles per month beside the search form, drawn (the chart route in
        # an <object>), the rows still on the first screen
        chart = page.locator("figure.search-chart object.month-chart")
        expect(chart).to_have_attribute("data", "/-/articles-per-month.svg?q=crime&width=400")
        bars = wait_for_bars(page)
        assert sum(b["count"] for b in bars) == 201 and len(bars) == 15 * 12
        assert all((b["height"] > 0) == (b["count"] > 0) for b in bars)
        drawn = chart.bounding_box()
        assert drawn is not None and drawn["y"] + drawn["height"] < box["y"], (drawn, box)
        assert drawn["x"] > page.locator("#_search").bounding_box()["x"] + 400  # fmt: skip
        assert all(drawn["y"] <= b["top"] and b["bottom"] <= box["y"] for b in bars)
        assert DATE.search(first_row.locator("td.col-published").inner_text())
        # the column descriptions, folded away below the search form, backticks as code
        folded = page.locator("details.column-descriptions")
        expect(folded).to_have_count(1)
        assert folded.evaluate("details => !details.open")
        assert page.evaluate(
            """() => [...document.querySelectorAll("dl.column-descriptions")].every(
                dl => dl.closest("details.column-descriptions"))"""
        )
        assert folded.locator("code").count() > 0
        assert "`" not in folded.text_content()
        assert (folded.bounding_box() or {"y": 0})["y"] > page.locator(
            "#_search").bounding_box()["y"]  # fmt: skip
        shoot("browser-2-search.png", full_page=False)  # the first screen: what is above the fold

        # search a phrase in the articles table
        page.fill("#_search", '"knife crime"')
        page.keyboard.press("Enter")
        page.wait_for_url("**/archive/articles?*_search=*knife*")
        expect(page.locator("h3").first).to_contain_text("1 row where search matches")
        expect(page.locator("td.col-published").first).to_have_text("12 August 2020, 17:04")

        # open the article: paragraphs, the original, its related articles
        page.get_by_role("link", name="Knife crime falls in the capital").click()
        expect(page.locator(".reader h1")).to_have_text("Knife crime falls in the capital")
        expect(page.locator(".reader .standfirst")).to_have_text(
            "Knife crime has fallen for the first time in five years."
        )
        expect(page.locator(".reader .text p")).to_have_count(2)
        original = "https://www.policeoracle.com/news/article.cfm?id=1002"
        expect(page.locator("a.original")).to_have_attribute("href", original)
        expect(page.locator("a.original")).to_have_text(original)
        expect(page.locator("a.wayback")).to_have_attribute(
            "href", "https://web.archive.org/web/*/" + original
        )
        assert DATE.search(page.locator(".reader .byline").inner_text())
        # the window's width: the text on the left, the sources on the right
        reader = page.locator("article.reader").bounding_box()
        aside = page.locator("aside.reader-aside").bounding_box()
        text = page.locator(".reader .text").bounding_box()
        assert reader and aside and text
        assert reader["width"] > 1200 and aside["x"] > 1280 / 2
        assert text["x"] + text["width"] > 1280 / 2
        # the citation: text, BibTeX, CSL-JSON that parses, with the stable address
        expect(page.locator(".cite-text")).to_contain_text(
            "Cite as: Tom Brown, “Knife crime falls in the capital”, policeoracle, "
            "12 August 2020. " + original
        )
        assert page.locator("pre.bibtex").text_content().startswith("@online{")
        (item,) = json.loads(page.locator("pre.csl-json").text_content())
        assert item["title"] == "Knife crime falls in the capital"
        assert item["type"] == "article-newspaper" and item["URL"] == original
        stable = page.locator("a.archived-copy").get_attribute("href")
        assert stable == f"{server}/-/article?url={original}" == item["archive_location"]
        shoot("browser-3-article.png")

        # the stable address leads back to the article
        article_url = page.url
        page.locator("a.archived-copy").click()
        page.wait_for_load_state()
        assert page.url == article_url

        # follow an In Other News link to another archived article
        page.locator(".in-other-news").get_by_role(
            "link", name="Burglar jailed after string of burglaries"
        ).click()
        expect(page.locator(".reader h1")).to_have_text("Burglar jailed after string of burglaries")
        expect(page.locator(".comments li")).to_have_count(3)
        shoot("browser-4-related.png")


def test_the_charts_and_a_forces_page(server, tmp_path):
    """The home page's articles per month drawn on the first screen; the forces and bodies, a
    force's page with its chart, people and articles, and back from an article to its force."""
    from playwright.sync_api import expect

    with chromium_page(tmp_path) as (page, shoot):
        # the home page: every article by month (the chart route in an <object>), drawn in
        # the first screen
        page.goto(server + "/")
        chart = page.locator("figure.archive-chart object.month-chart")
        expect(chart).to_be_visible()
        expect(chart).to_have_attribute("aria-label", "Articles per month")
        box = chart.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 800, box
        assert box["width"] >= 900
        bars = wait_for_bars(page)
        assert len(bars) == 15 * 12  # January 2010 to December 2024, every month a bar
        assert sum(b["count"] for b in bars) == 205
        assert all((b["height"] > 0) == (b["count"] > 0) for b in bars)
        assert all(box["y"] <= b["top"] and b["bottom"] <= 800 for b in bars)
        assert max(b["height"] for b in bars) > 50
        title = chart.evaluate("o => o.contentDocument.querySelector('svg > title').textContent")
        assert title == "Articles per month: 205 articles"
        shoot("browser-5-home-chart.png", full_page=False)  # the first screen

        # the forces and bodies the articles name, then Kent Police's page
        page.get_by_role("link", name="Police forces and bodies").click()
        page.wait_for_url("**/-/forces")
        expect(page.locator(".forces-page h2")).to_have_text(["Territorial police forces"])
        page.get_by_role("link", name="Kent Police").click()
        page.wait_for_url("**/-/force/kent")
        expect(page.locator(".force-page h1")).to_have_text("Kent Police")
        expect(page.locator("dd.overseen-by")).to_have_text(
            "Police and Crime Commissioner for Kent"
        )
        bars = wait_for_bars(page)  # its chart, loaded beside the page
        assert [b["count"] for b in bars if b["height"] > 0] == [1]
        expect(page.locator("table.people tbody tr")).to_have_text(
            [re.compile(r"Sean O'Brien\s*Chief Constable\s*1")]
        )
        articles = page.locator("ol.force-articles li")
        expect(articles).to_have_count(1)
        expect(articles.first).to_contain_text("2 November 2018")
        shoot("browser-6-force.png")

        # its article, which names it, linked back
        articles.first.get_by_role("link", name="Body-worn cameras for every officer").click()
        expect(page.locator(".reader h1")).to_have_text("Body-worn cameras for every officer")
        named = page.locator(".forces-named a")
        expect(named).to_have_text(["Kent Police"])
        named.first.click()
        page.wait_for_url("**/-/force/kent")
