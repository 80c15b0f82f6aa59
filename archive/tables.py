"""The archive's tables, full-text indexes and views, each column with its description: the
contract scripts query (archive/schema.py has the types and the conventions). Any change here
bumps `SCHEMA_VERSION` and adds a migration (archive/migrations.py).
"""

from __future__ import annotations

from archive.records import REASON_HELP, Outcome, Section
from archive.schema import Column, Index, Table


def _c(name: str, type_: str, description: str, *, not_null: bool = False, default=None) -> Column:
    return Column(name, type_, description, not_null=not_null, default=default)


TEXT, INT = "TEXT", "INTEGER"

_REASON_DOC = (
    "NULL for a clean success. For a failure or a page that gave no record, why: "
    + "; ".join(f"{reason} ({help})" for reason, help in REASON_HELP.items())
    + "; http_NNN: the server answered with that HTTP error status. On a stored page, a warning."
)

ARTICLES = Table(
    "articles",
    "One row per news article (keyed by canonical URL), as last extracted; updated in place when "
    "its content changes.",
    (
        _c("url", TEXT, "Canonical URL of the article: the primary key.", not_null=True),
        _c("title", TEXT, "Headline.", not_null=True),
        _c("author", TEXT, "Byline; empty when the page has none.", not_null=True, default=""),
        _c(
            "published",
            TEXT,
            "Publication date or date-time as the page gives it (ISO 8601), or NULL.",
        ),
        _c(
            "text",
            TEXT,
            "Article text only: standfirst, paragraphs and list items separated by blank lines.",
            not_null=True,
        ),
        _c(
            "standfirst",
            TEXT,
            "The introductory summary paragraph; empty when none.",
            not_null=True,
            default="",
        ),
        _c(
            "category",
            TEXT,
            "Section or category the site files the article under; may be empty.",
            not_null=True,
            default="",
        ),
        _c(
            "site",
            TEXT,
            "Site profile name (e.g. 'policeoracle'), or the host for generic pages.",
            not_null=True,
            default="",
        ),
        _c(
            "paywalled",
            INT,
            "1 when the page is a subscriber-only teaser (`text` holds only the "
            "visible part), else 0.",
            not_null=True,
            default=0,
        ),
        _c(
            "comment_count",
            INT,
            "Number of comments the article page shows, NULL when it shows none.",
        ),
        _c(
            "word_count",
            INT,
            "Number of whitespace-separated words in `text`.",
            not_null=True,
            default=0,
        ),
        _c(
            "extractor",
            TEXT,
            "Which profile layout or fallback extracted the record: 'profile:policeoracle/table',"
            " 'trafilatura' or 'readability'.",
            not_null=True,
            default="",
        ),
        _c(
            "fetched_url",
            TEXT,
            "The URL last fetched for this article (before canonicalisation).",
            not_null=True,
            default="",
        ),
        _c(
            "status",
            TEXT,
            "'live', or 'gone' once a later fetch of the URL answered 404/410.",
            not_null=True,
            default="live",
        ),
        _c(
            "content_hash",
            TEXT,
            "SHA-256 (hex) of title, author, published and text: tells an "
            "updated article from an unchanged one.",
            not_null=True,
        ),
        _c("first_seen", TEXT, "When the article was first archived (UTC).", not_null=True),
        _c(
            "last_seen",
            TEXT,
            "When the article was last fetched and extracted (UTC).",
            not_null=True,
        ),
        _c(
            "last_changed",
            TEXT,
            "When the content (`content_hash`) last changed; equals first_seen "
            "for never-updated articles (UTC).",
            not_null=True,
        ),
        _c("first_crawl_id", INT, "The crawl (`crawls.id`) that first archived the article."),
        _c("last_crawl_id", INT, "The crawl (`crawls.id`) that last saw the article."),
    ),
    pk="url",
    indexes=(
        Index("articles_published", ("published",)),
        Index("articles_site", ("site",)),
        # The published archive lists articles newest first (keyset pagination, the primary key
        # breaking ties), straight from this index; it also holds every column its facets and
        # usual filters use, so that the facets of a filtered page or a search are counted from
        # the index alone, never reading an article's text.
        Index(
            "articles_listing",
            ("published DESC", "url", "category", "author", "site", "paywalled", "status"),
        ),
        # The published archive's facets (publish.app) group by these columns: with an index
        # a facet reads the index alone instead of every article's text.
        Index("articles_category", ("category",)),
        Index("articles_author", ("author",)),
        Index("articles_paywalled", ("paywalled",)),
        Index("articles_status", ("status",)),
    ),
)

