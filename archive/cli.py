"""The `police-archive` command: parses arguments, calls library code, turns errors into messages.

This module is the one place that ties the archive to the crawler: `crawl` imports the crawler
lazily, so the rest of the archive package stays usable without Scrapy.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import click

from archive.store import Archive, ArchiveError


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"not an http(s) URL: {url!r}", param_hint="URL")
    return url.strip()


def _parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        overrides[name.strip()] = value
    return overrides


def _open_archive(path: str, *, create: bool) -> Archive:
    try:
        return Archive.open(path, create=create)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="police-news-archive")
def cli() -> None:
    """Crawl police-news sites into a SQLite archive and publish it with Datasette."""


@cli.command()
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option("--db", default="police.db", show_default=True, help="The archive (SQLite file).")
@click.option(
    "--max-pages",
    type=click.IntRange(min=0),
    default=0,
    help="Stop after this many pages (0: no limit).",
)
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="A Scrapy setting, as with `scrapy crawl -s` (repeatable).",
)
@click.option(
    "--retry-failed/--no-retry-failed",
    default=True,
    show_default=True,
    help="Also fetch the URLs that failed transiently in earlier crawls.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a live progress line (default: when stderr is a terminal).",
)
def crawl(
    urls: tuple[str, ...],
    db: str,
    max_pages: int,
    settings: tuple[str, ...],
    retry_failed: bool,
    progress: bool | None,
) -> None:
    """Crawl from article or listing URLs into the archive DB.

    Follows each article's In Other News box, More News link and comment thread, and listing
    pagination. Exits 0 when the crawl finished, even if some pages failed: they are recorded in
    the `fetches` table with their reason, and transient failures are retried next time.
    """
    seeds = [_check_url(u) for u in urls]
    overrides = _parse_overrides(settings)
    archive = _open_archive(db, create=True)
    try:
        if retry_failed:
            seeds += [u for u in archive.retry_urls() if u not in seeds]
    finally:
        archive.close()

    from crawler.run import crawl_settings, run_crawl

    if progress is None:
        progress = sys.stderr.isatty()
    stats = run_crawl(
        seeds, crawl_settings(db=db, max_pages=max_pages, overrides=overrides, progress=progress)
    )
    click.echo(summary(stats, db))


def summary(stats: dict, db: str) -> str:
    """What a finished crawl did, for the terminal."""
    reasons = sorted(
        (
            (k.removeprefix("archive/reasons/"), v)
            for k, v in stats.items()
            if k.startswith("archive/reasons/")
        ),
        key=lambda kv: (-kv[1], kv[0]),
    )
    lines = [
        f"Crawl {stats.get('archive/crawl_id', '?')} finished ({stats.get('finish_reason', '?')})"
        f" into {db}",
        f"  pages fetched      {stats.get('response_received_count', 0)}",
        f"  articles new       {stats.get('archive/articles/new', 0)}",
        f"  articles updated   {stats.get('archive/articles/updated', 0)}",
        f"  articles unchanged {stats.get('archive/articles/unchanged', 0)}",
        f"  comments new       {stats.get('archive/comments/new', 0)}",
        f"  failed fetches     {stats.get('archive/fetches/failed', 0)}",
    ]
    if reasons:
        lines.append("  not stored, by reason:")
        lines += [f"    {reason:<22} {count}" for reason, count in reasons]
    return "\n".join(lines)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def serve(db: str, host: str, port: int) -> None:
    """Browse and search the archive DB in Datasette."""
    if not Path(db).exists():
        raise click.ClickException(f"no archive at {db}: run `police-archive crawl` first")
    _open_archive(db, create=False).close()
    args = [sys.executable, "-m", "datasette", "serve", db, "--host", host, "--port", str(port)]
    os.execv(sys.executable, args)


def main() -> None:
    cli(prog_name="police-archive")
