"""One regex for many names, shaped as a trie: shared by the gazetteer's names of bodies
(pages/gazetteer/forces.py) and the written forms of ranks (pages/gazetteer/people.py).

Python's regex engine tries every branch of a flat alternation at every position of the text;
in a trie it follows one path, so 1,100 names cost little more than one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def trie_pattern(names: Iterable[str], atoms: Callable[[str], list[str]]) -> str:
    """One regex matching any of `names`, each spelled by `atoms` as a list of regexes (a
    character, a separator, an optional mark...), preferring at every fork the longer
    continuation: the match at a position is the longest name there."""
    root: dict[str, Any] = {}
    for name in names:
        node = root
        for atom in atoms(name):
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [atom + emit(child) for atom, child in node.items() if atom]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a name ends here: the longer names are tried first, then this one
            return f"(?:{body})?"
        return body

    return emit(root)
