"""The `police-archive worker` and `police-archive writer` commands: a distributed crawl.

`worker` is a crawler process (as many as you like, on any machine that reaches the crawl's
Redis), `writer` the one process that writes the archive, beside its SQLite file. Added to the
command group by police_archive/cli.py; they import the crawler lazily, as `crawl` does.
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click

from police_archive.common import (
    LOCKED_EXIT,
    check_archive_path,
    check_url,
    crawl_lock,
    db_option,
    load_profiles_or_exit,
    open_archive,
    parse_overrides,
    profiles_option,
    settings_option,
)

__all__ = ["worker", "writer"]

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def _redis_options(command):
    command = click.option(
        "--stats",
        "stats_file",
        type=click.Path(dir_okay=False, writable=True),
        metavar="FILE",
        help="Also write the final stats to FILE, as JSON (for scripts and benchmarks).",
    )(command)
    command = click.option(
        "--crawl",
        "crawl_name",
        default="police_news",
        show_default=True,
        metavar="NAME",
        help="The crawl's name: a crawl's workers and its writer give the same one (its keys in "
        "Redis start with pna:NAME:).",
    )(command)
    return click.option(
        "--redis",
        "redis_url",
        default=DEFAULT_REDIS,
        show_default=True,
        metavar="URL",
        help="The crawl's Redis (redis://[:password@]host:port/db), shared by its workers and "
        "its writer.",
    )(command)


def _connect(redis_url: str):
    """A client of the crawl's Redis, or a clear message."""
    import redis

    try:
        server = redis.Redis.from_url(redis_url, socket_connect_timeout=10)
        server.ping()
    except (redis.RedisError, ValueError) as exc:
        raise click.ClickException(f"cannot reach Redis at {redis_url}: {exc}") from exc
    return server


def shown_url(redis_url: str) -> str:
    """The Redis URL without its password, for messages."""
    parts = urlsplit(redis_url)
    if not parts.password:
        return redis_url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def _keys(crawl_name: str):
    from crawler.redisqueue import CrawlKeys

    try:
        return CrawlKeys(crawl_name)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--crawl") from exc


def _write_stats(path: str | None, stats: dict[str, Any]) -> None:
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(stats, f, indent=1, sort_keys=True, default=str)


@click.command()
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@_redis_options
@click.option(
    "--max-idle",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    metavar="SECONDS",
    help="Close once the whole crawl (every worker) has had nothing queued or being fetched "
    "for this long.",
)
@click.option(
    "--lease-ttl",
    type=click.FloatRange(min=1),
    default=20.0,
    show_default=True,
    metavar="SECONDS",
    help="A worker silent this long counts as dead: the others fetch the pages it had taken.",
)
@settings_option
@profiles_option
def worker(
    urls: tuple[str, ...],
    redis_url: str,
    crawl_name: str,
    stats_file: str | None,
    max_idle: float,
    lease_ttl: float,
    settings: tuple[str, ...],
    profile_dirs: tuple[str, ...],
) -> None:
    """Crawl from URL... as one worker of a distributed crawl (with `police-archive writer`).

    Start any number, on any machines, with the same URLs, --redis and --crawl: they share the
    queue of pages to fetch and the set of pages seen in Redis, so each page is fetched once,
    and push what they fetch to Redis for the writer. A worker opens no archive: revisits and
    conditional requests, the retry queue and --max-pages are not available. It exits when the
    whole crawl has been done (or on Ctrl-C, handing back the pages it had taken).
    """

    seeds = [check_url(u) for u in urls]
    overrides = parse_overrides(settings)
    load_profiles_or_exit(profile_dirs)  # a broken profile is a clear message now
    if profile_dirs:
        overrides["PROFILES_DIRS"] = ",".join(profile_dirs)
    keys = _keys(crawl_name)
    _connect(redis_url).close()
    from crawler.distributed import run_worker, worker_settings

    try:
        options = worker_settings(
            redis_url=redis_url,
            crawl=keys.name,
            max_idle=max_idle,
            lease_ttl=lease_ttl,
            overrides=overrides,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="-s") from exc
    stats = run_worker(seeds, options)
    _write_stats(stats_file, stats)
    click.echo(worker_summary(stats, options.get("DISTRIBUTED_WORKER_ID"), keys.name))
    if unstored := stats.get("distributed/unstored"):
        others = stats.get("distributed/crawls_with_a_writer") or []
        click.echo(
            f"WARNING: no writer is storing crawl '{keys.name}': {unstored} entries wait in "
            f"Redis; start `police-archive writer --redis {shown_url(redis_url)} --crawl "
            f"{keys.name} --db FILE` to store them"
            + (f" (writers run for: {', '.join(others)}: a mistyped --crawl?)" if others else "")
        )
    reason = stats.get("finish_reason")
    if reason == "redis_error":
        raise click.ClickException("the worker stopped: Redis failed (the log says how)")
    if reason not in ("finished", "shutdown"):
        raise click.ClickException(f"the worker stopped ({reason or 'never started'}): see the log")


