"""The `police-archive` commands that publish the archive: `serve` (Datasette), `publish` (a
snapshot to publish) and `export` (a table as JSON lines or CSV). Added to the command group by
police_archive/cli.py; they read the archive through `publish` alone, never the crawler.
"""

from __future__ import annotations

from pathlib import Path

import click

from archive.store import ArchiveError
from publish.copies import EXPORT_FORMATS, EXPORTABLE

__all__ = ["export", "publish", "serve"]


def _server_options(command):
    """--host, --port, --metadata and --allow-sql, for the commands that start Datasette."""
    command = click.option(
        "--allow-sql/--no-allow-sql",
        default=None,
        help="Let readers run their own read-only SQL (?sql=, _where=). Default: allowed on "
        "a local server (127.0.0.1, localhost, ::1), refused on a public one (any other --host, "
        "--immutable, publish --serve).",
    )(command)
    command = click.option(
        "--metadata",
        "metadata_file",
        type=click.Path(exists=True, dir_okay=False),
        help="JSON or YAML merged over the archive's own Datasette metadata "
        "(your title, licence, plugin settings...).",
    )(command)
    command = click.option("--port", default=8001, show_default=True, type=int)(command)
    command = click.option(
        "--host",
        default="127.0.0.1",
        show_default=True,
        help="Address to listen on (0.0.0.0: every interface).",
    )(command)
    return command


def _serve(
    db: str,
    host: str,
    port: int,
    metadata_file: str | None,
    *,
    immutable: bool,
    allow_sql: bool | None,
) -> None:
    from publish import app as publish
    from publish import copies

    if not Path(db).exists():
        raise click.ClickException(f"no archive at {db}: run `police-archive crawl` first")
    public = immutable or not publish.is_loopback(host)
    try:
        copies.open_readonly(db).close()
        overrides = publish.load_metadata_file(metadata_file) if metadata_file else None
        ds = publish.make_datasette(
            db,
            immutable=immutable,
            public=public,
            allow_sql=allow_sql,
            metadata_overrides=overrides,
        )
    except (ArchiveError, OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not immutable and public:
        click.echo(
            f"Serving the live archive on {host}: comments keep commenters' e-mail addresses. "
            "`police-archive publish` makes a copy for publishing.",
            err=True,
        )
    sql = "allowed, within limits" if ds.setting("default_allow_sql") else "refused (--allow-sql)"
    click.echo(f"{'Public' if public else 'Local'} server: arbitrary SQL {sql}", err=True)
    click.echo(f"Datasette on http://{host}:{port}/{publish.DATABASE} (Ctrl-C to stop)", err=True)
    publish.serve(ds, host=host, port=port)


@click.command()
@click.argument("db", type=click.Path(dir_okay=False))
@_server_options
@click.option(
    "--immutable",
    is_flag=True,
    help="DB is a published snapshot (`police-archive publish`): served as never changing, "
    "and downloadable.",
)
def serve(
    db: str,
    host: str,
    port: int,
    metadata_file: str | None,
    allow_sql: bool | None,
    immutable: bool,
) -> None:
    """Browse, search and query the archive DB in Datasette.

    Read-only, with SQL time, length and row limits; robots.txt asks crawlers to stay away. The
    live archive may be served while a crawl writes to it. Pages, JSON and CSV are at
    /archive/... A public server (--host other than loopback, or --immutable) refuses
    arbitrary SQL unless --allow-sql.
    """
    _serve(db, host, port, metadata_file, immutable=immutable, allow_sql=allow_sql)


@click.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("snapshot", type=click.Path(dir_okay=False))
@click.option(
    "--keep-emails",
    is_flag=True,
    help="Keep commenters' e-mail addresses (for a private copy).",
)
@click.option("--overwrite", is_flag=True, help="Replace SNAPSHOT when it exists.")
@click.option(
    "--serve", "then_serve", is_flag=True, help="Then serve SNAPSHOT, immutable and downloadable."
)
@_server_options
def publish(
    db: str,
    snapshot: str,
    keep_emails: bool,
    overwrite: bool,
    then_serve: bool,
    host: str,
    port: int,
    metadata_file: str | None,
    allow_sql: bool | None,
) -> None:
    """Write SNAPSHOT, a copy of the archive DB to publish.

    A consistent copy even while a crawl writes (VACUUM INTO), with commenters' e-mail
    addresses masked, full-text indexes optimised and no -wal file. Serve it with
    `police-archive serve SNAPSHOT --immutable` (or --serve here): the file is then also
    downloadable at /archive.db, and arbitrary SQL is refused unless --allow-sql.
    """
    from publish import copies

    try:
        report = copies.snapshot(db, snapshot, keep_emails=keep_emails, overwrite=overwrite)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    masked = "kept" if keep_emails else f"masked in {report.emails_masked} comments"
    click.echo(
        f"Snapshot {report.path}: {report.articles} articles, {report.comments} comments, "
        f"e-mail addresses {masked}, {report.size / 1e6:.1f} MB in {report.seconds:.1f} s"
    )
    if then_serve:
        _serve(snapshot, host, port, metadata_file, immutable=True, allow_sql=allow_sql)


@click.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option(
    "--table",
    type=click.Choice(EXPORTABLE),
    default="articles",
    show_default=True,
    help="The table or view to export.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="jsonl",
    show_default=True,
    help="JSON lines (one object a row) or CSV (with a header row).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="File to write (default: standard output).",
)
@click.option(
    "--keep-emails",
    is_flag=True,
    help="Keep commenters' e-mail addresses (masked by default).",
)
def export(db: str, table: str, fmt: str, output: str, keep_emails: bool) -> None:
    """Write one table of the archive DB as JSON lines or CSV, without a server.

    Rows in primary-key order, every documented column (README: the archive). Reads only: safe
    while a crawl writes.
    """
    from publish import copies

    try:
        n = copies.export(db, table, fmt, output, keep_emails=keep_emails)
    except (ArchiveError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Exported {n} rows of {table} to {output}", err=True)
