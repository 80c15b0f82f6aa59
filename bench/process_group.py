"""A group of processes started together and measured from /proc (bench/distributed_bench.py).

`run_group` starts several commands at once (a writer and its workers, or one crawl), waits for
each with ``os.wait4`` in a thread of its own (exact end time, CPU, and ``ru_maxrss``: the
kernel's high-water mark of the process's RSS) and, every ``interval`` seconds, samples the
process tree below this process from /proc: the summed RSS and PSS of the whole group and of
each command's own tree, and reaps the descendants orphaned to it (the caller is a child
subreaper, as in bench/crawl_bench.py, whose /proc readers this uses), adding their CPU. A
command that fails stops the others; so does the timeout.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crawl_bench import MIB, PAGE_SIZE, read_pss_kib, read_stat


@dataclass
class ProcResult:
    name: str
    returncode: int | None = None
    end_s: float | None = None  # after the group's start
    cpu_s: float = 0.0  # wait4: the process and the children it waited for
    maxrss_mib: float = 0.0  # wait4 ru_maxrss: the process's peak RSS (high-water mark)
    tree_rss_mib: float = 0.0  # peak of the summed RSS of its process tree, sampled
    tree_pss_mib: float = 0.0


@dataclass
class GroupResult:
    wall_s: float
    cpu_s: float  # every process of the group and every orphan reaped (wait4)
    peak_rss_mib: float  # summed over the whole group, sampled
    peak_pss_mib: float
    timed_out: bool
    failed: str  # "" or which process failed
    procs: dict[str, ProcResult] = field(default_factory=dict)


def run_group(
    specs: list[tuple[str, list[str]]],
    *,
    cwd: Path,
    env: dict[str, str],
    exclude: set[int],
    interval: float,
    timeout: float,
    probe: Callable[[float], None] | None = None,
    linger: float = 20.0,
) -> GroupResult:
    """Start the commands together and sample their process trees from /proc until every one
    and all their descendants have exited. A process failing stops the others."""
    me = os.getpid()
    results = {name: ProcResult(name) for name, _ in specs}
    start = time.perf_counter()
    pids: dict[int, str] = {}
    lock = threading.Lock()
    for name, cmd in specs:
        with open(cwd / f"{name}.out", "wb") as out, open(cwd / f"{name}.err", "wb") as err:
            proc = subprocess.Popen(
                cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        pids[proc.pid] = name
        proc.returncode = 0  # reaped below with os.wait4, not by Popen

        def wait(pid: int = proc.pid, result: ProcResult = results[name]) -> None:
            _, status, ru = os.wait4(pid, 0)
            with lock:
                result.end_s = time.perf_counter() - start
                result.returncode = os.waitstatus_to_exitcode(status)
                result.cpu_s = ru.ru_utime + ru.ru_stime
                result.maxrss_mib = ru.ru_maxrss / 1024

        threading.Thread(target=wait, daemon=True).start()
    peak_rss = peak_pss = 0
    orphan_cpu, timed_out, failed, all_done = 0.0, False, "", None
    while True:
        by_parent: dict[int, list] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (st := read_stat(int(entry))) is not None:
                by_parent.setdefault(st.ppid, []).append(st)
        rss: dict[int, int] = {}
        pss: dict[int, int] = {}
        tree: dict[int, list[int]] = {}
        todo, members = [me], []
        while todo:
            for st in by_parent.get(todo.pop(), []):
                if st.pid not in exclude:
                    members.append(st)
                    todo.append(st.pid)
                    tree.setdefault(st.ppid, []).append(st.pid)
                    live = st.state != "Z"
                    rss[st.pid] = st.rss_pages * PAGE_SIZE if live else 0
                    pss[st.pid] = read_pss_kib(st.pid) * 1024 if live else 0
        peak_rss, peak_pss = max(peak_rss, sum(rss.values())), max(peak_pss, sum(pss.values()))
        for pid, name in pids.items():
            below, stack = [], [pid]
            while stack:
                below.append(p := stack.pop())
                stack.extend(tree.get(p, []))
            result = results[name]
            result.tree_rss_mib = max(result.tree_rss_mib, sum(rss.get(p, 0) for p in below) / MIB)
            result.tree_pss_mib = max(result.tree_pss_mib, sum(pss.get(p, 0) for p in below) / MIB)
        for st in members:  # orphans reparented to this subreaper
            if st.ppid == me and st.pid not in pids:
                with contextlib.suppress(ChildProcessError):
                    pid, _, ru = os.wait4(st.pid, os.WNOHANG)
                    if pid:
                        orphan_cpu += ru.ru_utime + ru.ru_stime
        if probe is not None:
            probe(time.perf_counter())
        now = time.perf_counter()
        with lock:
            ended = [r for r in results.values() if r.end_s is not None]
            bad = [r.name for r in ended if r.returncode != 0]
        if bad and not failed:
            failed = f"{bad[0]} exited with {results[bad[0]].returncode}"
            _kill([st for st in members if st.pid not in pids or pids[st.pid] not in bad])
        if len(ended) == len(results):
            all_done = all_done or now
            if not [st for st in members if st.pid not in pids and st.state != "Z"]:
                break
            if now - all_done > linger:  # descendants outliving their process: stop them
                _kill(members)
        elif now - start > timeout and not timed_out:
            timed_out, failed = True, failed or f"timed out after {timeout:.0f}s"
            _kill(members)
        time.sleep(interval)
    time.sleep(0.05)
    wall = max(r.end_s or 0.0 for r in results.values())
    cpu = sum(r.cpu_s for r in results.values()) + orphan_cpu
    return GroupResult(wall, cpu, peak_rss / MIB, peak_pss / MIB, timed_out, failed, results)


def _kill(members: list) -> None:
    for st in members:
        if st.state != "Z":
            with contextlib.suppress(ProcessLookupError):
                os.kill(st.pid, signal.SIGKILL)