def worker_summary(stats: dict[str, Any], worker_id: str, crawl: str) -> str:
    def n(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    pushed = sum(n(f"stream/pushed/{k}") for k in ("page", "queue", "dropped"))
    return "\n".join(
        [
            f"Worker {worker_id} of crawl {crawl} closed ({stats.get('finish_reason', '?')})",
            f"  pages fetched       {n('response_received_count')}",
            f"  items pushed        {pushed} (fetches {n('stream/pushed/page')}, seeds "
            f"{n('stream/pushed/queue')}, redirects to pages seen {n('stream/pushed/dropped')})",
            f"  requests re-queued  {n('distributed/requeued')} of stopped workers, "
            f"{n('distributed/returned')} of its own at exit",
        ]
    )


@click.command()
@_redis_options
@db_option
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Entries stored per commit, at most.",
)
@click.option(
    "--until-done",
    is_flag=True,
    help="Exit once the crawl is done (no worker left, nothing queued or being fetched, "
    "everything stored); by default the writer waits for the next crawl until stopped.",
)
def writer(
    redis_url: str, crawl_name: str, stats_file: str | None, db: str, batch: int, until_done: bool
) -> None:
    """Store what the workers of a distributed crawl fetch into the archive DB.

    The one process that writes the archive (SQLite has one writer): run it beside the file, with
    the workers' --redis and --crawl. It commits in batches and only then tells Redis, so
    killed and started again it loses nothing and stores nothing twice. Prints the crawl's
    summary when it is done; exits 75 when another process writes DB or another writer stores
    the crawl (a crawl has one writer).
    """

    keys = _keys(crawl_name)
    check_archive_path(db)
    server = _connect(redis_url)
    from crawler.report import summary
    from crawler.writer import ArchiveWriter

    def started() -> None:
        click.echo(
            f"waiting for the workers of crawl '{keys.name}' on {shown_url(redis_url)} (storing "
            f"into {db}); Ctrl-C to stop"
        )

    def finished(stats: dict[str, Any]) -> None:
        _write_stats(stats_file, stats)
        click.echo(summary(stats, db))
        click.echo(writer_line(stats))

    archive_writer = ArchiveWriter(
        server, keys, db, batch=batch, on_start=started, on_finish=finished
    )
    stop = threading.Event()  # set by Ctrl-C or SIGTERM: the writer stops before its next read
    previous = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        with crawl_lock(db):
            stats = _run_writer(archive_writer, db, stop, until_done)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        server.close()
    if not stats:  # stopped with no crawl in progress
        done = archive_writer.crawls_finished
        click.echo(
            f"stopped: no worker of crawl '{keys.name}' came"
            + (f" since the {done} crawl(s) stored" if done else "")
        )


def _run_writer(archive_writer, db: str, stop: threading.Event, until_done: bool) -> dict:
    """Claim the crawl (exit 75 when another writer holds it), then run the writer."""
    import redis

    from crawler.writer import WriterClaimed, WriterFailed

    name = archive_writer.keys.name
    try:
        archive_writer.claim.take()  # before the archive is created
    except WriterClaimed as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(LOCKED_EXIT) from exc
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot claim crawl '{name}' in Redis: {exc}") from exc
    try:
        open_archive(db, create=True).close()  # a file that is not an archive: a clear message
        return archive_writer.run(until_done=until_done, stop=stop)
    except WriterFailed as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        with contextlib.suppress(redis.RedisError):  # else it lapses
            archive_writer.claim.release()  # when run() did not start


def writer_line(stats: dict[str, Any]) -> str:
    def n(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    return (
        f"  written by the archive writer: {n('writer/entries')} entries in "
        f"{n('writer/batches')} commits ({n('writer/redelivered')} delivered again and skipped, "
        f"{n('writer/unreadable')} unreadable), {stats.get('writer/entries_per_second', 0)} "
        f"entries/s of writing; {n('distributed/workers')} worker(s) reported"
    )
