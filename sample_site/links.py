"""Hosts and link spelling: how the site's hrefs are written, and what a link leads to.

Proxy mode serves the site under the RFC 6761 name ``policeoracle.localhost`` (``www.``, the
canonical host, and ``touch.``, the mobile edition). Origin mode serves it as an unknown site on
``http://127.0.0.1:PORT``: every absolute URL is then written on that origin and there is no touch
host. `Bases` names the origins a page is written for; a `Link` is an href kept as (path, form,
fragment) and spelt for one `Bases` when the page is rendered, so the same page can be written
for either mode.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

DOMAIN = "policeoracle.localhost"
WWW = "www." + DOMAIN
TOUCH = "touch." + DOMAIN
BASE = "http://" + WWW
TOUCH_BASE = "http://" + TOUCH
LOOPBACK = ("127.0.0.1", "localhost", "::1")

_ARCHIVE_PATH = re.compile(r"^/news/archive/(\d+)\.htm$", re.I)


@dataclass(frozen=True)
class Bases:
    """The origins a page is written for: `www` (the canonical one) and `touch` (None: none)."""

    www: str
    touch: str | None = None

    @property
    def netloc(self) -> str:
        return urlsplit(self.www).netloc

    @property
    def origin(self) -> str | None:
        """The origin-mode origin, or None in proxy mode."""
        return None if self.www == BASE else self.www


PROXY = Bases(BASE, TOUCH_BASE)


def bases_for(origin: str | None) -> Bases:
    """Proxy mode (www and touch) for None, else origin mode on `origin` ("http://host:port")."""
    if origin is None:
        return PROXY
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ValueError(f"not an origin: {origin!r} (want e.g. 'http://127.0.0.1:8642')")
    return Bases(f"{parts.scheme}://{parts.netloc.lower()}")


# --- links ----------------------------------------------------------------------------------

FORMS = ("relative", "dotdot", "root", "absolute", "touch", "protocol")


@dataclass(frozen=True)
class Link:
    """An href: a root-relative `path` (with its query) written in one of `FORMS`:
    ``relative`` to a page in /news/ (``article.cfm?id=N``), ``dotdot`` (``../news/...``),
    ``root`` (``/news/...``), ``absolute`` on www, ``touch`` (absolute on the touch host, on www
    when there is none), ``protocol`` (``//host/news/...``); plus a `fragment`."""

    path: str
    form: str = "root"
    fragment: str = ""

    def href(self, bases: Bases = PROXY) -> str:
        path = self.path
        if self.form == "relative":
            if not path.startswith("/news/"):
                raise ValueError(f"relative links are written from /news/ only: {path}")
            out = path[len("/news/") :]
        elif self.form == "dotdot":
            out = ".." + path
        elif self.form == "root":
            out = path
        elif self.form == "absolute":
            out = bases.www + path
        elif self.form == "touch":
            out = (bases.touch or bases.www) + path
        elif self.form == "protocol":
            out = "//" + bases.netloc + path
        else:
            raise ValueError(f"unknown link form {self.form!r}")
        return out + (f"#{self.fragment}" if self.fragment else "")

    @classmethod
    def parse(cls, href: str) -> Link:
        """The Link of an href written for proxy mode (the inverse of `href(PROXY)`)."""
        href, _, fragment = href.partition("#")
        for prefix, form in ((BASE, "absolute"), (TOUCH_BASE, "touch"), ("//" + WWW, "protocol")):
            if href.startswith(prefix + "/"):
                return cls(href[len(prefix) :], form, fragment)
        if href.startswith("../"):
            return cls(href[2:], "dotdot", fragment)
        if href.startswith("/"):
            return cls(href, "root", fragment)
        return cls("/news/" + href, "relative", fragment)


def with_params(path: str, params: str, *, first: bool = False) -> str:
    """`path` with query `params` ("a=1&b=2") added: last, or `first` in the query."""
    if not params:
        return path
    base, sep, query = path.partition("?")
    if not sep:
        return f"{path}?{params}"
    return f"{base}?{params}&{query}" if first else f"{path}&{params}"


def session(rng: random.Random) -> str:
    """ColdFusion session parameters, as old pages leak them into links."""
    return f"CFID={rng.randint(100, 99999)}&CFTOKEN={rng.randint(1000, 99999999)}"


def classic_related_href(rng: random.Random, layout: str, target: int) -> str:
    """An In Other News href of the classic markup, spelt as the real pages spell them."""
    x = rng.random()
    if layout == "table":
        if x < 0.55:
            return f"article.cfm?id={target}"
        if x < 0.70:
            return f"/news/article.cfm?id={target}"
        if x < 0.85:
            return f"{BASE}/news/article.cfm?id={target}&{session(rng)}"
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
    return f"/news/article.cfm?id={target}&{session(rng)}"


# --- what a link leads to -------------------------------------------------------------------


def to_int(values: list[str] | None) -> int | None:
    for value in values or ():
        value = value.strip()
        if value.isdigit():
            return int(value)
    return None


def parse_query(query: str) -> dict[str, list[str]]:
    return {k.lower(): v for k, v in parse_qs(query, keep_blank_values=True).items()}


def is_site_host(host: str, *, loopback: bool = False) -> bool:
    """A host of the site in proxy mode; with `loopback`, also 127.0.0.1 (any port) & co."""
    host = host.lower()
    if host == DOMAIN or host.endswith("." + DOMAIN):
        return True
    return loopback and host in LOOPBACK


def resolve_href(href: str, page_url: str = BASE + "/news/article.cfm?id=1") -> tuple[str, int]:
    """What a link of the classic markup leads to, statically: (kind, number).

    kind: "article" (number: id), "legacy" (story.asp or archive/N.htm: redirects to the article
    with that id), "draft", "comments" (id), "listing" (page; category and other filters are
    "other"), "other" (number 0) for everything else, including other sites.
    `Site.resolve` does the same for any markup, and for origin-mode URLs.
    """
    url = urljoin(page_url, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not is_site_host(parts.hostname or ""):
        return "other", 0
    return resolve_query_path(parts.path, parts.query)


def resolve_query_path(path: str, query_string: str) -> tuple[str, int]:
    """`resolve_href` for a path and query on the site (ids in the query, as classic)."""
    path = path.split(";")[0].lower()
    query = parse_query(query_string)
    number = to_int(query.get("id"))
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
        page = to_int(query.get("page"))
        return "listing", 1 if page is None else page
    return "other", 0
