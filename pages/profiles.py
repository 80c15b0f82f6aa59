"""Site profiles: what the crawler knows about a site beyond what it sees, as data.

A profile is one TOML file (pages/profiles/*.toml ships with the package; an archivist adds a
folder of their own with ``--profiles DIR`` or the ``PROFILES_DIRS`` setting: a file there
replaces a packaged profile of the same name). Everything in a profile is an optional refinement
of the generic reader (pages/links.py, pages/generic.py, pages/comments.py): the hosts of the
site and which is canonical; which URL paths are articles, comment threads and listings, and
which query parameters identify them; old URL schemes and the URLs they became; where its
articles are by numeric id (`article_by_id`, a URL template with ``{id}``: what a backfill
seeds, crawler/backfill.py); whether numeric dates are day first; and, per page layout, the
selectors that read it. Anything a profile leaves out is read the generic way. README.md ("Site
profiles") documents the format, with a worked example.

Selectors are CSS (``article.story h1``) or XPath 1.0 (anything starting with ``/``, ``./`` or
``(``, or prefixed ``xpath:``); CSS is turned into XPath when the profile is loaded, and every
selector and pattern is checked then: a broken profile is refused with the file and the key.

`*.localhost` names (RFC 6761, never a real site) may serve a loopback replica of a profiled site
for tests and demos: with `localhost_mirrors`, the profile of ``policeoracle.com`` also covers
``policeoracle.localhost`` (the ``PROFILE_LOCALHOST_MIRRORS`` setting, on by default).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError
from lxml import etree

__all__ = [
    "PACKAGED",
    "Layout",
    "ProfileError",
    "Profiles",
    "SiteProfile",
    "UrlPattern",
    "default_profiles",
    "load_profiles",
    "profile_for",
]

# a package resource, not a path beside __file__: Scrapyd runs the crawler from a zipped egg
PACKAGED: Traversable = files("pages") / "profiles"


class ProfileError(ValueError):
    """A profile file that cannot be used (the message names the file and the key)."""


@dataclass(frozen=True)
class UrlPattern:
    """A kind of page: its path and the query parameters that identify one page of that kind."""

    path: re.Pattern[str]
    params: tuple[str, ...] = ()  # kept in the canonical URL, in this order; all others dropped
    required: tuple[str, ...] = ()  # the URL is of this kind only if these parameters are present
    forbidden: tuple[str, ...] = ()  # ...and none of these (e.g. category filters on listings)
    canonical_path: str | None = None  # the path of the canonical URL when `path` matches several

    def matches(self, path: str, query: dict[str, list[str]]) -> bool:
        return (
            bool(self.path.match(path))
            and all(query.get(p) for p in self.required)
            and not any(p in query for p in self.forbidden)
        )


@dataclass(frozen=True)
class Layout:
    """How to read one page layout of a site; selectors are XPath once loaded.

    The layout applies when `detect` matches the page. Fields left empty are read the generic
    way. Selectors of the page's parts are evaluated on the whole document; `body_drop` and the
    `comment_*` selectors are relative to the element they belong to (`body`, `comment` or a
    split chunk).
    """

    name: str
    detect: str
    kind: str = "article"  # the page kind the layout reads: "article", "comments" or "listing"
    title: str = ""
    standfirst: str = ""
    author: str = ""
    published: str = ""  # an XPath giving an ISO date attribute or a day-first date text
    dateline: str = ""  # an XPath to a text read with `dateline_pattern`
    dateline_pattern: re.Pattern[str] | None = None  # groups: date, author (optional)
    category: str = ""
    body: str = ""  # the element(s) holding the article text
    body_drop: tuple[str, ...] = ()  # elements under `body` that are not article text
    body_start: str = ""  # the text begins after this element (for bodies without a container)
    body_end: str = ""  # ...and ends at this one; <br><br> separates paragraphs
    paywall: str = ""  # present only on subscriber-only teasers
    comment_count: str = ""  # text holding "View Comments N"
    in_other_news: str = ""  # <a> elements of the related-articles box
    more_news: str = ""  # <a> elements of the "More News" link
    listing: str = ""  # <a> elements to articles on a listing page
    pagination: str = ""  # <a> elements to other listing pages
    comments_link: str = ""  # <a> elements to the article's comment thread
    comment: str = ""  # one element per comment on a thread page
    comment_author: str = ""  # relative to `comment`
    comment_posted: str = ""  # relative to `comment`: a text with a day-first date
    comment_text: str = ""  # relative to `comment`
    comment_split: str = ""  # alternative to `comment`: split this element's content on <hr>
    article_link: str = ""  # on a thread page: the <a> back to its article


@dataclass(frozen=True)
class SiteProfile:
    name: str
    domains: tuple[str, ...]  # registrable domains: the domain and any subdomain belong to the site
    title: str = ""  # the site's name as readers know it ("Police Oracle")
    canonical_subdomain: str = "www"  # "touch.", "m." and the bare domain map to this one
    alias_subdomains: tuple[str, ...] = ("", "www", "touch", "m", "mobile")
    canonical_scheme: str | None = None  # None keeps the scheme of the URL
    article: UrlPattern | None = None
    comments: UrlPattern | None = None
    listing: UrlPattern | None = None
    layouts: tuple[Layout, ...] = field(default=())
    # Old URL schemes the site still redirects from: (regex on "path?query", new "path?query"
    # template with the regex's named groups). Links in these forms name the new URL directly,
    # so an In Other News edge points at the article and no redirect chain is fetched.
    legacy_urls: tuple[tuple[re.Pattern[str], str], ...] = ()
    # The article with numeric id N: this URL with N for {id}, on one of `domains` (a backfill's
    # seeds); "" when the site has no such ids and cannot be backfilled.
    article_by_id: str = ""
    day_first: bool = True  # dates like 12/08/20 are day-first (UK)
    source: str = ""  # the file it was loaded from

    def domain_of(self, host: str) -> str | None:
        """The profile domain `host` belongs to, or None."""
        host = host.lower().rstrip(".")
        for domain in self.domains:
            if host == domain or host.endswith("." + domain):
                return domain
        return None

    def hosts(self) -> tuple[str, ...]:
        """The news site's host names: the canonical one and its aliases, on every domain."""
        names = (self.canonical_subdomain, *self.alias_subdomains)
        return tuple(
            dict.fromkeys(
                f"{sub}.{domain}" if sub else domain for domain in self.domains for sub in names
            )
        )


