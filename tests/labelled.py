"""Micro precision and recall of a finder on hand-labelled sentences (tests/data/*.jsonl): the
force tagger (tests/test_forces.py) and the people finder (tests/test_people.py)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable


def micro_scores(
    found: Iterable[tuple[str, set[Hashable], set[Hashable]]],
) -> tuple[float, float, list[str]]:
    """Precision and recall over every (sentence, item) pair of (text, got, expected) triples,
    and each sentence whose items differ, with what was found too many and too few."""
    hits = wrong = missed = 0
    errors = []
    for text, got, expected in found:
        hits += len(got & expected)
        wrong += len(got - expected)
        missed += len(expected - got)
        if got != expected:
            extra, lacking = sorted(got - expected, key=str), sorted(expected - got, key=str)
            errors.append(f"{text!r}: +{extra} -{lacking}")
    return hits / max(1, hits + wrong), hits / max(1, hits + missed), errors
