"""Which links a crawl follows, and what it expects to find there: the crawl's follow policy.

Plain logic (no Scrapy), owned by the spider. A parsed page offers links by section
(pages/extract.py); `FollowPolicy.follow` decides which become requests:

- an article's In Other News, More News and comment links; a listing's entries and pagination;
  a comment thread's link back to its article. Nothing else: never nav, header or footer links.
- only URLs on the crawl's sites (crawler/boundary.py), never one requested before in the crawl,
  and for related and listing links only those worth following (pages/shapes.py: not
  navigation, tag, print, e-mail, search or login pages);
- within the bounds, each counted in stats as ``bounds/<name>`` when it stops a link (the
  summary names them): ``RELATED_DEPTH_LIMIT`` on chains of related links (In Other News, More
  News and comment links count one hop each, a listing's entries and pagination none),
  ``PAGINATION_LIMIT`` pages along one listing's pagination, ``TRAP_PATIENCE`` listing pages in a
  row without an entry that no listing page listed before (a pagination trap: page N always
  linking to page N+1), and ``MAX_PAGES`` pages in all;
- from a seed, with ``FOLLOW_FROM_SEEDS`` off (a backfill's default, crawler/backfill.py), only
  its comment thread: the seeds are the crawl (the bound ``seeds_only``); a backfill also seeds
  the comment threads of archived articles never fetched (`threads`), as if followed from them;
- and, for an article the archive already holds, only when it is due for a visit (the crawl's
  revisit policy, crawler/revisits.py: the bound ``not_due``).

Every followed link carries a `Step`: its section, what the page is expected to be (from the
section, or for a seed from what pages of the same URL shape turned out to be: the `ShapeModel`
it learns as pages come back), the link's text and the page it was found on. Those become the
extraction's `Hint`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from archive.frontier import Queued
from archive.records import (
    Article,
    CommentThread,
    Link,
    Listing,
    Page,
    PageKind,
    Section,
    kind_of,
)
from crawler.boundary import SiteBoundary
from pages.kinds import Hint
from pages.shapes import ShapeModel, worth_following

SEED = "seed"  # the section of a seed, in request meta

_EXPECTED = {
    Section.IN_OTHER_NEWS: PageKind.ARTICLE,
    Section.LISTING: PageKind.ARTICLE,
    Section.MORE_NEWS: PageKind.LISTING,
    Section.PAGINATION: PageKind.LISTING,
}
_HOP = {Section.IN_OTHER_NEWS: 1, Section.MORE_NEWS: 1, Section.COMMENTS: 1}
_FOLLOWED = {
    Article: (Section.IN_OTHER_NEWS, Section.MORE_NEWS, Section.COMMENTS),
    Listing: (Section.LISTING, Section.PAGINATION),
    CommentThread: (Section.COMMENTS,),
}


@dataclass(frozen=True, slots=True)
class Step:
    """A page to fetch, and how the crawl got there."""

    url: str
    section: str  # a Section, or SEED
    expected: PageKind | None = None
    anchor: str = ""
    referrer: str | None = None
    hops: int = 0  # related links followed since the last seed or listing
    pages: int = 0  # pagination links followed along this listing
    barren: int = 0  # listing pages in a row without an entry no listing page listed before

    def queued(self) -> Queued:
        """The step as the archive's frontier keeps it."""
        expected = str(self.expected) if self.expected else None
        return Queued(self.url, str(self.section), expected, self.anchor, self.referrer,
                      self.hops, self.pages, self.barren)  # fmt: skip

    @classmethod
    def of(cls, queued: Queued) -> Step:
        """A step of a crawl's frontier, to resume it."""
        expected = PageKind(queued.expected) if queued.expected else None
        return cls(queued.url, queued.section, expected, queued.anchor, queued.referrer,
                   queued.hops, queued.pages, queued.barren)  # fmt: skip


