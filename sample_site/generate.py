"""The fixture police-news site: generated articles, URL routing, hazards and ground truth.

`build_site(n, seed=..., hazards=...)` builds a deterministic replica of Police Oracle under the
RFC 6761 name ``policeoracle.localhost``: ``www.`` (canonical) and ``touch.`` (the mobile edition,
which serves every article, table-era ones included, in the modern layout with a canonical link
to www). `Site.respond(host, path_and_query, attempt_counter)` answers one request without any
I/O; sample_site/server.py puts it on 127.0.0.1.

Structure
---------
- Articles are ordered by date; ids increase with date (with gaps, as on the real site). The older
  half use the table layout (2006-2012), the newer half the modern layout (2013-2022).
- The listing (``/news/index.cfm?page=N``, 20 a page, newest first; ``/news/`` and
  ``/news/index.cfm`` are page 1) covers the newest 60% of the articles. Every older article is
  reachable only through In Other News links: each gets a "spine" link from a slightly newer
  article (never from a hazard or rate-limited page, never through a redirect), so by induction
  all of them are reachable from the listing.
- Every article has 3-6 In Other News links. Their hrefs vary as on the real pages: relative
  ``article.cfm?id=N`` (table layout), absolute paths, full URLs on the touch host, tracking and
  session parameters (``utm_*``, ``ref``, ``CFID``/``CFTOKEN``), ``id`` not first, fragments.

Hazards (``hazards=True``; ids in `Site.hazards`, every key always present, lists maybe empty)
---------------------------------------------------------------------------------------------
Each hazard URL is linked from the In Other News box of some listed (so reachable) article.
(Sites of fewer than 10 articles cannot hold all the hazard links in boxes of at most 6.)

- ``robots_draft``: ids N linked as ``/news/draft.cfm?id=N`` (disallowed by robots.txt on both
  hosts, with ``/private/`` and ``/search.cfm``). N is an article found nowhere else:
- ``unreachable``: those articles; they exist (``article.cfm?id=N`` answers 200) but an obeying
  crawler never learns their URL, so they are not in `expected()`.
- ``legacy_story``: ids linked as ``/news/story.asp?id=N`` (301 to ``article.cfm?id=N``).
- ``legacy_chain``: ids linked as ``/news/archive/N.htm`` (302 to story.asp, then 301).
- ``redirect_loop``: ``article.cfm?id=X`` -> 302 ``...&r=1`` -> 302 ``article.cfm?id=X`` ...
- ``dead_404``, ``dead_410``: ids answering 404 / 410.
- ``pdf`` (200 application/pdf), ``empty`` (200 text/html, empty body), ``huge`` (200 text/html,
  ~12 MB, streamed), ``stall`` (answers after 20 s), ``always_500``.
- ``retry_429`` (429 + ``Retry-After: 2`` on the first request, then 200), ``retry_503`` (503 +
  ``Retry-After: 1`` first), ``retry_500_twice`` (500, 500, then 200): real, reachable articles;
  attempts are counted per article id across both hosts.
- ``charset_mismatch``: a windows-1252 article served with ``Content-Type: text/html;
  charset=iso-8859-1`` (its bytes have ’ “ ” –, which ISO-8859-1 maps to C1 controls; browsers,
  and w3lib, treat the label as windows-1252).
Content variety, present in both modes: ``windows_1252`` (bytes and ``<meta>`` in windows-1252,
HTTP ``Content-Type: text/html`` without charset; text contains ’ “ ” £ é –) and ``broken_html``
(table pages with unclosed tags). The redirect-loop, dead, pdf, empty, huge, stall and always-500
ids are not articles (not in `Site.articles`); all the other ids are.

Ground truth
------------
`expected()` lists the articles an obeying crawler reaches from `seeds()` (listing page 1 on www
and one touch article URL) by following listing article links, pagination, In Other News, More
News and comment-thread links (both ways), obeying robots.txt, following redirects and retrying
429/503/500 at least twice, and canonicalising (touch -> www, only ``id`` kept). Decision on
``in_other_news``: every In Other News edge whose target is an article URL after resolving the
legacy redirects statically (story.asp and archive/N.htm -> article.cfm?id=N), in page order,
including dead, looping, non-HTML and stalled targets (the edge exists even if the target
cannot be fetched), excluding robots-disallowed ``draft.cfm`` links (not article URLs).
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from urllib.parse import parse_qs, urljoin, urlsplit

from .content import AUTHORS, Writer
from .templates import (
    OUTAGE,
    SITE_NAME,
    FixtureArticle,
    FixtureComment,
    _nav,
    render_comments,
    render_listing,
    render_modern,
    render_table,
)

DOMAIN = "policeoracle.localhost"
WWW = "www." + DOMAIN
TOUCH = "touch." + DOMAIN
BASE = "http://" + WWW
TOUCH_BASE = "http://" + TOUCH
PER_PAGE = 20
LISTED_SHARE = 0.6
DISALLOWED = ("/news/draft.cfm", "/private/", "/search.cfm")
ROBOTS_TXT = "# robots.txt for Police Oracle\nUser-agent: *\n" + "".join(
    f"Disallow: {p}\n" for p in DISALLOWED
)
HUGE_BYTES = 12 * 1024 * 1024
STALL_S = 20.0

HAZARD_KEYS = (
    "robots_draft",
    "unreachable",
    "legacy_story",
    "legacy_chain",
    "redirect_loop",
    "dead_404",
    "dead_410",
    "pdf",
    "empty",
    "huge",
    "stall",
    "always_500",
    "retry_429",
    "retry_503",
    "retry_500_twice",
    "charset_mismatch",
    "windows_1252",
    "broken_html",
)
# Hazard ids that are not articles, and how many of each.
PHANTOM_KINDS = (
    ("dead_404", 3),
    ("dead_410", 2),
    ("redirect_loop", 1),
    ("pdf", 1),
    ("empty", 1),
    ("huge", 1),
    ("stall", 1),
    ("always_500", 1),
)
RETRY_KINDS = (("retry_429", 2), ("retry_503", 2), ("retry_500_twice", 2))

_ARCHIVE_PATH = re.compile(r"^/news/archive/(\d+)\.htm$", re.I)
_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


# --- responses ------------------------------------------------------------------------------


@dataclass
class FixtureResponse:
    """One answer. `body` is bytes, or a callable returning an iterable of byte chunks (streamed;
    the headers then carry its Content-Length). `delay_s`: wait this long before answering."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Callable[[], Iterable[bytes]] = b""
    delay_s: float = 0.0

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def streamed(self) -> bool:
        return callable(self.body)

    def read(self) -> bytes:
        """The whole body (joins a streamed one)."""
        return b"".join(self.body()) if callable(self.body) else self.body


