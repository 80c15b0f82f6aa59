"""pages/evalset.py: the second development set's metric, and a run of every system on a few of
its pages (the whole set is `python -m pages.evalset`, about a minute and a half)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pages import evalset, quality
from pages.evalset import Counts, EvalPage


def test_the_sets_metric_counts_passages():
    page = EvalPage("u", Path("x"), ("Officers  arrested\nsix people.", "Missing."), ("Menu",))
    counts = Counts()
    counts.add(page, "Officers arrested six people. Menu Home")
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 1, 1, 0)
    assert counts.precision == 0.5 and counts.recall == 0.5 and counts.f1 == 0.5
    counts.add(page, "")
    assert counts.empty == 1 and counts.fn == 3 and counts.tn == 1


def test_every_system_runs_on_the_set():
    corpora = quality.corpus_dir()
    if not (corpora / evalset.EVAL / "evaldata.json").is_file():
        pytest.skip(f"no {evalset.EVAL} corpus in {corpora}")
    scores = evalset.evaluate(corpora, workers=1, limit=12)
    assert set(scores) == set(evalset.SYSTEMS)
    for name, counts in scores.items():
        assert len(counts.pages) == 12
        assert counts.tp > 0 and 0.5 < counts.f1 <= 1.0, (name, counts.f1)
    assert "readability" in evalset.report(scores)
