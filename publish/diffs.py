"""What changed between two versions of an article, for people: the `text_diff` SQL function
the canned query ``article_revisions`` calls, and its rendering as a coloured diff.

The diff is by paragraph (the archive separates paragraphs by blank lines), with one paragraph
of context: lines starting ``-`` were removed, ``+`` added, ``@@`` mark where. JSON and CSV get
the plain text; the HTML page shows removed paragraphs struck through on red, added ones on
green. Everything is escaped: the text comes from the scraped pages.
"""

from __future__ import annotations

import difflib

import markupsafe

# Compare at most this much text (a diff of two huge texts is quadratic): the rest is summarised.
MAX_DIFF_CHARS = 200_000


def text_diff(old: str | None, new: str | None) -> str | None:
    """The paragraphs removed and added from `old` to `new`; None for a first version (no
    `old`), '' when they are the same."""
    if old is None or new is None:
        return None
    if old == new:
        return ""
    before = [p.strip() for p in old[:MAX_DIFF_CHARS].split("\n") if p.strip()]
    after = [p.strip() for p in new[:MAX_DIFF_CHARS].split("\n") if p.strip()]
    lines = list(difflib.unified_diff(before, after, n=1, lineterm=""))[2:]  # no file headers
    return "\n".join(lines)


_STYLE = {
    "-": "background:#ffebe9;text-decoration:line-through;",
    "+": "background:#e6ffec;",
    "@": "color:#777;",
}


def render_diff(value: str) -> markupsafe.Markup:
    """The diff as HTML: one block per line, removed and added lines coloured."""
    parts = []
    for line in value.split("\n"):
        style = _STYLE.get(line[:1], "")
        text = "…" if line.startswith("@@") else line[1:] if line[:1] in "+- " else line
        sign = {"-": "− ", "+": "+ "}.get(line[:1], "")
        parts.append(
            markupsafe.Markup(
                '<div class="diff-line" style="{}white-space:pre-wrap">{}{}</div>'
            ).format(style, sign, text)
        )
    return markupsafe.Markup('<div class="diff">{}</div>').format(markupsafe.Markup("").join(parts))
