"""The Datasette benchmark stays runnable: a small synthetic archive, a few requests of each kind.

The real run (100,000 articles, `make bench-datasette`) takes minutes; this checks the pieces:
the synthetic archive written through `Archive`, `police-archive serve` started on a free port,
every kind of page answering 200, the figures written.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_datasette_bench_runs(tmp_path, capsys):
    sys.path.insert(0, str(BENCH))
    try:
        import datasette_bench
    finally:
        sys.path.remove(str(BENCH))
    db, figures = tmp_path / "bench.db", tmp_path / "figures.json"
    args = ["--articles", "400", "--requests", "5", "--db", str(db), "--json", str(figures)]
    assert datasette_bench.main(args) == 0
    result = json.loads(figures.read_text())
    kinds = {"search", "search common", "table search", "table", "article"}
    kinds |= {"force facet", "force page", "chart"}
    assert set(result["pages"]) == kinds
    assert all(page["errors"] == 0 and page["requests"] == 5 for page in result["pages"].values())
    targets = {"search", "table", "force facet", "force page", "chart", "tagging"}
    assert set(result["targets"]) == targets
    assert result["tagging"]["ms"] > 0 and result["tagging"]["articles"] > 100
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from articles").fetchone() == (400,)
        # the articles name forces, tagged as a crawl tags them
        assert (
            conn.execute("select count(distinct article_url) from article_forces").fetchone()[0]
            > 200
        )
        assert conn.execute("select count(*) from forces").fetchone()[0] > 100
        assert conn.execute("select count(*) from links").fetchone()[0] > 1000
        assert conn.execute("select count(*) from comments").fetchone()[0] > 100
    assert "target search p95" in capsys.readouterr().out
