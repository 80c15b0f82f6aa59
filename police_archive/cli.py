"""The `police-archive` command: parses arguments, calls library code, turns errors into messages.

This module is the one place that ties the archive to the crawler: `crawl` and `extract` import
the crawler lazily, so the rest of the archive package stays usable without Scrapy.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from police_archive import backfill, distributed, publishing
from police_archive.common import (
    check_archive_path,
    check_url,
    crawl_lock,
    db_option,
    load_profiles_or_exit,
    max_pages_option,
    open_archive,
    parse_overrides,
    profiles_option,
    settings_option,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="police-news-archive")
def cli() -> None:
    """Crawl police-news sites into a SQLite archive and publish it with Datasette."""


@cli.command()
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@db_option
@max_pages_option
@settings_option
@click.option(
    "--retry-failed/--no-retry-failed",
    default=True,
    show_default=True,
    help="Also fetch the URLs that failed transiently in earlier crawls.",
)
@click.option(
    "--revisit",
    default="due",
    show_default=True,
    metavar="due|all|none|POLICY",
    help="Which archived articles to fetch again: those due by age (REVISIT_POLICY), all, "
    "none, or AGE:INTERVAL rules such as '7d:0, *:30d'.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a live progress line (default: when stderr is a terminal).",
)
@profiles_option
def crawl(
    urls: tuple[str, ...],
    db: str,
    max_pages: int,
    settings: tuple[str, ...],
    retry_failed: bool,
    revisit: str,
    progress: bool | None,
    profile_dirs: tuple[str, ...],
) -> None:
    """Crawl from article or listing URLs into the archive DB.

    Follows each article's In Other News box, More News link and comment thread, and listing
    pagination. Run it again on the same DB (a timer does): pages come with conditional requests
    (an unchanged page costs a 304), articles that changed get a new revision, a killed crawl is
    resumed where it stopped. Exits 0 when the crawl finished, even if some pages failed: they
    are recorded in the `fetches` table with their reason, and transient failures are retried
    next time; 75 when another crawl is writing DB.
    """
    seeds = [check_url(u) for u in urls]
    overrides = parse_overrides(settings)
    if revisit != "due":
        overrides["REVISIT_POLICY"] = revisit
    from crawler.revisits import DEFAULT_POLICY, PolicyError, RevisitPolicy

    try:
        RevisitPolicy.parse(overrides.get("REVISIT_POLICY", DEFAULT_POLICY))
    except PolicyError as exc:
        raise click.BadParameter(str(exc), param_hint="--revisit") from exc
    load_profiles_or_exit(profile_dirs)  # a broken profile is a clear message now, not in the crawl
    if profile_dirs:
        overrides["PROFILES_DIRS"] = ",".join(profile_dirs)
    check_archive_path(db)  # a clear message now for a path that cannot be an archive
    # the lock first: opening the archive would wait for a running crawl's write transaction
    with crawl_lock(db):
        open_archive(db, create=True).close()  # a file that is not an archive: a clear message
        from crawler.report import summary
        from crawler.run import crawl_settings, run_crawl

        if progress is None:
            progress = sys.stderr.isatty()
        options = crawl_settings(
            db=db, max_pages=max_pages, overrides=overrides, progress=progress, retry=retry_failed
        )
        stats = run_crawl(seeds, options)
    click.echo(summary(stats, db))
    if failed := stats.get("archive/write_failed"):
        raise click.ClickException(failed)


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--url",
    metavar="URL",
    help="Read the pages as fetched from URL (this picks the site profile). Default: each "
    "page's own canonical link or og:url, else its file: URI.",
)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    metavar="FILE",
    help="Write the JSON lines to this file (default: standard output).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Extract in this many processes.",
)
@click.option(
    "--as",
    "read_as",
    type=click.Choice(["article", "auto"]),
    default="article",
    show_default=True,
    help="article: read each page as an article, as the crawler reads a page an article link "
    "led to (a page plainly a listing or a comment thread is still read as one); auto: nobody "
    "says what the page is, as a crawl's seed (a short article with many links may be read as "
    "a listing).",
)
@profiles_option
def extract(
    files: tuple[str, ...],
    url: str | None,
    output,
    jobs: int,
    read_as: str,
    profile_dirs: tuple[str, ...],
) -> None:
    """Extract saved HTML FILEs exactly as the crawler does; one JSON object per line.

    Each line holds the FILE and the record the crawler would archive: for an article `url`,
    `title`, `author`, `published` (ISO 8601), `text`, the other article fields and `extractor`
    (the site profile layout, or the fallback: trafilatura or readability). Gzip files (told by
    their magic bytes) and undeclared legacy encodings (detected) are read. A file that gives
    no record gets a line with `file`, `error` (the reason: no_text, not_html, unreadable, ...)
    and `detail`, also shown on stderr, and the batch goes on.

    Exit status: 0 when at least one file gave a record, 1 when every file failed, 2 for a usage
    error (no FILE, a malformed --url).
    """
    if url is not None:
        url = check_url(url)

    from archive.records import PageKind
    from pages.pagefiles import extract_files

    profiles = load_profiles_or_exit(profile_dirs)
    extracted = failed = 0
    jobs_ = ((name, url) for name in files)
    kind = PageKind.ARTICLE if read_as == "article" else None
    for result in extract_files(jobs_, workers=jobs, profiles=profiles, kind=kind):
        output.write(json.dumps(result, ensure_ascii=False) + "\n")
        if "error" in result:
            failed += 1
            detail = f": {result['detail']}" if result.get("detail") else ""
            click.echo(f"{result['file']}: {result['error']}{detail}", err=True)
        else:
            extracted += 1
    output.flush()
    if failed:
        click.echo(f"extracted {extracted} of {extracted + failed} files", err=True)
    if not extracted:
        raise SystemExit(1)


@cli.command("check-site")
@click.argument("target", metavar="URL|FILE")
@click.option(
    "--url",
    metavar="URL",
    help="Read a FILE as fetched from URL (this picks the site profile).",
)
@profiles_option
def check_site(target: str, url: str | None, profile_dirs: tuple[str, ...]) -> None:
    """Show what the crawler sees on one page: the profile and layout that read it (or the
    generic reader), its kind and fields, and every link with its section and whether a crawl
    would follow it. TARGET is a URL (fetched once) or a saved page."""
    if url is not None:
        url = check_url(url)
    if target.startswith(("http://", "https://")):
        check_url(target)
    elif not Path(target).exists():
        raise click.BadParameter(f"neither an http(s) URL nor a file: {target!r}")
    from police_archive import check

    profiles = load_profiles_or_exit(profile_dirs)
    try:
        page = check.load(target, url)
    except (OSError, check.PageFileError) as exc:
        raise click.ClickException(f"cannot read {target}: {exc}") from exc
    click.echo(check.report(page, profiles))


@cli.command()
@click.argument("db", metavar="DB")
@click.option(
    "--warc-dir",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Where the crawls wrote their WARC files (default: warc/ beside DB).",
)
@click.option(
    "--url",
    "urls",
    multiple=True,
    metavar="URL",
    help="Re-extract only this article (repeatable).",
)
@profiles_option
def reextract(
    db: str, warc_dir: str | None, urls: tuple[str, ...], profile_dirs: tuple[str, ...]
) -> None:
    """Read every archived article of DB again from its raw capture, without any network.

    After a trafilatura upgrade or a site-profile fix: a new revision only where the extracted
    content changed (flagged when it looks broken), the extractor's versions recorded on every
    row. Exits 1 when articles could not be re-extracted (they are named), 75 when a crawl is
    writing DB.
    """
    from police_archive.reextract import reextract as run

    profiles = load_profiles_or_exit(profile_dirs)
    folder = Path(warc_dir) if warc_dir else Path(db).parent / "warc"
    with crawl_lock(db), open_archive(db, create=False) as archive:
        report = run(archive, folder, profiles=profiles, urls=list(urls) or None)
    click.echo("\n".join(report.lines(db)))
    if report.problems:
        raise SystemExit(1)


@cli.command()
@click.argument("db", metavar="DB")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Tag every article again (default: those not tagged with this gazetteer's version).",
)
def retag(db: str, everything: bool) -> None:
    """Tag DB's articles with the police forces and people they name, from their stored text.

    For an archive written before tagging, or after a new version of the gazetteer: no network
    and no re-extraction (a crawl tags what it stores). Exits 75 when a crawl is writing DB.
    """
    from pages.gazetteer import Gazetteer
    from pages.tagging import gazetteer_rows, tag_text

    gazetteer = Gazetteer.load()
    articles = forces = people = 0
    with crawl_lock(db), open_archive(db, create=False) as archive:
        archive.save_gazetteer(*gazetteer_rows(gazetteer))
        for url, title, standfirst, text in archive.articles_to_tag(
            None if everything else gazetteer.version
        ):
            found, named, version = tag_text(title, standfirst, text, gazetteer)
            archive.retag(url, found, named, version)
            articles, forces, people = articles + 1, forces + len(found), people + len(named)
    click.echo(
        f"{db}: {articles} article(s) tagged with gazetteer {gazetteer.version}: "
        f"{forces} force(s) and {people} people named"
    )


for _command in (publishing.serve, publishing.publish, publishing.export):
    cli.add_command(_command)
cli.add_command(distributed.worker)
cli.add_command(distributed.writer)
cli.add_command(backfill.backfill)


def main() -> None:
    cli(prog_name="police-archive")
