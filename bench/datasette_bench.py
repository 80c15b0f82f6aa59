#!/usr/bin/env python
"""Benchmark: the published archive over HTTP, on a synthetic 100,000-article archive.

    python bench/datasette_bench.py [--articles 100000] [--db FILE] [--requests 300]
                                    [--json FILE] [--check]

1. Builds a synthetic archive through the project's own writer (`archive.store.Archive`):
   articles of realistic size (300 to 1,100 words in paragraphs, a standfirst, bylines,
   categories, sites, 15 % subscriber-only teasers, dates over twenty years), In Other News and
   More News links (popular articles linked more often), comment threads under a quarter of the
   articles and one fetch-log row per article. `--db FILE` keeps the archive: a later run with the
   same FILE and --articles reuses it.
2. Starts `police-archive serve` on a free 127.0.0.1 port (a subprocess, as a researcher would).
3. After a warm-up, requests each kind of page in turn over one keep-alive connection, `--requests`
   times per kind (bounded: every request has a 30 s timeout, the whole measurement 15 minutes):
   - search: the ranked search query with highlights (`/archive/search?q=`), over a mix of common
     and rare words, phrases, prefixes and OR;
   - table search: the articles table searched, with its facets (`/archive/articles?_search=`);
   - table: the articles table page with its seven facets (newest first, a later page, a category,
     a year and a month selected), and the comments table;
   - article: an article's page (paragraphs, related articles, comments);
   - force facet: `force_articles` (articles by the forces they name) with its facets, whole and
     for one force, and the articles table filtered by a force (`_force=`), searched or not,
     with its facets (the forces facet among them);
   - force page: `/-/force/ID`, a force's page with its chart, people and latest articles;
   - chart: the monthly chart `/-/articles-per-month.svg`, of all articles, of a force, of a
     search.
   The articles name forces of the gazetteer (0 to 3 each, the big forces more often), tagged by
   pages/tagging.py as a crawl tags them. What tagging costs an article is measured on 5,000 of
   them, against lower-casing and splitting the same texts (target: under 1 ms).
4. Prints p50 / p95 / max per kind and the targets: search p95 <= 100 ms, table page, force
   facet, force page and chart p95 <= 300 ms (on the project's 2-core machine). Exit status 0
   unless --check and a target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.records import Article, Comment, CommentThread, Link  # noqa: E402
from archive.store import Archive  # noqa: E402
from pages.gazetteer import Gazetteer  # noqa: E402
from pages.tagging import gazetteer_rows, tag  # noqa: E402
from publish.app import DATABASE  # noqa: E402

# p95 targets: search and table pages (the published-archive issue), a force's pages and the
# monthly charts (the researcher issue)
TARGETS_MS = {
    "search": 100.0,
    "table": 300.0,
    "force facet": 300.0,
    "force page": 300.0,
    "chart": 300.0,
}
MEASURE_BUDGET_S = 15 * 60
REQUEST_TIMEOUT_S = 30

# --- the synthetic archive --------------------------------------------------------------------

DOMAIN_WORDS = """police officer officers constable sergeant inspector chief superintendent
commissioner force forces custody arrest arrested arrests charged court crown magistrates
sentence sentenced jailed prison probation burglar burglars burglary burglaries robbery
robberies theft thefts knife knives crime crimes violent violence domestic abuse victim
victims witness witnesses investigation investigations detective detectives murder
manslaughter assault assaults firearms armed unit units response patrol patrols
neighbourhood community policing federation pay pension budget cuts funding recruitment
training college standards misconduct complaint complaints ipcc iopc inquiry review report
home office secretary minister government policy strategy stop search drugs drug county lines
gang gangs cyber fraud online terrorism counter security intelligence surveillance camera
cameras body worn taser tasers vehicle vehicles pursuit road traffic collision speeding
drink driving motorway metropolitan scotland wales northern ireland london manchester
birmingham leeds liverpool bristol kent essex sussex yorkshire lancashire merseyside
cleveland durham northumbria cumbria devon cornwall thames valley hampshire surrey""".split()  # noqa: SIM905 - reads as text

CATEGORIES = (
    "Crime", "Justice", "Pay and Conditions", "Operational Policing", "Roads Policing",
    "Counter Terrorism", "Training", "Technology", "Federation", "Misconduct", "Recruitment",
    "Community", "Forensics", "Cyber Crime", "Leadership",
)  # fmt: skip
SITES = (("policeoracle", 0.85), ("policeprofessional", 0.1), ("police.uk", 0.05))
URL_BASE = {
    "policeoracle": "https://www.policeoracle.com/news/article.cfm?id={}",
    "policeprofessional": "https://www.policeprofessional.com/news/{}/",
    "police.uk": "https://www.police.uk/news/{}/",
}


class Words:
    """A Zipf-like vocabulary: the police-news words plus generated filler words."""

    def __init__(self, rng: random.Random, filler: int = 6000):
        syllables = [c + v for c in "bcdfghklmnprstvw" for v in ("a", "e", "i", "o", "u", "ou")]
        words = list(dict.fromkeys(DOMAIN_WORDS))
        seen = set(words)
        while len(words) < len(DOMAIN_WORDS) + filler:
            word = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        rng.shuffle(words)
        self.words = words
        self.cum_weights = []
        total = 0.0
        for rank in range(1, len(words) + 1):
            total += 1 / rank
            self.cum_weights.append(total)
        self.rng = rng

    def some(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)

    def sentence(self, n: int) -> str:
        words = self.some(n)
        return " ".join(words).capitalize() + "."

    def paragraph(self, n_words: int) -> str:
        out, left = [], n_words
        while left > 0:
            k = min(left, self.rng.randint(8, 22))
            out.append(self.sentence(k))
            left -= k
        return " ".join(out)


def article_url(site: str, n: int) -> str:
    return URL_BASE[site].format(100000 + n)


def build_archive(path: Path, n_articles: int, *, seed: int = 1, progress: bool = True) -> None:
    """Write `n_articles` synthetic articles (and their links, comments, fetches) to `path`."""
    rng = random.Random(seed)
    words = Words(rng)
    authors = [f"{words.some(1)[0].title()} {words.some(1)[0].title()}" for _ in range(400)]
    sites = [s for s, _ in SITES]
    site_weights = [w for _, w in SITES]
    start = datetime(2005, 1, 1, tzinfo=UTC)
    span = (datetime(2024, 12, 31, tzinfo=UTC) - start).total_seconds()
    article_sites = rng.choices(sites, weights=site_weights, k=n_articles + 1)
    popularity: list[int] = []  # article numbers, once per inbound link: preferential attachment
    clock = [start]
    # the forces an article names: a few forces in most stories, the big ones more often
    gazetteer = Gazetteer.load()
    bodies = [b for b in gazetteer.bodies if b.kind != "pcc"]
    body_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(bodies))]
    with Archive.open(path, batch_size=500, batch_seconds=30, now=lambda: clock[0]) as archive:
        crawl = archive.start_crawl(seeds=[article_url("policeoracle", 1)], settings={})
        archive.save_gazetteer(*gazetteer_rows(gazetteer))
        began = time.monotonic()
        for n in range(1, n_articles + 1):
            moment = start + timedelta(seconds=span * n / n_articles + rng.uniform(-3e5, 3e5))
            clock[0] = max(clock[0], moment)
            site = article_sites[n]
            url = article_url(site, n)
            standfirst = words.paragraph(rng.randint(20, 40))
            paragraphs = [standfirst] + [
                words.paragraph(rng.randint(30, 90)) for _ in range(rng.randint(4, 14))
            ]
            named = rng.choices(bodies, weights=body_weights, k=rng.choice((0, 1, 1, 2, 2, 3)))
            for body in named:
                i = rng.randrange(1, len(paragraphs))
                paragraphs[i] += f" Officers from {body.name} said the inquiry was continuing."
            if named and rng.random() < 0.3:
                paragraphs[0] = f"{named[0].name} {paragraphs[0][0].lower()}{paragraphs[0][1:]}"
                standfirst = paragraphs[0]
            links = []
            for _ in range(rng.randint(4, 6)):
                if popularity and rng.random() < 0.5:
                    target = rng.choice(popularity)
                else:
                    target = rng.randint(1, n_articles)
                if target != n:
                    popularity.append(target)
                    links.append(Link(article_url(article_sites[target], target), "in_other_news"))
            links.append(Link(article_url(site, min(n + 1, n_articles)), "more_news", "More News"))
            published = moment.strftime("%Y-%m-%dT%H:%M:00" if rng.random() < 0.6 else "%Y-%m-%d")
            article = Article(
                url=url,
                title=words.sentence(rng.randint(6, 12)).rstrip("."),
                author=rng.choice(authors) if rng.random() < 0.9 else "",
                published=published,
                text="\n\n".join(paragraphs),
                standfirst=standfirst,
                category=rng.choice(CATEGORIES),
                site=site,
                paywalled=rng.random() < 0.15,
                comment_count=None,
                extractor=f"profile:{site}",
                fetched_url=url,
                links=tuple(links),
            )
            archive.log_fetch(
                crawl_id=crawl, url=url, status=200, size=40000, outcome="article", elapsed_ms=90
            )
            article = tag(article, gazetteer)  # as the crawl's extraction does
            archive.save_article(article, crawl_id=crawl)
            if rng.random() < 0.25:
                comments = []
                for i in range(rng.randint(1, 12)):
                    text = words.paragraph(rng.randint(10, 80))
                    if rng.random() < 0.02:
                        text += f" Contact me at {words.some(1)[0]}{i}@example.org"
                    posted = moment + timedelta(hours=rng.randint(1, 400))
                    comments.append(
                        Comment(rng.choice(authors), posted.strftime("%Y-%m-%dT%H:%M:00"), text)
                    )
                archive.save_comments(
                    CommentThread(url, tuple(comments), fetched_url=url.replace("article", "c")),
                    crawl_id=crawl,
                )
            if progress and n % 5000 == 0:
                rate = n / (time.monotonic() - began)
                print(f"  {n:,} articles ({rate:,.0f}/s)", file=sys.stderr, flush=True)
        archive.finish_crawl(crawl, finish_reason="finished", counts={}, stats={})


def tagging_cost(db: Path, n: int = 5000) -> dict[str, float]:
    """What tagging costs the crawl per article (pages/tagging.py: forces and people, the
    gazetteer compiled once), on `n` of the archive's articles, against a baseline measured on
    the same texts in the same run: lower-casing each text and splitting it into words."""
    from pages.tagging import tag_text

    gazetteer = Gazetteer.load()
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        step = max(1, archive_size(db) // n)
        texts = conn.execute(
            "select title, standfirst, text from articles where rowid % ? = 0 limit ?", (step, n)
        ).fetchall()
    began = time.perf_counter()
    for title, standfirst, text in texts:
        tag_text(title, standfirst, text, gazetteer)
    tagging = (time.perf_counter() - began) / len(texts) * 1000
    began = time.perf_counter()
    for title, standfirst, text in texts:
        f"{title} {standfirst} {text}".lower().split()
    baseline = (time.perf_counter() - began) / len(texts) * 1000
    words = sum(len(t[2].split()) for t in texts) / len(texts)
    return {"ms": round(tagging, 3), "baseline_ms": round(baseline, 4),
            "ratio": round(tagging / baseline, 1), "articles": len(texts),
            "words": round(words)}  # fmt: skip


def archive_size(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            finished = conn.execute("select count(*) from crawls where finished is not null")
            if finished.fetchone()[0] == 0:
                return 0
            tagged = conn.execute("select count(*) from sqlite_master where name = 'people'")
            if (
                not tagged.fetchone()[0]
                or not conn.execute("select 1 from article_forces limit 1").fetchone()
            ):
                return 0  # written before tagging: rebuilt
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return 0


# --- the server and the requests --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen:
    cmd = [str(Path(sys.executable).parent / "police-archive"), "serve", str(db)]
    cmd += ["--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"police-archive serve exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("police-archive serve did not start within 60 s")


class Client:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)

    def close(self) -> None:
        self.conn.close()

    def get(self, path: str) -> tuple[int, float, int]:
        """Status, milliseconds to the last byte, body size."""
        began = time.perf_counter()
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        body = response.read()
        return response.status, (time.perf_counter() - began) * 1000, len(body)


def sample_paths(db: Path, rng: random.Random) -> dict[str, list[str]]:
    """The pages to request, per kind, from what is in the archive."""
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        n = conn.execute("select count(*) from articles").fetchone()[0]
        urls = [r[0] for r in conn.execute("select url from articles where rowid % 97 = 0")]
        frequent, rare = _search_words(conn)
        phrases = _phrases(conn, rng, 6)
        # forces from the most named to the rarely named
        ranked = [r[0] for r in conn.execute(
            "select force from article_forces group by force order by count(*) desc"
        )]  # fmt: skip
        forces = ranked[:4] + ranked[len(ranked) // 2 :: max(1, len(ranked) // 8)][:4]
    # What researchers look for: topic words (in 0.1 % to 10 % of articles), phrases, prefixes,
    # two words, OR and NOT. Words in most articles (like "police" in a police archive) are
    # measured apart: ranking every article costs more, and the target is for the usual searches.
    topical = [*rare[:14], "burglary", "knife", "custody", "federation", "taser", "pension"]
    queries = [
        *topical,
        *[f"{w}*" for w in ("burglar", "sentenc", "offic", "investigat")],
        *phrases,
        *[f"{a} {b}" for a, b in zip(rare[14:19], rare[19:24], strict=False)],
        "burglary OR robbery",
        "knife -crime",
    ]
    a = f"/{DATABASE}/articles"
    tables = [
        a,
        f"{a}?_next=NEXT",  # a later page: its token is looked up when measuring
        f"{a}?category=Justice",
        f"{a}?published__glob=2016*",
        f"{a}?published__glob=2019-03*",
        f"{a}?site=policeprofessional&paywalled=1",
        f"/{DATABASE}/comments",
    ]
    return {
        "search": [f"/{DATABASE}/search?{urlencode({'q': q})}" for q in queries],
        "search common": [f"/{DATABASE}/search?{urlencode({'q': q})}" for q in frequent[:5]],
        "table search": [f"{a}?{urlencode({'_search': q})}" for q in queries],
        "table": tables,
        "article": [
            f"/{DATABASE}/articles/{_tilde(u)}" for u in rng.sample(urls, min(40, len(urls)))
        ],
        # articles by force: the facets of all, then of one force, its list newest first
        "force facet": [
            f"/{DATABASE}/force_articles",
            *[f"/{DATABASE}/force_articles?{urlencode({'force': f})}" for f in forces[:4]],
            *[f"{a}?{urlencode({'_force': f})}" for f in forces[:4]],
            *[
                f"{a}?{urlencode({'_force': f, '_search': q})}"
                for f, q in zip(forces, topical, strict=False)
            ],
        ],
        "force page": [f"/-/force/{quote(f)}" for f in forces],
        "chart": [
            "/-/articles-per-month.svg",
            *[f"/-/articles-per-month.svg?{urlencode({'force': f})}" for f in forces[:6]],
            *[f"/-/articles-per-month.svg?{urlencode({'q': q})}" for q in topical[:6]],
        ],
        "_count": [str(n)],
    }


def _tilde(url: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(url)


def _search_words(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """Words in most articles, and topic words (in 0.1 % to 10 % of them), from the full-text
    index's vocabulary (fts5vocab; the terms are Porter stems, which match as words do)."""
    conn.execute("create virtual table temp.vocab using fts5vocab(main, 'articles_fts', 'row')")
    n = conn.execute("select count(*) from articles").fetchone()[0]
    rows = conn.execute("select term, doc from temp.vocab where length(term) > 3").fetchall()
    rows.sort(key=lambda r: (-r[1], r[0]))
    frequent = [t for t, doc in rows if doc > n / 2][:20:4]
    rare = [t for t, doc in rows if n / 1000 <= doc <= n / 10][::25][:24]
    return frequent, rare


