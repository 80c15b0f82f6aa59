"""Monthly bar charts as SVG, drawn on the server: no JavaScript, nothing fetched from elsewhere.

`month_chart()` turns counts by month (``[("2021-04", 12), ...]``) into an SVG bar chart: one
bar for every month of the continuous range from the first month to the last (a month without
articles is a bar of no height, a gap), the years along the axis, the largest count beside it,
a ``<title>`` and a ``<desc>`` for screen readers, and on each bar a tooltip ("April 2021: 12
articles"). Every text is escaped, and characters XML cannot hold are replaced, so whatever a
reader typed (a search shown in the title) gives a well-formed SVG. No counts give a chart that
says so.

The same string is served as ``image/svg+xml`` and put inline in the archive's HTML pages.

Pure functions: no Datasette, Scrapy or crawler import.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# At most this many months in one chart (a century): a stray date far in the past is not allowed
# to make thousands of bars; the latest months are kept.
MAX_MONTHS = 1200
WIDTH, HEIGHT = 960, 120
BAR_COLOUR = "#276890"
TEXT_COLOUR = "#444"
FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
# Characters XML 1.0 cannot hold, even escaped: control characters, lone surrogates, U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID = re.compile(r"[^A-Za-z0-9_-]")
# Margins of the plot: the caption above, the years below, the largest count on the left.
_TOP, _BOTTOM, _LEFT, _RIGHT = 18, 16, 40, 6
_MIN_LABEL_GAP = 34  # pixels between the starts of two year labels
_YEAR_WIDTH = 26  # about the width of "2024" at 11 pixels
_MAX_BAR = 24  # a month's width at most: a few months are a few bars, not a wall


def esc(text: object) -> str:
    """`text` for an SVG's text or attribute value: escaped, and what XML cannot hold replaced."""
    return html.escape(_NOT_XML.sub("\ufffd", str(text)), quote=True)


def month_index(month: str) -> int | None:
    """Months since year 0 of ``YYYY-MM``, or None when it is not a month."""
    m = _MONTH.fullmatch(month) if isinstance(month, str) else None
    return int(m[1]) * 12 + int(m[2]) - 1 if m else None


