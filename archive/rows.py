"""Records -> rows: how each record of archive/records.py is written, on an open connection.

Plain functions of a `sqlite3.Connection` inside the caller's transaction (archive/store.py runs
each in a SAVEPOINT, so a record is written whole or not at all). No Scrapy here.

- `save_article`: the articles row and, for a version not archived before (told by
  `content_hash`), a revision (flagged when it looks like broken extraction), and its outgoing
  links; `confirm`: an article a 304 says is unchanged;
- `save_comments`: a thread's comments, identified by (article_url, author, posted, text), kept
  and marked removed when they later disappear from the thread;
- `save_listing`: a listing page's outgoing links;
- `insert_fetch`: one row of the fetch log, and what a fetch means for the rest (a success takes
  the URL off the retry queue, a 404/410 marks an archived article 'gone').
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from archive.records import (
    Article,
    CommentThread,
    Fetch,
    ForceMention,
    Link,
    Listing,
    Outcome,
    PersonMention,
    Section,
    broken_flags,
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """`moment` as the archive writes timestamps: UTC, second precision, 'Z' suffix."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


# Fetch failures that mean an archived article has been taken down.
GONE_REASONS = frozenset({"http_404", "http_410"})


def content_hash(article: Article) -> str:
    """SHA-256 (hex) of what makes an article 'updated': title, author, published and text."""
    parts = (article.title, article.author, article.published or "", article.text)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def replace_tags(
    conn: sqlite3.Connection,
    url: str,
    forces: Iterable[ForceMention],
    people: Iterable[PersonMention],
    version: str,
) -> None:
    """An article's forces and people, as the version of it the archive shows names them."""
    conn.execute("DELETE FROM article_forces WHERE article_url = ?", (url,))
    conn.execute("DELETE FROM people WHERE article_url = ?", (url,))
    conn.executemany(
        "INSERT INTO article_forces (article_url, force, mentions, in_headline) "
        "VALUES (?, ?, ?, ?)",
        [(url, f.force, f.mentions, int(f.in_headline)) for f in forces],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO people (article_url, name, rank, force, mentions) "
        "VALUES (?, ?, ?, ?, ?)",
        [(url, p.name, p.rank, p.force, p.mentions) for p in people],
    )
    conn.execute("UPDATE articles SET tagged = ? WHERE url = ?", (version, url))


def save_article(
    conn: sqlite3.Connection,
    article: Article,
    crawl_id: int | None,
    now: str,
    aliases: Iterable[str] = (),
    *,
    fetch_id: int | None = None,
    source: str = "crawl",
) -> str:
    """Write an article and its outgoing links; 'new', 'updated', 'flagged' or 'unchanged'.

    A version whose content (`content_hash`) differs from the article's latest revision becomes
    a new revision; when it looks like broken extraction (`broken_flags`: text shrank by more
    than half, title lost, another extractor) it is stored flagged ('flagged') and the row keeps
    showing the previous version, else the row shows it ('updated'). `source` 'reextract' (a
    re-reading of a stored capture) leaves what a crawl saw (last_seen, status, ...) alone.
    `aliases` are other URLs of it (the URL requested, when it redirected): they are recorded,
    and the links to them become links to the article."""
    digest = content_hash(article)
    crawled = source == "crawl"
    meta: dict[str, Any] = {
        "category": article.category,
        "site": article.site,
        "paywalled": int(bool(article.paywalled)),
        "comment_count": article.comment_count,
        "fetched_url": article.fetched_url,
    }
    if crawled:
        meta |= {"status": "live", "gone_since": None, "last_seen": now, "last_crawl_id": crawl_id}
    reader = {"extractor": article.extractor, "extractor_version": article.extractor_version}
    content = {
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "text": article.text,
        "standfirst": article.standfirst,
        "word_count": len(article.text.split()),
        "content_hash": digest,
    }
    shown = conn.execute(
        "SELECT title, word_count, extractor, content_hash, flags, tagged FROM articles "
        "WHERE url = ?",
        (article.url,),
    ).fetchone()
    latest = conn.execute(
        "SELECT revision, content_hash FROM revisions WHERE url = ? ORDER BY revision DESC LIMIT 1",
        (article.url,),
    ).fetchone()
    flags = ""
    if shown is None:
        outcome = "new"
        values = {
            "url": article.url,
            **content,
            **meta,
            **reader,
            "status": "live",
            "last_seen": now,
            "last_crawl_id": crawl_id,
            "first_seen": now,
            "last_changed": now,
            "first_crawl_id": crawl_id,
        }
        conn.execute(
            f"INSERT INTO articles ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
            tuple(values.values()),
        )
    else:
        held = shown[4] is not None  # a flagged version is newer than the one shown
        if (latest[1] if latest else shown[3]) == digest:
            outcome, values = "unchanged", meta if held else {**meta, **reader}
        else:
            flags = broken_flags(shown[0], shown[1], shown[2], article)
            if flags:
                outcome, values = "flagged", {**meta, "flags": flags}
            else:
                outcome = "updated"
                values = {**content, **meta, **reader, "flags": None, "last_changed": now}
        conn.execute(
            f"UPDATE articles SET {', '.join(f'{k} = ?' for k in values)} WHERE url = ?",
            (*values.values(), article.url),
        )
    # the forces and people of the version the row shows: not of a flagged one, and an
    # unchanged version again only when a newer gazetteer tagged it
    held = shown is not None and shown[4] is not None and outcome != "updated"
    retagged = outcome != "unchanged" or (shown is not None and shown[5] != article.tagged)
    if article.tagged and outcome != "flagged" and not held and retagged:
        replace_tags(conn, article.url, article.forces, article.people, article.tagged)
    if outcome != "unchanged":
        add_revision(conn, article, (latest[0] if latest else 0) + 1, crawl_id, now,
                     fetch_id=fetch_id, source=source, flags=flags)  # fmt: skip
    for alias in {a for a in aliases if a and a != article.url}:
        add_alias(conn, alias, article.url, crawl_id, now)
    replace_links(conn, article.url, article.links, now)
    forget_retry(conn, article.url, article.fetched_url)
    return outcome


