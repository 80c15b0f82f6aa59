"""The distributed benchmark stays runnable (bench/distributed_bench.py).

The real run (`make bench-distributed`) takes 15-20 minutes. By default only its Redis part runs
here (a few seconds: its own redis-server, requests queued through the crawl's Lua script, the
figures written); `pytest -m bench` runs the whole benchmark on small sites (`--quick`, about
two minutes): every crawl archives every article, and every figure is there.

The benchmark runs as a subprocess: it makes itself a child subreaper, which pytest should not be.
Without redis-server the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench" / "distributed_bench.py"


def _bench(tmp_path: Path, *args: str, timeout: float) -> dict:
    if not (shutil.which("redis-server") or Path("/usr/bin/redis-server").is_file()):
        message = "no redis-server (apt-get install redis-server)"
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    figures = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, str(BENCH), *args, "--json", str(figures)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(figures.read_text())


def test_redis_memory_per_url(tmp_path):
    figures = _bench(
        tmp_path, "--skip", "throughput", "--skip", "memory", "--redis-urls", "300", timeout=120
    )
    redis = figures["redis"]
    assert redis["urls"] == 300 and 80 < redis["url_chars"] < 200
    # a queued request (pickled, in a sorted set) costs far more than its seen fingerprint
    assert redis["memory_usage_per_queued"] > redis["request_pickle_bytes"] > 300
    assert 40 < redis["memory_usage_per_seen"] < redis["memory_usage_per_queued"]
    assert redis["bytes_per_queued"] > 0 and redis["bytes_per_seen"] > 0
    assert figures["ok"] is True and "runs" not in figures


@pytest.mark.bench
@pytest.mark.timeout(900)
def test_distributed_bench_quick(tmp_path):
    figures = _bench(tmp_path, "--quick", timeout=850)
    assert figures["ok"] is True
    summary = figures["summary"]
    assert set(summary) == {"crawl", "1 worker(s)", "2 worker(s)", "4 worker(s)"}
    for run in figures["runs"]:
        assert run["ok"] and run["articles"] >= run["expected"] > 0
        assert run["fetched_twice"] == 0 and run["warc_bytes"] > 0
    assert summary["crawl"]["pages_per_s_ratio"] == 1
    assert all(s["pages_per_s"] > 0 for s in summary.values())
    memory = figures["memory"]
    for name in ("crawl", "worker"):
        assert memory[name]["process_peak_rss_mib"] > 20
        assert memory[name]["tree_peak_rss_mib"] >= memory[name]["process_peak_rss_mib"]
    writer = memory["writer"]
    assert writer["ok"] and writer["entries"] == writer["entries_in_stream"] > 0
    assert writer["rows"] > writer["entries"] and writer["rows_per_s_writing"] > 0
    assert memory["redis_from_crawl"]["bytes_per_seen"] > 0
    assert figures["sizes"]["crawl: archive bytes / article"] > 0
