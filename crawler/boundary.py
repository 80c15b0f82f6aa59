"""The crawl's sites: the one place that decides which hosts a request may go to.

A crawl belongs to the sites of its seeds. `SiteBoundary.allows(url)` says whether a URL is on
them, and `BoundaryMiddleware` applies it to every request the downloader sees (seeds, followed
links, robots.txt, retries) and so to every redirect hop, since a redirect is a new request:

- a seed's host with the seed's port; on a default port (80, 443), that host on both, so that a
  site moving to https stays in the crawl;
- the hosts of a site profile (pages/profiles.py) whose domain a seed belongs to: its canonical
  host and aliases (``touch.``, ``m.``, the bare domain), on default ports;
- nothing else: never another port of a seed's host, another site, or an address that is
  loopback, private or link-local (or a ``localhost`` name) unless a seed is on that very host.

A request outside is refused before anything is sent: a followed link as `OffsiteRequest`
(reason ``ignored``; the spider never makes one), a redirect hop as `OffsiteRedirect` (reason
``offsite_redirect``, recorded against the URL first requested). So nothing off the crawl's
sites is ever requested, and nothing is stored from there.

The spider owns the boundary (`spider.boundary`, built from its seeds and profiles), as Scrapy's
own OffsiteMiddleware reads `spider.allowed_domains`. Stats: ``boundary/refused``,
``boundary/offsite_redirect``.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from pages.profiles import Profiles, SiteProfile

logger = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}


class OffsiteRequest(IgnoreRequest):
    """A request for a URL outside the crawl's sites."""


class OffsiteRedirect(IgnoreRequest):
    """A redirect away from the crawl's sites: not followed."""


def _netloc(url: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[scheme]


def is_local(host: str) -> bool:
    """A loopback, private, link-local or reserved address, or a name that means one."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global or address.is_multicast


class SiteBoundary:
    """The hosts and ports of the crawl's sites (see the module docstring)."""

    def __init__(self, seeds: Iterable[str], profiles: Profiles = ()):
        self.netlocs: set[tuple[str, int]] = set()
        self.domains: set[tuple[SiteProfile, str]] = set()
        for seed in seeds:
            netloc = _netloc(seed)
            if netloc is None:
                continue
            host, port = netloc
            self.netlocs.add(netloc)
            if port in _DEFAULT_PORTS.values():
                self.netlocs.update((host, p) for p in _DEFAULT_PORTS.values())
            for profile in profiles:
                if domain := profile.domain_of(host):
                    self.domains.add((profile, domain))

    def allows(self, url: str) -> bool:
        netloc = _netloc(url)
        if netloc is None:
            return False
        if netloc in self.netlocs:
            return True
        host, port = netloc
        if port not in _DEFAULT_PORTS.values() or (is_local(host) and not self._local_seed(host)):
            return False
        return any(_news_host(profile, domain, host) for profile, domain in self.domains)

    def _local_seed(self, host: str) -> bool:
        """Whether a seed is on the same local domain (a .localhost mirror of a profiled site)."""
        return any(
            host == domain or host.endswith("." + domain)
            for _, domain in self.domains
            if any(seed_host.endswith(domain) for seed_host, _ in self.netlocs)
        )

    def hosts(self) -> list[str]:
        return sorted({f"{h}:{p}" for h, p in self.netlocs})


def _news_host(profile: SiteProfile, domain: str, host: str) -> bool:
    if not (host == domain or host.endswith("." + domain)):
        return False
    sub = host[: -len(domain)].rstrip(".")
    return sub == profile.canonical_subdomain or sub in profile.alias_subdomains


class BoundaryMiddleware:
    """Refuses every request outside the spider's boundary (a downloader middleware)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundaryMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        boundary: SiteBoundary | None = getattr(self.crawler.spider, "boundary", None)
        if boundary is None or boundary.allows(request.url):
            return
        stats = self.crawler.stats
        assert stats is not None
        first = (request.meta.get("redirect_urls") or [None])[0]
        if first is not None:
            stats.inc_value("boundary/offsite_redirect")
            logger.warning("not following the redirect of %s to %s: off the crawl's sites",
                           first, request.url)  # fmt: skip
            raise OffsiteRedirect(f"redirect to {request.url} leaves the crawl's sites")
        stats.inc_value("boundary/refused")
        raise OffsiteRequest(f"{request.url} is not on the crawl's sites ({boundary.hosts()})")
