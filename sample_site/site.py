"""The fixture site: its URLs, and how it answers a request (routing, hazards, article pages).

`Site.respond(host, path_and_query, attempt_counter, origin=None)` answers one request without
any I/O (sample_site/server.py puts it on 127.0.0.1): in proxy mode for the site's hosts, in
origin mode (``origin="http://127.0.0.1:PORT"``) with every absolute URL on that origin. What an
obeying crawler should find is in truth.py (`GroundTruth`, which Site extends); how the site is
generated in build.py, and its later editions (`Site.next_edition`) in editions.py.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import pages
from .links import (
    BASE,
    DOMAIN,
    PROXY,
    TOUCH,
    WWW,
    Bases,
    Link,
    bases_for,
    parse_query,
    to_int,
    with_params,
)
from .markups import ArticleView, CommentsView, ListingView, Markup
from .model import FixtureArticle
from .responses import (
    AttemptCounter,
    FixtureResponse,
    cf_error,
    html_response,
    huge_response,
    not_found,
    pdf_response,
    redirect,
    simple_page,
    text_response,
)
from .schemes import Route, Target
from .truth import GroundTruth

PER_PAGE = 20
STALL_S = 20.0
RETRY_KINDS = (("retry_429", 2), ("retry_503", 2), ("retry_500_twice", 2))


@dataclass(frozen=True)
class Request:
    host: str  # WWW or TOUCH (WWW in origin mode)
    path: str
    query: str
    bases: Bases  # what the page is written for
    here: str  # the origin the request was sent to ("http://touch...", the origin...)


class Site(GroundTruth):
    """A generated site: its articles, how it answers requests, and what a crawler should find."""

    def __init__(
        self,
        *,
        articles: dict[int, FixtureArticle],
        listed: list[int],
        touch_seed: int,
        hazards: dict[str, list],
        phantoms: dict[int, str],
        phantom_titles: dict[int, str],
        header_charsets: dict[int, str],
        seed: int,
        hazards_enabled: bool,
        markup: Markup,
        related_links: dict[int, list[Link]],
        listing_links: dict[int, Link],
        picks: dict[int, list[int]],
    ):
        self.articles = articles
        self.listed = listed  # ids on the listing, newest first
        self.touch_seed = touch_seed  # the seed article (on touch when the markup has it)
        self.hazards = hazards
        self.phantoms = phantoms  # id -> hazard kind, for hazard ids that are not articles
        self.phantom_titles = phantom_titles
        self.header_charsets = header_charsets  # id -> charset label sent in Content-Type
        self.seed = seed
        self.hazards_enabled = hazards_enabled
        self.markup = markup
        self.scheme = markup.scheme
        self.related_links = related_links  # id -> In Other News links, in page order
        self.listing_links = listing_links  # id -> its link on the listing pages
        self.picks = picks  # id -> ids linked from its other boxes (Most Read...)
        self.attempts = AttemptCounter()  # used when respond() is given no counter
        self._retry: dict[int, str] = {
            i: key for key, _ in RETRY_KINDS for i in hazards.get(key, [])
        }
        self._expected: dict[str | None, list[dict]] = {}
        self._lock = threading.Lock()
        # Editions (editions.py): 1 is build_site's; the attributes are GroundTruth's
        self.edition, self.edition_time, self.modified, self.first_targets = 1, None, {}, {}
        self.added_ids, self.edited_ids, self.retitled_ids, self.removed_ids = [], [], [], []

    def next_edition(
        self, *, added: int = 5, edited: int = 3, removed: int = 1, seed: int | None = None
    ) -> Site:
        """The site some time later: a new Site (this one is unchanged); see editions.py."""
        from .editions import next_edition

        return next_edition(self, added=added, edited=edited, removed=removed, seed=seed)

    # --- URLs ---------------------------------------------------------------------------------

    base = BASE

    @property
    def hosts(self) -> tuple[str, ...]:
        return (WWW, TOUCH) if self.markup.touch_edition else (WWW,)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.listed) / PER_PAGE))

    def target(self, number: int) -> Target:
        first = self.first_targets.get(number)
        if first is not None:
            return first
        a = self.articles.get(number)
        if a is not None:
            return Target(number, a.title, a.category)
        return Target(number, self.phantom_titles.get(number, ""), "News")

    def path(self, article_id: int) -> str:
        """The article's one root-relative path (also for the hazard pages standing in for one)."""
        return self.scheme.article(self.target(article_id))

    def url(self, article_id: int, host: str = WWW, *, origin: str | None = None) -> str:
        """The article's URL on `host` (proxy mode; touch redirects to www when the markup has
        no touch edition), or on `origin`."""
        root = origin.rstrip("/") if origin else f"http://{host}"
        return root + self.path(article_id)

    def canonical_url(self, article_id: int, origin: str | None = None) -> str:
        return bases_for(origin).www + self.path(article_id)

    def comments_url(self, article_id: int, origin: str | None = None) -> str:
        return bases_for(origin).www + self.scheme.comments(self.target(article_id))

    def listing_url(self, page: int = 1, origin: str | None = None) -> str:
        return bases_for(origin).www + self.scheme.listing(page)

    def listing_page(self, page: int) -> list[int]:
        return self.listed[(page - 1) * PER_PAGE : page * PER_PAGE]

    def seeds(self, origin: str | None = None) -> list[str]:
        """Listing page 1 and one article: on the touch host when the markup has one (proxy
        mode), else on www or the origin."""
        if origin is None and self.markup.touch_edition:
            return [self.listing_url(1), self.url(self.touch_seed, TOUCH)]
        return [self.listing_url(1, origin), self.canonical_url(self.touch_seed, origin)]

    def disallowed_paths(self) -> list[str]:
        return list(self.scheme.disallowed)

    def robots_txt(self, origin: str | None = None) -> str:
        """robots.txt (the same in both modes: it names no host)."""
        rules = "".join(f"Disallow: {p}\n" for p in self.scheme.disallowed)
        return "# robots.txt for Police Oracle\nUser-agent: *\n" + rules

    def hazard_urls(self, key: str, origin: str | None = None) -> list[str]:
        """The URLs (as linked, on www or the origin) of one kind of hazard."""
        base = bases_for(origin).www
        ids = self.hazards.get(key, [])
        if key == "robots_draft":
            return [base + self.scheme.draft(self.target(i)) for i in ids]
        if key in ("legacy_story", "legacy_chain"):
            return [base + self.scheme.legacy(key, i) for i in ids]
        return [base + self.path(i) for i in ids]

    # --- answering requests -------------------------------------------------------------------

    def respond(
        self,
        host: str,
        path_and_query: str,
        attempt_counter: Callable[[str], int] | None = None,
        *,
        origin: str | None = None,
    ) -> FixtureResponse:
        """The answer to a GET of http://`host``path_and_query` (proxy mode), or of
        `origin``path_and_query` when `origin` is given (host is then ignored).
        `attempt_counter(key)` counts requests per key (see AttemptCounter); without one the
        site's own counter is used."""
        counter = attempt_counter or self.attempts
        host = host.lower().rstrip(".")
        host = re.sub(r":\d+$", "", host)
        parts = urlsplit(path_and_query if path_and_query.startswith("/") else "/" + path_and_query)
        path = parts.path.split(";")[0] or "/"
        if origin is not None:
            bases = bases_for(origin)
            return self._route(Request(WWW, path, parts.query, bases, bases.www), counter)
        if host not in self.hosts:
            if host in (DOMAIN, "m." + DOMAIN, "mobile." + DOMAIN, TOUCH):
                target = path + (f"?{parts.query}" if parts.query else "")
                return redirect(301, f"{BASE}{target}")
            if host.endswith("." + DOMAIN):
                return not_found()
            return not_found(502, f"Not a host of this site: {host}")
        return self._route(Request(host, path, parts.query, PROXY, f"http://{host}"), counter)

    def _route(self, req: Request, counter: Callable[[str], int]) -> FixtureResponse:
        if req.path.lower() == "/robots.txt":
            return text_response(self.robots_txt())
        route = self.scheme.route(req.path, req.query)
        if route is None:
            return pages.misc(self, req.bases, req.path.lower(), parse_query(req.query))
        number = route.number
        known = number is not None and (number in self.articles or number in self.phantoms)
        if route.kind in ("article", "comments") and known and not route.exact:
            assert number is not None
            own = self.path(number) if route.kind == "article" else self._comments_path(number)
            if req.path != own:
                return redirect(301, req.here + own)
        if route.kind == "article":
            return self._article(req, number, counter)
        if route.kind == "comments":
            if number not in self.articles:
                return not_found()
            return self._comments(req, self.articles[number])
        if route.kind == "listing":
            return self._listing(req, route)
        if route.kind == "story":
            if number is None:
                return not_found()
            return redirect(301, req.here + self.scheme.story_target(number, self.path(number)))
        if route.kind == "archive":
            return redirect(302, f"{req.here}/news/story.asp?id={route.raw}")
        if route.kind == "old_article" and known:
            assert number is not None
            return redirect(301, req.here + self.path(number))
        if route.kind == "old_comments" and number in self.articles:
            return redirect(301, req.here + self._comments_path(number))
        if route.kind == "old_listing" and number is not None and 1 <= number <= self.pages:
            return redirect(301, req.here + self.scheme.listing(number))
        if route.kind in ("draft", "tool") and number in self.articles:
            a = self.articles[number]
            if route.kind == "draft":
                return pages.draft(self, a)
            return pages.tool(self, route.raw, a)
        return not_found()

    def _comments_path(self, article_id: int) -> str:
        return self.scheme.comments(self.target(article_id))

    def _article(
        self, req: Request, number: int | None, counter: Callable[[str], int]
    ) -> FixtureResponse:
        if number is None:
            return not_found()
        kind = self.phantoms.get(number)
        if kind is not None:
            return self._phantom(req, kind, number)
        retry = self._retry.get(number)
        if retry is not None:
            attempt = counter(f"article:{number}")
            if retry == "retry_429" and attempt == 1:
                return not_found(
                    429, "Too many requests: please slow down.", headers=[("Retry-After", "2")]
                )
            if retry == "retry_503" and attempt == 1:
                return not_found(
                    503,
                    "The server is busy. Please try again shortly.",
                    headers=[("Retry-After", "1")],
                )
            if retry == "retry_500_twice" and attempt <= 2:
                return cf_error()
        a = self.articles.get(number)
        if a is None:
            return not_found()
        html = self.markup.article(self.article_view(a, req.bases, touch=req.host == TOUCH))
        response = html_response(
            html, encoding=a.encoding, header_charset=self.header_charsets.get(a.id)
        )
        response.last_modified = self.last_modified(a.id)
        return response

    def article_view(self, a: FixtureArticle, bases: Bases, *, touch: bool = False) -> ArticleView:
        """What the markup renders for an article page (in proxy mode for `PROXY`)."""
        path = self.path(a.id)
        titles = a.related_titles
        return ArticleView(
            a=a,
            bases=bases,
            url=(bases.touch if touch and bases.touch else bases.www) + path,
            canonical=bases.www + path,
            path=path,
            comments_path=self._comments_path(a.id),
            listing_path=self.scheme.listing(1),
            related=[
                (link.href(bases), t)
                for link, t in zip(self.related_links[a.id], titles, strict=True)
            ],
            picks=[
                (self.markup.pick_link(self.path(i)).href(bases), self.link_title(i))
                for i in self.picks.get(a.id, [])
            ],
            touch=touch,
        )

    def _comments(self, req: Request, a: FixtureArticle) -> FixtureResponse:
        path = self.path(a.id)
        view = CommentsView(
            a=a,
            bases=req.bases,
            url=req.bases.www + self._comments_path(a.id),
            article_path=path,
            article_url=req.bases.www + path,
        )
        return html_response(
            self.markup.comments(view),
            encoding=a.encoding,
            header_charset=self.header_charsets.get(a.id),
        )

    def _phantom(self, req: Request, kind: str, number: int) -> FixtureResponse:
        title = self.phantom_titles.get(number, "Police Oracle")
        if kind == "dead_404":
            return not_found(404, "Sorry, the article you requested could not be found.")
        if kind == "dead_410":
            return not_found(410, "This article has been removed for legal reasons.")
        if kind == "redirect_loop":
            target = req.here + self.path(number)
            looped = "r" in parse_query(req.query)
            return redirect(302, target if looped else with_params(target, "r=1"))
        if kind == "pdf":
            return pdf_response(number, title)
        if kind == "empty":
            return FixtureResponse(200, [("Content-Type", "text/html; charset=utf-8")], b"")
        if kind == "huge":
            return huge_response(req.bases.www + self.path(number))
        if kind == "stall":
            response = html_response(simple_page(title, "<p>This page took a very long time.</p>"))
            response.delay_s = STALL_S
            return response
        return cf_error()  # always_500

    def _listing(self, req: Request, route: Route) -> FixtureResponse:
        query = parse_query(req.query)
        filters = {k: v for k, v in query.items() if k in ("category", "author", "q", "tag")}
        if filters:
            ids = self.listed
            if "category" in filters:
                wanted = (filters["category"][0] if filters["category"] else "").strip().lower()
                ids = [i for i in ids if self.articles[i].category.lower() == wanted]
            elif "author" in filters:
                n = to_int(filters["author"])
                ids = [i for i in ids if i % 7 == n and self.articles[i].author]
            else:
                ids = []
            return html_response(self._listing_html(req.bases, 1, 1, ids[:PER_PAGE]))
        if route.number is None:
            raw = "".join(query.get("page") or []).strip()
            page = to_int([raw]) if raw else 1
        else:
            page = route.number
        if page is None or not 1 <= page <= self.pages:
            return not_found()
        return html_response(
            self._listing_html(req.bases, page, self.pages, self.listing_page(page))
        )

    def _listing_html(self, bases: Bases, page: int, pages_: int, ids: list[int]) -> str:
        entries = [
            (
                self.listing_links.get(i, Link(self.path(i))).href(bases),
                self.articles[i].title,
                self.articles[i].standfirst,
            )
            for i in ids
        ]
        return self.markup.listing(ListingView(page, pages_, entries, bases, self.scheme.listing))
