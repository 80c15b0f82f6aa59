"""URL shapes: which links of a site without a profile lead to articles, learned from the site.

A site names its pages in a few patterns: `/news/article.cfm?id=123`, `/news/123/police-pay-deal`,
`/2021/04/12/police-pay-deal/`. The shape of a URL is that pattern: its host, its path with numbers,
dates and slugs generalised, and its query's parameter names with the kind of their values
(`shape`). The crawler learns which shapes are articles, listings and comment threads from the
pages it fetches: a seed, a link of a related box or of a listing whose page turned out to be an
article (`ShapeModel.learn`), and from then on knows the kind of a URL before fetching it
(`ShapeModel.kind`), which a listing's entries are (`listing_entries`), and which links are not
worth following at all (`worth_following`: navigation, tag and author pages, print and e-mail
versions, search, login, feeds: courlan's filters first, then the tool pages it does not know).

Pure functions and a small class of plain data; no Scrapy here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import courlan

from archive.records import PageKind
from pages.pagetext import word_set

__all__ = ["ShapeModel", "family", "listing_entries", "shape", "worth_following"]

_NUMBER = re.compile(r"\d+")
_SLUG = re.compile(r"[\w%]+(?:[-_+][\w%]+){2,}")  # three words or more: police-pay-deal
_ID_SLUG = re.compile(r"\d{3,}[-_].+|.+[-_]\d{3,}")  # an id inside a slug: 123-pay-deal
_FILE = re.compile(r"(?P<stem>.+)\.(?P<ext>s?html?|php\d?|aspx?|cfm|jsp)", re.I)
# Pages of tools and services, never articles, that courlan does not flag on every site: a path
# segment (without its extension) that is one of these words.
_TOOLS = word_set(
    "print printable email e-mail emailfriend sendtofriend send-to-friend share sharer calendar "
    "event events search login log-in logout log-out register signin sign-in signup sign-up "
    "subscribe subscription feed rss atom cookies cookie privacy terms contact advertise jobs "
    "job vacancies"
)
_TRACKING = re.compile(r"utm_\w+|ref|fbclid|gclid|mc_[ce]id|cfid|cftoken|jsessionid|"
                       r"phpsessid|sid|sessionid", re.I)  # fmt: skip


def _segment(segment: str) -> str:
    if segment.isdigit():
        return "<n>"
    if file := _FILE.fullmatch(segment):
        stem = file.group("stem")
        kind = "<n>" if stem.isdigit() else "<slug>" if _SLUG.fullmatch(stem) else stem.lower()
        return f"{kind}.{file.group('ext').lower()}"
    if _ID_SLUG.fullmatch(segment):
        return "<id-slug>"
    if _SLUG.fullmatch(segment):
        return "<slug>"
    return _NUMBER.sub("<n>", segment.lower())


def shape(url: str) -> str:
    """The shape of a URL: ``host/news/article.cfm?id=<n>``, ``host/news/<n>/<slug>``."""
    parts = urlsplit(url)
    path = "/".join(_segment(s) for s in parts.path.split("/") if s)
    names = sorted(
        f"{name.lower()}={'<n>' if value.isdigit() else '<w>'}"
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.fullmatch(name)
    )
    host = (parts.hostname or "").lower()
    if parts.port:
        host += f":{parts.port}"
    query = "?" + "&".join(names) if names else ""
    return f"{host}/{path}{'/' if parts.path.endswith('/') and path else ''}{query}"


_SECTION = frozenset({"<slug>", "<id-slug>"})  # a section's name may read like a slug


def family(url: str) -> str:
    """The shape of a URL with its section names as wildcards: every word or slug segment
    before the segment that names the page (a number, a slug) is ``<w>``, so that
    ``/news/crime/<n>/<slug>`` and ``/news/pay-and-conditions/<n>/<slug>`` are one family, the
    articles of two sections of the site; and a slug that starts or ends with a number names a
    page as a slug does (``/news/<n>/121-drivers-caught``)."""
    host_path, sep, query = shape(url).partition("?")
    host, _, path = host_path.partition("/")
    segments = path.split("/")
    last = max((i for i, s in enumerate(segments) if "<" in s), default=-1)
    loose = [
        s if i >= last else "<w>" if "<" not in s or s in _SECTION else s
        for i, s in enumerate(segments)
    ]
    if last >= 0 and loose[last] == "<id-slug>":
        loose[last] = "<slug>"
    return f"{host}/{'/'.join(loose)}{sep}{query}"


# Query parameters that filter a listing (a category, tag or author page, a search): such pages
# list articles the crawl reaches through the news listing anyway, and multiply without end.
_CALENDAR = word_set("m y d month year day date mes ano jahr monat mois annee")
_FILTERS = word_set("category cat tag tags topic author q query search s sort order filter")


@lru_cache(maxsize=8192)
def worth_following(url: str) -> bool:
    """Whether a link may lead to an article or a listing: not a navigation, tag, author or
    feed page (courlan), nor a tool or service page (print, e-mail, search, login...)."""
    parts = urlsplit(url)
    # courlan judges the path and query; the host is not its business here (the crawl's
    # boundary decides hosts), and it refuses IP addresses and ports outright
    neutral = urlunsplit(("https", "example.com", parts.path, parts.query, ""))
    if courlan.is_navigation_page(neutral) or courlan.is_not_crawlable(neutral):
        return False
    if courlan.check_url(neutral, strict=True) is None and parts.path not in ("", "/"):
        return False
    stems = (segment.split(".", 1)[0].lower() for segment in parts.path.split("/"))
    if any(stem in _TOOLS for stem in stems):
        return False
    names = {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    # a calendar of the archive (?month=8&year=2020, ?m=1&y=2019): pages by date, not articles
    return not names & _FILTERS and len(names & _CALENDAR) < 2


class ShapeModel:
    """What the crawl has learned of a site's URL shapes: how many pages of each shape turned
    out to be articles, listings or comment threads."""

    def __init__(self) -> None:
        self.seen: dict[str, Counter[PageKind]] = {}

    def learn(self, url: str, kind: PageKind) -> None:
        self.seen.setdefault(shape(url), Counter())[kind] += 1

    def kind(self, url: str) -> PageKind | None:
        """The kind most pages of this URL's shape turned out to be; None for a new shape."""
        counts = self.seen.get(shape(url))
        return counts.most_common(1)[0][0] if counts else None

    def shapes_of(self, kind: PageKind) -> frozenset[str]:
        return frozenset(
            s for s, counts in self.seen.items() if counts.most_common(1)[0][0] == kind
        )


def listing_entries(
    urls: Iterable[tuple[str, str]], article_shapes: frozenset[str] = frozenset(), *, least: int = 3
) -> set[str]:
    """The URLs among a listing page's content links, (url, anchor text) pairs, that are its
    entries: those of a shape known to be an article's, and those of the most common shape
    family (`family`: sections alike) when at least `least` links share it with headline-like
    texts (two words or more, mostly)."""
    links = [(url, anchor) for url, anchor in urls if worth_following(url)]
    entries = {url for url, _ in links if shape(url) in article_shapes}
    by_shape: dict[str, list[tuple[str, str]]] = {}
    for url, anchor in links:
        by_shape.setdefault(family(url), []).append((url, anchor))
    ranked = sorted(by_shape.values(), key=lambda group: -len({u for u, _ in group}))
    if ranked:
        group = ranked[0]
        distinct = {u for u, _ in group}
        headlines = sum(len(anchor.split()) >= 2 for _, anchor in group)
        if len(distinct) >= least and headlines * 2 >= len(group):
            entries |= distinct
    return entries
