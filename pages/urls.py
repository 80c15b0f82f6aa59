"""URLs of the archive: one article, one URL; which URLs are worth following.

Pure functions of URL strings and site profiles (pages/profiles.py); no Scrapy.

`canonical_url` turns every spelling of a page's address into one:

- for every http(s) URL: w3lib's `canonicalize_url` (percent-encoding normalised, dot segments
  resolved, query parameters sorted, blank values kept, fragment dropped), lower-case scheme and
  host, no trailing dot on the host, no default port, no ``;jsessionid=`` path parameter, and no
  tracking or session parameter (`TRACKING_PARAMS`, any ``utm_*``; names compared
  case-insensitively);
- for a URL of a profile's site, on the canonical host or one of its aliases (``touch.``, ``m.``,
  ``mobile.``, the bare domain): the canonical host (``www.``) with the port of the input, the
  profile's scheme if it has one, and, when the path is one of the profile's page kinds
  (article, comments, listing), only that kind's identifying parameters in the profile's order
  (parameter names compared case-insensitively, the first non-blank value kept) and the kind's
  canonical path; a listing's ``page=1`` is dropped (the first page is the listing itself).

Other subdomains of a profile's domain (``jobs.``, ``shop.``) are not the news site: their URLs
get the generic treatment only, and are never followed.

URLs that are not http(s) are returned stripped but otherwise unchanged. A malformed http(s)
URL (a bad port, an unbalanced IPv6 bracket) raises ValueError (`canonical_url_or_none`: None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote_plus, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from pages.profiles import Profiles, SiteProfile, UrlPattern, default_profiles

# Query parameters that never identify a page (analytics, click ids, session ids); any `utm_*` too.
TRACKING_PARAMS = frozenset(
    {
        "ref",
        "fbclid",
        "gclid",
        "mc_cid",
        "mc_eid",
        "cfid",
        "cftoken",
        "jsessionid",
        "phpsessid",
        "sid",
        "sessionid",
    }
)

ARTICLE = "article"
COMMENTS = "comments"
LISTING = "listing"
PAGE_KINDS = (ARTICLE, COMMENTS, LISTING)

_HTTP_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_JSESSIONID = re.compile(r";jsessionid=[^/;]*", re.I)
_REGEX_META = frozenset(".^$*+?{}[]|()")
_FIRST_PAGE = "1"  # a listing parameter with this value names the listing's first page


@dataclass(frozen=True)
class _Parsed:
    """A URL after the generic canonicalisation, with what its profile says about it."""

    url: str  # the canonical URL
    profile: SiteProfile | None  # None for a URL not on a profile's news hosts
    kind: str | None  # one of PAGE_KINDS, or None
    query: dict[str, str]  # lower-case name -> first non-blank value, tracking params removed


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith("utm_")


def _literal_path(pattern: re.Pattern[str]) -> str | None:
    """The one path a UrlPattern's regex matches, if it is a plain literal like ``^/a\\.cfm$``."""
    source = pattern.pattern.removeprefix("^").removesuffix("$")
    chars: list[str] = []
    escaped = False
    for char in source:
        if escaped:
            if char.isalnum():  # \d, \w, ...: a character class, not a literal
                return None
            chars.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _REGEX_META:
            return None
        else:
            chars.append(char)
    literal = "".join(chars)
    return literal if not escaped and pattern.match(literal) else None


def _pattern_path(pattern: UrlPattern) -> str | None:
    """The path of the canonical URL of a page of this kind (None: keep the URL's own path)."""
    return pattern.canonical_path or _literal_path(pattern.path)


def _patterns(profile: SiteProfile) -> list[tuple[str, UrlPattern]]:
    kinds = ((ARTICLE, profile.article), (COMMENTS, profile.comments), (LISTING, profile.listing))
    return [(kind, pattern) for kind, pattern in kinds if pattern is not None]


