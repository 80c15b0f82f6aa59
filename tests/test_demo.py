"""The README's first command: the demo crawls the sample site, and `serve` publishes it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.processes import free_port

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def get_json(url: str, timeout: float = 20.0):
    """GET a JSON document from a server that may still be starting."""
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    while True:
        try:
            with opener.open(url, timeout=5) as response:
                return json.load(response)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_demo_crawls_the_sample_site_and_serve_publishes_it(tmp_path):
    db = tmp_path / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "sample_site.demo", "--db", str(db), "--no-serve"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "articles new       58" in result.stdout
    with sqlite3.connect(db) as conn:
        (articles,) = conn.execute("select count(*) from articles").fetchone()
    assert articles == 58

    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "police-archive"), "serve", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        rows = get_json(f"http://127.0.0.1:{port}/archive/articles.json?_shape=array&_size=max")
        assert len(rows) == articles
        assert {"url", "title", "author", "published", "text"} <= set(rows[0])
        hits = get_json(
            f"http://127.0.0.1:{port}/archive/articles.json?_search=police&_shape=array"
        )
        assert hits and all("polic" in (h["title"] + h["text"]).lower() for h in hits)
    finally:
        server.terminate()
        server.wait(timeout=10)
