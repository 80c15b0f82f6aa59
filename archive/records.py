"""The contract between the crawler and the archive: the records one fetch produces.

The crawler turns a fetched page into one of these records (pages/ reads the HTML, crawler/ does
the fetching); the archive stores them. Plain frozen dataclasses, picklable (they cross from the
extraction worker processes back to the crawler) and free of Scrapy, lxml or trafilatura types.

The vocabularies the archive's columns hold are defined here once, as `StrEnum`s (their values
are what the database stores; `archive/schema.py` documents them from these definitions):

- `PageKind`: what a page is (article, comment thread, listing);
- `Section`: where on a page a followed link was (`links.section`);
- `Outcome`: what became of one fetch (`fetches.outcome`);
- `Flag`: why a new version of an article looks like broken extraction (`revisions.flags`);
- `Reason`: why a fetch stored no page, or what went wrong on the way (`fetches.reason`); an HTTP
  error status is the reason ``http_NNN`` (`http_reason`); `TRANSIENT_STATUSES` lists those worth
  trying again in a later crawl.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PageKind(StrEnum):
    """What a fetched page is."""

    ARTICLE = "article"
    COMMENTS = "comments"  # an article's comment thread
    LISTING = "listing"  # a list of articles (a news index, a category page's pages)


class Section(StrEnum):
    """The part of a page a link was found in (the `links.section` column)."""

    IN_OTHER_NEWS = "in_other_news"  # the related-articles box ("In Other News", "Related...")
    MORE_NEWS = "more_news"  # a "More News" link to the news listing
    PAGINATION = "pagination"  # a listing's next/previous/numbered page links
    LISTING = "listing"  # an article link on a listing page
    COMMENTS = "comments"  # an article <-> its comment thread


class Outcome(StrEnum):
    """What became of one fetch (the `fetches.outcome` column); all but FAILED are successes."""

    ARTICLE = "article"
    COMMENTS = "comments"
    LISTING = "listing"
    NOT_MODIFIED = "not_modified"  # a 304 to a conditional request: the stored capture stands
    NOT_ARTICLE = "not_article"  # fetched, but gives no record (`reason` says why)
    FAILED = "failed"  # not fetched (`reason` says why)


OUTCOME_OF_KIND = {
    PageKind.ARTICLE: Outcome.ARTICLE,
    PageKind.COMMENTS: Outcome.COMMENTS,
    PageKind.LISTING: Outcome.LISTING,
}


class Flag(StrEnum):
    """Why a new version of an article looks like broken extraction rather than an edit (the
    `revisions.flags` column): such a version is kept as a revision, flagged, and the article
    row keeps showing the previous text until a later version looks sound."""

    TEXT_SHRANK = "text_shrank"  # fewer than half the words of the version shown
    TITLE_LOST = "title_lost"  # no title, where the version shown had one
    EXTRACTOR_CHANGED = "extractor_changed"  # read by another layout or fallback than before


FLAG_HELP: dict[Flag, str] = {
    Flag.TEXT_SHRANK: "the text has fewer than half the words of the version shown",
    Flag.TITLE_LOST: "the title is empty where the version shown had one",
    Flag.EXTRACTOR_CHANGED: "another profile layout or fallback read it than the version shown",
}


def broken_flags(shown_title: str, shown_words: int, shown_extractor: str, new: Article) -> str:
    """The flags (comma-separated, '' for none) of a new version `new` of an article against the
    version the archive shows."""
    flags = []
    if len(new.text.split()) * 2 < shown_words:
        flags.append(Flag.TEXT_SHRANK)
    if shown_title.strip() and not new.title.strip():
        flags.append(Flag.TITLE_LOST)
    if shown_extractor and new.extractor and new.extractor != shown_extractor:
        flags.append(Flag.EXTRACTOR_CHANGED)
    return ",".join(flags)


class Reason(StrEnum):
    """Why a fetch gave no record, or what was wrong with one that did (`fetches.reason`).

    Besides these, ``http_NNN`` is an HTTP error status (`http_reason`). Each member's
    description is `REASON_HELP[member]`; `TRANSIENT_REASONS` are tried again by a later crawl.
    """

    # fetched, but no record (outcome not_article)
    NOT_HTML = "not_html"
    EMPTY_BODY = "empty_body"
    NO_TEXT = "no_text"
    UNKNOWN_LAYOUT = "unknown_layout"
    REDIRECT_TO_SEEN = "redirect_to_seen"
    # not fetched (outcome failed)
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    DNS = "dns"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_LOST = "connection_lost"
    DOWNLOAD_ERROR = "download_error"
    IGNORED = "ignored"
    ROBOTS_DISALLOWED = "robots_disallowed"
    REDIRECT_LOOP = "redirect_loop"
    OFFSITE_REDIRECT = "offsite_redirect"
    EXTRACT_ERROR = "extract_error"
    EXTRACT_CRASHED = "extract_crashed"
    STORE_ERROR = "store_error"
    # stored, with a warning (a successful outcome)
    LAYOUT_MISS = "layout_miss"


REASON_HELP: dict[Reason, str] = {
    Reason.NOT_HTML: "the body is not HTML (a PDF, an image, a feed...)",
    Reason.EMPTY_BODY: "nothing, or only whitespace, was returned",
    Reason.NO_TEXT: "HTML without article text",
    Reason.UNKNOWN_LAYOUT: "a page of a profiled site that is no article, thread or listing",
    Reason.REDIRECT_TO_SEEN: "a redirect to a page already fetched in this crawl",
    Reason.TOO_LARGE: "the response, or its decompressed body, is over the size limit",
    Reason.TIMEOUT: "the server did not answer in time",
    Reason.DNS: "the host name could not be resolved",
    Reason.CONNECTION_REFUSED: "the server refused the connection",
    Reason.CONNECTION_LOST: "the connection broke before the response was complete",
    Reason.DOWNLOAD_ERROR: "another download error (the detail names it)",
    Reason.IGNORED: "a downloader middleware refused the request (the detail says why)",
    Reason.ROBOTS_DISALLOWED: "robots.txt forbids the URL",
    Reason.REDIRECT_LOOP: "a redirect loop, or a chain longer than the limit",
    Reason.OFFSITE_REDIRECT: "a redirect away from the crawl's sites, not followed",
    Reason.EXTRACT_ERROR: "extraction raised an error (a bug: the detail says which)",
    Reason.EXTRACT_CRASHED: "the extraction worker process died on the page",
    Reason.STORE_ERROR: "the archive could not store the record",
    Reason.LAYOUT_MISS: "stored by the generic reader: no layout of the site's profile matched",
}

# HTTP statuses, and failures, worth another try in a later crawl (the retry queue).
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 522, 524})
TRANSIENT_REASONS = frozenset(
    {
        Reason.TIMEOUT,
        Reason.DNS,
        Reason.CONNECTION_REFUSED,
        Reason.CONNECTION_LOST,
        Reason.DOWNLOAD_ERROR,
        Reason.EXTRACT_CRASHED,
        Reason.STORE_ERROR,
    }
)


def http_reason(status: int) -> str:
    """The reason of a failed fetch with an HTTP error status: ``http_404``."""
    return f"http_{status}"


def is_transient(reason: str) -> bool:
    """Whether a failure with this reason is worth another try in a later crawl."""
    if reason.startswith("http_") and reason[5:].isdigit():
        return int(reason[5:]) in TRANSIENT_STATUSES
    return reason in TRANSIENT_REASONS


@dataclass(frozen=True, slots=True)
class Link:
    """A link the page offers to another page of the archive's interest."""

    to_url: str  # canonical URL of the target
    section: Section
    anchor: str = ""  # the link's visible text, whitespace-normalised


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment from an article's comment thread."""

    author: str
    posted: str | None  # ISO 8601, e.g. "2020-08-12T17:04:00"; None when the page shows no date
    text: str