LINKS = Table(
    "links",
    "Links between archived pages, by page section; a page's outgoing links are replaced each "
    "time it is saved.",
    (
        _c("from_url", TEXT, "Canonical URL of the page holding the link.", not_null=True),
        _c("to_url", TEXT, "Canonical URL of the link target.", not_null=True),
        _c(
            "section",
            TEXT,
            f"Page section the link is in: {', '.join(Section)}.",
            not_null=True,
        ),
        _c(
            "anchor",
            TEXT,
            "The link's visible text, whitespace-normalised.",
            not_null=True,
            default="",
        ),
        _c("first_seen", TEXT, "When the link was first seen on the page (UTC).", not_null=True),
        _c("last_seen", TEXT, "When the link was last seen on the page (UTC).", not_null=True),
    ),
    indexes=(
        # also serves lookups by from_url (its leading column)
        Index("links_identity", ("from_url", "to_url", "section"), unique=True),
        Index("links_to_url", ("to_url",)),
    ),
)

COMMENTS = Table(
    "comments",
    "Reader comments, one row per comment; kept when they later disappear from the thread "
    "(`last_seen` then stops advancing).",
    (
        _c("id", INT, "Row id."),
        _c(
            "article_url",
            TEXT,
            "Canonical URL of the article the comment belongs to.",
            not_null=True,
        ),
        _c("author", TEXT, "Commenter's name as shown.", not_null=True, default=""),
        _c("posted", TEXT, "When the comment was posted (ISO 8601 as the page gives it), or NULL."),
        _c("text", TEXT, "The comment text.", not_null=True),
        _c("position", INT, "1-based position in the thread when last seen.", not_null=True),
        _c("first_seen", TEXT, "When the comment was first archived (UTC).", not_null=True),
        _c("last_seen", TEXT, "When the comment was last seen in its thread (UTC).", not_null=True),
        _c("first_crawl_id", INT, "The crawl that first archived the comment (NULL before v2)."),
    ),
    pk="id",
    indexes=(
        # NULL `posted` values must compare equal for de-duplication, hence coalesce();
        # the leading column also serves lookups by article_url.
        Index(
            "comments_identity",
            ("article_url", "author", "coalesce(posted, '')", "text"),
            unique=True,
        ),
        # The published archive lists comments newest first, with facets by author and month.
        Index("comments_posted", ("posted DESC",)),
        Index("comments_author", ("author",)),
    ),
)

CRAWLS = Table(
    "crawls",
    "One row per crawl run; counts and stats are filled in when it finishes (NULL while running "
    "or after a crash), the counts counted in the archive itself (rows of the crawl).",
    (
        _c("id", INT, "Crawl id, referenced by fetches, retry_queue and articles."),
        _c("started", TEXT, "When the crawl started (UTC).", not_null=True),
        _c("finished", TEXT, "When the crawl finished (UTC); NULL while running or if it crashed."),
        _c("seeds", TEXT, "JSON list of the seed URLs.", not_null=True),
        _c("settings", TEXT, "JSON object of the crawl settings that matter.", not_null=True),
        _c(
            "finish_reason",
            TEXT,
            "Why the crawl stopped, e.g. 'finished', 'shutdown', 'closespider_pagecount'.",
        ),
        _c("pages_fetched", INT, "Responses received: fetches of the crawl with an HTTP status."),
        _c("articles_new", INT, "Articles archived for the first time."),
        _c("articles_updated", INT, "Older articles whose content this crawl saw change."),
        _c("articles_unchanged", INT, "Older articles this crawl re-fetched, content unchanged."),
        _c("comments_saved", INT, "New comments archived."),
        _c("failures", INT, "Fetches of the crawl that failed."),
        _c("stats", TEXT, "JSON object: the crawler's full stats counters."),
    ),
    pk="id",
)

FETCHES = Table(
    "fetches",
    "The fetch log: one row per page fetch attempt, successful or not.",
    (
        _c("id", INT, "Row id (increases with time)."),
        _c("crawl_id", INT, "The crawl (`crawls.id`) the fetch belongs to.", not_null=True),
        _c("url", TEXT, "URL requested.", not_null=True),
        _c("final_url", TEXT, "URL after redirects, NULL when not fetched or not redirected."),
        _c("status", INT, "HTTP status, NULL when no response was received."),
        _c("fetched_at", TEXT, "When the fetch completed (UTC).", not_null=True),
        _c("size", INT, "Response body size in bytes."),
        _c("content_type", TEXT, "Response Content-Type header."),
        _c("outcome", TEXT, f"What became of the fetch: {', '.join(Outcome)}.", not_null=True),
        _c("reason", TEXT, _REASON_DOC),
        _c("elapsed_ms", INT, "Download time in milliseconds."),
        _c("detail", TEXT, "For people: the error message, the layouts tried, ...; NULL if none."),
    ),
    pk="id",
    indexes=(
        Index("fetches_url", ("url",)),
        Index("fetches_crawl_id", ("crawl_id",)),
    ),
)

