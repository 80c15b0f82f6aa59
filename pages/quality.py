"""Extraction quality measured on real pages: both development sets, side by side.

    python -m pages.quality [--corpus DIR] [--workers N] [--worst N] [--set SET] [--limit N]
                              [--save FILE] [--against FILE]

(`make quality`) scores our extraction (`pages.pagefiles`, the engine of `police-archive
extract`, each page read as an article), plain trafilatura and readability-lxml on the 181 pages
of the article-extraction benchmark in `shared/corpora/article-extraction-benchmark/` and on the
990 pages of trafilatura's evaluation set (pages/evalset.py), and prints both sets' precision,
recall and F1 side by side; then the benchmark's details (empty outputs, which extractor read how
many pages, the worst pages with their site) and the second set's metadata exact matches.
`--save` writes every benchmark page's scores as JSON; `--against` an earlier such file lists the
pages whose F1 changed most: what a change did. tests/test_corpus.py is the gate that keeps the
figures from regressing.

The corpus directory: `--corpus`, else the environment variable POLICE_ARCHIVE_CORPORA, else
`shared/corpora/` beside the repository (`<repo>/../shared/corpora`). The pages are not copied into
the repository.

The benchmark's metric (its README in the corpus directory): texts split into `\\w+` tokens,
multisets of 4-token shingles, per page tp/fp/fn, precision and recall per page averaged over the
pages (macro), F1 from the two averages. An empty prediction scores precision 0 and recall 0 (the
benchmark's own evaluate.py leaves empty predictions out of the precision average; the two agree
when nothing is empty). Body text only (`text`: the truth is the articleBody, without the
standfirst): titles, dates and authors are not scored on this set.

Measured on 29 November 2026 (2 workers): ours P 0.9710 R 0.9811 F1 0.9760; plain trafilatura
2.3.1 0.9525, with comments off 0.9598; readability-lxml 0.9 0.9495.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from archive.records import PageKind
from pages.pagefiles import extract_files, process_pool, read_page

BENCHMARK = "article-extraction-benchmark"
# the sets' pages are articles: each is read as the crawler reads a page an article link led to
# (`police-archive extract`'s default, --as article)
ARTICLE = PageKind.ARTICLE
CORPORA_ENV = "POLICE_ARCHIVE_CORPORA"

OURS = "ours"
PLAIN = "trafilatura"  # trafilatura.extract(html) with its defaults, text output
PLAIN_NO_COMMENTS = "trafilatura-no-comments"  # the same, include_comments=False
READABILITY = "readability"  # readability-lxml 0.9: the text of Document.summary()
SYSTEMS = (OURS, PLAIN, PLAIN_NO_COMMENTS, READABILITY)


def corpus_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding the corpora (`article-extraction-benchmark/` is in it)."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get(CORPORA_ENV):
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"


# ---------------------------------------------------------------------------------------------
# The metric

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of n-token shingles of `text` (a text of fewer tokens is one shingle)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def page_scores(truth: str, prediction: str) -> tuple[float, float]:
    """Precision and recall of one page's predicted text against its true text."""
    if not _TOKEN.search(prediction or ""):
        return 0.0, 0.0
    true, pred = shingles(truth), shingles(prediction)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    if fp == fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# ---------------------------------------------------------------------------------------------
# The corpus and the systems


@dataclass(frozen=True)
class CorpusPage:
    id: str
    url: str
    truth: str
    path: Path

    @property
    def site(self) -> str:
        return urlsplit(self.url).hostname or ""


def load_benchmark(corpora: Path) -> list[CorpusPage]:
    """The benchmark's pages, in id order; raises FileNotFoundError when it is not there."""
    root = corpora / BENCHMARK
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        CorpusPage(key, item["url"], item.get("articleBody", ""), root / "html" / f"{key}.html.gz")
        for key, item in sorted(truth.items())
    ]


@dataclass
class PageResult:
    text: str
    extractor: str = ""  # ours: the profile or fallback that read the page, or "error:<reason>"
    precision: float = 0.0
    recall: float = 0.0

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


@dataclass
class SystemScore:
    name: str
    pages: dict[str, PageResult]
    seconds: float

    @property
    def precision(self) -> float:
        return statistics.fmean(r.precision for r in self.pages.values())

    @property
    def recall(self) -> float:
        return statistics.fmean(r.recall for r in self.pages.values())

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    @property
    def empty(self) -> int:
        return sum(1 for r in self.pages.values() if not _TOKEN.search(r.text))


@dataclass
class Evaluation:
    pages: list[CorpusPage]
    systems: dict[str, SystemScore] = field(default_factory=dict)


