"""Page metadata: what a page says about itself, and its titles and bylines cleaned. No Scrapy.

- `PageMeta`: <meta> tags, JSON-LD (the article object, and every object's type), <title>,
  <link rel=canonical>, <base>, read lazily from the parsed tree: site names, the publication
  date (`published`, only plausible ones), whether the page is paywalled, its declared author.
- `ParsedPage`: one fetched page as the readers see it: its URL, tree, `PageMeta`, site profile
  (pages/profiles.py) and page kind (pages/urls.py); its canonical URL (`canonical`), the names
  the site goes by (`site_names`) and whether numeric dates are day first (`day_first`).
- `page_declared_url`: the URL a saved page declares for itself (pages/pagefiles.py).
Titles and bylines are cleaned by pages/bylines.py.

pages/extract.py builds a ParsedPage from pages/pagetext.py's tree; the profile layouts
(pages/layouts.py) and the generic reader (pages/generic.py) read titles, authors and dates
through this module.
"""

from __future__ import annotations

import html as html_lib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from archive.records import NotAnArticle
from pages.dates import parse_date, plausible
from pages.pagetext import decode_html, norm, parse_html, select
from pages.profiles import Profiles, SiteProfile
from pages.urls import canonical_url_or_none, page_kind, resolve

__all__ = [
    "PageMeta",
    "ParsedPage",
    "page_declared_url",
]

# ---------------------------------------------------------------------------------------------
# Metadata common to all pages (meta tags, JSON-LD, canonical link)

_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "report")
_DATE_METAS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "pubdate",
    "publish-date",
    "publishdate",
    "parsely-pub-date",
    "sailthru.date",
)
_AUTHOR_METAS = (
    "author",
    "article:author",
    "dc.creator",
    "byl",
    "parsely-author",
    "sailthru.author",
)


class PageMeta:
    """Lazily read page-level metadata: <meta> tags, JSON-LD, <title>, <link rel=canonical>."""

    def __init__(self, root: Any):
        self.root = root
        self._metas: dict[str, str] | None = None
        self._jsonld: dict[str, Any] | None = None
        self._ld_types: frozenset[str] = frozenset()

    @property
    def metas(self) -> dict[str, str]:
        if self._metas is None:
            self._metas = {}
            for el in self.root.iter("meta"):
                key = el.get("property") or el.get("name") or el.get("itemprop")
                content = el.get("content")
                if key and content and content.strip():
                    self._metas.setdefault(key.strip().lower(), content.strip())
        return self._metas

    def meta(self, *keys: str) -> str:
        for key in keys:
            if value := self.metas.get(key):
                return norm(value)
        return ""

    @property
    def jsonld(self) -> dict[str, Any]:
        """The page's (first) article object of its JSON-LD, or its first object; {} for none."""
        if self._jsonld is None:
            objects: list[dict[str, Any]] = []
            for script in self.root.iter("script"):
                if (script.get("type") or "").strip().lower() != "application/ld+json":
                    continue
                try:
                    data = json.loads(script.text or "", strict=False)
                except ValueError:
                    continue
                stack = [data]
                while stack:
                    item = stack.pop(0)
                    if isinstance(item, list):
                        stack.extend(item)
                    elif isinstance(item, dict):
                        if "@graph" in item:
                            stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [])
                        objects.append(item)
            article = next((o for o in objects if _is_article(o)), None)
            self._jsonld = article or (objects[0] if objects else {})
            main = [o.get("mainEntity") for o in objects]
            types = [o.get("@type") for o in (*objects, *(m for m in main if isinstance(m, dict)))]
            self._ld_types = frozenset(
                t.lower()
                for value in types
                for t in (value if isinstance(value, list) else [value])
                if isinstance(t, str)
            )
        return self._jsonld

    @property
    def ld_types(self) -> frozenset[str]:
        """The types, lower case, of every object of the page's JSON-LD and of their
        `mainEntity` (a WebPage whose main entity is an ItemList)."""
        _ = self.jsonld
        return self._ld_types

    def ld(self, key: str) -> str:
        """A JSON-LD field as text (a name for objects, the first item for lists)."""
        return _ld_text(self.jsonld.get(key))

    def ld_names(self, key: str) -> str:
        """A JSON-LD field naming several things (authors), every name, joined by "; "."""
        value = self.jsonld.get(key)
        values = value if isinstance(value, list) else [value]
        return "; ".join(dict.fromkeys(t for t in map(_ld_text, values) if t))

    def author(self) -> str:
        """The author the meta tags name (not cleaned)."""
        return self.meta(*_AUTHOR_METAS)

    @property
    def title_tag(self) -> str:
        title = self.root.find(".//title")
        return norm(title.text_content()) if title is not None else ""

    def site_names(self) -> list[str]:
        publisher = self.jsonld.get("publisher")
        return [
            name
            for name in (
                self.meta("og:site_name", "application-name", "twitter:site"),
                _ld_text(publisher) if publisher else "",
            )
            if name
        ]

    def published(self, day_first: bool) -> str | None:
        """The first plausible date of the date metadata (meta tags, JSON-LD, <time datetime>):
        placeholders such as 0001-01-01 or 1970-01-01 are skipped."""
        values = [self.meta(key) for key in _DATE_METAS]
        values += [self.ld("datePublished"), self.ld("dateCreated")]
        values += [str(value) for value in select(self.root, "//time/@datetime")]
        for value in values:
            if value and (parsed := parse_date(value, day_first)) and plausible(parsed):
                return parsed
        return None

    def paywalled(self) -> bool:
        free = self.jsonld.get("isAccessibleForFree")
        if free is None:
            part = self.jsonld.get("hasPart")
            if isinstance(part, dict):
                free = part.get("isAccessibleForFree")
        return str(free).strip().lower() == "false" if free is not None else False

    def canonical(self) -> str:
        for el in self.root.iter("link"):
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and (href := (el.get("href") or "").strip()):
                return href
        return ""

    def base(self, url: str) -> str:
        """The URL relative links resolve against: the first <base href>, else the page's."""
        el = next(self.root.iter("base"), None)
        href = el.get("href") if el is not None else None
        return (resolve(url, href) if href else None) or url


