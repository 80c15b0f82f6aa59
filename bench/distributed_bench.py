#!/usr/bin/env python
"""Benchmark: the distributed crawl (`police-archive worker` + `writer` on Redis) on one machine.

    python bench/distributed_bench.py [--articles 1000] [--memory-articles 10000] [--json FILE]
    python bench/distributed_bench.py --quick        # small sites: a smoke run, 1-2 minutes

It starts its own ``redis-server`` (a free port of 127.0.0.1, persisting nothing) and, for every
crawl, a fresh fixture site (``python -m sample_site --no-hazards``, read through its profile as
``www.policeoracle.localhost`` as bench/crawl_bench.py does by default; ``--origin`` for the site
at its address). Every crawl runs with the same settings (no delay, no AutoThrottle, 16 requests
at a time per site, WARC on) and must archive every reachable article: a run that misses one
(the memory runs: more than 0.1 %, `MEMORY_TOLERANCE`), or whose process fails, is reported as
failed and the exit status is 1.

1. **Throughput** (``--articles``, default 1,000): pages per second of the single-process
   ``police-archive crawl`` and of 1, 2 and 4 workers with one writer (``--workers``), each from
   spawning the processes to the last one's exit (everything stored), on the same site and
   machine, in the same invocation; ratios against the single crawl. On one machine this shows
   what the distributed mode costs, not a speed-up.
2. **Memory** (``--memory-articles``, default 10,000): the peak RSS of the single crawl's process
   and of one worker's (``wait4``'s ``ru_maxrss``: the kernel's high-water mark), and of each
   one's whole process tree (summed RSS and PSS, sampled from /proc), crawling the whole site.
   The worker runs without a writer, so the Redis stream ends up holding every fetch of the
   crawl: the queue's, the seen set's and the stream's memory per entry are read from Redis
   (``MEMORY USAGE``) as the crawl goes.
3. **The writer**: that stream (the items of a real crawl) drained by ``police-archive writer
   --until-done``: entries and rows (every table but the full-text index's) per second, over the
   process's wall time and over its own time spent storing and committing
   (``writer/write_seconds``); then ``police-archive publish`` of that archive, timed.
4. **Redis per URL** (``--redis-urls``, default 50,000): requests shaped like a force news
   site's (URLs of about 125 characters, an anchor and a referrer in the request's step) queued
   through the crawl's own Lua script (crawler/redisqueue.py): ``INFO memory`` ``used_memory``
   before, after, and after deleting the queue (what is left is the seen set), divided by N.
5. **Sizes**: archive bytes per article (by table too, from SQLite's ``dbstat``) and WARC bytes
   per page of the largest crawls, and, when ../shared/corpora is there, the size of real news
   pages (the article extraction benchmark's 181 pages) raw and gzipped, to scale the fixture's
   small pages to real ones.

CPU and memory come from /proc and ``os.wait4`` (bench/process_group.py, on bench/crawl_bench.py's
/proc readers): the benchmark is a child subreaper, so orphaned extraction workers are reaped here
and their CPU counted. Redis's own CPU is counted apart; its figures: bench/redis_figures.py. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package
from crawl_bench import (  # noqa: E402
    MIB,
    POLITENESS,
    REPO,
    FixtureServer,
    _tool,
    become_subreaper,
    loopback_env,
)
from process_group import run_group  # noqa: E402
from redis_figures import RedisProbe, RedisServer, redis_per_url  # noqa: E402

CLI = _tool("police-archive", ["-c", "from police_archive.cli import main; main()"])
CORPUS = REPO.parent / "shared" / "corpora" / "article-extraction-benchmark"
FTS_SHADOW = ("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config", "_fts_content")


# --- commands and what a run leaves ---------------------------------------------------------

QUIET = ["-s", "LOG_LEVEL=WARNING"]


def crawl_command(seeds: list[str]) -> list[str]:
    return [*CLI, "crawl", *seeds, "--db", "archive.db", *POLITENESS, "--no-progress", *QUIET]


def worker_command(seeds: list[str], url: str, crawl: str, n: int, args) -> list[str]:
    return [
        *CLI,
        "worker",
        *seeds,
        "--redis",
        url,
        "--crawl",
        crawl,
        "--max-idle",
        str(args.max_idle),
        "--stats",
        f"worker{n}.json",
        *POLITENESS,
        *QUIET,
        "-s",
        "WARC_DIR=warc",
    ]


def writer_command(url: str, crawl: str) -> list[str]:
    return [
        *CLI,
        "writer",
        "--redis",
        url,
        "--crawl",
        crawl,
        "--db",
        "archive.db",
        "--until-done",
        "--stats",
        "writer.json",
    ]


def archive_figures(run_dir: Path) -> dict:
    """Articles, rows by table (the full-text index's apart), bytes, of the run's archive."""
    db = run_dir / "archive.db"
    if not db.exists():
        return {"articles": 0, "rows": 0}
    with contextlib.closing(sqlite3.connect(db)) as conn:
        names = [n for (n,) in conn.execute("select name from sqlite_master where type='table'")]
        tables = {
            n: conn.execute(f"select count(*) from [{n}]").fetchone()[0]
            for n in names
            if not n.startswith("sqlite_") and not n.endswith(FTS_SHADOW)
        }
        fts = sum(
            conn.execute(f"select count(*) from [{n}]").fetchone()[0]
            for n in names
            if n.endswith("_fts")
        )
        text = conn.execute("select avg(length(text)) from articles").fetchone()[0]
        layout = bytes_by_table(conn)
    size = sum(p.stat().st_size for p in run_dir.glob("archive.db*") if p.suffix != ".lock")
    return {
        "articles": tables.get("articles", 0),
        "rows": sum(tables.values()),
        "rows_by_table": tables,
        "fts_documents": fts,
        "archive_bytes": size,
        "article_text_chars": round(text or 0),
        "bytes_by_table": layout,
    }


def bytes_by_table(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes of each table with its indexes (a full-text index with its shadow tables), from
    SQLite's dbstat; empty when this SQLite has no dbstat."""
    try:
        found = conn.execute(
            "select coalesce(m.tbl_name, d.name), sum(d.pgsize) from dbstat d "
            "left join sqlite_master m on m.name = d.name group by 1"
        ).fetchall()
    except sqlite3.OperationalError:
        return {}
    out: Counter[str] = Counter()
    for name, size in found:
        for suffix in FTS_SHADOW[1:]:
            name = name.removesuffix(suffix) + "_fts" if name.endswith(suffix) else name
        out[name] += size
    return dict(out.most_common())


def warc_bytes(run_dir: Path) -> int:
    return sum(p.stat().st_size for p in (run_dir / "warc").rglob("*") if p.is_file())


def site_log(server: FixtureServer) -> dict:
    """The fixture server's log: pages answered, fetched twice, the span of the fetches."""
    requests = server.requests()
    paths = Counter(
        (r.get("host"), r.get("path")) for r in requests if r.get("path") != "/robots.txt"
    )
    times = [r["time"] for r in requests if "time" in r]
    return {
        "pages": len(requests),
        "fetched_twice": sum(1 for n in paths.values() if n > 1),
        "fetch_span_s": (max(times) - min(times)) if times else 0.0,
    }


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


# --- one crawl ------------------------------------------------------------------------------


def run_crawl(
    mode: str,
    workers: int,
    articles: int,
    args,
    work: Path,
    redis_server: RedisServer,
    *,
    writer: bool = True,
    usage: bool = False,
    tolerance: float = 0.0,
) -> dict:
    """One measured crawl: `mode` "crawl" (single process) or "distributed" (`workers` workers,
    with a writer started beside them unless `writer` is False). It must archive every reachable
    article, or all but a `tolerance` share of them (said in `missing`)."""
    label = "crawl" if mode == "crawl" else f"{workers} worker(s)" + ("" if writer else " alone")
    run_dir = work / f"{len(list(work.iterdir())):02d}-{label.replace(' ', '-')}"
    run_dir.mkdir()
    crawl = f"bench{len(list(work.iterdir()))}"
    redis_server.client.flushdb()
    server = FixtureServer(articles, args.seed, run_dir, origin=args.origin)
    env = loopback_env(server.info["proxy_url"])
    seeds = server.info["seeds"]
    if mode == "crawl":
        specs = [("crawl", crawl_command(seeds))]
    else:
        specs = [("writer", writer_command(redis_server.url, crawl))] if writer else []
        specs += [
            (f"worker{n}", worker_command(seeds, redis_server.url, crawl, n, args))
            for n in range(1, workers + 1)
        ]
    probe = RedisProbe(redis_server, crawl, usage=usage) if mode != "crawl" else None
    redis_cpu = redis_server.cpu_s()
    print(f"  {label} on {articles} articles ...", file=sys.stderr, flush=True)
    try:
        group = run_group(
            specs,
            cwd=run_dir,
            env=env,
            exclude={server.pid, redis_server.pid},
            interval=args.interval,
            timeout=args.timeout,
            probe=probe,
        )
        time.sleep(0.2)  # the server's last log lines
        log = site_log(server)
    finally:
        server.stop()
    result: dict = {
        "mode": mode,
        "label": label,
        "workers": workers if mode != "crawl" else 0,
        "crawl_name": crawl,
        "expected": server.info["expected"],
        "dir": run_dir.name,
        **asdict(group),
        **log,
        "redis_cpu_s": redis_server.cpu_s() - redis_cpu,
    }
    result["load_average_1min"] = os.getloadavg()[0]  # the machine is shared: how busy it was
    if probe is not None:
        result["redis_peak"] = dict(probe.peak)
        if probe.errors:  # figures missed, said
            result["redis_probe_errors"] = probe.errors[:5]
    result.update(archive_figures(run_dir) if writer else {"articles": None})
    result["warc_bytes"] = warc_bytes(run_dir)
    stats = [read_json(run_dir / f"worker{n}.json") for n in range(1, workers + 1)]
    if stats:
        result["worker_pages"] = [s.get("response_received_count", 0) for s in stats]
        result["response_bytes"] = sum(s.get("downloader/response_bytes", 0) for s in stats)
    if writer and mode != "crawl":
        wstats = read_json(run_dir / "writer.json")
        result["writer_entries"] = wstats.get("writer/entries")
        result["writer_entries_per_s"] = wstats.get("writer/entries_per_second")
    pages = result["pages"]
    result["pages_per_s"] = pages / group.wall_s if group.wall_s else None
    result["cpu_ms_per_page"] = 1000 * group.cpu_s / pages if pages else None
    result["warc_bytes_per_page"] = result["warc_bytes"] / pages if pages else None
    if result.get("articles"):
        result["archive_bytes_per_article"] = result["archive_bytes"] / result["articles"]
    result["missing"] = max(0, result["expected"] - (result["articles"] or 0)) if writer else None
    complete = not writer or result["missing"] <= tolerance * result["expected"]
    result["ok"] = not group.failed and complete
    if not result["ok"]:
        why = group.failed or f"{result['articles']} of {result['expected']} articles archived"
        result["failure"] = why
        print(f"  {label} FAILED: {why} (logs in {run_dir})", file=sys.stderr)
    elif result["missing"]:
        print(f"  {label}: {result['missing']} reachable article(s) not archived", file=sys.stderr)
    return result


def drain(run_dir: Path, crawl: str, args, redis_server: RedisServer) -> dict:
    """Time `police-archive writer` draining the stream a crawl left in Redis."""
    entries = redis_server.client.xlen(f"pna:{crawl}:items")
    stream_bytes = redis_server.usage(f"pna:{crawl}:items")
    print(f"  the writer draining {entries} entries ...", file=sys.stderr, flush=True)
    group = run_group(
        [("writer", writer_command(redis_server.url, crawl))],
        cwd=run_dir,
        env=loopback_env("http://127.0.0.1:9"),
        exclude={redis_server.pid},
        interval=args.interval,
        timeout=args.timeout,
    )
    stats = read_json(run_dir / "writer.json")
    figures = archive_figures(run_dir)
    write_s = float(stats.get("writer/write_seconds", 0) or 0)
    stored = int(stats.get("writer/entries", 0) or 0)
    rows = figures["rows"]
    return {
        "entries_in_stream": entries,
        "stream_bytes": stream_bytes,
        "stream_bytes_per_entry": stream_bytes / entries if entries else None,
        "wall_s": group.wall_s,
        "cpu_s": group.cpu_s,
        "failed": group.failed,
        "peak_rss_mib": group.procs["writer"].maxrss_mib,
        "entries": stored,
        "batches": stats.get("writer/batches"),
        "write_seconds": write_s,
        "entries_per_s_wall": stored / group.wall_s if group.wall_s else None,
        "entries_per_s_writing": stored / write_s if write_s else None,
        "rows_per_s_wall": rows / group.wall_s if group.wall_s else None,
        "rows_per_s_writing": rows / write_s if write_s else None,
        "rows_per_entry": rows / stored if stored else None,
        **figures,
    }


def real_pages() -> dict | None:
    """Raw and gzipped size of real news pages, and their article text (../shared/corpora)."""
    pages = sorted((CORPUS / "html").glob("*.html.gz")) if CORPUS.is_dir() else []
    if not pages:
        return None
    raw = [gzip.decompress(p.read_bytes()) for p in pages]
    packed = [len(gzip.compress(r, 6)) for r in raw]
    truth = read_json(CORPUS / "ground-truth.json")
    texts = [len(v.get("articleBody", "")) for v in truth.values()]
    return {
        "pages": len(raw),
        "html_bytes_mean": statistics.mean(map(len, raw)),
        "html_bytes_median": statistics.median(map(len, raw)),
        "gzip_bytes_mean": statistics.mean(packed),
        "gzip_bytes_median": statistics.median(packed),
        "article_text_chars_mean": statistics.mean(texts) if texts else None,
    }


# --- the phases -----------------------------------------------------------------------------


def throughput(args, work: Path, redis_server: RedisServer) -> list[dict]:
    modes = [("crawl", 0)] + [("distributed", n) for n in args.workers]
    runs = []
    for i in range(args.repeat):
        for mode, n in modes if i % 2 == 0 else modes[::-1]:  # neither always first
            runs.append(run_crawl(mode, n, args.articles, args, work, redis_server))
    return runs


SUMMARY_KEYS = (
    "pages_per_s",
    "wall_s",
    "fetch_span_s",
    "cpu_s",
    "cpu_ms_per_page",
    "redis_cpu_s",
    "peak_rss_mib",
    "peak_pss_mib",
    "pages",
    "fetched_twice",
    "articles",
    "rows",
    "archive_bytes_per_article",
    "warc_bytes_per_page",
    "writer_entries_per_s",
)


def summarise(runs: list[dict]) -> dict:
    summary: dict = {}
    for label in dict.fromkeys(r["label"] for r in runs):
        mine = [r for r in runs if r["label"] == label and r["ok"]]
        summary[label] = {k: _median([r.get(k) for r in mine]) for k in SUMMARY_KEYS}
        summary[label]["stream_backlog_peak"] = _median(
            [r["redis_peak"].get("stream") for r in mine if "redis_peak" in r]
        )
        summary[label]["runs"] = len(mine)
    base = summary.get("crawl", {}).get("pages_per_s")
    for values in summary.values():
        pages_per_s = values["pages_per_s"]
        values["pages_per_s_ratio"] = pages_per_s / base if base and pages_per_s else None
    return summary


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# The memory runs measure a process's size, not a speed: one that misses a few articles of
# 10,000 through the crawler's own bounds (RELATED_DEPTH_LIMIT) still measures it; the report
# says how many.
MEMORY_TOLERANCE = 0.001


def memory(args, work: Path, redis_server: RedisServer) -> dict:
    """The single crawl and one worker on the big site; the worker's stream, drained; the
    archive published."""
    n = args.memory_articles
    crawl = run_crawl("crawl", 0, n, args, work, redis_server, tolerance=MEMORY_TOLERANCE)
    worker = run_crawl("distributed", 1, n, args, work, redis_server, writer=False, usage=True)
    name, client = worker["crawl_name"], redis_server.client
    seen = client.scard(f"pna:{name}:dupefilter")
    seen_bytes = redis_server.usage(f"pna:{name}:dupefilter")
    peak = worker.get("redis_peak", {})
    queued_at = peak.get("queued_at_bytes") or 0
    redis_crawl = {
        "seen": seen,
        "seen_bytes": seen_bytes,
        "bytes_per_seen": seen_bytes / seen if seen else None,
        "queued_peak": peak.get("queued"),
        "queued_bytes_at": queued_at,
        "bytes_per_queued": peak.get("queued_bytes", 0) / queued_at if queued_at else None,
        "used_memory_peak": peak.get("used_memory"),
    }
    written = drain(work / worker["dir"], name, args, redis_server)
    written["expected"] = worker["expected"]
    written["missing"] = max(0, worker["expected"] - written["articles"])
    written["ok"] = not written["failed"] and written["missing"] <= MEMORY_TOLERANCE * n
    if not written["ok"]:
        print(f"  the writer FAILED: {written['failed'] or 'articles missing'}", file=sys.stderr)
    worker.update(
        missing=written["missing"],
        articles=written["articles"],
        archive_bytes=written["archive_bytes"],
        archive_bytes_per_article=written["archive_bytes"] / written["articles"]
        if written["articles"]
        else None,
    )

    def peaks(run: dict, name: str) -> dict:
        proc = run["procs"][name]
        return {
            "process_peak_rss_mib": proc["maxrss_mib"],
            "tree_peak_rss_mib": proc["tree_rss_mib"],
            "tree_peak_pss_mib": proc["tree_pss_mib"],
            "wall_s": run["wall_s"],
            "pages": run["pages"],
            "missing": run.get("missing"),
            "ok": run["ok"],
        }

    return {
        "articles": n,
        "crawl": peaks(crawl, "crawl"),
        "worker": peaks(worker, "worker1"),
        "redis_from_crawl": redis_crawl,
        "writer": written,
        "publish": publish(work / worker["dir"], args, redis_server),
        "runs": [crawl, worker],
    }


def publish(run_dir: Path, args, redis_server: RedisServer) -> dict:
    """Time `police-archive publish` (VACUUM INTO, e-mail addresses masked, indexes optimised)
    on the writer's archive: what a snapshot of a big archive costs."""
    print("  publishing the writer's archive ...", file=sys.stderr, flush=True)
    command = [*CLI, "publish", "archive.db", "snapshot.db"]
    env = loopback_env("http://127.0.0.1:9")
    group = run_group(
        [("publish", command)],
        cwd=run_dir,
        env=env,
        exclude={redis_server.pid},  # not ours to stop
        interval=args.interval,
        timeout=args.timeout,
    )
    size = sum(p.stat().st_size for p in run_dir.glob("archive.db*") if p.suffix != ".lock")
    snapshot = run_dir / "snapshot.db"
    out = {
        "wall_s": group.wall_s,
        "cpu_s": group.cpu_s,
        "failed": group.failed,
        "archive_bytes": size,
        "snapshot_bytes": snapshot.stat().st_size if snapshot.exists() else 0,
    }
    out["mib_per_s"] = size / MIB / group.wall_s if group.wall_s else None
    return out


def growth(figures: dict) -> dict:
    """Peak RSS per page fetched, between the throughput site and the memory site: what one
    process keeps per page of its crawl (the frontier, the seen set, what the spider learns)."""
    out = {}
    for label, proc, name in (("crawl", "crawl", "crawl"), ("1 worker(s)", "worker1", "worker")):
        small = [r for r in figures.get("runs", []) if r["label"] == label and r["ok"]]
        big = figures["memory"]["runs"][0 if name == "crawl" else 1]
        if not small:
            continue
        rss = _median([r["procs"][proc]["maxrss_mib"] for r in small])
        pages = _median([r["pages"] for r in small])
        big_rss, big_pages = big["procs"][proc]["maxrss_mib"], big["pages"]
        if rss is not None and pages and big_pages > pages:
            out[name] = {
                "small_pages": pages,
                "small_peak_rss_mib": rss,
                "big_pages": big_pages,
                "big_peak_rss_mib": big_rss,
                "kib_per_page": (big_rss - rss) * 1024 / (big_pages - pages),
            }
    return out


# --- report ---------------------------------------------------------------------------------


def _f(value, fmt: str = "{:.1f}") -> str:
    return "-" if value is None else fmt.format(value)


def print_report(figures: dict) -> None:
    config = figures["config"]
    print(
        f"\nDistributed crawl benchmark: {config['cpus']} CPUs, Redis {config['redis']}, "
        f"{'origin mode' if config['origin'] else 'proxy mode (profile)'}"
    )
    if runs := figures.get("runs"):
        print(
            f"\n1. Throughput on {config['articles']} articles (spawn to last exit, everything "
            f"stored; medians of {config['repeat']}):"
        )
        head = f"  {'':<14}{'pages/s':>8}{'x crawl':>8}{'wall s':>8}{'CPU s':>7}{'ms/page':>8}"
        print(
            head + f"{'Redis s':>8}{'RSS MiB':>8}{'pages':>7}{'twice':>6}{'articles':>9}"
            f"{'backlog':>8}"
        )
        for label, s in figures["summary"].items():
            print(
                f"  {label:<14}{_f(s['pages_per_s']):>8}{_f(s['pages_per_s_ratio'], '{:.2f}'):>8}"
                f"{_f(s['wall_s']):>8}{_f(s['cpu_s']):>7}{_f(s['cpu_ms_per_page']):>8}"
                f"{_f(s['redis_cpu_s'], '{:.2f}'):>8}{_f(s['peak_rss_mib'], '{:.0f}'):>8}"
                f"{_f(s['pages'], '{:.0f}'):>7}{_f(s['fetched_twice'], '{:.0f}'):>6}"
                f"{_f(s['articles'], '{:.0f}'):>9}{_f(s['stream_backlog_peak'], '{:.0f}'):>8}"
            )
        failed = [r["label"] for r in runs if not r["ok"]]
        if failed:
            print(f"  FAILED runs (left out): {failed}")
    if mem := figures.get("memory"):
        print(f"\n2. Peak memory crawling {mem['articles']} articles (MiB):")
        print(
            f"  {'':<22}{'process RSS':>12}{'tree RSS':>10}{'tree PSS':>10}{'wall s':>8}"
            f"{'pages':>7}{'missing':>8}{'KiB/page':>9}"
        )
        for name in ("crawl", "worker"):
            m = mem[name]
            print(
                f"  {name + (' (no writer)' if name == 'worker' else ''):<22}"
                f"{m['process_peak_rss_mib']:>12.0f}{m['tree_peak_rss_mib']:>10.0f}"
                f"{m['tree_peak_pss_mib']:>10.0f}{m['wall_s']:>8.1f}{m['pages']:>7}"
                f"{_f(m['missing'], '{:.0f}'):>8}"
                f"{_f(mem.get('growth', {}).get(name, {}).get('kib_per_page'), '{:.2f}'):>9}"
            )
        print(
            "  (KiB/page: the process's peak RSS over the throughput site's, per page more; "
            "missing: reachable articles not archived)"
        )
        rc = mem["redis_from_crawl"]
        print(
            f"  Redis, that crawl: {rc['seen']} seen, {_f(rc['bytes_per_seen'], '{:.0f}')} B each; "
            f"queue peak {rc['queued_peak']}, {_f(rc['bytes_per_queued'], '{:.0f}')} B each"
        )
        w = mem["writer"]
        print(
            f"\n3. The writer draining that crawl's stream ({w['entries_in_stream']} entries, "
            f"{_f(w['stream_bytes_per_entry'], '{:.0f}')} B each in Redis):"
        )
        print(
            f"  {w['entries']} entries, {w['rows']} rows ({_f(w['rows_per_entry'], '{:.1f}')} "
            f"per entry) in {w['wall_s']:.1f} s wall, {w['write_seconds']:.1f} s writing"
        )
        print(
            f"  entries/s {_f(w['entries_per_s_wall'], '{:.0f}')} wall, "
            f"{_f(w['entries_per_s_writing'], '{:.0f}')} writing; rows/s "
            f"{_f(w['rows_per_s_wall'], '{:.0f}')} wall, {_f(w['rows_per_s_writing'], '{:.0f}')}"
            f" writing; peak RSS {w['peak_rss_mib']:.0f} MiB"
        )
        pub = mem["publish"]
        print(
            f"  police-archive publish of that archive ({pub['archive_bytes'] / MIB:.0f} MiB): "
            f"{pub['wall_s']:.1f} s, {_f(pub['mib_per_s'])} MiB/s {pub['failed']}"
        )
    if red := figures.get("redis"):
        print(
            f"\n4. Redis per URL ({red['urls']} requests, URLs of {red['url_chars']:.0f} chars, "
            f"pickled requests of {red['request_pickle_bytes']:.0f} B):"
        )
        print(
            f"  queued {red['bytes_per_queued']:.0f} B, seen {red['bytes_per_seen']:.0f} B "
            f"(used_memory); MEMORY USAGE: {red['memory_usage_per_queued']:.0f} B, "
            f"{red['memory_usage_per_seen']:.0f} B"
        )
    sizes = figures.get("sizes", {})
    print("\n5. Sizes:")
    for name, value in sizes.items():
        if name != "real_pages":
            if isinstance(value, dict):
                parts = ", ".join(f"{k} {v:.0f}" for k, v in list(value.items())[:8])
                print(f"  {name}: {parts}")
            else:
                print(f"  {name:<42}{_f(value, '{:.0f}')}")
    if real := sizes.get("real_pages"):
        print(
            f"  real news pages ({real['pages']}): HTML {real['html_bytes_mean']:.0f} B mean, "
            f"gzip {real['gzip_bytes_mean']:.0f} B; article text "
            f"{real['article_text_chars_mean']:.0f} chars"
        )


def sizes(figures: dict) -> dict:
    runs = figures.get("runs", []) + figures.get("memory", {}).get("runs", [])
    ok = [r for r in runs if r["ok"]]
    out: dict = {}
    for kind in ("crawl", "distributed"):
        mine = [r for r in ok if r["mode"] == kind]
        big = max(mine, key=lambda r: r["expected"], default=None)
        if big is None:
            continue
        out[f"{kind}: archive bytes / article"] = big.get("archive_bytes_per_article")
        out[f"{kind}: WARC bytes / page"] = big.get("warc_bytes_per_page")
        if big.get("response_bytes"):
            out[f"{kind}: response bytes / page"] = big["response_bytes"] / big["pages"]
        if big.get("article_text_chars"):
            out[f"{kind}: article text chars"] = big["article_text_chars"]
        if kind == "crawl" and big.get("bytes_by_table") and big.get("articles"):
            out["crawl: archive bytes / article, by table"] = {
                k: v / big["articles"] for k, v in big["bytes_by_table"].items()
            }
    out["real_pages"] = real_pages()
    return out


# --- main -----------------------------------------------------------------------------------

PHASES = ("throughput", "memory", "redis")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="site size for throughput")
    parser.add_argument(
        "--memory-articles",
        type=int,
        default=10_000,
        help="site size for the memory and writer figures",
    )
    parser.add_argument("--redis-urls", type=int, default=50_000, help="requests queued in Redis")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=1, help="throughput runs of each")
    parser.add_argument("--seed", type=int, default=1, help="fixture site seed")
    parser.add_argument("--max-idle", type=float, default=1.0, help="the workers' --max-idle")
    parser.add_argument("--interval", type=float, default=0.25, help="/proc sampling period, s")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per crawl")
    parser.add_argument("--skip", action="append", default=[], choices=PHASES)
    parser.add_argument("--origin", action="store_true", help="the site at its address")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--json", metavar="FILE", help="write every figure here")
    parser.add_argument("--keep", metavar="DIR", help="keep each run's files in DIR")
    args = parser.parse_args(argv)
    args.workers = [int(n) for n in args.workers.split(",") if n.strip()]
    if args.quick:
        args.articles, args.memory_articles = min(args.articles, 40), min(args.memory_articles, 60)
        args.redis_urls, args.repeat = min(args.redis_urls, 2000), 1
    if not become_subreaper():
        print("warning: not a child subreaper; orphaned processes' CPU is missed", file=sys.stderr)
    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="distributed-bench-"))
    runs_dir = work / "runs"
    runs_dir.mkdir(exist_ok=True)
    code = "import scrapy, scrapy_redis, trafilatura, sqlite_utils, crawler.distributed"
    if {"throughput", "memory"} - set(args.skip):  # crawls to come: a warm page cache
        subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False)
    redis_server = RedisServer(work)
    figures: dict = {
        "config": {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "redis": redis_server.version,
            "python": sys.version.split()[0],
            "articles": args.articles,
            "memory_articles": args.memory_articles,
            "redis_urls": args.redis_urls,
            "workers": args.workers,
            "repeat": args.repeat,
            "seed": args.seed,
            "origin": args.origin,
            "max_idle_s": args.max_idle,
            "interval_s": args.interval,
            "settings": POLITENESS,
        }
    }
    started = time.perf_counter()
    try:
        if "throughput" not in args.skip:
            print("1. throughput", file=sys.stderr)
            figures["runs"] = throughput(args, runs_dir, redis_server)
            figures["summary"] = summarise(figures["runs"])
        if "memory" not in args.skip:
            print("2-3. memory and the writer", file=sys.stderr)
            figures["memory"] = memory(args, runs_dir, redis_server)
        if "redis" not in args.skip:
            print("4. Redis per URL", file=sys.stderr)
            figures["redis"] = redis_per_url(redis_server, args.redis_urls, args.seed)
    finally:
        redis_server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if "memory" in figures:
        figures["memory"]["growth"] = growth(figures)
    figures["sizes"] = sizes(figures)
    figures["config"]["bench_seconds"] = time.perf_counter() - started
    figures["config"]["children_cpu_s"] = _children_cpu()
    print_report(figures)
    ok = all(r["ok"] for r in figures.get("runs", []) + figures.get("memory", {}).get("runs", []))
    ok = ok and figures.get("memory", {}).get("writer", {}).get("ok", True)
    figures["ok"] = ok
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=str) + "\n")
    if not ok:
        print("\nSOME RUNS FAILED or missed articles: their figures prove nothing", file=sys.stderr)
    return 0 if ok else 1


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


if __name__ == "__main__":
    sys.exit(main())
