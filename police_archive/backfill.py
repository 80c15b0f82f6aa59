"""The `police-archive backfill` command: archive a site's articles by numeric id.

A crawl like `crawl`'s (same spider, same politeness, same archive), seeded with the articles of a
range of ids instead of URLs (crawler/backfill.py); added to the command group by
police_archive/cli.py, whose checks and messages it shares.
"""

from __future__ import annotations

import sys

import click

from police_archive.common import (
    check_archive_path,
    crawl_lock,
    db_option,
    load_profiles_or_exit,
    max_pages_option,
    open_archive,
    parse_overrides,
    profiles_option,
    settings_option,
)

__all__ = ["backfill"]


@click.command()
@click.option(
    "--site",
    required=True,
    metavar="NAME",
    help="The site's profile (policeoracle): its article_by_id says where articles are by id.",
)
@click.option(
    "--from-id",
    "first",
    type=click.IntRange(min=0),
    required=True,
    metavar="A",
    help="The first id.",
)
@click.option(
    "--to-id",
    "last",
    type=click.IntRange(min=0),
    required=True,
    metavar="B",
    help="The last id; below A, the ids are requested newest first.",
)
@db_option
@max_pages_option
@click.option(
    "--follow/--no-follow",
    default=False,
    show_default=True,
    help="Also follow the articles' In Other News and More News links, as `crawl` does. "
    "Default: the ids' articles and their comment threads only.",
)
@click.option(
    "--retry-missing",
    is_flag=True,
    help="Request again the ids whose latest fetch was a 404 or 410 (skipped by default).",
)
@click.option(
    "--origin",
    metavar="URL",
    help="Fetch the ids from this origin (scheme://host[:port]), a host of the same site, "
    "instead of the profile's: e.g. http://www.policeoracle.localhost, its loopback replica.",
)
@settings_option
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a live progress line (default: when stderr is a terminal).",
)
@profiles_option
def backfill(
    site: str,
    first: int,
    last: int,
    db: str,
    max_pages: int,
    follow: bool,
    retry_missing: bool,
    origin: str | None,
    settings: tuple[str, ...],
    progress: bool | None,
    profile_dirs: tuple[str, ...],
) -> None:
    """Archive the articles of SITE with ids A to B, for the years no link reaches.

    Requests each id's article URL (the profile's article_by_id), politely, as `crawl` does
    (robots.txt, delay, AutoThrottle), with its comment thread; skips the ids already archived
    (but fetches their comment threads never fetched), and those whose latest fetch was a 404
    or 410 unless --retry-missing. An id without an
    article is recorded in `fetches` (404) and counted apart, not as a failure. At most 100,000
    ids at a time; run it again to resume one that was stopped. Exits as `crawl` does: 0 when
    the crawl finished, 75 when another crawl is writing DB.
    """
    from crawler.backfill import BackfillError, missing_ids, plan

    overrides = {
        "FOLLOW_FROM_SEEDS": str(follow),
        "REVISIT_POLICY": "none",  # the ids, not the archive's articles due for a visit
        **parse_overrides(settings),
    }
    profiles = load_profiles_or_exit(profile_dirs)
    if profile_dirs:
        overrides["PROFILES_DIRS"] = ",".join(profile_dirs)
    try:
        ids = plan(site, first, last, profiles, origin=origin, retry_missing=retry_missing)
    except BackfillError as exc:
        raise click.UsageError(str(exc)) from exc
    check_archive_path(db)
    with crawl_lock(db):
        open_archive(db, create=True).close()
        from crawler.report import summary
        from crawler.run import crawl_settings, run_crawl

        if progress is None:
            progress = sys.stderr.isatty()
        options = crawl_settings(
            db=db, max_pages=max_pages, overrides=overrides, progress=progress, retry=False
        )
        stats = run_crawl([], options, backfill=ids)
    stats.update(missing_ids(stats, db))  # counted in the archive, once the crawl's rows are in
    click.echo(summary(stats, db))
    if failed := stats.get("archive/write_failed"):
        raise click.ClickException(failed)
