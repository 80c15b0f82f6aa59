"""The copies of the archive that leave the machine: a snapshot to publish, and exports.

* `open_readonly()`: a read-only connection to an archive, refused unless the file is one (also
  what `police-archive serve` checks before serving);
* `mask_emails()`: commenters' e-mail addresses (also obfuscated: ``name [at] host [dot] uk``,
  ``name at host dot com``, a full-width ``＠``) replaced by EMAIL_MASK, in every copy unless
  asked otherwise;
* `snapshot()`: a consistent copy (``VACUUM INTO``) for publishing, with commenters' e-mail
  addresses masked, the full-text indexes optimised, ready to be served immutable so that the
  database file can be downloaded (`police-archive publish`);
* `export_rows()`, `write_export()`, `export()`: one table as JSON lines or CSV, for scripts that
  do not run a server (`police-archive export`).

No Datasette, Scrapy or crawler import here: the copies are made from an archive file alone.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from archive.database import inspect
from archive.schema import SQLITE_HEADER, ArchiveError
from archive.tables import TABLES, TABLES_BY_NAME

# ---------------------------------------------------------------------------------------------
# E-mail addresses

EMAIL_MASK = "[e-mail address removed]"

# What separates the name from the host, and the host's labels, in an address as commenters
# write it. An address is a name, an "at", labels joined by "dots", and a top-level domain of
# letters; three spellings:
#
# * a real or look-alike @ (full-width U+FF20, small U+FE6B), spaces allowed around it, with
#   dots that are real (full-width or ideographic too), spaced (``host . com``) or spelt out
#   (``[dot]``, ``(dot)``, `` dot ``): ``john.doe@example.com``, ``jane ＠ example．org``;
# * ``at`` in brackets (``[at]``, ``(at)``, ``{at}``, ``<at>``), with any of those dots:
#   ``jane [at] example [dot] org``, ``jane(at)example.co.uk``;
# * ``at`` and ``dot`` as bare words (``name at host dot com``, ``name AT host DOT co DOT
#   uk``): only with every dot spelt out and a top-level domain people use (`_BARE_TLDS`), and
#   never with a host that is an ordinary word of a sentence (`_NOT_HOSTS`), so that prose
#   stays: "we met at home", "meet at the station dot com", "visit us at example.com" (a web
#   address, not an e-mail address), "the boom at the dot com".
# The name starts where a word starts (never inside one: a long word would take quadratic time)
# and is taken whole (possessive: no backtracking into it).
_NAME = r"(?<![\w%+'.-])[\w%+'-]++(?:\.[\w%+'-]++)*+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_REAL_AT = r"\s*[@\uff20\ufe6b]\s*"
_BRACKETED_AT = r"\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|<\s*at\s*>)\s*"
_BARE_AT = r"\s+at\s+"
_REAL_DOT = r"[.\uff0e\u3002\uff61]"
_SPELT_DOT = r"(?:\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\}|<\s*dot\s*>)\s*|\s+dot\s+)"
_ANY_DOT = rf"(?:{_REAL_DOT}|\s+\.\s+|{_SPELT_DOT})"
_BARE_TLDS = (
    "com|org|net|edu|gov|info|biz|io|co|uk|ie|eu|us|ca|au|nz|de|fr|nl|es|police|nhs|mod|sch|ac"
)
# Words of a sentence that are never the first label of a host written with bare "at ... dot".
_NOT_HOSTS = (
    "the|a|an|this|that|these|those|my|your|his|her|its|our|their|some|any|no|one|home|work|"
    "him|them|us|me|you|it|least|last|first|once|all|about|around|night|noon"
)
EMAIL_RE = re.compile(
    rf"{_NAME}(?:"
    rf"(?:{_REAL_AT}|{_BRACKETED_AT}){_LABEL}(?:{_ANY_DOT}{_LABEL})*{_ANY_DOT}[^\W\d_]{{2,}}"
    rf"|{_BARE_AT}(?!(?:{_NOT_HOSTS})\b){_LABEL}(?:{_SPELT_DOT}{_LABEL})*"
    rf"{_SPELT_DOT}(?:{_BARE_TLDS})"
    r")\b",
    re.IGNORECASE,
)


def mask_emails(text: str | None) -> str | None:
    """`text` with every e-mail address replaced by EMAIL_MASK: ``john.doe@example.com``, also
    obfuscated (``name [at] host [dot] uk``, ``name at host dot com``, full-width ``＠``); see
    EMAIL_RE."""
    if not text:
        return text
    return EMAIL_RE.sub(EMAIL_MASK, text)


# ---------------------------------------------------------------------------------------------
# Opening an archive read-only


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to the archive at `path`; ArchiveError when it is missing or not
    an archive. Never writes (safe on a published snapshot or while a crawl writes)."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    with path.open("rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise ArchiveError(f"{path} is not an archive: not an SQLite database")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        inspect(Database(conn))
    except (ArchiveError, sqlite3.DatabaseError) as e:
        conn.close()
        raise ArchiveError(f"{path} is not an archive: {e}") from e
    return conn


# ---------------------------------------------------------------------------------------------
# Snapshots


@dataclass(frozen=True, slots=True)
class SnapshotReport:
    path: Path
    articles: int
    comments: int
    emails_masked: int  # comments whose text or author had an address masked
    size: int  # bytes
    seconds: float


def snapshot(
    source: str | Path,
    dest: str | Path,
    *,
    keep_emails: bool = False,
    overwrite: bool = False,
) -> SnapshotReport:
    """Write a consistent, self-contained copy of the archive at `source` to `dest` for publishing.

    ``VACUUM INTO`` copies the committed state in one read transaction, so a crawl may keep
    writing meanwhile. In the copy, commenters' e-mail addresses are masked (unless
    `keep_emails`), the full-text indexes are merged into one segment each (faster searches)
    and query-planner statistics are gathered. The copy is in rollback-journal mode (no -wal
    file), ready to be served immutable. It is written next to `dest` and renamed into place, so
    `dest` is never half-written.
    """
    started = time.monotonic()
    source, dest = Path(source), Path(dest)
    if dest.exists():
        if dest.resolve() == source.resolve():
            raise ArchiveError(f"the snapshot would overwrite the archive itself ({dest})")
        if not overwrite:
            raise ArchiveError(f"{dest} exists (use --overwrite to replace it)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    src = open_readonly(source)
    try:
        src.execute("VACUUM INTO ?", (str(tmp),))
    except sqlite3.Error as e:
        tmp.unlink(missing_ok=True)
        raise ArchiveError(f"cannot write a snapshot to {dest}: {e}") from e
    finally:
        src.close()
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            masked = 0 if keep_emails else _mask_comment_emails(conn)
            for fts in (t.name for t in TABLES if t.kind == "fts"):
                conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('optimize')")
            conn.execute("ANALYZE")
            conn.execute("VACUUM")
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            comments = conn.execute("SELECT count(*) FROM comments").fetchone()[0]
        finally:
            conn.close()
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return SnapshotReport(
        dest, articles, comments, masked, dest.stat().st_size, time.monotonic() - started
    )


def _mask_comment_emails(conn: sqlite3.Connection) -> int:
    """Mask addresses in comments.text and comments.author; the triggers re-index comments_fts.

    Two comments that differ only by an address become identical, which the comments' unique
    identity forbids: OR REPLACE keeps one of them (recursive triggers, so that the FTS delete
    trigger also fires for the row it replaces).
    """
    conn.create_function("mask_emails", 1, mask_emails, deterministic=True)
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute("BEGIN")
    try:
        cur = conn.execute(
            "UPDATE OR REPLACE comments SET text = mask_emails(text), author = mask_emails(author) "
            "WHERE mask_emails(text) != text OR mask_emails(author) != author"
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return cur.rowcount


# ---------------------------------------------------------------------------------------------
# Exports

EXPORT_FORMATS = ("jsonl", "csv")
# Tables and views that can be exported (the FTS indexes are copies of articles and comments).
# Not the frontier (a crawl in progress's queue) nor the deliveries (the distributed crawl's
# writer's bookkeeping): machinery rather than records.
EXPORTABLE = tuple(
    t.name for t in TABLES if t.kind != "fts" and t.name not in ("frontier", "deliveries")
)
# Columns whose e-mail addresses are masked on export: commenters'.
_MASKED_COLUMNS = {"comments": ("text", "author")}


def export_rows(
    path: str | Path,
    table: str,
    *,
    keep_emails: bool = False,
) -> Iterator[dict[str, Any]]:
    """Every row of `table` (a table or view of the archive) as a dict, in primary-key order."""
    if table not in EXPORTABLE:
        raise ValueError(f"cannot export {table!r}: choose one of {', '.join(EXPORTABLE)}")
    spec = TABLES_BY_NAME[table]
    columns = ", ".join(f'"{c}"' for c in spec.column_names)
    # Tables in primary-key (or rowid) order; views in the order they give.
    order = f' ORDER BY "{spec.pk or "rowid"}"' if spec.kind == "table" else ""
    masked = () if keep_emails else _MASKED_COLUMNS.get(table, ())
    conn = open_readonly(path)
    try:
        cursor = conn.execute(f'SELECT {columns} FROM "{table}"{order}')
        for values in cursor:
            row = dict(zip(spec.column_names, values, strict=True))
            for column in masked:
                row[column] = mask_emails(row[column])
            yield row
    finally:
        conn.close()


def write_export(
    rows: Iterator[dict[str, Any]], out: IO[str], fmt: str, columns: Sequence[str]
) -> int:
    """Write `rows` to `out` as JSON lines or CSV (with a header row); return how many."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {EXPORT_FORMATS}, not {fmt!r}")
    n = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row.values()])
            n += 1
    else:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def export(
    path: str | Path,
    table: str,
    fmt: str,
    output: str | Path | None = None,
    *,
    keep_emails: bool = False,
) -> int:
    """Export `table` of the archive at `path` to `output` (stdout when None or "-")."""
    columns = TABLES_BY_NAME[table].column_names if table in TABLES_BY_NAME else ()
    rows = export_rows(path, table, keep_emails=keep_emails)
    if output is None or str(output) == "-":
        return write_export(rows, sys.stdout, fmt, columns)
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(Path(output).open("w", encoding="utf-8", newline=""))
        return write_export(rows, out, fmt, columns)


__all__ = [
    "EMAIL_MASK",
    "EMAIL_RE",
    "EXPORTABLE",
    "EXPORT_FORMATS",
    "SnapshotReport",
    "export",
    "export_rows",
    "mask_emails",
    "open_readonly",
    "snapshot",
    "write_export",
]