def _site_of(profiles: Profiles, host: str) -> tuple[SiteProfile, str] | None:
    """The profile whose news site `host` is (its canonical host or an alias), and the canonical
    host; None for other hosts, including other subdomains of a profile's domain."""
    for profile in profiles:
        domain = profile.domain_of(host)
        if domain is None:
            continue
        subdomain = host[: -len(domain)].rstrip(".")
        if subdomain != profile.canonical_subdomain and subdomain not in profile.alias_subdomains:
            return None
        if profile.canonical_subdomain:
            return profile, f"{profile.canonical_subdomain}.{domain}"
        return profile, domain
    return None


@dataclass(frozen=True)
class _Param:
    pair: str  # "name=value", percent-encoded
    name: str  # decoded, lower-case
    value: str  # decoded
    encoded_value: str


def _split_query(query: str) -> list[_Param]:
    params = []
    for pair in query.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            params.append(_Param(pair, unquote_plus(name).lower(), unquote_plus(value), value))
    return params


# Parsed URLs, by URL and the identity of the profiles they were parsed with (kept with them, so
# that an id reused by another tuple never answers): a page's links are read several times.
_PARSED: dict[tuple[str, int], tuple[Profiles, _Parsed | None]] = {}
_PARSED_MAX = 20_000


def _parse(url: str, profiles: Profiles | None) -> _Parsed | None:
    """Canonicalise an http(s) URL; None for any other scheme. Raises ValueError if malformed."""
    if profiles is None:
        profiles = default_profiles()
    key = (url, id(profiles))
    cached = _PARSED.get(key)
    if cached is not None and cached[0] is profiles:
        return cached[1]
    parsed = _parse_new(url, profiles)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[key] = (profiles, parsed)
    return parsed


def _parse_new(url: str, profiles: Profiles) -> _Parsed | None:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in _HTTP_SCHEMES or not parts.hostname:
        return None
    parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    path = _JSESSIONID.sub("", parts.path)
    url = canonicalize_url(
        urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")), keep_blank_values=True
    )
    parts = urlsplit(url)
    scheme, path = parts.scheme, parts.path or "/"
    host = (parts.hostname or "").rstrip(".")
    port = None if parts.port == _DEFAULT_PORTS[scheme] else parts.port
    # w3lib has sorted the parameters and normalised their percent-encoding
    params = [p for p in _split_query(parts.query) if not _is_tracking(p.name)]
    query = "&".join(p.pair for p in params)
    present: dict[str, list[str]] = {}  # lower-case name -> its non-blank values
    first: dict[str, str] = {}  # lower-case name -> its first non-blank value, encoded
    for p in params:
        present.setdefault(p.name, [])
        if p.value:
            present[p.name].append(p.value)
            first.setdefault(p.name, p.encoded_value)

    profile = kind = None
    site = _site_of(profiles, host)
    if site is not None:
        profile, host = site
        path_query = f"{path}?{query}" if query else path
        for legacy, template in profile.legacy_urls:
            if match := legacy.match(path_query):
                return _parse(urljoin(url, template.format(**match.groupdict())), profiles)
        scheme = profile.canonical_scheme or scheme
        for candidate_kind, pattern in _patterns(profile):
            if pattern.matches(path, present):
                kind = candidate_kind
                path = _pattern_path(pattern) or path
                query = "&".join(
                    f"{quote(param)}={first[param.lower()]}"
                    for param in pattern.params
                    if param.lower() in first
                    and not (kind == LISTING and first[param.lower()] == _FIRST_PAGE)
                )
                break

    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    if "@" in parts.netloc:  # keep the user info, as w3lib spelled it
        netloc = parts.netloc.rpartition("@")[0] + "@" + netloc
    first_values = {name: unquote_plus(encoded) for name, encoded in first.items()}
    return _Parsed(urlunsplit((scheme, netloc, path, query, "")), profile, kind, first_values)


def canonical_url(url: str, profiles: Profiles | None = None) -> str:
    """The one URL of the page `url` names (see the module docstring)."""
    parsed = _parse(url, profiles)
    return url.strip() if parsed is None else parsed.url


def canonical_url_or_none(url: str, profiles: Profiles | None = None) -> str | None:
    """`canonical_url`, or None for a URL it cannot read (a bad port, a malformed host)."""
    try:
        return canonical_url(url, profiles)
    except ValueError:
        return None


