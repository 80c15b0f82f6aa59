"""The crawl benchmark as a test: `pytest -m bench` (deselected by default, see pyproject).

Runs `bench/crawl_bench.py --check`: our crawler and the one-file baseline spider on the fixture
site; fails when our CPU per article exceeds 1/3 of the baseline's, our wall time exceeds 1/2 of
its, a crawl fails, or ours misses a reachable article. About 30 s on two cores.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.bench
@pytest.mark.timeout(1800)
def test_crawl_bench(tmp_path):
    figures = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "crawl_bench.py"), "--check", "--json", str(figures)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1700,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    summary = json.loads(figures.read_text())["summary"]
    assert all(target["pass"] for target in summary["targets"].values())
