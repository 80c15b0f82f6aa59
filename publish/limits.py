"""What one query may cost the server: SQLite's limits on every connection to the archive, a cap
on the rows one query returns, and a cap on SQLite's memory in the server process.

Datasette's time limit (``sql_time_limit_ms``) is a progress handler: SQLite calls it between
virtual-machine instructions, never inside one SQL function call, and only every 1,000
instructions. On its own it lets one query take gigabytes: ``printf('%.*c', 5e8, 'x')`` or
``replace(hex(zeroblob(1e8)), '0', 'xx')`` build a string of 1 GB in one call, and
``select zeroblob(1.6e7) from ...`` hands Python a gigabyte of rows, each under any length limit,
before the handler runs. So,
on every connection Datasette opens to the archive (`apply()`, called by the archive's plugin from
Datasette's ``prepare_connection`` hook, which Datasette 0.65 calls for every connection it opens:
the read connections of its thread pool and the write connection alike):

* SQLite's own limits (`SQLITE_LIMITS`, ``sqlite3.Connection.setlimit``): no string or BLOB
  over `MAX_LENGTH` (16 MiB); an oversized result fails at once with SQLite's error "string or
  blob too big" (HTTP 400), before it is built. The others bound what a statement may ask for:
  its length, columns, expression depth, compound SELECTs, LIKE / GLOB pattern, variables;
  no ATTACH.
* ``printf()`` / ``format()`` with a width or precision over `MAX_LENGTH` fail the same way at
  once: SQLite 3.40 would spend seconds in one call building ``%.500000000c`` before giving up,
  which no time limit interrupts; every other call is SQLite's own printf.
* Rows: one query hands Datasette at most `MAX_RESULT` (32 MiB) of text and BLOBs, counted as
  the rows arrive (`ResultBudget`); beyond it the query fails with "query result too big".

`limit_heap()` caps all of SQLite's memory in the server process (`MAX_HEAP`, PRAGMA
hard_heap_limit: what a JSON aggregate, a search over a huge prefix or many wide rows at once
would allocate); `police-archive serve` sets it, tests in one process do not.

The values, and how the legitimate maxima were measured, are in README.md ("Publishing with
Datasette"). What no limit bounds is the CPU time of one call of a function over long strings
(``instr()``, ``replace()`` of two long strings: quadratic, uninterruptible); that is one
reason a public server refuses arbitrary SQL unless told otherwise.

No Datasette, Scrapy or crawler import here.
"""

from __future__ import annotations

import re
import sqlite3
import weakref
from collections.abc import Mapping
from typing import Any

MiB = 1024 * 1024

# No string or BLOB (a column value, a function's result, a row built for sorting) over this.
# The largest value the crawler can store is an article's text, extracted from a page of at most
# 8 MiB (the crawler's DOWNLOAD_MAXSIZE): at most 8 MiB of UTF-8 from a UTF-8 page, at most twice
# that from a Latin-1 or windows-1252 page (unless it is made of nothing but curly quotes and
# dashes, three bytes each). Real pages are far smaller: the longest text of the 1,169 real news
# pages of the two extraction corpora is 100 KiB (median 3.4 KiB).
MAX_LENGTH = 16 * MiB

# SQLite's limits (`sqlite3.Connection.setlimit`) on the archive's connections, by name (the
# ``SQLITE_LIMIT_`` constant without its prefix). The legitimate maxima in the comments were
# measured by replaying every page, facet, canned query, search and export with the limit
# lowered until one failed (README). FUNCTION_ARG stays at SQLite's 127: it bounds nothing costly.
SQLITE_LIMITS: dict[str, int] = {
    "LENGTH": MAX_LENGTH,
    # A statement's text, in bytes. Datasette's longest: 11,221, the facet SQL of ?id__in= with
    # 1,500 values (written into the SQL); a URL is at most 16 KiB (uvicorn's h11).
    "SQL_LENGTH": 100_000,
    # Columns in a result, table, index, GROUP BY or ORDER BY: the articles table has 20 (with
    # fewer the archive does not open). With MAX_LENGTH, also what one row can hold.
    "COLUMN": 100,
    # Depth of an expression tree: 15 with eleven filters on a table (one level a filter).
    "EXPR_DEPTH": 100,
    # SELECTs joined by UNION / EXCEPT / INTERSECT in one statement: related_articles has 2.
    "COMPOUND_SELECT": 10,
    # A LIKE or GLOB pattern (`?title__contains=`, `?published__glob=`): Datasette's own, that
    # find the full-text tables, are 58 bytes. A LIKE with wildcards costs up to pattern x text
    # in one uninterruptible call.
    "LIKE_PATTERN_LENGTH": 1000,
    # Bound parameters of one statement (?column__in=a,b,... takes one a value): more than a URL
    # of 16 KiB can carry; without it a statement may number one ?250000 and cost 14 MB.
    "VARIABLE_NUMBER": 10_000,
    # Datasette never attaches a database to the archive's connections.
    "ATTACHED": 0,
}