def add_revision(
    conn: sqlite3.Connection,
    article: Article,
    revision: int,
    crawl_id: int | None,
    now: str,
    *,
    fetch_id: int | None,
    source: str,
    flags: str,
) -> None:
    values = {
        "url": article.url,
        "revision": revision,
        "crawl_id": crawl_id,
        "fetch_id": fetch_id,
        "fetched_at": now,
        "source": source,
        "content_hash": content_hash(article),
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "standfirst": article.standfirst,
        "text": article.text,
        "category": article.category,
        "paywalled": int(bool(article.paywalled)),
        "word_count": len(article.text.split()),
        "extractor": article.extractor,
        "extractor_version": article.extractor_version,
        "flags": flags,
    }
    conn.execute(
        f"INSERT INTO revisions ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
        tuple(values.values()),
    )


def confirm(conn: sqlite3.Connection, url: str, crawl_id: int, now: str) -> bool:
    """A 304 for `url`: the article there (if any) is still as archived, and live. Whether an
    article was confirmed."""
    cur = conn.execute(
        "UPDATE articles SET last_seen = ?, last_crawl_id = ?, status = 'live', "
        "gone_since = NULL WHERE url = ?",
        (now, crawl_id, resolved(conn, url)),
    )
    return cur.rowcount > 0


def add_alias(
    conn: sqlite3.Connection, alias: str, url: str, crawl_id: int | None, now: str
) -> None:
    """Record that `alias` is another URL of the article at `url`; links to it point there."""
    conn.execute(
        "INSERT INTO url_aliases (alias, url, first_seen, crawl_id) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (alias) DO UPDATE SET url = excluded.url",
        (alias, url, now, crawl_id),
    )
    conn.execute("UPDATE OR IGNORE links SET to_url = ? WHERE to_url = ?", (url, alias))
    conn.execute("DELETE FROM links WHERE to_url = ?", (alias,))  # those already linked both


def save_comments(conn: sqlite3.Connection, thread: CommentThread, crawl_id: int, now: str) -> int:
    """Write a comment thread; the number of comments that were new."""
    new = 0
    seen: set[tuple[str, str | None, str]] = set()
    for position, comment in enumerate(thread.comments, start=1):
        key = (comment.author, comment.posted, comment.text)
        if key in seen:  # the same comment twice on one page: store it once
            continue
        seen.add(key)
        cur = conn.execute(
            "UPDATE comments SET position = ?, last_seen = ?, removed = NULL "
            "WHERE article_url = ? AND author = ? "
            "AND coalesce(posted, '') = coalesce(?, '') AND text = ?",
            (position, now, thread.article_url, *key),
        )
        if cur.rowcount == 0:
            conn.execute(
                "INSERT INTO comments (article_url, author, posted, text, position, "
                "first_seen, last_seen, first_crawl_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (thread.article_url, *key, position, now, now, crawl_id),
            )
            new += 1
    if seen:
        # the thread no longer shows these: kept, marked removed (a thread read as empty is more
        # likely a page the reader no longer understands than every comment deleted)
        stored = conn.execute(
            "SELECT id, author, posted, text FROM comments "
            "WHERE article_url = ? AND removed IS NULL",
            (thread.article_url,),
        ).fetchall()
        gone = [(now, row[0]) for row in stored if tuple(row[1:]) not in seen]
        conn.executemany("UPDATE comments SET removed = ? WHERE id = ?", gone)
    if thread.fetched_url:
        replace_links(conn, thread.fetched_url, thread.links, now)
        forget_retry(conn, thread.fetched_url)
    return new