def _plain_text(job: tuple[str, bool]) -> str:
    import trafilatura

    path, include_comments = job
    return trafilatura.extract(read_page(path), include_comments=include_comments) or ""


def readability_page(path: str) -> tuple[str, str]:
    """readability-lxml's text of a saved page and its short title; ("", "") when it gives up
    (as plain trafilatura's "" for a page it cannot read)."""
    from readability import Document

    from pages.pagetext import decode_html, parse_html

    try:
        document = Document(decode_html(read_page(path), "text/html"))
        text = parse_html(document.summary(html_partial=True)).text_content()
        return text, document.short_title() or ""
    except Exception:  # readability raises on some pages: no text, as plain trafilatura's ""
        return "", ""


def run_ours(pages: Sequence[CorpusPage], pool: Executor | None = None) -> list[tuple[str, str]]:
    """(text, extractor) per page: the pages through `police-archive extract`'s engine, each
    read as fetched from its URL."""
    results = extract_files(((str(p.path), p.url) for p in pages), pool=pool, kind=ARTICLE)
    return [
        (r.get("text", ""), r.get("extractor", "") if "error" not in r else f"error:{r['error']}")
        for r in results
    ]


def run_plain(
    pages: Sequence[CorpusPage], pool: Executor | None = None, *, include_comments: bool = True
) -> list[str]:
    """Plain trafilatura's text per page: `trafilatura.extract(html)` with its defaults (or with
    comments off)."""
    jobs = [(str(p.path), include_comments) for p in pages]
    if pool is None:
        return [_plain_text(job) for job in jobs]
    return list(pool.map(_plain_text, jobs, chunksize=4))


def evaluate(corpora: Path, *, workers: int = 2, systems: Iterable[str] = SYSTEMS) -> Evaluation:
    """Every system scored on every page of the benchmark, in one run (one pool of `workers`
    processes; 1: in this process)."""
    pages = load_benchmark(corpora)
    evaluation = Evaluation(pages)
    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(process_pool(workers)) if workers > 1 else None
        for name in systems:
            start = time.perf_counter()
            if name == OURS:
                outputs = run_ours(pages, pool)
            elif name == READABILITY:
                paths = [str(p.path) for p in pages]
                found = (
                    pool.map(readability_page, paths, chunksize=4)
                    if pool
                    else map(readability_page, paths)
                )
                outputs = [(text, name) for text, _ in found]
            else:
                texts = run_plain(pages, pool, include_comments=name == PLAIN)
                outputs = [(text, name) for text in texts]
            seconds = time.perf_counter() - start
            _score(evaluation, name, outputs, seconds)
    return evaluation


def _score(
    evaluation: Evaluation, name: str, outputs: list[tuple[str, str]], seconds: float
) -> None:
    results = {}
    for page, (text, extractor) in zip(evaluation.pages, outputs, strict=True):
        precision, recall = page_scores(page.truth, text)
        results[page.id] = PageResult(text, extractor, precision, recall)
    evaluation.systems[name] = SystemScore(name, results, seconds)


# ---------------------------------------------------------------------------------------------
# The report


def report(evaluation: Evaluation, *, worst: int = 15) -> str:
    pages = {p.id: p for p in evaluation.pages}
    lines = [
        f"{BENCHMARK}: {len(pages)} pages, {len({p.site for p in pages.values()})} sites",
        "",
        f"{'system':<24} {'precision':>9} {'recall':>7} {'F1':>7} {'empty':>6} {'seconds':>8}",
    ]
    for score in evaluation.systems.values():
        lines.append(
            f"{score.name:<24} {score.precision:>9.4f} {score.recall:>7.4f} {score.f1:>7.4f}"
            f" {score.empty:>6} {score.seconds:>8.1f}"
        )
    ours = evaluation.systems.get(OURS)
    if ours is None:
        return "\n".join(lines)

    by_extractor: dict[str, list[PageResult]] = {}
    for result in ours.pages.values():
        by_extractor.setdefault(result.extractor, []).append(result)
    lines += ["", "ours, by extractor:"]
    for extractor, results in sorted(by_extractor.items(), key=lambda kv: -len(kv[1])):
        mean_f1 = statistics.fmean(r.f1 for r in results)
        lines.append(f"  {extractor:<22} {len(results):>4} pages  mean page F1 {mean_f1:.4f}")

    plain = evaluation.systems.get(PLAIN)
    lines += ["", f"ours, the {worst} worst pages:"]
    lines.append(
        f"  {'F1':>6} {'P':>6} {'R':>6} {'plain':>6}  {'words':>11}  {'extractor':<12} site  page"
    )
    ranked = sorted(ours.pages.items(), key=lambda kv: (kv[1].f1, kv[0]))
    for key, result in ranked[:worst]:
        page = pages[key]
        plain_f1 = f"{plain.pages[key].f1:6.3f}" if plain else "     -"
        words = f"{len(result.text.split())}/{len(page.truth.split())}"
        lines.append(
            f"  {result.f1:6.3f} {result.precision:6.3f} {result.recall:6.3f} {plain_f1}"
            f"  {words:>11}  {result.extractor:<12} {page.site}  {key[:12]}"
        )
    sites: dict[str, list[float]] = {}
    for key, result in ours.pages.items():
        sites.setdefault(pages[key].site, []).append(result.f1)
    weak = sorted((statistics.fmean(v), s, len(v)) for s, v in sites.items())
    weak = [w for w in weak if w[0] < 0.9]
    lines += ["", f"ours, sites under 0.9 mean page F1: {len(weak)} of {len(sites)}"]
    lines += [f"  {mean:6.3f}  {site} ({n} page{'s' * (n > 1)})" for mean, site, n in weak]
    return "\n".join(lines)


