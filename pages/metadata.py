"""Page metadata: what a page says about itself, and its titles and bylines cleaned. No Scrapy.

- `PageMeta`: <meta> tags, JSON-LD (the article object), <title>, <link rel=canonical>, <base>,
  read lazily from the parsed tree: site names, the publication date (`published`, only
  plausible ones), whether the page is paywalled, its declared author.
- `ParsedPage`: one fetched page as the readers see it: its URL, tree, `PageMeta`, site profile
  (crawler/sites.py) and page kind (crawler/urls.py); its canonical URL (`canonical`), the names
  the site goes by (`site_names`) and whether numeric dates are day first (`day_first`).
- `page_declared_url`: the URL a saved page declares for itself (crawler/pagefiles.py).
- `clean_title`, `clean_author`, `byline_name`: a title without a " | Site" part; a byline's
  name without "By", e-mail, job ("Reporter", "Staff writer"), group or site-name authors.

crawler/extract.py (profile layouts) and crawler/generic.py (the fallback) build a ParsedPage from
crawler/pagetext.py's tree and read titles, authors and dates through this module.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from archive.records import NotAnArticle
from pages.dates import DATE_WORDS, parse_date, plausible
from pages.pagetext import decode_html, norm, parse_html, select, word_set
from pages.sites import SiteProfile
from pages.urls import canonical_url_or_none, page_kind, resolve

__all__ = [
    "PageMeta",
    "ParsedPage",
    "byline_name",
    "clean_author",
    "clean_title",
    "page_declared_url",
    "squash",
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
        return self._jsonld

    def ld(self, key: str) -> str:
        """A JSON-LD field as text (a name for objects, the first item for lists)."""
        return _ld_text(self.jsonld.get(key))

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
    kind: str | None

    @property
    def base(self) -> str:
        return self.meta.base(self.url)

    @property
    def fetched_canonical(self) -> str:
        """The canonical form of the fetched URL (the URL itself when it cannot be read)."""
        return canonical_url_or_none(self.url) or self.url

    @property
    def site_names(self) -> list[str]:
        names = self.meta.site_names()
        if self.profile:
            names.append(self.profile.name)
        names.append(urlsplit(self.url).hostname or "")
        return names

    @property
    def day_first(self) -> bool:
        """Whether numeric dates are day first: the profile says; other sites are, as in the UK
        and most of the world, unless the page declares US English (`<html lang="en-US">`)."""
        if self.profile:
            return self.profile.day_first
        lang = (self.root.get("lang") or self.root.get("xml:lang") or "").lower()
        return not lang.replace("_", "-").startswith("en-us")

    def canonical(self, kind: str | None) -> str:
        """The canonical URL: the page's <link rel=canonical> when it names a page of the same
        site and kind (on a site without a profile: the same host, and not just its home page),
        else the canonical form of the fetched URL."""
        fetched = self.fetched_canonical
        href = self.meta.canonical()
        absolute = resolve(self.base, href) if href else None
        declared = canonical_url_or_none(absolute) if absolute else None
        if not declared:
            return fetched
        if self.profile is not None:
            return declared if kind and page_kind(declared) == kind else fetched
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


# ---------------------------------------------------------------------------------------------
# Cleaning titles and authors

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|\u2013|\u2014|::|\u00bb|\u2022|\u00b7)\s+")
_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:written|posted|words|report(?:ed)?|story|analysis|opinion|commentary|review|"
    r"interview|text|photos?|pictures?|video)\s+)?by\b[:\s]*",
    re.I,
)
# A person's job after the name ("Jo Bloggs, Crime Reporter", "Jo Bloggs is a reporter").
_AUTHOR_ROLE = word_set(
    "reporter reporters correspondent correspondents writer writers editor editors columnist "
    "contributor contributors journalist journalists"
)
# Words that make a byline a group, not a person ("Reporter", "Staff writer", "News desk").
_AUTHOR_GROUP = word_set(
    "staff team desk newsdesk newsroom reports services bureau wire wires admin administrator "
    "editorial"
)
_AUTHOR_QUALIFIERS = word_set(
    "a an the our news senior chief deputy assistant associate special national international "
    "foreign political crime home affairs security health science technology business economics "
    "sport sports city local regional digital online web staff contributing freelance guest "
    "managing features entertainment arts education environment legal auto motoring travel "
    "ap pa afp"  # news agencies: "AP Sports Writer"
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URLISH = re.compile(r"^(?:https?://|www\.)", re.I)


def squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _without_role(author: str) -> str:
    """The byline without a job description after the name; "" when it names a job or a group
    (staff, a desk, a team) and no person."""
    author = re.sub(r"\s+is\s+(?:an?|the|our)\s.*$", "", author, flags=re.I)
    # "Jo Bloggs, Crime Reporter" / "Jo Bloggs - Political Editor": the job part goes
    parts = re.split(r"\s*(?:,|\s-\s|\s\u2013\s|\|)\s*", author)
    if len(parts) > 1:
        kept = [parts[0]] + [p for p in parts[1:] if not _is_role(p)]
        author = ", ".join(p for p in kept if p)
    words = author.split()
    lowered = [w.lower().strip(".,") for w in words]
    if not words or any(w in _AUTHOR_GROUP for w in lowered) or _is_role(author):
        return ""
    # "Carrie Arnold November 15, 2019": a date run into the byline
    if lowered[0] in DATE_WORDS:
        return ""
    for i, word in enumerate(lowered[2:], start=2):
        if word in DATE_WORDS:
            words, lowered = words[:i], lowered[:i]
            break
    # "Tom Gillespie News reporter": the job and its qualifiers go, the name stays; a capitalised
    # last word alone may be a surname ("Sam Writer")
    if lowered[-1] in _AUTHOR_ROLE and (
        words[-1].islower() or (len(words) > 2 and lowered[-2] in _AUTHOR_QUALIFIERS)
    ):
        end = len(words) - 1
        while end > 0 and lowered[end - 1] in _AUTHOR_QUALIFIERS:
            end -= 1
        words = words[:end]
    return " ".join(words)


def _is_role(text: str) -> bool:
    """Whether `text` names a job only: "Reporter", "Staff writer", "Senior Crime Reporter"."""
    words = [w.lower().strip(".,") for w in text.split()]
    return (
        bool(words)
        and words[-1] in _AUTHOR_ROLE | _AUTHOR_GROUP
        and all(w in _AUTHOR_ROLE | _AUTHOR_GROUP | _AUTHOR_QUALIFIERS for w in words)
    )


def _is_site_name(text: str, site_names: Iterable[str]) -> bool:
    key = squash(text)
    if not key:
        return False
    for name in site_names:
        name_key = squash(name)
        # "policeoracle", "Police Oracle", "policeoracle.com", "www.policeoracle.localhost"
        if name_key and (key == name_key or key == squash(_host_label(name))):
            return True
    return False


def _host_label(name: str) -> str:
    """The main label of a host name ("www.policeoracle.com" -> "policeoracle"); else `name`."""
    labels = [label for label in name.lower().split(".") if label]
    if len(labels) < 2 or " " in name:
        return name
    labels = [label for label in labels if label not in ("www", "touch", "m", "mobile")]
    return labels[0] if len(labels) >= 2 else name


def clean_title(title: str, site_names: Iterable[str] = (), headline: str = "") -> str:
    """The headline: without a leading or trailing " | Site" / " - Site" part naming the site;
    "" when the title is nothing but the site name.

    `headline` is the page's visible headline (its <h1>), if any: a title made of the headline
    and a leading or trailing " | Anything" part no longer than it (a site name the page does not
    declare, a section: "Opinion | ...") is cut to the headline."""
    title = norm(title)
    names = [n for n in site_names if n]
    if not title or _is_site_name(title, names):
        return ""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        seps = _TITLE_SEPARATORS.findall(title)
        if _is_site_name(parts[-1], names):
            return clean_title(title[: title.rfind(seps[-1])], names, headline)
        if _is_site_name(parts[0], names):
            return clean_title(title[title.find(seps[0]) + len(seps[0]) :], names, headline)
        headline = norm(headline)
        key = headline.casefold()
        if key and key != title.casefold():
            for sep in _TITLE_SEPARATORS.finditer(title):
                before, after = title[: sep.start()], title[sep.end() :]
                for kept, cut in ((before, after), (after, before)):
                    # never cut to a short <h1> (a logo, a section name) more than it keeps
                    if kept.casefold() == key and len(cut.split()) <= len(kept.split()):
                        return headline
    return title


def clean_author(author: str, site_names: Iterable[str] = ()) -> str:
    """A byline's name: without "By" and without the job after it ("Jo Bloggs, Crime Reporter",
    "Jo Bloggs is a reporter"); "" for no name, an e-mail address, a URL, the site, a job alone
    ("Reporter", "Staff writer") or a group ("News desk", "Telegraph staff")."""
    author = norm(author)
    author = _AUTHOR_PREFIX.sub("", author).strip(" ,;:|-")
    author = _EMAIL.sub("", author).strip(" ,;:|-()")
    author = _without_role(author)
    if (
        not author
        or len(author) > 100
        or _URLISH.match(author)
        or not re.search(r"[^\W\d_]", author)
        or _is_site_name(author, site_names)
    ):
        return ""
    return author


def byline_name(line: str, site_names: Iterable[str] = ()) -> str:
    """The name of a line that is a byline alone ("By Jo Bloggs"); "" for other lines (a
    sentence that starts with "By", a line without a person's name)."""
    if _AUTHOR_PREFIX.match(line) and _looks_like_name(name := clean_author(line, site_names)):
        return name
    return ""


_NAME_PARTICLES = word_set("and & de da del della der di du la le van von of")


def _looks_like_name(text: str) -> bool:
    """A person's name (or two): 1-8 capitalised words, not a sentence."""
    words = text.replace(",", " ").split()
    return (
        0 < len(words) <= 8
        and not text.endswith((".", "!", "?", ":"))
        and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)
    )
