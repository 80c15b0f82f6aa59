"""The `police-archive backfill` command: archive a site's articles by numeric id.

A crawl like `crawl`'s (same spider, same politeness, same archive), seeded with the articles of a
range of ids instead of URLs (crawler/backfill.py); added to the command group by
police_archive/cli.py, whose checks and messages it shares.
"""

from __future__ import annotations

import sys

import click

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
@click.option("--db", default="police.db", show_default=True, help="The archive (SQLite file).")
@click.option(
    "--max-pages",
    type=click.IntRange(min=0),
    default=0,
    help="Stop after this many pages (0: no limit).",
)
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
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="A Scrapy setting, as with `scrapy crawl -s` (repeatable).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a live progress line (default: when stderr is a terminal).",
)
@click.option(
    "--profiles",
    "profile_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    metavar="DIR",
    help="A folder of site profiles (*.toml) besides the packaged ones; repeatable.",
)
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
    from police_archive import cli as base  # its checks, loaded by now (it registers this)

    overrides = {
        "FOLLOW_FROM_SEEDS": str(follow),
        "REVISIT_POLICY": "none",  # the ids, not the archive's articles due for a visit
        **base._parse_overrides(settings),
    }
    profiles = base._load_profiles(profile_dirs)
    if profile_dirs:
        overrides["PROFILES_DIRS"] = ",".join(profile_dirs)
    try:
        ids = plan(site, first, last, profiles, origin=origin, retry_missing=retry_missing)
    except BackfillError as exc:
        raise click.UsageError(str(exc)) from exc
    base._check_path(db)
    with base._crawl_lock(db):
        base._open_archive(db, create=True).close()
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
