"""The contract between the crawler and the archive.

The crawler turns a fetched page into one of these records; the archive stores them. Plain frozen
dataclasses, picklable (they cross from the extraction worker processes back to the crawler) and
free of Scrapy, lxml or trafilatura types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Sections of a page a followed link can come from (the `links.section` column).
IN_OTHER_NEWS = "in_other_news"
MORE_NEWS = "more_news"
PAGINATION = "pagination"
LISTING = "listing"
COMMENTS = "comments"
LINK_SECTIONS = (IN_OTHER_NEWS, MORE_NEWS, PAGINATION, LISTING, COMMENTS)

# Outcomes of one fetch (the `fetches.outcome` column); every one but FAILED is a success.
ARTICLE_FETCHED = "article"
COMMENTS_FETCHED = "comments"
LISTING_FETCHED = "listing"
NOT_ARTICLE = "not_article"
FAILED = "failed"
FETCH_OUTCOMES = (ARTICLE_FETCHED, COMMENTS_FETCHED, LISTING_FETCHED, NOT_ARTICLE, FAILED)


@dataclass(frozen=True, slots=True)
class Link:
    """A link the page offers to another page of the archive's interest."""

    to_url: str  # canonical URL of the target
    section: str  # one of LINK_SECTIONS
    anchor: str = ""  # the link's visible text, whitespace-normalised


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment from an article's comment thread."""

    author: str
    posted: str | None  # ISO 8601, e.g. "2020-08-12T17:04:00"; None when the page shows no date
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as extracted from its page."""

    url: str  # canonical URL: the archive's primary key
    title: str
    author: str  # "" when the page has no byline
    published: str | None  # ISO 8601 (date, or date and time without zone when the page gives none)
    text: str  # the article only: standfirst, paragraphs and list items, separated by blank lines
    standfirst: str = ""
    category: str = ""
    site: str = ""  # the site profile's name, e.g. "policeoracle"; the host for generic pages
    paywalled: bool = False  # a subscriber-only teaser: `text` holds only what is visible
    comment_count: int | None = None  # the count the article page shows, None when it shows none
    extractor: str = ""  # the profile layout or fallback that produced it, e.g. "trafilatura"
    fetched_url: str = ""  # the URL actually fetched (before canonicalisation), for provenance
    links: tuple[Link, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class CommentThread:
    """The comments page of an article (`/news/comments.cfm?id=N`)."""

    article_url: str  # canonical URL of the article the comments belong to
    comments: tuple[Comment, ...]
    fetched_url: str = ""
    links: tuple[Link, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Listing:
    """A listing page: its links to articles and to further listing pages."""

    url: str
    links: tuple[Link, ...] = field(default=())


class NotAnArticle(Exception):  # noqa: N818 - names the outcome, as trafilatura's users expect
    """A fetched page that yields no article, with the reason (counted and stored in the fetch log).

    Reasons are short slash-free identifiers: "not_html", "empty_body", "no_text", ...
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    def __reduce__(self):  # keep reason and detail when the exception crosses processes
        return (type(self), (self.reason, self.detail))


# What the page parser hands back for one fetched page.
Page = Article | CommentThread | Listing