@dataclass(frozen=True, slots=True)
class ForceMention:
    """A police force or policing body an article names (`article_forces`)."""

    force: str  # the gazetteer's id of the body, e.g. "metropolitan", "kent-pcc", "iopc"
    mentions: int  # how many times the title, standfirst and text name it
    in_headline: bool  # whether the title or the standfirst names it


@dataclass(frozen=True, slots=True)
class PersonMention:
    """An officer or office holder an article names with a rank (`people`)."""

    name: str  # "Jane Smith" (no rank, no "Sir")
    rank: str  # the full rank, e.g. "Detective Superintendent"
    force: str | None  # the body named with them (a gazetteer id), None when none is
    mentions: int


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
    # the versions that produced it: this program, the library or the profile (pages/versions.py)
    extractor_version: str = ""
    fetched_url: str = ""  # the URL actually fetched (before canonicalisation), for provenance
    links: tuple[Link, ...] = field(default=())
    warning: Reason | None = None  # e.g. LAYOUT_MISS: read by the generic reader on a profiled site
    warning_detail: str = ""  # e.g. the layouts tried
    # the police forces and bodies, and the people by rank, it names, and the version of the
    # gazetteer that found them ("" when not tagged)
    forces: tuple[ForceMention, ...] = field(default=())
    people: tuple[PersonMention, ...] = field(default=())
    tagged: str = ""


@dataclass(frozen=True, slots=True)
class CommentThread:
    """The comments page of an article (`/news/comments.cfm?id=N`)."""

    article_url: str  # canonical URL of the article the comments belong to
    comments: tuple[Comment, ...]
    fetched_url: str = ""
    links: tuple[Link, ...] = field(default=())
    warning: Reason | None = None
    warning_detail: str = ""


@dataclass(frozen=True, slots=True)
class Listing:
    """A listing page: its links to articles and to further listing pages."""

    url: str
    links: tuple[Link, ...] = field(default=())
    warning: Reason | None = None
    warning_detail: str = ""


# What the page parser hands back for one fetched page.
Page = Article | CommentThread | Listing


def kind_of(page: Page) -> PageKind:
    """The kind of a parsed page."""
    if isinstance(page, Article):
        return PageKind.ARTICLE
    if isinstance(page, CommentThread):
        return PageKind.COMMENTS
    return PageKind.LISTING


@dataclass(frozen=True, slots=True)
class Fetch:
    """One fetch attempt, as the fetch log (`fetches`) records it."""

    url: str  # the URL requested (after redirects: `final_url`)
    outcome: Outcome
    final_url: str | None = None
    status: int | None = None
    size: int | None = None
    content_type: str | None = None
    elapsed_ms: int | None = None
    reason: str | None = None  # a Reason, or http_NNN; None for a clean success
    detail: str = ""  # for people: the error message, the layouts tried...
    # the raw capture (crawler/warc.py): the WARC file and offset of the response (or revisit)
    # record, its WARC-Date and payload digest; and the response's validators
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_date: str | None = None
    payload_digest: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def retry_later(self) -> bool:
        """A transient failure: the URL goes into the retry queue for the next crawl."""
        return self.outcome == Outcome.FAILED and is_transient(self.reason or "")


class NotAnArticle(Exception):  # noqa: N818 - names the outcome, as trafilatura's users expect
    """A fetched page that yields no record, with the reason (counted and stored in the fetch
    log)."""

    def __init__(self, reason: Reason, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = Reason(reason)
        self.detail = detail

    def __reduce__(self):  # keep reason and detail when the exception crosses processes
        return (type(self), (self.reason, self.detail))
