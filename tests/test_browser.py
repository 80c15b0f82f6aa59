"""End to end in a real browser: `police-archive serve`, then headless Chromium (Debian's
/usr/bin/chromium, driven by Playwright) opens the archive, searches a phrase, opens the article
and follows a related link. A screenshot of each step is saved under artifacts/ (gitignored).

Skipped without /usr/bin/chromium, except in CI (CI=true), where .ci/run installs it and its
absence is a failure.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.published_archive import build_archive

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# Headless, and quiet: without the networking flags Chromium calls Google's servers.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """`police-archive serve` on the small archive, on a free 127.0.0.1 port."""
    db = build_archive(tmp_path / "police.db")
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
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_search_read_and_follow_a_related_link(server):
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    shots = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})

            page.goto(server + "/")
            expect(page).to_have_title(re.compile("^Police news archive"))
            page.get_by_role("link", name="articles", exact=True).first.click()

            # search a phrase in the articles table
            page.fill("#_search", '"knife crime"')
            page.keyboard.press("Enter")
            page.wait_for_url("**/archive/articles?*_search=*")
            expect(page.locator("h3").first).to_contain_text("1 row where search matches")
            shots.append(ARTIFACTS / "browser-1-search.png")
            page.screenshot(path=shots[-1], full_page=True)

            # open the article: paragraphs, the original, its related articles
            page.get_by_role("link", name="Knife crime falls in the capital").click()
            expect(page.locator(".reader h1")).to_have_text("Knife crime falls in the capital")
            expect(page.locator(".reader .standfirst")).to_have_text(
                "Knife crime has fallen for the first time in five years."
            )
            expect(page.locator(".reader .text p")).to_have_count(2)
            expect(page.locator("a.original")).to_have_attribute(
                "href", "https://www.policeoracle.com/news/article.cfm?id=1002"
            )
            shots.append(ARTIFACTS / "browser-2-article.png")
            page.screenshot(path=shots[-1], full_page=True)

            # follow an In Other News link to another archived article
            page.locator(".in-other-news").get_by_role(
                "link", name="Burglar jailed after string of burglaries"
            ).click()
            expect(page.locator(".reader h1")).to_have_text(
                "Burglar jailed after string of burglaries"
            )
            expect(page.locator(".comments li")).to_have_count(3)
            shots.append(ARTIFACTS / "browser-3-related.png")
            page.screenshot(path=shots[-1], full_page=True)
        finally:
            browser.close()
    for shot in shots:
        assert shot.stat().st_size > 10_000
        print(f"screenshot: {shot}")