Profiles = tuple[SiteProfile, ...]


def profile_for(url: str, profiles: Profiles | None = None) -> SiteProfile | None:
    """The profile of the site `url` belongs to, or None for a site without one."""
    host = urlsplit(url).hostname or ""
    for profile in default_profiles() if profiles is None else profiles:
        if profile.domain_of(host):
            return profile
    return None


# ---------------------------------------------------------------------------------------------
# Loading


@cache
def default_profiles() -> Profiles:
    """The packaged profiles, with their localhost mirrors."""
    return load_profiles()


def load_profiles(dirs: Iterable[str | Path] = (), *, localhost_mirrors: bool = True) -> Profiles:
    """The packaged profiles and those of `dirs` (later folders replace a profile of the same
    name), in name order. Raises ProfileError for a file that cannot be used."""
    by_name: dict[str, SiteProfile] = {}
    folders: list[Traversable] = [PACKAGED, *map(Path, dirs)]
    for folder in folders:
        if not folder.is_dir():
            raise ProfileError(f"profiles folder {folder}: not a directory")
        tomls = (p for p in folder.iterdir() if p.name.endswith(".toml"))
        for path in sorted(tomls, key=lambda p: p.name):
            profile = load_profile(path)
            by_name[profile.name] = profile
    profiles = tuple(by_name[name] for name in sorted(by_name))
    return tuple(_with_mirror(p) for p in profiles) if localhost_mirrors else profiles


def _with_mirror(profile: SiteProfile) -> SiteProfile:
    """The profile covering NAME.localhost too, for each of its registrable domains NAME.tld
    (policeoracle.com, police.co.uk: a profile's domains are registrable ones)."""
    mirrors = [f"{d.split('.', 1)[0]}.localhost" for d in profile.domains if "." in d]
    domains = tuple(dict.fromkeys((*profile.domains, *mirrors)))
    return replace(profile, domains=domains)


_LAYOUT_FIELDS = {f.name: f for f in fields(Layout)}
_XPATH_START = ("/", "./", "(", "..")
_TOP = {
    "name",
    "title",
    "domains",
    "canonical_subdomain",
    "alias_subdomains",
    "canonical_scheme",
    "day_first",
    "article_by_id",
    "urls",
    "legacy_urls",
    "layouts",
}
_PATTERN_KEYS = {"path", "params", "required", "forbidden", "canonical_path"}


