"""Ground truth: what an obeying crawler must find on the fixture site, in either mode.

`expected(origin=None)` lists the articles an obeying crawler reaches from `seeds(origin)` (listing
page 1 and one article) by following listing article links, pagination (the numbered window and
next/previous), In Other News, More News and comment-thread links (both ways), obeying robots.txt,
following redirects and retrying 429/503/500 at least twice, and canonicalising: the article's
one URL on www (proxy mode; touch mapped to www) or on the origin (origin mode), without tracking
parameters or fragments. Which articles are reached does not depend on the markup or the mode;
their URLs do.

Decision on ``in_other_news``: every link of the related box (whatever the markup calls it: In
Other News, Related Stories...) whose target is an article URL after resolving the legacy
redirects statically (story.asp, archive/N.htm and, on path-id markups, article.cfm -> the
article's URL), in page order, including dead, looping, non-HTML and stalled targets (the edge
exists even if the target cannot be fetched), excluding robots-disallowed drafts (not article
URLs). Links of other boxes (Most Read, Popular, Editor's picks...) are never in it; they only
point at listed articles, so following them or not reaches the same articles.

Later editions (editions.py) have ground truths of their own, for the site as it then is: removed
articles gone (the links to them stay in the boxes: dead links, still in ``in_other_news``), edited
ones with their new text and title. `last_modified(id)` is an article page's ``Last-Modified``;
Most Read and the other boxes may then also link to removed articles (dead links, reaching nothing).
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from .links import Link, bases_for, is_site_host, parse_query, resolve_query_path
from .model import FixtureArticle

if TYPE_CHECKING:
    from .markups import Markup
    from .schemes import QueryIds, Target


class GroundTruth:
    """The ground-truth half of `Site` (see the module docstring)."""

    articles: dict[int, FixtureArticle]
    listed: list[int]
    touch_seed: int
    hazards: dict[str, list]
    phantoms: dict[int, str]
    markup: Markup
    scheme: QueryIds
    related_links: dict[int, list[Link]]
    picks: dict[int, list[int]]
    # Editions (editions.py): 1 for build_site's, then 2, 3...; what changed since the edition
    # before (article ids, ascending; `retitled_ids`: the edited ones whose title changed too)
    edition: int
    edition_time: datetime | None  # when this edition was made (None for the first)
    added_ids: list[int]
    edited_ids: list[int]
    retitled_ids: list[int]
    removed_ids: list[int]
    modified: dict[int, datetime]  # id -> when it was last edited (edited articles only)
    first_targets: dict[int, Target]  # id -> what its URL named it at first, if changed or gone
    _expected: dict[str | None, list[dict]]
    _lock: threading.Lock

    if TYPE_CHECKING:

        @property
        def pages(self) -> int: ...

        def listing_page(self, page: int) -> list[int]: ...

        def canonical_url(self, article_id: int, origin: str | None = None) -> str: ...

    def last_modified(self, article_id: int) -> datetime:
        """When the article last changed: its last edit in a later edition, else its date (its
        page's ``Last-Modified``)."""
        return self.modified.get(article_id) or self.articles[article_id].published

    def link_title(self, article_id: int) -> str:
        """The title other pages' boxes (In Other News, Most Read...) give an article: the one
        it was first published under (titles change in later editions, boxes do not)."""
        first = self.first_targets.get(article_id)
        return first.title if first is not None else self.articles[article_id].title

    def fetchable(self, article_id: int) -> bool:
        """Whether the article's URL eventually yields an article page (retries allowed)."""
        return article_id in self.articles and article_id not in self.phantoms

    def resolve(self, href: str, page_url: str | None = None) -> tuple[str, int]:
        """What a link on one of this site's pages leads to, statically, in either mode: as
        `resolve_href` (article, legacy, draft, comments, listing or other) for this markup's
        URL scheme; hosts of the site and the loopback (origin mode) count as the site."""
        url = urljoin(page_url or self.canonical_url(self.touch_seed), href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not is_site_host(
            parts.hostname or "", loopback=True
        ):
            return "other", 0
        if self.scheme.name == "query":
            return resolve_query_path(parts.path, parts.query)
        route = self.scheme.route(parts.path.split(";")[0], parts.query)
        if route is None or route.number is None:
            return "other", 0
        kind = {
            "article": "article",
            "comments": "comments",
            "old_comments": "comments",
            "story": "legacy",
            "archive": "legacy",
            "old_article": "legacy",
            "draft": "draft",
            "listing": "listing",
            "old_listing": "listing",
        }.get(route.kind, "other")
        filters = ("category", "author", "q", "tag")
        if kind == "other" or (
            kind == "listing" and any(k in parse_query(parts.query) for k in filters)
        ):
            return "other", 0
        return kind, route.number

    def related_edges(
        self, article_id: int, origin: str | None = None
    ) -> list[tuple[str, str, int]]:
        """(href as written, kind, id) of an article's In Other News links; see `resolve`."""
        bases = bases_for(origin)
        page = self.canonical_url(article_id, origin)
        hrefs = [link.href(bases) for link in self.related_links[article_id]]
        return [(href, *self.resolve(href, page)) for href in hrefs]

    def reachable_ids(self) -> set[int]:
        """Ids of the articles an obeying crawler reaches from the seeds (see module docstring)."""
        seen: set[tuple[str, int]] = set()
        found: set[int] = set()
        queue: deque[tuple[str, int]] = deque([("listing", 1), ("article", self.touch_seed)])
        while queue:
            node = queue.popleft()
            if node in seen:
                continue
            seen.add(node)
            kind, number = node
            if kind == "listing":
                if not 1 <= number <= self.pages:
                    continue
                queue.extend(("article", i) for i in self.listing_page(number))
                window = range(max(1, number - 2), min(self.pages, number + 2) + 1)
                queue.extend(("listing", p) for p in window)
            elif kind == "article":
                if not self.fetchable(number):
                    continue
                found.add(number)
                for link_kind, target in self.articles[number].related_targets:
                    if link_kind != "robots_draft":
                        queue.append(("article", target))
                queue.append(("listing", 1))  # More News
                queue.append(("comments", number))
            elif kind == "comments" and number in self.articles:
                queue.append(("article", number))  # the thread's link back
        return found

    def in_other_news(self, article_id: int, origin: str | None = None) -> list[str]:
        return [
            self.canonical_url(target, origin)
            for kind, target in self.articles[article_id].related_targets
            if kind != "robots_draft"
        ]

    def expected_article(self, article_id: int, origin: str | None = None) -> dict:
        a = self.articles[article_id]
        return {
            "url": self.canonical_url(a.id, origin),
            "title": a.title,
            "author": a.author,
            "published": a.published.strftime("%Y-%m-%dT%H:%M:%S"),
            "standfirst": a.standfirst,
            "text": a.expected_text(),
            "category": a.category,
            "paywalled": a.paywalled,
            "comment_count": len(a.comments),
            "comments": [
                {
                    "author": c.author,
                    "posted": c.posted.strftime("%Y-%m-%dT%H:%M:%S"),
                    "text": c.text,
                }
                for c in a.comments
            ],
            "in_other_news": self.in_other_news(a.id, origin),
        }

    def expected(self, origin: str | None = None) -> list[dict]:
        """One dict per reachable article, by ascending id (a fresh copy each call); URLs on
        www (proxy mode, `origin` None) or on `origin` ("http://127.0.0.1:PORT")."""
        key = bases_for(origin).origin
        with self._lock:
            if key not in self._expected:
                ids = sorted(self.reachable_ids())
                self._expected[key] = [self.expected_article(i, key) for i in ids]
            cached = self._expected[key]
        return [
            dict(
                e, comments=[dict(c) for c in e["comments"]], in_other_news=list(e["in_other_news"])
            )
            for e in cached
        ]

    def expected_by_url(self, origin: str | None = None) -> dict[str, dict]:
        return {e["url"]: e for e in self.expected(origin)}

    def boilerplate(self, article_id: int | None = None) -> list[str]:
        """Strings of this markup's article pages that an extracted article body must never
        contain: banner, cookie notice, subscription prompt, box labels, More News and comment
        link texts, print and e-mail links, footer... With `article_id`, those on that article's
        page on www or the origin (all of them appear on it; the touch edition's chrome differs),
        with the titles of the articles its other boxes link to (last); without, the markup's
        (each on some article page).
        The titles of its related articles are not included (`FixtureArticle.related_titles`)."""
        if article_id is None:
            return self.markup.boilerplate(None)
        a = self.articles[article_id]
        picks = [self.link_title(i) for i in self.picks.get(article_id, [])]
        return self.markup.boilerplate(a) + picks

    def summary(self) -> dict:
        layouts = Counter(a.layout for a in self.articles.values())
        return {
            "markup": self.markup.name,
            "articles": len(self.articles),
            "modern": layouts["modern"],
            "table": layouts["table"],
            "listed": len(self.listed),
            "pages": self.pages,
            "expected": len(self.reachable_ids()),
            "hazards": {k: v for k, v in self.hazards.items() if v},
        }
