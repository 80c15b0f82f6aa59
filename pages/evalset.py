"""Extraction quality on the second development set: trafilatura's evaluation pages.

    python -m pages.evalset [--corpus DIR] [--workers N] [--limit N]

(`python -m pages.quality --set trafilatura-eval`; `python -m pages.quality` runs both sets)

scores our extraction (the engine of `police-archive extract`), plain trafilatura
(`trafilatura.extract(html)`, its defaults) and readability-lxml on the 990 pages of
`shared/corpora/trafilatura-eval/` (many kinds and languages, many not news) with the set's own
metric (its README): whitespace-normalised passages that must appear (`with`) and must not
(`without`); a `with` passage found is a true positive, missing a false negative; a `without`
passage found a false positive; counts summed over the pages, then precision, recall and F1.
The benchmark of pages/quality.py is the first set.

Ours is scored on the article's whole content, the standfirst and the text (`content`): the
set's passages include the lead a page shows over the article, which our record may hold as its
`standfirst` only.

Measured on 29 November 2026 (2 workers), text: ours P 0.9371 R 0.9387 F1 0.9379 (1 page
empty, 67 s), plain trafilatura 2.3.1 P 0.8972 R 0.9468 F1 0.9214 (31 s), readability-lxml 0.9
P 0.8826 R 0.8638 F1 0.8731; metadata, exact matches of 851: titles ours 601, trafilatura 487,
readability 531; authors ours 452, trafilatura 446; dates ours 632, trafilatura 632, htmldate
with its defaults 580. The gate (tests/test_corpus.py) takes every third page (`limit` 330).
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from pages.pagefiles import extract_files, process_pool, read_page
from pages.quality import ARTICLE, BENCHMARK, Evaluation, readability_page

EVAL = "trafilatura-eval"
OURS, PLAIN, READABILITY, HTMLDATE = "ours", "trafilatura", "readability", "htmldate"
SYSTEMS = (OURS, PLAIN, READABILITY, HTMLDATE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


@dataclass(frozen=True)
class EvalPage:
    url: str
    path: Path
    with_: tuple[str, ...]
    without: tuple[str, ...]
    # annotated (title, author, date) on 851 pages (an author may be a list)
    meta: tuple[str, str | list[str], str] | None = None


def load(corpora: Path) -> list[EvalPage]:
    root = corpora / EVAL
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    return [
        EvalPage(
            url,
            root / "html" / f"{item['file']}.gz",
            tuple(item.get("with", [])),
            tuple(item.get("without", [])),
            (item["title"], item.get("author", ""), item.get("date", ""))
            if "title" in item
            else None,
        )
        for url, item in sorted(data.items())
    ]


FIELDS = ("title", "author", "date")


def spread(pages: list[EvalPage], limit: int | None) -> list[EvalPage]:
    """`limit` of the pages, spread over the set (all of them without a limit)."""
    return pages[:: max(1, len(pages) // limit)][:limit] if limit else pages


def same(field: str, got: str | None, want: str | list[str]) -> bool:
    """Exact match of a metadata field: whitespace-normalised; a date by its day (YYYY-MM-DD);
    an empty annotation wants nothing found; several annotated authors, all of them, in order,
    separated by "; " (trafilatura's separator)."""
    if isinstance(want, list):
        want = "; ".join(want)
    got = normalise(got or "")
    if field == "date":
        got = got[:10]
    return got == normalise(want)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    empty: int = 0
    seconds: float = 0.0
    pages: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    # metadata exact matches on the annotated pages, by field; dates wrong and missing
    meta: dict[str, int] = field(default_factory=dict)

    def add_meta(self, page: EvalPage, found: tuple[str | None, ...]) -> None:
        if page.meta is None:
            return
        for name, got, want in zip(FIELDS, found, page.meta, strict=True):
            if got is None:  # this system does not give the field
                continue
            self.meta[name] = self.meta.get(name, 0) + same(name, got, want)
            if name == "date" and not same(name, got, want):
                key = "date_missing" if not got else "date_wrong"
                self.meta[key] = self.meta.get(key, 0) + 1

    def add(self, page: EvalPage, text: str) -> None:
        found = normalise(text)
        tp = sum(1 for s in page.with_ if normalise(s) in found)
        fn = len(page.with_) - tp
        fp = sum(1 for s in page.without if normalise(s) in found)
        tn = len(page.without) - fp
        self.tp, self.fn, self.fp, self.tn = self.tp + tp, self.fn + fn, self.fp + fp, self.tn + tn
        self.empty += not found
        self.pages[page.url] = (tp, fp, fn, tn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _plain(path: str) -> tuple[str, tuple[str | None, ...]]:
    import trafilatura
    from trafilatura.utils import load_html

    html = read_page(path)
    tree = load_html(html)
    meta = trafilatura.extract_metadata(tree) if tree is not None else None
    found = (meta.title or "", meta.author or "", meta.date or "") if meta else ("", "", "")
    return trafilatura.extract(html) or "", found


def _htmldate(path: str) -> tuple[str, tuple[str | None, ...]]:
    """htmldate's date (trafilatura's date reader), with its defaults: no text."""
    from htmldate import find_date

    return "", (None, None, find_date(read_page(path)) or "")


def _readability(path: str) -> tuple[str, tuple[str | None, ...]]:
    text, title = readability_page(path)
    return text, (title, None, None)


Found = tuple[str, tuple[str | None, ...]]  # text, and (title, author, date) or None if not given


def content(record: dict) -> str:
    """An article record's whole content, as this set's passages cover it: the standfirst, then
    the text (which may open with it already). The article-extraction benchmark scores the
    body (`text`), its truth being the articleBody without the standfirst."""
    text, standfirst = record.get("text", ""), record.get("standfirst", "")
    return f"{standfirst}\n\n{text}" if standfirst and not text.startswith(standfirst) else text


def run(system: str, pages: Sequence[EvalPage], pool: Executor | None) -> list[Found]:
    if system == OURS:
        results = extract_files(((str(p.path), p.url) for p in pages), pool=pool, kind=ARTICLE)
        return [
            ("", ("", "", "")) if "error" in r
            else (content(r), (r.get("title", ""), r.get("author", ""), r.get("published") or ""))
            for r in results
        ]  # fmt: skip
    fn = {PLAIN: _plain, READABILITY: _readability, HTMLDATE: _htmldate}[system]
    paths = [str(p.path) for p in pages]
    return list(pool.map(fn, paths, chunksize=8)) if pool else [fn(p) for p in paths]


def evaluate(
    corpora: Path,
    *,
    workers: int = 2,
    systems: Sequence[str] = SYSTEMS,
    limit: int | None = None,
) -> dict[str, Counts]:
    """Every system's counts on the set (on `limit` of its pages spread over it, when given)."""
    pages = spread(load(corpora), limit)
    scores: dict[str, Counts] = {}
    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(process_pool(workers)) if workers > 1 else None
        for system in systems:
            start = time.perf_counter()
            counts = Counts()
            for page, (text, found) in zip(pages, run(system, pages, pool), strict=True):
                if system != HTMLDATE:  # (a date reader: no text)
                    counts.add(page, text)
                counts.add_meta(page, found)
            counts.seconds = time.perf_counter() - start
            scores[system] = counts
    return scores


def report(scores: dict[str, Counts]) -> str:
    pages = len(next(iter(scores.values())).pages)
    header = f"  {'system':<12} {'precision':>9} {'recall':>7} {'F1':>7} {'empty':>6} {'s':>6}"
    lines = [f"{EVAL}: {pages} pages", header]
    for name, c in scores.items():
        if name != HTMLDATE:
            lines.append(
                f"  {name:<12} {c.precision:>9.4f} {c.recall:>7.4f} {c.f1:>7.4f} {c.empty:>6} "
                f"{c.seconds:>6.1f}"
            )
    lines.append("  metadata, exact matches on the annotated pages:")
    lines.append(
        f"  {'system':<12} {'title':>6} {'author':>6} {'date':>6} {'wrong':>6} {'missing':>7}"
    )
    for name, c in scores.items():
        m = c.meta
        cells = [str(m[f]) if f in m else "-" for f in FIELDS]
        lines.append(f"  {name:<12} {cells[0]:>6} {cells[1]:>6} {cells[2]:>6} "
                     f"{m.get('date_wrong', 0) if 'date' in m else '-':>6} "
                     f"{m.get('date_missing', 0) if 'date' in m else '-':>7}")  # fmt: skip
    return "\n".join(lines)


def side_by_side(benchmark: Evaluation | None, second: dict[str, Counts] | None) -> str:
    """Both sets' text figures, system by system, in one table ("-" where a system or a set
    was not run)."""
    names = list(dict.fromkeys([*(benchmark.systems if benchmark else {}), *(second or {})]))
    names = [n for n in names if n != HTMLDATE]
    first = f"{BENCHMARK} ({len(benchmark.pages)} pages)" if benchmark else f"{BENCHMARK}: -"
    pages = len(next(iter(second.values())).pages) if second else 0
    other = f"{EVAL} ({pages} pages)" if second else f"{EVAL}: -"
    cells = f"{'P':>7} {'R':>7} {'F1':>7} {'s':>5}"
    lines = [f"{'':<24} {first:<30} {other}", f"{'system':<24} {cells}   {cells}"]
    for name in names:
        row = f"{name:<24}"
        for score in (
            benchmark.systems.get(name) if benchmark else None,
            (second or {}).get(name),
        ):
            if score is None:
                row += f" {'-':>7} {'-':>7} {'-':>7} {'-':>5}  "
            else:
                row += (
                    f" {score.precision:>7.4f} {score.recall:>7.4f} {score.f1:>7.4f}"
                    f" {score.seconds:>5.0f}  "
                )
        lines.append(row.rstrip())
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    from pages import quality

    return quality.main(["--set", EVAL, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