def load_profile(path: Traversable) -> SiteProfile:
    """One profile file; raises ProfileError naming the file and the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    where = str(path)
    _known(data, _TOP, where)
    name = _string(data, "name", where, required=True)
    domains = _strings(data, "domains", where)
    if not domains:
        raise ProfileError(f"{where}: 'domains' must list at least one domain")
    urls = data.get("urls", {})
    if not isinstance(urls, dict):
        raise ProfileError(f"{where}: 'urls' must be a table")
    _known(urls, {"article", "comments", "listing"}, f"{where} [urls]")
    patterns = {kind: _pattern(spec, f"{where} [urls.{kind}]") for kind, spec in urls.items()}
    legacy = tuple(
        (_regex(item, "match", f"{where} [[legacy_urls]]"), _string(item, "url", where, True))
        for item in _tables(data, "legacy_urls", where)
    )
    layouts = tuple(
        _layout(item, f"{where} [[layouts]] #{i + 1}")
        for i, item in enumerate(_tables(data, "layouts", where))
    )
    return SiteProfile(
        name=name,
        domains=tuple(d.lower() for d in domains),
        title=_string(data, "title", where),
        canonical_subdomain=_string(data, "canonical_subdomain", where, default="www"),
        alias_subdomains=_strings(data, "alias_subdomains", where)
        or ("", "www", "touch", "m", "mobile"),
        canonical_scheme=_string(data, "canonical_scheme", where) or None,
        article=patterns.get("article"),
        comments=patterns.get("comments"),
        listing=patterns.get("listing"),
        layouts=layouts,
        legacy_urls=legacy,
        article_by_id=_id_template(data, where, domains),
        day_first=bool(data.get("day_first", True)),
        source=where,
    )


def _known(data: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _id_template(data: dict[str, Any], where: str, domains: tuple[str, ...]) -> str:
    """`article_by_id`: an http(s) URL on the profile's domains with ``{id}`` once, after the
    host, and no other braces; "" when not given."""
    template = _string(data, "article_by_id", where).strip()
    if not template:
        return ""
    parts = urlsplit(template.replace("{id}", "1"))
    host = (parts.hostname or "").lower()
    rest = template.replace("{id}", "")
    if template.count("{id}") != 1 or "{" in rest + urlsplit(template).netloc or "}" in rest:
        raise ProfileError(f"{where}: 'article_by_id' must hold {{id}} once, after the host, and "
                           f"no other braces: {template!r}")  # fmt: skip
    if parts.scheme not in ("http", "https") or not any(
        host == d.lower() or host.endswith("." + d.lower()) for d in domains
    ):
        raise ProfileError(f"{where}: 'article_by_id' must be an http(s) URL on the site's "
                           f"domains ({', '.join(domains)}): {template!r}")  # fmt: skip
    return template


def _string(
    data: dict[str, Any], key: str, where: str, required: bool = False, default: str = ""
) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (required and not value):
        raise ProfileError(f"{where}: '{key}' must be a{' non-empty' if required else ''} string")
    return value


def _strings(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _tables(data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ProfileError(f"{where}: '{key}' must be an array of tables ([[{key}]])")
    return value


def _regex(data: dict[str, Any], key: str, where: str) -> re.Pattern[str]:
    source = _string(data, key, where, required=True)
    try:
        return re.compile(source, re.I)
    except re.error as exc:
        raise ProfileError(f"{where}: '{key}' is not a valid regular expression: {exc}") from exc


def _pattern(spec: Any, where: str) -> UrlPattern:
    if not isinstance(spec, dict):
        raise ProfileError(f"{where}: must be a table")
    _known(spec, _PATTERN_KEYS, where)
    return UrlPattern(
        path=_regex(spec, "path", where),
        params=_strings(spec, "params", where),
        required=_strings(spec, "required", where),
        forbidden=_strings(spec, "forbidden", where),
        canonical_path=_string(spec, "canonical_path", where) or None,
    )


def _layout(spec: dict[str, Any], where: str) -> Layout:
    _known(spec, set(_LAYOUT_FIELDS), where)
    values: dict[str, Any] = {}
    relative = {"body_drop", "comment_author", "comment_posted", "comment_text"}
    for key in spec:
        if key == "dateline_pattern":
            values[key] = _regex(spec, key, where)
        elif key in ("name", "kind"):
            values[key] = _string(spec, key, where, required=True)
        elif key == "body_drop":
            values[key] = tuple(
                _selector(v, f"{where} {key}", True) for v in _strings(spec, key, where)
            )
        else:
            selector = _string(spec, key, where)
            values[key] = _selector(selector, f"{where} {key}", key in relative)
    if values.get("kind", "article") not in ("article", "comments", "listing"):
        raise ProfileError(f"{where}: 'kind' must be article, comments or listing")
    if "name" not in values or "detect" not in values:
        raise ProfileError(f"{where}: a layout needs a 'name' and a 'detect' selector")
    return Layout(**values)


def _selector(selector: str, where: str, relative: bool) -> str:
    """The XPath of a CSS or XPath selector (see the module docstring), checked."""
    selector = selector.strip()
    if not selector:
        return ""
    if selector.startswith("xpath:"):
        xpath = selector.removeprefix("xpath:").strip()
    elif selector.startswith("css:") or not selector.startswith(_XPATH_START):
        css = selector.removeprefix("css:").strip()
        prefix = "descendant-or-self::" if not relative else "descendant::"
        try:
            xpath = GenericTranslator().css_to_xpath(css, prefix=prefix)
        except SelectorError as exc:
            raise ProfileError(f"{where}: not a valid CSS selector: {exc}") from exc
    else:
        xpath = selector
    try:
        etree.XPath(xpath)
    except etree.XPathSyntaxError as exc:
        raise ProfileError(f"{where}: not a valid XPath: {exc}") from exc
    return xpath


def profile_names(profiles: Sequence[SiteProfile]) -> list[str]:
    return [p.name for p in profiles]
