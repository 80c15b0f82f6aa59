"""What Datasette publishes: the archive's metadata, configuration and canned queries, and the
Datasette instance that serves them.

Everything Datasette is told about the archive is data, in files beside this module:

* ``config/metadata.yaml``: title, description, source, licence; `descriptive_metadata()` adds a
  description of every table and column from the schema (`archive.schemadoc`);
* ``config/datasette.yaml``: settings, plugin configuration, per-table options (sort order, label
  column, facets, full-text search) and the canned queries' titles and descriptions, with each
  query's SQL in ``config/queries/NAME.sql`` (`CANNED_QUERIES`); `configuration()` adds what
  the server decides: whether it is public, whether it allows SQL, the query limits.

Datasette 0.65 reads both from one ``metadata`` document (`datasette_metadata()` merges them);
Datasette 1.0 reads them as two files of the same names. `make_datasette()` builds the instance
`police-archive serve` runs and the tests query, and `serve()` runs it; the plugin that renders
the archive's pages is `publish.plugin`, its facets `publish.facets`, and what its search boxes
accept is `publish.search`.

``serve`` on the live archive (the crawler may be writing to it: WAL mode lets Datasette read
while it writes) is read-only, with SQL time limits, row limits and robots.txt refusing crawlers;
comment text is as archived, since it is your own copy (served on 127.0.0.1 by default). The copies
made for publishing (a snapshot served immutable, exports) are `publish.copies`.

Every server has the limits of `publish.limits` on its connections to the archive and reveals
no file-system path. A *public* server (``make_datasette(public=True)``: `police-archive serve`
on an address other than loopback, ``--immutable``, or ``publish --serve``) refuses arbitrary SQL
unless `allow_sql`; the plugin (`publish.plugin`) enforces both, from its configuration
(`PLUGIN`).

No Scrapy and no crawler import here: publishing works on an archive file alone.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.schema import SCHEMA_VERSION
from archive.schemadoc import datasette_metadata as schema_metadata
from publish import limits

# The name Datasette serves the archive under, whatever the file is called: URLs stay the same
# across snapshots (/archive/articles/...), so citations keep working.
DATABASE = "archive"

# The archive's own Datasette plugin (publish.plugin), as Datasette names it, and the key of its
# configuration.
PLUGIN = "police-news-archive"

# ---------------------------------------------------------------------------------------------
# The configuration files: config/metadata.yaml, config/datasette.yaml, config/queries/*.sql

CONFIG = Path(__file__).parent / "config"


def _yaml(name: str) -> dict[str, Any]:
    import yaml  # a Datasette dependency

    data = yaml.safe_load((CONFIG / name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{CONFIG / name}: expected a YAML mapping")
    return data


@dataclass(frozen=True, slots=True)
class CannedQuery:
    """A named query on the archive's database page (/archive/NAME), with its JSON and CSV:
    its title and description in config/datasette.yaml, its SQL in config/queries/NAME.sql."""

    name: str
    title: str
    description: str
    sql: str

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(re.findall(r"(?<!:):(\w+)", self.sql)))


def _queries(listed: dict[str, dict[str, str]]) -> tuple[CannedQuery, ...]:
    files = {path.stem: path for path in (CONFIG / "queries").glob("*.sql")}
    if set(files) != set(listed):
        raise ValueError(
            f"{CONFIG}: queries in datasette.yaml {sorted(listed)} and queries/*.sql "
            f"{sorted(files)} differ"
        )
    return tuple(
        CannedQuery(name, q["title"], q["description"], files[name].read_text("utf-8").strip())
        for name, q in listed.items()
    )


_METADATA = _yaml("metadata.yaml")
_CONFIG = _yaml("datasette.yaml")
SETTINGS: dict[str, Any] = _CONFIG["settings"]
TABLE_CONFIG: dict[str, dict[str, Any]] = _CONFIG["tables"]
CANNED_QUERIES = _queries(_CONFIG["queries"])
CANNED_QUERIES_BY_NAME = {q.name: q for q in CANNED_QUERIES}
ARTICLE_TABLE_COLUMNS = tuple(_CONFIG["plugins"][PLUGIN]["article_columns"])
# Columns holding dates and timestamps, shown readably in HTML (publish.dates), and the order of
# the tables on the home page.
DATE_COLUMNS = frozenset(_CONFIG["plugins"][PLUGIN]["date_columns"])
HOME_TABLES = tuple(_CONFIG["plugins"][PLUGIN]["home_tables"])


def descriptive_metadata() -> dict[str, Any]:
    """Title, description, source and licence of the archive (config/metadata.yaml), and of
    every table and column (from the schema)."""
    metadata = copy.deepcopy(_METADATA)
    database = metadata["databases"][DATABASE]
    database["description"] = database["description"].format(schema_version=SCHEMA_VERSION)
    database["tables"] = schema_metadata(DATABASE)["databases"][DATABASE]["tables"]
    return metadata


def plugins_config() -> dict[str, Any]:
    """The plugins' configuration (config/datasette.yaml) with the query limits
    (`publish.limits`) in the archive plugin's."""
    plugins = copy.deepcopy(_CONFIG["plugins"])
    plugins[PLUGIN]["limits"] = limits.limits_config()
    return plugins