RETRY_QUEUE = Table(
    "retry_queue",
    "URLs whose fetch failed transiently, to retry in a later crawl; a URL leaves the queue "
    "when it is later fetched successfully.",
    (
        _c("url", TEXT, "URL to retry.", not_null=True),
        _c("reason", TEXT, "Reason of the latest failure (as in fetches.reason).", not_null=True),
        _c("attempts", INT, "Number of failed attempts so far.", not_null=True, default=1),
        _c("first_failed", TEXT, "When the URL first failed (UTC).", not_null=True),
        _c("last_failed", TEXT, "When the URL last failed (UTC).", not_null=True),
        _c("crawl_id", INT, "The crawl of the latest failure."),
    ),
    pk="url",
)

URL_ALIASES = Table(
    "url_aliases",
    "Other URLs of archived articles: a URL that redirected to the article or that the article "
    "names another canonical URL for. Links to an alias are stored to the article's URL.",
    (
        _c("alias", TEXT, "The other URL (canonical form, as requested).", not_null=True),
        _c("url", TEXT, "The article's URL (`articles.url`).", not_null=True),
        _c("first_seen", TEXT, "When the alias was first seen (UTC).", not_null=True),
        _c("crawl_id", INT, "The crawl that first saw it."),
    ),
    pk="alias",
    indexes=(Index("url_aliases_url", ("url",)),),
)

ARTICLES_FTS = Table(
    "articles_fts",
    "FTS5 full-text index (Porter stemming) of articles, kept in sync by triggers; join on "
    "articles.rowid = articles_fts.rowid.",
    (
        _c("title", TEXT, "Indexed copy of articles.title."),
        _c("standfirst", TEXT, "Indexed copy of articles.standfirst."),
        _c("text", TEXT, "Indexed copy of articles.text."),
    ),
    kind="fts",
    source="articles",
)

COMMENTS_FTS = Table(
    "comments_fts",
    "FTS5 full-text index (Porter stemming) of comments, kept in sync by triggers; join on "
    "comments.id = comments_fts.rowid.",
    (
        _c("text", TEXT, "Indexed copy of comments.text."),
        _c("author", TEXT, "Indexed copy of comments.author."),
    ),
    kind="fts",
    source="comments",
)

ARTICLE_LINKS = Table(
    "article_links",
    "Links with the titles of the pages at both ends (NULL when that end is not an archived "
    "article).",
    (
        _c("from_url", TEXT, "Page holding the link."),
        _c("from_title", TEXT, "Title of that page, when it is an archived article."),
        _c("to_url", TEXT, "Link target."),
        _c("to_title", TEXT, "Title of the target, when it is an archived article."),
        _c("section", TEXT, "Page section the link is in."),
        _c("anchor", TEXT, "The link's visible text."),
        _c("first_seen", TEXT, "When the link was first seen (UTC)."),
        _c("last_seen", TEXT, "When the link was last seen (UTC)."),
    ),
    kind="view",
    sql="""SELECT l.from_url, fa.title AS from_title, l.to_url, ta.title AS to_title,
       l.section, l.anchor, l.first_seen, l.last_seen
FROM links AS l
LEFT JOIN articles AS fa ON fa.url = l.from_url
LEFT JOIN articles AS ta ON ta.url = l.to_url""",
)

FAILURES = Table(
    "failures",
    "URLs whose latest fetch failed, with that fetch's reason.",
    (
        _c("url", TEXT, "URL requested."),
        _c("final_url", TEXT, "URL after redirects, if any."),
        _c("status", INT, "HTTP status of the latest fetch, NULL when no response."),
        _c("reason", TEXT, "Why the latest fetch failed."),
        _c("fetched_at", TEXT, "When the latest fetch happened (UTC)."),
        _c("crawl_id", INT, "Crawl of the latest fetch."),
        _c("failed_fetches", INT, "How many fetches of this URL have failed in all."),
    ),
    kind="view",
    sql="""SELECT f.url, f.final_url, f.status, f.reason, f.fetched_at, f.crawl_id,
       (SELECT count(*) FROM fetches AS f2
        WHERE f2.url = f.url AND f2.outcome = 'failed') AS failed_fetches
FROM fetches AS f
WHERE f.outcome = 'failed'
  AND f.id = (SELECT max(f3.id) FROM fetches AS f3 WHERE f3.url = f.url)""",
)


TABLES: tuple[Table, ...] = (
    ARTICLES,
    LINKS,
    COMMENTS,
    CRAWLS,
    FETCHES,
    RETRY_QUEUE,
    URL_ALIASES,
    ARTICLES_FTS,
    COMMENTS_FTS,
    ARTICLE_LINKS,
    FAILURES,
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Shadow tables FTS5 creates for each index; internal, not part of the contract.
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")


def is_internal(name: str) -> bool:
    """True for SQLite's and FTS5's own tables, which are not part of the documented schema."""
    if name.startswith("sqlite_"):
        return True
    return any(
        name == fts.name + suffix
        for fts in TABLES
        if fts.kind == "fts"
        for suffix in FTS5_SHADOW_SUFFIXES
    )
