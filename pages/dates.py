"""Dates in pages -> ISO 8601: `parse_date`, day first unless told otherwise. No Scrapy here.

Used by every reader of a page (pages/layouts.py's profile layouts, pages/metadata.py's date
metadata, pages/generic.py's datelines): text in, the first valid date in it out, as
``YYYY-MM-DD`` or, with a time, ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``. `plausible` says whether such a
date can be a web page's publication date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

__all__ = ["DATE_WORDS", "parse_date", "plausible"]

# Each month's English spellings, its full name first.
_MONTH_NAMES = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# The words of a date written out ("Monday, November 15, 2019"): full month and weekday names,
# lowercase. pages/metadata.py cuts a date run into a byline at them.
DATE_WORDS = frozenset(names[0] for names in _MONTH_NAMES) | frozenset(_WEEKDAYS)

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME = (
    r"(?:\s*(?:@|at|,|T|-)?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}))?)?"
)
_ISO_DATE = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.I,
)
_YMD_DATE = re.compile(
    r"(?<!\d)(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?!\d)" + _TIME, re.I
)
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?![\d/])" + _TIME, re.I
)
_DAY_MONTH_DATE = re.compile(
    rf"(?<![\d])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RE})\.?,?\s+"
    rf"(?P<y>\d{{4}})(?!\d)" + _TIME,
    re.I,
)
_MONTH_DAY_DATE = re.compile(
    rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)"
    + _TIME,
    re.I,
)

_DATE_PATTERNS = (_ISO_DATE, _YMD_DATE, _DAY_MONTH_DATE, _MONTH_DAY_DATE, _NUMERIC_DATE)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # as strptime's %y: 69-99 -> 1900s, 00-68 -> 2000s
        year += 1900 if year >= 69 else 2000
    return year


def _tzinfo(text: str | None) -> timezone | None:
    if not text:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def _iso(y: int, m: int, d: int, groups: dict[str, str | None]) -> str:
    """ISO 8601 of a date and the optional time groups; raises ValueError for impossible dates."""
    if groups.get("h") is None:
        return date(y, m, d).isoformat()
    hour, minute, second = int(groups["h"] or 0), int(groups["mi"] or 0), int(groups["s"] or 0)
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    stamp = datetime(y, m, d, hour, minute, second, tzinfo=_tzinfo(groups.get("tz")))
    return stamp.isoformat()


def parse_date(text: str | None, day_first: bool = True) -> str | None:
    """The first date in `text` as ISO 8601, or None when it holds no valid date.

    Reads ISO dates (``2020-08-12T17:04:00+01:00``; the offset is kept when given), numeric dates
    (``12/08/20 @ 17:04``, ``12/08/2020``, ``12.08.2020 17:04``: day first unless `day_first` is
    False; two-digit years as strptime's ``%y``) and dates with month names (``28th September
    2022``, ``Sep 28, 2022 5:04 pm``). A date with a time gives ``YYYY-MM-DDTHH:MM:SS``, a date
    alone ``YYYY-MM-DD``.
    """
    if not text:
        return None
    text = " ".join(text.split())
    matches = sorted(
        (match.start(), rank, match)
        for rank, pattern in enumerate(_DATE_PATTERNS)
        for match in pattern.finditer(text)
    )
    for _, _, match in matches:  # the first date in the text that is a valid one
        g = match.groupdict()
        try:
            if "a" in g:
                first, second = int(g["a"]), int(g["b"])
                d, m = (first, second) if day_first else (second, first)
                return _iso(_year(g["y"]), m, d, g)
            month = _MONTHS[g["mon"].lower()] if "mon" in g else int(g["m"])
            return _iso(int(g["y"]), month, int(g["d"]), g)
        except (ValueError, OverflowError):
            continue
    return None


def plausible(iso: str) -> bool:
    """Whether an ISO date can be a web page's publication date: from 1991 (the first web page)
    to next year (time zones, clocks)."""
    return 1991 <= int(iso[:4]) <= datetime.now(UTC).year + 1