class AttemptCounter:
    """Thread-safe request counts by key; calling it counts one more and returns the count."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def __call__(self, key: str) -> int:
        with self._lock:
            self._counts[key] += 1
            return self._counts[key]

    def get(self, key: str) -> int:
        with self._lock:
            return self._counts[key]


def _encode(text: str, encoding: str) -> bytes:
    codec = "cp1252" if encoding.lower() in ("windows-1252", "cp1252") else encoding
    return text.encode(codec, errors="xmlcharrefreplace")


def _html(
    text: str,
    *,
    status: int = 200,
    encoding: str = "utf-8",
    header_charset: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> FixtureResponse:
    if header_charset:
        ctype = f"text/html; charset={header_charset}"
    elif encoding.lower() == "utf-8":
        ctype = "text/html; charset=utf-8"
    else:
        ctype = "text/html"  # the charset is declared in <meta> only
    return FixtureResponse(status, [("Content-Type", ctype), *headers], _encode(text, encoding))


def _page(title: str, body: str, *, robots: str = "") -> str:
    """A simple page of the site, with its boilerplate."""
    meta = f'<meta name="robots" content="{robots}">' if robots else ""
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{escape(title)} | {SITE_NAME}</title>{meta}
</head>
<body>
<div class="outage-banner" role="alert">{OUTAGE}</div>
<header class="site-header"><a href="/" class="logo">{SITE_NAME}</a><nav>{_nav()}</nav></header>
<main id="content">
<h1>{escape(title)}</h1>
{body}
</main>
<footer class="site-footer"><p>&copy; {SITE_NAME}</p>
<ul><li><a href="/terms.cfm">Terms</a></li><li><a href="/privacy.cfm">Privacy</a></li></ul>
</footer>
</body></html>
"""


def _redirect(status: int, location: str) -> FixtureResponse:
    body = (
        f"<html><head><title>Object moved</title></head><body><h1>Object Moved</h1>"
        f'This object may be found <a href="{escape(location)}">here</a>.</body></html>'
    )
    return FixtureResponse(
        status,
        [("Location", location), ("Content-Type", "text/html; charset=utf-8")],
        body.encode(),
    )


def _not_found(
    status: int = 404,
    message: str = "The page you requested could not be found.",
    headers: Iterable[tuple[str, str]] = (),
) -> FixtureResponse:
    titles = {
        404: "Page not found",
        410: "Article removed",
        429: "Too Many Requests",
        503: "Service Temporarily Unavailable",
    }
    title = titles.get(status, "Error")
    return _html(_page(title, f"<p>{escape(message)}</p>"), status=status, headers=headers)


def _cf_error() -> FixtureResponse:
    body = (
        "<html><head><title>Error Occurred While Processing Request</title></head><body>"
        '<font face="arial"><h2>Error Occurred While Processing Request</h2>'
        "<p>Timed out while waiting to obtain exclusive lock.</p>"
        "<p>The error occurred in D:\\inetpub\\wwwroot\\news\\article.cfm: line 212</p>"
        "</font></body></html>"
    )
    return _html(body, status=500)


