"""A page for each police force and policing body, ``/-/force/ID``, and their index,
``/-/forces``: what the archive's articles say about one body at a glance.

A body's page (template ``archive-force.html``): its name, kind, nation and the names articles
use for it; for a Police and Crime Commissioner the force it oversees, for a force its
commissioner; how many articles name it and how many in the headline or standfirst; their
number per month (the chart of `publish.trends`, loaded beside the page); the people named with
it, most articles first (`MAX_PEOPLE_SHOWN`); its `MAX_ARTICLES_SHOWN` newest articles, with a
link to all of them in the ``force_articles`` view, filterable and faceted. An id the archive
does not know is a 404.

The index (template ``archive-forces.html``) lists every body at least one article names,
grouped by kind, with its number of articles.

Every query reads indexes (``article_forces_force``: force, in_headline, article_url;
``people_force``; ``articles_listing``) and looks up only the articles it shows: an article's
text is never read. At 100,000 articles a page takes about 50 ms, 100 ms for a body a third of
them name.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from datasette import Response
from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound

from publish.app import DATABASE
from publish.reader import FORCE_ROUTE, article_path, force_path
from publish.trends import (
    ARCHIVE_SIZE,
    PERMISSIONS,
    UNTAGGED,
    chart_object,
    dated,
    is_tagged,
    plausible,
)

FORCES_ROUTE = "/-/forces"
MAX_ARTICLES_SHOWN = 100
MAX_PEOPLE_SHOWN = 50
# The colour of the heading's border, as Datasette 0.65 draws the archive's table and row pages.
PAGE_COLOUR = "ff0000"
# Each kind of body (forces.kind), in the order the index lists them: its heading there, and
# what a body of that kind is called on its page.
KINDS = {
    "territorial": ("Territorial police forces", "territorial police force"),
    "special": ("Special police forces", "special police force"),
    "agency": ("Agencies", "law enforcement agency"),
    "national": ("National policing bodies", "national policing body"),
    "oversight": ("Oversight and inspection", "oversight or inspection body"),
    "staff": ("Staff associations", "staff association"),
    "pcc": ("Police and Crime Commissioners", "Police and Crime Commissioner"),
}
OTHER_KIND = ("Other bodies", "body no longer in the gazetteer")

_BODY = "select id, name, kind, nation, force, names from forces where id = :id"
_COUNTS = (
    "select count(*) as articles, coalesce(sum(in_headline), 0) as in_headline\n"
    "from article_forces where force = :id"
)
# A body's newest articles, two ways, whichever reads less (`reads_in_order`): look each of its
# articles up and sort them (dated first), or read the articles_listing index newest first (each
# entry's URL is in it) until enough of them are the body's, then look up only those.
_NEWEST = f"""select a.url, a.title, a.published, af.in_headline
from article_forces as af cross join articles as a on a.url = af.article_url
where af.force = :id
order by a.published glob '[0-9]*' desc, a.published desc
limit {MAX_ARTICLES_SHOWN}"""
_NEWEST_IN_ORDER = f"""select a.url, a.title, a.published, af.in_headline
from (
  select rowid, url, published from articles
  where {dated("published")}
    and +url in (select article_url from article_forces where force = :id)
  order by published desc
  limit {MAX_ARTICLES_SHOWN}
) as n
join articles as a on a.rowid = n.rowid
join article_forces as af on af.article_url = n.url and af.force = :id
order by n.published desc"""
# a person's rank in the latest row written (SQLite takes a bare column from the max() row)
_PEOPLE = f"""select name, rank, count(*) as articles, max(rowid) as latest,
  count(*) over () as people
from people where force = :id
group by name
order by articles desc, name
limit {MAX_PEOPLE_SHOWN}"""
# counted from the index first, then named: one lookup a body, not one an article
_INDEX = """select c.force as id, coalesce(f.name, c.force) as name, f.kind, f.nation, c.articles,
  c.in_headline
from (
  select force, count(*) as articles, sum(in_headline) as in_headline
  from article_forces group by force
) as c
left join forces as f on f.id = c.force"""


def reads_in_order(articles: int, size: int) -> bool:
    """Whether a body's newest articles are found by reading the archive newest first: that
    reads about MAX_ARTICLES_SHOWN * size / articles index entries, where looking its
    `articles` up reads that many rows, each costing a few entries' worth."""
    return articles * articles > 50 * size


def table_link(datasette, table: str, **args: Any) -> str:
    return datasette.urls.table(DATABASE, table) + ("?" + urlencode(args) if args else "")


def kind_name(kind: str | None) -> str:
    return KINDS.get(kind or "", OTHER_KIND)[1]


async def _database(datasette, request):
    await datasette.ensure_permissions(request.actor, PERMISSIONS)
    if DATABASE not in datasette.databases:
        raise NotFound("This server does not serve the archive")
    db = datasette.get_database(DATABASE)
    if not await is_tagged(db):
        raise NotFound(UNTAGGED)
    return db


