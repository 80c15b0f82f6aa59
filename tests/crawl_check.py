"""Crawl a fixture site with `police-archive crawl` and measure the archive against its truth.

The measures of the unseen-markup issue: recall of reachable articles, In Other News edges,
title/author/date exact, body-text token F1, leaks of boilerplate into bodies, robots.txt
violations, duplicate rows, off-site requests. Used by tests/test_markups.py, and runnable:

    python -m tests.crawl_check [--articles 60] [--markup NAME ...] [--mode proxy|origin]
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sample_site import MARKUPS, build_site, serve_site

CLI = str(Path(sys.executable).parent / "police-archive")
FAST = [
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "-s", "DOWNLOAD_TIMEOUT=3",
    "-s", "RETRY_BACKOFF_BASE=0.2",
    "-s", "EXTRACT_WORKERS=2",
]  # fmt: skip


PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")


def loopback_env(proxy_url: str | None) -> dict[str, str]:
    """The environment of a crawl that can only reach the fixture server: os.environ with every
    proxy variable pointing at `proxy_url` (never bypassed), or with none (None)."""
    env = dict(os.environ)
    for name in PROXY_VARIABLES:
        env.pop(name, None)
        if proxy_url:
            env[name] = proxy_url
    env["no_proxy"] = env["NO_PROXY"] = ""
    return env


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", (text or "").lower()))


def token_f1(got: str, want: str) -> float:
    g, w = tokens(got), tokens(want)
    overlap = sum((g & w).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(g.values()), overlap / sum(w.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class Report:
    markup: str
    mode: str
    returncode: int
    expected: int
    stored: int
    found: int  # expected articles stored
    extra: list[str]  # stored rows that are not expected articles
    edges_expected: int
    edges_found: int
    exact: dict[str, int]  # field -> articles with that field exact
    f1_min: float
    f1_mean: float
    leaks: list[tuple[str, str]]
    robots_violations: list[str]
    offsite: list[str]
    duplicate_fetches: list[int]
    comments_expected: int
    comments_found: int
    stdout: str = ""
    stderr: str = ""
    db: Path | None = None
    misses: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def edge_recall(self) -> float:
        return self.edges_found / self.edges_expected if self.edges_expected else 1.0

    def share(self, name: str) -> float:
        return self.exact[name] / self.found if self.found else 0.0

    def line(self) -> str:
        return (
            f"{self.markup:<9} {self.mode:<6} rc={self.returncode} articles {self.found}/"
            f"{self.expected} (+{len(self.extra)}) edges {self.edges_found}/{self.edges_expected}"
            f" title {self.share('title'):.3f} author {self.share('author'):.3f}"
            f" date {self.share('published'):.3f} f1 min {self.f1_min:.3f} mean {self.f1_mean:.3f}"
            f" leaks {len(self.leaks)} comments {self.comments_found}/{self.comments_expected}"
            f" robots {len(self.robots_violations)} offsite {len(self.offsite)}"
        )


def crawl_and_check(
    markup: str, mode: str, db: Path, *, articles: int = 60, seed: int = 11, extra: list[str] = ()
) -> Report:
    site = build_site(articles, seed=seed, hazards=True, markup=markup)
    with serve_site(site) as server:
        origin = server.origin if mode == "origin" else None
        seeds = site.seeds(origin)
        result = subprocess.run(
            [CLI, "crawl", *seeds, "--db", str(db), *FAST, *extra],
            env=loopback_env(server.proxy_url),
            capture_output=True,
            text=True,
            timeout=900,
        )
        requests = server.requests
    return check(site, origin, db, result, requests, markup, mode)


def check(site, origin, db, result, requests, markup, mode) -> Report:
    expected = site.expected_by_url(origin)
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        articles = {r["url"]: dict(r) for r in conn.execute("select * from articles")}
        edges = {
            (r["from_url"], r["to_url"])
            for r in conn.execute("select * from links where section = 'in_other_news'")
        }
        comments = {}
        for r in conn.execute("select * from comments order by article_url, position"):
            comments.setdefault(r["article_url"], []).append(
                {"author": r["author"], "posted": r["posted"], "text": r["text"]}
            )
    found = [u for u in expected if u in articles]
    want_edges = {(u, t) for u, e in expected.items() for t in e["in_other_news"]}
    exact = Counter()
    misses: dict[str, list[Any]] = {"articles": sorted(set(expected) - set(articles))[:10]}
    f1s = []
    leaks = []
    for url in found:
        got, want = articles[url], expected[url]
        for name in ("title", "author", "published"):
            if got[name] == want[name]:
                exact[name] += 1
            else:
                misses.setdefault(name, []).append((url, got[name], want[name]))
        f1s.append(token_f1(got["text"], want["text"]))
        if f1s[-1] < 0.98:
            misses.setdefault("text", []).append((url, round(f1s[-1], 3)))
        _, number = site.resolve(url)
        for text in site.boilerplate(number if number in site.articles else None):
            if text and text in got["text"] and text not in want["text"]:
                leaks.append((url, text))
    comments_expected = sum(len(e["comments"]) for e in expected.values())
    comments_found = sum(
        len(e["comments"]) for u, e in expected.items() if comments.get(u) == e["comments"]
    )
    disallowed = tuple(site.disallowed_paths())
    robots = [r.path for r in requests if r.path.startswith(disallowed)]
    fetched = Counter(r.path for r in requests if r.status == 200)
    return Report(
        markup=markup,
        mode=mode,
        returncode=result.returncode,
        expected=len(expected),
        stored=len(articles),
        found=len(found),
        extra=sorted(set(articles) - set(expected)),
        edges_expected=len(want_edges),
        edges_found=len(want_edges & edges),
        exact=exact,
        f1_min=min(f1s, default=0.0),
        f1_mean=sum(f1s) / len(f1s) if f1s else 0.0,
        leaks=leaks,
        robots_violations=robots,
        offsite=[r.url for r in requests if r in getattr(site, "_none", [])]
        + [f"{r.host}{r.path}" for r in _offsite(requests, origin)],
        duplicate_fetches=[n for p, n in fetched.items() if n > 2],
        comments_expected=comments_expected,
        comments_found=comments_found,
        stdout=result.stdout,
        stderr=result.stderr,
        db=Path(db),
        misses=misses,
    )


def _offsite(requests, origin):
    """Requests that left the crawl's site: another host in proxy mode (answered 502), or in
    origin mode anything but the origin."""
    if origin is None:
        return [r for r in requests if r.status == 502]
    netloc = origin.split("://", 1)[1]
    return [r for r in requests if r.host != netloc]


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--markup", nargs="*", default=list(MARKUPS))
    parser.add_argument("--mode", nargs="*", default=["proxy", "origin"])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for markup in args.markup:
            for mode in args.mode:
                report = crawl_and_check(
                    markup, mode, Path(tmp) / f"{markup}-{mode}.db", articles=args.articles
                )
                print(report.line(), flush=True)
                if args.verbose:
                    for key, values in report.misses.items():
                        if values:
                            print("   ", key, values[:4])
                    if report.extra:
                        print("    extra", report.extra[:5])
                    if report.leaks:
                        print("    leaks", report.leaks[:3])
                    if report.returncode:
                        print(report.stderr[-1500:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
