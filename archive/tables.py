"""The archive's tables, full-text indexes and views, each column with its description: the
contract scripts query (archive/schema.py has the types and the conventions). Any change here
bumps `SCHEMA_VERSION` and adds a migration (archive/migrations.py).
"""

from __future__ import annotations

from archive.logtables import CRAWLS, DELIVERIES, FAILURES, FETCHES, FRONTIER, RETRY_QUEUE
from archive.records import FLAG_HELP, Section
from archive.schema import INT, TEXT, Index, Table, column
from archive.tagtables import ARTICLE_FORCES, FORCE_ARTICLES, FORCES, PEOPLE
from archive.views import ARTICLE_AUTHORS, ARTICLE_LINKS

_c = column


ARTICLES = Table(
    "articles",
    "One row per news article (keyed by canonical URL): its latest version that looks sound. "
    "Every version ever archived is in `revisions`; a crawl never deletes a row.",
    (
        _c("url", TEXT, "Canonical URL of the article: the primary key.", not_null=True),
        _c("title", TEXT, "Headline.", not_null=True),
        _c(
            "author",
            TEXT,
            'Byline: the author, or several in byline order separated by "; " (a desk or an '
            'agency as named: "PA Media"); empty when the page has none. One row per author: '
            "the article_authors view.",
            not_null=True,
            default="",
        ),
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
            "'live', or 'gone' once a later fetch of the URL answered 404/410 (the row and its "
            "text stay).",
            not_null=True,
            default="live",
        ),
        _c(
            "gone_since",
            TEXT,
            "When a fetch first answered 404/410 (UTC); NULL while live (v3).",
        ),
        _c(
            "flags",
            TEXT,
            "NULL, or the flags of a newer revision held back because its extraction looks "
            "broken (see `revisions.flags`): the row keeps the previous version (v3).",
        ),
        _c(
            "extractor_version",
            TEXT,
            "The versions that extracted the row: this program, trafilatura/readability or the "
            "site profile's digest; '' before v3.",
            not_null=True,
            default="",
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
        _c(
            "tagged",
            TEXT,
            "The version of the police gazetteer its forces and people (`article_forces`, "
            "`people`) were found with; empty when not tagged yet (`police-archive retag`).",
            not_null=True,
            default="",
        ),
    ),
    pk="url",
    indexes=(
        Index("articles_published", ("published",)),
        Index("articles_site", ("site", "published")),
        # The published archive lists articles newest first (keyset pagination, the primary key
        # breaking ties), straight from this index; it also holds every column its facets and
        # usual filters use, so that the facets of a filtered page or a search are counted from
        # the index alone, never reading an article's text.
        Index(
            "articles_listing",
            ("published DESC", "url", "category", "author", "site", "paywalled", "status"),
        ),
        # The same columns by URL: the facets of the articles naming a force (a few thousand
        # URLs, publish/facetrows.py) are read from it by URL instead of scanning the above.
        Index(
            "articles_by_url",
            ("url", "published", "category", "author", "site", "paywalled", "status"),
        ),
        # The published archive's facets (publish.app) group by these columns: with an index
        # a facet reads the index alone instead of every article's text. With `published`
        # after the column, a page of one category (author, site...) lists its newest articles
        # straight from the index (0.5 ms at 100,000 articles, where sorting the category's
        # articles read every one: 90 ms).
        Index("articles_category", ("category", "published")),
        Index("articles_author", ("author", "published")),
        Index("articles_paywalled", ("paywalled", "published")),
        Index("articles_status", ("status", "published")),
    ),
)

LINKS = Table(
    "links",
    "Links between archived pages, by page section; a link the page no longer shows is kept, "
    "with `removed` set.",
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
        _c(
            "removed",
            TEXT,
            "When the page was first saved without the link (UTC); NULL while shown (v3).",
        ),
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
        _c(
            "removed",
            TEXT,
            "When the comment was first missing from its thread (UTC); NULL while shown (v3).",
        ),
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

_FLAGS_DOC = (
    "'' for a sound version, else why it looks like broken extraction, comma-separated: "
    + "; ".join(f"{flag} ({help})" for flag, help in FLAG_HELP.items())
    + ". A flagged version is not shown in `articles` until a later one looks sound."
)

REVISIONS = Table(
    "revisions",
    "Every distinct version of every article, oldest first: a crawl (or `reextract`) that finds "
    "an article changed adds one; an unchanged article gets none. `articles` shows the latest "
    "sound one.",
    (
        _c("id", INT, "Row id."),
        _c("url", TEXT, "The article (`articles.url`).", not_null=True),
        _c("revision", INT, "1 for the first version archived, then 2, 3, ...", not_null=True),
        _c("crawl_id", INT, "The crawl (or reextract run, in `crawls`) that found the version."),
        _c("fetch_id", INT, "The fetch (`fetches.id`) whose response gave it: its raw capture."),
        _c("fetched_at", TEXT, "When it was fetched or re-extracted (UTC).", not_null=True),
        _c("source", TEXT, "'crawl', 'reextract', or 'migration' (v2 rows).", not_null=True),
        _c("content_hash", TEXT, "As `articles.content_hash`.", not_null=True),
        _c("title", TEXT, "Headline.", not_null=True),
        _c("author", TEXT, "Byline.", not_null=True, default=""),
        _c("published", TEXT, "Publication date as the page gives it, or NULL."),
        _c("standfirst", TEXT, "Standfirst.", not_null=True, default=""),
        _c("text", TEXT, "Article text.", not_null=True),
        _c("category", TEXT, "Section or category.", not_null=True, default=""),
        _c("paywalled", INT, "1 for a subscriber-only teaser.", not_null=True, default=0),
        _c("word_count", INT, "Words in `text`.", not_null=True, default=0),
        _c("extractor", TEXT, "As `articles.extractor`.", not_null=True, default=""),
        _c(
            "extractor_version", TEXT, "As `articles.extractor_version`.", not_null=True, default=""
        ),  # fmt: skip
        _c("flags", TEXT, _FLAGS_DOC, not_null=True, default=""),
    ),
    pk="id",
    indexes=(
        Index("revisions_identity", ("url", "revision"), unique=True),
        Index("revisions_crawl_id", ("crawl_id",)),
    ),
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

TABLES: tuple[Table, ...] = (
    ARTICLES,
    LINKS,
    COMMENTS,
    CRAWLS,
    FETCHES,
    RETRY_QUEUE,
    URL_ALIASES,
    REVISIONS,
    FRONTIER,
    DELIVERIES,
    ARTICLES_FTS,
    COMMENTS_FTS,
    FORCES,
    ARTICLE_FORCES,
    PEOPLE,
    ARTICLE_LINKS,
    ARTICLE_AUTHORS,
    FORCE_ARTICLES,
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