def _phrases(conn: sqlite3.Connection, rng: random.Random, k: int) -> list[str]:
    """Two-word phrases from the text of articles (so that they match)."""
    phrases = []
    for (text,) in conn.execute("select text from articles where rowid % 1009 = 1 limit 50"):
        words = text.split()
        i = rng.randrange(len(words) - 1)
        phrases.append('"' + " ".join(w.strip(".,").lower() for w in words[i : i + 2]) + '"')
    return phrases[:k]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def measure(port: int, paths: dict[str, list[str]], requests: int) -> dict[str, dict]:
    client = Client(port)
    try:
        return _measure(client, paths, requests)
    finally:
        client.close()


def _measure(client: Client, paths: dict[str, list[str]], requests: int) -> dict[str, dict]:
    skip = min(1000, int(paths["_count"][0]) // 2)  # the later page: this many articles in
    client.conn.request("GET", f"/{DATABASE}/articles.json?_size={skip}&_nofacet=1&_col=title")
    token = json.loads(client.conn.getresponse().read())["next"]
    paths = {
        k: [p.replace("_next=NEXT", f"_next={quote(token)}") for p in v] for k, v in paths.items()
    }
    deadline = time.monotonic() + MEASURE_BUDGET_S
    kinds = [k for k in paths if not k.startswith("_")]
    for kind in kinds:  # warm-up: every page once
        for path in paths[kind]:
            client.get(path)
    results = {}
    for kind in kinds:
        times, sizes, errors = [], [], 0
        for i in range(requests):
            if time.monotonic() > deadline:
                break
            path = paths[kind][i % len(paths[kind])]
            status, ms, size = client.get(path)
            if status != 200:
                errors += 1
            times.append(ms)
            sizes.append(size)
        results[kind] = {
            "requests": len(times),
            "errors": errors,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1),
            "mean_kb": round(statistics.mean(sizes) / 1024, 1),
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="keep the synthetic archive here (reused)")
    parser.add_argument("--requests", type=int, default=300, help="per kind of page")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"datasette-bench-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    db = args.db or workdir / "bench.db"
    if archive_size(db) != args.articles:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        print(f"Building a synthetic archive of {args.articles:,} articles in {db}", flush=True)
        began = time.monotonic()
        build_archive(db, args.articles)
        print(f"  built in {time.monotonic() - began:.0f} s", flush=True)
    else:
        print(f"Reusing {db} ({args.articles:,} articles)", flush=True)
        Archive.open(db).close()  # brings its schema up to date (new indexes)
    size_mb = db.stat().st_size / 1e6
    tagging = tagging_cost(db)
    paths = sample_paths(db, random.Random(2))
    port = free_port()
    server = start_server(db, port, workdir / "serve.log")
    try:
        results = measure(port, paths, args.requests)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    print(f"\n{args.articles:,} articles, {size_mb:,.0f} MB, police-archive serve on 127.0.0.1")
    print(f"{'page':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'KiB':>8}")
    for kind, r in results.items():
        print(
            f"{kind:<14}{r['requests']:>9}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['max_ms']:>9}"
            f"{r['mean_kb']:>8}"
        )
    verdicts = {}
    for kind, target in TARGETS_MS.items():
        p95 = results[kind]["p95_ms"]
        ok = p95 <= target and results[kind]["errors"] == 0
        verdicts[kind] = {"p95_ms": p95, "target_ms": target, "pass": ok}
        print(f"target {kind} p95 <= {target:.0f} ms: {p95} ms {'PASS' if ok else 'FAIL'}")
    verdicts["tagging"] = {"ms": tagging["ms"], "target_ms": 1.0, "pass": tagging["ms"] < 1.0}
    print(
        f"tagging (forces and people) {tagging['ms']} ms an article of {tagging['words']} words "
        f"on average ({tagging['articles']:,} articles; {tagging['ratio']}x lower-casing and "
        f"splitting the same text): target < 1 ms "
        f"{'PASS' if verdicts['tagging']['pass'] else 'FAIL'}"
    )
    errors = sum(r["errors"] for r in results.values())
    if errors:
        print(f"{errors} requests did not answer 200 (see {workdir / 'serve.log'})")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"articles": args.articles, "db_mb": size_mb, "pages": results,
                 "tagging": tagging, "targets": verdicts},
                indent=2,
            )
        )  # fmt: skip
    if not args.db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    missed = errors or not all(v["pass"] for v in verdicts.values())
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