def page_kind(url: str, profiles: Profiles | None = None) -> str | None:
    """'article', 'comments' or 'listing'; None for other pages and for sites without a profile."""
    try:
        parsed = _parse(url, profiles)
    except ValueError:
        return None
    return parsed.kind if parsed else None


def _counterpart(url: str, from_kind: str, to_kind: str, profiles: Profiles | None) -> str | None:
    """The canonical URL of the `to_kind` page with the same identifying parameters as `url`."""
    try:
        parsed = _parse(url, profiles)
    except ValueError:
        return None
    if parsed is None or parsed.kind != from_kind or parsed.profile is None:
        return None
    target = getattr(parsed.profile, to_kind)
    target_path = _pattern_path(target) if target is not None else None
    if target_path is None:
        return None
    values = [(p, parsed.query[p.lower()]) for p in target.params if p.lower() in parsed.query]
    site = urlsplit(parsed.url)
    candidate = urlunsplit((site.scheme, site.netloc, target_path, urlencode(values), ""))
    result = _parse(candidate, profiles)
    return result.url if result is not None and result.kind == to_kind else None


def article_url_for_comments(url: str, profiles: Profiles | None = None) -> str | None:
    """The canonical URL of the article whose comment thread `url` is; None if it is not one."""
    return _counterpart(url, COMMENTS, ARTICLE, profiles)


def comments_url_for_article(url: str, profiles: Profiles | None = None) -> str | None:
    """The canonical URL of the comment thread of article `url`; None if it is not an article."""
    return _counterpart(url, ARTICLE, COMMENTS, profiles)


def followable(url: str, profiles: Profiles | None = None) -> bool:
    """Whether the crawler follows `url`: an http(s) article, comment thread or listing of a
    profile's site. Print and e-mail versions, calendars, search, login, jobs and category-filtered
    listings are not page kinds of any profile, so they are never followed."""
    return page_kind(url, profiles) is not None


def same_site(url: str, other: str, profiles: Profiles | None = None) -> bool:
    """Whether two http(s) URLs are of one site: the news hosts of one profile (``touch.`` and
    ``www.`` are one site), else the same host, ``www.`` or not."""
    try:
        one, two = urlsplit(url), urlsplit(other)
        hosts = [(one.hostname or "").rstrip("."), (two.hostname or "").rstrip(".")]
        ports = (one.port, two.port)
    except ValueError:
        return False
    if not all(hosts):
        return False
    sites = [_site_of(profiles or default_profiles(), host) for host in hosts]
    if sites[0] is not None or sites[1] is not None:
        return sites[0] is not None and sites[1] is not None and sites[0][0] is sites[1][0]
    bare = [host[4:] if host.startswith("www.") else host for host in hosts]
    return bare[0] == bare[1] and ports[0] == ports[1]


def resolve(base: str, href: str) -> str | None:
    """The absolute http(s) URL of link `href` on page `base`; None for other schemes and garbage.

    As browsers do, leading and trailing whitespace is stripped and tabs and newlines inside the
    reference are removed.
    """
    # a page's links are mostly absolute or from the site's root: resolved against the site
    # alone, they are the same on every page, and looked up once
    if href.startswith("/") and not href.startswith("//"):
        scheme, _, rest = base.partition("://")
        base = f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0].split('#', 1)[0]}/"
    elif href.startswith(("http://", "https://")):
        base = ""
    return _resolve(base, href)


@lru_cache(maxsize=20_000)
def _resolve(base: str, href: str) -> str | None:
    """`resolve`, remembered."""
    href = re.sub(r"[\t\n\r]", "", href.strip())
    try:
        ref = urlsplit(href)
        if ref.scheme and ref.scheme.lower() not in _HTTP_SCHEMES:
            return None
        if href[len(ref.scheme) + 1 if ref.scheme else 0 :].startswith("//") and not ref.hostname:
            return None  # an empty authority: "http://", "//"
        url = urljoin(base.strip(), href)
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in _HTTP_SCHEMES or not parts.hostname:
        return None
    return url
