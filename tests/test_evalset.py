"""pages/evalset.py: the second development set's metric, and a run of every system on a few of
its pages (the whole set is `python -m pages.evalset`, about a minute and a half)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pages import evalset, quality
from pages.evalset import Counts, EvalPage


def test_metadata_matches():
    assert evalset.same("title", " Six  arrested ", "Six arrested")
    assert evalset.same("date", "2019-08-02T10:00:00", "2019-08-02")
    assert evalset.same("author", None, "") and not evalset.same("author", "PA", "")
    page = EvalPage("u", Path("x"), (), (), ("T", "", "2020-01-01"))
    counts = Counts()
    counts.add_meta(page, ("T", "Desk", None))  # no date given: not counted
    counts.add_meta(page, ("T", "", "2020-01-02"))
    assert counts.meta == {"title": 2, "author": 1, "date": 0, "date_wrong": 1}


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
        if name == evalset.HTMLDATE:  # a date reader: dates only
            assert set(counts.meta) >= {"date"} and not counts.pages
            continue
        assert len(counts.pages) == 12
        assert counts.tp > 0 and 0.5 < counts.f1 <= 1.0, (name, counts.f1)
    annotated = sum(1 for p in evalset.spread(evalset.load(corpora), 12) if p.meta)
    assert 0 < annotated <= 12 and scores[evalset.OURS].meta["title"] > 0
    assert scores[evalset.PLAIN].meta["date"] <= annotated
    assert "readability" in evalset.report(scores) and "metadata" in evalset.report(scores)


def test_ours_is_scored_on_the_standfirst_and_the_text():
    assert evalset.content({"text": "Body.", "standfirst": "Lead."}) == "Lead.\n\nBody."
    assert evalset.content({"text": "Lead.\n\nBody.", "standfirst": "Lead."}) == "Lead.\n\nBody."
    assert evalset.content({"text": "Body.", "standfirst": ""}) == "Body."


def test_both_sets_side_by_side():
    second = {evalset.OURS: Counts(tp=9, fn=1, fp=1), evalset.PLAIN: Counts(tp=8, fn=2)}
    second[evalset.OURS].pages = {"u": (9, 1, 1, 0)}
    table = evalset.side_by_side(None, second)
    assert "article-extraction-benchmark: -" in table and "trafilatura-eval (1 pages)" in table
    ours = next(line for line in table.splitlines() if line.startswith("ours"))
    assert ours.split()[1:4] == ["-", "-", "-"] and "0.9000" in ours
