"""What Datasette publishes: the archive's metadata, configuration and canned queries, and the
Datasette instance that serves them.

Everything Datasette is told about the archive is data in this module:

* `descriptive_metadata()`: title, description, source, licence, and a description of every
  table and column (from `archive.schema`);
* `configuration()`: settings, plugin configuration, per-table options (sort order, label column,
  facets, full-text search) and the canned queries (`CANNED_QUERIES`).

Datasette 0.65 reads both from one ``metadata`` document (`datasette_metadata()` merges them);
Datasette 1.0 reads the first from ``metadata.yaml`` and the second from ``datasette.yaml``, so the
move is writing the two blocks to two files. `make_datasette()` builds the instance `police-archive
serve` runs and the tests query, and `serve()` runs it; the plugin that renders the archive's
pages is `publish.plugin`, and what its search boxes accept is `publish.search`.

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
from publish.search import SNIPPET_END, SNIPPET_START

# The name Datasette serves the archive under, whatever the file is called: URLs stay the same
# across snapshots (/archive/articles/...), so citations keep working.
DATABASE = "archive"

PROJECT_URL = "https://github.com/police-news-archive/police-news-archive"

# The archive's own Datasette plugin (publish.plugin), as Datasette names it, and the key of its
# configuration.
PLUGIN = "police-news-archive"

# ---------------------------------------------------------------------------------------------
# Descriptive metadata (Datasette 1.0: metadata.yaml)

DESCRIPTION_HTML = """\
<p>An archive of UK police trade-press news: articles, the reader comments under them, and the
links between them (each article's <em>In Other News</em> box and <em>More News</em> links).</p>
<p>How it was collected: the <code>police-news-archive</code> crawler starts from article and
listing pages and follows In Other News, More News, listing pagination and comment threads. It
obeys robots.txt, identifies itself in its User-Agent and waits between requests. Each page is
turned into text and metadata by a site profile (Police Oracle's old and modern layouts) or, for
other sites, by trafilatura. Articles are stored as last seen, keyed by canonical URL;
<code>first_seen</code>, <code>last_seen</code> and <code>last_changed</code> say when, and the
<code>crawls</code> and <code>fetches</code> tables record every crawl and every fetch.
Subscriber-only teasers hold only their visible text (<code>paywalled = 1</code>).</p>
<p>Search: words, <code>"exact phrases"</code>, prefixes (<code>burglar*</code> finds burglar,
burglary and burglaries), <code>OR</code> and <code>NOT</code>. The <em>search</em> query ranks
articles and highlights the matches; the articles table combines a search with facets.</p>
<p>To cite an article, give its title, site and publication date, the original URL, and this
archive's page for it with the date it was archived (<code>first_seen</code>).</p>"""

LICENSE = (
    "Article and comment text remain the copyright of their publishers and authors; "
    "archived for research"
)


def descriptive_metadata() -> dict[str, Any]:
    """Title, description, source and licence of the archive, and of every table and column."""
    tables = schema_metadata(DATABASE)["databases"][DATABASE]["tables"]
    return {
        "title": "Police news archive",
        "description_html": DESCRIPTION_HTML,
        "source": "police-news-archive crawler",
        "source_url": PROJECT_URL,
        "license": LICENSE,
        "databases": {
            DATABASE: {
                "description": (
                    f"The archive (SQLite, schema version {SCHEMA_VERSION}): one row per "
                    "article, comment, link, crawl and fetch."
                ),
                "tables": tables,
            }
        },
    }


# ---------------------------------------------------------------------------------------------
# Configuration (Datasette 1.0: datasette.yaml)

# Datasette settings, each with why it has this value.
SETTINGS: dict[str, Any] = {
    # Any one query, researchers' own SQL included, is stopped after this long.
    "sql_time_limit_ms": 1000,
    # Rows in one HTML or JSON page (CSV with _stream=on streams every row).
    "max_returned_rows": 1000,
    # Articles are long rows: 50 to a page keeps the table page quick.
    "default_page_size": 50,
    # Each facet is one GROUP BY; the configured facets have indexes behind them. A facet of a
    # search that matches most of the archive takes longer: it is left out rather than waited for.
    "facet_time_limit_ms": 200,
    # Suggestions cost a query per column on every table page; the configured facets are the
    # useful ones.
    "suggest_facets": False,
    # Only an immutable (published) file is ever offered for download; never the live archive.
    "allow_download": True,
    "allow_csv_stream": True,
    "max_csv_mb": 100,
    # Long text (an article's body) is cut to this many characters in table cells.
    "truncate_cells_html": 240,
    # Researchers may run their own read-only SQL, within the time and length limits, on the
    # local working copy; a public server only when told to (`server_options()`).
    "default_allow_sql": True,
}

# Plugin configuration. Robots: the archive republishes other people's journalism, so search
# engines are asked not to index it (they would send readers here instead of to the originals),
# and crawlers are kept off its unbounded facet, search and SQL pages.
PLUGINS: dict[str, Any] = {
    "datasette-block-robots": {"disallow": ["/"]},
    # What one query may cost (publish.limits): SQLite's limits on every connection to the
    # archive and the text one query may return.
    PLUGIN: {"limits": limits.limits_config()},
}

# Facets on the articles table, all facet types of publish.plugin: `indexed` is
# Datasette's column facet counted from the articles' covering index when the page is filtered or
# searched; `year` and `month` group by a prefix of `published` (ISO 8601).
ARTICLE_FACETS: list[dict[str, str]] = [
    {"indexed": "category"},
    {"indexed": "author"},
    {"indexed": "site"},
    {"year": "published"},
    {"month": "published"},
    {"indexed": "paywalled"},
    {"indexed": "status"},
]

TABLE_CONFIG: dict[str, dict[str, Any]] = {
    "articles": {
        "sort_desc": "published",
        "label_column": "title",
        "facets": ARTICLE_FACETS,
        "fts_table": "articles_fts",
        "fts_pk": "rowid",
    },
    "comments": {
        "sort_desc": "posted",
        "label_column": "author",
        "facets": ["author", {"month": "posted"}],
        "fts_table": "comments_fts",
        "fts_pk": "rowid",
    },
    "links": {"facets": ["section"]},
    "article_links": {"facets": ["section"]},
    "crawls": {"sort_desc": "id"},
    "fetches": {"sort_desc": "id", "facets": ["outcome", "reason", "crawl_id"]},
    "retry_queue": {"sort_desc": "last_failed", "facets": ["reason"]},
    "failures": {"sort_desc": "fetched_at", "facets": ["reason"]},
}

# Columns the articles table page shows unless the reader picks columns (?_col= / ?_nocol=);
# every column is on the article's own page and in the JSON and CSV.
ARTICLE_TABLE_COLUMNS = (
    "url",
    "title",
    "published",
    "author",
    "category",
    "site",
    "standfirst",
    "word_count",
    "comment_count",
    "paywalled",
    "status",
)


@dataclass(frozen=True, slots=True)
class CannedQuery:
    """A named query on the archive's database page (/archive/NAME), with its JSON and CSV."""

    name: str
    title: str
    description: str
    sql: str

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(re.findall(r"(?<!:):(\w+)", self.sql)))


# A query whose rows have `title` (or `from_title`, `to_title`) beside `url` (`from_url`,
# `to_url`) shows the title as a link to the archived article; titles come from `articles` only,
# so a NULL title means the page is not archived. URLs link to the original pages.
CANNED_QUERIES: tuple[CannedQuery, ...] = (
    CannedQuery(
        "search",
        "Search articles",
        "Articles ranked by relevance (a match in the title counts most, then the standfirst), "
        'with the matching passage highlighted. Words, "exact phrases", prefixes (burglar*), '
        "OR and NOT. The first 100 matches; the articles table has them all, with facets.",
        f"""select
  a.title,
  snippet(articles_fts, -1, '{SNIPPET_START}', '{SNIPPET_END}', '…', 32) as snippet,
  a.published,
  a.author,
  a.site,
  a.category,
  a.url
from articles_fts
join articles as a on a.rowid = articles_fts.rowid
where articles_fts match escape_fts(:q)
  and articles_fts.rank match 'bm25(10.0, 5.0, 1.0)'
order by articles_fts.rank
limit 100""",
    ),
    CannedQuery(
        "search_comments",
        "Search comments",
        "Reader comments ranked by relevance, with the matching passage highlighted and the "
        "article they are under. The first 100 matches.",
        f"""select
  snippet(comments_fts, -1, '{SNIPPET_START}', '{SNIPPET_END}', '…', 32) as snippet,
  c.author,
  c.posted,
  a.title,
  c.article_url as url
from comments_fts
join comments as c on c.id = comments_fts.rowid
left join articles as a on a.url = c.article_url
where comments_fts match escape_fts(:q)
order by comments_fts.rank
limit 100""",
    ),
    CannedQuery(
        "most_linked",
        "Most linked-to articles",
        "The In Other News graph: articles by the number of other pages whose In Other News box "
        "links to them.",
        """select
  a.title,
  count(*) as inbound_links,
  a.published,
  a.site,
  a.url
from links as l
join articles as a on a.url = l.to_url
where l.section = 'in_other_news'
group by l.to_url
order by inbound_links desc, a.published desc
limit 100""",
    ),
    CannedQuery(
        "related_articles",
        "An article's related articles",
        "Given an article's URL: the articles it links to (out: its In Other News box and More "
        "News links; a title only when the target is archived) and the archived articles that "
        "link to it (in).",
        """select * from (
  select 'out' as direction, l.section, a.title, l.anchor, a.published, l.to_url as url
  from links as l
  left join articles as a on a.url = l.to_url
  where l.from_url = :url and l.section in ('in_other_news', 'more_news')
  union all
  select 'in', l.section, a.title, l.anchor, a.published, l.from_url
  from links as l
  join articles as a on a.url = l.from_url
  where l.to_url = :url
)
order by direction = 'in', section, published desc""",
    ),
    CannedQuery(
        "articles_per_month",
        "Articles per month",
        "Archived articles by month of publication, with how many are subscriber-only teasers.",
        """select
  substr(published, 1, 7) as month,
  count(*) as articles,
  sum(paywalled) as paywalled
from articles
where published glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
group by month
order by month desc""",
    ),
    CannedQuery(
        "comment_activity",
        "Comment activity per month",
        "Reader comments by month posted: how many, on how many articles, by how many names.",
        """select
  substr(posted, 1, 7) as month,
  count(*) as comments,
  count(distinct article_url) as articles,
  count(distinct author) as commenters
from comments
where posted glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
group by month
order by month desc""",
    ),
    CannedQuery(
        "most_commented",
        "Most commented articles",
        "Articles by the number of comments archived (and the count the article page showed).",
        """select
  a.title,
  count(*) as comments_archived,
  a.comment_count as comments_shown,
  max(c.posted) as last_comment,
  a.published,
  a.url
from comments as c
join articles as a on a.url = c.article_url
group by c.article_url
order by comments_archived desc, a.published desc
limit 100""",
    ),
    CannedQuery(
        "crawl_history",
        "Crawl history",
        "Every crawl, newest first: when it ran, why it stopped, and what it fetched and saved.",
        """select
  id,
  started,
  finished,
  cast(round((julianday(finished) - julianday(started)) * 86400) as integer) as seconds,
  finish_reason,
  pages_fetched,
  articles_new,
  articles_updated,
  articles_unchanged,
  comments_saved,
  failures,
  seeds
from crawls
order by id desc""",
    ),
    CannedQuery(
        "failures_by_reason",
        "Failed fetches by crawl and reason",
        "How many fetches failed in each crawl, by reason (http_404, timeout, robots, ...).",
        """select crawl_id, reason, count(*) as fetches, count(distinct url) as urls
from fetches
where outcome = 'failed'
group by crawl_id, reason
order by crawl_id desc, fetches desc""",
    ),
    # An article's versions: to be added with the revisions table (not in the schema yet).
)
CANNED_QUERIES_BY_NAME = {q.name: q for q in CANNED_QUERIES}


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
    plugins = copy.deepcopy(PLUGINS if plugins is None else plugins)
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
    "make_datasette",
    "serve",
    "server_options",
]
