"""The archive's search box: what a reader may type, turned into a valid SQLite FTS5 query, and
how the matching passage is marked in a snippet.

`fts_query()` is the search-box syntax: words, "exact phrases", prefix*, OR, NOT and -word,
and nothing typed is ever an FTS5 syntax error. The archive's Datasette plugin
(`publish.plugin`) registers it as the ``escape_fts()`` SQL function of the archive
database, which Datasette's table search (``?_search=``) and the canned search queries
(`publish.app.CANNED_QUERIES`) call. Those queries put SNIPPET_START and SNIPPET_END around
each match in a snippet; the plugin shows them as highlights.

Pure functions and constants: no Datasette, Scrapy or crawler import.
"""

from __future__ import annotations

import re

# Around each match in a search snippet (SQLite's snippet()); the plugin escapes the rest of the
# snippet and turns these into highlights.
SNIPPET_START, SNIPPET_END = "<mark>", "</mark>"

_QUERY_BITS = re.compile(r'"([^"]*)"?(\*?)|([^\s"]+)')
_JOINS = frozenset({"OR", "AND"})
# Curly quotes mark phrases too; a NUL would end the query early, for FTS5.
_CLEAN = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "\x00": " "})


def fts_query(text: str) -> str:
    """A forgiving search box: turn what a reader types into a valid FTS5 query.

    Words and ``"exact phrases"`` must all match; a trailing ``*`` makes a prefix (``burglar*``
    finds burglar, burglary, burglaries); ``OR`` and ``AND`` in capitals between terms are
    operators; ``-word`` or ``NOT word`` leaves out what matches it. Everything else is quoted, so
    punctuation (``O'Brien``, ``co-operation``, ``(``) is never an FTS5 syntax error, and bits
    without a letter or digit are dropped. A query with nothing to look for becomes ``""``, which
    matches nothing.

    Datasette's own `escape_fts` quotes every word (no prefixes, no operators); the archive's
    Datasette plugin registers this function under that name for the archive database.
    """
    wanted: list[str] = []  # terms joined by AND / OR
    unwanted: list[str] = []
    negate_next = False
    for match in _QUERY_BITS.finditer(text.translate(_CLEAN)):
        phrase, phrase_star, word = match.groups()
        if word in _JOINS:
            if wanted and wanted[-1] not in _JOINS:
                wanted.append(word)
            continue
        if word == "NOT":
            negate_next = True
            continue
        negate, negate_next = negate_next, False
        if word is None:
            body, prefix = phrase, bool(phrase_star)
        else:
            if word.startswith("-"):
                negate, word = True, word.lstrip("-")
            body, prefix = word.rstrip("*"), word.endswith("*")
        if not any(ch.isalnum() for ch in body):
            continue  # no token in it: FTS5 would match nothing
        term = '"' + body + '"' + ("*" if prefix else "")
        if negate:
            unwanted.append(term)
            continue
        if wanted and wanted[-1] not in _JOINS:
            wanted.append("AND")
        wanted.append(term)
    while wanted and wanted[-1] in _JOINS:
        wanted.pop()
    if not wanted:
        return '""'  # FTS5 cannot search for exclusions alone
    query = " ".join(wanted)
    if unwanted:  # NOT binds tighter than AND and OR
        query = f"({query})" if "OR" in wanted else query
        query += "".join(f" NOT {term}" for term in unwanted)
    return query


__all__ = ["SNIPPET_END", "SNIPPET_START", "fts_query"]
