"""Dates and timestamps as people in the UK write them: ``12 April 2021, 13:05``.

A date alone reads ``12 April 2021``. Every date column of the archive's HTML pages is shown so
(`publish.app.DATE_COLUMNS`, through the plugin's ``render_cell``), and the templates' dates
too; the JSON and CSV keep the stored ISO 8601 value, and so does each
``<time datetime="...">``.

Which wall time is shown:

* a timestamp stored in UTC (``Z``, ``+00:00``; everything the archive itself writes:
  ``first_seen``, ``fetched_at``...) is shown in UK time (Europe/London: GMT in winter, BST in
  summer), with no zone named, since that is what a UK reader expects; only a time of the hour
  that happens twice when the clocks go back (01:00-01:59 on the last Sunday of October) says
  which it is (``01:30 BST``, ``01:30 GMT``);
* a value with UK time's own offset at that moment (``+01:00`` in summer) is UK time already;
* a value with another offset keeps its own wall time and says so: ``14:05 (UTC+02:00)``;
* a value without an offset (``published`` as the page gave it) is shown as it is.

Anything else (a partial date, a date that does not exist, text) is not a date: `parse` gives
None and the value is shown untouched.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import markupsafe

UK = ZoneInfo("Europe/London")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,9}))?)?"
    r"(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?)?"
)


@dataclass(frozen=True, slots=True)
class ShownDate:
    """A stored date or timestamp as shown: `day` ("12 April 2021"), `time` ("13:05", None for
    a date alone) and `note` ("BST", "(UTC+02:00)" or "")."""

    day: str
    time: str | None
    note: str
    converted: bool  # shown in UK time, converted from UTC

    @property
    def text(self) -> str:
        if self.time is None:
            return self.day
        return f"{self.day}, {self.time}" + (f" {self.note}" if self.note else "")


def _day(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"(UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"


def parse(value: object) -> date | datetime | None:
    """A stored ISO 8601 date (a `date`) or date-time (a `datetime`, aware when it has an
    offset), or None for anything else."""
    if not isinstance(value, str):
        return None
    m = _ISO.fullmatch(value.strip())
    if not m:
        return None
    try:
        day = date(int(m["y"]), int(m["mo"]), int(m["d"]))
        if m["h"] is None:
            return day
        zone = None
        if m["tz"]:
            if m["tz"] in "Zz":
                zone = UTC
            else:
                digits = m["tz"].replace(":", "")
                sign = -1 if digits[0] == "-" else 1
                hours, minutes = int(digits[1:3]), int(digits[3:5])
                if hours > 23 or minutes > 59:
                    return None
                zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
        micro = int((m["frac"] or "0")[:6].ljust(6, "0"))
        hms = (int(m["h"]), int(m["mi"]), int(m["s"] or 0))
        return datetime(day.year, day.month, day.day, *hms, micro, tzinfo=zone)
    except ValueError:  # 2021-02-30, 25:00, ...
        return None


def shown(value: object) -> ShownDate | None:
    """How a stored value is shown (see the module's docstring), or None if it is not a date."""
    parsed = parse(value)
    if parsed is None:
        return None
    if not isinstance(parsed, datetime):
        return ShownDate(_day(parsed), None, "", converted=False)
    note, converted = "", False
    offset = parsed.utcoffset()
    if offset is not None:
        try:
            uk = parsed.astimezone(UK)
        except (OverflowError, ValueError):  # year 1 or 9999: no conversion
            uk = None
        if uk is not None and (offset == timedelta(0) or offset == uk.utcoffset()):
            converted = offset == timedelta(0)
            twice = uk.replace(fold=1 - uk.fold).utcoffset() != uk.utcoffset()
            note = (uk.tzname() or "") if twice else ""
            parsed = uk
        else:
            note = _offset(offset)
    return ShownDate(_day(parsed), f"{parsed:%H:%M}", note, converted)


def readable(value: object, *, day_only: bool = False) -> str | None:
    """The text shown for a stored date or timestamp ("12 April 2021, 13:05"; with `day_only`
    "12 April 2021", the day in UK time for a UTC timestamp), or None if it is not a date."""
    s = shown(value)
    if s is None:
        return None
    return s.day if day_only else s.text


def iso_day(value: object) -> str | None:
    """The day of a stored date or timestamp as ISO 8601 (``2021-04-12``), in UK time for a
    UTC timestamp, or None if it is not a date."""
    parsed = parse(value)
    if isinstance(parsed, datetime) and parsed.utcoffset() == timedelta(0):
        with contextlib.suppress(OverflowError, ValueError):  # year 1 or 9999
            parsed = parsed.astimezone(UK)
    if isinstance(parsed, datetime):
        parsed = parsed.date()
    return parsed.isoformat() if parsed is not None else None


def time_element(value: object, *, day_only: bool = False) -> markupsafe.Markup | None:
    """``<time datetime="STORED">12 April 2021, 13:05</time>`` for a stored date or timestamp,
    or None if it is not a date. A time converted from UTC says on hover what is stored."""
    s = shown(value)
    if s is None:
        return None
    # (escaped and joined by hand: Markup.format costs as much as the rest, for every date
    # cell of a table page)
    stored = markupsafe.escape(str(value).strip())
    title = f' title="UK time; stored as {stored} (UTC)"' if s.converted else ""
    shown_text = markupsafe.escape(s.day if day_only else s.text)
    return markupsafe.Markup(f'<time datetime="{stored}"{title}>{shown_text}</time>')


def date_filter(value: object) -> object:
    """Jinja filter ``archive_date``: a `time_element`, or the value itself (escaped by Jinja)
    when it is not a date."""
    return time_element(value) or ("" if value is None else value)


def day_filter(value: object) -> object:
    """Jinja filter ``archive_day``: the date alone, as a `time_element`."""
    return time_element(value, day_only=True) or ("" if value is None else value)
