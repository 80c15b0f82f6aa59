"""The archive's crawl-history tables: the crawls, their fetch log, the retry queue, the
frontier of a crawl in progress and the deliveries of a distributed crawl's archive writer
(archive/tables.py has the articles and the rest of the contract; archive/schema.py the types
and the conventions).
"""

from __future__ import annotations

from archive.records import REASON_HELP, Outcome
from archive.schema import INT, TEXT, Index, Table, column

_c = column

_REASON_DOC = (
    "NULL for a clean success. For a failure or a page that gave no record, why: "
    + "; ".join(f"{reason} ({help})" for reason, help in REASON_HELP.items())
    + "; http_NNN: the server answered with that HTTP error status. On a stored page, a warning."
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
        _c(
            "articles_unchanged",
            INT,
            "Older articles this crawl re-fetched or confirmed (304), content unchanged.",
        ),
        _c("articles_flagged", INT, "Articles given a flagged revision (broken-looking; v3)."),
        _c("articles_gone", INT, "Articles first found gone (404/410) by this crawl (v3)."),
        _c("not_modified", INT, "Fetches answered 304 Not Modified (v3)."),
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
        _c(
            "warc_file",
            TEXT,
            "The WARC file (in the WARC folder, `warc/` beside the archive by default) holding "
            "the response or revisit record; NULL when none was written (v3).",
        ),
        _c("warc_offset", INT, "Byte offset of that record in `warc_file` (v3)."),
        _c("warc_date", TEXT, "WARC-Date of that record (v3)."),
        _c(
            "payload_digest",
            TEXT,
            "WARC-Payload-Digest of the body ('sha1:...'); for a 304, the capture's (v3).",
        ),
        _c("etag", TEXT, "The response's ETag header, sent back as If-None-Match (v3)."),
        _c(
            "last_modified",
            TEXT,
            "The response's Last-Modified header, sent back as If-Modified-Since (v3).",
        ),
    ),
    pk="id",
    indexes=(
        Index("fetches_url", ("url",)),
        # the latest capture of a URL: validators for a conditional request, raw page to re-read
        Index("fetches_final_url", ("final_url",)),
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

FRONTIER = Table(
    "frontier",
    "The pages a crawl has queued, written with the page that led to them: a crawl killed "
    "mid-way is resumed from here by the next one, without fetching again what it stored. A "
    "finished crawl's rows are deleted.",
    (
        _c("crawl_id", INT, "The crawl (`crawls.id`).", not_null=True),
        _c("url", TEXT, "URL to fetch.", not_null=True),
        _c("section", TEXT, "How it was found: a links.section, or 'seed'.", not_null=True),
        _c("expected", TEXT, "The kind of page expected, or NULL."),
        _c("anchor", TEXT, "The link's text.", not_null=True, default=""),
        _c("referrer", TEXT, "The page the link was on."),
        _c(
            "hops",
            INT,
            "Related links followed since the last seed or listing.",
            not_null=True,
            default=0,
        ),  # fmt: skip
        _c(
            "pages", INT, "Pagination links followed along the listing.", not_null=True, default=0
        ),  # fmt: skip
        _c(
            "barren", INT, "Listing pages in a row without a new entry.", not_null=True, default=0
        ),  # fmt: skip
        _c("done", INT, "1 once its fetch is stored.", not_null=True, default=0),
    ),
    indexes=(Index("frontier_identity", ("crawl_id", "url"), unique=True),),
)

DELIVERIES = Table(
    "deliveries",
    "The item-stream entries a distributed crawl's archive writer has stored (`police-archive "
    "writer`, crawler/writer.py): one row per entry, written in the same transaction as the "
    "rows it gave, so that an entry delivered again (a writer killed before it acknowledged "
    "it) is skipped, never stored twice (v5).",
    (
        _c(
            "id",
            TEXT,
            "The entry: the Redis stream's key and the entry's id, space-separated "
            "('pna:CRAWL:items 1717171717171-0').",
            not_null=True,
        ),
        _c("crawl_id", INT, "The crawl (`crawls.id`) it was stored in.", not_null=True),
        _c("worker", TEXT, "The worker process that pushed it (host:pid:random).", not_null=True),
        _c("written_at", TEXT, "When the writer stored it (UTC).", not_null=True),
    ),
    pk="id",
    indexes=(Index("deliveries_crawl_id", ("crawl_id",)),),
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
