"""Extraction worker processes die with the process that made them, however it dies (SIGKILL too).

Each test starts a real `police-archive` process in a process group of its own, waits until its
extraction workers exist (read from /proc), kills the main process with SIGKILL and checks, by
polling with a deadline, that no process of the group is left: not the workers, nor the
forkserver and the resource tracker that multiprocessing starts. Linux only (/proc).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile_server import CLI, FAST, LoopbackServer, Reply, text
from tests.test_robots import ARTICLE

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

GOLDEN = Path(__file__).parent / "golden"
DEADLINE = 10.0  # seconds for every process of the group to be gone after the SIGKILL


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    pgrp: int
    state: str
    started: int  # clock ticks after boot: with the pid, tells a process from a later one


def snapshot() -> dict[int, Proc]:
    """Every process on the machine, from /proc/PID/stat."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        state, ppid, pgrp, started = fields[0], int(fields[1]), int(fields[2]), int(fields[19])
        found[int(entry)] = Proc(int(entry), ppid, pgrp, state, started)
    return found


def alive(proc: Proc, now: dict[int, Proc]) -> bool:
    """Whether `proc` still runs: the same process (pid and start time), not a zombie."""
    current = now.get(proc.pid)
    return current is not None and current.started == proc.started and current.state != "Z"


def descendants(root: int, now: dict[int, Proc]) -> list[Proc]:
    children: dict[int, list[Proc]] = {}
    for proc in now.values():
        children.setdefault(proc.ppid, []).append(proc)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child.pid)
    return found


def wait_for_workers(main: subprocess.Popen, workers: int, timeout: float = 60) -> list[Proc]:
    """The main process's descendants once `workers` extraction workers run (the forkserver's
    children: grandchildren of the main process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert main.poll() is None, "the main process ended before its workers started"
        now = snapshot()
        family = descendants(main.pid, now)
        direct = {p.pid for p in family if p.ppid == main.pid}
        if len([p for p in family if p.ppid in direct and p.state != "Z"]) >= workers:
            return family
        time.sleep(0.05)
    raise AssertionError(f"no {workers} extraction workers after {timeout} s")


@contextmanager
def own_group(args: list[str], **kwargs) -> Iterator[subprocess.Popen]:
    """The process, leader of a new process group; the group is killed whatever happens."""
    main = subprocess.Popen(
        args,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **kwargs,
    )
    try:
        yield main
    finally:
        with suppress(ProcessLookupError):
            os.killpg(main.pid, signal.SIGKILL)  # what a failing test left behind
        main.wait(timeout=30)


def kill_and_check_nothing_is_left(main: subprocess.Popen, family: list[Proc]) -> None:
    assert len(family) >= 4  # forkserver, resource tracker, two workers at least
    os.kill(main.pid, signal.SIGKILL)
    main.wait(timeout=30)  # reaped: the main process is no zombie of ours
    deadline = time.monotonic() + DEADLINE
    while True:
        now = snapshot()
        left = {p.pid for p in family if alive(p, now)}
        left |= {p.pid for p in now.values() if p.pgrp == main.pid and p.state != "Z"}
        if not left:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"left {DEADLINE} s after SIGKILL: {command_lines(left)}")
        time.sleep(0.05)


def command_lines(pids: set[int]) -> dict[int, str]:
    found = {}
    for pid in pids:
        try:
            found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()[:100].decode(errors="replace")
        except OSError:
            found[pid] = "(gone)"
    return found


def test_extract_workers_die_with_a_killed_extract(tmp_path):
    """`extract -j 2`, stuck on a named pipe nobody writes to: SIGKILL leaves nothing behind."""
    files = [str(p) for p in sorted(GOLDEN.glob("*.html"))[:8]]
    fifo = tmp_path / "never-written.html"
    os.mkfifo(fifo)  # a worker blocks opening it, the parent waits for that worker's result
    with own_group([CLI, "extract", "-j", "2", *files, str(fifo), *files]) as main:
        family = wait_for_workers(main, workers=2)
        kill_and_check_nothing_is_left(main, family)


def test_crawl_workers_die_with_a_killed_crawl(tmp_path):
    """A crawl with pages extracted and one download stalled: SIGKILL leaves nothing behind."""

    def stalled(path: str) -> Reply:
        server.stopping.wait(60)
        return text("late")

    def article(path: str) -> Reply:
        return text(ARTICLE, content_type="text/html; charset=utf-8")

    with LoopbackServer({"/stalled.html": stalled}, fallback=article) as server:
        seeds = [server.url(f"/news/article-{i}.html") for i in range(6)]
        seeds.append(server.url("/stalled.html"))
        args = [CLI, "crawl", *seeds, "--db", str(tmp_path / "a.db"), *FAST]
        args += ["-s", "DOWNLOAD_TIMEOUT=120"]
        with own_group(args, env=server.env()) as main:
            family = wait_for_workers(main, workers=2)
            kill_and_check_nothing_is_left(main, family)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_a_crawl_leaves_a_core_to_itself():
    # the crawl process is CPU-bound too: one extraction worker per core it may run on but one,
    # at least one (run in a child, whose CPU affinity is its own to narrow)
    from crawler.workers import PageParser, default_workers

    cores = len(os.sched_getaffinity(0))
    assert default_workers() == max(1, cores - 1)
    code = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "from crawler.workers import default_workers; print(default_workers())"
    )
    one_core = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert one_core.stdout.strip() == "1"
    parser = PageParser(3)
    try:
        assert parser.workers == 3  # a number given is taken as it is
    finally:
        parser.close()
