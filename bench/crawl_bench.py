#!/usr/bin/env python
"""Benchmark: `police-archive crawl` against the one-file baseline spider, on the fixture site.

    python bench/crawl_bench.py [--articles 300] [--repeat 1] [--json FILE] [--check]

Each run starts a fresh fixture server (``python -m sample_site --no-hazards``, a separate process
whose CPU is not counted), runs one crawler against it as a subprocess and measures:

- wall seconds, from spawning the crawler to its exit;
- CPU seconds (user + sys) of the crawler and every descendant (extraction workers, the
  multiprocessing fork server, the resource tracker). The benchmark makes itself a child
  subreaper (Linux ``PR_SET_CHILD_SUBREAPER``), so descendants orphaned by their parent are
  reparented to it and reaped with ``os.wait4``; the figure is the sum of the ``wait4`` rusages,
  checked against the ``RUSAGE_CHILDREN`` delta and against /proc sampling;
- peak memory: the maximum over time of the summed RSS (and PSS) of the process tree, sampled
  from /proc every ``--interval`` seconds;
- articles: ours, ``count(*)`` of the archive's articles; the baseline, lines of its JSON-lines
  feed and the distinct article ids among them (CPU per article uses the distinct count);
- requests the fixture server answered (its request log): CPU per page fetched.

Runs alternate the order (ours first, then the baseline first, ...). The figures compared are the
medians over ``--repeat`` runs. Targets: CPU per article <= 1/3 of the baseline's, wall time
<= 1/2. Exit status 0 unless ``--check`` is given and a target is missed (or a run failed, or our
crawler did not archive every reachable article). See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import resource
import select
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parent.parent
BASELINE_SPIDER = REPO / "bench" / "baseline_spider.py"
BIN = Path(sys.executable).parent

# Politeness settings, the same for both crawlers (the fixture is our own server).
POLITENESS = [
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
]  # fmt: skip
CPU_TARGET = 1 / 3  # ours/baseline, CPU seconds per distinct article
WALL_TARGET = 1 / 2  # ours/baseline, wall seconds
ARTICLE_PATHS = ("/news/article.cfm", "/news/print.cfm")  # pages holding an article's text

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Have orphaned descendants reparented to this process (so their rusage can be reaped)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


# --- /proc sampling -------------------------------------------------------------------------


@dataclass
class ProcStat:
    pid: int
    ppid: int
    state: str
    start: int  # start time in clock ticks after boot: (pid, start) identifies a process
    cpu_ticks: int  # utime + stime of the process itself (not of its children)
    rss_pages: int


def read_stat(pid: int) -> ProcStat | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2 :].split()  # fields[n - 3] is field n of proc(5)
    return ProcStat(
        pid=pid,
        ppid=int(fields[1]),
        state=fields[0].decode(),
        start=int(fields[19]),
        cpu_ticks=int(fields[11]) + int(fields[12]),
        rss_pages=int(fields[21]),
    )


def read_pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def read_cmdline(pid: int, limit: int = 160) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            raw = f.read()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()[:limit]


class TreeSampler:
    """Samples the processes descended from this one, minus `exclude` (the fixture server)."""

    def __init__(self, exclude: set[int]):
        self.me = os.getpid()
        self.exclude = exclude
        self.cpu_ticks: dict[tuple[int, int], int] = {}  # last seen, per process
        self.names: dict[tuple[int, int], str] = {}  # command line, per process
        self.peak_rss = 0
        self.peak_pss = 0
        self.max_procs = 0
        self.samples = 0

    def sample(self) -> list[ProcStat]:
        """One sample; returns the processes of the tree (zombies included)."""
        by_parent: dict[int, list[ProcStat]] = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                st = read_stat(int(name))
                if st is not None:
                    by_parent.setdefault(st.ppid, []).append(st)
        members: list[ProcStat] = []
        todo = [self.me]
        while todo:
            for st in by_parent.get(todo.pop(), []):
                if st.pid not in self.exclude:
                    members.append(st)
                    todo.append(st.pid)
        rss = pss = 0
        for st in members:
            key = (st.pid, st.start)
            self.cpu_ticks[key] = st.cpu_ticks
            if key not in self.names:
                self.names[key] = read_cmdline(st.pid)
            if st.state != "Z":
                rss += st.rss_pages * PAGE_SIZE
                pss += read_pss_kib(st.pid) * 1024
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.max_procs = max(self.max_procs, sum(st.state != "Z" for st in members))
        self.samples += 1
        return members

    @property
    def cpu_s(self) -> float:
        return sum(self.cpu_ticks.values()) / CLOCK_TICKS

    def by_process(self) -> list[dict]:
        """Sampled CPU per process of the tree, in order of appearance."""
        return [
            {"pid": pid, "cmd": self.names.get((pid, start), ""), "cpu_s": ticks / CLOCK_TICKS}
            for (pid, start), ticks in self.cpu_ticks.items()
        ]


# --- one measured subprocess ----------------------------------------------------------------


@dataclass
class Measured:
    returncode: int | None
    timed_out: bool
    wall_s: float
    cpu_s: float  # the figure used: wait4 rusages, or sampling if that saw more (cpu_source)
    cpu_source: str
    cpu_wait4_s: float  # sum of os.wait4 rusages (user + sys) of the crawler and reaped orphans
    cpu_children_delta_s: float  # RUSAGE_CHILDREN delta over the run
    cpu_sampled_s: float  # sum over processes of the last /proc utime + stime seen
    peak_rss_mib: float
    peak_pss_mib: float
    processes_seen: int
    max_processes: int
    orphans_reaped: int
    samples: int
    cpu_by_process: list[dict]  # sampled, per process: {pid, cmd, cpu_s}


def _cpu(ru: resource.struct_rusage) -> float:
    return ru.ru_utime + ru.ru_stime


def measure(
    cmd: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    out_dir: Path,
    exclude: set[int],
    interval: float,
    timeout: float,
    linger: float = 20.0,
) -> Measured:
    """Run `cmd`, sampling its process tree, until it and every descendant have exited."""
    sampler = TreeSampler(exclude)
    before = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
    stdout = open(out_dir / "stdout.txt", "wb")  # noqa: SIM115 - closed below
    stderr = open(out_dir / "stderr.txt", "wb")  # noqa: SIM115
    main_done = threading.Event()
    main_result: dict[str, object] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr
    )

    def wait_main() -> None:  # exact end time and rusage of the crawler's main process
        _, status, ru = os.wait4(proc.pid, 0)
        main_result.update(end=time.perf_counter(), status=status, cpu=_cpu(ru))
        main_done.set()

    waiter = threading.Thread(target=wait_main, daemon=True)
    waiter.start()
    cpu_wait4 = 0.0
    orphans = 0
    timed_out = False
    main_exit: float | None = None
    try:
        while True:
            members = sampler.sample()
            # reap descendants orphaned to us (the crawler's own pid is the waiter's)
            for st in members:
                if st.ppid == sampler.me and st.pid != proc.pid:
                    try:
                        pid, _, ru = os.wait4(st.pid, os.WNOHANG)
                    except ChildProcessError:
                        continue
                    if pid:
                        cpu_wait4 += _cpu(ru)
                        orphans += 1
            now = time.perf_counter()
            if main_done.is_set():
                main_exit = main_exit or now
                alive = [st for st in members if st.pid != proc.pid]
                if not alive:
                    break
                if now - main_exit > linger:  # descendants outliving the crawler: stop them
                    _kill(alive)
            elif now - start > timeout:
                timed_out = True
                _kill(members)
            time.sleep(interval)
    finally:
        if not main_done.is_set():
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
        waiter.join()
        stdout.close()
        stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(main_result["status"])  # reaped by the waiter
    cpu_wait4 += main_result["cpu"]
    after = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
    sampled = sampler.cpu_s
    cpu, source = cpu_wait4, "wait4"
    if sampled > cpu_wait4 * 1.1 + 0.25:  # something escaped the rusage roll-up
        cpu, source = sampled, "sampled"
    return Measured(
        returncode=None if timed_out else proc.returncode,
        timed_out=timed_out,
        wall_s=main_result["end"] - start,
        cpu_s=cpu,
        cpu_source=source,
        cpu_wait4_s=cpu_wait4,
        cpu_children_delta_s=after - before,
        cpu_sampled_s=sampled,
        peak_rss_mib=sampler.peak_rss / MIB,
        peak_pss_mib=sampler.peak_pss / MIB,
        processes_seen=len(sampler.cpu_ticks),
        max_processes=sampler.max_procs,
        orphans_reaped=orphans,
        samples=sampler.samples,
        cpu_by_process=sampler.by_process(),
    )


def _kill(members: list[ProcStat]) -> None:
    for st in members:
        if st.state != "Z":
            with contextlib.suppress(ProcessLookupError):
                os.kill(st.pid, signal.SIGKILL)


# --- the fixture server ---------------------------------------------------------------------


class FixtureServer:
    """``python -m sample_site`` in its own process, with a request log."""

    def __init__(self, articles: int, seed: int, work: Path, *, origin: bool = False):
        self.log_path = work / "requests.jsonl"
        self.err = open(work / "server-stderr.txt", "wb")  # noqa: SIM115 - closed in stop()
        cmd = [sys.executable, "-m", "sample_site", "--no-hazards", "--port", "0"]
        cmd += ["--articles", str(articles), "--seed", str(seed)]
        cmd += ["--request-log", str(self.log_path)] + (["--origin"] if origin else [])
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.err
        )
        ready, _, _ = select.select([self.proc.stdout], [], [], 120)
        line = self.proc.stdout.readline() if ready else b""
        if not line:
            self.stop()
            raise RuntimeError(f"fixture server did not start (see {work}/server-stderr.txt)")
        self.info = json.loads(line)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def requests(self) -> list[dict]:
        if not self.log_path.exists():
            return []
        with open(self.log_path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.err.close()


# --- the two crawlers -----------------------------------------------------------------------


def loopback_env(proxy_url: str) -> dict[str, str]:
    """An environment in which the crawlers reach the fixture server only, and no Scrapy
    project is selected by the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env[name] = proxy_url
    env["no_proxy"] = env["NO_PROXY"] = ""
    return env