def _is_article(obj: dict[str, Any]) -> bool:
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types)


def _ld_text(value: Any) -> str:
    if isinstance(value, list):
        return next((t for t in map(_ld_text, value) if t), "")
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("@value") or "")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return norm(html_lib.unescape(str(value)))
    return ""


# ---------------------------------------------------------------------------------------------
# The page: its tree, metadata and site profile


@dataclass
class ParsedPage:
    """One fetched page, parsed."""

    url: str  # as fetched
    root: Any
    meta: PageMeta
    profile: SiteProfile | None
    kind: str | None  # the page kind the profile's URL patterns give, if any
    profiles: Profiles | None = None  # the crawl's profiles (None: the packaged ones)

    @property
    def base(self) -> str:
        return self.meta.base(self.url)

    @property
    def fetched_canonical(self) -> str:
        """The canonical form of the fetched URL (the URL itself when it cannot be read)."""
        return canonical_url_or_none(self.url, self.profiles) or self.url

    @property
    def site_names(self) -> list[str]:
        names = self.meta.site_names()
        if self.profile:
            names += [self.profile.name, self.profile.title]
        names.append(urlsplit(self.url).hostname or "")
        return [name for name in names if name]

    @property
    def day_first(self) -> bool:
        """Whether numeric dates are day first: the profile says; other sites are, as in the UK
        and most of the world, unless the page declares US English (`<html lang="en-US">`)."""
        if self.profile:
            return self.profile.day_first
        return not self.lang.startswith("en-us")

    @property
    def lang(self) -> str:
        """The page's declared language, lower case with hyphens (`<html lang="en-GB">`:
        "en-gb"); "" when it declares none."""
        lang = self.root.get("lang") or self.root.get("xml:lang") or ""
        return lang.lower().replace("_", "-")

    def canonical(self, kind: str | None) -> str:
        """The canonical URL: the page's <link rel=canonical> when it names a page of the same
        site and kind (on a site without a profile: the same host, and not just its home page),
        else the canonical form of the fetched URL."""
        fetched = self.fetched_canonical
        href = self.meta.canonical()
        absolute = resolve(self.base, href) if href else None
        declared = canonical_url_or_none(absolute, self.profiles) if absolute else None
        if not declared:
            return fetched
        if self.profile is not None:
            return declared if kind and page_kind(declared, self.profiles) == kind else fetched
        here, there = urlsplit(fetched), urlsplit(declared)
        same_host = _bare_host(here.hostname) == _bare_host(there.hostname)
        home = there.path in ("", "/") and not there.query
        return declared if same_host and (not home or here.path in ("", "/")) else fetched


def _bare_host(host: str | None) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def page_declared_url(body: bytes, content_type: str | None = None) -> str | None:
    """The absolute http(s) URL a page declares for itself (<link rel=canonical>, else og:url),
    or None: for saved pages whose fetched URL is not known."""
    try:
        meta = PageMeta(parse_html(decode_html(body, content_type)))
    except NotAnArticle:
        return None
    for href in (meta.canonical().strip(), meta.meta("og:url")):
        try:
            parts = urlsplit(href)
            if parts.scheme.lower() in ("http", "https") and parts.hostname:
                return href
        except ValueError:  # "http://[broken"
            continue
    return None
