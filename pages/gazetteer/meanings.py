"""The gazetteer's data on other meanings of its names (pages/gazetteer/forces.json): places
abroad that make a place name not the UK force (`abroad`), and phrases that make an acronym
something else (`false_friends`), compiled into the regexes pages/gazetteer/forces.py tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

NEAR = 150  # characters either side of an acronym where its false friends count
_STOP = re.compile(r"[.!?](?=\s)")


def not_here_after(abroad: Iterable[str]) -> re.Pattern[str]:
    """What after a place says it is not the UK force: its police department or sheriff, or
    (after it or its police) a place of `abroad` that is not a first name ("Birmingham police
    in Alabama"; not "Sussex Police, Georgia Hammond, said")."""
    places = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in abroad)
    department = r"\s+(?:police\s+)?(?:department|dept\b|sheriff)"
    if not places:
        return re.compile(department, re.I)
    after = rf"(?:\s+police(?:\s+service)?)?,?\s+(?:in\s+)?(?:{places})(?!\w)"
    return re.compile(rf"{department}|{after}(?!(?-i:\s+[A-Z][a-z]|['\u2019]s\b))", re.I)


def false_friends(phrases: Mapping[str, Iterable[str]]) -> dict[str, re.Pattern[str]]:
    """An acronym's other meanings, as one regex of its phrases ("the IPCC climate report")."""
    return {
        acronym: re.compile(r"\b(?:" + "|".join(map(re.escape, them)) + r")\b", re.I)
        for acronym, them in phrases.items()
    }


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence of text[start:end] begins and ends, at most `NEAR` either side."""
    stops = [m.end() for m in _STOP.finditer(text, max(0, start - NEAR), start)]
    stop = _STOP.search(text, end, end + NEAR)
    return stops[-1] if stops else max(0, start - NEAR), stop.start() if stop else end + NEAR