def save_listing(conn: sqlite3.Connection, listing: Listing, now: str) -> None:
    """Replace a listing page's outgoing links; the URL leaves the retry queue."""
    replace_links(conn, listing.url, listing.links, now)
    forget_retry(conn, listing.url)


def insert_fetch(conn: sqlite3.Connection, crawl_id: int, fetch: Fetch, now: str) -> int:
    """Append a row to the fetch log and return its id; a success takes the URL off the retry
    queue, a 404 or 410 marks an archived article at the URL 'gone' (since now, if it was not
    already)."""
    if fetch.outcome not in set(Outcome):
        raise ValueError(f"outcome must be one of {tuple(Outcome)}, not {fetch.outcome!r}")
    reason = fetch.reason
    if fetch.outcome == Outcome.FAILED and not reason:
        reason = "unknown"  # every failure is stored with a reason
    cur = conn.execute(
        "INSERT INTO fetches (crawl_id, url, final_url, status, fetched_at, size, content_type, "
        "outcome, reason, elapsed_ms, detail, warc_file, warc_offset, warc_date, payload_digest, "
        "etag, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            crawl_id,
            fetch.url,
            fetch.final_url,
            fetch.status,
            now,
            fetch.size,
            fetch.content_type,
            str(fetch.outcome),
            reason,
            fetch.elapsed_ms,
            fetch.detail or None,
            fetch.warc_file,
            fetch.warc_offset,
            fetch.warc_date,
            fetch.payload_digest,
            fetch.etag,
            fetch.last_modified,
        ),
    )
    if fetch.outcome != Outcome.FAILED:
        forget_retry(conn, fetch.url, fetch.final_url)
    elif reason in GONE_REASONS:
        conn.execute(
            "UPDATE articles SET status = 'gone', gone_since = coalesce(gone_since, ?) "
            "WHERE url = ? AND status != 'gone'",
            (now, resolved(conn, fetch.url)),
        )
    assert cur.lastrowid is not None
    return cur.lastrowid


def queue_retry(conn: sqlite3.Connection, url: str, reason: str, crawl_id: int, now: str) -> None:
    """Queue `url` for a later crawl (or count one more failed attempt if already queued)."""
    conn.execute(
        "INSERT INTO retry_queue (url, reason, attempts, first_failed, last_failed, crawl_id) "
        "VALUES (?, ?, 1, ?, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET reason = excluded.reason, attempts = attempts + 1, "
        "last_failed = excluded.last_failed, crawl_id = excluded.crawl_id",
        (url, reason, now, now, crawl_id),
    )


def replace_links(conn: sqlite3.Connection, from_url: str, links: Iterable[Link], now: str) -> None:
    """Make `links` the outgoing links of `from_url`, keeping first_seen of persisting ones; the
    links it no longer shows are kept, marked removed."""
    sections = set(Section)
    wanted: dict[tuple[str, str], str] = {}
    for link in links:
        if link.section not in sections:
            raise ValueError(
                f"link to {link.to_url} has unknown section {link.section!r} "
                f"(expected one of {tuple(Section)})"
            )
        key = (resolved(conn, link.to_url), str(link.section))
        if not wanted.get(key):  # first non-empty anchor wins
            wanted[key] = link.anchor
    existing = {
        (r[0], r[1])
        for r in conn.execute(
            "SELECT to_url, section FROM links WHERE from_url = ? AND removed IS NULL", (from_url,)
        )
    }
    conn.executemany(
        "UPDATE links SET removed = ? WHERE from_url = ? AND to_url = ? AND section = ?",
        [(now, from_url, *key) for key in existing - wanted.keys()],
    )
    conn.executemany(
        "INSERT INTO links (from_url, to_url, section, anchor, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (from_url, to_url, section) DO UPDATE SET "
        "anchor = excluded.anchor, last_seen = excluded.last_seen, removed = NULL",
        [(from_url, to, section, anchor, now, now) for (to, section), anchor in wanted.items()],
    )


def resolved(conn: sqlite3.Connection, url: str) -> str:
    """The article's URL when `url` is one of its aliases, else `url`."""
    row = conn.execute("SELECT url FROM url_aliases WHERE alias = ?", (url,)).fetchone()
    return row[0] if row else url


def forget_retry(conn: sqlite3.Connection, *urls: str | None) -> None:
    for url in {u for u in urls if u}:
        conn.execute("DELETE FROM retry_queue WHERE url = ?", (url,))
