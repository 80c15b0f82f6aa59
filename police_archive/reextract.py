"""Re-extraction: read every archived article again from its raw capture, without any network.

After a trafilatura upgrade or a site-profile fix, `police-archive reextract DB` reads each
article's latest capture (the fetch log's pointer into the crawl's WARC files: crawler/warc.py)
with the extraction as it is now, as the crawler would (the archived title as the link text it
would have followed), and stores the result as a run of its own in `crawls` (finish reason
``reextract``): a new revision only where the extracted content changed (flagged, as in a crawl,
when it looks broken), and the extractor's versions on every row either way. What a crawl saw
(last_seen, status, links' first_seen) is left alone; the links found in the page are refreshed.

Articles without a capture (archived by a release before the WARC capture, or with WARC off) and
captures that cannot be read or no longer read as an article are counted and named, never
silently skipped; nothing is changed for them.
"""

from __future__ import annotations

import gzip
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.records import Article, NotAnArticle, PageKind
from archive.store import Archive
from pages.kinds import Hint
from pages.profiles import Profiles

# the latest capture of each article: the newest 200 of the URL its last fetch came from
_CAPTURES = """
SELECT a.url, a.title, f.id, f.final_url, f.content_type, f.warc_file, f.warc_offset
FROM articles AS a
LEFT JOIN fetches AS f ON f.id = (
    SELECT max(g.id) FROM fetches AS g
    WHERE g.final_url = a.fetched_url AND g.status = 200 AND g.warc_file IS NOT NULL
)
ORDER BY a.url
"""


@dataclass(frozen=True, slots=True)
class Capture:
    url: str  # the article's URL in the archive
    title: str  # its archived title (the extraction's hint, as a followed link's text)
    fetch_id: int | None
    final_url: str | None
    content_type: str | None
    warc_file: str | None
    warc_offset: int | None


@dataclass
class Report:
    run_id: int
    outcomes: Counter[str] = field(default_factory=Counter)
    problems: dict[str, str] = field(default_factory=dict)  # url -> why it was not re-extracted

    def lines(self, db: str) -> list[str]:
        o = self.outcomes
        done = o["updated"] + o["flagged"] + o["unchanged"]
        out = [
            f"Re-extraction {self.run_id} of {db}: {done} article(s) read again from their "
            "raw capture",
            f"  changed (new revision)   {o['updated']}",
            f"  unchanged                {o['unchanged']}",
            f"  flagged (looks broken)   {o['flagged']}",
            f"  not re-extracted         {len(self.problems)}",
        ]
        for url, why in list(self.problems.items())[:20]:
            out.append(f"    {url}: {why}")
        if len(self.problems) > 20:
            out.append(f"    ... and {len(self.problems) - 20} more")
        return out


def captures(archive: Archive, urls: list[str] | None = None) -> list[Capture]:
    rows = archive.db.execute(_CAPTURES).fetchall()
    wanted = set(urls or [])
    return [Capture(*row) for row in rows if not wanted or row[0] in wanted]


def read_capture(warc_dir: Path, capture: Capture) -> tuple[bytes, str | None]:
    """The body (content-decoded) and Content-Type of the capture's response record."""
    assert capture.warc_file is not None and capture.warc_offset is not None
    path = warc_dir / capture.warc_file
    if not path.exists():
        raise ValueError(f"{capture.warc_file} is not in {warc_dir} (--warc-dir names the folder)")
    with path.open("rb") as f:
        f.seek(capture.warc_offset)
        for record in ArchiveIterator(f):
            if record.rec_type != "response":
                raise ValueError(f"{path} at {capture.warc_offset}: a {record.rec_type} record")
            target = record.rec_headers.get_header("WARC-Target-URI")
            if capture.final_url and target != capture.final_url:
                raise ValueError(f"{path} at {capture.warc_offset}: a record of {target}")
            content_type = (
                record.http_headers.get_header("Content-Type") if record.http_headers else None
            )
            return record.content_stream().read(), content_type or capture.content_type
    raise ValueError(f"{path}: no record at offset {capture.warc_offset}")


def reextract(
    archive: Archive,
    warc_dir: Path,
    *,
    profiles: Profiles | None = None,
    urls: list[str] | None = None,
    settings: dict | None = None,
) -> Report:
    """Re-extract the archive's articles (or those of `urls`) from their captures in `warc_dir`."""
    from pages.extract import parse_page

    run_id = archive.start_crawl(seeds=[], settings={"command": "reextract", **(settings or {})})
    report = Report(run_id)
    for capture, result in _extracted(warc_dir, captures(archive, urls), profiles, parse_page):
        if isinstance(result, str):
            report.problems[capture.url] = result
            continue
        article = replace(result, url=capture.url)  # filed under its archived URL
        outcome = archive.reextracted(article, run_id=run_id, fetch_id=capture.fetch_id)
        report.outcomes[outcome] += 1
    archive.finish_crawl(
        run_id,
        finish_reason="reextract",
        stats={f"reextract/{k}": v for k, v in report.outcomes.items()},
    )
    return report


def _extracted(warc_dir, items, profiles, parse_page) -> Iterator[tuple[Capture, Article | str]]:
    for capture in items:
        if capture.warc_file is None:
            yield capture, "no raw capture (archived before WARC capture, or with WARC off)"
            continue
        try:
            body, content_type = read_capture(warc_dir, capture)
        except (OSError, ValueError, gzip.BadGzipFile, sqlite3.Error) as exc:
            yield capture, f"cannot read the capture: {exc}"
            continue
        hint = Hint(kind=PageKind.ARTICLE, anchor=capture.title)
        url = capture.final_url or capture.url
        try:
            page = parse_page(url, body, content_type=content_type, hint=hint, profiles=profiles)
        except NotAnArticle as exc:
            yield capture, f"no longer read as an article ({exc})"
            continue
        except Exception as exc:  # a bug in extraction costs one article, not the run
            yield capture, f"extraction failed: {type(exc).__name__}: {exc}"
            continue
        if not isinstance(page, Article):
            yield capture, f"now read as a {type(page).__name__}, not an article"
            continue
        yield capture, page