def _tool(name: str, module_args: list[str]) -> list[str]:
    path = BIN / name
    return [str(path)] if path.exists() else [sys.executable, *module_args]


def ours_command(seeds: list[str], extra: list[str] = ()) -> list[str]:
    """`police-archive crawl`; `extra` are NAME=VALUE settings for experiments (--ours-set)."""
    cli = _tool("police-archive", ["-c", "from police_archive.cli import main; main()"])
    return [
        *cli, "crawl", *seeds, "--db", "ours.db", *POLITENESS,
        "--no-progress", "-s", "LOG_LEVEL=WARNING", *(a for e in extra for a in ("-s", e)),
    ]  # fmt: skip


def baseline_command(seeds: list[str]) -> list[str]:
    host = urlsplit(seeds[0]).hostname or ""
    # its allowed domain: the site's (policeoracle.localhost, all its subdomains), or the address
    domain = host if host.replace(".", "").isdigit() else host.split(".", 1)[-1]
    return [
        *_tool("scrapy", ["-m", "scrapy"]), "runspider", str(BASELINE_SPIDER),
        "-a", "start=" + ",".join(seeds), "-a", f"domain={domain}", *POLITENESS,
        "-s", "CONCURRENT_REQUESTS=16", "-s", "LOG_LEVEL=WARNING", "-o", "out.jsonl",
    ]  # fmt: skip