# Text and BLOBs one query may hand Datasette, in characters and bytes: a page of 1,000 rows
# (max_returned_rows) of 32 KiB each (the 99th percentile of real articles is 33 KiB, the median
# 3.4 KiB), or two of the longest values; CSV exports stream 1,000 rows a query.
MAX_RESULT = 32 * MiB

# All of SQLite's memory in the server process: the page caches, the values of the rows being
# read, a search's doclists. Datasette's three SQL threads each reading the longest value at
# once fit, with room to spare.
MAX_HEAP = 128 * MiB


def limits_config(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The limits as plugin configuration: `SQLITE_LIMITS` and `MAX_RESULT`, with overrides."""
    config: dict[str, Any] = {"sqlite": dict(SQLITE_LIMITS), "max_result": MAX_RESULT}
    for key, value in (overrides or {}).items():
        if key == "sqlite":
            config["sqlite"].update({name.upper(): value for name, value in value.items()})
        elif key in config:
            config[key] = value
        else:
            raise ValueError(f"unknown limit {key!r}: expected sqlite or max_result")
    unknown = [name for name in config["sqlite"] if name not in _limit_codes()]
    if unknown:
        raise ValueError(f"SQLite has no limit {', '.join(unknown)}")
    return config


_SIZED = (str, bytes)  # what sqlite3 returns for TEXT and BLOB values


class ResultTooBig(sqlite3.DataError):
    """One query returned more than its budget of text and BLOBs."""


class ResultBudget:
    """A row factory (`sqlite3.Row`) counting the text and BLOBs each cursor returns: past
    `limit` characters and bytes in the rows of one cursor, ResultTooBig."""

    __slots__ = ("_cursor", "_used", "limit")

    def __init__(self, limit: int):
        self.limit = limit
        self._cursor: weakref.ref | None = None
        self._used = 0

    def __call__(self, cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
        if self._cursor is None or self._cursor() is not cursor:
            self._cursor, self._used = weakref.ref(cursor), 0
        used = self._used + 16 * len(row) + sum([len(v) for v in row if type(v) in _SIZED])
        self._used = used
        if used > self.limit:
            self._cursor = None
            raise ResultTooBig(
                f"query result too big: over {self.limit // MiB} MiB of text; "
                "ask for fewer rows (_size=) or fewer columns"
            )
        return sqlite3.Row(cursor, row)


# --- printf() and format() ---------------------------------------------------------------------

# A conversion of SQLite's printf: flags, width, precision, length modifier, conversion letter.
_CONVERSION = re.compile(r"%[-+ #!0,]*(\*|[1-9][0-9]*)?(?:\.(\*|[0-9]*))?(?:ll|l)?(.?)", re.S)
# Conversions that take a value (and so an argument); %% and %n take none; any other letter ends
# SQLite's formatting there.
_VALUE_CONVERSIONS = frozenset("dsgzqQwcouxXrfeEGip")
_STRING_CONVERSIONS = frozenset("szqQw")  # the precision cuts the value: it adds nothing
_LEADING_INT = re.compile(rb"\s*([-+]?[0-9]+)")
_INT_BITS = 1 << 32


def _int_arg(value: Any) -> int:
    """A width or precision argument as SQLite's printf reads it (sqlite3_value_int64 as C int),
    as an absolute value."""
    if isinstance(value, bool | int):
        n = int(value)
    elif isinstance(value, float):
        n = int(value) if value == value and abs(value) < 2**63 else 0
    elif isinstance(value, str | bytes):
        raw = value.encode() if isinstance(value, str) else value
        m = _LEADING_INT.match(raw)
        n = int(m.group(1)) if m else 0
    else:
        n = 0
    n = ((n + _INT_BITS // 2) % _INT_BITS) - _INT_BITS // 2  # (int) of the int64
    return abs(n)


def printf_too_big(fmt: Any, args: tuple, limit: int) -> bool:
    """Whether printf(fmt, *args) asks for a field wider than `limit` (its result would be too
    big): a width, or a precision of a conversion other than a string's, over `limit`."""
    if not isinstance(fmt, str | bytes):
        return False
    text = fmt.decode("utf-8", "replace") if isinstance(fmt, bytes) else fmt
    used = 0
    for match in _CONVERSION.finditer(text):
        width, precision, conversion = match.groups()
        if conversion == "%" or conversion == "n":
            continue
        sizes = []
        if width == "*":
            sizes.append(_int_arg(args[used]) if used < len(args) else 0)
            used += 1
        elif width:
            sizes.append(int(width) & 0x7FFFFFFF)
        if precision == "*":
            wide = _int_arg(args[used]) if used < len(args) else 0
            used += 1
        else:
            wide = int(precision) & 0x7FFFFFFF if precision else 0
        if conversion not in _VALUE_CONVERSIONS:
            return any(size > limit for size in sizes)  # SQLite stops formatting here
        if conversion not in _STRING_CONVERSIONS:
            sizes.append(wide)
        used += 1
        if any(size > limit for size in sizes):
            return True
    return False


def _decode(value: bytes) -> str:
    return str(value, "utf-8", "replace")


class _Printf:
    """printf() / format() for one connection: SQLite's own (on a private in-memory connection
    with the same limits), unless a field is wider than the length limit."""

    def __init__(self, name: str, conn: sqlite3.Connection):
        self.name = name
        self.limit = conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
        self.helper: sqlite3.Connection | None = None
        self.limits = {n: conn.getlimit(n) for n in _limit_codes().values()}

    def __call__(self, *args: Any) -> Any:
        if not args:
            return None
        if printf_too_big(args[0], args[1:], self.limit):
            # SQLite itself refuses a result over the length limit ("string or blob too big");
            # a zero-filled bytes object is allocated lazily: this costs no memory.
            return bytes(self.limit + 1)
        if self.helper is None:
            self.helper = sqlite3.connect(":memory:", check_same_thread=False)
            # as Datasette reads text: invalid UTF-8 (from a BLOB) replaced, not an error
            self.helper.text_factory = _decode
            for code, value in self.limits.items():
                self.helper.setlimit(code, value)
        marks = ", ".join("?" * len(args))
        return self.helper.execute(f"select {self.name}({marks})", args).fetchone()[0]


# --- applying them -----------------------------------------------------------------------------


def _limit_codes() -> dict[str, int]:
    """Every limit SQLite has, by name."""
    return {n[13:]: getattr(sqlite3, n) for n in dir(sqlite3) if n.startswith("SQLITE_LIMIT_")}


def apply(conn: sqlite3.Connection, config: Mapping[str, Any] | None = None) -> None:
    """Set the limits on `conn`: SQLite's (`SQLITE_LIMITS`, or config["sqlite"]), the guarded
    printf() and format(), and the result budget (config["max_result"], or `MAX_RESULT`) as its
    row factory."""
    config = limits_config(config)
    for name, value in config["sqlite"].items():
        conn.setlimit(getattr(sqlite3, f"SQLITE_LIMIT_{name}"), int(value))
    for name in ("printf", "format"):
        conn.create_function(name, -1, _Printf(name, conn), deterministic=True)
    conn.row_factory = ResultBudget(int(config["max_result"]))


def limit_heap(max_heap: int = MAX_HEAP) -> int:
    """Cap SQLite's memory in this process at `max_heap` bytes (it can only be lowered); past it
    an allocation fails and the query with it ("out of memory"). Returns the limit in force."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"PRAGMA hard_heap_limit = {int(max_heap)}")
        return conn.execute("PRAGMA hard_heap_limit").fetchone()[0]
    finally:
        conn.close()


__all__ = [
    "MAX_HEAP",
    "MAX_LENGTH",
    "MAX_RESULT",
    "SQLITE_LIMITS",
    "ResultBudget",
    "ResultTooBig",
    "apply",
    "limit_heap",
    "limits_config",
    "printf_too_big",
]