async def force_context(datasette, db, body_id: str) -> dict[str, Any]:
    """What a body's page shows; NotFound for an id the archive does not know."""
    found = await db.execute(_BODY, {"id": body_id})
    counts = (await db.execute(_COUNTS, {"id": body_id})).first()
    if found.rows:
        body = dict(found.first())
    elif counts["articles"]:  # named by articles, gone from the gazetteer since
        body = {"id": body_id, "name": body_id, "kind": None, "nation": "", "force": None}
        body["names"] = ""
    else:
        raise NotFound(
            f"No police force or body has the id “{body_id}” in this archive: "
            "the list of them is at /-/forces"
        )

    def linked(row) -> dict[str, Any]:
        return {"id": row["id"], "name": row["name"], "href": force_path(datasette, row["id"])}

    oversees = None
    if body["force"]:
        rows = (await db.execute("select id, name from forces where id = ?", [body["force"]])).rows
        oversees = linked(rows[0]) if rows else None
    overseen_by = [
        linked(r)
        for r in (
            await db.execute("select id, name from forces where force = ? order by name", [body_id])
        ).rows
    ]
    people = (await db.execute(_PEOPLE, {"id": body_id})).rows
    size = (await db.execute(ARCHIVE_SIZE)).single_value()
    newest_sql = _NEWEST_IN_ORDER if reads_in_order(counts["articles"], size) else _NEWEST
    newest = (await db.execute(newest_sql, {"id": body_id, **plausible()})).rows
    return {
        "body": body,
        "kind_name": kind_name(body["kind"]),
        "names": [n for n in (body["names"] or "").split("; ") if n],
        "oversees": oversees,
        "overseen_by": overseen_by,
        "articles_total": counts["articles"],
        "in_headline_total": counts["in_headline"],
        "chart": chart_object(datasette, force=body_id, name=body["name"]),
        "people": [
            {
                "name": p["name"],
                "rank": p["rank"],
                "articles": p["articles"],
                "href": table_link(datasette, "people", force=body_id, name=p["name"]),
            }
            for p in people
        ],
        "people_total": people[0]["people"] if people else 0,
        "articles": [{**dict(a), "href": article_path(datasette, a["url"])} for a in newest],
        "all_articles_href": table_link(
            datasette, "force_articles", force=body_id, _sort_desc="published"
        ),
        "headline_href": table_link(
            datasette, "force_articles", force=body_id, in_headline=1, _sort_desc="published"
        ),
        "people_href": table_link(datasette, "people", force=body_id),
        "forces_href": datasette.urls.path(FORCES_ROUTE),
    }


def page_context(datasette) -> dict[str, Any]:
    """What every page of the archive's own shows: its database (for the crumbs), its title and
    its colour."""
    return {
        "database": DATABASE,
        "archive_title": datasette.metadata("title") or DATABASE,
        "archive_color": PAGE_COLOUR,
    }


async def force_page(datasette, request) -> Response:
    """``/-/force/ID``: a police force or body's page, or 404."""
    db = await _database(datasette, request)
    # Datasette redirects a percent-encoded path to its tilde encoding: /-/force/a~2Fb is a/b
    context = await force_context(datasette, db, tilde_decode(request.url_vars["id"]))
    html = await datasette.render_template(
        "archive-force.html", {**page_context(datasette), **context}, request=request
    )
    return Response.html(html)


async def forces_context(datasette, db) -> dict[str, Any]:
    """The bodies the archive's articles name, grouped by kind (in the order of `KINDS`), each
    kind's bodies by name."""
    rows = (await db.execute(_INDEX)).rows
    groups: dict[str, list[dict[str, Any]]] = {kind: [] for kind in (*KINDS, "")}
    for row in rows:
        kind = row["kind"] if row["kind"] in KINDS else ""
        groups[kind].append({**dict(row), "href": force_path(datasette, row["id"])})
    for bodies in groups.values():
        bodies.sort(key=lambda b: b["name"].casefold())
    return {
        "kinds": [
            {"kind": kind, "heading": KINDS.get(kind, OTHER_KIND)[0], "bodies": bodies}
            for kind, bodies in groups.items()
            if bodies
        ],
        "bodies_total": len(rows),
        "force_articles_href": table_link(datasette, "force_articles"),
        "forces_table_href": table_link(datasette, "forces"),
    }


async def forces_page(datasette, request) -> Response:
    """``/-/forces``: every body the archive's articles name, by kind."""
    db = await _database(datasette, request)
    context = await forces_context(datasette, db)
    html = await datasette.render_template(
        "archive-forces.html", {**page_context(datasette), **context}, request=request
    )
    return Response.html(html)


__all__ = [
    "FORCES_ROUTE",
    "FORCE_ROUTE",
    "KINDS",
    "MAX_ARTICLES_SHOWN",
    "force_page",
    "force_path",
    "forces_page",
]
