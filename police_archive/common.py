"""What the commands share: their common options, and the checks that turn bad input and a locked
or unreadable archive into clear messages and exit statuses."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import click

from archive.store import Archive, ArchiveError


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"not an http(s) URL: {url!r}", param_hint="URL")
    return url.strip()


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        overrides[name.strip()] = value
    return overrides


def profiles_option(command):
    return click.option(
        "--profiles",
        "profile_dirs",
        multiple=True,
        type=click.Path(exists=True, file_okay=False),
        metavar="DIR",
        help="A folder of site profiles (*.toml) besides the packaged ones; repeatable.",
    )(command)


def load_profiles_or_exit(dirs: Sequence[str]):
    from pages.profiles import ProfileError, load_profiles

    try:
        return load_profiles(dirs)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from exc


# The exit status when another crawl holds the archive (sysexits' EX_TEMPFAIL: try later).
LOCKED_EXIT = 75


@contextlib.contextmanager
def crawl_lock(db: str) -> Iterator[None]:
    """The archive's crawl lock for the whole command, or a clear message and exit 75."""
    from archive import lock

    try:
        lock.acquire(db)
    except lock.ArchiveLocked as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(LOCKED_EXIT) from exc
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield
    finally:
        lock.release(db)


def check_archive_path(path: str) -> None:
    from archive.database import check_path

    try:
        check_path(Path(path), create=True)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc


def open_archive(path: str, *, create: bool) -> Archive:
    try:
        return Archive.open(path, create=create)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc


def settings_option(command):
    """-s/--set NAME=VALUE, repeatable: a Scrapy setting (parse with `parse_overrides`)."""
    return click.option(
        "-s",
        "--set",
        "settings",
        multiple=True,
        metavar="NAME=VALUE",
        help="A Scrapy setting, as with `scrapy crawl -s` (repeatable).",
    )(command)


def db_option(command):
    """--db PATH: the archive (police.db)."""
    return click.option(
        "--db", default="police.db", show_default=True, help="The archive (SQLite file)."
    )(command)


def max_pages_option(command):
    """--max-pages N: the crawl's page budget."""
    return click.option(
        "--max-pages",
        type=click.IntRange(min=0),
        default=0,
        help="Stop after this many pages (0: no limit).",
    )(command)
