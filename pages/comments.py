"""Reader comments on any page, found by what a reader sees, not by a site's class names.

1. Lines: the page is walked once into lines as `TextBlocks` cuts them (scripts, buttons, nav,
   page headers and footers skipped, and forms when small or a comment box, not when they wrap
   the page as ASP.NET's does). What a line shows is read by pages/comment_lines.py.
2. Date lines: a short line (160 characters, six other words) with a plausible date, in its text
   or a `<time datetime>`, not quoted, heads a comment (month names of seven languages).
3. Containers: from each date line, climb to the smallest block with content besides it: a line
   that is no date line, button ("Reply", "Like (3)") or short label (a name, "#2"; "Posted by"
   and such not counted).
4. Runs: a container's items (text, children, tails; or those of the inline element around all
   of them, `<td><font>` of 2003) are cut into one run per date line, from it or the name-like
   items alike before each (`<h4>Name</h4><p>date</p>`) to the next run or <hr>; with text
   before the first date line and none after the last, date lines end runs ("Posted by X at
   17:04" under the text). Author: the date line without date, time, "Posted by", "wrote",
   brackets and buttons, else a name-like line next to it. Text: `TextBlocks` of the rest.
5. Threads: runs grouped by the tag path from container to date line, after any thread heading
   ("3 Comments") among them, are kept when most have an author and text, not mostly links, none
   holds the <h1> or a linked title, and most show a time ("17:04", "3 days ago") or the markup
   says comments (class or id, "gvComments" too; a heading, "Comments on: Headline" too; a Reply
   button); a lone comment needs a comment class, or a time and a heading or Reply button.
   Dateless siblings alike of comments join them.

Limits: dateless comments are found only beside dated ones, each in an element of its own; "3
years ago" without `<time datetime>`, dates without a year, times alone are not read; a name,
date and text in one line are not split; dated lists with names and times (live blogs, some
teasers) can pass for threads; JavaScript threads (Disqus) are not in the HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html

from archive.records import Comment
from pages.comment_lines import (
    HEADINGS,
    REPLY,
    THREAD,
    author_of,
    hinted,
    holds_title,
    junk,
    kind_of,
    shown_date,
    skipped,
    thread_heading,
    timed,
    undated,
)
from pages.pagetext import BLOCK_TAGS, TextBlocks, norm

__all__ = ["read_comments"]


def _holder(box: Any, pieces: list[tuple[Any, bool]]) -> Any:
    """The element whose children part `pieces` (the text nodes of a container's lines): the
    container `box`, or the inline child (<font>, <span>) holding all of them, or likewise the
    one in that."""
    while True:
        tops = set()
        for el, tail in pieces:
            if el is box or (tail and el.getparent() is box):
                return box  # the box's own text, or a tail in it
            tops.add(next(a for a in (el, *el.iterancestors()) if a.getparent() is box))
        if len(tops) != 1 or (top := tops.pop()).tag in BLOCK_TAGS:
            return box
        box = top


@dataclass(eq=False)
class _Line:
    text: str  # its text nodes joined by spaces, whitespace-normalised
    pieces: list[tuple[Any, bool]]  # its text nodes: (element, whether the text is its tail)
    block: Any  # the innermost block element around it
    times: list[Any]  # its <time datetime> elements


@dataclass(eq=False)
class _Record:
    box: Any  # its container
    items: list[tuple[Any, bool]]  # its run: elements (el, False), text nodes (el, True: tail)
    lines: list[int]
    anchor: int  # its date line, -1 for none
    author: str = ""
    posted: str | None = None
    text: str = ""
    links: int = 0  # characters of link text in `text`
    timed: bool = False  # its date line shows a time, or how long ago
    path: tuple[str, ...] = ()
    holder: Any = None  # the element whose text and children `items` are


class _Page:
    """A page's lines (`span`: the lines of each block, `dates`: the date lines), and comments."""

    def __init__(self, root: Any, day_first: bool):
        self.lines: list[_Line] = []
        self.span: dict[Any, tuple[int, int]] = {}
        self.content: dict[int, bool] = {}
        self._line: tuple[list[str], list[tuple[Any, bool]], list[Any]] = ([], [], [])
        self._blocks = [root]
        self._walk(root if root.find("body") is None else root.find("body"))
        self._flush()
        self.dates = {i: d for i, ln in enumerate(self.lines) if (d := self._date(ln, day_first))}
        self.dated = {self.lines[i].block for i in self.dates}

    def _flush(self) -> None:
        parts, pieces, times = self._line
        if pieces or times:
            self.lines.append(_Line(norm(" ".join(parts)), pieces, self._blocks[-1], times))
            self._line = ([], [], [])

    def _walk(self, el: Any) -> None:
        if not isinstance(el.tag, str) or skipped(el):
            return
        block = el.tag in BLOCK_TAGS
        if block or el.tag == "br":
            self._flush()
        start = len(self.lines)
        self._blocks += [el] if block else []
        self._line[2].extend([el] if el.tag == "time" and el.get("datetime") else [])
        for node, tail in [(el, False), *((child, t) for child in el for t in (None, True))]:
            if tail is None:
                self._walk(node)
            elif (text := node.tail if tail else node.text) and not text.isspace():
                self._line[0].append(text)
                self._line[1].append((node, tail))
        if block:
            self._flush()
            self._blocks.pop()
            self.span[el] = (start, len(self.lines))

    def _date(self, line: _Line, day_first: bool) -> str | None:
        """The date a short line shows (a <time datetime> first), None for other lines."""
        dateish = re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d[./-]\s?\d{1,2}[./-]\s?\d\d", line.text)
        if not (dateish or line.times) or len(line.text) > 160 or undated(line.text)[1] > 6:
            return None  # no date, or a date in a sentence rather than a header line
        if next(line.block.iterancestors("blockquote"), line.block).tag == "blockquote":
            return None  # a quoted comment's
        stamps = [shown_date(t.get("datetime"), day_first) for t in line.times]
        found = [s for s in [*stamps, shown_date(line.text, day_first) if dateish else None] if s]
        return next((s for s in found if "T" in s), found[0] if found else None)

    def _content(self, i: int) -> bool:
        """Whether a line is content: no date line, button, or short label (a name, "#2")."""
        if i not in self.content:
            line, text = self.lines[i], self.lines[i].text
            short = len(text) <= 40 and undated(text)[1] <= 4 and text[-1:] not in ".!?…;)"
            label = line.block.tag != "p" or line.block in self.dated or text.endswith(":")
            self.content[i] = i not in self.dates and not (short and label) and not junk(text)
        return self.content[i]

    def comments(self) -> tuple[Comment, ...]:
        boxes: dict[Any, list[int]] = {}  # container -> its date lines
        for i in self.dates:
            for el in (block := self.lines[i].block, *block.iterancestors()):
                if any(self._content(j) for j in range(*self.span.get(el, (0, 0)))):
                    boxes.setdefault(el, []).append(i)
                    break
        self.boxes = set(boxes)  # nested replies stay out of a comment's text
        inner: dict[int, Any] = {}  # line -> the innermost container holding it
        for box in sorted(boxes, key=lambda b: self.span[b][0] - self.span[b][1]):
            inner.update(dict.fromkeys(range(*self.span[box]), box))
        groups: dict[tuple[str, ...], list[_Record]] = {}
        for box, anchors in boxes.items():
            own = [j for j in range(*self.span[box]) if inner.get(j) is box]
            for record in self._segment(box, anchors, own):
                groups.setdefault(record.path, []).append(record)
        for path, group in groups.items():  # runs before a thread heading are the article's
            inside = [i for r in group for i in r.lines]
            cut = [
                i for i in range(min(inside), max(inside)) if THREAD.fullmatch(self.lines[i].text)
            ]
            groups[path] = [r for r in group if r.lines[0] > max(cut, default=-1)]
        found = [r for group in groups.values() if group and self._thread(group) for r in group]
        found = sorted([*found, *self._dateless(found, set(boxes))], key=lambda r: r.lines[0])
        return tuple(Comment(r.author, r.posted, r.text) for r in found if r.text)

    def _segment(self, box: Any, anchors: list[int], own: list[int]) -> list[_Record]:
        """A container's runs, one per date line, read (see the module's docstring)."""
        pieces = [p for j in own for p in self.lines[j].pieces or [(self.lines[j].times[0], False)]]
        holder = _holder(box, pieces)  # <td><font>all of it</font></td>: the <font>'s items
        items = [(holder, True), *((child, tail) for child in holder for tail in (False, True))]
        where = {el: k for k, (el, tail) in enumerate(items) if not tail}

        def item(el: Any, tail: bool) -> int:  # the item holding a text node
            if el is holder or (tail and el.getparent() is holder):
                return 0 if el is holder else where[el] + 1
            return where[next(a for a in (el, *el.iterancestors()) if a.getparent() is holder)]

        at = {j: item(*(self.lines[j].pieces or [(self.lines[j].times[0], False)])[0]) for j in own}
        kinds: dict[Any, list[int]] = {}  # date lines by the kind of their item
        for j in sorted(anchors):  # all in `own`: a smaller container would hold them
            el, tail = items[at[j]]
            kinds.setdefault(None if tail else (el.tag, el.get("class")), []).append(j)
        dated = max(kinds.values(), key=lambda js: (len(js), js[-1]))
        content = [j for j in own if self._content(j)]
        text = [at[j] for j in content if self.lines[j].block.tag not in HEADINGS]
        last = max((at[j] for j in content), default=-1)
        footer = min(text, default=len(items)) < at[dated[0]] and last <= at[dated[-1]]
        keep = [j for n, j in enumerate(dated) if not n or at[j] != at[dated[n - 1]]]
        hrs = [k for k, (el, tail) in enumerate(items) if not tail and el.tag == "hr"]
        starts, filled = [at[j] for j in keep], sorted({*at.values(), *hrs})
        heads = [filled[filled.index(k) - 1] for k in starts]  # the items before the date lines
        names = [author_of(" ".join(self.lines[i].text for i in own if at[i] == k)) for k in heads]
        alike = {(items[k][0].tag, items[k][1], items[k][0].get("class")) for k in heads}
        ahead = heads[0] < starts[0] and all(h > k for h, k in zip(heads[1:], starts, strict=False))
        starts = heads if not footer and all(names) and len(alike) == 1 and ahead else starts
        titles = [i for i in own if at[i] < starts[0] and self.lines[i].block.tag in HEADINGS]
        first = 1 + max([at[i] for i in titles if not author_of(self.lines[i].text)] or [-1])
        records = []
        for n, j in enumerate(keep):
            if footer:
                lo, hi = at[keep[n - 1]] + 1 if n else first, at[j] + 1
            else:
                lo, hi = starts[n], starts[n + 1] if n + 1 < len(starts) else len(items)
                hi = min([k for k in hrs if k > at[j]] + [hi])
            before = next((el for el, tail in items[lo - 1 : 0 : -1] if not tail), None)
            parts = [el for el, tail in [(before, False), *items[lo:hi]] if not tail]
            if not any(holds_title(el) for el in parts if isinstance(getattr(el, "tag", 0), str)):
                lines = [i for i in own if lo <= at[i] < hi]
                records.append(self._read(_Record(box, items[lo:hi], lines, j, holder=holder)))
        return records

    def _read(self, record: _Record) -> _Record:
        """A run's author, date, text and link characters."""
        lines, a = record.lines, record.anchor
        record.posted, shown = self.dates[a], self.lines[a].text
        record.timed = timed(shown)
        head = [i for i in lines if i < a and not self._content(i)]
        after = [i for i in lines if i > a and not self._content(i)][:1]
        drop = {a, *head} if lines[-1] != a else {a}
        for i in [a, *reversed(head[-2:]), *after]:
            if not junk(self.lines[i].text) and (author := author_of(self.lines[i].text)):
                record.author = author
                drop.add(i)
                break
        chain = [self.lines[a].block, *self.lines[a].block.iterancestors()]
        up = chain[: chain.index(record.box) + 1]
        record.path = (kind_of(record.box), *(el.tag for el in up))
        record.text, record.links = self._text(record, {self.lines[i].text for i in drop})
        return record

    def _text(self, record: _Record, drop: set[str]) -> tuple[str, int]:
        """A run's `TextBlocks` without header lines, buttons, nested replies; its link text."""
        parts = [d for el, tail in record.items if not tail for d in el.iter() if skipped(d)]
        collector, links = TextBlocks(self.boxes | set(parts)), []
        for el, tail in record.items:
            if tail:
                collector.text(el.text if el is record.holder else el.tail)
            elif isinstance(el.tag, str):
                collector.walk(el, tail=False)
                links += [norm(a.text_content()) for a in el.iter("a") if a.get("href")]
        squashed, out = {line.replace(" ", "") for line in drop}, collector.result()
        kept = [[t for t in b.split("\n") if t.replace(" ", "") not in squashed] for b in out]
        text = "\n\n".join(b for b in map("\n".join, kept) if b and not junk(b))
        return text, sum(len(t) for t in links if t and t in text and not any(t in d for d in drop))

    def _thread(self, group: list[_Record]) -> bool:
        """Whether runs alike are a comment thread (see the module's docstring)."""
        n, texts = len(group), sum(len(r.text) for r in group)
        authors = [r.author for r in group if r.author]
        if not texts or sum(r.links for r in group) > texts / 2:
            return False  # links (teasers, widgets), not comments
        first = min((r.lines[0] for r in group if r.lines), default=0)
        heading = any(thread_heading(ln.text) for ln in self.lines[max(0, first - 4) : first])
        words = (self.lines[i].text.split(" ")[0].lower() for r in group for i in r.lines)
        boxes = (el for r in group for el in [r.box, *list(r.box.iterancestors())[:4]])
        hint = 2 if any(map(hinted, boxes)) else int(heading or not REPLY.isdisjoint(words))
        timed = sum(r.timed for r in group)
        if n == 1:
            return bool(authors and texts <= 5000 and (hint > 1 or (hint and timed)))
        if len(authors) < 0.6 * n or sum(1 for r in group if r.text) < 0.6 * n:
            return False
        if sorted(len(r.text) for r in group)[n // 2] > 3000 and hint < 2:
            return False  # articles
        if len(set(authors)) == 1:
            return bool(hint)
        parts = (el for r in group for el, tail in r.items if not tail and isinstance(el.tag, str))
        return bool(hint or timed >= n / 2 or any(map(hinted, parts)))

    def _dateless(self, found: list[_Record], boxes: set[Any]) -> Iterator[_Record]:
        """Siblings alike (tag, first class) of one-comment containers, without a date."""
        count = Counter(r.box for r in found)
        alike = {(r.box.getparent(), r.box.tag, kind_of(r.box)) for r in found if count[r.box] == 1}
        for parent in {parent for parent, _, _ in alike if parent is not None}:
            for sib in parent:
                lines = list(range(*self.span.get(sib, (0, 0))))
                if (parent, sib.tag, kind_of(sib)) not in alike or not lines or sib in boxes:
                    continue
                name = author_of(self.lines[lines[0]].text)
                if name and any(map(self._content, lines[1:])) and boxes.isdisjoint(sib.iter()):
                    record = _Record(sib, [(sib, False)], lines, -1, name)
                    record.text = self._text(record, {self.lines[lines[0]].text})[0]
                    yield record


def read_comments(root: lxml.html.HtmlElement, *, day_first: bool = True) -> tuple[Comment, ...]:
    """The reader comments on a page parsed by pagetext.parse_html, in page order, or ()."""
    try:
        return _Page(root, day_first).comments()
    except RecursionError:
        return ()