def month_key(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_name(index: int) -> str:
    """``April 2021``."""
    return f"{MONTH_NAMES[index % 12]} {index // 12}"


def articles(n: int, unit: tuple[str, str] = ("article", "articles")) -> str:
    """``12 articles``, ``1 article``, ``no articles``."""
    return f"no {unit[1]}" if n == 0 else f"{n:,} {unit[0] if n == 1 else unit[1]}"


def continuous(counts: Iterable[tuple[str, int]]) -> list[tuple[int, int]]:
    """(month index, count) for every month from the first to the last month of `counts`, zero
    where it has none; entries that are not months (``2021-13``, ``None``) and counts that are
    not positive numbers are left out, a month given twice is added up. At most MAX_MONTHS,
    the latest."""
    by_month: dict[int, int] = {}
    for month, count in counts:
        index = month_index(month)
        if index is None or not isinstance(count, int) or count <= 0:
            continue
        by_month[index] = by_month.get(index, 0) + count
    if not by_month:
        return []
    last = max(by_month)
    first = max(min(by_month), last - MAX_MONTHS + 1)
    return [(i, by_month.get(i, 0)) for i in range(first, last + 1)]


def _year_step(bar_width: float) -> int:
    """Label every year, or every 2nd, 5th, 10th... so that labels do not overlap."""
    for step in (1, 2, 5, 10, 20, 50, 100):
        if step * 12 * bar_width >= _MIN_LABEL_GAP:
            return step
    return 100


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def month_chart(
    counts: Iterable[tuple[str, int]],
    *,
    title: str = "Articles per month",
    empty: str = "No articles to chart",
    chart_id: str = "month-chart",
    unit: tuple[str, str] = ("article", "articles"),
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """An SVG bar chart of `counts` (``(YYYY-MM, count)`` pairs, in any order) over the continuous
    range of months, titled `title`; the message `empty` when there is nothing to chart.
    `chart_id` prefixes the ids of its title and description (unique on a page)."""
    months = continuous(counts)
    prefix = _ID.sub("-", chart_id) or "month-chart"
    total = sum(n for _, n in months)
    if months:
        busiest = max(months, key=lambda m: (m[1], m[0]))
        caption = f"{title}: {articles(total, unit)}"
        desc = (
            f"{articles(total, unit).capitalize()} from {month_name(months[0][0])} to "
            f"{month_name(months[-1][0])}, one bar a month; the most in "
            f"{month_name(busiest[0])} ({busiest[1]:,})."
        )
        if months[0][1] == 0:  # cut at MAX_MONTHS
            desc += f" Only the last {len(months):,} months are shown."
    else:
        caption, desc = title, f"{title}: {empty}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="month-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="{esc(FONT)}" '
        f'font-size="11" fill="{TEXT_COLOUR}">',
        f'<title id="{prefix}-title">{esc(caption if months else desc)}</title>',
        f'<desc id="{prefix}-desc">{esc(desc)}</desc>',
        f'<text class="caption" x="{_LEFT}" y="12" font-size="12">{esc(caption)}</text>',
    ]
    base = height - _BOTTOM
    plot_width, plot_height = width - _LEFT - _RIGHT, base - _TOP
    if not months:
        out.append(
            f'<line x1="{_LEFT}" y1="{base}" x2="{width - _RIGHT}" y2="{base}" stroke="#bbb"/>'
        )
        out.append(
            f'<text class="empty" x="{_LEFT + plot_width / 2:.0f}" y="{_TOP + plot_height / 2:.0f}"'
            f' text-anchor="middle" font-size="13">{esc(empty)}</text>'
        )
        out.append("</svg>")
        return "".join(out)
    top = max(n for _, n in months)
    bar = min(plot_width / len(months), _MAX_BAR)
    gap = 1.0 if bar >= 3 else 0.0
    out.append(
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{width - _RIGHT}" y2="{_TOP}" stroke="#e4e4e4"/>'
        f'<text class="y-max" x="{_LEFT - 4}" y="{_TOP + 4}" text-anchor="end">{top:,}</text>'
        f'<text class="y-zero" x="{_LEFT - 4}" y="{base}" text-anchor="end">0</text>'
    )
    out.append(f'<g class="bars" fill="{BAR_COLOUR}">')
    for i, (month, n) in enumerate(months):
        h = 0.0 if n == 0 else max(1.0, n / top * plot_height)
        out.append(
            f'<rect class="bar" x="{_num(_LEFT + i * bar)}" y="{_num(base - h)}" '
            f'width="{_num(max(bar - gap, 0.5))}" height="{_num(h)}" '
            f'data-month="{month_key(month)}" data-count="{n}">'
            f"<title>{esc(month_name(month))}: {esc(articles(n, unit))}"
            "</title></rect>"
        )
    out.append("</g>")
    out.append(f'<line x1="{_LEFT}" y1="{base}" x2="{width - _RIGHT}" y2="{base}" stroke="#999"/>')
    out.append('<g class="years" text-anchor="start">')
    step = _year_step(bar)
    labels = [
        (i, m // 12) for i, (m, _) in enumerate(months) if m % 12 == 0 and m // 12 % step == 0
    ]
    if months[0][0] % 12 and (not labels or labels[0][0] * bar >= _MIN_LABEL_GAP):
        labels.insert(0, (0, months[0][0] // 12))  # the first year, from a month after January
    right, last_end = width - _RIGHT, float("-inf")
    for i, year in labels:
        x = _LEFT + i * bar
        start = min(x, right - _YEAR_WIDTH)  # a label at the right edge ends there
        if start < last_end + 6:
            continue  # it would overlap the one before
        last_end = start + _YEAR_WIDTH
        anchor = f' text-anchor="end" data-x="{_num(x)}"' if start < x else ""
        out.append(
            f'<line x1="{_num(x)}" y1="{base}" x2="{_num(x)}" y2="{base + 3}" stroke="#999"/>'
            f'<text x="{_num(x if start == x else right)}" y="{height - 3}"{anchor}>{year}</text>'
        )
    out.append("</g></svg>")
    return "".join(out)


__all__ = ["MAX_MONTHS", "articles", "continuous", "esc", "month_chart", "month_name"]