def _pdf_bytes(title: str) -> bytes:
    """A small, valid one-page PDF."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 16 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _huge_response(article_id: int) -> FixtureResponse:
    head = (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>Recorded crime: full tables | {SITE_NAME}</title>"
        f'<link rel="canonical" href="{BASE}/news/article.cfm?id={article_id}"></head>\n'
        '<body><main id="content"><article class="news-article">'
        '<h1 class="headline">Recorded crime: full tables</h1><table class="stats">\n'
    ).encode()
    row = (
        b"<tr><td>Force area</td><td>Burglary</td><td>1234</td><td>Robbery</td><td>567</td>"
        b"<td>Vehicle crime</td><td>890</td><td>Criminal damage</td><td>4321</td></tr>\n"
    )
    chunk = row * (65536 // len(row))
    tail = b"</table></article></main></body></html>\n"
    count = math.ceil((HUGE_BYTES - len(head) - len(tail)) / len(chunk))
    length = len(head) + count * len(chunk) + len(tail)

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(count):
            yield chunk
        yield tail

    return FixtureResponse(
        200,
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(length))],
        body,
    )


# --- links ----------------------------------------------------------------------------------


def _int(values: list[str] | None) -> int | None:
    for value in values or ():
        value = value.strip()
        if value.isdigit():
            return int(value)
    return None


def _query(query: str) -> dict[str, list[str]]:
    return {k.lower(): v for k, v in parse_qs(query, keep_blank_values=True).items()}


def resolve_href(href: str, page_url: str = BASE + "/news/article.cfm?id=1") -> tuple[str, int]:
    """What a link of the site leads to, statically: (kind, number).

    kind: "article" (number: id), "legacy" (story.asp or archive/N.htm: redirects to the article
    with that id), "draft", "comments" (id), "listing" (page; category and other filters are
    "other"), "other" (number 0) for everything else, including other sites.
    """
    url = urljoin(page_url, href)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not (host == DOMAIN or host.endswith("." + DOMAIN)):
        return "other", 0
    path = parts.path.split(";")[0].lower()
    query = _query(parts.query)
    number = _int(query.get("id"))
    if path == "/news/article.cfm" and number is not None:
        return "article", number
    if path == "/news/story.asp" and number is not None:
        return "legacy", number
    match = _ARCHIVE_PATH.match(path)
    if match:
        return "legacy", int(match.group(1))
    if path == "/news/draft.cfm" and number is not None:
        return "draft", number
    if path == "/news/comments.cfm" and number is not None:
        return "comments", number
    if path in ("/news/", "/news/index.cfm"):
        if any(k in query for k in ("category", "author", "q", "tag")):
            return "other", 0
        page = _int(query.get("page"))
        return "listing", 1 if page is None else page
    return "other", 0


def canonical_url(article_id: int) -> str:
    return f"{BASE}/news/article.cfm?id={article_id}"


def _session(rng: random.Random) -> str:
    return f"CFID={rng.randint(100, 99999)}&CFTOKEN={rng.randint(1000, 99999999)}"


def _related_href(rng: random.Random, layout: str, target: int) -> str:
    """An In Other News href to an article, spelt as the real pages spell them."""
    x = rng.random()
    if layout == "table":
        if x < 0.55:
            return f"article.cfm?id={target}"
        if x < 0.70:
            return f"/news/article.cfm?id={target}"
        if x < 0.85:
            return f"{BASE}/news/article.cfm?id={target}&{_session(rng)}"
        if x < 0.95:
            return f"article.cfm?id={target}&ref=ion"
        return f"article.cfm?id={target}#comments"
    if x < 0.35:
        return f"/news/article.cfm?id={target}"
    if x < 0.55:
        return f"/news/article.cfm?id={target}&utm_source=oracle&utm_medium=related"
    if x < 0.65:
        return f"/news/article.cfm?id={target}&ref=ion"
    if x < 0.80:
        return f"{TOUCH_BASE}/news/article.cfm?id={target}"
    if x < 0.88:
        return f"{BASE}/news/article.cfm?id={target}#comments"
    if x < 0.93:
        return f"/news/article.cfm?ref=ion&id={target}"
    return f"/news/article.cfm?id={target}&{_session(rng)}"


# --- the site -------------------------------------------------------------------------------


class Site:
    """A generated site: its articles, how it answers requests, and what a crawler should find."""

    def __init__(
        self,
        *,
        articles: dict[int, FixtureArticle],
        listed: list[int],
        touch_seed: int,
        hazards: dict[str, list],
        phantoms: dict[int, str],
        phantom_titles: dict[int, str],
        listing_hrefs: dict[int, str],
        header_charsets: dict[int, str],
        seed: int,
        hazards_enabled: bool,
    ):
        self.articles = articles
        self.listed = listed  # ids on the listing, newest first
        self.touch_seed = touch_seed
        self.hazards = hazards
        self.phantoms = phantoms  # id -> hazard kind, for hazard ids that are not articles
        self.phantom_titles = phantom_titles
        self.listing_hrefs = listing_hrefs
        self.header_charsets = header_charsets  # id -> charset label sent in Content-Type
        self.seed = seed
        self.hazards_enabled = hazards_enabled
        self.attempts = AttemptCounter()  # used when respond() is given no counter
        self._retry: dict[int, str] = {
            i: key for key, _ in RETRY_KINDS for i in hazards.get(key, [])
        }
        self._expected: list[dict] | None = None
        self._lock = threading.Lock()

    # --- URLs ---------------------------------------------------------------------------------

    base = BASE
    hosts = (WWW, TOUCH)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.listed) / PER_PAGE))

    def url(self, article_id: int, host: str = WWW) -> str:
        return f"http://{host}/news/article.cfm?id={article_id}"

    canonical_url = staticmethod(canonical_url)

    def comments_url(self, article_id: int) -> str:
        return f"{BASE}/news/comments.cfm?id={article_id}"

    def listing_url(self, page: int = 1) -> str:
        return f"{BASE}/news/index.cfm" + (f"?page={page}" if page != 1 else "")

    def listing_page(self, page: int) -> list[int]:
        return self.listed[(page - 1) * PER_PAGE : page * PER_PAGE]

    def seeds(self) -> list[str]:
        """Listing page 1 on www and one article on the touch host."""
        return [f"{BASE}/news/index.cfm", self.url(self.touch_seed, TOUCH)]

    def disallowed_paths(self) -> list[str]:
        return list(DISALLOWED)

    def robots_txt(self) -> str:
        return ROBOTS_TXT

    def hazard_urls(self, key: str) -> list[str]:
        """The URLs (as linked, on www) of one kind of hazard."""
        ids = self.hazards.get(key, [])
        if key == "robots_draft":
            return [f"{BASE}/news/draft.cfm?id={i}" for i in ids]
        if key == "legacy_story":
            return [f"{BASE}/news/story.asp?id={i}" for i in ids]
        if key == "legacy_chain":
            return [f"{BASE}/news/archive/{i}.htm" for i in ids]
        return [canonical_url(i) for i in ids]

    def related_edges(self, article_id: int) -> list[tuple[str, str, int]]:
        """(href as written, kind, id) of an article's In Other News links; see resolve_href."""
        a = self.articles[article_id]
        page = self.url(article_id)
        return [(href, *resolve_href(href, page)) for href in a.related]

    # --- ground truth -------------------------------------------------------------------------

    def fetchable(self, article_id: int) -> bool:
        """Whether article.cfm?id=N eventually yields an article page (retries allowed)."""
        return article_id in self.articles and article_id not in self.phantoms

    def reachable_ids(self) -> set[int]:
        """Ids of the articles an obeying crawler reaches from the seeds (see module docstring)."""
        seen: set[tuple[str, int]] = set()
        found: set[int] = set()
        queue: deque[tuple[str, int]] = deque([("listing", 1), ("article", self.touch_seed)])
        while queue:
            node = queue.popleft()
            if node in seen:
                continue
            seen.add(node)
            kind, number = node
            if kind == "listing":
                if not 1 <= number <= self.pages:
                    continue
                queue.extend(("article", i) for i in self.listing_page(number))
                window = range(max(1, number - 2), min(self.pages, number + 2) + 1)
                queue.extend(("listing", p) for p in window)
            elif kind == "article":
                if not self.fetchable(number):
                    continue
                found.add(number)
                for _, link_kind, target in self.related_edges(number):
                    if link_kind in ("article", "legacy"):
                        queue.append(("article", target))
                queue.append(("listing", 1))  # More News
                queue.append(("comments", number))
            elif kind == "comments" and number in self.articles:
                queue.append(("article", number))  # the thread's link back
        return found

    def in_other_news(self, article_id: int) -> list[str]:
        return [
            canonical_url(target)
            for _, kind, target in self.related_edges(article_id)
            if kind in ("article", "legacy")
        ]

    def expected_article(self, article_id: int) -> dict:
        a = self.articles[article_id]
        return {
            "url": canonical_url(a.id),
            "title": a.title,
            "author": a.author,
            "published": a.published.strftime("%Y-%m-%dT%H:%M:%S"),
            "standfirst": a.standfirst,
            "text": a.expected_text(),
            "category": a.category,
            "paywalled": a.paywalled,
            "comment_count": len(a.comments),
            "comments": [
                {
                    "author": c.author,
                    "posted": c.posted.strftime("%Y-%m-%dT%H:%M:%S"),
                    "text": c.text,
                }
                for c in a.comments
            ],
            "in_other_news": self.in_other_news(a.id),
        }

    def expected(self) -> list[dict]:
        """One dict per reachable article, by ascending id (a fresh copy each call)."""
        with self._lock:
            if self._expected is None:
                self._expected = [self.expected_article(i) for i in sorted(self.reachable_ids())]
        return [
            dict(
                e, comments=[dict(c) for c in e["comments"]], in_other_news=list(e["in_other_news"])
            )
            for e in self._expected
        ]

    def expected_by_url(self) -> dict[str, dict]:
        return {e["url"]: e for e in self.expected()}

    # --- answering requests -------------------------------------------------------------------

    def respond(
        self,
        host: str,
        path_and_query: str,
        attempt_counter: Callable[[str], int] | None = None,
    ) -> FixtureResponse:
        """The answer to a GET of http://`host``path_and_query`. `attempt_counter(key)` counts
        requests per key (see AttemptCounter); without one the site's own counter is used."""
        counter = attempt_counter or self.attempts
        host = host.lower().rstrip(".")
        host = re.sub(r":\d+$", "", host)
        parts = urlsplit(path_and_query if path_and_query.startswith("/") else "/" + path_and_query)
        path = parts.path.split(";")[0] or "/"
        if host not in self.hosts:
            if host in (DOMAIN, "m." + DOMAIN, "mobile." + DOMAIN):
                target = path + (f"?{parts.query}" if parts.query else "")
                return _redirect(301, f"{BASE}{target}")
            if host.endswith("." + DOMAIN):
                return _not_found()
            return _not_found(502, f"Not a host of this site: {host}")
        return self._route(host, path, parts.query, counter)

    def _route(
        self, host: str, path: str, query_string: str, counter: Callable[[str], int]
    ) -> FixtureResponse:
        lower = path.lower()
        query = _query(query_string)
        number = _int(query.get("id"))
        if lower == "/robots.txt":
            return FixtureResponse(
                200, [("Content-Type", "text/plain; charset=utf-8")], self.robots_txt().encode()
            )
        if lower == "/news/article.cfm":
            return self._article(host, number, query, counter)
        if lower == "/news/comments.cfm":
            if number not in self.articles:
                return _not_found()
            a = self.articles[number]
            return _html(
                render_comments(a, base=BASE),
                encoding=a.encoding,
                header_charset=self.header_charsets.get(a.id),
            )
        if lower in ("/news/", "/news/index.cfm", "/news"):
            return self._listing(query)
        if lower == "/news/story.asp":
            if number is None:
                return _not_found()
            return _redirect(301, f"http://{host}/news/article.cfm?id={number}")
        match = _ARCHIVE_PATH.match(path)
        if match:
            return _redirect(302, f"http://{host}/news/story.asp?id={match.group(1)}")
        if lower == "/news/draft.cfm":
            if number not in self.articles:
                return _not_found()
            a = self.articles[number]
            body = (
                '<p class="draft">DRAFT - NOT FOR PUBLICATION. Embargoed until approved by the '
                f'news desk.</p><p><a href="/news/article.cfm?id={a.id}">{escape(a.title)}</a>'
                f"</p><p>{escape(a.standfirst)}</p>"
            )
            return _html(_page(f"Draft: {a.title}", body, robots="noindex, nofollow"))
        if lower in ("/news/print.cfm", "/news/email.cfm"):
            if number not in self.articles:
                return _not_found()
            return self._tool(lower, self.articles[number])
        return self._misc(lower, query)

    def _article(
        self,
        host: str,
        number: int | None,
        query: dict[str, list[str]],
        counter: Callable[[str], int],
    ) -> FixtureResponse:
        if number is None:
            return _not_found()
        kind = self.phantoms.get(number)
        if kind is not None:
            return self._phantom(host, kind, number, query)
        retry = self._retry.get(number)
        if retry is not None:
            attempt = counter(f"article:{number}")
            if retry == "retry_429" and attempt == 1:
                return _not_found(
                    429, "Too many requests: please slow down.", headers=[("Retry-After", "2")]
                )
            if retry == "retry_503" and attempt == 1:
                return _not_found(
                    503,
                    "The server is busy. Please try again shortly.",
                    headers=[("Retry-After", "1")],
                )
            if retry == "retry_500_twice" and attempt <= 2:
                return _cf_error()
        a = self.articles.get(number)
        if a is None:
            return _not_found()
        if host == TOUCH:
            html = render_modern(a, base=BASE, touch=True)
        elif a.layout == "modern":
            html = render_modern(a, base=BASE)
        else:
            html = render_table(a)
        return _html(html, encoding=a.encoding, header_charset=self.header_charsets.get(a.id))

    def _phantom(
        self, host: str, kind: str, number: int, query: dict[str, list[str]]
    ) -> FixtureResponse:
        title = self.phantom_titles.get(number, "Police Oracle")
        if kind == "dead_404":
            return _not_found(404, "Sorry, the article you requested could not be found.")
        if kind == "dead_410":
            return _not_found(410, "This article has been removed for legal reasons.")
        if kind == "redirect_loop":
            target = f"http://{host}/news/article.cfm?id={number}"
            return _redirect(302, target if "r" in query else target + "&r=1")
        if kind == "pdf":
            return FixtureResponse(
                200,
                [
                    ("Content-Type", "application/pdf"),
                    ("Content-Disposition", f'inline; filename="article-{number}.pdf"'),
                ],
                _pdf_bytes(title),
            )
        if kind == "empty":
            return FixtureResponse(200, [("Content-Type", "text/html; charset=utf-8")], b"")
        if kind == "huge":
            return _huge_response(number)
        if kind == "stall":
            response = _html(_page(title, "<p>This page took a very long time.</p>"))
            response.delay_s = STALL_S
            return response
        return _cf_error()  # always_500

    def _listing(self, query: dict[str, list[str]]) -> FixtureResponse:
        filters = {k: v for k, v in query.items() if k in ("category", "author", "q", "tag")}
        if filters:
            ids = self.listed
            if "category" in filters:
                wanted = (filters["category"][0] if filters["category"] else "").strip().lower()
                ids = [i for i in ids if self.articles[i].category.lower() == wanted]
            elif "author" in filters:
                n = _int(filters["author"])
                ids = [i for i in ids if i % 7 == n and self.articles[i].author]
            else:
                ids = []
            entries = [self._entry(i) for i in ids[:PER_PAGE]]
            return _html(render_listing(1, 1, entries))
        raw = "".join(query.get("page") or []).strip()
        page = _int([raw]) if raw else 1
        if page is None or not 1 <= page <= self.pages:
            return _not_found()
        entries = [self._entry(i) for i in self.listing_page(page)]
        return _html(render_listing(page, self.pages, entries))

    def _entry(self, article_id: int) -> tuple[str, str, str]:
        a = self.articles[article_id]
        return self.listing_hrefs.get(a.id, f"/news/article.cfm?id={a.id}"), a.title, a.standfirst

    def _tool(self, path: str, a: FixtureArticle) -> FixtureResponse:
        if path.endswith("print.cfm"):
            paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.visible_paragraphs)
            by = f"<p>By {escape(a.author)}</p>" if a.author else ""
            html = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={a.encoding}">