def scores_json(evaluation: Evaluation) -> dict:
    return {
        name: {
            "precision": score.precision,
            "recall": score.recall,
            "f1": score.f1,
            "empty": score.empty,
            "pages": {
                key: {"precision": r.precision, "recall": r.recall, "extractor": r.extractor}
                for key, r in score.pages.items()
            },
        }
        for name, score in evaluation.systems.items()
    }


def compare(evaluation: Evaluation, earlier: dict, *, top: int = 15) -> str:
    """The pages whose F1 (ours) changed most since an earlier `--save`d run."""
    ours, before = evaluation.systems[OURS], earlier.get(OURS, {})
    changes = []
    for key, result in ours.pages.items():
        old = before.get("pages", {}).get(key)
        if old is not None:
            delta = result.f1 - f1(old["precision"], old["recall"])
            if abs(delta) > 1e-9:
                changes.append((delta, key, old.get("extractor", ""), result.extractor))
    lines = [
        f"against the earlier run: F1 {before.get('f1', float('nan')):.4f} -> {ours.f1:.4f};"
        f" {sum(1 for c in changes if c[0] > 0)} pages better,"
        f" {sum(1 for c in changes if c[0] < 0)} worse"
    ]
    sites = {p.id: p.site for p in evaluation.pages}
    for delta, key, was, now in sorted(changes, key=lambda c: -abs(c[0]))[:top]:
        how = now if was == now else f"{was} -> {now}"
        lines.append(f"  {delta:+.3f}  {sites[key]}  {key[:12]}  {how}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    from pages import evalset

    parser = argparse.ArgumentParser(
        prog="python -m pages.quality",
        description="Score our extraction, plain trafilatura and readability-lxml on both "
        f"development sets ({BENCHMARK} and {evalset.EVAL}), side by side, then each set's "
        "details: the benchmark's worst pages, the second set's metadata exact matches.",
    )
    parser.add_argument(
        "--corpus",
        help=f"the corpora directory (default: ${CORPORA_ENV}, "
        "else ../shared/corpora beside the repository)",
    )
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--worst", type=int, default=15, help="worst pages listed (default 15)")
    parser.add_argument(
        "--set", choices=("both", BENCHMARK, evalset.EVAL), default="both", dest="which"
    )
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help=f"{evalset.EVAL}: N of its pages spread over it (the gate takes 330: every third)",
    )
    parser.add_argument("--save", metavar="FILE", help="write every page's scores as JSON")
    parser.add_argument("--against", metavar="FILE", help="compare with an earlier --save")
    args = parser.parse_args(argv)

    corpora = corpus_dir(args.corpus)
    benchmark = second = None
    if args.which in ("both", BENCHMARK):
        if not (corpora / BENCHMARK / "ground-truth.json").is_file():
            print(f"no {BENCHMARK} corpus in {corpora}", file=sys.stderr)
            return 1
        benchmark = evaluate(corpora, workers=args.workers)
    if args.which in ("both", evalset.EVAL):
        if not (corpora / evalset.EVAL / "evaldata.json").is_file():
            print(f"no {evalset.EVAL} corpus in {corpora}", file=sys.stderr)
            return 1
        second = evalset.evaluate(corpora, workers=args.workers, limit=args.limit)
    print(evalset.side_by_side(benchmark, second))
    if benchmark is not None:
        print("\n" + report(benchmark, worst=args.worst))
        if args.against:
            print()
            print(compare(benchmark, json.loads(Path(args.against).read_text(encoding="utf-8"))))
        if args.save:
            Path(args.save).write_text(json.dumps(scores_json(benchmark), indent=1) + "\n")
    if second is not None:
        print("\n" + evalset.report(second))
    return 0


if __name__ == "__main__":
    sys.exit(main())