def is_loopback(host: str) -> bool:
    """Whether a server listening on `host` is reachable from this machine only: 127.0.0.0/8,
    ::1 or localhost. Any other address or name (0.0.0.0, a LAN address) makes a public one."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_options(*, public: bool = False, allow_sql: bool | None = None) -> dict[str, bool]:
    """What the plugin is told about the server: whether it is `public`, and whether arbitrary
    SQL is allowed (`allow_sql`; by default on a local server only)."""
    return {"public": public, "allow_sql": (not public) if allow_sql is None else allow_sql}


def configuration(
    *,
    plugins: dict[str, Any] | None = None,
    public: bool = False,
    allow_sql: bool | None = None,
) -> dict[str, Any]:
    """Settings, plugin configuration, per-table options and canned queries, for a local server
    or a `public` one (arbitrary SQL off unless `allow_sql`)."""
    options = server_options(public=public, allow_sql=allow_sql)
    plugins = plugins_config() if plugins is None else copy.deepcopy(plugins)
    plugins[PLUGIN] = {**plugins.get(PLUGIN, {}), **options}
    return {
        "settings": {**SETTINGS, "default_allow_sql": options["allow_sql"]},
        "plugins": plugins,
        "databases": {
            DATABASE: {
                "tables": copy.deepcopy(TABLE_CONFIG),
                "queries": {
                    q.name: {"title": q.title, "description": q.description, "sql": q.sql}
                    for q in CANNED_QUERIES
                },
            }
        },
    }


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` updated by `extra`, recursively for nested dicts (lists and values replaced)."""
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def datasette_metadata(
    *,
    overrides: dict[str, Any] | None = None,
    public: bool = False,
    allow_sql: bool | None = None,
) -> dict[str, Any]:
    """The Datasette 0.65 ``metadata`` document: both blocks merged (settings excluded: they
    are passed to Datasette separately), then `overrides` (a deployer's own title, licence...).
    Whether the server is public and allows SQL is not the metadata's to override; limits it
    sets must be SQLite's (ValueError)."""
    config = configuration(public=public, allow_sql=allow_sql)
    config.pop("settings")
    merged = deep_merge(descriptive_metadata(), config)
    merged = deep_merge(merged, overrides or {})
    plugins = merged["plugins"] if isinstance(merged.get("plugins"), dict) else {}
    own = plugins[PLUGIN] if isinstance(plugins.get(PLUGIN), dict) else {}
    merged["plugins"] = {
        **plugins,
        PLUGIN: {**own, **server_options(public=public, allow_sql=allow_sql)},
    }
    limits.limits_config(own.get("limits"))  # ValueError for a limit SQLite does not have
    return merged


def load_metadata_file(path: str | Path) -> dict[str, Any]:
    """A JSON or YAML metadata file (as Datasette's --metadata takes)."""
    text = Path(path).read_text(encoding="utf-8")
    if str(path).endswith((".yaml", ".yml")):
        import yaml  # a Datasette dependency

        data = yaml.safe_load(text)
    else:
        data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON or YAML object")
    return data


# ---------------------------------------------------------------------------------------------
# Datasette


def make_datasette(
    path: str | Path,
    *,
    immutable: bool = False,
    public: bool | None = None,
    allow_sql: bool | None = None,
    metadata_overrides: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
):
    """The Datasette instance `police-archive serve` runs: the archive at `path` served as
    DATABASE, read-only (immutable when `immutable`: a published snapshot, downloadable).

    A `public` server (by default: an immutable one) refuses arbitrary SQL unless `allow_sql`;
    a local one allows it unless `allow_sql` is False."""
    from datasette.app import Datasette
    from datasette.database import Database

    public = immutable if public is None else public
    options = server_options(public=public, allow_sql=allow_sql)
    path = str(Path(path).resolve())
    ds = Datasette(
        [],
        metadata=datasette_metadata(
            overrides=metadata_overrides, public=public, allow_sql=allow_sql
        ),
        settings={**SETTINGS, **(settings or {}), "default_allow_sql": options["allow_sql"]},
        template_dir=str(Path(__file__).parent / "templates"),
    )
    ds.remove_database("_memory")  # Datasette adds it when given no files
    ds.add_database(Database(ds, path=path, is_mutable=not immutable), name=DATABASE)
    return ds


def serve(ds, *, host: str, port: int, log_level: str = "info") -> None:
    """Run `ds` with uvicorn until interrupted (what `datasette serve` does), with SQLite's memory
    in this process capped (`publish.limits.limit_heap`) and plain tracebacks.

    Datasette prints every error it handles, 403s and 404s included, as a Rich traceback with
    the local variables, on the event loop: about 3 s for a query that ran out of memory, during
    which no other request is answered, and the requests' values in the log. Without Rich it
    prints the traceback of a real error (a 500) only, plainly."""
    import asyncio

    import datasette.handle_exception
    import uvicorn

    limits.limit_heap()
    datasette.handle_exception.rich = None
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level=log_level, lifespan="on", workers=1)


__all__ = [
    "ARTICLE_TABLE_COLUMNS",
    "CANNED_QUERIES",
    "CANNED_QUERIES_BY_NAME",
    "DATABASE",
    "DATE_COLUMNS",
    "HOME_TABLES",
    "PLUGIN",
    "SETTINGS",
    "TABLE_CONFIG",
    "CannedQuery",
    "configuration",
    "datasette_metadata",
    "deep_merge",
    "descriptive_metadata",
    "is_loopback",
    "load_metadata_file",
    "plugins_config",
    "make_datasette",
    "serve",
    "server_options",
]