<title>{escape(a.title)}</title><meta name="robots" content="noindex"></head>
<body onload="window.print()"><h2>{escape(a.title)}</h2>{by}
<p><b>{escape(a.standfirst)}</b></p>
{paras}
<p>&copy; {SITE_NAME} {a.published.year}</p></body></html>
"""
            return _html(html, encoding=a.encoding, header_charset=self.header_charsets.get(a.id))
        body = (
            f'<form action="/news/email.cfm?id={a.id}" method="post"><p>Send '
            f"&quot;{escape(a.title)}&quot; to a friend.</p>"
            '<label>Your e-mail <input name="from"></label>'
            '<label>Their e-mail <input name="to"></label><button>Send</button></form>'
            f'<p><a href="/news/article.cfm?id={a.id}">Back to the article</a></p>'
        )
        return _html(_page("E-mail this article", body, robots="noindex"))

    def _misc(self, path: str, query: dict[str, list[str]]) -> FixtureResponse:
        """Home, nav, footer and tool targets: simple 200 pages; anything else 404."""
        if path in ("/", "/index.cfm", "/default.cfm"):
            latest = "".join(
                f'<li><a href="/news/article.cfm?id={i}">{escape(self.articles[i].title)}</a></li>'
                for i in self.listed[:5]
            )
            body = f'<ul class="latest">{latest}</ul><p><a href="/news/">All news</a></p>'
            return _html(_page("Police Oracle: news for the police service", body))
        if path in ("/jobs/", "/jobs", "/jobs/index.cfm"):
            jobs = "".join(
                f'<li><a href="/jobs/view.cfm?id={9000 + k}">Vacancy {k}</a></li>' for k in range(3)
            )
            return _html(_page("Jobs", f"<ul>{jobs}</ul>"))
        if path == "/jobs/view.cfm":
            return _html(_page("Detective Constable", "<p>Salary: competitive. Apply online.</p>"))
        if path == "/calendar.cfm":
            month = _int(query.get("month")) or 1
            year = _int(query.get("year")) or 2020
            links = ""
            if self.hazards_enabled:  # a bounded calendar trap for crawlers that follow all
                prev_m, prev_y = (12, year - 1) if month == 1 else (month - 1, year)
                next_m, next_y = (1, year + 1) if month == 12 else (month + 1, year)
                if prev_y >= 2006:
                    links += f'<a href="/calendar.cfm?month={prev_m}&amp;year={prev_y}">Prev</a> '
                if next_y <= 2022:
                    links += f'<a href="/calendar.cfm?month={next_m}&amp;year={next_y}">Next</a>'
            return _html(_page(f"Events: {month}/{year}", f"<p>No events.</p><p>{links}</p>"))
        if path == "/search.cfm":
            q = (query.get("q") or [""])[0]
            return _html(_page("Search", f"<p>No results for &quot;{escape(q)}&quot;.</p>"))
        simple = {
            "/login.cfm": (
                "Log in",
                '<form method="post"><input name="user"><input '
                'name="password" type="password"><button>Log in</button></form>',
            ),
            "/subscribe.cfm": ("Subscribe", "<p>Subscriptions from £9.99 a month.</p>"),
            "/cookies.cfm": ("Cookies", "<p>We use cookies to remember your preferences.</p>"),
            "/terms.cfm": ("Terms and conditions", "<p>Use of this site is subject to terms.</p>"),
            "/privacy.cfm": ("Privacy", "<p>We respect your privacy.</p>"),
            "/menu.cfm": ("Menu", f"{_nav()}"),
            "/contact.cfm": ("Contact", "<p>Write to the news desk.</p>"),
        }
        if path in simple:
            title, body = simple[path]
            return _html(_page(title, body))
        if path.startswith("/private/"):
            return _html(_page("Staff area", "<p>Staff only.</p>", robots="noindex"))
        if path == "/rss/news.xml":
            items = "".join(
                f"<item><title>{escape(self.articles[i].title)}</title>"
                f"<link>{canonical_url(i)}</link></item>"
                for i in self.listed[:PER_PAGE]
            )
            xml = (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>{SITE_NAME}</title><link>{BASE}/</link>{items}</channel></rss>"
            )
            return FixtureResponse(
                200, [("Content-Type", "application/rss+xml; charset=utf-8")], xml.encode()
            )
        if path.endswith(".css"):
            return FixtureResponse(
                200, [("Content-Type", "text/css")], b"body{font-family:Arial,sans-serif}\n"
            )
        if path.startswith("/images/") and path.endswith(".gif"):
            return FixtureResponse(200, [("Content-Type", "image/gif")], _GIF)
        return _not_found()

    # --- summary ------------------------------------------------------------------------------

    def summary(self) -> dict:
        layouts = Counter(a.layout for a in self.articles.values())
        return {
            "articles": len(self.articles),
            "modern": layouts["modern"],
            "table": layouts["table"],
            "listed": len(self.listed),
            "pages": self.pages,
            "expected": len(self.reachable_ids()),
            "hazards": {k: v for k, v in self.hazards.items() if v},
        }


# --- building -------------------------------------------------------------------------------


def _dates(rng: random.Random, k: int, first_year: int, last_year: int) -> list[datetime]:
    start = datetime(first_year, 1, 1)
    days = (datetime(last_year, 12, 31) - start).days
    out: set[datetime] = set()
    while len(out) < k:
        out.add(
            start
            + timedelta(
                days=rng.randint(0, days), hours=rng.randint(7, 21), minutes=rng.randint(0, 59)
            )
        )
    return sorted(out)


def _count(total: int, share: float, minimum: int = 0) -> int:
    return min(total, max(minimum, round(total * share)))


def build_site(n_articles: int = 400, *, seed: int = 1, hazards: bool = True) -> Site:
    """A deterministic fixture site of `n_articles` articles (see the module docstring)."""
    if n_articles < 1:
        raise ValueError("n_articles must be at least 1")
    rng = random.Random(seed)  # content: identical with and without hazards
    srng = random.Random(seed * 1_000_003 + 11)  # structure shared by both modes
    hrng = random.Random(seed * 7_919 + 17)  # hazard choices
    lrng = random.Random(seed * 104_729 + 3)  # In Other News links
    writer = Writer(rng)

    n = n_articles
    n_modern = n // 2
    n_table = n - n_modern
    dates = _dates(rng, n_table, 2006, 2012) + _dates(rng, n_modern, 2013, 2022)
    ids: list[int] = []
    next_id = 20000 + rng.randint(0, 999)
    for _ in range(n):
        ids.append(next_id)
        next_id += rng.choice((1, 1, 1, 2, 2, 3, 4, 7))

    table_idx = list(range(n_table))
    modern_idx = list(range(n_table, n))
    paywalled = set(rng.sample(modern_idx, _count(n_modern, 0.06)))
    n_cp = min(n, max(2 if n >= 10 else 0, round(n * 0.05)))
    n_cp_table = min(n_table, math.ceil(n_cp * 0.8))
    cp1252 = set(rng.sample(table_idx, n_cp_table))
    cp_modern = [i for i in modern_idx if i not in paywalled]
    cp1252 |= set(rng.sample(cp_modern, min(len(cp_modern), n_cp - n_cp_table)))
    broken_pool = [i for i in table_idx if i not in cp1252]
    broken = set(rng.sample(broken_pool, min(len(broken_pool), _count(n_table, 0.03, 1))))
    commented = set(rng.sample(range(n), _count(n, 0.4)))

    articles: dict[int, FixtureArticle] = {}
    titles: set[str] = set()
    for i, (published, aid) in enumerate(zip(dates, ids, strict=True)):
        writer.year = published.year
        category = writer.category()
        title = writer.title(category)
        tries = 0
        while title in titles:
            tries += 1
            title = writer.title(category)
            if tries > 50:
                title = f"{title} ({aid})"
        titles.add(title)
        author = "" if rng.random() < 0.08 else rng.choice(AUTHORS)
        standfirst = writer.standfirst(category)
        lead = writer.cp1252_sentence() if i in cp1252 else ""
        paragraphs = writer.paragraphs(category, lead=lead)
        bullets = writer.bullets(category) if rng.random() < 0.25 else []
        link_sentence = rng.randrange(min(3, len(paragraphs))) if rng.random() < 0.35 else None
        comments: list[FixtureComment] = []
        if i in commented:
            posted = sorted(
                published + timedelta(minutes=rng.randint(20, 60 * 24 * 20))
                for _ in range(rng.randint(1, 6))
            )
            comments = [
                FixtureComment(writer.commenter(), p, writer.comment_text()) for p in posted
            ]
        articles[aid] = FixtureArticle(
            id=aid,
            layout="table" if i < n_table else "modern",
            title=title,
            author=author,
            published=published,
            standfirst=standfirst,
            paragraphs=paragraphs,
            category=category,
            bullets=bullets,
            link_sentence=link_sentence,
            paywalled=i in paywalled,
            comments=comments,
            encoding="windows-1252" if i in cp1252 else "utf-8",
            broken=i in broken,
        )

    order = sorted(articles, key=lambda k: articles[k].published, reverse=True)  # newest first
    n_listed = max(1, round(n * LISTED_SHARE))
    listed, unlisted = order[:n_listed], order[n_listed:]
    seed_pool = [i for i in listed if articles[i].layout == "modern" and not articles[i].paywalled]
    touch_seed = srng.choice(seed_pool or listed)
    listing_hrefs = {}
    for i in listed:
        x = srng.random()
        if x < 0.1:
            listing_hrefs[i] = f"{BASE}/news/article.cfm?id={i}"
        elif x < 0.15:
            listing_hrefs[i] = f"/news/article.cfm?id={i}&utm_source=homepage&utm_medium=listing"
        else:
            listing_hrefs[i] = f"/news/article.cfm?id={i}"

    hz: dict[str, list] = {k: [] for k in HAZARD_KEYS}
    hz["windows_1252"] = sorted(ids[i] for i in cp1252)
    hz["broken_html"] = sorted(ids[i] for i in broken)
    phantoms: dict[int, str] = {}
    phantom_titles: dict[int, str] = {}
    header_charsets: dict[int, str] = {}
    forced: dict[int, list[tuple[str, str]]] = {i: [] for i in articles}  # id -> (href, title)
    forced_targets: dict[int, set[int]] = {i: set() for i in articles}
    orphans: set[int] = set()
    retry_ids: set[int] = set()
    hazard_links: list[tuple[str, str, int]] = []  # (href template kind, title, id)

    if hazards:
        orphans = set(hrng.sample(unlisted, min(2, len(unlisted) // 3)))
        hz["unreachable"] = hz["robots_draft"] = sorted(orphans)
        retry_pool = [i for i in listed if i != touch_seed]
        picks = hrng.sample(retry_pool, min(len(retry_pool) // 2, sum(k for _, k in RETRY_KINDS)))
        for key, k in RETRY_KINDS:
            hz[key], picks = sorted(picks[:k]), picks[k:]
            retry_ids.update(hz[key])
        cp_table = [ids[i] for i in sorted(cp1252) if i < n_table and ids[i] not in orphans]
        if len(hz["windows_1252"]) >= 2 and cp_table:
            trap = hrng.choice(cp_table)
            hz["charset_mismatch"] = [trap]
            header_charsets[trap] = "iso-8859-1"
        known = set(articles)
        gaps = [i for i in range(min(known), max(known)) if i not in known]
        n_phantoms = sum(k for _, k in PHANTOM_KINDS)
        chosen = hrng.sample(gaps, min(len(gaps), n_phantoms))
        chosen += [max(known) + 1 + k for k in range(n_phantoms - len(chosen))]
        for key, k in PHANTOM_KINDS:
            hz[key], chosen = sorted(chosen[:k]), chosen[k:]
            for pid in hz[key]:
                phantoms[pid] = key
                phantom_titles[pid] = writer_title(hrng, titles)
        legacy_pool = [i for i in order if i not in orphans and i not in retry_ids]
        legacy = hrng.sample(legacy_pool, min(len(legacy_pool), 5))
        hz["legacy_story"], hz["legacy_chain"] = sorted(legacy[:3]), sorted(legacy[3:])
        for key in (
            "dead_404",
            "dead_410",
            "redirect_loop",
            "pdf",
            "empty",
            "huge",
            "stall",
            "always_500",
        ):
            hazard_links += [("article", phantom_titles[i], i) for i in hz[key]]
        hazard_links += [("story", articles[i].title, i) for i in hz["legacy_story"]]
        hazard_links += [("archive", articles[i].title, i) for i in hz["legacy_chain"]]
        hazard_links += [("draft", articles[i].title, i) for i in hz["robots_draft"]]

    # Spine: every unlisted article gets a link from a slightly newer reachable article.
    position = {aid: k for k, aid in enumerate(order)}

    def ok(parent: int) -> bool:
        return parent not in orphans and parent not in retry_ids and len(forced[parent]) < 5

    for child in unlisted:
        if child in orphans:
            continue
        k = position[child]
        window = [p for p in order[max(0, k - 12) : k] if ok(p)]
        parent = lrng.choice(window or [p for p in order[:k] if ok(p)] or order[:k])
        href = _related_href(lrng, articles[parent].layout, child)
        forced[parent].append((href, articles[child].title))
        forced_targets[parent].add(child)

    # Hazard links go on listed, non-rate-limited pages (reached early, fetched once).
    hosts = [i for i in listed if i not in retry_ids] or listed
    for kind, title, target in hazard_links:
        room = [
            h
            for h in hosts
            if len(forced[h]) < 4 and target not in forced_targets[h] and h != target
        ]
        host = lrng.choice(room or hosts)
        if kind == "article":
            href = _related_href(lrng, articles[host].layout, target)
        elif kind == "story":
            href = f"/news/story.asp?id={target}"
        elif kind == "archive":
            href = f"/news/archive/{target}.htm"
        else:
            href = f"/news/draft.cfm?id={target}"
        forced[host].append((href, title))
        forced_targets[host].add(target)

    # Fill every box to 3-6 links with ordinary related articles.
    pool = [i for i in order if i not in orphans]
    for aid in order:
        links = list(forced[aid])
        used = set(forced_targets[aid]) | {aid}
        want = max(lrng.randint(3, 6), len(links))
        k = position[aid]
        near = [i for i in order[max(0, k - 25) : k + 25] if i not in orphans]
        guard = 0
        while len(links) < want and guard < 200 and len(used) < len(pool) + 1:
            guard += 1
            target = lrng.choice(near if lrng.random() < 0.6 else pool)
            if target in used:
                continue
            used.add(target)
            links.append(
                (_related_href(lrng, articles[aid].layout, target), articles[target].title)
            )
        lrng.shuffle(links)
        articles[aid].related = [h for h, _ in links]
        articles[aid].related_titles = [t for _, t in links]

    return Site(
        articles=articles,
        listed=listed,
        touch_seed=touch_seed,
        hazards=hz,
        phantoms=phantoms,
        phantom_titles=phantom_titles,
        listing_hrefs=listing_hrefs,
        header_charsets=header_charsets,
        seed=seed,
        hazards_enabled=hazards,
    )


def writer_title(rng: random.Random, taken: set[str]) -> str:
    """A headline for a page that is not an article (hazard targets), distinct from the rest."""
    writer = Writer(rng)
    for _ in range(100):
        title = writer.title(writer.category())
        if title not in taken:
            taken.add(title)
            return title
    return "Police Oracle"  # pragma: no cover