def count_ours(run_dir: Path) -> dict:
    db = run_dir / "ours.db"
    if not db.exists():
        return {"articles": 0, "records": 0}
    with contextlib.closing(sqlite3.connect(db)) as conn:
        articles = conn.execute("select count(*) from articles").fetchone()[0]
        row = conn.execute("select pages_fetched from crawls order by id desc limit 1").fetchone()
    return {"articles": articles, "records": articles, "pages_fetched_stat": row and row[0]}


def article_id(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.path.lower() not in ARTICLE_PATHS:
        return None
    ids = parse_qs(parts.query).get("id")
    return ids[0] if ids else None


def count_baseline(run_dir: Path) -> dict:
    feed = run_dir / "out.jsonl"
    lines = 0
    ids: set[str] = set()
    if feed.exists():
        with open(feed, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    lines += 1
                    ident = article_id(json.loads(line).get("url", ""))
                    if ident is not None:
                        ids.add(ident)
    errors = (run_dir / "stderr.txt").read_text(errors="replace").count("Spider error processing")
    return {"articles": len(ids), "records": lines, "spider_errors": errors}


CRAWLERS = {
    # name: (command from the seeds and the benchmark's arguments, counting of its output)
    "ours": (lambda seeds, args: ours_command(seeds, args.ours_set), count_ours),
    "baseline": (lambda seeds, args: baseline_command(seeds), count_baseline),
}


def run_once(name: str, index: int, args: argparse.Namespace, work: Path) -> dict:
    run_dir = work / f"{index:02d}-{name}"
    run_dir.mkdir()
    server = FixtureServer(args.articles, args.seed, run_dir, origin=args.origin)
    try:
        command, count = CRAWLERS[name]
        seeds = server.info["seeds"]
        measured = measure(
            command(seeds, args),
            cwd=run_dir,
            env=loopback_env(server.info["proxy_url"]),
            out_dir=run_dir,
            exclude={server.pid},
            interval=args.interval,
            timeout=args.timeout,
        )
        time.sleep(0.2)  # let the server's last log lines land
        requests = server.requests()
    finally:
        server.stop()
    counts = count(run_dir)
    site = urlsplit(server.info["seeds"][0]).netloc if args.origin else None
    offsite = sum(
        1
        for r in requests
        if (
            r.get("host", "") != site
            if site
            else not r.get("host", "").endswith(".policeoracle.localhost")
        )
    )
    result = {
        "crawler": name,
        "run": index,
        "expected": server.info["expected"],
        **asdict(measured),
        **counts,
        "requests": len(requests),
        "requests_ok": sum(1 for r in requests if r.get("status") == 200),
        "requests_offsite": offsite,
    }
    articles, pages = result["articles"], result["requests"]
    result["cpu_ms_per_article"] = 1000 * result["cpu_s"] / articles if articles else None
    result["cpu_ms_per_page"] = 1000 * result["cpu_s"] / pages if pages else None
    result["ok"] = measured.returncode == 0 and not measured.timed_out and articles > 0
    if not result["ok"]:
        tail = (run_dir / "stderr.txt").read_text(errors="replace")[-2000:]
        print(f"  {name} run {index} failed (exit {measured.returncode}):\n{tail}", file=sys.stderr)
    return result


def warm_up(env: dict[str, str]) -> None:
    """Load both crawlers' imports once, so neither pays for a cold page cache."""
    code = "import scrapy, trafilatura, sqlite_utils, pages.extract, crawler.spiders.police_news"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=False)


# --- report ---------------------------------------------------------------------------------


METRICS = [
    # (key, label, format)
    ("wall_s", "wall s", "{:.2f}"),
    ("cpu_s", "CPU s (user+sys, tree)", "{:.2f}"),
    ("cpu_ms_per_article", "CPU ms / article", "{:.1f}"),
    ("cpu_ms_per_page", "CPU ms / page fetched", "{:.2f}"),
    ("peak_rss_mib", "peak MiB (sum RSS)", "{:.0f}"),
    ("peak_pss_mib", "peak MiB (sum PSS)", "{:.0f}"),
    ("articles", "articles (distinct)", "{:.0f}"),
    ("records", "records (DB rows / feed lines)", "{:.0f}"),
    ("requests", "pages fetched (server log)", "{:.0f}"),
    ("max_processes", "processes (max at once)", "{:.0f}"),
]


def median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def summarise(runs: list[dict]) -> dict:
    summary: dict = {}
    for name in CRAWLERS:
        mine = [r for r in runs if r["crawler"] == name and r["ok"]]
        summary[name] = {key: median(mine, key) for key, _, _ in METRICS}
        summary[name]["runs"] = len(mine)
    ours, base = summary["ours"], summary["baseline"]

    def ratio(key: str) -> float | None:
        if ours.get(key) is None or not base.get(key):
            return None
        return ours[key] / base[key]

    cpu_ratio, wall_ratio = ratio("cpu_ms_per_article"), ratio("wall_s")
    expected = max((r["expected"] for r in runs), default=0)
    complete = all(r["articles"] >= r["expected"] for r in runs if r["crawler"] == "ours")
    summary["ratios"] = {key: ratio(key) for key, _, _ in METRICS}
    summary["targets"] = {
        "cpu_per_article": {
            "ratio": cpu_ratio,
            "target": CPU_TARGET,
            "pass": cpu_ratio is not None and cpu_ratio <= CPU_TARGET,
        },
        "wall": {
            "ratio": wall_ratio,
            "target": WALL_TARGET,
            "pass": wall_ratio is not None and wall_ratio <= WALL_TARGET,
        },
    }
    summary["expected_articles"] = expected
    summary["ours_complete"] = complete
    summary["all_runs_ok"] = all(r["ok"] for r in runs)
    return summary


def _fmt(fmt: str, value: float | None) -> str:
    return "-" if value is None else fmt.format(value)


def print_report(runs: list[dict], summary: dict, args: argparse.Namespace) -> None:
    print()
    print("Runs (in order):")
    head = f"  {'#':>2} {'crawler':<9}{'wall s':>8}{'CPU s':>8}{'sampled':>9}{'ms/art':>8}"
    head += f"{'ms/page':>9}{'RSS MiB':>9}{'PSS MiB':>9}{'articles':>9}{'records':>8}{'pages':>7}"
    print(head)
    for r in runs:
        flag = "" if r["ok"] else "  FAILED"
        if r["cpu_source"] != "wait4":
            flag += "  (CPU from sampling)"
        print(
            f"  {r['run']:>2} {r['crawler']:<9}{r['wall_s']:>8.2f}{r['cpu_s']:>8.2f}"
            f"{r['cpu_sampled_s']:>9.2f}{_fmt('{:.1f}', r['cpu_ms_per_article']):>8}"
            f"{_fmt('{:.2f}', r['cpu_ms_per_page']):>9}{r['peak_rss_mib']:>9.0f}"
            f"{r['peak_pss_mib']:>9.0f}{r['articles']:>9}{r['records']:>8}{r['requests']:>7}{flag}"
        )
    n = max(summary["ours"]["runs"], summary["baseline"]["runs"])
    print()
    if args.ours_set:
        print(f"Our crawler ran with extra settings: {' '.join(args.ours_set)}")
    print(
        f"Fixture site: {args.articles} articles, {summary['expected_articles']} reachable, "
        f"no hazards; {'at its address, no profile' if args.origin else 'read by its profile'}; "
        f"{os.cpu_count()} CPUs; medians of {n} run(s) each"
    )
    width = 31
    print(f"  {'':<{width}}{'ours':>10}{'baseline':>10}{'ours/base':>11}")
    for key, label, fmt in METRICS:
        ours, base = summary["ours"][key], summary["baseline"][key]
        ratio = summary["ratios"][key]
        print(
            f"  {label:<{width}}{_fmt(fmt, ours):>10}{_fmt(fmt, base):>10}"
            f"{_fmt('{:.3f}', ratio):>11}"
        )
    print()
    for key, label in (("cpu_per_article", "CPU per article"), ("wall", "wall time")):
        t = summary["targets"][key]
        verdict = "PASS" if t["pass"] else "FAIL"
        print(
            f"  target {label:<16} ours/baseline {_fmt('{:.3f}', t['ratio']):>6} "
            f"<= {t['target']:.3f}  {verdict}"
        )
    errors = [r["spider_errors"] for r in runs if r.get("spider_errors")]
    if errors:
        print(f"  baseline spider errors per run (tracebacks in its log): {errors}")
    if not summary["ours_complete"]:
        print("  WARNING: our crawler archived fewer articles than the site's reachable ones")
    if not summary["all_runs_ok"]:
        print("  WARNING: some runs failed; their figures are left out of the medians")


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="fixture site size")
    parser.add_argument("--seed", type=int, default=1, help="fixture site seed")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each crawler")
    parser.add_argument("--interval", type=float, default=0.05, help="/proc sampling period, s")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per crawl")
    parser.add_argument("--json", metavar="FILE", help="write the figures here")
    parser.add_argument("--keep", metavar="DIR", help="keep each run's files in DIR")
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false")
    parser.add_argument(
        "--ours-set",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="an extra Scrapy setting for our crawler (experiments; repeatable)",
    )
    parser.add_argument(
        "--origin",
        action="store_true",
        help="crawl the site at its 127.0.0.1 address: a site without a profile (the generic "
        "reader); default: as www.policeoracle.localhost, read by the policeoracle profile",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    subreaper = become_subreaper()
    if not subreaper:
        print("warning: not a child subreaper; CPU of orphaned workers comes from sampling",
              file=sys.stderr)  # fmt: skip
    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="crawl-bench-"))
    if args.warm_up:
        warm_up(loopback_env("http://127.0.0.1:9"))
    runs: list[dict] = []
    try:
        for i in range(args.repeat):
            order = ["ours", "baseline"] if i % 2 == 0 else ["baseline", "ours"]
            for name in order:
                print(f"run {len(runs) + 1}: {name} ...", file=sys.stderr, flush=True)
                runs.append(run_once(name, len(runs) + 1, args, work))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    summary = summarise(runs)
    print_report(runs, summary, args)
    if args.json:
        figures = {
            "config": {
                "articles": args.articles,
                "seed": args.seed,
                "origin": args.origin,
                "repeat": args.repeat,
                "interval_s": args.interval,
                "cpus": os.cpu_count(),
                "subreaper": subreaper,
                "python": sys.version.split()[0],
                "ours_command": ours_command(["SEED..."], args.ours_set),
                "baseline_command": baseline_command(["http://www.policeoracle.localhost/"]),
            },
            "runs": runs,
            "summary": summary,
        }
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    if not args.check:
        return 0
    targets_met = all(t["pass"] for t in summary["targets"].values())
    return 0 if targets_met and summary["ours_complete"] and summary["all_runs_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