class FollowPolicy:
    def __init__(
        self,
        boundary: SiteBoundary,
        *,
        depth_limit: int = 0,
        pagination_limit: int = 0,
        trap_patience: int = 0,
        max_pages: int = 0,
        due: Callable[[str], bool] | None = None,
        from_seeds: bool = True,
    ):
        self.boundary = boundary
        self.from_seeds = from_seeds  # False: of a seed's links, only its comment thread's
        self.due = due  # for an archived article: whether it is due for a visit
        self.depth_limit = depth_limit
        self.pagination_limit = pagination_limit
        self.trap_patience = trap_patience
        self.max_pages = max_pages
        self.requested: set[str] = set()
        self.archived: set[str] = set()  # articles not requested, whose thread is (`threads`)
        self.listed: set[str] = set()  # the entries seen on listing pages
        self.shapes = ShapeModel()
        self.bounds: Counter[str] = Counter()  # links not followed, by bound
        self.budget_spent = False

    def seeds(self, urls: Iterable[str], expected: PageKind | None = None) -> list[Step]:
        """Steps for seed URLs, of the kind `expected` (default: what the URL's shape says)."""
        steps = []
        for url in urls:
            step = Step(url, SEED, expected=expected or self.shapes.kind(url))
            if self._admit(step):
                steps.append(step)
        return steps

    def revisits(self, articles: Iterable[tuple[str, str]]) -> list[Step]:
        """Steps for archived articles due for a visit (seeded from the archive): (url, title);
        the title is the extraction's hint, as the text of a link to the article would be."""
        steps = []
        for url, title in articles:
            step = Step(url, SEED, expected=PageKind.ARTICLE, anchor=title)
            if self.boundary.allows(url) and self._admit(step):
                steps.append(step)
        return steps

    def threads(self, links: Iterable[tuple[str, Link]]) -> list[Step]:
        """Steps for the comment threads of archived articles: (the article's URL, its comment
        link), as if followed from the article seeded (a backfill's, whose articles are archived
        but their threads never fetched). The articles are not requested: a thread's link back to
        its article is no new page."""
        steps = []
        for article, link in links:
            self.archived.add(article)
            step = Step(link.to_url, Section.COMMENTS, PageKind.COMMENTS, link.anchor, article, 1)
            if self.boundary.allows(step.url) and self._admit(step):
                steps.append(step)
        return steps

    def resume(self, queued: Iterable[tuple[str, str]]) -> None:
        """Take up an unfinished crawl: what it queued is requested already (the pending pages
        are requested again by the caller), the entries its listings gave are listed."""
        for url, section in queued:
            self.requested.add(url)
            if section == Section.LISTING:
                self.listed.add(url)

    def hint(self, step: Step) -> Hint:
        """What the extraction is told about the page `step` leads to."""
        return Hint(
            kind=step.expected,
            anchor=step.anchor,
            referrer=step.referrer,
            article_shapes=self.shapes.shapes_of(PageKind.ARTICLE),
        )

    def learn(self, step: Step, page: Page, fetched_url: str) -> None:
        """Remember what kind of page the URL (and the article's own URL) turned out to be."""
        kind = kind_of(page)
        self.shapes.learn(fetched_url, kind)
        if isinstance(page, Article) and page.url != fetched_url:
            self.shapes.learn(page.url, kind)
        self.requested.add(fetched_url)
        self.requested.add(page.url if isinstance(page, Article | Listing) else fetched_url)

    def follow(self, page: Page, step: Step) -> list[Step]:
        """The steps for the links of `page` the crawl follows (see the module docstring)."""
        sections = _FOLLOWED[type(page)]
        here = page.url if isinstance(page, Article | Listing) else step.url
        links = [link for link in page.links if link.section in sections]
        entries = {link.to_url for link in links if link.section == Section.LISTING}
        new_entries = entries - self.listed  # not listed on any listing page before
        self.listed |= entries
        barren = 0 if new_entries or not isinstance(page, Listing) else step.barren + 1
        steps = []
        for link in links:
            section = Section(link.section)
            expected = _EXPECTED.get(section)
            if section == Section.COMMENTS:
                expected = (
                    PageKind.ARTICLE if isinstance(page, CommentThread) else PageKind.COMMENTS
                )
            paging = section == Section.PAGINATION
            child = Step(
                url=link.to_url,
                section=section,
                expected=expected,
                anchor=link.anchor,
                referrer=here,
                hops=0 if section == Section.LISTING else step.hops + _HOP.get(section, 0),
                pages=step.pages + 1 if paging else 0,
                barren=barren if paging else 0,
            )
            if (
                self._worth(child)
                and self._within_bounds(child, step)
                and self._revisited(child)
                and self._admit(child)
            ):
                steps.append(child)
        return steps

    def _worth(self, step: Step) -> bool:
        if step.url in self.requested or step.url in self.archived:
            return False
        if not self.boundary.allows(step.url):
            return False
        relevant = step.section in (Section.IN_OTHER_NEWS, Section.LISTING)
        return not relevant or worth_following(step.url)

    def _revisited(self, step: Step) -> bool:
        """Whether the page is no archived article, or one due for a visit (else a bound)."""
        if self.due is not None and not self.due(step.url):
            self.bounds["not_due"] += 1
            return False
        return True

    def _within_bounds(self, step: Step, parent: Step) -> bool:
        if parent.section == SEED and not self.from_seeds and step.section != Section.COMMENTS:
            self.bounds["seeds_only"] += 1
            return False
        if self.depth_limit and step.hops > self.depth_limit:
            self.bounds["depth"] += 1
            return False
        if step.section == Section.PAGINATION:
            if self.pagination_limit and step.pages > self.pagination_limit:
                self.bounds["pagination"] += 1
                return False
            if self.trap_patience and step.barren >= self.trap_patience:
                self.bounds["trap"] += 1
                return False
        return True

    def _admit(self, step: Step) -> bool:
        """Count the page against MAX_PAGES; False when the budget is spent."""
        if step.url in self.requested:
            return False
        if self.max_pages and len(self.requested) >= self.max_pages:
            self.budget_spent = True
            self.bounds["max_pages"] += 1
            return False
        self.requested.add(step.url)
        return True
