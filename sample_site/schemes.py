"""URL schemes: where a markup puts articles, comment threads, listing pages and drafts.

`QUERY` (classic and most markups): ids in the query, as Police Oracle's ColdFusion site::

    /news/article.cfm?id=N   /news/comments.cfm?id=N   /news/index.cfm?page=N   /news/draft.cfm?id=N

with its legacy URLs: ``/news/story.asp?id=N`` (301 to the article) and ``/news/archive/N.htm``
(302 to story.asp, then 301).

`PathIds` (a site moved to a CMS with "pretty" URLs): ids in the path, with a slug of the headline
(and, with `category`, a slug of the section): ``/news/N/headline-slug/``, ``.../comments/``,
``/news/page/N/`` (page 1 is ``/news/``), drafts ``/news/drafts/N/``. Every article has one path;
any other spelling of it (another slug, a missing one) answers 301 to it. The URLs of the old
ColdFusion site stay as redirects: ``/news/article.cfm?id=N`` (301 to the article's path; the
``legacy_story`` hazard links it), ``/news/story.asp?id=N`` (301 to article.cfm, then 301: the
``legacy_chain`` hazard), ``/news/archive/N.htm`` (302 to story.asp), ``/news/comments.cfm?id=N``
and ``/news/index.cfm?page=N`` (301 to their new paths).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .links import parse_query, to_int

_ARCHIVE = re.compile(r"^/news/archive/(\d+)\.htm$", re.I)


@dataclass(frozen=True)
class Target:
    """What a path names: an article (or a hazard page standing in for one)."""

    id: int
    title: str
    category: str


@dataclass(frozen=True)
class Route:
    """What a request path is. kind: article, comments, listing (number: the page, None: read
    ?page=), story, archive (raw: the id as written), draft, tool, old_article, old_comments,
    old_listing (the ColdFusion URLs of a path-id site); `exact`: the article's own spelling."""

    kind: str
    number: int | None = None
    raw: str = ""
    exact: bool = True


def slugify(text: str, max_words: int = 8) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower().replace("'", ""))
    return "-".join(words[:max_words]) or "article"


class QueryIds:
    """Ids in the query (see the module docstring)."""

    name = "query"
    disallowed = ("/news/draft.cfm", "/private/", "/search.cfm")

    def article(self, t: Target) -> str:
        return f"/news/article.cfm?id={t.id}"

    def comments(self, t: Target) -> str:
        return f"/news/comments.cfm?id={t.id}"

    def listing(self, page: int = 1) -> str:
        return "/news/index.cfm" + (f"?page={page}" if page != 1 else "")

    def draft(self, t: Target) -> str:
        return f"/news/draft.cfm?id={t.id}"

    def legacy(self, kind: str, number: int) -> str:
        """The href a legacy hazard link uses (kind: legacy_story or legacy_chain)."""
        if kind == "legacy_story":
            return f"/news/story.asp?id={number}"
        return f"/news/archive/{number}.htm"

    def route(self, path: str, query_string: str) -> Route | None:
        lower = path.lower()
        number = to_int(parse_query(query_string).get("id"))
        if lower == "/news/article.cfm":
            return Route("article", number)
        if lower == "/news/comments.cfm":
            return Route("comments", number)
        if lower in ("/news/", "/news/index.cfm", "/news"):
            return Route("listing")
        if lower == "/news/story.asp":
            return Route("story", number)
        match = _ARCHIVE.match(path)
        if match:
            return Route("archive", int(match.group(1)), raw=match.group(1))
        if lower == "/news/draft.cfm":
            return Route("draft", number)
        if lower in ("/news/print.cfm", "/news/email.cfm"):
            return Route("tool", number, raw=lower)
        return None

    def story_target(self, number: int, article: str) -> str:
        """Where /news/story.asp?id=N sends: the article (`article`: its path)."""
        return article


class PathIds(QueryIds):
    """Ids in the path (see the module docstring). `slash`: paths end in "/"; `category`: the
    section's slug comes before the id (``/news/crime/N/slug``)."""

    name = "path"
    disallowed = ("/news/drafts/", "/private/", "/search.cfm")
    _ARTICLE = re.compile(
        r"^/news/(?:(?P<cat>[a-z][a-z0-9-]*)/)?(?P<id>\d+)(?:/(?P<slug>[a-z0-9-]*))?"
        r"(?P<comments>/comments)?/?$"
    )
    _PAGE = re.compile(r"^/news/page/(\d+)/?$")
    _DRAFT = re.compile(r"^/news/drafts/(\d+)(?:/[^/]*)?/?$")

    def __init__(self, *, slash: bool, category: bool):
        self.slash = slash
        self.category = category

    def _end(self, path: str) -> str:
        return path + "/" if self.slash else path

    def article(self, t: Target) -> str:
        section = f"{slugify(t.category)}/" if self.category else ""
        return self._end(f"/news/{section}{t.id}/{slugify(t.title)}")

    def comments(self, t: Target) -> str:
        return self._end(self.article(t).rstrip("/") + "/comments")

    def listing(self, page: int = 1) -> str:
        return self._end("/news" if page == 1 else f"/news/page/{page}")

    def draft(self, t: Target) -> str:
        return f"/news/drafts/{t.id}/"

    def legacy(self, kind: str, number: int) -> str:
        if kind == "legacy_story":
            return f"/news/article.cfm?id={number}"
        return f"/news/story.asp?id={number}"

    def route(self, path: str, query_string: str) -> Route | None:
        lower = path.lower()
        if lower in ("/news/", "/news"):
            return Route("listing", 1)
        match = self._PAGE.match(lower)
        if match:
            return Route("listing", int(match.group(1)))
        match = self._DRAFT.match(lower)
        if match:
            return Route("draft", int(match.group(1)))
        match = self._ARTICLE.match(lower)
        if match:
            kind = "comments" if match.group("comments") else "article"
            return Route(kind, int(match.group("id")), exact=False)
        old = super().route(path, query_string)
        if old is None or old.kind in ("story", "archive", "tool"):
            return old
        if old.kind == "listing":
            page = to_int(parse_query(query_string).get("page"))
            return Route("old_listing", 1 if page is None else page)
        if old.kind == "draft":
            return None
        return Route("old_" + old.kind, old.number)

    def story_target(self, number: int, article: str) -> str:
        return f"/news/article.cfm?id={number}"


QUERY = QueryIds()
